#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Runner tests of the Bochs backend (scripts/vmm-bochs.sh, --vmm bochs): fake-qemu.sh stands
# in for scripts/bochs-boot.sh and for the bochs binary. Sourced by tests/runner/run.sh.

# tr_bochs_run DIR ARGS...: tr_run with --vmm bochs and the fake Bochs.
tr_bochs_run()
{
	local dir=$1

	shift
	BOCHS=${BOCHS:-$TR_FAKE} ACCEL=${ACCEL-} tr_run "$dir" --vmm bochs "$@"
}

test_bochs()
{
	local rec=$WORK/rec-bochs want

	tr_tree "$SRC"
	cp "$TR_FAKE" "$SRC/scripts/bochs-boot.sh"
	mkdir -p "$rec"
	tr_image "$SRC" ok 'out PASS: a' 'out SUMMARY: 1 tests' 'out EXIT: STATUS=0' 'exit 0'
	tr_image "$SRC" triple 'out INFO: int3 with no IDT' \
		'err bochs: 00012345e[CPU0  ] interrupt(): gate descriptor is not valid sys seg' \
		"err bochs: 00012346p[CPU0  ] >>PANIC<< exception(): 3rd (13) exception with no \
resolution" 'exit 0'
	tr_image "$SRC" panic 'out INFO: x' \
		'err bochs: 00000000001p[MEM0  ] >>PANIC<< out of memory' 'exit 0'
	tr_image "$SRC" setup 'err bochs-boot.sh: no loader lib/x86/bootsect.bin' 'exit 2'
	tr_image "$SRC" hang 'out INFO: spinning' hang
	cat >"$SRC/unittests.cfg" <<-'EOF'
		[plain]
		file = ok.flat
		smp = 2
		test_args = a "b c"
		qemu_params = -not-for-bochs
		[amd]
		file = ok.flat
		cpu = ryzen
		bochs_params = --mem 512 --ips 50000000
		[kvm_only]
		file = ok.flat
		accel = kvm
		[q35_only]
		file = ok.flat
		machine = q35
		[qemu_only]
		file = ok.flat
		vmm = qemu
		[triple]
		file = triple.flat
		[panic]
		file = panic.flat
		[setup]
		file = setup.flat
		[hang]
		file = hang.flat
		timeout = 1
	EOF
	cat >"$SRC/known-failures.txt" <<-'EOF'
		bochs | none | 2.7  | * | plain | chk: * | Bochs 2.7 bug
		bochs | *    | 2.6* | * | plain | old    | an older Bochs
		qemu  | *    | *    | * | plain | q      | not Bochs
	EOF
	FAKE_QEMU_RECORD=$rec tr_bochs_run "$SRC" -j 9
	expect_rc "bochs: exit status 1 when a test failed" 1
	expect_line "bochs: PASS" "$OUT" "PASS plain (1 tests)"
	want=$(printf '%s\n' --elf "$SRC/x86/ok.flat" --smp 2 --cpu corei7_skylake_x --mem 256 \
		--args 'a "b c"' --env @ENV@ --timeout 120 --bochs "$TR_FAKE")
	expect_eq "bochs: the bochs-boot.sh command line" "$want" "$(cat "$rec/plain.args")"
	expect_grep "bochs: cpu is the Bochs model, bochs_params come last" \
		"$(tr '\n' ' ' <"$rec/amd.args")" "--cpu ryzen .* --mem 512 --ips 50000000 $"
	want=$(printf '%s\n' HVPROBE_TEST=plain HVPROBE_VMM=bochs HVPROBE_ACCEL=none \
		'KNOWN_FAIL_0=chk: *' 'KNOWN_AT_0=known-failures.txt:1')
	expect_eq "bochs: accel none, known failures of this Bochs version" "$want" \
		"$(cat "$rec/plain.env")"
	expect_line "bochs: SKIP another accelerator" "$OUT" \
		"SKIP kvm_only (Bochs has no accelerator kvm (only none))"
	expect_line "bochs: SKIP another machine" "$OUT" \
		"SKIP q35_only (Bochs emulates an i440FX PC (pc), not q35)"
	expect_line "bochs: SKIP another VMM" "$OUT" "SKIP qemu_only (qemu only)"
	expect_line "bochs: a triple fault is a Bochs panic" "$OUT" "FAIL triple (triple fault \
(Bochs: exception(): 3rd (13) exception with no resolution); last output: INFO: int3 with no IDT)"
	expect_line "bochs: another panic" "$OUT" \
		"FAIL panic (Bochs panic: out of memory; last output: INFO: x)"
	expect_line "bochs: bochs-boot.sh's own error" "$OUT" \
		"FAIL setup (Bochs error: bochs-boot.sh: no loader lib/x86/bootsect.bin)"
	expect_line "bochs: timeout" "$OUT" \
		"FAIL hang (timeout after 1s; last output: INFO: spinning)"
	expect_grep "bochs: the log names Bochs" "$(<"$SRC/logs/setup.log")" \
		"^--- Bochs stderr \(exit code 2\) ---$"
	ACCEL=tcg tr_bochs_run "$SRC" plain
	expect_rc "bochs: ACCEL=tcg is an error" 2
	expect_grep "bochs: ACCEL=tcg is named" "$ERR" "ACCEL=tcg: Bochs has only: none"
	BOCHS=/nonexistent/bochs tr_bochs_run "$SRC" plain
	expect_line "bochs: SKIP when Bochs is missing, with the apt-get line" "$OUT" "SKIP plain \
(/nonexistent/bochs not found (apt-get install bochs bochs-term bochsbios vgabios))"
}
