#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Make sure the commands a task needs are installed: as root, apt-get them;
# otherwise print the exact apt-get line and fail.
#   scripts/deps.sh build|run|check|all [arch]
# arch: x86_64, arm64 (aarch64), riscv64 or s390x; default the host's. A
# guest arch other than the host's needs the cross compiler (every task
# builds first); run and check need that arch's QEMU.
set -eu

need=()
want() {
	# want <command> <debian package>
	command -v "$1" >/dev/null 2>&1 || need+=("$2")
}

usage() {
	echo "usage: $0 build|run|check|all [x86_64|arm64|riscv64|s390x]" >&2
	exit 2
}

host=$(uname -m)
task=${1:-all}
arch=${2:-$host}
[ "$arch" = aarch64 ] && arch=arm64
[ "$host" = aarch64 ] && host=arm64

case "$task" in
build | run | check | all) ;;
*) usage ;;
esac
# The GNU triplet of the cross compiler, and the qemu-system-* binary and its package.
case "$arch" in
x86_64) triplet=x86_64-linux-gnu qemu=x86_64 qemu_pkg=qemu-system-x86 ;;
arm64) triplet=aarch64-linux-gnu qemu=aarch64 qemu_pkg=qemu-system-arm ;;
riscv64 | s390x) triplet=$arch-linux-gnu qemu=$arch qemu_pkg=qemu-system-misc ;;
*) usage ;;
esac

want make make
want gcc gcc
want objcopy binutils
# Cross gcc: Debian's gcc-<triplet> also pulls in binutils-<triplet> (objcopy, addr2line).
[ "$arch" = "$host" ] || want "$triplet-gcc" "gcc-${triplet//_/-}"
case "$task" in
run | check | all)
	want "qemu-system-$qemu" "$qemu_pkg"
	;;
esac
case "$task" in
check | all)
	want shellcheck shellcheck
	want xmllint libxml2-utils
	want prove perl
	;;
esac
# Bochs, the second x86 VMM: the term display and the VGA BIOS are separate packages.
case "$task:$arch" in
check:x86_64 | all:x86_64)
	want bochs bochs
	[ -e /usr/lib/x86_64-linux-gnu/bochs/plugins/libbx_term_gui.so ] || need+=(bochs-term)
	[ -e /usr/share/bochs/BIOS-bochs-latest ] || need+=(bochsbios)
	[ -e /usr/share/vgabios/vgabios.bin ] || need+=(vgabios)
	;;
esac
# qboot is the fast x86 firmware; Debian ships it in qemu-system-data.
case "$task:$arch" in
run:x86_64 | check:x86_64 | all:x86_64)
	[ -e /usr/share/qemu/qboot.rom ] || need+=(qemu-system-data)
	;;
esac

[ ${#need[@]} -eq 0 ] && exit 0
mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
line="apt-get install -y --no-install-recommends ${need[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "missing packages; as root run: apt-get update && $line" >&2
	exit 1
fi
echo "installing: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
