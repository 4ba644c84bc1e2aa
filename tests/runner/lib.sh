#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Helpers for the runner's own tests: a throw-away source tree holding a copy of the runner,
# a config.mak, fake images (scripts for tests/runner/fake-qemu.sh) and a catalogue; running
# the runner there; one result line per assertion. Sourced by tests/runner/run.sh.
# shellcheck disable=SC2034 # OUT, ERR, RC and TR_TESTDIR are read by the files sourcing this one

TR_PASSED=0 TR_FAILED=0
TR_HERE=$(realpath "$(dirname "${BASH_SOURCE[0]}")")
TR_ROOT=$(realpath "$TR_HERE/../..")
TR_FAKE=$TR_HERE/fake-qemu.sh

tr_ok()
{
	printf 'ok     %s\n' "$1"
	TR_PASSED=$((TR_PASSED + 1))
}

tr_bad()
{
	printf 'FAILED %s: %s\n' "$1" "$2"
	TR_FAILED=$((TR_FAILED + 1))
}

# tr_tree DIR [ARCH]: make DIR a fake source tree, configured in-tree for ARCH (x86_64,
# arm64, riscv64 or s390x; default x86_64) on an x86_64 host; TR_TESTDIR is its test
# directory.
tr_tree()
{
	local dir=$1 arch=${2:-x86_64}

	case $arch in
	arm64) TR_TESTDIR=arm ;;
	riscv64) TR_TESTDIR=riscv ;;
	s390x) TR_TESTDIR=s390x ;;
	*) TR_TESTDIR=x86 ;;
	esac
	rm -rf "$dir"
	mkdir -p "$dir/scripts" "$dir/$TR_TESTDIR"
	cp "$TR_ROOT/run_tests.sh" "$dir/"
	cp "$TR_ROOT"/scripts/*.sh "$TR_ROOT"/scripts/*.c "$dir/scripts/"
	printf 'ARCH=%s\nSRCDIR=%s\nTESTDIR=%s\nHOST_ARCH=x86_64\n' "$arch" "$dir" "$TR_TESTDIR" \
		>"$dir/config.mak"
	printf 'all:\n\n%s/%%.flat:\n\tprintf "out built by make\\n" >$@\n' "$TR_TESTDIR" \
		>"$dir/Makefile"
	: >"$dir/unittests.cfg"
}

# tr_image DIR NAME [ACTION...]: the fake image DIR/<testdir>/NAME.flat, its actions given as
# arguments, one a line (or read from stdin when none is given).
tr_image()
{
	if (($# > 2)); then
		printf '%s\n' "${@:3}" >"$1/$TR_TESTDIR/$2.flat"
	else
		cat >"$1/$TR_TESTDIR/$2.flat"
	fi
}

# tr_timeout DIR NAME: the stanza timeout for the fake image NAME: 5 s when it always hangs
# (the timeout is what such a case is about), 10 s when it hangs only for some arguments,
# else 60 s, so that a fake VMM slow to start on a loaded machine is never taken for a hang.
tr_timeout()
{
	local f=$1/$TR_TESTDIR/$2.flat

	if grep -qx 'hang' "$f" 2>/dev/null; then
		echo 5
	elif grep -q ' hang$' "$f" 2>/dev/null; then
		echo 10
	else
		echo 60
	fi
}

# tr_passing DIR NAME: a fake image that passes one check.
tr_passing()
{
	tr_image "$1" "$2" 'out PASS: a' 'out SUMMARY: 1 tests' 'out EXIT: STATUS=0' 'exit 1'
}

# tr_run DIR ARGS...: run the runner in DIR with the fake VMM under TCG; set OUT ERR RC.
# Variables the caller puts in the environment of this call (QEMU, ACCEL, TIMEOUT, ...) win.
tr_run()
{
	local dir=$1

	shift
	OUT=$(cd "$dir" && QEMU=${QEMU:-$TR_FAKE} ACCEL=${ACCEL-tcg} MACHINE=${MACHINE-} \
		TIMEOUT=${TIMEOUT-} MAX_SMP=${MAX_SMP-} NO_COLOR=1 ./run_tests.sh "$@" \
		2>"$dir/.stderr")
	RC=$?
	ERR=$(<"$dir/.stderr")
}

# expect_line CASE TEXT LINE: TEXT has exactly the line LINE.
expect_line()
{
	if grep -qxF -- "$3" <<<"$2"; then
		tr_ok "$1"
	else
		tr_bad "$1" "wanted the line '$3'; got: $(tr_flat "$2")"
	fi
}

# expect_grep CASE TEXT REGEX: a line of TEXT matches the extended REGEX.
expect_grep()
{
	if grep -qE -- "$3" <<<"$2"; then
		tr_ok "$1"
	else
		tr_bad "$1" "wanted a line matching '$3'; got: $(tr_flat "$2")"
	fi
}

# expect_eq CASE WANTED GOT
expect_eq()
{
	if [[ $2 == "$3" ]]; then
		tr_ok "$1"
	else
		tr_bad "$1" "wanted '$(tr_flat "$2")', got '$(tr_flat "$3")'"
	fi
}

# expect_rc CASE WANTED: RC of the last tr_run is WANTED ("nonzero" for any failure).
expect_rc()
{
	if [[ $2 == nonzero && $RC -ne 0 ]] || [[ $2 == "$RC" ]]; then
		tr_ok "$1"
	else
		tr_bad "$1" "exit status $RC, wanted $2; stderr: $(tr_flat "$ERR")"
	fi
}

# tr_flat TEXT: TEXT on one line, for messages.
tr_flat()
{
	local t=${1//$'\n'/ \\n }

	printf '%s' "${t:0:400}"
}

tr_summary()
{
	printf 'runner-tests: %s passed, %s failed\n' "$TR_PASSED" "$TR_FAILED"
	((TR_FAILED == 0))
}
