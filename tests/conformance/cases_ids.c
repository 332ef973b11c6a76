/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* Cases of the uid and gid setters: setuid, setreuid, setresuid, their gid
 * twins, setfsuid and setfsgid, with valid and invalid ids. */
#include "credsuite.h"

#include <stdio.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>
#include <unistd.h>

static void root_initial_state(void)
{
	show_state("as root");
	CALL(getuid());
	CALL(geteuid());
	CALL(getgid());
	CALL(getegid());
	CALL(syscall(SYS_getuid));
	CALL(syscall(SYS_geteuid));
}

/* With CAP_SETUID, setuid sets all four uids; afterwards it is gone. */
static void setuid_as_root_sets_all_uids(void)
{
	CALL(setuid(1000));
	show_state("after setuid(1000)");
	CALL(setuid(0));
	CALL(seteuid(0));
	show_state("after the regain attempts");
}

/* Without CAP_SETUID, setuid may only pick the real or saved uid, and
 * changes only the effective and file-system uids. */
static void setuid_unprivileged_real_or_saved(void)
{
	CALL(setresuid(1000, 2000, 3000));
	show_state("after setresuid(1000, 2000, 3000)");
	CALL(setuid(3000));
	show_state("after setuid(3000)");
	CALL(setuid(2000));
	CALL(setuid(1000));
	show_state("after setuid(1000)");
	CALL(setuid(4000));
	show_state("end");
}

/* A process whose euid is 0 has CAP_SETUID even with a real uid of 1000,
 * so setuid changes all ids. */
static void setuid_with_only_euid_root(void)
{
	CALL(setresuid(1000, 0, 1000));
	show_state("after setresuid(1000, 0, 1000)");
	CALL(setuid(2000));
	show_state("after setuid(2000)");
}

/* CAP_SETUID decides, not the euid: without it euid 0 cannot setuid. */
static void setuid_needs_cap_setuid(void)
{
	uint64_t permitted = caps_permitted();
	uint64_t without = permitted & ~BIT(CAP_SETUID);

	CALL(caps_set(without, permitted, 0));
	CALL(setuid(1000));
	CALL(setresuid(-1, 1000, -1));
	CALL(setresuid(0, 0, 0));
	show_state("end");
}

/* The temporary drop of daemons: seteuid to a user while the saved uid
 * stays 0, then back. */
static void seteuid_temporary_drop_and_restore(void)
{
	CALL(setegid(100));
	CALL(seteuid(1000));
	show_state("after setegid(100), seteuid(1000)");
	CALL(setegid(0));
	CALL(seteuid(0));
	show_state("after seteuid(0)");
	CALL(setegid(0));
	show_state("after setegid(0)");
}

/* After seteuid(1000), setuid(0) has no CAP_SETUID but 0 is the real
 * uid, so only the euid returns to 0. */
static void setuid_zero_after_seteuid(void)
{
	CALL(seteuid(1000));
	CALL(setuid(0));
	show_state("after setuid(0)");
}

static void setreuid_real_to_effective_allowed(void)
{
	CALL(setresuid(1000, 2000, 3000));
	CALL(setreuid(2000, -1));
	show_state("after setreuid(2000, -1)");
}

static void setreuid_real_to_saved_denied(void)
{
	CALL(setresuid(1000, 2000, 3000));
	CALL(setreuid(3000, -1));
	CALL(setreuid(4000, -1));
	show_state("end");
}

/* setresuid(1000, 1000, 0); setreuid(0, -1) fails because 0 is only the
 * saved uid, but setreuid(-1, 0) may take it as the euid. */
static void setreuid_effective_to_saved_allowed(void)
{
	CALL(setresuid(1000, 1000, 0));
	CALL(setreuid(0, -1));
	CALL(setreuid(-1, 0));
	show_state("after setreuid(-1, 0)");
	CALL(setreuid(0, -1));
	show_state("after setreuid(0, -1)");
}

/* The saved uid follows the new euid when the real uid is set or the euid
 * moves away from the old real uid. */
static void setreuid_saved_uid_updates(void)
{
	CALL(setresuid(1000, 2000, 3000));
	CALL(setreuid(-1, 1000));
	show_state("euid back to the real uid: saved kept");
	CALL(setreuid(-1, 3000));
	show_state("euid away from the real uid: saved follows");
	CALL(setreuid(3000, 1000));
	show_state("real uid set: saved follows");
}

/* setreuid(-1, -1) changes no id but resets the fsuid to the euid. */
static void setreuid_minus_one_resets_fsuid(void)
{
	VALUE(setfsuid(5));
	show_state("after setfsuid(5)");
	CALL(setreuid(-1, -1));
	show_state("after setreuid(-1, -1)");
}

static void setreuid_as_root(void)
{
	CALL(setreuid(1000, 2000));
	show_state("after setreuid(1000, 2000)");
	CALL(setreuid(2000, 1000));
	show_state("after setreuid(2000, 1000)");
	CALL(setreuid(0, -1));
	show_state("end");
}

static void setresuid_unprivileged_permutations(void)
{
	CALL(setresuid(1000, 2000, 3000));
	CALL(setresuid(3000, 1000, 2000));
	show_state("after setresuid(3000, 1000, 2000)");
	CALL(setresuid(4000, -1, -1));
	CALL(setresuid(-1, -1, 0));
	CALL(setresuid(2000, 2000, 2000));
	show_state("end");
}

/* A setresuid that changes no id returns at once and keeps a changed
 * fsuid.  One that only brings the fsuid back to the euid is a change. */
static void setresuid_noop_keeps_fsuid(void)
{
	VALUE(setfsuid(5));
	CALL(setresuid(-1, -1, -1));
	CALL(setresuid(0, -1, 0));
	show_state("after the calls that change nothing");
	CALL(setresuid(-1, 0, -1));
	show_state("after setresuid(-1, 0, -1)");
}

static void setresuid_leaving_root_keeps_saved(void)
{
	CALL(setresuid(1000, 1000, 0));
	show_state("after setresuid(1000, 1000, 0)");
	CALL(setresuid(-1, 0, -1));
	show_state("after setresuid(-1, 0, -1)");
	CALL(setresuid(-1, -1, 1000));
	CALL(setresuid(-1, 1000, -1));
	show_state("after giving up the saved uid");
	CALL(setresuid(-1, 0, -1));
	show_state("end");
}

static void setgid_as_root_sets_all_gids(void)
{
	CALL(setgid(1000));
	show_state("after setgid(1000)");
	CALL(setgid(0));
	show_state("end");
}

/* setgid without CAP_SETGID: the real or saved gid only. */
static void setgid_unprivileged_real_or_saved(void)
{
	CALL(setresgid(1000, 2000, 3000));
	CALL(setresuid(1000, 1000, 1000));
	CALL(setgid(3000));
	show_state("after setgid(3000)");
	CALL(setgid(2000));
	CALL(setgid(1000));
	CALL(setgid(0));
	show_state("end");
}

static void setgid_needs_cap_setgid(void)
{
	uint64_t permitted = caps_permitted();

	CALL(caps_set(permitted & ~BIT(CAP_SETGID), permitted, 0));
	CALL(setgid(1000));
	CALL(setegid(1000));
	CALL(setresgid(0, 0, 0));
	CALL(setuid(0));
	show_state("end");
}

static void setregid_rules(void)
{
	CALL(setresgid(1000, 2000, 3000));
	CALL(setresuid(1000, 1000, 1000));
	CALL(setregid(3000, -1));
	CALL(setregid(2000, -1));
	show_state("after setregid(2000, -1)");
	CALL(setregid(-1, 1000));
	show_state("after setregid(-1, 1000)");
	CALL(setregid(-1, 3000));
	CALL(setregid(-1, -1));
	show_state("end");
}

static void setregid_effective_to_saved(void)
{
	CALL(setresgid(1000, 1000, 0));
	CALL(setresuid(1000, 1000, 1000));
	CALL(setregid(0, -1));
	CALL(setregid(-1, 0));
	show_state("after setregid(-1, 0)");
	CALL(setregid(0, -1));
	show_state("end");
}

static void setresgid_unprivileged_permutations(void)
{
	CALL(setresgid(1000, 2000, 3000));
	CALL(setresuid(1000, 1000, 1000));
	CALL(setresgid(3000, 1000, 2000));
	CALL(setresgid(4000, -1, -1));
	CALL(setresgid(-1, -1, -1));
	show_state("end");
}

static void setresgid_noop_keeps_fsgid(void)
{
	VALUE(setfsgid(5));
	CALL(setresgid(-1, -1, -1));
	CALL(setresgid(0, 0, 0));
	show_state("after the calls that change nothing");
	CALL(setresgid(-1, 0, -1));
	show_state("end");
}

/* -1 means "keep" where a call takes it so, and is invalid elsewhere. */
static void ids_minus_one(void)
{
	CALL(setuid(-1));
	CALL(setgid(-1));
	CALL(seteuid(-1));
	CALL(setegid(-1));
	CALL(setreuid(-1, -1));
	CALL(setregid(-1, -1));
	CALL(setresuid(-1, -1, -1));
	CALL(setresgid(-1, -1, -1));
	VALUE(setfsuid(-1));
	VALUE(setfsgid(-1));
	show_state("end");
}

/* -2 (4294967294) is an ordinary id. */
static void ids_minus_two(void)
{
	const gid_t groups[] = { -2, 0 };

	show_setgroups(2, groups);
	CALL(setresgid(-2, -2, -2));
	CALL(setresuid(-2, -2, -2));
	show_state("end");
}

/* The kernel takes the low 32 bits of an id argument. */
static void ids_above_32_bits(void)
{
	CALL(syscall(SYS_setgid, 0x100000007UL));
	CALL(syscall(SYS_setresgid, 0x100000000UL, 0x1000000ffUL, -1L));
	CALL(syscall(SYS_setgid, 0x1ffffffffUL));
	show_state("after the gid calls");
	CALL(syscall(SYS_setuid, 0x100000007UL));
	CALL(syscall(SYS_setuid, 0xffffffffffffffffUL));
	CALL(syscall(SYS_setreuid, 0x1ffffffffUL, 0x1ffffffffUL));
	show_state("end");
}

/* setfsuid returns the previous fsuid whether it changed it or not. */
static void setfsuid_returns_previous(void)
{
	VALUE(setfsuid(1000));
	VALUE(setfsuid(-1));
	VALUE(setfsuid(2000));
	show_state("after setfsuid(2000)");
	VALUE(setfsuid(0));
	show_state("after setfsuid(0)");
}

static void setfsuid_unprivileged(void)
{
	CALL(setresuid(1000, 2000, 3000));
	VALUE(setfsuid(0));
	VALUE(setfsuid(3000));
	VALUE(setfsuid(4000));
	VALUE(setfsuid(1000));
	show_state("end");
}

/* The fsuid follows every euid change, and setfsuid(0) back to the real
 * uid raises the file-system capabilities from the permitted set. */
static void fsuid_follows_euid(void)
{
	CALL(seteuid(1000));
	show_state("after seteuid(1000)");
	VALUE(setfsuid(0));
	show_state("after setfsuid(0)");
	CALL(seteuid(0));
	show_state("after seteuid(0)");
}

static void setfsgid_returns_previous(void)
{
	VALUE(setfsgid(1000));
	VALUE(setfsgid(-1));
	CALL(setresgid(1000, 2000, 3000));
	CALL(setresuid(1000, 1000, 1000));
	VALUE(setfsgid(0));
	VALUE(setfsgid(3000));
	VALUE(setfsgid(5000));
	show_state("end");
}

/* getresuid and getresgid store the ids one by one and stop at the
 * first pointer that faults. */
static void getresuid_bad_pointers(void)
{
	uid_t ruid = 7, suid = 7;
	gid_t rgid = 7, sgid = 7;

	CALL(setresuid(1000, 2000, 3000));
	CALL(syscall(SYS_getresuid, &ruid, 1L, &suid));
	show("ruid=%u suid=%u", ruid, suid);
	CALL(syscall(SYS_getresuid, NULL, NULL, NULL));
	CALL(syscall(SYS_getresgid, &rgid, &sgid, -8L));
	show("rgid=%u sgid=%u", rgid, sgid);
	CALL(syscall(SYS_getresgid, 1L, &rgid, &sgid));
}

const struct credsuite_case ids_cases[] = {
	{ "root_initial_state", root_initial_state },
	{ "setuid_as_root_sets_all_uids", setuid_as_root_sets_all_uids },
	{ "setuid_unprivileged_real_or_saved",
	  setuid_unprivileged_real_or_saved },
	{ "setuid_with_only_euid_root", setuid_with_only_euid_root },
	{ "setuid_needs_cap_setuid", setuid_needs_cap_setuid },
	{ "seteuid_temporary_drop_and_restore",
	  seteuid_temporary_drop_and_restore },
	{ "setuid_zero_after_seteuid", setuid_zero_after_seteuid },
	{ "setreuid_real_to_effective_allowed",
	  setreuid_real_to_effective_allowed },
	{ "setreuid_real_to_saved_denied", setreuid_real_to_saved_denied },
	{ "setreuid_effective_to_saved_allowed",
	  setreuid_effective_to_saved_allowed },
	{ "setreuid_saved_uid_updates", setreuid_saved_uid_updates },
	{ "setreuid_minus_one_resets_fsuid", setreuid_minus_one_resets_fsuid },
	{ "setreuid_as_root", setreuid_as_root },
	{ "setresuid_unprivileged_permutations",
	  setresuid_unprivileged_permutations },
	{ "setresuid_noop_keeps_fsuid", setresuid_noop_keeps_fsuid },
	{ "setresuid_leaving_root_keeps_saved",
	  setresuid_leaving_root_keeps_saved },
	{ "setgid_as_root_sets_all_gids", setgid_as_root_sets_all_gids },
	{ "setgid_unprivileged_real_or_saved",
	  setgid_unprivileged_real_or_saved },
	{ "setgid_needs_cap_setgid", setgid_needs_cap_setgid },
	{ "setregid_rules", setregid_rules },
	{ "setregid_effective_to_saved", setregid_effective_to_saved },
	{ "setresgid_unprivileged_permutations",
	  setresgid_unprivileged_permutations },
	{ "setresgid_noop_keeps_fsgid", setresgid_noop_keeps_fsgid },
	{ "ids_minus_one", ids_minus_one },
	{ "ids_minus_two", ids_minus_two },
	{ "ids_above_32_bits", ids_above_32_bits },
	{ "setfsuid_returns_previous", setfsuid_returns_previous },
	{ "setfsuid_unprivileged", setfsuid_unprivileged },
	{ "fsuid_follows_euid", fsuid_follows_euid },
	{ "setfsgid_returns_previous", setfsgid_returns_previous },
	{ "getresuid_bad_pointers", getresuid_bad_pointers },
	{ NULL, NULL },
};
