/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * The notify backend: the seccomp filter returns SECCOMP_RET_USER_NOTIF
 * for the calls modules handle, and the supervisor receives them on the
 * filter's listener descriptor.  No process is traced, so gdb and strace
 * work inside the command, and a call costs two ioctls instead of several
 * ptrace stops.
 *
 * A notified call that a signal interrupts before the supervisor received
 * it fails with EINTR when the handler lacks SA_RESTART.  That is why this
 * backend notifies only the calls modules handle: notifying clone or
 * execve as well would make fork fail with EINTR in shells under load.
 * What ptrace reports as events is therefore inferred:
 *
 * - Credential versions.  When a thread's states change in a call, the
 *   supervisor keeps a copy of them as a new version, numbered from 1, and
 *   sets the thread's timer slack to the initial slack plus that number
 *   before the call returns (/proc/TID/timerslack_ns, which the owner of
 *   the command's user namespace may write).  The kernel copies the timer
 *   slack into every thread and process the thread creates, and keeps it
 *   across execve, so it names the version each new task started from.
 *   The slack grows by one nanosecond per version, which no timer notices.
 * - New threads and processes.  On its first notified call, a thread
 *   inherits the version its timer slack names (adopt_thread()).  A slack
 *   of the initial value means the states the command started with; a
 *   slack the command set itself with PR_SET_TIMERSLACK names no version,
 *   and then the thread inherits its process's or parent's states.
 * - execve.  Each thread keeps the 16 random bytes at AT_RANDOM of the
 *   program it ran when last seen, and the pages of code its calls came
 *   from.  A call from another page is checked: other bytes at AT_RANDOM
 *   mean a new program (check_exec()), whose states start from the
 *   version of the thread that ran execve, again named by its timer
 *   slack.  A new program is mapped at new random addresses, so its calls
 *   come from unknown pages; a process that disabled address space
 *   randomization is checked on every call.  A new process that ran
 *   execve before its first notified call shows other bytes than its
 *   parent.  Two execve calls between two notified calls count as one.
 * - Exits.  Each known thread has a pidfd (PIDFD_THREAD, Linux 6.9) in an
 *   epoll set that nothing waits on, so an exit costs no wake-up; the
 *   receiving thread collects exits every 256 calls, at least every
 *   100 ms, and before adopting a thread (drain_exits()).  A tid is
 *   recycled only after the kernel handed out every other one, which takes
 *   far longer than 100 ms, so the states of a thread that had it are gone
 *   before the new one makes its first call.
 *
 * One thread receives the calls and runs every handler and event, so
 * modules see one call at a time, as with ptrace; the front end's thread
 * only waits for the command's process and for the listener to hang up.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core.h"
#include "notify.h"

/* Linux 6.6 (seccomp_unotify(2)); Debian 12's headers predate them. */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif
/* Linux 5.19. */
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
/* Linux 6.9 (pidfd_open(2)). */
#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

#define AT_RANDOM_SIZE 16
#define CODE_PAGES 4
#define PAGE_MASK_4K (~(uint64_t)4095)
/* The persona flag of setarch -R (<sys/personality.h>). */
#define NO_RANDOM_LAYOUT 0x0040000
/* Exits are collected at least this often, in milliseconds: a tid is
 * recycled only after the kernel handed out every other one, which takes
 * far longer. */
#define DRAIN_INTERVAL_MS 100
/* Versions kept: at most a millisecond of extra timer slack. */
#define MAX_VERSIONS (1u << 20)

struct notify_thread {
	/* Readable once the thread exited, or, without PIDFD_THREAD (before
	 * Linux 6.9), once the process exited; -1 when the kernel has none
	 * for this thread. */
	int pidfd;
	bool process_pidfd;
	/* The AT_RANDOM bytes of the program the thread ran when last seen,
	 * and their address. */
	uint64_t random_address;
	unsigned char random[AT_RANDOM_SIZE];
	/* Pages of code that made calls in this program, checked against
	 * AT_RANDOM: a call from one of them needs no check.  A new program
	 * is mapped at other addresses, unless the process disabled address
	 * space randomization, and then this stays empty. */
	uint64_t code_pages[CODE_PAGES];
	unsigned int code_next;
	bool fixed_layout;
};

struct notify_server {
	const struct notify_config *config;
	int listener;
	int epoll_fd;
	pthread_t receiver;
	volatile bool stopping;
	/* kernel.randomize_va_space is not 0. */
	bool randomized;
	unsigned int calls_since_drain;
	struct timespec last_drain;
	/* The command's timer slack when it started, and the versions: the
	 * states a thread had after a call that changed them.  Version 0 is
	 * the states the command started with. */
	unsigned long initial_slack;
	struct pseudo_thread **versions;
	size_t version_count;
	/* Scratch copy of a thread's states, to see whether a call changed
	 * them. */
	unsigned char *states_before;
	size_t states_size;
	int main_status;
	bool main_reaped;
};

static struct notify_server server = {
	.listener = -1,
	.epoll_fd = -1,
};

/* Memory of the caller, through /proc/TID/mem opened before the
 * notification is checked to be still valid, so that a recycled tid
 * cannot redirect a read or write to another process. */
static int open_memory(struct pending_call *pending, int *fd)
{
	char path[64];
	__u64 id = pending->notification_id;

	if (pending->mem_fd >= 0) {
		*fd = pending->mem_fd;
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/%d/mem", pending->call.tid);
	pending->mem_fd = open(path, O_RDWR | O_CLOEXEC);
	if (pending->mem_fd < 0)
		return -ESRCH;
	if (ioctl(server.listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) < 0) {
		close(pending->mem_fd);
		pending->mem_fd = -1;
		return -ESRCH;
	}
	*fd = pending->mem_fd;
	return 0;
}

static struct pending_call *pending_of(const struct pseudo_call *call)
{
	return (struct pending_call *)((char *)call -
				       offsetof(struct pending_call, call));
}

static int notify_read(const struct pseudo_call *call, uint64_t address,
		       void *buf, size_t size)
{
	int fd;
	int err = open_memory(pending_of(call), &fd);

	if (err)
		return err;
	if (!size)
		return 0;
	if (pread(fd, buf, size, (off_t)address) != (ssize_t)size)
		return -EFAULT;
	return 0;
}

/*
 * Whether [ADDRESS, ADDRESS + SIZE) lies in writable mappings of TID.
 * Writes through /proc/TID/mem ignore page protections, while the kernel's
 * own copy to a read-only buffer fails with EFAULT.
 */
static bool range_is_writable(pid_t tid, uint64_t address, size_t size)
{
	uint64_t end = address + size;
	char path[64];
	char line[512];
	FILE *maps;

	snprintf(path, sizeof(path), "/proc/%d/maps", tid);
	maps = fopen(path, "re");
	if (!maps)
		return false;
	while (address < end && fgets(line, sizeof(line), maps)) {
		unsigned long long start;
		unsigned long long stop;
		char perms[8];

		if (sscanf(line, "%llx-%llx %7s", &start, &stop, perms) != 3)
			continue;
		if (address >= start && address < stop) {
			if (perms[1] != 'w')
				break;
			address = stop;
		}
	}
	fclose(maps);
	return address >= end;
}

static int notify_write(const struct pseudo_call *call, uint64_t address,
			const void *buf, size_t size)
{
	int fd;
	int err = open_memory(pending_of(call), &fd);

	if (err)
		return err;
	if (!size)
		return 0;
	if (!range_is_writable(call->tid, address, size))
		return -EFAULT;
	if (pwrite(fd, buf, size, (off_t)address) != (ssize_t)size)
		return -EFAULT;
	return 0;
}

static const struct backend_ops notify_backend = {
	.name = "notify",
	.read = notify_read,
	.write = notify_write,
	.can_change_args = false,
	.can_see_exit = false,
};

/*
 * Finds where the kernel put the AT_RANDOM bytes of TGID's current
 * program, whose auxiliary vector has words of WORD_SIZE bytes.
 */
static int find_random_address(pid_t tgid, unsigned int word_size,
			       uint64_t *address)
{
	unsigned char auxv[4096];
	char path[64];
	ssize_t length;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/auxv", tgid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	length = read(fd, auxv, sizeof(auxv));
	close(fd);
	for (ssize_t at = 0; at + 2 * (ssize_t)word_size <= length;
	     at += 2 * word_size) {
		uint64_t type = 0;
		uint64_t value = 0;

		memcpy(&type, auxv + at, word_size);
		memcpy(&value, auxv + at + word_size, word_size);
		if (type == AT_NULL)
			break;
		if (type == AT_RANDOM) {
			*address = value;
			return 0;
		}
	}
	return -ENOENT;
}

static int read_random(pid_t tgid, uint64_t address,
		       unsigned char random[AT_RANDOM_SIZE])
{
	struct iovec local = { .iov_base = random, .iov_len = AT_RANDOM_SIZE };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)address,
				.iov_len = AT_RANDOM_SIZE };

	return process_vm_readv(tgid, &local, 1, &remote, 1, 0) ==
			       AT_RANDOM_SIZE
		       ? 0
		       : -EIO;
}

/* Facts from the ELF header of a process's executable. */
struct program_kind {
	/* The word size of its auxiliary vector: 4 for ELFCLASS32 (i386,
	 * x32), else 8. */
	unsigned int word_size;
	/* ET_EXEC: the executable is loaded at fixed addresses. */
	bool fixed_address;
};

static struct program_kind program_kind(pid_t tgid)
{
	struct program_kind kind = { .word_size = 8 };
	unsigned char header[18] = { 0 };
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/exe", tgid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, header, sizeof(header)) != sizeof(header))
			memset(header, 0, sizeof(header));
		close(fd);
	}
	kind.word_size = header[EI_CLASS] == ELFCLASS32 ? 4 : 8;
	/* e_type follows the 16 identification bytes, in the file's byte
	 * order, which is the host's for a program it runs. */
	kind.fixed_address = (header[16] | header[17] << 8) == ET_EXEC;
	return kind;
}

/* Whether the kernel randomizes address spaces at all
 * (kernel.randomize_va_space). */
static bool address_space_is_randomized(void)
{
	FILE *file = fopen("/proc/sys/kernel/randomize_va_space", "re");
	int level = 0;

	if (file) {
		if (fscanf(file, "%d", &level) != 1)
			level = 0;
		fclose(file);
	}
	return level > 0;
}

/* Versions and timer slack. */

static int read_slack(pid_t tid, unsigned long *slack)
{
	char path[64];
	char text[32];
	ssize_t length;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/timerslack_ns", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	length = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (length <= 0)
		return -EIO;
	text[length] = '\0';
	*slack = strtoul(text, NULL, 10);
	return 0;
}

static int write_slack(pid_t tid, unsigned long slack)
{
	char path[64];
	char text[32];
	int length;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/timerslack_ns", tid);
	length = snprintf(text, sizeof(text), "%lu", slack);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, text, length) != length) {
		int err = -errno;

		close(fd);
		return err;
	}
	close(fd);
	return 0;
}

/* Keeps a copy of THREAD's states as a new version.  Returns its number,
 * or 0 when none could be made. */
static size_t add_version(struct pseudo_thread *thread)
{
	struct pseudo_event event = { .type = PSEUDO_EVENT_CLONE };
	struct pseudo_thread **versions;
	struct pseudo_thread *copy;

	if (server.version_count == MAX_VERSIONS)
		return 0;
	versions = reallocarray(server.versions, server.version_count + 1,
				sizeof(*versions));
	if (!versions)
		return 0;
	server.versions = versions;
	copy = thread_new_detached(0);
	if (!copy)
		return 0;
	event.thread = copy;
	event.parent_tid = thread->tid;
	event.same_process = true;
	if (thread_dispatch_event(server.config->modules, &event, thread)) {
		thread_free_detached(copy);
		return 0;
	}
	versions[server.version_count] = copy;
	return server.version_count++;
}

/*
 * After a call of THREAD: when the call changed its states, they become a
 * new version, and the thread's timer slack names it, so that the threads
 * and processes it creates from now on start from it.
 */
static void record_version(struct pseudo_thread *thread)
{
	size_t version;
	int err;

	if (!server.states_size || memcmp(server.states_before, thread->state,
					  server.states_size) == 0)
		return;
	version = add_version(thread);
	if (!version) {
		debug_msg("tid %d: no version for its new states", thread->tid);
		return;
	}
	err = write_slack(thread->tid, server.initial_slack + version);
	if (err)
		debug_msg("tid %d: cannot set its timer slack: %s", thread->tid,
			  strerror(-err));
}

/* The version a task's timer slack names, or NULL. */
static struct pseudo_thread *version_of(pid_t tid)
{
	unsigned long slack;

	if (read_slack(tid, &slack) || slack < server.initial_slack ||
	    slack - server.initial_slack >= server.version_count)
		return NULL;
	return server.versions[slack - server.initial_slack];
}

/* Opens a pidfd of thread TID; *PROCESS is set when the kernel only has
 * one for the whole process (before Linux 6.9, leaders only). */
static int open_thread_pidfd(pid_t tid, bool *process)
{
	int fd = syscall(SYS_pidfd_open, tid, PIDFD_THREAD);

	*process = false;
	if (fd < 0 && errno == EINVAL) {
		fd = syscall(SYS_pidfd_open, tid, 0);
		*process = true;
	}
	return fd;
}

/* Threads. */

static int attach_notify_data(struct pseudo_thread *thread)
{
	struct epoll_event event = { .events = EPOLLIN };

	thread->notify = calloc(1, sizeof(*thread->notify));
	if (!thread->notify)
		return -ENOMEM;
	thread->notify->pidfd =
		open_thread_pidfd(thread->tid, &thread->notify->process_pidfd);
	if (thread->notify->pidfd >= 0) {
		event.data.u64 = (uint64_t)thread->tid;
		epoll_ctl(server.epoll_fd, EPOLL_CTL_ADD, thread->notify->pidfd,
			  &event);
	}
	return 0;
}

/* Whether the task THREAD was created for has exited. */
static bool has_exited(const struct pseudo_thread *thread)
{
	struct pollfd poll_fd = { .events = POLLIN };
	char path[64];

	if (!thread->notify || thread->notify->pidfd < 0) {
		snprintf(path, sizeof(path), "/proc/%d", thread->tid);
		return access(path, F_OK) != 0;
	}
	poll_fd.fd = thread->notify->pidfd;
	return poll(&poll_fd, 1, 0) > 0;
}

static void free_thread(struct pseudo_thread *thread)
{
	struct pseudo_event event = {
		.type = PSEUDO_EVENT_EXIT,
		.thread = thread,
		.tid = thread->tid,
	};

	if (thread->flags & THREAD_HAS_STATE)
		thread_dispatch_event(server.config->modules, &event, NULL);
	if (thread->notify) {
		if (thread->notify->pidfd >= 0)
			close(thread->notify->pidfd);
		free(thread->notify);
		thread->notify = NULL;
	}
	thread_remove(thread);
}

static void retire_thread(struct pseudo_thread *thread)
{
	free_thread(thread);
}

/* Frees every thread of process TGID, which exited: without PIDFD_THREAD
 * only the leader's pidfd reports that. */
static void retire_process(pid_t tgid)
{
	struct pseudo_thread *leader = thread_find(tgid);
	pid_t tids[1024];
	size_t count = thread_list_of_process(tgid, tids, 1024);

	for (size_t i = 0; i < count; i++) {
		struct pseudo_thread *thread = thread_find(tids[i]);

		if (thread && thread != leader)
			retire_thread(thread);
	}
	if (leader)
		retire_thread(leader);
}

/* The process a new thread TID belongs to: itself when it has a process
 * pidfd, which only a thread group leader has, else the Tgid of its
 * /proc/TID/status. */
static pid_t process_of(pid_t tid)
{
	int pidfd = syscall(SYS_pidfd_open, tid, 0);

	if (pidfd < 0)
		return thread_read_tgid(tid);
	close(pidfd);
	return tid;
}

/* Whether process TGID disabled address space randomization. */
static bool has_fixed_layout(pid_t tgid)
{
	char path[64];
	unsigned int persona = 0;
	FILE *file;

	snprintf(path, sizeof(path), "/proc/%d/personality", tgid);
	file = fopen(path, "re");
	if (!file)
		return true;
	if (fscanf(file, "%x", &persona) != 1)
		persona = NO_RANDOM_LAYOUT;
	fclose(file);
	return persona & NO_RANDOM_LAYOUT;
}

/*
 * Records the AT_RANDOM bytes of the program THREAD runs, and whether the
 * pages its calls come from tell programs apart: only when the kernel
 * randomizes every mapping with the full 64-bit entropy.  A program loaded
 * at fixed addresses (ET_EXEC), a 32-bit one, whose mappings have about
 * 8 bits of randomness (vm.mmap_rnd_compat_bits), or a process without
 * address space randomization may run its next program from the same
 * pages.
 */
static void note_program(struct pseudo_thread *thread)
{
	struct notify_thread *data = thread->notify;
	struct program_kind kind = program_kind(thread->tgid);

	memset(data->code_pages, 0, sizeof(data->code_pages));
	data->fixed_layout = !server.randomized || kind.fixed_address ||
			     kind.word_size == 4 ||
			     has_fixed_layout(thread->tgid);
	if (find_random_address(thread->tgid, kind.word_size,
				&data->random_address) ||
	    read_random(thread->tgid, data->random_address, data->random))
		data->random_address = 0;
}

static bool is_known_code(const struct notify_thread *data, uint64_t ip)
{
	for (unsigned int i = 0; i < CODE_PAGES; i++)
		if (data->code_pages[i] == (ip & PAGE_MASK_4K))
			return true;
	return false;
}

static void remember_code(struct notify_thread *data, uint64_t ip)
{
	if (data->fixed_layout)
		return;
	data->code_pages[data->code_next] = ip & PAGE_MASK_4K;
	data->code_next = (data->code_next + 1) % CODE_PAGES;
}

/* The parent process of TID, from /proc/TID/stat: the fourth field, after
 * the command name in parentheses, which may itself contain ") ". */
static pid_t parent_of(pid_t tid)
{
	char path[64];
	char stat[512];
	char *end;
	ssize_t length;
	pid_t ppid = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	length = read(fd, stat, sizeof(stat) - 1);
	close(fd);
	if (length <= 0)
		return 0;
	stat[length] = '\0';
	end = strrchr(stat, ')');
	if (!end || sscanf(end + 1, " %*c %d", &ppid) != 1)
		return 0;
	return ppid;
}

/*
 * Whether the new process TID already runs another program than its
 * parent: a process made by fork or vfork starts with a copy of its
 * parent's memory, AT_RANDOM bytes included.  Without a parent to compare
 * with (it exited), the process counts as running its parent's program.
 */
static bool ran_execve(const struct pseudo_thread *thread)
{
	const struct notify_thread *data = thread->notify;
	unsigned char parents[AT_RANDOM_SIZE];
	pid_t ppid = parent_of(thread->tid);

	if (!data->random_address || !ppid || !thread_find(ppid))
		return false;
	if (read_random(ppid, data->random_address, parents))
		return true;
	return memcmp(parents, data->random, AT_RANDOM_SIZE) != 0;
}

static void apply_exec(struct pseudo_thread *thread);
static void drain_exits(void);

/*
 * Gives a thread making its first notified call its states: the version
 * its timer slack names, else those of its process, else the ones the
 * command started with.  A new process that ran execve before this call
 * gets the exec event too.
 */
static struct pseudo_thread *adopt_thread(pid_t tid)
{
	struct pseudo_event event = { .type = PSEUDO_EVENT_CLONE };
	struct pseudo_thread *parent;
	struct pseudo_thread *thread;
	pid_t tgid;
	int err;

	/* The tid may be a recycled one: the states of exited threads go
	 * first. */
	drain_exits();
	parent = version_of(tid);
	tgid = process_of(tid);
	if (!parent && tgid != tid)
		parent = thread_find(tgid);
	if (!parent) {
		debug_msg("tid %d: its timer slack names no version; it starts "
			  "from the command's first states",
			  tid);
		parent = server.versions[0];
	}
	thread = thread_add(tid);
	if (!thread || attach_notify_data(thread)) {
		if (thread)
			thread_remove(thread);
		return NULL;
	}
	thread->tgid = tgid;
	event.thread = thread;
	event.tid = tid;
	event.parent_tid = parent->tid;
	event.same_process = tgid != tid;
	err = thread_dispatch_event(server.config->modules, &event, parent);
	note_program(thread);
	if (err)
		kill(tid, SIGKILL);
	else if (tgid == tid && ran_execve(thread))
		apply_exec(thread);
	return thread;
}

/*
 * Applies the execve that made THREAD's process run its current program.
 * The thread that ran it now has the process's id, and its timer slack
 * still names its states, so the process continues from that version.
 */
static void apply_exec(struct pseudo_thread *thread)
{
	struct pseudo_event event = { .type = PSEUDO_EVENT_EXEC };
	struct pseudo_thread *execing = version_of(thread->tid);
	struct pseudo_exec exec = { 0 };
	pid_t tid = thread->tid;
	char path[4096];

	if (execing) {
		struct pseudo_event drop = {
			.type = PSEUDO_EVENT_EXIT,
			.thread = thread,
			.tid = tid,
		};
		struct pseudo_event copy = {
			.type = PSEUDO_EVENT_CLONE,
			.thread = thread,
			.tid = tid,
			.parent_tid = tid,
			.same_process = true,
		};

		thread_dispatch_event(server.config->modules, &drop, NULL);
		memset(thread->state, 0, server.states_size);
		thread_dispatch_event(server.config->modules, &copy, execing);
	}
	describe_executable(tid, &exec, path, sizeof(path));
	event.thread = thread;
	event.tid = tid;
	event.exec = &exec;
	if (thread_dispatch_event(server.config->modules, &event, NULL))
		kill(tid, SIGKILL);
	note_program(thread);
	if (debug_enabled())
		debug_msg("tid %d: execve %s, %zu threads tracked", tid, path,
			  thread_count());
}

/*
 * Checks, on a call of THREAD, whether its process runs another program
 * than when the thread was last seen.  Returns THREAD, or a new thread
 * object when the tid belongs to a new task.  Other AT_RANDOM bytes mean
 * either an execve, or a recycled tid whose old thread exited, which its
 * pidfd shows.
 */
static struct pseudo_thread *check_exec(struct pseudo_thread *thread,
					uint64_t ip)
{
	struct notify_thread *data = thread->notify;
	unsigned char random[AT_RANDOM_SIZE];
	pid_t tid = thread->tid;

	if (is_known_code(data, ip))
		return thread;
	if (!data->random_address) {
		/* Unknown so far: nothing to compare with. */
		note_program(thread);
		return thread;
	}
	if (read_random(thread->tgid, data->random_address, random) == 0 &&
	    memcmp(random, data->random, AT_RANDOM_SIZE) == 0) {
		remember_code(data, ip);
		return thread;
	}
	if (has_exited(thread)) {
		retire_thread(thread);
		return adopt_thread(tid);
	}
	apply_exec(thread);
	return thread;
}

/* The thread of a notification from TID, made at IP, created on first
 * sight. */
static struct pseudo_thread *current_thread(pid_t tid, uint64_t ip)
{
	struct pseudo_thread *thread = thread_find(tid);

	if (!thread)
		return adopt_thread(tid);
	return check_exec(thread, ip);
}

/* Frees the states of every thread whose pidfd became readable. */
static void drain_exits(void)
{
	struct epoll_event events[64];
	int count;

	server.calls_since_drain = 0;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &server.last_drain);
	do {
		count = epoll_wait(server.epoll_fd, events, 64, 0);
		for (int i = 0; i < count; i++) {
			pid_t tid = (pid_t)events[i].data.u64;
			struct pseudo_thread *thread = thread_find(tid);

			if (!thread || !thread->notify ||
			    thread->notify->pidfd < 0 || !has_exited(thread))
				continue;
			if (thread->notify->process_pidfd)
				retire_process(thread->tgid);
			else
				retire_thread(thread);
		}
	} while (count == 64);
}

/* Receiving calls. */

/* Runs the handlers of REQUEST and fills RESPONSE. */
static void handle_request(const struct seccomp_notif *request,
			   struct seccomp_notif_resp *response)
{
	const struct abi_desc *abi =
		abi_from_audit(request->data.arch, request->data.nr);
	const struct syscall_entry *entry = NULL;
	struct pseudo_thread *thread;
	struct pending_call *pending;
	__u64 id = request->id;
	uint64_t args[6];

	response->id = request->id;
	response->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	if (abi)
		entry = syscall_table_find(server.config->table, abi->abi,
					   request->data.nr);
	thread = entry ? current_thread((pid_t)request->pid,
					request->data.instruction_pointer)
		       : NULL;
	if (!thread)
		return;
	pending = thread_pending(thread);
	if (!pending)
		return;
	for (int i = 0; i < 6; i++)
		args[i] = request->data.args[i];
	supervisor_fill_call(pending, thread, entry, args);
	pending->notification_id = request->id;
	pending->mem_fd = -1;
	if (server.states_size)
		memcpy(server.states_before, thread->state, server.states_size);
	if (supervisor_enter_call(&notify_backend, pending) == CALL_RETURN) {
		int64_t result = pending->call.result;

		response->flags = 0;
		if (result < 0 && result >= -4095)
			response->error = (int32_t)result;
		else
			response->val = result;
	}
	record_version(thread);
	if (pending->mem_fd >= 0) {
		/* The tracee's memory was used: reply only while the call
		 * is still the one read. */
		if (ioctl(server.listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id))
			response->id = 0;
		close(pending->mem_fd);
		pending->mem_fd = -1;
	}
}

static bool drain_is_due(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	return (now.tv_sec - server.last_drain.tv_sec) * 1000 +
		       (now.tv_nsec - server.last_drain.tv_nsec) / 1000000 >=
	       DRAIN_INTERVAL_MS;
}

static void wake_receiver(int signal)
{
	(void)signal;
}

static void *receive_calls(void *unused)
{
	struct seccomp_notif_sizes sizes = { 0 };
	struct seccomp_notif *request;
	struct seccomp_notif_resp *response;

	(void)unused;
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
		return NULL;
	request = calloc(1, sizes.seccomp_notif > sizeof(*request)
				    ? sizes.seccomp_notif
				    : sizeof(*request));
	response = calloc(1, sizes.seccomp_notif_resp > sizeof(*response)
				     ? sizes.seccomp_notif_resp
				     : sizeof(*response));
	while (request && response && !server.stopping) {
		memset(request, 0, sizes.seccomp_notif);
		if (ioctl(server.listener, SECCOMP_IOCTL_NOTIF_RECV, request) <
		    0) {
			if (errno == EINTR || errno == ENOENT)
				continue;
			warning_msg("cannot receive a call: %s",
				    strerror(errno));
			break;
		}
		memset(response, 0, sizes.seccomp_notif_resp);
		if (++server.calls_since_drain == 256 || drain_is_due())
			drain_exits();
		handle_request(request, response);
		if (response->id &&
		    ioctl(server.listener, SECCOMP_IOCTL_NOTIF_SEND, response) <
			    0 &&
		    errno != ENOENT)
			warning_msg("cannot reply to thread %u: %s",
				    request->pid, strerror(errno));
	}
	free(request);
	free(response);
	return NULL;
}

/* Waiting for exits. */

static int status_from_siginfo(const siginfo_t *info)
{
	if (info->si_code == CLD_EXITED)
		return (info->si_status & 0xff) << 8;
	return (info->si_status & 0x7f) |
	       (info->si_code == CLD_DUMPED ? 0x80 : 0);
}

static void reap_main_process(int pidfd)
{
	siginfo_t info = { 0 };

	if (waitid((idtype_t)P_PIDFD, (id_t)pidfd, &info, WEXITED | WNOHANG) <
		    0 ||
	    info.si_pid == 0)
		return;
	server.main_status = status_from_siginfo(&info);
	server.main_reaped = true;
	signals_stop_forwarding();
}

/*
 * Waits until the listener hangs up, which it does once no task uses the
 * filter, and the command's process was reaped.
 */
static void wait_for_end(int main_pidfd)
{
	struct pollfd fds[2] = {
		{ .fd = server.listener, .events = 0 },
		{ .fd = main_pidfd, .events = POLLIN },
	};
	bool hung_up = false;

	while (!hung_up || !server.main_reaped) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			error_msg("poll failed: %s", strerror(errno));
			break;
		}
		if (fds[0].revents & (POLLHUP | POLLERR)) {
			hung_up = true;
			fds[0].fd = -1;
		}
		if (fds[1].revents & POLLIN) {
			reap_main_process(main_pidfd);
			fds[1].fd = -1;
		}
	}
}

static void stop_receiver(void)
{
	struct timespec deadline;

	server.stopping = true;
	/* The signal may come just before the receiver blocks in its ioctl:
	 * send it until the thread ends. */
	for (;;) {
		pthread_kill(server.receiver, SIGUSR1);
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_nsec += 10 * 1000 * 1000;
		if (deadline.tv_nsec >= 1000000000) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000;
		}
		if (pthread_timedjoin_np(server.receiver, NULL, &deadline) == 0)
			return;
	}
}

/* The command's first thread: its states are version 0, and its timer
 * slack is the one that names it. */
static int start_main_thread(pid_t child)
{
	struct pseudo_thread *thread = thread_add(child);
	struct pseudo_event event = { .type = PSEUDO_EVENT_START };
	int err;

	if (!thread || attach_notify_data(thread))
		return -ENOMEM;
	if (read_slack(child, &server.initial_slack))
		return -ESRCH;
	/* The command's process is a copy of this one until it executes the
	 * command, which its first call then shows as an execve. */
	thread->notify->random_address = getauxval(AT_RANDOM);
	if (thread->notify->random_address)
		memcpy(thread->notify->random,
		       (const void *)(uintptr_t)thread->notify->random_address,
		       AT_RANDOM_SIZE);
	event.thread = thread;
	event.tid = child;
	err = thread_dispatch_event(server.config->modules, &event, NULL);
	if (!err) {
		add_version(thread);
		if (server.version_count != 1)
			err = -ENOMEM;
	}
	return err;
}

/* Releases the versions and what the run left. */
static void release_all(void)
{
	for (size_t i = 0; i < server.version_count; i++) {
		struct pseudo_event event = {
			.type = PSEUDO_EVENT_EXIT,
			.thread = server.versions[i],
		};

		thread_dispatch_event(server.config->modules, &event, NULL);
		thread_free_detached(server.versions[i]);
	}
	free(server.versions);
	free(server.states_before);
}

bool notify_available(void)
{
	uint32_t action = SECCOMP_RET_USER_NOTIF;

	return syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
}

unsigned int notify_filter_flags(bool killable_wait)
{
	return SECCOMP_FILTER_FLAG_NEW_LISTENER |
	       (killable_wait ? SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV : 0);
}

int notify_serve(const struct notify_config *config, int *status)
{
	struct sigaction wake = { .sa_handler = wake_receiver };
	__u64 sync_flags = SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP;
	int err;

	server.config = config;
	server.listener = config->listener;
	server.randomized = address_space_is_randomized();
	thread_table_setup(config->modules);
	server.states_size = thread_state_size();
	server.states_before = calloc(1, server.states_size + 1);
	/* The receiver and the command's first call meet on one CPU without
	 * a scheduler round trip (Linux 6.6). */
	if (ioctl(server.listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, sync_flags) <
	    0)
		debug_msg("notify: no synchronous wake-up: %s",
			  strerror(errno));
	server.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (server.epoll_fd < 0 || !server.states_before) {
		error_msg("cannot watch the command's threads: %s",
			  strerror(errno));
		return -errno;
	}
	sigemptyset(&wake.sa_mask);
	sigaction(SIGUSR1, &wake, NULL);
	err = start_main_thread(config->child);
	if (!err)
		err = -pthread_create(&server.receiver, NULL, receive_calls,
				      NULL);
	if (err) {
		error_msg("cannot start the notify supervisor: %s",
			  strerror(-err));
		kill(config->child, SIGKILL);
		return err;
	}
	wait_for_end(config->child_pidfd);
	stop_receiver();
	drain_exits();
	if (debug_enabled())
		debug_msg("supervisor: %zu threads at most, %zu left, %zu "
			  "credential versions",
			  thread_peak_count(), thread_count(),
			  server.version_count);
	release_all();
	close(server.epoll_fd);
	*status = server.main_status;
	return server.main_reaped ? 0 : -ECHILD;
}
