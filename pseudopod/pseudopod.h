/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
#ifndef PSEUDOPOD_H
#define PSEUDOPOD_H

#include "core.h"
#include "frontend.h"

extern const struct pseudo_module fakeroot_module;

enum mode {
	MODE_AUTO,
	MODE_SUBUID,
	MODE_VIRTUAL,
	MODE_FAKEROOT,
};

extern const char *const mode_names[];

struct pseudopod_args {
	enum mode mode;
	const char *mount_run;
	bool mount_run_given;
	const char **tmpfs_paths;
	size_t tmpfs_count;
	bool trace;
	bool trace_given;
	enum backend backend;
	bool backend_given;
	bool list_modules;
	struct module_args modules;
	char **command;
};

/*
 * Parses the command line into ARGS.  Returns -1 to go on, or the exit
 * status when pseudopod should exit now: 0 after --help or --version,
 * 125 after an invalid argument, reported on stderr.
 */
int pseudopod_parse_args(int argc, char **argv, struct pseudopod_args *args);
void pseudopod_args_free(struct pseudopod_args *args);

/*
 * Replaces each argument that is exactly "$PRESERVE_FDS" by VALUE, or
 * drops it when VALUE is NULL or empty, in place.
 */
void pseudopod_substitute_preserve_fds(char **argv, const char *value);

#endif /* PSEUDOPOD_H */
