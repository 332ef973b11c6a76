/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* Messages of the core, the front ends and the modules. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"

static const char *program_name = "pseudo";
static enum pseudo_log_level current_level = PSEUDO_LOG_WARNING;

static const char *const level_prefix[] = {
	[PSEUDO_LOG_ERROR] = "",
	[PSEUDO_LOG_WARNING] = "warning: ",
	[PSEUDO_LOG_INFO] = "",
	[PSEUDO_LOG_DEBUG] = "debug: ",
};

void free_pointer(void *p)
{
	free(*(void **)p);
}

void close_fd(int *fd)
{
	if (*fd >= 0) {
		int saved_errno = errno;

		close(*fd);
		errno = saved_errno;
	}
}

void log_set_program(const char *name)
{
	program_name = name;
}

const char *log_program(void)
{
	return program_name;
}

void log_set_level(enum pseudo_log_level level)
{
	current_level = level;
}

enum pseudo_log_level log_level(void)
{
	return current_level;
}

/*
 * Formats the whole line first and writes it with one write(2), so that
 * lines of concurrent processes sharing stderr do not interleave.
 */
void log_message(enum pseudo_log_level level, const char *module,
		 const char *format, va_list args)
{
	int saved_errno = errno;
	char line[4096];
	int length;
	int n;

	if (level > current_level)
		return;
	if (module)
		length = snprintf(line, sizeof(line), "%s: %s: %s",
				  program_name, module, level_prefix[level]);
	else
		length = snprintf(line, sizeof(line), "%s: %s", program_name,
				  level_prefix[level]);
	if (length < 0)
		length = 0;
	n = vsnprintf(line + length, sizeof(line) - length, format, args);
	if (n > 0)
		length += n;
	if ((size_t)length > sizeof(line) - 2)
		length = sizeof(line) - 2;
	line[length++] = '\n';
	(void)!write(STDERR_FILENO, line, length);
	errno = saved_errno;
}

void error_msg(const char *format, ...)
{
	va_list args;

	va_start(args, format);
	log_message(PSEUDO_LOG_ERROR, NULL, format, args);
	va_end(args);
}

void warning_msg(const char *format, ...)
{
	va_list args;

	va_start(args, format);
	log_message(PSEUDO_LOG_WARNING, NULL, format, args);
	va_end(args);
}

void debug_msg(const char *format, ...)
{
	va_list args;

	va_start(args, format);
	log_message(PSEUDO_LOG_DEBUG, NULL, format, args);
	va_end(args);
}

PSEUDO_API void pseudo_log(const struct pseudo_module_ctx *ctx,
			   enum pseudo_log_level level, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	log_message(level, ctx ? ctx->desc->name : NULL, format, args);
	va_end(args);
}

PSEUDO_API bool pseudo_log_enabled(enum pseudo_log_level level)
{
	return level <= current_level;
}

PSEUDO_API void pseudo_error(const struct pseudo_module_ctx *ctx,
			     const char *format, ...)
{
	va_list args;

	va_start(args, format);
	log_message(PSEUDO_LOG_ERROR, ctx ? ctx->desc->name : NULL, format,
		    args);
	va_end(args);
	if (ctx)
		((struct pseudo_module_ctx *)ctx)->error_reported = true;
}
