#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Runner tests of the machine-readable outputs: TAP (parsed by perl's TAP::Parser, the parser
# behind prove), JUnit XML and --shard. Sourced by tests/runner/run.sh, which has just built
# the verdict tree (17 tests: 3 PASS, 1 SKIP, 13 FAIL) in SRC.

test_output_formats()
{
	local x all n i

	tr_run "$SRC" -t -j 4
	test_tap
	tr_run "$SRC" -j 4 --junit "$WORK/junit.xml"
	x=$(<"$WORK/junit.xml")
	expect_grep "JUnit: suite counts" "$x" "^<testsuite name=\"hvprobe-x86_64-qemu-tcg\" \
tests=\"17\" failures=\"13\" errors=\"0\" skipped=\"1\" "
	expect_grep "JUnit: a failure carries its reason" "$x" \
		'^    <failure message="no checks reported">no checks reported</failure>$'
	expect_grep "JUnit: the log is the system-out" "$x" '^INFO: before$'
	# xmllint (libxml2-utils, installed by scripts/deps.sh check) is the real parser.
	expect_eq "JUnit: well-formed XML with one testcase per test (xmllint)" 17 \
		"$(xmllint --xpath 'count(/testsuites/testsuite/testcase)' "$WORK/junit.xml")"
	tr_run "$SRC" -l --shard 2/5
	expect_eq "--shard K/N: every N-th test from the K-th" \
		$'pass_skips\nreset\nnotests\nexithang' "$OUT"
	tr_run "$SRC" -l
	all=$(sort <<<"$OUT")
	for n in 1 2 3 4 5; do
		x=""
		for ((i = 1; i <= n; i++)); do
			tr_run "$SRC" -l --shard "$i/$n"
			[[ -n $OUT ]] && x+="$OUT"$'\n'
		done
		# Equal as sorted lists: the union is the selection and no test is in two shards.
		expect_eq "--shard K/$n: shards are disjoint and their union is the selection" \
			"$all" "$(sort <<<"${x%$'\n'}")"
	done
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
