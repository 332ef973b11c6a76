/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* A module built for a future ABI version, which the loader rejects. */
#include <pseudo/module.h>

static const struct pseudo_module bad_abi_module = {
	.abi_version = PSEUDO_MODULE_ABI_VERSION + 1,
	.name = "bad_abi",
	.summary = "test module with a wrong ABI version",
};

PSEUDO_MODULE(bad_abi_module)
