#!/bin/sh
# The main job: an unprivileged user without subordinate ids builds the
# busybox example with pseudopod, and the same build fails without the
# emulation.
. "$SOURCE_ROOT/tests/integration/lib.sh"

config=$SOURCE_ROOT/examples/podman-config
image=localhost/pseudopod-test-busybox:latest
base=localhost/pseudopod-test-busybox-base:latest

# Runs the example's build script as the test user with PODMAN set to $1
# and BUILD_OPTIONS to $2.
build_example() {
    capture as_user CONTAINERS_CONF="$config/containers.conf" \
        CONTAINERS_STORAGE_CONF="$config/storage.conf" \
        PODMAN="$1" BUILD_OPTIONS="${2:-}" BASE_IMAGE="$base" \
        "$SOURCE_ROOT/examples/busybox/build" "$image"
}

# Runs podman through pseudopod as the test user.
podman_as_user() {
    capture as_user CONTAINERS_CONF="$config/containers.conf" \
        CONTAINERS_STORAGE_CONF="$config/storage.conf" "$PSEUDOPOD" "$@"
}

build_example "$PSEUDOPOD virtual podman"
is "$status" 0 "pseudopod virtual podman build succeeds"
contains "$out" "STEP 2/4: RUN chown 1000:1000 /data" "the chown step ran"
lacks "$out$err" "Invalid argument" "chown to an unmapped id succeeds"
contains "$out" "uid=0(root) gid=0(root) groups=0(root)" "RUN id prints root"
contains "$out" "uid=1000(app) gid=1000(app) groups=1000(app)" \
    "RUN su app -c id prints app"
contains "$out" "Successfully tagged $image" "the image is tagged"
[ "$status" -eq 0 ] || diag "$out" "$err"

podman_as_user virtual podman run --rm --pull=never "$image" sh -c 'exit 3'
is "$status" 3 "podman run exits with the container's status"

podman_as_user virtual podman run --rm --pull=never "$image" su -s /bin/sh app -c id
is "$out" "uid=1000(app) gid=1000(app) groups=1000(app)" "su works in podman run"

# The notify backend builds the same.
build_example "$PSEUDOPOD virtual --backend=notify podman"
is "$status" 0 "--backend=notify: the build succeeds"
[ "$status" -eq 0 ] || diag "$out" "$err"
contains "$out" "uid=1000(app) gid=1000(app) groups=1000(app)" \
    "--backend=notify: su app -c id prints app"
lacks "$out$err" "Invalid argument" "--backend=notify: chown succeeds"

# The same namespace without the emulation modules.
plain="$PSEUDOPOD virtual --module=-uid_gid --module=-fakeroot_chown podman"
build_example "$plain"
is "$status" 1 "without emulation the build fails with podman's status"
contains "$err" "chown: /data: Invalid argument" \
    "without emulation chown to an unmapped id fails with EINVAL"

podman_as_user virtual --module=-uid_gid --module=-fakeroot_chown \
    podman run --rm --pull=never "$image" su -s /bin/sh app -c id
contains "$err" "can't set groups: Operation not permitted" \
    "without emulation setgroups fails with EPERM"

# --trace=off: no filter of pseudopod's own; the generated profile traces
# the calls inside the build's containers only.
profile=$BUILD_ROOT/pseudopod/trace.json
build_example "$PSEUDOPOD virtual --trace=off podman" \
    "--security-opt seccomp=$profile"
is "$status" 0 "--trace=off with trace.json builds the example"
contains "$out" "uid=1000(app) gid=1000(app) groups=1000(app)" \
    "--trace=off with trace.json: su app -c id prints app"
build_example "$PSEUDOPOD virtual --trace=off podman"
contains "$err" "chown: /data: Invalid argument" \
    "--trace=off without the profile emulates nothing"

done_testing
