/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* Command-line handling shared by the pseudo and pseudopod front ends. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "frontend.h"
#include "notify.h"

static int append_string(const char ***array, size_t *count, const char *value)
{
	const char **grown = reallocarray(*array, *count + 1, sizeof(**array));

	if (!grown)
		return -ENOMEM;
	grown[(*count)++] = value;
	*array = grown;
	return 0;
}

int module_args_add_spec(struct module_args *args, const char *spec)
{
	if ((spec[0] != '+' && spec[0] != '-') || !spec[1]) {
		error_msg("invalid --module '%s': expected +NAME, "
			  "+/ABSOLUTE/PATH.so or -NAME",
			  spec);
		return -EINVAL;
	}
	if (spec[0] == '-' && strchr(spec, '/')) {
		error_msg("invalid --module '%s': remove a module by its "
			  "name, e.g. --module=-mylog",
			  spec);
		return -EINVAL;
	}
	if (spec[0] == '+' && spec[1] != '/' && strchr(spec, '/')) {
		error_msg("invalid --module '%s': a module path must be "
			  "absolute",
			  spec);
		return -EINVAL;
	}
	return append_string(&args->specs, &args->spec_count, spec);
}

int module_args_add_option(struct module_args *args, const char *option)
{
	return append_string(&args->options, &args->option_count, option);
}

void module_args_free(struct module_args *args)
{
	free(args->specs);
	free(args->options);
	*args = (struct module_args){ 0 };
}

/* The module name a spec stands for: NAME, or the file name of a path
 * without ".so". */
static void spec_module_name(const char *spec, char *name, size_t size)
{
	const char *base = strrchr(spec, '/');
	size_t length;

	base = base ? base + 1 : spec;
	length = strlen(base);
	if (length > 3 && strcmp(base + length - 3, ".so") == 0)
		length -= 3;
	snprintf(name, size, "%.*s", (int)length, base);
}

/* A module to load, and the line of the site configuration that named
 * it (0 for the defaults and the command line). */
struct spec {
	const char *text;
	unsigned int site_line;
};

struct spec_list {
	struct spec *items;
	size_t count;
};

static int append_spec(struct spec_list *list, const char *text,
		       unsigned int site_line)
{
	struct spec *items =
		reallocarray(list->items, list->count + 1, sizeof(*items));

	if (!items)
		return -ENOMEM;
	items[list->count++] = (struct spec){ text, site_line };
	list->items = items;
	return 0;
}

static int remove_spec(struct spec_list *list, const char *name)
{
	char loaded_name[256];

	for (size_t i = 0; i < list->count; i++) {
		spec_module_name(list->items[i].text, loaded_name,
				 sizeof(loaded_name));
		if (strcmp(loaded_name, name) != 0)
			continue;
		memmove(&list->items[i], &list->items[i + 1],
			(list->count - i - 1) * sizeof(list->items[0]));
		list->count--;
		return 0;
	}
	error_msg("cannot remove module '%s' with --module=-%s: it is not "
		  "loaded",
		  name, name);
	return -ENOENT;
}

static int apply_specs(const struct module_args *args,
		       const unsigned int *site_lines, struct spec_list *list)
{
	int err = 0;

	for (size_t i = 0; args && i < args->spec_count && !err; i++) {
		const char *spec = args->specs[i];

		if (spec[0] == '+')
			err = append_spec(list, spec + 1,
					  site_lines ? site_lines[i] : 0);
		else
			err = remove_spec(list, spec + 1);
	}
	return err;
}

/* The final list of module specs: the defaults and the site's modules,
 * changed by --module. */
static int resolve_specs(const struct module_request *request,
			 struct spec_list *list)
{
	const struct site_config *site = request->site;
	int err = 0;

	for (size_t i = 0; request->defaults && request->defaults[i] && !err;
	     i++)
		err = append_spec(list, request->defaults[i], 0);
	if (!err && site)
		err = apply_specs(&site->args, site->spec_lines, list);
	if (!err)
		err = apply_specs(request->args, NULL, list);
	return err;
}

/* Names the line of the site configuration behind a failure. */
static void blame_site_line(const struct site_config *site, unsigned int line)
{
	if (line)
		error_msg("%s:%u: this line of the site configuration names "
			  "it; fix or remove the line",
			  site->path, line);
}

/* The site's options of modules that a --module=-NAME dropped are not
 * an error. */
static int set_site_options(struct module_list *list,
			    const struct site_config *site)
{
	int err = 0;

	for (size_t i = 0; site && i < site->args.option_count && !err; i++) {
		const char *option = site->args.options[i];
		size_t name_length = strcspn(option, ".");
		char name[256];

		snprintf(name, sizeof(name), "%.*s", (int)name_length, option);
		if (!module_list_find(list, name))
			continue;
		err = module_list_set_option(list, option);
		if (err)
			blame_site_line(site, site->option_lines[i]);
	}
	return err;
}

static const struct pseudo_module *
find_builtin(const struct pseudo_module *const *builtins, const char *name)
{
	for (size_t i = 0; builtins && builtins[i]; i++)
		if (strcmp(builtins[i]->name, name) == 0)
			return builtins[i];
	return NULL;
}

static int load_specs(struct module_list *list,
		      const struct module_request *request,
		      const struct spec_list *specs)
{
	int err = 0;

	for (size_t i = 0; i < specs->count && !err; i++) {
		const struct spec *spec = &specs->items[i];
		const struct pseudo_module *builtin =
			find_builtin(request->builtins, spec->text);

		if (builtin)
			err = module_list_add_builtin(list, builtin);
		else
			err = module_list_load(list, spec->text);
		if (err)
			blame_site_line(request->site, spec->site_line);
		else
			list->items[list->count - 1]->site_line =
				spec->site_line;
	}
	return err;
}

int frontend_load_modules(struct module_list *list,
			  const struct module_request *request)
{
	struct spec_list specs = { 0 };
	int err;

	err = resolve_specs(request, &specs);
	if (!err)
		err = load_specs(list, request, &specs);
	free(specs.items);
	for (size_t i = 0; i < request->preset_count && !err; i++) {
		const struct preset_option *preset = &request->presets[i];
		struct pseudo_module_ctx *ctx =
			module_list_find(list, preset->module);

		if (ctx)
			err = module_set_option(ctx, preset->key,
						preset->value);
	}
	if (!err)
		err = set_site_options(list, request->site);
	for (size_t i = 0; i < request->args->option_count && !err; i++)
		err = module_list_set_option(list, request->args->options[i]);
	if (!err)
		err = module_list_init_all(list);
	for (size_t i = 0; err && request->site && i < list->count; i++)
		if (list->items[i]->init_failed)
			blame_site_line(request->site,
					list->items[i]->site_line);
	return err;
}

/* Whether this program is the one built in the build tree. */
static bool running_from_build_tree(void)
{
	char exe[PATH_MAX];
	ssize_t length = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t root_length = strlen(PSEUDO_BUILD_ROOT);

	if (length <= 0)
		return false;
	exe[length] = '\0';
	return strncmp(exe, PSEUDO_BUILD_ROOT, root_length) == 0 &&
	       exe[root_length] == '/';
}

int frontend_add_module_dirs(struct module_list *list)
{
	const char *path = getenv("PSEUDOPOD_MODULE_PATH");
	int err = 0;

	if (path && *path) {
		autofree char *copy = strdup(path);
		char *saveptr = NULL;

		if (!copy)
			return -ENOMEM;
		for (char *dir = strtok_r(copy, ":", &saveptr); dir && !err;
		     dir = strtok_r(NULL, ":", &saveptr))
			if (*dir)
				err = module_list_add_search_dir(list, dir);
	}
	if (err)
		return err;
	if (running_from_build_tree())
		return module_list_add_search_dir(list,
						  PSEUDO_BUILD_MODULE_DIR);
	return module_list_add_search_dir(list, PSEUDO_INSTALL_MODULE_DIR);
}

int frontend_parse_backend(const char *value, enum backend *backend)
{
	if (strcmp(value, "ptrace") == 0)
		*backend = BACKEND_PTRACE;
	else if (strcmp(value, "notify") == 0)
		*backend = BACKEND_NOTIFY;
	else {
		error_msg("invalid --backend '%s': expected ptrace or notify",
			  value);
		return -EINVAL;
	}
	return 0;
}

/*
 * ptrace is the default: a notified call that a signal interrupts before
 * the supervisor received it fails with EINTR when the handler lacks
 * SA_RESTART, even with SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, and the
 * calls it emulates never fail with EINTR natively.
 */
enum backend frontend_choose_backend(enum backend requested, bool given)
{
	if (requested == BACKEND_NOTIFY && !notify_available()) {
		warning_msg("the kernel lacks seccomp user notification "
			    "(Linux 5.0 or later): using the ptrace backend");
		return BACKEND_PTRACE;
	}
	if (requested == BACKEND_NOTIFY)
		debug_msg("backend notify: requested with --backend");
	else if (given)
		debug_msg("backend ptrace: requested with --backend");
	else
		debug_msg("backend ptrace: the default, because a signal can "
			  "make a notified call fail with EINTR");
	return requested;
}

const char *frontend_default_shell(void)
{
	const char *shell = getenv("SHELL");

	return shell && *shell ? shell : "/bin/sh";
}

void frontend_print_version(void)
{
	printf("%s %s\n", log_program(), PSEUDO_VERSION);
}
