#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Boot one x86 test image under Bochs through hvprobe's own disk loader
# (lib/x86/bootsect.S) and print the guest's COM1 output on stdout as it
# appears. docs/bochs.md has the disk layout and the reasons behind the
# bochsrc below.
#
# The verdict is the guest's "EXIT: STATUS=n" line, never this script's
# status: 0 when Bochs ran (it always exits 1 itself), 124 when the timeout
# stopped it, 1 when Bochs did not get as far as the loader, 2 on a usage or
# setup error. Bochs' own errors and panics (a triple fault, a bad bochsrc)
# go to stderr.

set -euo pipefail

PROG=bochs-boot.sh
# Sectors per cylinder of the disk geometry given to Bochs (16 heads, 63 sectors).
CYL_SECTORS=1008
# Boot time of the guest's clock (RTC), fixed so that runs repeat: 2000-01-01 UTC.
TIME0=946684800
# The Debian 12 packages this needs (the term display and the VGA ROM are packaged apart).
PACKAGES="bochs bochs-term bochsbios vgabios"

usage()
{
	cat <<EOF
usage: $PROG --elf IMAGE.elf [options]
  --elf FILE        the test image (x86/<name>.elf or .flat)
  --smp N           CPUs (default 1)
  --cpu MODEL       Bochs CPU model (default corei7_skylake_x; AMD: ryzen)
  --mem MIB         guest memory in MiB (default 256)
  --args "ARGS"     the guest's command line (subtest globs, key=value)
  --env FILE        KEY=VALUE lines handed to the guest as its environment
  --timeout SEC     stop Bochs after SEC seconds, exit 124 (default 60)
  --ips N           emulated instructions per emulated second (default 20000000)
  --bochs PATH      the Bochs binary (default \$BOCHS or bochs)
  --bootsect FILE   the loader (default lib/x86/bootsect.bin beside the image's x86/)
  --keep DIR        keep the disk image, bochsrc, logs and COM1 output in DIR
EOF
	exit 2
}

die()
{
	printf '%s: %s\n' "$PROG" "$*" >&2
	exit 2
}

# le32 VALUE: VALUE as 4 little-endian bytes on stdout.
le32()
{
	local v=$1

	printf '%b' "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((v & 255)) \
		$((v >> 8 & 255)) $((v >> 16 & 255)) $((v >> 24 & 255)))"
}

# pad FILE MULTIPLE: extend FILE with zeros to a multiple of MULTIPLE bytes.
pad()
{
	local size

	size=$(stat -c %s "$1")
	truncate -s $(((size + $2 - 1) / $2 * $2)) "$1"
}

parse_args()
{
	ELF="" SMP=1 CPU=corei7_skylake_x MEM=256 ARGS="" ENVFILE="" TIMEOUT=60
	BOCHS=${BOCHS:-bochs} BOOTSECT="" KEEP="" IPS=20000000
	while (($#)); do
		[[ $1 == --help || $1 == -h ]] && usage
		(($# >= 2)) || usage
		case $1 in
		--elf) ELF=$2 ;;
		--smp) SMP=$2 ;;
		--cpu) CPU=$2 ;;
		--mem) MEM=$2 ;;
		--args) ARGS=$2 ;;
		--env) ENVFILE=$2 ;;
		--timeout) TIMEOUT=$2 ;;
		--ips) IPS=$2 ;;
		--bochs) BOCHS=$2 ;;
		--bootsect) BOOTSECT=$2 ;;
		--keep) KEEP=$2 ;;
		*) usage ;;
		esac
		shift 2
	done
	[[ -n $ELF ]] || usage
	[[ -r $ELF ]] || die "cannot read image $ELF"
	[[ $SMP =~ ^[1-9][0-9]*$ ]] || die "--smp wants a CPU count, not '$SMP'"
	if [[ ! $MEM =~ ^[1-9][0-9]*$ ]] || ((MEM < 16 || MEM > 2048)); then
		die "--mem wants 16..2048 MiB, not '$MEM'"
	fi
	[[ $IPS =~ ^[1-9][0-9]{5,9}$ ]] || die "--ips wants 100000 or more, not '$IPS'"
	[[ $TIMEOUT =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--timeout wants seconds, not '$TIMEOUT'"
	[[ -z $ENVFILE || -r $ENVFILE ]] || die "cannot read environment file $ENVFILE"
	[[ -n $BOOTSECT ]] || BOOTSECT=$(dirname "$ELF")/../lib/x86/bootsect.bin
	[[ -r $BOOTSECT ]] || die "no loader $BOOTSECT (make builds lib/x86/bootsect.bin)"
	command -v "$BOCHS" >/dev/null || die "$BOCHS not found (apt-get install $PACKAGES)"
}

# image_info: set ENTRY and LOAD (the lowest PT_LOAD physical address) from $ELF.
image_info()
{
	ENTRY=$(readelf -hW "$ELF" | awk '/Entry point address:/ { print $4 }')
	LOAD=$(readelf -lW "$ELF" | awk '$1 == "LOAD" { print $4; exit }')
	[[ $ENTRY =~ ^0x[0-9a-f]+$ && $LOAD =~ ^0x[0-9a-f]+$ ]] ||
		die "$ELF: no entry point or loadable segment (readelf)"
	((LOAD >= 0x100000 && ENTRY >= LOAD)) ||
		die "$ELF: load address $LOAD below 1 MiB or entry $ENTRY below it"
}

# make_disk DIR: DIR/disk.img = loader, parameter block, image; sets DISK_CYLS.
make_disk()
{
	local dir=$1 img=$1/image.bin par=$1/params.bin cmd=$1/cmdline.bin
	local loader_sectors img_sectors par_sectors cmd_len env_len size

	"${OBJCOPY:-objcopy}" -O binary "$ELF" "$img" || die "objcopy failed on $ELF"
	size=$(stat -c %s "$img")
	((LOAD + size <= MEM * 1048576)) ||
		die "$ELF ($size bytes at $LOAD) does not fit in $MEM MiB"
	pad "$img" 512
	img_sectors=$(($(stat -c %s "$img") / 512))
	loader_sectors=$(($(stat -c %s "$BOOTSECT") / 512))

	# The guest skips the first word of the command line (a loader's image path).
	printf '%s %s\0' "$(basename "$ELF" | tr -c 'A-Za-z0-9._\n-' _)" "$ARGS" >"$cmd"
	cmd_len=$(stat -c %s "$cmd")
	env_len=0
	[[ -z $ENVFILE ]] || env_len=$(stat -c %s "$ENVFILE")
	par_sectors=$(((512 + cmd_len + env_len + 511) / 512))
	((par_sectors <= 127)) || die "command line and environment exceed 64 KiB"
	{
		printf 'HVPB'
		le32 "$par_sectors"
		le32 $((loader_sectors + par_sectors))
		le32 "$img_sectors"
		le32 "$LOAD"
		le32 "$ENTRY"
		le32 512
		le32 $((512 + cmd_len))
		le32 "$env_len"
	} >"$par"
	truncate -s 512 "$par"
	cat "$cmd" >>"$par"
	[[ -z $ENVFILE ]] || cat "$ENVFILE" >>"$par"
	pad "$par" 512

	cat "$BOOTSECT" "$par" "$img" >"$dir/disk.img"
	pad "$dir/disk.img" $((CYL_SECTORS * 512))
	DISK_CYLS=$(($(stat -c %s "$dir/disk.img") / 512 / CYL_SECTORS))
}

# write_rc DIR: DIR/bochsrc for this run.
write_rc()
{
	local dir=$1 share=/usr/share/bochs vga

	[[ -r $share/BIOS-bochs-latest ]] ||
		die "no $share/BIOS-bochs-latest (apt-get install $PACKAGES)"
	vga=$share/VGABIOS-lgpl-latest
	[[ -r $vga ]] || vga=/usr/share/seabios/vgabios-isavga.bin
	[[ -r $vga ]] || die "no VGA BIOS (apt-get install $PACKAGES)"
	cat >"$dir/bochsrc" <<EOF
megs: $MEM
romimage: file=$share/BIOS-bochs-latest, options=fastboot
vgaromimage: file=$vga
cpu: model=$CPU, count=$SMP, ips=$IPS, reset_on_triple_fault=0, ignore_bad_msrs=0
pci: enabled=1, chipset=i440fx
plugin_ctrl: parallel=0, gameport=0, iodebug=0, speaker=0
display_library: term
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=disk, path=$dir/disk.img, mode=flat, cylinders=$DISK_CYLS, heads=16, spt=63
ata0-slave: type=cdrom, status=ejected
ata1: enabled=0
boot: disk
floppy_bootsig_check: disabled=1
clock: sync=none, time0=$TIME0
com1: enabled=1, mode=file, dev=$dir/com1.txt
port_e9_hack: enabled=1
sound: driver=dummy
mouse: enabled=0
log: $dir/bochs.log
# info: the BIOS's "Booting from" line tells that Bochs reached the loader.
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
EOF
	# The debugger is compiled in: without a "continue" it stops at the first instruction.
	printf 'c\n' >"$dir/debugger.rc"
}

# bochs_errors DIR: Bochs' errors and panics on stderr. The CPU's error lines are
# mostly the guest's own doing (a test that faults on purpose): they are shown only
# before a panic (a triple fault), as its context. The guest's "Shutdown" is no error.
bochs_errors()
{
	local lines

	lines=$(cat "$1/bochs.err" "$1/bochs.log" 2>/dev/null |
		grep -E '^[0-9]+[ep]\[|^\*\*\*' |
		grep -v -e 'Shutdown port: shutdown requested' -e 'no bxevent_callback' || true)
	[[ -n $lines ]] || return 0
	if grep -q '^[0-9]*p\[' <<<"$lines"; then
		grep '^[0-9]*e\[CPU' <<<"$lines" | tail -n 5 || true
	fi
	grep -v '^[0-9]*e\[CPU' <<<"$lines" || true
}

# run DIR: Bochs in the background, its COM1 file on stdout until it exits.
run()
{
	local dir=$1 pid tailpid rc=0

	: >"$dir/com1.txt"
	# SIGINT drops Bochs into its debugger, which reads EOF and quits; it ignores SIGTERM.
	rm -f "$dir/disk.img.lock"
	(cd "$dir" && exec env TERM=dumb timeout -s INT -k 2 "$TIMEOUT" "$BOCHS" -q -f bochsrc \
		-rc debugger.rc </dev/null >"$dir/bochs.out" 2>"$dir/bochs.err") &
	pid=$!
	# shellcheck disable=SC2064 # expand now: pid is local
	trap "kill -INT $pid 2>/dev/null; exit 143" INT TERM
	tail -s 0.02 -n +1 -f --pid="$pid" "$dir/com1.txt" &
	tailpid=$!
	wait "$pid" || rc=$?
	wait "$tailpid" || true
	trap - INT TERM
	bochs_errors "$dir" | sed 's/^/bochs: /' >&2
	case $rc in
	0 | 1) ;;
	124 | 137)
		printf '%s: timeout: Bochs stopped after %ss\n' "$PROG" "$TIMEOUT" >&2
		return 124
		;;
	*) return "$rc" ;;
	esac
	if ! grep -q 'Booting from 0000:7c00' "$dir/bochs.log" 2>/dev/null; then
		printf '%s: Bochs did not reach the loader (errors above; packages: %s)\n' "$PROG" \
			"$PACKAGES" >&2
		return 1
	fi
}

main()
{
	local dir rc=0

	parse_args "$@"
	image_info
	if [[ -n $KEEP ]]; then
		mkdir -p "$KEEP" || die "cannot create $KEEP"
		dir=$(cd "$KEEP" && pwd)
	else
		dir=$(mktemp -d "${TMPDIR:-/tmp}/hvprobe-bochs.XXXXXX")
		# shellcheck disable=SC2064 # expand now: dir is local
		trap "rm -rf '$dir'" EXIT
	fi
	make_disk "$dir"
	write_rc "$dir"
	run "$dir" || rc=$?
	exit "$rc"
}

main "$@"
