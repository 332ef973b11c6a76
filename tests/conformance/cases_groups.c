/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* Cases of setgroups and getgroups: sizes, order, permissions and bad
 * buffers. */
#include "credsuite.h"

#include <grp.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* NGROUPS_MAX of include/uapi/linux/limits.h. */
#define KERNEL_NGROUPS_MAX 65536

/* The kernel keeps the list sorted, duplicates included. */
static void setgroups_sorts_and_keeps_duplicates(void)
{
	const gid_t groups[] = { 30, 10, 20, 10, 4294967294u, 0 };

	show_setgroups(6, groups);
	show_state("end");
}

static void setgroups_empty_list(void)
{
	gid_t buffer[4] = { 7, 7, 7, 7 };

	show_setgroups(0, NULL);
	CALL(getgroups(0, NULL));
	CALL(getgroups(4, buffer));
	show("buffer %u %u", buffer[0], buffer[1]);
	show_state("end");
}

/* Exactly NGROUPS_MAX groups are allowed; one more is EINVAL, as is a
 * negative size, which the kernel reads as a large unsigned one. */
static void setgroups_max_size(void)
{
	gid_t *groups = calloc(KERNEL_NGROUPS_MAX + 1, sizeof(gid_t));

	for (int i = 0; groups && i <= KERNEL_NGROUPS_MAX; i++)
		groups[i] = (gid_t)(KERNEL_NGROUPS_MAX - i);
	CALL(setgroups(KERNEL_NGROUPS_MAX + 1, groups));
	CALL(setgroups((size_t)-1, groups));
	CALL(setgroups(KERNEL_NGROUPS_MAX, groups));
	show_state("after setgroups(65536, ...)");
	CALL(getgroups(KERNEL_NGROUPS_MAX - 1, groups));
	CALL(getgroups(KERNEL_NGROUPS_MAX, groups));
	show("groups[0]=%u groups[65535]=%u", groups[0],
	     groups[KERNEL_NGROUPS_MAX - 1]);
	free(groups);
}

/* Without CAP_SETGID every setgroups fails with EPERM, checked before
 * the size. */
static void setgroups_unprivileged(void)
{
	const gid_t groups[] = { 1000 };

	drop_to(1000, 1000);
	show_setgroups(1, groups);
	show_setgroups(0, NULL);
	CALL(setgroups(KERNEL_NGROUPS_MAX + 1, NULL));
	show_state("end");
}

/* CAP_SETGID is enough, whatever the uid. */
static void setgroups_with_cap_setgid_as_user(void)
{
	const gid_t groups[] = { 5, 6 };
	uint64_t permitted;

	CALL(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	CALL(setresuid(1000, 1000, 1000));
	permitted = caps_permitted();
	CALL(caps_set(BIT(CAP_SETGID), permitted, 0));
	show_setgroups(2, groups);
	show_state("end");
}

static void setgroups_invalid_gid(void)
{
	const gid_t groups[] = { 5, (gid_t)-1 };

	show_setgroups(2, groups);
	show_state("end");
}

static void getgroups_sizes(void)
{
	const gid_t groups[] = { 3, 1, 2 };
	gid_t buffer[8] = { 0 };

	show_setgroups(3, groups);
	CALL(getgroups(0, NULL));
	CALL(getgroups(0, buffer));
	CALL(getgroups(2, buffer));
	CALL(syscall(SYS_getgroups, -1, buffer));
	CALL(getgroups(3, buffer));
	CALL(getgroups(8, buffer));
	show("buffer %u %u %u %u", buffer[0], buffer[1], buffer[2], buffer[3]);
}

static void getgroups_bad_pointers(void)
{
	const gid_t groups[] = { 3, 1, 2 };

	show_setgroups(3, groups);
	CALL(syscall(SYS_getgroups, 3, NULL));
	CALL(syscall(SYS_getgroups, 3, 1L));
	CALL(syscall(SYS_getgroups, 3, -8L));
	CALL(syscall(SYS_getgroups, 0, 1L));
	CALL(syscall(SYS_getgroups, 2, 1L));
}

/*
 * Returns a pointer to the last SLOTS gids before a page that is not
 * mapped, so that a call that writes or reads more faults in the middle.
 */
static gid_t *before_unmapped_page(int slots)
{
	long page = sysconf(_SC_PAGESIZE);
	char *area = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (area == MAP_FAILED || munmap(area + page, (size_t)page) < 0) {
		show("cannot map the test pages: %s", errno_name(errno));
		return NULL;
	}
	return (gid_t *)(area + page) - slots;
}

/* The kernel writes the groups one by one, so the ones before the fault
 * are written. */
static void getgroups_fault_in_the_middle(void)
{
	const gid_t groups[] = { 10, 20, 30, 40 };
	gid_t *buffer = before_unmapped_page(2);

	if (!buffer)
		return;
	buffer[0] = buffer[1] = 7;
	show_setgroups(4, groups);
	CALL(getgroups(4, buffer));
	show("buffer %u %u", buffer[0], buffer[1]);
}

/* The kernel reads and checks the gids one by one: an invalid gid before
 * the fault is EINVAL, after it EFAULT. */
static void setgroups_fault_in_the_middle(void)
{
	gid_t *buffer = before_unmapped_page(2);

	if (!buffer)
		return;
	buffer[0] = 10;
	buffer[1] = 20;
	CALL(setgroups(3, buffer));
	buffer[1] = (gid_t)-1;
	CALL(setgroups(3, buffer));
	CALL(setgroups(2, NULL));
	CALL(syscall(SYS_setgroups, 0, 1L));
	show_state("end");
}

const struct credsuite_case groups_cases[] = {
	{ "setgroups_sorts_and_keeps_duplicates",
	  setgroups_sorts_and_keeps_duplicates },
	{ "setgroups_empty_list", setgroups_empty_list },
	{ "setgroups_max_size", setgroups_max_size },
	{ "setgroups_unprivileged", setgroups_unprivileged },
	{ "setgroups_with_cap_setgid_as_user",
	  setgroups_with_cap_setgid_as_user },
	{ "setgroups_invalid_gid", setgroups_invalid_gid },
	{ "getgroups_sizes", getgroups_sizes },
	{ "getgroups_bad_pointers", getgroups_bad_pointers },
	{ "getgroups_fault_in_the_middle", getgroups_fault_in_the_middle },
	{ "setgroups_fault_in_the_middle", setgroups_fault_in_the_middle },
	{ NULL, NULL },
};
