/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * podman_env: tells Podman that it already runs in the user namespace it
 * needs.
 *
 * Podman 4 in rootless mode re-executes itself in a user namespace it
 * builds from /etc/subuid, unless _CONTAINERS_USERNS_CONFIGURED is set;
 * it then takes the user's real ids from _CONTAINERS_ROOTLESS_UID and
 * _CONTAINERS_ROOTLESS_GID to find its storage and runtime directories.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pseudo/module.h>

static int set_variable(struct pseudo_module_ctx *ctx, const char *name,
			const char *value)
{
	if (setenv(name, value, 1) == 0)
		return 0;
	pseudo_error(ctx, "cannot set %s=%s: %s", name, value, strerror(errno));
	return -errno;
}

static int podman_env_before_exec(struct pseudo_module_ctx *ctx)
{
	char uid[16];
	char gid[16];
	int err;

	snprintf(uid, sizeof(uid), "%u", (unsigned int)pseudo_caller_uid());
	snprintf(gid, sizeof(gid), "%u", (unsigned int)pseudo_caller_gid());
	err = set_variable(ctx, "_CONTAINERS_USERNS_CONFIGURED", "done");
	if (!err)
		err = set_variable(ctx, "_CONTAINERS_ROOTLESS_UID", uid);
	if (!err)
		err = set_variable(ctx, "_CONTAINERS_ROOTLESS_GID", gid);
	return err;
}

static const struct pseudo_module podman_env_module = {
	.abi_version = PSEUDO_MODULE_ABI_VERSION,
	.name = "podman_env",
	.summary = "sets Podman's _CONTAINERS_USERNS_CONFIGURED and "
		   "_CONTAINERS_ROOTLESS_UID/GID",
	.child_before_exec = podman_env_before_exec,
};

PSEUDO_MODULE(podman_env_module)
