#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Runner tests of the catalogue parser, the known-failures parser, test selection (-g, -a,
# -l, names) and command-line errors. Sourced by tests/runner/run.sh (uses SRC and lib.sh).

# cfg_case CASE LINE CFG-TEXT: the catalogue CFG-TEXT is rejected at LINE, with the exit
# status non-zero and nothing run.
cfg_case()
{
	printf '%s\n' "$3" >"$SRC/unittests.cfg"
	tr_run "$SRC"
	if ((RC != 0)) && grep -qE "(^|/)unittests\.cfg:$2: " <<<"$ERR" && [[ -z $OUT ]]; then
		tr_ok "cfg error: $1"
	else
		tr_bad "cfg error: $1" \
			"wanted unittests.cfg:$2: and a failure; rc=$RC err=$(tr_flat "$ERR")"
	fi
}

test_cfg_errors()
{
	tr_tree "$SRC"
	printf 'out SUMMARY: 1 tests\nout EXIT: STATUS=0\nexit 1\n' | tr_image "$SRC" ok
	cfg_case "unknown key" 3 $'[a]\nfile = ok.flat\nsmpp = 2'
	cfg_case "duplicate stanza" 4 $'[a]\nfile = ok.flat\n# c\n[a]\nfile = ok.flat'
	cfg_case "key outside a stanza" 2 $'# comment\nfile = ok.flat\n[a]\nfile = ok.flat'
	cfg_case "missing file" 3 $'[a]\nfile = ok.flat\n[b]\nsmp = 2\n[c]\nfile = ok.flat'
	cfg_case "non-numeric smp" 3 $'[a]\nfile = ok.flat\nsmp = two'
	cfg_case "non-numeric timeout" 3 $'[a]\nfile = ok.flat\ntimeout = 10m'
	cfg_case "not a key = value line" 2 $'[a]\nfile ok.flat'
	cfg_case "unterminated quote" 3 $'[a]\nfile = ok.flat\nqemu_params = -foo "bar'
	cfg_case "unknown accel" 3 $'[a]\nfile = ok.flat\naccel = hvf'
	cfg_case "unknown arch" 2 $'[a]\narch = x86-64\nfile = ok.flat'
	cfg_case "key given twice (extra_params alias)" 4 \
		$'[a]\nfile = ok.flat\nqemu_params = -a\nextra_params = -b'
	cfg_case "bad check" 3 $'[a]\nfile = ok.flat\ncheck = nmi_watchdog=0'
	cfg_case "bad disabled_if" 3 $'[a]\nfile = ok.flat\ndisabled_if = [[ $ACCEL =='
	cfg_case "empty value" 3 $'[a]\nfile = ok.flat\ngroups ='
	cfg_case "unknown expect" 3 $'[a]\nfile = ok.flat\nexpect = poweroff'
	printf '[b]\nfile = ok.flat\nsmp = x\n[b]\nfile = ok.flat\n' >"$SRC/unittests.cfg"
	tr_run "$SRC"
	expect_eq "cfg errors: every error is reported" 2 "$(grep -c 'unittests.cfg:' <<<"$ERR")"
}

# kf_case CASE LINE TEXT: known-failures.txt holding TEXT is rejected at LINE.
kf_case()
{
	printf '%s\n' "$3" >"$SRC/known-failures.txt"
	tr_run "$SRC"
	if ((RC != 0)) && grep -qE "(^|/)known-failures\.txt:$2: " <<<"$ERR" && [[ -z $OUT ]]; then
		tr_ok "known-failures error: $1"
	else
		tr_bad "known-failures error: $1" "wanted known-failures.txt:$2:; rc=$RC \
			err=$(tr_flat "$ERR")"
	fi
}

test_kf_errors()
{
	tr_tree "$SRC"
	printf 'out SUMMARY: 1 tests\nout EXIT: STATUS=0\nexit 1\n' | tr_image "$SRC" ok
	printf '[a]\nfile = ok.flat\n' >"$SRC/unittests.cfg"
	kf_case "too few fields" 2 $'# c\nqemu | tcg | * | * | a | check'
	kf_case "empty reason" 1 'qemu | tcg | * | * | a | check | '
	kf_case "empty field" 3 $'\n\nqemu | | * | * | a | check | why'
	kf_case "unknown vmm" 1 'qmeu | tcg | * | * | a | check | why'
	kf_case "test glob matching nothing" 1 'qemu | tcg | * | * | b* | check | why'
	printf 'qemu | tcg | * | * | a | check | why\n' >"$SRC/known-failures.txt"
	tr_run "$SRC"
	expect_line "known-failures: a good file runs" "$OUT" "PASS a (1 tests)"
}

test_selection()
{
	tr_tree "$SRC"
	printf 'out SUMMARY: 1 tests\nout EXIT: STATUS=0\nexit 1\n' | tr_image "$SRC" ok
	cat >"$SRC/unittests.cfg" <<-'EOF'
		[a]
		file = ok.flat
		groups = g1
		[b]
		file = ok.flat
		groups = g2 nodefault
		[c]
		file = ok.flat
		arch = x86_64
		groups = g1 g3
		[d]
		file = ok.flat
		arch = arm64
		groups = g3
		[e]
		file = ok.flat
		groups = nodefault
		[f]
		file = ok.flat
		arch = arm64
		groups = g4
	EOF
	tr_run "$SRC" -l
	expect_eq "-l: default set (no nodefault, no other arch)" $'a\nc' "$OUT"
	tr_run "$SRC" -l -a
	expect_eq "-l -a: nodefault too" $'a\nb\nc\ne' "$OUT"
	tr_run "$SRC" -l -g g2
	expect_eq "-l -g: a group's nodefault tests run" "b" "$OUT"
	tr_run "$SRC" -l -g g3,g2
	expect_eq "-l -g LIST" $'b\nc' "$OUT"
	tr_run "$SRC" -lg g1 -g g2
	expect_eq "-lg G -g G: clustered flags, repeated -g" $'a\nb\nc' "$OUT"
	tr_run "$SRC" -l e c
	expect_eq "-l NAMES: catalogue order, nodefault named" $'c\ne' "$OUT"
	tr_run "$SRC" -l -g g1 a b
	expect_eq "-g and names both filter" "a" "$OUT"
	tr_run "$SRC" a nosuch
	expect_rc "unknown test name fails" 2
	expect_grep "unknown test name is named" "$ERR" "unknown test 'nosuch'"
	tr_run "$SRC" d
	expect_rc "a test of another arch, named, fails" 2
	tr_run "$SRC" -g nosuch
	expect_rc "unknown group fails" 2
	tr_run "$SRC" -g g4
	expect_rc "a group of another arch's stanzas only fails" 2
	expect_grep "a group of another arch's stanzas only: said" "$ERR" \
		"no stanza for arch x86_64 in group g4 "
	tr_run "$SRC" -l -g g3,g4
	expect_eq "-g LIST: a group of another arch beside one of this arch" "c" "$OUT"
	tr_run "$SRC" -x
	expect_rc "unknown option fails" 2
	tr_run "$SRC" -h
	expect_grep "-h prints the usage" "$OUT" "^Usage: run_tests.sh"
	tr_run "$SRC" -j 2 -g g1
	expect_eq "-g runs the group" \
		$'2 passed, 0 failed, 0 skipped\nPASS a (1 tests)\nPASS c (1 tests)' \
		"$(LC_ALL=C sort <<<"$OUT")"
	mkdir -p "$WORK/build/x86"
	sed "s|^SRCDIR=.*|SRCDIR=$SRC|" "$SRC/config.mak" >"$WORK/build/config.mak"
	ln -sf "$SRC/run_tests.sh" "$WORK/build/run_tests.sh"
	cp "$SRC/x86/ok.flat" "$WORK/build/x86/"
	printf 'all:\n' >"$WORK/build/Makefile"
	tr_run "$WORK/build" a
	expect_line "out-of-tree build directory" "$OUT" "PASS a (1 tests)"
	expect_grep "out-of-tree: logs in the build directory" \
		"$(head -n 1 "$WORK/build/logs/a.log")" " -kernel $WORK/build/x86/ok.flat "
	mv "$SRC/config.mak" "$WORK/config.mak.saved"
	printf '#!/bin/bash\n# SPDX-License-Identifier: MIT\ncp %q config.mak\n' \
		"$WORK/config.mak.saved" >"$SRC/configure"
	chmod +x "$SRC/configure"
	tr_run "$SRC" a
	expect_line "fresh clone: runs ./configure first" "$OUT" "PASS a (1 tests)"
}
