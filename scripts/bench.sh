#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Benchmarks, never tests: for each VMM and accelerator present (QEMU TCG; QEMU KVM when
# /dev/kvm is usable; Bochs when installed) the wall time of the default catalogue
# (./run_tests.sh -j JOBS), its totals, checks per second and slowest stanzas, and from its
# logs the median cost of a nested CPUID exit/entry round trip (bench_exit of x86/svm and
# x86/vmx); then, per machine (x86 QEMU: pc and microvm), the boot-to-exit time of the
# selftest stanza and of the floor, an image that only exits, built with the build's
# compiler: the median (min-max) of RUNS runs of the bare VMM command, measured in the same
# run so that the distance to the floor shows. Plain text on stdout; nothing is asserted.
# Run from a build directory (it uses ./run_tests.sh and overwrites logs/).
# Usage: bench.sh [-n RUNS] [-j JOBS]

set -u -o pipefail

PROG=bench.sh
SELF=$(realpath "${BASH_SOURCE[0]}")
SRCDIR=${SELF%/scripts/*}
RUNS=10 JOBS=2

# shellcheck source=scripts/common.sh disable=SC1091
source "$SRCDIR/scripts/common.sh" || exit 2
# shellcheck source=scripts/vmm-qemu.sh disable=SC1091
source "$SRCDIR/scripts/vmm-qemu.sh" || exit 2
# shellcheck source=scripts/vmm-bochs.sh disable=SC1091
source "$SRCDIR/scripts/vmm-bochs.sh" || exit 2

# now_us: the wall clock in microseconds.
now_us()
{
	printf '%s' $((10#${EPOCHREALTIME//[!0-9]/}))
}

# secs US [DECIMALS]: microseconds as seconds.
secs()
{
	local d=${2:-2} us=$1

	printf '%d.%0*d' $((us / 1000000)) "$d" $((us % 1000000 / 10 ** (6 - d)))
}

# setups: the "vmm accel" pairs present on this host, one a line.
setups()
{
	VMM=qemu vmm_qemu_init
	if [[ -z $VMM_MISSING ]]; then
		echo "qemu tcg"
		[[ -z $(vmm_qemu_accel_problem kvm) ]] && echo "qemu kvm"
	fi
	VMM=bochs vmm_bochs_init
	[[ -z $VMM_MISSING ]] && echo "bochs none"
}

# machines VMM: the machine types timed for VMM on this arch.
machines()
{
	case $1/$ARCH in
	qemu/x86_64) echo pc microvm ;;
	qemu/arm64) echo virt ;;
	*) echo pc ;;
	esac
}

# build_floor: $WORK/floor.elf, which exits at once (x86: isa-debug-exit, then Bochs'
# shutdown port; arm64: PSCI SYSTEM_OFF through HVC), linked like no test: just the exit.
build_floor()
{
	local cc flags

	cc=$(sed -n 's/^CC=//p' config.mak)
	case $ARCH in
	x86_64)
		flags=(-m32 '-Wl,-Ttext=0x400000')
		cat >"$WORK/floor.S" <<-'EOF'
			.code32
			.globl _start
			.balign 4
			.long 0x1badb002, 0, -0x1badb002	/* multiboot header, no flags */
		_start:	xor %eax, %eax
			mov $0xf4, %dx
			out %eax, %dx
			mov $0x8900, %dx
			mov $bye, %esi
			mov $8, %ecx
			rep outsb
		1:	cli
			hlt
			jmp 1b
		bye:	.ascii "Shutdown"
		EOF
		;;
	arm64)
		flags=('-Wl,-Ttext=0x40080000')
		cat >"$WORK/floor.S" <<-'EOF'
			.globl _start
		_start:	movz x0, #0x0008
			movk x0, #0x8400, lsl #16	/* PSCI SYSTEM_OFF */
			hvc #0
		1:	wfi
			b 1b
		EOF
		;;
	*) return 1 ;;
	esac
	# -N: one segment, no ELF headers in it (the Bochs loader loads from the first segment).
	"$cc" "${flags[@]}" -nostdlib -static -no-pie \
		-Wl,-N,--no-warn-rwx-segments,--build-id=none -o "$WORK/floor.elf" "$WORK/floor.S"
}

# catalogue VMM ACCEL: run the default catalogue; print "<seconds> s, CPU <seconds> s
# (<totals>), <checks> checks, <rate> checks/s", or the runner's error.
catalogue()
{
	local t0 us out rc checks=0 line cpu u s err=$WORK/stderr TIMEFORMAT='%U %S'

	# slowest() reads this run's JUnit file only: never the previous VMM's.
	rm -f "$WORK/junit.xml"
	t0=$(now_us)
	# CPU time (user + system) of the runner and the VMMs: steadier than wall time on a
	# busy host.
	cpu=$( { time {
		ACCEL=$2 NO_COLOR=1 ./run_tests.sh --vmm "$1" -j "$JOBS" --junit "$WORK/junit.xml" \
			>"$WORK/out" 2>"$err"
		echo $? >"$WORK/rc"
	}; } 2>&1)
	rc=$(<"$WORK/rc")
	us=$(($(now_us) - t0))
	out=$(cat "$WORK/out")
	if ((rc == 2)); then
		printf 'runner error: %s' "$(tail -n 1 "$err")"
		return
	fi
	while IFS= read -r line; do
		[[ $line =~ ^(PASS|FAIL)\ [^\ ]+\ \(([0-9]+)\ tests ]] &&
			checks=$((checks + BASH_REMATCH[2]))
	done <<<"$out"
	read -r u s <<<"$cpu"
	cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.1f", u + s }')
	printf '%s s, CPU %s s (%s), %d checks, %d checks/s' "$(secs "$us" 1)" "$cpu" \
		"$(tail -n 1 <<<"$out")" "$checks" $((checks * 1000000 / (us ? us : 1)))
}

# slowest: the stanzas of the last catalogue run that took longest (its JUnit times; the
# wall time of each stanza from VMM start to end, under -j JOBS), at most 8.
slowest()
{
	[[ -s $WORK/junit.xml ]] || return 0
	awk 'match($0, /<testcase [^>]*name="[^"]*" time="[0-9.]+"/) {
		s = substr($0, RSTART, RLENGTH)
		n = s; sub(/.* name="/, "", n); sub(/".*/, "", n)
		t = s; sub(/.* time="/, "", t); sub(/"$/, "", t)
		printf "%s %s\n", t, n
	}' "$WORK/junit.xml" | sort -rn | head -n 8 | while read -r t n; do
		printf '  %-26s %s s\n' "$n" "$t"
	done
}

# exits: the bench_exit subtests of the stanzas the last catalogue ran (logs newer than
# $WORK/mark): per stanza the median cost of a CPUID exit/entry round trip in guest TSC
# cycles (x86/svm, x86/vmx; under Bochs, sync=none, the TSC is emulated time).
exits()
{
	local log line

	while IFS= read -r log; do
		line=$(grep -m 1 'INFO: bench_exit: exit round trip: ' "$log") || continue
		line=${line#*exit round trip: median }
		printf '  %-26s %s\n' "$(basename "$log" .log)" "${line/ TSC cycles/}"
	done < <(find logs -maxdepth 1 -name '*.log' -newer "$WORK/mark" | sort)
}

# median CMD...: run CMD RUNS times; print "<median> s (<min>-<max>)".
median()
{
	local t0 i n
	local -a times=()

	for ((i = 0; i < RUNS; i++)); do
		t0=$(now_us)
		timeout 120 "$@" </dev/null >/dev/null 2>&1
		times+=($(($(now_us) - t0)))
	done
	mapfile -t times < <(printf '%s\n' "${times[@]}" | sort -n)
	n=${#times[@]}
	printf '%s s (%s-%s)' "$(secs "${times[n / 2]}")" "$(secs "${times[0]}")" \
		"$(secs "${times[n - 1]}")"
}

# selftest VMM ACCEL MACHINE: the boot-to-exit of the first stanza of group selftest
# (x86: selftest), timing the command its log starts with (the runner writes it for
# MACHINE), or why there is none.
selftest()
{
	local cmd

	MACHINE=$3 ACCEL=$2 NO_COLOR=1 ./run_tests.sh --vmm "$1" "$SELFTEST" >/dev/null 2>&1
	cmd=$(head -n 1 "logs/$SELFTEST.log" 2>/dev/null)
	if [[ -z $cmd || $cmd == "# SKIP"* ]]; then
		printf 'n/a (%s)' "${cmd:-no selftest log}"
		return
	fi
	median bash -c "$cmd"
}

# floor VMM ACCEL MACHINE: the boot-to-exit of floor.elf, by the backend's own command.
floor()
{
	local -a cmd T_PARAMS=()

	# shellcheck disable=SC2034 # the T_* variables are read by vmm_<vmm>_command
	T_IMAGE=$WORK/floor.elf T_SMP=1 T_ARGS="" T_ENVFILE=$WORK/floor.env T_ACCEL=$2
	# shellcheck disable=SC2034
	T_MACHINE=$3 T_CPU="" T_TIMEOUT=60
	printf 'HVPROBE_TEST=floor\n' >"$T_ENVFILE"
	# Bochs' loader is found beside a test image's directory; this one is elsewhere.
	[[ $1 == bochs ]] && T_PARAMS=(--bootsect "$PWD/lib/x86/bootsect.bin")
	"vmm_$1_init"
	"vmm_$1_command" cmd
	median "${cmd[@]}"
}

row()
{
	printf '  %-8s %-15s %s\n' "$@"
}

main()
{
	local vmm accel m f head testdir floor_ok=1

	while getopts n:j:h opt; do
		case $opt in
		n) RUNS=$OPTARG ;;
		j) JOBS=$OPTARG ;;
		*) sed -n '4,13s/^# \{0,1\}//p' "$SELF"; exit 2 ;;
		esac
	done
	[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "-n wants a number of runs"
	[[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "-j wants a number of jobs"
	[[ -x ./run_tests.sh && -f config.mak ]] || die "run me from a build directory"
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/hvprobe-bench.XXXXXX") || die "mktemp failed"
	trap 'rm -rf "$WORK"' EXIT
	NO_COLOR=1 ./run_tests.sh -l >/dev/null || die "./run_tests.sh -l failed"
	SELFTEST=$(NO_COLOR=1 ./run_tests.sh -l -g selftest | head -n 1)
	ARCH=$(sed -n 's/^ARCH=//p' config.mak)
	HOST_ARCH=$(uname -m)
	build_floor >"$WORK/floor.log" 2>&1 || floor_ok=0

	head="hvprobe bench: $ARCH, $(nproc) host CPUs, -j $JOBS, $RUNS runs"
	head+=", $(date -u '+%Y-%m-%d %H:%M UTC')"
	git -C "$SRCDIR" rev-parse >/dev/null 2>&1 &&
		head+=", $(git -C "$SRCDIR" describe --always --dirty)"
	printf '%s\n' "$head"
	while read -r vmm accel; do
		"vmm_${vmm}_init"
		printf '\n%s %s %s\n' "$vmm" "$accel" "$VMM_VERSION"
		touch "$WORK/mark"
		printf '  catalogue: %s\n' "$(catalogue "$vmm" "$accel")"
		printf '  %-26s %s\n' "slowest stanzas" "wall time (-j $JOBS)"
		slowest
		printf '  %-26s %s\n' "exit round trip of" "TSC cycles: median (min, max, trips)"
		exits
		row machine what "boot-to-exit, median (min-max)"
		for m in $(machines "$vmm"); do
			row "$m" "$SELFTEST" "$(selftest "$vmm" "$accel" "$m")"
			if ((floor_ok)); then
				row "$m" floor "$(floor "$vmm" "$accel" "$m")"
			else
				row "$m" floor "n/a (no image: $(tail -n 1 "$WORK/floor.log"))"
			fi
		done
	done < <(setups)

	testdir=$(sed -n 's/^TESTDIR=//p' config.mak)
	printf '\n%-32s %10s\n' image bytes
	for f in "${testdir:-x86}"/*.flat; do
		[[ -e $f ]] && printf '%-32s %10s\n' "$f" "$(stat -c %s "$f")"
	done
	return 0
}

main "$@"
