#!/bin/sh
# The installed product, after a meson install into a temporary prefix.
# It checks the installed programs without a build tree, a module built
# out of tree against the installed header, the site configuration file
# of that prefix, the man pages and the bash completion.
. "$SOURCE_ROOT/tests/integration/lib.sh"

# The installed programs must find their files by their compiled-in paths.
unset PSEUDOPOD_CONFIG PSEUDOPOD_MODULE_PATH

started=$(date +%s)
prefix=$WORK/prefix
build=$WORK/build
modules="uid_gid fakeroot_chown mylog tmpfs podman_env pmi_fd"

# skip REASON: one test that cannot run here.
skip() {
    test_count=$((test_count + 1))
    echo "ok $test_count # SKIP $1"
}

# Stops the test when an earlier step failed: the later ones need it.
require() {
    [ "$status" -eq 0 ] && return
    diag "$out" "$err"
    echo "Bail out! $1"
    exit 1
}

capture meson setup "$build" "$SOURCE_ROOT" --prefix="$prefix"
is "$status" 0 "meson setup --prefix=PREFIX succeeds"
require "meson setup failed"
capture meson compile -C "$build"
is "$status" 0 "meson compile succeeds"
require "meson compile failed"
capture meson install -C "$build"
is "$status" 0 "meson install succeeds"
require "meson install failed"
chmod -R a+rX "$prefix"
diag "setup, compile and install: $(($(date +%s) - started)) s"

pc=$(find "$prefix" -name pseudopod-module.pc)
[ -f "$pc" ]
report $? "pseudopod-module.pc is installed"
export PKG_CONFIG_PATH="${pc%/*}"
moduledir=$(pkg-config --variable=moduledir pseudopod-module)
conf=$prefix/etc/pseudopod/pseudopod.conf
for file in bin/pseudo bin/pseudopod include/pseudo/module.h \
    share/pseudopod/trace.json share/man/man1/pseudo.1 \
    share/man/man1/pseudopod.1 share/man/man7/pseudopod-modules.7 \
    share/bash-completion/completions/pseudo \
    share/bash-completion/completions/pseudopod; do
    [ -f "$prefix/$file" ]
    report $? "PREFIX/$file is installed"
done
for name in $modules; do
    [ -f "$moduledir/$name.so" ]
    report $? "module $name is installed in the moduledir of the .pc"
done

# Without a build tree, the programs use the installed module directory.
rm -rf "$build"
pseudo=$prefix/bin/pseudo
pseudopod=$prefix/bin/pseudopod

capture as_user "$pseudo" --root id
is "$out" "uid=0(root) gid=0(root) groups=0(root)" \
    "installed pseudo --root id prints root"
capture as_user "$pseudopod" virtual id -u
is "$out" 0 "installed pseudopod virtual id -u prints 0"
cp "$pseudo" "$WORK/pseudo-copy"
capture as_user "$WORK/pseudo-copy" --root id -u
is "$out" 0 "a copy of pseudo elsewhere finds the installed modules"

# The module example, built as a user would: only pkg-config and the
# installed header, outside the source tree.
as_user cp -R "$SOURCE_ROOT/examples/site-module" "$WORK/site-module"
capture as_user PKG_CONFIG_PATH="$PKG_CONFIG_PATH" \
    make -C "$WORK/site-module"
is "$status" 0 "examples/site-module builds against the prefix"
contains "$out" "-I$prefix/include" "the module build uses the installed header"
lacks "$out" "$SOURCE_ROOT" "the module build does not use the source tree"
require "the module example does not build"
hostname_so=$WORK/site-module/hostname.so

for backend in ptrace notify; do
    capture as_user "$pseudo" --root --backend="$backend" \
        --module=+"$hostname_so" sh -c 'hostname build01 && uname -n'
    is "$status" 0 "$backend: hostname build01 succeeds with the module"
    is "$out" build01 "$backend: uname -n prints the name set"
done
capture as_user "$pseudo" --root hostname build01
[ "$status" -ne 0 ]
report $? "without the module hostname build01 fails"

# PSEUDOPOD_MODULE_PATH adds directories searched by name.
capture as_user PSEUDOPOD_MODULE_PATH="$WORK/site-module" "$pseudo" --root \
    --module=+hostname sh -c 'hostname build03 && hostname'
is "$out" build03 "PSEUDOPOD_MODULE_PATH: a module is found by name"
capture as_user PSEUDOPOD_MODULE_PATH="$WORK/site-module" "$pseudo" \
    --list-modules
contains "$out" "hostname
  file: $hostname_so" "PSEUDOPOD_MODULE_PATH: --list-modules lists its modules"

capture make -C "$WORK/site-module" install
is "$status" 0 "make install of the module succeeds"
[ -f "$moduledir/hostname.so" ]
report $? "make install puts hostname.so in the moduledir"
capture as_user "$pseudopod" virtual --module=+hostname \
    sh -c 'hostname build02 && hostname'
is "$out" build02 "pseudopod loads the installed module by name"

# --list-modules names each installed module and its file.
for program in "$pseudo" "$pseudopod"; do
    capture as_user "$program" --list-modules
    is "$status" 0 "${program##*/} --list-modules exits 0"
    for name in $modules hostname; do
        contains "$out" "$name
  file: $moduledir/$name.so" "${program##*/} --list-modules lists $name"
    done
done
contains "$out" "fakeroot
  file: built in" "pseudopod --list-modules lists the built-in fakeroot"

# The site configuration at the compiled-in path of this prefix.
mkdir -p "${conf%/*}"
cat >"$conf" <<EOF
# Written by tests/integration/install.sh.
module mylog
module-opt mylog.syscalls=geteuid
EOF
chmod -R a+rX "$prefix/etc"
sed 's/\\://g' "$prefix/share/man/man1/pseudo.1" | grep -qF "$conf"
report $? "pseudo(1) names the site configuration path"
capture as_user "$pseudo" --root id -u
is "$out" 0 "pseudo with the site's mylog prints the uid"
contains "$err" "mylog: tid" "pseudo loads the site's module"
contains "$err" "geteuid(" "the site's module option is set"
capture as_user "$pseudopod" virtual id -u
contains "$err" "geteuid(" "pseudopod loads the site's module"
capture as_user "$pseudo" --root --module=-mylog id -u
is "$status" 0 "--module=-mylog removes the site's module"
lacks "$err" "mylog" "--module=-mylog: nothing is logged"

echo "modules mylog" >>"$conf"
for program in "$pseudo" "$pseudopod"; do
    capture as_user "$program" true
    is "$status" 125 "${program##*/}: a malformed site file exits 125"
    contains "$err" "$conf:4: unknown directive 'modules'" \
        "${program##*/}: the error names the file and the line"
done
capture as_user PSEUDOPOD_CONFIG= "$pseudo" --root true
is "$status" 0 "an empty PSEUDOPOD_CONFIG ignores the site file"
rm -f "$conf"

printf 'module mylog\nmodule-opt mylog.syscalls=geteuid\n' >"$WORK/other.conf"
chmod a+r "$WORK/other.conf"
capture as_user PSEUDOPOD_CONFIG="$WORK/other.conf" "$pseudo" --root id -u
contains "$err" "geteuid(" "PSEUDOPOD_CONFIG names another site file"
capture as_user PSEUDOPOD_CONFIG="$WORK/missing.conf" "$pseudo" --root true
is "$status" 125 "a missing file named by PSEUDOPOD_CONFIG exits 125"
capture as_user "$pseudo" --root id -u
is "$status" 0 "no file at the default path: no site configuration"
lacks "$err" "mylog" "no file at the default path: no module is added"

# The man pages: no groff warning, no placeholder left.
if command -v man >/dev/null 2>&1; then
    for page in man1/pseudo.1 man1/pseudopod.1 man7/pseudopod-modules.7; do
        file=$prefix/share/man/$page
        warnings=$(MANWIDTH=80 man --warnings -l "$file" 2>&1 >/dev/null)
        is "$warnings" "" "man --warnings -l $page prints no warning"
        ! grep -q '@[A-Z_]*@' "$file"
        report $? "$page has its @ words replaced"
    done
else
    skip "man is not installed (package man-db)"
fi

# The worked example of pseudopod-modules(7) is examples/site-module.
sed -n '/^\.\\" hostname\.c begins$/,/^\.\\" hostname\.c ends$/p' \
    "$prefix/share/man/man7/pseudopod-modules.7" | sed -e '1d' -e '$d' \
    -e 's/^\\&//' -e "s/\\\\(aq/'/g" -e 's/\\(ga/`/g' -e 's/\\(ha/^/g' \
    -e 's/\\(ti/~/g' -e 's/\\-/-/g' -e 's/\\e/\\/g' >"$WORK/listing.c"
capture diff -u "$SOURCE_ROOT/examples/site-module/hostname.c" \
    "$WORK/listing.c"
is "$status" 0 "pseudopod-modules(7) lists examples/site-module/hostname.c"
[ "$status" -eq 0 ] || diag "$out" \
    "copy hostname.c into the page again, escaping \\, -, ' and a leading ."

# --help names every long option that the program accepts.
options_of() {
    sed -n 's/^[[:space:]]*{ "\([a-z-]*\)", [a-z_]*_argument,.*/\1/p' "$1"
}
pseudo_options=$(options_of "$SOURCE_ROOT/pseudo/main.c")
pseudopod_options=$(options_of "$SOURCE_ROOT/pseudopod/args.c")
[ "$(echo "$pseudo_options" | wc -l)" -ge 8 ]
report $? "the options of pseudo/main.c are found"
[ "$(echo "$pseudopod_options" | wc -l)" -ge 10 ]
report $? "the options of pseudopod/args.c are found"
help=$("$pseudo" --help)
for option in $pseudo_options; do
    contains "$help" "--$option" "pseudo --help lists --$option"
done
help=$("$pseudopod" --help)
for option in $pseudopod_options; do
    contains "$help" "--$option" "pseudopod --help lists --$option"
done

# Bash completion, driven as bash-completion would drive it: the line is
# split into COMP_WORDS at blanks and at '='.
cat >"$WORK/complete.bash" <<'EOF'
. /usr/share/bash-completion/bash_completion
. "$1"
compopt() { :; }
line=$2
COMP_LINE=$line
COMP_POINT=${#line}
COMP_WORDS=()
read -ra tokens <<<"$line"
for token in "${tokens[@]}"; do
    while [[ $token == *=* ]]; do
        [[ ${token%%=*} ]] && COMP_WORDS+=("${token%%=*}")
        COMP_WORDS+=("=")
        token=${token#*=}
    done
    [[ $token ]] && COMP_WORDS+=("$token")
done
[[ $line == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMPREPLY=()
_pseudopod
printf '%s\n' "${COMPREPLY[@]}" | sort -u | tr '\n' ' '
EOF
# completions_of LINE: the completions, sorted, on one line.
completions_of() {
    as_user bash "$WORK/complete.bash" \
        "$prefix/share/bash-completion/completions/pseudo" "$1" 2>&1
}
if [ -f /usr/share/bash-completion/bash_completion ] &&
    command -v bash >/dev/null 2>&1; then
    options=$(completions_of "$pseudo --")
    for option in $pseudo_options; do
        case $options in
        *"--$option "* | *"--$option= "*)
            report 0 "completion offers pseudo --$option" ;;
        *)
            report 1 "completion offers pseudo --$option"
            diag "completions: $options" ;;
        esac
    done
    options=$(completions_of "$pseudopod --")
    for option in $pseudopod_options; do
        case $options in
        *"--$option "* | *"--$option= "*)
            report 0 "completion offers pseudopod --$option" ;;
        *)
            report 1 "completion offers pseudopod --$option"
            diag "completions: $options" ;;
        esac
    done
    is "$(completions_of "$pseudopod ")" "auto fakeroot subuid virtual " \
        "completion offers the modes"
    is "$(completions_of "$pseudo --backend=")" "notify ptrace " \
        "completion offers the backends"
    is "$(completions_of "$pseudopod virtual --mount-run=")" "off on private " \
        "completion offers the --mount-run values"
    is "$(completions_of "$pseudopod --trace ")" "off on " \
        "completion offers the --trace values"
    contains "$(completions_of "$pseudo --module=+")" "+hostname " \
        "completion offers the installed modules"
    is "$(completions_of "$pseudo --module=-my")" "-mylog " \
        "completion offers a module to remove"
    is "$(completions_of "$pseudo --module-opt=tm")" "tmpfs.path= tmpfs.run= " \
        "completion offers module option keys"
    is "$(completions_of "$pseudo --root --backend notify ech")" "echo " \
        "completion completes the command after the options"
    is "$(completions_of "$pseudopod virtual -- unam")" "uname " \
        "completion completes the command after --"
else
    skip "bash-completion is not installed"
fi

diag "install test: $(($(date +%s) - started)) s"
done_testing
