/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * Tracee memory, through process_vm_readv/process_vm_writev, with a
 * ptrace fallback for kernels or security policies that refuse them.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

#include "core.h"

/*
 * The vm calls fail with EFAULT for an unmapped or read-only range, as the
 * kernel's own copy_to_user would: only other errors (ENOSYS, EPERM) fall
 * back to ptrace, which could write through a read-only mapping.
 */
static bool vm_unusable(int err)
{
	return err == ENOSYS || err == EPERM;
}

static int peek_read(pid_t tid, uint64_t address, void *buf, size_t size)
{
	unsigned char *out = buf;
	uint64_t aligned = address & ~(uint64_t)(sizeof(long) - 1);
	size_t skip = address - aligned;

	while (size) {
		size_t chunk = sizeof(long) - skip;
		long word;

		errno = 0;
		word = ptrace(PTRACE_PEEKDATA, tid, (void *)aligned, NULL);
		if (errno)
			return errno == EIO ? -EFAULT : -errno;
		if (chunk > size)
			chunk = size;
		memcpy(out, (unsigned char *)&word + skip, chunk);
		out += chunk;
		size -= chunk;
		aligned += sizeof(long);
		skip = 0;
	}
	return 0;
}

static int poke_write(pid_t tid, uint64_t address, const void *buf, size_t size)
{
	const unsigned char *in = buf;
	uint64_t aligned = address & ~(uint64_t)(sizeof(long) - 1);
	size_t skip = address - aligned;

	while (size) {
		size_t chunk = sizeof(long) - skip;
		long word = 0;

		if (chunk > size)
			chunk = size;
		if (skip || chunk < sizeof(long)) {
			int err = peek_read(tid, aligned, &word, sizeof(word));

			if (err)
				return err;
		}
		memcpy((unsigned char *)&word + skip, in, chunk);
		if (ptrace(PTRACE_POKEDATA, tid, (void *)aligned,
			   (void *)word) < 0)
			return errno == EIO ? -EFAULT : -errno;
		in += chunk;
		size -= chunk;
		aligned += sizeof(long);
		skip = 0;
	}
	return 0;
}

int tracee_read(pid_t tid, uint64_t address, void *buf, size_t size)
{
	struct iovec local = { .iov_base = buf, .iov_len = size };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)address,
				.iov_len = size };
	ssize_t n;

	if (!size)
		return 0;
	n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)size)
		return 0;
	if (n >= 0 || !vm_unusable(errno))
		return -EFAULT;
	return peek_read(tid, address, buf, size);
}

int tracee_write(pid_t tid, uint64_t address, const void *buf, size_t size)
{
	struct iovec local = { .iov_base = (void *)buf, .iov_len = size };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)address,
				.iov_len = size };
	ssize_t n;

	if (!size)
		return 0;
	n = process_vm_writev(tid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)size)
		return 0;
	if (n >= 0 || !vm_unusable(errno))
		return -EFAULT;
	return poke_write(tid, address, buf, size);
}
