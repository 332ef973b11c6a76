/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * Signals sent to the front end, forwarded to the command.
 *
 * A signal that another process sent with kill(2) (si_code SI_USER or
 * SI_QUEUE) goes on to the command's first process.  A signal from the
 * terminal (SI_KERNEL), such as SIGINT for Ctrl-C, already reached the
 * command because it shares the front end's process group, so it is not
 * sent twice.  The pidfd keeps a recycled process id from receiving it.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core.h"

static const int forwarded_signals[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCONT,
};

#define FORWARDED_COUNT (sizeof(forwarded_signals) / sizeof(int))

static volatile int target_pidfd = -1;

static void forward_signal(int signal, siginfo_t *info, void *context)
{
	int saved_errno = errno;
	int pidfd = target_pidfd;

	(void)context;
	if (pidfd >= 0 &&
	    (info->si_code == SI_USER || info->si_code == SI_QUEUE))
		syscall(SYS_pidfd_send_signal, pidfd, signal, NULL, 0);
	errno = saved_errno;
}

int signals_forward_to(int pidfd)
{
	struct sigaction action = { 0 };

	target_pidfd = pidfd;
	action.sa_sigaction = forward_signal;
	action.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&action.sa_mask);
	for (size_t i = 0; i < FORWARDED_COUNT; i++)
		if (sigaction(forwarded_signals[i], &action, NULL) < 0)
			return -errno;
	return 0;
}

void signals_stop_forwarding(void)
{
	target_pidfd = -1;
}

void signals_reset_in_child(void)
{
	struct sigaction action = { .sa_handler = SIG_DFL };

	for (size_t i = 0; i < FORWARDED_COUNT; i++)
		sigaction(forwarded_signals[i], &action, NULL);
}
