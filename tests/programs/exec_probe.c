/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * Runs execve of itself COUNT times.  Before each execve, as root with
 * saved uid 0, it sets its effective uid to 1000; after it, the saved uid
 * must be 1000, since execve copies the effective ids to the saved ones.
 * Built static and at fixed addresses, so that every program it runs
 * makes its calls from the same pages.  Prints how many execve calls left
 * the saved uid unchanged.
 *
 * Usage: exec_probe COUNT
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int remaining = argc > 1 ? atoi(argv[1]) : 100;
	int missed = argc > 2 ? atoi(argv[2]) : 0;
	char remaining_text[16];
	char missed_text[16];
	uid_t real, effective, saved;

	if (argc > 2) {
		syscall(SYS_getresuid, &real, &effective, &saved);
		if (saved != 1000)
			missed++;
		/* Back to root through the real uid, which stayed 0. */
		syscall(SYS_setresuid, 0, 0, 0);
	}
	if (remaining == 0) {
		printf("%d execve calls missed\n", missed);
		return missed ? 1 : 0;
	}
	snprintf(remaining_text, sizeof(remaining_text), "%d", remaining - 1);
	snprintf(missed_text, sizeof(missed_text), "%d", missed);
	syscall(SYS_setresuid, 0, 1000, 0);
	execl("/proc/self/exe", argv[0], remaining_text, missed_text,
	      (char *)NULL);
	perror("exec_probe: execl");
	return 127;
}
