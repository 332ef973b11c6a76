/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * fakeroot_chown: chown, lchown, fchown and fchownat succeed when the
 * kernel would refuse them only because an id is not mapped in the
 * caller's user namespace (EINVAL) or the caller may not give the file
 * away (EPERM).
 *
 * The kernel still runs the call, with every unmapped id replaced by -1
 * ("leave unchanged"), so the path lookup, the permission checks, a
 * read-only file system and the clearing of set-user-ID bits all happen
 * as they would for the original call: ENOENT, ENOTDIR, ELOOP, EBADF,
 * EACCES and EROFS reach the caller unchanged.  Only EPERM is turned into
 * success when the kernel's result is seen.  The file keeps its owner.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include <pseudo/module.h>

/* Row data: the index of the uid argument (the gid follows it), and
 * whether the call takes 16-bit ids (i386's chown, lchown, fchown). */
#define ID_ARG_MASK 0xfu
#define IDS_16BIT 0x10u

#define ROW(call, abis_mask, data_value)                                       \
	{                                                                      \
		.name = (call), .abis = (abis_mask),                           \
		.action = PSEUDO_ACTION_HANDLE, .enter = enter_chown,          \
		.exit = exit_chown, .data = (data_value),                      \
	}

/* The 16-bit "unchanged" value, which the kernel widens to -1. */
#define UNCHANGED_16BIT 0xffffu

static bool is_unchanged(uint64_t id, bool ids_16bit)
{
	return ids_16bit ? (uint16_t)id == UNCHANGED_16BIT
			 : (uint32_t)id == UINT32_MAX;
}

/* Replaces argument INDEX by "unchanged" when the id it holds is not
 * mapped.  Returns 0 or a negative error number. */
static int unmap_id(struct pseudo_call *call, unsigned int index,
		    bool ids_16bit, bool gid)
{
	uint64_t id = call->args[index];
	int mapped;

	if (is_unchanged(id, ids_16bit))
		return 0;
	mapped = pseudo_id_is_mapped(
		call, ids_16bit ? (uint16_t)id : (uint32_t)id, gid);
	if (mapped < 0)
		return mapped;
	if (mapped)
		return 0;
	return pseudo_call_set_arg(call, index,
				   ids_16bit ? UNCHANGED_16BIT : UINT32_MAX);
}

static enum pseudo_verdict enter_chown(struct pseudo_call *call)
{
	unsigned int uid_index = call->data & ID_ARG_MASK;
	bool ids_16bit = call->data & IDS_16BIT;
	int err;

	err = unmap_id(call, uid_index, ids_16bit, false);
	if (!err)
		err = unmap_id(call, uid_index + 1, ids_16bit, true);
	if (err == -EOPNOTSUPP || !pseudo_call_can_see_exit(call)) {
		pseudo_error(call->ctx,
			     "the supervisor's backend cannot change the "
			     "arguments of %s or see its result; run with "
			     "the ptrace backend",
			     call->name);
		return PSEUDO_CONTINUE;
	}
	if (err)
		pseudo_log(call->ctx, PSEUDO_LOG_WARNING,
			   "cannot read the id maps of thread %d: %s",
			   call->tid, err == -ESRCH ? "it exited" : "error");
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
	ROW("chown", ABIS_32BIT, 1),
	ROW("lchown", ABIS_32BIT, 1),
	ROW("fchown", ABIS_32BIT, 1),
	ROW("chown", ABIS_16BIT, 1 | IDS_16BIT),
	ROW("lchown", ABIS_16BIT, 1 | IDS_16BIT),
	ROW("fchown", ABIS_16BIT, 1 | IDS_16BIT),
	ROW("chown32", PSEUDO_ABI_ALL, 1),
	ROW("lchown32", PSEUDO_ABI_ALL, 1),
	ROW("fchown32", PSEUDO_ABI_ALL, 1),
	ROW("fchownat", PSEUDO_ABI_ALL, 2),
	{ 0 },
};

static const struct pseudo_module fakeroot_chown_module = {
	.abi_version = PSEUDO_MODULE_ABI_VERSION,
	.name = "fakeroot_chown",
	.summary = "chown to unmapped or forbidden ids reports success",
	.syscalls = fakeroot_chown_syscalls,
};

PSEUDO_MODULE(fakeroot_chown_module)
