/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * uid_gid: virtual credentials.
 *
 * The command runs in a user namespace that maps only its inner uid 0, so
 * the kernel would reject most credential changes or report ids that give
 * the emulation away.  This module keeps a struct cred (cred.h) per traced
 * thread and emulates the credential system calls on it, with the rules of
 * Linux 6.18: set*id, get*id, setfs*id, getgroups, setgroups, capget,
 * capset and the capability options of prctl.  None of them reaches the
 * kernel, except capget of a process this module does not trace and the
 * prctl options that do not concern credentials.
 *
 * Each thread starts with the credentials of the thread that created it.
 * The first one gets the module options uid and gid and the bounding set of
 * the user who started the run, with all of its capabilities for uid 0 and
 * none otherwise.  An execve applies the kernel's exec rules for a file
 * without file capabilities.
 */
#include <pseudo/module.h>

#include "cred.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

/* ABIs whose plain names are the 16-bit calls of kernel/uid16.c, next to
 * *32 names for the 32-bit ones (arch/x86/entry/syscalls/syscall_32.tbl,
 * arch/arm/tools/syscall.tbl). */
#define ABI_UID16 (PSEUDO_ABI_I386 | PSEUDO_ABI_ARM)
/* ABIs whose plain names are the 32-bit calls. */
#define ABI_UID32 (PSEUDO_ABI_X86_64 | PSEUDO_ABI_X32 | PSEUDO_ABI_AARCH64)

/* Row data: the call takes and returns 16-bit ids. */
#define DATA_ID16 ((uintptr_t)1)

/* The module's per-thread state. */
struct thread_state {
	struct cred cred;
	/* The thread's id for the supervisor, 0 for a snapshot of the notify
	 * backend, which is no running thread. */
	pid_t tid;
	/* The thread's id in its own PID namespace, which capget and capset
	 * compare with the header's pid: read from /proc when first needed,
	 * 0 before. */
	pid_t ns_tid;
	/* The thread's no_new_privs flag, which execve obeys: read once for
	 * the first thread, then inherited and set by prctl. */
	bool no_new_privs;
	/* cred holds a reference on its group list. */
	bool live;
};

/*
 * The traced threads, for capget of another thread.  Module data, created
 * by the first event in the supervisor.  It keeps pointers to the core's
 * per-thread states, which stay at one address from a thread's creation to
 * its EXIT event (struct pseudo_event).
 */
struct thread_list {
	struct thread_state **states;
	size_t count;
	size_t capacity;
};

/* Options. */

static const struct pseudo_option options[] = {
	{ .key = "uid",
	  .help = "uid that the command starts with (ruid, euid, suid and "
		  "fsuid)",
	  .default_value = "0" },
	{ .key = "gid",
	  .help = "gid that the command starts with (rgid, egid, sgid, fsgid "
		  "and the only supplementary group)",
	  .default_value = "0" },
	{ .key = NULL },
};

/* Parses option KEY as an id from 0 to 4294967294, because -1 is no id. */
static int option_id(struct pseudo_module_ctx *ctx, const char *key,
		     uint32_t *id)
{
	const char *text = pseudo_option(ctx, key);
	unsigned long long value;
	char *end;

	if (!text || text[0] < '0' || text[0] > '9')
		goto invalid;
	errno = 0;
	value = strtoull(text, &end, 10);
	if (errno || *end || value >= UINT32_MAX)
		goto invalid;
	*id = (uint32_t)value;
	return 0;

invalid:
	pseudo_error(ctx,
		     "invalid value '%s' for option %s: expected a number "
		     "from 0 to 4294967294",
		     text ? text : "", key);
	return -EINVAL;
}

static int init_module(struct pseudo_module_ctx *ctx)
{
	uint32_t uid, gid;

	if (option_id(ctx, "uid", &uid) || option_id(ctx, "gid", &gid))
		return -EINVAL;
	return 0;
}

static void fini_module(struct pseudo_module_ctx *ctx)
{
	struct thread_list *list = pseudo_data(ctx);

	if (!list)
		return;
	free(list->states);
	free(list);
	pseudo_set_data(ctx, NULL);
}

/* The thread list. */

static struct thread_list *thread_list(struct pseudo_module_ctx *ctx)
{
	struct thread_list *list = pseudo_data(ctx);

	if (!list) {
		list = calloc(1, sizeof(*list));
		if (list)
			pseudo_set_data(ctx, list);
	}
	return list;
}

static int add_thread(struct pseudo_module_ctx *ctx, struct thread_state *state)
{
	struct thread_list *list = thread_list(ctx);

	if (!list)
		return -ENOMEM;
	if (list->count == list->capacity) {
		size_t capacity = list->capacity ? 2 * list->capacity : 64;
		struct thread_state **states =
			realloc(list->states, capacity * sizeof(*states));

		if (!states)
			return -ENOMEM;
		list->states = states;
		list->capacity = capacity;
	}
	list->states[list->count++] = state;
	return 0;
}

static void remove_thread(struct pseudo_module_ctx *ctx,
			  const struct thread_state *state)
{
	struct thread_list *list = pseudo_data(ctx);

	for (size_t i = 0; list && i < list->count; i++) {
		if (list->states[i] == state) {
			list->states[i] = list->states[--list->count];
			return;
		}
	}
}

/* Returns the state of the traced thread whose own PID namespace calls it
 * NS_TID, or NULL. */
static pid_t read_ns_tid(pid_t tid);

/* The thread's id in its own PID namespace, read on first use: most
 * threads never need it, and /proc/TID/status is slow to produce. */
static pid_t ns_tid_of(struct thread_state *state)
{
	if (!state->ns_tid && state->tid)
		state->ns_tid = read_ns_tid(state->tid);
	return state->ns_tid;
}

/* Returns the state of the traced thread whose own PID namespace calls it
 * NS_TID, or NULL. */
static const struct thread_state *find_thread(struct pseudo_module_ctx *ctx,
					      pid_t ns_tid)
{
	const struct thread_list *list = pseudo_data(ctx);

	for (size_t i = 0; list && i < list->count; i++) {
		if (ns_tid_of(list->states[i]) == ns_tid)
			return list->states[i];
	}
	return NULL;
}

/* /proc. */

/*
 * Copies the value of the line of /proc/TID/status that starts with KEY
 * (e.g. "NSpid:") into VALUE.  Returns 0, or -1 when the file cannot be
 * read or has no such line.
 */
static int read_status_line(pid_t tid, const char *key, char *value,
			    size_t size)
{
	char path[64], line[256];
	size_t key_length = strlen(key);
	int result = -1;
	FILE *file;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	file = fopen(path, "re");
	if (!file)
		return -1;
	while (fgets(line, sizeof(line), file)) {
		if (strncmp(line, key, key_length) == 0) {
			snprintf(value, size, "%s", line + key_length);
			result = 0;
			break;
		}
	}
	fclose(file);
	return result;
}

/*
 * Returns the id of thread TID in its innermost PID namespace, the last
 * field of "NSpid:" in /proc/TID/status, or 0 when it cannot be read.
 */
static pid_t read_ns_tid(pid_t tid)
{
	char value[256];
	pid_t ns_tid = 0;

	if (read_status_line(tid, "NSpid:", value, sizeof(value)))
		return 0;
	for (char *field = value, *end; *field && *field != '\n'; field = end) {
		long number = strtol(field, &end, 10);

		if (end == field)
			break;
		ns_tid = (pid_t)number;
	}
	return ns_tid;
}

/*
 * Returns whether thread TID has the no_new_privs flag ("NoNewPrivs:" in
 * /proc/TID/status).  The command sets it with prctl, which the kernel
 * runs, so the real flag is the command's.  A status that cannot be read
 * counts as no flag.
 */
static bool read_no_new_privs(pid_t tid)
{
	char value[32];

	if (read_status_line(tid, "NoNewPrivs:", value, sizeof(value)))
		return false;
	return strtol(value, NULL, 10) == 1;
}

/*
 * Returns the bounding set of the supervisor, which is the bounding set of
 * the user who started the run.  The command's own process cannot tell:
 * the kernel gives the first process of a new user namespace a full
 * bounding set, while real root started from the same session would have
 * the caller's.  A capability the kernel does not know counts as absent.
 */
static uint64_t caller_bounding_set(void)
{
	uint64_t set = 0;

	for (int cap = 0; cap <= CAP_LAST_CAP; cap++) {
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) > 0)
			set |= UINT64_C(1) << cap;
	}
	return set;
}

/*
 * Returns 1 when ID, in the supervisor's user namespace, is in the ranges of
 * /proc/TID/MAP (uid_map or gid_map), 0 when not, -1 when the map cannot be
 * read.  Read from outside the namespace, the map's second column is in the
 * reader's namespace.
 */
static int id_is_in_map(pid_t tid, const char *map, uint32_t id)
{
	char path[64];
	unsigned long long inside, outside, count;
	int found = 0;
	FILE *file;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)tid, map);
	file = fopen(path, "re");
	if (!file)
		return -1;
	while (fscanf(file, "%llu %llu %llu", &inside, &outside, &count) == 3) {
		if (id >= outside && id - outside < count)
			found = 1;
	}
	fclose(file);
	return found;
}

/*
 * Returns whether the kernel would honour the set-ID bits of EXEC: both
 * owner ids must be mapped in the thread's user namespace.  Without a
 * readable map, an id reported as the overflow id counts as unmapped.
 *
 * NOTE: this assumes the supervisor runs outside the command's user
 * namespace, as the second column of the maps is then in its namespace.
 */
static bool owner_is_mapped(pid_t tid, const struct pseudo_exec *exec)
{
	int uid = id_is_in_map(tid, "uid_map", exec->st.st_uid);
	int gid = id_is_in_map(tid, "gid_map", exec->st.st_gid);

	if (uid < 0 || gid < 0)
		return exec->uid != CRED_OVERFLOW_ID &&
		       exec->gid != CRED_OVERFLOW_ID;
	return uid && gid;
}

/* Events. */

/* Leaves CRED with the capabilities of BOUNDING only, as an execve by a
 * process with that bounding set leaves root. */
static void limit_bounding_set(struct cred *cred, uint64_t bounding)
{
	cred->cap_bounding &= bounding;
	cred->cap_permitted &= bounding;
	cred->cap_effective &= bounding;
}

static int start_thread(struct pseudo_module_ctx *ctx,
			const struct pseudo_event *event)
{
	struct thread_state *state = event->state;
	uint32_t uid, gid;
	int error;

	if (option_id(ctx, "uid", &uid) || option_id(ctx, "gid", &gid))
		return -EINVAL;
	error = cred_init(&state->cred, uid, gid);
	if (error) {
		pseudo_error(ctx, "cannot allocate the credentials of tid %d",
			     (int)event->tid);
		return error;
	}
	limit_bounding_set(&state->cred, caller_bounding_set());
	state->live = true;
	state->tid = event->tid;
	state->ns_tid = 0;
	state->no_new_privs = read_no_new_privs(event->tid);
	return add_thread(ctx, state);
}

/* clone, fork and vfork: a new thread or process has its creator's
 * credentials and shares its group list until one calls setgroups. */
static int copy_thread(struct pseudo_module_ctx *ctx,
		       const struct pseudo_event *event)
{
	const struct thread_state *parent = event->parent_state;
	struct thread_state *state = event->state;

	if (!parent || !parent->live) {
		pseudo_error(ctx,
			     "no credentials for tid %d: its creator %d is "
			     "unknown",
			     (int)event->tid, (int)event->parent_tid);
		return -ESRCH;
	}
	cred_copy(&state->cred, &parent->cred);
	state->live = true;
	state->tid = event->tid;
	state->ns_tid = 0;
	state->no_new_privs = parent->no_new_privs;
	return add_thread(ctx, state);
}

/* execve, with the exec rules of cred_exec().  The core installs its
 * seccomp filter without PR_SET_NO_NEW_PRIVS, so the real flag of a thread
 * is the one the command set or inherited from the caller. */
static int exec_thread(const struct pseudo_event *event)
{
	struct thread_state *state = event->state;
	const struct pseudo_exec *exec = event->exec;
	struct cred_exec_file file = {
		.mode = exec->st.st_mode,
		.uid = exec->uid,
		.gid = exec->gid,
		.nosuid = exec->nosuid,
		.no_new_privs = state->no_new_privs,
	};

	/* Only set-ID bits depend on the owner's mapping: the maps are read
	 * for those files only. */
	if (exec->st.st_mode & (S_ISUID | S_ISGID))
		file.ids_mapped = owner_is_mapped(event->tid, exec);

	cred_exec(&state->cred, &file);
	/* An execve in another thread than the leader takes the leader's
	 * thread id. */
	state->tid = event->tid;
	state->ns_tid = 0;
	return 0;
}

static int on_event(struct pseudo_module_ctx *ctx,
		    const struct pseudo_event *event)
{
	struct thread_state *state = event->state;

	switch (event->type) {
	case PSEUDO_EVENT_START:
		return start_thread(ctx, event);
	case PSEUDO_EVENT_CLONE:
	case PSEUDO_EVENT_FORK:
	case PSEUDO_EVENT_VFORK:
		return copy_thread(ctx, event);
	case PSEUDO_EVENT_EXEC:
		return state->live ? exec_thread(event) : 0;
	case PSEUDO_EVENT_EXIT:
		remove_thread(ctx, state);
		if (state->live)
			cred_release(&state->cred);
		state->live = false;
		return 0;
	}
	return 0;
}

/* Call helpers. */

static struct cred *call_cred(const struct pseudo_call *call)
{
	return &((struct thread_state *)call->state)->cred;
}

static enum pseudo_verdict finish(struct pseudo_call *call, int64_t result)
{
	call->result = result;
	return PSEUDO_RETURN;
}

/* Returns id argument INDEX.  The 16-bit calls widen 0xFFFF to -1, for
 * uids and gids alike. */
static uint32_t arg_id(const struct pseudo_call *call, unsigned int index)
{
	if (call->data & DATA_ID16)
		return cred_low2highuid((uint16_t)call->args[index]);
	return (uint32_t)call->args[index];
}

/* Returns an id as a getter returns it.  The 16-bit calls narrow ids
 * above 65535 to the overflow id. */
static int64_t id_result(const struct pseudo_call *call, uint32_t id)
{
	if (call->data & DATA_ID16)
		return cred_high2lowuid(id);
	return id;
}

/*
 * Stores one value of SIZE bytes (at most 8) at ADDRESS whole or not at
 * all, as put_user() does.  Reading it first keeps a value that crosses
 * the end of a mapping from being written in part.
 */
static int put_value(const struct pseudo_call *call, uint64_t address,
		     const void *value, size_t size)
{
	uint8_t old[8];

	if (size > sizeof(old) || pseudo_mem_read(call, address, old, size) ||
	    pseudo_mem_write(call, address, value, size))
		return -EFAULT;
	return 0;
}

/*
 * Writes COUNT elements of SIZE bytes at ADDRESS in order, like put_user()
 * in a loop: when one faults, the ones before it are written and the
 * result is -EFAULT.  A range that is readable as a whole is written at
 * once, any other one element at a time.
 */
static int write_elements(const struct pseudo_call *call, uint64_t address,
			  const void *elements, size_t size, size_t count)
{
	const char *bytes = elements;
	void *scratch = malloc(size * count > 0 ? size * count : 1);
	bool whole;

	if (!scratch)
		return -ENOMEM;
	whole = pseudo_mem_read(call, address, scratch, size * count) == 0 &&
		pseudo_mem_write(call, address, elements, size * count) == 0;
	free(scratch);
	if (whole)
		return 0;

	for (size_t i = 0; i < count; i++) {
		if (put_value(call, address + i * size, bytes + i * size, size))
			return -EFAULT;
	}
	return 0;
}

/* Reads up to COUNT elements of SIZE bytes and returns how many were
 * readable before the first fault. */
static size_t read_elements(const struct pseudo_call *call, uint64_t address,
			    void *elements, size_t size, size_t count)
{
	char *bytes = elements;

	if (pseudo_mem_read(call, address, elements, size * count) == 0)
		return count;
	for (size_t i = 0; i < count; i++) {
		if (pseudo_mem_read(call, address + i * size, bytes + i * size,
				    size))
			return i;
	}
	return count;
}

/* Setters and getters of ids. */

static enum pseudo_verdict enter_setuid(struct pseudo_call *call)
{
	return finish(call, cred_setuid(call_cred(call), arg_id(call, 0)));
}

static enum pseudo_verdict enter_setgid(struct pseudo_call *call)
{
	return finish(call, cred_setgid(call_cred(call), arg_id(call, 0)));
}

static enum pseudo_verdict enter_setreuid(struct pseudo_call *call)
{
	return finish(call, cred_setreuid(call_cred(call), arg_id(call, 0),
					  arg_id(call, 1)));
}

static enum pseudo_verdict enter_setregid(struct pseudo_call *call)
{
	return finish(call, cred_setregid(call_cred(call), arg_id(call, 0),
					  arg_id(call, 1)));
}

static enum pseudo_verdict enter_setresuid(struct pseudo_call *call)
{
	return finish(call, cred_setresuid(call_cred(call), arg_id(call, 0),
					   arg_id(call, 1), arg_id(call, 2)));
}

static enum pseudo_verdict enter_setresgid(struct pseudo_call *call)
{
	return finish(call, cred_setresgid(call_cred(call), arg_id(call, 0),
					   arg_id(call, 1), arg_id(call, 2)));
}

/* setfsuid16 and setfsgid16 return the old id without narrowing it
 * (kernel/uid16.c), unlike the getters. */
static enum pseudo_verdict enter_setfsuid(struct pseudo_call *call)
{
	return finish(call, cred_setfsuid(call_cred(call), arg_id(call, 0)));
}

static enum pseudo_verdict enter_setfsgid(struct pseudo_call *call)
{
	return finish(call, cred_setfsgid(call_cred(call), arg_id(call, 0)));
}

static enum pseudo_verdict enter_getuid(struct pseudo_call *call)
{
	return finish(call, id_result(call, call_cred(call)->ruid));
}

static enum pseudo_verdict enter_geteuid(struct pseudo_call *call)
{
	return finish(call, id_result(call, call_cred(call)->euid));
}

static enum pseudo_verdict enter_getgid(struct pseudo_call *call)
{
	return finish(call, id_result(call, call_cred(call)->rgid));
}

static enum pseudo_verdict enter_getegid(struct pseudo_call *call)
{
	return finish(call, id_result(call, call_cred(call)->egid));
}

/* getresuid and getresgid store the three ids one after the other and
 * stop at the first pointer that faults (kernel/sys.c). */
static enum pseudo_verdict put_three_ids(struct pseudo_call *call,
					 const uint32_t ids[3])
{
	for (unsigned int i = 0; i < 3; i++) {
		uint16_t id16 = (uint16_t)id_result(call, ids[i]);
		int error;

		if (call->data & DATA_ID16)
			error = put_value(call, call->args[i], &id16,
					  sizeof(id16));
		else
			error = put_value(call, call->args[i], &ids[i],
					  sizeof(ids[i]));
		if (error)
			return finish(call, error);
	}
	return finish(call, 0);
}

static enum pseudo_verdict enter_getresuid(struct pseudo_call *call)
{
	const struct cred *cred = call_cred(call);
	const uint32_t ids[3] = { cred->ruid, cred->euid, cred->suid };

	return put_three_ids(call, ids);
}

static enum pseudo_verdict enter_getresgid(struct pseudo_call *call)
{
	const struct cred *cred = call_cred(call);
	const uint32_t ids[3] = { cred->rgid, cred->egid, cred->sgid };

	return put_three_ids(call, ids);
}

/* Supplementary groups. */

static int write_groups(const struct pseudo_call *call, uint64_t address,
			const struct cred_groups *groups)
{
	uint16_t *narrow;
	int error;

	if (!(call->data & DATA_ID16))
		return write_elements(call, address, groups->gids,
				      sizeof(gid_t), (size_t)groups->count);

	narrow = malloc((size_t)groups->count * sizeof(*narrow));
	if (!narrow)
		return -ENOMEM;
	for (int i = 0; i < groups->count; i++)
		narrow[i] = cred_high2lowgid(groups->gids[i]);
	error = write_elements(call, address, narrow, sizeof(*narrow),
			       (size_t)groups->count);
	free(narrow);
	return error;
}

/* kernel/groups.c getgroups(): a size of 0 only counts, and a size below
 * the count writes nothing. */
static enum pseudo_verdict enter_getgroups(struct pseudo_call *call)
{
	const struct cred *cred = call_cred(call);
	int size = (int)call->args[0];
	int count = cred_getgroups(cred, size, NULL);
	int error;

	if (count <= 0 || size == 0)
		return finish(call, count);
	error = write_groups(call, call->args[1], cred->groups);
	return finish(call, error ? error : count);
}

/*
 * Reads the SIZE gids of setgroups into LIST, widening 16-bit ones.
 * Returns how many were readable before the first fault, or -ENOMEM.
 */
static int read_groups(const struct pseudo_call *call, uint64_t address,
		       gid_t *list, int size)
{
	uint16_t *narrow;
	size_t count;

	if (!(call->data & DATA_ID16))
		return (int)read_elements(call, address, list, sizeof(gid_t),
					  (size_t)size);

	narrow = malloc((size_t)(size ? size : 1) * sizeof(*narrow));
	if (!narrow)
		return -ENOMEM;
	count = read_elements(call, address, narrow, sizeof(*narrow),
			      (size_t)size);
	for (size_t i = 0; i < count; i++)
		list[i] = cred_low2highgid(narrow[i]);
	free(narrow);
	return (int)count;
}

/*
 * kernel/groups.c setgroups(): the permission and size checks come before
 * the list is read, and the list is read and checked one gid at a time, so
 * an invalid gid before a fault is -EINVAL and after it -EFAULT.
 */
static enum pseudo_verdict enter_setgroups(struct pseudo_call *call)
{
	struct cred *cred = call_cred(call);
	int size = (int)call->args[0];
	int error = cred_setgroups_check(cred, size);
	gid_t *list;
	int readable;

	if (error)
		return finish(call, error);
	list = malloc((size_t)(size ? size : 1) * sizeof(gid_t));
	if (!list)
		return finish(call, -ENOMEM);

	readable = read_groups(call, call->args[1], list, size);
	if (readable < 0) {
		error = readable;
	} else if (readable == size) {
		error = cred_setgroups(cred, size, list);
	} else {
		error = -EFAULT;
		for (int i = 0; i < readable; i++) {
			if (list[i] == (gid_t)-1)
				error = -EINVAL;
		}
	}
	free(list);
	return finish(call, error);
}

/* Capabilities. */

static pid_t own_tid(const struct pseudo_call *call)
{
	pid_t ns_tid = ns_tid_of(call->state);

	return ns_tid ? ns_tid : call->tid;
}

/*
 * kernel/capability.c cap_validate_magic(): returns the number of data
 * words of the header at HEADER, -EFAULT, or -EINVAL after storing the
 * kernel's version in the header.
 */
static int read_cap_version(const struct pseudo_call *call, uint64_t header)
{
	uint32_t version;
	int words;

	if (pseudo_mem_read(call, header, &version, sizeof(version)))
		return -EFAULT;
	words = cred_cap_words(version);
	if (words > 0)
		return words;
	version = _LINUX_CAPABILITY_VERSION_3;
	if (pseudo_mem_write(call, header, &version, sizeof(version)))
		return -EFAULT;
	return -EINVAL;
}

static int read_cap_pid(const struct pseudo_call *call, uint64_t header,
			int32_t *pid)
{
	return pseudo_mem_read(call, header + sizeof(uint32_t), pid,
			       sizeof(*pid))
		       ? -EFAULT
		       : 0;
}

/*
 * kernel/capability.c capget(): a NULL data pointer probes the version and
 * returns 0 even for an unknown one.  A pid other than 0 or the caller's
 * names another thread.  When this module does not trace it, the call goes
 * to the kernel, which returns its real sets or -ESRCH.
 */
static enum pseudo_verdict enter_capget(struct pseudo_call *call)
{
	struct __user_cap_data_struct data[2];
	const struct cred *target = call_cred(call);
	uint64_t header = call->args[0];
	int words = read_cap_version(call, header);
	int32_t pid;

	if (call->args[1] == 0)
		return finish(call, words == -EFAULT ? -EFAULT : 0);
	if (words < 0)
		return finish(call, words);
	if (read_cap_pid(call, header, &pid))
		return finish(call, -EFAULT);
	if (pid < 0)
		return finish(call, -EINVAL);
	if (pid != 0 && pid != own_tid(call)) {
		const struct thread_state *other = find_thread(call->ctx, pid);

		if (!other)
			return PSEUDO_CONTINUE;
		target = &other->cred;
	}

	cred_capget(target, data);
	return finish(call,
		      write_elements(call, call->args[1], data,
				     sizeof(uint32_t), (size_t)words * 3));
}

/* kernel/capability.c capset(): only the caller's own sets may change. */
static enum pseudo_verdict enter_capset(struct pseudo_call *call)
{
	struct __user_cap_data_struct data[2] = { { 0 } };
	uint64_t header = call->args[0];
	int words = read_cap_version(call, header);
	int32_t pid;

	if (words < 0)
		return finish(call, words);
	if (read_cap_pid(call, header, &pid))
		return finish(call, -EFAULT);
	if (pid != 0 && pid != own_tid(call))
		return finish(call, -EPERM);
	if (pseudo_mem_read(call, call->args[1], data,
			    (size_t)words * sizeof(data[0])))
		return finish(call, -EFAULT);
	return finish(call, cred_capset(call_cred(call), data, words));
}

/* prctl: the capability options are emulated, and the others go on to
 * the next module or the kernel. */
static enum pseudo_verdict enter_prctl(struct pseudo_call *call)
{
	struct thread_state *state = call->state;
	long result;

	/* The kernel sets the real flag; the state follows it for execve.
	 * The flag cannot be cleared, and an invalid call fails before the
	 * kernel looks at it. */
	if (call->args[0] == PR_SET_NO_NEW_PRIVS && call->args[1] == 1 &&
	    !call->args[2] && !call->args[3] && !call->args[4]) {
		state->no_new_privs = true;
		return PSEUDO_CONTINUE;
	}
	result = cred_prctl(call_cred(call), (int)call->args[0], call->args[1],
			    call->args[2], call->args[3], call->args[4]);
	if (result == -ENOSYS)
		return PSEUDO_CONTINUE;
	return finish(call, result);
}

/* Syscall table. */

/* The 16-bit and 32-bit rows of one id call: plain names on the ABIs of
 * ABI_UID16 take 16-bit ids, their *32 names and the other ABIs' plain
 * names 32-bit ids. */
/* clang-format off */
#define ID_ROWS(call, handler)                                                 \
	{ .name = #call, .abis = ABI_UID16, .action = PSEUDO_ACTION_HANDLE,    \
	  .enter = handler, .data = DATA_ID16 },                               \
	{ .name = #call, .abis = ABI_UID32, .action = PSEUDO_ACTION_HANDLE,    \
	  .enter = handler },                                                  \
	{ .name = #call "32", .abis = ABI_UID16,                               \
	  .action = PSEUDO_ACTION_HANDLE, .enter = handler }
/* clang-format on */

static const struct pseudo_syscall syscalls[] = {
	ID_ROWS(setuid, enter_setuid),
	ID_ROWS(setgid, enter_setgid),
	ID_ROWS(setreuid, enter_setreuid),
	ID_ROWS(setregid, enter_setregid),
	ID_ROWS(setresuid, enter_setresuid),
	ID_ROWS(setresgid, enter_setresgid),
	ID_ROWS(getuid, enter_getuid),
	ID_ROWS(geteuid, enter_geteuid),
	ID_ROWS(getgid, enter_getgid),
	ID_ROWS(getegid, enter_getegid),
	ID_ROWS(getresuid, enter_getresuid),
	ID_ROWS(getresgid, enter_getresgid),
	ID_ROWS(setfsuid, enter_setfsuid),
	ID_ROWS(setfsgid, enter_setfsgid),
	ID_ROWS(getgroups, enter_getgroups),
	ID_ROWS(setgroups, enter_setgroups),
	{ .name = "capget",
	  .abis = PSEUDO_ABI_ALL,
	  .action = PSEUDO_ACTION_HANDLE,
	  .enter = enter_capget },
	{ .name = "capset",
	  .abis = PSEUDO_ABI_ALL,
	  .action = PSEUDO_ACTION_HANDLE,
	  .enter = enter_capset },
	{ .name = "prctl",
	  .abis = PSEUDO_ABI_ALL,
	  .action = PSEUDO_ACTION_HANDLE,
	  .enter = enter_prctl },
	{ .name = NULL },
};

static const struct pseudo_module descriptor = {
	.abi_version = PSEUDO_MODULE_ABI_VERSION,
	.name = "uid_gid",
	.summary = "emulates credential system calls with per-thread "
		   "virtual ids, groups and capabilities",
	.options = options,
	.syscalls = syscalls,
	.state_size = sizeof(struct thread_state),
	.init = init_module,
	.fini = fini_module,
	.event = on_event,
};

PSEUDO_MODULE(descriptor)
