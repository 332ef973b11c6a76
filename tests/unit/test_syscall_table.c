/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* The union of the modules' syscall rows and the filter built from it. */
#include <errno.h>
#include <seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"
#include "stderr_capture.h"

static enum pseudo_verdict decide(struct pseudo_call *call)
{
	return PSEUDO_RETURN;
}

static enum pseudo_verdict observe(struct pseudo_call *call)
{
	return PSEUDO_CONTINUE;
}

static const struct pseudo_syscall first_rows[] = {
	{ .name = "getuid", .enter = decide },
	{ .name = "chown",
	  .abis = PSEUDO_ABI_I386,
	  .enter = decide,
	  .data = 16 },
	{ .name = "chown",
	  .abis = PSEUDO_ABI_X86_64,
	  .enter = decide,
	  .data = 32 },
	{ .name = "setuid32", .enter = decide },
	{ .name = "setgroups",
	  .action = PSEUDO_ACTION_ERRNO,
	  .errno_value = 0 },
	{ 0 },
};

static const struct pseudo_module first = {
	.abi_version = PSEUDO_MODULE_ABI_VERSION,
	.name = "first",
	.syscalls = first_rows,
};

static const struct pseudo_syscall observer_rows[] = {
	{ .name = "getuid", .flags = PSEUDO_SYSCALL_OBSERVE, .enter = observe },
	{ .name = "setgroups", .enter = observe },
	{ 0 },
};

static const struct pseudo_module observer = {
	.abi_version = PSEUDO_MODULE_ABI_VERSION,
	.name = "observer",
	.syscalls = observer_rows,
};

static const struct pseudo_syscall fixed_rows[] = {
	{ .name = "setfsuid", .action = PSEUDO_ACTION_ERRNO, .errno_value = 0 },
	{ 0 },
};

static const struct pseudo_module fixed = {
	.abi_version = PSEUDO_MODULE_ABI_VERSION,
	.name = "fixed",
	.syscalls = fixed_rows,
};

static const struct pseudo_syscall conflicting_rows[] = {
	{ .name = "setfsuid",
	  .action = PSEUDO_ACTION_ERRNO,
	  .errno_value = EPERM },
	{ 0 },
};

static const struct pseudo_module conflicting = {
	.abi_version = PSEUDO_MODULE_ABI_VERSION,
	.name = "conflicting",
	.syscalls = conflicting_rows,
};

static const struct pseudo_syscall misspelled_rows[] = {
	{ .name = "setresuidd", .enter = decide },
	{ 0 },
};

static const struct pseudo_module misspelled = {
	.abi_version = PSEUDO_MODULE_ABI_VERSION,
	.name = "misspelled",
	.syscalls = misspelled_rows,
};

static long nr_of(uint32_t arch, const char *name)
{
	return seccomp_syscall_resolve_name_arch(arch, name);
}

static int build(struct syscall_table *table,
		 const struct pseudo_module *const *descs, char *message,
		 size_t size)
{
	struct stderr_capture capture;
	struct module_list list;
	int err = 0;

	module_list_init(&list);
	for (size_t i = 0; descs[i]; i++)
		assert_int_equal(module_list_add_builtin(&list, descs[i]), 0);
	stderr_capture_start(&capture);
	err = syscall_table_build(table, &list);
	snprintf(message, size, "%s", stderr_capture_stop(&capture));
	/* The table points into the descriptors, not into the list. */
	module_list_free(&list);
	return err;
}

static void resolves_rows_per_abi(void **state)
{
	const struct pseudo_module *descs[] = { &first, NULL };
	const struct syscall_entry *entry;
	struct syscall_table table;
	char message[8192];

	assert_int_equal(build(&table, descs, message, sizeof(message)), 0);
	entry = syscall_table_find(&table, PSEUDO_ABI_I386,
				   nr_of(SCMP_ARCH_X86, "chown"));
	assert_non_null(entry);
	assert_int_equal(entry->handler_count, 1);
	assert_int_equal(entry->handlers[0].row->data, 16);
	entry = syscall_table_find(&table, PSEUDO_ABI_X86_64,
				   nr_of(SCMP_ARCH_X86_64, "chown"));
	assert_non_null(entry);
	assert_int_equal(entry->handlers[0].row->data, 32);
	/* setuid32 exists on i386 only. */
	assert_non_null(syscall_table_find(&table, PSEUDO_ABI_I386,
					   nr_of(SCMP_ARCH_X86, "setuid32")));
	assert_null(syscall_table_find(&table, PSEUDO_ABI_X86_64,
				       nr_of(SCMP_ARCH_X86, "setuid32")));
	assert_true(table.needs_supervisor);
	syscall_table_free(&table);
}

static void puts_observers_first(void **state)
{
	const struct pseudo_module *descs[] = { &first, &observer, NULL };
	const struct syscall_entry *entry;
	struct syscall_table table;
	char message[8192];

	assert_int_equal(build(&table, descs, message, sizeof(message)), 0);
	entry = syscall_table_find(&table, PSEUDO_ABI_X86_64,
				   nr_of(SCMP_ARCH_X86_64, "getuid"));
	assert_non_null(entry);
	assert_int_equal(entry->handler_count, 2);
	assert_ptr_equal(entry->handlers[0].row, &observer_rows[0]);
	assert_ptr_equal(entry->handlers[1].row, &first_rows[0]);
	syscall_table_free(&table);
}

/* A fixed result and a handled row: the supervisor runs both. */
static void handles_mixed_rows_in_supervisor(void **state)
{
	const struct pseudo_module *descs[] = { &first, &observer, NULL };
	const struct syscall_entry *entry;
	struct syscall_table table;
	char message[8192];

	assert_int_equal(build(&table, descs, message, sizeof(message)), 0);
	entry = syscall_table_find(&table, PSEUDO_ABI_X86_64,
				   nr_of(SCMP_ARCH_X86_64, "setgroups"));
	assert_non_null(entry);
	assert_true(entry->handle);
	assert_int_equal(entry->handler_count, 2);
	syscall_table_free(&table);
}

static void keeps_fixed_results_in_filter(void **state)
{
	const struct pseudo_module *descs[] = { &fixed, NULL };
	const struct syscall_entry *entry;
	struct syscall_table table;
	char message[8192];

	assert_int_equal(build(&table, descs, message, sizeof(message)), 0);
	entry = syscall_table_find(&table, PSEUDO_ABI_X86_64,
				   nr_of(SCMP_ARCH_X86_64, "setfsuid"));
	assert_non_null(entry);
	assert_false(entry->handle);
	assert_int_equal(entry->errno_value, 0);
	assert_false(table.needs_supervisor);
	syscall_table_free(&table);
}

static void rejects_conflicting_fixed_results(void **state)
{
	const struct pseudo_module *descs[] = { &fixed, &conflicting, NULL };
	struct syscall_table table;
	char message[8192];

	assert_int_equal(build(&table, descs, message, sizeof(message)),
			 -EINVAL);
	assert_non_null(strstr(message, "'fixed' and 'conflicting'"));
	assert_non_null(strstr(message, "setfsuid"));
}

static void rejects_unknown_syscall_name(void **state)
{
	const struct pseudo_module *descs[] = { &misspelled, NULL };
	struct syscall_table table;
	char message[8192];

	assert_int_equal(build(&table, descs, message, sizeof(message)),
			 -ENOENT);
	assert_non_null(strstr(message, "'setresuidd'"));
}

/* Every host ABI gets the rows: an i386 row lands in the i386 filter. */
static void builds_filter_for_every_abi(void **state)
{
	const struct pseudo_module *descs[] = { &first, &fixed, NULL };
	struct filter_program program;
	struct syscall_table table;
	char message[8192];

	assert_int_equal(build(&table, descs, message, sizeof(message)), 0);
	assert_int_equal(filter_build(&program, &table, SCMP_ACT_TRACE(0)), 0);
	assert_non_null(program.fprog);
	assert_true(program.length > 10);
	filter_free(&program);
	syscall_table_free(&table);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(resolves_rows_per_abi),
		cmocka_unit_test(puts_observers_first),
		cmocka_unit_test(handles_mixed_rows_in_supervisor),
		cmocka_unit_test(keeps_fixed_results_in_filter),
		cmocka_unit_test(rejects_conflicting_fixed_results),
		cmocka_unit_test(rejects_unknown_syscall_name),
		cmocka_unit_test(builds_filter_for_every_abi),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
