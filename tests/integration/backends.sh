#!/bin/sh
# What differs between the backends: signals during emulated calls, and
# whether gdb and strace can run under the supervisor.
. "$SOURCE_ROOT/tests/integration/lib.sh"

# 10,000 signals a second for 2 seconds to a process calling getuid in a
# loop.  getuid never fails with EINTR natively.
for backend in ptrace notify; do
    for handler in restart norestart; do
        capture as_user "$PSEUDO" --root --backend="$backend" \
            "$PROGRAMS/signal_probe" "$handler" 2 10000
        is "$status" 0 "$backend, $handler: signal probe exits 0"
        eintr=$(printf '%s\n' "$out" | sed -n 's/.* eintr \([0-9]*\) .*/\1/p')
        signals=$(printf '%s\n' "$out" | sed -n 's/.* signals \([0-9]*\) .*/\1/p')
        diag "$backend, $handler: $out"
        [ "${signals:-0}" -gt 1000 ]
        report $? "$backend, $handler: the probe received signals ($signals)"
        if [ "$backend" = ptrace ] || [ "$handler" = restart ]; then
            is "$eintr" 0 "$backend, $handler: no call fails with EINTR"
        fi
    done
done

# The notify backend leaves ptrace to the command.
capture as_user "$PSEUDO" --root --backend=notify strace -f -e trace=getuid id
is "$status" 0 "notify: strace runs under pseudo"
contains "$err" "getuid()                                = 0" \
    "notify: strace sees the emulated getuid return 0"
contains "$out" "uid=0(root)" "notify: id under strace prints root"

capture as_user "$PSEUDO" --root --backend=notify \
    gdb -batch -ex run --args /bin/true
is "$status" 0 "notify: gdb runs under pseudo"
contains "$out" "exited normally" "notify: gdb runs its program to the end"

capture as_user "$PSEUDO" --root --backend=ptrace strace -e trace=getuid true
contains "$err" "PTRACE_TRACEME" "ptrace: strace cannot trace, as documented"

# execve copies the effective uid to the saved one, also for a program at
# fixed addresses that runs itself again: every call comes from the same
# pages.
for backend in ptrace notify; do
    capture as_user "$PSEUDO" --root --backend="$backend" "$PROGRAMS/exec_probe" 200
    is "$out" "0 execve calls missed" "$backend: every execve of a fixed-address program is seen"
done

# mylog sees the caller's arguments and one result per call.
as_user touch logged
for backend in ptrace notify; do
    capture as_user "$PSEUDO" --root --backend="$backend" --module=+mylog \
        --module-opt=mylog.syscalls=fchownat chown 5:7 logged
    lines=$(printf '%s\n' "$err" | grep -c 'fchownat(')
    is "$lines" 1 "$backend: mylog logs the call once"
    contains "$err" ", 0x5, 0x7, " "$backend: mylog logs the caller's ids"
done

capture as_user "$PSEUDO" --backend=sometimes true
is "$status" 125 "an invalid backend exits 125"
contains "$err" "invalid --backend 'sometimes'" "an invalid backend is named"

done_testing
