/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * Starting the command in its user and mount namespaces, and waiting for
 * it.
 *
 * The front end clones the command's process into new namespaces; the
 * process waits on a pipe while the front end writes its id maps, runs
 * the modules' parent_after_clone hooks and, when supervising, seizes it
 * with ptrace.  It then runs the child_before_exec hooks, installs the
 * seccomp filter, which no longer needs PR_SET_NO_NEW_PRIVS because the
 * process holds CAP_SYS_ADMIN in its new user namespace, and executes the
 * command.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core.h"
#include "notify.h"

int exit_status_from_wait(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return EXIT_PSEUDO_FAILURE;
}

static pid_t clone_into_namespaces(int *pidfd)
{
	struct clone_args args = {
		.flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_PIDFD,
		.pidfd = (uintptr_t)pidfd,
		.exit_signal = SIGCHLD,
	};

	return syscall(SYS_clone3, &args, sizeof(args));
}

/*
 * Installs the filter.  With the notify backend, the listener descriptor
 * goes to the front end over LISTENER_SOCKET; a kernel older than 5.19
 * rejects SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, so the filter is then
 * installed without it.
 */
static int install_filter(const struct launch_config *config,
			  const struct filter_program *filter,
			  int listener_socket)
{
	int listener;
	int err;

	if (config->backend != BACKEND_NOTIFY)
		return filter_install(filter, 0);
	listener = filter_install(filter, notify_filter_flags(true));
	if (listener == -EINVAL)
		listener = filter_install(filter, notify_filter_flags(false));
	if (listener < 0)
		return listener;
	err = fd_send(listener_socket, "L", 1, &listener, 1);
	close(listener);
	close(listener_socket);
	return err;
}

/* The command's process: never returns. */
static void __attribute__((noreturn))
run_child(const struct launch_config *config,
	  const struct filter_program *filter, int sync_fd, int listener_socket,
	  pid_t front_end)
{
	char go;
	int err;

	signals_reset_in_child();
	/*
	 * Under ptrace, PTRACE_O_EXITKILL kills every traced thread when the
	 * supervisor dies.  The notify backend has no such option: the
	 * command's first process at least dies with the front end, while
	 * processes it started would see their emulated calls fail with
	 * ENOSYS.
	 */
	if (config->backend == BACKEND_NOTIFY &&
	    (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != front_end))
		_exit(EXIT_PSEUDO_FAILURE);
	/* End of file: the front end failed and reported why. */
	if (read(sync_fd, &go, 1) != 1)
		_exit(EXIT_PSEUDO_FAILURE);
	close(sync_fd);
	for (size_t i = 0; i < config->modules->count; i++) {
		struct pseudo_module_ctx *ctx = config->modules->items[i];

		if (ctx->desc->child_before_exec &&
		    ctx->desc->child_before_exec(ctx) < 0)
			_exit(EXIT_PSEUDO_FAILURE);
	}
	if (config->finish_argv)
		config->finish_argv(config->argv);
	if (!config->argv[0]) {
		error_msg("no command left to run");
		_exit(EXIT_PSEUDO_FAILURE);
	}
	if (filter->fprog) {
		err = install_filter(config, filter, listener_socket);
		if (err < 0) {
			error_msg("cannot install the seccomp filter: %s",
				  strerror(-err));
			_exit(EXIT_PSEUDO_FAILURE);
		}
	}
	execvp(config->argv[0], config->argv);
	err = errno;
	error_msg("cannot run '%s': %s", config->argv[0], strerror(err));
	_exit(err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE);
}

static int run_parent_hooks(const struct launch_config *config, pid_t child)
{
	for (size_t i = 0; i < config->modules->count; i++) {
		struct pseudo_module_ctx *ctx = config->modules->items[i];
		int err;

		if (!ctx->desc->parent_after_clone)
			continue;
		err = ctx->desc->parent_after_clone(ctx, child);
		if (err < 0)
			return err;
	}
	return 0;
}

static int wait_for_child(pid_t child, int *status)
{
	while (waitpid(child, status, 0) < 0) {
		if (errno != EINTR) {
			error_msg("waitpid for process %d failed: %s", child,
				  strerror(errno));
			return -errno;
		}
	}
	return 0;
}

/* Prepares the child after clone.  On failure the child reads end of
 * file from the pipe. */
static int prepare_child(const struct launch_config *config, pid_t child,
			 bool supervise, int sync_fd)
{
	int err = userns_write_maps(child, &config->userns);

	if (!err)
		err = run_parent_hooks(config, child);
	if (!err && supervise)
		err = ptrace_seize_child(child);
	if (!err && write(sync_fd, "x", 1) != 1)
		err = -errno;
	return err;
}

static int serve(const struct launch_config *config,
		 const struct syscall_table *table, pid_t child, int pidfd,
		 int listener_socket, int *status)
{
	struct ptrace_config trace = {
		.table = table,
		.modules = config->modules,
		.child = child,
		.child_pidfd = pidfd,
	};
	struct notify_config notify = {
		.table = table,
		.modules = config->modules,
		.child = child,
		.child_pidfd = pidfd,
	};
	char byte;
	int err;

	if (config->backend != BACKEND_NOTIFY)
		return ptrace_serve(&trace, status);
	fd_receive(listener_socket, &byte, 1, &notify.listener, 1);
	if (notify.listener < 0)
		/* The command's process failed before installing its
		 * filter, and reported why. */
		return wait_for_child(child, status);
	err = notify_serve(&notify, status);
	close(notify.listener);
	return err;
}

static int start_and_wait(const struct launch_config *config,
			  const struct syscall_table *table,
			  const struct filter_program *filter, bool supervise)
{
	autoclose int pidfd = -1;
	int listener_socket[2] = { -1, -1 };
	pid_t front_end = getpid();
	int sync[2];
	int status = 0;
	pid_t child;
	int err;

	if (pipe2(sync, O_CLOEXEC) < 0 ||
	    (supervise && config->backend == BACKEND_NOTIFY &&
	     socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
			listener_socket) < 0)) {
		error_msg("cannot create a pipe: %s", strerror(errno));
		return EXIT_PSEUDO_FAILURE;
	}
	child = clone_into_namespaces(&pidfd);
	if (child < 0) {
		error_msg("cannot create a user namespace: %s; check that "
			  "unprivileged user namespaces are enabled "
			  "(sysctl user.max_user_namespaces)",
			  strerror(errno));
		close(sync[0]);
		close(sync[1]);
		return EXIT_PSEUDO_FAILURE;
	}
	if (child == 0) {
		close(sync[1]);
		if (listener_socket[0] >= 0)
			close(listener_socket[0]);
		run_child(config, filter, sync[0], listener_socket[1],
			  front_end);
	}
	close(sync[0]);
	if (listener_socket[1] >= 0)
		close(listener_socket[1]);
	signals_forward_to(pidfd);
	err = prepare_child(config, child,
			    supervise && config->backend == BACKEND_PTRACE,
			    sync[1]);
	close(sync[1]);
	if (err) {
		wait_for_child(child, &status);
		signals_stop_forwarding();
		if (listener_socket[0] >= 0)
			close(listener_socket[0]);
		return EXIT_PSEUDO_FAILURE;
	}
	if (supervise)
		err = serve(config, table, child, pidfd, listener_socket[0],
			    &status);
	else
		err = wait_for_child(child, &status);
	if (listener_socket[0] >= 0)
		close(listener_socket[0]);
	signals_stop_forwarding();
	return err ? EXIT_PSEUDO_FAILURE : exit_status_from_wait(status);
}

int launch_run(const struct launch_config *config)
{
	struct filter_program filter = { 0 };
	struct syscall_table table;
	bool supervise;
	int status;

	if (syscall_table_build(&table, config->modules))
		return EXIT_PSEUDO_FAILURE;
	supervise = table.needs_supervisor || config->force_supervisor;
	if (config->install_filter && table.count &&
	    filter_build(&filter, &table,
			 config->backend == BACKEND_NOTIFY
				 ? SCMP_ACT_NOTIFY
				 : SCMP_ACT_TRACE(0))) {
		syscall_table_free(&table);
		return EXIT_PSEUDO_FAILURE;
	}
	if (debug_enabled())
		debug_msg("%zu system calls filtered, supervisor %s",
			  table.count,
			  !supervise			      ? "off"
			  : config->backend == BACKEND_NOTIFY ? "on (notify)"
							      : "on (ptrace)");
	status = start_and_wait(config, &table, &filter, supervise);
	filter_free(&filter);
	syscall_table_free(&table);
	return status;
}
