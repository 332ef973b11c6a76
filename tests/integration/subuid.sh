#!/bin/sh
# Subordinate ranges as pseudopod reads them: several ranges of one user
# are mapped together, and a malformed line is reported.  Changes
# /etc/subuid and /etc/subgid for the test user with ranges, and restores
# them at exit.
. "$SOURCE_ROOT/tests/integration/lib.sh"

user=${PSEUDOPOD_TEST_SUBUID_USER:-}
if [ "$(id -u)" -ne 0 ] || [ -z "$user" ]; then
    skip_all "needs root and PSEUDOPOD_TEST_SUBUID_USER"
fi

cp /etc/subuid "$WORK/subuid"
cp /etc/subgid "$WORK/subgid"
trap 'cp "$WORK/subuid" /etc/subuid; cp "$WORK/subgid" /etc/subgid; rm -rf "$WORK"' EXIT

# Writes the test user's lines of both files.
set_ranges() {
    for file in /etc/subuid /etc/subgid; do
        sed -i "/^$user:/d" "$file"
        printf '%s\n' "$@" >>"$file"
    done
}

set_ranges "$user:400000:30000" "$user:500000:40000"
capture as_subuid_user "$PSEUDOPOD" --debug cat /proc/self/uid_map
is "$status" 0 "two ranges of 30000 and 40000 ids: the run succeeds"
contains "$err" "auto mode chose subuid" "two ranges together are enough for subuid mode"
map=$(printf '%s\n' "$out" | tr -s ' ' | sed 's/^ //')
contains "$map" "1 400000 30000" "the first range is mapped from 1"
contains "$map" "30001 500000 40000" "the second range follows the first"

set_ranges "$user:abc:65536"
capture as_subuid_user "$PSEUDOPOD" --debug true
is "$status" 0 "auto mode runs despite a malformed range"
contains "$err" "invalid range 'abc:65536'" "a malformed range is named"
contains "$err" "auto mode chose virtual" "a malformed range makes auto mode choose virtual"
capture as_subuid_user "$PSEUDOPOD" subuid true
is "$status" 125 "subuid mode with a malformed range exits 125"

done_testing
