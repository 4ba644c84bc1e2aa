#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Runner tests of the runner under stress, part one: two runs of one stanza at once in one
# build directory, EXIT statuses that the guest's own lines contradict, control bytes and
# text that is not UTF-8 in the guest output (verdicts, TAP, JUnit checked by xmllint, the
# log kept byte-exact), a guest flooding its console (the log capped, the verdict from the
# whole stream, the runner's memory measured). The quiet fallbacks, interruptions,
# terminals and damaged standalone scripts are in cases-stress2.sh. Sourced by
# tests/runner/run.sh.

# Two runs of one stanza in one directory, a slow failing QEMU and a fast passing one: each
# prints its own verdict; the log left is whole, from the run that ended last.
test_stress_concurrent()
{
	local slow=$WORK/slow-qemu i log

	tr_tree "$SRC"
	tr_passing "$SRC" selftest
	printf '[selftest]\nfile = selftest.flat\n' >"$SRC/unittests.cfg"
	cat >"$slow" <<-EOF
		#!/bin/bash
		[[ \${1-} == --version ]] && echo "QEMU emulator version 7.2.22 (slow)" && exit 0
		: >"$WORK/slow.started"
		sleep 3
		echo "qemu-system-x86_64: slow failure" >&2
		exit 1
	EOF
	chmod +x "$slow"
	rm -f "$WORK/slow.started"
	(
		cd "$SRC" && QEMU=$slow ACCEL=tcg NO_COLOR=1 ./run_tests.sh >"$WORK/a.out" \
			2>"$WORK/a.err"
		echo $? >"$WORK/a.rc"
	) &
	for ((i = 0; i < 100; i++)); do
		[[ -e $WORK/slow.started ]] && break
		sleep 0.1
	done
	tr_run "$SRC"
	wait
	expect_line "concurrent: the fast run has its own verdict" "$OUT" "PASS selftest (1 tests)"
	expect_rc "concurrent: the fast run exits 0" 0
	expect_eq "concurrent: the slow run has its own verdict, exit 1" \
		"FAIL selftest (QEMU error: qemu-system-x86_64: slow failure) 1" \
		"$(head -n 1 "$WORK/a.out") $(<"$WORK/a.rc")"
	log=$SRC/logs/selftest.log
	expect_eq "concurrent: one result in the log, the last run's" \
		"--- result: FAIL (QEMU error: qemu-system-x86_64: slow failure) ---" \
		"$(grep -- '^--- result:' "$log")"
	expect_eq "concurrent: the log's command is the last run's, with logs/selftest.env" \
		"$slow $SRC/logs/selftest.env" \
		"$(head -n 1 "$log" | grep -o "^[^ ]*") $(head -n 1 "$log" | grep -o '[^ ]*\.env')"
	expect_eq "concurrent: logs/ holds the log and the environment file, nothing else" \
		$'selftest.env\nselftest.log' "$(ls -A "$SRC/logs")"
}

# EXIT: STATUS=<code> against the guest's own lines, for every status.
test_stress_status()
{
	local n end='out SUMMARY: 2 tests, 1 unexpected failures'

	tr_tree "$SRC"
	tr_image "$SRC" s77_fail 'out FAIL: a: x' "$end" 'out EXIT: STATUS=77' 'exit 155'
	tr_image "$SRC" s77_xpass 'out XPASS: k: fixed' "$end" 'out EXIT: STATUS=77' 'exit 155'
	tr_image "$SRC" s77_pass 'out SKIP: a: none' 'out PASS: b: ran' \
		'out SUMMARY: 2 tests, 1 skipped' 'out EXIT: STATUS=77' 'exit 155'
	tr_image "$SRC" s77_count 'out SUMMARY: 3 tests, 1 skipped' 'out EXIT: STATUS=77' \
		'exit 155'
	tr_image "$SRC" s77_unexp 'out SUMMARY: 1 tests, 1 unexpected failures, 1 skipped' \
		'out EXIT: STATUS=77' 'exit 155'
	tr_image "$SRC" s77_ok 'out SKIP: a: none' 'out SKIP: b: no B' \
		'out SUMMARY: 2 tests, 2 skipped' 'out EXIT: STATUS=77' 'exit 155'
	tr_image "$SRC" s0_skipped 'out SKIP: a: none' 'out SUMMARY: 1 tests, 1 skipped' \
		'out EXIT: STATUS=0' 'exit 1'
	tr_image "$SRC" s1_quiet 'out PASS: a' 'out SUMMARY: 1 tests' 'out EXIT: STATUS=1' 'exit 3'
	tr_image "$SRC" s2_quiet 'out PASS: a' 'out SUMMARY: 1 tests' 'out EXIT: STATUS=2' 'exit 5'
	tr_image "$SRC" s2_fail 'out FAIL: a: x' "$end" 'out EXIT: STATUS=2' 'exit 5'
	tr_image "$SRC" s3_bare 'out INFO: odd' 'out EXIT: STATUS=3' 'exit 7'
	tr_image "$SRC" sneg 'out EXIT: STATUS=-1' 'exit 255'
	for n in s77_fail s77_xpass s77_pass s77_count s77_unexp s77_ok s0_skipped s1_quiet \
		s2_quiet s2_fail s3_bare sneg; do
		printf '[%s]\nfile = %s.flat\n' "$n" "$n"
	done >"$SRC/unittests.cfg"
	tr_run "$SRC" -j 4
	expect_line "status 77 after a FAIL line" "$OUT" "FAIL s77_fail (EXIT: STATUS=77 (every \
check skipped) contradicts 2 tests, 1 unexpected failures; FAIL: a: x)"
	expect_line "status 77 after an XPASS line" "$OUT" "FAIL s77_xpass (EXIT: STATUS=77 \
(every check skipped) contradicts 2 tests, 1 unexpected failures; XPASS: k: fixed)"
	expect_line "status 77 after a PASS line" "$OUT" "FAIL s77_pass (EXIT: STATUS=77 (every \
check skipped) contradicts 2 tests, 1 skipped; PASS: b: ran)"
	expect_line "status 77, SUMMARY with fewer skips than checks" "$OUT" "FAIL s77_count \
(EXIT: STATUS=77 (every check skipped) contradicts 3 tests, 1 skipped)"
	expect_line "status 77, SUMMARY with unexpected failures" "$OUT" "FAIL s77_unexp (EXIT: \
STATUS=77 (every check skipped) contradicts 1 tests, 1 unexpected failures, 1 skipped)"
	expect_line "status 77, every check skipped: SKIP" "$OUT" "SKIP s77_ok (b: no B)"
	expect_line "status 0 with every check skipped" "$OUT" "FAIL s0_skipped (EXIT: STATUS=0 \
contradicts 1 tests, 1 skipped: every check skipped)"
	expect_line "status 1 without a failure" "$OUT" "FAIL s1_quiet (EXIT: STATUS=1 with 1 \
tests and no FAIL: or XPASS: line; last output: PASS: a | SUMMARY: 1 tests | EXIT: STATUS=1)"
	expect_line "status 2 without a failure" "$OUT" "FAIL s2_quiet (EXIT: STATUS=2 with 1 \
tests and no FAIL: or XPASS: line; last output: PASS: a | SUMMARY: 1 tests | EXIT: STATUS=2)"
	expect_line "status 2 after a FAIL line" "$OUT" \
		"FAIL s2_fail (2 tests, 1 unexpected failures; FAIL: a: x)"
	expect_line "status 3, no SUMMARY" "$OUT" "FAIL s3_bare (EXIT: STATUS=3 with no FAIL: or \
XPASS: line; last output: INFO: odd | EXIT: STATUS=3)"
	expect_line "status -1" "$OUT" "FAIL sneg (EXIT: STATUS=-1 with no FAIL: or XPASS: line; \
last output: EXIT: STATUS=-1)"
	expect_line "status: totals" "$(tail -n 1 <<<"$OUT")" "0 passed, 11 failed, 1 skipped"
}

# Control bytes and bytes that are not UTF-8 from a guest: made visible (\xHH) in verdicts,
# TAP and JUnit (well-formed for xmllint); the log keeps them byte-exact.
test_stress_visible()
{
	local junit=$WORK/visible.xml want raw xp
	local fail='FAIL: a: <= & > "q" '\''s'\'' \033[2J\033]0;title\007 caf\303\251 \342\206\222'
	fail+=' \377\300\257 \355\240\200 \302\233 \357\277\276 \001\177 x\ry'

	tr_tree "$SRC"
	tr_image "$SRC" esc "outb $fail" 'out SUMMARY: 1 tests, 1 unexpected failures' \
		'out EXIT: STATUS=1' 'exit 3'
	tr_image "$SRC" escerr 'errb qemu: \033[31mbad\033[0m option' 'exit 1'
	tr_image "$SRC" eschang 'outb INFO: \033[1mstill\033[0m \000here' hang
	printf '[esc]\nfile = esc.flat\n[escerr]\nfile = escerr.flat\n' >"$SRC/unittests.cfg"
	printf '[eschang]\nfile = eschang.flat\ntimeout = 1\n' >>"$SRC/unittests.cfg"
	tr_run "$SRC" -j 3 --junit "$junit"
	want='FAIL: a: <= & > "q" '\''s'\'' \x1b[2J\x1b]0;title\x07 café → \xff\xc0\xaf '
	want+='\xed\xa0\x80 \xc2\x9b \xef\xbf\xbe \x01\x7f x\x0dy'
	expect_line "visible: control bytes and bad UTF-8 escaped in the verdict" "$OUT" \
		"FAIL esc (1 tests, 1 unexpected failures; $want)"
	expect_line "visible: in a reason from the VMM's stderr" "$OUT" \
		'FAIL escerr (QEMU error: qemu: \x1b[31mbad\x1b[0m option)'
	expect_line "visible: in the last output" "$OUT" \
		'FAIL eschang (timeout after 1s; last output: INFO: \x1b[1mstill\x1b[0m \x00here)'
	expect_eq "visible: no control byte but line ends in the output" 0 \
		"$(LC_ALL=C grep -c $'[\x01-\x09\x0b-\x1f\x7f]' <<<"$OUT")"
	raw=$(printf '%b' "$fail" | od -An -c)
	expect_eq "visible: the log keeps the guest's bytes as they came" "$raw" \
		"$(sed -n 2p "$SRC/logs/esc.log" | head -c -1 | od -An -c)"
	tr_run "$SRC" -t esc
	expect_line "visible: TAP" "$OUT" "not ok 1 - esc # 1 tests, 1 unexpected failures; $want"
	if xp=$(xmllint --noout "$junit" 2>&1); then
		tr_ok "visible: JUnit is well-formed (xmllint)"
	else
		tr_bad "visible: JUnit is well-formed (xmllint)" "$xp"
	fi
	xp="string(//testcase[@name='esc']/failure/@message)"
	expect_eq "visible: JUnit failure message" "1 tests, 1 unexpected failures; $want" \
		"$(xmllint --xpath "$xp" "$junit" 2>&1)"
	xp="string(//testcase[@name='esc']/system-out)"
	expect_line "visible: JUnit system-out holds the log, escaped" \
		"$(xmllint --xpath "$xp" "$junit" 2>&1)" "$want"
}

# tr_tree_rss PID: "<sum> <max>": the resident memory (KiB) of PID and all its descendants,
# and of the largest of them, from /proc.
tr_tree_rss()
{
	local f line pid ppid sum=0 max=0 rss n=0
	local -A parent=() mem=() in=()
	local -a st

	for f in /proc/[0-9]*/stat; do
		IFS= read -r line 2>/dev/null <"$f" || continue
		pid=${line%% *}
		read -r -a st <<<"${line##*) }"
		parent[$pid]=${st[1]} mem[$pid]=${st[21]}
	done
	in[$1]=1
	# Until nothing changes: PIDs wrap, a child's may be lower than its parent's.
	while ((n != ${#in[@]})); do
		n=${#in[@]}
		for pid in "${!parent[@]}"; do
			ppid=${parent[$pid]}
			[[ -n ${in[$ppid]-} ]] && in[$pid]=1
		done
	done
	for pid in "${!in[@]}"; do
		rss=$((${mem[$pid]-0} * 4))
		sum=$((sum + rss))
		((rss > max)) && max=$rss
	done
	printf '%s %s' "$sum" "$max"
}

# tr_peak_rss OUTFILE ARGS...: run the runner in SRC in the background with ARGS, output to
# OUTFILE; print "<sum> <max>", the peaks of tr_tree_rss sampled every 0.1 s.
tr_peak_rss()
{
	local out=$1 pid sum=0 max=0 now

	shift
	(cd "$SRC" && exec env QEMU="$TR_FAKE" ACCEL=tcg NO_COLOR=1 ./run_tests.sh "$@") \
		>"$out" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		read -r -a now <<<"$(tr_tree_rss "$pid")"
		((now[0] > sum)) && sum=${now[0]}
		((now[1] > max)) && max=${now[1]}
		sleep 0.1
	done
	wait "$pid"
	printf '%s %s' "$sum" "$max"
}

# flood_log_checks LOG NOISE: the log of the "flood" image (one line, a million lines NOISE
# with a FAIL line among them, SUMMARY and EXIT): its head and tail as the guest printed
# them, a marker line with the lines and bytes it cut.
flood_log_checks()
{
	local log=$1 noise=$2 cut guest lines bytes

	expect_eq "flood: the log is capped (512 KiB of output, plus the runner's lines)" 1 \
		$(($(wc -c <"$log") <= 512 * 1024 + 4096))
	expect_eq "flood: the log starts with the guest's first lines" \
		$'PASS: a: first\n'"$noise" "$(sed -n 2,3p "$log")"
	expect_eq "flood: the log ends with the guest's last lines" \
		$'SUMMARY: 2 tests, 1 unexpected failures\nEXIT: STATUS=1' \
		"$(grep -B 2 -- '^--- QEMU stderr' "$log" | head -n 2)"
	cut=$(grep -- '--- .* of guest output cut here' "$log")
	[[ $cut =~ ^---\ ([0-9]+)\ lines\ \(([0-9]+)\ bytes\) ]] || cut="no marker: $cut"
	guest=$(sed -n '2,/^--- QEMU stderr/p' "$log" | grep -v -- '^--- ')
	lines=$(wc -l <<<"$guest") bytes=$(($(wc -c <<<"$guest")))
	expect_eq "flood: the marker counts the lines cut" 1000004 \
		"$((lines + ${BASH_REMATCH[1]:-0}))"
	# Each line and its line end: the first, the noise, FAIL, SUMMARY, EXIT.
	expect_eq "flood: the marker counts the bytes cut" \
		"$((15 + 1000000 * (${#noise} + 1) + 16 + 40 + 15))" \
		"$((bytes + ${BASH_REMATCH[2]:-0}))"
}

# A guest printing millions of lines, or one line of 64 MiB: logs capped with a marker
# saying what was cut, the verdict from the whole stream (FAIL, SUMMARY and EXIT in the cut
# part or at the end), the runner's memory flat: its process tree (JUnit included) takes
# no more memory for 4 times the output, or for one line without end.
test_stress_flood()
{
	local -a m1 m4 ml
	local noise='INFO: a line of noise, 40 bytes'

	tr_tree "$SRC"
	tr_image "$SRC" flood 'out PASS: a: first' "flood 600000 $noise" 'out FAIL: b: middle' \
		"flood 400000 $noise" 'out SUMMARY: 2 tests, 1 unexpected failures' \
		'out EXIT: STATUS=1' 'exit 3'
	tr_image "$SRC" flood4 'out PASS: a: first' "flood 2400000 $noise" \
		'out FAIL: b: middle' "flood 1600000 $noise" \
		'out SUMMARY: 2 tests, 1 unexpected failures' 'out EXIT: STATUS=1' 'exit 3'
	tr_image "$SRC" midexit "flood 500000 $noise" 'out FAIL: c: before the end' \
		'out SUMMARY: 1 tests, 1 unexpected failures' 'out EXIT: STATUS=1' \
		"flood 500000 $noise" 'exit 3'
	tr_image "$SRC" longline 'bytes 67108864' 'out ' 'out PASS: a' 'out SUMMARY: 1 tests' \
		'out EXIT: STATUS=0' 'exit 1'
	printf '[%s]\nfile = %s.flat\n' flood flood flood4 flood4 midexit midexit longline \
		longline >"$SRC/unittests.cfg"
	read -r -a m1 <<<"$(tr_peak_rss "$WORK/m1.out" --junit "$WORK/m1.xml" flood)"
	read -r -a m4 <<<"$(tr_peak_rss "$WORK/m4.out" --junit "$WORK/m4.xml" flood4)"
	read -r -a ml <<<"$(tr_peak_rss "$WORK/ml.out" --junit "$WORK/ml.xml" longline)"
	OUT=$(cat "$WORK/m1.out" "$WORK/m4.out" "$WORK/ml.out")
	expect_line "flood: FAIL from the cut part" "$OUT" \
		"FAIL flood (2 tests, 1 unexpected failures; FAIL: b: middle)"
	expect_line "flood: 4 times more" "$OUT" \
		"FAIL flood4 (2 tests, 1 unexpected failures; FAIL: b: middle)"
	expect_line "flood: a 64 MiB line" "$OUT" "PASS longline (1 tests)"
	# Bounds: the same runs with 4 times the output (90 MiB more), or a line of 64 MiB,
	# take at most 8 MiB more (each stream keeps 512 KiB, the scan reads 4 KiB a line,
	# pipes hold 64 KiB); no process of the runner grows past 16 MiB.
	if ((m4[0] - m1[0] <= 8192 && ml[0] - m1[0] <= 8192 && m4[1] <= 16384 &&
		ml[1] <= 16384)); then
		tr_ok "flood: runner memory flat (peaks ${m1[0]}, ${m4[0]}, ${ml[0]} KiB)"
	else
		tr_bad "flood: runner memory flat" "peaks (sum, largest process) in KiB:\
 ${m1[*]}, 4 times the output ${m4[*]}, a 64 MiB line ${ml[*]}"
	fi
	tr_run "$SRC" midexit
	expect_line "flood: EXIT in the cut part, output after it" "$OUT" \
		"FAIL midexit (1 tests, 1 unexpected failures; FAIL: c: before the end)"
	flood_log_checks "$SRC/logs/flood.log" "$noise"
	expect_eq "flood: JUnit well-formed, log included" 1 \
		"$(xmllint --xpath 'count(//system-out)' "$WORK/m4.xml" 2>&1)"
}
