#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Runner tests of the first run on a fresh Debian (scripts/deps.sh): as root ./run_tests.sh
# installs what the run needs with one line on stderr, then builds and runs; as another user,
# or when apt-get fails, it prints the apt-get line and stops before building; ./configure,
# make and make check never get to "gcc: No such file or directory". The host's tools are
# hidden through PATH: a directory of links to every command but the compilers and QEMU, a
# fake id (FR_UID) and a fake apt-get that records its calls and "installs" gcc and QEMU by
# adding their links. Sourced by tests/runner/run.sh.

# fr_bin DIR: fill DIR with links to the host's commands except the compilers, id, apt-get
# and qemu-system-x86_64, plus the fake id and apt-get.
fr_bin()
{
	local dir=$1 d f name gcc

	rm -rf "$dir"
	mkdir -p "$dir"
	for d in /usr/local/bin /usr/bin /bin /usr/sbin /sbin; do
		for f in "$d"/*; do
			name=${f##*/}
			case $name in
			gcc | gcc-[0-9]* | cc | c89* | c99* | *-linux-gnu-gcc* | id | apt-get | \
				qemu-system-x86_64) continue ;;
			esac
			[[ -x $f && ! -e $dir/$name ]] && ln -s "$f" "$dir/$name"
		done
	done
	cat >"$dir/id" <<-'EOF'
		#!/bin/bash
		[[ $1 == -u ]] && exec echo "$FR_UID"
		exec /usr/bin/id "$@"
	EOF
	gcc=$(command -v gcc)
	cat >"$dir/apt-get" <<-EOF
		#!/bin/bash
		echo "apt-get \$*" >>"$WORK/apt.log"
		[[ -n \${FR_APT_FAIL-} ]] && { echo "E: Unable to locate package" >&2; exit 100; }
		for p in "\$@"; do
			case \$p in
			gcc) ln -sf "$gcc" "$dir/gcc"; ln -sf "$gcc" "$dir/cc" ;;
			qemu-system-x86) ln -sf "$TR_FAKE" "$dir/qemu-system-x86_64" ;;
			esac
		done
	EOF
	chmod +x "$dir/id" "$dir/apt-get"
}

# fr_run DIR UID ARGS...: run ./run_tests.sh in DIR with PATH limited to the fake bin, as
# user UID; set OUT ERR RC. QEMU stays unset (the default binary's package is installed).
# shellcheck disable=SC2034 # RC is read by expect_rc
fr_run()
{
	local dir=$1 uid=$2

	shift 2
	OUT=$(cd "$dir" && PATH=$FR_BIN FR_UID=$uid ACCEL=tcg NO_COLOR=1 ./run_tests.sh "$@" \
		2>"$dir/.stderr")
	RC=$?
	ERR=$(<"$dir/.stderr")
}

# fr_tree: a fake source tree without config.mak whose configure needs gcc (as the real one
# does) and whose Makefile builds the image.
fr_tree()
{
	tr_tree "$SRC"
	rm "$SRC/config.mak"
	cat >"$SRC/configure" <<-EOF
		#!/bin/bash
		# SPDX-License-Identifier: MIT
		command -v gcc >/dev/null || { echo "configure: no gcc" >&2; exit 1; }
		printf 'ARCH=x86_64\nSRCDIR=%s\nTESTDIR=x86\nHOST_ARCH=x86_64\n' "$SRC" >config.mak
	EOF
	chmod +x "$SRC/configure"
	printf 'all: x86/ok.flat\nx86/ok.flat:\n\tprintf "%s" >$@\n' \
		'out PASS: a\nout SUMMARY: 1 tests\nout EXIT: STATUS=0\nexit 1\n' >"$SRC/Makefile"
	printf '[a]\nfile = ok.flat\n' >"$SRC/unittests.cfg"
}

test_first_run()
{
	FR_BIN=$WORK/frbin
	fr_bin "$FR_BIN"
	if PATH=$FR_BIN command -v gcc >/dev/null 2>&1; then
		tr_bad "first run: gcc hidden from PATH" "$(PATH=$FR_BIN command -v gcc)"
		return
	fi
	fr_tree
	rm -f "$WORK/apt.log"
	fr_run "$SRC" 1000
	expect_rc "first run, not root: exit status 2" 2
	expect_grep "first run, not root: the apt-get line" "$ERR" "^run_tests.sh: missing \
packages; as root run: apt-get update && apt-get install -y --no-install-recommends gcc \
qemu-system-x86$"
	expect_eq "first run, not root: apt-get not called, nothing built" "no no" \
		"$([[ -e $WORK/apt.log ]] && echo yes || echo no) \
$([[ -e $SRC/x86/ok.flat || -e $SRC/config.mak ]] && echo yes || echo no)"
	FR_APT_FAIL=1 fr_run "$SRC" 0
	expect_rc "first run, apt-get fails: exit status 2" 2
	expect_grep "first run, apt-get fails: its output and the apt-get line" "$ERR" \
		"installing failed \(apt-get output: .*\); as root run: apt-get update && apt-get"
	expect_eq "first run, apt-get fails: nothing built" no \
		"$([[ -e $SRC/x86/ok.flat ]] && echo yes || echo no)"
	rm -f "$WORK/apt.log"
	fr_run "$SRC" 0
	expect_rc "first run as root: installs, builds, runs" 0
	expect_line "first run as root: the test ran" "$OUT" "PASS a (1 tests)"
	expect_eq "first run as root: one line says what it installs" "run_tests.sh: installing \
gcc qemu-system-x86 (apt-get install -y --no-install-recommends gcc qemu-system-x86)" \
		"$(grep -i install <<<"$ERR")"
	expect_eq "first run as root: apt-get update, then install" "apt-get update -qq
apt-get install -y -qq --no-install-recommends gcc qemu-system-x86" "$(<"$WORK/apt.log")"
	rm -f "$WORK/apt.log"
	fr_run "$SRC" 0
	expect_eq "second run: nothing to install" "no" \
		"$([[ -e $WORK/apt.log ]] && echo yes || echo no)"
	test_first_make
}

# configure, make and make check of the real tree, copied, without a compiler.
test_first_make()
{
	local real=$WORK/real out rc

	rm -f "$FR_BIN/gcc" "$FR_BIN/cc" "$FR_BIN/qemu-system-x86_64"
	rm -rf "$real"
	mkdir -p "$real"
	(cd "$TR_ROOT" && git ls-files -z --cached --others --exclude-standard 2>/dev/null |
		xargs -0 cp --parents -t "$real") || cp -r "$TR_ROOT"/. "$real"
	rm -f "$real/config.mak" "$WORK/apt.log"
	out=$(cd "$real" && PATH=$FR_BIN FR_UID=0 ./configure 2>&1)
	rc=$?
	expect_eq "configure without gcc: fails with the apt-get line, installs nothing" \
		"1 configure: C compiler 'gcc' not found; as root run: apt-get install gcc no" \
		"$rc $out $([[ -e $WORK/apt.log ]] && echo yes || echo no)"
	out=$(cd "$real" && PATH=$FR_BIN FR_UID=0 make 2>&1)
	rc=$?
	expect_grep "make without gcc: the apt-get line" "$out" \
		"^configure: C compiler 'gcc' not found; as root run: apt-get install gcc$"
	expect_eq "make without gcc: fails, installs nothing, no 'No such file'" "2 no 0" \
		"$rc $([[ -e $WORK/apt.log ]] && echo yes || echo no) \
$(grep -c 'No such file' <<<"$out")"
	out=$(cd "$real" && PATH=$FR_BIN FR_UID=1000 make check 2>&1)
	rc=$?
	expect_grep "make check, not root, without gcc: the apt-get line" "$out" \
		"^make check: missing packages; as root run: apt-get update && apt-get install -y \
--no-install-recommends gcc qemu-system-x86$"
	expect_eq "make check, not root: fails before building, no 'No such file'" "2 0 0" \
		"$rc $(grep -c 'No such file' <<<"$out") $(find "$real" -name '*.o' | wc -l)"
}
