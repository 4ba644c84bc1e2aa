#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Output of the runner. Only the main process prints, one whole record at a time, so
# parallel runs never interleave lines. Formats: plain (kvm-unit-tests' verdict lines) and
# tap (TAP version 13); a JUnit XML file may be written besides (scripts/junit.sh). Reasons
# arrive made visible (no control byte from a guest reaches the terminal). On a terminal,
# plain output keeps a live progress line under the verdicts; it is a line of its own in
# the byte stream too: erased, then ended by a newline after moving the cursor up, before
# anything else prints, so a verdict never shares a line with it. Sourced, never executed.
#
#   report_begin TOTAL                                   before the first result
#   report_running NAME...                               the tests running now (progress)
#   report_result NAME STATUS DETAIL COMMAND SECONDS [LOG]   one test finished (PASS FAIL
#                                                        SKIP); LOG is its log, for JUnit
#   report_end                                           after the last; prints the totals
#   report_interrupted MESSAGE                           the run was stopped by a signal
# shellcheck disable=SC2034 # globals set here are read by the files sourcing this one

REPORT_FORMAT=plain
REPORT_VERBOSE=0
REPORT_JUNIT=""
REPORT_N=0 REPORT_TOTAL=0 REPORT_PASSED=0 REPORT_FAILED=0 REPORT_SKIPPED=0
REPORT_TTY=0 REPORT_PROGRESS=0

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

# report_erase: remove the progress line, if one is shown: erase it, cursor up to the line
# above, newline back down, so that what follows starts a line of its own.
report_erase()
{
	((REPORT_PROGRESS)) || return 0
	REPORT_PROGRESS=0
	printf '\r\e[K\e[A\n'
}

# report_running NAME...: redraw the progress line (terminals only).
report_running()
{
	local line

	((REPORT_TTY && $# > 0)) || return 0
	line="[$REPORT_N/$REPORT_TOTAL] $REPORT_PASSED passed, $REPORT_FAILED failed"
	line+=", $REPORT_SKIPPED skipped; running: $*"
	((REPORT_PROGRESS)) && printf '\r\e[K'
	printf '%s' "${line:0:$((${COLUMNS:-80} - 1))}"
	REPORT_PROGRESS=1
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
	[[ -n $REPORT_JUNIT ]] && junit_case "$name" "$status" "$detail" "$secs" "${6-}"
	if [[ $REPORT_FORMAT == tap ]]; then
		((REPORT_VERBOSE)) && [[ -n $cmd ]] && out+="# $cmd"$'\n'
		case $status in
		PASS) out+="ok $REPORT_N - $name" ;;
		SKIP) out+="ok $REPORT_N - $name # SKIP $detail" ;;
		*) out+="not ok $REPORT_N - $name # $(report_tap_reason "$detail")" ;;
		esac
	else
		report_erase
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

	report_erase
	[[ -n $REPORT_JUNIT ]] && junit_end
	if [[ $REPORT_FORMAT == tap ]]; then
		printf '# %s\n' "$totals"
	else
		printf '%s\n' "$totals"
	fi
}

# report_interrupted MESSAGE: the run was stopped: no totals and no JUnit file (they would
# look like a finished run); TAP gets "Bail out!".
report_interrupted()
{
	report_erase
	junit_discard
	[[ $REPORT_FORMAT == tap ]] && printf 'Bail out! %s\n' "$1"
	return 0
}
