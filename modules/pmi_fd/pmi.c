/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "pmi.h"

int pmi_fd_parse(const char *text)
{
	char *end;
	long value;

	if (!text || *text < '0' || *text > '9')
		return -EINVAL;
	errno = 0;
	value = strtol(text, &end, 10);
	/* 0, 1 and 2 are the standard streams, never a launcher's socket. */
	if (errno || *end || value > INT_MAX || value < 3)
		return -EINVAL;
	if (fcntl((int)value, F_GETFD) < 0)
		return -EBADF;
	return (int)value;
}

static int clear_cloexec(int fd)
{
	int flags = fcntl(fd, F_GETFD);

	if (flags < 0 || fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC) < 0)
		return -errno;
	return 0;
}

/* Moves an open descriptor 3 out of the way, above 3. */
static int move_target_away(int *moved_to)
{
	int flags = fcntl(PMI_TARGET_FD, F_GETFD);
	int copy;

	if (flags < 0)
		return errno == EBADF ? 0 : -errno;
	copy = fcntl(PMI_TARGET_FD,
		     (flags & FD_CLOEXEC) ? F_DUPFD_CLOEXEC : F_DUPFD,
		     PMI_TARGET_FD + 1);
	if (copy < 0)
		return -errno;
	*moved_to = copy;
	return 0;
}

int pmi_fd_move_to_target(int fd, int *moved_to)
{
	int err;

	*moved_to = -1;
	if (fd == PMI_TARGET_FD)
		return clear_cloexec(fd);
	err = move_target_away(moved_to);
	if (err)
		return err;
	/* dup2 replaces descriptor 3 atomically and clears FD_CLOEXEC. */
	if (dup2(fd, PMI_TARGET_FD) < 0)
		return -errno;
	close(fd);
	return 0;
}
