/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* Command-line parsing of pseudopod and of the shared module options. */
#include <errno.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pseudopod.h"
#include "stderr_capture.h"

#define MAX_ARGS 16

struct parsed {
	struct pseudopod_args args;
	int status;
	char message[8192];
	char *argv[MAX_ARGS];
};

/* Parses the NULL-terminated words after "pseudopod". */
static void parse(struct parsed *parsed, const char *const *words)
{
	struct stderr_capture capture;
	int argc = 0;

	memset(parsed, 0, sizeof(*parsed));
	parsed->argv[argc++] = "pseudopod";
	while (words[argc - 1])
		parsed->argv[argc] = (char *)words[argc - 1], argc++;
	parsed->argv[argc] = NULL;
	optind = 0;
	stderr_capture_start(&capture);
	parsed->status =
		pseudopod_parse_args(argc, parsed->argv, &parsed->args);
	snprintf(parsed->message, sizeof(parsed->message), "%s",
		 stderr_capture_stop(&capture));
}

static void release(struct parsed *parsed)
{
	pseudopod_args_free(&parsed->args);
}

static void defaults_to_auto_mode(void **state)
{
	struct parsed p;

	parse(&p, (const char *[]){ "podman", "ps", NULL });
	assert_int_equal(p.status, -1);
	assert_int_equal(p.args.mode, MODE_AUTO);
	assert_string_equal(p.args.mount_run, "on");
	assert_true(p.args.trace);
	assert_string_equal(p.args.command[0], "podman");
	assert_string_equal(p.args.command[1], "ps");
	release(&p);
}

static void reads_mode_case_insensitively(void **state)
{
	static const struct {
		const char *word;
		enum mode mode;
	} cases[] = {
		{ "auto", MODE_AUTO },	       { "SUBUID", MODE_SUBUID },
		{ "Virtual", MODE_VIRTUAL },   { "fakeroot", MODE_FAKEROOT },
		{ "FakeRoot", MODE_FAKEROOT },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct parsed p;

		parse(&p, (const char *[]){ cases[i].word, "id", NULL });
		assert_int_equal(p.status, -1);
		assert_int_equal(p.args.mode, cases[i].mode);
		assert_string_equal(p.args.command[0], "id");
		release(&p);
	}
}

/* "su" is not an abbreviation of subuid: it is the command. */
static void does_not_abbreviate_modes(void **state)
{
	static const char *const commands[] = { "su", "sub", "virt", "fake" };

	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++) {
		struct parsed p;

		parse(&p, (const char *[]){ commands[i], "-c", "id", NULL });
		assert_int_equal(p.status, -1);
		assert_int_equal(p.args.mode, MODE_AUTO);
		assert_string_equal(p.args.command[0], commands[i]);
		assert_string_equal(p.args.command[1], "-c");
		release(&p);
	}
}

static void reads_options_after_mode(void **state)
{
	struct parsed p;

	parse(&p, (const char *[]){ "virtual", "--mount-run=private",
				    "--mount-tmpfs=/a", "--mount-tmpfs=/b",
				    "--tracer=off", "--module=+mylog",
				    "--module=-pmi_fd",
				    "--module-opt=mylog.syscalls=chown", "--",
				    "podman", "--version", NULL });
	assert_int_equal(p.status, -1);
	assert_int_equal(p.args.mode, MODE_VIRTUAL);
	assert_string_equal(p.args.mount_run, "private");
	assert_int_equal(p.args.tmpfs_count, 2);
	assert_string_equal(p.args.tmpfs_paths[0], "/a");
	assert_string_equal(p.args.tmpfs_paths[1], "/b");
	assert_false(p.args.trace);
	assert_int_equal(p.args.modules.spec_count, 2);
	assert_string_equal(p.args.modules.specs[0], "+mylog");
	assert_string_equal(p.args.modules.specs[1], "-pmi_fd");
	assert_int_equal(p.args.modules.option_count, 1);
	assert_string_equal(p.args.command[0], "podman");
	assert_string_equal(p.args.command[1], "--version");
	release(&p);
}

static void leaves_command_options_alone(void **state)
{
	struct parsed p;

	parse(&p, (const char *[]){ "podman", "--debug", NULL });
	assert_int_equal(p.status, -1);
	assert_string_equal(p.args.command[1], "--debug");
	release(&p);
}

static void rejects_invalid_arguments(void **state)
{
	static const struct {
		const char *argument;
		const char *message;
	} cases[] = {
		{ "--no-such-option",
		  "unrecognized option '--no-such-option'" },
		{ "--mo=+mylog", "is ambiguous" },
		{ "--mount-tmpfs=relative/dir",
		  "invalid --mount-tmpfs 'relative/dir': give an absolute "
		  "path" },
		{ "--mount-run=sometimes", "invalid --mount-run 'sometimes'" },
		{ "--trace=maybe", "invalid --trace 'maybe'" },
		{ "--tracer=1", "invalid --tracer '1'" },
		{ "--module=mylog", "invalid --module 'mylog'" },
		{ "--module=+relative/x.so", "must be absolute" },
		{ "--module=-/abs/x.so", "by its name" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct parsed p;

		parse(&p, (const char *[]){ cases[i].argument, "true", NULL });
		assert_int_equal(p.status, EXIT_PSEUDO_FAILURE);
		assert_non_null(strstr(p.message, cases[i].message));
		release(&p);
	}
}

static void substitutes_preserve_fds(void **state)
{
	char *argv[] = { "podman", "run", "$PRESERVE_FDS", "image", NULL };

	pseudopod_substitute_preserve_fds(argv, "--preserve-fds=1");
	assert_string_equal(argv[2], "--preserve-fds=1");
	assert_string_equal(argv[3], "image");
	assert_null(argv[4]);
}

static void drops_preserve_fds_without_value(void **state)
{
	char *argv[] = { "podman", "$PRESERVE_FDS", "run", "image", NULL };

	pseudopod_substitute_preserve_fds(argv, NULL);
	assert_string_equal(argv[1], "run");
	assert_string_equal(argv[2], "image");
	assert_null(argv[3]);
}

static void keeps_other_dollar_words(void **state)
{
	char *argv[] = { "echo", "$PRESERVE_FDS2", "x$PRESERVE_FDS", NULL };

	pseudopod_substitute_preserve_fds(argv, "--preserve-fds=1");
	assert_string_equal(argv[1], "$PRESERVE_FDS2");
	assert_string_equal(argv[2], "x$PRESERVE_FDS");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_to_auto_mode),
		cmocka_unit_test(reads_mode_case_insensitively),
		cmocka_unit_test(does_not_abbreviate_modes),
		cmocka_unit_test(reads_options_after_mode),
		cmocka_unit_test(leaves_command_options_alone),
		cmocka_unit_test(rejects_invalid_arguments),
		cmocka_unit_test(substitutes_preserve_fds),
		cmocka_unit_test(drops_preserve_fds_without_value),
		cmocka_unit_test(keeps_other_dollar_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
