/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * The notify backend: the seccomp filter returns SECCOMP_RET_USER_NOTIF
 * for the calls modules handle, and the supervisor receives them on the
 * filter's listener descriptor.  No process is traced, so gdb and strace
 * work inside the command, and a call costs two ioctls instead of several
 * ptrace stops.
 *
 * What ptrace reported as events has to be inferred here:
 *
 * - New threads and processes.  The filter also notifies clone, clone3,
 *   fork and vfork.  At that notification the creator's states are copied
 *   into a snapshot, a thread object with tid 0 that is not in the table,
 *   as the kernel copies the creator's credentials into the child.  The
 *   child's tid is unknown until its first notification; then
 *   adopt_thread() finds the snapshot it was made from (see
 *   find_snapshot()) and the child's states are copied from it.
 * - execve.  The filter also notifies execve and execveat.  The call may
 *   fail, so the thread only records the 16 random bytes the kernel placed
 *   at AT_RANDOM for the current program; a later notification of the
 *   process that finds other bytes there knows a new program runs, and
 *   applies the exec event then (check_exec()).
 * - Exits.  Each known thread has a pidfd (PIDFD_THREAD, Linux 6.9) in an
 *   epoll set that nothing waits on, so an exit costs no wake-up.  The
 *   receiving thread collects the exits (drain_exits()) every few hundred
 *   calls and at every clone notification.  A recycled tid therefore never
 *   meets the states of the thread that had it: the tid was freed before
 *   the clone that reuses it, whose notification comes first.
 *
 * One thread receives the calls and runs every handler and event, so
 * modules see one call at a time, as with ptrace; the front end's thread
 * only waits for the command's process and for the listener to hang up.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/sched.h>
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
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
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
/* Snapshots of exited creators kept for children that have not made a
 * notified call yet, such as a daemon's child after its parent exited. */
#define ORPHAN_SNAPSHOTS 64
/* Snapshots one creator may have waiting for their children. */
#define SNAPSHOTS_PER_THREAD 64

/* Row data of the tracking module. */
enum tracked_call {
	TRACK_FORK,
	TRACK_VFORK,
	TRACK_CLONE,
	TRACK_CLONE3,
	TRACK_EXECVE,
};

struct snapshot {
	/* The states; tid 0, not in the table. */
	struct pseudo_thread *states;
	pid_t creator_tid;
	pid_t creator_tgid;
	/* CLONE_THREAD: the child is a thread of the creator's process. */
	bool thread;
	enum pseudo_event_type type;
	uint64_t sequence;
	/* The creator's AT_RANDOM address: a child runs the same program. */
	uint64_t random_address;
	struct snapshot *next;
};

struct notify_thread {
	/* Readable once the thread exited, or, without PIDFD_THREAD (before
	 * Linux 6.9), once the process exited; -1 when the kernel has none
	 * for this thread. */
	int pidfd;
	bool process_pidfd;
	/* Snapshots of this thread's clone calls not claimed yet, oldest
	 * first. */
	struct snapshot *snapshots;
	size_t snapshot_count;
	/* Where the kernel put the AT_RANDOM bytes of the program the thread
	 * runs, or 0 when not known yet. */
	uint64_t random_address;
	/* An execve or execveat was notified; exec_random holds the bytes at
	 * AT_RANDOM of the program that made it. */
	bool exec_pending;
	unsigned char exec_random[AT_RANDOM_SIZE];
};

struct notify_server {
	const struct notify_config *config;
	int listener;
	int epoll_fd;
	pthread_t receiver;
	unsigned int calls_since_drain;
	volatile bool stopping;
	uint64_t sequence;
	struct snapshot *orphans[ORPHAN_SNAPSHOTS];
	size_t orphan_next;
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
 * The parent process of TID, from /proc/TID/stat: its fourth field, after
 * the command name in parentheses, which may itself contain ") ".
 * Reading /proc/TID/status instead costs several times more, because the
 * kernel also sums the memory mappings for it.
 */
static int read_parent(pid_t tid, pid_t *ppid)
{
	char path[64];
	char stat[512];
	char *end;
	ssize_t length;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ESRCH;
	length = read(fd, stat, sizeof(stat) - 1);
	close(fd);
	if (length <= 0)
		return -ESRCH;
	stat[length] = '\0';
	end = strrchr(stat, ')');
	if (!end || sscanf(end + 1, " %*c %d", ppid) != 1)
		return -ESRCH;
	return 0;
}

/* Whether TID is a thread of process TGID. */
static bool is_thread_of(pid_t tid, pid_t tgid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/task/%d", tgid, tid);
	return stat(path, &st) == 0;
}

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

/* The word size of TGID's auxiliary vector, from its executable's ELF
 * class: 4 bytes for ELFCLASS32 (i386, x32), else 8. */
static unsigned int auxv_word_size(pid_t tgid)
{
	unsigned char ident[5] = { 0 };
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/exe", tgid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, ident, sizeof(ident)) != sizeof(ident))
			ident[4] = 0;
		close(fd);
	}
	return ident[4] == 1 ? 4 : 8;
}

/* Snapshots. */

static struct snapshot *snapshot_list;
static size_t snapshot_count;

static void free_snapshot(struct snapshot *snapshot)
{
	struct pseudo_event exit_event = {
		.type = PSEUDO_EVENT_EXIT,
		.thread = snapshot->states,
	};

	thread_dispatch_event(server.config->modules, &exit_event, NULL);
	thread_free_detached(snapshot->states);
	free(snapshot);
}

static void unlink_snapshot(struct snapshot *snapshot)
{
	for (struct snapshot **link = &snapshot_list; *link;
	     link = &(*link)->next) {
		if (*link == snapshot) {
			*link = snapshot->next;
			snapshot_count--;
			return;
		}
	}
}

/* The oldest unclaimed snapshot of CREATOR, or NULL. */
static struct snapshot *oldest_snapshot_of(pid_t creator_tid, bool thread)
{
	for (struct snapshot *s = snapshot_list; s; s = s->next)
		if (s->creator_tid == creator_tid && s->thread == thread)
			return s;
	return NULL;
}

/*
 * Copies CREATOR's states into a new snapshot, as clone copies the
 * credentials into the child, and appends it to the list.  The list is
 * ordered by sequence, so the first match of a search is the oldest.
 */
static void take_snapshot(struct pseudo_thread *creator, bool thread,
			  enum pseudo_event_type type)
{
	struct notify_thread *data = creator->notify;
	struct snapshot *snapshot = calloc(1, sizeof(*snapshot));
	struct pseudo_event event = { .type = type };
	struct snapshot **tail;

	if (!snapshot)
		return;
	snapshot->states = thread_new_detached(0);
	if (!snapshot->states) {
		free(snapshot);
		return;
	}
	event.thread = snapshot->states;
	event.parent_tid = creator->tid;
	event.same_process = thread;
	if (thread_dispatch_event(server.config->modules, &event, creator)) {
		thread_free_detached(snapshot->states);
		free(snapshot);
		return;
	}
	snapshot->creator_tid = creator->tid;
	snapshot->creator_tgid = creator->tgid;
	snapshot->thread = thread;
	snapshot->type = type;
	snapshot->sequence = ++server.sequence;
	snapshot->random_address = data->random_address;
	/* A clone that failed leaves its snapshot unclaimed: keep the newest
	 * few. */
	if (data->snapshot_count == SNAPSHOTS_PER_THREAD) {
		struct snapshot *oldest =
			oldest_snapshot_of(creator->tid, true);
		struct snapshot *oldest_process =
			oldest_snapshot_of(creator->tid, false);

		if (!oldest || (oldest_process &&
				oldest_process->sequence < oldest->sequence))
			oldest = oldest_process;
		unlink_snapshot(oldest);
		free_snapshot(oldest);
		data->snapshot_count--;
	}
	for (tail = &snapshot_list; *tail; tail = &(*tail)->next)
		;
	*tail = snapshot;
	snapshot_count++;
	data->snapshot_count++;
}

/* Whether /proc/TGID/task/TID/children lists CHILD: the children a thread
 * created with fork, vfork or clone without CLONE_THREAD. */
static bool is_child_of_thread(pid_t tgid, pid_t tid, pid_t child)
{
	char path[96];
	FILE *file;
	int pid;
	bool found = false;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", tgid, tid);
	file = fopen(path, "re");
	if (!file)
		return false;
	while (!found && fscanf(file, "%d", &pid) == 1)
		found = pid == child;
	fclose(file);
	return found;
}

/* Whether a thread of SNAPSHOT's process other than its creator has a
 * snapshot for a new process. */
static bool other_creator_in_process(const struct snapshot *snapshot)
{
	for (struct snapshot *s = snapshot_list; s; s = s->next)
		if (!s->thread && s->creator_tgid == snapshot->creator_tgid &&
		    s->creator_tid != snapshot->creator_tid)
			return true;
	return false;
}

/*
 * The process of the new thread TID: a process that made a CLONE_THREAD
 * snapshot and lists TID among its tasks, or else TID itself.
 */
static pid_t find_process_of(pid_t tid)
{
	for (struct snapshot *s = snapshot_list; s; s = s->next)
		if (s->thread && s->creator_tgid != tid &&
		    is_thread_of(tid, s->creator_tgid))
			return s->creator_tgid;
	return tid;
}

/*
 * Finds the snapshot the new thread TID was made from.
 *
 * A thread (TGID differs from TID) comes from the oldest unclaimed
 * CLONE_THREAD snapshot of a thread of its process.  A process comes from
 * a thread of its parent process (PPID), whose children file tells which
 * one when several created processes; then from any thread that lists it
 * as a child, for a parent chosen with CLONE_PARENT; then, when its
 * creator already exited and it was reparented, from the newest snapshot
 * whose creator is gone.  Threads of one process that create threads at
 * the same moment with different credentials may get each other's
 * snapshot, because the kernel does not tell which thread created a
 * thread.
 */
static struct snapshot *find_snapshot(pid_t tid, pid_t tgid, pid_t ppid)
{
	struct snapshot *orphan = NULL;

	if (tgid != tid) {
		for (struct snapshot *s = snapshot_list; s; s = s->next)
			if (s->thread && s->creator_tgid == tgid)
				return s;
		return NULL;
	}
	for (struct snapshot *s = snapshot_list; s; s = s->next) {
		if (s->thread || s->creator_tgid != ppid)
			continue;
		/* One creating thread in the parent: no need to ask which. */
		if (!other_creator_in_process(s))
			return s;
		if (is_child_of_thread(s->creator_tgid, s->creator_tid, tid))
			return s;
	}
	for (struct snapshot *s = snapshot_list; s; s = s->next)
		if (!s->thread && thread_find(s->creator_tid) &&
		    is_child_of_thread(s->creator_tgid, s->creator_tid, tid))
			return s;
	for (struct snapshot *s = snapshot_list; s; s = s->next)
		if (!s->thread && !thread_find(s->creator_tid))
			orphan = s;
	return orphan;
}

/* Keeps at most ORPHAN_SNAPSHOTS snapshots whose creator exited. */
static void limit_orphans(void)
{
	size_t orphans = 0;

	for (struct snapshot *s = snapshot_list; s; s = s->next)
		orphans += !thread_find(s->creator_tid);
	while (orphans > ORPHAN_SNAPSHOTS) {
		struct snapshot *s = snapshot_list;

		while (s && thread_find(s->creator_tid))
			s = s->next;
		if (!s)
			break;
		unlink_snapshot(s);
		free_snapshot(s);
		orphans--;
	}
}

/* Threads. */

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

/*
 * Completes an execve that EXECING made: the process's program changed.
 * When EXECING is not the thread group leader, the kernel gave it the
 * leader's tid, so it takes the place of the old leader, whose states are
 * freed.  Returns the thread now known by the process's id.
 */
static struct pseudo_thread *complete_exec(struct pseudo_thread *execing)
{
	struct pseudo_event event = { .type = PSEUDO_EVENT_EXEC };
	struct pseudo_exec exec = { 0 };
	pid_t tgid = execing->tgid;
	char path[4096];

	execing->notify->exec_pending = false;
	if (execing->tid != tgid) {
		struct pseudo_thread *leader = thread_find(tgid);
		int pidfd = -1;

		if (leader) {
			/* The leader's pidfd names the tid, which now belongs
			 * to the thread that ran execve. */
			pidfd = leader->notify ? leader->notify->pidfd : -1;
			if (leader->notify)
				leader->notify->pidfd = -1;
			free_thread(leader);
		}
		if (execing->notify->pidfd >= 0)
			close(execing->notify->pidfd);
		if (pidfd < 0)
			pidfd = open_thread_pidfd(
				tgid, &execing->notify->process_pidfd);
		execing->notify->pidfd = pidfd;
		thread_rename(execing, tgid);
	}
	describe_executable(tgid, &exec, path, sizeof(path));
	event.thread = execing;
	event.tid = tgid;
	event.exec = &exec;
	if (thread_dispatch_event(server.config->modules, &event, NULL))
		kill(tgid, SIGKILL);
	if (debug_enabled())
		debug_msg("tid %d: execve %s, %zu threads tracked", tgid, path,
			  thread_count());
	return execing;
}

/* Threads with a notified execve whose outcome is not known yet. */
#define MAX_EXEC_PENDING 256
static struct pseudo_thread *exec_pending[MAX_EXEC_PENDING];
static size_t exec_pending_count;

static void forget_exec(struct pseudo_thread *thread)
{
	for (size_t i = 0; i < exec_pending_count; i++)
		if (exec_pending[i] == thread) {
			exec_pending[i] = exec_pending[--exec_pending_count];
			break;
		}
	if (thread->notify)
		thread->notify->exec_pending = false;
}

/*
 * Completes a pending execve of a thread of process TGID when the process
 * runs a new program since: the bytes at AT_RANDOM differ.  Returns
 * whether one completed.
 */
static bool check_exec(pid_t tgid)
{
	unsigned char random[AT_RANDOM_SIZE];
	uint64_t address = 0;

	for (size_t i = 0; i < exec_pending_count; i++) {
		struct pseudo_thread *execing = exec_pending[i];

		if (execing->tgid != tgid)
			continue;
		if (find_random_address(tgid, auxv_word_size(tgid), &address) ||
		    read_random(tgid, address, random))
			return false;
		if (address == execing->notify->random_address &&
		    memcmp(random, execing->notify->exec_random,
			   AT_RANDOM_SIZE) == 0)
			return false;
		forget_exec(execing);
		execing = complete_exec(execing);
		execing->notify->random_address = address;
		return true;
	}
	return false;
}

/*
 * Frees the states of an exited thread.  A thread that ran execve in a
 * multi-threaded process seems to exit, because its tid goes to the
 * process's leader: then the execve completes instead.
 */
static void retire_thread(struct pseudo_thread *thread)
{
	/* A leader that ran execve keeps its tid: its exit is real. */
	if (thread->notify && thread->notify->exec_pending &&
	    thread->tid != thread->tgid && check_exec(thread->tgid))
		return;
	forget_exec(thread);
	free_thread(thread);
	limit_orphans();
}

/* Frees every thread of process TGID, which exited: without PIDFD_THREAD
 * only the leader's pidfd tells it. */
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

/* The snapshot's states become the new thread's; the snapshot goes. */
static int inherit_snapshot(struct pseudo_thread *thread,
			    struct snapshot *snapshot)
{
	struct pseudo_event event = {
		.type = snapshot->type,
		.thread = thread,
		.tid = thread->tid,
		.parent_tid = snapshot->creator_tid,
		.same_process = snapshot->thread,
	};
	struct pseudo_thread *creator = thread_find(snapshot->creator_tid);
	int err;

	err = thread_dispatch_event(server.config->modules, &event,
				    snapshot->states);
	unlink_snapshot(snapshot);
	free_snapshot(snapshot);
	if (creator && creator->notify)
		creator->notify->snapshot_count--;
	return err;
}

/*
 * A thread making its first notified call: finds the states it inherited
 * (find_snapshot()).  Without a snapshot, which happens when its creator
 * was never seen, it inherits from its process's leader or its parent
 * process, or else starts as the command did.
 */
static struct pseudo_thread *adopt_thread(pid_t tid)
{
	struct pseudo_event event = { .type = PSEUDO_EVENT_START };
	struct pseudo_thread *parent;
	struct snapshot *snapshot;
	struct pseudo_thread *thread;
	pid_t tgid = tid;
	pid_t ppid = 0;
	int err;

	/*
	 * Every clone is notified, and snapshotted, before its child exists:
	 * when a single snapshot waits, it is this thread's, and /proc, which
	 * costs tens of microseconds for a new process, is not needed.
	 */
	if (snapshot_count == 1) {
		snapshot = snapshot_list;
		tgid = snapshot->thread ? snapshot->creator_tgid : tid;
	} else {
		tgid = find_process_of(tid);
		if (read_parent(tgid, &ppid))
			return NULL;
		snapshot = find_snapshot(tid, tgid, ppid);
	}
	thread = thread_add(tid);
	if (!thread || attach_notify_data(thread)) {
		if (thread)
			thread_remove(thread);
		return NULL;
	}
	thread->tgid = tgid;
	if (snapshot) {
		thread->notify->random_address = snapshot->random_address;
		err = inherit_snapshot(thread, snapshot);
	} else {
		parent = thread_find(tgid != tid ? tgid : ppid);
		event.type = parent ? PSEUDO_EVENT_CLONE : PSEUDO_EVENT_START;
		event.thread = thread;
		event.tid = tid;
		event.parent_tid = parent ? parent->tid : 0;
		event.same_process = tgid != tid;
		debug_msg("tid %d: no record of its creation; it inherits from "
			  "%d",
			  tid, parent ? parent->tid : 0);
		err = thread_dispatch_event(server.config->modules, &event,
					    parent);
	}
	if (err)
		kill(tid, SIGKILL);
	return thread;
}

/* The thread of a notification from TID, created on first sight. */
static struct pseudo_thread *current_thread(pid_t tid)
{
	struct pseudo_thread *thread = thread_find(tid);

	if (!thread)
		return adopt_thread(tid);
	check_exec(thread->tgid);
	return thread_find(tid);
}

/* Frees the states of every thread whose pidfd became readable. */
static void drain_exits(void)
{
	struct epoll_event events[64];
	int count;

	server.calls_since_drain = 0;
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

/* The tracking module: observer rows that record what ptrace would have
 * reported as events. */

static enum pseudo_verdict track_clone(struct pseudo_call *call)
{
	enum pseudo_event_type type = PSEUDO_EVENT_CLONE;
	uint64_t flags = 0;

	switch ((enum tracked_call)call->data) {
	case TRACK_FORK:
		type = PSEUDO_EVENT_FORK;
		break;
	case TRACK_VFORK:
		type = PSEUDO_EVENT_VFORK;
		break;
	case TRACK_CLONE:
		flags = call->args[0];
		break;
	case TRACK_CLONE3:
		/* struct clone_args starts with its 64-bit flags. */
		if (pseudo_mem_read(call, call->args[0], &flags, sizeof(flags)))
			return PSEUDO_CONTINUE;
		break;
	default:
		return PSEUDO_CONTINUE;
	}
	if (type == PSEUDO_EVENT_CLONE && (flags & CLONE_VFORK))
		type = PSEUDO_EVENT_VFORK;
	/* The new thread may get the tid of one that exited: its states must
	 * be gone first. */
	drain_exits();
	take_snapshot(call->thread, flags & CLONE_THREAD, type);
	return PSEUDO_CONTINUE;
}

static enum pseudo_verdict track_execve(struct pseudo_call *call)
{
	struct notify_thread *data = call->thread->notify;
	const struct abi_desc *abi = abi_find(call->abi);

	if (data->exec_pending || exec_pending_count == MAX_EXEC_PENDING)
		return PSEUDO_CONTINUE;
	if (!data->random_address &&
	    find_random_address(call->tgid, abi->word_size,
				&data->random_address))
		return PSEUDO_CONTINUE;
	if (read_random(call->tgid, data->random_address, data->exec_random) ==
	    0) {
		data->exec_pending = true;
		exec_pending[exec_pending_count++] = call->thread;
	}
	return PSEUDO_CONTINUE;
}

#define TRACK(call, what, handler)                                             \
	{                                                                      \
		.name = (call), .action = PSEUDO_ACTION_HANDLE,                \
		.flags = PSEUDO_SYSCALL_OBSERVE, .enter = (handler),           \
		.data = (what),                                                \
	}

static const struct pseudo_syscall tracking_syscalls[] = {
	TRACK("fork", TRACK_FORK, track_clone),
	TRACK("vfork", TRACK_VFORK, track_clone),
	TRACK("clone", TRACK_CLONE, track_clone),
	TRACK("clone3", TRACK_CLONE3, track_clone),
	TRACK("execve", TRACK_EXECVE, track_execve),
	TRACK("execveat", TRACK_EXECVE, track_execve),
	{ 0 },
};

const struct pseudo_module notify_tracking_module = {
	.abi_version = PSEUDO_MODULE_ABI_VERSION,
	.name = "notify_tracking",
	.summary = "built in: follows clone and execve for the notify backend",
	.syscalls = tracking_syscalls,
};

/* Receiving calls. */

static void fill_call(struct pending_call *pending,
		      struct pseudo_thread *thread,
		      const struct syscall_entry *entry,
		      const struct seccomp_notif *request)
{
	struct pseudo_call *call = &pending->call;

	pending->entry = entry;
	pending->notification_id = request->id;
	pending->mem_fd = -1;
	*call = (struct pseudo_call){
		.thread = thread,
		.tid = thread->tid,
		.tgid = thread->tgid,
		.abi = entry->abi->abi,
		.nr = entry->nr,
	};
	for (int i = 0; i < 6; i++) {
		uint64_t arg = request->data.args[i];

		call->args[i] =
			entry->abi->word_size == 4 ? (uint32_t)arg : arg;
	}
}

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

	response->id = request->id;
	response->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	if (abi)
		entry = syscall_table_find(server.config->table, abi->abi,
					   request->data.nr);
	thread = entry ? current_thread((pid_t)request->pid) : NULL;
	if (!thread)
		return;
	if (!thread->pending)
		thread->pending = calloc(1, sizeof(*thread->pending));
	pending = thread->pending;
	if (!pending)
		return;
	fill_call(pending, thread, entry, request);
	if (supervisor_enter_call(&notify_backend, pending) == CALL_RETURN) {
		int64_t result = pending->call.result;

		response->flags = 0;
		if (result < 0 && result >= -4095)
			response->error = (int32_t)result;
		else
			response->val = result;
	}
	if (pending->mem_fd >= 0) {
		/* The tracee's memory was used: reply only while the call
		 * is still the one read. */
		if (ioctl(server.listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id))
			response->id = 0;
		close(pending->mem_fd);
		pending->mem_fd = -1;
	}
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
		if (++server.calls_since_drain == 256)
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

static int start_main_thread(pid_t child)
{
	struct pseudo_thread *thread = thread_add(child);
	struct pseudo_event event = { .type = PSEUDO_EVENT_START };

	if (!thread || attach_notify_data(thread))
		return -ENOMEM;
	event.thread = thread;
	event.tid = child;
	return thread_dispatch_event(server.config->modules, &event, NULL);
}

/* Releases what the run left: threads of processes that outlived the
 * listener, and snapshots never claimed. */
static void release_all(void)
{
	while (snapshot_list) {
		struct snapshot *snapshot = snapshot_list;

		unlink_snapshot(snapshot);
		free_snapshot(snapshot);
	}
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
	thread_table_setup(config->modules);
	/* The receiver and the command's first call meet on one CPU without
	 * a scheduler round trip (Linux 6.6). */
	if (ioctl(server.listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, sync_flags) <
	    0)
		debug_msg("notify: no synchronous wake-up: %s",
			  strerror(errno));
	server.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (server.epoll_fd < 0) {
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
		debug_msg("supervisor: %zu threads at most, %zu left",
			  thread_peak_count(), thread_count());
	release_all();
	close(server.epoll_fd);
	*status = server.main_status;
	return server.main_reaped ? 0 : -ECHILD;
}
