#!/bin/sh
# pseudo as an unprivileged user: ids, exit statuses, signals, chown.
. "$SOURCE_ROOT/tests/integration/lib.sh"

capture as_user "$PSEUDO" --root id
is "$status" 0 "pseudo --root id exits 0"
is "$out" "uid=0(root) gid=0(root) groups=0(root)" "pseudo --root id prints root"

capture as_user "$PSEUDO" id -u
is "$out" "$(as_user id -u)" "without --root the caller keeps its uid"

capture as_user "$PSEUDO" --root sh -c 'exit 7'
is "$status" 7 "the command's exit status is returned"

capture as_user "$PSEUDO" /no/such/command
is "$status" 127 "a missing command exits 127"
contains "$err" "cannot run '/no/such/command': No such file or directory" \
    "a missing command is named"

as_user touch not-executable
capture as_user "$PSEUDO" ./not-executable
is "$status" 126 "a file that cannot be executed exits 126"

capture as_user "$PSEUDO" --root sh -c 'kill -KILL $$'
is "$status" 137 "a command killed by SIGKILL exits 137"

capture as_user "$PSEUDO" --no-such-option true
is "$status" 125 "an unknown option exits 125"
contains "$err" "unrecognized option '--no-such-option'" "an unknown option is named"

capture as_user "$PSEUDO" --module
is "$status" 125 "an option without its value exits 125"
contains "$err" "option '--module' requires an argument" \
    "an option without its value is named"

# SIGTERM sent to pseudo reaches the command.
start_as_user "$PSEUDO" --root sleep 30
sleep 0.5
is "$(cat "/proc/$pid/comm")" pseudo "the signalled process is pseudo"
kill -TERM "$pid"
wait "$job"
is "$?" 143 "SIGTERM to pseudo makes it exit 143"

# A command that stops itself resumes after SIGCONT.
start_as_user "$PSEUDO" --root sh -c 'kill -STOP $$; echo resumed' >"$WORK/stopped"
for _ in $(seq 50); do
    stopped_pid=$(pgrep -P "$pid" sh || true)
    [ -n "$stopped_pid" ] && grep -q '^State:.*[Tt]' "/proc/$stopped_pid/status" \
        2>/dev/null && break
    sleep 0.2
done
state=$(awk '/^State:/ { print $2 }' "/proc/$stopped_pid/status" 2>/dev/null)
case $state in
T | t) is stopped stopped "the command stops itself with SIGSTOP" ;;
*) is "state '$state'" stopped "the command stops itself with SIGSTOP" ;;
esac
kill -CONT "$pid"
wait "$job"
is "$?" 0 "pseudo exits 0 after the stopped command resumes"
is "$(cat "$WORK/stopped")" "resumed" "the command resumes after SIGCONT"

# chown to an unmapped id succeeds; lookup errors stay.
as_user touch owned
capture as_user "$PSEUDO" --root chown 1234:1234 owned
is "$status" 0 "chown 1234:1234 FILE succeeds"
capture as_user "$PSEUDO" --root chown 1234 /no/such/file
is "$status" 1 "chown of a missing file fails"
contains "$err" "No such file or directory" "chown of a missing file reports ENOENT"

# Modules: loader errors name the file and the reason.
capture as_user "$PSEUDO" --module=+/no/such.so true
is "$status" 125 "a missing module file exits 125"
contains "$err" "cannot load module '/no/such.so': No such file or directory" \
    "a missing module file is named"

capture as_user "$PSEUDO" --module="+$TEST_MODULE_DIR/bad_abi.so" true
is "$status" 125 "a module of another ABI version exits 125"
contains "$err" "built for module ABI version 2, but this pseudo uses version 1" \
    "a module of another ABI version: both versions are named"

capture as_user "$PSEUDO" --module=+mylog --module-opt=mylog.nosuchkey=1 true
is "$status" 125 "an unknown module option exits 125"
contains "$err" "module 'mylog' has no option 'nosuchkey'" \
    "an unknown module option is named"

capture as_user "$PSEUDO" --module=-no_such_module true
is "$status" 125 "removing a module that is not loaded exits 125"

# Site configuration: problems name the file and the line.
printf 'module mylog\nmodule no_such_module\n' >"$WORK/site.conf"
chmod 644 "$WORK/site.conf"
capture as_user PSEUDOPOD_CONFIG="$WORK/site.conf" "$PSEUDO" true
is "$status" 125 "a site module that is not found exits 125"
contains "$err" "site.conf:2: this line of the site configuration names it" \
    "a site module that is not found names the line"
printf 'module mylog\n' >"$WORK/site.conf"
capture as_user PSEUDOPOD_CONFIG="$WORK/site.conf" "$PSEUDO" true
contains "$err" "site.conf:1:" "a site module that fails to start names the line"
capture as_user PSEUDOPOD_CONFIG="$WORK" "$PSEUDO" true
is "$status" 125 "a directory as site configuration exits 125"
contains "$err" "Is a directory" "a directory as site configuration is named"

# pseudopod's own checks.
capture as_user "$PSEUDOPOD" --module=-tmpfs --mount-tmpfs=/tmp true
is "$status" 125 "--mount-tmpfs without the tmpfs module exits 125"
contains "$err" "--mount-tmpfs needs the tmpfs module" \
    "--mount-tmpfs without the tmpfs module says why"
capture as_user "$PSEUDOPOD" --debug virtual true
is "$status" 125 "a mode after an option exits 125"
contains "$err" "the mode 'virtual' must come first" "a mode after an option is named"
capture as_user PMI_FD=1 "$PSEUDOPOD" --mount-run=off true
is "$status" 125 "a standard stream as PMI_FD exits 125"
contains "$err" "invalid PMI_FD '1'" "a standard stream as PMI_FD is named"

# mylog logs the calls it is given, with the result the caller got.
capture as_user "$PSEUDO" --root --module=+mylog \
    --module-opt=mylog.syscalls=fchownat,getuid sh -c 'chown 5:5 owned; id -u'
is "$status" 0 "mylog run exits 0"
is "$out" 0 "mylog run prints the virtual uid"
contains "$err" "fchownat(" "mylog logs fchownat"
contains "$err" ") = 0" "mylog logs the result the caller got"
contains "$err" "getuid(" "mylog logs getuid"

capture as_user "$PSEUDO" --module=+mylog --module-opt=mylog.syscalls=nosuchcall true
is "$status" 125 "mylog with an unknown call exits 125"
contains "$err" "unknown system call 'nosuchcall'" "mylog names the unknown call"

done_testing
