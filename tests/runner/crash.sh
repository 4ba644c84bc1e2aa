#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Framework self-tests that must fail (DESIGN.md §6.4): run from a build directory, runs
# ./run_tests.sh -g crash_selftest with the real guest images and checks that each broken
# guest is reported as a FAIL, for the right reason:
#   crash_selftest_exception  unexpected #PF; the guest prints FAIL and EXIT: STATUS=1
#   crash_selftest_triple     triple fault (QEMU exits at once under -no-reboot); kvm-pvm
#                             cannot emulate the INT3 that starts it and stops the guest
#                             with "KVM internal error (emulation failure)" instead
#   crash_selftest_hang       spins forever; killed by the stanza's timeout
#   crash_selftest_silent     reports no check and exits 0
# Each reason is an extended regular expression. Arguments go to run_tests.sh (--vmm bochs).
# Honours ACCEL, QEMU and the other variables of run_tests.sh. Exit status 0 iff all four
# are reported as expected.

set -u -o pipefail

[[ -x ./run_tests.sh ]] || { echo "crash.sh: run me from a build directory" >&2; exit 2; }

declare -A want=(
	[crash_selftest_exception]="unexpected exception"
	[crash_selftest_triple]="triple fault|KVM internal error"
	[crash_selftest_hang]="timeout"
	[crash_selftest_silent]="no checks reported"
)

out=$(NO_COLOR=1 ./run_tests.sh "$@" -g crash_selftest)
rc=$?
printf '%s\n' "$out"
failed=0
if ((rc == 0)); then
	echo "crash.sh: run_tests.sh exited 0 although every crash_selftest must fail"
	failed=1
fi
for name in "${!want[@]}"; do
	line=$(grep -E "^(PASS|FAIL|SKIP) $name( |$)" <<<"$out")
	if [[ $line != "FAIL $name ("* ]]; then
		echo "crash.sh: $name: wanted a FAIL line, got '${line:-nothing}'"
		failed=1
	elif ! grep -qiE -- "${want[$name]}" <<<"$line"; then
		echo "crash.sh: $name: the reason does not say '${want[$name]}'"
		failed=1
	fi
done
if ((failed)); then
	echo "crash-selftests: FAILED"
	exit 1
fi
echo "crash-selftests: all ${#want[@]} broken guests reported as failures"
