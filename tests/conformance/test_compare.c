/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* The comparison of credsuite outputs: equal outputs pass, and every kind
 * of difference is reported with its case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diff.h"

static const struct diff_options options = {
	.expected_label = "native",
	.actual_label = "emulated",
	.context = 1,
};

/* The result of one comparison and its report. */
struct outcome {
	int differing;
	char *report;
};

static struct outcome compare(const char *expected, const char *actual)
{
	struct outcome outcome = { 0 };
	size_t size = 0;
	FILE *stream = open_memstream(&outcome.report, &size);

	assert_non_null(stream);
	outcome.differing = diff_outputs(expected, actual, &options, stream);
	fclose(stream);
	return outcome;
}

static void assert_contains(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("expected to contain \"%s\" in:\n%s", part, text);
}

static void assert_lacks(const char *text, const char *part)
{
	if (strstr(text, part))
		fail_msg("expected not to contain \"%s\" in:\n%s", part, text);
}

static const char two_cases[] = "case first\n"
				"  setuid(1000) = 0\n"
				"  state end:\n"
				"    uid r=1000 e=1000 s=1000 fs=1000\n"
				"  case exit 0\n"
				"case second\n"
				"  setreuid(0, -1) = -1 EPERM\n"
				"  case exit 0\n";

static void equal_outputs_pass(void **state)
{
	struct outcome outcome = compare(two_cases, two_cases);

	(void)state;
	assert_int_equal(outcome.differing, 0);
	assert_string_equal(outcome.report, "");
	free(outcome.report);
}

static void empty_outputs_pass(void **state)
{
	struct outcome outcome = compare("", "");

	(void)state;
	assert_int_equal(outcome.differing, 0);
	assert_string_equal(outcome.report, "");
	free(outcome.report);
}

/* A deliberately wrong result: the emulation lets setreuid(0, -1)
 * succeed. */
static void wrong_result_is_reported(void **state)
{
	const char wrong[] = "case first\n"
			     "  setuid(1000) = 0\n"
			     "  state end:\n"
			     "    uid r=1000 e=1000 s=1000 fs=1000\n"
			     "  case exit 0\n"
			     "case second\n"
			     "  setreuid(0, -1) = 0\n"
			     "  case exit 0\n";
	struct outcome outcome = compare(two_cases, wrong);

	(void)state;
	assert_int_equal(outcome.differing, 1);
	assert_string_equal(outcome.report, "--- native\n"
					    "+++ emulated\n"
					    "@@ -6,3 +6,3 @@ case second\n"
					    " case second\n"
					    "-  setreuid(0, -1) = -1 EPERM\n"
					    "+  setreuid(0, -1) = 0\n"
					    "   case exit 0\n");
	free(outcome.report);
}

static void only_differing_case_is_named(void **state)
{
	const char wrong[] = "case first\n"
			     "  setuid(1000) = 0\n"
			     "  state end:\n"
			     "    uid r=1000 e=1000 s=0 fs=1000\n"
			     "  case exit 0\n"
			     "case second\n"
			     "  setreuid(0, -1) = -1 EPERM\n"
			     "  case exit 0\n";
	struct outcome outcome = compare(two_cases, wrong);

	(void)state;
	assert_int_equal(outcome.differing, 1);
	assert_contains(outcome.report, "@@ -3,3 +3,3 @@ case first\n");
	assert_contains(outcome.report,
			"-    uid r=1000 e=1000 s=1000 fs=1000\n");
	assert_contains(outcome.report, "+    uid r=1000 e=1000 s=0 fs=1000\n");
	assert_lacks(outcome.report, "case second");
	free(outcome.report);
}

/* An extra line is an insertion only: the lines after it still align. */
static void inserted_line_keeps_alignment(void **state)
{
	const char longer[] = "case first\n"
			      "  setuid(1000) = 0\n"
			      "  setuid(0) = -1 EPERM\n"
			      "  state end:\n"
			      "    uid r=1000 e=1000 s=1000 fs=1000\n"
			      "  case exit 0\n"
			      "case second\n"
			      "  setreuid(0, -1) = -1 EPERM\n"
			      "  case exit 0\n";
	struct outcome outcome = compare(two_cases, longer);

	(void)state;
	assert_int_equal(outcome.differing, 1);
	assert_contains(outcome.report, "@@ -2,2 +2,3 @@ case first\n");
	assert_contains(outcome.report, "+  setuid(0) = -1 EPERM\n");
	assert_lacks(outcome.report, "\n-");
	free(outcome.report);
}

/* A case that crashed under emulation has fewer lines. */
static void truncated_case_is_reported(void **state)
{
	const char crashed[] = "case first\n"
			       "  setuid(1000) = 0\n"
			       "  case killed by SIGSEGV\n"
			       "case second\n"
			       "  setreuid(0, -1) = -1 EPERM\n"
			       "  case exit 0\n";
	struct outcome outcome = compare(two_cases, crashed);

	(void)state;
	assert_int_equal(outcome.differing, 1);
	assert_contains(outcome.report, "case first\n");
	assert_contains(outcome.report, "-  state end:\n");
	assert_contains(outcome.report, "-  case exit 0\n");
	assert_contains(outcome.report, "+  case killed by SIGSEGV\n");
	free(outcome.report);
}

static void missing_case_is_reported(void **state)
{
	const char first_only[] = "case first\n"
				  "  setuid(1000) = 0\n"
				  "  state end:\n"
				  "    uid r=1000 e=1000 s=1000 fs=1000\n"
				  "  case exit 0\n";
	struct outcome outcome = compare(two_cases, first_only);

	(void)state;
	assert_int_equal(outcome.differing, 1);
	assert_contains(outcome.report, "@@ -6,3 +0,0 @@ case second\n");
	assert_contains(outcome.report, "-case second\n");
	assert_contains(outcome.report, "-  setreuid(0, -1) = -1 EPERM\n");
	free(outcome.report);
}

static void extra_case_is_reported(void **state)
{
	char *more = malloc(sizeof(two_cases) + 64);
	struct outcome outcome;

	(void)state;
	assert_non_null(more);
	snprintf(more, sizeof(two_cases) + 64, "%scase third\n  case exit 0\n",
		 two_cases);
	outcome = compare(two_cases, more);
	assert_int_equal(outcome.differing, 1);
	assert_contains(outcome.report, "case third\n");
	assert_contains(outcome.report, "+case third\n");
	assert_contains(outcome.report, "+  case exit 0\n");
	free(more);
	free(outcome.report);
}

/* Cases are matched by name, not position. */
static void reordered_cases_pass(void **state)
{
	const char reordered[] = "case second\n"
				 "  setreuid(0, -1) = -1 EPERM\n"
				 "  case exit 0\n"
				 "case first\n"
				 "  setuid(1000) = 0\n"
				 "  state end:\n"
				 "    uid r=1000 e=1000 s=1000 fs=1000\n"
				 "  case exit 0\n";
	struct outcome outcome = compare(two_cases, reordered);

	(void)state;
	assert_int_equal(outcome.differing, 0);
	free(outcome.report);
}

/* Changes far apart in one case make two hunks. */
static void distant_changes_make_two_hunks(void **state)
{
	const char expected[] = "case long\n  a\n  b\n  c\n  d\n  e\n  f\n";
	const char actual[] = "case long\n  A\n  b\n  c\n  d\n  e\n  F\n";
	struct outcome outcome = compare(expected, actual);

	(void)state;
	assert_int_equal(outcome.differing, 1);
	assert_contains(outcome.report, "@@ -1,3 +1,3 @@ case long\n");
	assert_contains(outcome.report, "@@ -6,2 +6,2 @@ case long\n");
	free(outcome.report);
}

/* Lines before the first case are compared too. */
static void differing_preamble_is_reported(void **state)
{
	struct outcome outcome =
		compare("credsuite: error\ncase first\n", "case first\n");

	(void)state;
	assert_int_equal(outcome.differing, 1);
	assert_contains(outcome.report, "-credsuite: error\n");
	free(outcome.report);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(equal_outputs_pass),
		cmocka_unit_test(empty_outputs_pass),
		cmocka_unit_test(wrong_result_is_reported),
		cmocka_unit_test(only_differing_case_is_named),
		cmocka_unit_test(inserted_line_keeps_alignment),
		cmocka_unit_test(truncated_case_is_reported),
		cmocka_unit_test(missing_case_is_reported),
		cmocka_unit_test(extra_case_is_reported),
		cmocka_unit_test(reordered_cases_pass),
		cmocka_unit_test(distant_changes_make_two_hunks),
		cmocka_unit_test(differing_preamble_is_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
