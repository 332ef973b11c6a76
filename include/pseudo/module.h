/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * The pseudo module ABI.
 *
 * A module is a shared object that exports one function,
 * PSEUDO_MODULE_ENTRY, returning a pointer to a constant struct
 * pseudo_module.  The core loads it with dlopen(RTLD_NOW), rejects it when
 * abi_version differs from PSEUDO_MODULE_ABI_VERSION, and then uses only
 * the descriptor and the pseudo_* functions declared below, which the
 * pseudo and pseudopod programs export to their modules.
 *
 * A module acts at three points of a run:
 *
 *   1. in the front end, right after the command's process was cloned
 *      into its new user namespace (parent_after_clone);
 *   2. in that process, before it executes the command and before the
 *      seccomp filter is installed (child_before_exec);
 *   3. in the supervisor, which receives the system calls named in the
 *      modules' syscall tables and the tracer events (clone, fork, vfork,
 *      execve, exit) of every thread below the command (event, and the
 *      enter and exit handlers of each struct pseudo_syscall row).
 *
 * The supervisor runs only when some loaded module has a row with
 * PSEUDO_ACTION_HANDLE.  System calls that no module names never leave
 * the kernel's fast path.
 */
#ifndef PSEUDO_MODULE_H
#define PSEUDO_MODULE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Incremented on every change that makes an older module misbehave:
 * a changed struct layout, a changed meaning, a removed function.
 */
#define PSEUDO_MODULE_ABI_VERSION 1

/* The symbol the loader looks up with dlsym(). */
#define PSEUDO_MODULE_ENTRY pseudo_module_descriptor
#define PSEUDO_MODULE_ENTRY_NAME "pseudo_module_descriptor"

/* Marks the one exported function of a module built with
 * -fvisibility=hidden. */
#define PSEUDO_MODULE_EXPORT __attribute__((visibility("default")))

struct pseudo_module;

/* The entry point every module defines, with PSEUDO_MODULE(). */
PSEUDO_MODULE_EXPORT const struct pseudo_module *PSEUDO_MODULE_ENTRY(void);

/* Defines the module's entry point returning DESCRIPTOR. */
#define PSEUDO_MODULE(descriptor)                                              \
	PSEUDO_MODULE_EXPORT const struct pseudo_module *PSEUDO_MODULE_ENTRY(  \
		void)                                                          \
	{                                                                      \
		return &(descriptor);                                          \
	}

/* Per-module context: the module's options and private data. */
struct pseudo_module_ctx;

/* A traced thread, known to the supervisor from its creation to its
 * exit. */
struct pseudo_thread;

/*
 * System call ABIs.  One value names the ABI of a call; a mask of them
 * restricts a syscall row to some ABIs.  Names are resolved per ABI by
 * libseccomp, so "setuid" is the 16-bit call on i386 and the 32-bit call
 * on x86_64, while "setuid32" exists only on i386.
 */
enum pseudo_abi {
	PSEUDO_ABI_X86_64 = 1u << 0,
	PSEUDO_ABI_I386 = 1u << 1,
	PSEUDO_ABI_X32 = 1u << 2,
	PSEUDO_ABI_AARCH64 = 1u << 3,
	PSEUDO_ABI_ARM = 1u << 4,
};

/* In a syscall row: every ABI on which the name exists. */
#define PSEUDO_ABI_ALL 0u

/* What the seccomp filter does with a system call named in a row. */
enum pseudo_action {
	/* Stop the caller and let the supervisor run the row's handlers. */
	PSEUDO_ACTION_HANDLE = 0,
	/* Return -errno_value (0: success) from the filter, without
	 * running the call and without a supervisor. */
	PSEUDO_ACTION_ERRNO,
};

/* Flags of a syscall row. */
enum pseudo_syscall_flags {
	/*
	 * An observer: its enter handler runs before every other module's
	 * handlers for the call, and its exit handler after them, both with
	 * the arguments as the caller passed them; the exit handler gets the
	 * result the caller gets, and runs for every call, with
	 * call->result_known false when the backend cannot see the result.
	 * An observer's enter handler must return PSEUDO_CONTINUE.
	 */
	PSEUDO_SYSCALL_OBSERVE = 1u << 0,
};

/* The decision of an enter handler. */
enum pseudo_verdict {
	/*
	 * Not decided here: the next module's handler runs; when none is
	 * left, the kernel runs the call with the current arguments.
	 */
	PSEUDO_CONTINUE = 0,
	/* Decided: the call does not run and the caller gets
	 * call->result. */
	PSEUDO_RETURN,
};

/* One system call as the supervisor sees it. */
struct pseudo_call {
	/* The module context of the handler being run. */
	struct pseudo_module_ctx *ctx;
	/* The calling thread. */
	struct pseudo_thread *thread;
	/* This module's per-thread state of the calling thread, or NULL
	 * when the module declared no state. */
	void *state;
	/* The calling thread's id and its process (thread group) id, both
	 * in the supervisor's PID namespace. */
	pid_t tid;
	pid_t tgid;
	/* The call's ABI (one PSEUDO_ABI_* value), number on that ABI, and
	 * the name of the row that matched it. */
	enum pseudo_abi abi;
	long nr;
	const char *name;
	/* The arguments, zero-extended from the ABI's register width.  Use
	 * pseudo_call_set_arg() to change one for the kernel. */
	uint64_t args[6];
	/*
	 * The result: set by an enter handler returning PSEUDO_RETURN, or
	 * by the kernel before exit handlers run.  A negative value in
	 * [-4095, -1] is an error number, as in the kernel.
	 */
	int64_t result;
	/* The data field of the matching row. */
	uintptr_t data;
	/* In exit handlers: whether call->result is the call's result.  It
	 * is false only for observers, whose exit handler the core also runs
	 * when the backend let the kernel run the call without seeing the
	 * result. */
	bool result_known;
};

/*
 * Runs when a thread makes a call that the row names, before the kernel
 * sees it.  Reads arguments and tracee memory, may update call->state,
 * and returns PSEUDO_RETURN with call->result set to decide the call, or
 * PSEUDO_CONTINUE to let the next module or the kernel run it.
 */
typedef enum pseudo_verdict (*pseudo_enter_fn)(struct pseudo_call *call);

/*
 * Runs after the kernel ran the call (it does not run for a call an enter
 * handler decided, except for observers), with call->result holding the
 * kernel's result.  May change call->result.  Exit handlers run only when
 * pseudo_call_can_see_exit() is true for the backend; otherwise they are
 * skipped and the handler of the enter side must decide alone.
 */
typedef void (*pseudo_exit_fn)(struct pseudo_call *call);

/*
 * A row of a module's syscall table.  A table is an array terminated by a
 * row whose name is NULL.  Several rows, of one module or of several, may
 * name the same call: their handlers run in the order the modules were
 * loaded, observers first.
 */
struct pseudo_syscall {
	/* The system call's name as libseccomp knows it, e.g.
	 * "setresuid32". */
	const char *name;
	/* PSEUDO_ABI_* mask of the ABIs this row applies to, or
	 * PSEUDO_ABI_ALL. */
	unsigned int abis;
	enum pseudo_action action;
	/* PSEUDO_ACTION_ERRNO: the error number returned, 0 for success. */
	int errno_value;
	/* PSEUDO_SYSCALL_* flags. */
	unsigned int flags;
	/* PSEUDO_ACTION_HANDLE: the handlers; either may be NULL. */
	pseudo_enter_fn enter;
	pseudo_exit_fn exit;
	/* Copied to call->data, so that one handler can serve several
	 * rows. */
	uintptr_t data;
};

/* A key a module accepts in --module-opt=MODULE.KEY=VALUE. */
struct pseudo_option {
	const char *key;
	/* One line for --help and --list-modules. */
	const char *help;
	/* The value used when the option is not given, or NULL. */
	const char *default_value;
};

/* Tracer events. */
enum pseudo_event_type {
	/* The command's first thread, when the supervisor starts tracing
	 * it. */
	PSEUDO_EVENT_START = 0,
	/* A thread or process created by clone, fork or vfork; parent_*
	 * name its creator. */
	PSEUDO_EVENT_CLONE,
	PSEUDO_EVENT_FORK,
	PSEUDO_EVENT_VFORK,
	/* A successful execve or execveat, after the new program was
	 * loaded and before it runs its first instruction. */
	PSEUDO_EVENT_EXEC,
	/* A thread exited or was killed; its state is freed when the hook
	 * returns. */
	PSEUDO_EVENT_EXIT,
};

/* The executable of a PSEUDO_EVENT_EXEC. */
struct pseudo_exec {
	/* The path the kernel reports for /proc/TID/exe. */
	const char *path;
	/* Its status; st_uid and st_gid as the supervisor sees them. */
	struct stat st;
	/* st_uid and st_gid as the traced thread's user namespace sees
	 * them: unmapped ids are the kernel's overflow ids. */
	uid_t uid;
	gid_t gid;
	/* The file is on a mount with MS_NOSUID. */
	bool nosuid;
};

struct pseudo_event {
	enum pseudo_event_type type;
	struct pseudo_thread *thread;
	/* The thread's id; 0 for a copy of a thread's states that a backend
	 * keeps, which is no running thread: the notify backend keeps each
	 * version of a thread's states after a call changed them, so that
	 * the threads it creates later start from it (CLONE with tid 0, and
	 * EXIT with tid 0 at the end of the run). */
	pid_t tid;
	/* This module's state of tid, zero-filled for new threads.  It stays
	 * at this address until the thread's EXIT event returns, also when
	 * an execve in another thread gives the thread a new tid. */
	void *state;
	/* CLONE, FORK, VFORK: the creating thread and its state. */
	pid_t parent_tid;
	const void *parent_state;
	/* CLONE: the clone flags are not reported by ptrace; the core sets
	 * true when the new thread shares its creator's thread group. */
	bool same_process;
	/* EXEC: the new program. */
	const struct pseudo_exec *exec;
	/* EXIT: the wait status, as from waitpid(). */
	int status;
};

/*
 * A module's descriptor.  Every field but abi_version and name may be
 * zero.  Hooks return 0 on success or a negative error number after
 * reporting the failure with pseudo_error(); the core then stops the run
 * with status 125.
 */
struct pseudo_module {
	/* PSEUDO_MODULE_ABI_VERSION, as the module was built. */
	uint32_t abi_version;
	/* The name used in --module and --module-opt: [a-z0-9_]+. */
	const char *name;
	/* One line shown by --list-modules. */
	const char *summary;
	/* Accepted option keys, terminated by a row whose key is NULL. */
	const struct pseudo_option *options;
	/* Syscall rows, terminated by a row whose name is NULL. */
	const struct pseudo_syscall *syscalls;
	/* Bytes of per-thread state the core allocates for this module. */
	size_t state_size;

	/*
	 * Runs in the front end after all modules were loaded and their
	 * options parsed, before anything is started.  May check options,
	 * allocate module data (pseudo_set_data) and add syscall rows with
	 * pseudo_add_syscall().
	 */
	int (*init)(struct pseudo_module_ctx *ctx);

	/* Runs in the front end after the run, in reverse load order, for
	 * every module whose init ran, also when it failed: it frees what
	 * init left, possibly in part. */
	void (*fini)(struct pseudo_module_ctx *ctx);

	/*
	 * Runs in the front end right after the command's process was
	 * created in its new user and mount namespaces, after its uid and
	 * gid maps were written and before it continues.  child is its
	 * process id.
	 */
	int (*parent_after_clone)(struct pseudo_module_ctx *ctx, pid_t child);

	/*
	 * Runs in the command's process before it executes the command and
	 * before the seccomp filter is installed, with all capabilities of
	 * its user namespace: mounts, environment (setenv), file
	 * descriptors.  On failure the command is not run.
	 */
	int (*child_before_exec)(struct pseudo_module_ctx *ctx);

	/*
	 * Runs in the supervisor on every tracer event of every traced
	 * thread, in load order (EXIT: reverse load order).  For START,
	 * CLONE, FORK and VFORK it initializes event->state; when this hook
	 * is NULL, the core copies the creator's state bytes instead and
	 * zero-fills the first thread's.  Its return value is ignored for
	 * EXIT; any other failure kills the thread with SIGKILL, because it
	 * could not run with a correct state.
	 */
	int (*event)(struct pseudo_module_ctx *ctx,
		     const struct pseudo_event *event);
};

/* Log levels of pseudo_log(). */
enum pseudo_log_level {
	PSEUDO_LOG_ERROR = 0,
	PSEUDO_LOG_WARNING,
	PSEUDO_LOG_INFO,
	PSEUDO_LOG_DEBUG,
};

/* Exported by the core to modules. */

/* Writes a message prefixed with the program and module name to stderr,
 * when LEVEL is enabled (--debug enables PSEUDO_LOG_DEBUG). */
void pseudo_log(const struct pseudo_module_ctx *ctx,
		enum pseudo_log_level level, const char *format, ...)
	__attribute__((format(printf, 3, 4)));
bool pseudo_log_enabled(enum pseudo_log_level level);

/* pseudo_log() at PSEUDO_LOG_ERROR: what failed, on which value, and what
 * to do. */
void pseudo_error(const struct pseudo_module_ctx *ctx, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

/* The module's name. */
const char *pseudo_module_name(const struct pseudo_module_ctx *ctx);

/*
 * The value of option KEY: the last one given, else its default, else
 * NULL.  pseudo_option_values() returns every given value in order (the
 * default when none was given) and stores their number in *count.
 */
const char *pseudo_option(const struct pseudo_module_ctx *ctx, const char *key);
const char *const *pseudo_option_values(const struct pseudo_module_ctx *ctx,
					const char *key, size_t *count);

/* Module data, e.g. allocated by init and freed by fini. */
void pseudo_set_data(struct pseudo_module_ctx *ctx, void *data);
void *pseudo_data(const struct pseudo_module_ctx *ctx);

/*
 * Adds a syscall row to the module's table, from init only.  The core
 * copies the row and its name.  Returns 0, or -ENOENT when no ABI of the
 * host knows the name, -EINVAL for an invalid row.
 */
int pseudo_add_syscall(struct pseudo_module_ctx *ctx,
		       const struct pseudo_syscall *row);

/* The real ids of the user who started the run, outside its user
 * namespace. */
uid_t pseudo_caller_uid(void);
gid_t pseudo_caller_gid(void);

/*
 * Tracee memory, in the calling thread's address space.  Return 0, or
 * -EFAULT when any byte is not mapped (or not writable); a failed read
 * leaves BUF unspecified.
 */
int pseudo_mem_read(const struct pseudo_call *call, uint64_t address, void *buf,
		    size_t size);
int pseudo_mem_write(const struct pseudo_call *call, uint64_t address,
		     const void *buf, size_t size);

/*
 * Reads the NUL-terminated string at ADDRESS into BUF.  Returns its
 * length, -EFAULT, or -ENAMETOOLONG when it does not fit in SIZE bytes.
 */
ssize_t pseudo_mem_read_string(const struct pseudo_call *call, uint64_t address,
			       char *buf, size_t size);

/*
 * Changes argument INDEX of a call that an enter handler will return
 * PSEUDO_CONTINUE for, so that the kernel runs it with VALUE.  Returns 0,
 * or -EOPNOTSUPP when the backend cannot change arguments.
 */
int pseudo_call_set_arg(struct pseudo_call *call, unsigned int index,
			uint64_t value);

/* Whether exit handlers run, i.e. the backend sees the kernel's result of
 * a call it let run. */
bool pseudo_call_can_see_exit(const struct pseudo_call *call);

/*
 * Whether ID is mapped in the user namespace of the calling thread,
 * i.e. whether the kernel can represent it there.  GID selects the gid
 * map.  Returns 1, 0, or a negative error number when the map cannot be
 * read.
 */
int pseudo_id_is_mapped(const struct pseudo_call *call, uint32_t id, bool gid);

/*
 * Opens, for the supervisor, the directory or file that DIRFD names in the
 * calling thread: its working directory for AT_FDCWD, else its file
 * descriptor DIRFD.  Returns a file descriptor opened with O_PATH |
 * O_CLOEXEC, which the caller closes, or a negative error number (-EBADF
 * when the thread has no such descriptor).
 */
int pseudo_tracee_open_dirfd(const struct pseudo_call *call, int dirfd);

/*
 * Runs fchownat(DIRFD, PATH, UID, GID, FLAGS) as the calling thread would
 * run it: in its root directory, from its working directory (AT_FDCWD) or
 * its descriptor DIRFD, with the capabilities of its user namespace's
 * root, so that lookup and permission errors are the kernel's.  PATH is
 * in the supervisor's memory.  Returns 0 or a negative error number.
 */
int pseudo_tracee_fchownat(const struct pseudo_call *call, int dirfd,
			   const char *path, uint32_t uid, uint32_t gid,
			   int flags);

#ifdef __cplusplus
}
#endif

#endif /* PSEUDO_MODULE_H */
