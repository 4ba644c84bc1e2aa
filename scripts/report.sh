#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Output of the runner. Only the main process prints, one whole record at a time, so
# parallel runs never interleave lines. Formats: plain (kvm-unit-tests' verdict lines) and
# tap (TAP version 13); a JUnit XML file may be written besides (scripts/junit.sh). On a
# terminal, plain output keeps a live progress line under the verdicts. Sourced, never
# executed.
#
#   report_begin TOTAL                                 before the first result
#   report_running NAME...                             the tests running now (progress line)
#   report_result NAME STATUS DETAIL COMMAND SECONDS   one test finished (PASS FAIL SKIP)
#   report_end                                         after the last; prints the totals
# shellcheck disable=SC2034 # globals set here are read by the files sourcing this one

REPORT_FORMAT=plain
REPORT_VERBOSE=0
REPORT_JUNIT=""
REPORT_N=0 REPORT_TOTAL=0 REPORT_PASSED=0 REPORT_FAILED=0 REPORT_SKIPPED=0
REPORT_TTY=0

report_begin()
{
	REPORT_N=0 REPORT_TOTAL=$1 REPORT_PASSED=0 REPORT_FAILED=0 REPORT_SKIPPED=0
	if [[ $REPORT_FORMAT == plain && -t 1 && -z ${NO_COLOR-} && ${TERM-dumb} != dumb ]]; then
		REPORT_TTY=1
	fi
	if [[ $REPORT_FORMAT == tap ]]; then
		printf 'TAP version 13\n1..%s\n' "$1"
	fi
	[[ -n $REPORT_JUNIT ]] && junit_begin
	return 0
}

# report_running NAME...: redraw the progress line (terminals only).
report_running()
{
	local line

	((REPORT_TTY && $# > 0)) || return 0
	line="[$REPORT_N/$REPORT_TOTAL] $REPORT_PASSED passed, $REPORT_FAILED failed"
	line+=", $REPORT_SKIPPED skipped; running: $*"
	printf '\r\e[K%s' "${line:0:$((${COLUMNS:-80} - 1))}"
}

# report_tap_reason TEXT: TEXT made safe after a TAP "#" (a leading skip/todo would turn a
# failure into a directive).
report_tap_reason()
{
	local r=$1

	[[ ${r,,} == @(skip|todo)* ]] && r="reason: $r"
	printf '%s' "$r"
}

report_result()
{
	local name=$1 status=$2 detail=$3 cmd=$4 secs=$5 out="" word=$2

	REPORT_N=$((REPORT_N + 1))
	case $status in
	PASS) REPORT_PASSED=$((REPORT_PASSED + 1)) ;;
	SKIP) REPORT_SKIPPED=$((REPORT_SKIPPED + 1)) ;;
	*) REPORT_FAILED=$((REPORT_FAILED + 1)) ;;
	esac
	[[ -n $REPORT_JUNIT ]] && junit_case "$name" "$status" "$detail" "$secs"
	if [[ $REPORT_FORMAT == tap ]]; then
		((REPORT_VERBOSE)) && [[ -n $cmd ]] && out+="# $cmd"$'\n'
		case $status in
		PASS) out+="ok $REPORT_N - $name" ;;
		SKIP) out+="ok $REPORT_N - $name # SKIP $detail" ;;
		*) out+="not ok $REPORT_N - $name # $(report_tap_reason "$detail")" ;;
		esac
	else
		((REPORT_TTY)) && out+=$'\r\e[K'
		((REPORT_VERBOSE)) && [[ -n $cmd ]] && out+="$cmd"$'\n'
		if ((REPORT_TTY)); then
			case $status in
			PASS) word=$'\e[32mPASS\e[0m' ;;
			SKIP) word=$'\e[33mSKIP\e[0m' ;;
			*) word=$'\e[31mFAIL\e[0m' ;;
			esac
		fi
		out+="$word $name${detail:+ ($detail)}"
	fi
	printf '%s\n' "$out"
}

report_end()
{
	local totals="$REPORT_PASSED passed, $REPORT_FAILED failed, $REPORT_SKIPPED skipped"

	((REPORT_TTY)) && printf '\r\e[K'
	[[ -n $REPORT_JUNIT ]] && junit_end
	if [[ $REPORT_FORMAT == tap ]]; then
		printf '# %s\n' "$totals"
	else
		printf '%s\n' "$totals"
	fi
}
