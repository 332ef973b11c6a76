/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* The union of the modules' syscall rows, resolved per host ABI. */
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

#define MAX_ABIS 8

static const enum pseudo_abi every_abi[] = {
	PSEUDO_ABI_X86_64,  PSEUDO_ABI_I386, PSEUDO_ABI_X32,
	PSEUDO_ABI_AARCH64, PSEUDO_ABI_ARM,
};

static int resolve(const struct abi_desc *abi, const char *name)
{
	return seccomp_syscall_resolve_name_arch(abi->scmp_arch, name);
}

bool syscall_name_exists(const char *name)
{
	const struct abi_desc *abis[MAX_ABIS];
	size_t count = abi_host_list(abis, MAX_ABIS);

	for (size_t i = 0; i < count; i++)
		if (resolve(abis[i], name) >= 0)
			return true;
	return false;
}

/* Whether any ABI libseccomp knows has NAME, host or not: tells a typo
 * from a call that this host's ABIs lack (chown on aarch64). */
static bool name_exists_anywhere(const char *name)
{
	for (size_t i = 0; i < sizeof(every_abi) / sizeof(every_abi[0]); i++)
		if (resolve(abi_find(every_abi[i]), name) >= 0)
			return true;
	return false;
}

static struct syscall_entry *find_entry(struct syscall_table *table,
					const struct abi_desc *abi, long nr)
{
	for (size_t i = 0; i < table->count; i++)
		if (table->entries[i].abi == abi && table->entries[i].nr == nr)
			return &table->entries[i];
	return NULL;
}

static int add_handler(struct syscall_table *table, const struct abi_desc *abi,
		       long nr, struct pseudo_module_ctx *ctx,
		       const struct pseudo_syscall *row)
{
	struct syscall_entry *entry = find_entry(table, abi, nr);
	struct syscall_handler *handlers;

	if (!entry) {
		struct syscall_entry *entries;

		entries = reallocarray(table->entries, table->count + 1,
				       sizeof(*entries));
		if (!entries)
			return -ENOMEM;
		table->entries = entries;
		entry = &entries[table->count++];
		*entry = (struct syscall_entry){
			.abi = abi,
			.nr = nr,
			.name = row->name,
		};
	}
	handlers = reallocarray(entry->handlers, entry->handler_count + 1,
				sizeof(*handlers));
	if (!handlers)
		return -ENOMEM;
	handlers[entry->handler_count++] = (struct syscall_handler){
		.ctx = ctx,
		.row = row,
	};
	entry->handlers = handlers;
	return 0;
}

/* Moves observers ahead of the other rows, keeping load order within
 * each group. */
static void order_handlers(struct syscall_entry *entry)
{
	size_t observers = 0;

	for (size_t i = 0; i < entry->handler_count; i++) {
		struct syscall_handler handler = entry->handlers[i];

		if (!(handler.row->flags & PSEUDO_SYSCALL_OBSERVE))
			continue;
		memmove(&entry->handlers[observers + 1],
			&entry->handlers[observers],
			(i - observers) * sizeof(handler));
		entry->handlers[observers++] = handler;
	}
}

/*
 * Chooses the filter's action: the supervisor when any row needs it,
 * otherwise the one fixed result all rows agree on.
 */
static int choose_action(struct syscall_entry *entry)
{
	const struct syscall_handler *first_errno = NULL;

	for (size_t i = 0; i < entry->handler_count; i++) {
		const struct syscall_handler *h = &entry->handlers[i];

		if (h->row->action == PSEUDO_ACTION_HANDLE) {
			entry->handle = true;
			continue;
		}
		if (!first_errno) {
			first_errno = h;
			continue;
		}
		if (h->row->errno_value != first_errno->row->errno_value) {
			error_msg("modules '%s' and '%s' give different fixed "
				  "results for %s on %s (%d and %d); remove "
				  "one with --module=-NAME",
				  first_errno->ctx->desc->name,
				  h->ctx->desc->name, entry->name,
				  entry->abi->name,
				  first_errno->row->errno_value,
				  h->row->errno_value);
			return -EINVAL;
		}
	}
	if (!entry->handle && first_errno)
		entry->errno_value = first_errno->row->errno_value;
	return 0;
}

static int compare_entries(const void *a, const void *b)
{
	const struct syscall_entry *x = a;
	const struct syscall_entry *y = b;

	if (x->abi->abi != y->abi->abi)
		return x->abi->abi < y->abi->abi ? -1 : 1;
	return (x->nr > y->nr) - (x->nr < y->nr);
}

static int add_module_rows(struct syscall_table *table,
			   const struct abi_desc *const *abis, size_t abi_count,
			   struct pseudo_module_ctx *ctx)
{
	size_t rows = module_row_count(ctx);

	for (size_t r = 0; r < rows; r++) {
		const struct pseudo_syscall *row = module_row(ctx, r);

		if (!name_exists_anywhere(row->name)) {
			error_msg("module '%s' names an unknown system call "
				  "'%s'",
				  ctx->desc->name, row->name);
			return -ENOENT;
		}
		for (size_t a = 0; a < abi_count; a++) {
			int nr;
			int err;

			if (row->abis && !(row->abis & abis[a]->abi))
				continue;
			nr = resolve(abis[a], row->name);
			if (nr < 0)
				continue;
			err = add_handler(table, abis[a], nr, ctx, row);
			if (err)
				return err;
		}
	}
	return 0;
}

int syscall_table_build(struct syscall_table *table,
			const struct module_list *modules)
{
	const struct abi_desc *abis[MAX_ABIS];
	size_t abi_count = abi_host_list(abis, MAX_ABIS);
	int err;

	*table = (struct syscall_table){ 0 };
	for (size_t m = 0; m < modules->count; m++) {
		err = add_module_rows(table, abis, abi_count,
				      modules->items[m]);
		if (err)
			goto fail;
	}
	for (size_t i = 0; i < table->count; i++) {
		order_handlers(&table->entries[i]);
		err = choose_action(&table->entries[i]);
		if (err)
			goto fail;
		if (table->entries[i].handle)
			table->needs_supervisor = true;
	}
	if (table->count)
		qsort(table->entries, table->count, sizeof(table->entries[0]),
		      compare_entries);
	return 0;
fail:
	if (err == -ENOMEM)
		error_msg("cannot build the syscall table: %s", strerror(-err));
	syscall_table_free(table);
	return err;
}

void syscall_table_free(struct syscall_table *table)
{
	for (size_t i = 0; i < table->count; i++)
		free(table->entries[i].handlers);
	free(table->entries);
	*table = (struct syscall_table){ 0 };
}

const struct syscall_entry *syscall_table_find(const struct syscall_table *t,
					       enum pseudo_abi abi, long nr)
{
	const struct abi_desc *desc = abi_find(abi);
	struct syscall_entry key = { .abi = desc, .nr = nr };

	if (!desc || !t->count)
		return NULL;
	return bsearch(&key, t->entries, t->count, sizeof(key),
		       compare_entries);
}
