#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Helpers shared by run_tests.sh and the scripts it sources: messages, shell quoting and
# shell-like word splitting (without expansion, so catalogue values are never evaluated).
# Sourced, never executed.
# shellcheck disable=SC2034 # globals set here are read by the files sourcing this one

# die MESSAGE...: print an error naming the runner and exit 2 (usage or setup error).
die()
{
	printf '%s: %s\n' "${PROG:-run_tests.sh}" "$*" >&2
	exit 2
}

warn()
{
	printf '%s: warning: %s\n' "${PROG:-run_tests.sh}" "$*" >&2
}

# quote_word VAR WORD: set VAR to WORD quoted so that any POSIX shell reads it back as one word.
quote_word()
{
	local -n qw_out=$1
	local w=$2

	if [[ -n $w && $w =~ ^[A-Za-z0-9_@%+=:,./-]+$ ]]; then
		qw_out=$w
	else
		qw_out="'${w//\'/\'\\\'\'}'"
	fi
}

# quote_command VAR WORD...: set VAR to the words quoted and joined by spaces.
quote_command()
{
	local -n qc_out=$1
	local w q

	shift
	qc_out=""
	for w in "$@"; do
		quote_word q "$w"
		qc_out+="${qc_out:+ }$q"
	done
}

# split_words ARRAY STRING: split STRING into ARRAY the way the shell splits words, honouring
# '...', "..." (with \" \\ \$ \` escapes) and backslash quoting, but expanding nothing.
# Returns 1 on an unterminated quote.
split_words()
{
	local -n sw_out=$1
	local s=$2 c word="" quote="" have=0 i

	sw_out=()
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		if [[ $quote == "'" ]]; then
			if [[ $c == "'" ]]; then quote=""; else word+=$c; fi
		elif [[ $quote == '"' ]]; then
			if [[ $c == '"' ]]; then
				quote=""
			elif [[ $c == "\\" && ${s:i+1:1} == [\"\\\$\`] ]]; then
				i=$((i + 1))
				word+=${s:i:1}
			else
				word+=$c
			fi
		elif [[ $c == [[:space:]] ]]; then
			((have)) && sw_out+=("$word")
			word=""
			have=0
		elif [[ $c == "'" || $c == '"' ]]; then
			quote=$c
			have=1
		elif [[ $c == "\\" ]]; then
			i=$((i + 1))
			word+=${s:i:1}
			have=1
		else
			word+=$c
			have=1
		fi
	done
	[[ -z $quote ]] || return 1
	((have)) && sw_out+=("$word")
	return 0
}

# in_words WORD LIST: true if WORD is one of the space-separated words of LIST.
in_words()
{
	local w

	for w in $2; do
		[[ $w == "$1" ]] && return 0
	done
	return 1
}

# relay_stderr FILE: print FILE (what a shell running a test wrote on its stderr) on stderr,
# without bash's own job notices ("...: line 12: 4242 Killed    cmd"): a VMM that dies from
# a signal is for the verdict to say, and bash prints such a notice whenever it reaps the job,
# so no redirection around one wait can keep it out. Removes FILE.
relay_stderr()
{
	local line re='line [0-9]+: +[0-9]+ [A-Z][A-Za-z ]*( \(core dumped\))? {2,}'

	[[ -s $1 ]] && while IFS= read -r line || [[ -n $line ]]; do
		[[ $line =~ $re ]] || printf '%s\n' "$line" >&2
	done <"$1"
	rm -f "$1"
}

# nproc_online: the number of online host CPUs (1 if unknown).
nproc_online()
{
	local n

	n=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null) || n=1
	[[ $n =~ ^[0-9]+$ ]] || n=1
	printf '%s\n' "$n"
}
