#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A stand-in for qemu-system-x86_64 in the runner's own tests (QEMU=.../fake-qemu.sh), and
# for Bochs: copied over scripts/bochs-boot.sh it takes that script's options (--elf,
# --env, ...), and as BOCHS=.../fake-qemu.sh "-n" prints the banner Bochs starts with. The
# "image" given with -kernel or --elf is a script of what this fake VMM does, one action a
# line:
#   out TEXT      print TEXT and a newline on stdout (the guest's serial console)
#   outcr TEXT    the same with a CR LF line end
#   err TEXT      print TEXT on stderr (QEMU's own messages)
#   sleep N       wait N seconds
#   hang          never exit (the runner's timeout must kill it)
#   kill SIGNAL   die from SIGNAL
#   exit N        exit with status N (the default at the end is 0)
#   outb TEXT     print TEXT with printf's %b escapes (\033, \r, \x07, ...) and a newline
#   errb TEXT     the same on stderr
#   deaf          from now on ignore SIGTERM (only SIGKILL stops it)
#   flood N TEXT  print the line TEXT N times
#   bytes N       print N bytes "x" without a line end
#   meet DIR N    wait (up to 60 s) until N fake VMMs have arrived in DIR, then print
#                 "INFO: met N"; alone past the limit print "INFO: alone" (tests of -j)
#   ifarg WORD ACTION   ACTION only when the guest's command line (-append or --args) has
#                 the word WORD (a known-crash run adds the subtest glob there)
# With FAKE_QEMU_RECORD=DIR it saves its arguments (one a line; the path given with -initrd
# or --env, which is private to each run, as @ENV@) to DIR/<test>.args, that path to
# DIR/<test>.envpath, the environment file to DIR/<test>.env and its pid to DIR/<test>.pid.

set -u
shopt -s extglob

case ${1-} in
--version)
	printf 'QEMU emulator version %s (fake)\n' "${FAKE_QEMU_VERSION:-7.2.22}"
	exit 0
	;;
-n)
	printf '%s\n' "${FAKE_BOCHS_BANNER:-                        Bochs x86 Emulator 2.7}"
	exit 0
	;;
esac

args=("$@")
kernel="" initrd="" append=""
for ((i = 0; i + 1 < ${#args[@]}; i++)); do
	case ${args[i]} in
	-kernel | --elf) kernel=${args[i + 1]} ;;
	-initrd | --env) initrd=${args[i + 1]} ;;
	-append | --args) append=${args[i + 1]} ;;
	esac
done
if [[ ! -r $kernel || ! -r $initrd ]]; then
	echo "fake-qemu: -kernel/--elf or -initrd/--env missing or unreadable" >&2
	exit 1
fi
test=""
while IFS= read -r line; do
	[[ $line == HVPROBE_TEST=* ]] && test=${line#HVPROBE_TEST=}
done <"$initrd"
if [[ -n ${FAKE_QEMU_RECORD-} ]]; then
	for ((i = 0; i < ${#args[@]}; i++)); do
		[[ ${args[i]} == "$initrd" && ${args[i - 1]} == @(-initrd|--env) ]] && args[i]=@ENV@
	done
	printf '%s\n' "${args[@]}" >"$FAKE_QEMU_RECORD/$test.args"
	printf '%s\n' "$initrd" >"$FAKE_QEMU_RECORD/$test.envpath"
	cp "$initrd" "$FAKE_QEMU_RECORD/$test.env"
	printf '%s\n' "$$" >"$FAKE_QEMU_RECORD/$test.pid"
fi

while IFS= read -r line || [[ -n $line ]]; do
	verb=${line%% *}
	text=${line#"$verb"}
	text=${text# }
	if [[ $verb == ifarg ]]; then
		[[ " $append " == *" ${text%% *} "* ]] || continue
		line=${text#* }
		verb=${line%% *}
		text=${line#"$verb"}
		text=${text# }
	fi
	case $verb in
	out) printf '%s\n' "$text" ;;
	outb) printf '%b\n' "$text" ;;
	errb) printf '%b\n' "$text" >&2 ;;
	deaf) trap '' TERM ;;
	flood) yes -- "${text#* }" | head -n "${text%% *}" ;;
	bytes) head -c "$text" /dev/zero | tr '\0' x ;;
	outcr) printf '%s\r\n' "$text" ;;
	err) printf '%s\n' "$text" >&2 ;;
	sleep) sleep "$text" ;;
	hang) exec sleep 1000 ;;
	meet)
		mkdir -p "${text% *}" && : >"${text% *}/$$"
		for ((t = 0; t < 600; t++)); do
			n=$(find "${text% *}" -type f | wc -l)
			((n >= ${text##* })) && break
			sleep 0.1
		done
		if ((n >= ${text##* })); then echo "INFO: met $n"; else echo "INFO: alone"; fi
		;;
	kill) kill -s "$text" $$ ;;
	exit) exit "$text" ;;
	esac
done <"$kernel"
exit 0
