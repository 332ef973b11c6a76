/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* Case-by-case unified diff of two credsuite outputs (diff.h). */
#include "diff.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The line that starts a case, followed by its name. */
#define CASE_PREFIX "case "

/* Above this many table cells (lines times lines of the part that
 * differs) the diff gives up on alignment and reports the whole middle
 * part as replaced.  128 MiB of 32-bit cells. */
#define MAX_TABLE_CELLS (UINT64_C(32) << 20)

struct line {
	const char *text;
	size_t length;
};

struct lines {
	struct line *items;
	size_t count;
};

/* A case: its lines in the whole output, from its "case" line on. */
struct section {
	const char *name;
	size_t name_length;
	size_t first;
	size_t count;
	bool matched;
};

struct sections {
	struct section *items;
	size_t count;
};

enum edit {
	EDIT_KEEP,
	EDIT_DELETE,
	EDIT_INSERT,
};

/* A diff of two sections as a list of edits, in order. */
struct script {
	enum edit *edits;
	size_t count;
};

struct side {
	const struct lines *lines;
	const struct section *section;
};

static int split_lines(const char *text, struct lines *lines)
{
	size_t capacity = 0;

	lines->items = NULL;
	lines->count = 0;
	while (*text) {
		const char *end = strchr(text, '\n');
		size_t length = end ? (size_t)(end - text) : strlen(text);

		if (lines->count == capacity) {
			size_t grown = capacity ? capacity * 2 : 256;
			struct line *items =
				realloc(lines->items, grown * sizeof(*items));

			if (!items)
				return -ENOMEM;
			lines->items = items;
			capacity = grown;
		}
		lines->items[lines->count++] = (struct line){ text, length };
		text += length + (end ? 1 : 0);
	}
	return 0;
}

static bool is_case_line(const struct line *line)
{
	size_t prefix = strlen(CASE_PREFIX);

	return line->length > prefix &&
	       memcmp(line->text, CASE_PREFIX, prefix) == 0;
}

static struct section *add_section(struct sections *sections, size_t first)
{
	struct section *items = realloc(sections->items,
					(sections->count + 1) * sizeof(*items));

	if (!items)
		return NULL;
	sections->items = items;
	items[sections->count] = (struct section){ .first = first };
	return &items[sections->count++];
}

/* Lines before the first case form a section without a name. */
static int split_sections(const struct lines *lines, struct sections *sections)
{
	struct section *current = NULL;

	sections->items = NULL;
	sections->count = 0;
	for (size_t i = 0; i < lines->count; i++) {
		const struct line *line = &lines->items[i];

		if (is_case_line(line) || !current) {
			current = add_section(sections, i);
			if (!current)
				return -ENOMEM;
		}
		if (is_case_line(line)) {
			current->name = line->text + strlen(CASE_PREFIX);
			current->name_length =
				line->length - strlen(CASE_PREFIX);
		}
		current->count++;
	}
	return 0;
}

static bool same_line(const struct line *a, const struct line *b)
{
	return a->length == b->length &&
	       memcmp(a->text, b->text, a->length) == 0;
}

static const struct line *side_line(const struct side *side, size_t i)
{
	return &side->lines->items[side->section->first + i];
}

static size_t side_count(const struct side *side)
{
	return side->section ? side->section->count : 0;
}

static bool script_push(struct script *script, enum edit edit, size_t *cap)
{
	if (script->count == *cap) {
		size_t grown = *cap ? *cap * 2 : 64;
		enum edit *edits =
			realloc(script->edits, grown * sizeof(*edits));

		if (!edits)
			return false;
		script->edits = edits;
		*cap = grown;
	}
	script->edits[script->count++] = edit;
	return true;
}

/*
 * Appends the edits that turn lines [a0, a1) of A into [b0, b1) of B:
 * the longest common subsequence from a table of suffix lengths, or a
 * plain replacement when the table would be too large.
 */
static int diff_middle(const struct side *a, size_t a0, size_t a1,
		       const struct side *b, size_t b0, size_t b1,
		       struct script *script, size_t *cap)
{
	size_t n = a1 - a0, m = b1 - b0, width = m + 1;
	uint32_t *table = NULL;
	size_t i = 0, j = 0;

	if ((uint64_t)(n + 1) * (m + 1) <= MAX_TABLE_CELLS)
		table = calloc((n + 1) * width, sizeof(*table));
	for (size_t x = n; table && x-- > 0;) {
		for (size_t y = m; y-- > 0;) {
			uint32_t *cell = &table[x * width + y];

			if (same_line(side_line(a, a0 + x),
				      side_line(b, b0 + y)))
				*cell = table[(x + 1) * width + y + 1] + 1;
			else
				*cell = table[(x + 1) * width + y] >
							table[x * width + y + 1]
						? table[(x + 1) * width + y]
						: table[x * width + y + 1];
		}
	}
	while (table && i < n && j < m) {
		enum edit edit;

		if (same_line(side_line(a, a0 + i), side_line(b, b0 + j)))
			edit = EDIT_KEEP;
		else if (table[(i + 1) * width + j] >= table[i * width + j + 1])
			edit = EDIT_DELETE;
		else
			edit = EDIT_INSERT;
		if (!script_push(script, edit, cap))
			goto fail;
		i += edit != EDIT_INSERT;
		j += edit != EDIT_DELETE;
	}
	for (; i < n; i++) {
		if (!script_push(script, EDIT_DELETE, cap))
			goto fail;
	}
	for (; j < m; j++) {
		if (!script_push(script, EDIT_INSERT, cap))
			goto fail;
	}
	free(table);
	return 0;

fail:
	free(table);
	return -ENOMEM;
}

/* Builds the edit script of two sections, either of which may be
 * missing. */
static int diff_sections(const struct side *a, const struct side *b,
			 struct script *script)
{
	size_t n = side_count(a), m = side_count(b);
	size_t prefix = 0, suffix = 0, cap = 0;

	script->edits = NULL;
	script->count = 0;
	while (prefix < n && prefix < m &&
	       same_line(side_line(a, prefix), side_line(b, prefix)))
		prefix++;
	while (suffix < n - prefix && suffix < m - prefix &&
	       same_line(side_line(a, n - 1 - suffix),
			 side_line(b, m - 1 - suffix)))
		suffix++;

	for (size_t i = 0; i < prefix; i++) {
		if (!script_push(script, EDIT_KEEP, &cap))
			return -ENOMEM;
	}
	if (diff_middle(a, prefix, n - suffix, b, prefix, m - suffix, script,
			&cap))
		return -ENOMEM;
	for (size_t i = 0; i < suffix; i++) {
		if (!script_push(script, EDIT_KEEP, &cap))
			return -ENOMEM;
	}
	return 0;
}

static bool script_has_changes(const struct script *script)
{
	for (size_t i = 0; i < script->count; i++) {
		if (script->edits[i] != EDIT_KEEP)
			return true;
	}
	return false;
}

/* The 1-based line number of line I of a side, for hunk headers. */
static size_t line_number(const struct side *side, size_t i)
{
	return (side->section ? side->section->first : 0) + i + 1;
}

static void print_hunk_header(const struct side *a, size_t a_start,
			      size_t a_count, const struct side *b,
			      size_t b_start, size_t b_count,
			      const struct section *named, FILE *report)
{
	fprintf(report, "@@ -%zu,%zu +%zu,%zu @@",
		a_count ? line_number(a, a_start) : line_number(a, a_start) - 1,
		a_count,
		b_count ? line_number(b, b_start) : line_number(b, b_start) - 1,
		b_count);
	if (named->name)
		fprintf(report, " case %.*s", (int)named->name_length,
			named->name);
	fputc('\n', report);
}

/* Returns the end of the hunk starting with the change at index START:
 * it ends when more than twice CONTEXT unchanged lines follow a change. */
static size_t hunk_end(const struct script *script, size_t start,
		       unsigned int context)
{
	size_t end = start, unchanged = 0;

	for (size_t k = start; k < script->count; k++) {
		if (script->edits[k] == EDIT_KEEP) {
			if (++unchanged > 2 * context)
				break;
		} else {
			unchanged = 0;
			end = k + 1;
		}
	}
	return end;
}

/* Writes the hunk of edits [from, to) whose first lines are A_START and
 * B_START. */
static void print_hunk(const struct side *a, size_t a_start,
		       const struct side *b, size_t b_start,
		       const struct script *script, size_t from, size_t to,
		       FILE *report)
{
	const struct section *named = a->section ? a->section : b->section;
	size_t a_count = 0, b_count = 0, i = a_start, j = b_start;

	for (size_t k = from; k < to; k++) {
		a_count += script->edits[k] != EDIT_INSERT;
		b_count += script->edits[k] != EDIT_DELETE;
	}
	print_hunk_header(a, a_start, a_count, b, b_start, b_count, named,
			  report);
	for (size_t k = from; k < to; k++) {
		const struct line *line;
		char mark;

		if (script->edits[k] == EDIT_INSERT) {
			line = side_line(b, j++);
			mark = '+';
		} else {
			line = side_line(a, i++);
			j += script->edits[k] == EDIT_KEEP;
			mark = script->edits[k] == EDIT_KEEP ? ' ' : '-';
		}
		fprintf(report, "%c%.*s\n", mark, (int)line->length,
			line->text);
	}
}

static void print_script(const struct side *a, const struct side *b,
			 const struct script *script, unsigned int context,
			 FILE *report)
{
	size_t i = 0, j = 0, k = 0;

	while (k < script->count) {
		size_t start, from, end;

		while (k < script->count && script->edits[k] == EDIT_KEEP) {
			i++;
			j++;
			k++;
		}
		if (k == script->count)
			break;
		start = k;
		from = start > context ? start - context : 0;
		end = hunk_end(script, start, context);
		end = end + context < script->count ? end + context
						    : script->count;
		print_hunk(a, i - (start - from), b, j - (start - from), script,
			   from, end, report);
		for (; k < end; k++) {
			i += script->edits[k] != EDIT_INSERT;
			j += script->edits[k] != EDIT_DELETE;
		}
	}
}

static struct section *find_section(struct sections *sections,
				    const struct section *wanted)
{
	for (size_t i = 0; i < sections->count; i++) {
		struct section *s = &sections->items[i];

		if (s->matched || (s->name == NULL) != (wanted->name == NULL))
			continue;
		if (!s->name ||
		    (s->name_length == wanted->name_length &&
		     memcmp(s->name, wanted->name, s->name_length) == 0))
			return s;
	}
	return NULL;
}

struct comparison {
	struct lines expected_lines, actual_lines;
	struct sections expected, actual;
	const struct diff_options *options;
	FILE *report;
	int differing;
};

/* Compares one pair of sections, either of which may be NULL, and
 * reports it when it differs. */
static int compare_pair(struct comparison *c, const struct section *expected,
			const struct section *actual)
{
	struct side a = { &c->expected_lines, expected };
	struct side b = { &c->actual_lines, actual };
	struct script script;

	if (diff_sections(&a, &b, &script)) {
		free(script.edits);
		return -ENOMEM;
	}
	if (script_has_changes(&script)) {
		if (c->differing++ == 0)
			fprintf(c->report, "--- %s\n+++ %s\n",
				c->options->expected_label,
				c->options->actual_label);
		print_script(&a, &b, &script, c->options->context, c->report);
	}
	free(script.edits);
	return 0;
}

static int compare_all(struct comparison *c)
{
	for (size_t i = 0; i < c->expected.count; i++) {
		struct section *expected = &c->expected.items[i];
		struct section *actual = find_section(&c->actual, expected);

		if (actual)
			actual->matched = true;
		if (compare_pair(c, expected, actual))
			return -ENOMEM;
	}
	for (size_t i = 0; i < c->actual.count; i++) {
		if (!c->actual.items[i].matched &&
		    compare_pair(c, NULL, &c->actual.items[i]))
			return -ENOMEM;
	}
	return c->differing;
}

int diff_outputs(const char *expected, const char *actual,
		 const struct diff_options *options, FILE *report)
{
	struct comparison c = { .options = options, .report = report };
	int result = -ENOMEM;

	if (!split_lines(expected, &c.expected_lines) &&
	    !split_lines(actual, &c.actual_lines) &&
	    !split_sections(&c.expected_lines, &c.expected) &&
	    !split_sections(&c.actual_lines, &c.actual))
		result = compare_all(&c);
	free(c.expected_lines.items);
	free(c.actual_lines.items);
	free(c.expected.items);
	free(c.actual.items);
	return result;
}
