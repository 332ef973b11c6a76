/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * Comparison of two credsuite outputs.
 *
 * An output is a sequence of cases, each starting with a line
 * "case NAME".  Cases are matched by name, and the lines of each pair are
 * compared with a longest-common-subsequence diff.  Differences are
 * written as unified diff hunks whose header names the case:
 *
 *   --- native
 *   +++ emulated
 *   @@ -12,3 +12,3 @@ case setreuid_rules
 *      setresuid(1000, 1000, 0) = 0
 *   -  setreuid(0, -1) = -1 EPERM
 *   +  setreuid(0, -1) = 0
 *
 * A case missing from one output shows as all its lines removed or
 * added.
 */
#ifndef CREDSUITE_DIFF_H
#define CREDSUITE_DIFF_H

#include <stdio.h>

struct diff_options {
	/* The names on the "---" and "+++" lines. */
	const char *expected_label;
	const char *actual_label;
	/* Unchanged lines shown around each change. */
	unsigned int context;
};

/*
 * Compares the outputs EXPECTED and ACTUAL, NUL-terminated, and writes
 * the hunks of every differing case to REPORT.  Returns the number of
 * cases that differ (0 when the outputs are equal), or -ENOMEM.
 */
int diff_outputs(const char *expected, const char *actual,
		 const struct diff_options *options, FILE *report);

#endif /* CREDSUITE_DIFF_H */
