/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * cred_diff: compares the credential model of modules/uid_gid/cred.c with
 * the running kernel.
 *
 * Each sequence runs in a forked child that starts as uid 0, gid 0, groups
 * {0} with the capabilities of the caller, and makes each call with raw
 * syscall(), so that glibc does not broadcast id changes.  After every call
 * the child sends the result and its whole credential state to the parent,
 * which applies the same call to the model and compares both.  An execve
 * step runs this program again from a copy on a tmpfs (set-ID copies, and a
 * mount with MS_NOSUID), and the new image goes on with the sequence.
 *
 * The first sequences are written by hand; the rest are random, generated
 * from the model's state so that calls hit both allowed and rejected cases.
 * Built with -m32, the program also runs the 16-bit calls of i386.
 *
 * Usage: cred_diff [--seed N] [--count N] [--length N] [--verbose]
 * Exit status: 0 without difference, 1 with differences, 2 when the test
 * could not run, 77 (skipped) when not run as root.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "cred.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/prctl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* On i386 the plain names are the 16-bit calls, and the *32 names the
 * calls that the other ABIs name plainly. */
#ifdef __i386__
#define NR_SETUID SYS_setuid32
#define NR_SETGID SYS_setgid32
#define NR_SETREUID SYS_setreuid32
#define NR_SETREGID SYS_setregid32
#define NR_SETRESUID SYS_setresuid32
#define NR_SETRESGID SYS_setresgid32
#define NR_GETRESUID SYS_getresuid32
#define NR_GETRESGID SYS_getresgid32
#define NR_SETFSUID SYS_setfsuid32
#define NR_SETFSGID SYS_setfsgid32
#define NR_SETGROUPS SYS_setgroups32
#define NR_GETGROUPS SYS_getgroups32
#define HAVE_UID16 1
#else
#define NR_SETUID SYS_setuid
#define NR_SETGID SYS_setgid
#define NR_SETREUID SYS_setreuid
#define NR_SETREGID SYS_setregid
#define NR_SETRESUID SYS_setresuid
#define NR_SETRESGID SYS_setresgid
#define NR_GETRESUID SYS_getresuid
#define NR_GETRESGID SYS_getresgid
#define NR_SETFSUID SYS_setfsuid
#define NR_SETFSGID SYS_setfsgid
#define NR_SETGROUPS SYS_setgroups
#define NR_GETGROUPS SYS_getgroups
#define HAVE_UID16 0
#endif

/* Gids carried in an op; a longer list continues with fill_gid(). */
#define OP_INLINE_GIDS 8
#define OUT_WORDS 8
/* A pid above the kernel's maximum pid_max, so that no task has it. */
#define MISSING_PID 0x3ffffff0
#define MAX_REPORTED_DIFFERENCES 10
/* Room for the paths under work_dir. */
#define WORK_DIR_MAX 64
#define EXEC_PATH_MAX 128

enum op_kind {
	OP_END = 0,
	OP_SETUID,
	OP_SETGID,
	OP_SETREUID,
	OP_SETREGID,
	OP_SETRESUID,
	OP_SETRESGID,
	OP_SETFSUID,
	OP_SETFSGID,
	OP_SETGROUPS,
	OP_GETGROUPS,
	OP_CAPGET,
	OP_CAPSET,
	OP_PRCTL,
	OP_EXEC,
	OP_NO_NEW_PRIVS,
	/* i386 16-bit calls */
	OP_SETUID16,
	OP_SETGID16,
	OP_SETREUID16,
	OP_SETREGID16,
	OP_SETRESUID16,
	OP_SETRESGID16,
	OP_SETFSUID16,
	OP_SETFSGID16,
	OP_SETGROUPS16,
	OP_GETGROUPS16,
	OP_GETID16,
	OP_GETRESUID16,
	OP_GETRESGID16,
	OP_KIND_COUNT,
};

static const char *const op_names[OP_KIND_COUNT] = {
	[OP_END] = "end",
	[OP_SETUID] = "setuid",
	[OP_SETGID] = "setgid",
	[OP_SETREUID] = "setreuid",
	[OP_SETREGID] = "setregid",
	[OP_SETRESUID] = "setresuid",
	[OP_SETRESGID] = "setresgid",
	[OP_SETFSUID] = "setfsuid",
	[OP_SETFSGID] = "setfsgid",
	[OP_SETGROUPS] = "setgroups",
	[OP_GETGROUPS] = "getgroups",
	[OP_CAPGET] = "capget",
	[OP_CAPSET] = "capset",
	[OP_PRCTL] = "prctl",
	[OP_EXEC] = "execve",
	[OP_NO_NEW_PRIVS] = "prctl(PR_SET_NO_NEW_PRIVS)",
	[OP_SETUID16] = "setuid16",
	[OP_SETGID16] = "setgid16",
	[OP_SETREUID16] = "setreuid16",
	[OP_SETREGID16] = "setregid16",
	[OP_SETRESUID16] = "setresuid16",
	[OP_SETRESGID16] = "setresgid16",
	[OP_SETFSUID16] = "setfsuid16",
	[OP_SETFSGID16] = "setfsgid16",
	[OP_SETGROUPS16] = "setgroups16",
	[OP_GETGROUPS16] = "getgroups16",
	[OP_GETID16] = "getid16",
	[OP_GETRESUID16] = "getresuid16",
	[OP_GETRESGID16] = "getresgid16",
};

/* The pid of a capget or capset header. */
enum pid_choice {
	PID_ZERO = 0,
	PID_SELF,
	PID_PARENT,
	PID_MISSING,
	PID_NEGATIVE,
};

/* How the parent fills the data of an OP_CAPSET before sending it. */
enum caps_source {
	/* op.caps as written */
	CAPS_LITERAL = 0,
	/* effective and permitted of the model, inheritable from op.caps */
	CAPS_CURRENT_WITH_INHERITABLE,
	/* all three of the model, each ANDed with op.caps */
	CAPS_CURRENT_AND_MASK,
};

/* OP_GETID16 arg[0]: which getter. */
enum getid16 { GET_UID16, GET_EUID16, GET_GID16, GET_EGID16 };

/*
 * One system call of a sequence.  arg contains the ids, sizes, or prctl option
 * and arguments.  OP_CAPGET and OP_CAPSET: arg[0] header version, arg[1] a
 * pid_choice, arg[2] nonzero for a NULL data pointer (capget) or a
 * caps_source (capset).  OP_EXEC: arg[0] an index in exec_files.
 */
struct op {
	int kind;
	int64_t arg[5];
	struct __user_cap_data_struct caps[2];
	gid_t gids[OP_INLINE_GIDS];
	char path[EXEC_PATH_MAX];
};

struct result {
	int64_t ret;
	int nout;
	uint32_t out[OUT_WORDS];
};

/* The credential state as the syscalls report it. */
struct state {
	uint32_t uid[4];
	uint32_t gid[4];
	uint64_t effective, permitted, inheritable, bounding, ambient;
	int64_t securebits;
	int64_t keepcaps;
	int ngroups;
};

struct exec_file {
	const char *name;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	bool nosuid;
	char path[EXEC_PATH_MAX];
};

/* Copies of this program that OP_EXEC runs; the set-ID ones owned by
 * uid 1000 or gid 2000 unless named root. */
static struct exec_file exec_files[] = {
	{ .name = "plain", .mode = 0755 },
	{ .name = "setuid-1000", .mode = 04755, .uid = 1000 },
	{ .name = "setuid-root", .mode = 04755 },
	{ .name = "setgid-2000", .mode = 02755, .gid = 2000 },
	{ .name = "setgid-2000-no-group-x", .mode = 02705, .gid = 2000 },
	{ .name = "setuid-1000-setgid-2000",
	  .mode = 06755,
	  .uid = 1000,
	  .gid = 2000 },
	{ .name = "nosuid-setuid-1000",
	  .mode = 04755,
	  .uid = 1000,
	  .nosuid = true },
	{ .name = "nosuid-setuid-root", .mode = 04755, .nosuid = true },
};
#define EXEC_FILE_COUNT (int)(sizeof(exec_files) / sizeof(exec_files[0]))

static char work_dir[WORK_DIR_MAX];
static bool verbose;

/* The parent's model of the child. */
struct model {
	struct cred cred;
	struct cred parent;
	bool no_new_privs;
	pid_t self;
	pid_t parent_pid;
};

static void die(const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	fputs("cred_diff: ", stderr);
	vfprintf(stderr, format, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static gid_t fill_gid(int index, int count)
{
	return (gid_t)(count - index) * 3;
}

/* Builds the gid list of a setgroups op; entries past the inline ones
 * descend so that sorting matters. */
static void op_gid_list(const struct op *op, int count, gid_t *list)
{
	for (int i = 0; i < count; i++)
		list[i] = i < OP_INLINE_GIDS ? op->gids[i] : fill_gid(i, count);
}

static int op_list_size(const struct op *op)
{
	int64_t size = op->arg[0];

	if (size < 0)
		return 0;
	return size > CRED_NGROUPS_MAX ? CRED_NGROUPS_MAX : (int)size;
}

static pid_t resolve_pid(int64_t choice, pid_t self, pid_t parent)
{
	switch (choice) {
	case PID_SELF:
		return self;
	case PID_PARENT:
		return parent;
	case PID_MISSING:
		return MISSING_PID;
	case PID_NEGATIVE:
		return -7;
	default:
		return 0;
	}
}

/* I/O between parent and child. */

static bool read_full(int fd, void *buffer, size_t size)
{
	char *p = buffer;

	while (size > 0) {
		ssize_t n = read(fd, p, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		size -= (size_t)n;
	}
	return true;
}

static bool write_full(int fd, const void *buffer, size_t size)
{
	const char *p = buffer;

	while (size > 0) {
		ssize_t n = write(fd, p, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		size -= (size_t)n;
	}
	return true;
}

/* The kernel side, run in the child. */

static int64_t syscall_result(long ret)
{
	return ret == -1 ? -(int64_t)errno : ret;
}

static void native_snapshot(struct state *state, gid_t *groups)
{
	struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3,
						   0 };
	struct __user_cap_data_struct data[2];

	memset(state, 0, sizeof(*state));
	syscall(NR_GETRESUID, &state->uid[0], &state->uid[1], &state->uid[2]);
	state->uid[3] = (uint32_t)syscall(NR_SETFSUID, -1);
	syscall(NR_GETRESGID, &state->gid[0], &state->gid[1], &state->gid[2]);
	state->gid[3] = (uint32_t)syscall(NR_SETFSGID, -1);
	state->ngroups = (int)syscall(NR_GETGROUPS, 0, NULL);
	syscall(NR_GETGROUPS, state->ngroups, groups);

	syscall(SYS_capget, &header, data);
	state->effective = data[0].effective | (uint64_t)data[1].effective
						       << 32;
	state->permitted = data[0].permitted | (uint64_t)data[1].permitted
						       << 32;
	state->inheritable = data[0].inheritable | (uint64_t)data[1].inheritable
							   << 32;
	for (int cap = 0; cap <= CAP_LAST_CAP; cap++) {
		if (syscall(SYS_prctl, PR_CAPBSET_READ, cap, 0, 0, 0) == 1)
			state->bounding |= UINT64_C(1) << cap;
		if (syscall(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET,
			    cap, 0, 0) == 1)
			state->ambient |= UINT64_C(1) << cap;
	}
	state->securebits = syscall(SYS_prctl, PR_GET_SECUREBITS, 0, 0, 0, 0);
	state->keepcaps = syscall(SYS_prctl, PR_GET_KEEPCAPS, 0, 0, 0, 0);
}

static void send_step(int fd, const struct result *result)
{
	static gid_t groups[CRED_NGROUPS_MAX];
	struct state state;

	native_snapshot(&state, groups);
	if (!write_full(fd, result, sizeof(*result)) ||
	    !write_full(fd, &state, sizeof(state)) ||
	    !write_full(fd, groups, (size_t)state.ngroups * sizeof(gid_t)))
		_exit(3);
}

static void native_capget(const struct op *op, struct result *result)
{
	struct __user_cap_header_struct header;
	uint32_t data[6];

	header.version = (uint32_t)op->arg[0];
	header.pid =
		resolve_pid(op->arg[1], (pid_t)syscall(SYS_gettid), getppid());
	for (int i = 0; i < 6; i++)
		data[i] = 0xAAAAAAAA;
	result->ret = syscall_result(
		syscall(SYS_capget, &header, op->arg[2] ? NULL : data));
	memcpy(result->out, data, sizeof(data));
	result->out[6] = header.version;
	result->nout = 7;
}

static void native_capset(const struct op *op, struct result *result)
{
	struct __user_cap_header_struct header;

	header.version = (uint32_t)op->arg[0];
	header.pid =
		resolve_pid(op->arg[1], (pid_t)syscall(SYS_gettid), getppid());
	result->ret = syscall_result(syscall(SYS_capset, &header, op->caps));
	result->out[0] = header.version;
	result->nout = 1;
}

static void native_exec(const struct op *op, int op_fd, int result_fd,
			struct result *result)
{
	char op_arg[16], result_arg[16];
	char *argv[] = { "cred_diff", "--child",      op_arg,
			 result_arg,  "--after-exec", NULL };
	char *envp[] = { NULL };

	snprintf(op_arg, sizeof(op_arg), "%d", op_fd);
	snprintf(result_arg, sizeof(result_arg), "%d", result_fd);
	execve(op->path, argv, envp);
	result->ret = -errno;
}

static void native_groups(const struct op *op, struct result *result)
{
	static gid_t list[CRED_NGROUPS_MAX];
	int size = op_list_size(op);

	if (op->kind == OP_SETGROUPS) {
		op_gid_list(op, size, list);
		result->ret = syscall_result(
			syscall(NR_SETGROUPS, (int)op->arg[0], list));
		return;
	}
	result->ret =
		syscall_result(syscall(NR_GETGROUPS, (int)op->arg[0], list));
}

#if HAVE_UID16
static void native_groups16(const struct op *op, struct result *result)
{
	static uint16_t list[CRED_NGROUPS_MAX];
	static gid_t wide[CRED_NGROUPS_MAX];
	int size = op_list_size(op);

	if (op->kind == OP_SETGROUPS16) {
		op_gid_list(op, size, wide);
		for (int i = 0; i < size; i++)
			list[i] = (uint16_t)wide[i];
		result->ret = syscall_result(
			syscall(SYS_setgroups, (int)op->arg[0], list));
		return;
	}
	result->ret =
		syscall_result(syscall(SYS_getgroups, (int)op->arg[0], list));
	if (result->ret <= 0 || op->arg[0] == 0)
		return;
	result->nout = result->ret > OUT_WORDS ? OUT_WORDS : (int)result->ret;
	for (int i = 0; i < result->nout; i++)
		result->out[i] = list[i];
}

static void native_uid16(const struct op *op, struct result *result)
{
	static const long getters[] = { SYS_getuid, SYS_geteuid, SYS_getgid,
					SYS_getegid };
	uint16_t ids[3] = { 0xAAAA, 0xAAAA, 0xAAAA };
	uint16_t a = (uint16_t)op->arg[0], b = (uint16_t)op->arg[1];
	uint16_t c = (uint16_t)op->arg[2];
	long ret = 0;

	switch (op->kind) {
	case OP_SETUID16:
		ret = syscall(SYS_setuid, a);
		break;
	case OP_SETGID16:
		ret = syscall(SYS_setgid, a);
		break;
	case OP_SETREUID16:
		ret = syscall(SYS_setreuid, a, b);
		break;
	case OP_SETREGID16:
		ret = syscall(SYS_setregid, a, b);
		break;
	case OP_SETRESUID16:
		ret = syscall(SYS_setresuid, a, b, c);
		break;
	case OP_SETRESGID16:
		ret = syscall(SYS_setresgid, a, b, c);
		break;
	case OP_SETFSUID16:
		ret = syscall(SYS_setfsuid, a);
		break;
	case OP_SETFSGID16:
		ret = syscall(SYS_setfsgid, a);
		break;
	case OP_GETID16:
		ret = syscall(getters[op->arg[0] & 3]);
		break;
	case OP_GETRESUID16:
		ret = syscall(SYS_getresuid, &ids[0], &ids[1], &ids[2]);
		break;
	case OP_GETRESGID16:
		ret = syscall(SYS_getresgid, &ids[0], &ids[1], &ids[2]);
		break;
	}
	result->ret = syscall_result(ret);
	if (op->kind == OP_GETRESUID16 || op->kind == OP_GETRESGID16) {
		for (int i = 0; i < 3; i++)
			result->out[i] = ids[i];
		result->nout = 3;
	}
}
#endif

static void native_run(const struct op *op, int op_fd, int result_fd,
		       struct result *result)
{
	uint32_t a = (uint32_t)op->arg[0], b = (uint32_t)op->arg[1];
	uint32_t c = (uint32_t)op->arg[2];

	memset(result, 0, sizeof(*result));
	switch (op->kind) {
	case OP_SETUID:
		result->ret = syscall_result(syscall(NR_SETUID, a));
		break;
	case OP_SETGID:
		result->ret = syscall_result(syscall(NR_SETGID, a));
		break;
	case OP_SETREUID:
		result->ret = syscall_result(syscall(NR_SETREUID, a, b));
		break;
	case OP_SETREGID:
		result->ret = syscall_result(syscall(NR_SETREGID, a, b));
		break;
	case OP_SETRESUID:
		result->ret = syscall_result(syscall(NR_SETRESUID, a, b, c));
		break;
	case OP_SETRESGID:
		result->ret = syscall_result(syscall(NR_SETRESGID, a, b, c));
		break;
	case OP_SETFSUID:
		result->ret = (uint32_t)syscall(NR_SETFSUID, a);
		break;
	case OP_SETFSGID:
		result->ret = (uint32_t)syscall(NR_SETFSGID, a);
		break;
	case OP_SETGROUPS:
	case OP_GETGROUPS:
		native_groups(op, result);
		break;
	case OP_CAPGET:
		native_capget(op, result);
		break;
	case OP_CAPSET:
		native_capset(op, result);
		break;
	case OP_PRCTL:
		result->ret = syscall_result(syscall(
			SYS_prctl, (int)op->arg[0], (unsigned long)op->arg[1],
			(unsigned long)op->arg[2], (unsigned long)op->arg[3],
			(unsigned long)op->arg[4]));
		break;
	case OP_EXEC:
		native_exec(op, op_fd, result_fd, result);
		break;
	case OP_NO_NEW_PRIVS:
		result->ret = syscall_result(
			syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
		break;
#if HAVE_UID16
	case OP_SETGROUPS16:
	case OP_GETGROUPS16:
		native_groups16(op, result);
		break;
	default:
		native_uid16(op, result);
		break;
#endif
	}
}

/* Runs the ops that arrive on OP_FD until it is closed.  After an execve
 * the new image first reports the execve's success. */
static int run_child(int op_fd, int result_fd, bool after_exec)
{
	static struct op op;
	struct result result = { 0 };

	if (after_exec)
		send_step(result_fd, &result);
	while (read_full(op_fd, &op, sizeof(op))) {
		native_run(&op, op_fd, result_fd, &result);
		send_step(result_fd, &result);
	}
	return 0;
}

/* The model side, run in the parent. */

static void model_capget(struct model *model, const struct op *op,
			 struct result *result)
{
	struct __user_cap_data_struct data[2];
	uint32_t version = (uint32_t)op->arg[0];
	int words = cred_cap_words(version);
	pid_t pid = resolve_pid(op->arg[1], model->self, model->parent_pid);
	const struct cred *target = NULL;

	for (int i = 0; i < 6; i++)
		result->out[i] = 0xAAAAAAAA;
	result->out[6] = words < 0 ? _LINUX_CAPABILITY_VERSION_3 : version;
	result->nout = 7;

	/* A NULL data pointer probes the version: 0 even for an unknown
	 * one, whose header still gets the kernel's version. */
	if (op->arg[2] || words < 0) {
		result->ret = words < 0 && !op->arg[2] ? words : 0;
		return;
	}
	if (pid < 0) {
		result->ret = -EINVAL;
		return;
	}
	if (pid == 0 || pid == model->self)
		target = &model->cred;
	else if (pid == model->parent_pid)
		target = &model->parent;
	if (!target) {
		result->ret = -ESRCH;
		return;
	}
	cred_capget(target, data);
	memcpy(result->out, data, (size_t)words * sizeof(data[0]));
	result->ret = 0;
}

static void model_capset(struct model *model, const struct op *op,
			 struct result *result)
{
	uint32_t version = (uint32_t)op->arg[0];
	int words = cred_cap_words(version);
	pid_t pid = resolve_pid(op->arg[1], model->self, model->parent_pid);

	result->out[0] = words < 0 ? _LINUX_CAPABILITY_VERSION_3 : version;
	result->nout = 1;
	if (words < 0)
		result->ret = words;
	else if (pid != 0 && pid != model->self)
		result->ret = -EPERM;
	else
		result->ret = cred_capset(&model->cred, op->caps, words);
}

static void model_groups(struct model *model, const struct op *op,
			 struct result *result)
{
	static gid_t list[CRED_NGROUPS_MAX];
	int size = (int)op->arg[0];

	if (op->kind == OP_GETGROUPS) {
		result->ret = cred_getgroups(&model->cred, size, NULL);
		return;
	}
	op_gid_list(op, op_list_size(op), list);
	result->ret = cred_setgroups(&model->cred, size, list);
}

/*
 * Returns whether execve may run FILE: the permission check of the file's
 * owner, group or other class (fs/namei.c), which CAP_DAC_OVERRIDE passes
 * when any execute bit is set.  The directories are searchable by all.
 */
static bool model_may_exec(const struct cred *cred,
			   const struct exec_file *file)
{
	mode_t allowed;

	if (cred->fsuid == file->uid)
		allowed = file->mode & S_IXUSR;
	else if (cred_in_group(cred, file->gid))
		allowed = file->mode & S_IXGRP;
	else
		allowed = file->mode & S_IXOTH;
	if (allowed)
		return true;
	return cred_capable(cred, CAP_DAC_OVERRIDE) &&
	       (file->mode & (S_IXUSR | S_IXGRP | S_IXOTH));
}

static void model_exec(struct model *model, const struct op *op,
		       struct result *result)
{
	const struct exec_file *file = &exec_files[op->arg[0]];
	struct cred_exec_file exec = {
		.mode = file->mode,
		.uid = file->uid,
		.gid = file->gid,
		.ids_mapped = true,
		.nosuid = file->nosuid,
		.no_new_privs = model->no_new_privs,
	};

	if (!model_may_exec(&model->cred, file)) {
		result->ret = -EACCES;
		return;
	}
	cred_exec(&model->cred, &exec);
	result->ret = 0;
}

static void model_groups16(struct model *model, const struct op *op,
			   struct result *result)
{
	static gid_t list[CRED_NGROUPS_MAX];
	int size = (int)op->arg[0];
	int count;

	if (op->kind == OP_SETGROUPS16) {
		int n = op_list_size(op);

		op_gid_list(op, n, list);
		for (int i = 0; i < n; i++)
			list[i] = cred_low2highgid((uint16_t)list[i]);
		result->ret = cred_setgroups(&model->cred, size, list);
		return;
	}
	count = cred_getgroups(&model->cred, size, NULL);
	result->ret = count;
	if (count <= 0 || size == 0)
		return;
	result->nout = count > OUT_WORDS ? OUT_WORDS : count;
	for (int i = 0; i < result->nout; i++)
		result->out[i] = cred_high2lowgid(model->cred.groups->gids[i]);
}

static void model_uid16(struct model *model, const struct op *op,
			struct result *result)
{
	struct cred *cred = &model->cred;
	uid_t a = cred_low2highuid((uint16_t)op->arg[0]);
	uid_t b = cred_low2highuid((uint16_t)op->arg[1]);
	uid_t c = cred_low2highuid((uint16_t)op->arg[2]);
	const uint32_t getters[] = { cred->ruid, cred->euid, cred->rgid,
				     cred->egid };

	switch (op->kind) {
	case OP_SETUID16:
		result->ret = cred_setuid(cred, a);
		break;
	case OP_SETGID16:
		result->ret = cred_setgid(cred, a);
		break;
	case OP_SETREUID16:
		result->ret = cred_setreuid(cred, a, b);
		break;
	case OP_SETREGID16:
		result->ret = cred_setregid(cred, a, b);
		break;
	case OP_SETRESUID16:
		result->ret = cred_setresuid(cred, a, b, c);
		break;
	case OP_SETRESGID16:
		result->ret = cred_setresgid(cred, a, b, c);
		break;
	case OP_SETFSUID16:
		/* kernel/uid16.c returns the old fsuid without narrowing. */
		result->ret = cred_setfsuid(cred, a);
		break;
	case OP_SETFSGID16:
		result->ret = cred_setfsgid(cred, a);
		break;
	case OP_GETID16:
		result->ret = cred_high2lowuid(getters[op->arg[0] & 3]);
		break;
	case OP_GETRESUID16:
		result->out[0] = cred_high2lowuid(cred->ruid);
		result->out[1] = cred_high2lowuid(cred->euid);
		result->out[2] = cred_high2lowuid(cred->suid);
		result->nout = 3;
		break;
	case OP_GETRESGID16:
		result->out[0] = cred_high2lowgid(cred->rgid);
		result->out[1] = cred_high2lowgid(cred->egid);
		result->out[2] = cred_high2lowgid(cred->sgid);
		result->nout = 3;
		break;
	}
}

static void model_run(struct model *model, const struct op *op,
		      struct result *result)
{
	struct cred *cred = &model->cred;
	uid_t a = (uid_t)op->arg[0], b = (uid_t)op->arg[1];
	uid_t c = (uid_t)op->arg[2];

	memset(result, 0, sizeof(*result));
	switch (op->kind) {
	case OP_SETUID:
		result->ret = cred_setuid(cred, a);
		break;
	case OP_SETGID:
		result->ret = cred_setgid(cred, a);
		break;
	case OP_SETREUID:
		result->ret = cred_setreuid(cred, a, b);
		break;
	case OP_SETREGID:
		result->ret = cred_setregid(cred, a, b);
		break;
	case OP_SETRESUID:
		result->ret = cred_setresuid(cred, a, b, c);
		break;
	case OP_SETRESGID:
		result->ret = cred_setresgid(cred, a, b, c);
		break;
	case OP_SETFSUID:
		result->ret = cred_setfsuid(cred, a);
		break;
	case OP_SETFSGID:
		result->ret = cred_setfsgid(cred, a);
		break;
	case OP_SETGROUPS:
	case OP_GETGROUPS:
		model_groups(model, op, result);
		break;
	case OP_CAPGET:
		model_capget(model, op, result);
		break;
	case OP_CAPSET:
		model_capset(model, op, result);
		break;
	case OP_PRCTL:
		result->ret = cred_prctl(
			cred, (int)op->arg[0], (unsigned long)op->arg[1],
			(unsigned long)op->arg[2], (unsigned long)op->arg[3],
			(unsigned long)op->arg[4]);
		break;
	case OP_EXEC:
		model_exec(model, op, result);
		break;
	case OP_NO_NEW_PRIVS:
		model->no_new_privs = true;
		result->ret = 0;
		break;
	case OP_SETGROUPS16:
	case OP_GETGROUPS16:
		model_groups16(model, op, result);
		break;
	default:
		model_uid16(model, op, result);
		break;
	}
}

static void model_snapshot(const struct cred *cred, struct state *state)
{
	memset(state, 0, sizeof(*state));
	state->uid[0] = cred->ruid;
	state->uid[1] = cred->euid;
	state->uid[2] = cred->suid;
	state->uid[3] = cred->fsuid;
	state->gid[0] = cred->rgid;
	state->gid[1] = cred->egid;
	state->gid[2] = cred->sgid;
	state->gid[3] = cred->fsgid;
	state->effective = cred->cap_effective;
	state->permitted = cred->cap_permitted;
	state->inheritable = cred->cap_inheritable;
	state->bounding = cred->cap_bounding;
	state->ambient = cred->cap_ambient;
	state->securebits = cred->securebits;
	state->keepcaps = (cred->securebits & SECBIT_KEEP_CAPS) != 0;
	state->ngroups = cred->groups->count;
}

/* Builds a model credential set equal to a reported state. */
static void model_from_state(struct cred *cred, const struct state *state,
			     const gid_t *groups)
{
	if (cred_init(cred, state->uid[0], state->gid[0]))
		die("cannot allocate a credential set");
	cred->cap_effective = UINT64_C(1) << CAP_SETGID;
	if (cred_setgroups(cred, state->ngroups, groups))
		die("cannot copy %d reported groups", state->ngroups);
	cred->ruid = state->uid[0];
	cred->euid = state->uid[1];
	cred->suid = state->uid[2];
	cred->fsuid = state->uid[3];
	cred->rgid = state->gid[0];
	cred->egid = state->gid[1];
	cred->sgid = state->gid[2];
	cred->fsgid = state->gid[3];
	cred->cap_effective = state->effective;
	cred->cap_permitted = state->permitted;
	cred->cap_inheritable = state->inheritable;
	cred->cap_bounding = state->bounding;
	cred->cap_ambient = state->ambient;
	cred->securebits = (unsigned int)state->securebits;
}

/* Printing. */

static void print_id(int64_t id)
{
	if (id == (uint32_t)-1 || id == -1)
		fputs("-1", stdout);
	else
		printf("%" PRId64, id);
}

static const char *version_name(int64_t version)
{
	switch ((uint32_t)version) {
	case _LINUX_CAPABILITY_VERSION_1:
		return "v1";
	case _LINUX_CAPABILITY_VERSION_2:
		return "v2";
	case _LINUX_CAPABILITY_VERSION_3:
		return "v3";
	default:
		return "bad-version";
	}
}

static const char *prctl_name(int64_t option)
{
	switch (option) {
	case PR_GET_KEEPCAPS:
		return "PR_GET_KEEPCAPS";
	case PR_SET_KEEPCAPS:
		return "PR_SET_KEEPCAPS";
	case PR_CAPBSET_READ:
		return "PR_CAPBSET_READ";
	case PR_CAPBSET_DROP:
		return "PR_CAPBSET_DROP";
	case PR_GET_SECUREBITS:
		return "PR_GET_SECUREBITS";
	case PR_SET_SECUREBITS:
		return "PR_SET_SECUREBITS";
	case PR_CAP_AMBIENT:
		return "PR_CAP_AMBIENT";
	default:
		return NULL;
	}
}

static void print_prctl(const struct op *op)
{
	static const char *const ambient_names[] = {
		[PR_CAP_AMBIENT_IS_SET] = "PR_CAP_AMBIENT_IS_SET",
		[PR_CAP_AMBIENT_RAISE] = "PR_CAP_AMBIENT_RAISE",
		[PR_CAP_AMBIENT_LOWER] = "PR_CAP_AMBIENT_LOWER",
		[PR_CAP_AMBIENT_CLEAR_ALL] = "PR_CAP_AMBIENT_CLEAR_ALL",
	};
	const char *name = prctl_name(op->arg[0]);
	int first = 1;

	if (name)
		fputs(name, stdout);
	else
		printf("%" PRId64, op->arg[0]);
	if (op->arg[0] == PR_CAP_AMBIENT && op->arg[1] >= 1 &&
	    op->arg[1] <= PR_CAP_AMBIENT_CLEAR_ALL) {
		printf(", %s", ambient_names[op->arg[1]]);
		first = 2;
	}
	for (int i = first; i < 5; i++)
		printf(", %#" PRIx64, (uint64_t)op->arg[i]);
	fputs(")", stdout);
}

static const char *const pid_names[] = { "0", "self", "parent", "missing",
					 "negative" };

static void print_op(const struct op *op)
{
	const struct __user_cap_data_struct *d = op->caps;

	if (op->kind == OP_NO_NEW_PRIVS) {
		fputs(op_names[op->kind], stdout);
		return;
	}
	printf("%s(", op_names[op->kind]);
	switch (op->kind) {
	case OP_CAPGET:
		printf("%s, pid %s%s)", version_name(op->arg[0]),
		       pid_names[op->arg[1] % 5],
		       op->arg[2] ? ", data NULL" : "");
		return;
	case OP_CAPSET:
		printf("%s, pid %s, E %08x%08x P %08x%08x I %08x%08x)",
		       version_name(op->arg[0]), pid_names[op->arg[1] % 5],
		       d[1].effective, d[0].effective, d[1].permitted,
		       d[0].permitted, d[1].inheritable, d[0].inheritable);
		return;
	case OP_PRCTL:
		print_prctl(op);
		return;
	case OP_EXEC:
		printf("%s)", exec_files[op->arg[0]].name);
		return;
	case OP_SETGROUPS:
	case OP_SETGROUPS16: {
		int n = op_list_size(op);

		printf("%" PRId64 ", {", op->arg[0]);
		for (int i = 0; i < n && i < OP_INLINE_GIDS; i++) {
			if (i)
				fputs(", ", stdout);
			print_id(op->gids[i]);
		}
		printf("%s})", n > OP_INLINE_GIDS ? ", ..." : "");
		return;
	}
	case OP_GETGROUPS:
	case OP_GETGROUPS16:
	case OP_GETID16:
		printf("%" PRId64 ")", op->arg[0]);
		return;
	case OP_GETRESUID16:
	case OP_GETRESGID16:
		fputs(")", stdout);
		return;
	}

	int nargs = 1;

	if (op->kind == OP_SETREUID || op->kind == OP_SETREGID ||
	    op->kind == OP_SETREUID16 || op->kind == OP_SETREGID16)
		nargs = 2;
	if (op->kind == OP_SETRESUID || op->kind == OP_SETRESGID ||
	    op->kind == OP_SETRESUID16 || op->kind == OP_SETRESGID16)
		nargs = 3;
	for (int i = 0; i < nargs; i++) {
		if (i)
			fputs(", ", stdout);
		print_id(op->arg[i]);
	}
	fputs(")", stdout);
}

static void print_ret(int64_t ret)
{
	if (ret < 0 && ret >= -4095)
		printf("-1 %s", strerrorname_np((int)-ret));
	else
		printf("%" PRId64, ret);
}

/* Compares one value, printing both when PRINT is set and they differ. */
static bool compare_word(const char *name, uint64_t kernel, uint64_t model,
			 bool print)
{
	if (kernel == model)
		return true;
	if (print)
		printf("    %-12s kernel %#" PRIx64 "  model %#" PRIx64 "\n",
		       name, kernel, model);
	return false;
}

static bool compare_results(const struct result *kernel,
			    const struct result *model, bool print)
{
	bool same = true;

	if (kernel->ret != model->ret && print) {
		fputs("    result       kernel ", stdout);
		print_ret(kernel->ret);
		fputs("  model ", stdout);
		print_ret(model->ret);
		fputs("\n", stdout);
	}
	same &= kernel->ret == model->ret;
	same &= compare_word("output words", (uint64_t)kernel->nout,
			     (uint64_t)model->nout, print);
	for (int i = 0; i < kernel->nout && i < model->nout; i++) {
		char name[32];

		snprintf(name, sizeof(name), "output[%d]", i);
		same &= compare_word(name, kernel->out[i], model->out[i],
				     print);
	}
	return same;
}

static bool compare_states(const struct state *kernel, const gid_t *kgroups,
			   const struct state *model, const gid_t *mgroups,
			   bool print)
{
	static const char *const id_names[] = { "ruid", "euid", "suid",
						"fsuid" };
	static const char *const gid_names[] = { "rgid", "egid", "sgid",
						 "fsgid" };
	bool same = true;

	for (int i = 0; i < 4; i++) {
		same &= compare_word(id_names[i], kernel->uid[i], model->uid[i],
				     print);
		same &= compare_word(gid_names[i], kernel->gid[i],
				     model->gid[i], print);
	}
	same &= compare_word("effective", kernel->effective, model->effective,
			     print);
	same &= compare_word("permitted", kernel->permitted, model->permitted,
			     print);
	same &= compare_word("inheritable", kernel->inheritable,
			     model->inheritable, print);
	same &= compare_word("bounding", kernel->bounding, model->bounding,
			     print);
	same &= compare_word("ambient", kernel->ambient, model->ambient, print);
	same &= compare_word("securebits", (uint64_t)kernel->securebits,
			     (uint64_t)model->securebits, print);
	same &= compare_word("keepcaps", (uint64_t)kernel->keepcaps,
			     (uint64_t)model->keepcaps, print);
	if (!compare_word("groups", (uint64_t)kernel->ngroups,
			  (uint64_t)model->ngroups, print))
		return false;
	for (int i = 0; i < kernel->ngroups; i++) {
		if (kgroups[i] != mgroups[i]) {
			if (print)
				printf("    group[%d]     kernel %u  model "
				       "%u\n",
				       i, kgroups[i], mgroups[i]);
			return false;
		}
	}
	return same;
}

/* Random sequences. */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(0x2545F4914F6CDD1D);
}

static uint32_t rng_below(uint32_t bound)
{
	return (uint32_t)(rng_next() % bound);
}

/* Ids that collide with each other and with the 16-bit limits; none in
 * 0xfffff001..0xfffffffe, which i386's syscall() takes for errors. */
static const uint32_t id_pool[] = { 0,	    1,		2,	     100,
				    1000,   65534,	65535,	     65536,
				    100000, 0x7fffffff, (uint32_t)-1 };

static int64_t pick_uid(const struct cred *cred)
{
	const uint32_t current[] = { cred->ruid, cred->euid, cred->suid,
				     cred->fsuid };

	if (rng_below(2))
		return current[rng_below(4)];
	return id_pool[rng_below(sizeof(id_pool) / sizeof(id_pool[0]))];
}

static int64_t pick_gid(const struct cred *cred)
{
	const uint32_t current[] = { cred->rgid, cred->egid, cred->sgid,
				     cred->fsgid };

	if (rng_below(2))
		return current[rng_below(4)];
	return id_pool[rng_below(sizeof(id_pool) / sizeof(id_pool[0]))];
}

static int64_t pick_id16(int64_t id)
{
	static const uint16_t pool[] = { 0, 1, 100, 1000, 65534, 0xFFFF };

	if (rng_below(2))
		return (uint16_t)id;
	return pool[rng_below(sizeof(pool) / sizeof(pool[0]))];
}

static int64_t pick_cap_number(void)
{
	static const int64_t odd[] = { CAP_LAST_CAP + 1, 63, 64, -1 };

	if (rng_below(10) == 0)
		return odd[rng_below(4)];
	return rng_below(CAP_LAST_CAP + 1);
}

static uint64_t pick_caps(const struct cred *cred)
{
	switch (rng_below(8)) {
	case 0:
		return 0;
	case 1:
		return CRED_CAP_VALID_MASK;
	case 2:
		return cred->cap_permitted;
	case 3:
		return cred->cap_permitted & rng_next();
	case 4:
		return cred->cap_inheritable;
	case 5:
		return cred->cap_inheritable |
		       UINT64_C(1) << rng_below(CAP_LAST_CAP + 1);
	case 6:
		return rng_next();
	default:
		return cred->cap_effective;
	}
}

static void set_cap_words(struct __user_cap_data_struct data[2],
			  uint64_t effective, uint64_t permitted,
			  uint64_t inheritable)
{
	data[0].effective = (uint32_t)effective;
	data[1].effective = (uint32_t)(effective >> 32);
	data[0].permitted = (uint32_t)permitted;
	data[1].permitted = (uint32_t)(permitted >> 32);
	data[0].inheritable = (uint32_t)inheritable;
	data[1].inheritable = (uint32_t)(inheritable >> 32);
}

static int64_t pick_version(void)
{
	static const uint32_t versions[] = {
		_LINUX_CAPABILITY_VERSION_1, _LINUX_CAPABILITY_VERSION_2,
		_LINUX_CAPABILITY_VERSION_3, _LINUX_CAPABILITY_VERSION_3,
		_LINUX_CAPABILITY_VERSION_3, 0x12345678
	};

	return versions[rng_below(6)];
}

static int64_t pick_pid(void)
{
	return rng_below(4) ? (rng_below(2) ? PID_ZERO : PID_SELF)
			    : rng_below(5);
}

static void random_capset(const struct cred *cred, struct op *op)
{
	uint64_t permitted = pick_caps(cred);
	uint64_t effective = rng_below(2) ? permitted : pick_caps(cred);

	op->arg[0] = pick_version();
	op->arg[1] = pick_pid();
	set_cap_words(op->caps, effective, permitted, pick_caps(cred));
}

static void random_prctl(const struct cred *cred, struct op *op)
{
	static const int options[] = { PR_GET_KEEPCAPS,	  PR_SET_KEEPCAPS,
				       PR_CAPBSET_READ,	  PR_CAPBSET_DROP,
				       PR_GET_SECUREBITS, PR_SET_SECUREBITS,
				       PR_CAP_AMBIENT,	  PR_CAP_AMBIENT,
				       PR_CAP_AMBIENT };
	int option = options[rng_below(sizeof(options) / sizeof(options[0]))];

	op->arg[0] = option;
	switch (option) {
	case PR_SET_KEEPCAPS:
		op->arg[1] = rng_below(3);
		break;
	case PR_CAPBSET_READ:
	case PR_CAPBSET_DROP:
		op->arg[1] = pick_cap_number();
		break;
	case PR_SET_SECUREBITS:
		/* Mostly one bit flipped; lock bits are rarer, because a
		 * locked bit stays for the rest of the sequence. */
		op->arg[1] = cred->securebits ^
			     (UINT64_C(1) << (rng_below(4) ? rng_below(6) * 2
							   : rng_below(13)));
		if (rng_below(8) == 0)
			op->arg[1] = cred->securebits;
		break;
	case PR_CAP_AMBIENT:
		op->arg[1] = rng_below(10) ? 1 + rng_below(4) : rng_below(6);
		op->arg[2] =
			op->arg[1] == PR_CAP_AMBIENT_CLEAR_ALL && rng_below(4)
				? 0
				: pick_cap_number();
		op->arg[3] = rng_below(20) == 0;
		op->arg[4] = rng_below(20) == 0;
		break;
	}
}

static void random_groups(const struct cred *cred, struct op *op)
{
	static const int64_t odd_sizes[] = { -1, CRED_NGROUPS_MAX,
					     CRED_NGROUPS_MAX + 1 };
	int count = cred->groups->count;

	if (op->kind == OP_GETGROUPS || op->kind == OP_GETGROUPS16) {
		const int64_t sizes[] = { 0,	     count, count - 1,
					  count + 5, -1,    CRED_NGROUPS_MAX };

		op->arg[0] = sizes[rng_below(6)];
		return;
	}
	op->arg[0] = rng_below(10) == 0 ? odd_sizes[rng_below(3)]
					: rng_below(OP_INLINE_GIDS + 1);
	for (int i = 0; i < OP_INLINE_GIDS; i++) {
		int64_t gid = rng_below(12) ? pick_gid(cred) : -1;

		op->gids[i] =
			(gid_t)(op->kind == OP_SETGROUPS16 ? pick_id16(gid)
							   : gid);
	}
}

static void random_uid16(const struct cred *cred, struct op *op)
{
	bool gids = op->kind == OP_SETGID16 || op->kind == OP_SETREGID16 ||
		    op->kind == OP_SETRESGID16 || op->kind == OP_SETFSGID16;

	for (int i = 0; i < 3; i++)
		op->arg[i] = pick_id16(gids ? pick_gid(cred) : pick_uid(cred));
	if (op->kind == OP_GETID16)
		op->arg[0] = rng_below(4);
}

static void random_op(const struct model *model, struct op *op)
{
	static const int kinds[] = {
		OP_SETUID,	OP_SETGID,     OP_SETREUID,    OP_SETREGID,
		OP_SETRESUID,	OP_SETRESUID,  OP_SETRESGID,   OP_SETRESGID,
		OP_SETFSUID,	OP_SETFSGID,   OP_SETGROUPS,   OP_GETGROUPS,
		OP_CAPGET,	OP_CAPSET,     OP_CAPSET,      OP_PRCTL,
		OP_PRCTL,	OP_PRCTL,      OP_EXEC,	       OP_SETUID16,
		OP_SETGID16,	OP_SETREUID16, OP_SETREGID16,  OP_SETRESUID16,
		OP_SETRESGID16, OP_SETFSUID16, OP_SETFSGID16,  OP_SETGROUPS16,
		OP_GETGROUPS16, OP_GETID16,    OP_GETRESUID16, OP_GETRESGID16,
	};
	int kind_count =
		HAVE_UID16 ? (int)(sizeof(kinds) / sizeof(kinds[0])) : 19;
	const struct cred *cred = &model->cred;

	memset(op, 0, sizeof(*op));
	op->kind = kinds[rng_below((uint32_t)kind_count)];
	if (rng_below(150) == 0)
		op->kind = OP_NO_NEW_PRIVS;

	bool gids = op->kind == OP_SETGID || op->kind == OP_SETREGID ||
		    op->kind == OP_SETRESGID || op->kind == OP_SETFSGID;

	for (int i = 0; i < 3; i++)
		op->arg[i] = gids ? pick_gid(cred) : pick_uid(cred);

	switch (op->kind) {
	case OP_SETGROUPS:
	case OP_GETGROUPS:
	case OP_SETGROUPS16:
	case OP_GETGROUPS16:
		random_groups(cred, op);
		break;
	case OP_CAPGET:
		op->arg[0] = pick_version();
		op->arg[1] = pick_pid();
		op->arg[2] = rng_below(10) == 0;
		break;
	case OP_CAPSET:
		random_capset(cred, op);
		break;
	case OP_PRCTL:
		memset(op->arg, 0, sizeof(op->arg));
		random_prctl(cred, op);
		break;
	case OP_EXEC:
		op->arg[0] = rng_below(EXEC_FILE_COUNT);
		break;
	default:
		if (op->kind >= OP_SETUID16)
			random_uid16(cred, op);
		break;
	}
}

/* Hand-picked sequences. */

#define V1 _LINUX_CAPABILITY_VERSION_1
#define V2 _LINUX_CAPABILITY_VERSION_2
#define V3 _LINUX_CAPABILITY_VERSION_3
#define BIT(cap) (UINT32_C(1) << (cap))

#define SETUID(u)                                                              \
	{                                                                      \
		.kind = OP_SETUID, .arg = { u }                                \
	}
#define SETGID(g)                                                              \
	{                                                                      \
		.kind = OP_SETGID, .arg = { g }                                \
	}
#define SETREUID(r, e)                                                         \
	{                                                                      \
		.kind = OP_SETREUID, .arg = { r, e }                           \
	}
#define SETREGID(r, e)                                                         \
	{                                                                      \
		.kind = OP_SETREGID, .arg = { r, e }                           \
	}
#define SETRESUID(r, e, s)                                                     \
	{                                                                      \
		.kind = OP_SETRESUID, .arg = { r, e, s }                       \
	}
#define SETRESGID(r, e, s)                                                     \
	{                                                                      \
		.kind = OP_SETRESGID, .arg = { r, e, s }                       \
	}
#define SETFSUID(u)                                                            \
	{                                                                      \
		.kind = OP_SETFSUID, .arg = { u }                              \
	}
#define SETFSGID(g)                                                            \
	{                                                                      \
		.kind = OP_SETFSGID, .arg = { g }                              \
	}
#define GETGROUPS(n)                                                           \
	{                                                                      \
		.kind = OP_GETGROUPS, .arg = { n }                             \
	}
#define SETGROUPS(n, ...)                                                      \
	{                                                                      \
		.kind = OP_SETGROUPS, .arg = { n }, .gids = { __VA_ARGS__ }    \
	}
#define PRCTL(...)                                                             \
	{                                                                      \
		.kind = OP_PRCTL, .arg = { __VA_ARGS__ }                       \
	}
#define CAPGET(version, pid)                                                   \
	{                                                                      \
		.kind = OP_CAPGET, .arg = { version, pid }                     \
	}
#define CAPGET_NULL(version)                                                   \
	{                                                                      \
		.kind = OP_CAPGET, .arg = { version, 0, 1 }                    \
	}
/* capset with 32-bit words: LOW for capabilities 0-31, HIGH for 32-40. */
#define CAPSET(version, pid, source, e, p, i, eh, ph, ih)                      \
	{                                                                      \
		.kind = OP_CAPSET, .arg = { version, pid, source }, .caps = {  \
			{ e, p, i },                                           \
			{ eh, ph, ih }                                         \
		}                                                              \
	}
#define CAPSET_INHERITABLE(i)                                                  \
	CAPSET(V3, PID_ZERO, CAPS_CURRENT_WITH_INHERITABLE, 0, 0, i, 0, 0, 0)
#define CAPSET_KEEP(e, p, i)                                                   \
	CAPSET(V3, PID_ZERO, CAPS_CURRENT_AND_MASK, e, p, i, ~0u, ~0u, ~0u)
#define EXEC(index)                                                            \
	{                                                                      \
		.kind = OP_EXEC, .arg = { index }                              \
	}
#define NO_NEW_PRIVS                                                           \
	{                                                                      \
		.kind = OP_NO_NEW_PRIVS                                        \
	}
#define END                                                                    \
	{                                                                      \
		.kind = OP_END                                                 \
	}

enum exec_index {
	EXEC_PLAIN,
	EXEC_SETUID_1000,
	EXEC_SETUID_ROOT,
	EXEC_SETGID_2000,
	EXEC_SETGID_NO_GROUP_X,
	EXEC_SETUID_SETGID,
	EXEC_NOSUID_SETUID_1000,
	EXEC_NOSUID_SETUID_ROOT,
};

struct sequence {
	const char *name;
	const struct op *ops;
};

static const struct op seq_unprivileged_setreuid[] = {
	SETRESUID(1000, 1000, 0), SETREUID(0, -1),  SETREUID(-1, 0),
	SETREUID(1000, 1000),	  SETREUID(-1, -1), END,
};

static const struct op seq_dropped_root_stays_dropped[] = {
	SETRESGID(65534, 65534, 65534),
	SETRESUID(100, 100, 100),
	SETUID(0),
	SETRESUID(-1, 0, -1),
	SETGID(0),
	SETRESGID(-1, 0, -1),
	SETREUID(-1, 0),
	SETFSUID(0),
	SETGROUPS(1, 0),
	END,
};

static const struct op seq_seteuid_round_trip[] = {
	SETRESUID(-1, 100, -1),
	CAPGET(V3, PID_ZERO),
	SETRESUID(-1, 0, -1),
	CAPGET(V3, PID_ZERO),
	SETREUID(-1, 100),
	SETREUID(-1, 0),
	SETUID(100),
	SETUID(0),
	END,
};

static const struct op seq_setfsuid_results[] = {
	SETFSUID(1000),
	SETFSUID(-1),
	SETFSUID(0),
	SETFSUID(0),
	SETFSGID(5),
	SETFSGID(-1),
	SETRESGID(-1, -1, -1),
	SETREGID(-1, -1),
	SETFSUID(1000),
	SETRESUID(-1, -1, -1),
	SETREUID(-1, -1),
	SETFSUID(1000),
	SETRESUID(-1, 0, -1),
	SETRESUID(1000, 1000, 1000),
	SETFSUID(0),
	SETFSUID(1000),
	END,
};

static const struct op seq_group_sizes[] = {
	GETGROUPS(0),
	GETGROUPS(-1),
	SETGROUPS(0),
	GETGROUPS(0),
	GETGROUPS(1),
	SETGROUPS(CRED_NGROUPS_MAX, 7, 5),
	GETGROUPS(CRED_NGROUPS_MAX - 1),
	GETGROUPS(CRED_NGROUPS_MAX),
	SETGROUPS(CRED_NGROUPS_MAX + 1),
	SETGROUPS(-1),
	SETGROUPS(3, 5, -1, 7),
	SETGROUPS(3, 30, 10, 20),
	GETGROUPS(2),
	GETGROUPS(3),
	SETRESGID(1000, 1000, 1000),
	SETRESUID(1000, 1000, 1000),
	SETGROUPS(CRED_NGROUPS_MAX + 1),
	SETGROUPS(-1),
	END,
};

static const struct op seq_keepcaps[] = {
	PRCTL(PR_GET_KEEPCAPS),
	PRCTL(PR_SET_KEEPCAPS, 2),
	PRCTL(PR_SET_KEEPCAPS, 1),
	PRCTL(PR_GET_KEEPCAPS),
	SETRESUID(1000, 1000, 1000),
	CAPGET(V3, PID_ZERO),
	CAPSET_KEEP(BIT(CAP_SETUID), BIT(CAP_SETUID) | BIT(CAP_SETGID), 0),
	SETRESUID(0, 0, 0),
	SETRESUID(1000, 1000, 1000),
	EXEC(EXEC_PLAIN),
	PRCTL(PR_GET_KEEPCAPS),
	END,
};

static const struct op seq_ambient[] = {
	CAPSET_INHERITABLE(BIT(CAP_NET_BIND_SERVICE) | BIT(CAP_SETUID) |
			   BIT(CAP_SETGID) | BIT(CAP_DAC_OVERRIDE)),
	PRCTL(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE),
	PRCTL(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_SETUID),
	PRCTL(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_SYS_ADMIN),
	PRCTL(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_SETUID),
	EXEC(EXEC_PLAIN),
	PRCTL(PR_SET_KEEPCAPS, 1),
	SETRESUID(1000, 1000, 1000),
	PRCTL(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_SETUID),
	PRCTL(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_SETGID),
	EXEC(EXEC_PLAIN),
	EXEC(EXEC_SETUID_1000),
	EXEC(EXEC_SETGID_2000),
	EXEC(EXEC_SETUID_ROOT),
	END,
};

static const struct op seq_ambient_arguments[] = {
	PRCTL(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 1),
	PRCTL(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 1),
	PRCTL(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_LAST_CAP + 1),
	PRCTL(PR_CAP_AMBIENT, 5, 1),
	PRCTL(PR_CAP_AMBIENT, 0, 0),
	PRCTL(PR_CAP_AMBIENT, 5, CAP_LAST_CAP + 1),
	CAPSET_INHERITABLE(BIT(CAP_KILL)),
	PRCTL(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 1),
	PRCTL(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL),
	PRCTL(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, CAP_KILL),
	PRCTL(PR_SET_SECUREBITS, SECBIT_NO_CAP_AMBIENT_RAISE),
	PRCTL(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL),
	PRCTL(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, CAP_KILL),
	END,
};

static const struct op seq_exec_from_root[] = {
	EXEC(EXEC_NOSUID_SETUID_1000), EXEC(EXEC_SETGID_NO_GROUP_X),
	EXEC(EXEC_SETUID_1000),	       EXEC(EXEC_PLAIN),
	EXEC(EXEC_SETUID_ROOT),	       EXEC(EXEC_SETUID_SETGID),
	EXEC(EXEC_SETGID_2000),	       END,
};

static const struct op seq_exec_from_user[] = {
	SETRESGID(100, 100, 100),
	SETRESUID(1000, 1000, 1000),
	EXEC(EXEC_NOSUID_SETUID_ROOT),
	EXEC(EXEC_SETUID_ROOT),
	SETRESUID(-1, -1, 1000),
	EXEC(EXEC_SETGID_2000),
	EXEC(EXEC_SETUID_SETGID),
	EXEC(EXEC_PLAIN),
	END,
};

static const struct op seq_exec_in_group[] = {
	CAPSET_INHERITABLE(BIT(CAP_KILL)),
	PRCTL(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL),
	SETFSGID(5),
	EXEC(EXEC_PLAIN),
	PRCTL(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL),
	SETGROUPS(0),
	SETFSGID(5),
	EXEC(EXEC_PLAIN),
	END,
};

static const struct op seq_no_new_privs[] = {
	NO_NEW_PRIVS,
	EXEC(EXEC_SETUID_1000),
	SETRESUID(1000, 0, 0),
	CAPSET_KEEP(BIT(CAP_SETUID), BIT(CAP_SETUID) | BIT(CAP_SETGID), 0),
	EXEC(EXEC_PLAIN),
	SETRESUID(1000, 1000, 1000),
	EXEC(EXEC_SETUID_ROOT),
	END,
};

static const struct op seq_securebits[] = {
	PRCTL(PR_SET_SECUREBITS, SECBIT_NO_SETUID_FIXUP),
	SETRESUID(1000, 1000, 1000),
	SETFSUID(0),
	SETFSUID(1000),
	SETRESUID(0, 0, 0),
	PRCTL(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_KEEP_CAPS_LOCKED),
	PRCTL(PR_SET_KEEPCAPS, 1),
	PRCTL(PR_GET_SECUREBITS),
	EXEC(EXEC_PLAIN),
	PRCTL(PR_SET_SECUREBITS, 0x1000),
	END,
};

static const struct op seq_unprivileged_securebits[] = {
	SETRESUID(1000, 1000, 1000),
	PRCTL(PR_SET_SECUREBITS, 0),
	PRCTL(PR_SET_SECUREBITS, SECBIT_EXEC_RESTRICT_FILE),
	PRCTL(PR_SET_SECUREBITS, SECBIT_EXEC_RESTRICT_FILE),
	PRCTL(PR_SET_SECUREBITS,
	      SECBIT_EXEC_RESTRICT_FILE | SECBIT_EXEC_DENY_INTERACTIVE),
	PRCTL(PR_SET_SECUREBITS, SECBIT_EXEC_RESTRICT_FILE |
					 SECBIT_EXEC_DENY_INTERACTIVE |
					 SECBIT_EXEC_RESTRICT_FILE_LOCKED),
	PRCTL(PR_SET_SECUREBITS, SECBIT_EXEC_DENY_INTERACTIVE),
	PRCTL(PR_SET_SECUREBITS, SECBIT_EXEC_RESTRICT_FILE |
					 SECBIT_EXEC_RESTRICT_FILE_LOCKED |
					 SECBIT_KEEP_CAPS),
	PRCTL(PR_SET_KEEPCAPS, 1),
	END,
};

static const struct op seq_capset_rules[] = {
	CAPGET(V1, PID_ZERO),
	CAPGET(V2, PID_SELF),
	CAPGET(0x12345678, PID_ZERO),
	CAPGET_NULL(0x12345678),
	CAPGET_NULL(V3),
	CAPGET(V3, PID_NEGATIVE),
	CAPGET(V3, PID_MISSING),
	CAPGET(V3, PID_PARENT),
	CAPSET(0x12345678, PID_ZERO, CAPS_CURRENT_AND_MASK, ~0u, ~0u, ~0u, ~0u,
	       ~0u, ~0u),
	CAPSET(V3, PID_PARENT, CAPS_CURRENT_AND_MASK, ~0u, ~0u, ~0u, ~0u, ~0u,
	       ~0u),
	CAPSET(V3, PID_NEGATIVE, CAPS_CURRENT_AND_MASK, ~0u, ~0u, ~0u, ~0u, ~0u,
	       ~0u),
	CAPSET(V3, PID_SELF, CAPS_CURRENT_AND_MASK, ~0u, ~0u, ~0u, ~0u, ~0u,
	       ~0u),
	CAPSET(V1, PID_ZERO, CAPS_CURRENT_AND_MASK, ~0u, ~0u, 0, ~0u, ~0u, 0),
	CAPSET(V3, PID_ZERO, CAPS_LITERAL, 0, 0, 0, 1, 1, 0),
	CAPSET_KEEP(~0u & ~BIT(CAP_SETPCAP), ~0u, 0),
	CAPSET_INHERITABLE(BIT(CAP_SYS_ADMIN)),
	CAPSET_KEEP(~0u, ~0u & ~BIT(CAP_SYS_ADMIN), BIT(CAP_SYS_ADMIN)),
	CAPSET_INHERITABLE(BIT(CAP_SYS_ADMIN) | BIT(CAP_SYS_BOOT)),
	CAPSET(V3, PID_ZERO, CAPS_LITERAL, 1, 0, 0, 0, 0, 0),
	END,
};

static const struct op seq_bounding_set[] = {
	PRCTL(PR_CAPBSET_READ, 0),
	PRCTL(PR_CAPBSET_READ, CAP_LAST_CAP),
	PRCTL(PR_CAPBSET_READ, CAP_LAST_CAP + 1),
	PRCTL(PR_CAPBSET_READ, -1),
	PRCTL(PR_CAPBSET_DROP, CAP_LAST_CAP + 1),
	PRCTL(PR_CAPBSET_DROP, CAP_SYS_BOOT),
	CAPSET_INHERITABLE(BIT(CAP_SYS_BOOT)),
	PRCTL(PR_CAPBSET_DROP, CAP_SETPCAP),
	CAPSET_KEEP(~0u & ~BIT(CAP_SETPCAP), ~0u, ~0u),
	PRCTL(PR_CAPBSET_DROP, CAP_LAST_CAP + 1),
	PRCTL(PR_CAPBSET_DROP, CAP_KILL),
	EXEC(EXEC_PLAIN),
	END,
};

static const struct op seq_fs_caps_quirk[] = {
	SETFSUID(1000), SETRESUID(-1, 0, -1), CAPGET(V3, PID_ZERO),
	SETFSUID(5),	SETFSUID(0),	      SETRESUID(-1, 100, -1),
	SETFSUID(0),	SETRESUID(-1, 0, -1), END,
};

#if HAVE_UID16
#define OP16(k, ...)                                                           \
	{                                                                      \
		.kind = k, .arg = { __VA_ARGS__ }                              \
	}

static const struct op seq_uid16[] = {
	OP16(OP_SETUID16, 0xFFFF),
	OP16(OP_SETGID16, 0xFFFF),
	OP16(OP_SETRESGID16, 0xFFFF, 0xFFFF, 0xFFFF),
	SETRESGID(100000, 100000, 100000),
	OP16(OP_GETID16, GET_GID16),
	OP16(OP_GETID16, GET_EGID16),
	OP16(OP_GETRESGID16),
	OP16(OP_SETFSGID16, 7),
	OP16(OP_SETFSGID16, 0xFFFF),
	SETGROUPS(3, 100000, 5, 65535),
	OP16(OP_GETGROUPS16, 3),
	OP16(OP_GETGROUPS16, 0),
	OP16(OP_GETGROUPS16, 2),
	{ .kind = OP_SETGROUPS16, .arg = { 2 }, .gids = { 9, 0xFFFF } },
	{ .kind = OP_SETGROUPS16, .arg = { 2 }, .gids = { 9, 65534 } },
	SETFSUID(100000),
	OP16(OP_SETFSUID16, 5),
	OP16(OP_SETFSUID16, 0xFFFF),
	OP16(OP_SETREUID16, 0xFFFF, 100),
	OP16(OP_GETID16, GET_EUID16),
	OP16(OP_SETRESUID16, 1000, 1000, 1000),
	OP16(OP_GETRESUID16),
	OP16(OP_SETUID16, 0),
	END,
};
#endif

static const struct sequence hand_picked[] = {
	{ "unprivileged setreuid", seq_unprivileged_setreuid },
	{ "dropped root stays dropped", seq_dropped_root_stays_dropped },
	{ "seteuid round trip", seq_seteuid_round_trip },
	{ "setfsuid results", seq_setfsuid_results },
	{ "group sizes", seq_group_sizes },
	{ "keepcaps", seq_keepcaps },
	{ "ambient", seq_ambient },
	{ "ambient arguments", seq_ambient_arguments },
	{ "execve from root", seq_exec_from_root },
	{ "execve from user", seq_exec_from_user },
	{ "execve in group", seq_exec_in_group },
	{ "no_new_privs", seq_no_new_privs },
	{ "securebits", seq_securebits },
	{ "unprivileged securebits", seq_unprivileged_securebits },
	{ "capset rules", seq_capset_rules },
	{ "bounding set", seq_bounding_set },
	{ "fs capabilities quirk", seq_fs_caps_quirk },
#if HAVE_UID16
	{ "16-bit calls", seq_uid16 },
#endif
};

/* Running a sequence. */

struct run {
	int op_fd;
	int result_fd;
	pid_t child;
	struct model model;
	unsigned long steps;
};

struct step {
	struct result result;
	struct state state;
	gid_t *groups;
};

static bool read_step(int fd, struct step *step)
{
	return read_full(fd, &step->result, sizeof(step->result)) &&
	       read_full(fd, &step->state, sizeof(step->state)) &&
	       step->state.ngroups >= 0 &&
	       step->state.ngroups <= CRED_NGROUPS_MAX &&
	       read_full(fd, step->groups,
			 (size_t)step->state.ngroups * sizeof(gid_t));
}

static void start_child(struct run *run, struct step *first)
{
	int op_pipe[2], result_pipe[2];
	static const gid_t root_group = 0;

	if (pipe(op_pipe) || pipe(result_pipe))
		die("cannot create pipes: %s", strerror(errno));
	run->child = fork();
	if (run->child < 0)
		die("cannot fork: %s", strerror(errno));
	if (run->child == 0) {
		struct result result = { 0 };

		close(op_pipe[1]);
		close(result_pipe[0]);
		if (syscall(NR_SETGROUPS, 1, &root_group))
			_exit(3);
		send_step(result_pipe[1], &result);
		_exit(run_child(op_pipe[0], result_pipe[1], false));
	}
	close(op_pipe[0]);
	close(result_pipe[1]);
	run->op_fd = op_pipe[1];
	run->result_fd = result_pipe[0];
	if (!read_step(run->result_fd, first))
		die("the child did not report its initial state");

	run->model.self = run->child;
	run->model.parent_pid = getpid();
	run->model.no_new_privs = false;
	model_from_state(&run->model.cred, &first->state, first->groups);
	model_from_state(&run->model.parent, &first->state, first->groups);
}

static void finish_child(struct run *run)
{
	int status;

	close(run->op_fd);
	close(run->result_fd);
	waitpid(run->child, &status, 0);
	cred_release(&run->model.cred);
	cred_release(&run->model.parent);
}

/* Fills what an op takes from the model's state or the exec files. */
static void complete_op(const struct model *model, struct op *op)
{
	const struct cred *cred = &model->cred;
	struct __user_cap_data_struct *d = op->caps;

	if (op->kind == OP_EXEC)
		snprintf(op->path, sizeof(op->path), "%s",
			 exec_files[op->arg[0]].path);
	if (op->kind != OP_CAPSET)
		return;
	if (op->arg[2] == CAPS_CURRENT_WITH_INHERITABLE)
		set_cap_words(d, cred->cap_effective, cred->cap_permitted,
			      d[0].inheritable | (uint64_t)d[1].inheritable
							 << 32);
	else if (op->arg[2] == CAPS_CURRENT_AND_MASK)
		set_cap_words(
			d,
			cred->cap_effective & (d[0].effective |
					       (uint64_t)d[1].effective << 32),
			cred->cap_permitted & (d[0].permitted |
					       (uint64_t)d[1].permitted << 32),
			cred->cap_inheritable &
				(d[0].inheritable | (uint64_t)d[1].inheritable
							    << 32));
	op->arg[2] = CAPS_LITERAL;
}

static void report_difference(const char *name, const struct op *ops, int count,
			      const struct step *kernel,
			      const struct result *model_result,
			      const struct state *model_state,
			      const gid_t *model_groups)
{
	printf("DIFFERENCE in sequence \"%s\" at step %d:\n", name, count + 1);
	for (int i = 0; i < count; i++) {
		printf("  %3d  ", i + 1);
		print_op(&ops[i]);
		fputs("\n", stdout);
	}
	printf("  %3d  ", count + 1);
	print_op(&ops[count]);
	fputs("   <- kernel ", stdout);
	print_ret(kernel->result.ret);
	fputs(", model ", stdout);
	print_ret(model_result->ret);
	fputs("\n", stdout);
	compare_results(&kernel->result, model_result, true);
	compare_states(&kernel->state, kernel->groups, model_state,
		       model_groups, true);
}

/*
 * Runs one sequence: OPS when given, else LENGTH random ops.  Returns true
 * when kernel and model agreed at every step.
 */
static bool run_sequence(const char *name, const struct op *ops, int length,
			 unsigned long *steps, bool report)
{
	static struct op done[512];
	static gid_t kernel_groups[CRED_NGROUPS_MAX];
	struct step kernel = { .groups = kernel_groups };
	struct run run;
	bool same = true;

	start_child(&run, &kernel);
	for (int i = 0; i < length && i < 512; i++) {
		struct result model_result;
		struct state model_state;

		if (ops) {
			if (ops[i].kind == OP_END)
				break;
			done[i] = ops[i];
		} else {
			random_op(&run.model, &done[i]);
		}
		complete_op(&run.model, &done[i]);

		if (!write_full(run.op_fd, &done[i], sizeof(done[i])) ||
		    !read_step(run.result_fd, &kernel))
			die("sequence \"%s\": the child stopped at step %d",
			    name, i + 1);
		model_run(&run.model, &done[i], &model_result);
		model_snapshot(&run.model.cred, &model_state);
		(*steps)++;

		if (compare_results(&kernel.result, &model_result, false) &&
		    compare_states(&kernel.state, kernel.groups, &model_state,
				   run.model.cred.groups->gids, false))
			continue;
		if (report)
			report_difference(name, done, i, &kernel, &model_result,
					  &model_state,
					  run.model.cred.groups->gids);
		same = false;
		break;
	}
	finish_child(&run);
	return same;
}

/* Setup of the execve targets. */

static void copy_self(const char *path, const struct exec_file *file)
{
	static char buffer[1 << 16];
	int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	ssize_t n;

	if (in < 0 || out < 0)
		die("cannot copy /proc/self/exe to '%s': %s", path,
		    strerror(errno));
	while ((n = read(in, buffer, sizeof(buffer))) > 0) {
		if (!write_full(out, buffer, (size_t)n))
			die("cannot write '%s': %s", path, strerror(errno));
	}
	/* chown clears set-ID bits, so the mode comes last. */
	if (n < 0 || fchown(out, file->uid, file->gid) ||
	    fchmod(out, file->mode))
		die("cannot prepare '%s': %s", path, strerror(errno));
	close(in);
	close(out);
}

static void mount_tmpfs(const char *path, unsigned long flags)
{
	if (mkdir(path, 0755) && errno != EEXIST)
		die("cannot create '%s': %s", path, strerror(errno));
	if (mount("tmpfs", path, "tmpfs", flags, "mode=0755"))
		die("cannot mount a tmpfs on '%s': %s", path, strerror(errno));
}

/* Creates the execve targets on two tmpfs mounts, one with MS_NOSUID, in
 * a private mount namespace that disappears with this process. */
static void setup_exec_files(void)
{
	char suid_dir[WORK_DIR_MAX + 8], nosuid_dir[WORK_DIR_MAX + 8];

	snprintf(work_dir, sizeof(work_dir), "/tmp/cred_diff.XXXXXX");
	if (!mkdtemp(work_dir) || chmod(work_dir, 0755))
		die("cannot create a directory in /tmp: %s", strerror(errno));
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		die("cannot create a private mount namespace: %s",
		    strerror(errno));
	snprintf(suid_dir, sizeof(suid_dir), "%s/suid", work_dir);
	snprintf(nosuid_dir, sizeof(nosuid_dir), "%s/nosuid", work_dir);
	mount_tmpfs(suid_dir, 0);
	mount_tmpfs(nosuid_dir, MS_NOSUID);

	for (int i = 0; i < EXEC_FILE_COUNT; i++) {
		struct exec_file *file = &exec_files[i];

		snprintf(file->path, sizeof(file->path), "%s/%s",
			 file->nosuid ? nosuid_dir : suid_dir, file->name);
		copy_self(file->path, file);
	}
}

static void remove_exec_files(void)
{
	char path[WORK_DIR_MAX + 8];

	if (!work_dir[0])
		return;
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", work_dir,
			 i ? "nosuid" : "suid");
		umount2(path, MNT_DETACH);
		rmdir(path);
	}
	rmdir(work_dir);
}

/* Main. */

struct options {
	uint64_t seed;
	unsigned long count;
	int length;
};

static void usage(FILE *stream)
{
	fputs("Usage: cred_diff [--seed N] [--count N] [--length N] "
	      "[--verbose]\n"
	      "Compares the uid_gid credential model with the running "
	      "kernel; run as root.\n"
	      "  --seed N     seed of the random sequences (default 1)\n"
	      "  --count N    number of random sequences (default 2000)\n"
	      "  --length N   maximum calls per random sequence (default 40, "
	      "at most 512)\n"
	      "  --verbose    print each sequence's name\n",
	      stream);
}

static void parse_options(int argc, char **argv, struct options *options)
{
	static const struct option long_options[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'c' },
		{ "length", required_argument, NULL, 'l' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	options->seed = 1;
	options->count = 2000;
	options->length = 40;
	while ((c = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
		char *end = NULL;

		errno = 0;
		switch (c) {
		case 's':
			options->seed = strtoull(optarg, &end, 0);
			break;
		case 'c':
			options->count = strtoul(optarg, &end, 0);
			break;
		case 'l':
			options->length = (int)strtol(optarg, &end, 0);
			if (options->length < 1 || options->length > 512)
				errno = ERANGE;
			break;
		case 'v':
			verbose = true;
			continue;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
		if (errno || !end || *end)
			die("invalid value '%s' for --%s", optarg,
			    long_options[c == 's'   ? 0
					 : c == 'c' ? 1
						    : 2]
				    .name);
	}
	if (optind != argc) {
		usage(stderr);
		exit(2);
	}
}

static int child_main(int argc, char **argv)
{
	if (argc < 4)
		return 3;
	return run_child(atoi(argv[2]), atoi(argv[3]),
			 argc > 4 && !strcmp(argv[4], "--after-exec"));
}

static void check_cap_last_cap(void)
{
	FILE *file = fopen("/proc/sys/kernel/cap_last_cap", "re");
	int last = -1;

	if (!file || fscanf(file, "%d", &last) != 1)
		die("cannot read /proc/sys/kernel/cap_last_cap");
	fclose(file);
	if (last != CAP_LAST_CAP)
		die("the kernel's last capability is %d but the model was "
		    "built with CAP_LAST_CAP %d; rebuild with newer headers",
		    last, CAP_LAST_CAP);
}

int main(int argc, char **argv)
{
	struct options options;
	unsigned long steps = 0, sequences = 0, differences = 0;
	int hand_picked_count = sizeof(hand_picked) / sizeof(hand_picked[0]);

	if (argc > 1 && !strcmp(argv[1], "--child"))
		return child_main(argc, argv);
	parse_options(argc, argv, &options);
	if (geteuid() != 0) {
		fputs("cred_diff: skipped: needs to run as root\n", stderr);
		return 77;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	check_cap_last_cap();
	setup_exec_files();
	atexit(remove_exec_files);

	for (int i = 0; i < hand_picked_count; i++) {
		if (verbose)
			printf("sequence \"%s\"\n", hand_picked[i].name);
		sequences++;
		if (!run_sequence(hand_picked[i].name, hand_picked[i].ops, 512,
				  &steps,
				  differences < MAX_REPORTED_DIFFERENCES))
			differences++;
	}

	rng_state = options.seed * UINT64_C(0x9E3779B97F4A7C15) + 1;
	for (unsigned long i = 0; i < options.count; i++) {
		char name[64];

		snprintf(name, sizeof(name), "random #%lu (seed %" PRIu64 ")",
			 i + 1, options.seed);
		if (verbose)
			printf("sequence \"%s\"\n", name);
		sequences++;
		if (!run_sequence(name, NULL,
				  1 + (int)rng_below((uint32_t)options.length),
				  &steps,
				  differences < MAX_REPORTED_DIFFERENCES))
			differences++;
	}

	printf("cred_diff: %s, seed %" PRIu64 ": %lu sequences, %lu steps "
	       "compared, %lu with differences\n",
	       HAVE_UID16 ? "i386" : "native ABI", options.seed, sequences,
	       steps, differences);
	return differences ? 1 : 0;
}
