/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* Loading modules, their options and their descriptors. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core.h"

void module_list_init(struct module_list *list)
{
	*list = (struct module_list){ 0 };
}

static void module_free(struct pseudo_module_ctx *ctx)
{
	for (size_t i = 0; i < ctx->value_count; i++) {
		free(ctx->values[i].key);
		free(ctx->values[i].value);
	}
	free(ctx->values);
	free(ctx->value_list);
	for (size_t i = 0; i < ctx->extra_count; i++)
		free((char *)ctx->extra_rows[i].name);
	free(ctx->extra_rows);
	/*
	 * The library stays loaded: a module may have registered functions
	 * (atexit handlers, thread destructors) that run after this.
	 */
	free(ctx->path);
	free(ctx);
}

void module_list_free(struct module_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		module_free(list->items[i]);
	free(list->items);
	for (size_t i = 0; i < list->search_dir_count; i++)
		free(list->search_dirs[i]);
	free(list->search_dirs);
	module_list_init(list);
}

int module_list_add_search_dir(struct module_list *list, const char *dir)
{
	char **dirs;
	char *copy;

	copy = strdup(dir);
	if (!copy)
		return -ENOMEM;
	dirs = reallocarray(list->search_dirs, list->search_dir_count + 1,
			    sizeof(*dirs));
	if (!dirs) {
		free(copy);
		return -ENOMEM;
	}
	dirs[list->search_dir_count++] = copy;
	list->search_dirs = dirs;
	return 0;
}

struct pseudo_module_ctx *module_list_find(const struct module_list *list,
					   const char *name)
{
	for (size_t i = 0; i < list->count; i++)
		if (strcmp(list->items[i]->desc->name, name) == 0)
			return list->items[i];
	return NULL;
}

static bool is_valid_name(const char *name)
{
	if (!name || !*name)
		return false;
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		      *c == '_'))
			return false;
	return true;
}

const char *module_check_descriptor(const struct pseudo_module *desc)
{
	if (!is_valid_name(desc->name))
		return "its name is empty or not made of [a-z0-9_]";
	for (const struct pseudo_option *o = desc->options; o && o->key; o++)
		if (!*o->key || strpbrk(o->key, "=."))
			return "an option key is empty or contains '=' or '.'";
	for (const struct pseudo_syscall *row = desc->syscalls;
	     row && row->name; row++) {
		if (row->action != PSEUDO_ACTION_HANDLE &&
		    row->action != PSEUDO_ACTION_ERRNO)
			return "a syscall row has an unknown action";
		if (row->action == PSEUDO_ACTION_ERRNO &&
		    (row->errno_value < 0 || row->errno_value > 4095))
			return "a syscall row's errno_value is outside 0..4095";
		if (row->action == PSEUDO_ACTION_ERRNO &&
		    (row->enter || row->exit))
			return "a PSEUDO_ACTION_ERRNO row has handlers";
	}
	return NULL;
}

static int module_list_append(struct module_list *list,
			      const struct pseudo_module *desc,
			      const char *path, void *handle)
{
	struct pseudo_module_ctx **items;
	struct pseudo_module_ctx *ctx;

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->desc = desc;
	ctx->handle = handle;
	if (path) {
		ctx->path = strdup(path);
		if (!ctx->path) {
			free(ctx);
			return -ENOMEM;
		}
	}
	items = reallocarray(list->items, list->count + 1, sizeof(*items));
	if (!items) {
		module_free(ctx);
		return -ENOMEM;
	}
	items[list->count++] = ctx;
	list->items = items;
	return 0;
}

/* Checks a descriptor against the ABI and against the loaded modules. */
static int check_new_module(const struct module_list *list,
			    const struct pseudo_module *desc,
			    const char *origin)
{
	const struct pseudo_module_ctx *other;
	const char *problem;

	if (desc->abi_version != PSEUDO_MODULE_ABI_VERSION) {
		error_msg("cannot load module '%s': it was built for module "
			  "ABI version %u, but this %s uses version %u; "
			  "rebuild it against this version's "
			  "<pseudo/module.h>",
			  origin, desc->abi_version, log_program(),
			  PSEUDO_MODULE_ABI_VERSION);
		return -EPROTO;
	}
	problem = module_check_descriptor(desc);
	if (problem) {
		error_msg("cannot load module '%s': invalid descriptor: %s",
			  origin, problem);
		return -EINVAL;
	}
	other = module_list_find(list, desc->name);
	if (other) {
		error_msg("cannot load module '%s': a module named '%s' is "
			  "already loaded from '%s'",
			  origin, desc->name,
			  other->path ? other->path : "(built in)");
		return -EEXIST;
	}
	return 0;
}

int module_list_add_builtin(struct module_list *list,
			    const struct pseudo_module *desc)
{
	int err;

	err = check_new_module(list, desc, desc->name);
	if (err)
		return err;
	return module_list_append(list, desc, NULL, NULL);
}

/*
 * Rejects a file that someone other than its owner could replace with
 * code of their choosing, since the module runs with the caller's
 * privileges.
 */
static int check_module_file(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		int err = errno;

		error_msg("cannot load module '%s': %s", path, strerror(err));
		return -err;
	}
	if (!S_ISREG(st.st_mode)) {
		error_msg("cannot load module '%s': not a regular file", path);
		return -EINVAL;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		error_msg("cannot load module '%s': it is writable by its "
			  "group or by others (mode %04o); run 'chmod go-w "
			  "%s' if you trust it",
			  path, (unsigned int)(st.st_mode & 07777), path);
		return -EPERM;
	}
	return 0;
}

static int load_module_file(struct module_list *list, const char *path)
{
	const struct pseudo_module *(*entry)(void);
	const struct pseudo_module *desc;
	void *handle;
	int err;

	err = check_module_file(path);
	if (err)
		return err;
	handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		error_msg("cannot load module '%s': %s", path, dlerror());
		return -ENOEXEC;
	}
	dlerror();
	*(void **)&entry = dlsym(handle, PSEUDO_MODULE_ENTRY_NAME);
	if (!entry) {
		const char *reason = dlerror();

		error_msg("cannot load module '%s': no function %s: %s", path,
			  PSEUDO_MODULE_ENTRY_NAME,
			  reason ? reason : "the symbol is NULL");
		dlclose(handle);
		return -ENOEXEC;
	}
	desc = entry();
	if (!desc) {
		error_msg("cannot load module '%s': %s() returned NULL", path,
			  PSEUDO_MODULE_ENTRY_NAME);
		dlclose(handle);
		return -ENOEXEC;
	}
	err = check_new_module(list, desc, path);
	if (!err)
		err = module_list_append(list, desc, path, handle);
	if (err)
		dlclose(handle);
	return err;
}

/* Finds NAME.so in the search directories. */
static char *find_module_by_name(const struct module_list *list,
				 const char *name)
{
	for (size_t i = 0; i < list->search_dir_count; i++) {
		char *path;

		if (asprintf(&path, "%s/%s.so", list->search_dirs[i], name) < 0)
			return NULL;
		if (access(path, F_OK) == 0)
			return path;
		free(path);
	}
	return NULL;
}

int module_list_load(struct module_list *list, const char *spec)
{
	autofree char *path = NULL;

	if (spec[0] == '/')
		return load_module_file(list, spec);
	if (!is_valid_name(spec)) {
		error_msg("invalid module '%s': give a module name made of "
			  "[a-z0-9_] or an absolute path to a .so file",
			  spec);
		return -EINVAL;
	}
	path = find_module_by_name(list, spec);
	if (!path) {
		char dirs[2048] = "";
		size_t used = 0;

		for (size_t i = 0; i < list->search_dir_count; i++) {
			int n = snprintf(dirs + used, sizeof(dirs) - used,
					 "%s%s", i ? ", " : "",
					 list->search_dirs[i]);
			if (n < 0 || (size_t)n >= sizeof(dirs) - used)
				break;
			used += n;
		}
		error_msg("module '%s' not found in the module directories "
			  "(%s); give its absolute path with --module=+/PATH",
			  spec, used ? dirs : "none");
		return -ENOENT;
	}
	return load_module_file(list, path);
}

static const struct pseudo_option *find_option(const struct pseudo_module *d,
					       const char *key)
{
	for (const struct pseudo_option *o = d->options; o && o->key; o++)
		if (strcmp(o->key, key) == 0)
			return o;
	return NULL;
}

static void print_unknown_key(const struct pseudo_module_ctx *ctx,
			      const char *key)
{
	char keys[1024] = "";
	size_t used = 0;

	for (const struct pseudo_option *o = ctx->desc->options; o && o->key;
	     o++) {
		int n = snprintf(keys + used, sizeof(keys) - used, "%s%s",
				 used ? ", " : "", o->key);
		if (n < 0 || (size_t)n >= sizeof(keys) - used)
			break;
		used += n;
	}
	if (used)
		error_msg("module '%s' has no option '%s'; its options are: "
			  "%s",
			  ctx->desc->name, key, keys);
	else
		error_msg("module '%s' has no option '%s'; it takes no "
			  "options",
			  ctx->desc->name, key);
}

int module_set_option(struct pseudo_module_ctx *ctx, const char *key,
		      const char *value)
{
	struct module_option_value *values;
	char *key_copy;
	char *value_copy;

	if (!find_option(ctx->desc, key)) {
		print_unknown_key(ctx, key);
		return -EINVAL;
	}
	key_copy = strdup(key);
	value_copy = strdup(value);
	values = reallocarray(ctx->values, ctx->value_count + 1,
			      sizeof(*values));
	if (!key_copy || !value_copy || !values) {
		free(key_copy);
		free(value_copy);
		if (values)
			ctx->values = values;
		return -ENOMEM;
	}
	values[ctx->value_count++] = (struct module_option_value){
		.key = key_copy,
		.value = value_copy,
	};
	ctx->values = values;
	return 0;
}

int module_list_set_option(struct module_list *list, const char *argument)
{
	struct pseudo_module_ctx *ctx;
	const char *dot = strchr(argument, '.');
	const char *equals = strchr(argument, '=');
	autofree char *name = NULL;
	autofree char *key = NULL;

	if (!dot || !equals || dot > equals || dot == argument ||
	    dot + 1 == equals) {
		error_msg("invalid --module-opt '%s': expected "
			  "MODULE.KEY=VALUE",
			  argument);
		return -EINVAL;
	}
	name = strndup(argument, dot - argument);
	key = strndup(dot + 1, equals - dot - 1);
	if (!name || !key)
		return -ENOMEM;
	ctx = module_list_find(list, name);
	if (!ctx) {
		error_msg("invalid --module-opt '%s': module '%s' is not "
			  "loaded; add it with --module=+%s",
			  argument, name, name);
		return -EINVAL;
	}
	return module_set_option(ctx, key, equals + 1);
}

int module_list_init_all(struct module_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		struct pseudo_module_ctx *ctx = list->items[i];
		int err = 0;

		if (ctx->desc->init) {
			ctx->in_init = true;
			err = ctx->desc->init(ctx);
			ctx->in_init = false;
		}
		if (err < 0) {
			/* A module that said why needs no second line. */
			if (!ctx->error_reported)
				error_msg("module '%s' failed to start: %s",
					  ctx->desc->name, strerror(-err));
			ctx->init_failed = true;
			return err;
		}
		ctx->initialized = true;
	}
	return 0;
}

void module_list_fini_all(struct module_list *list)
{
	for (size_t i = list->count; i-- > 0;) {
		struct pseudo_module_ctx *ctx = list->items[i];

		if ((ctx->initialized || ctx->init_failed) && ctx->desc->fini)
			ctx->desc->fini(ctx);
		ctx->initialized = false;
		ctx->init_failed = false;
	}
}

size_t module_row_count(const struct pseudo_module_ctx *ctx)
{
	size_t count = 0;

	for (const struct pseudo_syscall *row = ctx->desc->syscalls;
	     row && row->name; row++)
		count++;
	return count + ctx->extra_count;
}

const struct pseudo_syscall *module_row(const struct pseudo_module_ctx *ctx,
					size_t index)
{
	size_t fixed = module_row_count(ctx) - ctx->extra_count;

	if (index < fixed)
		return &ctx->desc->syscalls[index];
	return &ctx->extra_rows[index - fixed];
}

PSEUDO_API const char *pseudo_module_name(const struct pseudo_module_ctx *ctx)
{
	return ctx->desc->name;
}

PSEUDO_API const char *pseudo_option(const struct pseudo_module_ctx *ctx,
				     const char *key)
{
	const struct pseudo_option *option;

	for (size_t i = ctx->value_count; i-- > 0;)
		if (strcmp(ctx->values[i].key, key) == 0)
			return ctx->values[i].value;
	option = find_option(ctx->desc, key);
	return option ? option->default_value : NULL;
}

PSEUDO_API const char *const *
pseudo_option_values(const struct pseudo_module_ctx *ctx, const char *key,
		     size_t *count)
{
	struct pseudo_module_ctx *mutable_ctx = (struct pseudo_module_ctx *)ctx;
	const struct pseudo_option *option;
	const char **list;
	size_t n = 0;

	list = reallocarray(mutable_ctx->value_list, ctx->value_count + 1,
			    sizeof(*list));
	if (!list) {
		*count = 0;
		return NULL;
	}
	mutable_ctx->value_list = list;
	for (size_t i = 0; i < ctx->value_count; i++)
		if (strcmp(ctx->values[i].key, key) == 0)
			list[n++] = ctx->values[i].value;
	if (n == 0) {
		option = find_option(ctx->desc, key);
		if (option && option->default_value)
			list[n++] = option->default_value;
	}
	list[n] = NULL;
	*count = n;
	return list;
}

PSEUDO_API void pseudo_set_data(struct pseudo_module_ctx *ctx, void *data)
{
	ctx->data = data;
}

PSEUDO_API void *pseudo_data(const struct pseudo_module_ctx *ctx)
{
	return ctx->data;
}

PSEUDO_API int pseudo_add_syscall(struct pseudo_module_ctx *ctx,
				  const struct pseudo_syscall *row)
{
	struct pseudo_module check = { .name = ctx->desc->name };
	struct pseudo_syscall table[2] = { *row, { 0 } };
	struct pseudo_syscall *rows;
	char *name;

	if (!ctx->in_init || !row->name)
		return -EINVAL;
	check.syscalls = table;
	if (module_check_descriptor(&check))
		return -EINVAL;
	if (!syscall_name_exists(row->name))
		return -ENOENT;
	name = strdup(row->name);
	rows = reallocarray(ctx->extra_rows, ctx->extra_count + 1,
			    sizeof(*rows));
	if (!name || !rows) {
		free(name);
		if (rows)
			ctx->extra_rows = rows;
		return -ENOMEM;
	}
	rows[ctx->extra_count] = *row;
	rows[ctx->extra_count].name = name;
	ctx->extra_count++;
	ctx->extra_rows = rows;
	return 0;
}
