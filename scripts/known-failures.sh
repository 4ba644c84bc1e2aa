#!/bin/bash
# SPDX-License-Identifier: MIT
#
# known-failures.txt: checks that fail because of a known VMM bug (format:
# docs/known-failures.md). One entry a line:
#   vmm | accel | version-glob | host | test-glob | check | reason
# host is "*" or host conditions (scripts/hostcpu.sh), check is "crash:<subtest-glob>" or
# "[many:]<check-glob>[ => <got-glob>]". The runner selects the entries matching the VMM,
# accelerator, VMM version, host and test name and writes them into the guest's
# environment (KNOWN_FAIL_<n> or KNOWN_CRASH_<n>, KNOWN_AT_<n>, KNOWN_GOT_<n>); the guest
# turns matching failures into XFAIL and matching passes into XPASS. Nothing here decides a
# verdict. Sourced, never executed.
# shellcheck disable=SC2034 # globals set here are read by the files sourcing this one

# One array per field, then what the check field says: KF_KIND (crash or fail), KF_GLOB
# (the glob the guest gets), KF_MANY (1 for many:), KF_GOT (the pinned got-glob or empty).
KF_ARRAYS="KF_VMM KF_ACCEL KF_VERSION KF_HOST KF_TEST KF_CHECK KF_REASON KF_LINE KF_KIND
	KF_GLOB KF_MANY KF_GOT"
declare -a KF_VMM=() KF_ACCEL=() KF_VERSION=() KF_HOST=() KF_TEST=() KF_CHECK=() KF_REASON=()
declare -a KF_LINE=() KF_KIND=() KF_GLOB=() KF_MANY=() KF_GOT=()
KF_SHOWN="" KF_NAME=known-failures.txt
# The word prefixes of host conditions, and the instructions scripts/hostcpu-probe.c tries.
KF_HOST_PREFIXES="vendor family model exec xcr0"
KF_HOST_INSNS="sse4a rdtscp rdpid serialize rdpru fma4 rdpkru movdiri lzcnt"

# kf_trim VAR: strip leading and trailing white space from the named variable.
kf_trim()
{
	local -n kt_v=$1

	kt_v=${kt_v#"${kt_v%%[![:space:]]*}"}
	kt_v=${kt_v%"${kt_v##*[![:space:]]}"}
}

# kf_cond_error COND: set KE_MSG to what is wrong with one host condition (or to nothing).
kf_cond_error()
{
	local cond=$1 glob=${1#!} prefix value insn

	KE_MSG="host condition '$cond'"
	if [[ $cond == "*" ]]; then
		KE_MSG='host "*" (any host) stands alone, not among conditions'
	elif [[ -z $glob || ! $glob =~ ^[][A-Za-z0-9_.:*?!^-]+$ ]]; then
		KE_MSG+=" is not a glob of a host word"
	elif [[ $glob != *:* ]]; then
		[[ $glob =~ ^[][a-z0-9_*?!^-]+$ ]] && KE_MSG="" && return
		KE_MSG+=": /proc/cpuinfo flags are lowercase"
	else
		prefix=${glob%%:*} value=${glob#*:}
		if ! in_words "$prefix" "$KF_HOST_PREFIXES"; then
			KE_MSG+=": unknown word prefix '$prefix:' (known: $KF_HOST_PREFIXES)"
		elif [[ -z $value ]]; then
			KE_MSG+=" has nothing after '$prefix:'"
		elif [[ $prefix == @(family|model|xcr0) && ! $value =~ ^0x[][0-9a-f*?!^-]+$ ]]; then
			KE_MSG+=": $prefix is lowercase hex, 0x..."
		elif [[ $prefix == exec ]]; then
			for insn in $KF_HOST_INSNS; do
				# shellcheck disable=SC2053 # the value is a glob
				[[ $insn == $value ]] && KE_MSG="" && return
			done
			KE_MSG+=" matches no probed instruction ($KF_HOST_INSNS)"
		else
			KE_MSG=""
		fi
	fi
}

# kf_host_error HOST: set KE_MSG to what is wrong with a host field (empty if it is right).
kf_host_error()
{
	local cond
	local -a conds

	KE_MSG=""
	[[ $1 == "*" ]] && return 0
	read -r -a conds <<<"$1"
	for cond in "${conds[@]}"; do
		kf_cond_error "$cond"
		[[ -n $KE_MSG ]] && return 0
	done
	return 0
}

# kf_check_split CHECK: set KC_KIND KC_GLOB KC_MANY KC_GOT from a check field, or KC_ERROR.
kf_check_split()
{
	local rest=$1

	KC_KIND=fail KC_GLOB="" KC_MANY=0 KC_GOT="" KC_ERROR=""
	if [[ $rest == crash:* ]]; then
		KC_KIND=crash KC_GLOB=${rest#crash:}
		kf_trim KC_GLOB
		if [[ -z $KC_GLOB ]]; then
			KC_ERROR="crash: needs a subtest glob"
		elif [[ $KC_GLOB == *" => "* || $KC_GLOB == many:* ]]; then
			KC_ERROR="crash: takes a subtest glob only (no many:, no => got)"
		fi
		return 0
	fi
	if [[ $rest == many:* ]]; then
		KC_MANY=1 rest=${rest#many:}
	fi
	if [[ $rest == *" => "* ]]; then
		KC_GOT=${rest#* => } rest=${rest%% => *}
		kf_trim KC_GOT
	fi
	KC_GLOB=$rest
	kf_trim KC_GLOB
	if [[ -z $KC_GLOB ]]; then
		KC_ERROR="empty check-glob"
	elif [[ $KC_GLOB == @(many:|crash:)* ]]; then
		KC_ERROR="many: and crash: do not combine (crash: covers whole subtests)"
	elif [[ $1 == *" => "* && -z $KC_GOT || $1 == *" =>" ]]; then
		KC_ERROR="' => ' needs the glob of the observed (got) value after it"
	elif [[ $KC_GOT == *" => "* ]]; then
		KC_ERROR="more than one ' => ' in the check field"
	fi
	return 0
}

# kf_entry_error: set KE_MSG to what is wrong with one entry (the locals of kf_parse).
kf_entry_error()
{
	local name found=0

	KE_MSG=""
	if [[ -z $vmm || -z $accel || -z $version || -z $host || -z $test || -z $check ]]; then
		printf -v KE_MSG 'empty field (use * to match anything)'
		return
	fi
	if [[ -z $reason ]]; then
		printf -v KE_MSG 'the reason is empty: say which VMM bug this is'
		return
	fi
	for name in $CFG_VMMS; do
		# shellcheck disable=SC2053 # the field is a glob
		[[ $name == $vmm ]] && found=1
	done
	if ((!found)); then
		printf -v KE_MSG "vmm '%s' matches none of: %s" "$vmm" "$CFG_VMMS"
		return
	fi
	found=0
	for name in "${CFG_NAMES[@]}"; do
		# shellcheck disable=SC2053 # the field is a glob
		[[ $name == $test ]] && found=1 && break
	done
	if ((!found)); then
		printf -v KE_MSG "test '%s' matches no stanza of the catalogue" "$test"
		return
	fi
	kf_host_error "$host"
	[[ -n $KE_MSG ]] && return
	kf_check_split "$check"
	KE_MSG=$KC_ERROR
}

# kf_parse FILE: load the entries; a missing file means no entries. Non-zero after printing
# "<file>:<line>: <what is wrong>" for each bad line.
kf_parse()
{
	local file=$1 line lineno=0 errors=0 name pipes msg
	local vmm accel version host test check reason
	local -a f

	KF_SHOWN=${file#"$PWD"/} KF_NAME=${file##*/}
	for name in $KF_ARRAYS; do
		eval "$name=()"
	done
	[[ -e $file ]] || return 0
	while IFS= read -r line || [[ -n $line ]]; do
		lineno=$((lineno + 1))
		line=${line%$'\r'}
		[[ $line =~ ^[[:space:]]*(#.*)?$ ]] && continue
		pipes=${line//[^|]/}
		if ((${#pipes} < 6)); then
			msg='expected 7 fields'
			msg+=' "vmm | accel | version | host | test | check | reason"'
			printf '%s:%s: %s, found %s\n' "$KF_SHOWN" "$lineno" "$msg" \
				"$((${#pipes} + 1))" >&2
			errors=$((errors + 1))
			continue
		fi
		IFS='|' read -r -a f <<<"$line"
		vmm=${f[0]} accel=${f[1]} version=${f[2]} host=${f[3]} test=${f[4]} check=${f[5]}
		reason=${line#*|*|*|*|*|*|}
		for name in vmm accel version host test check reason; do
			kf_trim "$name"
		done
		kf_entry_error
		if [[ -n $KE_MSG ]]; then
			printf '%s:%s: %s\n' "$KF_SHOWN" "$lineno" "$KE_MSG" >&2
			errors=$((errors + 1))
			continue
		fi
		kf_check_split "$check"
		KF_VMM+=("$vmm") KF_ACCEL+=("$accel") KF_VERSION+=("$version") KF_HOST+=("$host")
		KF_TEST+=("$test") KF_CHECK+=("$check") KF_REASON+=("$reason") KF_LINE+=("$lineno")
		KF_KIND+=("$KC_KIND") KF_GLOB+=("$KC_GLOB") KF_MANY+=("$KC_MANY")
		KF_GOT+=("$KC_GOT")
	done <"$file"
	((errors == 0))
}

# kf_version ACCEL: the version entries are matched against under ACCEL: the host kernel's
# release under KVM (the implementation under test), else the VMM's own.
kf_version()
{
	if [[ $1 == kvm ]]; then
		uname -r
	else
		printf '%s' "$VMM_VERSION"
	fi
}

# kf_select ARRAY VMM ACCEL VERSION TEST: set ARRAY to the indices of the matching entries.
# Host conditions are evaluated (scripts/hostcpu.sh) only for entries matching the rest.
kf_select()
{
	local -n ks_out=$1
	local i

	ks_out=()
	for i in "${!KF_CHECK[@]}"; do
		# shellcheck disable=SC2053 # the fields are globs
		[[ $2 == ${KF_VMM[i]} && $3 == ${KF_ACCEL[i]} && $4 == ${KF_VERSION[i]} &&
			$5 == ${KF_TEST[i]} ]] || continue
		host_matches "${KF_HOST[i]}" && ks_out+=("$i")
	done
	return 0
}

# kf_host_needed VMM ACCEL TEST: true if an entry with host conditions applies to a run of
# TEST under VMM and ACCEL but for the host (so the host description is worth making).
kf_host_needed()
{
	local version i

	version=$(kf_version "$2")
	for i in "${!KF_CHECK[@]}"; do
		[[ ${KF_HOST[i]} == "*" ]] && continue
		# shellcheck disable=SC2053 # the fields are globs
		[[ $1 == ${KF_VMM[i]} && $2 == ${KF_ACCEL[i]} && $version == ${KF_VERSION[i]} &&
			$3 == ${KF_TEST[i]} ]] && return 0
	done
	return 1
}

# kf_env VMM ACCEL TEST [LINE]: print the guest's KNOWN_* environment lines for test TEST
# (docs/known-failures.md), leaving out the entry of known-failures.txt line LINE.
kf_env()
{
	local i n=0
	local -a sel

	kf_select sel "$1" "$2" "$(kf_version "$2")" "$3"
	for i in "${sel[@]}"; do
		[[ ${KF_LINE[i]} == "${4-}" ]] && continue
		if [[ ${KF_KIND[i]} == crash ]]; then
			printf 'KNOWN_CRASH_%s=%s\n' "$n" "${KF_GLOB[i]}"
		else
			printf 'KNOWN_FAIL_%s=%s\n' "$n" "${KF_GLOB[i]}"
		fi
		printf 'KNOWN_AT_%s=%s:%s\n' "$n" "$KF_NAME" "${KF_LINE[i]}"
		[[ -n ${KF_GOT[i]} ]] && printf 'KNOWN_GOT_%s=%s\n' "$n" "${KF_GOT[i]}"
		n=$((n + 1))
	done
	return 0
}
