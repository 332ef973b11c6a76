/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* The command line of pseudopod. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pseudopod.h"

const char *const mode_names[] = {
	[MODE_AUTO] = "auto",
	[MODE_SUBUID] = "subuid",
	[MODE_VIRTUAL] = "virtual",
	[MODE_FAKEROOT] = "fakeroot",
};

static void print_usage(FILE *out)
{
	fprintf(out,
		"Usage: pseudopod [MODE] [OPTION]... [--] [COMMAND [ARG]...]\n"
		"Run COMMAND (default: $SHELL), typically 'podman build' or "
		"'podman run',\n"
		"in a user namespace where it acts as root, without needing "
		"your own\n"
		"/etc/subuid and /etc/subgid ranges.\n"
		"\n"
		"MODE (case-insensitive, default auto):\n"
		"  auto      subuid when you have subordinate ranges of at "
		"least 65536 ids\n"
		"            and usable newuidmap/newgidmap, else virtual\n"
		"  subuid    map root to you and 1.. to your subordinate "
		"ranges; no emulation\n"
		"  virtual   map only root to you; a supervisor emulates "
		"set*id, setgroups\n"
		"            and chown to other ids, per thread, with the "
		"kernel's rules\n"
		"  fakeroot  map only root to you; the seccomp filter returns "
		"0 for set*id,\n"
		"            setgroups and chown calls, with no supervisor. "
		"The process stays\n"
		"            uid 0: 'su app -c id' still prints uid=0.\n"
		"\n"
		"Options:\n"
		"  --mount-run=on|private|off\n"
		"                 /run/user/UID and XDG_RUNTIME_DIR: on "
		"(default) shares one\n"
		"                 directory under /dev/shm between your "
		"instances on this node,\n"
		"                 as Podman needs when several run at once; "
		"private mounts a\n"
		"                 tmpfs per instance; off mounts nothing\n"
		"  --mount-tmpfs=PATH\n"
		"                 mount a tmpfs on absolute PATH "
		"(repeatable)\n"
		"  --trace=on|off, --tracer=on|off\n"
		"                 virtual mode: off installs no seccomp "
		"filter, for use with\n"
		"                 podman --security-opt "
		"seccomp=trace.json; the supervisor\n"
		"                 still serves the calls that profile "
		"traces (default on)\n"
		"  --module=+NAME|+/PATH.so|-NAME\n"
		"                 add or remove a module\n"
		"  --module-opt=NAME.KEY=VALUE\n"
		"                 set option KEY of module NAME\n"
		"  --backend=ptrace|notify\n"
		"                 how the supervisor receives the calls: "
		"ptrace "
		"(default) or\n"
		"                 seccomp user notification, faster and "
		"leaving "
		"ptrace to gdb\n"
		"                 and strace, but a signal handler without "
		"SA_RESTART can\n"
		"                 make an emulated call fail with EINTR\n"
		"  --list-modules print the modules found, with their options "
		"and syscalls,\n"
		"                 and exit\n"
		"  --debug        print what pseudopod and its supervisor do\n"
		"  -h, --help     print this help and exit\n"
		"  --version      print the version and exit\n"
		"\n"
		"An argument that is exactly '$PRESERVE_FDS' (quoted so that "
		"no shell expands\n"
		"it) becomes --preserve-fds=1 when an MPI launcher set "
		"PMI_FD, and is dropped\n"
		"otherwise:  mpiexec -n 4 pseudopod podman run "
		"'$PRESERVE_FDS' IMAGE\n"
		"\n"
		"Exit status: COMMAND's status; 128+N if it was killed by "
		"signal N;\n"
		"125 if pseudopod itself failed; 126 if COMMAND cannot be "
		"run; 127 if it\n"
		"was not found.\n");
}

enum {
	OPT_MOUNT_RUN = 256,
	OPT_MOUNT_TMPFS,
	OPT_TRACE,
	OPT_MODULE,
	OPT_MODULE_OPT,
	OPT_DEBUG,
	OPT_VERSION,
	OPT_BACKEND,
	OPT_LIST_MODULES,
};

static const struct option long_options[] = {
	{ "mount-run", required_argument, NULL, OPT_MOUNT_RUN },
	{ "mount-tmpfs", required_argument, NULL, OPT_MOUNT_TMPFS },
	{ "trace", required_argument, NULL, OPT_TRACE },
	{ "tracer", required_argument, NULL, OPT_TRACE },
	{ "module", required_argument, NULL, OPT_MODULE },
	{ "module-opt", required_argument, NULL, OPT_MODULE_OPT },
	{ "debug", no_argument, NULL, OPT_DEBUG },
	{ "backend", required_argument, NULL, OPT_BACKEND },
	{ "list-modules", no_argument, NULL, OPT_LIST_MODULES },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

/* The mode ARGUMENT names exactly, ignoring case, or -1. */
static int parse_mode(const char *argument)
{
	for (size_t i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if (strcasecmp(argument, mode_names[i]) == 0)
			return (int)i;
	return -1;
}

static int parse_on_off(const char *option, const char *value, bool *result)
{
	if (strcmp(value, "on") == 0)
		*result = true;
	else if (strcmp(value, "off") == 0)
		*result = false;
	else {
		error_msg("invalid %s '%s': expected on or off", option, value);
		return -EINVAL;
	}
	return 0;
}

static int add_tmpfs_path(struct pseudopod_args *args, const char *path)
{
	const char **paths;

	if (path[0] != '/') {
		error_msg("invalid --mount-tmpfs '%s': give an absolute path",
			  path);
		return -EINVAL;
	}
	paths = reallocarray(args->tmpfs_paths, args->tmpfs_count + 1,
			     sizeof(*paths));
	if (!paths)
		return -ENOMEM;
	paths[args->tmpfs_count++] = path;
	args->tmpfs_paths = paths;
	return 0;
}

/* NAME is the long option's name as given, with its dashes; ARGUMENT is
 * the last word getopt read, for unknown options. */
static int parse_option(struct pseudopod_args *args, int option,
			const char *name, const char *argument)
{
	switch (option) {
	case OPT_MOUNT_RUN:
		if (strcmp(optarg, "on") && strcmp(optarg, "private") &&
		    strcmp(optarg, "off")) {
			error_msg("invalid --mount-run '%s': expected on, "
				  "private or off",
				  optarg);
			return -EINVAL;
		}
		args->mount_run = optarg;
		args->mount_run_given = true;
		return 0;
	case OPT_MOUNT_TMPFS:
		return add_tmpfs_path(args, optarg);
	case OPT_TRACE:
		args->trace_given = true;
		return parse_on_off(name, optarg, &args->trace);
	case OPT_MODULE:
		return module_args_add_spec(&args->modules, optarg);
	case OPT_MODULE_OPT:
		return module_args_add_option(&args->modules, optarg);
	case OPT_DEBUG:
		log_set_level(PSEUDO_LOG_DEBUG);
		return 0;
	case OPT_LIST_MODULES:
		args->list_modules = true;
		return 0;
	case OPT_BACKEND:
		args->backend_given = true;
		return frontend_parse_backend(optarg, &args->backend);
	}
	error_msg("see 'pseudopod --help' for the options");
	return -EINVAL;
}

int pseudopod_parse_args(int argc, char **argv, struct pseudopod_args *args)
{
	int option;
	int index;
	int mode;

	args->mount_run = "on";
	args->trace = true;
	if (argc > 1 && (mode = parse_mode(argv[1])) >= 0) {
		args->mode = mode;
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	/* getopt prints what is wrong: unknown, ambiguous, or missing its
	 * value. */
	opterr = 1;
	argv[0] = (char *)log_program();
	while ((option = getopt_long(argc, argv, "+h", long_options, &index)) !=
	       -1) {
		char name[32] = "";

		if (option == 'h') {
			print_usage(stdout);
			return 0;
		}
		if (option == OPT_VERSION) {
			frontend_print_version();
			return 0;
		}
		if (option != '?')
			snprintf(name, sizeof(name), "--%s",
				 long_options[index].name);
		if (parse_option(args, option, name, argv[optind - 1]))
			return EXIT_PSEUDO_FAILURE;
	}
	args->command = &argv[optind];
	if (args->list_modules && args->command[0]) {
		error_msg("--list-modules takes no command, but got '%s'",
			  args->command[0]);
		return EXIT_PSEUDO_FAILURE;
	}
	/* "pseudopod --debug virtual ..." would run a program "virtual";
	 * after "--" it is one. */
	if (args->command[0] && parse_mode(args->command[0]) >= 0 &&
	    strcmp(argv[optind - 1], "--") != 0) {
		error_msg("the mode '%s' must come first: pseudopod %s "
			  "[OPTION]... [COMMAND]",
			  args->command[0], args->command[0]);
		return EXIT_PSEUDO_FAILURE;
	}
	return -1;
}

/* The argument that "$PRESERVE_FDS", single-quoted by the user, stands
 * for. */
#define PRESERVE_FDS_ARGUMENT "$PRESERVE_FDS"

void pseudopod_substitute_preserve_fds(char **argv, const char *value)
{
	size_t out = 0;

	for (size_t in = 0; argv[in]; in++) {
		if (strcmp(argv[in], PRESERVE_FDS_ARGUMENT) != 0)
			argv[out++] = argv[in];
		else if (value && *value)
			argv[out++] = (char *)value;
	}
	argv[out] = NULL;
}

void pseudopod_args_free(struct pseudopod_args *args)
{
	free(args->tmpfs_paths);
	module_args_free(&args->modules);
}
