#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Bochs backend of the runner (--vmm bochs, x86 only); the same functions as
# scripts/vmm-qemu.sh, which lists them. A test boots through scripts/bochs-boot.sh
# (hvprobe's own disk loader, docs/bochs.md): it prints the guest's COM1 output on stdout and
# Bochs' errors on stderr, each line starting "bochs: ", and exits 0 when Bochs ran (Bochs
# itself always exits 1), 124 when its own timeout stopped Bochs, 1 when Bochs did not reach
# the loader, 2 on a usage or setup error. Bochs emulates every instruction: its only
# accelerator is "none". The stanza's cpu key is the Bochs CPU model; bochs_params are
# extra bochs-boot.sh options, appended last so that they win (--mem 512, --ips N).
# Sourced, never executed.
# shellcheck disable=SC2034 # globals set here are read by the files sourcing this one

BOCHS_DEFAULT_CPU=corei7_skylake_x
BOCHS_PACKAGES="bochs bochs-term bochsbios vgabios"

# bochs_version BIN: the version in the banner Bochs prints when it starts ("Bochs x86
# Emulator 2.7"); without a configuration file and with stdin at its end it quits at once.
bochs_version()
{
	local line

	while IFS= read -r line; do
		if [[ $line =~ Bochs\ x86\ Emulator\ ([0-9][^[:space:]]*) ]]; then
			printf '%s' "${BASH_REMATCH[1]}"
			return 0
		fi
	done < <(cd "${TMPDIR:-/tmp}" && timeout 10 "$1" -n </dev/null 2>&1)
	printf 'unknown'
}

vmm_bochs_init()
{
	VMM_NAME=Bochs
	VMM_BIN=${BOCHS:-bochs}
	VMM_VERSION=unknown
	VMM_MISSING=""
	VMM_ACCELS=none
	VMM_DEFAULT_ACCEL=none
	BOCHS_BOOT=$SRCDIR/scripts/bochs-boot.sh
	if [[ $ARCH != @(x86_64|i386) ]]; then
		VMM_MISSING="Bochs runs x86 guests only, this build is $ARCH"
	elif ! command -v "$VMM_BIN" >/dev/null 2>&1; then
		VMM_MISSING="$VMM_BIN not found (apt-get install $BOCHS_PACKAGES)"
	elif [[ ! -r $BOCHS_BOOT ]]; then
		VMM_MISSING="$BOCHS_BOOT is missing"
	else
		VMM_VERSION=$(bochs_version "$VMM_BIN")
	fi
	return 0
}

vmm_bochs_accel_problem()
{
	[[ $1 == none ]] || printf 'Bochs has no accelerator %s (only none)' "$1"
}

vmm_bochs_machine_problem()
{
	[[ -z $1 || $1 == pc ]] || printf 'Bochs emulates an i440FX PC (pc), not %s' "$1"
}

# vmm_bochs_command ARRAY: from T_IMAGE T_SMP T_CPU T_ARGS T_ENVFILE T_TIMEOUT and the array
# T_PARAMS (the stanza's bochs_params). The runner's timeout stops the run; bochs-boot.sh's
# own, later, is only a backstop.
vmm_bochs_command()
{
	local -n bc_cmd=$1
	local backstop=0

	((T_TIMEOUT > 0)) && backstop=$((T_TIMEOUT + 30))
	bc_cmd=(bash "$BOCHS_BOOT" --elf "$T_IMAGE" --smp "$T_SMP"
		--cpu "${T_CPU:-$BOCHS_DEFAULT_CPU}" --mem 256 --args "$T_ARGS" --env "$T_ENVFILE"
		--timeout "$backstop" --bochs "$VMM_BIN" "${T_PARAMS[@]}")
}

# The guest's "Shutdown" to port 0x8900 ends Bochs, and bochs-boot.sh then exits 0.
vmm_bochs_exit_code()
{
	printf '0'
}

# bochs_first_error ERRFILE PATTERN: the first stderr line matching the glob PATTERN, without
# bochs-boot.sh's "bochs: " prefix and Bochs' "<ticks>p[CPU0  ] " tag.
bochs_first_error()
{
	local line

	while IFS= read -r line; do
		# shellcheck disable=SC2053 # PATTERN is a glob
		[[ $line == $2 ]] || continue
		line=${line#bochs: }
		[[ $line =~ ^[0-9]+[a-z]\[[^]]*\]\ *(.*)$ ]] && line=${BASH_REMATCH[1]}
		printf '%s' "${line#>>PANIC<< }"
		return 0
	done <"$1"
	return 1
}

# vmm_bochs_noexit_reason RC NLINES ERRFILE: with reset_on_triple_fault=0 a triple fault is
# a Bochs panic, "exception(): 3rd (13) exception with no resolution".
vmm_bochs_noexit_reason()
{
	local rc=$1 errfile=$3 text

	[[ -r $errfile ]] || return 0
	if ((rc == 0)); then
		if text=$(bochs_first_error "$errfile" '*3rd (*) exception with no resolution*')
		then
			printf 'triple fault (Bochs: %s)' "$text"
		elif text=$(bochs_first_error "$errfile" 'bochs: [0-9]*p\[*'); then
			printf 'Bochs panic: %s' "$text"
		else
			printf 'Bochs stopped (shutdown or reset)'
		fi
	elif ((rc == 124)); then
		printf 'timeout (bochs-boot.sh stopped Bochs)'
	elif ((rc == 1 || rc == 2)) && text=$(bochs_first_error "$errfile" '*[![:space:]]*'); then
		printf 'Bochs error: %s' "$text"
	fi
}

# bochs-boot.sh exits 0 when Bochs stopped; a shutdown or reset is a stop without a panic.
vmm_bochs_vm_ended()
{
	[[ $(vmm_bochs_noexit_reason "$1" 0 "$2") == "Bochs stopped"* ]]
}

vmm_bochs_hang_reason()
{
	:
}

# Bochs' panic lines hold no instruction pointer (its log has one, not kept).
vmm_bochs_stop_ip()
{
	:
}
