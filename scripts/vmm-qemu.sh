#!/bin/bash
# SPDX-License-Identifier: MIT
#
# QEMU backend of the runner. Every scripts/vmm-<vmm>.sh defines the same functions
# (docs/runner.md, "VMM backends"):
#   vmm_<vmm>_init             resolve the binary; set VMM_NAME (for messages), VMM_BIN,
#                              VMM_VERSION, VMM_MISSING (why it cannot run, or empty),
#                              VMM_ACCELS (the accelerators it has) and VMM_DEFAULT_ACCEL
#   vmm_<vmm>_accel_problem A  print why accelerator A cannot be used here (nothing if it can)
#   vmm_<vmm>_machine_problem M  print why machine type M cannot be used (nothing if it can)
#   vmm_<vmm>_command ARRAY    fill ARRAY with the command running test T_* (see run-test.sh)
#   vmm_<vmm>_exit_code S      print the VMM exit code that goes with "EXIT: STATUS=S"
#   vmm_<vmm>_noexit_reason RC NLINES ERRFILE   why the VMM ended without an EXIT line
#                              ("<VMM_NAME> error: ..." for the VMM's own failure to start,
#                              "<VMM_NAME> exited ..." when that is all there is to say)
#   vmm_<vmm>_vm_ended RC ERRFILE              true if the VMM ended because the guest powered
#                                              off or reset the VM (expect = vm_end)
#   vmm_<vmm>_hang_reason ERRFILE              what a guest killed by the timeout did, if known
#   vmm_<vmm>_stop_ip ERRFILE                  where the VMM stopped the guest, if it said
# The verdict always comes from the guest's EXIT line; these only name a crash or cross-check.
# Sourced, never executed.
# shellcheck disable=SC2034 # globals set here are read by the files sourcing this one

QEMU_QBOOT=/usr/share/qemu/qboot.rom

# qemu_system_arch ARCH: the qemu-system-* suffix for a hvprobe arch.
qemu_system_arch()
{
	case $1 in
	arm64) printf 'aarch64' ;;
	i386) printf 'x86_64' ;;
	*) printf '%s' "$1" ;;
	esac
}

# qemu_package ARCH: the Debian package holding qemu-system-<arch>.
qemu_package()
{
	case $1 in
	x86_64 | i386) printf 'qemu-system-x86' ;;
	arm64 | arm) printf 'qemu-system-arm' ;;
	*) printf 'qemu-system-misc' ;;
	esac
}

vmm_qemu_init()
{
	local def line

	def="qemu-system-$(qemu_system_arch "$ARCH")"
	VMM_NAME=QEMU
	VMM_BIN=${QEMU:-$def}
	VMM_VERSION=unknown
	VMM_MISSING=""
	if ! command -v "$VMM_BIN" >/dev/null 2>&1; then
		VMM_MISSING="$VMM_BIN not found (apt-get install $(qemu_package "$ARCH"))"
	else
		line=$("$VMM_BIN" --version 2>/dev/null </dev/null | head -n 1)
		[[ $line =~ version\ ([0-9][^[:space:]]*) ]] && VMM_VERSION=${BASH_REMATCH[1]}
		VMM_VERSION=${VMM_VERSION%,}
	fi
	VMM_ACCELS="tcg kvm"
	VMM_DEFAULT_ACCEL=tcg
	[[ -z $(vmm_qemu_accel_problem kvm) ]] && VMM_DEFAULT_ACCEL=kvm
	return 0
}

vmm_qemu_accel_problem()
{
	local host=$HOST_ARCH

	if [[ $1 != kvm ]]; then
		[[ $1 == tcg ]] || printf 'QEMU has no accelerator %s (only tcg and kvm)' "$1"
		return 0
	fi
	[[ $host == aarch64 ]] && host=arm64
	if [[ $host != "$ARCH" && ! ($host == x86_64 && $ARCH == i386) ]]; then
		printf 'KVM cannot run %s guests on a %s host' "$ARCH" "$HOST_ARCH"
	elif [[ ! -e /dev/kvm ]]; then
		printf '/dev/kvm does not exist'
	elif [[ ! -r /dev/kvm || ! -w /dev/kvm ]]; then
		printf '/dev/kvm is not readable and writable by this user'
	fi
}

# Every machine type is QEMU's to accept or refuse (a QEMU error names a wrong one).
vmm_qemu_machine_problem()
{
	:
}

# vmm_qemu_command ARRAY: from T_IMAGE T_SMP T_ARGS T_ENVFILE T_ACCEL T_MACHINE T_CPU and the
# array T_PARAMS (the stanza's qemu_params, already split into words).
vmm_qemu_command()
{
	local -n qc_cmd=$1
	local machine=$T_MACHINE cpu=$T_CPU

	if [[ -z $cpu ]]; then
		cpu=max
		[[ $T_ACCEL == kvm ]] && cpu=host
		[[ $T_ACCEL == kvm && $ARCH == @(x86_64|i386) ]] && cpu=host,-arch-capabilities
	fi
	case $ARCH in
	x86_64 | i386)
		# No machine asked for: pc, the machine the TCG known failures are verified on;
		# under KVM microvm, whose firmware has no PCI bus to enumerate and boots in half
		# the time (the whole catalogue gives the same results on both under TCG:
		# docs/runner.md, "Machines"). A stanza needing pc's devices says machine = pc.
		if [[ -z $machine ]]; then
			machine=pc
			[[ $T_ACCEL == kvm ]] && machine=microvm
		fi
		qc_cmd=("$VMM_BIN" -machine "$machine,accel=$T_ACCEL")
		# qboot boots in ~0.3 s instead of SeaBIOS's seconds; it only knows pc and q35.
		[[ -r $QEMU_QBOOT && $machine == @(pc|q35|pc-*) ]] && qc_cmd+=(-bios "$QEMU_QBOOT")
		# COM1 and an isa-debugcon share one chardev (a mux keeps their bytes in the
		# guest's order); the guest writes a whole printf to port 0xe9 with one
		# REP OUTSB, a single VM exit, once the environment names the device.
		qc_cmd+=(-nodefaults -display none -chardev 'stdio,id=con,mux=on'
			-serial chardev:con -device 'isa-debugcon,iobase=0xe9,chardev=con'
			-device 'isa-debug-exit,iobase=0xf4,iosize=0x4')
		printf 'HVPROBE_CONSOLE=debugcon\n' >>"$T_ENVFILE"
		;;
	arm64 | riscv64)
		# riscv64: the bundled OpenSBI (-bios default) starts the image in S-mode.
		machine=${machine:-virt}
		[[ $ARCH == riscv64 && $cpu == max ]] && cpu=rv64
		qc_cmd=("$VMM_BIN" -machine "$machine,accel=$T_ACCEL" -nodefaults -display none
			-serial stdio)
		;;
	s390x)
		# The first serial chardev is the SCLP console. A guest panic (a disabled-wait PSW)
		# exits 1 and is logged on stderr ("Guest crashed on cpu N: disabled-wait"), where
		# QEMU would otherwise exit 0 as for SIGP STOP.
		machine=${machine:-s390-ccw-virtio}
		qc_cmd=("$VMM_BIN" -machine "$machine,accel=$T_ACCEL" -nodefaults -display none
			-serial stdio -action panic=exit-failure -d guest_errors)
		;;
	*)
		die "QEMU does not support arch $ARCH in this runner yet"
		;;
	esac
	qc_cmd+=(-no-reboot -m 256 -smp "$T_SMP" -cpu "$cpu" -kernel "$T_IMAGE"
		-append "$T_ARGS" -initrd "$T_ENVFILE" "${T_PARAMS[@]}")
}

# x86 guests write the status to isa-debug-exit, and QEMU exits with (status << 1) | 1;
# arm64 and riscv64 power off through firmware (PSCI SYSTEM_OFF, SBI SRST: 0 for every
# reset reason under OpenSBI 1.1) and s390x stops its last CPU (SIGP STOP): QEMU exits 0.
vmm_qemu_exit_code()
{
	case $ARCH in
	x86_64 | i386) printf '%s' $(((($1 << 1) | 1) & 255)) ;;
	*) printf '0' ;;
	esac
}

# vmm_qemu_noexit_reason RC NLINES ERRFILE: a QEMU that printed nothing at all, neither
# guest output nor stderr, and exited is only said to be so (QEMU=/bin/true does that). With
# -no-reboot QEMU exits 0 when the guest resets, which is what a triple fault does on x86,
# or powers off (PSCI, SBI, SIGP STOP) elsewhere; on s390x 1 with "Guest crashed" is a guest
# panic; else 1 with no output is QEMU's own error.
vmm_qemu_noexit_reason()
{
	local rc=$1 nlines=$2 errfile=$3 line why

	if ((nlines == 0 && rc < 128)) && [[ ! -s $errfile ]]; then
		printf 'QEMU exited %s with no output at all' "$rc"
	elif ((rc == 0)); then
		case $ARCH in
		x86_64 | i386) printf 'triple fault or reset' ;;
		s390x) printf 'stopped or reset without an EXIT line' ;;
		*) printf 'powered off or reset without an EXIT line' ;;
		esac
	elif ((rc == 1)) && [[ $ARCH == s390x ]] && why=$(qemu_s390x_crash "$errfile"); then
		printf '%s' "$why"
	elif ((rc == 1 && nlines == 0)) && [[ -s $errfile ]]; then
		while IFS= read -r line; do
			[[ $line == *[![:space:]]* ]] && break
		done <"$errfile"
		printf 'QEMU error: %s' "$line"
	fi
}

# qemu_s390x_crash ERRFILE: the guest panic QEMU logged ("Guest crashed on cpu 0:
# disabled-wait", then "PSW: 0x<mask> 0x<address>"), as "guest crashed on CPU 0:
# disabled-wait (PSW 0x... 0x...)"; false if there is none.
qemu_s390x_crash()
{
	local line what="" psw="" re='^PSW: *(0x[0-9a-fA-F]+) +(0x[0-9a-fA-F]+)'

	[[ -r $1 ]] || return 1
	while IFS= read -r line; do
		line=${line%$'\r'}
		if [[ -z $what && $line =~ ^Guest\ crashed\ on\ cpu\ ([0-9]+):\ *(.*)$ ]]; then
			what="guest crashed on CPU ${BASH_REMATCH[1]}: ${BASH_REMATCH[2]:-unknown}"
		elif [[ -n $what && -z $psw && $line =~ $re ]]; then
			psw="${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
		fi
	done <"$1"
	[[ -n $what ]] || return 1
	printf '%s%s' "$what" "${psw:+ (PSW $psw)}"
}

# QEMU exits 0 when the guest powers off, and under -no-reboot when it resets.
vmm_qemu_vm_ended()
{
	(($1 == 0))
}

# vmm_qemu_hang_reason ERRFILE: QEMU stops a vCPU KVM cannot run (kvm_run exit
# KVM_EXIT_INTERNAL_ERROR) and waits, paused, until killed. It prints "KVM internal error.
# Suberror: N", "extra data[i]: ..." lines, then for suberror 1 "emulation failure", then the
# registers. The reason quotes that text; only a VMM that says "triple fault" gets that word.
vmm_qemu_hang_reason()
{
	local line sub="" text="" triple=0

	[[ -r $1 ]] || return 0
	while IFS= read -r line; do
		line=${line%$'\r'}
		if [[ -z $sub && $line =~ ^KVM\ internal\ error\.\ Suberror:\ *([0-9]+) ]]; then
			sub=${BASH_REMATCH[1]}
		elif [[ -n $sub && -z $text ]]; then
			[[ $line == @(extra data\[*|*([[:space:]])) ]] && continue
			# The register dump starts with RAX= (EAX= in 32-bit mode).
			[[ $line == [A-Z][A-Z]?([A-Z0-9])=* ]] && text="suberror $sub" && continue
			text=$line
		fi
		[[ ${line,,} == *"triple fault"* ]] && triple=1
	done <"$1"
	if [[ -n $sub ]]; then
		printf 'KVM internal error (%s)' "${text:-suberror $sub}"
	elif ((triple)); then
		printf 'triple fault'
	fi
}

# vmm_qemu_stop_ip ERRFILE: the guest instruction pointer in the register dump QEMU prints
# when it stops a vCPU (RIP=..., or EIP=... for a 32-bit guest), if any.
vmm_qemu_stop_ip()
{
	local line

	[[ -r $1 ]] || return 0
	while IFS= read -r line; do
		if [[ $line =~ ^[RE]IP=([0-9a-fA-F]+)\  ]]; then
			printf '0x%x' "$((16#${BASH_REMATCH[1]}))"
			return 0
		fi
	done <"$1"
}
