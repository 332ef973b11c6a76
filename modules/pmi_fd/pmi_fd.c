/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * pmi_fd: hands an MPI launcher's PMI descriptor to "podman run".
 *
 * MPICH's and Slurm's launchers give each rank a PMI socket in PMI_FD and
 * leave other descriptors of their own open.  "podman run
 * --preserve-fds=N" passes descriptors 3 to N+2 into the container and
 * requires each of them to be open, so the PMI descriptor moves to 3 and
 * the command gets PMI_FD=3 and PRESERVE_FDS=--preserve-fds=1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pseudo/module.h>

#include "pmi.h"

/* Checks PMI_FD in the front end, so that a bad value stops the run before
 * anything starts. */
static int pmi_fd_init(struct pseudo_module_ctx *ctx)
{
	const char *value = getenv("PMI_FD");
	int fd;

	if (!value)
		return 0;
	fd = pmi_fd_parse(value);
	if (fd == -EINVAL) {
		pseudo_error(ctx,
			     "invalid PMI_FD '%s': expected a descriptor "
			     "number of 3 or more (0 to 2 are the standard "
			     "streams); unset PMI_FD when no MPI launcher "
			     "started this process",
			     value);
		return fd;
	}
	if (fd < 0) {
		pseudo_error(ctx,
			     "invalid PMI_FD '%s': descriptor %s is not open; "
			     "start pseudopod directly from the MPI launcher, "
			     "or unset PMI_FD",
			     value, value);
		return fd;
	}
	return 0;
}

static int pmi_fd_before_exec(struct pseudo_module_ctx *ctx)
{
	const char *value = getenv("PMI_FD");
	int moved_to;
	int fd;
	int err;

	if (!value)
		return 0;
	fd = pmi_fd_parse(value);
	if (fd < 0)
		return pmi_fd_init(ctx);
	err = pmi_fd_move_to_target(fd, &moved_to);
	if (err) {
		pseudo_error(ctx, "cannot move PMI_FD %d to descriptor %d: %s",
			     fd, PMI_TARGET_FD, strerror(-err));
		return err;
	}
	if (moved_to >= 0)
		pseudo_log(ctx, PSEUDO_LOG_DEBUG,
			   "descriptor %d moved to %d to make room for PMI_FD",
			   PMI_TARGET_FD, moved_to);
	if (setenv("PMI_FD", "3", 1) < 0 ||
	    setenv("PRESERVE_FDS", "--preserve-fds=1", 1) < 0) {
		pseudo_error(ctx, "cannot set PMI_FD and PRESERVE_FDS: %s",
			     strerror(errno));
		return -errno;
	}
	return 0;
}

static const struct pseudo_module pmi_fd_module = {
	.abi_version = PSEUDO_MODULE_ABI_VERSION,
	.name = "pmi_fd",
	.summary = "moves an MPI launcher's PMI_FD to descriptor 3 for "
		   "podman run --preserve-fds=1",
	.init = pmi_fd_init,
	.child_before_exec = pmi_fd_before_exec,
};

PSEUDO_MODULE(pmi_fd_module)
