#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Runner tests of ./run_tests.sh --known-crashes (scripts/known-crashes.sh), of verdicts of
# guests that abort (ABORT: lines, scripts/verdict.sh), of runs in which nothing could
# start (no VMM, no accelerator), and of -g values never expanded as file globs. Sourced by
# tests/runner/run.sh.

# The known-crash runs: each crash: entry's subtest alone, its verdict per entry.
test_known_crashes()
{
	local rec=$WORK/rec-kc want

	mkdir -p "$rec"
	tr_tree "$SRC"
	tr_image "$SRC" still 'ifarg sub_crash out INFO: subtest sub_crash starts' \
		'ifarg sub_crash out INFO: sub_crash: crashing' \
		'ifarg sub_crash hang' 'out PASS: a' 'out SUMMARY: 1 tests' 'out EXIT: STATUS=0' \
		'exit 1'
	tr_image "$SRC" fixed 'ifarg sub_fixed out INFO: subtest sub_fixed starts' \
		'ifarg sub_fixed out PASS: sub_fixed: ok' 'out SUMMARY: 1 tests' \
		'out EXIT: STATUS=0' 'exit 1'
	tr_image "$SRC" mixed 'ifarg sub_mixed out INFO: subtest sub_mixed starts' \
		'ifarg sub_mixed out PASS: sub_mixed: fine' 'ifarg sub_mixed hang' \
		'out PASS: a' 'out SUMMARY: 1 tests' 'out EXIT: STATUS=0' 'exit 1'
	tr_image "$SRC" qerr 'ifarg sub_q err qemu-system-x86_64: bad option' 'ifarg sub_q exit 1' \
		'out PASS: a' 'out SUMMARY: 1 tests' 'out EXIT: STATUS=0' 'exit 1'
	# hangs before its subtest starts (a boot that hangs): no proof of the crash
	tr_image "$SRC" early 'ifarg sub_e out INFO: booting' 'ifarg sub_e hang' 'out PASS: a' \
		'out SUMMARY: 1 tests' 'out EXIT: STATUS=0' 'exit 1'
	for n in still fixed mixed qerr early; do
		printf '[%s]\nfile = %s.flat\ntest_args = x=1\ntimeout = %s\n' "$n" "$n" \
			"$(tr_timeout "$SRC" "$n")"
	done >"$SRC/unittests.cfg"
	cat >"$SRC/known-failures.txt" <<-'EOF'
		qemu | tcg | * | * | still | crash:sub_crash | hangs TCG
		qemu | tcg | * | * | fixed | crash:sub_fixed | was fixed
		qemu | tcg | * | * | mixed | crash:sub_mixed | has checks that pass
		qemu | tcg | * | * | qerr  | crash:sub_q | QEMU does not start
		qemu | tcg | * | * | early | crash:sub_e | hangs, but before the subtest
		qemu | tcg | * | * | still | a: other | a failure of the same stanza
		qemu | kvm | * | * | still | crash:sub_kvm | KVM only: no job under tcg
		qemu | tcg | 9.* | * | fixed | crash:sub_v9 | another version: no job
		qemu | tcg | * | vendor:Nobody | fixed | crash:sub_h | another host: no job
	EOF
	tr_run "$SRC"
	expect_rc "known crashes: a normal run does not run them" 0
	FAKE_QEMU_RECORD=$rec tr_run "$SRC" --known-crashes -j 4
	expect_rc "known crashes: exit status 1 when an entry is wrong" 1
	expect_line "known crashes: PASS when the subtest alone still crashes" "$OUT" \
		"PASS still.crash1 (still crashes: timeout after 10s; last output: INFO: \
subtest sub_crash starts | INFO: sub_crash: crashing; known-failures.txt:1 crash:sub_crash)"
	expect_line "known crashes: XPASS (a FAIL) when it runs to its end now" "$OUT" \
		"FAIL fixed.crash2 (XPASS: crash:sub_fixed no longer crashes QEMU (1 tests); \
remove or narrow known-failures.txt:2)"
	expect_line "known crashes: FAIL when checks come before the crash" "$OUT" \
		"FAIL mixed.crash3 (crash:sub_mixed covers checks that do not crash: 'PASS: \
sub_mixed: fine' came before the crash (timeout after 10s; last output: INFO: subtest \
sub_mixed starts | PASS: sub_mixed: fine); split the subtest (known-failures.txt:3))"
	expect_line "known crashes: the VMM's own error is no crash" "$OUT" \
		"FAIL qerr.crash4 (the subtest was not reached: QEMU error: qemu-system-x86_64: \
bad option (known-failures.txt:4))"
	expect_line "known crashes: a hang before the subtest starts proves nothing" "$OUT" \
		"FAIL early.crash5 (the subtest was not reached: no 'INFO: subtest ... starts' \
line (timeout after 10s; last output: INFO: booting) (known-failures.txt:5))"
	expect_line "known crashes: entries of another accel, version or host are not run" \
		"$(tail -n 1 <<<"$OUT")" "1 passed, 4 failed, 0 skipped"
	want=$(printf '%s\n' HVPROBE_TEST=still HVPROBE_VMM=qemu HVPROBE_ACCEL=tcg \
		'KNOWN_FAIL_0=a: other' 'KNOWN_AT_0=known-failures.txt:6' \
		HVPROBE_ANNOUNCE=1 HVPROBE_CONSOLE=debugcon)
	expect_eq "known crashes: the environment lacks the entry under test, keeps the others" \
		"$want" "$(cat "$rec/still.env")"
	expect_grep "known crashes: the subtest glob follows test_args" \
		"$(tr '\n' ' ' <"$rec/still.args")" " -append x=1 sub_crash "
	expect_grep "known crashes: a log per entry" "$(head -n 1 "$SRC/logs/still.crash1.log")" \
		"-append 'x=1 sub_crash' "
	QEMU=/nonexistent/qemu tr_run "$SRC" --known-crashes
	expect_rc "known crashes: nothing could start: exit status 2" 2
	printf 'qemu | kvm | * | * | still | crash:x | kvm\n' >"$SRC/known-failures.txt"
	tr_run "$SRC" --known-crashes
	expect_rc "known crashes: none selected: exit status 0" 0
	expect_eq "known crashes: none selected: empty totals" "0 passed, 0 failed, 0 skipped" \
		"$OUT"
}

# ABORT: lines keep their reason up to the verdict, with or without an EXIT line.
test_aborts()
{
	tr_tree "$SRC"
	tr_image "$SRC" ab 'out PASS: a' 'out ABORT: allocator: out of memory (4096 bytes)' \
		'out Registers at the abort (CPU 0):' 'out SUMMARY: 1 tests' 'out EXIT: STATUS=2' \
		'exit 5'
	tr_image "$SRC" abhang 'out ABORT: smp: CPU 2 did not start' hang
	tr_image "$SRC" abreset 'out ABORT: assertion '\''x'\'' failed at lib/a.c:3' 'exit 0'
	tr_image "$SRC" abcode 'out ABORT: broken' 'out SUMMARY: 0 tests' 'out EXIT: STATUS=2' \
		'exit 1'
	for n in ab abhang abreset abcode; do
		printf '[%s]\nfile = %s.flat\ntimeout = %s\n' "$n" "$n" "$(tr_timeout "$SRC" "$n")"
	done >"$SRC/unittests.cfg"
	tr_run "$SRC" -j 4
	expect_line "abort: the reason, not the summary" "$OUT" \
		"FAIL ab (abort: allocator: out of memory (4096 bytes))"
	expect_line "abort: then a hang" "$OUT" "FAIL abhang (abort: smp: CPU 2 did not start; \
then no EXIT line: timeout after 5s; last output: ABORT: smp: CPU 2 did not start)"
	expect_line "abort: then a reset" "$OUT" "FAIL abreset (abort: assertion 'x' failed at \
lib/a.c:3; then no EXIT line: triple fault or reset; last output: ABORT: assertion 'x' \
failed at lib/a.c:3)"
	expect_line "abort: an exit code that does not go with the EXIT line" "$OUT" \
		"FAIL abcode (abort: broken; the guest printed EXIT: STATUS=2, QEMU exited 1)"
	test_abort_backtrace
}

# An abort's backtrace is symbolized like a crash's: file:line in the reason, frames in the
# log (a small host program built with gcc -g stands in for the image's ELF).
test_abort_backtrace()
{
	local bt

	if ! command -v gcc >/dev/null 2>&1 || ! command -v addr2line >/dev/null 2>&1; then
		tr_ok "abort backtrace: skipped (no gcc or no addr2line)"
		return
	fi
	mkdir -p "$SRC/lib"
	printf '%s\n' '#include <stdio.h>' \
		'void __attribute__((noinline)) die(void) { printf("Backtrace: %p %p\n",' \
		'	(void *)die, __builtin_return_address(0)); }' >"$SRC/lib/abort.c"
	printf '%s\n' 'void die(void);' 'int main(void)' '{' '	die();' '	return 0;' '}' \
		>"$SRC/x86/abt.c"
	if ! (cd "$SRC" && gcc -g -O0 -no-pie -o x86/abt.elf x86/abt.c lib/abort.c); then
		tr_bad "abort backtrace: gcc -g builds the stand-in ELF" "gcc failed"
		return
	fi
	bt=$("$SRC/x86/abt.elf")
	tr_image "$SRC" abt 'out FAIL: a: earlier' 'out ABORT: allocator: out of memory' \
		"out $bt" 'out SUMMARY: 1 tests, 1 unexpected failures' 'out EXIT: STATUS=2' \
		'exit 5'
	printf '[abt]\nfile = abt.flat\n' >"$SRC/unittests.cfg"
	tr_run "$SRC"
	expect_line "abort backtrace: file:line in the reason, no earlier FAIL line quoted" "$OUT" \
		"FAIL abt (abort: allocator: out of memory; at lib/abort.c:2 from x86/abt.c:4)"
	expect_grep "abort backtrace: the frames in the log" "$(<"$SRC/logs/abt.log")" \
		"^  #1  0x[0-9a-f]+ x86/abt.c:4 \(main\)$"
}

# A run where nothing could start fails; legitimately skipped stanzas do not make it fail.
test_nothing_ran()
{
	tr_tree "$SRC"
	tr_passing "$SRC" ok
	printf '[a]\nfile = ok.flat\n[b]\nfile = ok.flat\nvmm = bochs\n' >"$SRC/unittests.cfg"
	QEMU=/nonexistent/qemu-system-x86_64 tr_run "$SRC"
	expect_rc "nothing ran: no VMM: exit status 2" 2
	expect_eq "nothing ran: one line says so" "run_tests.sh: nothing ran: 1 of 2 could not \
start (/nonexistent/qemu-system-x86_64 not found (apt-get install qemu-system-x86))" "$ERR"
	tr_run "$SRC" -l -g '*'
	expect_eq "-g '*' is a group name, never a glob over the files here" \
		"2 run_tests.sh: unknown group '*': no stanza of unittests.cfg has it" "$RC $ERR"
	tr_run "$SRC" b
	expect_rc "nothing ran, but only because of a legitimate skip: exit status 0" 0
	tr_run "$SRC"
	expect_rc "a run with a legitimately skipped stanza: exit status 0" 0
	if [[ ! -e /dev/kvm ]]; then
		ACCEL=kvm tr_run "$SRC" a
		expect_rc "nothing ran: no accelerator: exit status 2" 2
		expect_grep "nothing ran: the accelerator's reason" "$ERR" \
			"nothing ran: 1 of 1 could not start \(/dev/kvm does not exist\)$"
	fi
}
