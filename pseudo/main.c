/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * pseudo: runs a command in a new user namespace with a single mapping of
 * the caller's ids, where the uid_gid and fakeroot_chown modules emulate
 * the credential calls.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core.h"
#include "frontend.h"

struct pseudo_args {
	bool root;
	enum backend backend;
	bool backend_given;
	bool list_modules;
	struct module_args modules;
	char **command;
};

static const char *const default_modules[] = {
	"uid_gid",
	"fakeroot_chown",
	NULL,
};

static void print_usage(FILE *out)
{
	fprintf(out,
		"Usage: pseudo [OPTION]... [--] [COMMAND [ARG]...]\n"
		"Run COMMAND (default: $SHELL) in a new user namespace that "
		"maps only your\n"
		"own uid and gid, emulating the credential system calls so "
		"that set*id,\n"
		"setgroups and chown to other ids succeed as they would for "
		"real root.\n"
		"\n"
		"  --root                     map your ids to 0 and start as "
		"virtual root\n"
		"                             (default: keep your own ids)\n"
		"  --module=+NAME|+/PATH.so   load a module by name or "
		"absolute path\n"
		"  --module=-NAME             do not load module NAME\n"
		"                             (default modules: uid_gid, "
		"fakeroot_chown)\n"
		"  --module-opt=NAME.KEY=VALUE\n"
		"                             set option KEY of module NAME\n"
		"  --backend=ptrace|notify    how the supervisor receives "
		"calls (default\n"
		"                             ptrace; notify is faster, but a "
		"signal handler\n"
		"                             without SA_RESTART can make an "
		"emulated call\n"
		"                             fail with EINTR)\n"
		"  --list-modules             print the modules found, with "
		"their options\n"
		"                             and syscalls, and exit\n"
		"  --debug                    print what the supervisor does\n"
		"  -h, --help                 print this help and exit\n"
		"  --version                  print the version and exit\n"
		"\n"
		"Exit status: COMMAND's status; 128+N if it was killed by "
		"signal N;\n"
		"125 if pseudo itself failed; 126 if COMMAND cannot be run; "
		"127 if it\n"
		"was not found.\n");
}

enum {
	OPT_ROOT = 256,
	OPT_MODULE,
	OPT_MODULE_OPT,
	OPT_DEBUG,
	OPT_VERSION,
	OPT_BACKEND,
	OPT_LIST_MODULES,
};

static const struct option long_options[] = {
	{ "root", no_argument, NULL, OPT_ROOT },
	{ "module", required_argument, NULL, OPT_MODULE },
	{ "module-opt", required_argument, NULL, OPT_MODULE_OPT },
	{ "debug", no_argument, NULL, OPT_DEBUG },
	{ "backend", required_argument, NULL, OPT_BACKEND },
	{ "list-modules", no_argument, NULL, OPT_LIST_MODULES },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

/*
 * Parses the command line.  Returns -1 to go on, or the exit status when
 * pseudo should exit now (after --help, --version or an invalid option).
 */
static int parse_args(int argc, char **argv, struct pseudo_args *args)
{
	int option;

	/* getopt prints what is wrong: unknown, ambiguous, or missing its
	 * value. */
	opterr = 1;
	argv[0] = (char *)log_program();
	while ((option = getopt_long(argc, argv, "+h", long_options, NULL)) !=
	       -1) {
		switch (option) {
		case OPT_ROOT:
			args->root = true;
			break;
		case OPT_MODULE:
			if (module_args_add_spec(&args->modules, optarg))
				return EXIT_PSEUDO_FAILURE;
			break;
		case OPT_MODULE_OPT:
			if (module_args_add_option(&args->modules, optarg))
				return EXIT_PSEUDO_FAILURE;
			break;
		case OPT_DEBUG:
			log_set_level(PSEUDO_LOG_DEBUG);
			break;
		case OPT_LIST_MODULES:
			args->list_modules = true;
			break;
		case OPT_BACKEND:
			if (frontend_parse_backend(optarg, &args->backend))
				return EXIT_PSEUDO_FAILURE;
			args->backend_given = true;
			break;
		case 'h':
			print_usage(stdout);
			return 0;
		case OPT_VERSION:
			frontend_print_version();
			return 0;
		default:
			error_msg("see 'pseudo --help' for the options");
			return EXIT_PSEUDO_FAILURE;
		}
	}
	if (args->list_modules && argv[optind]) {
		error_msg("--list-modules takes no command, but got '%s'",
			  argv[optind]);
		return EXIT_PSEUDO_FAILURE;
	}
	args->command = &argv[optind];
	return -1;
}

static int run(struct pseudo_args *args)
{
	char uid[16];
	char gid[16];
	struct preset_option presets[] = {
		{ "uid_gid", "uid", uid },
		{ "uid_gid", "gid", gid },
	};
	char *shell[] = { (char *)frontend_default_shell(), NULL };
	struct site_config site;
	struct module_request request = {
		.defaults = default_modules,
		.site = &site,
		.args = &args->modules,
		.presets = presets,
		.preset_count = sizeof(presets) / sizeof(presets[0]),
	};
	struct module_list modules;
	struct launch_config config = {
		.argv = args->command[0] ? args->command : shell,
		.userns = {
			.mapping = USERNS_SINGLE,
			.inner_uid = args->root ? 0 : getuid(),
			.inner_gid = args->root ? 0 : getgid(),
		},
		.modules = &modules,
		.install_filter = true,
	};
	int status = EXIT_PSEUDO_FAILURE;

	snprintf(uid, sizeof(uid), "%u", (unsigned int)config.userns.inner_uid);
	snprintf(gid, sizeof(gid), "%u", (unsigned int)config.userns.inner_gid);
	module_list_init(&modules);
	if (frontend_add_module_dirs(&modules))
		goto out;
	if (args->list_modules) {
		status = frontend_list_modules(&modules, NULL);
		goto out;
	}
	if (site_config_read(&site, site_config_path()))
		goto out;
	config.backend =
		frontend_choose_backend(args->backend, args->backend_given);
	if (frontend_load_modules(&modules, &request) == 0)
		status = launch_run(&config);
	site_config_free(&site);
out:
	module_list_fini_all(&modules);
	module_list_free(&modules);
	return status;
}

int main(int argc, char **argv)
{
	struct pseudo_args args = { 0 };
	int status;

	log_set_program("pseudo");
	status = parse_args(argc, argv, &args);
	if (status < 0)
		status = run(&args);
	module_args_free(&args.modules);
	return status;
}
