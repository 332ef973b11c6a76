/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* The uid and gid maps of the command's user namespace. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core.h"

static int write_proc_file(pid_t pid, const char *name, const char *text)
{
	char path[64];
	autoclose int fd = -1;
	size_t length = strlen(text);

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, text, length) != (ssize_t)length) {
		int err = errno;

		error_msg("cannot write '%.*s' to %s: %s",
			  (int)strcspn(text, "\n"), text, path, strerror(err));
		return -err;
	}
	return 0;
}

/*
 * An unprivileged process may map only its own ids, one of each, and
 * must deny setgroups before writing gid_map (user_namespaces(7)).
 */
static int write_single_mapping(pid_t child, const struct userns_config *c)
{
	char line[64];
	int err;

	snprintf(line, sizeof(line), "%u %u 1\n", (unsigned int)c->inner_uid,
		 (unsigned int)getuid());
	err = write_proc_file(child, "uid_map", line);
	if (err)
		return err;
	err = write_proc_file(child, "setgroups", "deny\n");
	if (err)
		return err;
	snprintf(line, sizeof(line), "%u %u 1\n", (unsigned int)c->inner_gid,
		 (unsigned int)getgid());
	return write_proc_file(child, "gid_map", line);
}

int userns_write_maps(pid_t child, const struct userns_config *config)
{
	switch (config->mapping) {
	case USERNS_SINGLE:
		return write_single_mapping(child, config);
	case USERNS_SUBUID:
		if (subid_write_map(child, false, &config->uid_ranges))
			return -EPERM;
		return subid_write_map(child, true, &config->gid_ranges);
	}
	error_msg("unsupported user namespace mapping %d", config->mapping);
	return -EINVAL;
}
