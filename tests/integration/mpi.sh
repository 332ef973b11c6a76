#!/bin/sh
# MPICH's mpiexec starts one "pseudopod virtual podman run" per rank for a
# user without subordinate ids, and every rank of the MPI example prints
# the sum of all ranks.
. "$SOURCE_ROOT/tests/integration/lib.sh"

config=$SOURCE_ROOT/examples/podman-config
example=$SOURCE_ROOT/examples/mpi
image=localhost/pseudopod-test-mpi:latest
base=localhost/pseudopod-test-debian-base:12
podman="$PSEUDOPOD virtual podman"

# The root file system tarball that debian_build.sh keeps for the day.
tarball=/var/tmp/pseudopod-debian-bookworm-$(date +%Y%m%d).tar

# Seconds after which a run counts as hung.  4 ranks take about 1 s.
run_timeout=120

# Prints the seconds since START (from "date +%s.%N"), to 0.1 s.
elapsed() {
    awk -v start="$1" -v end="$(date +%s.%N)" \
        'BEGIN { printf "%.1f", end - start }'
}

# Runs a command as the test user with the example's Podman settings.
as_user_with_config() {
    as_user CONTAINERS_CONF="$config/containers.conf" \
        CONTAINERS_STORAGE_CONF="$config/storage.conf" "$@"
}

for program in mpiexec mpicc; do
    command -v "$program" >/dev/null 2>&1 ||
        skip_all "$program is not installed (Debian packages mpich, libmpich-dev)"
done
command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] ||
    skip_all "debootstrap is not installed"

started=$(date +%s.%N)

# The image installs libmpich12 from the Debian mirror, and the base image
# comes from $tarball, or from debootstrap in fakeroot mode when it is
# missing.
capture as_user_with_config PODMAN="$podman" BASE_IMAGE="$base" \
    ROOTFS_TARBALL="$tarball" AS_ROOT="$PSEUDOPOD fakeroot" \
    "$example/build" "$image"
is "$status" 0 "MPI image build succeeds"
contains "$out" "Successfully tagged $image" "the MPI image is tagged"
[ "$status" -eq 0 ] || diag "$out" "$err"
diag "image build took $(elapsed "$started") s"

for ranks in 2 4; do
    sum=$((ranks * (ranks - 1) / 2))
    run_started=$(date +%s.%N)
    capture as_user_with_config PODMAN="$podman" IMAGE="$image" \
        timeout -s KILL "$run_timeout" "$example/run" "$ranks"
    is "$status" 0 "mpiexec -n $ranks exits 0"
    rank=0
    while [ "$rank" -lt "$ranks" ]; do
        contains "$out" "rank $rank of $ranks: sum $sum" \
            "mpiexec -n $ranks: rank $rank prints the sum"
        rank=$((rank + 1))
    done
    is "$(printf '%s\n' "$out" | grep -c '^rank ')" "$ranks" \
        "mpiexec -n $ranks: one line per rank"
    if [ "$status" -ne 0 ]; then
        diag "$out" "$err"
        # A killed mpiexec leaves the containers running.
        as_user_with_config "$PSEUDOPOD" virtual podman rm --force --all \
            --time 0 >/dev/null 2>&1
    fi
    diag "mpiexec -n $ranks took $(elapsed "$run_started") s"
done

diag "mpi.sh took $(elapsed "$started") s"
done_testing
