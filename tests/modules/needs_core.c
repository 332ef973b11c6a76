/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* A module calling a function the core does not export, which dlopen
 * with RTLD_NOW rejects. */
#include <pseudo/module.h>

void pseudo_function_that_does_not_exist(void);

static int needs_core_init(struct pseudo_module_ctx *ctx)
{
	pseudo_function_that_does_not_exist();
	return 0;
}

static const struct pseudo_module needs_core_module = {
	.abi_version = PSEUDO_MODULE_ABI_VERSION,
	.name = "needs_core",
	.summary = "test module with an unresolved symbol",
	.init = needs_core_init,
};

PSEUDO_MODULE(needs_core_module)
