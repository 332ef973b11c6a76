/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * pseudo-bench: measures the cost of pseudo's supervisor, natively and
 * under each backend, side by side in one run, and prints a table of
 * medians with the ratio to native.  A benchmark, run by hand; see
 * bench/README.md.
 *
 * Usage: pseudo-bench [--pin] [--runs N] [--calls N] [--forks N]
 *                     [--kernel-build SOURCE_TARBALL]
 *
 * --pin runs everything on CPU 0, which shows the cost of the work itself
 * without the cross-CPU wake-ups that dominate on some virtual machines.
 *
 * Each workload runs in a child of this program, started directly
 * ("native") or through a wrapper command line; the child prints its own
 * elapsed time, so the wrapper's start-up is not counted.
 */
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include "config.h"

/* Linux 6.6; Debian 12's headers predate it. */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP 1UL
#endif

#define MAX_RUNS 64

struct wrapper {
	const char *name;
	/* The command line before the workload, NULL-terminated; empty for
	 * native. */
	const char *argv[8];
};

struct options {
	bool pin;
	int runs;
	long calls;
	long forks;
	const char *kernel_tarball;
};

static char pseudo_path[4096];
static char pseudopod_path[4096];

static const struct wrapper wrappers[] = {
	{ "native", { NULL } },
	{ "ptrace", { pseudo_path, "--root", "--backend=ptrace", NULL } },
	{ "notify", { pseudo_path, "--root", "--backend=notify", NULL } },
	{ "fakeroot", { pseudopod_path, "fakeroot", "--mount-run=off", NULL } },
};

#define WRAPPER_COUNT (sizeof(wrappers) / sizeof(wrappers[0]))

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Workloads, run in the measured child.  Each prints nanoseconds. */

static int work_calls(long nr, long count)
{
	double start = now_ns();

	for (long i = 0; i < count; i++)
		syscall(nr);
	printf("%.1f\n", (now_ns() - start) / count);
	return 0;
}

static int work_fork_exec(long count)
{
	double start = now_ns();

	for (long i = 0; i < count; i++) {
		int status;
		pid_t pid = fork();

		if (pid == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "pseudo-bench: fork+exec failed\n");
			return 1;
		}
	}
	printf("%.1f\n", (now_ns() - start) / count);
	return 0;
}

static int pass_fd(int socket, int fd)
{
	char byte = 0;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	char control[CMSG_SPACE(sizeof(int))] = { 0 };
	struct msghdr message = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control,
		.msg_controllen = sizeof(control),
	};
	struct cmsghdr *header = CMSG_FIRSTHDR(&message);

	header->cmsg_level = SOL_SOCKET;
	header->cmsg_type = SCM_RIGHTS;
	header->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(header), &fd, sizeof(int));
	return sendmsg(socket, &message, 0) == 1 ? 0 : -1;
}

static int take_fd(int socket)
{
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	char control[CMSG_SPACE(sizeof(int))] = { 0 };
	struct msghdr message = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control,
		.msg_controllen = sizeof(control),
	};
	int fd = -1;

	if (recvmsg(socket, &message, 0) == 1 && CMSG_FIRSTHDR(&message))
		memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&message)), sizeof(int));
	return fd;
}

/* The measured process of the notify floor: notifies getuid COUNT times. */
static void __attribute__((noreturn)) notified_loop(int socket, long count)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getuid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog program = { .len = 4, .filter = code };
	double start;
	int listener;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		_exit(1);
	listener = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			   SECCOMP_FILTER_FLAG_NEW_LISTENER, &program);
	if (listener < 0 || pass_fd(socket, listener) < 0)
		_exit(1);
	close(listener);
	start = now_ns();
	for (long i = 0; i < count; i++)
		syscall(SYS_getuid);
	printf("%.1f\n", (now_ns() - start) / count);
	fflush(stdout);
	_exit(0);
}

/*
 * The smallest possible notify supervisor: a loop that receives each
 * notification and answers 0, with synchronous wake-up where the kernel
 * has it.  Its cost per call is the floor of any notify backend on this
 * machine.
 */
static int work_notify_floor(long count)
{
	struct seccomp_notif request;
	struct seccomp_notif_resp response;
	int sockets[2];
	int listener;
	pid_t child;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sockets) < 0)
		return 1;
	child = fork();
	if (child == 0)
		notified_loop(sockets[1], count);
	listener = take_fd(sockets[0]);
	if (listener < 0)
		return 1;
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
	      (unsigned long)SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
	for (long i = 0; i < count; i++) {
		memset(&request, 0, sizeof(request));
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &request) < 0)
			break;
		memset(&response, 0, sizeof(response));
		response.id = request.id;
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &response) < 0)
			break;
	}
	return waitpid(child, NULL, 0) == child ? 0 : 1;
}

static int run_worker(int argc, char **argv)
{
	long count = argc > 3 ? atol(argv[3]) : 0;

	if (argc < 4 || count <= 0)
		return 2;
	if (strcmp(argv[2], "getuid") == 0)
		return work_calls(SYS_getuid, count);
	if (strcmp(argv[2], "getpid") == 0)
		return work_calls(SYS_getpid, count);
	if (strcmp(argv[2], "forkexec") == 0)
		return work_fork_exec(count);
	if (strcmp(argv[2], "notify-floor") == 0)
		return work_notify_floor(count);
	return 2;
}

/* Runs WORKLOAD under WRAPPER and returns the time it printed, or -1. */
static double measure(const struct wrapper *wrapper, const char *workload,
		      long count)
{
	char self[4096];
	char count_text[32];
	const char *argv[16];
	int pipe_fds[2];
	char output[64] = "";
	size_t n = 0;
	int status;
	pid_t pid;
	ssize_t length;

	snprintf(count_text, sizeof(count_text), "%ld", count);
	length = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (length <= 0 || pipe(pipe_fds) < 0)
		return -1;
	self[length] = '\0';
	for (size_t i = 0; wrapper->argv[i]; i++)
		argv[n++] = wrapper->argv[i];
	argv[n++] = self;
	argv[n++] = "--worker";
	argv[n++] = workload;
	argv[n++] = count_text;
	argv[n] = NULL;
	pid = fork();
	if (pid == 0) {
		dup2(pipe_fds[1], STDOUT_FILENO);
		close(pipe_fds[0]);
		close(pipe_fds[1]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(pipe_fds[1]);
	length = read(pipe_fds[0], output, sizeof(output) - 1);
	close(pipe_fds[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0 || length <= 0)
		return -1;
	output[length] = '\0';
	return atof(output);
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a;
	double y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *values, int count)
{
	qsort(values, count, sizeof(*values), compare_doubles);
	if (count % 2)
		return values[count / 2];
	return (values[count / 2 - 1] + values[count / 2]) / 2;
}

/*
 * Measures WORKLOAD under every wrapper, interleaving the runs so that a
 * change of machine load affects all of them alike, and prints a row per
 * wrapper.
 */
static void report(const char *title, const char *workload, long count,
		   const struct options *options, const char *unit)
{
	double samples[WRAPPER_COUNT][MAX_RUNS];
	double medians[WRAPPER_COUNT];

	for (int run = 0; run < options->runs; run++)
		for (size_t w = 0; w < WRAPPER_COUNT; w++)
			samples[w][run] =
				measure(&wrappers[w], workload, count);
	printf("\n%s (%ld per run, median of %d runs)\n", title, count,
	       options->runs);
	printf("  %-10s %14s %10s\n", "", unit, "x native");
	for (size_t w = 0; w < WRAPPER_COUNT; w++) {
		bool failed = false;

		for (int run = 0; run < options->runs; run++)
			failed |= samples[w][run] < 0;
		if (failed) {
			printf("  %-10s %14s\n", wrappers[w].name, "failed");
			medians[w] = -1;
			continue;
		}
		medians[w] = median(samples[w], options->runs);
		printf("  %-10s %14.1f %10.2f\n", wrappers[w].name, medians[w],
		       medians[0] > 0 ? medians[w] / medians[0] : 0.0);
	}
	if (medians[1] > 0 && medians[2] > 0)
		printf("  notify / ptrace: %.2f\n", medians[2] / medians[1]);
}

/* The minimal notify loop, measured natively only. */
static void report_floor(const struct options *options)
{
	double samples[MAX_RUNS];
	bool failed = false;

	for (int run = 0; run < options->runs; run++) {
		samples[run] =
			measure(&wrappers[0], "notify-floor", options->calls);
		failed |= samples[run] < 0;
	}
	if (failed) {
		printf("  %-10s %14s\n", "floor", "failed");
		return;
	}
	printf("  %-10s %14.1f   (a minimal notify loop, no pseudo)\n", "floor",
	       median(samples, options->runs));
}

/* Runs COMMAND with sh -c and returns its wall-clock seconds, or -1. */
static double time_command(const char *command)
{
	double start = now_ns();

	if (system(command) != 0)
		return -1;
	return (now_ns() - start) / 1e9;
}

/*
 * Builds a tinyconfig Linux kernel from TARBALL (Debian's linux-source
 * package) natively and under each wrapper, and prints the wall-clock time
 * of "make" alone: the sources are unpacked and configured beforehand,
 * in a fresh directory for each build, untimed.
 */
static void report_kernel_build(const char *tarball)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	char command[8192];
	char dir[] = "/tmp/pseudo-bench-kernel.XXXXXX";
	double seconds[WRAPPER_COUNT];

	printf("\ntinyconfig kernel build of %s (make -j%ld; unpacking and "
	       "configuring not timed)\n",
	       tarball, cpus);
	for (size_t w = 0; w < WRAPPER_COUNT; w++) {
		char prefix[4096] = "";

		for (size_t i = 0; wrappers[w].argv[i]; i++) {
			strncat(prefix, wrappers[w].argv[i],
				sizeof(prefix) - strlen(prefix) - 2);
			strcat(prefix, " ");
		}
		strcpy(dir, "/tmp/pseudo-bench-kernel.XXXXXX");
		if (!mkdtemp(dir)) {
			printf("  %-10s %14s\n", wrappers[w].name, "failed");
			continue;
		}
		snprintf(command, sizeof(command),
			 "tar -C '%s' -xf '%s' && cd '%s'/linux* && "
			 "make -s tinyconfig >/dev/null",
			 dir, tarball, dir);
		seconds[w] = time_command(command) < 0 ? -1 : 0;
		if (seconds[w] == 0) {
			snprintf(
				command, sizeof(command),
				"cd '%s'/linux* && %s make -s -j%ld >/dev/null "
				"2>&1",
				dir, prefix, cpus);
			seconds[w] = time_command(command);
		}
		snprintf(command, sizeof(command), "rm -rf '%s'", dir);
		if (system(command) != 0)
			fprintf(stderr, "pseudo-bench: cannot remove %s\n",
				dir);
		if (seconds[w] < 0)
			printf("  %-10s %14s\n", wrappers[w].name, "failed");
		else
			printf("  %-10s %12.1f s %10.2f\n", wrappers[w].name,
			       seconds[w],
			       seconds[0] > 0 ? seconds[w] / seconds[0] : 0.0);
	}
}

static int parse_options(int argc, char **argv, struct options *options)
{
	*options = (struct options){
		.runs = 5,
		.calls = 200000,
		.forks = 1000,
	};
	for (int i = 1; i < argc; i++) {
		const char *value = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(argv[i], "--pin") == 0) {
			options->pin = true;
			continue;
		}
		if (!value)
			return -EINVAL;
		if (strcmp(argv[i], "--runs") == 0)
			options->runs = atoi(value);
		else if (strcmp(argv[i], "--calls") == 0)
			options->calls = atol(value);
		else if (strcmp(argv[i], "--forks") == 0)
			options->forks = atol(value);
		else if (strcmp(argv[i], "--kernel-build") == 0)
			options->kernel_tarball = value;
		else
			return -EINVAL;
		i++;
	}
	if (options->runs < 1 || options->runs > MAX_RUNS ||
	    options->calls < 1 || options->forks < 1)
		return -EINVAL;
	return 0;
}

int main(int argc, char **argv)
{
	struct options options;

	if (argc > 1 && strcmp(argv[1], "--worker") == 0)
		return run_worker(argc, argv);
	if (parse_options(argc, argv, &options)) {
		fprintf(stderr,
			"usage: pseudo-bench [--pin] [--runs N (1-%d)] "
			"[--calls N] [--forks N] [--kernel-build "
			"SOURCE_TARBALL]\n",
			MAX_RUNS);
		return 2;
	}
	if (options.pin) {
		cpu_set_t cpus;

		CPU_ZERO(&cpus);
		CPU_SET(0, &cpus);
		if (sched_setaffinity(0, sizeof(cpus), &cpus) < 0) {
			perror("pseudo-bench: sched_setaffinity");
			return 1;
		}
	}
	snprintf(pseudo_path, sizeof(pseudo_path), "%s/pseudo/pseudo",
		 PSEUDO_BUILD_ROOT);
	snprintf(pseudopod_path, sizeof(pseudopod_path),
		 "%s/pseudopod/pseudopod", PSEUDO_BUILD_ROOT);
	printf("pseudo-bench: %ld CPUs%s; fakeroot is pseudopod fakeroot, "
	       "whose filter does not stop getuid\n",
	       sysconf(_SC_NPROCESSORS_ONLN),
	       options.pin ? ", everything pinned to CPU 0" : "");
	report("getuid, an emulated call", "getuid", options.calls, &options,
	       "ns per call");
	report_floor(&options);
	report("getpid, a call no module names", "getpid", options.calls,
	       &options, "ns per call");
	report("fork + exec of /bin/true", "forkexec", options.forks, &options,
	       "ns per fork");
	if (options.kernel_tarball)
		report_kernel_build(options.kernel_tarball);
	return 0;
}
