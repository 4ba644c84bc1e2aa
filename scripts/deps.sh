#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The Debian packages a task needs, installed when missing. Only ./run_tests.sh, make check
# and .ci/run call it to install; make and ./configure never install anything.
#   scripts/deps.sh [--as NAME] [--print] build|vmm|run|check|all [ARCH] [VMM]
# ARCH: x86_64, arm64 (aarch64), riscv64 or s390x; default the host's. build: make and the
# compiler (a guest arch other than the host's needs the cross compiler); vmm: the VMM's
# packages (VMM qemu, the default, or bochs; none: a VMM binary of the user's own); run:
# both; check and all: every VMM of the arch and the tools of the project's own tests.
# Nothing missing: silent, exit 0. Missing, as root: one line on stderr saying what it
# installs, apt-get's output in a log shown only if it fails. Missing, as another user, or
# with --print, or when installing fails: the exact apt-get line on stderr, exit 1; but a
# package that only makes runs faster (qboot, for vmm and run) is a one-line hint there,
# exit 0. NAME prefixes the messages (default deps.sh).
set -eu

prog=deps.sh
print_only=0
while [ $# -gt 0 ]; do
	case $1 in
	--as) prog=$2; shift 2 ;;
	--print) print_only=1; shift ;;
	*) break ;;
	esac
done

need=() optional=()
want() {
	# want <command> <debian package>
	command -v "$1" >/dev/null 2>&1 || need+=("$2")
}

usage() {
	echo "usage: $0 [--as NAME] [--print] build|vmm|run|check|all" \
		"[x86_64|arm64|riscv64|s390x] [qemu|bochs|none]" >&2
	exit 2
}

host=$(uname -m)
task=${1:-all}
arch=${2:-$host}
vmm=${3:-qemu}
[ "$arch" = aarch64 ] && arch=arm64
[ "$host" = aarch64 ] && host=arm64

case "$task:$vmm" in
build:* | vmm:qemu | vmm:bochs | vmm:none | run:qemu | run:bochs | run:none | check:* | all:*) ;;
*) usage ;;
esac
# The GNU triplet of the cross compiler, and the qemu-system-* binary and its package.
case "$arch" in
x86_64) triplet=x86_64-linux-gnu qemu=x86_64 qemu_pkg=qemu-system-x86 ;;
arm64) triplet=aarch64-linux-gnu qemu=aarch64 qemu_pkg=qemu-system-arm ;;
riscv64 | s390x) triplet=$arch-linux-gnu qemu=$arch qemu_pkg=qemu-system-misc ;;
*) usage ;;
esac
case "$task" in
build) vmm=none ;;
check | all) vmm=all ;;
esac

if [ "$task" != vmm ]; then
	want make make
	want gcc gcc
	want objcopy binutils
	# Cross gcc: Debian's gcc-<triplet> also pulls in binutils-<triplet> (objcopy, addr2line).
	[ "$arch" = "$host" ] || want "$triplet-gcc" "gcc-${triplet//_/-}"
fi
case "$vmm" in
qemu | all)
	want "qemu-system-$qemu" "$qemu_pkg"
	# qboot is the fast x86 firmware; Debian ships it in qemu-system-data.
	if [ "$arch" = x86_64 ]; then
		# Without it QEMU boots SeaBIOS, seconds slower: only make check requires it.
		if [ ! -e /usr/share/qemu/qboot.rom ]; then
			case "$task" in
			vmm | run) optional+=(qemu-system-data) ;;
			*) need+=(qemu-system-data) ;;
			esac
		fi
	fi
	;;
esac
# Bochs, the second x86 VMM: the term display and the VGA BIOS are separate packages.
case "$vmm:$arch" in
bochs:x86_64 | all:x86_64)
	want bochs bochs
	[ -e /usr/lib/x86_64-linux-gnu/bochs/plugins/libbx_term_gui.so ] || need+=(bochs-term)
	[ -e /usr/share/bochs/BIOS-bochs-latest ] || need+=(bochsbios)
	[ -e /usr/share/vgabios/vgabios.bin ] || need+=(vgabios)
	;;
bochs:*) echo "$prog: Bochs runs x86_64 guests only, not $arch" >&2; exit 1 ;;
esac
case "$task" in
check | all)
	want shellcheck shellcheck
	want xmllint libxml2-utils
	want prove perl
	# The CI files are validated with Debian's python3 and its YAML parser.
	if [ ! -x /usr/bin/python3 ]; then
		need+=(python3 python3-yaml)
	elif ! /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
		need+=(python3-yaml)
	fi
	;;
esac

root=1
[ "$print_only" -eq 0 ] && [ "$(id -u)" -eq 0 ] || root=0
if [ ${#need[@]} -eq 0 ] && [ ${#optional[@]} -gt 0 ] && [ "$root" -eq 0 ]; then
	echo "$prog: hint: installing ${optional[*]} makes runs faster (apt-get install" \
		"${optional[*]})" >&2
	exit 0
fi
need+=("${optional[@]}")
[ ${#need[@]} -eq 0 ] && exit 0
mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
line="apt-get install -y --no-install-recommends ${need[*]}"
if [ "$root" -eq 0 ]; then
	echo "$prog: missing packages; as root run: apt-get update && $line" >&2
	exit 1
fi
echo "$prog: installing ${need[*]} ($line)" >&2
log=$(mktemp "${TMPDIR:-/tmp}/hvprobe-apt.XXXXXX")
export DEBIAN_FRONTEND=noninteractive
if { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}"; } \
	>"$log" 2>&1 </dev/null; then
	rm -f "$log"
	exit 0
fi
tail -n 20 "$log" >&2
echo "$prog: installing failed (apt-get output: $log); as root run:" \
	"apt-get update && $line" >&2
exit 1
