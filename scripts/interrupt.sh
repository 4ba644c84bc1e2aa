#!/bin/bash
# SPDX-License-Identifier: MIT
#
# What a SIGINT (Ctrl-C) or a SIGTERM does to a run of run_tests.sh: its traps only set
# RUN_STOP (bash may run a trap inside "read -t", where a long handler breaks), and the
# parallel loop calls stop_all, which stops the tests still running, leaves their logs
# marked as interrupted, says in one line what was stopped and what never ran, and exits
# 130 (SIGINT) or 143 (SIGTERM). Sourced by run_tests.sh, never executed.

# names_list NAME...: "N tests (name, name, ...)", at most ten names.
names_list()
{
	local list s=s

	list=$(printf '%s, ' "${@:1:10}")
	list=${list%, }
	(($# > 10)) && list+=", ... $(($# - 10)) more"
	(($# == 1)) && s=""
	printf '%s test%s (%s)' "$#" "$s" "$list"
}

# stop_all SIGNAL: a SIGINT or SIGTERM stopped the run: every test still running gets
# SIGTERM (again every second, should one have been about to start waiting), their logs say
# they were interrupted, one line says what was stopped and what never ran; exit 128 +
# signal.
stop_all()
{
	local sig=$1 name status msg
	local -a left=("${!RUNNING[@]}") stopped=() parts=()
	local -A running=()

	trap '' INT TERM
	while ((${#left[@]})); do
		kill -TERM "${left[@]}" 2>/dev/null
		proc_wait 1 "${left[@]}" && break
		left=("${PROC_LEFT[@]}")
	done
	for name in "${RUNNING[@]}"; do
		running[$name]=1
	done
	for name in "${JOB_NAMES[@]:0:STARTED}"; do
		[[ -n ${running[$name]-} ]] || continue
		status=""
		read -r status 2>/dev/null <"$RUNDIR/$name/result"
		if [[ $status == @(PASS|FAIL|SKIP) ]]; then
			finish_one "$name"
		else
			stopped+=("$name")
			run_install "$RUNDIR/$name" "$name"
		fi
	done
	((${#stopped[@]})) && parts+=("$(names_list "${stopped[@]}") stopped while running")
	((STARTED < ${#JOB_NAMES[@]})) && parts+=("$(names_list "${JOB_NAMES[@]:STARTED}") not run")
	msg="interrupted by SIG$sig${parts[0]:+: ${parts[0]}}${parts[1]:+, ${parts[1]}}"
	report_interrupted "$msg"
	printf '%s: %s\n' "$PROG" "$msg" >&2
	[[ $sig == INT ]] && exit 130
	exit 143
}
