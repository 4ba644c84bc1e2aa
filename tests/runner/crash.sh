#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Framework self-tests that must fail (docs/runner.md): run from a build directory, runs
# ./run_tests.sh -g crash_selftest with the real guest images of the configured arch and
# checks that each broken guest is reported as a FAIL, for the right reason.
# x86_64 (x86/crash_selftest.c):
#   crash_selftest_exception  unexpected #PF; the guest prints FAIL and EXIT: STATUS=1
#   crash_selftest_triple     triple fault (QEMU exits at once under -no-reboot); kvm-pvm
#                             cannot emulate the INT3 that starts it and stops the guest
#                             with "KVM internal error (emulation failure)" instead
#   crash_selftest_hang       spins forever; killed by the stanza's timeout
#   crash_selftest_silent     reports no check and exits 0
# arm64 (arm/crash_selftest.c):
#   crash_selftest_arm_exception  data abort on page 0: FAIL line, registers, EXIT: STATUS=1
#   crash_selftest_arm_irq        an SGI nobody handles: "unexpected interrupt"
#   crash_selftest_arm_secondary  the data abort on CPU 1, reported as such
#   crash_selftest_arm_hang       spins with IRQs masked; killed by the stanza's timeout
#   crash_selftest_arm_silent     reports no check and exits 0
# s390x (s390x/crash_selftest.c):
#   crash_selftest_s390x_exception  page-translation exception on page 0: FAIL line, EXIT 1
#   crash_selftest_s390x_irq        a clock-comparator interruption nobody handles
#   crash_selftest_s390x_secondary  the same exception on CPU 1, reported as such
#   crash_selftest_s390x_recursive  a faulting program-check handler: lib's disabled wait,
#                                   which QEMU reports as a guest crash with the PSW
#   crash_selftest_s390x_hang       spins with interruptions masked; killed by the timeout
#   crash_selftest_s390x_silent     reports no check and exits 0
# riscv64 (riscv/crash_selftest.c):
#   crash_selftest_riscv_exception  load page fault on page 0: FAIL line, registers, EXIT 1
#   crash_selftest_riscv_irq        an IPI nobody handles: "unexpected interrupt"
#   crash_selftest_riscv_secondary  the load page fault on CPU 1, reported as such
#   crash_selftest_riscv_hang       spins with interrupts off; killed by the stanza's timeout
#   crash_selftest_riscv_silent     reports no check and exits 0
# Each reason is an extended regular expression. A crash_selftest stanza of the arch that is
# not listed here is an error too. Arguments go to run_tests.sh (--vmm bochs). Honours ACCEL,
# QEMU and the other variables of run_tests.sh. Exit status 0 iff all are reported as expected.

set -u -o pipefail

[[ -x ./run_tests.sh ]] || { echo "crash.sh: run me from a build directory" >&2; exit 2; }

# The arch run_tests.sh will use: config.mak's, else the host's (it configures for that).
arch=$(sed -n 's/^ARCH=//p' config.mak 2>/dev/null)
[[ -n $arch ]] || arch=$(uname -m)
[[ $arch == aarch64 ]] && arch=arm64

declare -A want
case $arch in
x86_64)
	want=(
		[crash_selftest_exception]="unexpected exception"
		[crash_selftest_triple]="triple fault|KVM internal error"
		[crash_selftest_hang]="timeout"
		[crash_selftest_silent]="no checks reported"
	)
	;;
arm64)
	want=(
		[crash_selftest_arm_exception]='unexpected exception ESR\.EC=0x25 \(data abort\)'
		[crash_selftest_arm_irq]='unexpected interrupt INTID 5\b'
		[crash_selftest_arm_secondary]='unexpected exception ESR\.EC=0x25 .* on CPU 1\b'
		[crash_selftest_arm_hang]="timeout"
		[crash_selftest_arm_silent]="no checks reported"
	)
	;;
s390x)
	want=(
		[crash_selftest_s390x_exception]='unexpected program interruption PIC 0x0011 \(page'
		[crash_selftest_s390x_irq]='unexpected external interruption code 0x1004\b'
		[crash_selftest_s390x_secondary]='unexpected program interruption PIC 0x0011 .* 1\b'
		[crash_selftest_s390x_recursive]='on CPU 0: disabled-wait \(PSW \S+ 0x0+ee0\)'
		[crash_selftest_s390x_hang]="timeout"
		[crash_selftest_s390x_silent]="no checks reported"
	)
	;;
riscv64)
	want=(
		[crash_selftest_riscv_exception]='unexpected exception scause=13 \(load page'
		[crash_selftest_riscv_irq]='unexpected interrupt scause=0x8000000000000001 '
		[crash_selftest_riscv_secondary]='unexpected exception scause=13 .* on CPU 1\b'
		[crash_selftest_riscv_hang]="timeout"
		[crash_selftest_riscv_silent]="no checks reported"
	)
	;;
*)
	echo "crash.sh: no crash self-tests known for arch $arch" >&2
	exit 2
	;;
esac

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
while read -r _ name _; do
	if [[ -z ${want[$name]+set} ]]; then
		echo "crash.sh: $name: a crash_selftest stanza without an expected reason here"
		failed=1
	fi
done < <(grep -E '^(PASS|FAIL|SKIP) ' <<<"$out")
if ((failed)); then
	echo "crash-selftests: FAILED"
	exit 1
fi
echo "crash-selftests: all ${#want[@]} broken $arch guests reported as failures"
