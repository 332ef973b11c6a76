/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * The credential rules of Linux 6.18, re-expressed on struct cred.  Each
 * function names the kernel function whose checks it follows.  The order of
 * the checks matters because it decides which errno a caller gets.
 */
#include "cred.h"

#include <errno.h>
#include <linux/prctl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define INVALID_ID ((uid_t)-1)

static uint64_t cap_bit(unsigned int cap)
{
	return UINT64_C(1) << cap;
}

static struct cred_groups *groups_alloc(int count)
{
	struct cred_groups *groups;

	groups = malloc(sizeof(*groups) + (size_t)count * sizeof(gid_t));
	if (!groups)
		return NULL;
	groups->refcount = 1;
	groups->count = count;
	return groups;
}

static struct cred_groups *groups_get(struct cred_groups *groups)
{
	__atomic_add_fetch(&groups->refcount, 1, __ATOMIC_RELAXED);
	return groups;
}

static void groups_put(struct cred_groups *groups)
{
	if (groups &&
	    __atomic_sub_fetch(&groups->refcount, 1, __ATOMIC_ACQ_REL) == 0)
		free(groups);
}

int cred_init(struct cred *cred, uid_t uid, gid_t gid)
{
	struct cred_groups *groups = groups_alloc(1);

	if (!groups)
		return -ENOMEM;
	groups->gids[0] = gid;

	memset(cred, 0, sizeof(*cred));
	cred->ruid = cred->euid = cred->suid = cred->fsuid = uid;
	cred->rgid = cred->egid = cred->sgid = cred->fsgid = gid;
	cred->groups = groups;
	cred->cap_bounding = CRED_CAP_VALID_MASK;
	if (uid == 0) {
		cred->cap_permitted = CRED_CAP_VALID_MASK;
		cred->cap_effective = CRED_CAP_VALID_MASK;
	}
	return 0;
}

void cred_copy(struct cred *dst, const struct cred *src)
{
	*dst = *src;
	groups_get(dst->groups);
}

void cred_release(struct cred *cred)
{
	groups_put(cred->groups);
	cred->groups = NULL;
}

bool cred_capable(const struct cred *cred, int cap)
{
	return (cred->cap_effective & cap_bit(cap)) != 0;
}

static int compare_gids(const void *a, const void *b)
{
	gid_t left = *(const gid_t *)a;
	gid_t right = *(const gid_t *)b;

	return (left > right) - (left < right);
}

bool cred_in_group(const struct cred *cred, gid_t gid)
{
	if (gid == cred->fsgid)
		return true;
	return bsearch(&gid, cred->groups->gids, (size_t)cred->groups->count,
		       sizeof(gid_t), compare_gids) != NULL;
}

static bool cred_is_root(const struct cred *cred)
{
	return cred->ruid == 0 || cred->euid == 0 || cred->suid == 0;
}

/*
 * Adjusts the capability sets after a uid change, as cap_task_fix_setuid()
 * does through cap_emulate_setxuid() (security/commoncap.c).  Leaving uid 0
 * in all three ids clears the ambient set, and the permitted and effective
 * sets unless SECBIT_KEEP_CAPS is set.  The effective set is cleared when
 * the euid leaves 0 and copied from the permitted set when it returns.
 */
static void fix_setuid_caps(struct cred *new, const struct cred *old)
{
	if (old->securebits & SECBIT_NO_SETUID_FIXUP)
		return;

	if (cred_is_root(old) && !cred_is_root(new)) {
		if (!(old->securebits & SECBIT_KEEP_CAPS)) {
			new->cap_permitted = 0;
			new->cap_effective = 0;
		}
		new->cap_ambient = 0;
	}
	if (old->euid == 0 && new->euid != 0)
		new->cap_effective = 0;
	if (old->euid != 0 && new->euid == 0)
		new->cap_effective = new->cap_permitted;
}

/* kernel/sys.c __sys_setuid(): with CAP_SETUID all four uids change,
 * otherwise only the euid and fsuid, to the ruid or suid. */
int cred_setuid(struct cred *cred, uid_t uid)
{
	const struct cred old = *cred;

	if (uid == INVALID_ID)
		return -EINVAL;

	if (cred_capable(&old, CAP_SETUID))
		cred->ruid = cred->suid = uid;
	else if (uid != old.ruid && uid != old.suid)
		return -EPERM;
	cred->euid = cred->fsuid = uid;

	fix_setuid_caps(cred, &old);
	return 0;
}

/* kernel/sys.c __sys_setgid(), the same rules for gids. */
int cred_setgid(struct cred *cred, gid_t gid)
{
	const struct cred old = *cred;

	if (gid == INVALID_ID)
		return -EINVAL;

	if (cred_capable(&old, CAP_SETGID))
		cred->rgid = cred->sgid = gid;
	else if (gid != old.rgid && gid != old.sgid)
		return -EPERM;
	cred->egid = cred->fsgid = gid;
	return 0;
}

/*
 * kernel/sys.c __sys_setreuid(): without CAP_SETUID the ruid may become the
 * old ruid or euid, and the euid the old ruid, euid or suid.  The suid
 * follows the new euid when the ruid is set or the euid moves away from the
 * old ruid.  There is no early return: even setreuid(-1, -1) resets the
 * fsuid to the euid.
 */
int cred_setreuid(struct cred *cred, uid_t ruid, uid_t euid)
{
	const struct cred old = *cred;
	bool privileged = cred_capable(&old, CAP_SETUID);

	if (ruid != INVALID_ID && ruid != old.ruid && ruid != old.euid &&
	    !privileged)
		return -EPERM;
	if (euid != INVALID_ID && euid != old.ruid && euid != old.euid &&
	    euid != old.suid && !privileged)
		return -EPERM;

	if (ruid != INVALID_ID)
		cred->ruid = ruid;
	if (euid != INVALID_ID)
		cred->euid = euid;
	if (ruid != INVALID_ID || (euid != INVALID_ID && euid != old.ruid))
		cred->suid = cred->euid;
	cred->fsuid = cred->euid;

	fix_setuid_caps(cred, &old);
	return 0;
}

/* kernel/sys.c __sys_setregid(), the same rules for gids. */
int cred_setregid(struct cred *cred, gid_t rgid, gid_t egid)
{
	const struct cred old = *cred;
	bool privileged = cred_capable(&old, CAP_SETGID);

	if (rgid != INVALID_ID && rgid != old.rgid && rgid != old.egid &&
	    !privileged)
		return -EPERM;
	if (egid != INVALID_ID && egid != old.rgid && egid != old.egid &&
	    egid != old.sgid && !privileged)
		return -EPERM;

	if (rgid != INVALID_ID)
		cred->rgid = rgid;
	if (egid != INVALID_ID)
		cred->egid = egid;
	if (rgid != INVALID_ID || (egid != INVALID_ID && egid != old.rgid))
		cred->sgid = cred->egid;
	cred->fsgid = cred->egid;
	return 0;
}

/* An id that setresuid or setresgid would take from outside the current
 * real, effective and saved ids, which needs the capability. */
static bool id_is_new(uid_t id, uid_t real, uid_t effective, uid_t saved)
{
	return id != INVALID_ID && id != real && id != effective && id != saved;
}

/* An id argument that leaves the current value as it is. */
static bool id_is_kept(uid_t id, uid_t current)
{
	return id == INVALID_ID || id == current;
}

/*
 * kernel/sys.c __sys_setresuid(): each id may take any of the three current
 * values without CAP_SETUID.  Since commit 659c0ce1cb9e (2023, also in the
 * stable trees) a call that changes nothing returns 0 at once, skipping the
 * fsuid reset and the capability fixup.  A call that would only bring the
 * fsuid back to the euid is not such a call.
 */
int cred_setresuid(struct cred *cred, uid_t ruid, uid_t euid, uid_t suid)
{
	const struct cred old = *cred;

	if (id_is_kept(ruid, old.ruid) && id_is_kept(suid, old.suid) &&
	    (euid == INVALID_ID || (euid == old.euid && euid == old.fsuid)))
		return 0;

	if ((id_is_new(ruid, old.ruid, old.euid, old.suid) ||
	     id_is_new(euid, old.ruid, old.euid, old.suid) ||
	     id_is_new(suid, old.ruid, old.euid, old.suid)) &&
	    !cred_capable(&old, CAP_SETUID))
		return -EPERM;

	if (ruid != INVALID_ID)
		cred->ruid = ruid;
	if (euid != INVALID_ID)
		cred->euid = euid;
	if (suid != INVALID_ID)
		cred->suid = suid;
	cred->fsuid = cred->euid;

	fix_setuid_caps(cred, &old);
	return 0;
}

/* kernel/sys.c __sys_setresgid(), the same rules for gids. */
int cred_setresgid(struct cred *cred, gid_t rgid, gid_t egid, gid_t sgid)
{
	const struct cred old = *cred;

	if (id_is_kept(rgid, old.rgid) && id_is_kept(sgid, old.sgid) &&
	    (egid == INVALID_ID || (egid == old.egid && egid == old.fsgid)))
		return 0;

	if ((id_is_new(rgid, old.rgid, old.egid, old.sgid) ||
	     id_is_new(egid, old.rgid, old.egid, old.sgid) ||
	     id_is_new(sgid, old.rgid, old.egid, old.sgid)) &&
	    !cred_capable(&old, CAP_SETGID))
		return -EPERM;

	if (rgid != INVALID_ID)
		cred->rgid = rgid;
	if (egid != INVALID_ID)
		cred->egid = egid;
	if (sgid != INVALID_ID)
		cred->sgid = sgid;
	cred->fsgid = cred->egid;
	return 0;
}

/*
 * kernel/sys.c __sys_setfsuid(): the fsuid may become any of the four
 * current uids, or anything with CAP_SETUID.  A change moves the
 * filesystem capabilities like the LSM_SETID_FS case of
 * cap_task_fix_setuid().
 */
uid_t cred_setfsuid(struct cred *cred, uid_t uid)
{
	uid_t old_fsuid = cred->fsuid;

	if (uid == INVALID_ID || uid == old_fsuid)
		return old_fsuid;
	if (uid != cred->ruid && uid != cred->euid && uid != cred->suid &&
	    !cred_capable(cred, CAP_SETUID))
		return old_fsuid;

	cred->fsuid = uid;
	if (cred->securebits & SECBIT_NO_SETUID_FIXUP)
		return old_fsuid;
	if (old_fsuid == 0)
		cred->cap_effective &= ~CRED_CAP_FS_MASK;
	else if (uid == 0)
		cred->cap_effective |= cred->cap_permitted & CRED_CAP_FS_MASK;
	return old_fsuid;
}

/* kernel/sys.c __sys_setfsgid(), the same rules without capabilities. */
gid_t cred_setfsgid(struct cred *cred, gid_t gid)
{
	gid_t old_fsgid = cred->fsgid;

	if (gid == INVALID_ID || gid == old_fsgid)
		return old_fsgid;
	if (gid != cred->rgid && gid != cred->egid && gid != cred->sgid &&
	    !cred_capable(cred, CAP_SETGID))
		return old_fsgid;

	cred->fsgid = gid;
	return old_fsgid;
}

/* kernel/groups.c setgroups(): may_setgroups() comes before the size
 * check, which treats the size as unsigned. */
int cred_setgroups_check(const struct cred *cred, int size)
{
	if (!cred_capable(cred, CAP_SETGID))
		return -EPERM;
	if ((unsigned int)size > CRED_NGROUPS_MAX)
		return -EINVAL;
	return 0;
}

int cred_setgroups(struct cred *cred, int size, const gid_t *list)
{
	struct cred_groups *groups;
	int error = cred_setgroups_check(cred, size);

	if (error)
		return error;
	for (int i = 0; i < size; i++) {
		if (list[i] == INVALID_ID)
			return -EINVAL;
	}

	groups = groups_alloc(size);
	if (!groups)
		return -ENOMEM;
	if (size > 0)
		memcpy(groups->gids, list, (size_t)size * sizeof(gid_t));
	qsort(groups->gids, (size_t)size, sizeof(gid_t), compare_gids);

	groups_put(cred->groups);
	cred->groups = groups;
	return 0;
}

/* kernel/groups.c getgroups(). */
int cred_getgroups(const struct cred *cred, int size, gid_t *list)
{
	int count = cred->groups->count;

	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return count;
	if (count > size)
		return -EINVAL;
	if (list && count > 0)
		memcpy(list, cred->groups->gids, (size_t)count * sizeof(gid_t));
	return count;
}

/* kernel/capability.c cap_validate_magic(). */
int cred_cap_words(uint32_t version)
{
	switch (version) {
	case _LINUX_CAPABILITY_VERSION_1:
		return _LINUX_CAPABILITY_U32S_1;
	case _LINUX_CAPABILITY_VERSION_2:
	case _LINUX_CAPABILITY_VERSION_3:
		return _LINUX_CAPABILITY_U32S_3;
	default:
		return -EINVAL;
	}
}

void cred_capget(const struct cred *cred, struct __user_cap_data_struct data[2])
{
	data[0].effective = (uint32_t)cred->cap_effective;
	data[1].effective = (uint32_t)(cred->cap_effective >> 32);
	data[0].permitted = (uint32_t)cred->cap_permitted;
	data[1].permitted = (uint32_t)(cred->cap_permitted >> 32);
	data[0].inheritable = (uint32_t)cred->cap_inheritable;
	data[1].inheritable = (uint32_t)(cred->cap_inheritable >> 32);
}

/* kernel/capability.c mk_kernel_cap(): a v1 caller's missing upper word
 * is 0. */
static uint64_t join_cap_words(uint32_t low, uint32_t high, int words)
{
	uint64_t set = low;

	if (words > 1)
		set |= (uint64_t)high << 32;
	return set & CRED_CAP_VALID_MASK;
}

/* security/commoncap.c cap_capset(), checks in the kernel's order. */
int cred_capset(struct cred *cred, const struct __user_cap_data_struct *data,
		int words)
{
	uint32_t high_effective = words > 1 ? data[1].effective : 0;
	uint32_t high_permitted = words > 1 ? data[1].permitted : 0;
	uint32_t high_inheritable = words > 1 ? data[1].inheritable : 0;
	uint64_t effective =
		join_cap_words(data[0].effective, high_effective, words);
	uint64_t permitted =
		join_cap_words(data[0].permitted, high_permitted, words);
	uint64_t inheritable =
		join_cap_words(data[0].inheritable, high_inheritable, words);

	if (!cred_capable(cred, CAP_SETPCAP) &&
	    (inheritable & ~(cred->cap_inheritable | cred->cap_permitted)))
		return -EPERM;
	if (inheritable & ~(cred->cap_inheritable | cred->cap_bounding))
		return -EPERM;
	if (permitted & ~cred->cap_permitted)
		return -EPERM;
	if (effective & ~permitted)
		return -EPERM;

	cred->cap_effective = effective;
	cred->cap_permitted = permitted;
	cred->cap_inheritable = inheritable;
	cred->cap_ambient &= permitted & inheritable;
	return 0;
}

static bool cap_is_valid(uint64_t cap)
{
	return cap <= CAP_LAST_CAP;
}

/* PR_SET_KEEPCAPS: the argument must be 0 or 1, and the bit unlocked. */
static long set_keepcaps(struct cred *cred, uint64_t value)
{
	if (value > 1)
		return -EINVAL;
	if (cred->securebits & SECBIT_KEEP_CAPS_LOCKED)
		return -EPERM;

	if (value)
		cred->securebits |= SECBIT_KEEP_CAPS;
	else
		cred->securebits &= ~SECBIT_KEEP_CAPS;
	return 0;
}

/* PR_CAPBSET_DROP (cap_prctl_drop()): CAP_SETPCAP is checked before the
 * capability number. */
static long drop_bounding_cap(struct cred *cred, uint64_t cap)
{
	if (!cred_capable(cred, CAP_SETPCAP))
		return -EPERM;
	if (!cap_is_valid(cap))
		return -EINVAL;

	cred->cap_bounding &= ~cap_bit((unsigned int)cap);
	return 0;
}

/*
 * PR_SET_SECUREBITS: no change to a locked bit, no unlocking, no unknown
 * bit.  Without CAP_SETPCAP, Linux 6.14 and later allow only a change of
 * the CRED_SECURE_UNPRIVILEGED bits and their locks, and still reject a
 * call that changes nothing.
 */
static long set_securebits(struct cred *cred, uint64_t bits)
{
	uint64_t old = cred->securebits;
	uint64_t changed = old ^ bits;
	uint64_t unprivileged =
		CRED_SECURE_UNPRIVILEGED | CRED_SECURE_UNPRIVILEGED << 1;

	if (((old & CRED_SECURE_ALL_LOCKS) >> 1) & changed)
		return -EPERM;
	if (old & CRED_SECURE_ALL_LOCKS & ~bits)
		return -EPERM;
	if (bits & ~(uint64_t)(CRED_SECURE_ALL_LOCKS | CRED_SECURE_ALL_BITS))
		return -EPERM;
	if (!cred_capable(cred, CAP_SETPCAP) &&
	    (!changed || (changed & ~unprivileged)))
		return -EPERM;

	cred->securebits = (unsigned int)bits;
	return 0;
}

/*
 * PR_CAP_AMBIENT: CLEAR_ALL takes no further argument.  The other
 * operations take a valid capability and zero arg4 and arg5, checked
 * before the operation itself.  RAISE needs the capability in the
 * permitted and inheritable sets and no SECBIT_NO_CAP_AMBIENT_RAISE.
 */
static long change_ambient(struct cred *cred, uint64_t operation, uint64_t cap,
			   uint64_t arg4, uint64_t arg5)
{
	if (operation == PR_CAP_AMBIENT_CLEAR_ALL) {
		if (cap || arg4 || arg5)
			return -EINVAL;
		cred->cap_ambient = 0;
		return 0;
	}
	if (!cap_is_valid(cap) || arg4 || arg5)
		return -EINVAL;

	uint64_t bit = cap_bit((unsigned int)cap);

	switch (operation) {
	case PR_CAP_AMBIENT_IS_SET:
		return (cred->cap_ambient & bit) != 0;
	case PR_CAP_AMBIENT_RAISE:
		if (!(cred->cap_permitted & bit) ||
		    !(cred->cap_inheritable & bit) ||
		    (cred->securebits & SECBIT_NO_CAP_AMBIENT_RAISE))
			return -EPERM;
		cred->cap_ambient |= bit;
		return 0;
	case PR_CAP_AMBIENT_LOWER:
		cred->cap_ambient &= ~bit;
		return 0;
	default:
		return -EINVAL;
	}
}

/* security/commoncap.c cap_task_prctl(), which kernel/sys.c consults
 * before its own options. */
long cred_prctl(struct cred *cred, int option, uint64_t arg2, uint64_t arg3,
		uint64_t arg4, uint64_t arg5)
{
	switch (option) {
	case PR_CAPBSET_READ:
		if (!cap_is_valid(arg2))
			return -EINVAL;
		return (cred->cap_bounding & cap_bit((unsigned int)arg2)) != 0;
	case PR_CAPBSET_DROP:
		return drop_bounding_cap(cred, arg2);
	case PR_SET_SECUREBITS:
		return set_securebits(cred, arg2);
	case PR_GET_SECUREBITS:
		return cred->securebits;
	case PR_GET_KEEPCAPS:
		return (cred->securebits & SECBIT_KEEP_CAPS) != 0;
	case PR_SET_KEEPCAPS:
		return set_keepcaps(cred, arg2);
	case PR_CAP_AMBIENT:
		return change_ambient(cred, arg2, arg3, arg4, arg5);
	default:
		return -ENOSYS;
	}
}

/*
 * fs/exec.c bprm_fill_uid(): set-ID bits count only on a mount without
 * MS_NOSUID, without no_new_privs and for a file whose owner ids are both
 * mapped.  S_ISGID without S_IXGRP marks mandatory locking, not set-GID.
 */
static void apply_setid_bits(struct cred *cred,
			     const struct cred_exec_file *file)
{
	if (file->nosuid || file->no_new_privs || !file->ids_mapped)
		return;

	if (file->mode & S_ISUID)
		cred->euid = file->uid;
	if ((file->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		cred->egid = file->gid;
}

/*
 * security/commoncap.c cap_bprm_creds_from_file() for a file without file
 * capabilities.  The permitted set restarts empty, and
 * handle_privileged_root() gives a process with ruid or euid 0 the bounding
 * and inheritable sets, effective only with euid 0, unless SECBIT_NOROOT is
 * set.  An effective id change clears the ambient set.  Since the 2025 patch
 * "exec: Correct the permission check for unsafe exec", that is a new euid
 * or an egid that is neither the old fsgid nor a supplementary group
 * (id_changed); older kernels compared the new euid and egid with the old
 * real ids.
 *
 * NOTE: of the kernel's unsafe-exec cases only no_new_privs is modelled; a
 * shared fs_struct (CLONE_FS) and a tracer without CAP_SYS_PTRACE are not.
 */
void cred_exec(struct cred *cred, const struct cred_exec_file *file)
{
	const struct cred old = *cred;
	bool effective = false;
	bool id_changed, gained;

	apply_setid_bits(cred, file);

	cred->cap_permitted = 0;
	if (!(old.securebits & SECBIT_NOROOT)) {
		if (cred->euid == 0 || cred->ruid == 0)
			cred->cap_permitted =
				old.cap_bounding | old.cap_inheritable;
		effective = cred->euid == 0;
	}

	id_changed = cred->euid != old.euid || !cred_in_group(&old, cred->egid);
	gained = (cred->cap_permitted & ~old.cap_permitted) != 0;
	if ((id_changed || gained) && file->no_new_privs) {
		cred->euid = cred->ruid;
		cred->egid = cred->rgid;
		cred->cap_permitted &= old.cap_permitted;
	}

	cred->suid = cred->fsuid = cred->euid;
	cred->sgid = cred->fsgid = cred->egid;
	if (id_changed)
		cred->cap_ambient = 0;
	cred->cap_permitted |= cred->cap_ambient;
	cred->cap_effective =
		effective ? cred->cap_permitted : cred->cap_ambient;
	cred->securebits &= ~SECBIT_KEEP_CAPS;
}

uid_t cred_low2highuid(uint16_t uid)
{
	return uid == 0xFFFF ? INVALID_ID : uid;
}

gid_t cred_low2highgid(uint16_t gid)
{
	return gid == 0xFFFF ? (gid_t)-1 : gid;
}

uint16_t cred_high2lowuid(uid_t uid)
{
	return (uid & ~0xFFFFu) ? CRED_OVERFLOW_ID : (uint16_t)uid;
}

uint16_t cred_high2lowgid(gid_t gid)
{
	return (gid & ~0xFFFFu) ? CRED_OVERFLOW_ID : (uint16_t)gid;
}
