#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The catalogue part of `make check`, run from a build directory: for every VMM and
# accelerator present (QEMU TCG always; QEMU KVM when the guest arch is the host's and
# /dev/kvm is usable; on x86 Bochs too):
#   1. the framework self-tests that must FAIL (tests/runner/crash.sh picks the arch's own);
#   2. the default catalogue, each result compared with known-failures.txt by the guests
#      themselves (an unexpected FAIL or an XPASS fails the test);
#   3. the audit of known-failures.txt on that run's logs (scripts/kf-audit.sh: an entry
#      selected for the run that matched nothing, one without many: that matched several
#      distinct checks, an XFAIL/XPASS line without its tag);
#   4. ./run_tests.sh --known-crashes: every crash: entry's subtest alone, which must
#      still crash (a crash that went away is an XPASS, a failure).
# Its last line sums the totals of every catalogue and known-crash run. Exit status 0 iff
# every step of every pass succeeded and at least one test passed.
set -u

srcdir=$(cd "$(dirname "$0")/.." && pwd)
# The arch run_tests.sh will use: config.mak's, else the host's (it configures for that).
host=$(uname -m)
[ "$host" = aarch64 ] && host=arm64
arch=$(sed -n 's/^ARCH=//p' config.mak 2>/dev/null)
arch=${arch:-$host}

status=0 runs=0 sum_pass=0 sum_fail=0 sum_skip=0
out=$(mktemp "${TMPDIR:-/tmp}/hvprobe-check.XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT

# check_vmm NAME ARGS...: steps 1-4 for one VMM and accelerator (ARGS go to run_tests.sh,
# ACCEL comes from the environment).
check_vmm() {
	local name=$1

	shift
	# Self-tests first: their "0 passed, N failed" line is never the last word.
	echo "== $arch framework self-tests that must fail, $name"
	bash "$srcdir/tests/runner/crash.sh" "$@" || status=1
	echo "== $arch catalogue under $name"
	./run_tests.sh "$@" | tee "$out"
	[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
	echo "== known-failures.txt audit of the $name run"
	bash "$srcdir/scripts/kf-audit.sh" "$out" || status=1
	tally "$name catalogue" <"$out"
	echo "== known crashes under $name"
	./run_tests.sh --known-crashes "$@" | tee "$out"
	[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
	tally "$name known crashes" <"$out"
}

# tally WHAT: add the totals line ("<n> passed, <n> failed, <n> skipped") of a run read
# from stdin to the sums; a run that printed none counts as a failure.
tally() {
	local line

	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' | tail -n 1)
	if [ -z "$line" ]; then
		echo "check: $1 printed no totals" >&2
		status=1
		return
	fi
	# shellcheck disable=SC2086 # split the totals line into its words
	set -- $line
	sum_pass=$((sum_pass + $1)) sum_fail=$((sum_fail + $3)) sum_skip=$((sum_skip + $5))
	runs=$((runs + 1))
}

accels=(tcg)
if [ "$host" != "$arch" ] && [ "$host:$arch" != x86_64:i386 ]; then
	echo "check: KVM cannot run $arch guests on a $host host: the KVM pass is not run" >&2
elif [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	accels+=(kvm)
else
	echo "check: /dev/kvm not usable: the KVM pass is not run" >&2
fi

for accel in "${accels[@]}"; do
	ACCEL=$accel check_vmm "QEMU $accel"
done
# Bochs, the second x86 VMM (scripts/deps.sh installs it for check).
if [ "$arch" = x86_64 ]; then
	ACCEL="" check_vmm Bochs --vmm bochs
fi
# The last word: every catalogue and known-crash run of this arch together (a pass that
# ran nothing would show here as 0 passed).
echo "check: $arch, $runs runs: $sum_pass passed, $sum_fail failed, $sum_skip skipped"
# .ci/run sums the arches: one line per arch in the file it names.
[ -z "${HVPROBE_CHECK_TOTALS-}" ] ||
	echo "$arch $sum_pass $sum_fail $sum_skip" >>"$HVPROBE_CHECK_TOTALS"
[ "$sum_pass" -gt 0 ] || { echo "check: no test passed" >&2; status=1; }
exit $status
