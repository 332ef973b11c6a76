#!/bin/sh
# The credential conformance suite: credsuite run as real root prints the
# kernel's results, and the same cases run as an unprivileged user under
# pseudo --root (with each supervisor backend) and under pseudopod
# virtual must print the same lines.  The static i386 build of the suite,
# when there is one, runs the same way.
. "$SOURCE_ROOT/tests/integration/lib.sh"

SUITES="$BUILD_ROOT/tests/conformance/credsuite
$BUILD_ROOT/tests/conformance/credsuite_i386"
COMPARE=$BUILD_ROOT/tests/conformance/compare

[ "$(id -u)" -eq 0 ] || skip_all "the kernel's answers need real root"
[ -n "${PSEUDOPOD_TEST_USER:-}" ] ||
    skip_all "PSEUDOPOD_TEST_USER must name an unprivileged user"

# The supervisor backends: ptrace, or every one that --help lists as
# --backend=NAME|NAME.
backends=ptrace
backend_option=
if "$PSEUDO" --help | grep -q -- '--backend'; then
    listed=$("$PSEUDO" --help |
        sed -n 's/.*--backend=\([a-z|]*\).*/\1/p' | head -n 1 | tr '|' ' ')
    backends=${listed:-ptrace notify}
    backend_option=yes
fi

# Counts the cases an output ran to the end ("case exit" or "killed").
finished_cases() {
    grep -c '^  case \(exit\|killed\)' "$1"
}

# compare_run NAME OUTPUT: NAME ran every case, and its output equals the
# kernel's.
compare_run() {
    is "$(finished_cases "$2")" "$case_count" "$1: every case finished"
    "$COMPARE" -L "real root" -L "$1" "$WORK/native.out" "$2" \
        >"$WORK/diff" 2>&1
    diff_status=$?
    report "$diff_status" "$1: the output equals real root's"
    if [ "$diff_status" -ne 0 ]; then
        diag "$(cat "$WORK/diff")"
    fi
}

# emulate NAME COMMAND...: runs COMMAND SUITE --all as the test user and
# compares its output with the kernel's.
emulate() {
    name=$1
    shift
    as_user "$@" "$suite" --tmpdir="$WORK" --all \
        >"$WORK/emulated.out" 2>"$WORK/emulated.err"
    is "$?" 0 "$name: $program exits 0"
    compare_run "$name: $program" "$WORK/emulated.out"
}

for suite in $SUITES; do
    program=${suite##*/}
    if [ ! -x "$suite" ]; then
        report 1 "$program was built (install gcc-multilib for i386)"
        continue
    fi
    case_count=$("$suite" --list | wc -l)

    "$suite" --tmpdir="$WORK" --all >"$WORK/native.out" 2>"$WORK/native.err"
    is "$?" 0 "$program runs as real root"
    is "$(finished_cases "$WORK/native.out")" "$case_count" \
        "$program as real root: every case finished"

    for backend in $backends; do
        option=
        [ -n "$backend_option" ] && option=--backend=$backend
        emulate "pseudo --root${option:+ $option}" "$PSEUDO" --root $option
    done
    emulate "pseudopod virtual --mount-run=off" "$PSEUDOPOD" virtual \
        --mount-run=off
done

done_testing
