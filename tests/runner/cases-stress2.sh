#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Runner tests of the runner under stress, part two: what the runner says rather than
# guesses (the TCG fallback, a QEMU printing nothing, an image not built, a VMM killed),
# SIGINT and SIGTERM while VMMs hang (what is said, the exit status, no VMM and no stray
# file left), verdicts as whole lines in a terminal's byte stream (script(1) captures a
# pty), standalone scripts cut short or damaged anywhere. Sourced by tests/runner/run.sh.

# stop_run SIGNAL ARGS...: start the runner in SRC with ARGS (fake VMMs recording into
# WORK/rec-stop, TMPDIR WORK/tmp-stop), send SIGNAL once two VMMs run; set OUT ERR RC.
stop_run()
{
	local sig=$1 pid i

	shift
	rm -rf "$WORK/rec-stop" "$WORK/tmp-stop" "$SRC/logs"
	mkdir -p "$WORK/rec-stop" "$WORK/tmp-stop"
	# An asynchronous command starts with SIGINT ignored; env gives the runner the default.
	(cd "$SRC" && exec env --default-signal=INT QEMU="$TR_FAKE" ACCEL=tcg NO_COLOR=1 \
		FAKE_QEMU_RECORD="$WORK/rec-stop" TMPDIR="$WORK/tmp-stop" ./run_tests.sh "$@" \
		>"$WORK/stop.out" 2>"$WORK/stop.err") &
	pid=$!
	for ((i = 0; i < 200; i++)); do
		[[ -s $WORK/rec-stop/hang1.pid && -s $WORK/rec-stop/hang2.pid ]] && break
		sleep 0.05
	done
	kill -s "$sig" "$pid"
	wait "$pid"
	RC=$?
	OUT=$(<"$WORK/stop.out") ERR=$(<"$WORK/stop.err")
}

# stop_checks WHAT SIGNAL: what every interrupted run must leave.
stop_checks()
{
	local what=$1 sig=$2 n pid left="" log

	expect_eq "$what: one line says what was stopped and what did not run" \
		"run_tests.sh: interrupted by SIG$sig: 2 tests (hang1, hang2) stopped while \
running, 2 tests (hang3, hang4) not run" "$ERR"
	for n in hang1 hang2; do
		pid=$(<"$WORK/rec-stop/$n.pid")
		kill -0 "$pid" 2>/dev/null && left+=" $n ($pid)"
	done
	expect_eq "$what: no VMM left running" "" "$left"
	expect_eq "$what: logs/ holds the stopped runs' logs and nothing else" \
		"$(printf '%s\n' hang1.env hang1.log hang2.env hang2.log)" "$(ls -A "$SRC/logs")"
	log=$SRC/logs/hang1.log
	expect_grep "$what: the log says the run was stopped" "$(tail -n 1 "$log")" \
		"^--- interrupted after [0-9]+\.[0-9]{3}s: the run was stopped, no result ---$"
	expect_eq "$what: the log has no result line" 0 "$(grep -c -- '^--- result:' "$log")"
	expect_eq "$what: no temporary file left" "" "$(ls -A "$WORK/tmp-stop")"
}

test_stress_interrupt()
{
	local n

	tr_tree "$SRC"
	for n in hang1 hang2 hang3 hang4; do
		tr_image "$SRC" "$n" 'out INFO: spinning' hang
		printf '[%s]\nfile = %s.flat\ntimeout = 60\n' "$n" "$n"
	done >"$SRC/unittests.cfg"
	stop_run INT -j 2
	expect_rc "SIGINT: exit status 130" 130
	stop_checks SIGINT INT
	expect_eq "SIGINT: no verdict and no totals for a stopped run" "" "$OUT"
	stop_run TERM -j 2 --junit "$WORK/stop.xml"
	expect_rc "SIGTERM: exit status 143" 143
	stop_checks SIGTERM TERM
	expect_eq "SIGTERM: no JUnit file, no temporary one" "" "$(find "$WORK" -maxdepth 1 \
		-name 'stop.xml*')"
	stop_run INT -j 2 -t
	expect_eq "SIGINT, TAP: the plan, then Bail out!" "TAP version 13
1..4
Bail out! interrupted by SIGINT: 2 tests (hang1, hang2) stopped while running, 2 tests \
(hang3, hang4) not run" "$OUT"
	stop_standalone
}

# A standalone script stopped by SIGINT while its VMM hangs: 130, said, nothing left.
stop_standalone()
{
	local pid i vmm

	(cd "$SRC" && bash scripts/standalone.sh hang1) 2>/dev/null
	rm -rf "$WORK/rec-stop" "$WORK/tmp-stop"
	mkdir -p "$WORK/rec-stop" "$WORK/tmp-stop"
	(exec env --default-signal=INT QEMU="$TR_FAKE" ACCEL=tcg FAKE_QEMU_RECORD="$WORK/rec-stop" \
		TMPDIR="$WORK/tmp-stop" "$SRC/standalone/hang1" >"$WORK/stop.out" \
		2>"$WORK/stop.err") &
	pid=$!
	for ((i = 0; i < 200; i++)); do
		[[ -s $WORK/rec-stop/hang1.pid ]] && break
		sleep 0.05
	done
	kill -INT "$pid"
	wait "$pid"
	RC=$?
	vmm=$(<"$WORK/rec-stop/hang1.pid")
	expect_eq "standalone SIGINT: exit 130, one line, no verdict" \
		"130 hang1: interrupted by SIGINT: the test was stopped, no result" \
		"$RC $(tail -n 1 "$WORK/stop.err")$(<"$WORK/stop.out")"
	expect_eq "standalone SIGINT: the log says it was stopped" 1 \
		"$(grep -c -- '^--- interrupted after' "$WORK/stop.err")"
	expect_eq "standalone SIGINT: no VMM, no temporary file left" "" \
		"$(kill -0 "$vmm" 2>/dev/null && echo "VMM $vmm")$(ls -A "$WORK/tmp-stop")"
}

# On a terminal (a pty captured by script), every verdict is a whole line of the byte
# stream, the progress line never shares one.
test_stress_tty()
{
	local stream line bad="" verdicts=0 progress=0 re

	tr_tree "$SRC"
	tr_passing "$SRC" quick
	tr_image "$SRC" slow 'sleep 1' 'out PASS: a' 'out SUMMARY: 1 tests' 'out EXIT: STATUS=0' \
		'exit 1'
	tr_image "$SRC" bad 'sleep 0.5' 'out FAIL: a: x' \
		'out SUMMARY: 1 tests, 1 unexpected failures' 'out EXIT: STATUS=1' 'exit 3'
	printf '[%s]\nfile = %s.flat\n' q1 quick slow slow q2 quick bad bad q3 quick \
		>"$SRC/unittests.cfg"
	stream=$(cd "$SRC" && env -u NO_COLOR TERM=xterm COLUMNS=100 QEMU="$TR_FAKE" ACCEL=tcg \
		script -qec "./run_tests.sh -j 2" /dev/null </dev/null)
	re='^(PASS|FAIL|SKIP) [a-z0-9]+( \(.*\))?$|^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$'
	while IFS= read -r line; do
		line=${line%$'\r'}
		# A progress line is a line of its own: one sharing a verdict's hides it.
		if [[ $line == *running:* ]]; then
			progress=$((progress + 1))
			continue
		fi
		# The status word's colour is the only escape sequence a verdict line may hold.
		line=${line//$'\e['[0-9]m/}
		line=${line//$'\e['[0-9][0-9]m/}
		[[ $line == *@(PASS|FAIL|SKIP)\ * || $line == *passed,* ]] || continue
		verdicts=$((verdicts + 1))
		[[ $line =~ $re ]] || bad+=" [${line//$'\e'/\\e}]"
	done <<<"$stream"
	expect_eq "terminal: every verdict and the totals are whole lines" "6 lines, bad:" \
		"$verdicts lines, bad:$bad"
	expect_eq "terminal: a progress line was drawn (on lines of its own)" 1 $((progress > 0))
}

# make standalone scripts cut short anywhere, or damaged, must say so and fail.
test_stress_standalone()
{
	local sa=$WORK/sa-stress/pass size first img end n at cut bad="" msg

	tr_tree "$SRC"
	{
		printf 'out PASS: a\nout SUMMARY: 1 tests\nout EXIT: STATUS=0\nexit 1\n'
		for ((n = 0; n < 400; n++)); do
			printf '# padding line %d, ignored by the fake VMM\n' "$n"
		done
	} | tr_image "$SRC" ok
	printf '[pass]\nfile = ok.flat\n' >"$SRC/unittests.cfg"
	(cd "$SRC" && bash scripts/standalone.sh) 2>/dev/null
	mkdir -p "${sa%/*}"
	cp "$SRC/standalone/pass" "$sa"
	SA_PATH=$PATH sa_run "$sa"
	expect_eq "standalone intact: it runs" "PASS pass (1 tests) 0" "$OUT $RC"
	size=$(wc -c <"$sa")
	# Byte offsets: the end of the check (the line before SPDX), the image's first and
	# last lines.
	first=$(($(grep -n -m 1 SPDX-License "$sa" | cut -d: -f1) - 1))
	img=$(grep -n -m 1 "<<'HVPROBE_IMAGE'\$" "$sa" | cut -d: -f1)
	end=$(grep -n -m 1 '^HVPROBE_IMAGE$' "$sa" | cut -d: -f1)
	first=$(head -n "$first" "$sa" | wc -c) img=$(head -n "$img" "$sa" | wc -c)
	end=$(head -n "$end" "$sa" | wc -c)
	# Inside the check, right after it, in the runner parts, in the image, after it,
	# before and in the last line, its line end.
	for at in 20 100 $((first - 3)) "$first" $((first + 1)) $(((first + img) / 2)) \
		$((img + 100)) $(((img + end) / 2)) $((end + 5)) \
		$((size - $(tail -n 1 "$sa" | wc -c))) $((size - 10)) $((size - 1)); do
		cut=$WORK/sa-stress/cut$at
		head -c "$at" "$sa" >"$cut"
		chmod +x "$cut"
		SA_PATH=$PATH sa_run "$cut"
		msg="cut short|unexpected (end of file|EOF)"
		if ((RC == 0)) || [[ -n $OUT ]] || ! grep -qE "$msg" <<<"$ERR"; then
			bad+=" [at $at: exit $RC, '$OUT', $(tr_flat "$ERR")]"
		fi
	done
	expect_eq "standalone cut at 12 points: each fails, says so, no verdict" "" "$bad"
	# One line of the image with its letters shifted: the same length, other bytes.
	n=$(($(grep -n -m 1 "<<'HVPROBE_IMAGE'\$" "$sa" | cut -d: -f1) + 2))
	sed "${n}y/abcdefghijklmnopqrstuvwxyz/bcdefghijklmnopqrstuvwxyza/" "$sa" \
		>"$WORK/sa-stress/bad"
	chmod +x "$WORK/sa-stress/bad"
	expect_eq "standalone damaged: the same size" "$size" "$(wc -c <"$WORK/sa-stress/bad")"
	SA_PATH=$PATH sa_run "$WORK/sa-stress/bad"
	expect_grep "standalone damaged in its image: it fails and says so" "$RC $ERR" \
		"^2 .*this hvprobe test is damaged \(its SHA-256 is wrong\)"
}

# What the runner says rather than guesses: the TCG fallback once, a QEMU that printed
# nothing, an image the build did not make, a VMM killed (no bash "Killed" line).
test_stress_fallbacks()
{
	local t0

	tr_tree "$SRC" arm64
	tr_passing "$SRC" ok
	printf '[one]\nfile = ok.flat\n[two]\nfile = ok.flat\n' >"$SRC/unittests.cfg"
	ACCEL="" tr_run "$SRC"
	expect_eq "fallback: ACCEL unset, no KVM for the guest: TCG, said once" \
		"run_tests.sh: ACCEL is unset and KVM cannot be used (KVM cannot run arm64 guests \
on a x86_64 host): running under TCG" "$ERR"
	tr_tree "$SRC"
	tr_passing "$SRC" ok
	tr_image "$SRC" signal 'out INFO: before' 'kill KILL'
	tr_image "$SRC" deaf 'out INFO: deaf' deaf hang
	printf '[ok]\nfile = ok.flat\n[nosuch]\nfile = nosuch.flat\n' >"$SRC/unittests.cfg"
	printf '[signal]\nfile = signal.flat\n[deaf]\nfile = deaf.flat\ntimeout = 1\n' \
		>>"$SRC/unittests.cfg"
	if [[ ! -r /dev/kvm || ! -w /dev/kvm ]]; then
		ACCEL="" tr_run "$SRC" ok
		expect_grep "fallback: ACCEL unset, /dev/kvm unusable: TCG, said" "$ERR" \
			"^run_tests.sh: ACCEL is unset and KVM cannot be used \(/dev/kvm .*\): \
running under TCG$"
	fi
	QEMU=/bin/true tr_run "$SRC" ok
	expect_line "QEMU=/bin/true: exited 0 with no output at all" "$OUT" \
		"FAIL ok (QEMU exited 0 with no output at all)"
	QEMU=/bin/false tr_run "$SRC" ok
	expect_line "QEMU=/bin/false: exited 1 with no output at all" "$OUT" \
		"FAIL ok (QEMU exited 1 with no output at all)"
	tr_run "$SRC" nosuch
	expect_rc "file = nosuch.flat: a build error" 2
	expect_grep "file = nosuch.flat: named with its unittests.cfg line" "$ERR" \
		"^run_tests.sh: unittests.cfg:4: file = nosuch.flat: make did not build \
$SRC/x86/nosuch.flat \(is it in the Makefile\?\)$"
	t0=$SECONDS
	tr_run "$SRC" -j 2 signal deaf
	expect_line "SIGKILL of the VMM: killed by signal 9" "$OUT" \
		"FAIL signal (killed by signal 9 (KILL); last output: INFO: before)"
	expect_line "a VMM deaf to SIGTERM: SIGKILL after the timeout" "$OUT" \
		"FAIL deaf (timeout after 1s; last output: INFO: deaf)"
	# Without the SIGKILL the deaf fake sleeps 1000 s; with it the run ends about 4 s (timeout
	# and grace) after it started. 100 s tells the two apart however loaded the machine is.
	expect_grep "a VMM deaf to SIGTERM is killed, not waited for" "$((SECONDS - t0))" \
		"^[0-9]$|^[1-9][0-9]$"
	expect_eq "SIGKILL of the VMM: no \"Killed\" line from bash" "" "$ERR"
}
