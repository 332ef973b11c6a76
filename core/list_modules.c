/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* --list-modules: the modules a front end can load, described. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend.h"

/* Prints the distinct names of the module's syscall rows. */
static void print_syscalls(const struct pseudo_module *desc)
{
	const struct pseudo_syscall *rows = desc->syscalls;
	size_t printed = 0;

	printf("  syscalls:");
	for (size_t i = 0; rows && rows[i].name; i++) {
		bool seen = false;

		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(rows[j].name, rows[i].name) == 0;
		if (seen)
			continue;
		printf(" %s", rows[i].name);
		if (rows[i].action == PSEUDO_ACTION_ERRNO &&
		    rows[i].errno_value == 0)
			printf("=0");
		else if (rows[i].action == PSEUDO_ACTION_ERRNO)
			printf("=-%s", strerrorname_np(rows[i].errno_value));
		printed++;
	}
	if (!printed)
		printf(" none in its table");
	printf("\n");
}

static void print_module(const struct pseudo_module_ctx *ctx)
{
	const struct pseudo_module *desc = ctx->desc;

	printf("%s\n", desc->name);
	printf("  file: %s\n", ctx->path ? ctx->path : "built in");
	if (desc->summary)
		printf("  summary: %s\n", desc->summary);
	for (const struct pseudo_option *o = desc->options; o && o->key; o++) {
		printf("  option %s.%s: %s", desc->name, o->key,
		       o->help ? o->help : "");
		if (o->default_value)
			printf(" (default: %s)", o->default_value);
		printf("\n");
	}
	print_syscalls(desc);
}

static int compare_names(const void *a, const void *b)
{
	const struct pseudo_module_ctx *x =
		*(struct pseudo_module_ctx *const *)a;
	const struct pseudo_module_ctx *y =
		*(struct pseudo_module_ctx *const *)b;

	return strcmp(x->desc->name, y->desc->name);
}

/* Loads every *.so of DIR not loaded yet: the first directory of the
 * search path wins, as it does for --module=+NAME. */
static int load_directory(struct module_list *list, const char *dir)
{
	struct dirent *entry;
	DIR *stream = opendir(dir);
	int failures = 0;

	if (!stream)
		return 0;
	while ((entry = readdir(stream))) {
		size_t length = strlen(entry->d_name);
		char name[256];
		char path[4096];

		if (length < 4 || strcmp(entry->d_name + length - 3, ".so"))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(length - 3),
			 entry->d_name);
		if (module_list_find(list, name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, entry->d_name);
		if (module_list_load(list, path))
			failures++;
	}
	closedir(stream);
	return failures;
}

int frontend_list_modules(struct module_list *list,
			  const struct pseudo_module *const *builtins)
{
	int failures = 0;

	for (size_t i = 0; builtins && builtins[i]; i++)
		if (module_list_add_builtin(list, builtins[i]))
			failures++;
	for (size_t i = 0; i < list->search_dir_count; i++)
		failures += load_directory(list, list->search_dirs[i]);
	qsort(list->items, list->count, sizeof(list->items[0]), compare_names);
	for (size_t i = 0; i < list->count; i++) {
		if (i)
			printf("\n");
		print_module(list->items[i]);
	}
	return failures ? 1 : 0;
}
