/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * Writes trace.json, a Podman (OCI) seccomp profile for
 * "pseudopod virtual --trace=off": it allows every call by default and
 * sends the calls the given modules handle to the supervisor with
 * SCMP_ACT_TRACE, or returns their fixed result with SCMP_ACT_ERRNO.  The
 * rows come from the modules' own syscall tables, so the profile cannot
 * drift from them.
 *
 * Usage: pseudopod-trace-json OUTPUT MODULE.so...
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

#define MAX_ABIS 8

/* The OCI profile's names of the host ABIs, for the "architectures"
 * list. */
static const char *oci_arch_name(enum pseudo_abi abi)
{
	switch (abi) {
	case PSEUDO_ABI_X86_64:
		return "SCMP_ARCH_X86_64";
	case PSEUDO_ABI_I386:
		return "SCMP_ARCH_X86";
	case PSEUDO_ABI_X32:
		return "SCMP_ARCH_X32";
	case PSEUDO_ABI_AARCH64:
		return "SCMP_ARCH_AARCH64";
	case PSEUDO_ABI_ARM:
		return "SCMP_ARCH_ARM";
	}
	return NULL;
}

/* Whether an entry before INDEX already listed the name of entry INDEX
 * with the same action: a profile names each call once per action. */
static bool listed_before(const struct syscall_table *table, size_t index)
{
	const struct syscall_entry *entry = &table->entries[index];

	for (size_t i = 0; i < index; i++) {
		const struct syscall_entry *other = &table->entries[i];

		if (strcmp(other->name, entry->name) == 0 &&
		    other->handle == entry->handle &&
		    other->errno_value == entry->errno_value)
			return true;
	}
	return false;
}

static void write_names(FILE *out, const struct syscall_table *table,
			bool handle, int errno_value)
{
	bool first = true;

	for (size_t i = 0; i < table->count; i++) {
		const struct syscall_entry *entry = &table->entries[i];

		if (entry->handle != handle ||
		    (!handle && entry->errno_value != errno_value) ||
		    listed_before(table, i))
			continue;
		fprintf(out, "%s\n        \"%s\"", first ? "" : ",",
			entry->name);
		first = false;
	}
}

/* Writes one rule per action: TRACE, then each fixed error number. */
static void write_rules(FILE *out, const struct syscall_table *table)
{
	bool first = true;

	for (size_t i = 0; i < table->count; i++) {
		const struct syscall_entry *entry = &table->entries[i];
		bool seen = false;

		for (size_t j = 0; j < i && !seen; j++)
			seen = table->entries[j].handle == entry->handle &&
			       (entry->handle ||
				table->entries[j].errno_value ==
					entry->errno_value);
		if (seen)
			continue;
		fprintf(out, "%s    {\n      \"names\": [", first ? "" : ",\n");
		write_names(out, table, entry->handle, entry->errno_value);
		if (entry->handle)
			fprintf(out, "\n      ],\n      \"action\": "
				     "\"SCMP_ACT_TRACE\"\n    }");
		else
			fprintf(out,
				"\n      ],\n      \"action\": "
				"\"SCMP_ACT_ERRNO\",\n      \"errnoRet\": %d\n"
				"    }",
				entry->errno_value);
		first = false;
	}
	fprintf(out, "\n");
}

static int write_profile(FILE *out, const struct syscall_table *table)
{
	const struct abi_desc *abis[MAX_ABIS];
	size_t abi_count = abi_host_list(abis, MAX_ABIS);

	fprintf(out, "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\",\n"
		     "  \"architectures\": [");
	for (size_t i = 0; i < abi_count; i++)
		fprintf(out, "%s\n    \"%s\"", i ? "," : "",
			oci_arch_name(abis[i]->abi));
	fprintf(out, "\n  ],\n  \"syscalls\": [\n");
	write_rules(out, table);
	fprintf(out, "  ]\n}\n");
	return ferror(out) ? -EIO : 0;
}

int main(int argc, char **argv)
{
	struct module_list modules;
	struct syscall_table table;
	FILE *out;
	int err = 0;

	log_set_program("pseudopod-trace-json");
	if (argc < 3) {
		fprintf(stderr, "usage: pseudopod-trace-json OUTPUT "
				"MODULE.so...\n");
		return 2;
	}
	module_list_init(&modules);
	for (int i = 2; i < argc && !err; i++)
		err = module_list_load(&modules, argv[i]);
	if (!err)
		err = syscall_table_build(&table, &modules);
	if (err) {
		module_list_free(&modules);
		return 1;
	}
	out = fopen(argv[1], "we");
	if (!out) {
		error_msg("cannot create '%s': %s", argv[1], strerror(errno));
		err = -errno;
	} else {
		err = write_profile(out, &table);
		if (fclose(out) != 0 && !err)
			err = -errno;
		if (err)
			error_msg("cannot write '%s': %s", argv[1],
				  strerror(-err));
	}
	syscall_table_free(&table);
	module_list_free(&modules);
	return err ? 1 : 0;
}
