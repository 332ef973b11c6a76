/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * Running the modules' handlers for one call, and the functions modules
 * call from their handlers.  Backends feed calls in and apply the
 * outcome; nothing here depends on how the call was stopped.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "core.h"

#define PAGE_SIZE_MIN 4096

static const struct backend_ops *current_backend;

static struct pending_call *pending_of(const struct pseudo_call *call)
{
	return (struct pending_call *)((char *)call -
				       offsetof(struct pending_call, call));
}

static void prepare_handler(struct pending_call *pending,
			    const struct syscall_handler *handler)
{
	struct pseudo_call *call = &pending->call;

	call->ctx = handler->ctx;
	call->state = thread_module_state(call->thread, handler->ctx);
	call->data = handler->row->data;
}

/* Logs a call and its result, decided by module HOW, or, when HOW is
 * NULL, that the kernel runs it. */
static void log_call(const struct pending_call *pending, const char *how)
{
	const struct pseudo_call *call = &pending->call;

	if (!debug_enabled())
		return;
	if (!how) {
		debug_msg("tid %d: %s %s(%#" PRIx64 ", %#" PRIx64 ", %#" PRIx64
			  "): the kernel runs it",
			  call->tid, pending->entry->abi->name, call->name,
			  call->args[0], call->args[1], call->args[2]);
		return;
	}
	debug_msg("tid %d: %s %s(%#" PRIx64 ", %#" PRIx64 ", %#" PRIx64
		  ") = %" PRId64 " (%s)",
		  call->tid, pending->entry->abi->name, call->name,
		  call->args[0], call->args[1], call->args[2], call->result,
		  how);
}

/* Runs HANDLER's exit handler; an observer sees the caller's arguments. */
static void run_exit(struct pending_call *pending,
		     const struct syscall_handler *handler)
{
	struct pseudo_call *call = &pending->call;
	uint64_t args[6];
	bool observer = handler->row->flags & PSEUDO_SYSCALL_OBSERVE;

	prepare_handler(pending, handler);
	if (observer) {
		memcpy(args, call->args, sizeof(args));
		memcpy(call->args, pending->caller_args, sizeof(args));
	}
	handler->row->exit(call);
	if (observer)
		memcpy(call->args, args, sizeof(args));
}

/* Runs the exit handlers of the observers among the first COUNT
 * handlers, last first. */
static void run_observer_exits(struct pending_call *pending, size_t count)
{
	const struct syscall_entry *entry = pending->entry;

	for (size_t i = count; i-- > 0;) {
		const struct syscall_handler *handler = &entry->handlers[i];

		if ((handler->row->flags & PSEUDO_SYSCALL_OBSERVE) &&
		    handler->row->exit)
			run_exit(pending, handler);
	}
}

void supervisor_fill_call(struct pending_call *pending,
			  struct pseudo_thread *thread,
			  const struct syscall_entry *entry,
			  const uint64_t args[6])
{
	struct pseudo_call *call = &pending->call;

	pending->entry = entry;
	*call = (struct pseudo_call){
		.thread = thread,
		.tid = thread->tid,
		.tgid = thread->tgid,
		.abi = entry->abi->abi,
		.nr = entry->nr,
	};
	for (int i = 0; i < 6; i++)
		call->args[i] = entry->abi->word_size == 4 ? (uint32_t)args[i]
							   : args[i];
}

enum call_outcome supervisor_enter_call(const struct backend_ops *backend,
					struct pending_call *pending)
{
	const struct syscall_entry *entry = pending->entry;
	struct pseudo_call *call = &pending->call;
	bool wants_exit = false;

	current_backend = backend;
	call->name = entry->name;
	call->result = -ENOSYS;
	call->result_known = true;
	pending->ran_count = 0;
	pending->args_changed = false;
	memcpy(pending->caller_args, call->args, sizeof(call->args));
	for (size_t i = 0; i < entry->handler_count; i++) {
		const struct syscall_handler *handler = &entry->handlers[i];
		const struct pseudo_syscall *row = handler->row;
		enum pseudo_verdict verdict = PSEUDO_CONTINUE;

		prepare_handler(pending, handler);
		pending->ran_count = i + 1;
		if (row->action == PSEUDO_ACTION_ERRNO) {
			call->result = -row->errno_value;
			verdict = PSEUDO_RETURN;
		} else if (row->enter) {
			verdict = row->enter(call);
		}
		if (row->exit)
			wants_exit = true;
		if (verdict == PSEUDO_RETURN &&
		    !(row->flags & PSEUDO_SYSCALL_OBSERVE)) {
			run_observer_exits(pending, i + 1);
			log_call(pending, handler->ctx->desc->name);
			return CALL_RETURN;
		}
	}
	if (wants_exit && backend->can_see_exit)
		return CALL_RUN_AND_FINISH;
	if (debug_enabled())
		log_call(pending, NULL);
	/* The kernel's result will not be seen: observers learn that. */
	call->result_known = false;
	run_observer_exits(pending, pending->ran_count);
	return CALL_RUN;
}

void supervisor_finish_call(struct pending_call *pending)
{
	const struct syscall_entry *entry = pending->entry;

	for (size_t i = pending->ran_count; i-- > 0;) {
		const struct syscall_handler *handler = &entry->handlers[i];

		if (handler->row->exit)
			run_exit(pending, handler);
	}
	log_call(pending, "kernel result after exit handlers");
}

/* Describes the program TID runs, right after an execve. */
void describe_executable(pid_t tid, struct pseudo_exec *exec, char *path,
			 size_t path_size)
{
	char link[64];
	struct statvfs vfs;
	ssize_t length;
	autoclose int fd = -1;

	snprintf(link, sizeof(link), "/proc/%d/exe", tid);
	length = readlink(link, path, path_size - 1);
	path[length > 0 ? length : 0] = '\0';
	exec->path = path;
	fd = open(link, O_PATH | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &exec->st) < 0)
		return;
	exec->uid = idmap_to_inside(tid, exec->st.st_uid, false);
	exec->gid = idmap_to_inside(tid, exec->st.st_gid, true);
	exec->nosuid = fstatvfs(fd, &vfs) == 0 && (vfs.f_flag & ST_NOSUID);
}

PSEUDO_API int pseudo_mem_read(const struct pseudo_call *call, uint64_t address,
			       void *buf, size_t size)
{
	return current_backend->read(call, address, buf, size);
}

PSEUDO_API int pseudo_mem_write(const struct pseudo_call *call,
				uint64_t address, const void *buf, size_t size)
{
	return current_backend->write(call, address, buf, size);
}

/*
 * Reads up to the end of each page at a time, so that a string ending
 * just before an unmapped page is read as the kernel would read it.
 */
PSEUDO_API ssize_t pseudo_mem_read_string(const struct pseudo_call *call,
					  uint64_t address, char *buf,
					  size_t size)
{
	size_t length = 0;

	while (length < size) {
		uint64_t at = address + length;
		size_t chunk = PAGE_SIZE_MIN - (at % PAGE_SIZE_MIN);
		char *nul;
		int err;

		if (chunk > size - length)
			chunk = size - length;
		err = pseudo_mem_read(call, at, buf + length, chunk);
		if (err)
			return err;
		nul = memchr(buf + length, '\0', chunk);
		if (nul)
			return nul - buf;
		length += chunk;
	}
	return -ENAMETOOLONG;
}

PSEUDO_API int pseudo_call_set_arg(struct pseudo_call *call, unsigned int index,
				   uint64_t value)
{
	if (index >= 6)
		return -EINVAL;
	if (!current_backend->can_change_args)
		return -EOPNOTSUPP;
	call->args[index] = value;
	pending_of(call)->args_changed = true;
	return 0;
}

PSEUDO_API bool pseudo_call_can_see_exit(const struct pseudo_call *call)
{
	(void)call;
	return current_backend->can_see_exit;
}

PSEUDO_API int pseudo_id_is_mapped(const struct pseudo_call *call, uint32_t id,
				   bool gid)
{
	return idmap_contains(call->tid, id, gid);
}

PSEUDO_API int pseudo_tracee_open_dirfd(const struct pseudo_call *call,
					int dirfd)
{
	char path[64];
	int fd;

	if (dirfd == AT_FDCWD)
		snprintf(path, sizeof(path), "/proc/%d/cwd", call->tid);
	else if (dirfd >= 0)
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", call->tid,
			 dirfd);
	else
		return -EBADF;
	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -EBADF : -errno;
	return fd;
}

/*
 * The command's process inherits these from the front end, where they are
 * read before it enters its user namespace and sees other ids.
 */
static uid_t caller_uid;
static gid_t caller_gid;

__attribute__((constructor)) static void read_caller_ids(void)
{
	caller_uid = getuid();
	caller_gid = getgid();
}

PSEUDO_API uid_t pseudo_caller_uid(void)
{
	return caller_uid;
}

PSEUDO_API gid_t pseudo_caller_gid(void)
{
	return caller_gid;
}
