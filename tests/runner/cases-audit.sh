#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Runner tests of the known-failures audit (scripts/kf-audit.sh) on fake guest output: the
# tags of XFAIL/XPASS lines, pinned FAIL lines, dead entries, entries matching several
# distinct checks with and without many:, one check per CPU counted once. Sourced by
# tests/runner/run.sh.

# audit_run: run the catalogue, then the audit on its output; set OUT (the audit's) and RC.
# shellcheck disable=SC2034 # RC is read by expect_rc
audit_run()
{
	tr_run "$SRC" -j 4
	printf '%s\n' "$OUT" >"$WORK/audit.out"
	OUT=$(cd "$SRC" && bash scripts/kf-audit.sh "$WORK/audit.out" 2>&1)
	RC=$?
}

test_audit()
{
	local kf=known-failures.txt

	tr_tree "$SRC"
	tr_image "$SRC" a 'out XFAIL: x: one (expected 1, got 2) [known-failures.txt:1]' \
		'out XFAIL: x: two [known-failures.txt:2]' \
		'out XFAIL: x: three [known-failures.txt:2]' \
		'out XFAIL: y: a (expected 0, got 1) [known-failures.txt:3]' \
		'out XFAIL: y: b (expected 0, got 1) [known-failures.txt:3]' \
		'out FAIL: p: pin (expected 0, got 7; known-failures.txt:7 expects got 5)' \
		'out SUMMARY: 6 tests, 1 unexpected failures, 5 expected failures' \
		'out EXIT: STATUS=1' 'exit 3'
	tr_image "$SRC" b 'out XFAIL: z: cpu0: check [known-failures.txt:6]' \
		'out XFAIL: z: cpu1: check [known-failures.txt:6]' \
		'out XPASS: w: CPU 3: fixed [known-failures.txt:9]' 'out SUMMARY: 3 tests' \
		'out EXIT: STATUS=1' 'exit 3'
	tr_image "$SRC" c \
		'out XFAIL: sub: not run, known to crash this VMM [known-failures.txt:5]' \
		'out XFAIL: untagged' 'out SUMMARY: 2 tests, 2 expected failures' \
		'out EXIT: STATUS=0' 'exit 1'
	tr_image "$SRC" d 'out INFO: dies early' 'exit 2'
	printf '[%s]\nfile = %s.flat\n' a a b b c c d d >"$SRC/unittests.cfg"
	cat >"$SRC/$kf" <<-'EOF'
		qemu | tcg | * | * | a | x: one | a single check
		qemu | tcg | * | * | a | x: t* | two checks, no many:
		qemu | tcg | * | * | a | many:y: * => 1 | two checks, many:
		qemu | tcg | * | * | b | dead | matches nothing
		qemu | tcg | * | * | c | crash:sub | a known crash
		qemu | tcg | * | * | b | z: cpu* check | one check on every CPU
		qemu | tcg | * | * | a | p: pin => 5 | a pin that failed
		qemu | tcg | * | * | d | gone | its test crashed: not audited
		qemu | tcg | * | * | b | w: CPU * fixed | an XPASS counts as a match
		qemu | kvm | * | * | a | x: one | not selected under tcg
	EOF
	audit_run
	expect_rc "audit: exit status 1 on problems" 1
	expect_line "audit: untagged XFAIL lines, once per log" "$OUT" "kf-audit.sh: logs/c.log: 1 \
XFAIL/XPASS lines without their [$kf:<line>] tag (is the image older than the tags?), the \
first: XFAIL: untagged"
	expect_line "audit: two distinct checks without many:" "$OUT" "kf-audit.sh: $kf:2: matched \
2 distinct checks without many: (x: two | x: three): qemu | tcg | * | * | a | x: t*"
	expect_line "audit: a dead entry" "$OUT" "kf-audit.sh: $kf:4: matched nothing in this run \
(selected for b): qemu | tcg | * | * | b | dead"
	expect_eq "audit: nothing else (many:, pins, crashes, per-CPU checks, XPASS, crashed \
tests)" 4 "$(wc -l <<<"$OUT")"
	printf 'qemu | tcg | * | * | a | x: one | one\n' >"$SRC/$kf"
	tr_image "$SRC" a 'out XFAIL: x: one [known-failures.txt:1]' \
		'out XFAIL: y: a [known-failures.txt:2]' 'out SUMMARY: 2 tests' \
		'out EXIT: STATUS=0' 'exit 1'
	printf '[%s]\nfile = %s.flat\n' a a >"$SRC/unittests.cfg"
	audit_run
	expect_eq "audit: a tag of an entry the test did not select" "kf-audit.sh: $kf:2: \
tagged on a check, not selected for its test" "$(head -n 1 <<<"$OUT")"
	printf '%s\n' 'qemu | tcg | * | * | a | x: one | one' 'qemu | tcg | * | * | a | y: a | a' \
		>"$SRC/$kf"
	tr_image "$SRC" a 'out XFAIL: x: one [known-failures.txt:1]' \
		'out XFAIL: y: a [known-failures.txt:2]' 'out SUMMARY: 2 tests' \
		'out EXIT: STATUS=0' 'exit 1'
	audit_run
	expect_rc "audit: a clean run passes" 0
	expect_eq "audit: ... and says so" \
		"kf-audit.sh: 2 entries selected, each matched its checks" "$OUT"
}
