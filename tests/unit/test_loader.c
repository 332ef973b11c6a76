/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* The module loader: what it accepts, what it rejects and its messages. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core.h"
#include "stderr_capture.h"

static char path_buffer[4096];

/* A module built by tests/meson.build next to this test. */
static const char *test_module(const char *name)
{
	snprintf(path_buffer, sizeof(path_buffer), "%s/%s.so",
		 getenv("TEST_MODULE_DIR"), name);
	return path_buffer;
}

static const char *product_module(const char *name)
{
	snprintf(path_buffer, sizeof(path_buffer), "%s/modules/%s.so",
		 getenv("BUILD_ROOT"), name);
	return path_buffer;
}

struct load_result {
	int err;
	char message[8192];
};

static struct load_result load(struct module_list *list, const char *spec)
{
	struct stderr_capture capture;
	struct load_result result;

	stderr_capture_start(&capture);
	result.err = module_list_load(list, spec);
	snprintf(result.message, sizeof(result.message), "%s",
		 stderr_capture_stop(&capture));
	return result;
}

static int setup_list(void **state)
{
	struct module_list *list = malloc(sizeof(*list));

	module_list_init(list);
	module_list_add_search_dir(list, getenv("TEST_MODULE_DIR"));
	*state = list;
	return 0;
}

static int teardown_list(void **state)
{
	module_list_free(*state);
	free(*state);
	return 0;
}

static void loads_module_by_path(void **state)
{
	struct load_result result = load(*state, product_module("mylog"));

	assert_int_equal(result.err, 0);
	assert_non_null(module_list_find(*state, "mylog"));
	assert_string_equal(result.message, "");
}

static void loads_module_by_name(void **state)
{
	struct module_list *list = *state;
	struct load_result result;

	snprintf(path_buffer, sizeof(path_buffer), "%s/modules",
		 getenv("BUILD_ROOT"));
	module_list_add_search_dir(list, path_buffer);
	result = load(list, "tmpfs");
	assert_int_equal(result.err, 0);
	assert_non_null(module_list_find(list, "tmpfs"));
}

static void rejects_missing_file(void **state)
{
	struct load_result result = load(*state, "/no/such/module.so");

	assert_int_equal(result.err, -ENOENT);
	assert_non_null(strstr(result.message, "'/no/such/module.so'"));
	assert_non_null(strstr(result.message, "No such file or directory"));
}

static void rejects_unknown_name(void **state)
{
	struct load_result result = load(*state, "no_such_module");

	assert_int_equal(result.err, -ENOENT);
	assert_non_null(strstr(result.message, "'no_such_module' not found"));
	assert_non_null(strstr(result.message, getenv("TEST_MODULE_DIR")));
}

static void rejects_invalid_name(void **state)
{
	struct load_result result = load(*state, "../escape");

	assert_int_equal(result.err, -EINVAL);
	assert_non_null(strstr(result.message, "'../escape'"));
}

static void rejects_wrong_abi_version(void **state)
{
	struct load_result result = load(*state, test_module("bad_abi"));
	char expected[128];

	assert_int_equal(result.err, -EPROTO);
	snprintf(expected, sizeof(expected), "ABI version %d",
		 PSEUDO_MODULE_ABI_VERSION + 1);
	assert_non_null(strstr(result.message, expected));
	snprintf(expected, sizeof(expected), "uses version %d",
		 PSEUDO_MODULE_ABI_VERSION);
	assert_non_null(strstr(result.message, expected));
	assert_non_null(strstr(result.message, "bad_abi.so"));
}

static void rejects_missing_entry_point(void **state)
{
	struct load_result result = load(*state, test_module("no_entry"));

	assert_int_equal(result.err, -ENOEXEC);
	assert_non_null(strstr(result.message, PSEUDO_MODULE_ENTRY_NAME));
	assert_non_null(strstr(result.message, "no_entry.so"));
}

static void rejects_invalid_descriptor(void **state)
{
	struct load_result result = load(*state, test_module("bad_name"));

	assert_int_equal(result.err, -EINVAL);
	assert_non_null(strstr(result.message, "invalid descriptor"));
}

/* RTLD_NOW: an unresolved symbol fails at load, with dlerror's text. */
static void rejects_unresolved_symbol(void **state)
{
	struct load_result result = load(*state, test_module("needs_core"));

	assert_int_equal(result.err, -ENOEXEC);
	assert_non_null(
		strstr(result.message, "pseudo_function_that_does_not_exist"));
}

static void rejects_writable_file(void **state)
{
	char copy[] = "/tmp/pseudo-writable-XXXXXX.so";
	char command[8192];
	struct load_result result;
	int fd = mkstemps(copy, 3);

	assert_true(fd >= 0);
	close(fd);
	snprintf(command, sizeof(command), "cp '%s' '%s'",
		 product_module("mylog"), copy);
	assert_int_equal(system(command), 0);
	assert_int_equal(chmod(copy, 0664), 0);
	result = load(*state, copy);
	unlink(copy);
	assert_int_equal(result.err, -EPERM);
	assert_non_null(strstr(result.message, "writable by its group"));
	assert_non_null(strstr(result.message, "0664"));
}

static void rejects_duplicate_module(void **state)
{
	struct load_result result;

	assert_int_equal(load(*state, product_module("mylog")).err, 0);
	result = load(*state, product_module("mylog"));
	assert_int_equal(result.err, -EEXIST);
	assert_non_null(strstr(result.message, "already loaded"));
}

static int set_option(struct module_list *list, const char *argument,
		      char *message, size_t size)
{
	struct stderr_capture capture;
	int err;

	stderr_capture_start(&capture);
	err = module_list_set_option(list, argument);
	snprintf(message, size, "%s", stderr_capture_stop(&capture));
	return err;
}

static void rejects_unknown_option_key(void **state)
{
	char message[8192];

	assert_int_equal(load(*state, product_module("mylog")).err, 0);
	assert_int_equal(set_option(*state, "mylog.nosuchkey=1", message,
				    sizeof(message)),
			 -EINVAL);
	assert_non_null(strstr(message, "module 'mylog' has no option "
					"'nosuchkey'"));
	assert_non_null(strstr(message, "syscalls, file"));
}

static void rejects_option_of_unloaded_module(void **state)
{
	char message[8192];

	assert_int_equal(set_option(*state, "mylog.syscalls=chown", message,
				    sizeof(message)),
			 -EINVAL);
	assert_non_null(strstr(message, "module 'mylog' is not loaded"));
}

static void rejects_malformed_option(void **state)
{
	static const char *const malformed[] = {
		"mylog", "mylog.syscalls", "mylog=x", ".key=x", "mylog.=x",
	};
	char message[8192];

	for (size_t i = 0; i < sizeof(malformed) / sizeof(*malformed); i++) {
		assert_int_equal(set_option(*state, malformed[i], message,
					    sizeof(message)),
				 -EINVAL);
		assert_non_null(strstr(message, "MODULE.KEY=VALUE"));
	}
}

static void stores_option_values(void **state)
{
	struct pseudo_module_ctx *ctx;
	const char *const *values;
	char message[8192];
	size_t count;

	assert_int_equal(load(*state, product_module("tmpfs")).err, 0);
	ctx = module_list_find(*state, "tmpfs");
	assert_string_equal(pseudo_option(ctx, "run"), "off");
	assert_int_equal(
		set_option(*state, "tmpfs.path=/a", message, sizeof(message)),
		0);
	assert_int_equal(
		set_option(*state, "tmpfs.path=/b=c", message, sizeof(message)),
		0);
	values = pseudo_option_values(ctx, "path", &count);
	assert_int_equal(count, 2);
	assert_string_equal(values[0], "/a");
	assert_string_equal(values[1], "/b=c");
	assert_string_equal(pseudo_option(ctx, "path"), "/b=c");
}

#define LIST_TEST(name)                                                        \
	cmocka_unit_test_setup_teardown(name, setup_list, teardown_list)

int main(void)
{
	const struct CMUnitTest tests[] = {
		LIST_TEST(loads_module_by_path),
		LIST_TEST(loads_module_by_name),
		LIST_TEST(rejects_missing_file),
		LIST_TEST(rejects_unknown_name),
		LIST_TEST(rejects_invalid_name),
		LIST_TEST(rejects_wrong_abi_version),
		LIST_TEST(rejects_missing_entry_point),
		LIST_TEST(rejects_invalid_descriptor),
		LIST_TEST(rejects_unresolved_symbol),
		LIST_TEST(rejects_writable_file),
		LIST_TEST(rejects_duplicate_module),
		LIST_TEST(rejects_unknown_option_key),
		LIST_TEST(rejects_option_of_unloaded_module),
		LIST_TEST(rejects_malformed_option),
		LIST_TEST(stores_option_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
