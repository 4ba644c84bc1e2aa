#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The main part of a standalone test (make standalone): scripts/standalone.sh copies this
# file into each standalone/<name>, after the runner parts it uses (common, known-failures,
# hostcpu, verdict, symbolize, run-test, report, vmm-qemu) and before the stanza's data:
# SA_NAME, SA_ORIGIN, ARCH, TESTDIR, the CFG_* catalogue of that one stanza, the KF_* known
# failures that may apply to it, standalone_image, which prints the image, and
# standalone_probe, which prints the host CPU probe (scripts/hostcpu-probe.c, built where the
# script was made; nothing when the arch is not the host's). The test then runs exactly as
# "./run_tests.sh <name>" runs it, host conditions included. Never sourced by run_tests.sh.
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

standalone_main()
{
	local dir="" keep="" status detail cmd secs file

	PROG=$SA_NAME
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
	[[ -n $ACCEL ]] || ACCEL=$VMM_DEFAULT_ACCEL

	if [[ -n $keep ]]; then
		mkdir -p "$keep" || die "cannot create $keep"
		dir=$(cd "$keep" && pwd) || die "cannot use $keep"
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

	run_test "$SA_NAME" "$dir/result"
	{ IFS= read -r status && IFS= read -r detail && IFS= read -r cmd && IFS= read -r secs; } \
		<"$dir/result" || die "no result from the run"
	cat "$dir/$SA_NAME.log" >&2
	report_begin 1
	report_result "$SA_NAME" "$status" "$detail" "$cmd" "$secs"
	[[ $status != FAIL ]]
}
