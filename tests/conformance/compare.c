/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * compare: compares two credsuite outputs case by case.
 *
 * Usage: compare [-L EXPECTED_LABEL [-L ACTUAL_LABEL]] EXPECTED ACTUAL
 *
 * Writes a unified diff of the differing cases to stdout, each hunk
 * header naming its case.  Exit status: 0 when the outputs are equal, 1
 * when they differ, 2 on trouble.
 */
#include "diff.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_DIFFERENT 1
#define EXIT_TROUBLE 2

/* Unchanged lines around each change. */
#define CONTEXT_LINES 3

/* Returns the contents of PATH, NUL-terminated, or NULL after reporting
 * why it cannot be read. */
static char *read_file(const char *path)
{
	FILE *file = fopen(path, "re");
	char *text = NULL;
	size_t size = 0, length = 0;

	if (!file) {
		fprintf(stderr, "compare: cannot open '%s': %s\n", path,
			strerror(errno));
		return NULL;
	}
	for (;;) {
		if (length + 1 >= size) {
			char *grown = realloc(text, size ? size * 2 : 65536);

			if (!grown)
				break;
			text = grown;
			size = size ? size * 2 : 65536;
		}
		size_t got = fread(text + length, 1, size - length - 1, file);

		length += got;
		if (got == 0)
			break;
	}
	if (ferror(file) || !text || length + 1 > size) {
		fprintf(stderr, "compare: cannot read '%s'\n", path);
		free(text);
		fclose(file);
		return NULL;
	}
	text[length] = '\0';
	fclose(file);
	return text;
}

static int usage(void)
{
	fputs("Usage: compare [-L EXPECTED_LABEL [-L ACTUAL_LABEL]] "
	      "EXPECTED ACTUAL\n"
	      "Compares two credsuite outputs case by case and prints a "
	      "unified diff\nof the cases that differ.\n",
	      stderr);
	return EXIT_TROUBLE;
}

int main(int argc, char **argv)
{
	struct diff_options options = { .context = CONTEXT_LINES };
	const char *labels[2] = { NULL, NULL };
	int label_count = 0, first = 1, result;
	char *expected, *actual;

	while (first + 1 < argc && strcmp(argv[first], "-L") == 0 &&
	       label_count < 2) {
		labels[label_count++] = argv[first + 1];
		first += 2;
	}
	if (argc - first != 2)
		return usage();
	options.expected_label = labels[0] ? labels[0] : argv[first];
	options.actual_label = labels[1] ? labels[1] : argv[first + 1];

	expected = read_file(argv[first]);
	actual = expected ? read_file(argv[first + 1]) : NULL;
	if (!actual) {
		free(expected);
		return EXIT_TROUBLE;
	}
	result = diff_outputs(expected, actual, &options, stdout);
	free(expected);
	free(actual);
	if (result < 0) {
		fprintf(stderr, "compare: out of memory\n");
		return EXIT_TROUBLE;
	}
	if (result > 0)
		printf("%d case%s differ\n", result, result == 1 ? "" : "s");
	return result ? EXIT_DIFFERENT : EXIT_SUCCESS;
}
