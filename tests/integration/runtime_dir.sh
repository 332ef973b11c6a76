#!/bin/sh
# The runtime directory /run/user/UID that pseudopod gives the command:
# shared between a user's runs, private per run, or none, and the checks
# on the shared directory in /dev/shm.
. "$SOURCE_ROOT/tests/integration/lib.sh"

if [ "$(id -u)" -ne 0 ] || [ -z "${PSEUDOPOD_TEST_USER:-}" ]; then
    skip_all "needs root, to arrange the shared directory of PSEUDOPOD_TEST_USER"
fi
uid=$(id -u "$PSEUDOPOD_TEST_USER")
shared=/dev/shm/pseudopod-$uid
saved=/dev/shm/pseudopod-$uid.saved-by-test
[ -e "$shared" ] && mv "$shared" "$saved"
trap 'rm -rf "$shared"; [ -e "$saved" ] && mv "$saved" "$shared"; rm -rf "$WORK"' EXIT

# on: one directory for all runs of the user on this node.
capture as_user "$PSEUDOPOD" sh -c 'echo "$XDG_RUNTIME_DIR"; stat -c %a "$XDG_RUNTIME_DIR"; touch "$XDG_RUNTIME_DIR/marker"'
is "$status" 0 "--mount-run=on: the run succeeds"
is "$(printf '%s\n' "$out" | head -n 1)" "/run/user/$uid" "XDG_RUNTIME_DIR is /run/user/UID"
is "$(printf '%s\n' "$out" | tail -n 1)" 700 "the runtime directory has mode 0700"
capture as_user "$PSEUDOPOD" sh -c 'ls "$XDG_RUNTIME_DIR"'
is "$out" marker "--mount-run=on: a second run sees the first run's file"
is "$(stat -c '%a %U' "$shared")" "700 $PSEUDOPOD_TEST_USER" "the shared directory belongs to the user, mode 0700"

# private: a fresh tmpfs per run.
capture as_user "$PSEUDOPOD" --mount-run=private sh -c 'ls "$XDG_RUNTIME_DIR"'
is "$status" 0 "--mount-run=private: the run succeeds"
is "$out" "" "--mount-run=private: the run sees an empty directory"

# off: nothing mounted, XDG_RUNTIME_DIR left as it was.
capture as_user XDG_RUNTIME_DIR=/nowhere "$PSEUDOPOD" --mount-run=off sh -c 'echo "$XDG_RUNTIME_DIR"'
is "$out" /nowhere "--mount-run=off leaves XDG_RUNTIME_DIR alone"

# The shared directory must be the user's own, private directory.
rm -rf "$shared"
ln -s /tmp "$shared"
capture as_user "$PSEUDOPOD" true
is "$status" 125 "a symbolic link as shared directory exits 125"
contains "$err" "'$shared' is a symbolic link" "a symbolic link as shared directory is named"
rm -f "$shared"
mkdir -m 755 "$shared"
chown "$PSEUDOPOD_TEST_USER" "$shared"
capture as_user "$PSEUDOPOD" true
is "$status" 125 "a shared directory open to others exits 125"
contains "$err" "is accessible to others (mode 0755)" "a shared directory open to others is named"
chown root "$shared"
chmod 700 "$shared"
capture as_user "$PSEUDOPOD" true
is "$status" 125 "a shared directory of another user exits 125"
contains "$err" "belongs to uid 0, not to you" "a shared directory of another user is named"
rm -rf "$shared"

# A host without /run/user: the shared directory serves directly.
capture unshare --mount sh -c 'mount -t tmpfs none /run &&
    exec setpriv --reuid="$0" --regid="$(id -g "$0")" --init-groups \
    --reset-env env --chdir=/tmp "$1" sh -c "echo \$XDG_RUNTIME_DIR"' \
    "$PSEUDOPOD_TEST_USER" "$PSEUDOPOD"
is "$status" 0 "without /run/user the run succeeds"
is "$out" "$shared" "without /run/user XDG_RUNTIME_DIR is the shared directory"
contains "$err" "the host has no /run/user" "without /run/user pseudopod says so"

done_testing
