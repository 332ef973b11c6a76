#!/bin/sh
# Slurm's srun, with its PMI-2 plugin, starts one "pseudopod podman run"
# per rank on a one-node cluster that tests/slurm-cluster starts.  The ranks
# run as a user without subordinate ids, and every rank of the MPI example
# prints the sum of all ranks.  Without '$PRESERVE_FDS' the container gets
# no PMI descriptor and MPI_Init fails.
# shellcheck source=tests/integration/lib.sh
. "$SOURCE_ROOT/tests/integration/lib.sh"

cluster=$SOURCE_ROOT/tests/slurm-cluster
config=$SOURCE_ROOT/examples/podman-config
example=$SOURCE_ROOT/examples/mpi
# The image names and tarball path of mpi.sh, so that both tests share the
# image, Podman's layer cache and the day's root file system tarball.
image=localhost/pseudopod-test-mpi:latest
base=localhost/pseudopod-test-debian-base:12
tarball=/var/tmp/pseudopod-debian-bookworm-$(date +%Y%m%d).tar

# Seconds after which timeout sends srun SIGTERM, which srun forwards to
# the tasks, and SIGKILL 10 s later.  4 ranks take about 1 s.
run_timeout=120

# The lock that one run of this test holds, and the seconds that another
# run waits for it.
lock=/run/pseudopod-slurm.lock
lock_timeout=600

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

# Runs allreduce as the test user in RANKS containers, one "pseudopod
# podman run" per srun task, and stores the result as capture does.  The
# arguments after RANKS come first among the "podman run" options.
# examples/mpi/run explains the other "podman run" options.
#   --overcommit       starts more tasks than the node has CPUs.  Without
#                      it, 4 tasks on a 2-CPU node wait in the queue
#                      ("Requested partition configuration not available
#                      now").
#   --kill-on-bad-exit ends the step when one rank fails, so the other
#                      ranks do not wait for it.
srun_allreduce() {
    ranks=$1
    shift
    capture as_user_with_config timeout -k 10 "$run_timeout" \
        srun --mpi=pmi2 --overcommit --kill-on-bad-exit=1 \
        --ntasks="$ranks" "$PSEUDOPOD" podman run "$@" \
        -e PMI_FD -e PMI_RANK -e PMI_SIZE --ipc=host --tmpfs /dev/mqueue \
        --rm "$image" /usr/local/bin/allreduce
}

# Removes the containers that a failed or killed run may leave behind.
remove_containers() {
    as_user_with_config "$PSEUDOPOD" podman rm --force --all --time 0 \
        >/dev/null 2>&1
}

stop_cluster() {
    stop_started=$(date +%s.%N)
    "$cluster" stop 2>&1 | sed 's/^/# /'
    diag "cluster stop took $(elapsed "$stop_started") s"
}

[ "$(id -u)" -eq 0 ] ||
    skip_all "needs root to start the Slurm daemons (tests/slurm-cluster)"
command -v srun >/dev/null 2>&1 ||
    skip_all "srun is not installed (Debian packages slurmd slurmctld slurm-client munge)"
for program in mpicc debootstrap; do
    command -v "$program" >/dev/null 2>&1 || [ -x "/usr/sbin/$program" ] ||
        skip_all "$program is not installed (see tests/setup-machine)"
done

# Two runs at once, from two build directories for example, would start
# and stop the same daemons under each other.  So this script runs itself
# again under flock, and a second run waits for the first.  With --close
# only flock holds the lock, not the daemons that the run starts.
if [ -z "${PSEUDOPOD_SLURM_TEST_LOCKED:-}" ]; then
    PSEUDOPOD_SLURM_TEST_LOCKED=1 flock --close --timeout "$lock_timeout" \
        --conflict-exit-code 75 "$lock" sh "$0"
    status=$?
    if [ "$status" -eq 75 ]; then
        echo "Bail out! another run held $lock for $lock_timeout s"
    fi
    exit "$status"
fi

started=$(date +%s.%N)

# This trap replaces the one of lib.sh, which removes $WORK, so it removes
# $WORK too.
trap 'stop_cluster; rm -rf "$WORK"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

capture "$cluster" start
is "$status" 0 "slurm-cluster start succeeds"
if [ "$status" -ne 0 ]; then
    diag "$out" "$err"
    done_testing
    exit
fi
diag "cluster start took $(elapsed "$started") s"

# The same build as in mpi.sh.  The image installs libmpich12 from the
# Debian mirror, and the base image comes from $tarball, or from
# debootstrap in fakeroot mode when $tarball is missing.  With the base
# image and the layers cached, the build took 0.3 to 0.7 s on a 2-core
# machine.
build_started=$(date +%s.%N)
capture as_user_with_config PODMAN="$PSEUDOPOD virtual podman" \
    BASE_IMAGE="$base" ROOTFS_TARBALL="$tarball" \
    AS_ROOT="$PSEUDOPOD fakeroot" "$example/build" "$image"
is "$status" 0 "MPI image build succeeds"
if [ "$status" -ne 0 ]; then
    diag "$out" "$err"
    done_testing
    exit
fi
diag "image build took $(elapsed "$build_started") s"

for ranks in 2 4; do
    sum=$((ranks * (ranks - 1) / 2))
    run_started=$(date +%s.%N)
    # shellcheck disable=SC2016 # pseudopod expands '$PRESERVE_FDS' itself.
    srun_allreduce "$ranks" '$PRESERVE_FDS'
    is "$status" 0 "srun -n $ranks exits 0"
    rank=0
    while [ "$rank" -lt "$ranks" ]; do
        is "$(printf '%s\n' "$out" | grep -cxF "rank $rank of $ranks: sum $sum")" 1 \
            "srun -n $ranks: rank $rank prints the sum once"
        rank=$((rank + 1))
    done
    is "$(printf '%s\n' "$out" | grep -c '^rank ')" "$ranks" \
        "srun -n $ranks: one line per rank"
    is "$(printf '%s\n' "$out" | sed -n 's/^rank \([0-9]*\) of .*/\1/p' |
        sort -u | wc -l)" "$ranks" \
        "srun -n $ranks: every rank has its own number"
    if [ "$status" -ne 0 ]; then
        diag "$out" "$err"
        remove_containers
    fi
    diag "srun -n $ranks took $(elapsed "$run_started") s"
done

# Without '$PRESERVE_FDS' Podman passes only descriptors 0 to 2 into the
# container, so PMI_FD=3 names no open descriptor there.  MPICH 4.0.2 then
# prints "Unable to write to PMI_fd", and MPI_Init fails with
# "PMI_Get_appnum returned -1" within about 0.5 s.
run_started=$(date +%s.%N)
srun_allreduce 2
[ "$status" -ne 0 ]
report $? "srun without \$PRESERVE_FDS fails"
lacks "$out" ": sum " "srun without \$PRESERVE_FDS: no rank prints a sum"
contains "$err" "Unable to write to PMI_fd" \
    "srun without \$PRESERVE_FDS: MPICH cannot write to the PMI descriptor"
case $status in
0) diag "$out" "$err" ;;
124 | 137)
    # timeout stopped srun, so containers may still be running.
    diag "$out" "$err"
    remove_containers
    ;;
esac
diag "srun without \$PRESERVE_FDS took $(elapsed "$run_started") s"

diag "slurm.sh took $(elapsed "$started") s"
done_testing
