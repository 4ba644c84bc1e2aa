#!/bin/bash
# SPDX-License-Identifier: MIT
#
# What each test asks of a VMM, counted under QEMU TCG: guest instructions per vCPU, port
# I/O instructions (each one VM exit under KVM; a REP OUTSB counts once), device accesses by
# QEMU device, and HLT/WFI executed. Where a hypervisor emulates guest kernel code one
# instruction at a time (kvm-pvm: about 0.67 us an instruction) and exits to QEMU cost tens
# of microseconds, these counts are a test's cost; this measures them without that
# hypervisor. Counts, not times: TCG runs the same code, but how long one vCPU spins while
# another works depends on their relative speed. Not a test; from a build directory, after
# a catalogue run or not. Slow (every translated block is logged): name a few stanzas.
# Usage: tcg-costs.sh [-v] [NAME...]    (default: every stanza the catalogue runs by default)

set -u -o pipefail

PROG=tcg-costs.sh
SELF=$(realpath "${BASH_SOURCE[0]}")
VERBOSE=0

die()
{
	printf '%s: %s\n' "$PROG" "$*" >&2
	exit 2
}

# The log of one run (QEMU -d exec,nochain,in_asm plus the memory_region_ops trace events)
# to counts: "cpu N kinsns UINSNS io HALTS", then "dev NAME ACCESSES" lines.
# shellcheck disable=SC2016 # an awk program: its $ are awk's
COUNT_AWK='
function mnemonic(    i) {
	for (i = 2; i <= NF; i++)
		if (!((length($i) == 2 || length($i) == 8) && $i ~ /^[0-9a-f]+$/))
			return $i == "rep" || $i == "repz" || $i == "repnz" ? "rep " $(i + 1) : $i
	return ""
}
/^IN:/ { inb = 1; pc = ""; n = io = halt = rep = 0; next }
inb && /^0x[0-9a-f]+:/ {
	if (pc == "") { pc = $1; sub(/:$/, "", pc); sub(/^0x0*/, "", pc) }
	m = mnemonic(); n++
	if (m ~ /^(rep )?(in|out)s?[bwld]?$/) { io++; rep = m ~ /^rep / }
	if (m == "hlt" || m == "wfi") halt++
	next
}
inb { inb = 0; len[pc] = n; nio[pc] = io; nhalt[pc] = halt; isrep[pc] = rep; next }
/^Trace [0-9]+:/ {
	cpu = $2; sub(/:$/, "", cpu)
	split($4, f, "/"); pc = f[2]; sub(/^0+/, "", pc)
	# x86: CPL in the low bits of the flags (HF_CPL_MASK); arm64: all counted as kernel.
	cpl = x86 ? (index("0123456789abcdef", substr(f[3], length(f[3]), 1)) - 1) % 4 : 0
	seen[cpu] = 1
	if (cpl == 3) user[cpu] += len[pc]; else kern[cpu] += len[pc]
	# A string I/O instruction repeats its block once per element: one exit.
	if (!(isrep[pc] && last[cpu] == pc)) ios[cpu] += nio[pc]
	halts[cpu] += nhalt[pc]
	last[cpu] = pc
	next
}
/memory_region_ops_(read|write)/ {
	dev[$NF]++
	# MMIO (above the 64 KiB port space) of a device QEMU itself emulates: an exit to it.
	for (i = 1; i < NF; i++)
		if ($i == "addr" && length($(i + 1)) > 6 && $NF !~ /apic|gic|hpet/)
			mmio++
}
END {
	for (c in seen) printf "cpu %s %d %d %d %d\n", c, kern[c], user[c], ios[c], halts[c]
	for (d in dev) printf "dev %s %d\n", d, dev[d]
	printf "mmio x %d\n", mmio
}'

# costs NAME: run stanza NAME's logged command under TCG with tracing; print its row.
costs()
{
	local name=$1 cmd fifo=$WORK/trace out=$WORK/counts x86=0 cs
	local cpus=0 kern=0 umode=0 io=0 mmio=0 halts=0 max=0 devs="" tag c k u i h

	cmd=$(head -n 1 "logs/$name.log" 2>/dev/null)
	if [[ -z $cmd || $cmd == "# SKIP"* || $cmd != *accel=tcg* ]]; then
		printf '%-24s not run under QEMU TCG (%s)\n' "$name" "${cmd:-no log}"
		return
	fi
	[[ $ARCH == @(x86_64|i386) ]] && x86=1
	rm -f "$fifo"
	mkfifo "$fifo" || die "mkfifo failed"
	awk -v x86=$x86 "$COUNT_AWK" "$fifo" >"$out" &
	bash -c "$cmd -d exec,nochain,in_asm -D $fifo -trace memory_region_ops_read \
-trace memory_region_ops_write" </dev/null >/dev/null 2>"$WORK/stderr"
	wait
	while read -r tag c k u i h; do
		case $tag in
		cpu)
			cpus=$((cpus + 1)) kern=$((kern + k)) umode=$((umode + u))
			io=$((io + i)) halts=$((halts + h))
			((k > max)) && max=$k
			;;
		mmio) mmio=$k ;;
		dev) devs+="${c//\'/} $k"$'\n' ;;
		esac
	done <"$out"
	# Centiseconds: 0.67 us per kernel instruction, 19 us per exit to QEMU.
	cs=$(((kern * 67 + (io + mmio) * 1900) / 1000000))
	printf '%-24s %4d %10d %10d %8d %7d %6d %6d  %d.%02d\n' "$name" "$cpus" "$kern" "$max" \
		"$umode" "$io" "$mmio" "$halts" $((cs / 100)) $((cs % 100))
	if ((VERBOSE)); then
		printf '    accesses by device:'
		sort -k2 -n -r <<<"${devs%$'\n'}" |
			while read -r c k; do printf ' %s %s' "$c" "$k"; done
		printf '\n'
	fi
}

main()
{
	local name
	local -a names

	[[ ${1-} == -v ]] && VERBOSE=1 && shift
	[[ ${1-} == -* ]] && { sed -n '4,12s/^# \{0,1\}//p' "$SELF"; exit 2; }
	[[ -x ./run_tests.sh && -f config.mak ]] || die "run me from a build directory"
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/hvprobe-costs.XXXXXX") || die "mktemp failed"
	trap 'rm -rf "$WORK"' EXIT
	names=("$@")
	((${#names[@]})) || mapfile -t names < <(NO_COLOR=1 ./run_tests.sh -l)
	ACCEL=tcg NO_COLOR=1 ./run_tests.sh -j 2 "${names[@]}" >/dev/null 2>&1
	ARCH=$(sed -n 's/^ARCH=//p' config.mak)
	printf '%-24s %4s %10s %10s %8s %7s %6s %6s  %s\n' test cpus kernel-insn max-vcpu \
		user-insn port-io mmio halts "est. s"
	for name in "${names[@]}"; do
		costs "$name"
	done
}

main "$@"
