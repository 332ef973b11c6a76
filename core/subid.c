/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * Subordinate id ranges (/etc/subuid, /etc/subgid) and the setuid
 * helpers newuidmap and newgidmap that map them.
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core.h"

/* Lines are "NAME_OR_UID:START:COUNT" (subuid(5)). */
static bool line_matches(const char *owner, const char *user, uid_t uid)
{
	char number[16];

	snprintf(number, sizeof(number), "%u", (unsigned int)uid);
	return (user && strcmp(owner, user) == 0) || strcmp(owner, number) == 0;
}

int subid_find(const char *file, uid_t uid, struct subid_range *range)
{
	struct passwd *pw = getpwuid(uid);
	const char *user = pw ? pw->pw_name : NULL;
	FILE *stream = fopen(file, "re");
	char line[512];
	int err = -ENOENT;

	if (!stream)
		return errno == ENOENT ? -ENOENT : -errno;
	while (fgets(line, sizeof(line), stream)) {
		char *owner = strtok(line, ":\n");
		char *start = strtok(NULL, ":\n");
		char *count = strtok(NULL, ":\n");

		if (!owner || !start || !count || owner[0] == '#' ||
		    !line_matches(owner, user, uid))
			continue;
		range->start = strtoul(start, NULL, 10);
		range->count = strtoul(count, NULL, 10);
		if (range->count == 0)
			continue;
		err = 0;
		break;
	}
	fclose(stream);
	return err;
}

static int find_in_path(const char *name, char *path, size_t size)
{
	const char *search = getenv("PATH");
	autofree char *copy = NULL;
	char *saveptr = NULL;

	copy = strdup(search && *search ? search : "/usr/bin:/bin");
	if (!copy)
		return -ENOMEM;
	for (char *dir = strtok_r(copy, ":", &saveptr); dir;
	     dir = strtok_r(NULL, ":", &saveptr)) {
		snprintf(path, size, "%s/%s", *dir ? dir : ".", name);
		if (access(path, X_OK) == 0)
			return 0;
	}
	/* Debian installs them in /usr/bin, which PATH may lack. */
	snprintf(path, size, "/usr/bin/%s", name);
	return access(path, X_OK) == 0 ? 0 : -ENOENT;
}

/* Whether the file carries CAPABILITY in its permitted set. */
static bool has_file_capability(const char *path, cap_value_t capability)
{
	cap_t caps = cap_get_file(path);
	cap_flag_value_t value = CAP_CLEAR;

	if (!caps)
		return false;
	if (cap_get_flag(caps, capability, CAP_PERMITTED, &value) < 0)
		value = CAP_CLEAR;
	cap_free(caps);
	return value == CAP_SET;
}

int subid_helper_check(const char *name, bool gid, char *path, size_t size)
{
	struct stat st;
	int err = find_in_path(name, path, size);

	if (err)
		return err;
	if (stat(path, &st) < 0)
		return -errno;
	if (st.st_uid == 0 && (st.st_mode & S_ISUID))
		return 0;
	return has_file_capability(path, gid ? CAP_SETGID : CAP_SETUID)
		       ? 0
		       : -EPERM;
}

static int run_helper(const char *path, char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execv(path, argv);
		_exit(EXIT_CANNOT_EXECUTE);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		error_msg("%s failed with status %d; check its message above "
			  "and your lines in /etc/subuid and /etc/subgid",
			  path, exit_status_from_wait(status));
		return -EPERM;
	}
	return 0;
}

/* Maps root to the caller and 1.. to the range. */
int subid_write_map(pid_t child, bool gid, const struct subid_range *range)
{
	const char *name = gid ? "newgidmap" : "newuidmap";
	char path[4096];
	char pid_text[16];
	char caller[16];
	char start[24];
	char count[24];
	char *argv[] = { path, pid_text, "0",	caller, "1",
			 "1",  start,	 count, NULL };
	int err = subid_helper_check(name, gid, path, sizeof(path));

	if (err) {
		error_msg("cannot map subordinate ids: %s %s; install the "
			  "uidmap package",
			  name,
			  err == -ENOENT ? "is not installed"
					 : "is neither set-user-ID root nor "
					   "carries the needed capability");
		return err;
	}
	snprintf(pid_text, sizeof(pid_text), "%d", child);
	snprintf(caller, sizeof(caller), "%u",
		 gid ? (unsigned int)getgid() : (unsigned int)getuid());
	snprintf(start, sizeof(start), "%lu", range->start);
	snprintf(count, sizeof(count), "%lu", range->count);
	return run_helper(path, argv);
}
