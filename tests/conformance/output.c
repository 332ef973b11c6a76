/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* The lines credsuite prints: calls, results and credential states. */
#include "credsuite.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Groups lists longer than this are printed as their first and last
 * entries and a checksum. */
#define GROUPS_PRINTED_IN_FULL 16
#define GROUPS_PRINTED_AT_EACH_END 4

/* Capability numbers that PR_CAPBSET_READ is asked about before it
 * returns EINVAL for the first one past the kernel's last. */
#define CAP_PROBE_LIMIT 64

void show(const char *format, ...)
{
	va_list args;

	fputs("  ", stdout);
	va_start(args, format);
	vprintf(format, args);
	va_end(args);
	putchar('\n');
}

const char *errno_name(int error)
{
	const char *name = strerrorname_np(error);
	static char unknown[32];

	if (name)
		return name;
	snprintf(unknown, sizeof(unknown), "E%d", error);
	return unknown;
}

void show_result(const char *text, long result, int error)
{
	if (result == -1)
		show("%s = -1 %s", text, errno_name(error));
	else
		show("%s = %ld", text, result);
}

void show_value(const char *text, long value)
{
	show("%s = %ld", text, value);
}

static void show_uids(void)
{
	uid_t real = 12345, effective = 12345, saved = 12345;
	int fsuid = setfsuid(-1);

	if (getresuid(&real, &effective, &saved) < 0) {
		show("  uid getresuid failed: %s", errno_name(errno));
		return;
	}
	show("  uid r=%u e=%u s=%u fs=%u raw=%ld,%ld", real, effective, saved,
	     (unsigned int)fsuid, syscall(SYS_getuid), syscall(SYS_geteuid));
}

static void show_gids(void)
{
	gid_t real = 12345, effective = 12345, saved = 12345;
	int fsgid = setfsgid(-1);

	if (getresgid(&real, &effective, &saved) < 0) {
		show("  gid getresgid failed: %s", errno_name(errno));
		return;
	}
	show("  gid r=%u e=%u s=%u fs=%u raw=%ld,%ld", real, effective, saved,
	     (unsigned int)fsgid, syscall(SYS_getgid), syscall(SYS_getegid));
}

/* FNV-1a over the gids, for lists too long to print. */
static uint32_t checksum_gids(const gid_t *gids, int count)
{
	uint32_t hash = 2166136261u;

	for (int i = 0; i < count; i++) {
		hash ^= gids[i];
		hash *= 16777619u;
	}
	return hash;
}

static void show_gid_list(const gid_t *gids, int count)
{
	char line[512];
	size_t used = 0;

	used += (size_t)snprintf(line, sizeof(line), "  groups %d:", count);
	for (int i = 0; i < count && used < sizeof(line); i++) {
		bool elided = count > GROUPS_PRINTED_IN_FULL &&
			      i >= GROUPS_PRINTED_AT_EACH_END &&
			      i < count - GROUPS_PRINTED_AT_EACH_END;

		if (elided && i == GROUPS_PRINTED_AT_EACH_END)
			used += (size_t)snprintf(line + used,
						 sizeof(line) - used, " ...");
		if (!elided)
			used += (size_t)snprintf(line + used,
						 sizeof(line) - used, " %u",
						 gids[i]);
	}
	if (count > GROUPS_PRINTED_IN_FULL && used < sizeof(line))
		snprintf(line + used, sizeof(line) - used, " (fnv %08x)",
			 checksum_gids(gids, count));
	show("%s", line);
}

static void show_groups(void)
{
	int count = getgroups(0, NULL);
	gid_t *gids;

	if (count < 0) {
		show("  groups getgroups failed: %s", errno_name(errno));
		return;
	}
	gids = calloc((size_t)count + 1, sizeof(*gids));
	if (!gids) {
		show("  groups: out of memory");
		return;
	}
	if (getgroups(count, gids) != count)
		show("  groups getgroups changed: %s", errno_name(errno));
	else
		show_gid_list(gids, count);
	free(gids);
}

/* Returns the set of capabilities for which prctl(OPTION, ARG2, cap)
 * returns 1, asking until it fails. */
static uint64_t probe_caps(int option, unsigned long arg2)
{
	uint64_t set = 0;

	for (unsigned long cap = 0; cap < CAP_PROBE_LIMIT; cap++) {
		int result = arg2 ? prctl(option, arg2, cap, 0, 0)
				  : prctl(option, cap, 0, 0, 0);

		if (result < 0)
			break;
		if (result)
			set |= BIT(cap);
	}
	return set;
}

static void show_caps(void)
{
	struct caps caps;
	uint64_t bounding = probe_caps(PR_CAPBSET_READ, 0);
	uint64_t ambient = probe_caps(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET);

	if (caps_get(&caps) < 0) {
		show("  caps capget failed: %s", errno_name(errno));
		return;
	}
	show("  caps e=%016" PRIx64 " p=%016" PRIx64 " i=%016" PRIx64,
	     caps.effective, caps.permitted, caps.inheritable);
	show("  caps b=%016" PRIx64 " a=%016" PRIx64, bounding, ambient);
}

static void show_flags(void)
{
	show("  keepcaps=%d securebits=%#x no_new_privs=%d",
	     prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0),
	     (unsigned int)prctl(PR_GET_SECUREBITS, 0, 0, 0, 0),
	     prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
}

void show_state(const char *label)
{
	int saved_errno = errno;

	show("state %s:", label ? label : "now");
	show_uids();
	show_gids();
	show_groups();
	show_caps();
	show_flags();
	errno = saved_errno;
}
