#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Runner tests of the QEMU backend on arm64, riscv64 and s390x (fake trees on an x86_64
# host): the command line of each arch, the exit code cross-check (QEMU exits 0 after PSCI
# SYSTEM_OFF, SBI SRST or SIGP STOP), what a run without an EXIT line is called, KVM only on
# a host of the same arch, the default binary and its package. Sourced by tests/runner/run.sh.

# arch_tree ARCH: a fake ARCH tree with one stanza per case below.
arch_tree()
{
	local n

	tr_tree "$SRC" "$1"
	tr_image "$SRC" ok 'out PASS: a' 'out SUMMARY: 1 tests' 'out EXIT: STATUS=0' 'exit 0'
	tr_image "$SRC" fail 'out FAIL: a: x' 'out SUMMARY: 2 tests, 1 unexpected failures' \
		'out EXIT: STATUS=1' 'exit 0'
	tr_image "$SRC" wrongcode 'out SUMMARY: 1 tests' 'out EXIT: STATUS=0' 'exit 1'
	tr_image "$SRC" off 'out INFO: one' 'out INFO: two' 'exit 0'
	tr_image "$SRC" dwait 'out INFO: x' 'err Guest crashed on cpu 0: disabled-wait' \
		'err PSW: 0x0002000180000000 0x0000000000001234' 'exit 1'
	tr_image "$SRC" dwait_silent 'err Guest crashed on cpu 1: disabled-wait' 'exit 1'
	tr_image "$SRC" qemuerr "err qemu-system-$(qemu_arch_name "$1"): -foo: invalid option" \
		'exit 1'
	cat >"$SRC/unittests.cfg" <<-'EOF'
		[cmd]
		file = ok.flat
		smp = 2
		test_args = x 'y z'
		qemu_params = -foo bar
		[cpu]
		file = ok.flat
		cpu = other-cpu
		machine = other-machine
	EOF
	for n in fail wrongcode off dwait dwait_silent qemuerr; do
		printf '[%s]\nfile = %s.flat\n' "$n" "$n"
	done >>"$SRC/unittests.cfg"
	printf '[vm_end]\nfile = dwait.flat\nexpect = vm_end\n' >>"$SRC/unittests.cfg"
}

# arch_command ARCH MACHINE CPU [OPTION...]: the expected arguments of stanza cmd, one a line.
arch_command()
{
	printf '%s\n' -machine "$2,accel=tcg" -nodefaults -display none -serial stdio "${@:4}" \
		-no-reboot -m 256 -smp 2 -cpu "$3" -kernel "$SRC/$TR_TESTDIR/ok.flat" \
		-append "x 'y z'" -initrd @ENV@ -foo bar
}

# test_arch ARCH MACHINE CPU WORDING [OPTION...]: the cases on one arch; WORDING names a run
# that QEMU ended with 0 before an EXIT line; OPTIONs are the arch's own QEMU options.
test_arch()
{
	local arch=$1 machine=$2 cpu=$3 off=$4 rec=$WORK/rec-$1 want bin=$WORK/bin-$1

	shift 4
	mkdir -p "$rec" "$bin"
	arch_tree "$arch"
	FAKE_QEMU_RECORD=$rec tr_run "$SRC" -a
	expect_eq "$arch: QEMU command line" "$(arch_command "$arch" "$machine" "$cpu" "$@")" \
		"$(cat "$rec/cmd.args")"
	expect_grep "$arch: cpu and machine keys" "$(arch_args "$rec/cpu.args")" \
		"^-machine other-machine,accel=tcg .* -cpu other-cpu "
	expect_line "$arch: PASS when QEMU exits 0 after EXIT: STATUS=0" "$OUT" "PASS cmd (1 tests)"
	expect_line "$arch: STATUS=1 with exit code 0" "$OUT" \
		"FAIL fail (2 tests, 1 unexpected failures; FAIL: a: x)"
	expect_line "$arch: the exit code cross-check wants 0" "$OUT" \
		"FAIL wrongcode (the guest printed EXIT: STATUS=0 but QEMU exited 1, not 0)"
	expect_line "$arch: exit 0 without an EXIT line" "$OUT" \
		"FAIL off ($off without an EXIT line; last output: INFO: one | INFO: two)"
	expect_line "$arch: QEMU's own error" "$OUT" "FAIL qemuerr (QEMU error: \
qemu-system-$(qemu_arch_name "$arch"): -foo: invalid option)"
	if [[ $arch == s390x ]]; then
		expect_line "s390x: a disabled wait is a guest crash, with the PSW" "$OUT" "FAIL \
dwait (guest crashed on CPU 0: disabled-wait (PSW 0x0002000180000000 0x0000000000001234); \
last output: INFO: x)"
		expect_line "s390x: a disabled wait without output" "$OUT" "FAIL dwait_silent \
(guest crashed on CPU 1: disabled-wait; no guest output)"
		expect_line "s390x: a disabled wait does not end the VM (vm_end)" "$OUT" "FAIL \
vm_end (guest crashed on CPU 0: disabled-wait (PSW 0x0002000180000000 0x0000000000001234); \
last output: INFO: x)"
	else
		expect_line "$arch: exit 1 after output is a crash" "$OUT" \
			"FAIL dwait (crash (QEMU exited 1); last output: INFO: x)"
	fi

	ACCEL=kvm tr_run "$SRC" cmd
	expect_line "$arch: no KVM on an x86_64 host" "$OUT" \
		"SKIP cmd (KVM cannot run $arch guests on a x86_64 host)"
	ACCEL="" FAKE_QEMU_RECORD=$rec tr_run "$SRC" cmd
	expect_grep "$arch: tcg by default on an x86_64 host" "$(arch_args "$rec/cmd.args")" \
		"^-machine $machine,accel=tcg "
	sed -i "s/^HOST_ARCH=.*/HOST_ARCH=$(qemu_arch_name "$arch")/" "$SRC/config.mak"
	if [[ -r /dev/kvm && -w /dev/kvm ]]; then
		ACCEL=kvm FAKE_QEMU_RECORD=$rec tr_run "$SRC" cmd
		expect_grep "$arch: KVM on a $arch host, -cpu host" "$(arch_args "$rec/cmd.args")" \
			"^-machine $machine,accel=kvm .* -cpu host -kernel "
	else
		ACCEL=kvm tr_run "$SRC" cmd
		expect_grep "$arch: KVM on a $arch host needs /dev/kvm" "$OUT" \
			"^SKIP cmd \(/dev/kvm"
	fi

	QEMU=/nonexistent/qemu-system-$arch tr_run "$SRC" cmd
	expect_grep "$arch: missing QEMU names its package" "$OUT" \
		"^SKIP cmd \(.* not found \(apt-get install qemu-system-(arm|misc)\)\)$"
	ln -sf "$TR_FAKE" "$bin/qemu-system-$(qemu_arch_name "$arch")"
	want=$(cd "$SRC" && env -u QEMU PATH="$bin:$PATH" ACCEL=tcg NO_COLOR=1 \
		./run_tests.sh -v cmd 2>/dev/null | head -n 1)
	expect_grep "$arch: the default QEMU binary" "$want" \
		"^qemu-system-$(qemu_arch_name "$arch") -machine $machine,accel=tcg "
}

# arch_args FILE: the arguments the fake QEMU recorded in FILE, on one line.
arch_args()
{
	tr '\n' ' ' <"$1"
}

# qemu_arch_name ARCH: uname -m and the qemu-system-* suffix of ARCH.
qemu_arch_name()
{
	[[ $1 == arm64 ]] && set -- aarch64
	printf '%s' "$1"
}

test_arches()
{
	test_arch arm64 virt max 'powered off or reset'
	test_arch riscv64 virt rv64 'powered off or reset'
	test_arch s390x s390-ccw-virtio max 'stopped or reset' -action panic=exit-failure \
		-d guest_errors
}
