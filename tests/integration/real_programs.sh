#!/bin/sh
# Real programs that switch users, run as the unprivileged test user under
# pseudo --root: apt-get update with its _apt sandbox and its checks, a
# download with the same sandbox, setpriv, runuser, su, and set-user-ID
# and set-group-ID programs.
. "$SOURCE_ROOT/tests/integration/lib.sh"

[ "$(id -u)" -eq 0 ] ||
    skip_all "needs root to run the programs as PSEUDOPOD_TEST_USER"
[ -n "${PSEUDOPOD_TEST_USER:-}" ] ||
    skip_all "PSEUDOPOD_TEST_USER must name an unprivileged user"

CREDSUITE=$BUILD_ROOT/tests/conformance/credsuite
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# The user that setpriv, runuser and su switch to: uid 1000 when the
# password database has it, else the test user itself.
target_uid=1000
target=$(getent passwd "$target_uid" | cut -d: -f1)
if [ -z "$target" ]; then
    target=$PSEUDOPOD_TEST_USER
    target_uid=$(id -u "$target")
fi
target_gid=$(id -g "$target")
diag "switching to $target (uid $target_uid, gid $target_gid)"

# Runs a command as the test user under pseudo --root.
as_root() {
    as_user "$PSEUDO" --root "$@"
}

# A local flat apt repository with one empty package, and a Release file
# that [trusted=yes] accepts unsigned.
make_repository() {
    repo=$WORK/repo
    mkdir -p "$WORK/pkg/DEBIAN" "$repo"
    cat >"$WORK/pkg/DEBIAN/control" <<EOF
Package: pseudopod-probe
Version: 1.0
Architecture: all
Maintainer: pseudopod tests <tests@invalid>
Description: empty package for the apt sandbox test
EOF
    dpkg-deb --root-owner-group --build "$WORK/pkg" \
        "$repo/pseudopod-probe_1.0_all.deb" >/dev/null &&
        (cd "$repo" && dpkg-scanpackages . /dev/null >Packages 2>/dev/null) ||
        return 1
    sum=$(sha256sum "$repo/Packages" | cut -d' ' -f1)
    size=$(wc -c <"$repo/Packages")
    cat >"$repo/Release" <<EOF
Origin: pseudopod
Label: pseudopod
Suite: test
Codename: test
Date: Thu, 01 Jan 2026 00:00:00 UTC
Architectures: all
SHA256:
 $sum $size Packages
EOF
    chmod -R a+rX "$repo"
}

# An apt configuration whose every state, cache, log and configuration
# directory is in $WORK/apt, owned by the test user: APT_CONFIG is read
# before the configuration directories, so it can move them all.
make_apt_config() {
    apt=$WORK/apt
    as_user mkdir -p "$apt/state/lists/partial" \
        "$apt/cache/archives/partial" "$apt/etc/apt.conf.d" \
        "$apt/etc/preferences.d" "$apt/etc/sources.list.d" \
        "$apt/etc/trusted.gpg.d" "$apt/log" "$WORK/download"
    as_user touch "$apt/status"
    echo "deb [trusted=yes] file:$repo ./" >"$WORK/sources.list"
    cat >"$WORK/apt.conf" <<EOF
Dir::State "$apt/state";
Dir::State::status "$apt/status";
Dir::Cache "$apt/cache";
Dir::Etc "$apt/etc";
Dir::Etc::sourcelist "$WORK/sources.list";
Dir::Etc::sourceparts "$apt/etc/sources.list.d";
Dir::Etc::main "$apt/etc/apt.conf";
Dir::Etc::parts "$apt/etc/apt.conf.d";
Dir::Etc::preferences "$apt/etc/preferences";
Dir::Etc::preferencesparts "$apt/etc/preferences.d";
Dir::Etc::trustedparts "$apt/etc/trusted.gpg.d";
Dir::Log "$apt/log";
EOF
}

# The mylog module logs the credential calls of apt's methods, which show
# whether they switched to the sandbox user.
MYLOG="--module=+mylog --module-opt=mylog.syscalls=setresuid,setgroups"

test_apt() {
    apt_uid=$(getent passwd _apt | cut -d: -f3)
    if [ -z "$apt_uid" ]; then
        report 1 "the _apt user exists (apt's sandbox user)"
        return
    fi
    report 0 "the _apt user exists (uid $apt_uid)"
    if ! command -v dpkg-scanpackages >/dev/null; then
        report 1 "dpkg-scanpackages is installed (package dpkg-dev)"
        return
    fi
    make_repository
    report "$?" "a local repository was built with dpkg-deb"
    make_apt_config

    capture as_root $MYLOG env APT_CONFIG="$WORK/apt.conf" apt-get \
        -o APT::Sandbox::Verify=true update
    is "$status" 0 "apt-get update with APT::Sandbox::Verify=true exits 0"
    [ "$status" -eq 0 ] || diag "$out" "$err"
    lacks "$err" "unsandboxed" "apt-get update keeps its sandbox"
    contains "$err" "$(printf 'setresuid(%#x, %#x, %#x' "$apt_uid" \
        "$apt_uid" "$apt_uid")" "apt's methods switch to the _apt user"
    # APT::Sandbox::Verify makes a method fail when seteuid(0) works.
    printf '%s\n' "$err" |
        grep -q 'setresuid(0xffffffff, 0, 0xffffffff, .*) = -1 EPERM$'
    report "$?" "the methods' seteuid(0) fails with EPERM"
    lists=$(ls "$apt/state/lists")
    contains "$lists" "Packages" "apt-get update stored the package list"
    is "$(find "$apt" "$WORK/download" ! -user "$PSEUDOPOD_TEST_USER" |
        head -n 1)" "" "apt wrote only files of the test user"

    capture as_user env --chdir="$WORK/download" "$PSEUDO" --root \
        env APT_CONFIG="$WORK/apt.conf" apt-get \
        -o APT::Sandbox::Verify=true download pseudopod-probe
    is "$status" 0 "apt-get download exits 0"
    lacks "$err" "unsandboxed" "apt-get download keeps its sandbox"
    [ -s "$WORK/download/pseudopod-probe_1.0_all.deb" ]
    report "$?" "apt-get download fetched the package"
}

test_setpriv() {
    capture as_root setpriv --reuid="$target_uid" --regid="$target_gid" \
        --init-groups id
    is "$status" 0 "setpriv --init-groups exits 0"
    contains "$out" "uid=$target_uid($target) gid=$target_gid" \
        "setpriv switches to $target"
    lacks "$out" "euid=" "setpriv leaves no effective uid behind"
}

# Reports a skipped check in TAP.
skip() {
    report 0 "$1 # SKIP $2"
}

test_runuser() {
    runuser=$(command -v runuser) || {
        skip "runuser" "not installed"
        return
    }
    capture as_root "$runuser" -u "$target" -- id
    is "$status" 0 "runuser exits 0"
    contains "$out" "uid=$target_uid($target) gid=$target_gid" \
        "runuser switches to $target"
}

# su's PAM stack (common-account, pam_unix) reads /etc/shadow, which the
# test user cannot read even as virtual root.  In the command's private
# mount namespace a readable shadow file with locked passwords can be
# mounted over it, as a container image owned by the user would have.
test_su() {
    su=$(command -v su) || {
        skip "su" "not installed"
        return
    }
    capture as_root "$su" -s /bin/sh "$target" -c id
    if [ "$status" -ne 0 ]; then
        diag "su fails without a readable /etc/shadow: $err"
    fi
    printf 'root:*:19000:0:99999:7:::\n%s:*:19000:0:99999:7:::\n' \
        "$target" >"$WORK/shadow"
    chmod 644 "$WORK/shadow"
    capture as_root sh -c 'mount --bind "$1" /etc/shadow &&
        exec "$3" -s /bin/sh "$2" -c id' sh "$WORK/shadow" "$target" "$su"
    is "$status" 0 "su exits 0 with a readable /etc/shadow"
    contains "$out" "uid=$target_uid($target) gid=$target_gid" \
        "su switches to $target"
}

# Copies of the suite and of id, owned by the test user (root inside the
# namespace) with set-ID bits, executed after setpriv switched to the
# target user.
test_setid_program() {
    mode=$1
    label=$2
    dir=$WORK/setid-$mode
    as_user mkdir "$dir"
    as_user cp "$CREDSUITE" "$dir/probe"
    as_user cp "$(command -v id)" "$dir/id"
    as_user chmod "$mode" "$dir/probe" "$dir/id"
    capture as_root setpriv --reuid="$target_uid" --regid="$target_gid" \
        --clear-groups "$dir/probe" --after-exec "$label"
    is "$status" 0 "$label program runs"
    contains "$out" "$3" "$label program: $4"
    capture as_root setpriv --reuid="$target_uid" --regid="$target_gid" \
        --clear-groups "$dir/id"
    contains "$out" "$5" "$label id prints $5"
}

if findmnt -n -o OPTIONS -T "$WORK" | grep -q nosuid; then
    report 1 "$WORK is on a mount without nosuid"
else
    test_setid_program 4755 set-user-ID \
        "uid r=$target_uid e=0 s=0 fs=0" \
        "real uid $target_uid, effective and saved uid 0" "euid=0(root)"
    test_setid_program 2755 set-group-ID \
        "gid r=$target_gid e=0 s=0 fs=0" \
        "real gid $target_gid, effective and saved gid 0" "egid=0(root)"
fi

test_apt
test_setpriv
test_runuser
test_su

done_testing
