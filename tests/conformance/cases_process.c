/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * Cases of credentials across fork, vfork, posix_spawn, threads and
 * execve, including set-user-ID and set-group-ID programs.
 *
 * The execve cases run the suite's own executable again, which prints the
 * state it starts with (exec_self()).  The set-ID cases run copies of it
 * owned by root, the caller of the suite.
 */
#include "credsuite.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void show_child_state(void)
{
	show_state("in the child");
	CALL(setresuid(2000, 2000, 2000));
	show_state("after the child's setresuid");
}

static void fork_inherits_credentials(void)
{
	const gid_t groups[] = { 5, 6 };

	show_setgroups(2, groups);
	CALL(setresgid(100, 200, 0));
	CALL(setresuid(1000, 0, 0));
	run_in_fork(show_child_state);
	show_state("in the parent");
}

/* The results a vfork child stores for its parent to print, because the
 * child shares the parent's memory and must not use stdio. */
static volatile long vfork_results[3];

/* A vfork child's credentials are its own even though it shares the
 * parent's memory. */
static void vfork_child_credentials_are_its_own(void)
{
	pid_t pid;

	CALL(setresuid(1000, 0, 0));
	fflush(stdout);
	pid = vfork();
	if (pid == 0) {
		vfork_results[0] = syscall(SYS_setresuid, 3000, 3000, 3000);
		vfork_results[1] = syscall(SYS_getuid);
		vfork_results[2] = syscall(SYS_geteuid);
		_exit(0);
	}
	show_wait("vfork child", pid);
	show("vfork child: setresuid = %ld, getuid = %ld, geteuid = %ld",
	     vfork_results[0], vfork_results[1], vfork_results[2]);
	show_state("in the parent");
}

static void vfork_then_execve(void)
{
	pid_t pid;

	CALL(setresgid(100, 100, 0));
	CALL(setresuid(1000, 1000, 0));
	fflush(stdout);
	pid = vfork();
	if (pid == 0) {
		char *argv[4];

		self_argv(NULL, "from a vfork child", argv);
		execv(argv[0], argv);
		_exit(127);
	}
	show_wait("vfork child", pid);
	show_state("in the parent");
}

static void spawn_program(const char *path, short flags)
{
	posix_spawnattr_t attributes;
	char *argv[4];
	pid_t pid;
	int error;

	self_argv(path, "from posix_spawn", argv);
	posix_spawnattr_init(&attributes);
	posix_spawnattr_setflags(&attributes, flags);
	fflush(stdout);
	error = posix_spawn(&pid, argv[0], NULL, &attributes, argv, environ);
	posix_spawnattr_destroy(&attributes);
	if (error) {
		show("posix_spawn failed: %s", errno_name(error));
		return;
	}
	show_wait("spawned child", pid);
}

static void posix_spawn_inherits(void)
{
	CALL(setresgid(100, 100, 100));
	CALL(setresuid(0, 1000, 0));
	spawn_program(NULL, 0);
}

/* POSIX_SPAWN_RESETIDS makes the child set its euid and egid to its real
 * ids before execve. */
static void posix_spawn_resetids(void)
{
	CALL(setresgid(100, 0, 0));
	CALL(setresuid(1000, 0, 0));
	spawn_program(NULL, POSIX_SPAWN_RESETIDS);
}

static void show_thread_state(void)
{
	show_state("in the thread");
}

static void thread_inherits_credentials(void)
{
	struct worker *worker;

	CALL(setresuid(1000, 0, 0));
	worker = worker_start();
	worker_run(worker, show_thread_state);
	worker_stop(worker);
}

/* glibc's wrappers change the credentials of every thread of the process
 * (the setxid broadcast), not only the caller's. */
static void glibc_setuid_reaches_all_threads(void)
{
	const gid_t groups[] = { 7 };
	struct worker *worker = worker_start();

	show_setgroups(1, groups);
	CALL(setresgid(100, 100, 100));
	CALL(setresuid(1000, 1000, 0));
	worker_run(worker, show_thread_state);
	worker_stop(worker);
}

static void drop_thread_raw(void)
{
	CALL(syscall(SYS_setresgid, 100, 100, 100));
	CALL(syscall(SYS_setresuid, 1000, 1000, 1000));
	show_state("in the thread after its raw calls");
}

/* A raw system call changes only the calling thread. */
static void raw_setresuid_changes_only_calling_thread(void)
{
	struct worker *worker = worker_start();

	worker_run(worker, drop_thread_raw);
	show_state("in the main thread");
	worker_run(worker, show_thread_state);
	worker_stop(worker);
}

/*
 * When the threads' credentials differ, a glibc setuid succeeds in one
 * thread and fails in another, and glibc aborts the process on the
 * mismatch.
 */
static void divergent_threads(void)
{
	struct worker *worker = worker_start();

	worker_run(worker, drop_thread_raw);
	fflush(stdout);
	setuid(2000);
	show("setuid(2000) returned");
}

static void glibc_setxid_mismatch_aborts(void)
{
	run_in_fork(divergent_threads);
}

static struct worker *other_thread;

static void show_other_thread_caps(void)
{
	struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3,
						   worker_tid(other_thread) };
	struct __user_cap_data_struct data[2];

	CALL(syscall(SYS_capget, &header, data));
	show("capget of the other thread: e=%08x%08x p=%08x%08x",
	     data[1].effective, data[0].effective, data[1].permitted,
	     data[0].permitted);
	CALL(syscall(SYS_capset, &header, data));
}

static void capget_reads_other_thread(void)
{
	other_thread = worker_start();
	worker_run(other_thread, drop_thread_raw);
	show_other_thread_caps();
	worker_stop(other_thread);
}

static void setgroups_raw_in_thread(void)
{
	const gid_t groups[] = { 11, 12 };

	CALL(syscall(SYS_setgroups, 2, groups));
	show_state("in the thread after its raw setgroups");
}

static void setgroups_per_thread(void)
{
	const gid_t groups[] = { 21 };
	struct worker *worker = worker_start();

	worker_run(worker, setgroups_raw_in_thread);
	show_state("in the main thread");
	show_setgroups(1, groups);
	worker_run(worker, show_thread_state);
	worker_stop(worker);
}

/* execve sets the saved ids from the effective ids, and without uid 0
 * clears the capability sets. */
static void execve_sets_saved_from_effective(void)
{
	const gid_t groups[] = { 5, 6 };

	show_setgroups(2, groups);
	CALL(setresgid(100, 200, 300));
	CALL(setresuid(1000, 2000, 3000));
	VALUE(setfsuid(-1));
	exec_self(NULL, "with distinct ids");
}

/* A real uid of 0 keeps the permitted set, but only euid 0 makes it
 * effective. */
static void execve_real_root_effective_user(void)
{
	CALL(setresuid(0, 1000, 1000));
	exec_self(NULL, "with ruid 0, euid 1000");
}

static void execve_effective_root_real_user(void)
{
	CALL(setresuid(1000, 0, 1000));
	exec_self(NULL, "with ruid 1000, euid 0");
}

static void execve_as_root_resets_fsuid_and_keepcaps(void)
{
	CALL(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	VALUE(setfsuid(5));
	VALUE(setfsgid(6));
	exec_self(NULL, "as root");
}

/* Root's permitted set after execve is the bounding set plus the
 * inheritable set. */
static void execve_as_root_after_capset(void)
{
	uint64_t permitted = caps_permitted();
	uint64_t fewer = permitted & ~(BIT(CAP_NET_RAW) | BIT(CAP_KILL));

	CALL(caps_set(fewer, fewer, BIT(CAP_CHOWN)));
	CALL(prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0));
	exec_self(NULL, "as root with fewer capabilities");
}

static void execve_noroot_securebit(void)
{
	CALL(prctl(PR_SET_SECUREBITS, SECBIT_NOROOT, 0, 0, 0));
	exec_self(NULL, "as root with SECBIT_NOROOT");
}

/* Ambient capabilities are what a user keeps across execve. */
static void execve_keeps_ambient(void)
{
	uint64_t permitted = caps_permitted();

	CALL(caps_set(permitted, permitted, BIT(CAP_NET_BIND_SERVICE)));
	CALL(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	CALL(setresuid(1000, 1000, 1000));
	CALL(caps_set(BIT(CAP_NET_BIND_SERVICE), BIT(CAP_NET_BIND_SERVICE),
		      BIT(CAP_NET_BIND_SERVICE)));
	CALL(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE,
		   0, 0));
	show_state("before execve");
	exec_self(NULL, "as a user with an ambient capability");
}

static void exec_from_thread(void)
{
	exec_self(NULL, "from a thread");
}

/* An execve in a thread other than the leader continues with that
 * thread's credentials. */
static void execve_from_thread_uses_its_credentials(void)
{
	struct worker *worker = worker_start();

	worker_run(worker, drop_thread_raw);
	worker_run(worker, exec_from_thread);
}

/* Set-ID programs: the suite's executable copied with MODE, executed
 * after leaving root. */
static void exec_copy_as_user(mode_t mode, const char *label)
{
	const char *copy = setid_copy(NULL, mode);

	if (!copy)
		return;
	drop_to(1000, 1000);
	exec_self(copy, label);
}

static void setuid_root_program_from_user(void)
{
	exec_copy_as_user(04755, "of a set-user-ID-root program");
}

static void setgid_root_program_from_user(void)
{
	exec_copy_as_user(02755, "of a set-group-ID-root program");
}

static void setuid_setgid_root_program_from_user(void)
{
	exec_copy_as_user(06755, "of a set-user-ID and set-group-ID program");
}

/* S_ISGID without group execute permission marks mandatory locking, not
 * set-group-ID. */
static void setgid_without_group_execute_ignored(void)
{
	exec_copy_as_user(02745, "of a set-group-ID program without g+x");
}

/* Supplementary group 0 and egid 0 already: the set-group-ID bit changes
 * nothing, so the ambient set survives. */
static void setgid_program_keeps_ambient_of_member(void)
{
	const char *copy = setid_copy(NULL, 02755);
	uint64_t permitted = caps_permitted();

	if (!copy)
		return;
	CALL(caps_set(permitted, permitted, BIT(CAP_KILL)));
	CALL(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	CALL(setresuid(1000, 1000, 1000));
	CALL(caps_set(BIT(CAP_KILL), BIT(CAP_KILL), BIT(CAP_KILL)));
	CALL(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0));
	exec_self(copy, "of a set-group-ID-root program by a member");
}

/* A set-user-ID program changes the euid, which clears the ambient
 * set. */
static void setuid_program_clears_ambient(void)
{
	const char *copy = setid_copy(NULL, 04755);
	uint64_t permitted = caps_permitted();

	if (!copy)
		return;
	CALL(caps_set(permitted, permitted, BIT(CAP_KILL)));
	CALL(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	CALL(setresgid(1000, 1000, 1000));
	CALL(setresuid(1000, 1000, 1000));
	CALL(caps_set(BIT(CAP_KILL), BIT(CAP_KILL), BIT(CAP_KILL)));
	CALL(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0));
	exec_self(copy, "of a set-user-ID-root program with ambient");
}

/* PR_SET_NO_NEW_PRIVS: set-ID bits no longer count. */
static void setuid_program_with_no_new_privs(void)
{
	const char *copy = setid_copy(NULL, 06755);

	if (!copy)
		return;
	drop_to(1000, 1000);
	CALL(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	exec_self(copy, "of a set-ID program with no_new_privs");
}

/* no_new_privs also keeps root from gaining capabilities it had given
 * up. */
static void root_execve_with_no_new_privs(void)
{
	uint64_t permitted = caps_permitted();
	uint64_t fewer = permitted & ~BIT(CAP_NET_RAW);

	CALL(caps_set(fewer, fewer, 0));
	CALL(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	exec_self(NULL, "as root with no_new_privs");
}

/* A set-user-ID program on a nosuid mount runs with the caller's ids.
 * The mount is made in a private mount namespace of the case. */
static void setuid_program_on_nosuid_mount(void)
{
	char dir[4096];
	const char *copy;

	snprintf(dir, sizeof(dir), "%s/nosuid-%d", scratch_dir(),
		 (int)getpid());
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mkdir(dir, 0755) < 0 ||
	    mount("credsuite", dir, "tmpfs", MS_NOSUID, "mode=0755") < 0) {
		show("cannot mount a nosuid tmpfs: %s", errno_name(errno));
		return;
	}
	copy = setid_copy(dir, 04755);
	if (!copy)
		return;
	drop_to(1000, 1000);
	exec_self(copy, "of a set-user-ID program on a nosuid mount");
}

/* posix_spawn executes from a child that shares the parent's memory
 * (CLONE_VM | CLONE_VFORK); set-ID bits count as for execve. */
static void posix_spawn_setuid_program(void)
{
	const char *copy = setid_copy(NULL, 04755);

	if (!copy)
		return;
	drop_to(1000, 1000);
	spawn_program(copy, 0);
	show_state("in the parent");
}

static void exec_from_main_thread(void)
{
	struct worker *worker = worker_start();

	worker_run(worker, drop_thread_raw);
	exec_self(NULL, "from the main thread of two");
}

/* An execve in the leader while another thread has other credentials
 * keeps the leader's. */
static void execve_with_other_threads(void)
{
	CALL(setresuid(0, 0, 2000));
	exec_from_main_thread();
}

/* A set-user-ID script is run by its interpreter, whose mode counts. */
static void setuid_script_ignored(void)
{
	const char *script = setid_script(self_path(), 04755);

	if (!script)
		return;
	drop_to(1000, 1000);
	exec_self(script, "of a set-user-ID script");
}

static void script_with_setuid_interpreter(void)
{
	const char *copy = setid_copy(NULL, 04755);
	const char *script = copy ? setid_script(copy, 0755) : NULL;

	if (!script)
		return;
	drop_to(1000, 1000);
	exec_self(script, "of a script with a set-user-ID interpreter");
}

/* execveat of a descriptor (fexecve) honours set-ID bits too. */
static void fexecve_setuid_program(void)
{
	const char *copy = setid_copy(NULL, 04755);
	char *argv[4];
	int fd;

	if (!copy)
		return;
	fd = open(copy, O_RDONLY | O_CLOEXEC);
	drop_to(1000, 1000);
	self_argv(copy, "of a set-user-ID program by descriptor", argv);
	fflush(stdout);
	CALL(fexecve(fd, argv, environ));
}

/* SECBIT_NOROOT: a set-user-ID-root program gets euid 0 but no
 * capabilities. */
static void setuid_program_with_noroot_securebit(void)
{
	const char *copy = setid_copy(NULL, 04755);

	if (!copy)
		return;
	CALL(prctl(PR_SET_SECUREBITS, SECBIT_NOROOT, 0, 0, 0));
	drop_to(1000, 1000);
	exec_self(copy, "of a set-user-ID-root program with SECBIT_NOROOT");
}

static void execve_failure_keeps_credentials(void)
{
	char *argv[] = { (char *)"missing", NULL };

	CALL(setresuid(1000, 0, 0));
	CALL(execv("/nonexistent/credsuite", argv));
	CALL(execv("/", argv));
	show_state("end");
}

static void fork_in_thread(void)
{
	run_in_fork(show_child_state);
}

/* A process forked by a thread has that thread's credentials. */
static void fork_from_thread_copies_its_credentials(void)
{
	struct worker *worker = worker_start();

	worker_run(worker, drop_thread_raw);
	worker_run(worker, fork_in_thread);
	show_state("in the main thread");
	worker_stop(worker);
}

static void setfsuid_in_thread(void)
{
	VALUE(setfsuid(1000));
	VALUE(setfsgid(1000));
	show_state("in the thread after setfsuid(1000)");
}

static void setfsuid_is_per_thread(void)
{
	struct worker *worker = worker_start();

	worker_run(worker, setfsuid_in_thread);
	show_state("in the main thread");
	worker_stop(worker);
}

/* capset accepts the caller's own thread id, not its process id. */
static void capset_own_thread_id(void)
{
	struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3,
						   gettid() };
	struct __user_cap_data_struct data[2];

	CALL(syscall(SYS_capget, &header, data));
	CALL(syscall(SYS_capset, &header, data));
	header.pid = getpid();
	CALL(syscall(SYS_capset, &header, data));
}

static void capset_in_thread(void)
{
	struct worker *worker = worker_start();

	worker_run(worker, capset_own_thread_id);
	worker_stop(worker);
}

static void *read_leader_caps(void *arg)
{
	struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3,
						   getpid() };
	struct __user_cap_data_struct data[2];

	(void)arg;
	/* Lets the leader's pthread_exit complete.  capget returns the same
	 * before and after it, so the timing does not change the output. */
	usleep(100000);
	CALL(syscall(SYS_capget, &header, data));
	show("capget of the leader: e=%08x%08x p=%08x%08x", data[1].effective,
	     data[0].effective, data[1].permitted, data[0].permitted);
	show_state("in the remaining thread");
	fflush(stdout);
	exit(0);
}

/* After the leader's pthread_exit, its thread stays a zombie whose
 * credentials capget still reads. */
static void capget_of_exited_leader(void)
{
	pthread_t thread;

	CALL(syscall(SYS_setresuid, 1000, 1000, 1000));
	fflush(stdout);
	if (pthread_create(&thread, NULL, read_leader_caps, NULL) == 0)
		pthread_exit(NULL);
	show("cannot start a thread");
}

const struct credsuite_case process_cases[] = {
	{ "fork_inherits_credentials", fork_inherits_credentials },
	{ "vfork_child_credentials_are_its_own",
	  vfork_child_credentials_are_its_own },
	{ "vfork_then_execve", vfork_then_execve },
	{ "posix_spawn_inherits", posix_spawn_inherits },
	{ "posix_spawn_resetids", posix_spawn_resetids },
	{ "thread_inherits_credentials", thread_inherits_credentials },
	{ "glibc_setuid_reaches_all_threads",
	  glibc_setuid_reaches_all_threads },
	{ "raw_setresuid_changes_only_calling_thread",
	  raw_setresuid_changes_only_calling_thread },
	{ "glibc_setxid_mismatch_aborts", glibc_setxid_mismatch_aborts },
	{ "capget_reads_other_thread", capget_reads_other_thread },
	{ "setgroups_per_thread", setgroups_per_thread },
	{ "execve_sets_saved_from_effective",
	  execve_sets_saved_from_effective },
	{ "execve_real_root_effective_user", execve_real_root_effective_user },
	{ "execve_effective_root_real_user", execve_effective_root_real_user },
	{ "execve_as_root_resets_fsuid_and_keepcaps",
	  execve_as_root_resets_fsuid_and_keepcaps },
	{ "execve_as_root_after_capset", execve_as_root_after_capset },
	{ "execve_noroot_securebit", execve_noroot_securebit },
	{ "execve_keeps_ambient", execve_keeps_ambient },
	{ "execve_from_thread_uses_its_credentials",
	  execve_from_thread_uses_its_credentials },
	{ "setuid_root_program_from_user", setuid_root_program_from_user },
	{ "setgid_root_program_from_user", setgid_root_program_from_user },
	{ "setuid_setgid_root_program_from_user",
	  setuid_setgid_root_program_from_user },
	{ "setgid_without_group_execute_ignored",
	  setgid_without_group_execute_ignored },
	{ "setgid_program_keeps_ambient_of_member",
	  setgid_program_keeps_ambient_of_member },
	{ "setuid_program_clears_ambient", setuid_program_clears_ambient },
	{ "setuid_program_with_no_new_privs",
	  setuid_program_with_no_new_privs },
	{ "root_execve_with_no_new_privs", root_execve_with_no_new_privs },
	{ "setuid_program_on_nosuid_mount", setuid_program_on_nosuid_mount },
	{ "posix_spawn_setuid_program", posix_spawn_setuid_program },
	{ "execve_with_other_threads", execve_with_other_threads },
	{ "setuid_script_ignored", setuid_script_ignored },
	{ "script_with_setuid_interpreter", script_with_setuid_interpreter },
	{ "fexecve_setuid_program", fexecve_setuid_program },
	{ "setuid_program_with_noroot_securebit",
	  setuid_program_with_noroot_securebit },
	{ "execve_failure_keeps_credentials",
	  execve_failure_keeps_credentials },
	{ "fork_from_thread_copies_its_credentials",
	  fork_from_thread_copies_its_credentials },
	{ "setfsuid_is_per_thread", setfsuid_is_per_thread },
	{ "capset_in_thread", capset_in_thread },
	{ "capget_of_exited_leader", capget_of_exited_leader },
	{ NULL, NULL },
};
