#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Turns one run into a verdict (result protocol: docs/runner.md, DESIGN.md §2). The guest's
# last "EXIT: STATUS=<code>" line decides: 0 is PASS, 77 is SKIP, anything else is FAIL. The
# VMM's exit code only cross-checks it; without an EXIT line the run is a FAIL and the VMM
# backend, the timeout and the exit code only name what happened. Sourced, never executed.
# shellcheck disable=SC2034 # globals set here are read by the files sourcing this one

# verdict_scan LOG: read the guest output (LOG from its second line) into the V_* variables.
verdict_scan()
{
	local key value

	V_EXIT="" V_SUMMARY="" V_TESTS=0 V_UNEXPECTED=0 V_SKIPLINE="" V_FIRSTFAIL=""
	V_NFAIL=0 V_NLINES=0 V_LAST=""
	while IFS='=' read -r key value; do
		case $key in
		exit) V_EXIT=$value ;;
		summary) V_SUMMARY=$value ;;
		tests) V_TESTS=$value ;;
		unexpected) V_UNEXPECTED=$value ;;
		skip) V_SKIPLINE=$value ;;
		firstfail) V_FIRSTFAIL=$value ;;
		nfail) V_NFAIL=$value ;;
		nlines) V_NLINES=$value ;;
		last) V_LAST=$value ;;
		esac
	done < <(awk '
		function cut(s) { return length(s) > 160 ? substr(s, 1, 157) "..." : s }
		NR == 1 { next }
		{ sub(/\r+$/, ""); gsub(/\r/, "") }
		/^EXIT: STATUS=-?[0-9]+[[:space:]]*$/ {
			ex = $0; sub(/^EXIT: STATUS=/, "", ex); sub(/[[:space:]]+$/, "", ex)
		}
		/^SUMMARY: / {
			sum = substr($0, 10); tests = 0; unexp = 0
			n = split(sum, part, /, */)
			for (i = 1; i <= n; i++) {
				if (part[i] ~ /^[0-9]+ tests?$/) tests = part[i] + 0
				if (part[i] ~ /^[0-9]+ unexpected failures?$/) unexp = part[i] + 0
			}
		}
		/^SKIP: / { skip = substr($0, 7) }
		/^(FAIL|XPASS): / { nfail++; if (first == "") first = $0 }
		/[^[:space:]]/ { nlines++; l1 = l2; l2 = l3; l3 = cut($0) }
		END {
			print "exit=" ex; print "summary=" sum; print "tests=" tests + 0
			print "unexpected=" unexp + 0; print "skip=" skip
			print "firstfail=" cut(first)
			print "nfail=" nfail + 0; print "nlines=" nlines + 0
			last = l3
			if (l2 != "") last = l2 " | " last
			if (l1 != "") last = l1 " | " last
			print "last=" last
		}' "$1")
}

# verdict_last_output: the ending of a reason for a run without an EXIT line.
verdict_last_output()
{
	if [[ -n $V_LAST ]]; then
		printf '; last output: %s' "$V_LAST"
	else
		printf '; no guest output'
	fi
}

# verdict_decide LOG RC TIMED_OUT TIMEOUT ERRFILE: set R_STATUS (PASS/FAIL/SKIP) and R_DETAIL.
verdict_decide()
{
	local log=$1 rc=$2 timed_out=$3 timeout=$4 errfile=$5 expect why

	verdict_scan "$log"
	if ((timed_out)); then
		R_STATUS=FAIL
		why=$(vmm_call hang_reason "$errfile")
		if [[ -n $V_EXIT ]]; then
			R_DETAIL="timeout after ${timeout}s: the guest printed EXIT: STATUS=$V_EXIT"
			R_DETAIL+=" but $VMM_NAME did not exit"
		elif [[ -n $why ]]; then
			R_DETAIL="$why, killed after ${timeout}s$(verdict_last_output)"
		else
			R_DETAIL="timeout after ${timeout}s$(verdict_last_output)"
		fi
		return
	fi
	if [[ -z $V_EXIT ]]; then
		R_STATUS=FAIL
		why=$(vmm_call noexit_reason "$rc" "$V_NLINES" "$errfile")
		if [[ $why == "QEMU error: "* ]]; then
			R_DETAIL=$why
			return
		elif [[ -n $why ]]; then
			R_DETAIL=$why
		elif ((rc > 128)); then
			why=$(kill -l $((rc - 128)) 2>/dev/null) || why='?'
			R_DETAIL="killed by signal $((rc - 128)) ($why)"
		else
			R_DETAIL="crash ($VMM_NAME exited $rc)"
		fi
		R_DETAIL+=$(verdict_last_output)
		return
	fi
	expect=$(vmm_call exit_code "$V_EXIT")
	if [[ $rc != "$expect" ]]; then
		R_STATUS=FAIL
		R_DETAIL="the guest printed EXIT: STATUS=$V_EXIT"
		R_DETAIL+=" but $VMM_NAME exited $rc, not $expect"
		return
	fi
	case $V_EXIT in
	0)
		if [[ -z $V_SUMMARY || $V_TESTS -eq 0 ]]; then
			R_STATUS=FAIL R_DETAIL="no checks reported"
		elif ((V_UNEXPECTED > 0 || V_NFAIL > 0)); then
			R_STATUS=FAIL
			R_DETAIL="EXIT: STATUS=0 contradicts $V_SUMMARY"
			R_DETAIL+="; ${V_FIRSTFAIL:-no FAIL line}"
		else
			R_STATUS=PASS R_DETAIL=$V_SUMMARY
		fi
		;;
	77)
		R_STATUS=SKIP R_DETAIL=${V_SKIPLINE:-"the guest skipped every check"}
		;;
	*)
		R_STATUS=FAIL
		R_DETAIL=${V_SUMMARY:-"EXIT: STATUS=$V_EXIT"}
		[[ -n $V_FIRSTFAIL ]] && R_DETAIL+="; $V_FIRSTFAIL"
		[[ -z $V_SUMMARY && -z $V_FIRSTFAIL ]] && R_DETAIL+=$(verdict_last_output)
		;;
	esac
}
