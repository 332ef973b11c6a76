#!/bin/sh
# Podman through each mode of pseudopod: the choice of auto mode, builds
# in subuid and fakeroot modes, exit statuses, several instances of one
# user at once, and the messages for invalid input.
. "$SOURCE_ROOT/tests/integration/lib.sh"

config=$SOURCE_ROOT/examples/podman-config
busybox=$SOURCE_ROOT/examples/busybox
image=localhost/pseudopod-modes-busybox:latest
base=localhost/pseudopod-modes-busybox-base:latest

# Runs a command through RUNNER (as_user or as_subuid_user) with the
# example Podman settings.
with_config() {
    runner=$1
    shift
    "$runner" CONTAINERS_CONF="$config/containers.conf" \
        CONTAINERS_STORAGE_CONF="$config/storage.conf" "$@"
}

# Builds the busybox example through RUNNER with PODMAN.
build_busybox() {
    capture with_config "$1" PODMAN="$2" BASE_IMAGE="$base" \
        BUILD_OPTIONS=--no-cache "$busybox/build" "$image"
}

subuid_user_has_ranges() {
    name=$(as_subuid_user id -un)
    grep -q "^$name:" /etc/subuid 2>/dev/null &&
        grep -q "^$name:" /etc/subgid 2>/dev/null
}

# Runs a command as the subuid test user in a private mount namespace in
# which /usr/bin/newuidmap is /dev/null, which is not executable: the same
# as a machine without the uidmap package.  Needs root.
as_subuid_user_without_newuidmap() {
    # shellcheck disable=SC2016 # the inner shell expands its arguments.
    unshare --mount --propagation private sh -c '
        user=$1
        shift
        mount --bind /dev/null /usr/bin/newuidmap &&
            cd "$WORK" &&
            exec setpriv --reuid="$user" --regid="$(id -g "$user")" \
                --init-groups --reset-env env "$@"
    ' sh "$PSEUDOPOD_TEST_SUBUID_USER" "$@"
}

skip_check() {
    report 0 "$1 # SKIP $2"
}

if subuid_user_has_ranges; then
    subuid=yes
else
    subuid=
fi
no_ranges="the subuid test user has no ranges in /etc/subuid and /etc/subgid"
export WORK
started=$(date +%s)

# Auto mode.
capture as_user "$PSEUDOPOD" --debug true
is "$status" 0 "auto mode runs true without ranges"
contains "$err" "auto mode chose virtual" "auto mode picks virtual without ranges"
if [ -n "$subuid" ]; then
    capture as_subuid_user "$PSEUDOPOD" --debug true
    is "$status" 0 "auto mode runs true with ranges"
    contains "$err" "auto mode chose subuid" "auto mode picks subuid with ranges"
else
    skip_check "auto mode picks subuid with ranges" "$no_ranges"
fi

# subuid mode without ranges.
capture as_user "$PSEUDOPOD" subuid true
is "$status" 125 "subuid mode without ranges exits 125"
contains "$err" "subuid mode cannot run" "subuid mode without ranges is rejected"
contains "$err" "has no range in /etc/subuid" "the message names /etc/subuid"

# The busybox example in subuid mode, where su changes ids for real, and in
# fakeroot mode, where the process stays uid 0.
if [ -n "$subuid" ]; then
    build_busybox as_subuid_user "$PSEUDOPOD subuid podman"
    is "$status" 0 "busybox builds in subuid mode"
    contains "$out" "uid=1000(app) gid=1000(app) groups=1000(app)" \
        "subuid mode: su app -c id prints app"
    [ "$status" -eq 0 ] || diag "$out" "$err"
else
    skip_check "busybox builds in subuid mode" "$no_ranges"
fi

build_busybox as_user "$PSEUDOPOD fakeroot podman"
is "$status" 0 "busybox builds in fakeroot mode"
contains "$out" "STEP 4/4: RUN su -s /bin/sh app -c id" \
    "fakeroot mode: the su step runs"
lacks "$out" "uid=1000(app)" "fakeroot mode: su app -c id stays root"
[ "$status" -eq 0 ] || diag "$out" "$err"

# Exit statuses, in auto mode.
capture with_config as_user "$PSEUDOPOD" podman run --rm "$image" \
    sh -c 'exit 3'
is "$status" 3 "podman run exits with the container's status (virtual)"
if [ -n "$subuid" ]; then
    capture with_config as_subuid_user "$PSEUDOPOD" podman run --rm "$image" \
        sh -c 'exit 3'
    is "$status" 3 "podman run exits with the container's status (subuid)"
else
    skip_check "podman run exits with the container's status (subuid)" "$no_ranges"
fi

mkdir -p "$WORK/failing"
printf 'FROM %s\nRUN exit 7\n' "$base" >"$WORK/failing/Dockerfile"
chmod -R a+rX "$WORK/failing"
capture with_config as_user "$PSEUDOPOD" podman build --network=host \
    "$WORK/failing"
is "$status" 7 "podman build exits with the failing RUN step's status"
contains "$err" 'building at STEP "RUN exit 7"' "podman names the failing step"

# Two containers of one user at once, and a third instance that lists them:
# the instances share /run/user/UID (--mount-run=on).
for runner in as_user as_subuid_user; do
    if [ "$runner" = as_user ]; then
        mode=virtual
    elif [ -n "$subuid" ]; then
        mode=subuid
    else
        skip_check "concurrent containers (subuid)" "$no_ranges"
        continue
    fi
    name=pseudopod-modes-$mode
    with_config "$runner" "$PSEUDOPOD" podman run --rm --name "$name-1" \
        "$image" sleep 8 >"$WORK/$name-1.log" 2>&1 &
    first=$!
    with_config "$runner" "$PSEUDOPOD" podman run --rm --name "$name-2" \
        "$image" sleep 8 >"$WORK/$name-2.log" 2>&1 &
    second=$!

    # Each container takes about a second to start.
    attempt=0
    while [ "$attempt" -lt 30 ]; do
        capture with_config "$runner" "$PSEUDOPOD" podman ps \
            --format '{{.Names}}'
        case $out in
        *"$name-1"*"$name-2"* | *"$name-2"*"$name-1"*) break ;;
        esac
        sleep 0.2
        attempt=$((attempt + 1))
    done
    is "$status" 0 "podman ps beside two containers exits 0 ($mode)"
    contains "$out" "$name-1" "podman ps lists the first container ($mode)"
    contains "$out" "$name-2" "podman ps lists the second container ($mode)"

    wait "$first"
    is "$?" 0 "the first concurrent container exits 0 ($mode)"
    wait "$second"
    is "$?" 0 "the second concurrent container exits 0 ($mode)"
done

# Invalid input: a message that names the value, and status 125.
capture as_user "$PSEUDOPOD" --no-such-option true
is "$status" 125 "unknown option exits 125"
contains "$err" "'--no-such-option'" "the message names the unknown option"

capture as_user "$PSEUDOPOD" --mount-tmpfs=relative/dir true
is "$status" 125 "relative --mount-tmpfs exits 125"
contains "$err" "'relative/dir'" "the message names the relative path"

capture as_user PMI_FD=9 "$PSEUDOPOD" true 9>&-
is "$status" 125 "closed PMI_FD exits 125"
contains "$err" "PMI_FD '9'" "the message names the closed PMI_FD"

capture as_user PMI_FD=abc "$PSEUDOPOD" true
is "$status" 125 "non-numeric PMI_FD exits 125"
contains "$err" "PMI_FD 'abc'" "the message names the invalid PMI_FD"

# newuidmap without its set-user-ID bit first in PATH.
if [ -n "$subuid" ]; then
    mkdir -p "$WORK/bin"
    cp "$(command -v newuidmap || echo /usr/bin/newuidmap)" "$WORK/bin/newuidmap"
    chmod 0755 "$WORK/bin" "$WORK/bin/newuidmap"
    capture as_subuid_user PATH="$WORK/bin:/usr/bin:/bin" \
        "$PSEUDOPOD" subuid true
    is "$status" 125 "newuidmap without set-user-ID exits 125"
    contains "$err" "newuidmap is neither set-user-ID root" \
        "the message names newuidmap without set-user-ID"
else
    skip_check "newuidmap without set-user-ID exits 125" "$no_ranges"
fi

# newuidmap missing: PATH alone cannot hide it, because pseudopod also
# looks in /usr/bin.
if [ -n "$subuid" ] && [ "$(id -u)" -eq 0 ]; then
    capture as_subuid_user_without_newuidmap "$PSEUDOPOD" subuid true
    is "$status" 125 "missing newuidmap exits 125"
    contains "$err" "newuidmap is not installed" \
        "the message names the missing newuidmap"
else
    skip_check "missing newuidmap exits 125" \
        "needs root and a subuid test user with ranges"
fi

diag "podman_modes.sh took $(($(date +%s) - started)) s"
done_testing
