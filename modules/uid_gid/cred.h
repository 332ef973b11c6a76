/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * A virtual credential set with the rules of Linux 6.18.
 *
 * struct cred mirrors the kernel's struct cred as a process inside one user
 * namespace sees it: ids, supplementary groups, capability sets and
 * securebits.  The functions below change it the way the credential system
 * calls change the kernel's, with the same checks in the same order, and
 * return what the system call returns: a result, or a negative errno.  They
 * touch nothing but the struct, so they can be unit tested and compared with
 * the running kernel.
 *
 * Every uid and gid except (uid_t)-1 is valid here, as in the initial user
 * namespace: the emulated namespace maps them all.  CAP_SETUID, CAP_SETGID
 * and CAP_SETPCAP are checked in the effective set.  Sources: kernel/sys.c,
 * kernel/groups.c, kernel/uid16.c, kernel/capability.c,
 * security/commoncap.c, fs/exec.c and include/linux/capability.h.
 */
#ifndef PSEUDO_UID_GID_CRED_H
#define PSEUDO_UID_GID_CRED_H

#include <linux/capability.h>
#include <linux/securebits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* NGROUPS_MAX of include/uapi/linux/limits.h. */
#define CRED_NGROUPS_MAX 65536

/* The default of /proc/sys/kernel/overflowuid and overflowgid, which the
 * 16-bit calls return for ids above 65535. */
#define CRED_OVERFLOW_ID 65534

/* Capabilities 0 to CAP_LAST_CAP, the kernel's CAP_VALID_MASK. */
#define CRED_CAP_VALID_MASK ((UINT64_C(1) << (CAP_LAST_CAP + 1)) - 1)

/*
 * CAP_FS_SET of include/linux/capability.h: the capabilities that follow
 * fsuid 0, dropped from the effective set when fsuid leaves 0 and raised
 * again from the permitted set when it returns.
 */
#define CRED_CAP_FS_MASK                                                       \
	(UINT64_C(1) << CAP_CHOWN | UINT64_C(1) << CAP_DAC_OVERRIDE |          \
	 UINT64_C(1) << CAP_DAC_READ_SEARCH | UINT64_C(1) << CAP_FOWNER |      \
	 UINT64_C(1) << CAP_FSETID | UINT64_C(1) << CAP_LINUX_IMMUTABLE |      \
	 UINT64_C(1) << CAP_MKNOD | UINT64_C(1) << CAP_MAC_OVERRIDE)

/*
 * Securebits that Linux 6.14 added, missing from older uapi headers.  They
 * restrict only what user space chooses to check, so a process may set them
 * without CAP_SETPCAP.
 */
#ifndef SECURE_EXEC_RESTRICT_FILE
#define SECURE_EXEC_RESTRICT_FILE 8
#define SECURE_EXEC_RESTRICT_FILE_LOCKED 9
#define SECBIT_EXEC_RESTRICT_FILE (issecure_mask(SECURE_EXEC_RESTRICT_FILE))
#define SECBIT_EXEC_RESTRICT_FILE_LOCKED                                       \
	(issecure_mask(SECURE_EXEC_RESTRICT_FILE_LOCKED))
#endif
#ifndef SECURE_EXEC_DENY_INTERACTIVE
#define SECURE_EXEC_DENY_INTERACTIVE 10
#define SECURE_EXEC_DENY_INTERACTIVE_LOCKED 11
#define SECBIT_EXEC_DENY_INTERACTIVE                                           \
	(issecure_mask(SECURE_EXEC_DENY_INTERACTIVE))
#define SECBIT_EXEC_DENY_INTERACTIVE_LOCKED                                    \
	(issecure_mask(SECURE_EXEC_DENY_INTERACTIVE_LOCKED))
#endif

/* SECURE_ALL_BITS, SECURE_ALL_LOCKS and SECURE_ALL_UNPRIVILEGED of the
 * Linux 6.18 uapi header. */
#define CRED_SECURE_ALL_BITS                                                   \
	(SECBIT_NOROOT | SECBIT_NO_SETUID_FIXUP | SECBIT_KEEP_CAPS |           \
	 SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_EXEC_RESTRICT_FILE |             \
	 SECBIT_EXEC_DENY_INTERACTIVE)
#define CRED_SECURE_ALL_LOCKS (CRED_SECURE_ALL_BITS << 1)
#define CRED_SECURE_UNPRIVILEGED                                               \
	(SECBIT_EXEC_RESTRICT_FILE | SECBIT_EXEC_DENY_INTERACTIVE)

/*
 * Supplementary groups, like the kernel's struct group_info: immutable once
 * built, sorted in ascending order (duplicates kept), and shared by
 * reference between credential sets until setgroups replaces the list.
 */
struct cred_groups {
	unsigned long refcount;
	int count;
	gid_t gids[];
};

struct cred {
	uid_t ruid, euid, suid, fsuid;
	gid_t rgid, egid, sgid, fsgid;
	/* Never NULL in an initialized set. */
	struct cred_groups *groups;
	/* Capability sets, bit N for capability N. */
	uint64_t cap_effective;
	uint64_t cap_permitted;
	uint64_t cap_inheritable;
	uint64_t cap_bounding;
	uint64_t cap_ambient;
	/* SECBIT_* flags, as prctl(PR_GET_SECUREBITS) returns them. */
	unsigned int securebits;
};

/*
 * The executable of an execve, as cred_exec() needs it.  uid and gid are
 * the file's owner as the process's user namespace sees it.
 */
struct cred_exec_file {
	mode_t mode;
	uid_t uid;
	gid_t gid;
	/* Both owner ids are mapped in the process's user namespace, without
	 * which the kernel ignores set-ID bits (fs/exec.c bprm_fill_uid). */
	bool ids_mapped;
	/* The file's mount has MS_NOSUID. */
	bool nosuid;
	/* The process has PR_SET_NO_NEW_PRIVS. */
	bool no_new_privs;
};

/*
 * Initializes CRED as a process that logged in as UID and GID: all uids
 * UID, all gids GID, groups {GID}, no securebits, a full bounding set, and
 * full permitted and effective sets only for uid 0.  Returns 0 or -ENOMEM.
 */
int cred_init(struct cred *cred, uid_t uid, gid_t gid);

/* Copies SRC into DST, which shares SRC's group list, as fork and clone
 * do.  DST must not hold a reference yet. */
void cred_copy(struct cred *dst, const struct cred *src);

/* Drops CRED's reference on its group list, after which CRED is
 * uninitialized.  Releasing it again does nothing. */
void cred_release(struct cred *cred);

/* Returns whether CAP is in CRED's effective set, as ns_capable() decides
 * for the process's own user namespace. */
bool cred_capable(const struct cred *cred, int cap);

/* Returns whether GID is the fsgid or a supplementary group of CRED, like
 * in_group_p() of kernel/groups.c. */
bool cred_in_group(const struct cred *cred, gid_t gid);

/*
 * The id setters return 0 or a negative errno and change CRED only on
 * success: -EINVAL for an id of -1 that the call does not take as "keep",
 * -EPERM for a change that needs CAP_SETUID or CAP_SETGID.  The uid setters
 * then adjust the capability sets like cap_emulate_setxuid() of
 * security/commoncap.c unless SECBIT_NO_SETUID_FIXUP is set.
 */
int cred_setuid(struct cred *cred, uid_t uid);
int cred_setgid(struct cred *cred, gid_t gid);
int cred_setreuid(struct cred *cred, uid_t ruid, uid_t euid);
int cred_setregid(struct cred *cred, gid_t rgid, gid_t egid);
int cred_setresuid(struct cred *cred, uid_t ruid, uid_t euid, uid_t suid);
int cred_setresgid(struct cred *cred, gid_t rgid, gid_t egid, gid_t sgid);

/*
 * Sets the fsuid or fsgid when allowed and returns the previous value in
 * any case, so that -1, an invalid id, only returns it.  A changed fsuid
 * moves the CRED_CAP_FS_MASK capabilities in or out of the effective set.
 */
uid_t cred_setfsuid(struct cred *cred, uid_t uid);
gid_t cred_setfsgid(struct cred *cred, gid_t gid);

/*
 * Checks a setgroups call before its list is read: -EPERM without
 * CAP_SETGID (checked first, as kernel/groups.c does), -EINVAL for a SIZE
 * outside 0 to CRED_NGROUPS_MAX, else 0.
 */
int cred_setgroups_check(const struct cred *cred, int size);

/*
 * Replaces the supplementary groups with the SIZE gids of LIST, sorted.
 * Returns 0, the errors of cred_setgroups_check(), -EINVAL when LIST
 * contains -1, or -ENOMEM.
 */
int cred_setgroups(struct cred *cred, int size, const gid_t *list);

/*
 * Returns the number of supplementary groups, or -EINVAL for a negative
 * SIZE or a nonzero SIZE below that number.  When SIZE is nonzero and LIST
 * is not NULL, copies the groups to LIST.
 */
int cred_getgroups(const struct cred *cred, int size, gid_t *list);

/*
 * Returns the number of struct __user_cap_data_struct words that capget and
 * capset copy for header version VERSION: 1 for v1, 2 for v2 and v3, or
 * -EINVAL for an unknown version, after which the kernel stores
 * _LINUX_CAPABILITY_VERSION_3 in the caller's header.
 */
int cred_cap_words(uint32_t version);

/* Splits the effective, permitted and inheritable sets into the two words
 * of the capget data layout. */
void cred_capget(const struct cred *cred,
		 struct __user_cap_data_struct data[2]);

/*
 * Sets the effective, permitted and inheritable sets from WORDS words of
 * DATA.  A missing second word reads as 0, and bits past CAP_LAST_CAP are
 * ignored.  The rules are those of cap_capset(), which returns -EPERM for:
 * a new inheritable capability outside the old permitted set (unless
 * CAP_SETPCAP is effective) or outside the bounding set, a permitted set
 * that grows, and an effective set outside the new permitted set.  Ambient
 * capabilities no longer both permitted and inheritable are dropped.
 */
int cred_capset(struct cred *cred, const struct __user_cap_data_struct *data,
		int words);

/*
 * Runs the prctl options of cap_task_prctl() in security/commoncap.c:
 * PR_GET_KEEPCAPS, PR_SET_KEEPCAPS, PR_CAPBSET_READ, PR_CAPBSET_DROP,
 * PR_GET_SECUREBITS, PR_SET_SECUREBITS and PR_CAP_AMBIENT.  Returns the
 * prctl result or a negative errno, and -ENOSYS for any other OPTION.
 */
long cred_prctl(struct cred *cred, int option, uint64_t arg2, uint64_t arg3,
		uint64_t arg4, uint64_t arg5);

/*
 * Applies a successful execve of FILE, which has no file capabilities.  It
 * honours set-user-ID and set-group-ID bits (fs/exec.c bprm_fill_uid) and
 * the root rules of cap_bprm_creds_from_file().  The saved and fs ids then
 * follow the effective ids, the ambient set survives only when no effective
 * id changed, and SECBIT_KEEP_CAPS is cleared.
 */
void cred_exec(struct cred *cred, const struct cred_exec_file *file);

/*
 * Conversions of the 16-bit calls (include/linux/highuid.h): 0xFFFF widens
 * to -1, and an id above 65535 narrows to CRED_OVERFLOW_ID.
 */
uid_t cred_low2highuid(uint16_t uid);
gid_t cred_low2highgid(uint16_t gid);
uint16_t cred_high2lowuid(uid_t uid);
uint16_t cred_high2lowgid(gid_t gid);

#endif /* PSEUDO_UID_GID_CRED_H */
