/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * fakeroot_chown: chown, lchown, fchown and fchownat succeed when the
 * kernel would refuse them only because an id is not mapped in the
 * caller's user namespace (EINVAL) or the caller may not give the file
 * away (EPERM).
 *
 * The kernel still runs the call, with every unmapped id replaced by -1
 * ("leave unchanged").  So the path lookup, the permission checks, a
 * read-only file system and the clearing of set-user-ID bits all happen
 * as they would for the original call, and ENOENT, ENOTDIR, ELOOP, EBADF,
 * EACCES and EROFS reach the caller unchanged.  Only EPERM becomes
 * success.  The file keeps its owner.
 *
 * With ptrace the call runs in the caller with changed arguments and the
 * exit handler sees its result.  Backends that cannot change arguments
 * run it through pseudo_tracee_fchownat() instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include <pseudo/module.h>

/*
 * Row data: the form of the call, which gives the argument of the uid
 * (the gid follows it), and whether it takes 16-bit ids (i386's chown,
 * lchown and fchown).
 */
enum chown_form {
	/* chown(path, uid, gid), lchown(path, uid, gid) */
	FORM_PATH = 0,
	FORM_LINK,
	/* fchown(fd, uid, gid) */
	FORM_FD,
	/* fchownat(dirfd, path, uid, gid, flags) */
	FORM_AT,
};

#define FORM_MASK 0xfu
#define IDS_16BIT 0x10u

#define ROW(call, abis_mask, data_value)                                       \
	{                                                                      \
		.name = (call), .abis = (abis_mask),                           \
		.action = PSEUDO_ACTION_HANDLE, .enter = enter_chown,          \
		.exit = exit_chown, .data = (data_value),                      \
	}

/* The 16-bit "unchanged" value, which the kernel widens to -1. */
#define UNCHANGED_16BIT 0xffffu

static unsigned int uid_argument(enum chown_form form)
{
	return form == FORM_AT ? 2 : 1;
}

static bool is_unchanged(uint64_t id, bool ids_16bit)
{
	return ids_16bit ? (uint16_t)id == UNCHANGED_16BIT
			 : (uint32_t)id == UINT32_MAX;
}

/*
 * Returns the id in argument INDEX as the kernel should see it: "unchanged"
 * when the caller's user namespace does not map it.
 */
static uint64_t mapped_id(struct pseudo_call *call, unsigned int index,
			  bool ids_16bit, bool gid)
{
	uint64_t id = call->args[index];
	int mapped;

	if (is_unchanged(id, ids_16bit))
		return id;
	mapped = pseudo_id_is_mapped(
		call, ids_16bit ? (uint16_t)id : (uint32_t)id, gid);
	if (mapped < 0)
		pseudo_log(call->ctx, PSEUDO_LOG_WARNING,
			   "cannot read the id maps of thread %d: it exited",
			   call->tid);
	if (mapped != 0)
		return id;
	return ids_16bit ? UNCHANGED_16BIT : UINT32_MAX;
}

static uint32_t widen(uint64_t id, bool ids_16bit)
{
	if (ids_16bit)
		return is_unchanged(id, true) ? UINT32_MAX : (uint16_t)id;
	return (uint32_t)id;
}

/* Runs the call through the core's helper, for backends that cannot
 * change arguments. */
static enum pseudo_verdict run_in_tracee_context(struct pseudo_call *call,
						 enum chown_form form,
						 uint32_t uid, uint32_t gid)
{
	char path[PATH_MAX] = "";
	int dirfd = AT_FDCWD;
	int flags = 0;
	ssize_t length = 0;

	switch (form) {
	case FORM_LINK:
		flags = AT_SYMLINK_NOFOLLOW;
		/* fall through */
	case FORM_PATH:
		length = pseudo_mem_read_string(call, call->args[0], path,
						sizeof(path));
		break;
	case FORM_FD:
		dirfd = (int)call->args[0];
		flags = AT_EMPTY_PATH;
		if (dirfd < 0) {
			call->result = -EBADF;
			return PSEUDO_RETURN;
		}
		break;
	case FORM_AT:
		dirfd = (int)call->args[0];
		flags = (int)call->args[4];
		length = pseudo_mem_read_string(call, call->args[1], path,
						sizeof(path));
		break;
	}
	if (length < 0) {
		call->result = length;
		return PSEUDO_RETURN;
	}
	call->result =
		pseudo_tracee_fchownat(call, dirfd, path, uid, gid, flags);
	if (call->result == -EPERM)
		call->result = 0;
	return PSEUDO_RETURN;
}

static enum pseudo_verdict enter_chown(struct pseudo_call *call)
{
	enum chown_form form = call->data & FORM_MASK;
	bool ids_16bit = call->data & IDS_16BIT;
	unsigned int index = uid_argument(form);
	uint64_t uid = mapped_id(call, index, ids_16bit, false);
	uint64_t gid = mapped_id(call, index + 1, ids_16bit, true);

	if (!pseudo_call_can_see_exit(call))
		return run_in_tracee_context(call, form, widen(uid, ids_16bit),
					     widen(gid, ids_16bit));
	if ((uid != call->args[index] &&
	     pseudo_call_set_arg(call, index, uid)) ||
	    (gid != call->args[index + 1] &&
	     pseudo_call_set_arg(call, index + 1, gid)))
		pseudo_error(call->ctx, "cannot change the ids of %s",
			     call->name);
	return PSEUDO_CONTINUE;
}

/* EPERM can only mean that real root would have succeeded. */
static void exit_chown(struct pseudo_call *call)
{
	if (call->result == -EPERM)
		call->result = 0;
}

/* ABIs whose plain chown, lchown and fchown take 16-bit ids; their
 * 32-bit forms carry a "32" suffix. */
#define ABIS_16BIT (PSEUDO_ABI_I386 | PSEUDO_ABI_ARM)
#define ABIS_32BIT (PSEUDO_ABI_X86_64 | PSEUDO_ABI_X32 | PSEUDO_ABI_AARCH64)

static const struct pseudo_syscall fakeroot_chown_syscalls[] = {
	ROW("chown", ABIS_32BIT, FORM_PATH),
	ROW("lchown", ABIS_32BIT, FORM_LINK),
	ROW("fchown", ABIS_32BIT, FORM_FD),
	ROW("chown", ABIS_16BIT, FORM_PATH | IDS_16BIT),
	ROW("lchown", ABIS_16BIT, FORM_LINK | IDS_16BIT),
	ROW("fchown", ABIS_16BIT, FORM_FD | IDS_16BIT),
	ROW("chown32", PSEUDO_ABI_ALL, FORM_PATH),
	ROW("lchown32", PSEUDO_ABI_ALL, FORM_LINK),
	ROW("fchown32", PSEUDO_ABI_ALL, FORM_FD),
	ROW("fchownat", PSEUDO_ABI_ALL, FORM_AT),
	{ 0 },
};

static const struct pseudo_module fakeroot_chown_module = {
	.abi_version = PSEUDO_MODULE_ABI_VERSION,
	.name = "fakeroot_chown",
	.summary = "chown to unmapped or forbidden ids reports success",
	.syscalls = fakeroot_chown_syscalls,
};

PSEUDO_MODULE(fakeroot_chown_module)
