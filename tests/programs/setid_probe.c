/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * Checks the kernel's credential rules as a process that starts as root
 * sees them, through libc, through raw system calls, and on i386 through
 * the 16-bit calls.  Prints one line per check and exits with 1 when one
 * failed.
 *
 * Usage: setid_probe libc|raw|raw16
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

enum interface {
	LIBC,
	RAW,
	RAW16,
};

static enum interface interface;
static int failures;

static void check(int condition, const char *name)
{
	printf("%s - %s\n", condition ? "ok" : "not ok", name);
	if (!condition)
		failures++;
}

/* Returns 0 or the error number of a call returning -1. */
static int error_of(long result)
{
	return result == -1 ? errno : 0;
}

#if defined(__i386__)
#define NR(name) SYS_##name##32
#else
#define NR(name) SYS_##name
#endif

/* The 16-bit calls exist on i386 only: there, the plain names are the
 * 16-bit calls and the ones ending in 32 take 32-bit ids. */
#if defined(__i386__)
#define NR16(name) SYS_##name
#else
#define NR16(name) -1
#endif

static unsigned int as_16bit(unsigned int id)
{
	return id == (unsigned int)-1 ? 0xffff : id;
}

static int do_setresuid(unsigned int r, unsigned int e, unsigned int s)
{
	switch (interface) {
	case LIBC:
		return error_of(setresuid(r, e, s));
	case RAW:
		return error_of(syscall(NR(setresuid), r, e, s));
	default:
		return error_of(syscall(NR16(setresuid), as_16bit(r),
					as_16bit(e), as_16bit(s)));
	}
}

static int do_setresgid(unsigned int r, unsigned int e, unsigned int s)
{
	switch (interface) {
	case LIBC:
		return error_of(setresgid(r, e, s));
	case RAW:
		return error_of(syscall(NR(setresgid), r, e, s));
	default:
		return error_of(syscall(NR16(setresgid), as_16bit(r),
					as_16bit(e), as_16bit(s)));
	}
}

static int do_setuid(unsigned int uid)
{
	switch (interface) {
	case LIBC:
		return error_of(setuid(uid));
	case RAW:
		return error_of(syscall(NR(setuid), uid));
	default:
		return error_of(syscall(NR16(setuid), as_16bit(uid)));
	}
}

static int do_setgid(unsigned int gid)
{
	switch (interface) {
	case LIBC:
		return error_of(setgid(gid));
	case RAW:
		return error_of(syscall(NR(setgid), gid));
	default:
		return error_of(syscall(NR16(setgid), as_16bit(gid)));
	}
}

/* seteuid(id) is setresuid(-1, id, -1) in glibc. */
static int do_seteuid(unsigned int uid)
{
	if (interface == LIBC)
		return error_of(seteuid(uid));
	return do_setresuid(-1, uid, -1);
}

static int do_setegid(unsigned int gid)
{
	if (interface == LIBC)
		return error_of(setegid(gid));
	return do_setresgid(-1, gid, -1);
}

/* Reads the real, effective and saved uid. */
static int do_getresuid(unsigned int ids[3])
{
	if (interface == LIBC) {
		uid_t r, e, s;
		int err = error_of(getresuid(&r, &e, &s));

		ids[0] = r;
		ids[1] = e;
		ids[2] = s;
		return err;
	}
	if (interface == RAW) {
		uid_t r, e, s;
		int err = error_of(syscall(NR(getresuid), &r, &e, &s));

		ids[0] = r;
		ids[1] = e;
		ids[2] = s;
		return err;
	}
	unsigned short r16, e16, s16;
	int err = error_of(syscall(NR16(getresuid), &r16, &e16, &s16));

	ids[0] = r16;
	ids[1] = e16;
	ids[2] = s16;
	return err;
}

static long do_getuid(void)
{
	switch (interface) {
	case LIBC:
		return getuid();
	case RAW:
		return syscall(NR(getuid));
	default:
		return syscall(NR16(getuid));
	}
}

/* After dropping every id, root cannot come back. */
static void check_permanent_drop(void)
{
	unsigned int ids[3] = { 0 };

	check(do_setresgid(65534, 65534, 65534) == 0,
	      "setresgid(65534, 65534, 65534) succeeds");
	check(do_setresuid(100, 100, 100) == 0,
	      "setresuid(100, 100, 100) succeeds");
	check(do_getresuid(ids) == 0, "getresuid succeeds");
	check(ids[0] == 100, "real uid is 100");
	check(ids[1] == 100, "effective uid is 100");
	check(ids[2] == 100, "saved uid is 100");
	check(do_getuid() == 100, "getuid returns 100");
	check(do_setuid(0) == EPERM, "setuid(0) fails with EPERM");
	check(do_seteuid(0) == EPERM, "seteuid(0) fails with EPERM");
	check(do_setgid(0) == EPERM, "setgid(0) fails with EPERM");
	check(do_setegid(0) == EPERM, "setegid(0) fails with EPERM");
}

/* With the saved uid still 0, the effective uid can come back. */
static void check_temporary_drop(void)
{
	unsigned int ids[3] = { 0 };

	check(do_seteuid(100) == 0, "seteuid(100) as root succeeds");
	check(do_getresuid(ids) == 0, "getresuid after seteuid(100)");
	check(ids[0] == 0, "after seteuid(100): real uid is 0");
	check(ids[1] == 100, "after seteuid(100): effective uid is 100");
	check(ids[2] == 0, "after seteuid(100): saved uid is 0");
	check(do_seteuid(0) == 0, "seteuid(0) back to root succeeds");
	check(do_getresuid(ids) == 0, "getresuid after seteuid(0)");
	check(ids[1] == 0, "after seteuid(0): effective uid is 0");
}

/* Runs CHECKS in a child, so that each starts from root. */
static void in_child(void (*checks)(void))
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		checks();
		fflush(stdout);
		_exit(failures ? 1 : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		failures++;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: setid_probe libc|raw|raw16\n");
		return 2;
	}
	if (strcmp(argv[1], "libc") == 0)
		interface = LIBC;
	else if (strcmp(argv[1], "raw") == 0)
		interface = RAW;
	else if (strcmp(argv[1], "raw16") == 0 && NR16(getuid) != -1)
		interface = RAW16;
	else {
		fprintf(stderr, "setid_probe: invalid interface '%s'\n",
			argv[1]);
		return 2;
	}
	check(do_getuid() == 0, "starts as uid 0");
	in_child(check_permanent_drop);
	in_child(check_temporary_drop);
	return failures ? 1 : 0;
}
