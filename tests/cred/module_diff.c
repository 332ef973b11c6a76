/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * module_diff: compares the syscall handlers of modules/uid_gid/uid_gid.c
 * with the running kernel, for what cred_diff does not see: pointers that
 * fault part way, capget and capset headers, 16-bit ids, and the calls the
 * module hands on to the kernel.
 *
 * The module is compiled into this program, with a stand-in for the core
 * whose pseudo_mem_read() and pseudo_mem_write() act on this process's own
 * memory.  Each case runs in a forked root child, which makes the same call
 * with raw syscall() on one copy of a memory page and through the module's
 * handler on another.  Each page is followed by an unmapped one.  Then the
 * results, pages and credentials are compared.  Built with -m32, the cases also run
 * the 16-bit calls of i386.
 *
 * Exit status: 0 without difference, 1 with differences, 77 (skipped) when
 * not run as root.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "../../modules/uid_gid/uid_gid.c"

#include <linux/prctl.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

/* The core's functions, as far as the module uses them. */

struct pseudo_module_ctx {
	void *data;
};

bool pseudo_log_enabled(enum pseudo_log_level level)
{
	(void)level;
	return false;
}

void pseudo_log(const struct pseudo_module_ctx *ctx,
		enum pseudo_log_level level, const char *format, ...)
{
	(void)ctx;
	(void)level;
	(void)format;
}

void pseudo_error(const struct pseudo_module_ctx *ctx, const char *format, ...)
{
	va_list ap;

	(void)ctx;
	va_start(ap, format);
	vfprintf(stderr, format, ap);
	fputc('\n', stderr);
	va_end(ap);
}

const char *pseudo_option(const struct pseudo_module_ctx *ctx, const char *key)
{
	(void)ctx;
	(void)key;
	return "0";
}

void pseudo_set_data(struct pseudo_module_ctx *ctx, void *data)
{
	ctx->data = data;
}

void *pseudo_data(const struct pseudo_module_ctx *ctx)
{
	return ctx->data;
}

int pseudo_mem_read(const struct pseudo_call *call, uint64_t address, void *buf,
		    size_t size)
{
	struct iovec local = { buf, size };
	struct iovec remote = { (void *)(uintptr_t)address, size };

	if (size == 0)
		return 0;
	return process_vm_readv(call->tgid, &local, 1, &remote, 1, 0) ==
			       (ssize_t)size
		       ? 0
		       : -EFAULT;
}

int pseudo_mem_write(const struct pseudo_call *call, uint64_t address,
		     const void *buf, size_t size)
{
	struct iovec local = { (void *)buf, size };
	struct iovec remote = { (void *)(uintptr_t)address, size };

	if (size == 0)
		return 0;
	return process_vm_writev(call->tgid, &local, 1, &remote, 1, 0) ==
			       (ssize_t)size
		       ? 0
		       : -EFAULT;
}

/* Cases. */

enum arg_kind {
	LITERAL = 0,
	/* A pointer VALUE bytes before the end of the mapped page. */
	END,
	/* An unmapped address. */
	BAD,
	/* In a header: the caller's tid, or its parent's pid. */
	SELF,
	PARENT,
};

struct arg {
	enum arg_kind kind;
	int64_t value;
};

#define L(v)                                                                   \
	{                                                                      \
		LITERAL, (int64_t)(v)                                          \
	}
#define E(n)                                                                   \
	{                                                                      \
		END, n                                                         \
	}
#define B                                                                      \
	{                                                                      \
		BAD, 0                                                         \
	}

#define MAX_INPUT 32

struct module_case {
	const char *name;
	long nr;
	pseudo_enter_fn enter;
	uintptr_t data;
	struct arg args[5];
	/* Bytes placed INPUT_AT bytes before the end of the page, or at its
	 * end when INPUT_AT is 0. */
	uint8_t input[MAX_INPUT];
	size_t input_size;
	size_t input_at;
	/* The page is read-only during the call. */
	bool read_only;
	/* Groups set before the call, or none when group_count is 0. */
	int group_count;
	gid_t groups[4];
	/* SELF or PARENT: the pid stored in the capget or capset header at
	 * the start of the input. */
	enum arg_kind header_pid;
	/* Expected when the module hands the call on. */
	bool continues;
};

#define V3_HEADER(pid)                                                         \
	{                                                                      \
		0x22, 0x05, 0x08, 0x20, (uint8_t)(pid), 0, 0, 0                \
	}
#define BAD_HEADER                                                             \
	{                                                                      \
		0x78, 0x56, 0x34, 0x12, 0, 0, 0, 0                             \
	}
#define V1_HEADER                                                              \
	{                                                                      \
		0x30, 0x03, 0x98, 0x19, 0, 0, 0, 0                             \
	}

#ifdef __i386__
#define NR_GETRESUID SYS_getresuid32
#define NR_GETGROUPS SYS_getgroups32
#define NR_SETGROUPS SYS_setgroups32
#define NR_SETFSUID SYS_setfsuid32
#define NR_GETUID SYS_getuid32
#else
#define NR_GETRESUID SYS_getresuid
#define NR_GETGROUPS SYS_getgroups
#define NR_SETGROUPS SYS_setgroups
#define NR_SETFSUID SYS_setfsuid
#define NR_GETUID SYS_getuid
#endif

#define CASE(text, number, handler, flags)                                     \
	.name = text, .nr = number, .enter = handler, .data = flags

static const struct module_case cases[] = {
	{ CASE("getresuid writes the ids before a faulting pointer",
	       NR_GETRESUID, enter_getresuid, 0),
	  .args = { E(12), E(8), B } },
	{ CASE("getresuid writes nothing when the first pointer faults",
	       NR_GETRESUID, enter_getresuid, 0),
	  .args = { B, E(8), E(4) } },
	{ CASE("getresuid with an id across the page end is EFAULT",
	       NR_GETRESUID, enter_getresuid, 0),
	  .args = { E(16), E(12), E(2) } },
	{ CASE("getgroups writes the groups before the fault", NR_GETGROUPS,
	       enter_getgroups, 0),
	  .args = { L(3), E(8) }, .group_count = 3, .groups = { 30, 10, 20 } },
	{ CASE("getgroups with a small size writes nothing", NR_GETGROUPS,
	       enter_getgroups, 0),
	  .args = { L(2), E(8) }, .group_count = 3, .groups = { 30, 10, 20 } },
	{ CASE("getgroups with size 0 ignores a bad pointer", NR_GETGROUPS,
	       enter_getgroups, 0),
	  .args = { L(0), B } },
	{ CASE("setgroups is EINVAL for -1 before the fault", NR_SETGROUPS,
	       enter_setgroups, 0),
	  .args = { L(3), E(8) },
	  .input = { 5, 0, 0, 0, 0xff, 0xff, 0xff, 0xff }, .input_size = 8 },
	{ CASE("setgroups is EFAULT for a fault before any -1", NR_SETGROUPS,
	       enter_setgroups, 0),
	  .args = { L(3), E(8) }, .input = { 5, 0, 0, 0, 6, 0, 0, 0 },
	  .input_size = 8 },
	{ CASE("setgroups sorts a readable list", NR_SETGROUPS, enter_setgroups,
	       0),
	  .args = { L(2), E(8) }, .input = { 7, 0, 0, 0, 5, 0, 0, 0 },
	  .input_size = 8 },
	{ CASE("setgroups checks the size before the pointer", NR_SETGROUPS,
	       enter_setgroups, 0),
	  .args = { L(CRED_NGROUPS_MAX + 1), B } },
	{ CASE("setgroups with a bad pointer is EFAULT", NR_SETGROUPS,
	       enter_setgroups, 0),
	  .args = { L(1), B } },
	{ CASE("setgroups(0) ignores a bad pointer", NR_SETGROUPS,
	       enter_setgroups, 0),
	  .args = { L(0), B } },
	{ CASE("capget with a bad header is EFAULT", SYS_capget, enter_capget,
	       0),
	  .args = { B, E(24) } },
	{ CASE("capget probes an unknown version with NULL data", SYS_capget,
	       enter_capget, 0),
	  .args = { E(8), L(0) }, .input = BAD_HEADER, .input_size = 8 },
	{ CASE("capget rejects an unknown version and rewrites it", SYS_capget,
	       enter_capget, 0),
	  .args = { E(32), E(24) }, .input = BAD_HEADER, .input_size = 8,
	  .input_at = 32 },
	{ CASE("capget of an unknown version in a read-only header is EFAULT",
	       SYS_capget, enter_capget, 0),
	  .args = { E(8), L(0) }, .input = BAD_HEADER, .input_size = 8,
	  .read_only = true },
	{ CASE("capget with a v3 header and NULL data returns 0", SYS_capget,
	       enter_capget, 0),
	  .args = { E(8), L(0) }, .input = V3_HEADER(0), .input_size = 8 },
	{ CASE("capget writes the data words before the fault", SYS_capget,
	       enter_capget, 0),
	  .args = { E(32), E(12) }, .input = V3_HEADER(0), .input_size = 8,
	  .input_at = 32 },
	{ CASE("capget with an unreadable pid is EFAULT", SYS_capget,
	       enter_capget, 0),
	  .args = { E(4), E(24) }, .input = V3_HEADER(0), .input_size = 4 },
	{ CASE("capget v1 writes one data word", SYS_capget, enter_capget, 0),
	  .args = { E(32), E(12) }, .input = V1_HEADER, .input_size = 8,
	  .input_at = 32 },
	{ CASE("capget of the caller's own tid reads its sets", SYS_capget,
	       enter_capget, 0),
	  .args = { E(32), E(24) }, .input = V3_HEADER(0), .input_size = 8,
	  .input_at = 32, .header_pid = SELF },
	{ CASE("capset of another process is EPERM", SYS_capset, enter_capset,
	       0),
	  .args = { E(32), E(24) }, .input = V3_HEADER(0), .input_size = 8,
	  .input_at = 32, .header_pid = PARENT },
	{ CASE("capset with data across the page end is EFAULT", SYS_capset,
	       enter_capset, 0),
	  .args = { E(32), E(12) }, .input = V3_HEADER(0), .input_size = 8,
	  .input_at = 32 },
	{ CASE("capset v1 reads one data word", SYS_capset, enter_capset, 0),
	  .args = { E(32), E(12) }, .input = V1_HEADER, .input_size = 8,
	  .input_at = 32 },
	{ CASE("capset with a bad header is EFAULT", SYS_capset, enter_capset,
	       0),
	  .args = { B, E(24) } },
	{ CASE("capset rejects an unknown version and rewrites it", SYS_capset,
	       enter_capset, 0),
	  .args = { E(32), E(24) }, .input = BAD_HEADER, .input_size = 8,
	  .input_at = 32 },
	{ CASE("getuid returns the real uid", NR_GETUID, enter_getuid, 0) },
	{ CASE("setfsuid returns the previous fsuid", NR_SETFSUID,
	       enter_setfsuid, 0),
	  .args = { L(1000) } },
	{ CASE("prctl PR_CAPBSET_READ is emulated", SYS_prctl, enter_prctl, 0),
	  .args = { L(PR_CAPBSET_READ), L(CAP_KILL) } },
#ifdef __i386__
	{ CASE("getresuid16 writes 16-bit ids before the fault", SYS_getresuid,
	       enter_getresuid, DATA_ID16),
	  .args = { E(6), E(4), B } },
	{ CASE("getgroups16 writes 16-bit groups before the fault",
	       SYS_getgroups, enter_getgroups, DATA_ID16),
	  .args = { L(3), E(4) }, .group_count = 3,
	  .groups = { 100000, 10, 20 } },
	{ CASE("setgroups16 widens 0xFFFF to -1 and rejects it", SYS_setgroups,
	       enter_setgroups, DATA_ID16),
	  .args = { L(2), E(4) }, .input = { 5, 0, 0xff, 0xff },
	  .input_size = 4 },
	{ CASE("setgroups16 reads 16-bit gids", SYS_setgroups, enter_setgroups,
	       DATA_ID16),
	  .args = { L(2), E(4) }, .input = { 9, 0, 0xfe, 0xff },
	  .input_size = 4 },
	{ CASE("setfsuid16 widens 0xFFFF to -1", SYS_setfsuid, enter_setfsuid,
	       DATA_ID16),
	  .args = { L(0xFFFF) } },
	{ CASE("getuid16 returns the real uid", SYS_getuid, enter_getuid,
	       DATA_ID16) },
#endif
};

/* The module hands these on to the kernel. */
static const struct module_case handed_on[] = {
	{ CASE("capget of an untraced process goes to the kernel", SYS_capget,
	       enter_capget, 0),
	  .args = { E(32), E(24) }, .input = V3_HEADER(0), .input_size = 8,
	  .input_at = 32, .header_pid = PARENT, .continues = true },
	{ CASE("prctl PR_SET_NAME goes to the kernel", SYS_prctl, enter_prctl,
	       0),
	  .args = { L(PR_SET_NAME), E(16) }, .continues = true },
};

/* A mapped page followed by an unmapped one. */
struct page {
	uint8_t *base;
	size_t size;
};

static void map_page(struct page *page)
{
	page->size = (size_t)sysconf(_SC_PAGESIZE);
	page->base = mmap(NULL, 2 * page->size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page->base == MAP_FAILED ||
	    munmap(page->base + page->size, page->size))
		_exit(2);
}

static void fill_page(struct page *page, const struct module_case *c)
{
	size_t at = c->input_at ? c->input_at : c->input_size;
	uint8_t *input = page->base + page->size - at;
	int32_t pid = 0;

	memset(page->base, 0xAA, page->size);
	memcpy(input, c->input, c->input_size);
	if (c->header_pid == SELF)
		pid = (int32_t)syscall(SYS_gettid);
	else if (c->header_pid == PARENT)
		pid = getppid();
	if (pid)
		memcpy(input + sizeof(uint32_t), &pid, sizeof(pid));
}

static uint64_t resolve(const struct page *page, const struct arg *arg)
{
	switch (arg->kind) {
	case END:
		return (uintptr_t)(page->base + page->size - arg->value);
	case BAD:
		return (uintptr_t)(page->base + page->size);
	default:
		return (uint64_t)arg->value;
	}
}

/* Copies the kernel's credentials of this process into CRED. */
static void cred_from_kernel(struct cred *cred)
{
	static gid_t groups[CRED_NGROUPS_MAX];
	struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3,
						   0 };
	struct __user_cap_data_struct data[2];
	int count = (int)syscall(NR_GETGROUPS, CRED_NGROUPS_MAX, groups);

	cred->cap_effective = UINT64_C(1) << CAP_SETGID;
	if (count < 0 || cred_setgroups(cred, count, groups))
		_exit(2);
	syscall(NR_GETRESUID, &cred->ruid, &cred->euid, &cred->suid);
	cred->fsuid = (uid_t)syscall(NR_SETFSUID, -1);
	syscall(SYS_capget, &header, data);
	cred->cap_effective = data[0].effective | (uint64_t)data[1].effective
							  << 32;
	cred->cap_permitted = data[0].permitted | (uint64_t)data[1].permitted
							  << 32;
	cred->cap_inheritable =
		data[0].inheritable | (uint64_t)data[1].inheritable << 32;
	cred->cap_bounding = 0;
	for (int cap = 0; cap <= CAP_LAST_CAP; cap++) {
		if (syscall(SYS_prctl, PR_CAPBSET_READ, cap, 0, 0, 0) == 1)
			cred->cap_bounding |= UINT64_C(1) << cap;
	}
}

static bool compare_creds(const struct cred *kernel, const struct cred *model)
{
	bool same =
		kernel->ruid == model->ruid && kernel->euid == model->euid &&
		kernel->suid == model->suid && kernel->fsuid == model->fsuid &&
		kernel->cap_effective == model->cap_effective &&
		kernel->cap_permitted == model->cap_permitted &&
		kernel->cap_inheritable == model->cap_inheritable &&
		kernel->groups->count == model->groups->count;

	for (int i = 0; same && i < kernel->groups->count; i++)
		same = kernel->groups->gids[i] == model->groups->gids[i];
	if (!same)
		printf("    credentials differ: kernel uid %u/%u/%u/%u caps "
		       "%#" PRIx64 " groups %d, module %u/%u/%u/%u caps "
		       "%#" PRIx64 " groups %d\n",
		       kernel->ruid, kernel->euid, kernel->suid, kernel->fsuid,
		       kernel->cap_effective, kernel->groups->count,
		       model->ruid, model->euid, model->suid, model->fsuid,
		       model->cap_effective, model->groups->count);
	return same;
}

static bool compare_pages(const struct page *kernel, const struct page *model)
{
	for (size_t i = 0; i < kernel->size; i++) {
		if (kernel->base[i] != model->base[i]) {
			printf("    memory differs at %zu bytes before the "
			       "page "
			       "end: kernel %#x, module %#x\n",
			       kernel->size - i, kernel->base[i],
			       model->base[i]);
			return false;
		}
	}
	return true;
}

/* Runs case C in this process, a fresh root child.  Returns whether the
 * kernel and the module agreed. */
static bool run_case(const struct module_case *c)
{
	static struct pseudo_module_ctx ctx;
	static struct thread_state state;
	struct pseudo_event start = { .type = PSEUDO_EVENT_START,
				      .tid = (pid_t)syscall(SYS_gettid),
				      .state = &state };
	struct pseudo_call call = { .ctx = &ctx,
				    .state = &state,
				    .tid = start.tid,
				    .tgid = getpid(),
				    .name = c->name,
				    .data = c->data };
	struct page kernel_page, model_page;
	struct cred kernel;
	int64_t kernel_result;
	enum pseudo_verdict verdict;
	bool same = true;

	if (c->group_count && syscall(NR_SETGROUPS, c->group_count, c->groups))
		_exit(2);
	if (on_event(&ctx, &start))
		_exit(2);
	cred_release(&state.cred);
	cred_init(&state.cred, 0, 0);
	cred_from_kernel(&state.cred);

	map_page(&kernel_page);
	map_page(&model_page);
	fill_page(&kernel_page, c);
	fill_page(&model_page, c);
	if (c->read_only &&
	    (mprotect(kernel_page.base, kernel_page.size, PROT_READ) ||
	     mprotect(model_page.base, model_page.size, PROT_READ)))
		_exit(2);

	long args[5];

	for (int i = 0; i < 5; i++) {
		args[i] = (long)resolve(&kernel_page, &c->args[i]);
		call.args[i] = resolve(&model_page, &c->args[i]);
	}
	if (c->data & DATA_ID16) {
		for (int i = 0; i < 5; i++) {
			if (c->args[i].kind == LITERAL)
				call.args[i] &= 0xFFFF;
		}
	}
	kernel_result =
		syscall(c->nr, args[0], args[1], args[2], args[3], args[4]);
	if (kernel_result == -1)
		kernel_result = -errno;
	verdict = c->enter(&call);

	if (c->continues) {
		if (verdict != PSEUDO_CONTINUE) {
			printf("    module decided the call: %" PRId64 "\n",
			       call.result);
			same = false;
		}
		return same;
	}
	if (verdict != PSEUDO_RETURN || call.result != kernel_result) {
		printf("    result: kernel %" PRId64 ", module %s%" PRId64 "\n",
		       kernel_result,
		       verdict == PSEUDO_RETURN ? "" : "hands on, ",
		       call.result);
		same = false;
	}
	mprotect(kernel_page.base, kernel_page.size, PROT_READ | PROT_WRITE);
	mprotect(model_page.base, model_page.size, PROT_READ | PROT_WRITE);
	same &= compare_pages(&kernel_page, &model_page);

	cred_init(&kernel, 0, 0);
	cred_from_kernel(&kernel);
	same &= compare_creds(&kernel, &state.cred);
	return same;
}

static bool run_in_child(const struct module_case *c)
{
	int status;
	pid_t child;

	fflush(stdout);
	child = fork();
	if (child < 0)
		return false;
	if (child == 0)
		_exit(run_case(c) ? 0 : 1);
	waitpid(child, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		printf("DIFFERENCE: %s\n", c->name);
		return false;
	}
	return true;
}

int main(void)
{
	size_t total = 0, failed = 0;

	if (geteuid() != 0) {
		fputs("module_diff: skipped: needs to run as root\n", stderr);
		return 77;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++, total++)
		failed += !run_in_child(&cases[i]);
	for (size_t i = 0; i < sizeof(handed_on) / sizeof(handed_on[0]);
	     i++, total++)
		failed += !run_in_child(&handed_on[i]);
	printf("module_diff: %zu cases, %zu with differences\n", total, failed);
	return failed ? 1 : 0;
}
