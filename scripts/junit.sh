#!/bin/bash
# SPDX-License-Identifier: MIT
#
# JUnit XML report (--junit FILE) for CI systems that show test results from it (GitLab,
# Jenkins, GitHub actions). One <testsuite> per run, one <testcase> per stanza with its time,
# <failure>/<skipped> carrying the verdict's reason and <system-out> the test's log. Built in
# a temporary file and moved into place at the end. Sourced by scripts/report.sh's users.
# shellcheck disable=SC2034 # globals set here are read by the files sourcing this one

JUNIT_TMP=""
JUNIT_CASES=0 JUNIT_FAILURES=0 JUNIT_SKIPPED=0 JUNIT_TIME=0

# junit_escape TEXT: TEXT with the XML special characters escaped, control characters removed.
junit_escape()
{
	local t=$1

	t=${t//&/&amp;}
	t=${t//</&lt;}
	t=${t//>/&gt;}
	t=${t//\"/&quot;}
	printf '%s' "${t//[$'\x01'-$'\x08'$'\x0b'$'\x0c'$'\x0e'-$'\x1f']/}"
}

junit_begin()
{
	JUNIT_TMP=$(mktemp "${REPORT_JUNIT}.XXXXXX") || die "cannot write $REPORT_JUNIT"
	JUNIT_CASES=0 JUNIT_FAILURES=0 JUNIT_SKIPPED=0 JUNIT_TIME=0
}

# junit_case NAME STATUS DETAIL SECONDS
junit_case()
{
	local name=$1 status=$2 detail secs=$4 log="$LOGDIR/$1.log"

	detail=$(junit_escape "$3")
	JUNIT_CASES=$((JUNIT_CASES + 1))
	JUNIT_TIME=$(awk -v a="$JUNIT_TIME" -v b="$secs" 'BEGIN { printf "%.3f", a + b }')
	{
		printf '  <testcase classname="hvprobe.%s.%s.%s" name="%s" time="%s">\n' \
			"$ARCH" "$VMM" "$ACCEL" "$name" "$secs"
		case $status in
		PASS) ;;
		SKIP)
			JUNIT_SKIPPED=$((JUNIT_SKIPPED + 1))
			printf '    <skipped message="%s"/>\n' "$detail"
			;;
		*)
			JUNIT_FAILURES=$((JUNIT_FAILURES + 1))
			printf '    <failure message="%s">%s</failure>\n' "$detail" "$detail"
			;;
		esac
		if [[ -r $log ]]; then
			printf '    <system-out>'
			junit_escape "$(tr -d '\r' <"$log")"
			printf '</system-out>\n'
		fi
		printf '  </testcase>\n'
	} >>"$JUNIT_TMP"
}

junit_end()
{
	local body

	body=$(<"$JUNIT_TMP")
	{
		printf '<?xml version="1.0" encoding="UTF-8"?>\n'
		printf '<testsuites>\n'
		printf '<testsuite name="hvprobe-%s-%s-%s" tests="%s" failures="%s" errors="0"' \
			"$ARCH" "$VMM" "$ACCEL" "$JUNIT_CASES" "$JUNIT_FAILURES"
		printf ' skipped="%s" time="%s">\n' "$JUNIT_SKIPPED" "$JUNIT_TIME"
		[[ -n $body ]] && printf '%s\n' "$body"
		printf '</testsuite>\n</testsuites>\n'
	} >"$JUNIT_TMP"
	mv -f "$JUNIT_TMP" "$REPORT_JUNIT" || die "cannot write $REPORT_JUNIT"
}
