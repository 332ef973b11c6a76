/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * hostname: sethostname and setdomainname report success without
 * changing the host, and uname reports the names they set for the rest
 * of the run.
 *
 * The command shares the host's UTS namespace, which belongs to the
 * initial user namespace, so the kernel rejects both calls with EPERM
 * even for the command's root.  This module checks the arguments as the
 * kernel does (EINVAL for a length above 64, EFAULT for an unreadable
 * name) and records the name.  The names are module data: one host name
 * and one domain name for the whole run, shared by every process below
 * the command.
 *
 * uname and i386's olduname then report the recorded names.  With the
 * ptrace backend the kernel runs uname and an exit handler overwrites
 * its fields in the caller's buffer.  The notify backend never gets
 * the result, so the enter handler fills the whole structure from the
 * supervisor's own uname() and the recorded names.
 *
 * NOTE: i386's oldolduname still reports the host's names.  Under the
 * notify backend the personality overrides of uname (linux32's i686,
 * UNAME26) are not applied.  The module does not check the caller's
 * virtual capabilities: a process that switched to another user can set
 * the names too.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <pseudo/module.h>

/* The kernel's __NEW_UTS_LEN: the longest name, without its NUL. */
#define NAME_MAX_LENGTH 64
/* The size of each field of the kernel's struct new_utsname. */
#define FIELD_SIZE (NAME_MAX_LENGTH + 1)

/* The fields of struct new_utsname, in order.  struct old_utsname of
 * olduname has the first five. */
enum uts_field {
	FIELD_SYSNAME,
	FIELD_NODENAME,
	FIELD_RELEASE,
	FIELD_VERSION,
	FIELD_MACHINE,
	FIELD_DOMAINNAME,
	FIELD_COUNT,
};

/* Module data: the names set during the run. */
struct recorded_names {
	/* Indexed by enum uts_field, but only the node and domain names
	 * are used.  Each is NUL-padded, as the kernel stores it. */
	char value[FIELD_COUNT][FIELD_SIZE];
	bool set[FIELD_COUNT];
};

/*
 * Records the name of sethostname(name, len) or setdomainname(name,
 * len).  The row's data is the field the call sets.
 */
static enum pseudo_verdict enter_set_name(struct pseudo_call *call)
{
	struct recorded_names *names = pseudo_data(call->ctx);
	enum uts_field field = call->data;
	/* The kernel's len is an int: only the low 32 bits count. */
	int length = (int)call->args[1];
	char value[FIELD_SIZE] = "";
	int err = 0;

	if (length < 0 || length > NAME_MAX_LENGTH) {
		call->result = -EINVAL;
		return PSEUDO_RETURN;
	}
	/* As the kernel's copy_from_user, a length of 0 reads nothing. */
	if (length > 0)
		err = pseudo_mem_read(call, call->args[0], value, length);
	if (err) {
		call->result = err;
		return PSEUDO_RETURN;
	}
	memcpy(names->value[field], value, sizeof(value));
	names->set[field] = true;
	pseudo_log(call->ctx, PSEUDO_LOG_DEBUG, "%s(\"%s\") by tid %d",
		   call->name, names->value[field], call->tid);
	call->result = 0;
	return PSEUDO_RETURN;
}

/*
 * Writes the recorded names among the first FIELDS fields of the
 * structure at call->args[0].  Returns 0 or the error of
 * pseudo_mem_write().
 */
static int write_recorded(struct pseudo_call *call, unsigned int fields)
{
	const struct recorded_names *names = pseudo_data(call->ctx);
	int err = 0;

	for (unsigned int i = 0; i < fields && !err; i++)
		if (names->set[i])
			err = pseudo_mem_write(call,
					       call->args[0] + i * FIELD_SIZE,
					       names->value[i], FIELD_SIZE);
	return err;
}

static bool any_recorded(const struct pseudo_call *call)
{
	const struct recorded_names *names = pseudo_data(call->ctx);

	return names->set[FIELD_NODENAME] || names->set[FIELD_DOMAINNAME];
}

/* glibc's struct utsname on Linux is the kernel's new_utsname. */
_Static_assert(sizeof(struct utsname) == FIELD_COUNT * FIELD_SIZE,
	       "struct utsname has the layout of struct new_utsname");

/* Fills the caller's structure, for backends that do not see the
 * kernel's result. */
static enum pseudo_verdict fill_structure(struct pseudo_call *call,
					  unsigned int fields)
{
	const struct recorded_names *names = pseudo_data(call->ctx);
	char buffer[FIELD_COUNT][FIELD_SIZE];
	struct utsname host;

	if (uname(&host) < 0) {
		call->result = -errno;
		return PSEUDO_RETURN;
	}
	memcpy(buffer, &host, sizeof(buffer));
	for (unsigned int i = 0; i < fields; i++)
		if (names->set[i])
			memcpy(buffer[i], names->value[i], FIELD_SIZE);
	call->result = pseudo_mem_write(call, call->args[0], buffer,
					fields * FIELD_SIZE);
	return PSEUDO_RETURN;
}

/* Handles uname(buf) and olduname(buf).  The row's data is the number
 * of fields of the structure. */
static enum pseudo_verdict enter_uname(struct pseudo_call *call)
{
	if (!any_recorded(call) || pseudo_call_can_see_exit(call))
		return PSEUDO_CONTINUE;
	return fill_structure(call, call->data);
}

static void exit_uname(struct pseudo_call *call)
{
	if (call->result == 0 && any_recorded(call))
		call->result = write_recorded(call, call->data);
}

static int hostname_init(struct pseudo_module_ctx *ctx)
{
	struct recorded_names *names = calloc(1, sizeof(*names));

	if (!names) {
		pseudo_error(ctx, "cannot allocate the module's data");
		return -ENOMEM;
	}
	pseudo_set_data(ctx, names);
	return 0;
}

static void hostname_fini(struct pseudo_module_ctx *ctx)
{
	free(pseudo_data(ctx));
	pseudo_set_data(ctx, NULL);
}

static const struct pseudo_syscall hostname_syscalls[] = {
	{
		.name = "sethostname",
		.action = PSEUDO_ACTION_HANDLE,
		.enter = enter_set_name,
		.data = FIELD_NODENAME,
	},
	{
		.name = "setdomainname",
		.action = PSEUDO_ACTION_HANDLE,
		.enter = enter_set_name,
		.data = FIELD_DOMAINNAME,
	},
	{
		.name = "uname",
		.action = PSEUDO_ACTION_HANDLE,
		.enter = enter_uname,
		.exit = exit_uname,
		.data = FIELD_COUNT,
	},
	{
		/* i386 only: struct old_utsname, without the domain name. */
		.name = "olduname",
		.action = PSEUDO_ACTION_HANDLE,
		.enter = enter_uname,
		.exit = exit_uname,
		.data = FIELD_DOMAINNAME,
	},
	{ 0 },
};

static const struct pseudo_module hostname_module = {
	.abi_version = PSEUDO_MODULE_ABI_VERSION,
	.name = "hostname",
	.summary = "sethostname and setdomainname succeed; uname reports "
		   "the names they set",
	.syscalls = hostname_syscalls,
	.init = hostname_init,
	.fini = hostname_fini,
};

PSEUDO_MODULE(hostname_module)
