#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Turns one run into a verdict (result protocol: docs/result-protocol.md, docs/runner.md).
# The guest's last "EXIT: STATUS=<code>" line decides: 0 is PASS, 77 is SKIP, anything else
# is FAIL; a status the guest's own lines contradict (0 or 77 after a FAIL: line, 77 after
# a PASS: line) is a FAIL that says so. The VMM's exit code only cross-checks it; without an
# EXIT line the run is a FAIL and the VMM backend, the timeout and the exit code only name
# what happened. A guest's "ABORT: <reason>" (report_abort, assert: the environment is
# broken) makes the verdict "FAIL (abort: <reason>...)", whether an EXIT line follows or
# not. A stanza with "expect = vm_end" instead passes when the VM ends by itself right
# after the guest's line "INFO: vm-end expected: <what>" (verdict_vm_end). The facts come
# from a scan of the whole guest output (scripts/stream.sh), not from the capped log.
# Sourced, never executed.
# shellcheck disable=SC2034 # globals set here are read by the files sourcing this one

# verdict_cut TEXT: TEXT cut to 160 characters, for reasons.
verdict_cut()
{
	if ((${#1} > 160)); then
		printf '%s...' "${1:0:157}"
	else
		printf '%s' "$1"
	fi
}

# verdict_scan SCAN: load the facts stream_capture's scan (scripts/stream.sh) found in the
# whole guest output, however long and whatever the log kept of it, into the V_* variables.
verdict_scan()
{
	local key value

	V_EXIT="" V_SUMMARY="" V_TESTS=0 V_UNEXPECTED=0 V_SKIPPED=0 V_SKIPLINE="" V_VMEND=""
	V_NFAIL=0 V_FIRSTFAIL="" V_NPASS=0 V_FIRSTPASS="" V_NLINES=0 V_LASTLINE="" V_LAST=""
	V_ABORT="" V_FIRSTCHECK="" V_STARTED=""
	while IFS='=' read -r key value; do
		case $key in
		EXIT)
			[[ $value =~ ^-?[0-9]+$ ]] && V_EXIT=$value
			;;
		SUMMARY | SKIPLINE | VMEND | FIRSTFAIL | FIRSTPASS | LASTLINE | LAST | ABORT | \
			FIRSTCHECK | STARTED)
			printf -v "V_$key" '%s' "$value"
			;;
		TESTS | UNEXPECTED | SKIPPED | NFAIL | NPASS | NLINES)
			[[ $value =~ ^[0-9]{1,15}$ ]] && printf -v "V_$key" '%s' "$((10#$value))"
			;;
		esac
	done <"$1"
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

# verdict_noexit RC ERRFILE: R_DETAIL for a VMM that ended without an EXIT line.
verdict_noexit()
{
	local rc=$1 why

	vmm_get why noexit_reason "$rc" "$V_NLINES" "$2"
	if [[ $why == "$VMM_NAME error: "* || $why == "$VMM_NAME exited "* ]]; then
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
}

# verdict_timeout TIMEOUT ERRFILE: R_DETAIL for a run killed by the timeout, without the end.
verdict_timeout()
{
	local why

	vmm_get why hang_reason "$2"
	if [[ -n $why ]]; then
		R_DETAIL="$why, killed after ${1}s"
	else
		R_DETAIL="timeout after ${1}s"
	fi
}

# verdict_vm_end RC TIMED_OUT TIMEOUT ERRFILE: the verdict of a stanza with "expect = vm_end"
# (a PSCI SYSTEM_OFF or SYSTEM_RESET test): PASS iff the VMM ended by itself because the guest
# ended the VM (vmm_<vmm>_vm_ended), without an EXIT line or a FAIL:/XPASS: line, and the
# guest's last line is "INFO: vm-end expected: <what>", printed just before the call.
verdict_vm_end()
{
	local rc=$1 timed_out=$2 timeout=$3 errfile=$4 after=""
	local noline="'INFO: vm-end expected:' line"

	R_STATUS=FAIL
	[[ -n $V_VMEND ]] && after=" after '${V_VMEND#INFO: }'"
	if ((timed_out)); then
		verdict_timeout "$timeout" "$errfile"
		R_DETAIL+=": the VM did not end$(verdict_last_output)"
	elif [[ -n $V_EXIT ]]; then
		R_DETAIL="the VM did not end: the guest printed EXIT: STATUS=$V_EXIT"
		if [[ -n $after ]]; then
			R_DETAIL+=$after
		else
			R_DETAIL+=" and no $noline"
		fi
		[[ -n $V_FIRSTFAIL ]] && R_DETAIL+="; $V_FIRSTFAIL"
	elif ! vmm_call vm_ended "$rc" "$errfile"; then
		verdict_noexit "$rc" "$errfile"
	elif ((V_NFAIL > 0)); then
		R_DETAIL="the VM ended$after, but the guest reported $V_FIRSTFAIL"
	elif [[ -z $V_VMEND ]]; then
		R_DETAIL="the VM ended without an $noline$(verdict_last_output)"
	elif [[ $V_LASTLINE != "$V_VMEND" ]]; then
		R_DETAIL="the VM ended, but not right$after$(verdict_last_output)"
	else
		R_STATUS=PASS
		R_DETAIL="the VM ended as expected: ${V_VMEND#INFO: vm-end expected: }"
	fi
}

# verdict_abort RC TIMED_OUT TIMEOUT ERRFILE: the verdict of a run with an ABORT: line:
# "abort: <reason>", then what went wrong after it, if anything (no EXIT line: a hang or a
# crash while aborting; an exit code that does not go with the EXIT line).
verdict_abort()
{
	local rc=$1 abort="abort: $V_ABORT" code

	R_STATUS=FAIL
	if (($2)); then
		verdict_timeout "$3" "$4"
		R_DETAIL="$abort; then no EXIT line: $R_DETAIL$(verdict_last_output)"
	elif [[ -z $V_EXIT ]]; then
		verdict_noexit "$rc" "$4"
		R_DETAIL="$abort; then no EXIT line: $R_DETAIL"
	else
		R_DETAIL=$abort
		vmm_get code exit_code "$V_EXIT"
		[[ $rc == "$code" ]] ||
			R_DETAIL+="; the guest printed EXIT: STATUS=$V_EXIT, $VMM_NAME exited $rc"
	fi
}

# verdict_skipped: the verdict of EXIT: STATUS=77, "every check skipped": a SKIP with the
# last SKIP line, unless the output says that a check ran (a FAIL:, XPASS: or PASS: line,
# unexpected failures or fewer skips than checks in the SUMMARY).
verdict_skipped()
{
	local ran=$V_FIRSTFAIL

	[[ -n $ran ]] || ran=$V_FIRSTPASS
	if [[ -z $ran ]] && ((V_UNEXPECTED == 0)) &&
		[[ -z $V_SUMMARY || $V_SKIPPED -ge $V_TESTS ]]; then
		R_STATUS=SKIP R_DETAIL=${V_SKIPLINE:-"the guest skipped every check"}
		return
	fi
	R_STATUS=FAIL
	R_DETAIL="EXIT: STATUS=77 (every check skipped) contradicts ${V_SUMMARY:-"the output"}"
	[[ -n $ran ]] && R_DETAIL+="; $ran"
}

# verdict_failed: the verdict of any other EXIT status (1: unexpected failures, 2: aborted):
# a FAIL, whose reason names the failures, or says there was none to explain the status.
verdict_failed()
{
	R_STATUS=FAIL
	if ((V_NFAIL > 0 || V_UNEXPECTED > 0)); then
		R_DETAIL=${V_SUMMARY:-"EXIT: STATUS=$V_EXIT"}
		[[ -n $V_FIRSTFAIL ]] && R_DETAIL+="; $V_FIRSTFAIL"
		return
	fi
	R_DETAIL="EXIT: STATUS=$V_EXIT with ${V_SUMMARY:+"$V_SUMMARY and "}no FAIL: or XPASS: line"
	R_DETAIL+=$(verdict_last_output)
}

# verdict_decide SCAN RC TIMED_OUT TIMEOUT ERRFILE [EXPECT]: set R_STATUS (PASS/FAIL/SKIP) and
# R_DETAIL. EXPECT is the stanza's expect key (vm_end, or empty for the EXIT line protocol).
verdict_decide()
{
	local scan=$1 rc=$2 timed_out=$3 timeout=$4 errfile=$5 outcome=${6-} code

	verdict_scan "$scan"
	# A guest that does not make the call (the function is absent) skips the usual way.
	if [[ $outcome == vm_end && ! ($V_EXIT == 77 && -z $V_VMEND) ]]; then
		verdict_vm_end "$rc" "$timed_out" "$timeout" "$errfile"
		return
	fi
	if [[ -n $V_ABORT ]]; then
		verdict_abort "$rc" "$timed_out" "$timeout" "$errfile"
		return
	fi
	if ((timed_out)); then
		R_STATUS=FAIL
		if [[ -n $V_EXIT ]]; then
			R_DETAIL="timeout after ${timeout}s: the guest printed EXIT: STATUS=$V_EXIT"
			R_DETAIL+=" but $VMM_NAME did not exit"
		else
			verdict_timeout "$timeout" "$errfile"
			R_DETAIL+=$(verdict_last_output)
		fi
		return
	fi
	if [[ -z $V_EXIT ]]; then
		R_STATUS=FAIL
		verdict_noexit "$rc" "$errfile"
		return
	fi
	vmm_get code exit_code "$V_EXIT"
	if [[ $rc != "$code" ]]; then
		R_STATUS=FAIL
		R_DETAIL="the guest printed EXIT: STATUS=$V_EXIT"
		R_DETAIL+=" but $VMM_NAME exited $rc, not $code"
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
		elif ((V_SKIPPED >= V_TESTS)); then
			R_STATUS=FAIL
			R_DETAIL="EXIT: STATUS=0 contradicts $V_SUMMARY: every check skipped"
		else
			R_STATUS=PASS R_DETAIL=$V_SUMMARY
		fi
		;;
	77)
		verdict_skipped
		;;
	*)
		verdict_failed
		;;
	esac
}
