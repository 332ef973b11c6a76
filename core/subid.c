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

static bool parse_number(const char *text, unsigned long *value)
{
	char *end;

	if (!text || *text < '0' || *text > '9')
		return false;
	errno = 0;
	*value = strtoul(text, &end, 10);
	return !errno && !*end;
}

int subid_find(const char *file, uid_t uid, struct subid_ranges *ranges)
{
	struct passwd *pw = getpwuid(uid);
	const char *user = pw ? pw->pw_name : NULL;
	FILE *stream = fopen(file, "re");
	unsigned int number = 0;
	char line[512];
	int err = 0;

	*ranges = (struct subid_ranges){ 0 };
	if (!stream)
		return errno == ENOENT ? -ENOENT : -errno;
	while (!err && fgets(line, sizeof(line), stream)) {
		char *owner = strtok(line, ":\n");
		char *start = strtok(NULL, ":\n");
		char *count = strtok(NULL, ":\n");
		struct subid_range range;

		number++;
		if (!owner || owner[0] == '#' ||
		    !line_matches(owner, user, uid))
			continue;
		if (!parse_number(start, &range.start) ||
		    !parse_number(count, &range.count) || range.start == 0) {
			error_msg("%s:%u: invalid range '%s:%s' of uid %u; ask "
				  "your administrator to fix it",
				  file, number, start ? start : "",
				  count ? count : "", (unsigned int)uid);
			err = -EINVAL;
			break;
		}
		if (!range.count || ranges->count == MAX_SUBID_RANGES)
			continue;
		ranges->ranges[ranges->count++] = range;
		ranges->total += range.count;
	}
	fclose(stream);
	if (!err && !ranges->count)
		err = -ENOENT;
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

/* Maps root to the caller and 1.. to the ranges, one after the other. */
int subid_write_map(pid_t child, bool gid, const struct subid_ranges *ranges)
{
	const char *name = gid ? "newgidmap" : "newuidmap";
	char path[4096];
	char numbers[3 * (MAX_SUBID_RANGES + 1) + 1][24];
	char *argv[2 + 3 * (MAX_SUBID_RANGES + 1) + 1];
	unsigned long inside = 1;
	size_t n = 0;
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
	argv[n++] = path;
	snprintf(numbers[0], sizeof(numbers[0]), "%d", child);
	argv[n++] = numbers[0];
	snprintf(numbers[1], sizeof(numbers[1]), "0");
	snprintf(numbers[2], sizeof(numbers[2]), "%u",
		 gid ? (unsigned int)getgid() : (unsigned int)getuid());
	snprintf(numbers[3], sizeof(numbers[3]), "1");
	argv[n++] = numbers[1];
	argv[n++] = numbers[2];
	argv[n++] = numbers[3];
	for (size_t i = 0; i < ranges->count; i++) {
		snprintf(numbers[4 + 3 * i], sizeof(numbers[0]), "%lu", inside);
		snprintf(numbers[5 + 3 * i], sizeof(numbers[0]), "%lu",
			 ranges->ranges[i].start);
		snprintf(numbers[6 + 3 * i], sizeof(numbers[0]), "%lu",
			 ranges->ranges[i].count);
		argv[n++] = numbers[4 + 3 * i];
		argv[n++] = numbers[5 + 3 * i];
		argv[n++] = numbers[6 + 3 * i];
		inside += ranges->ranges[i].count;
	}
	argv[n] = NULL;
	return run_helper(path, argv);
}
