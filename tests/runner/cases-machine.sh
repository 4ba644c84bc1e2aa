#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Runner tests of the QEMU backend's x86 machine and console: pc (with qboot) unless KVM,
# microvm under KVM when neither the stanza nor MACHINE names one, the named machine
# always; the debug console on the chardev of COM1 and announced in the environment file.
# vmm_qemu_command is called directly, so the KVM default is checked on a host without
# /dev/kvm too. Sourced by tests/runner/run.sh.

# machine_cmd ACCEL MACHINE: the x86 QEMU command for a stanza, one line; the environment
# file it wrote is $WORK/machine.env.
machine_cmd()
{
	: >"$WORK/machine.env"
	(
		# shellcheck source=scripts/vmm-qemu.sh disable=SC1091
		source "$TR_ROOT/scripts/vmm-qemu.sh" || exit 2
		# shellcheck disable=SC2034 # read by vmm_qemu_command
		ARCH=x86_64 VMM_BIN=qemu-system-x86_64 T_ACCEL=$1 T_MACHINE=$2 T_SMP=2 T_CPU=""
		local -a cmd
		# shellcheck disable=SC2034 # read by vmm_qemu_command
		T_IMAGE=x86/ok.flat T_ARGS="" T_ENVFILE=$WORK/machine.env T_PARAMS=()
		vmm_qemu_command cmd
		printf '%s ' "${cmd[@]}"
	)
}

test_x86_machine()
{
	local line qboot=/usr/share/qemu/qboot.rom

	line=$(machine_cmd tcg "")
	expect_grep "x86: pc by default under TCG" "$line" \
		"^qemu-system-x86_64 -machine pc,accel=tcg "
	if [[ -r $qboot ]]; then
		expect_grep "x86: qboot on pc" "$line" " -bios $qboot "
	fi
	line=$(machine_cmd kvm "")
	expect_grep "x86: microvm by default under KVM" "$line" \
		"^qemu-system-x86_64 -machine microvm,accel=kvm -nodefaults "
	line=$(machine_cmd kvm pc)
	expect_grep "x86: a named machine under KVM is kept" "$line" "^[^ ]+ -machine pc,accel=kvm "
	line=$(machine_cmd tcg microvm)
	expect_grep "x86: machine = microvm under TCG" "$line" \
		"^[^ ]+ -machine microvm,accel=tcg -nodefaults "
	expect_grep "x86: COM1 and the debug console share one chardev" "$line" \
		" -chardev stdio,id=con,mux=on -serial chardev:con \
-device isa-debugcon,iobase=0xe9,chardev=con "
	expect_eq "x86: the debug console is announced to the guest" "HVPROBE_CONSOLE=debugcon" \
		"$(cat "$WORK/machine.env")"
}
