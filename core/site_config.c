/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * The site configuration file, SYSCONFDIR/pseudopod/pseudopod.conf: modules
 * that every run of pseudo and pseudopod loads, and their options.
 *
 * Each line is empty, a comment starting with '#', or one directive:
 *
 *   module NAME            load module NAME from the module directories
 *   module /PATH/NAME.so   load the module in that file
 *   module-opt NAME.KEY=VALUE
 *                          set option KEY of module NAME
 *
 * A run drops a site module with --module=-NAME, and --module-opt given
 * on the command line comes after the site's options.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "frontend.h"

/* Keeps the strings the arguments point to. */
static int keep(struct site_config *config, const char *text, char **copy)
{
	char **strings = reallocarray(config->strings, config->string_count + 1,
				      sizeof(*strings));

	if (!strings)
		return -ENOMEM;
	config->strings = strings;
	*copy = strdup(text);
	if (!*copy)
		return -ENOMEM;
	strings[config->string_count++] = *copy;
	return 0;
}

/* Records that entry COUNT - 1 of an argument list came from line NUMBER. */
static int note_line(unsigned int **lines, size_t count, unsigned int number)
{
	unsigned int *grown = reallocarray(*lines, count, sizeof(**lines));

	if (!grown)
		return -ENOMEM;
	grown[count - 1] = number;
	*lines = grown;
	return 0;
}

static char *trim(char *text)
{
	char *end;

	while (isspace((unsigned char)*text))
		text++;
	end = text + strlen(text);
	while (end > text && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return text;
}

static bool is_module_spec(const char *value)
{
	if (value[0] == '/')
		return true;
	for (const char *c = value; *c; c++)
		if (!islower((unsigned char)*c) &&
		    !isdigit((unsigned char)*c) && *c != '_')
			return false;
	return *value != '\0';
}

static bool is_module_option(const char *value)
{
	const char *dot = strchr(value, '.');
	const char *equals = strchr(value, '=');

	return dot && equals && dot > value && equals > dot + 1;
}

/* Parses one line.  Returns 0 or -EINVAL after printing the problem. */
static int parse_line(struct site_config *config, const char *path,
		      unsigned int number, char *line)
{
	char *directive = trim(line);
	char *value;
	char *copy;
	int err;

	if (!*directive || *directive == '#')
		return 0;
	value = directive + strcspn(directive, " \t");
	if (*value)
		*value++ = '\0';
	value = trim(value);
	if (strcmp(directive, "module") == 0) {
		if (!is_module_spec(value)) {
			error_msg("%s:%u: invalid module '%s': give a module "
				  "name made of [a-z0-9_] or an absolute path",
				  path, number, value);
			return -EINVAL;
		}
		char spec[PATH_MAX + 2];

		/* The spec of --module: "+" and the name or path. */
		snprintf(spec, sizeof(spec), "+%s", value);
		err = keep(config, spec, &copy);
		if (!err)
			err = module_args_add_spec(&config->args, copy);
		if (!err)
			err = note_line(&config->spec_lines,
					config->args.spec_count, number);
		return err;
	}
	if (strcmp(directive, "module-opt") == 0) {
		if (!is_module_option(value)) {
			error_msg("%s:%u: invalid module-opt '%s': expected "
				  "MODULE.KEY=VALUE",
				  path, number, value);
			return -EINVAL;
		}
		err = keep(config, value, &copy);
		if (!err)
			err = module_args_add_option(&config->args, copy);
		if (!err)
			err = note_line(&config->option_lines,
					config->args.option_count, number);
		return err;
	}
	error_msg("%s:%u: unknown directive '%s': expected 'module' or "
		  "'module-opt'",
		  path, number, directive);
	return -EINVAL;
}

const char *site_config_path(void)
{
	const char *path = getenv("PSEUDOPOD_CONFIG");

	return path ? path : PSEUDO_SITE_CONFIG;
}

int site_config_read(struct site_config *config, const char *path)
{
	autofree char *line = NULL;
	size_t capacity = 0;
	unsigned int number = 0;
	ssize_t length;
	FILE *file;
	int err = 0;

	*config = (struct site_config){ 0 };
	if (!path || !*path)
		return 0;
	file = fopen(path, "re");
	if (!file) {
		/* No file at the default place: the site configures
		 * nothing. */
		if (errno == ENOENT && strcmp(path, PSEUDO_SITE_CONFIG) == 0)
			return 0;
		error_msg("cannot read the site configuration '%s': %s", path,
			  strerror(errno));
		return -errno;
	}
	config->path = path;
	while (!err && (length = getline(&line, &capacity, file)) >= 0) {
		number++;
		if ((size_t)length != strlen(line)) {
			error_msg("%s:%u: the line contains a NUL byte; the "
				  "site configuration is text",
				  path, number);
			err = -EINVAL;
			break;
		}
		err = parse_line(config, path, number, line);
	}
	if (!err && ferror(file)) {
		err = -errno;
		error_msg("cannot read the site configuration '%s': %s", path,
			  strerror(errno));
	}
	fclose(file);
	if (err)
		site_config_free(config);
	return err;
}

void site_config_free(struct site_config *config)
{
	for (size_t i = 0; i < config->string_count; i++)
		free(config->strings[i]);
	free(config->strings);
	free(config->spec_lines);
	free(config->option_lines);
	module_args_free(&config->args);
	*config = (struct site_config){ 0 };
}
