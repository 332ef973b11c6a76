/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * Checks that credentials are per thread, as in the kernel: glibc's
 * setresuid changes every thread of the process (it signals each thread
 * to make the call), while a raw setresuid changes only the calling
 * thread and the threads it creates afterwards.  Starts as root.
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void check(int condition, const char *name)
{
	printf("%s - %s\n", condition ? "ok" : "not ok", name);
	if (!condition)
		failures++;
}

struct ids {
	uid_t real;
	uid_t effective;
	uid_t saved;
};

/* The calling thread's own ids, bypassing any cache of libc. */
static struct ids thread_ids(void)
{
	struct ids ids = { (uid_t)-1, (uid_t)-1, (uid_t)-1 };

	syscall(SYS_getresuid, &ids.real, &ids.effective, &ids.saved);
	return ids;
}

static void *report_ids(void *result)
{
	*(struct ids *)result = thread_ids();
	return NULL;
}

static struct ids ids_of_new_thread(void)
{
	struct ids ids = { 0 };
	pthread_t thread;

	pthread_create(&thread, NULL, report_ids, &ids);
	pthread_join(thread, NULL);
	return ids;
}

/* glibc's setresuid: every thread, new ones included, gets the ids. */
static void check_process_wide(void)
{
	struct ids ids;

	check(setresuid(1000, 1001, 1002) == 0,
	      "glibc setresuid(1000, 1001, 1002) succeeds");
	ids = ids_of_new_thread();
	check(ids.real == 1000, "new thread: real uid 1000");
	check(ids.effective == 1001, "new thread: effective uid 1001");
	check(ids.saved == 1002, "new thread: saved uid 1002");
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int raw_call_done;
static struct ids grandchild_ids;

static void *change_own_ids(void *unused)
{
	long result = syscall(SYS_setresuid, 2000, 2000, 2000);

	check(result == 0, "raw setresuid(2000, 2000, 2000) in a thread");
	grandchild_ids = ids_of_new_thread();
	pthread_mutex_lock(&lock);
	raw_call_done = 1;
	pthread_cond_signal(&changed);
	pthread_mutex_unlock(&lock);
	return NULL;
}

/* A raw setresuid: only the calling thread and its new threads. */
static void check_per_thread(void)
{
	struct ids ids;
	pthread_t thread;

	pthread_create(&thread, NULL, change_own_ids, NULL);
	pthread_mutex_lock(&lock);
	while (!raw_call_done)
		pthread_cond_wait(&changed, &lock);
	pthread_mutex_unlock(&lock);
	ids = thread_ids();
	check(ids.real == 0, "main thread keeps real uid 0");
	check(ids.effective == 0, "main thread keeps effective uid 0");
	check(ids.saved == 0, "main thread keeps saved uid 0");
	check(grandchild_ids.real == 2000,
	      "thread created after the raw call: real uid 2000");
	check(grandchild_ids.effective == 2000,
	      "thread created after the raw call: effective uid 2000");
	pthread_join(thread, NULL);
}

static void in_child(void (*checks)(void))
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		checks();
		fflush(stdout);
		_exit(failures ? 1 : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		failures++;
}

int main(void)
{
	in_child(check_process_wide);
	in_child(check_per_thread);
	return failures ? 1 : 0;
}
