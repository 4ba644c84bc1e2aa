#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Runs one catalogue stanza: decides whether it must be skipped, writes the guest's
# environment file, starts the VMM under a timeout, writes logs/<name>.log and leaves the
# verdict in a result file for run_tests.sh to print. Runs in a background subshell, so it
# prints nothing itself. Sourced, never executed.
#
# Inputs (globals set by run_tests.sh): ARCH HOST_ARCH SRCDIR BUILDDIR TESTDIR LOGDIR VMM
# VMM_NAME VMM_BIN VMM_VERSION VMM_MISSING ACCEL ACCEL_SET MACHINE MAX_SMP TIMEOUT, the CFG
# catalogue, the KF_* known failures.
# shellcheck disable=SC2034 # globals set here are read by the files sourcing this one

# vmm_call FUNCTION ARGS...: call the selected VMM backend's vmm_<vmm>_<function>.
vmm_call()
{
	local fn="vmm_${VMM}_$1"

	shift
	"$fn" "$@"
}

# result_write FILE STATUS DETAIL COMMAND [CLASS]: the record run_tests.sh reads back, with
# the seconds since run_test started; CLASS "nostart" marks a skip because the VMM or the
# accelerator cannot start here.
result_write()
{
	local us=$((10#${EPOCHREALTIME//[!0-9]/} - 10#${T_START//[!0-9]/}))

	printf '%s\n%s\n%s\n%d.%03d\n%s\n' "$2" "${3//$'\n'/ }" "$4" $((us / 1000000)) \
		$((us / 1000 % 1000)) "${5-}" >"$1"
}

# run_skip_reason NAME: set SKIP_REASON to why stanza NAME must be skipped (empty if it can
# run), SKIP_CLASS to "nostart" when the VMM or accelerator cannot start here, and the T_*
# variables describing the run.
run_skip_reason()
{
	local name=$1 want check path value actual

	SKIP_REASON="" SKIP_CLASS=nostart
	want=${CFG["$name/vmm"]-}
	if [[ -n $want ]] && ! in_words "$VMM" "$want"; then
		SKIP_REASON="$want only" SKIP_CLASS=""
		return
	fi
	SKIP_REASON=$VMM_MISSING
	[[ -n $SKIP_REASON ]] && return
	want=${CFG["$name/accel"]-}
	if [[ -n $want && -n $ACCEL_SET && $want != "$ACCEL" ]]; then
		SKIP_REASON="$want only, running $ACCEL" SKIP_CLASS=""
		return
	fi
	T_ACCEL=${want:-$ACCEL}
	SKIP_REASON=$(vmm_call accel_problem "$T_ACCEL")
	[[ -n $SKIP_REASON ]] && return
	SKIP_CLASS=""
	want=${CFG["$name/machine"]-}
	if [[ -n $want && -n $MACHINE && $want != "$MACHINE" ]]; then
		SKIP_REASON="$want only, MACHINE=$MACHINE"
		return
	fi
	T_MACHINE=${want:-$MACHINE}
	SKIP_REASON=$(vmm_call machine_problem "$T_MACHINE")
	[[ -n $SKIP_REASON ]] && return
	T_SMP=${CFG["$name/smp"]-1}
	[[ $T_SMP == "\$MAX_SMP" ]] && T_SMP=${MAX_SMP:-$(nproc_online)}
	if [[ -n $MAX_SMP ]] && ((T_SMP > MAX_SMP)); then
		SKIP_REASON="needs $T_SMP CPUs, MAX_SMP=$MAX_SMP"
		return
	fi
	for check in ${CFG["$name/check"]-}; do
		path=${check%%=*}
		value=${check#*=}
		actual=$(cat "$path" 2>/dev/null) || actual="(unreadable)"
		if [[ $actual != "$value" ]]; then
			SKIP_REASON="$path is $actual, needs $value"
			return
		fi
	done
	T_CPU=${CFG["$name/cpu"]-}
	value=${CFG["$name/disabled_if"]-}
	if [[ -n $value ]] && run_disabled_if "$value"; then
		SKIP_REASON="disabled_if: $value"
	fi
}

# run_disabled_if EXPR: evaluate a stanza's disabled_if condition (a bash condition from the
# project's own catalogue) with the run's description in plain variables.
run_disabled_if()
{
	(
		# shellcheck disable=SC2034 # read by the evaluated condition
		TARGET=$VMM SMP=$T_SMP CPU=$T_CPU ACCEL=$T_ACCEL MACHINE=$T_MACHINE
		eval "$1"
	) >/dev/null 2>&1
}

# run_with_timeout SECONDS LOG ERRFILE COMMAND...: run COMMAND (stdout appended to LOG,
# stderr to ERRFILE); SECONDS=0 waits forever. Sets RUN_RC and RUN_TIMED_OUT. The helper
# sleeps are stopped with SIGKILL (bash's "Killed" notice silenced): a just-forked child that
# has not yet exec'd sleep is still bash, where a trapped SIGTERM would run this shell's
# traps (EXIT ones included).
run_with_timeout()
{
	local secs=$1 log=$2 err=$3 vpid wpid="" gpid="" done_pid="" rc

	shift 3
	RUN_TIMED_OUT=0
	"$@" </dev/null >>"$log" 2>"$err" &
	vpid=$!
	trap 'kill -TERM "$vpid" 2>/dev/null; exit 143' TERM INT
	if ((secs > 0)); then
		sleep "$secs" &
		wpid=$!
	fi
	# 2>/dev/null: bash's "Aborted" notice of a VMM killed by a signal (the verdict says it).
	wait -n -p done_pid "$vpid" ${wpid:+"$wpid"} 2>/dev/null
	rc=$?
	if [[ -n $wpid && $done_pid == "$wpid" ]]; then
		RUN_TIMED_OUT=1
		kill -TERM "$vpid" 2>/dev/null
		sleep 3 &
		gpid=$!
		wait -n -p done_pid "$vpid" "$gpid" 2>/dev/null
		if [[ $done_pid == "$gpid" ]]; then
			kill -KILL "$vpid" 2>/dev/null
			wait "$vpid" 2>/dev/null
		else
			kill -KILL "$gpid" 2>/dev/null
			wait "$gpid" 2>/dev/null
		fi
		rc=124
	elif [[ -n $wpid ]]; then
		kill -KILL "$wpid" 2>/dev/null
		wait "$wpid" 2>/dev/null
	fi
	trap - TERM INT
	RUN_RC=$rc
}

# run_test NAME RESULT: run stanza NAME; write its verdict to the file RESULT. A known-crash
# run (scripts/known-crashes.sh) sets RUN_JOB (the name of its log and environment files),
# RUN_ARG (a subtest glob added to test_args), RUN_KF_LINE (the known-failures.txt line
# left out of the environment) and RUN_TIMEOUT_MAX (a cap on the timeout).
run_test()
{
	local name=$1 result=$2 job=${RUN_JOB:-$1} log envfile errfile cmdline timeout
	local -a cmd

	T_START=$EPOCHREALTIME T_NAME=$name T_ACCEL="" T_MACHINE="" T_SMP=1 T_CPU=""
	log="$LOGDIR/$job.log"
	run_skip_reason "$name"
	if [[ -n $SKIP_REASON ]]; then
		printf '# SKIP %s (%s)\n' "$job" "$SKIP_REASON" >"$log"
		result_write "$result" SKIP "$SKIP_REASON" "" "$SKIP_CLASS"
		return
	fi

	T_IMAGE="$BUILDDIR/$TESTDIR/${CFG["$name/file"]}"
	T_ARGS=${CFG["$name/test_args"]-}
	[[ -n ${RUN_ARG-} ]] && T_ARGS+="${T_ARGS:+ }$RUN_ARG"
	split_words T_PARAMS "${CFG["$name/${VMM}_params"]-}"
	timeout=${TIMEOUT:-${CFG["$name/timeout"]-$CFG_DEFAULT_TIMEOUT}}
	if [[ -n ${RUN_TIMEOUT_MAX-} ]] && ((timeout == 0 || timeout > RUN_TIMEOUT_MAX)); then
		timeout=$RUN_TIMEOUT_MAX
	fi
	T_TIMEOUT=$timeout

	envfile="$LOGDIR/$job.env"
	T_ENVFILE=$envfile
	{
		printf 'HVPROBE_TEST=%s\nHVPROBE_VMM=%s\n' "$name" "$VMM"
		printf 'HVPROBE_ACCEL=%s\n' "$T_ACCEL"
		kf_env "$VMM" "$T_ACCEL" "$name" "${RUN_KF_LINE-}"
	} >"$envfile"

	vmm_call command cmd
	quote_command cmdline "${cmd[@]}"
	printf '%s\n' "$cmdline" >"$log"
	if [[ ! -r $T_IMAGE ]]; then
		printf -- '--- result: FAIL (image %s missing) ---\n' "$T_IMAGE" >>"$log"
		result_write "$result" FAIL "image $T_IMAGE missing: run make" "$cmdline"
		return
	fi
	errfile="$LOGDIR/$job.stderr.$BASHPID"
	run_with_timeout "$timeout" "$log" "$errfile" "${cmd[@]}"
	verdict_decide "$log" "$RUN_RC" "$RUN_TIMED_OUT" "$timeout" "$errfile" \
		"${CFG["$name/expect"]-}"
	: >"$errfile.sym"
	if [[ $R_STATUS == FAIL ]]; then
		symbolize_run "$log" "${T_IMAGE%.*}.elf" "$(vmm_call stop_ip "$errfile")" \
			>"$errfile.sym"
		R_DETAIL+=$(symbolize_reason "$R_DETAIL")
	fi
	{
		cat "$errfile.sym"
		printf -- '--- %s stderr (exit code %s) ---\n' "$VMM_NAME" "$RUN_RC"
		cat "$errfile"
		printf -- '--- result: %s (%s) ---\n' "$R_STATUS" "$R_DETAIL"
	} >>"$log"
	rm -f "$errfile" "$errfile.sym"
	result_write "$result" "$R_STATUS" "$R_DETAIL" "$cmdline"
}
