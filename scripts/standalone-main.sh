#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The main part of a standalone test (make standalone): scripts/standalone.sh copies this
# file into each standalone/<name>, after the runner parts it uses (common, stream, process,
# known-failures, hostcpu, verdict, symbolize, run-test, report, vmm-qemu) and before the
# stanza's data: SA_NAME, SA_ORIGIN, ARCH, TESTDIR, the CFG_* catalogue of that one stanza,
# the KF_* known failures that may apply to it, standalone_image, which prints the image,
# and standalone_probe, which prints the host CPU probe (scripts/hostcpu-probe.c, built
# where the script was made; nothing when the arch is not the host's). The test then runs
# exactly as "./run_tests.sh <name>" runs it, host conditions included. Never sourced by
# run_tests.sh.
# shellcheck disable=SC2034 # globals set here are read by the embedded runner parts

sa_usage()
{
	cat <<EOF
Usage: $SA_NAME [-v] [--keep DIR]

Standalone hvprobe test $SA_NAME ($ARCH), generated from $SA_ORIGIN.
Runs the image embedded in this script under QEMU as "./run_tests.sh $SA_NAME" would and
prints the same verdict line: PASS $SA_NAME (...), FAIL $SA_NAME (...) or SKIP $SA_NAME (...).
The log (the command, the guest's output, QEMU's stderr) goes to stderr.
Exit status: 0 unless the test failed (1); 2 for a usage error.
Needs bash 5.1 or later, coreutils and QEMU.

Options:
  -v           print the QEMU command before the verdict
  --keep DIR   unpack the image, the environment file and the log into DIR and keep them
  -h, --help   this help

Environment: QEMU, ACCEL (tcg or kvm), MACHINE, TIMEOUT, MAX_SMP, as for run_tests.sh.
EOF
}

# sa_unpack KEEP: set dir to KEEP (made if needed), or to a temporary directory removed on
# exit, and unpack the image (and the host CPU probe, if any) there as the runner's build
# directory.
sa_unpack()
{
	local file

	if [[ -n $1 ]]; then
		mkdir -p "$1" || die "cannot create $1"
		dir=$(cd "$1" && pwd) || die "cannot use $1"
	else
		dir=$(mktemp -d "${TMPDIR:-/tmp}/hvprobe-$SA_NAME.XXXXXX") || die "mktemp failed"
		# shellcheck disable=SC2064 # expand now: dir is local
		trap "rm -rf '$dir'" EXIT
	fi
	BUILDDIR=$dir SRCDIR=$dir LOGDIR=$dir
	file=$dir/$TESTDIR/${CFG["$SA_NAME/file"]}
	mkdir -p "${file%/*}" || die "cannot create ${file%/*}"
	standalone_image >"$file" || die "cannot unpack the image into $file"
	# The host CPU probe for known failures with host conditions, if this script has one.
	HOSTCPU_PROBE_BIN=none
	if standalone_probe >"$dir/hostcpu-probe" 2>/dev/null; then
		chmod +x "$dir/hostcpu-probe" && HOSTCPU_PROBE_BIN=$dir/hostcpu-probe
	fi
}

# sa_finish RUN: install the log the run left in its directory RUN (removed then), print it
# (on stderr: as it is into a file, made visible on a terminal), then the verdict; a run a
# signal stopped says so and exits 130 (SIGINT) or 143 (SIGTERM).
sa_finish()
{
	local status detail cmd secs

	{ IFS= read -r status && IFS= read -r detail && IFS= read -r cmd && IFS= read -r secs; } \
		<"$1/result" || die "no result from the run"
	run_install "$1" "$SA_NAME"
	rm -rf "$1"
	if [[ -t 2 ]]; then
		stream_visible tab <"$LOGDIR/$SA_NAME.log" >&2
	else
		cat "$LOGDIR/$SA_NAME.log" >&2
	fi
	if [[ $status == STOPPED ]]; then
		printf '%s: interrupted by SIG%s: the test was stopped, no result\n' "$PROG" \
			"$RUN_SIGNAL" >&2
		[[ $RUN_SIGNAL == INT ]] && exit 130
		exit 143
	fi
	report_begin 1
	report_result "$SA_NAME" "$status" "$detail" "$cmd" "$secs"
	[[ $status != FAIL ]]
}

standalone_main()
{
	local dir="" keep="" run

	PROG=$SA_NAME
	trap 'RUN_STOP=1 RUN_SIGNAL=TERM' TERM
	trap 'RUN_STOP=1 RUN_SIGNAL=INT' INT
	while (($#)); do
		case $1 in
		-v) REPORT_VERBOSE=1 ;;
		--keep) (($# > 1)) || die "--keep needs a directory"; keep=$2; shift ;;
		-h | --help) sa_usage; exit 0 ;;
		*) die "unknown option $1 (see -h)" ;;
		esac
		shift
	done
	((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] >= 501)) ||
		die "needs bash 5.1 or later (this is $BASH_VERSION)"
	ACCEL=${ACCEL-} MACHINE=${MACHINE-} TIMEOUT=${TIMEOUT-} MAX_SMP=${MAX_SMP-}
	ACCEL_SET=$ACCEL
	[[ -z $TIMEOUT || $TIMEOUT =~ ^[0-9]+$ ]] || die "TIMEOUT must be a number of seconds"
	[[ -z $MAX_SMP || $MAX_SMP =~ ^[1-9][0-9]*$ ]] || die "MAX_SMP must be a positive number"
	VMM=qemu HOST_ARCH=$(uname -m)
	vmm_qemu_init
	[[ -z $ACCEL ]] || in_words "$ACCEL" "$VMM_ACCELS" ||
		die "ACCEL must be one of: $VMM_ACCELS"
	sa_unpack "$keep"
	[[ -n $ACCEL ]] || default_accel

	run=$(mktemp -d "$dir/.run.XXXXXX") || die "cannot create a directory in $dir"
	proc_tick_open "$run" || die "cannot make a FIFO in $run"
	run_test "$SA_NAME" "$run" 2>"$run/.stderr"
	relay_stderr "$run/.stderr"
	sa_finish "$run"
}
