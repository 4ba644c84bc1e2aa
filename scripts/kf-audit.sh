#!/bin/bash
# SPDX-License-Identifier: MIT
#
# The audit of known-failures.txt after a catalogue run (make check, scripts/check.sh; format
# and rules: docs/known-failures.md). Reads the run's verdict lines (RUN-OUTPUT, plain
# format) and, for each test that ran, logs/<name>.env (the entries the runner selected:
# KNOWN_AT_<n>) and logs/<name>.log (the guest's XFAIL/XPASS lines, tagged
# "[known-failures.txt:<line>]", and the FAIL lines of pinned entries, "...; known-
# failures.txt:<line> expects got <glob>)"). It fails on
#   - XFAIL or XPASS lines without a tag (the guest cannot say which entry decided them),
#     one problem per log;
#   - an entry selected for the run that matched no check of it (dead, or its VMM, version
#     or host condition is wrong), counted only over tests whose guest reached its EXIT
#     line and tagged all its lines;
#   - an entry without many: that matched more than one distinct check ("prefix: message",
#     with "cpu<digits>" and "CPU <digits>" made one).
# Usage, from a build directory: kf-audit.sh RUN-OUTPUT [LOGDIR (default logs)]

set -u -o pipefail
set -f
shopt -s extglob

PROG=kf-audit.sh
SRCDIR=$(realpath "$(dirname "${BASH_SOURCE[0]}")/..")
for part in common cfg known-failures; do
	# shellcheck source=/dev/null
	source "$SRCDIR/scripts/$part.sh" || exit 2
done

declare -A SELECTED_BY=() FINISHED=() MATCHED=() COUNT=() INDEX=() UNTAGGED=()
ERRORS=0

audit_error()
{
	printf '%s: %s\n' "$PROG" "$*"
	ERRORS=$((ERRORS + 1))
}

# audit_check LINE TEXT: entry LINE decided the check TEXT ("prefix: message").
audit_check()
{
	local text=$2 key

	text=${text//CPU +([0-9])/CPU #}
	text=${text//cpu+([0-9])/cpu#}
	key="$1/$text"
	[[ -n ${MATCHED[$key]+set} ]] && return 0
	MATCHED[$key]=1
	COUNT[$1]=$((${COUNT[$1]:-0} + 1))
	[[ ${COUNT[$1]} -le 3 ]] && INDEX[$1]+="${INDEX[$1]:+ | }$text"
	return 0
}

# audit_log NAME LOG: the guest output of one test (LOG from line 2 to the runner's own
# "--- " sections).
audit_log()
{
	local name=$1 log=$2 line n=0 text at re_tag re_pin n_untagged

	re_tag=" \[${KF_NAME//./\\.}:([0-9]+)\]$"
	re_pin="^(.*) \((expected .*, got .*; )?${KF_NAME//./\\.}:([0-9]+) expects got .*\)$"
	while IFS= read -r line || [[ -n $line ]]; do
		((n++)) || continue
		line=${line%$'\r'}
		[[ $line == "--- "* ]] && break
		case $line in
		"EXIT: STATUS="*) FINISHED[$name]=1 ;;
		XFAIL:\ * | XPASS:\ *)
			text=${line#*: }
			if [[ ! $text =~ $re_tag ]]; then
				n_untagged=${UNTAGGED[$name]-}
				n_untagged=${n_untagged%% *}
				[[ -n $n_untagged ]] || UNTAGGED[$name]="0 $line"
				UNTAGGED[$name]="$((n_untagged + 1)) ${UNTAGGED[$name]#* }"
				continue
			fi
			at=${BASH_REMATCH[1]} text=${text% \[*}
			text=${text% (expected *, got *)}
			audit_check "$at" "$text"
			;;
		FAIL:\ *)
			[[ ${line#FAIL: } =~ $re_pin ]] &&
				audit_check "${BASH_REMATCH[3]}" "${BASH_REMATCH[1]}"
			;;
		esac
	done <"$log"
}

# audit_env NAME ENV: the entries the runner selected for test NAME.
audit_env()
{
	local line at

	while IFS= read -r line; do
		[[ $line == KNOWN_AT_+([0-9])=* ]] || continue
		at=${line#*=}
		at=${at##*:}
		SELECTED_BY[$at]+="${SELECTED_BY[$at]:+ }$1"
	done <"$2"
}

# audit_entry LINE: the verdict on the entry of known-failures.txt line LINE.
audit_entry()
{
	local line=$1 i name done=0 what

	for i in "${!KF_LINE[@]}"; do
		[[ ${KF_LINE[i]} == "$line" ]] && break
	done
	if [[ ${KF_LINE[i]-} != "$line" ]]; then
		audit_error "$KF_NAME:$line: no such entry, yet the run selected it (stale logs?)"
		return
	fi
	what="${KF_VMM[i]} | ${KF_ACCEL[i]} | ${KF_VERSION[i]} | ${KF_HOST[i]} | ${KF_TEST[i]}"
	what+=" | ${KF_CHECK[i]}"
	# Only tests that reached their EXIT line and tagged every line tell a dead entry.
	for name in ${SELECTED_BY[$line]}; do
		[[ -n ${FINISHED[$name]-} && -z ${UNTAGGED[$name]-} ]] && done=1
	done
	if ((${COUNT[$line]:-0} == 0)); then
		((done)) && audit_error "$KF_NAME:$line: matched nothing in this run" \
			"(selected for ${SELECTED_BY[$line]}): $what"
	elif ((${COUNT[$line]} > 1 && !KF_MANY[i])); then
		name=${INDEX[$line]}
		((${COUNT[$line]} > 3)) && name+=" | ..."
		audit_error "$KF_NAME:$line: matched ${COUNT[$line]} distinct checks" \
			"without many: ($name): $what"
	fi
}

main()
{
	local out=${1-} logdir=${2:-logs} verdict name line

	[[ -r $out ]] || die "usage: $PROG RUN-OUTPUT [LOGDIR]: no run output '$out'"
	cfg_parse "$SRCDIR/unittests.cfg" || exit 2
	kf_parse "$SRCDIR/known-failures.txt" || exit 2
	while read -r verdict name _; do
		[[ $verdict == @(PASS|FAIL) && -n $name ]] || continue
		[[ -r $logdir/$name.env ]] && audit_env "$name" "$logdir/$name.env"
		[[ -r $logdir/$name.log ]] && audit_log "$name" "$logdir/$name.log"
	done <"$out"
	for name in "${!UNTAGGED[@]}"; do
		audit_error "$logdir/$name.log: ${UNTAGGED[$name]%% *} XFAIL/XPASS lines" \
			"without their [$KF_NAME:<line>] tag (is the image older than the tags?)," \
			"the first: ${UNTAGGED[$name]#* }"
	done
	for line in "${!SELECTED_BY[@]}" "${!COUNT[@]}"; do
		[[ -n ${SELECTED_BY[$line]+set} ]] ||
			audit_error "$KF_NAME:$line: tagged on a check, not selected for its test"
	done
	for line in $(printf '%s\n' "${!SELECTED_BY[@]}" | sort -n); do
		audit_entry "$line"
	done
	if ((ERRORS)); then
		printf '%s: %d problem(s) with %s\n' "$PROG" "$ERRORS" "$KF_NAME"
		exit 1
	fi
	printf '%s: %d entries selected, each matched its checks\n' "$PROG" \
		"${#SELECTED_BY[@]}"
}

main "$@"
