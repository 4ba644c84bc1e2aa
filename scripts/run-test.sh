#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Runs one catalogue stanza: decides whether it must be skipped, writes the guest's
# environment file, runs the VMM under a timeout (scripts/process.sh) and leaves, in a
# directory private to this run, the log and the verdict for run_tests.sh to print; the
# caller then installs the log and the environment file as logs/<name>.log and
# logs/<name>.env (run_install). Concurrent runs of one stanza, from one runner or two,
# never read each other's files. Runs in a background subshell, so it prints nothing
# itself. Sourced, never executed.
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

# vmm_get VAR FUNCTION ARGS...: set VAR to what vmm_call FUNCTION ARGS prints (trailing line
# ends dropped), read back from a file in the run's directory RUN_DIR: $(...) would fork.
vmm_get()
{
	local -n vg_out=$1

	shift
	if [[ -z ${RUN_DIR-} ]]; then
		vg_out=$(vmm_call "$@")
		return
	fi
	vmm_call "$@" >"$RUN_DIR/vmm.out"
	IFS= read -r -d '' vg_out <"$RUN_DIR/vmm.out"
	vg_out=${vg_out%%+($'\n')}
}

# default_accel: ACCEL unset: the VMM's default accelerator, said once on stderr when KVM,
# which the VMM has, cannot be used here.
default_accel()
{
	ACCEL=$VMM_DEFAULT_ACCEL
	[[ $ACCEL != kvm ]] && in_words kvm "$VMM_ACCELS" &&
		printf '%s: ACCEL is unset and KVM cannot be used (%s): running under %s\n' \
			"$PROG" "$(vmm_call accel_problem kvm)" "${ACCEL^^}" >&2
	return 0
}

# run_elapsed VAR: set VAR to the seconds since run_test started, as S.mmm.
run_elapsed()
{
	local us=$((10#${EPOCHREALTIME//[!0-9]/} - 10#${T_START//[!0-9]/}))

	printf -v "$1" '%d.%03d' $((us / 1000000)) $((us / 1000 % 1000))
}

# result_write DIR STATUS DETAIL COMMAND [CLASS]: the record run_tests.sh reads back
# (DIR/result): STATUS (PASS, FAIL, SKIP, or STOPPED for a run stopped by a signal), DETAIL
# and COMMAND made visible on one line each (guest output never reaches a terminal raw),
# the seconds, and CLASS: "nostart" marks a skip because the VMM or the accelerator cannot
# start here.
result_write()
{
	local detail cmd secs

	text_visible detail "${3//$'\n'/ }"
	text_visible cmd "$4" 65536
	run_elapsed secs
	printf '%s\n%s\n%s\n%s\n%s\n' "$2" "$detail" "$cmd" "$secs" "${5-}" >"$1/result"
}

# run_install DIR NAME: move the log (and the environment file, when the VMM ran) a run
# left in its private directory DIR to LOGDIR/NAME.log (and NAME.env). Renames in one
# directory, under a lock on LOGDIR when flock (util-linux) is there, so that after
# concurrent runs the two files are whole and from the same run, the last to finish.
run_install()
{
	local dir=$1 name=$2 fd="" f
	local -a files=()

	for f in "$dir/$name.env" "$dir/$name.log"; do
		[[ -e $f ]] && files+=("$f")
	done
	((${#files[@]})) || return 0
	if command -v flock >/dev/null 2>&1 && exec {fd}<"$LOGDIR"; then
		flock -x "$fd"
	fi
	mv -f "${files[@]}" "$LOGDIR/"
	[[ -z $fd ]] || exec {fd}<&-
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
	vmm_get SKIP_REASON accel_problem "$T_ACCEL"
	[[ -n $SKIP_REASON ]] && return
	SKIP_CLASS=""
	want=${CFG["$name/machine"]-}
	if [[ -n $want && -n $MACHINE && $want != "$MACHINE" ]]; then
		SKIP_REASON="$want only, MACHINE=$MACHINE"
		return
	fi
	T_MACHINE=${want:-$MACHINE}
	vmm_get SKIP_REASON machine_problem "$T_MACHINE"
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

# run_with_timeout SECONDS DIR COMMAND...: run COMMAND (proc_start, output into DIR) until it
# exits, SECONDS pass (0: no limit) or a SIGTERM or SIGINT sets RUN_STOP; the two last stop
# it (SIGTERM, SIGKILL PROC_GRACE seconds later). Sets RUN_RC (124 after the timeout),
# RUN_TIMED_OUT and RUN_STOPPED.
run_with_timeout()
{
	local secs=$1 dir=$2 w=0

	shift 2
	RUN_TIMED_OUT=0 RUN_STOPPED=0 RUN_RC=""
	if ((RUN_STOP)); then
		# Stopped before it started: nothing ran, nothing was captured.
		RUN_STOPPED=1 RUN_RC=none
		stream_none "$dir/out"
		stream_none "$dir/err"
		return 0
	fi
	proc_start "$dir" "$@" || return 1
	PROC_WATCH=1 proc_wait "$secs" "$PROC_PID" || w=$?
	RUN_RC=${PROC_RC-}
	if ((w)); then
		proc_stop
		RUN_RC=${PROC_RC-}
		((w == 1)) && RUN_TIMED_OUT=1 RUN_RC=124
		((w == 2)) && RUN_STOPPED=1
	fi
	proc_finish
}

# run_log DIR CMDLINE: after the VMM of a run of T_NAME (job T_JOB) in DIR ended: its
# verdict (verdict_decide; none if a signal stopped it), the log (the command, the capped
# guest output, the symbolized addresses, the VMM's stderr, the result) and the record
# (result_write). The captured streams are emptied then: the log holds what is kept.
run_log()
{
	local dir=$1 cmdline=$2 log=$1/$T_JOB.log errfile secs
	local -a guest err

	stream_parts "$dir/out"
	guest=("${STREAM_PARTS[@]}")
	stream_parts "$dir/err"
	err=("${STREAM_PARTS[@]}")
	errfile=${err[0]}
	if [[ -s ${err[1]} || -s ${err[2]} ]]; then
		errfile=$dir/stderr
		cat "${err[@]}" >"$errfile"
	fi
	printf '%s\n' "$cmdline" >"$dir/cmd"
	: >"$dir/sym"
	if ((RUN_STOPPED)); then
		R_STATUS=STOPPED R_DETAIL="stopped by SIG${RUN_SIGNAL:-TERM}"
		run_elapsed secs
		printf -- '--- interrupted after %ss: the run was stopped, no result ---\n' \
			"$secs" >"$dir/end"
	else
		verdict_decide "$dir/out.scan" "$RUN_RC" "$RUN_TIMED_OUT" "$T_TIMEOUT" "$errfile" \
			"${CFG["$T_NAME/expect"]-}"
		if [[ $R_STATUS == FAIL && -r ${T_IMAGE%.*}.elf ]]; then
			cat "$dir/cmd" "${guest[@]}" >"$log"
			symbolize_run "$log" "${T_IMAGE%.*}.elf" \
				"$(vmm_call stop_ip "$errfile")" >"$dir/sym"
			R_DETAIL+=$(symbolize_reason "$R_DETAIL")
		fi
		text_visible R_DETAIL "$R_DETAIL"
		printf -- '--- result: %s (%s) ---\n' "$R_STATUS" "$R_DETAIL" >"$dir/end"
	fi
	printf -- '--- %s stderr (exit code %s) ---\n' "$VMM_NAME" "$RUN_RC" >"$dir/errhead"
	cat "$dir/cmd" "${guest[@]}" "$dir/sym" "$dir/errhead" "$errfile" "$dir/end" >"$log"
	: >"$dir/out.head"
	: >"$dir/out.tail"
	: >"$dir/err.head"
	: >"$dir/err.tail"
	result_write "$dir" "$R_STATUS" "$R_DETAIL" "$cmdline"
}

# run_test NAME DIR: run stanza NAME in DIR, a directory private to this run (made by the
# caller); leave there the record (result_write), the log and the environment file for
# run_install. A SIGTERM or SIGINT stops it (status STOPPED; the log says so). A
# known-crash run (scripts/known-crashes.sh) sets RUN_JOB (the name of its log and
# environment files), RUN_ARG (a subtest glob added to test_args), RUN_KF_LINE (the
# known-failures.txt line left out of the environment) and RUN_TIMEOUT_MAX (a cap on the
# timeout).
run_test()
{
	local name=$1 dir=$2 job=${RUN_JOB:-$1} log envfile cmdline timeout
	local -a cmd shown

	# RUN_STOP is not reset: a signal may have come before (the caller's trap sets it too).
	RUN_DIR=$dir T_JOB=$job
	trap 'RUN_STOP=1 RUN_SIGNAL=TERM' TERM
	trap 'RUN_STOP=1 RUN_SIGNAL=INT' INT
	T_START=$EPOCHREALTIME T_NAME=$name T_ACCEL="" T_MACHINE="" T_SMP=1 T_CPU=""
	log="$dir/$job.log"
	run_skip_reason "$name"
	if [[ -n $SKIP_REASON ]]; then
		printf '# SKIP %s (%s)\n' "$job" "$SKIP_REASON" >"$log"
		result_write "$dir" SKIP "$SKIP_REASON" "" "$SKIP_CLASS"
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

	envfile="$dir/$job.env"
	T_ENVFILE=$envfile
	{
		printf 'HVPROBE_TEST=%s\nHVPROBE_VMM=%s\n' "$name" "$VMM"
		printf 'HVPROBE_ACCEL=%s\n' "$T_ACCEL"
		kf_env "$VMM" "$T_ACCEL" "$name" "${RUN_KF_LINE-}"
		# A known-crash run: each subtest says when it starts (lib/subtest.c).
		[[ -z ${RUN_KF_LINE-} ]] || printf 'HVPROBE_ANNOUNCE=1\n'
	} >"$envfile"

	# The VMM reads this run's own environment file; the log shows the one run_install
	# puts beside it, so that its first line reproduces the run.
	vmm_call command cmd
	T_ENVFILE="$LOGDIR/$job.env"
	vmm_call command shown
	T_ENVFILE=$envfile
	quote_command cmdline "${shown[@]}"
	if [[ ! -r $T_IMAGE ]]; then
		printf '%s\n--- result: FAIL (image %s missing) ---\n' "$cmdline" "$T_IMAGE" >"$log"
		result_write "$dir" FAIL "image $T_IMAGE missing: run make" "$cmdline"
		return
	fi
	if ! run_with_timeout "$timeout" "$dir" "${cmd[@]}"; then
		result_write "$dir" FAIL "runner error: cannot make FIFOs in $dir" "$cmdline"
		return
	fi
	run_log "$dir" "$cmdline"
}
