#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The runner's own tests (make check): drives run_tests.sh in a throw-away source tree
# against tests/runner/fake-qemu.sh, so no real image or VMM is needed. Covers every verdict
# path of the result protocol, the skip rules, the guest's command line and environment,
# logs and parallel output here; catalogue, known-failures and selection errors in
# cases-cfg.sh; TAP, JUnit and --shard in cases-output.sh; crash reasons, backtraces and
# crash.sh in cases-crash.sh; expect = vm_end in cases-vm-end.sh; the Bochs backend in
# cases-bochs.sh; standalone scripts in cases-standalone.sh; the QEMU command line and exit
# codes of arm64, riscv64 and s390x in cases-arches.sh; host-aware known failures in
# cases-kf.sh; --known-crashes, aborts and runs where nothing could start in cases-kc.sh;
# the first run's installs in cases-firstrun.sh; the known-failures audit in
# cases-audit.sh; the CI files in cases-ci.sh; the x86 machine and console in
# cases-machine.sh; scripts/port-contract.sh in cases-port.sh; the runner under stress
# (concurrent runs, contradicting statuses, control bytes, floods, fallbacks,
# interruptions, terminals, damaged standalone scripts) in cases-stress.sh and
# cases-stress2.sh. One line per check, then
# "runner-tests: N passed, N failed".

set -u -o pipefail

# shellcheck source=tests/runner/lib.sh disable=SC1091
source "$(dirname "$(realpath "${BASH_SOURCE[0]}")")/lib.sh" || exit 2
# shellcheck source=tests/runner/cases-cfg.sh disable=SC1091
source "$TR_HERE/cases-cfg.sh" || exit 2
# shellcheck source=tests/runner/cases-output.sh disable=SC1091
source "$TR_HERE/cases-output.sh" || exit 2
# shellcheck source=tests/runner/cases-crash.sh disable=SC1091
source "$TR_HERE/cases-crash.sh" || exit 2
# shellcheck source=tests/runner/cases-vm-end.sh disable=SC1091
source "$TR_HERE/cases-vm-end.sh" || exit 2
# shellcheck source=tests/runner/cases-bochs.sh disable=SC1091
source "$TR_HERE/cases-bochs.sh" || exit 2
# shellcheck source=tests/runner/cases-standalone.sh disable=SC1091
source "$TR_HERE/cases-standalone.sh" || exit 2
# shellcheck source=tests/runner/cases-arches.sh disable=SC1091
source "$TR_HERE/cases-arches.sh" || exit 2
# shellcheck source=tests/runner/cases-kf.sh disable=SC1091
source "$TR_HERE/cases-kf.sh" || exit 2
# shellcheck source=tests/runner/cases-kc.sh disable=SC1091
source "$TR_HERE/cases-kc.sh" || exit 2
# shellcheck source=tests/runner/cases-firstrun.sh disable=SC1091
source "$TR_HERE/cases-firstrun.sh" || exit 2
# shellcheck source=tests/runner/cases-audit.sh disable=SC1091
source "$TR_HERE/cases-audit.sh" || exit 2
# shellcheck source=tests/runner/cases-ci.sh disable=SC1091
source "$TR_HERE/cases-ci.sh" || exit 2
# shellcheck source=tests/runner/cases-machine.sh disable=SC1091
source "$TR_HERE/cases-machine.sh" || exit 2
# shellcheck source=tests/runner/cases-port.sh disable=SC1091
source "$TR_HERE/cases-port.sh" || exit 2
# shellcheck source=tests/runner/cases-stress.sh disable=SC1091
source "$TR_HERE/cases-stress.sh" || exit 2
# shellcheck source=tests/runner/cases-stress2.sh disable=SC1091
source "$TR_HERE/cases-stress2.sh" || exit 2

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hvprobe-runner-tests.XXXXXX") || exit 2
trap '[[ -n ${KEEP-} ]] || rm -rf "$WORK"' EXIT
SRC=$WORK/src

# The verdict catalogue: one stanza per path through scripts/verdict.sh.
verdict_tree()
{
	tr_tree "$SRC"
	tr_image "$SRC" pass <<-'EOF'
		out PASS: a: one
		out PASS: a: two
		out SUMMARY: 2 tests
		out EXIT: STATUS=0
		exit 1
	EOF
	tr_image "$SRC" pass_skips <<-'EOF'
		outcr INFO: serial lines may end in CR LF
		outcr SUMMARY: 3 tests, 1 skipped
		outcr EXIT: STATUS=0
		exit 1
	EOF
	tr_image "$SRC" skip77 'out SKIP: svm: no SVM' 'out SUMMARY: 1 tests, 1 skipped' \
		'out EXIT: STATUS=77' 'exit 155'
	tr_image "$SRC" fail 'out FAIL: a: x' 'out SUMMARY: 2 tests, 1 unexpected failures' \
		'out EXIT: STATUS=1' 'exit 3'
	tr_image "$SRC" xpass 'out XPASS: k: fixed' 'out SUMMARY: 1 tests, 1 unexpected failures' \
		'out EXIT: STATUS=1' 'exit 3'
	tr_image "$SRC" xfail 'out XFAIL: k: known' 'out SUMMARY: 2 tests, 1 expected failures' \
		'out EXIT: STATUS=0' 'exit 1'
	tr_image "$SRC" reset 'out one' 'out two' 'out three' 'out four' 'exit 0'
	tr_image "$SRC" qemuerr 'err qemu-system-x86_64: -foo: invalid option' 'err more' 'exit 1'
	tr_image "$SRC" hang 'out INFO: spinning' hang
	tr_image "$SRC" kvmhang 'out INFO: spinning' 'err KVM internal error. Suberror: 1' \
		'err emulation failure' hang
	tr_image "$SRC" exithang 'out SUMMARY: 1 tests' 'out EXIT: STATUS=0' hang
	tr_image "$SRC" signal 'out INFO: before' 'kill KILL'
	tr_image "$SRC" crash 'out INFO: before' 'exit 2'
	tr_image "$SRC" wrongcode 'out SUMMARY: 1 tests' 'out EXIT: STATUS=0' 'exit 3'
	tr_image "$SRC" notests 'out SUMMARY: 0 tests' 'out EXIT: STATUS=0' 'exit 1'
	tr_image "$SRC" nosummary 'out EXIT: STATUS=0' 'exit 1'
	tr_image "$SRC" contradict 'out FAIL: a: x' 'out SUMMARY: 1 tests' 'out EXIT: STATUS=0' \
		'exit 1'
	tr_passing "$SRC" ok
	{
		local n
		for n in pass pass_skips skip77 fail xpass xfail reset qemuerr signal crash \
			wrongcode notests nosummary contradict; do
			printf '[%s]\nfile = %s.flat\narch = x86_64\n\n' "$n" "$n"
		done
		printf '[hang]\nfile = hang.flat\ntimeout = 2\n\n'
		printf '[kvmhang]\nfile = kvmhang.flat\ntimeout = 2\n\n'
		printf '[exithang]\nfile = exithang.flat\ntimeout = 2\n\n'
		printf '[other_arch]\nfile = ok.flat\narch = arm64\n\n'
	} >"$SRC/unittests.cfg"
}

# -j N runs N tests at once: three fake VMMs that each wait for all three to arrive pass
# only when they run side by side (serialized, the first would wait alone for 60 s).
test_parallel()
{
	local n meet=$WORK/meet

	tr_tree "$SRC"
	rm -rf "$meet"
	for n in 1 2 3; do
		tr_image "$SRC" "m$n" "meet $meet 3" 'out SUMMARY: 1 tests' 'out EXIT: STATUS=0' \
			'exit 1'
		printf '[m%s]\nfile = m%s.flat\n\n' "$n" "$n"
	done >"$SRC/unittests.cfg"
	tr_run "$SRC" -j 3
	expect_eq "-j 3 runs three tests at once (each saw the other two)" 3 \
		"$(grep -c '^PASS m[123] ' <<<"$OUT")"
	expect_eq "-j 3: no test waited alone" 0 "$(cat "$SRC"/logs/m*.log | grep -c 'INFO: alone')"
}

test_verdicts()
{

	verdict_tree
	tr_run "$SRC" -j 32
	expect_rc "verdicts: exit status 1 when a test failed" 1
	expect_line "PASS" "$OUT" "PASS pass (2 tests)"
	expect_line "PASS, CR LF output" "$OUT" "PASS pass_skips (3 tests, 1 skipped)"
	expect_line "SKIP via STATUS=77, last SKIP line" "$OUT" "SKIP skip77 (svm: no SVM)"
	expect_line "FAIL with failures" "$OUT" \
		"FAIL fail (2 tests, 1 unexpected failures; FAIL: a: x)"
	expect_line "XPASS counts as FAIL" "$OUT" \
		"FAIL xpass (1 tests, 1 unexpected failures; XPASS: k: fixed)"
	expect_line "XFAIL passes" "$OUT" "PASS xfail (2 tests, 1 expected failures)"
	expect_line "no EXIT, exit 0: triple fault or reset, last 3 lines" "$OUT" \
		"FAIL reset (triple fault or reset; last output: two | three | four)"
	expect_line "QEMU error" "$OUT" \
		"FAIL qemuerr (QEMU error: qemu-system-x86_64: -foo: invalid option)"
	expect_line "timeout" "$OUT" "FAIL hang (timeout after 2s; last output: INFO: spinning)"
	expect_line "timeout with a KVM internal error" "$OUT" "FAIL kvmhang (KVM internal error \
(emulation failure), killed after 2s; last output: INFO: spinning)"
	expect_grep "timeout after an EXIT line" "$OUT" \
		"^FAIL exithang \(timeout after 2s: .*did not exit\)$"
	expect_line "killed by signal" "$OUT" \
		"FAIL signal (killed by signal 9 (KILL); last output: INFO: before)"
	expect_line "crash" "$OUT" "FAIL crash (crash (QEMU exited 2); last output: INFO: before)"
	expect_line "EXIT status disagrees with the exit code" "$OUT" \
		"FAIL wrongcode (the guest printed EXIT: STATUS=0 but QEMU exited 3, not 1)"
	expect_line "STATUS=0 with 0 tests" "$OUT" "FAIL notests (no checks reported)"
	expect_line "STATUS=0 without SUMMARY" "$OUT" "FAIL nosummary (no checks reported)"
	expect_line "STATUS=0 with a FAIL line" "$OUT" \
		"FAIL contradict (EXIT: STATUS=0 contradicts 1 tests; FAIL: a: x)"
	expect_line "final line" "$(tail -n 1 <<<"$OUT")" "3 passed, 13 failed, 1 skipped"
	expect_grep "other-arch stanzas are not listed" "$(grep -c other_arch <<<"$OUT")" "^0$"
	local re='^((PASS|FAIL|SKIP) [a-z0-9_]+( \(.*\))?'
	re+='|[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped)$'
	expect_grep "every line is whole (parallel runs)" "$(grep -cvE "$re" <<<"$OUT")" "^0$"
	TIMEOUT=1 tr_run "$SRC" hang
	expect_line "TIMEOUT replaces the stanza's timeout" "$OUT" \
		"FAIL hang (timeout after 1s; last output: INFO: spinning)"
	test_logs
}

# Logs: the first line reproduces the run; then the guest output, then stderr, marked.
test_logs()
{
	local log=$SRC/logs/qemuerr.log first out

	expect_grep "log: stderr is marked" "$(<"$log")" "^--- QEMU stderr \(exit code 1\) ---$"
	log=$SRC/logs/pass.log
	first=$(head -n 1 "$log")
	out=$(cd / && bash -c "$first" 2>/dev/null)
	expect_eq "log: the first line reproduces the run" \
		"$(printf 'PASS: a: one\nPASS: a: two\nSUMMARY: 2 tests\nEXIT: STATUS=0')" "$out"
	expect_eq "log: guest output follows the command" "PASS: a: one" "$(sed -n 2p "$log")"
}

test_skips()
{
	tr_tree "$SRC"
	tr_passing "$SRC" ok
	cat >"$SRC/unittests.cfg" <<-'EOF'
		[kvm_only]
		file = ok.flat
		accel = kvm
		[tcg_only]
		file = ok.flat
		accel = tcg
		[smp4]
		file = ok.flat
		smp = 4
		[smp_max]
		file = ok.flat
		smp = $MAX_SMP
		[check_ok]
		file = ok.flat
		check = /proc/sys/kernel/ostype=Linux
		[check_bad]
		file = ok.flat
		check = /proc/sys/kernel/ostype=Plan9
		[bochs_only]
		file = ok.flat
		vmm = bochs
		[disabled]
		file = ok.flat
		disabled_if = [[ $ACCEL == tcg && $SMP -eq 2 ]]
		smp = 2
		[q35_only]
		file = ok.flat
		machine = q35
	EOF
	MAX_SMP=2 MACHINE=pc tr_run "$SRC"
	expect_rc "skips: exit status 0 when nothing failed" 0
	expect_line "SKIP accel mismatch" "$OUT" "SKIP kvm_only (kvm only, running tcg)"
	expect_line "accel=tcg runs under tcg" "$OUT" "PASS tcg_only (1 tests)"
	expect_line "SKIP smp above MAX_SMP" "$OUT" "SKIP smp4 (needs 4 CPUs, MAX_SMP=2)"
	expect_line "smp = \$MAX_SMP" "$OUT" "PASS smp_max (1 tests)"
	expect_line "check met" "$OUT" "PASS check_ok (1 tests)"
	expect_line "SKIP check not met" "$OUT" \
		"SKIP check_bad (/proc/sys/kernel/ostype is Linux, needs Plan9)"
	expect_line "SKIP vmm mismatch" "$OUT" "SKIP bochs_only (bochs only)"
	expect_line "SKIP disabled_if" "$OUT" \
		"SKIP disabled (disabled_if: [[ \$ACCEL == tcg && \$SMP -eq 2 ]])"
	expect_line "SKIP machine mismatch" "$OUT" "SKIP q35_only (q35 only, MACHINE=pc)"
	tr_run "$SRC" smp4
	expect_line "no MAX_SMP: no cap" "$OUT" "PASS smp4 (1 tests)"
	QEMU=/nonexistent/qemu-system-x86_64 tr_run "$SRC" tcg_only
	expect_line "SKIP when QEMU is missing, with the apt-get line" "$OUT" "SKIP tcg_only \
(/nonexistent/qemu-system-x86_64 not found (apt-get install qemu-system-x86))"
	if [[ -r /dev/kvm && -w /dev/kvm ]]; then
		ACCEL="" tr_run "$SRC" -v kvm_only
		expect_grep "kvm by default when usable, -cpu host,-arch-capabilities" "$OUT" \
			" -cpu host,-arch-capabilities "
	else
		ACCEL=kvm tr_run "$SRC" kvm_only
		expect_grep "SKIP kvm when /dev/kvm is unusable" "$OUT" "^SKIP kvm_only \(/dev/kvm"
	fi
}

# The guest's command line and environment, known failures, TAP, -v, building first.
test_guest_interface()
{
	local rec=$WORK/rec want

	mkdir -p "$rec"
	tr_passing "$SRC" ok
	cat >"$SRC/unittests.cfg" <<-'EOF'
		[envtest]
		file = ok.flat
		smp = 3
		test_args = "a b  'c'"
		qemu_params = -foo "x y" -bar 'z'
		[cputest]
		file = ok.flat
		cpu = qemu64,+svm
		machine = q35
		extra_params = -m 512
	EOF
	cat >"$SRC/known-failures.txt" <<-'EOF'
		# vmm | accel | version | host | test | check | reason
		qemu | tcg | 7.2.* | * | envtest | svm: npt* | QEMU bug 1
		qemu | kvm | *     | * | envtest | other     | not under tcg

		qemu | *   | 8.*   | * | envtest | never     | other version
		*    | *   | *     | * | env*    | second glob | a | reason with a bar
		qemu | tcg | *     | * | cputest | not for envtest | other test
		qemu | tcg | 7.2.* | * | envtest | crash:int3_* | kills the VMM
	EOF
	FAKE_QEMU_RECORD=$rec tr_run "$SRC"
	want=$(printf '%s\n' HVPROBE_TEST=envtest HVPROBE_VMM=qemu HVPROBE_ACCEL=tcg \
		'KNOWN_FAIL_0=svm: npt*' 'KNOWN_AT_0=known-failures.txt:2' \
		'KNOWN_FAIL_1=second glob' 'KNOWN_AT_1=known-failures.txt:6' \
		'KNOWN_CRASH_2=int3_*' 'KNOWN_AT_2=known-failures.txt:8' \
		HVPROBE_CONSOLE=debugcon)
	expect_eq "environment file with the selected KNOWN_FAIL_/KNOWN_CRASH_/KNOWN_AT_ lines" \
		"$want" \
		"$(cat "$rec/envtest.env")"
	want=$(printf '%s\n' "$TR_FAKE" -machine pc,accel=tcg -bios /usr/share/qemu/qboot.rom \
		-nodefaults -display none -chardev stdio,id=con,mux=on -serial chardev:con \
		-device isa-debugcon,iobase=0xe9,chardev=con \
		-device isa-debug-exit,iobase=0xf4,iosize=0x4 -no-reboot -m 256 -smp 3 -cpu max \
		-kernel "$SRC/x86/ok.flat" -append "a b  'c'" \
		-initrd @ENV@ -foo "x y" -bar z)
	expect_eq "QEMU command line" "${want#*$'\n'}" "$(cat "$rec/envtest.args")"
	want=private
	[[ $(<"$rec/envtest.envpath") == "$SRC/logs/envtest.env" ]] && want=logs/envtest.env
	cmp -s "$rec/envtest.env" "$SRC/logs/envtest.env" && want+=", then logs/envtest.env"
	expect_eq "the VMM reads the run's own environment file, then logs/envtest.env" \
		"private, then logs/envtest.env" "$want"
	expect_grep "cpu and machine keys, extra_params alias" \
		"$(tr '\n' ' ' <"$rec/cputest.args")" \
		"-machine q35,accel=tcg .* -cpu qemu64,\+svm .* -m 512 $"
	tr_run "$SRC" -v envtest
	expect_grep "-v prints the command" "$OUT" \
		"^$TR_FAKE -machine pc,accel=tcg .* -foo 'x y' -bar z$"
	FAKE_QEMU_VERSION=8.0.0 FAKE_QEMU_RECORD=$rec tr_run "$SRC" envtest
	want=$(printf '%s\n' HVPROBE_TEST=envtest HVPROBE_VMM=qemu HVPROBE_ACCEL=tcg \
		'KNOWN_FAIL_0=never' 'KNOWN_AT_0=known-failures.txt:5' 'KNOWN_FAIL_1=second glob' \
		'KNOWN_AT_1=known-failures.txt:6' \
		HVPROBE_CONSOLE=debugcon)
	expect_eq "known failures follow the VMM version" "$want" "$(cat "$rec/envtest.env")"

	verdict_tree
	test_output_formats
	printf '[built]\nfile = built.flat\n' >"$SRC/unittests.cfg"
	printf 'all: x86/built.flat\nx86/built.flat:\n\tprintf "%s" >$@\n' \
		'out SUMMARY: 1 tests\nout EXIT: STATUS=0\nexit 1\n' >"$SRC/Makefile"
	tr_run "$SRC"
	expect_line "builds a missing image first" "$OUT" "PASS built (1 tests)"
	rm "$SRC/x86/built.flat"
	echo "CC=hvprobe-none-linux-gnu-gcc" >>"$SRC/config.mak"
	tr_run "$SRC"
	expect_grep "missing compiler names the apt-get line" "$ERR" "compiler \
hvprobe-none-linux-gnu-gcc not found; install it with: apt-get install gcc-hvprobe-none-linux-gnu$"
}

test_verdicts
test_parallel
test_crash_reasons
test_backtrace
test_crash_script
test_vm_end
test_bochs
test_standalone
test_arches
test_x86_machine
test_skips
test_guest_interface
test_cfg_errors
test_kf_errors
test_kf_syntax
test_kf_host
test_kf_cpuinfo
test_kf_real
test_kf_standalone
test_known_crashes
test_aborts
test_nothing_ran
test_first_run
test_audit
test_ci_files
test_port_contract
test_selection
test_stress_concurrent
test_stress_status
test_stress_visible
test_stress_flood
test_stress_fallbacks
test_stress_interrupt
test_stress_tty
test_stress_standalone
tr_summary
