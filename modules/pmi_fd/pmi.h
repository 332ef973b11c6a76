/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* Moving an MPI launcher's PMI descriptor to descriptor 3. */
#ifndef PSEUDO_PMI_H
#define PSEUDO_PMI_H

/* The descriptor podman run --preserve-fds=1 passes into the container. */
#define PMI_TARGET_FD 3

/*
 * Parses the value of PMI_FD.  Returns the descriptor, or -EINVAL when
 * TEXT is not a decimal number in [3, INT_MAX], or -EBADF when that
 * descriptor is not open.
 */
int pmi_fd_parse(const char *text);

/*
 * Makes descriptor 3 refer to what FD refers to, open across execve, and
 * closes FD.  A descriptor already open at 3 first moves to the lowest
 * free descriptor above 3, keeping its close-on-exec flag; its new number
 * is stored in *MOVED_TO (-1 when 3 was free or is FD itself).  Returns 0
 * or a negative error number.
 */
int pmi_fd_move_to_target(int fd, int *moved_to);

#endif /* PSEUDO_PMI_H */
