/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * mylog: an example site module.  It logs each call named in its
 * "syscalls" option with the thread id, the arguments and, where the
 * backend sees it, the result, to stderr or to the file in its "file"
 * option:
 *
 *   pseudo --module=+mylog --module-opt=mylog.syscalls=openat,chown ...
 *
 * Its rows are observers, so it logs the call as the caller made it and
 * the result the caller got, whatever other modules did in between.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pseudo/module.h>

struct mylog {
	int fd;
};

static void write_line(const struct pseudo_call *call, const char *suffix)
{
	const struct mylog *log = pseudo_data(call->ctx);
	char line[512];
	int length;

	length = snprintf(line, sizeof(line),
			  "mylog: tid %d: %s(%#" PRIx64 ", %#" PRIx64
			  ", %#" PRIx64 ", %#" PRIx64 ", %#" PRIx64
			  ", %#" PRIx64 ")%s\n",
			  call->tid, call->name, call->args[0], call->args[1],
			  call->args[2], call->args[3], call->args[4],
			  call->args[5], suffix);
	if (length > (int)sizeof(line))
		length = sizeof(line);
	if (length > 0)
		(void)!write(log->fd, line, length);
}

/* Logs each call once, with its result when the backend sees it. */
static void log_exit(struct pseudo_call *call)
{
	char result[64];

	if (!call->result_known)
		snprintf(result, sizeof(result), " = ? (run by the kernel)");
	else if (call->result < 0 && call->result >= -4095)
		snprintf(result, sizeof(result), " = -1 %s",
			 strerrorname_np((int)-call->result)
				 ? strerrorname_np((int)-call->result)
				 : "unknown error");
	else
		snprintf(result, sizeof(result), " = %" PRId64, call->result);
	write_line(call, result);
}

static int add_rows(struct pseudo_module_ctx *ctx, const char *list)
{
	char *copy = strdup(list);
	char *saveptr = NULL;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	for (char *name = strtok_r(copy, ",", &saveptr); name && !err;
	     name = strtok_r(NULL, ",", &saveptr)) {
		struct pseudo_syscall row = {
			.name = name,
			.action = PSEUDO_ACTION_HANDLE,
			.flags = PSEUDO_SYSCALL_OBSERVE,
			.exit = log_exit,
		};

		err = pseudo_add_syscall(ctx, &row);
		if (err == -ENOENT)
			pseudo_error(ctx,
				     "invalid mylog.syscalls: unknown system "
				     "call '%s'",
				     name);
	}
	free(copy);
	return err;
}

static int mylog_init(struct pseudo_module_ctx *ctx)
{
	const char *syscalls = pseudo_option(ctx, "syscalls");
	const char *file = pseudo_option(ctx, "file");
	struct mylog *log;
	int err;

	if (!syscalls || !*syscalls) {
		pseudo_error(ctx, "mylog.syscalls is empty: name the calls to "
				  "log, e.g. --module-opt=mylog.syscalls="
				  "openat,chown");
		return -EINVAL;
	}
	log = calloc(1, sizeof(*log));
	if (!log)
		return -ENOMEM;
	log->fd = STDERR_FILENO;
	if (file && *file) {
		log->fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
			       0644);
		if (log->fd < 0) {
			err = -errno;
			pseudo_error(ctx, "cannot open log file '%s': %s", file,
				     strerror(-err));
			free(log);
			return err;
		}
	}
	pseudo_set_data(ctx, log);
	return add_rows(ctx, syscalls);
}

static void mylog_fini(struct pseudo_module_ctx *ctx)
{
	struct mylog *log = pseudo_data(ctx);

	if (!log)
		return;
	if (log->fd != STDERR_FILENO)
		close(log->fd);
	free(log);
}

static const struct pseudo_option mylog_options[] = {
	{ "syscalls", "comma-separated system calls to log", NULL },
	{ "file", "file the log is appended to (default: stderr)", NULL },
	{ 0 },
};

static const struct pseudo_module mylog_module = {
	.abi_version = PSEUDO_MODULE_ABI_VERSION,
	.name = "mylog",
	.summary = "example site module: logs the calls named in "
		   "mylog.syscalls",
	.options = mylog_options,
	.init = mylog_init,
	.fini = mylog_fini,
};

PSEUDO_MODULE(mylog_module)
