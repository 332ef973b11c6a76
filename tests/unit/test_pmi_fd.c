/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* Moving the PMI descriptor to 3 for podman run --preserve-fds=1. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "pmi.h"

/* Closes every descriptor from 3 on, so each case starts alike. */
static int close_from_3(void **state)
{
	(void)state;
	close_range(3, ~0U, 0);
	return 0;
}

/* An open file whose identity (inode) tells descriptors apart. */
static int open_marker(int target_fd)
{
	int fd = memfd_create("marker", 0);

	if (fd != target_fd) {
		dup2(fd, target_fd);
		close(fd);
	}
	return target_fd;
}

static ino_t inode_of(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return 0;
	return st.st_ino;
}

static bool is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

static void moves_fd_9_with_3_to_8_free(void **state)
{
	int pmi = open_marker(9);
	ino_t pmi_inode = inode_of(pmi);
	int moved_to = 0;

	assert_int_equal(pmi_fd_move_to_target(pmi, &moved_to), 0);
	assert_int_equal(moved_to, -1);
	assert_int_equal(inode_of(3), pmi_inode);
	assert_false(is_open(9));
	for (int fd = 4; fd <= 8; fd++)
		assert_false(is_open(fd));
	assert_int_equal(fcntl(3, F_GETFD) & FD_CLOEXEC, 0);
}

static void keeps_old_fd_3_open_elsewhere(void **state)
{
	ino_t old_inodes[3];
	int moved_to = -1;
	int pmi;
	ino_t pmi_inode;

	for (int fd = 3; fd <= 5; fd++) {
		open_marker(fd);
		old_inodes[fd - 3] = inode_of(fd);
	}
	fcntl(3, F_SETFD, FD_CLOEXEC);
	pmi = open_marker(9);
	pmi_inode = inode_of(pmi);
	assert_int_equal(pmi_fd_move_to_target(pmi, &moved_to), 0);
	/* 4 and 5 are taken, so the old 3 goes to 6, the lowest free. */
	assert_int_equal(moved_to, 6);
	assert_int_equal(inode_of(6), old_inodes[0]);
	assert_int_not_equal(fcntl(6, F_GETFD) & FD_CLOEXEC, 0);
	assert_int_equal(inode_of(3), pmi_inode);
	assert_int_equal(fcntl(3, F_GETFD) & FD_CLOEXEC, 0);
	assert_int_equal(inode_of(4), old_inodes[1]);
	assert_int_equal(inode_of(5), old_inodes[2]);
	assert_false(is_open(9));
}

static void leaves_fd_3_in_place(void **state)
{
	int pmi = open_marker(3);
	ino_t pmi_inode = inode_of(pmi);
	int moved_to = 0;

	fcntl(3, F_SETFD, FD_CLOEXEC);
	assert_int_equal(pmi_fd_move_to_target(pmi, &moved_to), 0);
	assert_int_equal(moved_to, -1);
	assert_int_equal(inode_of(3), pmi_inode);
	assert_int_equal(fcntl(3, F_GETFD) & FD_CLOEXEC, 0);
	assert_false(is_open(4));
}

static void parses_valid_and_invalid_values(void **state)
{
	open_marker(7);
	assert_int_equal(pmi_fd_parse("7"), 7);
	assert_int_equal(pmi_fd_parse("8"), -EBADF);
	assert_int_equal(pmi_fd_parse(""), -EINVAL);
	assert_int_equal(pmi_fd_parse("-1"), -EINVAL);
	assert_int_equal(pmi_fd_parse("1"), -EINVAL);
	assert_int_equal(pmi_fd_parse("2"), -EINVAL);
	assert_int_equal(pmi_fd_parse("7x"), -EINVAL);
	assert_int_equal(pmi_fd_parse("99999999999"), -EINVAL);
	assert_int_equal(pmi_fd_parse(NULL), -EINVAL);
}

#define FD_TEST(name)                                                          \
	cmocka_unit_test_setup_teardown(name, close_from_3, close_from_3)

int main(void)
{
	const struct CMUnitTest tests[] = {
		FD_TEST(moves_fd_9_with_3_to_8_free),
		FD_TEST(keeps_old_fd_3_open_elsewhere),
		FD_TEST(leaves_fd_3_in_place),
		FD_TEST(parses_valid_and_invalid_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
