#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Turns the code addresses a failed run left behind into "file:line (function)" with
# addr2line (binutils) and the image's ELF (x86/<name>.elf beside x86/<name>.flat): the
# guest's "Backtrace: <ip> <return address>..." lines (lib/setup.c backtrace_print) and the
# instruction pointer of a VMM's register dump when it stopped the guest. Only reasons and
# logs change; nothing here decides a verdict. Without addr2line or the ELF it does nothing.
# Sourced, never executed.
# shellcheck disable=SC2034 # globals set here are read by the files sourcing this one

SYM_MAX_LINES=8

# sym_addr2line: the addr2line for the configured arch (cross binutils first), or nothing.
sym_addr2line()
{
	local tool

	for tool in "${CONFIG[CROSS_PREFIX]-}addr2line" addr2line; do
		command -v "$tool" >/dev/null 2>&1 && printf '%s' "$tool" && return 0
	done
	return 1
}

# sym_path FILE: FILE relative to the source or build directory when it is inside one.
sym_path()
{
	local f=$1

	f=${f#"$SRCDIR"/}
	[[ -n ${BUILDDIR-} ]] && f=${f#"$BUILDDIR"/}
	printf '%s' "$f"
}

# sym_resolve TOOL ELF ADDR...: one line per ADDR, "ADDR<tab>file:line (function)", then one
# "-<tab>inlined in file:line (function)" line per caller it was inlined into. An ADDR
# "r<hex>" is a return address, looked up one byte back so that it names the call, not the
# line after it.
sym_resolve()
{
	local tool=$1 elf=$2 a line func="" n=0 i=0
	local -a shown=() lookup=()

	shift 2
	for a in "$@"; do
		shown+=("${a#r}")
		if [[ $a == r* ]]; then
			lookup+=("$(printf '0x%x' $((${a#r} - 1)))")
		else
			lookup+=("$a")
		fi
	done
	while IFS= read -r line; do
		if [[ $line =~ ^0x[0-9a-fA-F]+$ ]]; then
			i=$n n=$((n + 1)) func=""
		elif [[ -z $func ]]; then
			func=$line
		else
			line=${line% (discriminator *)}
			line="$(sym_path "$line") ($func)"
			if [[ -n ${shown[i]} ]]; then
				printf '%s\t%s\n' "${shown[i]}" "$line"
				shown[i]=""
			else
				printf -- '-\tinlined in %s\n' "$line"
			fi
			func=""
		fi
	done < <("$tool" -e "$elf" -a -f -i -C "${lookup[@]}" 2>/dev/null)
}

# sym_block TOOL ELF TITLE ADDR...: print TITLE and the resolved frames. The first block
# with a known first frame sets SYM_WHERE to its file:line and SYM_FROM to the first
# file:line of the chain outside lib/ (the test's own code), if the first is in lib/.
sym_block()
{
	local tool=$1 elf=$2 title=$3 addr rest frame=0 where first=1

	shift 3
	[[ -n $SYM_WHERE ]] && first=0
	printf '%s\n' "$title"
	while IFS=$'\t' read -r addr rest; do
		if [[ $addr == - ]]; then
			printf '      %s\n' "$rest"
			rest=${rest#inlined in }
		else
			printf '  #%-2d %s %s\n' "$frame" "$addr" "$rest"
			frame=$((frame + 1))
		fi
		where=${rest%% (*}
		if ((!first)) || [[ $where == \?\?* ]]; then
			continue
		fi
		if [[ -z $SYM_WHERE ]]; then
			[[ $frame == 1 ]] || first=0
			SYM_WHERE=$where
		elif [[ $SYM_WHERE == lib/* && $where != lib/* ]]; then
			SYM_FROM=$where first=0
		fi
	done < <(sym_resolve "$tool" "$elf" "$@")
}

# symbolize_run LOG ELF [STOP_IP]: print the symbolized block to append to LOG: every
# Backtrace line of the guest output (LOG from its second line, at most SYM_MAX_LINES of
# them), then STOP_IP, where the VMM stopped the guest. Sets SYM_WHERE and SYM_FROM (see
# sym_block) and SYM_CONTEXT, the FAIL: line before the first Backtrace line.
symbolize_run()
{
	local log=$1 elf=$2 stop=${3-} tool line n=0 seen=0 w header fail=""
	local -a words addrs

	SYM_WHERE="" SYM_FROM="" SYM_CONTEXT=""
	[[ -r $elf ]] || return 0
	tool=$(sym_addr2line) || return 0
	header="--- symbolized ($tool -e $(sym_path "$elf")) ---"
	while IFS= read -r line && ((seen < SYM_MAX_LINES)); do
		((n++)) || continue
		line=${line//$'\r'/}
		# The FAIL: line a backtrace belongs to; an ABORT: line quotes its own reason.
		case $line in
		"FAIL: "*) fail=$line ;;
		"ABORT: "*) fail="" ;;
		esac
		[[ $line == "Backtrace: "* ]] || continue
		read -r -a words <<<"${line#Backtrace: }"
		addrs=()
		for w in "${words[@]}"; do
			[[ $w =~ ^0x[0-9a-fA-F]{1,16}$ ]] || continue
			((${#addrs[@]})) && w="r$w"
			addrs+=("$w")
		done
		((${#addrs[@]})) || continue
		((seen++)) || printf '%s\n' "$header"
		[[ -n $SYM_WHERE ]] || SYM_CONTEXT=$fail
		sym_block "$tool" "$elf" "$line" "${addrs[@]}"
	done <"$log"
	if [[ $stop =~ ^0x[0-9a-fA-F]{1,16}$ ]]; then
		((seen++)) || printf '%s\n' "$header"
		sym_block "$tool" "$elf" "$VMM_NAME stopped the guest at $stop" "$stop"
	fi
	return 0
}

# symbolize_reason DETAIL: what to add to a FAIL verdict's reason DETAIL after symbolize_run:
# "; at FILE:LINE[ from FILE:LINE]", preceded by the crash's FAIL: line when DETAIL does
# not already quote it (the first FAIL: line of a run may be an earlier, plain failure).
symbolize_reason()
{
	[[ -n $SYM_WHERE ]] || return 0
	if [[ -n $SYM_CONTEXT && $1 != *"${SYM_CONTEXT:0:157}"* ]]; then
		printf '; %s' "$(verdict_cut "$SYM_CONTEXT")"
	fi
	printf '; at %s%s' "$SYM_WHERE" "${SYM_FROM:+ from $SYM_FROM}"
}
