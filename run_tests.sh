#!/bin/bash
# SPDX-License-Identifier: MIT
#
# hvprobe test runner: runs the stanzas of unittests.cfg under a VMM, one verdict line per
# test, kvm-unit-tests compatible. Builds first when needed. See docs/runner.md.

# The runner's parts use bash 5.1 (as the standalone scripts do): say so before anything
# else fails.
if ((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] < 501)); then
	echo "run_tests.sh: needs bash 5.1 or later (this is $BASH_VERSION)" >&2
	exit 2
fi
set -u -o pipefail
# No pathname expansion: option values (-g '*') and catalogue words are never file globs.
set -f
shopt -s extglob

PROG=run_tests.sh
SELF=$(realpath "${BASH_SOURCE[0]}")
SRCDIR=${SELF%/*}
for part in common cfg known-failures hostcpu build stream process verdict symbolize run-test \
	report junit known-crashes interrupt; do
	# shellcheck source=/dev/null
	source "$SRCDIR/scripts/$part.sh" || exit 2
done

usage()
{
	cat <<EOF
Usage: $PROG [options] [test name...]

Runs the tests of unittests.cfg for the configured arch and prints one verdict per test:
  PASS <name> (<summary>), FAIL <name> (<reason>), SKIP <name> (<reason>)
then "<n> passed, <n> failed, <n> skipped". Exit status 0 iff nothing failed.
Test names given as arguments select those tests (also nodefault ones).

Options:
  -g GROUP[,GROUP...]  only tests in one of these groups (nodefault ones included)
  -a                   all tests, including those in group nodefault
  -j N                 run N tests in parallel (default: number of host CPUs)
  -l                   list the selected tests, run nothing
  -t                   TAP version 13 output
  -v                   print the command of each test
  --vmm VMM            the VMM to run under: qemu (default) or bochs
  --shard K/N          run only the K-th of N slices of the selection (CI matrices)
  --junit FILE         also write the results as JUnit XML to FILE
  --known-crashes      instead, run each crash: subtest of known-failures.txt selected here
                       alone: PASS if it still crashes, FAIL if it passes now (XPASS) or
                       reports checks before it crashes
  -h, --help           this help

As root, missing Debian packages the run needs are installed first (one line on stderr
says which); as another user the apt-get line is printed and nothing is run.

Environment:
  QEMU      QEMU binary (default qemu-system-<arch>)
  BOCHS     Bochs binary (default bochs)
  ACCEL     tcg or kvm for QEMU (default: kvm if /dev/kvm is usable, else tcg), none for
            Bochs; stanzas asking for another accel are skipped
  MACHINE   machine type (default pc on x86, microvm under KVM); stanzas asking for another
            are skipped
  TIMEOUT   seconds, replaces every stanza's timeout (0: none)
  MAX_SMP   CPUs at most; stanzas needing more are skipped
Logs: logs/<name>.log in the build directory, first line the command that reproduces it.
EOF
}

# parse_args ARGS...: set OPT_*, NAMES, VMM and the REPORT_* options of scripts/report.sh.
# shellcheck disable=SC2034
parse_args()
{
	local arg

	OPT_GROUPS="" OPT_ALL=0 OPT_LIST=0 OPT_JOBS="" OPT_SHARD="" OPT_CRASHES=0 NAMES=()
	VMM=qemu
	while (($#)); do
		arg=$1
		shift
		case $arg in
		-[avlth]?*)
			set -- "-${arg:1:1}" "-${arg:2}" "$@"
			continue
			;;
		-g | -j | --vmm | --shard | --junit)
			(($#)) || die "option $arg needs a value (see -h)"
			set -- "$arg=$1" "${@:2}"
			arg=$1
			shift
			;;
		esac
		case $arg in
		-g=* | -g?*) arg=${arg#-g}; OPT_GROUPS+=" ${arg#=}" ;;
		-j=* | -j?*) arg=${arg#-j}; OPT_JOBS=${arg#=} ;;
		--vmm=*) VMM=${arg#--vmm=} ;;
		--shard=*) OPT_SHARD=${arg#--shard=} ;;
		--junit=*) REPORT_JUNIT=${arg#--junit=} ;;
		--known-crashes) OPT_CRASHES=1 ;;
		-a) OPT_ALL=1 ;;
		-l) OPT_LIST=1 ;;
		-t) REPORT_FORMAT=tap ;;
		-v) REPORT_VERBOSE=1 ;;
		-h | --help) usage; exit 0 ;;
		--) NAMES+=("$@"); break ;;
		-*) die "unknown option $arg (see -h)" ;;
		*) NAMES+=("$arg") ;;
		esac
	done
	OPT_GROUPS=${OPT_GROUPS//,/ }
	[[ -z $OPT_JOBS || $OPT_JOBS =~ ^[1-9][0-9]*$ ]] || die "-j wants a positive number"
	if [[ -n $OPT_SHARD ]]; then
		if [[ ! $OPT_SHARD =~ ^([1-9][0-9]*)/([1-9][0-9]*)$ ]] ||
			((BASH_REMATCH[1] > BASH_REMATCH[2])); then
			die "--shard wants K/N with 1 <= K <= N, not '$OPT_SHARD'"
		fi
	fi
	[[ -z $REPORT_JUNIT || -d $(dirname "$REPORT_JUNIT") ]] ||
		die "--junit: the directory of $REPORT_JUNIT does not exist"
	[[ -r $SRCDIR/scripts/vmm-$VMM.sh ]] || die "unknown VMM '$VMM' (no scripts/vmm-$VMM.sh)"
}

# check_env: validate the environment variables the runner reads.
check_env()
{
	ACCEL=${ACCEL-} MACHINE=${MACHINE-} TIMEOUT=${TIMEOUT-} MAX_SMP=${MAX_SMP-}
	# shellcheck disable=SC2034 # read by scripts/run-test.sh
	ACCEL_SET=$ACCEL
	[[ -z $ACCEL ]] || in_words "$ACCEL" "$CFG_ACCELS" ||
		die "ACCEL must be one of: $CFG_ACCELS"
	[[ -z $TIMEOUT || $TIMEOUT =~ ^[0-9]+$ ]] || die "TIMEOUT must be a number of seconds"
	[[ -z $MAX_SMP || $MAX_SMP =~ ^[1-9][0-9]*$ ]] || die "MAX_SMP must be a positive number"
}

# select_tests: set SELECTED to the stanzas to run, in catalogue order; with --shard K/N,
# the K-th of every N of them.
select_tests()
{
	local name g found
	local -a gl

	for name in "${NAMES[@]}"; do
		[[ -n ${CFG["$name/.line"]+set} ]] || die "unknown test '$name' (see $PROG -l -a)"
		cfg_for_arch "$name" "$ARCH" ||
			die "test '$name' is for arch ${CFG["$name/arch"]}, this build is $ARCH"
	done
	for g in $OPT_GROUPS; do
		found=0
		for name in "${CFG_NAMES[@]}"; do
			cfg_in_groups "$name" "$g" && found=1 && break
		done
		((found)) || die "unknown group '$g': no stanza of unittests.cfg has it"
	done
	SELECTED=()
	for name in "${CFG_NAMES[@]}"; do
		cfg_for_arch "$name" "$ARCH" || continue
		((${#NAMES[@]})) && ! in_words "$name" "${NAMES[*]}" && continue
		[[ -n $OPT_GROUPS ]] && ! cfg_in_groups "$name" "$OPT_GROUPS" && continue
		if ((!OPT_ALL && ${#NAMES[@]} == 0)) && [[ -z $OPT_GROUPS ]] &&
			cfg_in_groups "$name" nodefault; then
			continue
		fi
		SELECTED+=("$name")
	done
	# Groups that only other arches' stanzas have: an error, not an empty run that passes.
	if [[ -n $OPT_GROUPS && ${#SELECTED[@]} -eq 0 ]]; then
		read -ra gl <<<"$OPT_GROUPS"
		g=${gl[*]}
		die "no stanza for arch $ARCH in group ${g// /, } (see $PROG -l -a)"
	fi
	if [[ -n $OPT_SHARD ]]; then
		local k=$((${OPT_SHARD%/*} - 1)) n=${OPT_SHARD#*/} i
		local -a all=("${SELECTED[@]}")
		SELECTED=()
		for i in "${!all[@]}"; do
			((i % n == k)) && SELECTED+=("${all[i]}")
		done
	fi
	return 0
}

# finish_one NAME: print the verdict the run of NAME left in its private directory, then
# install its log into logs/. NOSTART counts the tests skipped because the VMM or the
# accelerator cannot start here, NOSTART_WHY has the first reason.
finish_one()
{
	local name=$1 dir=$RUNDIR/$1 status detail cmd secs class=""

	{ IFS= read -r status && IFS= read -r detail && IFS= read -r cmd && IFS= read -r secs &&
		{ IFS= read -r class || :; }; } <"$dir/result" ||
		status=FAIL detail="runner error: no result" cmd="" secs=0
	if [[ $status == SKIP && $class == nostart ]]; then
		NOSTART=$((NOSTART + 1))
		NOSTART_WHY=${NOSTART_WHY:-$detail}
	fi
	report_result "$name" "$status" "$detail" "$cmd" "$secs" "$dir/$name.log"
	run_install "$dir" "$name"
	relay_stderr "$dir.stderr"
}

# reap_one: wait for one running test, print its verdict. A SIGINT or SIGTERM (the traps
# only set RUN_STOP: bash may run a trap inside "read -t", where a long handler breaks)
# stops the whole run instead.
reap_one()
{
	local name

	PROC_WATCH=1 PROC_ANY=1 proc_wait 0 "${!RUNNING[@]}"
	((RUN_STOP)) && stop_all "$RUN_SIGNAL"
	name=${RUNNING[$PROC_DONE]}
	unset "RUNNING[$PROC_DONE]"
	finish_one "$name"
}

# install_deps: as root, install the Debian packages this run needs (scripts/deps.sh): make
# and the compiler when the build is not configured yet (configure needs the compiler, the
# build follows), and the VMM unless QEMU or BOCHS names a binary of the user's own. Dies
# with the apt-get line when they are missing and cannot be installed, before building.
install_deps()
{
	local cfg_arch task=vmm vmm=$VMM

	cfg_arch=$(sed -n 's/^ARCH=//p' "$PWD/config.mak" 2>/dev/null) ||
		cfg_arch=$(sed -n 's/^ARCH=//p' "$SRCDIR/config.mak" 2>/dev/null)
	if [[ ! -f $PWD/config.mak && ! -f $SRCDIR/config.mak ]]; then
		task=run
	fi
	[[ $VMM == qemu && -n ${QEMU-} || $VMM == bochs && -n ${BOCHS-} ]] && vmm=none
	[[ $task == vmm && $vmm == none ]] && return 0
	bash "$SRCDIR/scripts/deps.sh" --as "$PROG" "$task" "${cfg_arch:-$(uname -m)}" "$vmm" ||
		exit 2
}

# host_prepare: describe the host CPU once, here, when a known-failures entry with host
# conditions may apply to a selected test (its runs, in subshells, reuse the description).
host_prepare()
{
	local name

	for name in "${SELECTED[@]}"; do
		kf_host_needed "$VMM" "${CFG["$name/accel"]:-$ACCEL}" "$name" || continue
		host_describe
		((REPORT_VERBOSE)) && printf '%s: host: %s\n' "$PROG" "$HOST_WORDS" >&2
		break
	done
	return 0
}

# rundir_setup: LOGDIR, and RUNDIR in it, where each job of JOB_NAMES runs in a directory
# of its own (made here with its FIFOs, all at once) until its log is renamed into logs/;
# the traps.
rundir_setup()
{
	local name
	local -a dirs=()

	LOGDIR=$BUILDDIR/logs
	mkdir -p "$LOGDIR" || die "cannot create $LOGDIR"
	RUNDIR=$(mktemp -d "$LOGDIR/.run.XXXXXX") || die "cannot create a directory in $LOGDIR"
	trap 'rm -rf "$RUNDIR"; junit_discard' EXIT
	trap 'RUN_STOP=1 RUN_SIGNAL=INT' INT
	trap 'RUN_STOP=1 RUN_SIGNAL=TERM' TERM
	proc_tick_open "$RUNDIR" || die "cannot make a FIFO in $RUNDIR"
	for name in "${JOB_NAMES[@]}"; do
		dirs+=("$RUNDIR/$name")
	done
	((${#dirs[@]})) || return 0
	mkdir "${dirs[@]}" || die "cannot make the test directories in $RUNDIR"
	proc_fifos "${dirs[@]}" || die "cannot make FIFOs in $RUNDIR"
}

main()
{
	local name jobs run_fn=run_test
	local -a images=()
	declare -gA RUNNING=()

	parse_args "$@"
	check_env
	# shellcheck source=/dev/null
	source "$SRCDIR/scripts/vmm-$VMM.sh" || exit 2
	((OPT_LIST)) || install_deps
	build_setup
	cfg_parse "$SRCDIR/unittests.cfg" || exit 2
	kf_parse "$SRCDIR/known-failures.txt" || exit 2
	select_tests
	if ((OPT_LIST)); then
		((${#SELECTED[@]})) && printf '%s\n' "${SELECTED[@]}"
		exit 0
	fi
	"vmm_${VMM}_init"
	[[ -z $ACCEL ]] || in_words "$ACCEL" "$VMM_ACCELS" ||
		die "ACCEL=$ACCEL: $VMM_NAME has only: $VMM_ACCELS"
	[[ -n $ACCEL ]] || default_accel
	host_prepare
	JOB_NAMES=("${SELECTED[@]}")
	if ((OPT_CRASHES)); then
		kc_jobs
		JOB_NAMES=("${KC_JOBS[@]}") run_fn=kc_run
	fi
	for name in "${JOB_NAMES[@]}"; do
		name=${name%.crash+([0-9])}
		images+=("$BUILDDIR/$TESTDIR/${CFG["$name/file"]}")
		BUILD_ORIGIN[${images[-1]}]="$CFG_SHOWN:${CFG["$name/.line.file"]}"
		BUILD_ORIGIN[${images[-1]}]+=": file = ${CFG["$name/file"]}"
	done
	((${#images[@]})) && build_if_needed "${images[@]}"
	rundir_setup
	jobs=${OPT_JOBS:-$(nproc_online)}
	NOSTART=0 NOSTART_WHY=""

	report_begin "${#JOB_NAMES[@]}"
	STARTED=0
	for name in "${JOB_NAMES[@]}"; do
		while ((${#RUNNING[@]} >= jobs)); do
			reap_one
		done
		((RUN_STOP)) && stop_all "$RUN_SIGNAL"
		"$run_fn" "$name" "$RUNDIR/$name" 2>"$RUNDIR/$name.stderr" &
		RUNNING[$!]=$name
		STARTED=$((STARTED + 1))
		report_running "${RUNNING[@]}"
	done
	while ((${#RUNNING[@]})); do
		reap_one
		report_running "${RUNNING[@]}"
	done
	((RUN_STOP)) && stop_all "$RUN_SIGNAL"
	report_end
	if ((REPORT_PASSED + REPORT_FAILED == 0 && NOSTART > 0)); then
		printf '%s: nothing ran: %s of %s could not start (%s)\n' "$PROG" "$NOSTART" \
			"${#JOB_NAMES[@]}" "$NOSTART_WHY" >&2
		exit 2
	fi
	((REPORT_FAILED == 0))
}

main "$@"
