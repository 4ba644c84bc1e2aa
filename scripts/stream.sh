#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A VMM's output, whatever it holds. stream_capture reads one stream (the guest's serial
# console, or the VMM's stderr) from a FIFO with memory that stays flat: one awk keeps its
# first STREAM_HEAD bytes and its last STREAM_TAIL bytes (whole lines, byte-exact, each
# line at most STREAM_LINE bytes), counts what it cuts between them, and for the console
# scans every line for the verdict facts. stream_parts names the files that make up the
# capped stream, a marker line saying what was cut included. visible() (awk) and
# text_visible (bash) make text safe for terminals and XML: control bytes, C1 controls,
# U+FFFE/U+FFFF and bytes that are not UTF-8 become \xHH. Needs coreutils and any POSIX awk
# (mawk, gawk). Sourced, never executed.
# shellcheck disable=SC2034 # globals set here are read by the files sourcing this one

# A log keeps at most 128 KiB from the start and 384 KiB from the end of each stream, and
# at most 64 KiB of a line (cut -b reads one byte more, to tell a longer line).
STREAM_HEAD=$((128 * 1024))
STREAM_TAIL=$((384 * 1024))
STREAM_LINE=$((64 * 1024))

# awk functions shared by the programs below, always run with LC_ALL=C (bytes, not
# characters). vstep(s, i, tab) returns the text for the character at byte i of s, escaped
# if needed, and sets VN to the bytes it took; visible(s, tab) is s made visible; vprint(s,
# tab, isxml) prints the line s made visible (XML-escaped too when isxml is 1) in pieces,
# so that no string grows with a long line; xml(s) escapes & < > " and '; cut(s) is s cut
# to 160 bytes, not inside a UTF-8 sequence. A tab stays a tab when tab is 1.
STREAM_AWK_LIB='
BEGIN { for (i = 0; i < 256; i++) ORD[sprintf("%c", i)] = i }
function vhex(s, i, n,    t, k) {
	for (k = 0; k < n; k++)
		t = t sprintf("\\x%02x", ORD[substr(s, i + k, 1)])
	VN = n
	return t
}
function vstep(s, i, tab,    b, n, lo, hi, k, c) {
	if (match(substr(s, i, 256), /^[ -~]+/)) {
		VN = RLENGTH
		return substr(s, i, RLENGTH)
	}
	b = ORD[substr(s, i, 1)]
	if (b == 9 && tab) {
		VN = 1
		return "\t"
	}
	lo = 128; hi = 191; n = 0
	if (b >= 194 && b <= 223) n = 2
	else if (b >= 224 && b <= 239) n = 3
	else if (b >= 240 && b <= 244) n = 4
	if (b == 224) lo = 160
	if (b == 237) hi = 159
	if (b == 240) lo = 144
	if (b == 244) hi = 143
	for (k = 1; k < n; k++) {
		c = ORD[substr(s, i + k, 1)] + 0
		if (c < (k == 1 ? lo : 128) || c > (k == 1 ? hi : 191))
			n = 0
	}
	if (n == 0)
		return vhex(s, i, 1)
	# C1 controls (U+0080-U+009F) drive terminals; XML forbids U+FFFE and U+FFFF.
	if ((b == 194 && ORD[substr(s, i + 1, 1)] < 160) || \
	    (b == 239 && substr(s, i + 1, 1) == sprintf("%c", 191) && \
	     ORD[substr(s, i + 2, 1)] >= 190))
		return vhex(s, i, n)
	VN = n
	return substr(s, i, n)
}
function visible(s, tab,    i, n, t) {
	n = length(s)
	for (i = 1; i <= n; i += VN)
		t = t vstep(s, i, tab)
	return t
}
function xml(s) {
	gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s)
	gsub(/"/, "\\&quot;", s); gsub(/\047/, "\\&apos;", s)
	return s
}
function vprint(s, tab, isxml,    i, n, t) {
	n = length(s)
	for (i = 1; i <= n; i += VN) {
		t = t vstep(s, i, tab)
		if (length(t) >= 4096) {
			printf "%s", isxml ? xml(t) : t
			t = ""
		}
	}
	printf "%s\n", isxml ? xml(t) : t
}
function cut(s) {
	if (length(s) <= 160)
		return s
	s = substr(s, 1, 157)
	sub(/[\300-\367][\200-\277]*$/, "", s)
	return s "..."
}
'

# The capture of one stream (stream_capture): OUT.head, written as lines come, holds whole
# lines up to STREAM_HEAD bytes; the lines after it go through a ring of at most
# STREAM_TAIL bytes, written to OUT.tail at the end; OUT.cut gets the marker line when
# lines fell out of the ring. A line longer than STREAM_LINE keeps that much, followed by a
# marker line. A last line without a line end gets one. With scan=1, OUT.scan gets the
# verdict facts of every line (its first 4 KiB), one KEY=VALUE line each, every value
# visible() text: the last "EXIT: STATUS=" code, the last SUMMARY and its counts, the last
# SKIP line, the first FAIL/XPASS and PASS lines and their counts, the first check line
# (FIRSTCHECK), the text of the first ABORT line, the last "subtest X starts" line
# (STARTED, printed under HVPROBE_ANNOUNCE), the last vm-end line, the number of
# non-blank lines, the last three of them (LAST) and the very last one.
# shellcheck disable=SC2016 # awk code
STREAM_CAPTURE_AWK='
function keep(s, long,    n) {
	n = length(s) + 1 + (long ? length(LONG) + 1 : 0)
	if (!ringing && hb + n <= H) {
		print s > (out ".head")
		if (long)
			print LONG > (out ".head")
		hb += n
		return
	}
	ringing = 1
	ring[++last] = s; rlong[last] = long; rn[last] = n; rb += n
	while (rb > T) {
		cutl++; cutb += rn[first] - (rlong[first] ? length(LONG) + 1 : 0)
		if (rlong[first])
			atleast = "at least "
		rb -= rn[first]
		delete ring[first]; delete rlong[first]; delete rn[first]
		first++
	}
}
function summary(s,    n, p, i) {
	sum = s; tests = 0; unexp = 0; skipped = 0
	n = split(s, p, ",")
	for (i = 1; i <= n; i++) {
		sub(/^ +/, "", p[i])
		if (p[i] ~ /^[0-9]+ tests?$/) tests = p[i] + 0
		if (p[i] ~ /^[0-9]+ unexpected failures?$/) unexp = p[i] + 0
		if (p[i] ~ /^[0-9]+ skipped$/) skipped = p[i] + 0
	}
}
function scanline(s) {
	sub(/\r+$/, "", s)
	if (s ~ /^EXIT: STATUS=-?[0-9]+[[:space:]]*$/) {
		code = substr(s, 14)
		sub(/[[:space:]]+$/, "", code)
		neg = sub(/^-/, "", code)
		sub(/^0+/, "", code)
		code = code == "" ? "0" : (neg ? "-" : "") code
	}
	if (s ~ /^SUMMARY: /) summary(substr(s, 10))
	if (s ~ /^SKIP: /) skipline = substr(s, 7)
	if (s ~ /^INFO: vm-end expected: /) vmend = s
	if (s ~ /^(FAIL|XPASS): / && !nfail++) firstfail = s
	if (s ~ /^PASS: / && !npass++) firstpass = s
	if (s ~ /^(PASS|FAIL|XFAIL|XPASS|KFAIL): / && firstcheck == "") firstcheck = s
	if (s ~ /^ABORT: / && abort == "") abort = substr(s, 8)
	if (s ~ /^INFO: (.*: )?subtest [^ ]+ starts$/) started = s
	if (s ~ /[^[:space:]]/) { nlines++; l1 = l2; l2 = l3; l3 = s }
}
function put(k, v) { printf "%s=%s\n", k, visible(v, 0) > (out ".scan") }
BEGIN {
	out = ENVIRON["STREAM_OUT"]; what = ENVIRON["STREAM_WHAT"]; first = 1
	LONG = "--- the line above was longer than " L " bytes: cut there ---"
	printf "" > (out ".head")
}
{
	lines++; bytes += length($0) + 1
	long = length($0) > L
	keep(long ? substr($0, 1, L) : $0, long)
	if (scan)
		scanline(substr($0, 1, 4096))
}
END {
	printf "" > (out ".tail")
	for (i = first; i <= last; i++) {
		print ring[i] > (out ".tail")
		if (rlong[i])
			print LONG > (out ".tail")
	}
	printf "" > (out ".cut")
	if (cutl)
		printf "--- %d lines (%s%d bytes) of %s cut here: logs keep the first %d KiB and " \
			"the last %d KiB ---\n", cutl, atleast, cutb, what, H / 1024, T / 1024 \
			> (out ".cut")
	printf "%d %d\n", lines, bytes > (out ".count")
	if (!scan)
		exit
	put("EXIT", code); put("SUMMARY", cut(sum)); put("TESTS", tests + 0)
	put("UNEXPECTED", unexp + 0); put("SKIPPED", skipped + 0)
	put("SKIPLINE", cut(skipline)); put("VMEND", vmend)
	put("NFAIL", nfail + 0); put("FIRSTFAIL", cut(firstfail))
	put("NPASS", npass + 0); put("FIRSTPASS", cut(firstpass))
	put("NLINES", nlines + 0); put("LASTLINE", l3)
	put("FIRSTCHECK", cut(firstcheck)); put("ABORT", cut(abort)); put("STARTED", cut(started))
	s = cut(l3)
	if (l2 != "") s = cut(l2) " | " s
	if (l1 != "") s = cut(l1) " | " s
	put("LAST", s)
}
'

# stream_capture IN OUT WHAT [scan]: read the FIFO IN to its end into OUT.head, OUT.tail,
# OUT.cut, OUT.count ("<lines> <bytes>") and, with "scan", OUT.scan (see above); WHAT names
# the stream in the marker line. Memory stays flat whatever IN holds: cut -b bounds each
# line, the ring STREAM_TAIL bytes.
stream_capture()
{
	local scan=0

	[[ ${4-} == scan ]] && scan=1
	# ENVIRON, not -v: awk would read backslashes in the values as escapes.
	cut -b "1-$((STREAM_LINE + 1))" <"$1" |
		STREAM_OUT=$2 STREAM_WHAT=$3 LC_ALL=C awk -v scan="$scan" -v H="$STREAM_HEAD" \
			-v T="$STREAM_TAIL" -v L="$STREAM_LINE" "$STREAM_AWK_LIB$STREAM_CAPTURE_AWK"
}

# stream_none OUT: the files of a stream that never was.
stream_none()
{
	: >"$1.head"
	: >"$1.cut"
	: >"$1.tail"
}

# stream_parts OUT: set STREAM_PARTS to the files that, concatenated, are the capped stream
# stream_capture left in OUT.*.
stream_parts()
{
	STREAM_PARTS=("$1.head" "$1.cut" "$1.tail")
}

# stream_visible [tab]: copy stdin to stdout made visible, line by line (a CR before the
# line end dropped); with "tab", tabs stay.
stream_visible()
{
	local tab=0

	[[ ${1-} == tab ]] && tab=1
	LC_ALL=C awk -v tab="$tab" "$STREAM_AWK_LIB"'{ sub(/\r+$/, ""); vprint($0, tab, 0) }'
}

# text_visible VAR TEXT [MAX]: set VAR to TEXT made visible (see visible() above), on one
# line, cut after MAX bytes (default 2000) with "...": it is for reasons and commands,
# never for whole logs.
text_visible()
{
	local -n tv_out=$1
	local max=${3:-2000}

	if [[ $2 == *([ -~]) && ${#2} -le $max ]]; then
		tv_out=$2
	else
		tv_out=$(printf '%s' "$2" | LC_ALL=C awk -v max="$max" "$STREAM_AWK_LIB"'
			{ t = t (NR > 1 ? "\\x0a" : "") $0 }
			END {
				if (length(t) > max) t = substr(t, 1, max - 3) "..."
				printf "%s", visible(t, 0)
			}')
	fi
}
