#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Make sure the commands a task needs are installed: as root, apt-get them;
# otherwise print the exact apt-get line and fail.
#   scripts/deps.sh build|run|check|all [arch]
set -eu

need=()
want() {
	# want <command> <debian package>
	command -v "$1" >/dev/null 2>&1 || need+=("$2")
}

task=${1:-all}
arch=${2:-x86_64}

case "$task" in
build | run | check | all) ;;
*) echo "usage: $0 build|run|check|all [arch]" >&2; exit 2 ;;
esac

want make make
want gcc gcc
want objcopy binutils
case "$task" in
run | check | all)
	case "$arch" in
	x86_64) want qemu-system-x86_64 qemu-system-x86 ;;
	esac
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
# qboot is the fast firmware; Debian ships it in qemu-system-data.
case "$task" in
run | check | all)
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
