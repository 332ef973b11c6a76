#!/bin/sh
# The credential rules under pseudo --root, through libc, raw system
# calls, a static binary and i386 binaries, with threads and forks.
. "$SOURCE_ROOT/tests/integration/lib.sh"

# Runs PROBE under pseudo --root; each of its lines is one check.
probe() {
    name=$1
    shift
    capture as_user "$PSEUDO" --root "$@"
    is "$status" 0 "$name exits 0"
    lacks "$out" "not ok" "$name: every check passes"
    contains "$out" "ok - " "$name: checks ran"
}

probe "libc probe" "$PROGRAMS/setid_probe" libc
probe "raw probe" "$PROGRAMS/setid_probe" raw
if [ -x "$PROGRAMS/setid_probe_static" ]; then
    probe "static raw probe" "$PROGRAMS/setid_probe_static" raw
    probe "static libc probe" "$PROGRAMS/setid_probe_static" libc
fi
if [ -x "$PROGRAMS/setid_probe_i386" ]; then
    probe "i386 libc probe" "$PROGRAMS/setid_probe_i386" libc
    probe "i386 32-bit raw probe" "$PROGRAMS/setid_probe_i386" raw
    probe "i386 16-bit raw probe" "$PROGRAMS/setid_probe_i386" raw16
else
    report 1 "i386 probe was built (install gcc-multilib)"
fi

probe "thread probe" "$PROGRAMS/thread_probe"

# 1000 forks, then an execve: the supervisor's table, logged at each
# execve, is back to its starting size.
capture as_user "$PSEUDO" --root --debug "$PROGRAMS/fork_probe" 1000 true
is "$status" 0 "fork probe exits 0"
contains "$out" "1000 forks, 0 children with wrong ids" "every child inherited its ids"
counts=$(printf '%s\n' "$err" | sed -n 's/.*execve .*, \([0-9]*\) threads tracked/\1/p')
first=$(printf '%s\n' "$counts" | head -n 1)
last=$(printf '%s\n' "$counts" | tail -n 1)
is "$(printf '%s\n' "$counts" | wc -l)" 2 "two execve events were logged"
is "$last" "$first" "the state table returns to its starting size"
peak=$(printf '%s\n' "$err" | sed -n 's/.*supervisor: \([0-9]*\) threads at most.*/\1/p')
is "$peak" 2 "each child was tracked while it ran"

done_testing
