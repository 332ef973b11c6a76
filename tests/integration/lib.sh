# Helpers for the integration tests, which print TAP.
#
# Environment, set by meson (tests/meson.build):
#   BUILD_ROOT     the build directory
#   SOURCE_ROOT    the source directory
#   PSEUDOPOD_TEST_USER
#                  user without subordinate ids that runs the product when
#                  the tests run as root (default: the current user)
#   PSEUDOPOD_TEST_SUBUID_USER
#                  user with subordinate ids, for subuid and auto modes

set -u

PSEUDO=$BUILD_ROOT/pseudo/pseudo
PSEUDOPOD=$BUILD_ROOT/pseudopod/pseudopod
PROGRAMS=$BUILD_ROOT/tests

test_count=0
failed_count=0

# A directory the test users can write, removed at exit.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pseudopod-test.XXXXXX")
chmod 1777 "$WORK"
trap 'rm -rf "$WORK"' EXIT

# Runs a command as USER, from $WORK, with the login environment of USER
# (HOME, USER, PATH) and the variables given as NAME=VALUE arguments
# before the command.  setpriv executes the command in place, so $! of a
# background call is the command's process id.
as() {
    user=$1
    shift
    if [ "$(id -u)" -ne 0 ] || [ -z "$user" ]; then
        env --chdir="$WORK" "$@"
        return
    fi
    setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups \
        --reset-env env --chdir="$WORK" "$@"
}

# Runs a command as the test user without subordinate ids.
as_user() {
    as "${PSEUDOPOD_TEST_USER:-}" "$@"
}

# Runs a command as the test user with subordinate ids.
as_subuid_user() {
    as "${PSEUDOPOD_TEST_SUBUID_USER:-}" "$@"
}

# Starts a command as the test user in the background and stores its
# process id in $pid: the shell's $! may name a subshell instead.
start_as_user() {
    rm -f "$WORK/pid"
    as_user sh -c 'echo $$ >"$0"; exec "$@"' "$WORK/pid" "$@" &
    job=$!
    for _ in $(seq 50); do
        [ -s "$WORK/pid" ] && break
        sleep 0.1
    done
    pid=$(cat "$WORK/pid")
}

# Runs a command, storing its stdout, stderr and status in $out, $err and
# $status.
capture() {
    "$@" >"$WORK/stdout" 2>"$WORK/stderr"
    status=$?
    out=$(cat "$WORK/stdout")
    err=$(cat "$WORK/stderr")
}

report() {
    test_count=$((test_count + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $test_count - $2"
    else
        failed_count=$((failed_count + 1))
        echo "not ok $test_count - $2"
    fi
}

# Prints a diagnostic block, prefixed for TAP.
diag() {
    printf '%s\n' "$@" | sed 's/^/# /'
}

# is ACTUAL EXPECTED NAME
is() {
    if [ "$1" = "$2" ]; then
        report 0 "$3"
    else
        report 1 "$3"
        diag "expected: $2" "     got: $1"
    fi
}

# contains TEXT FIXED_STRING NAME
contains() {
    case $1 in
    *"$2"*) report 0 "$3" ;;
    *)
        report 1 "$3"
        diag "expected to contain: $2" "text:" "$1"
        ;;
    esac
}

# lacks TEXT FIXED_STRING NAME
lacks() {
    case $1 in
    *"$2"*)
        report 1 "$3"
        diag "expected not to contain: $2" "text:" "$1"
        ;;
    *) report 0 "$3" ;;
    esac
}

skip_all() {
    echo "1..0 # SKIP $1"
    exit 0
}

done_testing() {
    echo "1..$test_count"
    [ "$failed_count" -eq 0 ]
}
