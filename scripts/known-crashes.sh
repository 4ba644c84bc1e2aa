#!/bin/bash
# SPDX-License-Identifier: MIT
#
# ./run_tests.sh --known-crashes: re-checks the "crash:<subtest-glob>" entries of
# known-failures.txt, which a normal run never runs. For each selected stanza and each crash
# entry selected for it (VMM, accelerator, version, host), one job "<stanza>.crash<line>"
# runs the stanza's image with the subtest glob added to its arguments (the image's subtest
# selection, lib/subtest.c), without that entry in the environment, under a short timeout.
# Its verdict line:
#   PASS <stanza>.crash<line> (still crashes: <what happened>; ...)
#   FAIL <stanza>.crash<line> (XPASS: ... no longer crashes ...)       the VMM was fixed
#   FAIL <stanza>.crash<line> (crash: covers checks that do not crash: <first check line> ...)
# A glob naming several subtests runs them in one VM (the first crash ends it). Sourced by
# run_tests.sh, never executed.
# shellcheck disable=SC2034 # globals set here are read by the files sourcing this one

# A subtest alone boots and ends in a few seconds on every VMM here (whole images end within
# their stanzas' timeouts, 90 s by default, on two loaded cores); a VM that KVM stopped
# ("KVM internal error") or that hangs never ends by itself, so the timeout is what detects
# those crashes. 30 s bounds the wait with a wide margin; a shorter stanza timeout wins.
KC_TIMEOUT=30
declare -a KC_JOBS=()

# kc_jobs: set KC_JOBS to the known-crash jobs of the selected stanzas, in catalogue order.
kc_jobs()
{
	local name accel i
	local -a sel

	KC_JOBS=()
	for name in "${SELECTED[@]}"; do
		accel=${CFG["$name/accel"]:-$ACCEL}
		kf_select sel "$VMM" "$accel" "$(kf_version "$accel")" "$name"
		for i in "${sel[@]}"; do
			[[ ${KF_KIND[i]} == crash ]] && KC_JOBS+=("$name.crash${KF_LINE[i]}")
		done
	done
	return 0
}

# kc_entry LINE: the index of the known-failures entry of that line.
kc_entry()
{
	local i

	for i in "${!KF_LINE[@]}"; do
		[[ ${KF_LINE[i]} == "$1" ]] && printf '%s' "$i" && return 0
	done
	return 1
}

# kc_run JOB DIR: run the known-crash job JOB in its private directory DIR (run_test); write
# its verdict to the record DIR/result.
kc_run()
{
	local job=$1 result=$2/result name=${1%.crash*} line=${1##*.crash} i at glob status detail
	local cmd secs what

	i=$(kc_entry "$line") || die "no known-failures entry at line $line"
	glob=${KF_GLOB[i]} at="$KF_NAME:$line"
	RUN_JOB=$job RUN_ARG=$glob RUN_KF_LINE=$line RUN_TIMEOUT_MAX=$KC_TIMEOUT
	V_EXIT="" V_FIRSTCHECK="" V_STARTED=""
	run_test "$name" "$2"
	{ IFS= read -r status && IFS= read -r detail && IFS= read -r cmd && IFS= read -r secs; } \
		<"$result" || return 0
	[[ $status == @(SKIP|STOPPED) ]] && return 0
	what=$detail status=FAIL
	if [[ -n $V_EXIT ]]; then
		detail="XPASS: crash:$glob no longer crashes $VMM_NAME ($what);"
		detail+=" remove or narrow $at"
	elif [[ $what == "$VMM_NAME error: "* ]]; then
		detail="the subtest was not reached: $what ($at)"
	elif [[ -z $V_STARTED ]]; then
		detail="the subtest was not reached: no 'INFO: subtest ... starts' line"
		detail+=" ($what) ($at)"
	elif [[ -n $V_FIRSTCHECK ]]; then
		detail="crash:$glob covers checks that do not crash: '$V_FIRSTCHECK' came before"
		detail+=" the crash ($what); split the subtest ($at)"
	else
		status=PASS detail="still crashes: $what; $at crash:$glob"
	fi
	printf '%s\n%s\n%s\n%s\n' "$status" "$detail" "$cmd" "$secs" >"$result"
}
