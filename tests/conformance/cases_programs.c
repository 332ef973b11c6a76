/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * The credential call sequences of programs that drop privileges and then
 * verify the drop, re-expressed from their sources with fixed ids instead
 * of password database lookups.
 */
#include "credsuite.h"

#include <grp.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* Debian's _apt user: uid 42, primary group nogroup (65534). */
#define APT_UID 42
#define APT_GID 65534

/* The user that su, runuser, sshd and setpriv switch to, with groups
 * from initgroups(). */
#define USER_UID 1000
#define USER_GID 1000
static const gid_t user_groups[] = { USER_GID, 24, 100 };
#define USER_GROUP_COUNT 3

/* The checks of apt's DropPrivileges() with APT::Sandbox::Verify=true
 * (apt-pkg/contrib/fileutl.cc, apt 2.6), after the ids changed. */
static void apt_verify_sandbox(void)
{
	long ngroups_max = sysconf(_SC_NGROUPS_MAX);
	gid_t *groups = calloc((size_t)ngroups_max, sizeof(gid_t));
	uid_t ruid = 0, euid = 0, suid = 0;
	gid_t rgid = 0, egid = 0, sgid = 0;

	show("sysconf(_SC_NGROUPS_MAX) = %ld", ngroups_max);
	CALL(getgroups((int)ngroups_max, groups));
	show("groups[0] = %u", groups ? groups[0] : 0);
	CALL(getgid());
	CALL(getegid());
	CALL(getuid());
	CALL(geteuid());
	CALL(getresuid(&ruid, &euid, &suid));
	show("saved uid = %u", suid);
	CALL(getresgid(&rgid, &egid, &sgid));
	show("saved gid = %u", sgid);
	CALL(setgid(0));
	CALL(setegid(0));
	CALL(setuid(0));
	CALL(seteuid(0));
	free(groups);
}

/*
 * apt 2.6 built with setresuid and setresgid: PR_SET_NO_NEW_PRIVS as
 * prctl(38, ...), setgroups to the _apt group, setresgid, setresuid, then
 * the checks.  The gpgv method then executes gpgv.
 */
static void apt_sandbox_drop_verified(void)
{
	const gid_t apt_group = APT_GID;

	CALL(prctl(38, 1, 0, 0, 0));
	CALL(getuid());
	CALL(getgid());
	show_setgroups(1, &apt_group);
	CALL(setresgid(APT_GID, APT_GID, APT_GID));
	CALL(setresuid(APT_UID, APT_UID, APT_UID));
	apt_verify_sandbox();
	show_state("in the sandbox");
	exec_self(NULL, "of an apt method");
}

/* The same drop where setresuid and setresgid are missing at build
 * time: setegid, setgid, setuid, seteuid. */
static void apt_sandbox_drop_without_setres(void)
{
	const gid_t apt_group = APT_GID;

	CALL(prctl(38, 1, 0, 0, 0));
	show_setgroups(1, &apt_group);
	CALL(setegid(APT_GID));
	CALL(setgid(APT_GID));
	CALL(setuid(APT_UID));
	CALL(seteuid(APT_UID));
	apt_verify_sandbox();
	show_state("in the sandbox");
}

/*
 * sshd's session child: do_setusercontext() sets the gid and the groups,
 * then permanently_set_uid() (uidswap.c, OpenSSH 9) sets all ids and
 * checks that neither the old gid nor the old uid can be restored.
 */
static void openssh_permanently_set_uid(void)
{
	CALL(setgid(USER_GID));
	show_setgroups(USER_GROUP_COUNT, user_groups);
	CALL(getuid());
	CALL(getgid());
	CALL(setresgid(USER_GID, USER_GID, USER_GID));
	CALL(setresuid(USER_UID, USER_UID, USER_UID));
	CALL(setgid(0));
	CALL(setegid(0));
	CALL(getgid());
	CALL(getegid());
	CALL(setuid(0));
	CALL(seteuid(0));
	CALL(getuid());
	CALL(geteuid());
	show_state("end");
	exec_self(NULL, "of the user's shell");
}

/*
 * sshd's temporarily_use_uid() and restore_uid() (uidswap.c): save the
 * groups, set the user's, setegid and seteuid to the user, and back.
 */
static void openssh_temporarily_use_uid(void)
{
	gid_t saved[8];
	int saved_count;

	CALL(geteuid());
	CALL(getegid());
	saved_count = getgroups(0, NULL);
	show("getgroups(0, NULL) = %d", saved_count);
	CALL(getgroups(saved_count, saved));
	show_setgroups(USER_GROUP_COUNT, user_groups);
	CALL(getgroups(0, NULL));
	CALL(setegid(USER_GID));
	CALL(seteuid(USER_UID));
	show_state("as the user");
	CALL(seteuid(0));
	CALL(setegid(0));
	show_setgroups(saved_count, saved);
	show_state("restored");
}

/* The common part of Tor's switch_id() (src/lib/process/setuid.c, Tor
 * 0.4): setgroups, setegid, setgid, setuid, seteuid. */
static void tor_switch_ids(void)
{
	const gid_t group = USER_GID;

	show_setgroups(1, &group);
	CALL(setegid(USER_GID));
	CALL(setgid(USER_GID));
	CALL(setuid(USER_UID));
	CALL(seteuid(USER_UID));
}

/* switch_id()'s check that the old gid and uid cannot be restored, and
 * log_credential_status(). */
static void tor_check_switch(void)
{
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;
	gid_t groups[64];

	CALL(setgid(0));
	CALL(setegid(0));
	CALL(setuid(0));
	CALL(seteuid(0));
	CALL(getresuid(&ruid, &euid, &suid));
	CALL(getresgid(&rgid, &egid, &sgid));
	CALL(getgroups(64, groups));
	show_state("end");
}

static void tor_switch_id(void)
{
	CALL(getuid());
	CALL(getgid());
	tor_switch_ids();
	tor_check_switch();
}

/*
 * switch_id() with KeepBindCapabilities: before the switch, keepcaps and
 * only CAP_NET_BIND_SERVICE, CAP_SETUID and CAP_SETGID; after it, no
 * keepcaps and only CAP_NET_BIND_SERVICE (drop_capabilities()).
 */
static void tor_switch_id_keep_bind_capabilities(void)
{
	const uint64_t three =
		BIT(CAP_NET_BIND_SERVICE) | BIT(CAP_SETUID) | BIT(CAP_SETGID);
	const uint64_t bind = BIT(CAP_NET_BIND_SERVICE);

	CALL(getuid());
	CALL(getgid());
	CALL(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	CALL(caps_set(three, three, bind));
	tor_switch_ids();
	show_state("after the switch");
	CALL(prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0));
	CALL(caps_set(bind, bind, bind));
	tor_check_switch();
}

/* su and runuser (util-linux 2.38 su-common.c): init_groups() with
 * initgroups(), then change_identity(): setgid and setuid, in a child
 * that executes the shell while the parent waits. */
static void su_child(void)
{
	CALL(setgid(USER_GID));
	CALL(setuid(USER_UID));
	exec_self(NULL, "of the shell");
}

static void su_change_identity(void)
{
	show_setgroups(USER_GROUP_COUNT, user_groups);
	run_in_fork(su_child);
	show_state("in the waiting parent");
}

/* su is set-user-ID root: a user who runs it starts with euid 0 and
 * saved uid 0, and setuid() with CAP_SETUID sets all uids. */
static void su_from_user_through_setuid_bit(void)
{
	CALL(setresgid(USER_GID, USER_GID, USER_GID));
	CALL(setresuid(USER_UID, 0, 0));
	show_state("as the set-user-ID program");
	show_setgroups(USER_GROUP_COUNT, user_groups);
	CALL(setgid(2000));
	CALL(setuid(2000));
	show_state("end");
}

/*
 * setpriv --reuid=1000 --regid=1000 --init-groups (util-linux 2.38):
 * keepcaps; capset with CAP_SETPCAP, CAP_SETUID and CAP_SETGID raised;
 * setresuid(1000, 1000, 1000) after reading the saved uid; the same
 * capset again, because keepcaps keeps only the permitted set; setresgid;
 * initgroups; execve.
 */
static void setpriv_reuid_regid_init_groups(void)
{
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;
	struct caps caps;

	CALL(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	CALL(caps_get(&caps));
	caps.effective |= BIT(CAP_SETPCAP) | BIT(CAP_SETUID) | BIT(CAP_SETGID);
	CALL(caps_set(caps.effective, caps.permitted, caps.inheritable));
	CALL(getresuid(&ruid, &euid, &suid));
	CALL(setresuid(USER_UID, USER_UID, USER_UID));
	CALL(caps_set(caps.effective, caps.permitted, caps.inheritable));
	CALL(getresgid(&rgid, &egid, &sgid));
	CALL(setresgid(USER_GID, USER_GID, USER_GID));
	show_setgroups(USER_GROUP_COUNT, user_groups);
	show_state("before execve");
	exec_self(NULL, "of the command");
}

/* setpriv --reuid=1000 --regid=1000 --clear-groups: setgroups(0, ...). */
static void setpriv_clear_groups(void)
{
	struct caps caps;

	CALL(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	CALL(caps_get(&caps));
	CALL(setresuid(USER_UID, USER_UID, USER_UID));
	CALL(caps_set(caps.effective, caps.permitted, caps.inheritable));
	CALL(setresgid(USER_GID, USER_GID, USER_GID));
	show_setgroups(0, NULL);
	exec_self(NULL, "of the command");
}

const struct credsuite_case program_cases[] = {
	{ "apt_sandbox_drop_verified", apt_sandbox_drop_verified },
	{ "apt_sandbox_drop_without_setres", apt_sandbox_drop_without_setres },
	{ "openssh_permanently_set_uid", openssh_permanently_set_uid },
	{ "openssh_temporarily_use_uid", openssh_temporarily_use_uid },
	{ "tor_switch_id", tor_switch_id },
	{ "tor_switch_id_keep_bind_capabilities",
	  tor_switch_id_keep_bind_capabilities },
	{ "su_change_identity", su_change_identity },
	/* runuser is su-common.c without authentication: the same calls. */
	{ "runuser_change_identity", su_change_identity },
	{ "su_from_user_through_setuid_bit", su_from_user_through_setuid_bit },
	{ "setpriv_reuid_regid_init_groups", setpriv_reuid_regid_init_groups },
	{ "setpriv_clear_groups", setpriv_clear_groups },
	{ NULL, NULL },
};
