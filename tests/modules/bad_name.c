/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* A module whose name the loader rejects. */
#include <pseudo/module.h>

static const struct pseudo_module bad_name_module = {
	.abi_version = PSEUDO_MODULE_ABI_VERSION,
	.name = "Bad-Name",
	.summary = "test module with an invalid name",
};

PSEUDO_MODULE(bad_name_module)
