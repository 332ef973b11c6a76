/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* Captures what the code under test writes to stderr. */
#ifndef PSEUDO_TEST_STDERR_CAPTURE_H
#define PSEUDO_TEST_STDERR_CAPTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct stderr_capture {
	int saved_fd;
	int file_fd;
	char text[8192];
};

static inline void stderr_capture_start(struct stderr_capture *capture)
{
	fflush(stderr);
	capture->saved_fd = dup(STDERR_FILENO);
	capture->file_fd = memfd_create("stderr", MFD_CLOEXEC);
	dup2(capture->file_fd, STDERR_FILENO);
}

/* Restores stderr and returns what was written, NUL-terminated. */
static inline const char *stderr_capture_stop(struct stderr_capture *capture)
{
	ssize_t length;

	fflush(stderr);
	dup2(capture->saved_fd, STDERR_FILENO);
	close(capture->saved_fd);
	length = pread(capture->file_fd, capture->text,
		       sizeof(capture->text) - 1, 0);
	capture->text[length > 0 ? length : 0] = '\0';
	close(capture->file_fd);
	return capture->text;
}

#endif /* PSEUDO_TEST_STDERR_CAPTURE_H */
