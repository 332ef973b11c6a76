/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * Unit tests of the credential model of modules/uid_gid/cred.c.
 *
 * Most tests are rows of tables; each row runs as its own cmocka test named
 * after the behaviour it checks.  The id rows run twice, for uids and, with
 * "uid" replaced by "gid" in the name, for gids.  The expected values come
 * from Linux 6.18 and were checked against it with cred_diff.
 *
 * Link with -Wl,--wrap=malloc, so that the allocations of cred.c go
 * through __wrap_malloc() below and a test can make one fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cred.h"

#include <errno.h>
#include <linux/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NONE ((uint32_t)-1)
#define BIT(cap) (UINT64_C(1) << (cap))
#define FULL CRED_CAP_VALID_MASK
#define FS_DROPPED (FULL & ~CRED_CAP_FS_MASK)
#define SETID_CAPS (BIT(CAP_SETUID) | BIT(CAP_SETGID))

static bool fail_next_malloc;

void *__real_malloc(size_t size);
void *__wrap_malloc(size_t size);

void *__wrap_malloc(size_t size)
{
	if (fail_next_malloc) {
		fail_next_malloc = false;
		return NULL;
	}
	return __real_malloc(size);
}

static void init_root(struct cred *cred)
{
	assert_int_equal(cred_init(cred, 0, 0), 0);
}

/* Id calls: one table for the uid and gid forms. */

enum id_call { CALL_SET, CALL_SETRE, CALL_SETRES, CALL_SETFS };

struct id_case {
	const char *name;
	/* Whether CAP_SETUID and CAP_SETGID are in the effective set. */
	bool privileged;
	/* Real, effective, saved and filesystem id before and after. */
	uint32_t start[4];
	enum id_call call;
	uint32_t args[3];
	int64_t ret;
	uint32_t end[4];
};

static const struct id_case id_cases[] = {
	{ "setuid(-1) is EINVAL even with CAP_SETUID",
	  true,
	  { 1, 2, 3, 2 },
	  CALL_SET,
	  { NONE },
	  -EINVAL,
	  { 1, 2, 3, 2 } },
	{ "setuid(-1) is EINVAL before the permission check",
	  false,
	  { 1, 2, 3, 2 },
	  CALL_SET,
	  { NONE },
	  -EINVAL,
	  { 1, 2, 3, 2 } },
	{ "setuid with CAP_SETUID sets all four uids",
	  true,
	  { 1, 2, 3, 4 },
	  CALL_SET,
	  { 5 },
	  0,
	  { 5, 5, 5, 5 } },
	{ "setuid without CAP_SETUID may take the real uid",
	  false,
	  { 1, 2, 3, 2 },
	  CALL_SET,
	  { 1 },
	  0,
	  { 1, 1, 3, 1 } },
	{ "setuid without CAP_SETUID may take the saved uid",
	  false,
	  { 1, 2, 3, 2 },
	  CALL_SET,
	  { 3 },
	  0,
	  { 1, 3, 3, 3 } },
	{ "setuid without CAP_SETUID rejects the effective uid",
	  false,
	  { 1, 2, 3, 2 },
	  CALL_SET,
	  { 2 },
	  -EPERM,
	  { 1, 2, 3, 2 } },
	{ "setuid without CAP_SETUID rejects a new uid",
	  false,
	  { 1, 2, 3, 2 },
	  CALL_SET,
	  { 7 },
	  -EPERM,
	  { 1, 2, 3, 2 } },

	{ "setreuid(-1, -1) resets the fsuid to the euid",
	  false,
	  { 1, 2, 3, 9 },
	  CALL_SETRE,
	  { NONE, NONE },
	  0,
	  { 1, 2, 3, 2 } },
	{ "setreuid without CAP_SETUID may set the real uid to the euid",
	  false,
	  { 1, 2, 3, 2 },
	  CALL_SETRE,
	  { 2, NONE },
	  0,
	  { 2, 2, 2, 2 } },
	{ "setreuid without CAP_SETUID rejects the saved uid as real uid",
	  false,
	  { 1, 2, 3, 2 },
	  CALL_SETRE,
	  { 3, NONE },
	  -EPERM,
	  { 1, 2, 3, 2 } },
	{ "setreuid without CAP_SETUID may set the euid to the saved uid",
	  false,
	  { 1, 2, 3, 2 },
	  CALL_SETRE,
	  { NONE, 3 },
	  0,
	  { 1, 3, 3, 3 } },
	{ "setreuid keeps the saved uid when the euid becomes the real uid",
	  false,
	  { 1, 2, 3, 2 },
	  CALL_SETRE,
	  { NONE, 1 },
	  0,
	  { 1, 1, 3, 1 } },
	{ "setreuid without CAP_SETUID rejects a new euid",
	  false,
	  { 1, 2, 3, 2 },
	  CALL_SETRE,
	  { NONE, 7 },
	  -EPERM,
	  { 1, 2, 3, 2 } },
	{ "setreuid with the current euid sets the saved uid to it",
	  false,
	  { 1, 2, 3, 2 },
	  CALL_SETRE,
	  { NONE, 2 },
	  0,
	  { 1, 2, 2, 2 } },
	{ "setreuid with CAP_SETUID takes any uids",
	  true,
	  { 0, 0, 0, 0 },
	  CALL_SETRE,
	  { 7, 8 },
	  0,
	  { 7, 8, 8, 8 } },
	{ "setreuid sets the saved uid whenever the real uid is given",
	  true,
	  { 1, 2, 3, 2 },
	  CALL_SETRE,
	  { 1, NONE },
	  0,
	  { 1, 2, 2, 2 } },

	{ "setresuid that changes nothing keeps a diverged fsuid",
	  false,
	  { 1, 2, 3, 9 },
	  CALL_SETRES,
	  { NONE, NONE, NONE },
	  0,
	  { 1, 2, 3, 9 } },
	{ "setresuid repeating the real and saved uids is a no-op",
	  false,
	  { 1, 2, 3, 9 },
	  CALL_SETRES,
	  { 1, NONE, 3 },
	  0,
	  { 1, 2, 3, 9 } },
	{ "setresuid repeating the euid resets a diverged fsuid",
	  false,
	  { 1, 2, 3, 9 },
	  CALL_SETRES,
	  { NONE, 2, NONE },
	  0,
	  { 1, 2, 3, 2 } },
	{ "setresuid repeating an euid equal to the fsuid is a no-op",
	  false,
	  { 1, 2, 3, 2 },
	  CALL_SETRES,
	  { NONE, 2, NONE },
	  0,
	  { 1, 2, 3, 2 } },
	{ "setresuid given -1 for the euid resets the fsuid to it",
	  false,
	  { 1, 2, 3, 9 },
	  CALL_SETRES,
	  { 3, NONE, NONE },
	  0,
	  { 3, 2, 3, 2 } },
	{ "setresuid without CAP_SETUID may permute the current uids",
	  false,
	  { 1, 2, 3, 2 },
	  CALL_SETRES,
	  { 3, 1, 2 },
	  0,
	  { 3, 1, 2, 1 } },
	{ "setresuid without CAP_SETUID rejects a new saved uid",
	  false,
	  { 1, 2, 3, 2 },
	  CALL_SETRES,
	  { NONE, NONE, 7 },
	  -EPERM,
	  { 1, 2, 3, 2 } },
	{ "setresuid without CAP_SETUID rejects a new real uid",
	  false,
	  { 1, 2, 3, 2 },
	  CALL_SETRES,
	  { 7, NONE, NONE },
	  -EPERM,
	  { 1, 2, 3, 2 } },
	{ "setresuid with CAP_SETUID takes any uids",
	  true,
	  { 0, 0, 0, 0 },
	  CALL_SETRES,
	  { 7, 8, 9 },
	  0,
	  { 7, 8, 9, 8 } },

	{ "setfsuid returns the old fsuid after a change",
	  false,
	  { 1, 2, 3, 2 },
	  CALL_SETFS,
	  { 3 },
	  2,
	  { 1, 2, 3, 3 } },
	{ "setfsuid without CAP_SETUID may take the real uid",
	  false,
	  { 1, 2, 3, 2 },
	  CALL_SETFS,
	  { 1 },
	  2,
	  { 1, 2, 3, 1 } },
	{ "setfsuid without CAP_SETUID may take the effective uid",
	  false,
	  { 1, 2, 3, 9 },
	  CALL_SETFS,
	  { 2 },
	  9,
	  { 1, 2, 3, 2 } },
	{ "setfsuid(-1) only returns the fsuid",
	  false,
	  { 1, 2, 3, 9 },
	  CALL_SETFS,
	  { NONE },
	  9,
	  { 1, 2, 3, 9 } },
	{ "setfsuid without CAP_SETUID ignores a new uid",
	  false,
	  { 1, 2, 3, 2 },
	  CALL_SETFS,
	  { 7 },
	  2,
	  { 1, 2, 3, 2 } },
	{ "setfsuid with CAP_SETUID takes any uid",
	  true,
	  { 0, 0, 0, 0 },
	  CALL_SETFS,
	  { 7 },
	  0,
	  { 0, 0, 0, 7 } },
	{ "setfsuid to the current fsuid returns it",
	  false,
	  { 1, 2, 3, 9 },
	  CALL_SETFS,
	  { 9 },
	  9,
	  { 1, 2, 3, 9 } },
};

static void set_ids(struct cred *cred, bool gids, const uint32_t ids[4])
{
	if (gids) {
		cred->rgid = ids[0];
		cred->egid = ids[1];
		cred->sgid = ids[2];
		cred->fsgid = ids[3];
		return;
	}
	cred->ruid = ids[0];
	cred->euid = ids[1];
	cred->suid = ids[2];
	cred->fsuid = ids[3];
}

static void get_ids(const struct cred *cred, bool gids, uint32_t ids[4])
{
	ids[0] = gids ? cred->rgid : cred->ruid;
	ids[1] = gids ? cred->egid : cred->euid;
	ids[2] = gids ? cred->sgid : cred->suid;
	ids[3] = gids ? cred->fsgid : cred->fsuid;
}

static int64_t run_id_call(struct cred *cred, bool gids, enum id_call call,
			   const uint32_t *a)
{
	switch (call) {
	case CALL_SET:
		return gids ? cred_setgid(cred, a[0]) : cred_setuid(cred, a[0]);
	case CALL_SETRE:
		return gids ? cred_setregid(cred, a[0], a[1])
			    : cred_setreuid(cred, a[0], a[1]);
	case CALL_SETRES:
		return gids ? cred_setresgid(cred, a[0], a[1], a[2])
			    : cred_setresuid(cred, a[0], a[1], a[2]);
	default:
		return gids ? cred_setfsgid(cred, a[0])
			    : cred_setfsuid(cred, a[0]);
	}
}

static void check_id_case(const struct id_case *c, bool gids)
{
	struct cred cred;
	uint32_t ids[4];

	init_root(&cred);
	set_ids(&cred, gids, c->start);
	cred.cap_effective = c->privileged ? SETID_CAPS : 0;
	cred.cap_permitted = cred.cap_effective;

	assert_int_equal(run_id_call(&cred, gids, c->call, c->args), c->ret);
	get_ids(&cred, gids, ids);
	assert_int_equal(ids[0], c->end[0]);
	assert_int_equal(ids[1], c->end[1]);
	assert_int_equal(ids[2], c->end[2]);
	assert_int_equal(ids[3], c->end[3]);
	cred_release(&cred);
}

static void test_uid_case(void **state)
{
	check_id_case(*state, false);
}

static void test_gid_case(void **state)
{
	check_id_case(*state, true);
}

/* Capability changes that follow uid changes. */

struct fixup_case {
	const char *name;
	uint32_t start[4];
	uint64_t effective, permitted, ambient;
	unsigned int securebits;
	enum id_call call;
	uint32_t args[3];
	uint64_t end_effective, end_permitted, end_ambient;
};

static const struct fixup_case fixup_cases[] = {
	{ "leaving uid 0 clears the permitted, effective and ambient sets",
	  { 0, 0, 0, 0 },
	  FULL,
	  FULL,
	  BIT(CAP_KILL),
	  0,
	  CALL_SETRES,
	  { 1, 1, 1 },
	  0,
	  0,
	  0 },
	{ "SECBIT_KEEP_CAPS keeps the permitted set when leaving uid 0",
	  { 0, 0, 0, 0 },
	  FULL,
	  FULL,
	  BIT(CAP_KILL),
	  SECBIT_KEEP_CAPS,
	  CALL_SETRES,
	  { 1, 1, 1 },
	  0,
	  FULL,
	  0 },
	{ "a saved uid 0 keeps the permitted and ambient sets",
	  { 0, 0, 0, 0 },
	  FULL,
	  FULL,
	  BIT(CAP_KILL),
	  0,
	  CALL_SETRES,
	  { 1, 1, 0 },
	  0,
	  FULL,
	  BIT(CAP_KILL) },
	{ "the euid leaving 0 clears only the effective set",
	  { 0, 0, 0, 0 },
	  FULL,
	  FULL,
	  BIT(CAP_KILL),
	  0,
	  CALL_SETRES,
	  { NONE, 1, NONE },
	  0,
	  FULL,
	  BIT(CAP_KILL) },
	{ "the euid returning to 0 copies the permitted set to effective",
	  { 0, 1, 0, 1 },
	  0,
	  FULL & ~BIT(CAP_KILL),
	  0,
	  0,
	  CALL_SETRES,
	  { NONE, 0, NONE },
	  FULL & ~BIT(CAP_KILL),
	  FULL & ~BIT(CAP_KILL),
	  0 },
	{ "SECBIT_NO_SETUID_FIXUP keeps every set when leaving uid 0",
	  { 0, 0, 0, 0 },
	  FULL,
	  FULL,
	  BIT(CAP_KILL),
	  SECBIT_NO_SETUID_FIXUP,
	  CALL_SETRES,
	  { 1, 1, 1 },
	  FULL,
	  FULL,
	  BIT(CAP_KILL) },
	{ "setuid from root to a user clears every set",
	  { 0, 0, 0, 0 },
	  FULL,
	  FULL,
	  0,
	  0,
	  CALL_SET,
	  { 1000 },
	  0,
	  0,
	  0 },
	{ "setreuid from root to a user clears every set",
	  { 0, 0, 0, 0 },
	  FULL,
	  FULL,
	  0,
	  0,
	  CALL_SETRE,
	  { 1, 1 },
	  0,
	  0,
	  0 },
	{ "setfsuid leaving 0 drops the filesystem capabilities",
	  { 0, 0, 0, 0 },
	  FULL,
	  FULL,
	  0,
	  0,
	  CALL_SETFS,
	  { 1000 },
	  FS_DROPPED,
	  FULL,
	  0 },
	{ "setfsuid returning to 0 raises permitted filesystem capabilities",
	  { 0, 0, 0, 1000 },
	  0,
	  BIT(CAP_CHOWN) | BIT(CAP_KILL),
	  0,
	  0,
	  CALL_SETFS,
	  { 0 },
	  BIT(CAP_CHOWN),
	  BIT(CAP_CHOWN) | BIT(CAP_KILL),
	  0 },
	{ "setfsuid with SECBIT_NO_SETUID_FIXUP keeps the effective set",
	  { 0, 0, 0, 0 },
	  FULL,
	  FULL,
	  0,
	  SECBIT_NO_SETUID_FIXUP,
	  CALL_SETFS,
	  { 1000 },
	  FULL,
	  FULL,
	  0 },
	{ "setresuid restoring fsuid 0 does not restore filesystem caps",
	  { 0, 0, 0, 1000 },
	  FS_DROPPED,
	  FULL,
	  0,
	  0,
	  CALL_SETRES,
	  { NONE, 0, NONE },
	  FS_DROPPED,
	  FULL,
	  0 },
};

static void test_fixup_case(void **state)
{
	const struct fixup_case *c = *state;
	struct cred cred;

	init_root(&cred);
	set_ids(&cred, false, c->start);
	cred.cap_effective = c->effective;
	cred.cap_permitted = c->permitted;
	cred.cap_inheritable = c->ambient;
	cred.cap_ambient = c->ambient;
	cred.securebits = c->securebits;

	run_id_call(&cred, false, c->call, c->args);
	assert_int_equal(cred.cap_effective, c->end_effective);
	assert_int_equal(cred.cap_permitted, c->end_permitted);
	assert_int_equal(cred.cap_ambient, c->end_ambient);
	cred_release(&cred);
}

/* Supplementary groups. */

struct groups_case {
	const char *name;
	bool privileged;
	int size;
	gid_t list[4];
	int ret;
	int count;
	gid_t groups[4];
};

/* Each case starts from groups {0}. */
static const struct groups_case setgroups_cases[] = {
	{ "setgroups without CAP_SETGID is EPERM before the size check",
	  false,
	  CRED_NGROUPS_MAX + 1,
	  { 0 },
	  -EPERM,
	  1,
	  { 0 } },
	{ "setgroups rejects a size above NGROUPS_MAX",
	  true,
	  CRED_NGROUPS_MAX + 1,
	  { 0 },
	  -EINVAL,
	  1,
	  { 0 } },
	{ "setgroups rejects a negative size",
	  true,
	  -1,
	  { 0 },
	  -EINVAL,
	  1,
	  { 0 } },
	{ "setgroups rejects a gid of -1",
	  true,
	  2,
	  { 5, NONE },
	  -EINVAL,
	  1,
	  { 0 } },
	{ "setgroups sorts the list and keeps duplicates",
	  true,
	  4,
	  { 30, 10, 20, 10 },
	  0,
	  4,
	  { 10, 10, 20, 30 } },
	{ "setgroups accepts an empty list", true, 0, { 0 }, 0, 0, { 0 } },
};

static void test_setgroups_case(void **state)
{
	const struct groups_case *c = *state;
	struct cred cred;

	init_root(&cred);
	cred.cap_effective = c->privileged ? SETID_CAPS : 0;

	assert_int_equal(cred_setgroups(&cred, c->size, c->list), c->ret);
	assert_int_equal(cred.groups->count, c->count);
	for (int i = 0; i < c->count; i++)
		assert_int_equal(cred.groups->gids[i], c->groups[i]);
	cred_release(&cred);
}

struct getgroups_case {
	const char *name;
	int size;
	int ret;
	bool copied;
};

/* Each case starts from groups {10, 20, 30}. */
static const struct getgroups_case getgroups_cases[] = {
	{ "getgroups(0) returns the number of groups", 0, 3, false },
	{ "getgroups rejects a negative size", -1, -EINVAL, false },
	{ "getgroups rejects a buffer smaller than the list", 2, -EINVAL,
	  false },
	{ "getgroups fills a buffer of the exact size", 3, 3, true },
	{ "getgroups fills a larger buffer", 10, 3, true },
};

static void test_getgroups_case(void **state)
{
	const struct getgroups_case *c = *state;
	static const gid_t groups[] = { 30, 10, 20 };
	gid_t list[10] = { 0 };
	struct cred cred;

	init_root(&cred);
	assert_int_equal(cred_setgroups(&cred, 3, groups), 0);

	assert_int_equal(cred_getgroups(&cred, c->size, list), c->ret);
	assert_int_equal(list[0], c->copied ? 10 : 0);
	assert_int_equal(list[1], c->copied ? 20 : 0);
	assert_int_equal(list[2], c->copied ? 30 : 0);
	cred_release(&cred);
}

/* capset. */

struct capset_case {
	const char *name;
	uint64_t effective, permitted, inheritable, bounding, ambient;
	int words;
	uint64_t new_effective, new_permitted, new_inheritable;
	int ret;
	uint64_t end_effective, end_permitted, end_inheritable, end_ambient;
};

#define KILL BIT(CAP_KILL)
#define ADMIN BIT(CAP_SYS_ADMIN)
#define SETPCAP BIT(CAP_SETPCAP)

static const struct capset_case capset_cases[] = {
	{ "capset may drop permitted capabilities", FULL, FULL, 0, FULL, 0, 2,
	  KILL, KILL, 0, 0, KILL, KILL, 0, 0 },
	{ "capset rejects a permitted set that grows", KILL, KILL, 0, FULL, 0,
	  2, KILL, KILL | ADMIN, 0, -EPERM, KILL, KILL, 0, 0 },
	{ "capset rejects an effective set outside the new permitted set", FULL,
	  FULL, 0, FULL, 0, 2, KILL | ADMIN, KILL, 0, -EPERM, FULL, FULL, 0,
	  0 },
	{ "capset without CAP_SETPCAP keeps new inheritable within permitted",
	  KILL, KILL, 0, FULL, 0, 2, KILL, KILL, ADMIN, -EPERM, KILL, KILL, 0,
	  0 },
	{ "capset without CAP_SETPCAP may add permitted capabilities to "
	  "inheritable",
	  KILL, KILL, 0, FULL, 0, 2, KILL, KILL, KILL, 0, KILL, KILL, KILL, 0 },
	{ "capset with CAP_SETPCAP may add inheritable capabilities outside "
	  "permitted",
	  SETPCAP, SETPCAP, 0, FULL, 0, 2, SETPCAP, SETPCAP, ADMIN, 0, SETPCAP,
	  SETPCAP, ADMIN, 0 },
	{ "capset rejects new inheritable capabilities outside the bounding "
	  "set",
	  FULL, FULL, 0, FULL & ~ADMIN, 0, 2, FULL, FULL, ADMIN, -EPERM, FULL,
	  FULL, 0, 0 },
	{ "capset keeps old inheritable capabilities outside the bounding "
	  "set",
	  FULL, FULL, ADMIN, FULL & ~ADMIN, 0, 2, FULL, FULL, ADMIN, 0, FULL,
	  FULL, ADMIN, 0 },
	{ "capset drops ambient capabilities no longer permitted", KILL, KILL,
	  KILL, FULL, KILL, 2, 0, 0, KILL, 0, 0, 0, KILL, 0 },
	{ "capset drops ambient capabilities no longer inheritable", KILL, KILL,
	  KILL, FULL, KILL, 2, KILL, KILL, 0, 0, KILL, KILL, 0, 0 },
	{ "capset v1 clears capabilities 32 and up", FULL, FULL, 0, FULL, 0, 1,
	  FULL, FULL, 0, 0, FULL & 0xFFFFFFFF, FULL & 0xFFFFFFFF, 0, 0 },
	{ "capset ignores bits past CAP_LAST_CAP", FULL, FULL, 0, FULL, 0, 2,
	  UINT64_MAX, UINT64_MAX, 0, 0, FULL, FULL, 0, 0 },
};

static void split_caps(struct __user_cap_data_struct data[2],
		       uint64_t effective, uint64_t permitted,
		       uint64_t inheritable)
{
	data[0].effective = (uint32_t)effective;
	data[1].effective = (uint32_t)(effective >> 32);
	data[0].permitted = (uint32_t)permitted;
	data[1].permitted = (uint32_t)(permitted >> 32);
	data[0].inheritable = (uint32_t)inheritable;
	data[1].inheritable = (uint32_t)(inheritable >> 32);
}

static void test_capset_case(void **state)
{
	const struct capset_case *c = *state;
	struct __user_cap_data_struct data[2];
	struct cred cred;

	init_root(&cred);
	cred.cap_effective = c->effective;
	cred.cap_permitted = c->permitted;
	cred.cap_inheritable = c->inheritable;
	cred.cap_bounding = c->bounding;
	cred.cap_ambient = c->ambient;
	split_caps(data, c->new_effective, c->new_permitted,
		   c->new_inheritable);

	assert_int_equal(cred_capset(&cred, data, c->words), c->ret);
	assert_int_equal(cred.cap_effective, c->end_effective);
	assert_int_equal(cred.cap_permitted, c->end_permitted);
	assert_int_equal(cred.cap_inheritable, c->end_inheritable);
	assert_int_equal(cred.cap_ambient, c->end_ambient);
	cred_release(&cred);
}

/* prctl. */

struct prctl_case {
	const char *name;
	unsigned int securebits;
	uint64_t effective, permitted, inheritable, bounding, ambient;
	int option;
	uint64_t args[4];
	long ret;
	unsigned int end_securebits;
	uint64_t end_bounding, end_ambient;
};

#define LOW_BITS (CRED_SECURE_ALL_BITS)
#define EXEC_BITS CRED_SECURE_UNPRIVILEGED

static const struct prctl_case prctl_cases[] = {
	{ "PR_GET_KEEPCAPS returns 0 without SECBIT_KEEP_CAPS",
	  0,
	  FULL,
	  FULL,
	  0,
	  FULL,
	  0,
	  PR_GET_KEEPCAPS,
	  { 0 },
	  0,
	  0,
	  FULL,
	  0 },
	{ "PR_GET_KEEPCAPS returns 1 with SECBIT_KEEP_CAPS",
	  SECBIT_KEEP_CAPS,
	  FULL,
	  FULL,
	  0,
	  FULL,
	  0,
	  PR_GET_KEEPCAPS,
	  { 0 },
	  1,
	  SECBIT_KEEP_CAPS,
	  FULL,
	  0 },
	{ "PR_SET_KEEPCAPS rejects a value above 1",
	  0,
	  FULL,
	  FULL,
	  0,
	  FULL,
	  0,
	  PR_SET_KEEPCAPS,
	  { 2 },
	  -EINVAL,
	  0,
	  FULL,
	  0 },
	{ "PR_SET_KEEPCAPS is EPERM when the bit is locked",
	  SECBIT_KEEP_CAPS_LOCKED,
	  FULL,
	  FULL,
	  0,
	  FULL,
	  0,
	  PR_SET_KEEPCAPS,
	  { 1 },
	  -EPERM,
	  SECBIT_KEEP_CAPS_LOCKED,
	  FULL,
	  0 },
	{ "PR_SET_KEEPCAPS needs no capability",
	  0,
	  0,
	  0,
	  0,
	  FULL,
	  0,
	  PR_SET_KEEPCAPS,
	  { 1 },
	  0,
	  SECBIT_KEEP_CAPS,
	  FULL,
	  0 },
	{ "PR_SET_KEEPCAPS 0 clears the bit",
	  SECBIT_KEEP_CAPS,
	  FULL,
	  FULL,
	  0,
	  FULL,
	  0,
	  PR_SET_KEEPCAPS,
	  { 0 },
	  0,
	  0,
	  FULL,
	  0 },
	{ "PR_CAPBSET_READ returns 1 for a bounding capability",
	  0,
	  0,
	  0,
	  0,
	  FULL,
	  0,
	  PR_CAPBSET_READ,
	  { CAP_KILL },
	  1,
	  0,
	  FULL,
	  0 },
	{ "PR_CAPBSET_READ returns 0 for a dropped capability",
	  0,
	  0,
	  0,
	  0,
	  FULL & ~KILL,
	  0,
	  PR_CAPBSET_READ,
	  { CAP_KILL },
	  0,
	  0,
	  FULL & ~KILL,
	  0 },
	{ "PR_CAPBSET_READ rejects a capability past CAP_LAST_CAP",
	  0,
	  0,
	  0,
	  0,
	  FULL,
	  0,
	  PR_CAPBSET_READ,
	  { CAP_LAST_CAP + 1 },
	  -EINVAL,
	  0,
	  FULL,
	  0 },
	{ "PR_CAPBSET_READ rejects a capability of -1",
	  0,
	  0,
	  0,
	  0,
	  FULL,
	  0,
	  PR_CAPBSET_READ,
	  { UINT64_MAX },
	  -EINVAL,
	  0,
	  FULL,
	  0 },
	{ "PR_CAPBSET_DROP without CAP_SETPCAP is EPERM before EINVAL",
	  0,
	  FULL & ~SETPCAP,
	  FULL,
	  0,
	  FULL,
	  0,
	  PR_CAPBSET_DROP,
	  { CAP_LAST_CAP + 1 },
	  -EPERM,
	  0,
	  FULL,
	  0 },
	{ "PR_CAPBSET_DROP rejects a capability past CAP_LAST_CAP",
	  0,
	  FULL,
	  FULL,
	  0,
	  FULL,
	  0,
	  PR_CAPBSET_DROP,
	  { CAP_LAST_CAP + 1 },
	  -EINVAL,
	  0,
	  FULL,
	  0 },
	{ "PR_CAPBSET_DROP removes a capability from the bounding set",
	  0,
	  FULL,
	  FULL,
	  0,
	  FULL,
	  0,
	  PR_CAPBSET_DROP,
	  { CAP_KILL },
	  0,
	  0,
	  FULL & ~KILL,
	  0 },
	{ "PR_GET_SECUREBITS returns the securebits",
	  SECBIT_NOROOT | SECBIT_KEEP_CAPS,
	  FULL,
	  FULL,
	  0,
	  FULL,
	  0,
	  PR_GET_SECUREBITS,
	  { 0 },
	  SECBIT_NOROOT | SECBIT_KEEP_CAPS,
	  SECBIT_NOROOT | SECBIT_KEEP_CAPS,
	  FULL,
	  0 },
	{ "PR_SET_SECUREBITS with CAP_SETPCAP sets every known bit",
	  0,
	  FULL,
	  FULL,
	  0,
	  FULL,
	  0,
	  PR_SET_SECUREBITS,
	  { CRED_SECURE_ALL_BITS | CRED_SECURE_ALL_LOCKS },
	  0,
	  CRED_SECURE_ALL_BITS | CRED_SECURE_ALL_LOCKS,
	  FULL,
	  0 },
	{ "PR_SET_SECUREBITS with CAP_SETPCAP accepts no change",
	  0,
	  FULL,
	  FULL,
	  0,
	  FULL,
	  0,
	  PR_SET_SECUREBITS,
	  { 0 },
	  0,
	  0,
	  FULL,
	  0 },
	{ "PR_SET_SECUREBITS rejects an unknown bit",
	  0,
	  FULL,
	  FULL,
	  0,
	  FULL,
	  0,
	  PR_SET_SECUREBITS,
	  { 1u << 12 },
	  -EPERM,
	  0,
	  FULL,
	  0 },
	{ "PR_SET_SECUREBITS rejects a change of a locked bit",
	  SECBIT_NOROOT_LOCKED,
	  FULL,
	  FULL,
	  0,
	  FULL,
	  0,
	  PR_SET_SECUREBITS,
	  { SECBIT_NOROOT_LOCKED | SECBIT_NOROOT },
	  -EPERM,
	  SECBIT_NOROOT_LOCKED,
	  FULL,
	  0 },
	{ "PR_SET_SECUREBITS rejects clearing a lock",
	  SECBIT_NOROOT_LOCKED,
	  FULL,
	  FULL,
	  0,
	  FULL,
	  0,
	  PR_SET_SECUREBITS,
	  { 0 },
	  -EPERM,
	  SECBIT_NOROOT_LOCKED,
	  FULL,
	  0 },
	{ "PR_SET_SECUREBITS without CAP_SETPCAP rejects a privileged bit",
	  0,
	  0,
	  0,
	  0,
	  FULL,
	  0,
	  PR_SET_SECUREBITS,
	  { SECBIT_KEEP_CAPS },
	  -EPERM,
	  0,
	  FULL,
	  0 },
	{ "PR_SET_SECUREBITS without CAP_SETPCAP sets the exec bits",
	  0,
	  0,
	  0,
	  0,
	  FULL,
	  0,
	  PR_SET_SECUREBITS,
	  { EXEC_BITS | SECBIT_EXEC_RESTRICT_FILE_LOCKED },
	  0,
	  EXEC_BITS | SECBIT_EXEC_RESTRICT_FILE_LOCKED,
	  FULL,
	  0 },
	{ "PR_SET_SECUREBITS without CAP_SETPCAP rejects no change",
	  SECBIT_EXEC_RESTRICT_FILE,
	  0,
	  0,
	  0,
	  FULL,
	  0,
	  PR_SET_SECUREBITS,
	  { SECBIT_EXEC_RESTRICT_FILE },
	  -EPERM,
	  SECBIT_EXEC_RESTRICT_FILE,
	  FULL,
	  0 },
	{ "PR_CAP_AMBIENT_CLEAR_ALL rejects a nonzero arg3",
	  0,
	  KILL,
	  KILL,
	  KILL,
	  FULL,
	  KILL,
	  PR_CAP_AMBIENT,
	  { PR_CAP_AMBIENT_CLEAR_ALL, 1 },
	  -EINVAL,
	  0,
	  FULL,
	  KILL },
	{ "PR_CAP_AMBIENT_CLEAR_ALL rejects a nonzero arg4",
	  0,
	  KILL,
	  KILL,
	  KILL,
	  FULL,
	  KILL,
	  PR_CAP_AMBIENT,
	  { PR_CAP_AMBIENT_CLEAR_ALL, 0, 1 },
	  -EINVAL,
	  0,
	  FULL,
	  KILL },
	{ "PR_CAP_AMBIENT_CLEAR_ALL rejects a nonzero arg5",
	  0,
	  KILL,
	  KILL,
	  KILL,
	  FULL,
	  KILL,
	  PR_CAP_AMBIENT,
	  { PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 1 },
	  -EINVAL,
	  0,
	  FULL,
	  KILL },
	{ "PR_CAP_AMBIENT_CLEAR_ALL clears the ambient set",
	  0,
	  KILL,
	  KILL,
	  KILL,
	  FULL,
	  KILL,
	  PR_CAP_AMBIENT,
	  { PR_CAP_AMBIENT_CLEAR_ALL },
	  0,
	  0,
	  FULL,
	  0 },
	{ "PR_CAP_AMBIENT_IS_SET returns 1 for an ambient capability",
	  0,
	  KILL,
	  KILL,
	  KILL,
	  FULL,
	  KILL,
	  PR_CAP_AMBIENT,
	  { PR_CAP_AMBIENT_IS_SET, CAP_KILL },
	  1,
	  0,
	  FULL,
	  KILL },
	{ "PR_CAP_AMBIENT rejects a capability past CAP_LAST_CAP",
	  0,
	  KILL,
	  KILL,
	  KILL,
	  FULL,
	  0,
	  PR_CAP_AMBIENT,
	  { PR_CAP_AMBIENT_IS_SET, CAP_LAST_CAP + 1 },
	  -EINVAL,
	  0,
	  FULL,
	  0 },
	{ "PR_CAP_AMBIENT rejects a nonzero arg4",
	  0,
	  KILL,
	  KILL,
	  KILL,
	  FULL,
	  0,
	  PR_CAP_AMBIENT,
	  { PR_CAP_AMBIENT_RAISE, CAP_KILL, 1 },
	  -EINVAL,
	  0,
	  FULL,
	  0 },
	{ "PR_CAP_AMBIENT rejects a nonzero arg5",
	  0,
	  KILL,
	  KILL,
	  KILL,
	  FULL,
	  0,
	  PR_CAP_AMBIENT,
	  { PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 1 },
	  -EINVAL,
	  0,
	  FULL,
	  0 },
	{ "PR_CAP_AMBIENT rejects an unknown operation",
	  0,
	  KILL,
	  KILL,
	  KILL,
	  FULL,
	  0,
	  PR_CAP_AMBIENT,
	  { 5, CAP_KILL },
	  -EINVAL,
	  0,
	  FULL,
	  0 },
	{ "PR_CAP_AMBIENT_RAISE needs the capability inheritable",
	  0,
	  KILL,
	  KILL,
	  0,
	  FULL,
	  0,
	  PR_CAP_AMBIENT,
	  { PR_CAP_AMBIENT_RAISE, CAP_KILL },
	  -EPERM,
	  0,
	  FULL,
	  0 },
	{ "PR_CAP_AMBIENT_RAISE needs the capability permitted",
	  0,
	  0,
	  0,
	  KILL,
	  FULL,
	  0,
	  PR_CAP_AMBIENT,
	  { PR_CAP_AMBIENT_RAISE, CAP_KILL },
	  -EPERM,
	  0,
	  FULL,
	  0 },
	{ "PR_CAP_AMBIENT_RAISE is EPERM with SECBIT_NO_CAP_AMBIENT_RAISE",
	  SECBIT_NO_CAP_AMBIENT_RAISE,
	  KILL,
	  KILL,
	  KILL,
	  FULL,
	  0,
	  PR_CAP_AMBIENT,
	  { PR_CAP_AMBIENT_RAISE, CAP_KILL },
	  -EPERM,
	  SECBIT_NO_CAP_AMBIENT_RAISE,
	  FULL,
	  0 },
	{ "PR_CAP_AMBIENT_RAISE adds a permitted inheritable capability",
	  0,
	  0,
	  KILL,
	  KILL,
	  FULL,
	  0,
	  PR_CAP_AMBIENT,
	  { PR_CAP_AMBIENT_RAISE, CAP_KILL },
	  0,
	  0,
	  FULL,
	  KILL },
	{ "PR_CAP_AMBIENT_LOWER works with SECBIT_NO_CAP_AMBIENT_RAISE",
	  SECBIT_NO_CAP_AMBIENT_RAISE,
	  KILL,
	  KILL,
	  KILL,
	  FULL,
	  KILL,
	  PR_CAP_AMBIENT,
	  { PR_CAP_AMBIENT_LOWER, CAP_KILL },
	  0,
	  SECBIT_NO_CAP_AMBIENT_RAISE,
	  FULL,
	  0 },
	{ "prctl options without credentials return ENOSYS",
	  0,
	  FULL,
	  FULL,
	  0,
	  FULL,
	  0,
	  PR_SET_NAME,
	  { 0 },
	  -ENOSYS,
	  0,
	  FULL,
	  0 },
};

static void test_prctl_case(void **state)
{
	const struct prctl_case *c = *state;
	struct cred cred;

	init_root(&cred);
	cred.securebits = c->securebits;
	cred.cap_effective = c->effective;
	cred.cap_permitted = c->permitted;
	cred.cap_inheritable = c->inheritable;
	cred.cap_bounding = c->bounding;
	cred.cap_ambient = c->ambient;

	assert_int_equal(cred_prctl(&cred, c->option, c->args[0], c->args[1],
				    c->args[2], c->args[3]),
			 c->ret);
	assert_int_equal(cred.securebits, c->end_securebits);
	assert_int_equal(cred.cap_bounding, c->end_bounding);
	assert_int_equal(cred.cap_ambient, c->end_ambient);
	cred_release(&cred);
}

/* execve. */

struct exec_case {
	const char *name;
	uint32_t uids[3];
	uint32_t gids[4];
	/* Supplementary groups: {GROUP} unless NONE, which means none. */
	uint32_t group;
	uint64_t permitted, inheritable, bounding, ambient;
	unsigned int securebits;
	struct cred_exec_file file;
	uint32_t end_uids[4];
	uint32_t end_gids[4];
	uint64_t end_effective, end_permitted, end_ambient;
	unsigned int end_securebits;
};

#define PLAIN_FILE                                                             \
	{                                                                      \
		.mode = 0755, .ids_mapped = true                               \
	}
#define SETUID_FILE(owner)                                                     \
	{                                                                      \
		.mode = 04755, .uid = owner, .ids_mapped = true                \
	}
#define ROOT                                                                   \
	{                                                                      \
		0, 0, 0                                                        \
	}
#define ROOT_GIDS                                                              \
	{                                                                      \
		0, 0, 0, 0                                                     \
	}
#define USER                                                                   \
	{                                                                      \
		1000, 1000, 1000                                               \
	}

static const struct exec_case exec_cases[] = {
	{ "root execve keeps the full capability sets",
	  ROOT,
	  ROOT_GIDS,
	  0,
	  FULL,
	  0,
	  FULL,
	  0,
	  0,
	  PLAIN_FILE,
	  { 0, 0, 0, 0 },
	  ROOT_GIDS,
	  FULL,
	  FULL,
	  0,
	  0 },
	{ "root execve gets the bounding and inheritable sets",
	  ROOT,
	  ROOT_GIDS,
	  0,
	  KILL,
	  ADMIN,
	  FULL & ~ADMIN & ~KILL,
	  0,
	  0,
	  PLAIN_FILE,
	  { 0, 0, 0, 0 },
	  ROOT_GIDS,
	  FULL & ~KILL,
	  FULL & ~KILL,
	  0,
	  0 },
	{ "execve with only the real uid 0 gets no effective set",
	  { 0, 1000, 1000 },
	  ROOT_GIDS,
	  0,
	  FULL,
	  0,
	  FULL,
	  0,
	  0,
	  PLAIN_FILE,
	  { 0, 1000, 1000, 1000 },
	  ROOT_GIDS,
	  0,
	  FULL,
	  0,
	  0 },
	{ "user execve keeps only the ambient set",
	  USER,
	  ROOT_GIDS,
	  0,
	  KILL | ADMIN,
	  KILL,
	  FULL,
	  KILL,
	  0,
	  PLAIN_FILE,
	  { 1000, 1000, 1000, 1000 },
	  ROOT_GIDS,
	  KILL,
	  KILL,
	  KILL,
	  0 },
	{ "user execve without ambient capabilities has none",
	  USER,
	  ROOT_GIDS,
	  0,
	  KILL,
	  0,
	  FULL,
	  0,
	  0,
	  PLAIN_FILE,
	  { 1000, 1000, 1000, 1000 },
	  ROOT_GIDS,
	  0,
	  0,
	  0,
	  0 },
	{ "a set-user-ID root file gives a user the bounding set",
	  USER,
	  ROOT_GIDS,
	  0,
	  0,
	  0,
	  FULL & ~ADMIN,
	  0,
	  0,
	  SETUID_FILE(0),
	  { 1000, 0, 0, 0 },
	  ROOT_GIDS,
	  FULL & ~ADMIN,
	  FULL & ~ADMIN,
	  0,
	  0 },
	{ "a set-user-ID file moves the effective, saved and fs uids",
	  ROOT,
	  ROOT_GIDS,
	  0,
	  FULL,
	  0,
	  FULL,
	  0,
	  0,
	  SETUID_FILE(1000),
	  { 0, 1000, 1000, 1000 },
	  ROOT_GIDS,
	  0,
	  FULL,
	  0,
	  0 },
	{ "a nosuid mount ignores the set-user-ID bit",
	  USER,
	  ROOT_GIDS,
	  0,
	  0,
	  0,
	  FULL,
	  0,
	  0,
	  { .mode = 04755, .uid = 0, .ids_mapped = true, .nosuid = true },
	  { 1000, 1000, 1000, 1000 },
	  ROOT_GIDS,
	  0,
	  0,
	  0,
	  0 },
	{ "unmapped owner ids make execve ignore the set-user-ID bit",
	  USER,
	  ROOT_GIDS,
	  0,
	  0,
	  0,
	  FULL,
	  0,
	  0,
	  { .mode = 04755, .uid = 0 },
	  { 1000, 1000, 1000, 1000 },
	  ROOT_GIDS,
	  0,
	  0,
	  0,
	  0 },
	{ "no_new_privs makes execve ignore the set-user-ID bit",
	  USER,
	  ROOT_GIDS,
	  0,
	  0,
	  0,
	  FULL,
	  0,
	  0,
	  { .mode = 04755, .uid = 0, .ids_mapped = true, .no_new_privs = true },
	  { 1000, 1000, 1000, 1000 },
	  ROOT_GIDS,
	  0,
	  0,
	  0,
	  0 },
	{ "a set-group-ID file moves the effective, saved and fs gids",
	  ROOT,
	  ROOT_GIDS,
	  0,
	  FULL,
	  0,
	  FULL,
	  0,
	  0,
	  { .mode = 02755, .gid = 2000, .ids_mapped = true },
	  { 0, 0, 0, 0 },
	  { 0, 2000, 2000, 2000 },
	  FULL,
	  FULL,
	  0,
	  0 },
	{ "set-group-ID without group execute is not set-group-ID",
	  ROOT,
	  ROOT_GIDS,
	  0,
	  FULL,
	  0,
	  FULL,
	  0,
	  0,
	  { .mode = 02705, .gid = 2000, .ids_mapped = true },
	  { 0, 0, 0, 0 },
	  ROOT_GIDS,
	  FULL,
	  FULL,
	  0,
	  0 },
	{ "a set-user-ID file of the euid keeps the ambient set",
	  USER,
	  ROOT_GIDS,
	  0,
	  KILL,
	  KILL,
	  FULL,
	  KILL,
	  0,
	  SETUID_FILE(1000),
	  { 1000, 1000, 1000, 1000 },
	  ROOT_GIDS,
	  KILL,
	  KILL,
	  KILL,
	  0 },
	{ "a new euid clears the ambient set",
	  USER,
	  ROOT_GIDS,
	  0,
	  KILL,
	  KILL,
	  FULL,
	  KILL,
	  0,
	  SETUID_FILE(2000),
	  { 1000, 2000, 2000, 2000 },
	  ROOT_GIDS,
	  0,
	  0,
	  0,
	  0 },
	{ "an egid outside the fsgid and groups clears the ambient set",
	  USER,
	  { 0, 0, 0, 5 },
	  NONE,
	  KILL,
	  KILL,
	  FULL,
	  KILL,
	  0,
	  PLAIN_FILE,
	  { 1000, 1000, 1000, 1000 },
	  ROOT_GIDS,
	  0,
	  0,
	  0,
	  0 },
	{ "an egid among the supplementary groups keeps the ambient set",
	  USER,
	  { 0, 0, 0, 5 },
	  0,
	  KILL,
	  KILL,
	  FULL,
	  KILL,
	  0,
	  PLAIN_FILE,
	  { 1000, 1000, 1000, 1000 },
	  ROOT_GIDS,
	  KILL,
	  KILL,
	  KILL,
	  0 },
	{ "SECBIT_NOROOT gives root no capabilities",
	  ROOT,
	  ROOT_GIDS,
	  0,
	  FULL,
	  0,
	  FULL,
	  0,
	  SECBIT_NOROOT,
	  PLAIN_FILE,
	  { 0, 0, 0, 0 },
	  ROOT_GIDS,
	  0,
	  0,
	  0,
	  SECBIT_NOROOT },
	{ "execve clears SECBIT_KEEP_CAPS and keeps the other bits",
	  ROOT,
	  ROOT_GIDS,
	  0,
	  FULL,
	  0,
	  FULL,
	  0,
	  SECBIT_KEEP_CAPS | SECBIT_NO_SETUID_FIXUP,
	  PLAIN_FILE,
	  { 0, 0, 0, 0 },
	  ROOT_GIDS,
	  FULL,
	  FULL,
	  0,
	  SECBIT_NO_SETUID_FIXUP },
	{ "no_new_privs with capabilities to gain resets euid to the ruid",
	  { 1000, 0, 0 },
	  ROOT_GIDS,
	  0,
	  BIT(CAP_SETUID),
	  0,
	  FULL,
	  0,
	  0,
	  { .mode = 0755, .ids_mapped = true, .no_new_privs = true },
	  { 1000, 1000, 1000, 1000 },
	  ROOT_GIDS,
	  BIT(CAP_SETUID),
	  BIT(CAP_SETUID),
	  0,
	  0 },
};

static void test_exec_case(void **state)
{
	const struct exec_case *c = *state;
	struct cred cred;
	uint32_t uids[4] = { c->uids[0], c->uids[1], c->uids[2], c->uids[1] };
	uint32_t ids[4];

	init_root(&cred);
	if (c->group == NONE)
		assert_int_equal(cred_setgroups(&cred, 0, NULL), 0);
	else
		assert_int_equal(cred_setgroups(&cred, 1, &c->group), 0);
	set_ids(&cred, false, uids);
	set_ids(&cred, true, c->gids);
	cred.cap_permitted = c->permitted;
	cred.cap_effective = c->permitted;
	cred.cap_inheritable = c->inheritable;
	cred.cap_bounding = c->bounding;
	cred.cap_ambient = c->ambient;
	cred.securebits = c->securebits;

	cred_exec(&cred, &c->file);
	get_ids(&cred, false, ids);
	assert_int_equal(ids[0], c->end_uids[0]);
	assert_int_equal(ids[1], c->end_uids[1]);
	assert_int_equal(ids[2], c->end_uids[2]);
	assert_int_equal(ids[3], c->end_uids[3]);
	get_ids(&cred, true, ids);
	assert_int_equal(ids[0], c->end_gids[0]);
	assert_int_equal(ids[1], c->end_gids[1]);
	assert_int_equal(ids[2], c->end_gids[2]);
	assert_int_equal(ids[3], c->end_gids[3]);
	assert_int_equal(cred.cap_effective, c->end_effective);
	assert_int_equal(cred.cap_permitted, c->end_permitted);
	assert_int_equal(cred.cap_ambient, c->end_ambient);
	assert_int_equal(cred.cap_inheritable, c->inheritable);
	assert_int_equal(cred.cap_bounding, c->bounding);
	assert_int_equal(cred.securebits, c->end_securebits);
	cred_release(&cred);
}

/* Small conversions. */

struct number_case {
	const char *name;
	int function;
	uint32_t input;
	int64_t output;
};

enum {
	LOW2HIGHUID,
	LOW2HIGHGID,
	HIGH2LOWUID,
	HIGH2LOWGID,
	CAP_WORDS,
};

static const struct number_case number_cases[] = {
	{ "low2highuid widens 0xFFFF to -1", LOW2HIGHUID, 0xFFFF, NONE },
	{ "low2highuid keeps 65534", LOW2HIGHUID, 65534, 65534 },
	{ "low2highgid widens 0xFFFF to -1", LOW2HIGHGID, 0xFFFF, NONE },
	{ "low2highgid keeps 0", LOW2HIGHGID, 0, 0 },
	{ "high2lowuid keeps 65535", HIGH2LOWUID, 65535, 65535 },
	{ "high2lowuid narrows 65536 to the overflow uid", HIGH2LOWUID, 65536,
	  CRED_OVERFLOW_ID },
	{ "high2lowuid narrows -1 to the overflow uid", HIGH2LOWUID, NONE,
	  CRED_OVERFLOW_ID },
	{ "high2lowgid narrows 100000 to the overflow gid", HIGH2LOWGID, 100000,
	  CRED_OVERFLOW_ID },
	{ "high2lowgid keeps 100", HIGH2LOWGID, 100, 100 },
	{ "capability version 1 copies one word", CAP_WORDS,
	  _LINUX_CAPABILITY_VERSION_1, 1 },
	{ "capability version 2 copies two words", CAP_WORDS,
	  _LINUX_CAPABILITY_VERSION_2, 2 },
	{ "capability version 3 copies two words", CAP_WORDS,
	  _LINUX_CAPABILITY_VERSION_3, 2 },
	{ "an unknown capability version is EINVAL", CAP_WORDS, 0x12345678,
	  -EINVAL },
};

static void test_number_case(void **state)
{
	const struct number_case *c = *state;
	int64_t output = 0;

	switch (c->function) {
	case LOW2HIGHUID:
		output = cred_low2highuid((uint16_t)c->input);
		break;
	case LOW2HIGHGID:
		output = cred_low2highgid((uint16_t)c->input);
		break;
	case HIGH2LOWUID:
		output = cred_high2lowuid(c->input);
		break;
	case HIGH2LOWGID:
		output = cred_high2lowgid(c->input);
		break;
	case CAP_WORDS:
		output = cred_cap_words(c->input);
		break;
	}
	assert_int_equal(output, c->output);
}

/* Scenarios: several calls in a row, as a program makes them. */

static void test_setreuid_after_setresuid_with_saved_root(void **state)
{
	struct cred cred;

	(void)state;
	init_root(&cred);
	assert_int_equal(cred_setresuid(&cred, 1000, 1000, 0), 0);
	assert_int_equal(cred_setreuid(&cred, 0, NONE), -EPERM);
	assert_int_equal(cred_setreuid(&cred, NONE, 0), 0);
	assert_int_equal(cred.ruid, 1000);
	assert_int_equal(cred.euid, 0);
	assert_int_equal(cred.suid, 0);
	assert_int_equal(cred.cap_effective, FULL);
	cred_release(&cred);
}

static void test_dropped_root_cannot_come_back(void **state)
{
	struct cred cred;

	(void)state;
	init_root(&cred);
	assert_int_equal(cred_setresgid(&cred, 65534, 65534, 65534), 0);
	assert_int_equal(cred_setresuid(&cred, 100, 100, 100), 0);
	assert_int_equal(cred_setuid(&cred, 0), -EPERM);
	assert_int_equal(cred_setresuid(&cred, NONE, 0, NONE), -EPERM);
	assert_int_equal(cred_setgid(&cred, 0), -EPERM);
	assert_int_equal(cred_setresgid(&cred, NONE, 0, NONE), -EPERM);
	assert_int_equal(cred.euid, 100);
	assert_int_equal(cred.egid, 65534);
	assert_int_equal(cred.cap_permitted, 0);
	cred_release(&cred);
}

static void test_root_seteuid_round_trip(void **state)
{
	struct cred cred;

	(void)state;
	init_root(&cred);
	assert_int_equal(cred_setresuid(&cred, NONE, 100, NONE), 0);
	assert_int_equal(cred.euid, 100);
	assert_int_equal(cred.cap_effective, 0);
	assert_int_equal(cred.cap_permitted, FULL);
	assert_int_equal(cred_setresuid(&cred, NONE, 0, NONE), 0);
	assert_int_equal(cred.euid, 0);
	assert_int_equal(cred.fsuid, 0);
	assert_int_equal(cred.cap_effective, FULL);
	cred_release(&cred);
}

static void test_setfsuid_returns_previous_values(void **state)
{
	struct cred cred;

	(void)state;
	init_root(&cred);
	assert_int_equal(cred_setfsuid(&cred, 1000), 0);
	assert_int_equal(cred_setfsuid(&cred, NONE), 1000);
	assert_int_equal(cred.cap_effective, FS_DROPPED);
	assert_int_equal(cred_setfsuid(&cred, 0), 1000);
	assert_int_equal(cred_setfsuid(&cred, NONE), 0);
	assert_int_equal(cred.cap_effective, FULL);
	assert_int_equal(cred_setfsgid(&cred, 5), 0);
	assert_int_equal(cred_setfsgid(&cred, NONE), 5);
	cred_release(&cred);
}

static void test_keepcaps_keeps_permitted_across_setuid(void **state)
{
	struct cred cred;

	(void)state;
	init_root(&cred);
	assert_int_equal(cred_prctl(&cred, PR_SET_KEEPCAPS, 1, 0, 0, 0), 0);
	assert_int_equal(cred_setresuid(&cred, 1000, 1000, 1000), 0);
	assert_int_equal(cred.cap_permitted, FULL);
	assert_int_equal(cred.cap_effective, 0);
	assert_int_equal(cred_prctl(&cred, PR_GET_KEEPCAPS, 0, 0, 0, 0), 1);

	struct cred_exec_file file = PLAIN_FILE;

	cred_exec(&cred, &file);
	assert_int_equal(cred_prctl(&cred, PR_GET_KEEPCAPS, 0, 0, 0, 0), 0);
	assert_int_equal(cred.cap_permitted, 0);
	cred_release(&cred);
}

static void test_init_gives_root_all_capabilities(void **state)
{
	struct cred cred;

	(void)state;
	init_root(&cred);
	assert_int_equal(cred.cap_effective, FULL);
	assert_int_equal(cred.cap_permitted, FULL);
	assert_int_equal(cred.cap_inheritable, 0);
	assert_int_equal(cred.cap_bounding, FULL);
	assert_int_equal(cred.cap_ambient, 0);
	assert_int_equal(cred.groups->count, 1);
	assert_int_equal(cred.groups->gids[0], 0);
	cred_release(&cred);
}

static void test_init_gives_a_user_no_capabilities(void **state)
{
	struct cred cred;

	(void)state;
	assert_int_equal(cred_init(&cred, 1000, 100), 0);
	assert_int_equal(cred.fsuid, 1000);
	assert_int_equal(cred.sgid, 100);
	assert_int_equal(cred.cap_effective, 0);
	assert_int_equal(cred.cap_permitted, 0);
	assert_int_equal(cred.cap_bounding, FULL);
	assert_int_equal(cred.groups->gids[0], 100);
	cred_release(&cred);
}

static void test_group_list_is_shared_until_setgroups(void **state)
{
	static const gid_t other[] = { 7 };
	struct cred parent, child;

	(void)state;
	init_root(&parent);
	cred_copy(&child, &parent);
	assert_ptr_equal(child.groups, parent.groups);
	assert_int_equal(parent.groups->refcount, 2);

	assert_int_equal(cred_setgroups(&child, 1, other), 0);
	assert_ptr_not_equal(child.groups, parent.groups);
	assert_int_equal(parent.groups->refcount, 1);
	assert_int_equal(parent.groups->gids[0], 0);
	assert_int_equal(child.groups->gids[0], 7);
	cred_release(&child);
	cred_release(&parent);
	assert_null(parent.groups);
	cred_release(&parent);
	assert_null(parent.groups);
}

static void test_setgroups_accepts_ngroups_max(void **state)
{
	gid_t *list = calloc(CRED_NGROUPS_MAX, sizeof(gid_t));
	struct cred cred;

	(void)state;
	assert_non_null(list);
	for (int i = 0; i < CRED_NGROUPS_MAX; i++)
		list[i] = (gid_t)(CRED_NGROUPS_MAX - i);
	init_root(&cred);
	assert_int_equal(cred_setgroups(&cred, CRED_NGROUPS_MAX, list), 0);
	assert_int_equal(cred_getgroups(&cred, 0, NULL), CRED_NGROUPS_MAX);
	assert_int_equal(cred.groups->gids[0], 1);
	assert_int_equal(cred.groups->gids[CRED_NGROUPS_MAX - 1],
			 CRED_NGROUPS_MAX);
	assert_int_equal(cred_getgroups(&cred, CRED_NGROUPS_MAX - 1, list),
			 -EINVAL);
	cred_release(&cred);
	free(list);
}

static void test_in_group_checks_fsgid_and_groups(void **state)
{
	static const gid_t groups[] = { 30, 10 };
	struct cred cred;

	(void)state;
	init_root(&cred);
	assert_int_equal(cred_setgroups(&cred, 2, groups), 0);
	assert_int_equal(cred_setfsgid(&cred, 5), 0);
	assert_true(cred_in_group(&cred, 5));
	assert_true(cred_in_group(&cred, 10));
	assert_true(cred_in_group(&cred, 30));
	assert_false(cred_in_group(&cred, 0));
	assert_false(cred_in_group(&cred, 20));
	cred_release(&cred);
}

static void test_getgroups_without_a_list_returns_the_count(void **state)
{
	gid_t list[5] = { 9, 9, 9, 9, 9 };
	struct cred cred;

	(void)state;
	init_root(&cred);
	assert_int_equal(cred_getgroups(&cred, 5, NULL), 1);
	assert_int_equal(cred_setgroups(&cred, 0, NULL), 0);
	assert_int_equal(cred_getgroups(&cred, 5, NULL), 0);
	assert_int_equal(cred_getgroups(&cred, 5, list), 0);
	assert_int_equal(list[0], 9);
	cred_release(&cred);
}

static void test_init_reports_allocation_failure(void **state)
{
	struct cred cred;

	(void)state;
	fail_next_malloc = true;
	assert_int_equal(cred_init(&cred, 0, 0), -ENOMEM);
}

static void test_setgroups_keeps_the_list_when_allocation_fails(void **state)
{
	static const gid_t groups[] = { 7 };
	struct cred cred;

	(void)state;
	init_root(&cred);
	fail_next_malloc = true;
	assert_int_equal(cred_setgroups(&cred, 1, groups), -ENOMEM);
	assert_int_equal(cred.groups->count, 1);
	assert_int_equal(cred.groups->gids[0], 0);
	cred_release(&cred);
}

static void test_capget_splits_sets_into_words(void **state)
{
	struct __user_cap_data_struct data[2];
	struct cred cred;

	(void)state;
	init_root(&cred);
	cred.cap_inheritable = BIT(CAP_KILL) | BIT(CAP_MAC_OVERRIDE);
	cred.cap_effective = BIT(CAP_SETUID);
	cred_capget(&cred, data);
	assert_int_equal(data[0].effective, BIT(CAP_SETUID));
	assert_int_equal(data[1].effective, 0);
	assert_int_equal(data[0].permitted, 0xFFFFFFFF);
	assert_int_equal(data[1].permitted, FULL >> 32);
	assert_int_equal(data[0].inheritable, BIT(CAP_KILL));
	assert_int_equal(data[1].inheritable, 1);
	cred_release(&cred);
}

/* Test registration. */

/* Returns NAME with "uid" and "UID" replaced by "gid" and "GID". */
static const char *gid_wording(const char *name)
{
	char *copy = strdup(name);

	assert_non_null(copy);
	for (char *p = copy; (p = strstr(p, "uid")); p += 3)
		p[0] = 'g';
	for (char *p = copy; (p = strstr(p, "UID")); p += 3)
		p[0] = 'G';
	return copy;
}

#define TABLE_SIZE(table) (sizeof(table) / sizeof((table)[0]))

static void add_test(struct CMUnitTest *tests, size_t *count, const char *name,
		     CMUnitTestFunction function, const void *row)
{
	tests[*count] = (struct CMUnitTest){
		.name = name,
		.test_func = function,
		.initial_state = (void *)row,
	};
	(*count)++;
}

#define ADD_ROWS(table, function)                                              \
	for (size_t i = 0; i < TABLE_SIZE(table); i++)                         \
	add_test(tests, &count, table[i].name, function, &table[i])

#define ADD_SCENARIO(function)                                                 \
	add_test(tests, &count, #function, function, NULL)

int main(void)
{
	static struct CMUnitTest tests[512];
	size_t count = 0;

	for (size_t i = 0; i < TABLE_SIZE(id_cases); i++) {
		add_test(tests, &count, id_cases[i].name, test_uid_case,
			 &id_cases[i]);
		add_test(tests, &count, gid_wording(id_cases[i].name),
			 test_gid_case, &id_cases[i]);
	}
	ADD_ROWS(fixup_cases, test_fixup_case);
	ADD_ROWS(setgroups_cases, test_setgroups_case);
	ADD_ROWS(getgroups_cases, test_getgroups_case);
	ADD_ROWS(capset_cases, test_capset_case);
	ADD_ROWS(prctl_cases, test_prctl_case);
	ADD_ROWS(exec_cases, test_exec_case);
	ADD_ROWS(number_cases, test_number_case);
	ADD_SCENARIO(test_setreuid_after_setresuid_with_saved_root);
	ADD_SCENARIO(test_dropped_root_cannot_come_back);
	ADD_SCENARIO(test_root_seteuid_round_trip);
	ADD_SCENARIO(test_setfsuid_returns_previous_values);
	ADD_SCENARIO(test_keepcaps_keeps_permitted_across_setuid);
	ADD_SCENARIO(test_init_gives_root_all_capabilities);
	ADD_SCENARIO(test_init_gives_a_user_no_capabilities);
	ADD_SCENARIO(test_group_list_is_shared_until_setgroups);
	ADD_SCENARIO(test_setgroups_accepts_ngroups_max);
	ADD_SCENARIO(test_in_group_checks_fsgid_and_groups);
	ADD_SCENARIO(test_getgroups_without_a_list_returns_the_count);
	ADD_SCENARIO(test_capget_splits_sets_into_words);
	ADD_SCENARIO(test_init_reports_allocation_failure);
	ADD_SCENARIO(test_setgroups_keeps_the_list_when_allocation_fails);

	return _cmocka_run_group_tests("cred", tests, count, NULL, NULL);
}
