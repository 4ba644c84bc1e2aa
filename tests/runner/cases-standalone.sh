#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Runner tests of make standalone (scripts/standalone.sh): scripts generated for a fake
# catalogue, run away from the source tree with the fake QEMU and, where dpkg lists them,
# nothing on PATH but coreutils. Sourced by tests/runner/run.sh.

# sa_run SCRIPT ARGS...: run a standalone script from / with the fake QEMU under TCG, PATH
# limited to SA_PATH; set OUT ERR RC.
# shellcheck disable=SC2034 # RC is read by expect_rc
sa_run()
{
	OUT=$(cd / && PATH=$SA_PATH QEMU=${QEMU:-$TR_FAKE} ACCEL=${ACCEL-tcg} NO_COLOR=1 \
		"$@" 2>"$WORK/sa.stderr")
	RC=$?
	ERR=$(<"$WORK/sa.stderr")
}

# sa_coreutils_path DIR: DIR holding links to bash, awk and the coreutils commands only;
# prints DIR, or the normal PATH when dpkg cannot list coreutils.
sa_coreutils_path()
{
	local dir=$1 f

	if ! dpkg -L coreutils >/dev/null 2>&1; then
		printf '%s' "$PATH"
		return
	fi
	mkdir -p "$dir"
	while IFS= read -r f; do
		[[ $f == @(/bin|/usr/bin)/* && -x $f && ! -d $f ]] && ln -sf "$f" "$dir/"
	done < <(dpkg -L coreutils)
	ln -sf "$(command -v bash)" "$dir/bash"
	ln -sf "$(realpath "$(command -v awk)")" "$dir/awk"
	printf '%s' "$dir"
}

test_standalone()
{
	local rec=$WORK/rec-sa want line

	tr_tree "$SRC"
	mkdir -p "$rec"
	tr_image "$SRC" ok 'out PASS: a' 'out SUMMARY: 1 tests' 'out EXIT: STATUS=0' 'exit 1'
	tr_image "$SRC" bad 'out FAIL: a: broken' 'out SUMMARY: 1 tests, 1 unexpected failures' \
		'out EXIT: STATUS=1' 'exit 3'
	tr_image "$SRC" hang 'out INFO: spinning' hang
	cat >"$SRC/unittests.cfg" <<-'EOF'
		[pass]
		file = ok.flat
		smp = 2
		test_args = a "b c" 'd'
		qemu_params = -foo "x y"
		[fail]
		file = bad.flat
		groups = nodefault
		[kvm_only]
		file = ok.flat
		accel = kvm
		[hang]
		file = hang.flat
		timeout = 1
		[bochs_only]
		file = ok.flat
		vmm = bochs
		[other_arch]
		file = ok.flat
		arch = arm64
	EOF
	cat >"$SRC/known-failures.txt" <<-'EOF'
		qemu  | tcg | 7.2.* | * | pass | a: * | QEMU 7.2 bug
		qemu  | tcg | 8.*   | * | pass | b: * | QEMU 8 bug
		qemu  | *   | *     | * | fail | c    | not for pass
		bochs | *   | *     | * | pass | d    | not QEMU
	EOF
	(cd "$SRC" && bash scripts/standalone.sh) 2>"$WORK/sa.gen"
	expect_eq "standalone: one script per stanza of the arch and VMM" \
		$'fail\nhang\nkvm_only\npass' "$(ls "$SRC/standalone")"
	expect_grep "standalone: stanzas of another VMM are named" "$(<"$WORK/sa.gen")" \
		"bochs_only: no script \(bochs only\)"
	mkdir -p "$WORK/elsewhere"
	mv "$SRC"/standalone/* "$WORK/elsewhere/"
	rm -rf "$SRC"
	SA_PATH=$(sa_coreutils_path "$WORK/coreutils")

	FAKE_QEMU_RECORD=$rec sa_run "$WORK/elsewhere/pass"
	expect_eq "standalone: the verdict line, without the source tree" "PASS pass (1 tests)" \
		"$OUT"
	expect_rc "standalone: exit status 0 on PASS" 0
	expect_grep "standalone: the log on stderr" "$ERR" "^--- result: PASS \(1 tests\) ---$"
	want=$(printf '%s\n' HVPROBE_TEST=pass HVPROBE_VMM=qemu HVPROBE_ACCEL=tcg \
		'KNOWN_FAIL_0=a: *' 'KNOWN_AT_0=known-failures.txt:1' \
		HVPROBE_CONSOLE=debugcon)
	expect_eq "standalone: environment and known failures" "$want" "$(cat "$rec/pass.env")"
	line=$(tr '\n' ' ' <"$rec/pass.args")
	expect_grep "standalone: the QEMU command of the stanza" "$line" \
		"-smp 2 -cpu max -kernel /[^ ]+/x86/ok.flat -append a \"b c\" 'd' -initrd @ENV@ \
-foo x y $"
	FAKE_QEMU_VERSION=8.1.0 FAKE_QEMU_RECORD=$rec sa_run "$WORK/elsewhere/pass"
	expect_eq "standalone: known failures follow the VMM version at run time" \
		"KNOWN_FAIL_0=b: *" "$(grep KNOWN_FAIL "$rec/pass.env")"
	sa_run "$WORK/elsewhere/fail"
	expect_eq "standalone: FAIL verdict line" \
		"FAIL fail (1 tests, 1 unexpected failures; FAIL: a: broken)" "$OUT"
	expect_rc "standalone: exit status 1 on FAIL" 1
	sa_run "$WORK/elsewhere/kvm_only"
	expect_eq "standalone: SKIP verdict line" "SKIP kvm_only (kvm only, running tcg)" "$OUT"
	expect_rc "standalone: exit status 0 on SKIP" 0
	TIMEOUT=1 sa_run "$WORK/elsewhere/hang"
	expect_eq "standalone: timeout" \
		"FAIL hang (timeout after 1s; last output: INFO: spinning)" "$OUT"
	sa_run "$WORK/elsewhere/pass" -v --keep "$WORK/kept"
	expect_grep "standalone: -v prints the command first" "$(head -n 1 <<<"$OUT")" \
		"^$TR_FAKE -machine pc,accel=tcg .* -kernel $WORK/kept/x86/ok.flat "
	expect_eq "standalone: --keep keeps the image" "out PASS: a" \
		"$(head -n 1 "$WORK/kept/x86/ok.flat")"
	sa_run "$WORK/elsewhere/pass" -x
	expect_rc "standalone: an unknown option is a usage error" 2
	ACCEL=hvf sa_run "$WORK/elsewhere/pass"
	expect_rc "standalone: a bad ACCEL is a usage error" 2
}
