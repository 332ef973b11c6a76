/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * pseudopod: runs Podman, or any command, in a user namespace where it can
 * build and run containers without subordinate id ranges.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pseudopod.h"

/* Reads the caller's subordinate ranges and checks the helpers.  Returns
 * NULL when subuid mode can run, else the reason it cannot. */
static const char *check_subuid(struct userns_config *userns, char *reason,
				size_t size)
{
	char path[4096];
	int err;

	for (int gid = 0; gid < 2; gid++) {
		const char *file = gid ? "/etc/subgid" : "/etc/subuid";
		struct subid_ranges *ranges =
			gid ? &userns->gid_ranges : &userns->uid_ranges;
		int found = subid_find(file, getuid(), ranges);

		if (found == -ENOENT) {
			snprintf(reason, size, "uid %u has no range in %s",
				 (unsigned int)getuid(), file);
			return reason;
		}
		if (found) {
			snprintf(reason, size, "%s cannot be read: %s", file,
				 found == -EINVAL ? "see the message above"
						  : strerror(-found));
			return reason;
		}
	}
	if (userns->uid_ranges.total < 65536 ||
	    userns->gid_ranges.total < 65536) {
		snprintf(reason, size,
			 "the ranges in /etc/subuid and /etc/subgid hold %lu "
			 "and %lu ids, fewer than 65536",
			 userns->uid_ranges.total, userns->gid_ranges.total);
		return reason;
	}
	for (int gid = 0; gid < 2; gid++) {
		const char *name = gid ? "newgidmap" : "newuidmap";

		err = subid_helper_check(name, gid, path, sizeof(path));
		if (err) {
			snprintf(reason, size, "%s %s", name,
				 err == -ENOENT ? "is not installed"
						: "is neither set-user-ID root "
						  "nor carries file "
						  "capabilities");
			return reason;
		}
	}
	return NULL;
}

/* Resolves auto mode and checks subuid mode. */
static int choose_mode(struct pseudopod_args *args,
		       struct userns_config *userns)
{
	bool auto_chosen = args->mode == MODE_AUTO;
	char reason[256];
	const char *problem = NULL;

	if (args->mode == MODE_AUTO || args->mode == MODE_SUBUID)
		problem = check_subuid(userns, reason, sizeof(reason));
	if (args->mode == MODE_AUTO) {
		args->mode = problem ? MODE_VIRTUAL : MODE_SUBUID;
		debug_msg(
			"auto mode chose %s: %s", mode_names[args->mode],
			problem ? problem
				: "subordinate ranges and helpers are usable");
	} else if (args->mode == MODE_SUBUID && problem) {
		error_msg("subuid mode cannot run: %s; ask your administrator "
			  "for ranges, or use 'pseudopod virtual'",
			  problem);
		return -EINVAL;
	}
	if (!args->trace && args->backend == BACKEND_NOTIFY) {
		error_msg("--trace=off needs the ptrace backend: trace.json "
			  "sends calls with SCMP_ACT_TRACE");
		return -EINVAL;
	}
	if (!args->trace && args->mode != MODE_VIRTUAL) {
		error_msg("--trace=off applies to virtual mode only, not to "
			  "%s mode%s; give the mode first: pseudopod virtual "
			  "--trace=off ...",
			  mode_names[args->mode],
			  auto_chosen ? ", which auto mode chose because you "
					"have subordinate ranges"
				      : "");
		return -EINVAL;
	}
	userns->mapping =
		args->mode == MODE_SUBUID ? USERNS_SUBUID : USERNS_SINGLE;
	return 0;
}

static const char *const subuid_modules[] = {
	"tmpfs",
	"podman_env",
	"pmi_fd",
	NULL,
};

static const char *const virtual_modules[] = {
	"uid_gid", "fakeroot_chown", "tmpfs", "podman_env", "pmi_fd", NULL,
};

static const char *const fakeroot_modules[] = {
	"fakeroot", "tmpfs", "podman_env", "pmi_fd", NULL,
};

static const struct pseudo_module *const builtin_modules[] = {
	&fakeroot_module,
	NULL,
};

static const char *const *default_modules(enum mode mode)
{
	switch (mode) {
	case MODE_SUBUID:
		return subuid_modules;
	case MODE_FAKEROOT:
		return fakeroot_modules;
	default:
		return virtual_modules;
	}
}

static void finish_argv(char **argv)
{
	pseudopod_substitute_preserve_fds(argv, getenv("PRESERVE_FDS"));
}

static int load_modules(struct module_list *modules,
			const struct pseudopod_args *args,
			const struct site_config *site)
{
	struct preset_option presets[4 + args->tmpfs_count];
	struct module_request request = {
		.builtins = builtin_modules,
		.defaults = default_modules(args->mode),
		.site = site,
		.args = &args->modules,
		.presets = presets,
	};
	size_t count = 0;

	presets[count++] = (struct preset_option){ "uid_gid", "uid", "0" };
	presets[count++] = (struct preset_option){ "uid_gid", "gid", "0" };
	presets[count++] =
		(struct preset_option){ "tmpfs", "run", args->mount_run };
	for (size_t i = 0; i < args->tmpfs_count; i++)
		presets[count++] =
			(struct preset_option){ "tmpfs", "path",
						args->tmpfs_paths[i] };
	request.preset_count = count;
	return frontend_load_modules(modules, &request);
}

/* --mount-tmpfs and --mount-run act through the tmpfs module. */
static int check_tmpfs_loaded(const struct module_list *modules,
			      const struct pseudopod_args *args)
{
	if (module_list_find(modules, "tmpfs") ||
	    (!args->tmpfs_count && !args->mount_run_given))
		return 0;
	error_msg("%s needs the tmpfs module, which --module=-tmpfs removed",
		  args->tmpfs_count ? "--mount-tmpfs" : "--mount-run");
	return -EINVAL;
}

static int run(struct pseudopod_args *args)
{
	char *shell[] = { (char *)frontend_default_shell(), NULL };
	struct site_config site;
	struct module_list modules;
	struct launch_config config = {
		.argv = args->command[0] ? args->command : shell,
		.finish_argv = finish_argv,
		.modules = &modules,
		.install_filter = args->trace,
		.force_supervisor = !args->trace,
	};
	int status = EXIT_PSEUDO_FAILURE;

	module_list_init(&modules);
	if (frontend_add_module_dirs(&modules))
		goto out;
	if (args->list_modules) {
		status = frontend_list_modules(&modules, builtin_modules);
		goto out;
	}
	config.backend =
		frontend_choose_backend(args->backend, args->backend_given);
	if (choose_mode(args, &config.userns) ||
	    site_config_read(&site, site_config_path()))
		goto out;
	if (load_modules(&modules, args, &site) == 0 &&
	    check_tmpfs_loaded(&modules, args) == 0)
		status = launch_run(&config);
	site_config_free(&site);
out:
	module_list_fini_all(&modules);
	module_list_free(&modules);
	return status;
}

int main(int argc, char **argv)
{
	struct pseudopod_args args = { 0 };
	int status;

	log_set_program("pseudopod");
	status = pseudopod_parse_args(argc, argv, &args);
	if (status < 0)
		status = run(&args);
	pseudopod_args_free(&args);
	return status;
}
