/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * pseudo-bench: measures the cost of pseudo's supervisor, natively and
 * under each backend, side by side in one run, and prints a table of
 * medians with the ratio to native.  A benchmark, run by hand; see
 * bench/README.md.
 *
 * Usage: pseudo-bench [--runs N] [--calls N] [--forks N]
 *                     [--kernel-build SOURCE_TARBALL]
 *
 * Each workload runs in a child of this program, started directly
 * ("native") or through a wrapper command line; the child prints its own
 * elapsed time, so the wrapper's start-up is not counted.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"

#define MAX_RUNS 64

struct wrapper {
	const char *name;
	/* The command line before the workload, NULL-terminated; empty for
	 * native. */
	const char *argv[8];
};

struct options {
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

/*
 * Builds a tinyconfig Linux kernel from TARBALL (Debian's linux-source
 * package) in a fresh directory, natively and under each backend, and
 * prints the wall-clock times.
 */
static void report_kernel_build(const char *tarball)
{
	char command[8192];
	double seconds[WRAPPER_COUNT];

	printf("\ntinyconfig kernel build of %s (make -j%ld)\n", tarball,
	       sysconf(_SC_NPROCESSORS_ONLN));
	for (size_t w = 0; w < WRAPPER_COUNT; w++) {
		char prefix[4096] = "";
		double start;
		int status;

		for (size_t i = 0; wrappers[w].argv[i]; i++) {
			strncat(prefix, wrappers[w].argv[i],
				sizeof(prefix) - strlen(prefix) - 2);
			strcat(prefix, " ");
		}
		snprintf(command, sizeof(command),
			 "set -e; dir=$(mktemp -d); trap 'rm -rf \"$dir\"' "
			 "EXIT; tar -C \"$dir\" -xf '%s'; cd \"$dir\"/linux*; "
			 "make -s tinyconfig >/dev/null; %s make -s -j%ld "
			 ">/dev/null 2>&1",
			 tarball, prefix, sysconf(_SC_NPROCESSORS_ONLN));
		start = now_ns();
		status = system(command);
		seconds[w] = status == 0 ? (now_ns() - start) / 1e9 : -1;
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
			"usage: pseudo-bench [--runs N (1-%d)] [--calls N] "
			"[--forks N] [--kernel-build SOURCE_TARBALL]\n",
			MAX_RUNS);
		return 2;
	}
	snprintf(pseudo_path, sizeof(pseudo_path), "%s/pseudo/pseudo",
		 PSEUDO_BUILD_ROOT);
	snprintf(pseudopod_path, sizeof(pseudopod_path),
		 "%s/pseudopod/pseudopod", PSEUDO_BUILD_ROOT);
	printf("pseudo-bench: %ld CPUs; fakeroot is pseudopod fakeroot, whose "
	       "filter does not stop getuid\n",
	       sysconf(_SC_NPROCESSORS_ONLN));
	report("getuid, an emulated call", "getuid", options.calls, &options,
	       "ns per call");
	report("getpid, a call no module names", "getpid", options.calls,
	       &options, "ns per call");
	report("fork + exec of /bin/true", "forkexec", options.forks, &options,
	       "ns per fork");
	if (options.kernel_tarball)
		report_kernel_build(options.kernel_tarball);
	return 0;
}
