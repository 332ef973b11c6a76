/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* The notify backend: seccomp user notification. */
#ifndef PSEUDO_NOTIFY_H
#define PSEUDO_NOTIFY_H

#include <stdbool.h>
#include <sys/types.h>

#include "core.h"

struct notify_config {
	const struct syscall_table *table;
	const struct module_list *modules;
	pid_t child;
	int child_pidfd;
	/* The filter's listener descriptor, from the command's process. */
	int listener;
};

/* Whether the kernel supports SECCOMP_RET_USER_NOTIF. */
bool notify_available(void);
/* The seccomp(2) flags for the command's filter. */
unsigned int notify_filter_flags(bool killable_wait);
/* Serves the calls until every task using the filter exited.  Stores the
 * command's wait status in *STATUS.  Returns 0 or a negative error
 * number. */
int notify_serve(const struct notify_config *config, int *status);

#endif /* PSEUDO_NOTIFY_H */
