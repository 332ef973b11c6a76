/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * Registers on x86_64, for 64-bit, x32 and i386 tracees alike: a 64-bit
 * tracer always sees struct user_regs_struct.
 */
#include <errno.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "regs.h"

static int get_regs(pid_t tid, struct user_regs_struct *regs)
{
	return ptrace(PTRACE_GETREGS, tid, NULL, regs) < 0 ? -errno : 0;
}

static int set_regs(pid_t tid, const struct user_regs_struct *regs)
{
	return ptrace(PTRACE_SETREGS, tid, NULL, regs) < 0 ? -errno : 0;
}

/*
 * A tracer skips a call from a seccomp stop by setting the call number to
 * -1; the caller then gets the value of the return register
 * (seccomp(2), SECCOMP_RET_TRACE).
 */
int regs_skip_call(pid_t tid, int64_t value)
{
	struct user_regs_struct regs;
	int err = get_regs(tid, &regs);

	if (err)
		return err;
	regs.orig_rax = (unsigned long long)-1;
	regs.rax = (unsigned long long)value;
	return set_regs(tid, &regs);
}

int regs_set_args(pid_t tid, const struct abi_desc *abi, const uint64_t args[6])
{
	struct user_regs_struct regs;
	int err = get_regs(tid, &regs);

	if (err)
		return err;
	if (abi->abi == PSEUDO_ABI_I386) {
		regs.rbx = (uint32_t)args[0];
		regs.rcx = (uint32_t)args[1];
		regs.rdx = (uint32_t)args[2];
		regs.rsi = (uint32_t)args[3];
		regs.rdi = (uint32_t)args[4];
		regs.rbp = (uint32_t)args[5];
	} else {
		regs.rdi = args[0];
		regs.rsi = args[1];
		regs.rdx = args[2];
		regs.r10 = args[3];
		regs.r8 = args[4];
		regs.r9 = args[5];
	}
	return set_regs(tid, &regs);
}

int regs_set_result(pid_t tid, int64_t value)
{
	struct user_regs_struct regs;
	int err = get_regs(tid, &regs);

	if (err)
		return err;
	regs.rax = (unsigned long long)value;
	return set_regs(tid, &regs);
}
