/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * credsuite: runs named credential cases, each in a new child process, and
 * prints what every call returned and the credential state between them.
 *
 * Usage: credsuite --list
 *        credsuite [--tmpdir=DIR] --all | CASE...
 *
 * Run as real root, it prints the kernel's results.  Run under an emulator
 * that starts the command as virtual root, it prints the emulated ones,
 * and the two outputs must be equal line by line.  The cases copy the
 * suite's executable into a scratch directory under DIR (default $TMPDIR,
 * else /tmp) for their set-ID programs, so DIR must not be on a nosuid
 * mount and must be searchable by every user.
 *
 * NOTE: what the emulation cannot match stays out of the cases: /proc
 * (status, uid_map), the auxiliary vector (AT_SECURE and AT_UID keep the
 * real values), PR_GET_DUMPABLE and PR_GET_PDEATHSIG after an id change,
 * file capabilities, set-ID files of owners other than root, nested user
 * namespaces, and set-ID execve by a process sharing its file-system
 * information with another one (CLONE_FS).
 */
#include "credsuite.h"

#include <ftw.h>
#include <grp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

/* Seconds after which a case's child is killed, so that a hang shows as
 * SIGALRM in the output instead of stopping the suite. */
#define CASE_TIMEOUT 30

/* Exit status for invalid usage. */
#define EXIT_USAGE 2

static const struct credsuite_case *const case_tables[] = {
	ids_cases, groups_cases, caps_cases, process_cases, program_cases,
};

#define TABLE_COUNT (sizeof(case_tables) / sizeof(case_tables[0]))

static const struct credsuite_case *find_case(const char *name)
{
	for (size_t t = 0; t < TABLE_COUNT; t++) {
		for (const struct credsuite_case *c = case_tables[t]; c->name;
		     c++) {
			if (strcmp(c->name, name) == 0)
				return c;
		}
	}
	return NULL;
}

static void list_cases(void)
{
	for (size_t t = 0; t < TABLE_COUNT; t++) {
		for (const struct credsuite_case *c = case_tables[t]; c->name;
		     c++)
			puts(c->name);
	}
}

/*
 * Brings the calling process to uid 0, gid 0, groups {0}, no securebits,
 * no keepcaps, no ambient and no inheritable capabilities, and the
 * effective set equal to the permitted set.  For real root this changes
 * little; a failure is printed, so that it shows in the comparison.
 */
static void normalize(void)
{
	const gid_t root_group = 0;
	uint64_t permitted;

	if (setgroups(1, &root_group) < 0)
		show("normalize: setgroups failed: %s", errno_name(errno));
	if (setresgid(0, 0, 0) < 0)
		show("normalize: setresgid failed: %s", errno_name(errno));
	if (setresuid(0, 0, 0) < 0)
		show("normalize: setresuid failed: %s", errno_name(errno));
	if (prctl(PR_GET_SECUREBITS, 0, 0, 0, 0) != 0 &&
	    prctl(PR_SET_SECUREBITS, 0, 0, 0, 0) < 0)
		show("normalize: securebits: %s", errno_name(errno));
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		show("normalize: keepcaps: %s", errno_name(errno));
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		show("normalize: ambient: %s", errno_name(errno));
	permitted = caps_permitted();
	if (caps_set(permitted, permitted, 0) < 0)
		show("normalize: capset failed: %s", errno_name(errno));
}

static void run_case(const struct credsuite_case *c)
{
	pid_t pid;

	printf("case %s\n", c->name);
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		show("fork failed: %s", errno_name(errno));
		return;
	}
	if (pid == 0) {
		alarm(CASE_TIMEOUT);
		normalize();
		c->run();
		fflush(stdout);
		_exit(0);
	}
	show_wait("case", pid);
	fflush(stdout);
}

static int remove_entry(const char *path, const struct stat *st, int type,
			struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	remove(path);
	return 0;
}

/* Creates the scratch directory under DIR, searchable by every user
 * because the cases execute set-ID copies after leaving root. */
static int make_scratch(const char *dir)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/credsuite.XXXXXX", dir);
	if (!mkdtemp(path) || chmod(path, 0755) < 0) {
		fprintf(stderr,
			"credsuite: cannot create a directory in '%s': %s\n",
			dir, strerror(errno));
		return -1;
	}
	set_scratch_dir(path);
	return 0;
}

static void remove_scratch(void)
{
	nftw(scratch_dir(), remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int run_cases(const char *dir, char **names, int count, bool all)
{
	if (make_scratch(dir) < 0)
		return EXIT_FAILURE;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t t = 0; all && t < TABLE_COUNT; t++) {
		for (const struct credsuite_case *c = case_tables[t]; c->name;
		     c++)
			run_case(c);
	}
	for (int i = 0; !all && i < count; i++)
		run_case(find_case(names[i]));
	remove_scratch();
	return EXIT_SUCCESS;
}

/* The program that exec_self() runs: it prints the state it starts
 * with. */
static int after_exec(const char *label)
{
	show("after execve %s", label);
	show_state("after execve");
	fflush(stdout);
	return EXIT_SUCCESS;
}

static int usage(FILE *stream, int status)
{
	fputs("Usage: credsuite --list\n"
	      "       credsuite [--tmpdir=DIR] --all | CASE...\n"
	      "Runs credential cases, each in a new child process, and prints\n"
	      "every call with its result and the credential state after it.\n"
	      "DIR (default $TMPDIR, else /tmp) holds set-ID copies of this\n"
	      "program while the cases run.\n",
	      stream);
	return status;
}

/* Returns the index of the first case name, or -1 after reporting an
 * unknown one. */
static int check_names(int argc, char **argv, int first)
{
	for (int i = first; i < argc; i++) {
		if (!find_case(argv[i])) {
			fprintf(stderr,
				"credsuite: unknown case '%s'; "
				"see credsuite --list\n",
				argv[i]);
			return -1;
		}
	}
	return first;
}

int main(int argc, char **argv)
{
	const char *dir = getenv("TMPDIR");
	int first = 1;

	self_path();
	if (argc == 3 && strcmp(argv[1], "--after-exec") == 0)
		return after_exec(argv[2]);
	/* A script of setid_script(): credsuite SCRIPT --after-exec LABEL. */
	if (argc == 4 && strcmp(argv[2], "--after-exec") == 0)
		return after_exec(argv[3]);
	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		list_cases();
		return EXIT_SUCCESS;
	}
	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		return usage(stdout, EXIT_SUCCESS);
	if (!dir || !*dir)
		dir = "/tmp";
	if (argc > 1 && strncmp(argv[1], "--tmpdir=", 9) == 0)
		dir = argv[first++] + 9;
	if (first == argc)
		return usage(stderr, EXIT_USAGE);
	if (argc == first + 1 && strcmp(argv[first], "--all") == 0)
		return run_cases(dir, NULL, 0, true);
	if (check_names(argc, argv, first) < 0)
		return EXIT_USAGE;
	return run_cases(dir, argv + first, argc - first, false);
}
