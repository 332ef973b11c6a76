/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * Forks COUNT children one after the other; before each fork the parent,
 * root, sets its effective uid to a new value, and each child checks that
 * it inherited that value.  Then executes the rest of the command line,
 * if any, so that the supervisor's state table can be compared before and
 * after.
 *
 * Usage: fork_probe COUNT [COMMAND [ARG]...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int count = argc > 1 ? atoi(argv[1]) : 1000;
	int mismatches = 0;

	for (int i = 0; i < count; i++) {
		uid_t expected = 1000 + i;
		int status;
		pid_t pid;

		if (syscall(SYS_setresuid, -1, expected, -1) != 0) {
			perror("fork_probe: setresuid");
			return 1;
		}
		pid = fork();
		if (pid == 0)
			_exit(syscall(SYS_geteuid) == expected ? 0 : 1);
		if (pid < 0 || waitpid(pid, &status, 0) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			mismatches++;
		if (syscall(SYS_setresuid, -1, 0, -1) != 0) {
			perror("fork_probe: setresuid back to 0");
			return 1;
		}
	}
	printf("%d forks, %d children with wrong ids\n", count, mismatches);
	fflush(stdout);
	if (mismatches)
		return 1;
	if (argc > 2) {
		execvp(argv[2], &argv[2]);
		perror("fork_probe: execvp");
		return 127;
	}
	return 0;
}
