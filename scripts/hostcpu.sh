#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The description of the host CPU that known-failures.txt host conditions are matched
# against (docs/known-failures.md): a list of words, from /proc/cpuinfo
#   vendor:<vendor_id>  family:0x<hex>  model:0x<hex>  every flag as it is
# and from scripts/hostcpu-probe.c, built with the host's cc into the build directory on
# first use (x86_64 hosts only)
#   exec:<insn>  xcr0:0x<hex>
# HVPROBE_HOST="word word ..." replaces the whole description. A probe that cannot be built
# or run leaves the /proc/cpuinfo words, said once on stderr; nothing here stops a run.
# Sourced, never executed.
# shellcheck disable=SC2034 # globals set here are read by the files sourcing this one

HOST_WORDS="" HOST_DESCRIBED=0
# Set by a standalone script to the probe it carries ("none" if it has none); empty: build it
# from the source tree.
HOSTCPU_PROBE_BIN=${HOSTCPU_PROBE_BIN-}

# hostcpu_cpuinfo FILE: the words of the first processor of FILE (/proc/cpuinfo format).
hostcpu_cpuinfo()
{
	local line key value words=""

	while IFS= read -r line; do
		[[ -z $line && -n $words ]] && break
		[[ $line == *:* ]] || continue
		key=${line%%:*} value=${line#*:}
		key=${key%"${key##*[![:space:]]}"}
		value=${value# }
		case $key in
		vendor_id) words+=" vendor:$value" ;;
		"cpu family" | model)
			[[ $value =~ ^[0-9]+$ ]] || continue
			[[ $key == model ]] || key=family
			words+=" $(printf '%s:0x%x' "$key" "$((10#$value))")"
			;;
		flags | Features) words+=" $value" ;;
		esac
	done <"$1"
	printf '%s' "${words# }"
}

# hostcpu_probe_path: set HOSTCPU_PROBE to the probe to run, building it first if it is
# missing or older than its source; false after setting HOSTCPU_WHY when there is none.
hostcpu_probe_path()
{
	local src=$SRCDIR/scripts/hostcpu-probe.c out=${BUILDDIR:-$SRCDIR}/hostcpu-probe cc

	HOSTCPU_PROBE="" HOSTCPU_WHY=""
	if [[ $HOSTCPU_PROBE_BIN == none ]]; then
		HOSTCPU_WHY="this standalone script has none (made on another arch or without cc)"
		return 1
	elif [[ -n $HOSTCPU_PROBE_BIN ]]; then
		HOSTCPU_PROBE=$HOSTCPU_PROBE_BIN
		return 0
	fi
	if [[ ! -r $src ]]; then
		HOSTCPU_WHY="$src is missing"
		return 1
	fi
	if [[ ! -x $out || $src -nt $out ]]; then
		cc=${HOSTCC:-cc}
		if ! command -v "$cc" >/dev/null 2>&1; then
			HOSTCPU_WHY="no host C compiler $cc to build it (apt-get install gcc)"
			return 1
		fi
		# A temporary name, then a rename: parallel runs never see half a binary.
		if ! "$cc" -O2 -o "$out.$$" "$src" 2>/dev/null || ! mv -f "$out.$$" "$out"; then
			rm -f "$out.$$"
			HOSTCPU_WHY="$cc could not build $src"
			return 1
		fi
	fi
	HOSTCPU_PROBE=$out
}

# host_describe: set HOST_WORDS once per run (later calls do nothing).
host_describe()
{
	local words

	((HOST_DESCRIBED)) && return 0
	HOST_DESCRIBED=1
	if [[ -n ${HVPROBE_HOST+set} ]]; then
		HOST_WORDS=$HVPROBE_HOST
		return 0
	fi
	HOST_WORDS=""
	[[ -r /proc/cpuinfo ]] && HOST_WORDS=$(hostcpu_cpuinfo /proc/cpuinfo)
	[[ $(uname -m) == x86_64 ]] || return 0
	if hostcpu_probe_path && words=$("$HOSTCPU_PROBE" 2>/dev/null); then
		HOST_WORDS+=" ${words//$'\n'/ }"
		return 0
	fi
	[[ -n $HOSTCPU_WHY ]] || HOSTCPU_WHY="$HOSTCPU_PROBE failed"
	warn "host CPU probe unavailable ($HOSTCPU_WHY): known-failures.txt host conditions" \
		"see the /proc/cpuinfo words only"
}

# host_matches CONDITIONS: true if every space-separated condition holds for HOST_WORDS:
# "<glob>" some word matches it, "!<glob>" no word does; "*" alone is any host.
host_matches()
{
	local cond glob word hit
	local -a conds words

	[[ $1 == "*" ]] && return 0
	host_describe
	# read -a splits without pathname expansion: conditions are globs.
	read -r -a conds <<<"$1"
	read -r -a words <<<"$HOST_WORDS"
	for cond in "${conds[@]}"; do
		glob=${cond#!}
		hit=0
		for word in "${words[@]}"; do
			# shellcheck disable=SC2053 # the condition is a glob
			[[ $word == $glob ]] && hit=1 && break
		done
		if [[ $cond == !* ]]; then
			((hit)) && return 1
		else
			((hit)) || return 1
		fi
	done
	return 0
}
