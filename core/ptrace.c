/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * The ptrace backend: the seccomp filter returns SECCOMP_RET_TRACE for the
 * calls modules handle, and the supervisor, tracer of every thread below
 * the command, runs the handlers at each PTRACE_EVENT_SECCOMP stop.
 *
 * The threads are seized with PTRACE_SEIZE, so stops for job control are
 * reported as PTRACE_EVENT_STOP and left in place with PTRACE_LISTEN, and
 * signals are delivered as they arrived.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core.h"
#include "regs.h"

#define TRACE_OPTIONS                                                          \
	(PTRACE_O_TRACESECCOMP | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK |    \
	 PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESYSGOOD |    \
	 PTRACE_O_EXITKILL)

/*
 * Threads that exited before their creator's clone event arrived: the
 * event must not create a thread that will never stop.
 */
#define EARLY_EXIT_SLOTS 64

struct tracer {
	const struct ptrace_config *config;
	int main_status;
	bool main_reaped;
	pid_t early_exits[EARLY_EXIT_SLOTS];
	size_t early_exit_next;
};

static int backend_read(const struct pseudo_call *call, uint64_t address,
			void *buf, size_t size)
{
	return tracee_read(call->tid, address, buf, size);
}

static int backend_write(const struct pseudo_call *call, uint64_t address,
			 const void *buf, size_t size)
{
	return tracee_write(call->tid, address, buf, size);
}

static const struct backend_ops ptrace_backend = {
	.name = "ptrace",
	.read = backend_read,
	.write = backend_write,
	.can_change_args = true,
	.can_see_exit = true,
};

int ptrace_seize_child(pid_t child)
{
	if (ptrace(PTRACE_SEIZE, child, NULL, (void *)TRACE_OPTIONS) < 0) {
		int err = errno;

		error_msg("cannot trace the command's process %d: "
			  "PTRACE_SEIZE: %s; check "
			  "/proc/sys/kernel/yama/ptrace_scope",
			  child, strerror(err));
		return -err;
	}
	return 0;
}

/*
 * Resumes a stopped thread, delivering SIGNAL.  A thread waiting for the
 * result of a call resumes to its syscall-exit stop.  ESRCH only means the
 * thread was killed meanwhile: its exit is reported by waitpid.
 */
static void resume(const struct pseudo_thread *thread, int signal)
{
	int request = thread->flags & THREAD_IN_SYSCALL ? PTRACE_SYSCALL
							: PTRACE_CONT;

	if (ptrace(request, thread->tid, NULL, (void *)(long)signal) < 0 &&
	    errno != ESRCH)
		warning_msg("cannot resume thread %d: %s", thread->tid,
			    strerror(errno));
}

static int64_t sign_extend(const struct abi_desc *abi, uint64_t value)
{
	return abi->word_size == 4 ? (int64_t)(int32_t)value : (int64_t)value;
}

static void handle_seccomp_stop(struct tracer *tracer,
				struct pseudo_thread *thread)
{
	const struct syscall_entry *entry = NULL;
	const struct abi_desc *abi = NULL;
	struct pending_call *pending;
	enum call_outcome outcome;
	struct call_regs regs;
	uint64_t args[6];
	long nr = -1;
	int err;

	err = regs_fetch(thread->tid, &regs);
	if (err) {
		if (err != -ESRCH)
			warning_msg("cannot read the call of thread %d: %s",
				    thread->tid, strerror(-err));
		return;
	}
	abi = regs_decode(&regs, &nr, args);
	if (abi)
		entry = syscall_table_find(tracer->config->table, abi->abi, nr);
	pending = entry ? thread_pending(thread) : NULL;
	if (!pending) {
		/* A filter of the command's own, such as a container's
		 * seccomp profile, traces a call no module handles. */
		resume(thread, 0);
		return;
	}
	supervisor_fill_call(pending, thread, entry, args);
	outcome = supervisor_enter_call(&ptrace_backend, pending);
	if (outcome == CALL_RETURN)
		err = regs_skip_call(thread->tid, &regs, pending->call.result);
	else if (pending->args_changed)
		err = regs_set_args(thread->tid, &regs, entry->abi,
				    pending->call.args);
	if (err && err != -ESRCH)
		warning_msg("cannot change the registers of thread %d: %s",
			    thread->tid, strerror(-err));
	if (outcome == CALL_RUN_AND_FINISH)
		thread->flags |= THREAD_IN_SYSCALL;
	resume(thread, 0);
}

static void handle_syscall_exit(struct pseudo_thread *thread)
{
	struct pending_call *pending = thread->pending;
	struct __ptrace_syscall_info info;
	int64_t kernel_result;

	thread->flags &= ~THREAD_IN_SYSCALL;
	if (ptrace(PTRACE_GET_SYSCALL_INFO, thread->tid, sizeof(info), &info) <
		    0 ||
	    info.op != PTRACE_SYSCALL_INFO_EXIT || !pending) {
		resume(thread, 0);
		return;
	}
	kernel_result = sign_extend(pending->entry->abi, info.exit.rval);
	pending->call.result = kernel_result;
	supervisor_finish_call(pending);
	if (pending->call.result != kernel_result) {
		int err = regs_set_result(thread->tid, pending->call.result);

		if (err && err != -ESRCH)
			warning_msg("cannot set the result of thread %d: %s",
				    thread->tid, strerror(-err));
	}
	resume(thread, 0);
}

static bool exited_early(struct tracer *tracer, pid_t tid)
{
	for (size_t i = 0; i < EARLY_EXIT_SLOTS; i++)
		if (tracer->early_exits[i] == tid) {
			tracer->early_exits[i] = 0;
			return true;
		}
	return false;
}

static void kill_thread(pid_t tid)
{
	kill(tid, SIGKILL);
}

/* Gives a new thread its state, inherited from its creator. */
static void start_child(struct tracer *tracer, struct pseudo_thread *parent,
			struct pseudo_thread *child, int event)
{
	struct pseudo_event ev = {
		.thread = child,
		.tid = child->tid,
		.parent_tid = parent->tid,
	};

	switch (event) {
	case PTRACE_EVENT_FORK:
		ev.type = PSEUDO_EVENT_FORK;
		break;
	case PTRACE_EVENT_VFORK:
		ev.type = PSEUDO_EVENT_VFORK;
		break;
	default:
		ev.type = PSEUDO_EVENT_CLONE;
		child->tgid = thread_read_tgid(child->tid);
		ev.same_process = child->tgid == parent->tgid;
		break;
	}
	if (ev.type != PSEUDO_EVENT_CLONE)
		child->tgid = child->tid;
	if (thread_dispatch_event(tracer->config->modules, &ev, parent))
		kill_thread(child->tid);
}

static void handle_new_thread(struct tracer *tracer,
			      struct pseudo_thread *parent, int event)
{
	unsigned long message = 0;
	struct pseudo_thread *child;
	pid_t tid;

	if (ptrace(PTRACE_GETEVENTMSG, parent->tid, NULL, &message) < 0) {
		resume(parent, 0);
		return;
	}
	tid = (pid_t)message;
	child = thread_find(tid);
	if (child && (child->flags & THREAD_AWAITING_PARENT)) {
		child->flags &= ~THREAD_AWAITING_PARENT;
		start_child(tracer, parent, child, event);
		resume(child, 0);
	} else if (!child && !exited_early(tracer, tid)) {
		child = thread_add(tid);
		if (!child) {
			error_msg("out of memory tracking thread %d", tid);
			kill_thread(tid);
		} else {
			child->flags |= THREAD_AWAITING_ATTACH_STOP;
			start_child(tracer, parent, child, event);
		}
	}
	resume(parent, 0);
}

/*
 * A successful execve.  When a thread other than the leader runs it, the
 * kernel gives it the leader's id and reports the old id in the event
 * message; the old leader's exit is never reported (ptrace(2), execve
 * under ptrace), so its state is freed here.
 */
static void handle_exec(struct tracer *tracer, struct pseudo_thread *thread)
{
	struct pseudo_exec exec = { 0 };
	struct pseudo_event ev = { .type = PSEUDO_EVENT_EXEC };
	unsigned long message = 0;
	char path[4096];

	if (ptrace(PTRACE_GETEVENTMSG, thread->tid, NULL, &message) == 0 &&
	    (pid_t)message != thread->tid) {
		struct pseudo_thread *execing = thread_find((pid_t)message);

		if (execing) {
			struct pseudo_event exit_ev = {
				.type = PSEUDO_EVENT_EXIT,
				.thread = thread,
				.tid = thread->tid,
			};
			pid_t tid = thread->tid;

			thread_dispatch_event(tracer->config->modules, &exit_ev,
					      NULL);
			thread_remove(thread);
			thread_rename(execing, tid);
			thread = execing;
		}
	}
	describe_executable(thread->tid, &exec, path, sizeof(path));
	ev.thread = thread;
	ev.tid = thread->tid;
	ev.exec = &exec;
	if (thread_dispatch_event(tracer->config->modules, &ev, NULL))
		kill_thread(thread->tid);
	if (debug_enabled())
		debug_msg("tid %d: execve %s, %zu threads tracked", thread->tid,
			  path, thread_count());
	resume(thread, 0);
}

static bool is_stop_signal(int signal)
{
	return signal == SIGSTOP || signal == SIGTSTP || signal == SIGTTIN ||
	       signal == SIGTTOU;
}

static void handle_event_stop(struct pseudo_thread *thread, int signal)
{
	if (thread->flags & THREAD_AWAITING_ATTACH_STOP) {
		thread->flags &= ~THREAD_AWAITING_ATTACH_STOP;
		resume(thread, 0);
		return;
	}
	/*
	 * A group stop: the thread stays stopped, and its SIGCONT is reported
	 * again, without the supervisor resuming it early.
	 */
	if (is_stop_signal(signal)) {
		if (ptrace(PTRACE_LISTEN, thread->tid, NULL, NULL) < 0 &&
		    errno != ESRCH)
			warning_msg("cannot leave thread %d stopped: %s",
				    thread->tid, strerror(errno));
		return;
	}
	resume(thread, 0);
}

static void handle_stop(struct tracer *tracer, struct pseudo_thread *thread,
			int status)
{
	int signal = WSTOPSIG(status);
	int event = (unsigned int)status >> 16;

	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		handle_seccomp_stop(tracer, thread);
		break;
	case PTRACE_EVENT_CLONE:
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
		handle_new_thread(tracer, thread, event);
		break;
	case PTRACE_EVENT_EXEC:
		handle_exec(tracer, thread);
		break;
	case PTRACE_EVENT_STOP:
		handle_event_stop(thread, signal);
		break;
	case 0:
		if (signal == (SIGTRAP | 0x80))
			handle_syscall_exit(thread);
		else
			resume(thread, signal);
		break;
	default:
		resume(thread, 0);
		break;
	}
}

static void handle_exit(struct tracer *tracer, pid_t tid, int status)
{
	struct pseudo_thread *thread = thread_find(tid);

	if (tid == tracer->config->child) {
		tracer->main_status = status;
		tracer->main_reaped = true;
		signals_stop_forwarding();
	}
	if (!thread) {
		tracer->early_exits[tracer->early_exit_next] = tid;
		tracer->early_exit_next =
			(tracer->early_exit_next + 1) % EARLY_EXIT_SLOTS;
		return;
	}
	if (thread->flags & THREAD_HAS_STATE) {
		struct pseudo_event ev = {
			.type = PSEUDO_EVENT_EXIT,
			.thread = thread,
			.tid = tid,
			.status = status,
		};

		thread_dispatch_event(tracer->config->modules, &ev, NULL);
	}
	thread_remove(thread);
}

/* A stop of a thread not known yet: a new thread whose creator's event
 * is still queued.  It stays stopped until that event arrives. */
static void handle_unknown_stop(pid_t tid)
{
	struct pseudo_thread *thread = thread_add(tid);

	if (!thread) {
		error_msg("out of memory tracking thread %d", tid);
		kill_thread(tid);
		return;
	}
	thread->flags |= THREAD_AWAITING_PARENT;
}

static int start_main_thread(const struct ptrace_config *config)
{
	struct pseudo_thread *thread = thread_add(config->child);
	struct pseudo_event ev = { .type = PSEUDO_EVENT_START };

	if (!thread)
		return -ENOMEM;
	ev.thread = thread;
	ev.tid = thread->tid;
	return thread_dispatch_event(config->modules, &ev, NULL);
}

int ptrace_serve(const struct ptrace_config *config, int *status)
{
	struct tracer tracer = { .config = config };
	int err;

	thread_table_setup(config->modules);
	err = start_main_thread(config);
	if (err) {
		kill_thread(config->child);
		return err;
	}
	for (;;) {
		struct pseudo_thread *thread;
		int wait_status;
		pid_t tid = waitpid(-1, &wait_status, __WALL);

		if (tid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				break;
			error_msg("waitpid failed: %s", strerror(errno));
			return -errno;
		}
		if (WIFEXITED(wait_status) || WIFSIGNALED(wait_status)) {
			handle_exit(&tracer, tid, wait_status);
			continue;
		}
		if (!WIFSTOPPED(wait_status))
			continue;
		thread = thread_find(tid);
		if (!thread)
			handle_unknown_stop(tid);
		else
			handle_stop(&tracer, thread, wait_status);
	}
	if (debug_enabled())
		debug_msg("supervisor: %zu threads at most, %zu left",
			  thread_peak_count(), thread_count());
	if (!tracer.main_reaped) {
		error_msg("the command's process %d was never reported as "
			  "exited",
			  config->child);
		return -ECHILD;
	}
	*status = tracer.main_status;
	return 0;
}
