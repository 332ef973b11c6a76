/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * The core's internal interface, shared by the core's files and the two
 * front ends.  Modules see only include/pseudo/module.h.
 */
#ifndef PSEUDO_CORE_H
#define PSEUDO_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <pseudo/module.h>

/* Exit statuses, as env(1) and timeout(1) use them. */
enum {
	EXIT_PSEUDO_FAILURE = 125,
	EXIT_CANNOT_EXECUTE = 126,
	EXIT_NOT_FOUND = 127,
};

#define PSEUDO_API __attribute__((visibility("default")))

/* Frees *p with free() when the variable goes out of scope. */
#define autofree __attribute__((cleanup(free_pointer)))
/* Closes *fd when the variable goes out of scope, unless it is < 0. */
#define autoclose __attribute__((cleanup(close_fd)))

void free_pointer(void *p);
void close_fd(int *fd);

/* log.c: messages of the core and the front ends. */

void log_set_program(const char *name);
const char *log_program(void);
void log_set_level(enum pseudo_log_level level);
enum pseudo_log_level log_level(void);
void log_message(enum pseudo_log_level level, const char *module,
		 const char *format, va_list args)
	__attribute__((format(printf, 3, 0)));

void error_msg(const char *format, ...) __attribute__((format(printf, 1, 2)));
void warning_msg(const char *format, ...) __attribute__((format(printf, 1, 2)));
void debug_msg(const char *format, ...) __attribute__((format(printf, 1, 2)));

#define debug_enabled() (log_level() >= PSEUDO_LOG_DEBUG)

/* abi.c: the system call ABIs of the host. */

struct abi_desc {
	enum pseudo_abi abi;
	/* libseccomp's SCMP_ARCH_* token. */
	uint32_t scmp_arch;
	const char *name;
	/* The width of an argument register, in bytes. */
	unsigned int word_size;
};

/* Fills ABIS with the ABIs the host kernel runs, native first, and
 * returns their number. */
size_t abi_host_list(const struct abi_desc **abis, size_t max);
const struct abi_desc *abi_find(enum pseudo_abi abi);
/* The ABI of a call the kernel reports as AUDIT_ARCH value ARCH with
 * number NR, or NULL. */
const struct abi_desc *abi_from_audit(uint32_t arch, long nr);

/* module.c: the modules of a run. */

struct module_option_value {
	char *key;
	char *value;
};

struct pseudo_module_ctx {
	const struct pseudo_module *desc;
	/* The file the module was loaded from, or NULL for a built-in
	 * module. */
	char *path;
	void *handle;
	struct module_option_value *values;
	size_t value_count;
	/* Scratch array returned by pseudo_option_values(). */
	const char **value_list;
	void *data;
	/* Rows added by init with pseudo_add_syscall(). */
	struct pseudo_syscall *extra_rows;
	size_t extra_count;
	/* Offset of this module's per-thread state in a thread's state
	 * block. */
	size_t state_offset;
	bool initialized;
	bool init_failed;
	/* Set while init runs: pseudo_add_syscall() is accepted only
	 * then. */
	bool in_init;
	/* pseudo_error() was called for this module. */
	bool error_reported;
	/* The line of the site configuration that named the module, or
	 * 0. */
	unsigned int site_line;
};

struct module_list {
	struct pseudo_module_ctx **items;
	size_t count;
	/* Directories searched for a module given by name, in order. */
	char **search_dirs;
	size_t search_dir_count;
};

void module_list_init(struct module_list *list);
void module_list_free(struct module_list *list);
/* Adds a directory to the search path of modules given by name. */
int module_list_add_search_dir(struct module_list *list, const char *dir);

/*
 * Loads a module given by name (searched in the module directories) or by
 * absolute path, and appends it.  Returns 0, or a negative error number
 * after printing what failed.
 */
int module_list_load(struct module_list *list, const char *spec);
/* Appends a module compiled into the program. */
int module_list_add_builtin(struct module_list *list,
			    const struct pseudo_module *desc);
struct pseudo_module_ctx *module_list_find(const struct module_list *list,
					   const char *name);

/*
 * Applies one --module-opt argument, "NAME.KEY=VALUE".  Returns 0, or
 * -EINVAL after printing what is wrong with it.
 */
int module_list_set_option(struct module_list *list, const char *argument);
/* Sets option KEY of module NAME, which must be loaded. */
int module_set_option(struct pseudo_module_ctx *ctx, const char *key,
		      const char *value);

/* Runs every init hook in load order.  Returns 0 or a negative error
 * number. */
int module_list_init_all(struct module_list *list);
/* Runs the fini hooks of the initialized modules in reverse order. */
void module_list_fini_all(struct module_list *list);

/* Validates a module's descriptor.  Returns NULL, or a static string
 * naming the problem. */
const char *module_check_descriptor(const struct pseudo_module *desc);

/* The rows of a module: its table, then the rows its init added. */
size_t module_row_count(const struct pseudo_module_ctx *ctx);
const struct pseudo_syscall *module_row(const struct pseudo_module_ctx *ctx,
					size_t index);

/* fd_passing.c: descriptors over Unix sockets (SCM_RIGHTS). */

/*
 * Sends SIZE bytes of DATA with COUNT descriptors (1 to 4).  Returns 0 or
 * a negative error number.
 */
int fd_send(int socket, const void *data, size_t size, const int *fds,
	    size_t count);
/*
 * Receives SIZE bytes into DATA with exactly COUNT descriptors, which
 * stay -1 on failure.  Returns 0, or -EIO when the other end closed or
 * sent something else.
 */
int fd_receive(int socket, void *data, size_t size, int *fds, size_t count);

/* syscalls.c: the union of the modules' syscall rows, per ABI. */

struct syscall_handler {
	struct pseudo_module_ctx *ctx;
	const struct pseudo_syscall *row;
};

/* Every row naming one system call on one ABI. */
struct syscall_entry {
	const struct abi_desc *abi;
	long nr;
	const char *name;
	/* Observers first, then the other rows in load order. */
	struct syscall_handler *handlers;
	size_t handler_count;
	/* The filter's action: handled by the supervisor, or a fixed error
	 * number (0 for success). */
	bool handle;
	int errno_value;
};

struct syscall_table {
	struct syscall_entry *entries;
	size_t count;
	/* Some entry needs the supervisor. */
	bool needs_supervisor;
};

/*
 * Builds the table from the rows of every module for every host ABI.
 * Returns 0, or a negative error number after printing the conflict or
 * the unknown name.
 */
int syscall_table_build(struct syscall_table *table,
			const struct module_list *modules);
void syscall_table_free(struct syscall_table *table);
/* Whether some host ABI knows system call NAME. */
bool syscall_name_exists(const char *name);
const struct syscall_entry *syscall_table_find(const struct syscall_table *t,
					       enum pseudo_abi abi, long nr);

/* filter.c: the seccomp filter. */

struct filter_program {
	/* A struct sock_fprog and its instructions. */
	void *fprog;
	size_t length;
};

/*
 * Builds the BPF program for TABLE with libseccomp: HANDLE_ACTION (a
 * libseccomp action such as SCMP_ACT_TRACE(0)) for supervisor-handled
 * entries, RET_ERRNO for fixed results.  Returns 0 or a negative error
 * number after printing what failed.
 */
int filter_build(struct filter_program *program,
		 const struct syscall_table *table, uint32_t handle_action);
void filter_free(struct filter_program *program);
/* Installs PROGRAM in the calling thread with seccomp(2) and FLAGS.
 * Returns 0 or -errno.  Async-signal-safe. */
int filter_install(const struct filter_program *program, unsigned int flags);

/* threads.c: the supervisor's per-thread state table. */

enum thread_flags {
	/* Seen stopped before its creator's clone event: it waits, stopped,
	 * until that event gives it its state. */
	THREAD_AWAITING_PARENT = 1u << 0,
	/* Created by a clone event; its first stop is its attach stop. */
	THREAD_AWAITING_ATTACH_STOP = 1u << 1,
	/* Resumed with PTRACE_SYSCALL to see the result of call. */
	THREAD_IN_SYSCALL = 1u << 2,
	/* The state block was initialized by the modules' event hooks. */
	THREAD_HAS_STATE = 1u << 3,
};

struct pending_call;

struct pseudo_thread {
	pid_t tid;
	pid_t tgid;
	unsigned int flags;
	/* The call waiting for its syscall-exit stop, or NULL. */
	struct pending_call *pending;
	/* Module states, at each module's state_offset. */
	unsigned char *state;
	/* The backend's own data about the thread, or NULL. */
	struct notify_thread *notify;
};

void thread_table_setup(const struct module_list *modules);
struct pseudo_thread *thread_find(pid_t tid);
/* Adds a thread with a zero-filled state block.  Returns NULL when out of
 * memory. */
struct pseudo_thread *thread_add(pid_t tid);
void thread_remove(struct pseudo_thread *thread);
/* A thread object outside the table, such as a snapshot of a thread's
 * states taken when it called clone.  Returns NULL when out of memory. */
struct pseudo_thread *thread_new_detached(pid_t tid);
void thread_free_detached(struct pseudo_thread *thread);
/* Moves THREAD to id NEW_TID (execve in a non-leader thread). */
void thread_rename(struct pseudo_thread *thread, pid_t new_tid);
size_t thread_count(void);
/* The size of a thread's block of module states. */
size_t thread_state_size(void);
/* Stores the tids of the known threads of process TGID in TIDS, at most
 * MAX, and returns their number. */
size_t thread_list_of_process(pid_t tgid, pid_t *tids, size_t max);
/* The call object of THREAD, allocated on first use, or NULL when out of
 * memory. */
struct pending_call *thread_pending(struct pseudo_thread *thread);
/* The process (thread group) of TID, from /proc/TID/status, or TID when it
 * cannot be read. */
pid_t thread_read_tgid(pid_t tid);
size_t thread_peak_count(void);
void *thread_module_state(struct pseudo_thread *thread,
			  const struct pseudo_module_ctx *ctx);

/* Runs the modules' event hooks for EVENT, filling the states of
 * event->thread.  Returns 0 or the first failure. */
int thread_dispatch_event(const struct module_list *modules,
			  struct pseudo_event *event,
			  struct pseudo_thread *parent);

/* memory.c: tracee memory. */

int tracee_read(pid_t tid, uint64_t address, void *buf, size_t size);
int tracee_write(pid_t tid, uint64_t address, const void *buf, size_t size);

/* idmap.c: user namespace id maps. */

/* Whether ID appears in the first column of /proc/TID/uid_map (or
 * gid_map).  Returns 1, 0 or -errno. */
int idmap_contains(pid_t tid, uint32_t id, bool gid);
/* The id that the user namespace of TID sees for OUTSIDE, an id of the
 * supervisor's namespace, or the overflow id when it is unmapped. */
uint32_t idmap_to_inside(pid_t tid, uint32_t outside, bool gid);

/* userns.c: the command's user namespace. */

enum userns_mapping {
	/* One uid and one gid: the caller's, seen inside as inner_uid and
	 * inner_gid; setgroups is denied. */
	USERNS_SINGLE = 0,
	/* Root to the caller and 1.. to the caller's subordinate ranges,
	 * written by newuidmap and newgidmap. */
	USERNS_SUBUID,
};

struct subid_range {
	unsigned long start;
	unsigned long count;
};

/* A user's subordinate ranges, in file order: the first 32, well below
 * the 340 lines the kernel accepts in a map (user_namespaces(7)). */
#define MAX_SUBID_RANGES 32

struct subid_ranges {
	struct subid_range ranges[MAX_SUBID_RANGES];
	size_t count;
	/* The ids of all ranges. */
	unsigned long total;
};

struct userns_config {
	enum userns_mapping mapping;
	/* USERNS_SINGLE: the ids the caller has inside. */
	uid_t inner_uid;
	gid_t inner_gid;
	/* USERNS_SUBUID: the caller's subordinate ranges. */
	struct subid_ranges uid_ranges;
	struct subid_ranges gid_ranges;
};

/* Writes the maps of process CHILD.  Returns 0 or a negative error number
 * after printing what failed. */
int userns_write_maps(pid_t child, const struct userns_config *config);

/* subid.c: subordinate ids. */

/*
 * Reads the ranges of the user with UID from FILE (/etc/subuid or
 * /etc/subgid).  Returns 0, -ENOENT when there is none, -EINVAL after
 * printing a malformed line of the user, or -errno when the file cannot
 * be read.
 */
int subid_find(const char *file, uid_t uid, struct subid_ranges *ranges);
/*
 * Finds helper NAME (newuidmap or newgidmap) and checks that it can map
 * ids: set-user-ID root, or carrying CAP_SETUID (CAP_SETGID when GID) in
 * its permitted file capabilities.  Stores its path in PATH.  Returns 0,
 * -ENOENT when it is not installed, -EPERM when it cannot map.
 */
int subid_helper_check(const char *name, bool gid, char *path, size_t size);
/* Writes the uid (or gid) map of CHILD with the helper.  Returns 0 or a
 * negative error number after printing what failed. */
int subid_write_map(pid_t child, bool gid, const struct subid_ranges *ranges);

/* launch.c: running the command. */

enum backend {
	BACKEND_PTRACE = 0,
	BACKEND_NOTIFY,
};

struct launch_config {
	/* The command; argv[0] is searched in PATH. */
	char **argv;
	/* Runs in the command's process after the child_before_exec hooks,
	 * and may change ARGV in place; may be NULL. */
	void (*finish_argv)(char **argv);
	struct userns_config userns;
	struct module_list *modules;
	/* Install the seccomp filter (false: --trace=off). */
	bool install_filter;
	/* Run the supervisor even when no row needs it, so that filters
	 * installed later (a container's seccomp profile) reach it. */
	bool force_supervisor;
	enum backend backend;
};

/*
 * Runs the command as configured, supervised when the modules need it.
 * Returns the exit status for the front end: the command's status,
 * 128+N when it died of signal N, 125 for a failure of the tool, 126 or
 * 127 when the command cannot be run.
 */
int launch_run(const struct launch_config *config);

/* signals.c: signals sent to the front end. */

/* Forwards SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGCONT sent to this
 * process by kill(2) to the process PIDFD names. */
int signals_forward_to(int pidfd);
void signals_stop_forwarding(void);
/* Restores the default dispositions in the command's process. */
void signals_reset_in_child(void);

/* supervisor.c: handling calls, independent of the backend. */

struct supervisor;

/* The action a backend takes on a call after the handlers ran. */
enum call_outcome {
	/* Skip the call and return call->result. */
	CALL_RETURN,
	/* Let the kernel run the call (with changed arguments, if any). */
	CALL_RUN,
	/* Let the kernel run it, then call supervisor_finish_call(). */
	CALL_RUN_AND_FINISH,
};

/* A call in flight, kept by the backend between entry and exit. */
struct pending_call {
	struct pseudo_call call;
	const struct syscall_entry *entry;
	/* Handlers whose enter ran, so that their exit runs: indexes into
	 * entry->handlers. */
	size_t ran_count;
	/* The arguments as the caller passed them, for observers. */
	uint64_t caller_args[6];
	bool args_changed;
	/* The notify backend's notification id, and the caller's
	 * /proc/TID/mem once opened (-1 before). */
	uint64_t notification_id;
	int mem_fd;
};

struct backend_ops {
	const char *name;
	int (*read)(const struct pseudo_call *call, uint64_t address, void *buf,
		    size_t size);
	int (*write)(const struct pseudo_call *call, uint64_t address,
		     const void *buf, size_t size);
	bool can_change_args;
	bool can_see_exit;
};

/* Runs the enter handlers of the call in PENDING (filled by the backend:
 * entry, call.tid, call.abi, call.nr, call.args). */
enum call_outcome supervisor_enter_call(const struct backend_ops *backend,
					struct pending_call *pending);
/* Starts PENDING for a call of THREAD that ENTRY names, with the six
 * ARGS cut to the ABI's register width. */
void supervisor_fill_call(struct pending_call *pending,
			  struct pseudo_thread *thread,
			  const struct syscall_entry *entry,
			  const uint64_t args[6]);
/* Runs the exit handlers with pending->call.result set by the kernel. */
void supervisor_finish_call(struct pending_call *pending);
/* Fills EXEC for the program TID runs after an execve; PATH receives the
 * executable's path. */
void describe_executable(pid_t tid, struct pseudo_exec *exec, char *path,
			 size_t path_size);

/* ptrace.c: the ptrace backend. */

struct ptrace_config {
	const struct syscall_table *table;
	const struct module_list *modules;
	pid_t child;
	int child_pidfd;
};

/* Seizes the command's process before it installs its filter. */
int ptrace_seize_child(pid_t child);
/* Serves the traced threads until all have exited.  Stores the command's
 * wait status in *status.  Returns 0 or a negative error number. */
int ptrace_serve(const struct ptrace_config *config, int *status);

/* Converts a wait status to the exit status of the front end. */
int exit_status_from_wait(int status);

#endif /* PSEUDO_CORE_H */
