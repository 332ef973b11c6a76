/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* The system call ABIs the host kernel runs. */
#include <errno.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <stdbool.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core.h"

/* The kernel marks x32 calls with this bit in the system call number. */
#define X32_SYSCALL_BIT 0x40000000

static const struct abi_desc known_abis[] = {
	{ PSEUDO_ABI_X86_64, SCMP_ARCH_X86_64, "x86_64", 8 },
	{ PSEUDO_ABI_I386, SCMP_ARCH_X86, "i386", 4 },
	{ PSEUDO_ABI_X32, SCMP_ARCH_X32, "x32", 8 },
	{ PSEUDO_ABI_AARCH64, SCMP_ARCH_AARCH64, "aarch64", 8 },
	{ PSEUDO_ABI_ARM, SCMP_ARCH_ARM, "arm", 4 },
};

const struct abi_desc *abi_find(enum pseudo_abi abi)
{
	for (size_t i = 0; i < sizeof(known_abis) / sizeof(known_abis[0]); i++)
		if (known_abis[i].abi == abi)
			return &known_abis[i];
	return NULL;
}

/*
 * Kernels built with CONFIG_X86_X32_ABI may still disable it at boot
 * (syscall.x32=n); a disabled x32 call fails with ENOSYS before any system
 * call runs, so getpid tells whether it is enabled.
 */
static bool x32_enabled(void)
{
#if defined(__x86_64__)
	long result = syscall(X32_SYSCALL_BIT | SYS_getpid);

	return !(result == -1 && errno == ENOSYS);
#else
	return false;
#endif
}

size_t abi_host_list(const struct abi_desc **abis, size_t max)
{
	uint32_t native = seccomp_arch_native();
	size_t count = 0;

	if (native == SCMP_ARCH_X86_64) {
		if (count < max)
			abis[count++] = abi_find(PSEUDO_ABI_X86_64);
		if (count < max)
			abis[count++] = abi_find(PSEUDO_ABI_I386);
		if (x32_enabled() && count < max)
			abis[count++] = abi_find(PSEUDO_ABI_X32);
	} else if (native == SCMP_ARCH_AARCH64) {
		if (count < max)
			abis[count++] = abi_find(PSEUDO_ABI_AARCH64);
		if (count < max)
			abis[count++] = abi_find(PSEUDO_ABI_ARM);
	} else if (native == SCMP_ARCH_X86) {
		if (count < max)
			abis[count++] = abi_find(PSEUDO_ABI_I386);
	}
	return count;
}

const struct abi_desc *abi_from_audit(uint32_t arch, long nr)
{
	switch (arch) {
	case AUDIT_ARCH_X86_64:
		if (nr & X32_SYSCALL_BIT)
			return abi_find(PSEUDO_ABI_X32);
		return abi_find(PSEUDO_ABI_X86_64);
	case AUDIT_ARCH_I386:
		return abi_find(PSEUDO_ABI_I386);
	case AUDIT_ARCH_AARCH64:
		return abi_find(PSEUDO_ABI_AARCH64);
	case AUDIT_ARCH_ARM:
		return abi_find(PSEUDO_ABI_ARM);
	}
	return NULL;
}
