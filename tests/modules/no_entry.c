/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* A shared object without the module entry point. */
int no_entry_marker(void);

int no_entry_marker(void)
{
	return 0;
}
