/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * credsuite: named sequences of credential system calls whose output is
 * compared between real root and an emulated one.
 *
 * Each case runs in a new child process that starts as uid 0, gid 0 and
 * groups {0} with the capability sets of root.  It prints every call
 * with its result, and the full credential state after each group of
 * calls (see show_state()).  The output contains no process ids,
 * addresses or paths, so two runs on the same kernel print the same
 * lines.
 */
#ifndef CREDSUITE_H
#define CREDSUITE_H

#include <errno.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/types.h>

struct credsuite_case {
	/* The name given on the command line: [a-z0-9_]+. */
	const char *name;
	void (*run)(void);
};

/* The case tables, each terminated by a row whose name is NULL. */
extern const struct credsuite_case ids_cases[];
extern const struct credsuite_case groups_cases[];
extern const struct credsuite_case caps_cases[];
extern const struct credsuite_case process_cases[];
extern const struct credsuite_case program_cases[];

/* Output, in output.c. */

/* Prints one indented line. */
void show(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Prints "TEXT = RESULT", with the errno name when RESULT is -1. */
void show_result(const char *text, long result, int error);

/* Prints "TEXT = VALUE" for calls without an error return. */
void show_value(const char *text, long value);

/*
 * Prints the credential state of the calling thread under LABEL: the real,
 * effective, saved and file-system uids and gids, and getuid and geteuid
 * as raw system calls.  The file-system ids come from setfsuid(-1) and
 * setfsgid(-1).  It also prints the supplementary groups, the effective,
 * permitted, inheritable, bounding and ambient capability sets, keepcaps,
 * the securebits and no_new_privs.
 */
void show_state(const char *label);

/* Returns the name of errno value ERROR, e.g. "EPERM". */
const char *errno_name(int error);

/* Runs a call and prints its text and result.  CALL is for calls that
 * return -1 and set errno on failure, VALUE for the others. */
#define CALL(call)                                                             \
	do {                                                                   \
		errno = 0;                                                     \
		long call_result_ = (long)(call);                              \
		show_result(#call, call_result_, errno);                       \
	} while (0)
#define VALUE(call) show_value(#call, (long)(call))

/* Capabilities, in support.c. */

#define BIT(cap) (UINT64_C(1) << (cap))

/* The three sets of capget and capset, as 64-bit masks. */
struct caps {
	uint64_t effective;
	uint64_t permitted;
	uint64_t inheritable;
};

/* capget and capset of version 3 for the calling thread. */
int caps_get(struct caps *caps);
int caps_set(uint64_t effective, uint64_t permitted, uint64_t inheritable);

/* The permitted set as capget returns it, 0 when capget fails. */
uint64_t caps_permitted(void);

/* Helpers, in support.c. */

/* Runs setgroups(COUNT, LIST) and prints the call with the list. */
void show_setgroups(int count, const gid_t *list);

/* Replaces the groups with {GID} and sets all gids to GID and all uids
 * to UID with setresgid and setresuid, printing each call. */
void drop_to(uid_t uid, gid_t gid);

/*
 * Runs FN in a forked child, which exits 0 after it, and prints how the
 * child ended.  The caller's stdout is flushed first, so nothing is
 * printed twice.
 */
void run_in_fork(void (*fn)(void));

/* Prints how the child PID ended: "exit STATUS" or "killed by SIGNAME". */
void show_wait(const char *label, pid_t pid);

/*
 * Executes this program again, as PATH or as the suite's own executable
 * when PATH is NULL, so that it prints the state after execve under
 * LABEL and exits.  Prints the error and exits 127 when execve fails.
 */
void exec_self(const char *path, const char *label);

/* The argument vector of exec_self(), for posix_spawn. */
void self_argv(const char *path, const char *label, char *argv[4]);

/* The path of this program's executable. */
const char *self_path(void);

/*
 * Copies this program's executable into the scratch directory with MODE
 * (e.g. 04755) and returns the copy's path, owned by the caller.  Returns
 * NULL after printing why when the copy fails.  DIR, when not NULL, is
 * the directory to copy into instead of the scratch directory.
 */
const char *setid_copy(const char *dir, mode_t mode);

/*
 * Writes a script into the scratch directory whose "#!" line names
 * INTERPRETER, a copy of the suite, with MODE, and returns its path.
 * Executed, it runs INTERPRETER SCRIPT ARGS..., which the suite takes like
 * its own executable.  Returns NULL after printing why when it fails.
 */
const char *setid_script(const char *interpreter, mode_t mode);

/* The directory, writable by the suite, for set-ID copies. */
const char *scratch_dir(void);
void set_scratch_dir(const char *dir);

/* A thread of the case's process that runs functions on request, so that
 * its output comes in order with the caller's. */
struct worker;

struct worker *worker_start(void);
void worker_run(struct worker *worker, void (*fn)(void));
/* The worker's thread id, for capget and capset. */
pid_t worker_tid(const struct worker *worker);
void worker_stop(struct worker *worker);

#endif /* CREDSUITE_H */
