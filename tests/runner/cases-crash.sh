#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Runner tests of how crashes are named: the reasons QEMU's stderr gives for a guest KVM
# stopped, the symbolized backtraces (a small host program built with gcc -g stands in for
# a guest image's ELF), and tests/runner/crash.sh itself. Sourced by tests/runner/run.sh.

# A QEMU 7.2 "KVM internal error" report as it prints it, for suberror $1 with text $2.
kvm_error()
{
	printf 'err KVM internal error. Suberror: %s\n' "$1"
	printf 'err extra data[0]: 0x0000000000000001\n'
	[[ -n $2 ]] && printf 'err %s\n' "$2"
	printf 'err RAX=0000000000000034 RBX=0000000000406f40 RCX=00000000000186a0\n'
	printf 'err RIP=%016x RFL=00000006 [-----P-] CPL=0 II=0 A20=1 SMM=0 HLT=0\n' "${3:-0}"
}

test_crash_reasons()
{
	tr_tree "$SRC"
	{ echo 'out INFO: int3'; kvm_error 1 'emulation failure'; echo hang; } |
		tr_image "$SRC" emul
	{ echo 'out INFO: event'; kvm_error 3 ''; echo hang; } | tr_image "$SRC" sub3
	tr_image "$SRC" said 'out INFO: x' 'err Triple fault' hang
	tr_image "$SRC" reset 'out INFO: x' 'err Triple fault' 'exit 0'
	for n in emul sub3 said reset; do
		printf '[%s]\nfile = %s.flat\ntimeout = %s\n' "$n" "$n" "$(tr_timeout "$SRC" "$n")"
	done >"$SRC/unittests.cfg"
	tr_run "$SRC" -j 4
	expect_line "KVM internal error: the suberror's text" "$OUT" "FAIL emul (KVM internal \
error (emulation failure), killed after 5s; last output: INFO: int3)"
	expect_line "KVM internal error: a suberror without text" "$OUT" \
		"FAIL sub3 (KVM internal error (suberror 3), killed after 5s; last output: \
INFO: event)"
	expect_line "triple fault only when the VMM says so" "$OUT" \
		"FAIL said (triple fault, killed after 5s; last output: INFO: x)"
	expect_line "QEMU exiting 0 under -no-reboot: triple fault or reset" "$OUT" \
		"FAIL reset (triple fault or reset; last output: INFO: x)"
}

# Backtrace lines and a KVM stop are symbolized against x86/<image>.elf; the reason gets the
# first frame's file:line, and the first outside lib/ when that one is in lib/.
test_backtrace()
{
	local bt ip ret log

	if ! command -v gcc >/dev/null 2>&1 || ! command -v addr2line >/dev/null 2>&1; then
		tr_ok "backtraces: skipped (no gcc or no addr2line)"
		return
	fi
	tr_tree "$SRC"
	mkdir -p "$SRC/lib"
	# One line per function, so each address has one line number whatever the compiler.
	cat >"$SRC/lib/btlib.c" <<-'EOF'
		#include <stdio.h>
		#define BT(ip) printf("Backtrace: %p %p\n", (ip), __builtin_return_address(0))
		void __attribute__((noinline)) leaf(void) { BT((void *)leaf); }
	EOF
	printf '%s\n' 'void leaf(void);' 'int main(void)' '{' '	leaf();' '	return 0;' '}' \
		>"$SRC/x86/bt.c"
	(cd "$SRC" && gcc -g -O0 -no-pie -o x86/bt.elf x86/bt.c lib/btlib.c) || {
		tr_bad "backtraces: gcc -g builds the stand-in ELF" "gcc failed"
		return
	}
	bt=$("$SRC/x86/bt.elf")
	ip=${bt#Backtrace: }
	ret=${ip#* }
	ip=${ip%% *}
	tr_image "$SRC" bt 'out FAIL: a: plain' 'out FAIL: b: unexpected exception #UD' \
		"out $bt" 'out SUMMARY: 2 tests, 2 unexpected failures' 'out EXIT: STATUS=1' \
		'exit 3'
	tr_image "$SRC" bt2 'out FAIL: b: unexpected exception #UD' "out Backtrace: $ret" \
		'out SUMMARY: 1 tests, 1 unexpected failures' 'out EXIT: STATUS=1' 'exit 3'
	{ echo 'out INFO: int3'; kvm_error 1 'emulation failure' "$ip"; echo hang; } |
		tr_image "$SRC" kvmbt
	cp "$SRC/x86/bt.elf" "$SRC/x86/kvmbt.elf"
	cp "$SRC/x86/bt.elf" "$SRC/x86/bt2.elf"
	cp "$SRC/x86/bt.flat" "$SRC/x86/noelf.flat"
	for n in bt bt2 kvmbt noelf; do
		printf '[%s]\nfile = %s.flat\ntimeout = %s\n' "$n" "$n" "$(tr_timeout "$SRC" "$n")"
	done >"$SRC/unittests.cfg"
	tr_run "$SRC" -j 4
	expect_line "backtrace: the reason has the crash's FAIL line and file:line" "$OUT" \
		"FAIL bt (2 tests, 2 unexpected failures; FAIL: a: plain; FAIL: b: unexpected \
exception #UD; at lib/btlib.c:3 from x86/bt.c:4)"
	expect_line "backtrace: the crash's FAIL line is not repeated" "$OUT" \
		"FAIL bt2 (1 tests, 1 unexpected failures; FAIL: b: unexpected exception #UD; \
at x86/bt.c:5)"
	log=$(<"$SRC/logs/bt.log")
	expect_grep "backtrace: a symbolized block after the guest output" "$log" \
		"^--- symbolized \(addr2line -e x86/bt.elf\) ---$"
	expect_grep "backtrace: the faulting address as it is" "$log" \
		"^  #0  $ip lib/btlib.c:3 \(leaf\)$"
	expect_grep "backtrace: a return address names the call, not the next line" "$log" \
		"^  #1  $ret x86/bt.c:4 \(main\)$"
	expect_eq "backtrace: the block comes before the VMM's stderr" \
		"--- QEMU stderr (exit code 3) ---" \
		"$(grep -A 4 -- '^--- symbolized' <<<"$log" | tail -n 1)"
	expect_line "KVM stop: the register dump's RIP is symbolized" "$OUT" "FAIL kvmbt (KVM \
internal error (emulation failure), killed after 5s; last output: INFO: int3; at lib/btlib.c:3)"
	expect_grep "KVM stop: in the log too" "$(<"$SRC/logs/kvmbt.log")" \
		"^QEMU stopped the guest at $ip$"
	expect_line "no ELF: the reason stays as it was" "$OUT" \
		"FAIL noelf (2 tests, 2 unexpected failures; FAIL: a: plain)"
}

# tests/runner/crash.sh itself: it accepts the expected failures of the configured arch,
# rejects a pass and a crash_selftest stanza it has no reason for.
test_crash_script()
{
	local n out rc all

	tr_tree "$SRC"
	tr_image "$SRC" crash_selftest_exception 'out FAIL: unexpected exception #PF' \
		'out EXIT: STATUS=1' 'exit 3'
	tr_image "$SRC" crash_selftest_triple 'out INFO: about to triple fault' 'exit 0'
	tr_image "$SRC" crash_selftest_hang hang
	tr_image "$SRC" crash_selftest_silent 'out SUMMARY: 0 tests' 'out EXIT: STATUS=0' 'exit 1'
	for n in exception triple hang silent; do
		printf '[crash_selftest_%s]\nfile = crash_selftest_%s.flat\n' "$n" "$n"
		printf 'timeout = %s\n' "$(tr_timeout "$SRC" "crash_selftest_$n")"
		printf 'arch = x86_64\ngroups = nodefault crash_selftest\n'
	done >"$SRC/unittests.cfg"
	# An arm64 stanza in the same catalogue is neither run nor missed on x86_64.
	printf '[crash_selftest_arm_hang]\nfile = x.flat\narch = arm64\ngroups = crash_selftest\n' \
		>>"$SRC/unittests.cfg"
	crash_script_run
	expect_eq "crash.sh accepts the four expected failures" \
		"0 crash-selftests: all 4 broken x86_64 guests reported as failures" "$rc $out"
	printf '[crash_selftest_new]\nfile = crash_selftest_hang.flat\ntimeout = 1\n%s\n' \
		'groups = crash_selftest' >>"$SRC/unittests.cfg"
	tr_passing "$SRC" crash_selftest_silent
	crash_script_run
	expect_eq "crash.sh fails when a crash self-test is wrong" "1 crash-selftests: FAILED" \
		"$rc $out"
	expect_grep "crash.sh rejects a crash self-test that passes" "$all" \
		"^crash.sh: crash_selftest_silent: wanted a FAIL line, got 'PASS "
	expect_grep "crash.sh rejects a crash_selftest stanza without an expected reason" "$all" \
		"^crash.sh: crash_selftest_new: a crash_selftest stanza without an expected reason"
	test_crash_script_arm64
}

# crash_script_run: run crash.sh in SRC; set all (its output), rc and out (its last line).
crash_script_run()
{
	all=$(cd "$SRC" && QEMU=$TR_FAKE ACCEL=tcg bash "$TR_HERE/crash.sh" 2>&1)
	rc=$?
	out=$(tail -n 1 <<<"$all")
}

# An arm64 build runs its own crash stanzas, with their own reasons.
test_crash_script_arm64()
{
	local n out rc all exc='unexpected exception ESR.EC=0x25 (data abort) ISS=0x7 at pc 0x1'
	local end=('out SUMMARY: 1 tests, 1 unexpected failures' 'out EXIT: STATUS=1')

	tr_tree "$SRC" arm64
	tr_image "$SRC" crash_selftest_arm_exception "out FAIL: a: $exc on CPU 0 (x)" "${end[@]}"
	tr_image "$SRC" crash_selftest_arm_irq \
		'out FAIL: a: unexpected interrupt INTID 5 at pc 0x1 on CPU 0 (x)' "${end[@]}"
	tr_image "$SRC" crash_selftest_arm_secondary "out FAIL: a: $exc on CPU 1 (x)" "${end[@]}"
	tr_image "$SRC" crash_selftest_arm_hang hang
	tr_image "$SRC" crash_selftest_arm_silent 'out SUMMARY: 0 tests' 'out EXIT: STATUS=0'
	for n in exception irq secondary hang silent; do
		printf '[crash_selftest_arm_%s]\nfile = crash_selftest_arm_%s.flat\n' "$n" "$n"
		printf 'timeout = %s\narch = arm64\ngroups = nodefault crash_selftest\n' \
			"$(tr_timeout "$SRC" "crash_selftest_arm_$n")"
	done >"$SRC/unittests.cfg"
	printf '[crash_selftest_triple]\nfile = x.flat\narch = x86_64\ngroups = crash_selftest\n' \
		>>"$SRC/unittests.cfg"
	crash_script_run
	expect_eq "crash.sh on arm64: the five arm64 crash stanzas" \
		"0 crash-selftests: all 5 broken arm64 guests reported as failures" "$rc $out"
}
