/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * Registers on x86_64, for 64-bit, x32 and i386 tracees alike: a 64-bit
 * tracer always sees struct user_regs_struct.
 */
#include <errno.h>
#include <sys/ptrace.h>

#include "regs.h"

/* The code segment of 32-bit user mode (arch/x86/include/asm/segment.h,
 * __USER32_CS): an i386 tracee runs with it. */
#define USER32_CS 0x23
/* The kernel marks x32 calls with this bit in the system call number. */
#define X32_SYSCALL_BIT 0x40000000

static int set_regs(pid_t tid, const struct call_regs *regs)
{
	return ptrace(PTRACE_SETREGS, tid, NULL, &regs->regs) < 0 ? -errno : 0;
}

int regs_fetch(pid_t tid, struct call_regs *regs)
{
	return ptrace(PTRACE_GETREGS, tid, NULL, &regs->regs) < 0 ? -errno : 0;
}

const struct abi_desc *regs_decode(const struct call_regs *call_regs, long *nr,
				   uint64_t args[6])
{
	const struct user_regs_struct *regs = &call_regs->regs;

	*nr = (long)regs->orig_rax;
	if (regs->cs == USER32_CS) {
		*nr = (uint32_t)regs->orig_rax;
		args[0] = (uint32_t)regs->rbx;
		args[1] = (uint32_t)regs->rcx;
		args[2] = (uint32_t)regs->rdx;
		args[3] = (uint32_t)regs->rsi;
		args[4] = (uint32_t)regs->rdi;
		args[5] = (uint32_t)regs->rbp;
		return abi_find(PSEUDO_ABI_I386);
	}
	args[0] = regs->rdi;
	args[1] = regs->rsi;
	args[2] = regs->rdx;
	args[3] = regs->r10;
	args[4] = regs->r8;
	args[5] = regs->r9;
	return abi_find(*nr & X32_SYSCALL_BIT ? PSEUDO_ABI_X32
					      : PSEUDO_ABI_X86_64);
}

/*
 * A tracer skips a call from a seccomp stop by setting the call number to
 * -1; the caller then gets the value of the return register
 * (seccomp(2), SECCOMP_RET_TRACE).
 */
int regs_skip_call(pid_t tid, struct call_regs *regs, int64_t value)
{
	regs->regs.orig_rax = (unsigned long long)-1;
	regs->regs.rax = (unsigned long long)value;
	return set_regs(tid, regs);
}

int regs_set_args(pid_t tid, struct call_regs *call_regs,
		  const struct abi_desc *abi, const uint64_t args[6])
{
	struct user_regs_struct *regs = &call_regs->regs;

	if (abi->abi == PSEUDO_ABI_I386) {
		regs->rbx = (uint32_t)args[0];
		regs->rcx = (uint32_t)args[1];
		regs->rdx = (uint32_t)args[2];
		regs->rsi = (uint32_t)args[3];
		regs->rdi = (uint32_t)args[4];
		regs->rbp = (uint32_t)args[5];
	} else {
		regs->rdi = args[0];
		regs->rsi = args[1];
		regs->rdx = args[2];
		regs->r10 = args[3];
		regs->r8 = args[4];
		regs->r9 = args[5];
	}
	return set_regs(tid, call_regs);
}

int regs_set_result(pid_t tid, int64_t value)
{
	struct call_regs regs;
	int err = regs_fetch(tid, &regs);

	if (err)
		return err;
	regs.regs.rax = (unsigned long long)value;
	return set_regs(tid, &regs);
}
