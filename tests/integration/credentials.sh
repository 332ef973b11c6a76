#!/bin/sh
# The credential rules under pseudo --root with each backend, through libc,
# raw system calls, a static binary and i386 binaries, with threads and
# forks.
. "$SOURCE_ROOT/tests/integration/lib.sh"

# Runs a probe under pseudo --root; each of its lines is one check.
probe() {
    name=$1
    shift
    capture as_user "$PSEUDO" --root --backend="$backend" "$@"
    is "$status" 0 "$backend: $name exits 0"
    lacks "$out" "not ok" "$backend: $name: every check passes"
    contains "$out" "ok - " "$backend: $name: checks ran"
}

# The state table after 1000 forks: the count logged at the last execve
# equals the one at the first.  The notify backend frees the states of
# exited threads in batches, so there the peak shows that they were freed
# during the run.
check_fork_table() {
    capture as_user "$PSEUDO" --root --backend="$backend" --debug \
        "$PROGRAMS/fork_probe" 1000 id -u
    is "$status" 0 "$backend: fork probe exits 0"
    contains "$out" "1000 forks, 0 children with wrong ids" \
        "$backend: every child inherited its ids"
    counts=$(printf '%s\n' "$err" |
        sed -n 's/.*execve .*, \([0-9]*\) threads tracked/\1/p')
    first=$(printf '%s\n' "$counts" | head -n 1)
    last=$(printf '%s\n' "$counts" | tail -n 1)
    peak=$(printf '%s\n' "$err" |
        sed -n 's/.*supervisor: \([0-9]*\) threads at most.*/\1/p')
    left=$(printf '%s\n' "$err" |
        sed -n 's/.*threads at most, \([0-9]*\) left.*/\1/p')
    is "$(printf '%s\n' "$counts" | wc -l)" 2 "$backend: two execve events were logged"
    is "$left" 0 "$backend: no state is left at the end"
    if [ "$backend" = ptrace ]; then
        is "$last" "$first" "$backend: the state table returns to its starting size"
        is "$peak" 2 "$backend: each child was tracked while it ran"
    else
        [ "$peak" -le 4 ]
        report $? "$backend: at most 4 states at once over 1000 forks (got $peak)"
    fi
}

for backend in ptrace notify; do
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
    check_fork_table
done

done_testing
