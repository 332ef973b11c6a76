/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * The built-in module of fakeroot mode: the seccomp filter itself returns
 * 0 for the calls that change credentials or ownership, with no
 * supervisor.  The get*id calls need no row, since the command already
 * is root in its user namespace; so a process that "switches" to another
 * user still sees uid 0.
 */
#include "pseudopod.h"

#define SUCCEED(call)                                                          \
	{                                                                      \
		.name = (call), .action = PSEUDO_ACTION_ERRNO,                 \
		.errno_value = 0,                                              \
	}

static const struct pseudo_syscall fakeroot_syscalls[] = {
	SUCCEED("setuid"),    SUCCEED("setuid32"),
	SUCCEED("setgid"),    SUCCEED("setgid32"),
	SUCCEED("setreuid"),  SUCCEED("setreuid32"),
	SUCCEED("setregid"),  SUCCEED("setregid32"),
	SUCCEED("setresuid"), SUCCEED("setresuid32"),
	SUCCEED("setresgid"), SUCCEED("setresgid32"),
	SUCCEED("setfsuid"),  SUCCEED("setfsuid32"),
	SUCCEED("setfsgid"),  SUCCEED("setfsgid32"),
	SUCCEED("setgroups"), SUCCEED("setgroups32"),
	SUCCEED("chown"),     SUCCEED("chown32"),
	SUCCEED("lchown"),    SUCCEED("lchown32"),
	SUCCEED("fchown"),    SUCCEED("fchown32"),
	SUCCEED("fchownat"),  { 0 },
};

const struct pseudo_module fakeroot_module = {
	.abi_version = PSEUDO_MODULE_ABI_VERSION,
	.name = "fakeroot",
	.summary = "built in: the filter returns 0 for set*id, setgroups "
		   "and chown calls",
	.syscalls = fakeroot_syscalls,
};
