#!/bin/bash
# SPDX-License-Identifier: MIT
#
# hvprobe test runner: runs the stanzas of unittests.cfg under a VMM, one verdict line per
# test, kvm-unit-tests compatible. Builds first when needed. See docs/runner.md.

# wait -n -p (the parallel loop) came with bash 5.1: say so before anything else fails.
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
for part in common cfg known-failures hostcpu build verdict symbolize run-test report junit \
	known-crashes; do
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

# reap_one: wait for one running test, print its verdict. NOSTART counts the tests skipped
# because the VMM or the accelerator cannot start here, NOSTART_WHY has the first reason.
reap_one()
{
	local pid="" name status detail cmd secs class=""

	wait -n -p pid "${!RUNNING[@]}"
	[[ -n $pid ]] || die "lost track of the running tests"
	name=${RUNNING[$pid]}
	unset "RUNNING[$pid]"
	{ IFS= read -r status && IFS= read -r detail && IFS= read -r cmd && IFS= read -r secs &&
		{ IFS= read -r class || :; }; } <"$RESULTS/$name" ||
		status=FAIL detail="runner error: no result" cmd="" secs=0
	if [[ $status == SKIP && $class == nostart ]]; then
		NOSTART=$((NOSTART + 1))
		NOSTART_WHY=${NOSTART_WHY:-$detail}
	fi
	report_result "$name" "$status" "$detail" "$cmd" "$secs"
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

stop_all()
{
	local pid

	for pid in "${!RUNNING[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	wait
	exit 130
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

main()
{
	local name jobs run_fn=run_test
	local -a jobs_list images=()
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
	[[ -n $ACCEL ]] || ACCEL=$VMM_DEFAULT_ACCEL
	host_prepare
	jobs_list=("${SELECTED[@]}")
	if ((OPT_CRASHES)); then
		kc_jobs
		jobs_list=("${KC_JOBS[@]}") run_fn=kc_run
	fi
	for name in "${jobs_list[@]}"; do
		images+=("$BUILDDIR/$TESTDIR/${CFG["${name%.crash+([0-9])}/file"]}")
	done
	((${#images[@]})) && build_if_needed "${images[@]}"
	LOGDIR=$BUILDDIR/logs
	mkdir -p "$LOGDIR" || die "cannot create $LOGDIR"
	RESULTS=$(mktemp -d "${TMPDIR:-/tmp}/hvprobe-run.XXXXXX") || die "mktemp failed"
	trap 'rm -rf "$RESULTS"' EXIT
	trap stop_all INT TERM
	jobs=${OPT_JOBS:-$(nproc_online)}
	NOSTART=0 NOSTART_WHY=""

	report_begin "${#jobs_list[@]}"
	for name in "${jobs_list[@]}"; do
		while ((${#RUNNING[@]} >= jobs)); do
			reap_one
		done
		"$run_fn" "$name" "$RESULTS/$name" &
		RUNNING[$!]=$name
		report_running "${RUNNING[@]}"
	done
	while ((${#RUNNING[@]})); do
		reap_one
		report_running "${RUNNING[@]}"
	done
	report_end
	if ((REPORT_PASSED + REPORT_FAILED == 0 && NOSTART > 0)); then
		printf '%s: nothing ran: %s of %s could not start (%s)\n' "$PROG" "$NOSTART" \
			"${#jobs_list[@]}" "$NOSTART_WHY" >&2
		exit 2
	fi
	((REPORT_FAILED == 0))
}

main "$@"
