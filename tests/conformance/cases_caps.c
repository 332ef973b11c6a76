/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* Cases of capget, capset and the capability options of prctl, and of the
 * capability changes that uid changes cause. */
#include "credsuite.h"

#include <limits.h>
#include <stdio.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>
#include <unistd.h>

/* An unknown capability header version. */
#define BAD_CAP_VERSION 0x12345678u

/* A word capget must not write, to see how many it wrote. */
#define UNTOUCHED 0x5a5a5a5au

/* The capabilities that follow the fsuid (CAP_FS_SET of the kernel). */
#define FS_CAPS                                                                \
	(BIT(CAP_CHOWN) | BIT(CAP_DAC_OVERRIDE) | BIT(CAP_DAC_READ_SEARCH) |   \
	 BIT(CAP_FOWNER) | BIT(CAP_FSETID) | BIT(CAP_LINUX_IMMUTABLE) |        \
	 BIT(CAP_MKNOD) | BIT(CAP_MAC_OVERRIDE))

static void show_cap_data(const struct __user_cap_header_struct *header,
			  const struct __user_cap_data_struct data[2])
{
	show("header version=%#x", header->version);
	for (int i = 0; i < 2; i++)
		show("data[%d] e=%08x p=%08x i=%08x", i, data[i].effective,
		     data[i].permitted, data[i].inheritable);
}

static void fill_untouched(struct __user_cap_data_struct data[2])
{
	for (int i = 0; i < 2; i++) {
		data[i].effective = UNTOUCHED;
		data[i].permitted = UNTOUCHED;
		data[i].inheritable = UNTOUCHED;
	}
}

/*
 * Root's capabilities are those of the bounding set it inherited: a
 * machine may leave some out (e.g. CAP_SYS_RESOURCE), and real root and
 * the emulated one must agree.
 */
static void root_capabilities_follow_bounding_set(void)
{
	for (int cap = 0; cap <= CAP_LAST_CAP + 1; cap++) {
		char text[64];
		int result;

		snprintf(text, sizeof(text), "prctl(PR_CAPBSET_READ, %d)", cap);
		errno = 0;
		result = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
		show_result(text, result, errno);
	}
	show_state("as root");
}

/* Version 1 copies one word, versions 2 and 3 two. */
static void capget_versions(void)
{
	const uint32_t versions[] = { _LINUX_CAPABILITY_VERSION_1,
				      _LINUX_CAPABILITY_VERSION_2,
				      _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_header_struct header;
	struct __user_cap_data_struct data[2];

	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		header.version = versions[i];
		header.pid = 0;
		fill_untouched(data);
		CALL(syscall(SYS_capget, &header, data));
		show_cap_data(&header, data);
	}
}

/* An unknown version is EINVAL, and the kernel stores its own version in
 * the header.  With a NULL data pointer, capget is the version probe and
 * returns 0. */
static void capget_bad_version(void)
{
	struct __user_cap_header_struct header = { BAD_CAP_VERSION, 0 };
	struct __user_cap_data_struct data[2];

	fill_untouched(data);
	CALL(syscall(SYS_capget, &header, data));
	show_cap_data(&header, data);
	header.version = BAD_CAP_VERSION;
	CALL(syscall(SYS_capget, &header, NULL));
	show("header version=%#x", header.version);
	header.version = BAD_CAP_VERSION;
	CALL(syscall(SYS_capset, &header, data));
	show("header version=%#x", header.version);
}

static void capget_bad_pointers(void)
{
	struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3,
						   0 };

	CALL(syscall(SYS_capget, NULL, NULL));
	CALL(syscall(SYS_capget, 1L, NULL));
	CALL(syscall(SYS_capget, &header, NULL));
	CALL(syscall(SYS_capget, &header, 1L));
	CALL(syscall(SYS_capset, &header, NULL));
	CALL(syscall(SYS_capset, NULL, NULL));
}

/* Other processes: the parent (the suite, as root), a pid that cannot
 * exist, and a negative one.  capset only accepts the caller. */
static void capget_other_processes(void)
{
	struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3,
						   0 };
	struct __user_cap_data_struct data[2];

	drop_to(1000, 1000);
	header.pid = getppid();
	CALL(syscall(SYS_capget, &header, data));
	show_cap_data(&header, data);
	header.pid = INT_MAX;
	CALL(syscall(SYS_capget, &header, data));
	header.pid = -1;
	CALL(syscall(SYS_capget, &header, data));
	header.pid = getpid();
	CALL(syscall(SYS_capget, &header, data));
	show_cap_data(&header, data);
	CALL(syscall(SYS_capset, &header, data));
	header.pid = getppid();
	CALL(syscall(SYS_capset, &header, data));
}

/* A version 1 capset sets the upper word to 0. */
static void capset_version_1(void)
{
	struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_1,
						   0 };
	struct __user_cap_data_struct data[2];

	fill_untouched(data);
	data[0].effective = data[0].permitted = 0xffffffffu;
	data[0].inheritable = 0;
	CALL(syscall(SYS_capset, &header, data));
	show_state("after the version 1 capset");
}

static void capset_within_permitted(void)
{
	uint64_t permitted = caps_permitted();
	uint64_t fewer = permitted & ~BIT(CAP_NET_RAW);

	CALL(caps_set(fewer, fewer, 0));
	CALL(caps_set(permitted, permitted, 0));
	CALL(caps_set(fewer | BIT(CAP_NET_RAW), fewer, 0));
	CALL(caps_set(fewer, fewer, BIT(CAP_NET_RAW)));
	show_state("after dropping CAP_NET_RAW");
	CALL(caps_set(fewer & ~BIT(CAP_SETPCAP), fewer, 0));
	CALL(caps_set(0, fewer, BIT(CAP_NET_RAW)));
	CALL(caps_set(0, fewer, BIT(CAP_SYS_ADMIN)));
	show_state("end");
}

/* Leaving uid 0 in all three uids clears the permitted and effective
 * sets; the effective set follows the euid in and out of 0. */
static void caps_cleared_when_all_uids_leave_root(void)
{
	CALL(caps_set(caps_permitted(), caps_permitted(), BIT(CAP_KILL)));
	CALL(setresuid(1000, 1000, 1000));
	show_state("end");
}

static void caps_kept_while_saved_uid_is_root(void)
{
	CALL(setresuid(1000, 1000, 0));
	show_state("after setresuid(1000, 1000, 0)");
	CALL(setresuid(-1, 0, -1));
	show_state("after setresuid(-1, 0, -1)");
	CALL(setresuid(0, 1000, 1000));
	show_state("after setresuid(0, 1000, 1000)");
}

/* PR_SET_KEEPCAPS keeps the permitted set across the loss of uid 0; the
 * effective set is cleared all the same. */
static void keepcaps_across_setuid(void)
{
	CALL(prctl(PR_SET_KEEPCAPS, 2, 0, 0, 0));
	CALL(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	CALL(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
	CALL(setuid(1000));
	show_state("after setuid(1000)");
	CALL(caps_set(BIT(CAP_NET_BIND_SERVICE), caps_permitted(), 0));
	CALL(caps_set(0, BIT(CAP_NET_BIND_SERVICE), 0));
	CALL(caps_set(0, BIT(CAP_NET_BIND_SERVICE) | BIT(CAP_KILL), 0));
	show_state("end");
}

static void capbset_drop_and_read(void)
{
	uint64_t permitted = caps_permitted();

	CALL(prctl(PR_CAPBSET_READ, CAP_NET_RAW, 0, 0, 0));
	CALL(prctl(PR_CAPBSET_READ, CAP_SYS_RESOURCE, 0, 0, 0));
	CALL(prctl(PR_CAPBSET_READ, 63, 0, 0, 0));
	CALL(prctl(PR_CAPBSET_READ, -1L, 0, 0, 0));
	CALL(prctl(PR_CAPBSET_DROP, CAP_NET_RAW, 0, 0, 0));
	CALL(prctl(PR_CAPBSET_DROP, CAP_NET_RAW, 0, 0, 0));
	CALL(prctl(PR_CAPBSET_DROP, 63, 0, 0, 0));
	CALL(prctl(PR_CAPBSET_READ, CAP_NET_RAW, 0, 0, 0));
	show_state("after dropping CAP_NET_RAW from the bounding set");
	CALL(caps_set(permitted, permitted, BIT(CAP_NET_RAW)));
	CALL(caps_set(permitted & ~BIT(CAP_SETPCAP), permitted, 0));
	CALL(prctl(PR_CAPBSET_DROP, CAP_KILL, 0, 0, 0));
	CALL(prctl(PR_CAPBSET_DROP, 63, 0, 0, 0));
	show_state("end");
}

static void ambient_raise_lower_clear(void)
{
	uint64_t permitted = caps_permitted();

	CALL(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE,
		   0, 0));
	CALL(caps_set(permitted, permitted,
		      BIT(CAP_NET_BIND_SERVICE) | BIT(CAP_KILL)));
	CALL(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE,
		   0, 0));
	CALL(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0));
	CALL(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_KILL, 0, 0));
	show_state("after raising two");
	CALL(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, CAP_KILL, 0, 0));
	CALL(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_KILL, 0, 0));
	CALL(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 64, 0, 0));
	CALL(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 1, 0));
	CALL(prctl(PR_CAP_AMBIENT, 99, CAP_KILL, 0, 0));
	CALL(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 1, 0, 0));
	show_state("after lowering one");
	CALL(caps_set(permitted, permitted, BIT(CAP_KILL)));
	show_state("after dropping it from the inheritable set");
	CALL(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0));
	CALL(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0));
	show_state("end");
}

/* Ambient capabilities do not survive the loss of uid 0, even with
 * keepcaps. */
static void ambient_cleared_when_leaving_root(void)
{
	uint64_t permitted = caps_permitted();

	CALL(caps_set(permitted, permitted, BIT(CAP_NET_BIND_SERVICE)));
	CALL(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE,
		   0, 0));
	CALL(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	CALL(setresuid(1000, 1000, 0));
	show_state("saved uid still 0");
	CALL(setresuid(-1, -1, 1000));
	show_state("end");
}

static void securebits_locks(void)
{
	CALL(prctl(PR_SET_SECUREBITS, 1 << 20, 0, 0, 0));
	CALL(prctl(PR_SET_SECUREBITS,
		   SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_KEEP_CAPS, 0,
		   0, 0));
	CALL(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
	CALL(prctl(PR_SET_SECUREBITS, SECBIT_NOROOT_LOCKED, 0, 0, 0));
	CALL(prctl(PR_SET_SECUREBITS, SECBIT_NOROOT, 0, 0, 0));
	CALL(prctl(PR_SET_SECUREBITS,
		   SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
			   SECBIT_KEEP_CAPS_LOCKED,
		   0, 0, 0));
	CALL(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	CALL(prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0));
	show_state("end");
}

/* Without CAP_SETPCAP only the bits that restrict what user space
 * chooses to check (Linux 6.14) may change. */
static void securebits_unprivileged(void)
{
	drop_to(1000, 1000);
	CALL(prctl(PR_SET_SECUREBITS, 0, 0, 0, 0));
	CALL(prctl(PR_SET_SECUREBITS, SECBIT_NOROOT, 0, 0, 0));
	CALL(prctl(PR_SET_SECUREBITS, 1 << 8, 0, 0, 0));
	CALL(prctl(PR_SET_SECUREBITS, 1 << 8 | 1 << 10, 0, 0, 0));
	show_state("end");
}

/* SECBIT_NO_SETUID_FIXUP: uid changes leave the capability sets alone. */
static void securebits_no_setuid_fixup(void)
{
	CALL(prctl(PR_SET_SECUREBITS, SECBIT_NO_SETUID_FIXUP, 0, 0, 0));
	CALL(setresuid(1000, 1000, 1000));
	VALUE(setfsuid(0));
	show_state("end");
}

static void ambient_blocked_by_securebit(void)
{
	uint64_t permitted = caps_permitted();

	CALL(caps_set(permitted, permitted, BIT(CAP_KILL)));
	CALL(prctl(PR_SET_SECUREBITS, SECBIT_NO_CAP_AMBIENT_RAISE, 0, 0, 0));
	CALL(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0));
	show_state("end");
}

/* The file-system capabilities leave the effective set with fsuid 0 and
 * come back from the permitted set. */
static void fs_caps_follow_fsuid(void)
{
	uint64_t permitted = caps_permitted();

	VALUE(setfsuid(1000));
	show_state("after setfsuid(1000)");
	VALUE(setfsuid(0));
	show_state("after setfsuid(0)");
	CALL(caps_set(permitted & ~FS_CAPS, permitted, 0));
	VALUE(setfsuid(1000));
	VALUE(setfsuid(0));
	show_state("end");
}

const struct credsuite_case caps_cases[] = {
	{ "root_capabilities_follow_bounding_set",
	  root_capabilities_follow_bounding_set },
	{ "capget_versions", capget_versions },
	{ "capget_bad_version", capget_bad_version },
	{ "capget_bad_pointers", capget_bad_pointers },
	{ "capget_other_processes", capget_other_processes },
	{ "capset_version_1", capset_version_1 },
	{ "capset_within_permitted", capset_within_permitted },
	{ "caps_cleared_when_all_uids_leave_root",
	  caps_cleared_when_all_uids_leave_root },
	{ "caps_kept_while_saved_uid_is_root",
	  caps_kept_while_saved_uid_is_root },
	{ "keepcaps_across_setuid", keepcaps_across_setuid },
	{ "capbset_drop_and_read", capbset_drop_and_read },
	{ "ambient_raise_lower_clear", ambient_raise_lower_clear },
	{ "ambient_cleared_when_leaving_root",
	  ambient_cleared_when_leaving_root },
	{ "securebits_locks", securebits_locks },
	{ "securebits_unprivileged", securebits_unprivileged },
	{ "securebits_no_setuid_fixup", securebits_no_setuid_fixup },
	{ "ambient_blocked_by_securebit", ambient_blocked_by_securebit },
	{ "fs_caps_follow_fsuid", fs_caps_follow_fsuid },
	{ NULL, NULL },
};
