/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * Registers of a thread stopped by ptrace at a system call, per host
 * architecture.  Each ptrace request waits until the tracee is off its
 * CPU, so the backend reads the registers once per call and writes them at
 * most once.
 */
#ifndef PSEUDO_REGS_H
#define PSEUDO_REGS_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

#include "core.h"

/* The registers of a stopped thread, as read by regs_fetch(). */
struct call_regs {
	struct user_regs_struct regs;
};

/* Reads the registers of TID.  Returns 0 or -errno. */
int regs_fetch(pid_t tid, struct call_regs *regs);
/*
 * Decodes the call at a seccomp stop: its ABI (NULL when unknown), its
 * number on that ABI and its six arguments, zero-extended.
 */
const struct abi_desc *regs_decode(const struct call_regs *regs, long *nr,
				   uint64_t args[6]);
/* Skips the call, which then returns VALUE to the caller (seccomp(2),
 * SECCOMP_RET_TRACE).  Returns 0 or -errno. */
int regs_skip_call(pid_t tid, struct call_regs *regs, int64_t value);
/* Sets the six argument registers of a call of ABI. */
int regs_set_args(pid_t tid, struct call_regs *regs, const struct abi_desc *abi,
		  const uint64_t args[6]);
/* At a syscall-exit stop: sets the value the call returns. */
int regs_set_result(pid_t tid, int64_t value);

#endif /* PSEUDO_REGS_H */
