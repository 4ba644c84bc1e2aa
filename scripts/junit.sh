#!/bin/bash
# SPDX-License-Identifier: MIT
#
# JUnit XML report (--junit FILE) for CI systems that show test results from it (GitLab,
# Jenkins, GitHub actions). One <testsuite> per run, one <testcase> per stanza with its time,
# <failure>/<skipped> carrying the verdict's reason and <system-out> the test's log. awk
# (scripts/stream.sh's visible()) escapes everything: the five XML special characters as
# entities; control bytes, bytes that are not UTF-8 and the characters XML forbids as
# visible \xHH text; a CR before a line end is dropped. The cases go to a temporary file,
# read back only by cat at the end, so memory stays flat whatever the logs hold; the file
# is moved into place at the end, never written for an interrupted run. Sourced by
# scripts/report.sh's users.
# shellcheck disable=SC2034 # globals set here are read by the files sourcing this one

JUNIT_BODY="" JUNIT_TMP=""
JUNIT_CASES=0 JUNIT_FAILURES=0 JUNIT_SKIPPED=0 JUNIT_MS=0

# One <testcase> element from ENVIRON (JUNIT_CLASS, JUNIT_NAME, JUNIT_TIME, JUNIT_STATUS,
# JUNIT_DETAIL) and the log on stdin (JUNIT_LOG=1) as its <system-out>.
# shellcheck disable=SC2016 # awk code
JUNIT_AWK='
function attr(s) { return xml(visible(s, 0)) }
BEGIN {
	E["class"] = attr(ENVIRON["JUNIT_CLASS"]); E["detail"] = attr(ENVIRON["JUNIT_DETAIL"])
	printf "  <testcase classname=\"%s\" name=\"%s\" time=\"%s\">\n", E["class"],
		attr(ENVIRON["JUNIT_NAME"]), attr(ENVIRON["JUNIT_TIME"])
	if (ENVIRON["JUNIT_STATUS"] == "SKIP")
		printf "    <skipped message=\"%s\"/>\n", E["detail"]
	else if (ENVIRON["JUNIT_STATUS"] != "PASS")
		printf "    <failure message=\"%s\">%s</failure>\n", E["detail"], E["detail"]
	if (ENVIRON["JUNIT_LOG"] == 1)
		printf "    <system-out>"
}
ENVIRON["JUNIT_LOG"] == 1 { sub(/\r+$/, ""); vprint($0, 1, 1) }
END {
	if (ENVIRON["JUNIT_LOG"] == 1)
		printf "</system-out>\n"
	printf "  </testcase>\n"
}
'

junit_begin()
{
	JUNIT_BODY=$(mktemp "${REPORT_JUNIT}.XXXXXX") || die "cannot write $REPORT_JUNIT"
	JUNIT_CASES=0 JUNIT_FAILURES=0 JUNIT_SKIPPED=0 JUNIT_MS=0
}

# junit_case NAME STATUS DETAIL SECONDS [LOG]
junit_case()
{
	local name=$1 status=$2 secs=$4 log=${5-} haslog=0

	JUNIT_CASES=$((JUNIT_CASES + 1))
	[[ $secs =~ ^([0-9]+)\.([0-9]{3})$ ]] &&
		JUNIT_MS=$((JUNIT_MS + 10#${BASH_REMATCH[1]} * 1000 + 10#${BASH_REMATCH[2]}))
	case $status in
	PASS) ;;
	SKIP) JUNIT_SKIPPED=$((JUNIT_SKIPPED + 1)) ;;
	*) JUNIT_FAILURES=$((JUNIT_FAILURES + 1)) ;;
	esac
	[[ -n $log && -r $log ]] || log=/dev/null
	[[ $log != /dev/null ]] && haslog=1
	JUNIT_CLASS="hvprobe.$ARCH.$VMM.$ACCEL" JUNIT_NAME=$name JUNIT_TIME=$secs \
		JUNIT_STATUS=$status JUNIT_DETAIL=$3 JUNIT_LOG=$haslog LC_ALL=C \
		awk "$STREAM_AWK_LIB$JUNIT_AWK" <"$log" >>"$JUNIT_BODY"
}

junit_end()
{
	JUNIT_TMP=$(mktemp "${REPORT_JUNIT}.XXXXXX") || die "cannot write $REPORT_JUNIT"
	{
		printf '<?xml version="1.0" encoding="UTF-8"?>\n'
		printf '<testsuites>\n'
		printf '<testsuite name="hvprobe-%s-%s-%s" tests="%s" failures="%s" errors="0"' \
			"$ARCH" "$VMM" "$ACCEL" "$JUNIT_CASES" "$JUNIT_FAILURES"
		printf ' skipped="%s" time="%d.%03d">\n' "$JUNIT_SKIPPED" $((JUNIT_MS / 1000)) \
			$((JUNIT_MS % 1000))
		cat "$JUNIT_BODY"
		printf '</testsuite>\n</testsuites>\n'
	} >"$JUNIT_TMP"
	mv -f "$JUNIT_TMP" "$REPORT_JUNIT" || die "cannot write $REPORT_JUNIT"
	rm -f "$JUNIT_BODY"
	JUNIT_BODY="" JUNIT_TMP=""
}

# junit_discard: remove the temporary files of a report that will not be finished.
junit_discard()
{
	[[ -z $JUNIT_BODY$JUNIT_TMP ]] || rm -f "$JUNIT_BODY" "$JUNIT_TMP"
	JUNIT_BODY="" JUNIT_TMP=""
}
