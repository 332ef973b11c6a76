/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * Running a call as a traced thread would: in its root directory, from its
 * working directory or descriptor, with the capabilities it has in its
 * user namespace.  Backends that cannot change a call's arguments use
 * this to get the kernel's own answer.
 *
 * A helper process per user namespace joins that namespace, which gives it
 * the same capabilities as the namespace's root, and serves requests over
 * a socket.  Each request carries the thread's root and starting directory
 * as O_PATH descriptors of its /proc/TID/root and /proc/TID/cwd or
 * /proc/TID/fd/N: a lookup from them walks the thread's mounts, and
 * chroot() to its root keeps ".." and absolute symbolic links inside it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core.h"

#define MAX_HELPERS 16

struct chown_request {
	uint32_t uid;
	uint32_t gid;
	int32_t flags;
	char path[PATH_MAX];
};

struct helper {
	dev_t dev;
	ino_t ino;
	pid_t pid;
	int socket;
};

static struct helper helpers[MAX_HELPERS];
static size_t helper_count;

/* Receives a request; returns false when the supervisor is gone. */
static bool receive_request(int socket, struct chown_request *request,
			    int fds[2])
{
	if (fd_receive(socket, request, sizeof(*request), fds, 2))
		return false;
	request->path[PATH_MAX - 1] = '\0';
	return true;
}

/*
 * The helper's loop.  It was forked from a supervisor that may have other
 * threads, so it makes system calls only: no allocation.
 */
static void __attribute__((noreturn)) serve_requests(int socket)
{
	int host_root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct chown_request request;
	int fds[2];

	while (receive_request(socket, &request, fds)) {
		int32_t result = 0;

		if (fchdir(fds[0]) < 0 || chroot(".") < 0)
			result = -errno;
		else if (fchownat(fds[1], request.path, request.uid,
				  request.gid, request.flags) < 0)
			result = -errno;
		/* Back to the host's root, which the descriptor still
		 * names after chroot. */
		if (fchdir(host_root) < 0 || chroot(".") < 0)
			_exit(1);
		close(fds[0]);
		close(fds[1]);
		if (send(socket, &result, sizeof(result), MSG_NOSIGNAL) !=
		    sizeof(result))
			break;
	}
	_exit(0);
}

/* Starts a helper in the user namespace of TID. */
static int start_helper(pid_t tid, struct helper *helper)
{
	char path[64];
	int sockets[2];
	int userns;
	pid_t pid;

	snprintf(path, sizeof(path), "/proc/%d/ns/user", tid);
	userns = open(path, O_RDONLY | O_CLOEXEC);
	if (userns < 0)
		return -errno;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets) <
	    0) {
		close(userns);
		return -errno;
	}
	pid = fork();
	if (pid == 0) {
		close(sockets[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (setns(userns, CLONE_NEWUSER) < 0)
			_exit(1);
		close(userns);
		serve_requests(sockets[1]);
	}
	close(userns);
	close(sockets[1]);
	if (pid < 0) {
		close(sockets[0]);
		return -errno;
	}
	helper->pid = pid;
	helper->socket = sockets[0];
	return 0;
}

static struct helper *helper_for(pid_t tid)
{
	char path[64];
	struct stat st;
	struct helper *helper;

	snprintf(path, sizeof(path), "/proc/%d/ns/user", tid);
	if (stat(path, &st) < 0)
		return NULL;
	for (size_t i = 0; i < helper_count; i++)
		if (helpers[i].dev == st.st_dev && helpers[i].ino == st.st_ino)
			return &helpers[i];
	if (helper_count == MAX_HELPERS) {
		/* Replace the oldest: its namespace is likely gone. */
		close(helpers[0].socket);
		kill(helpers[0].pid, SIGKILL);
		waitpid(helpers[0].pid, NULL, 0);
		memmove(&helpers[0], &helpers[1],
			(MAX_HELPERS - 1) * sizeof(helpers[0]));
		helper_count--;
	}
	helper = &helpers[helper_count];
	if (start_helper(tid, helper) < 0)
		return NULL;
	helper->dev = st.st_dev;
	helper->ino = st.st_ino;
	helper_count++;
	return helper;
}

/* Whether descriptor FD of TID was opened with O_PATH, which fchown and
 * fchownat with AT_EMPTY_PATH reject with EBADF. */
static bool is_path_descriptor(pid_t tid, int fd)
{
	char path[64];
	char line[128];
	unsigned int flags = 0;
	FILE *file;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", tid, fd);
	file = fopen(path, "re");
	if (!file)
		return false;
	while (fgets(line, sizeof(line), file))
		if (sscanf(line, "flags: %o", &flags) == 1)
			break;
	fclose(file);
	return flags & O_PATH;
}

PSEUDO_API int pseudo_tracee_fchownat(const struct pseudo_call *call, int dirfd,
				      const char *path, uint32_t uid,
				      uint32_t gid, int flags)
{
	struct chown_request request = {
		.uid = uid,
		.gid = gid,
		.flags = flags,
	};
	char root_path[64];
	struct helper *helper;
	int32_t result;
	int fds[2] = { -1, -1 };
	int err;

	if (strlen(path) >= sizeof(request.path))
		return -ENAMETOOLONG;
	strcpy(request.path, path);
	if (dirfd != AT_FDCWD && !*path && (flags & AT_EMPTY_PATH) &&
	    is_path_descriptor(call->tid, dirfd))
		return -EBADF;
	snprintf(root_path, sizeof(root_path), "/proc/%d/root", call->tid);
	fds[0] = open(root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	fds[1] = pseudo_tracee_open_dirfd(call, dirfd);
	helper = helper_for(call->tid);
	if (fds[0] < 0 || fds[1] < 0 || !helper) {
		err = fds[1] == -EBADF ? -EBADF : -ESRCH;
		goto out;
	}
	err = fd_send(helper->socket, &request, sizeof(request), fds, 2);
	if (!err &&
	    recv(helper->socket, &result, sizeof(result), 0) != sizeof(result))
		err = -EIO;
	if (!err)
		err = result;
out:
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	return err;
}
