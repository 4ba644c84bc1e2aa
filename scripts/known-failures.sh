#!/bin/bash
# SPDX-License-Identifier: MIT
#
# known-failures.txt: checks that fail because of a known VMM bug. One entry a line:
#   vmm | accel | version-glob | host | test-glob | check-glob | reason
# Every field is required ("*" matches anything). The runner selects the entries matching
# the VMM, accelerator, VMM version and test name and hands each check-glob to the guest as
# KNOWN_FAIL_<n>; the guest turns matching failures into XFAIL and matching passes into
# XPASS. Nothing here decides a verdict. Sourced, never executed.
# shellcheck disable=SC2034 # globals set here are read by the files sourcing this one

declare -a KF_VMM=() KF_ACCEL=() KF_VERSION=() KF_HOST=() KF_TEST=() KF_CHECK=() KF_REASON=()
KF_SHOWN=""

# kf_trim VAR: strip leading and trailing white space from the named variable.
kf_trim()
{
	local -n kt_v=$1

	kt_v=${kt_v#"${kt_v%%[![:space:]]*}"}
	kt_v=${kt_v%"${kt_v##*[![:space:]]}"}
}

# kf_parse FILE: load the entries; a missing file means no entries. Non-zero after printing
# "<file>:<line>: <what is wrong>" for each bad line.
kf_parse()
{
	local file=$1 line lineno=0 errors=0 name found pipes msg
	local vmm accel version host test check reason
	local -a f

	KF_SHOWN=${file#"$PWD"/}
	KF_VMM=() KF_ACCEL=() KF_VERSION=() KF_HOST=() KF_TEST=() KF_CHECK=() KF_REASON=()
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
		msg=""
		if [[ -z $vmm || -z $accel || -z $version || -z $host || -z $test ||
			-z $check ]]; then
			msg="empty field (use * to match anything)"
		elif [[ -z $reason ]]; then
			msg="the reason is empty: say which VMM bug this is"
		else
			found=0
			for name in $CFG_VMMS; do
				# shellcheck disable=SC2053 # the field is a glob
				[[ $name == $vmm ]] && found=1
			done
			((found)) || msg="vmm '$vmm' matches none of: $CFG_VMMS"
			found=0
			for name in "${CFG_NAMES[@]}"; do
				# shellcheck disable=SC2053 # the field is a glob
				[[ $name == $test ]] && found=1 && break
			done
			((found)) || msg="test '$test' matches no stanza of the catalogue"
		fi
		if [[ -n $msg ]]; then
			printf '%s:%s: %s\n' "$KF_SHOWN" "$lineno" "$msg" >&2
			errors=$((errors + 1))
			continue
		fi
		KF_VMM+=("$vmm") KF_ACCEL+=("$accel") KF_VERSION+=("$version") KF_HOST+=("$host")
		KF_TEST+=("$test") KF_CHECK+=("$check") KF_REASON+=("$reason")
	done <"$file"
	((errors == 0))
}

# kf_select ARRAY VMM ACCEL VERSION TEST: set ARRAY to the check-globs of matching entries.
# Host conditions are not evaluated yet: only entries for any host ("*") are selected.
kf_select()
{
	local -n ks_out=$1
	local i

	ks_out=()
	for i in "${!KF_CHECK[@]}"; do
		# shellcheck disable=SC2053 # the fields are globs
		[[ $2 == ${KF_VMM[i]} && $3 == ${KF_ACCEL[i]} && $4 == ${KF_VERSION[i]} &&
			$5 == ${KF_TEST[i]} && ${KF_HOST[i]} == "*" ]] && ks_out+=("${KF_CHECK[i]}")
	done
	return 0
}
