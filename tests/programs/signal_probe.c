/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * Calls getuid in a loop while a child process sends it SIGUSR1 at a fixed
 * rate, and counts the calls that failed with EINTR, which getuid never
 * does natively.  The handler is installed with SA_RESTART or without.
 *
 * Usage: signal_probe restart|norestart SECONDS RATE
 * Output: one line "calls C signals S eintr E other_errors O".
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t signals_received;

static void count_signal(int signal)
{
	(void)signal;
	signals_received++;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Sends SIGUSR1 to TARGET RATE times a second for SECONDS seconds. */
static void __attribute__((noreturn))
send_signals(pid_t target, double seconds, long rate)
{
	struct timespec next;
	long interval = 1000000000L / rate;
	double end = now() + seconds;

	clock_gettime(CLOCK_MONOTONIC, &next);
	while (now() < end) {
		next.tv_nsec += interval;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000L;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		kill(target, SIGUSR1);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	struct sigaction action = { .sa_handler = count_signal };
	long calls = 0;
	long eintr = 0;
	long other = 0;
	double seconds;
	long rate;
	pid_t sender;

	if (argc != 4 ||
	    (strcmp(argv[1], "restart") && strcmp(argv[1], "norestart"))) {
		fprintf(stderr,
			"usage: signal_probe restart|norestart SECONDS RATE\n");
		return 2;
	}
	seconds = atof(argv[2]);
	rate = atol(argv[3]);
	if (seconds <= 0 || rate <= 0) {
		fprintf(stderr, "signal_probe: invalid duration or rate\n");
		return 2;
	}
	action.sa_flags = strcmp(argv[1], "restart") == 0 ? SA_RESTART : 0;
	sigemptyset(&action.sa_mask);
	sigaction(SIGUSR1, &action, NULL);
	sender = fork();
	if (sender == 0)
		send_signals(getppid(), seconds, rate);
	while (waitpid(sender, NULL, WNOHANG) == 0) {
		long result = syscall(SYS_getuid);

		calls++;
		if (result == -1 && errno == EINTR)
			eintr++;
		else if (result == -1)
			other++;
	}
	printf("calls %ld signals %ld eintr %ld other_errors %ld\n", calls,
	       (long)signals_received, eintr, other);
	return 0;
}
