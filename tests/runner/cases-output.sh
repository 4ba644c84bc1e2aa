#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Runner tests of the machine-readable outputs: TAP (parsed by perl's TAP::Parser, the parser
# behind prove), JUnit XML and --shard. Sourced by tests/runner/run.sh, which has just built
# the verdict tree (17 tests: 3 PASS, 1 SKIP, 13 FAIL) in SRC.

test_output_formats()
{
	local x

	tr_run "$SRC" -t -j 4
	test_tap
	tr_run "$SRC" -j 4 --junit "$WORK/junit.xml"
	x=$(<"$WORK/junit.xml")
	expect_grep "JUnit: suite counts" "$x" "^<testsuite name=\"hvprobe-x86_64-qemu-tcg\" \
tests=\"17\" failures=\"13\" errors=\"0\" skipped=\"1\" "
	expect_grep "JUnit: a failure carries its reason" "$x" \
		'^    <failure message="no checks reported">no checks reported</failure>$'
	expect_grep "JUnit: the log is the system-out" "$x" '^INFO: before$'
	if command -v python3 >/dev/null 2>&1; then
		expect_eq "JUnit: well-formed XML (python3 parses it)" 17 "$(python3 -c '
import sys, xml.etree.ElementTree as E
print(len(E.parse(sys.argv[1]).getroot().findall("testsuite/testcase")))' "$WORK/junit.xml")"
	fi
	tr_run "$SRC" -l --shard 2/5
	expect_eq "--shard K/N: every N-th test from the K-th" \
		$'pass_skips\nreset\nnotests\nexithang' "$OUT"
	x=""
	for i in 1 2 3; do
		tr_run "$SRC" -l --shard "$i/3"
		x+="$OUT"$'\n'
	done
	tr_run "$SRC" -l
	expect_eq "--shard: the shards together are the selection" "$(sort <<<"$OUT")" \
		"$(sort <<<"${x%$'\n'}")"
	tr_run "$SRC" -l --shard 4/3
	expect_rc "--shard K/N with K > N fails" 2
}

# TAP output (from test_guest_interface's run of the verdict tree) parsed by TAP::Parser.
test_tap()
{
	local counts

	counts=$(perl -MTAP::Parser -e '
		my $p = TAP::Parser->new({ tap => do { local $/; <STDIN> } });
		while (my $r = $p->next) { }
		printf "version=%s planned=%s run=%d passed=%d failed=%d skipped=%d errors=%d\n",
			$p->version, $p->tests_planned, $p->tests_run, scalar($p->passed),
			scalar($p->failed), scalar($p->skipped), scalar($p->parse_errors);
		print "$_\n" for $p->parse_errors;' <<<"$OUT")
	expect_eq "TAP parses (TAP::Parser)" \
		"version=13 planned=17 run=17 passed=4 failed=13 skipped=1 errors=0" "$counts"
	expect_grep "TAP: not ok with the reason" "$OUT" \
		"^not ok [0-9]+ - notests # no checks reported$"
	expect_grep "TAP: SKIP directive" "$OUT" "^ok [0-9]+ - skip77 # SKIP svm: no SVM$"
	expect_rc "TAP: exit status 1 when a test failed" 1
}
