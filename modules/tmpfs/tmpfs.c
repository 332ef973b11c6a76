/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * tmpfs: mounts tmpfs file systems in the command's mount namespace, and
 * gives the command a runtime directory, /run/user/UID with UID the
 * caller's uid, pointed to by XDG_RUNTIME_DIR.
 *
 * Podman keeps its runtime state there.  When it finds no marker of its
 * own in that directory it assumes the machine rebooted and resets the
 * state of every container in the user's database, which breaks the
 * user's other Podman processes running at that moment.  Several
 * instances of one user on one node (the ranks of an MPI job) must
 * therefore share one directory: with run=on, /run/user/UID is a bind
 * mount of a user-private directory on the node's /dev/shm.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pseudo/module.h>

#define RUN_USER "/run/user"
#define SHARED_PARENT "/dev/shm"

enum run_mode {
	RUN_OFF,
	/* A directory on /dev/shm, shared by the user's instances. */
	RUN_SHARED,
	/* A fresh tmpfs per instance. */
	RUN_PRIVATE,
};

struct tmpfs_config {
	enum run_mode run;
	/* /run/user/UID. */
	char run_dir[64];
	/* /dev/shm/pseudopod-UID. */
	char shared_dir[64];
};

static int parse_run_mode(struct pseudo_module_ctx *ctx, const char *value,
			  enum run_mode *mode)
{
	if (strcmp(value, "on") == 0)
		*mode = RUN_SHARED;
	else if (strcmp(value, "private") == 0)
		*mode = RUN_PRIVATE;
	else if (strcmp(value, "off") == 0)
		*mode = RUN_OFF;
	else {
		pseudo_error(ctx,
			     "invalid run mode '%s': expected on, "
			     "private or off",
			     value);
		return -EINVAL;
	}
	return 0;
}

static int check_paths(struct pseudo_module_ctx *ctx)
{
	size_t count;
	const char *const *paths = pseudo_option_values(ctx, "path", &count);

	for (size_t i = 0; i < count; i++) {
		if (paths[i][0] == '/')
			continue;
		pseudo_error(ctx,
			     "invalid tmpfs path '%s': give an absolute path",
			     paths[i]);
		return -EINVAL;
	}
	return 0;
}

/*
 * Creates the shared directory, or checks the existing one: another user
 * could otherwise have placed a symbolic link or a directory of theirs
 * there and read or replace the user's Podman state.
 */
static int prepare_shared_dir(struct pseudo_module_ctx *ctx, const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		pseudo_error(ctx,
			     "cannot create the runtime directory '%s': "
			     "%s",
			     dir, strerror(errno));
		return -errno;
	}
	if (lstat(dir, &st) < 0) {
		pseudo_error(ctx, "cannot read the runtime directory '%s': %s",
			     dir, strerror(errno));
		return -errno;
	}
	if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode)) {
		pseudo_error(ctx,
			     "the runtime directory '%s' is %s, not a "
			     "directory; remove it, or use --mount-run=private",
			     dir,
			     S_ISLNK(st.st_mode) ? "a symbolic link"
						 : "another kind of file");
		return -ENOTDIR;
	}
	if (st.st_uid != pseudo_caller_uid()) {
		pseudo_error(ctx,
			     "the runtime directory '%s' belongs to uid %u, "
			     "not to you (uid %u); ask its owner or an "
			     "administrator to remove it, or use "
			     "--mount-run=private",
			     dir, (unsigned int)st.st_uid,
			     (unsigned int)pseudo_caller_uid());
		return -EPERM;
	}
	if (st.st_mode & 077) {
		pseudo_error(ctx,
			     "the runtime directory '%s' is accessible to "
			     "others (mode %04o); run 'chmod 700 %s'",
			     dir, (unsigned int)(st.st_mode & 07777), dir);
		return -EPERM;
	}
	return 0;
}

static int tmpfs_init(struct pseudo_module_ctx *ctx)
{
	struct tmpfs_config *config;
	uid_t uid = pseudo_caller_uid();
	int err;

	config = calloc(1, sizeof(*config));
	if (!config)
		return -ENOMEM;
	pseudo_set_data(ctx, config);
	err = parse_run_mode(ctx, pseudo_option(ctx, "run"), &config->run);
	if (!err)
		err = check_paths(ctx);
	if (err)
		return err;
	snprintf(config->run_dir, sizeof(config->run_dir), RUN_USER "/%u",
		 (unsigned int)uid);
	snprintf(config->shared_dir, sizeof(config->shared_dir),
		 SHARED_PARENT "/pseudopod-%u", (unsigned int)uid);
	if (config->run == RUN_SHARED)
		return prepare_shared_dir(ctx, config->shared_dir);
	return 0;
}

static void tmpfs_fini(struct pseudo_module_ctx *ctx)
{
	free(pseudo_data(ctx));
}

static int mount_tmpfs(struct pseudo_module_ctx *ctx, const char *path,
		       const char *options)
{
	if (mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, options) == 0)
		return 0;
	pseudo_error(ctx, "cannot mount a tmpfs on '%s': %s", path,
		     strerror(errno));
	return -errno;
}

static int bind_mount(struct pseudo_module_ctx *ctx, const char *source,
		      const char *target)
{
	if (mount(source, target, NULL, MS_BIND, NULL) == 0)
		return 0;
	pseudo_error(ctx, "cannot bind-mount '%s' on '%s': %s", source, target,
		     strerror(errno));
	return -errno;
}

static int set_runtime_dir(struct pseudo_module_ctx *ctx, const char *dir)
{
	if (setenv("XDG_RUNTIME_DIR", dir, 1) == 0)
		return 0;
	pseudo_error(ctx, "cannot set XDG_RUNTIME_DIR: %s", strerror(errno));
	return -errno;
}

/*
 * Without /run/user on the host, nothing can be mounted there: the
 * command uses the shared directory itself, made private to this instance
 * by a tmpfs over it in private mode.
 */
static int setup_without_run_user(struct pseudo_module_ctx *ctx,
				  const struct tmpfs_config *config)
{
	int err = 0;

	pseudo_log(ctx, PSEUDO_LOG_WARNING,
		   "the host has no " RUN_USER ": XDG_RUNTIME_DIR is %s "
		   "instead of %s",
		   config->shared_dir, config->run_dir);
	if (config->run == RUN_PRIVATE)
		err = prepare_shared_dir(ctx, config->shared_dir);
	if (!err && config->run == RUN_PRIVATE)
		err = mount_tmpfs(ctx, config->shared_dir, "mode=0700");
	if (!err)
		err = set_runtime_dir(ctx, config->shared_dir);
	return err;
}

static int setup_run_dir(struct pseudo_module_ctx *ctx,
			 const struct tmpfs_config *config)
{
	struct stat st;
	int err;

	if (stat(RUN_USER, &st) < 0 || !S_ISDIR(st.st_mode))
		return setup_without_run_user(ctx, config);
	err = mount_tmpfs(ctx, RUN_USER, "mode=0755");
	if (err)
		return err;
	if (mkdir(config->run_dir, 0700) < 0) {
		pseudo_error(ctx, "cannot create '%s': %s", config->run_dir,
			     strerror(errno));
		return -errno;
	}
	if (config->run == RUN_SHARED) {
		err = bind_mount(ctx, config->shared_dir, config->run_dir);
		if (err)
			return err;
	}
	return set_runtime_dir(ctx, config->run_dir);
}

static int tmpfs_before_exec(struct pseudo_module_ctx *ctx)
{
	const struct tmpfs_config *config = pseudo_data(ctx);
	size_t count;
	const char *const *paths = pseudo_option_values(ctx, "path", &count);
	int err = 0;

	if (config->run != RUN_OFF)
		err = setup_run_dir(ctx, config);
	for (size_t i = 0; i < count && !err; i++)
		err = mount_tmpfs(ctx, paths[i], NULL);
	return err;
}

static const struct pseudo_option tmpfs_options[] = {
	{ "path", "mount a tmpfs on this absolute path (repeatable)", NULL },
	{ "run",
	  "runtime directory /run/user/UID: on (shared by your instances on "
	  "this node), private (one tmpfs per instance) or off",
	  "off" },
	{ 0 },
};

static const struct pseudo_module tmpfs_module = {
	.abi_version = PSEUDO_MODULE_ABI_VERSION,
	.name = "tmpfs",
	.summary = "mounts tmpfs file systems and the runtime directory "
		   "/run/user/UID",
	.options = tmpfs_options,
	.init = tmpfs_init,
	.fini = tmpfs_fini,
	.child_before_exec = tmpfs_before_exec,
};

PSEUDO_MODULE(tmpfs_module)
