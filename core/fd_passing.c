/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * Passing descriptors over a Unix socket (SCM_RIGHTS).  Neither function
 * allocates, so a process forked from the multi-threaded supervisor may
 * call them.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "core.h"

#define MAX_PASSED_FDS 4

/* The ancillary buffer for up to MAX_PASSED_FDS descriptors. */
union fd_control {
	struct cmsghdr header;
	char buf[CMSG_SPACE(MAX_PASSED_FDS * sizeof(int))];
};

int fd_send(int socket, const void *data, size_t size, const int *fds,
	    size_t count)
{
	struct iovec iov = { .iov_base = (void *)data, .iov_len = size };
	union fd_control control = { 0 };
	struct msghdr message = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = CMSG_SPACE(count * sizeof(int)),
	};
	struct cmsghdr *header = CMSG_FIRSTHDR(&message);

	if (!count || count > MAX_PASSED_FDS)
		return -EINVAL;
	header->cmsg_level = SOL_SOCKET;
	header->cmsg_type = SCM_RIGHTS;
	header->cmsg_len = CMSG_LEN(count * sizeof(int));
	memcpy(CMSG_DATA(header), fds, count * sizeof(int));
	if (sendmsg(socket, &message, MSG_NOSIGNAL) != (ssize_t)size)
		return errno ? -errno : -EIO;
	return 0;
}

int fd_receive(int socket, void *data, size_t size, int *fds, size_t count)
{
	struct iovec iov = { .iov_base = data, .iov_len = size };
	union fd_control control = { 0 };
	struct msghdr message = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = CMSG_SPACE(count * sizeof(int)),
	};
	struct cmsghdr *header;

	for (size_t i = 0; i < count; i++)
		fds[i] = -1;
	if (!count || count > MAX_PASSED_FDS ||
	    recvmsg(socket, &message, MSG_CMSG_CLOEXEC) != (ssize_t)size)
		return -EIO;
	header = CMSG_FIRSTHDR(&message);
	if (!header || header->cmsg_level != SOL_SOCKET ||
	    header->cmsg_type != SCM_RIGHTS ||
	    header->cmsg_len != CMSG_LEN(count * sizeof(int)))
		return -EIO;
	memcpy(fds, CMSG_DATA(header), count * sizeof(int));
	return 0;
}
