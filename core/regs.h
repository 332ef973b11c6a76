/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * Registers of a thread stopped by ptrace at a system call, per host
 * architecture.  Arguments and results are read through
 * PTRACE_GET_SYSCALL_INFO, which is architecture neutral; only writing
 * them needs the register layout.
 */
#ifndef PSEUDO_REGS_H
#define PSEUDO_REGS_H

#include <stdint.h>
#include <sys/types.h>

#include "core.h"

/*
 * At a seccomp stop: skips the call, which then returns VALUE to the
 * caller.  Returns 0 or -errno.
 */
int regs_skip_call(pid_t tid, int64_t value);
/* At a seccomp stop: sets the six argument registers of a call of ABI. */
int regs_set_args(pid_t tid, const struct abi_desc *abi,
		  const uint64_t args[6]);
/* At a syscall-exit stop: sets the value the call returns. */
int regs_set_result(pid_t tid, int64_t value);

#endif /* PSEUDO_REGS_H */
