#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Runner tests of "expect = vm_end" (stanzas whose expected outcome is the VM ending: PSCI
# SYSTEM_OFF, SYSTEM_RESET, SBI SRST): PASS iff the VMM ended by itself, with no EXIT line and
# no FAIL:/XPASS: line, right after the guest's "INFO: vm-end expected: <what>" line. On an
# arm64 fake tree, as the PSCI tests run. Sourced by tests/runner/run.sh.

test_vm_end()
{
	local n v="vm-end expected: PSCI SYSTEM_OFF"
	local line="out INFO: $v"

	tr_tree "$SRC" arm64
	tr_image "$SRC" off 'out PASS: psci: SYSTEM_OFF is implemented' "$line" 'exit 0'
	tr_image "$SRC" reset 'outcr INFO: vm-end expected: PSCI SYSTEM_RESET' 'exit 0'
	tr_image "$SRC" returned "$line" 'out FAIL: system_off: SYSTEM_OFF returned -1' \
		'out SUMMARY: 1 tests, 1 unexpected failures' 'out EXIT: STATUS=1'
	tr_image "$SRC" returned0 "$line" 'out SUMMARY: 1 tests' 'out EXIT: STATUS=0'
	tr_image "$SRC" noline 'out PASS: a' 'out SUMMARY: 1 tests' 'out EXIT: STATUS=0'
	tr_image "$SRC" hang "$line" hang
	tr_image "$SRC" early 'out PASS: a' 'exit 0'
	tr_image "$SRC" more "$line" 'out INFO: still running' 'exit 0'
	tr_image "$SRC" failed 'out FAIL: a: b' "$line" 'exit 0'
	tr_image "$SRC" signal "$line" 'kill KILL'
	tr_image "$SRC" crash "$line" 'exit 2'
	tr_image "$SRC" qemuerr 'err qemu-system-aarch64: -foo: invalid option' 'exit 1'
	tr_image "$SRC" absent 'out SKIP: system_reset2: PSCI 1.0 has no SYSTEM_RESET2' \
		'out SUMMARY: 1 tests, 1 skipped' 'out EXIT: STATUS=77'
	tr_image "$SRC" plain 'out INFO: x' 'exit 0'
	for n in off reset returned returned0 noline hang early more failed signal crash qemuerr \
		absent; do
		printf '[%s]\nfile = %s.flat\nexpect = vm_end\ntimeout = %s\n' "$n" "$n" \
			"$(tr_timeout "$SRC" "$n")"
	done >"$SRC/unittests.cfg"
	printf '[plain]\nfile = plain.flat\n' >>"$SRC/unittests.cfg"
	tr_run "$SRC" -j 16
	expect_rc "vm_end: exit status 1 when a test failed" 1
	expect_line "vm_end: PASS when the VM ends right after the line" "$OUT" \
		"PASS off (the VM ended as expected: PSCI SYSTEM_OFF)"
	expect_line "vm_end: a reset (-no-reboot) ends it too; CR LF" "$OUT" \
		"PASS reset (the VM ended as expected: PSCI SYSTEM_RESET)"
	expect_line "vm_end: FAIL when the call returned" "$OUT" "FAIL returned (the VM did not \
end: the guest printed EXIT: STATUS=1 after '$v'; FAIL: system_off: SYSTEM_OFF returned -1)"
	expect_line "vm_end: FAIL on any EXIT line, STATUS=0 too" "$OUT" \
		"FAIL returned0 (the VM did not end: the guest printed EXIT: STATUS=0 after '$v')"
	expect_line "vm_end: FAIL on an EXIT line without the vm-end line" "$OUT" "FAIL noline \
(the VM did not end: the guest printed EXIT: STATUS=0 and no 'INFO: vm-end expected:' line)"
	expect_line "vm_end: FAIL on a hang" "$OUT" \
		"FAIL hang (timeout after 5s: the VM did not end; last output: INFO: $v)"
	expect_line "vm_end: FAIL when the VM ends before the line" "$OUT" "FAIL early (the VM \
ended without an 'INFO: vm-end expected:' line; last output: PASS: a)"
	expect_line "vm_end: FAIL when the guest went on printing" "$OUT" "FAIL more (the VM \
ended, but not right after '$v'; last output: INFO: $v | INFO: still running)"
	expect_line "vm_end: FAIL on an earlier FAIL line" "$OUT" \
		"FAIL failed (the VM ended after '$v', but the guest reported FAIL: a: b)"
	expect_line "vm_end: a signal is not the VM ending" "$OUT" \
		"FAIL signal (killed by signal 9 (KILL); last output: INFO: $v)"
	expect_line "vm_end: nor another exit code" "$OUT" \
		"FAIL crash (crash (QEMU exited 2); last output: INFO: $v)"
	expect_line "vm_end: nor QEMU's own error" "$OUT" \
		"FAIL qemuerr (QEMU error: qemu-system-aarch64: -foo: invalid option)"
	expect_line "vm_end: a guest that skips without the line is a SKIP" "$OUT" \
		"SKIP absent (system_reset2: PSCI 1.0 has no SYSTEM_RESET2)"
	expect_line "arm64: QEMU exiting 0 without an EXIT line is an early power-off" "$OUT" \
		"FAIL plain (powered off or reset without an EXIT line; last output: INFO: x)"
	test_vm_end_bochs
}

# Under Bochs a shutdown ends the VM; a panic (a triple fault included) does not.
test_vm_end_bochs()
{
	local line='out INFO: vm-end expected: ACPI S5'

	tr_tree "$SRC"
	cp "$TR_FAKE" "$SRC/scripts/bochs-boot.sh"
	tr_image "$SRC" off "$line" 'err bochs: 00000000100i[      ] system shutdown' 'exit 0'
	tr_image "$SRC" panic "$line" \
		"err bochs: 00012346p[CPU0  ] >>PANIC<< exception(): 3rd (13) exception with no \
resolution" 'exit 0'
	printf '[%s]\nfile = %s.flat\nexpect = vm_end\n' off off panic panic >"$SRC/unittests.cfg"
	BOCHS=$TR_FAKE ACCEL='' tr_run "$SRC" --vmm bochs
	expect_line "vm_end, Bochs: a shutdown ends the VM" "$OUT" \
		"PASS off (the VM ended as expected: ACPI S5)"
	expect_line "vm_end, Bochs: a panic does not" "$OUT" "FAIL panic (triple fault (Bochs: \
exception(): 3rd (13) exception with no resolution); last output: INFO: vm-end expected: ACPI S5)"
}
