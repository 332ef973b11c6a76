/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* Command-line handling shared by the pseudo and pseudopod front ends. */
#ifndef PSEUDO_FRONTEND_H
#define PSEUDO_FRONTEND_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "core.h"

/* The --module and --module-opt arguments of a command line, in order. */
struct module_args {
	const char **specs;
	size_t spec_count;
	const char **options;
	size_t option_count;
};

/* The site configuration file, read into --module and --module-opt
 * arguments. */
struct site_config {
	/* The file read, and the line each --module and --module-opt came
	 * from. */
	const char *path;
	struct module_args args;
	unsigned int *spec_lines;
	unsigned int *option_lines;
	char **strings;
	size_t string_count;
};

/* The site configuration's path: $PSEUDOPOD_CONFIG, else
 * SYSCONFDIR/pseudopod/pseudopod.conf.  Empty means none. */
const char *site_config_path(void);
/*
 * Reads the site configuration at PATH; a missing file at the default
 * path is an empty configuration.  Returns 0, or a negative error number
 * after printing the file, the line and what is wrong.
 */
int site_config_read(struct site_config *config, const char *path);
void site_config_free(struct site_config *config);

/* An option value the front end sets for a module, when that module is
 * loaded. */
struct preset_option {
	const char *module;
	const char *key;
	const char *value;
};

/*
 * Records a --module argument: "+NAME", "+/ABSOLUTE/PATH.so" or "-NAME".
 * Returns 0, or -EINVAL after printing what is wrong with it.
 */
int module_args_add_spec(struct module_args *args, const char *spec);
/* Records a --module-opt argument. */
int module_args_add_option(struct module_args *args, const char *option);
void module_args_free(struct module_args *args);

/* The modules a front end loads, and their options. */
struct module_request {
	/* Modules compiled into the front end, NULL-terminated, or NULL. */
	const struct pseudo_module *const *builtins;
	/* The front end's default modules, NULL-terminated. */
	const char *const *defaults;
	/* The site configuration's modules and options, or NULL. */
	const struct site_config *site;
	/* The command line's --module and --module-opt. */
	const struct module_args *args;
	/* Options the front end sets, for the modules that are loaded. */
	const struct preset_option *presets;
	size_t preset_count;
};

/*
 * Loads the default modules, then the site's, changed by the --module
 * arguments; a name found among the builtins is not searched in the
 * module directories.  Then it sets the presets, the site's options (for
 * the modules still loaded) and the --module-opt arguments, in that
 * order, and runs the modules' init hooks.  Returns 0, or a negative
 * error number after printing what failed.
 */
int frontend_load_modules(struct module_list *list,
			  const struct module_request *request);

/*
 * Prints every module found in the module directories and among
 * BUILTINS: its summary, options, syscalls and file.  Returns 0, or 1
 * when some module could not be loaded.
 */
int frontend_list_modules(struct module_list *list,
			  const struct pseudo_module *const *builtins);

/* Adds the module directories: $PSEUDOPOD_MODULE_PATH, then the build
 * tree's when the program runs from it, else the installed one. */
int frontend_add_module_dirs(struct module_list *list);

/*
 * Parses --backend=VALUE: ptrace or notify.  Returns 0, or -EINVAL after
 * printing what is wrong.
 */
int frontend_parse_backend(const char *value, enum backend *backend);

/* Chooses the backend to run: the requested one, or ptrace when the kernel
 * lacks user notification.  --debug prints which and why. */
enum backend frontend_choose_backend(enum backend requested, bool given);

/* The command to run when none is given: $SHELL, else /bin/sh. */
const char *frontend_default_shell(void);

/* Prints "PROGRAM VERSION". */
void frontend_print_version(void);

#endif /* PSEUDO_FRONTEND_H */
