#!/bin/sh
# A user without subordinate ids builds the Debian example in virtual
# mode: useradd, apt-get install with APT's _apt sandbox, chown -R and su.
# The same build fails in fakeroot mode, where APT detects that its switch
# to _apt did not happen, and passes in subuid mode for a user with ranges.
. "$SOURCE_ROOT/tests/integration/lib.sh"

config=$SOURCE_ROOT/examples/podman-config
example=$SOURCE_ROOT/examples/debian
image=localhost/pseudopod-test-debian:latest
base=localhost/pseudopod-test-debian-base:12

# debootstrap takes about 40 s, so the root file system tarball is kept for
# the rest of the day and shared with mpi.sh.
tarball=/var/tmp/pseudopod-debian-bookworm-$(date +%Y%m%d).tar

# Creates $tarball as the test user, in a user namespace that pseudopod's
# fakeroot mode sets up, unless it exists.  Older tarballs are removed.
make_rootfs() {
    find /var/tmp -maxdepth 1 -name 'pseudopod-debian-bookworm-*.tar' \
        ! -path "$tarball" -delete 2>/dev/null
    if [ -f "$tarball" ]; then
        report 0 "make-rootfs # SKIP reusing $tarball"
        return
    fi
    capture as_user AS_ROOT="$PSEUDOPOD fakeroot" \
        "$example/make-rootfs" "$tarball"
    is "$status" 0 "make-rootfs under pseudopod fakeroot succeeds"
    [ "$status" -eq 0 ] || diag "$err"
}

# Runs the example's build script through RUNNER (as_user or
# as_subuid_user) with PODMAN set.
build_example() {
    runner=$1
    podman=$2
    capture "$runner" CONTAINERS_CONF="$config/containers.conf" \
        CONTAINERS_STORAGE_CONF="$config/storage.conf" \
        PODMAN="$podman" BASE_IMAGE="$base" ROOTFS_TARBALL="$tarball" \
        BUILD_OPTIONS=--no-cache "$example/build" "$image"
}

subuid_user_has_ranges() {
    name=$(as_subuid_user id -un)
    grep -q "^$name:" /etc/subuid 2>/dev/null &&
        grep -q "^$name:" /etc/subgid 2>/dev/null
}

command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] ||
    skip_all "debootstrap is not installed"

started=$(date +%s)
make_rootfs
[ -f "$tarball" ] || {
    diag "no root file system tarball: the builds cannot run"
    done_testing
    exit
}

build_example as_user "$PSEUDOPOD virtual podman"
is "$status" 0 "virtual build succeeds"
contains "$out" "builder:x:1000:1000::/home/builder:/bin/sh" \
    "useradd adds builder"
contains "$out" "hello from the local repository" \
    "apt-get installs from the local repository"
lacks "$out$err" "Could not switch" "APT switches to _apt"
lacks "$out$err" "unsandboxed" "APT downloads in its sandbox"
contains "$out" "chown -R done" "chown -R succeeds"
lacks "$out$err" "Invalid argument" "no chown fails with EINVAL"
lacks "$out$err" "Operation not permitted" "no call fails with EPERM"
contains "$out" "uid=1000(builder) gid=1000(builder) groups=1000(builder)" \
    "su builder -c id prints builder"
contains "$out" "Successfully tagged $image" "the image is tagged"
[ "$status" -eq 0 ] || diag "$out" "$err"

capture as_user CONTAINERS_CONF="$config/containers.conf" \
    CONTAINERS_STORAGE_CONF="$config/storage.conf" \
    "$PSEUDOPOD" virtual podman run --rm "$image" \
    su builder -c 'id -un && pseudopod-hello'
is "$status" 0 "podman run of the image succeeds"
is "$out" "builder
hello from the local repository" "su and the package work in podman run"

# fakeroot mode makes setresuid return 0 without a change.
build_example as_user "$PSEUDOPOD fakeroot podman"
is "$status" 100 "fakeroot build fails with apt-get's status"
contains "$out$err" "Could not switch group" \
    "APT detects the ids that fakeroot mode did not change"

if subuid_user_has_ranges; then
    build_example as_subuid_user "$PSEUDOPOD subuid podman"
    is "$status" 0 "subuid build succeeds"
    contains "$out" "hello from the local repository" \
        "subuid apt-get installs from the local repository"
    contains "$out" "chown -R done: builder:builder" \
        "subuid chown -R changes the owner"
    contains "$out" \
        "uid=1000(builder) gid=1000(builder) groups=1000(builder)" \
        "subuid su builder -c id prints builder"
    [ "$status" -eq 0 ] || diag "$out" "$err"
else
    report 0 "subuid build # SKIP the subuid test user has no ranges"
fi

diag "debian_build.sh took $(($(date +%s) - started)) s"
done_testing
