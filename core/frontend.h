/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* Command-line handling shared by the pseudo and pseudopod front ends. */
#ifndef PSEUDO_FRONTEND_H
#define PSEUDO_FRONTEND_H

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

/*
 * Loads DEFAULTS (NULL-terminated names) changed by the --module
 * arguments, taking a name from BUILTINS (NULL-terminated, may be NULL)
 * before searching the module directories.  Then it sets PRESETS and the
 * --module-opt arguments, and runs the modules' init hooks.  Returns 0,
 * or a negative error number after printing what failed.
 */
int frontend_load_modules(struct module_list *list,
			  const struct pseudo_module *const *builtins,
			  const char *const *defaults,
			  const struct module_args *args,
			  const struct preset_option *presets,
			  size_t preset_count);

/* Adds the module directories: $PSEUDOPOD_MODULE_PATH, then the build
 * tree's when the program runs from it, else the installed one. */
int frontend_add_module_dirs(struct module_list *list);

/*
 * Parses --backend=VALUE: ptrace or notify.  Returns 0, or -EINVAL after
 * printing what is wrong.
 */
int frontend_parse_backend(const char *value, enum backend *backend);

/* Chooses the backend to run: the requested one, or ptrace when the kernel
 * lacks user notification; --debug says which and why. */
enum backend frontend_choose_backend(enum backend requested, bool given);

/* The command to run when none is given: $SHELL, else /bin/sh. */
const char *frontend_default_shell(void);

/* Prints "PROGRAM VERSION". */
void frontend_print_version(void);

#endif /* PSEUDO_FRONTEND_H */
