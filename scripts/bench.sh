#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Benchmarks, never tests: for each VMM and accelerator present (QEMU TCG; QEMU KVM when
# /dev/kvm is usable; Bochs when it is installed and its backend exists) the wall time of
# the default catalogue (./run_tests.sh) and the median boot-to-exit time of the selftest
# stanza over N runs of the command its log starts with; then the size of every image.
# A plain text table on stdout; nothing is asserted. Run from a build directory (it uses
# ./run_tests.sh and overwrites logs/).
# Usage: bench.sh [-n RUNS] [-j JOBS]

set -u -o pipefail

PROG=bench.sh
SELF=$(realpath "${BASH_SOURCE[0]}")
SRCDIR=${SELF%/scripts/*}
RUNS=5 JOBS=""

die()
{
	printf '%s: %s\n' "$PROG" "$*" >&2
	exit 2
}

# now_us: the wall clock in microseconds.
now_us()
{
	printf '%s' $((10#${EPOCHREALTIME//[!0-9]/}))
}

# secs US [DECIMALS]: microseconds as seconds.
secs()
{
	local d=${2:-2} us=$1

	printf '%d.%0*d' $((us / 1000000)) "$d" $((us % 1000000 / 10 ** (6 - d)))
}

# setups: the "vmm accel" pairs present on this host for ARCH, one a line.
setups()
{
	local host

	host=$(uname -m)
	[[ $host == aarch64 ]] && host=arm64
	if command -v "$QEMU_BIN" >/dev/null 2>&1; then
		echo "qemu tcg"
		[[ $host == "$ARCH" && -r /dev/kvm && -w /dev/kvm ]] && echo "qemu kvm"
	fi
	if [[ $ARCH == x86_64 ]] && command -v "${BOCHS:-bochs}" >/dev/null 2>&1 &&
		[[ -r $SRCDIR/scripts/vmm-bochs.sh && -r $SRCDIR/scripts/bochs-boot.sh ]]; then
		echo "bochs none"
	fi
}

# catalogue VMM ACCEL: run the default catalogue; print "<seconds> s (<totals line>)", or
# the runner's error.
catalogue()
{
	local t0 t1 out rc err=$WORK/stderr

	t0=$(now_us)
	out=$(ACCEL=$2 NO_COLOR=1 ./run_tests.sh --vmm "$1" ${JOBS:+-j "$JOBS"} 2>"$err")
	rc=$?
	t1=$(now_us)
	if ((rc == 2)); then
		printf 'runner error: %s' "$(tail -n 1 "$err")"
	else
		printf '%s s (%s)' "$(secs $((t1 - t0)) 1)" "$(tail -n 1 <<<"$out")"
	fi
}

# selftest_median: time RUNS runs of the command in logs/selftest.log (written by the
# catalogue run just before); print "<median> s (<min>-<max>)" or why there is none.
selftest_median()
{
	local cmd t0 i n
	local -a times=()

	cmd=$(head -n 1 logs/selftest.log 2>/dev/null)
	if [[ -z $cmd || $cmd == "# SKIP"* ]]; then
		printf 'n/a (%s)' "${cmd:-no selftest log}"
		return
	fi
	for ((i = 0; i < RUNS; i++)); do
		t0=$(now_us)
		timeout 120 bash -c "$cmd" </dev/null >/dev/null 2>&1
		times+=($(($(now_us) - t0)))
	done
	mapfile -t times < <(printf '%s\n' "${times[@]}" | sort -n)
	n=${#times[@]}
	printf '%s s (%s-%s)' "$(secs "${times[n / 2]}")" "$(secs "${times[0]}")" \
		"$(secs "${times[n - 1]}")"
}

# version VMM ACCEL: the version the known failures are matched against.
version()
{
	local line

	case $1/$2 in
	qemu/kvm) uname -r ;;
	qemu/*)
		line=$("$QEMU_BIN" --version 2>/dev/null | head -n 1)
		[[ $line =~ version\ ([0-9][^[:space:],]*) ]] && printf '%s' "${BASH_REMATCH[1]}"
		;;
	bochs/*)
		line=$(cd "${TMPDIR:-/tmp}" && timeout 10 "${BOCHS:-bochs}" -n </dev/null 2>&1 |
			grep -m 1 -o 'Bochs x86 Emulator [^ ]*')
		printf '%s' "${line##* }"
		;;
	esac
}

row()
{
	printf '%-6s %-5s %-16s %-48s %s\n' "$@"
}

main()
{
	local vmm accel f head testdir

	while getopts n:j:h opt; do
		case $opt in
		n) RUNS=$OPTARG ;;
		j) JOBS=$OPTARG ;;
		*) sed -n '3,10s/^# \{0,1\}//p' "$SELF"; exit 2 ;;
		esac
	done
	[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "-n wants a number of runs"
	[[ -z $JOBS || $JOBS =~ ^[1-9][0-9]*$ ]] || die "-j wants a number of jobs"
	[[ -x ./run_tests.sh && -f config.mak ]] || die "run me from a build directory"
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/hvprobe-bench.XXXXXX") || die "mktemp failed"
	trap 'rm -rf "$WORK"' EXIT
	NO_COLOR=1 ./run_tests.sh -l >/dev/null || die "./run_tests.sh -l failed"

	ARCH=$(sed -n 's/^ARCH=//p' config.mak)
	QEMU_BIN=${QEMU:-qemu-system-$ARCH}
	[[ $ARCH == arm64 ]] && QEMU_BIN=${QEMU:-qemu-system-aarch64}
	head="hvprobe bench: $ARCH, $(nproc) host CPUs"
	head+=", -j ${JOBS:-$(nproc)}, $(date -u '+%Y-%m-%d %H:%M UTC')"
	git -C "$SRCDIR" rev-parse >/dev/null 2>&1 &&
		head+=", $(git -C "$SRCDIR" describe --always --dirty)"
	printf '%s\n\n' "$head"
	row vmm accel version "catalogue, default groups (wall)" \
		"selftest boot-to-exit, median of $RUNS (min-max)"
	while read -r vmm accel; do
		row "$vmm" "$accel" "$(version "$vmm" "$accel")" "$(catalogue "$vmm" "$accel")" \
			"$(selftest_median)"
	done < <(setups)

	testdir=$(sed -n 's/^TESTDIR=//p' config.mak)
	printf '\n%-32s %10s\n' image bytes
	for f in "${testdir:-x86}"/*.flat; do
		[[ -e $f ]] && printf '%-32s %10s\n' "$f" "$(stat -c %s "$f")"
	done
	return 0
}

main "$@"
