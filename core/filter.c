/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * The seccomp filter, built with libseccomp and loaded with seccomp(2).
 *
 * libseccomp 2.5 cannot load a filter with the flags the supervisor may
 * need (SECCOMP_FILTER_FLAG_NEW_LISTENER together with flags it does not
 * know), so the program is exported as BPF and loaded here.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core.h"

/*
 * libseccomp takes system call numbers in the native ABI's numbering (or
 * its negative pseudo numbers for names the native ABI lacks) and
 * translates them by name for each ABI of the filter, so the rule is added
 * by the entry's name, not by its number on the entry's ABI.
 */
static int add_entry_rule(scmp_filter_ctx ctx,
			  const struct syscall_entry *entry,
			  uint32_t handle_action)
{
	uint32_t action;
	int native_nr = seccomp_syscall_resolve_name(entry->name);

	if (native_nr == __NR_SCMP_ERROR)
		return -ENOENT;
	if (entry->handle)
		action = handle_action;
	else
		action = SCMP_ACT_ERRNO(entry->errno_value);
	return seccomp_rule_add(ctx, action, native_nr, 0);
}

/*
 * Builds a filter for one ABI.  Filters of several ABIs are merged into
 * one program, which checks the architecture first.
 */
static scmp_filter_ctx build_abi_filter(const struct syscall_table *table,
					const struct abi_desc *abi,
					uint32_t handle_action)
{
	uint32_t native = seccomp_arch_native();
	scmp_filter_ctx ctx;
	int err;

	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return NULL;
	/*
	 * Calls of an ABI missing from the filter, such as x32 calls when the
	 * kernel disabled x32, fail with ENOSYS as they would without the
	 * filter, instead of killing the process.
	 */
	err = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
			       SCMP_ACT_ERRNO(ENOSYS));
	if (!err)
		err = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (!err && abi->scmp_arch != native) {
		err = seccomp_arch_add(ctx, abi->scmp_arch);
		if (!err)
			err = seccomp_arch_remove(ctx, native);
	}
	/* libseccomp accepts the optimization level only after the
	 * architectures are set. */
	if (!err && seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2))
		debug_msg("seccomp: binary-tree optimization unavailable");
	for (size_t i = 0; !err && i < table->count; i++)
		if (table->entries[i].abi == abi)
			err = add_entry_rule(ctx, &table->entries[i],
					     handle_action);
	if (err) {
		error_msg("cannot build the seccomp filter for %s: %s",
			  abi->name, strerror(-err));
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}

/* Reads the BPF program libseccomp generates for CTX. */
static int export_program(scmp_filter_ctx ctx, struct filter_program *program)
{
	autoclose int fd = memfd_create("pseudo-filter", MFD_CLOEXEC);
	struct sock_fprog *fprog;
	struct stat st;
	int err;

	if (fd < 0)
		return -errno;
	err = seccomp_export_bpf(ctx, fd);
	if (err)
		return err;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) ||
	    st.st_size / sizeof(struct sock_filter) > BPF_MAXINSNS)
		return -E2BIG;
	fprog = malloc(sizeof(*fprog) + st.st_size);
	if (!fprog)
		return -ENOMEM;
	fprog->len = st.st_size / sizeof(struct sock_filter);
	fprog->filter = (struct sock_filter *)(fprog + 1);
	if (pread(fd, fprog->filter, st.st_size, 0) != st.st_size) {
		free(fprog);
		return -EIO;
	}
	program->fprog = fprog;
	program->length = fprog->len;
	return 0;
}

int filter_build(struct filter_program *program,
		 const struct syscall_table *table, uint32_t handle_action)
{
	const struct abi_desc *abis[8];
	size_t abi_count = abi_host_list(abis, 8);
	scmp_filter_ctx merged = NULL;
	int err = 0;

	*program = (struct filter_program){ 0 };
	for (size_t i = 0; i < abi_count; i++) {
		scmp_filter_ctx ctx =
			build_abi_filter(table, abis[i], handle_action);

		if (!ctx) {
			err = -EINVAL;
			goto out;
		}
		if (!merged) {
			merged = ctx;
			continue;
		}
		err = seccomp_merge(merged, ctx);
		if (err) {
			error_msg("cannot merge the seccomp filter of %s: %s",
				  abis[i]->name, strerror(-err));
			seccomp_release(ctx);
			goto out;
		}
	}
	if (!merged) {
		error_msg("cannot build a seccomp filter: this host runs no "
			  "ABI that %s supports",
			  log_program());
		return -ENOTSUP;
	}
	err = export_program(merged, program);
	if (err)
		error_msg("cannot export the seccomp filter: %s",
			  strerror(-err));
out:
	seccomp_release(merged);
	return err;
}

void filter_free(struct filter_program *program)
{
	free(program->fprog);
	*program = (struct filter_program){ 0 };
}

int filter_install(const struct filter_program *program, unsigned int flags)
{
	long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags,
			  program->fprog);

	return fd < 0 ? -errno : (int)fd;
}
