/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* Helpers of the credsuite cases: capabilities, processes, threads and
 * set-ID copies of the suite's executable. */
#include "credsuite.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Capabilities. */

int caps_get(struct caps *caps)
{
	struct __user_cap_header_struct header = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &header, data) < 0)
		return -1;
	caps->effective = data[0].effective | (uint64_t)data[1].effective << 32;
	caps->permitted = data[0].permitted | (uint64_t)data[1].permitted << 32;
	caps->inheritable = data[0].inheritable | (uint64_t)data[1].inheritable
							  << 32;
	return 0;
}

int caps_set(uint64_t effective, uint64_t permitted, uint64_t inheritable)
{
	struct __user_cap_header_struct header = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = {
		{ .effective = (uint32_t)effective,
		  .permitted = (uint32_t)permitted,
		  .inheritable = (uint32_t)inheritable },
		{ .effective = (uint32_t)(effective >> 32),
		  .permitted = (uint32_t)(permitted >> 32),
		  .inheritable = (uint32_t)(inheritable >> 32) },
	};

	return (int)syscall(SYS_capset, &header, data);
}

uint64_t caps_permitted(void)
{
	struct caps caps;

	return caps_get(&caps) < 0 ? 0 : caps.permitted;
}

/* Ids. */

void show_setgroups(int count, const gid_t *list)
{
	char text[256];
	size_t used;
	int result;

	used = (size_t)snprintf(text, sizeof(text), "setgroups(%d, {", count);
	for (int i = 0; list && i < count && used < sizeof(text); i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used,
					 "%s%u", i ? ", " : "", list[i]);
	if (used < sizeof(text))
		snprintf(text + used, sizeof(text) - used, "})");
	errno = 0;
	result = setgroups((size_t)count, list);
	show_result(text, result, errno);
}

void drop_to(uid_t uid, gid_t gid)
{
	char text[64];
	int result;

	show_setgroups(1, &gid);
	snprintf(text, sizeof(text), "setresgid(%u, %u, %u)", gid, gid, gid);
	errno = 0;
	result = setresgid(gid, gid, gid);
	show_result(text, result, errno);
	snprintf(text, sizeof(text), "setresuid(%u, %u, %u)", uid, uid, uid);
	errno = 0;
	result = setresuid(uid, uid, uid);
	show_result(text, result, errno);
}

/* Processes. */

void show_wait(const char *label, pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			show("%s: waitpid failed: %s", label,
			     errno_name(errno));
			return;
		}
	}
	if (WIFEXITED(status))
		show("%s exit %d", label, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		show("%s killed by SIG%s", label,
		     sigabbrev_np(WTERMSIG(status)));
	else
		show("%s ended with status %#x", label, (unsigned int)status);
}

void run_in_fork(void (*fn)(void))
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		show("fork failed: %s", errno_name(errno));
		return;
	}
	if (pid == 0) {
		fn();
		fflush(stdout);
		_exit(0);
	}
	show_wait("child", pid);
}

static char self[4096];

const char *self_path(void)
{
	ssize_t length;

	if (self[0])
		return self;
	length = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (length < 0)
		length = 0;
	self[length] = '\0';
	return self;
}

void self_argv(const char *path, const char *label, char *argv[4])
{
	argv[0] = (char *)(path ? path : self_path());
	argv[1] = (char *)"--after-exec";
	argv[2] = (char *)label;
	argv[3] = NULL;
}

void exec_self(const char *path, const char *label)
{
	char *argv[4];

	self_argv(path, label, argv);
	fflush(stdout);
	execv(argv[0], argv);
	show("execve failed: %s", errno_name(errno));
	fflush(stdout);
	_exit(127);
}

/* Set-ID copies. */

static char scratch[4096];

void set_scratch_dir(const char *dir)
{
	snprintf(scratch, sizeof(scratch), "%s", dir);
}

const char *scratch_dir(void)
{
	return scratch;
}

static int copy_file(int from, int to)
{
	struct stat st;
	off_t offset = 0;

	if (fstat(from, &st) < 0)
		return -1;
	while (offset < st.st_size) {
		ssize_t sent = sendfile(to, from, &offset,
					(size_t)(st.st_size - offset));

		if (sent <= 0)
			return -1;
	}
	return 0;
}

const char *setid_copy(const char *dir, mode_t mode)
{
	static char path[sizeof(scratch) + 64];
	int from, to, error = 0;

	snprintf(path, sizeof(path), "%s/copy-%o-%d", dir ? dir : scratch,
		 (unsigned int)mode, (int)getpid());
	from = open(self_path(), O_RDONLY | O_CLOEXEC);
	to = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	if (from < 0 || to < 0 || copy_file(from, to) < 0 ||
	    fchmod(to, mode) < 0)
		error = errno;
	if (from >= 0)
		close(from);
	if (to >= 0 && close(to) < 0 && !error)
		error = errno;
	if (error) {
		show("cannot copy the suite with mode %o: %s",
		     (unsigned int)mode, errno_name(error));
		return NULL;
	}
	return path;
}

const char *setid_script(const char *interpreter, mode_t mode)
{
	static char path[sizeof(scratch) + 64];
	FILE *file;
	int error = 0;

	snprintf(path, sizeof(path), "%s/script-%o-%d", scratch,
		 (unsigned int)mode, (int)getpid());
	file = fopen(path, "wex");
	if (!file || fprintf(file, "#!%s\n", interpreter) < 0 ||
	    fchmod(fileno(file), mode) < 0)
		error = errno;
	if (file && fclose(file) < 0 && !error)
		error = errno;
	if (error) {
		show("cannot write a script with mode %o: %s",
		     (unsigned int)mode, errno_name(error));
		return NULL;
	}
	return path;
}

/* Threads. */

struct worker {
	pthread_t thread;
	sem_t go, done;
	void (*fn)(void);
	pid_t tid;
	bool stop;
};

static void *worker_main(void *arg)
{
	struct worker *worker = arg;

	worker->tid = gettid();
	sem_post(&worker->done);
	for (;;) {
		sem_wait(&worker->go);
		if (worker->stop)
			return NULL;
		worker->fn();
		fflush(stdout);
		sem_post(&worker->done);
	}
}

struct worker *worker_start(void)
{
	struct worker *worker = calloc(1, sizeof(*worker));

	if (!worker || sem_init(&worker->go, 0, 0) ||
	    sem_init(&worker->done, 0, 0) ||
	    pthread_create(&worker->thread, NULL, worker_main, worker)) {
		show("cannot start a thread");
		fflush(stdout);
		_exit(1);
	}
	sem_wait(&worker->done);
	return worker;
}

void worker_run(struct worker *worker, void (*fn)(void))
{
	fflush(stdout);
	worker->fn = fn;
	sem_post(&worker->go);
	while (sem_wait(&worker->done) < 0 && errno == EINTR)
		continue;
}

pid_t worker_tid(const struct worker *worker)
{
	return worker->tid;
}

void worker_stop(struct worker *worker)
{
	worker->stop = true;
	sem_post(&worker->go);
	pthread_join(worker->thread, NULL);
	sem_destroy(&worker->go);
	sem_destroy(&worker->done);
	free(worker);
}
