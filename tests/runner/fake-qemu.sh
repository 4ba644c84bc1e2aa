#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A stand-in for qemu-system-x86_64 in the runner's own tests (QEMU=.../fake-qemu.sh). The
# "image" given with -kernel is a script of what this fake VMM does, one action a line:
#   out TEXT      print TEXT and a newline on stdout (the guest's serial console)
#   outcr TEXT    the same with a CR LF line end
#   err TEXT      print TEXT on stderr (QEMU's own messages)
#   sleep N       wait N seconds
#   hang          never exit (the runner's timeout must kill it)
#   kill SIGNAL   die from SIGNAL
#   exit N        exit with status N (the default at the end is 0)
# With FAKE_QEMU_RECORD=DIR it saves its arguments (one a line) to DIR/<test>.args and the
# environment file given with -initrd to DIR/<test>.env.

set -u

if [[ ${1-} == --version ]]; then
	printf 'QEMU emulator version %s (fake)\n' "${FAKE_QEMU_VERSION:-7.2.22}"
	exit 0
fi

args=("$@")
kernel="" initrd=""
for ((i = 0; i + 1 < ${#args[@]}; i++)); do
	case ${args[i]} in
	-kernel) kernel=${args[i + 1]} ;;
	-initrd) initrd=${args[i + 1]} ;;
	esac
done
if [[ ! -r $kernel || ! -r $initrd ]]; then
	echo "fake-qemu: -kernel or -initrd missing or unreadable" >&2
	exit 1
fi
test=$(sed -n 's/^HVPROBE_TEST=//p' "$initrd")
if [[ -n ${FAKE_QEMU_RECORD-} ]]; then
	printf '%s\n' "$@" >"$FAKE_QEMU_RECORD/$test.args"
	cp "$initrd" "$FAKE_QEMU_RECORD/$test.env"
fi

while IFS= read -r line || [[ -n $line ]]; do
	verb=${line%% *}
	text=${line#"$verb"}
	text=${text# }
	case $verb in
	out) printf '%s\n' "$text" ;;
	outcr) printf '%s\r\n' "$text" ;;
	err) printf '%s\n' "$text" >&2 ;;
	sleep) sleep "$text" ;;
	hang) exec sleep 1000 ;;
	kill) kill -s "$text" $$ ;;
	exit) exit "$text" ;;
	esac
done <"$kernel"
exit 0
