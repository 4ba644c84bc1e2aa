#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Runner tests of host-aware known failures (scripts/known-failures.sh, scripts/hostcpu.sh):
# host and check field syntax errors, the KNOWN_* environment (many: stripped, => got
# pinned, KNOWN_AT_ tags), host conditions against faked hosts (HVPROBE_HOST), the probe built
# only when an entry needs it, /proc/cpuinfo parsing, and the real known-failures.txt with
# unittests.cfg: which KNOWN_FAIL_ globs the cpuid stanza gets under kvm-pvm on Intel and AMD
# hosts with and without each probed instruction; standalone scripts selecting by host at
# run time. Sourced by tests/runner/run.sh (after cases-standalone.sh).

test_kf_syntax()
{
	tr_tree "$SRC"
	tr_passing "$SRC" ok
	printf '[a]\nfile = ok.flat\n' >"$SRC/unittests.cfg"
	kf_case "host: * among conditions" 1 'qemu | tcg | * | * ht | a | c | why'
	kf_case "host: unknown word prefix" 2 $'# c\nqemu | tcg | * | vender:X | a | c | why'
	kf_case "host: family in decimal" 1 'qemu | tcg | * | family:26 | a | c | why'
	kf_case "host: uppercase flag" 1 'qemu | tcg | * | HT | a | c | why'
	kf_case "host: exec of an instruction the probe does not try" 1 \
		'qemu | tcg | * | exec:avx9 | a | c | why'
	kf_case "host: nothing after the prefix" 1 'qemu | tcg | * | !xcr0: | a | c | why'
	kf_case "check: crash: without a glob" 1 'qemu | tcg | * | * | a | crash: | why'
	kf_case "check: many: with crash:" 1 'qemu | tcg | * | * | a | many:crash:x | why'
	kf_case "check: crash: with => got" 1 'qemu | tcg | * | * | a | crash:x => y | why'
	kf_case "check: => without a got glob" 1 'qemu | tcg | * | * | a | c =>  | why'
	kf_case "check: many: without a glob" 1 'qemu | tcg | * | * | a | many: => x | why'
	kf_case "check: two =>" 1 'qemu | tcg | * | * | a | c => d => e | why'
	printf '%s\n' 'qemu | tcg | * | vendor:Genuine* !exec:rd[pt]* ht | a | many:c* => 0x? | y' \
		>"$SRC/known-failures.txt"
	tr_run "$SRC"
	expect_line "known-failures: host conditions and many:/=> parse" "$OUT" "PASS a (1 tests)"
}

# kf_env_of HOST: the KNOWN_ lines of the last tr_run's stanza "a" with HVPROBE_HOST=HOST.
kf_env_of()
{
	HVPROBE_HOST=$1 FAKE_QEMU_RECORD=$WORK/rec-kf tr_run "$SRC" a
	grep '^KNOWN_' "$WORK/rec-kf/a.env"
}

test_kf_host()
{
	local want

	# The real host must not leak into these runs.
	unset HVPROBE_HOST
	mkdir -p "$WORK/rec-kf"
	tr_tree "$SRC"
	tr_passing "$SRC" ok
	printf '[a]\nfile = ok.flat\n[b]\nfile = ok.flat\n' >"$SRC/unittests.cfg"
	cat >"$SRC/known-failures.txt" <<-'EOF'
		qemu | tcg | * | vendor:AuthenticAMD | a | amd: x | AMD hosts
		qemu | tcg | * | vendor:GenuineIntel !exec:movdiri | a | many:old: * => no e* | old
		qemu | tcg | * | exec:rdpid exec:rdpru | a | both | needs both
		qemu | tcg | * | * | a | crash:sub_* | any host
		qemu | kvm | * | ht | a | kvm only | not under tcg
	EOF
	want=$(printf '%s\n' 'KNOWN_FAIL_0=amd: x' 'KNOWN_AT_0=known-failures.txt:1' \
		'KNOWN_FAIL_1=both' 'KNOWN_AT_1=known-failures.txt:3' 'KNOWN_CRASH_2=sub_*' \
		'KNOWN_AT_2=known-failures.txt:4')
	expect_eq "host: an AMD host with RDPID and RDPRU" "$want" \
		"$(kf_env_of "vendor:AuthenticAMD ht exec:rdpid exec:rdpru")"
	want=$(printf '%s\n' 'KNOWN_FAIL_0=old: *' 'KNOWN_AT_0=known-failures.txt:2' \
		'KNOWN_GOT_0=no e*' 'KNOWN_CRASH_1=sub_*' 'KNOWN_AT_1=known-failures.txt:4')
	expect_eq "host: many: stripped, => got pinned, !exec: holds" "$want" \
		"$(kf_env_of "vendor:GenuineIntel exec:rdpid")"
	want=$(printf '%s\n' 'KNOWN_CRASH_0=sub_*' 'KNOWN_AT_0=known-failures.txt:4')
	expect_eq "host: !exec: fails on a host that has it; all conditions must hold" "$want" \
		"$(kf_env_of "vendor:GenuineIntel exec:movdiri exec:rdpru")"
	expect_eq "host: an empty description matches no condition" "$want" "$(kf_env_of "")"
	rm -f "$SRC/hostcpu-probe"
	tr_run "$SRC" b
	want="host: no entry of the run has host conditions: no probe built"
	if [[ ! -e $SRC/hostcpu-probe ]]; then
		tr_ok "$want"
	else
		tr_bad "$want" "it was built"
	fi
	test_kf_probe
}

# The probe: built on demand (x86_64 hosts with cc), never a crash of the runner.
test_kf_probe()
{
	local n

	if [[ $(uname -m) != x86_64 ]] || ! command -v cc >/dev/null 2>&1; then
		tr_ok "host: probe tests skipped (not an x86_64 host with cc)"
		return
	fi
	tr_run "$SRC" -j 2 a b
	if [[ -x $SRC/hostcpu-probe ]] && "$SRC/hostcpu-probe" | grep -qE '^(exec:|xcr0:)'; then
		tr_ok "host: an entry with host conditions builds and runs the probe"
	else
		tr_bad "host: an entry with host conditions builds and runs the probe" \
			"$(tr_flat "$ERR")"
	fi
	rm -f "$SRC/hostcpu-probe"
	printf 'qemu | tcg | * | vendor:Nobody | * | x | any test\n' >"$SRC/known-failures.txt"
	HOSTCC=false tr_run "$SRC" -j 2 a b
	expect_line "host: a probe that cannot be built does not stop the run" "$OUT" \
		"2 passed, 0 failed, 0 skipped"
	n=$(grep -c "host CPU probe unavailable (false could not build" <<<"$ERR")
	expect_eq "host: ... and is said once, not once per test" 1 "$n"
}

test_kf_cpuinfo()
{
	local words

	cat >"$WORK/cpuinfo" <<-'EOF'
		processor	: 0
		vendor_id	: GenuineIntel
		cpu family	: 6
		model		: 143
		flags		: fpu ht pku ospke

		processor	: 1
		vendor_id	: Other
		flags		: second
	EOF
	words=$(PROG=t bash -c 'source "$1/scripts/common.sh" && source "$1/scripts/hostcpu.sh" &&
		hostcpu_cpuinfo "$2"' _ "$TR_ROOT" "$WORK/cpuinfo")
	expect_eq "host: /proc/cpuinfo words (first CPU, hex family and model)" \
		"vendor:GenuineIntel family:0x6 model:0x8f fpu ht pku ospke" "$words"
}

# kf_real_batch HOST...: for each host description, a line "== HOST" then the KNOWN_FAIL_
# globs the real catalogue's cpuid stanza gets under QEMU KVM on the host kernel 6.18.44-fc
# (kvm-pvm) for that host; the catalogue and known-failures.txt are parsed once.
kf_real_batch()
{
	bash -c 'set -f
		uname() { echo 6.18.44-fc-v1; }
		for p in common cfg known-failures hostcpu; do
			source "$1/scripts/$p.sh" || exit 2
		done
		cfg_parse "$1/unittests.cfg" && kf_parse "$1/known-failures.txt" || exit 2
		shift
		for HVPROBE_HOST in "$@"; do
			HOST_DESCRIBED=0
			printf "== %s\n" "$HVPROBE_HOST"
			kf_env qemu kvm cpuid | sed -n "s/^KNOWN_FAIL_[0-9]*=//p"
		done' _ "$TR_ROOT" "$@"
}

# kf_real HOST: the globs kf_real_batch printed for HOST (from KF_REAL_OUT).
kf_real()
{
	awk -v h="== $1" '$0 == h { on = 1; next } /^== / { on = 0 } on' <<<"$KF_REAL_OUT"
}

# kf_has CASE GLOBS WANT PATTERN: GLOBS has (WANT=1) or has not (WANT=0) a line matching the
# extended regular expression PATTERN.
kf_has()
{
	local got=0 want="a"

	grep -qE -- "$4" <<<"$2" && got=1
	[[ $3 == 1 ]] || want="no"
	if [[ $got == "$3" ]]; then
		tr_ok "$1"
	else
		tr_bad "$1" "wanted $want line matching '$4'; got: $(tr_flat "$2")"
	fi
}

# The real entries: each probed instruction's insn_user entry is selected exactly on the
# hosts that execute it, on Intel and AMD hosts alike.
test_kf_real()
{
	local vendor insn all base globs other row
	declare -A rows=([sse4a]="EXTRQ" [rdtscp]="RDTSCP" [rdpid]="RDPID"
		[serialize]="SERIALIZE" [rdpru]="RDPRU" [fma4]="VFMADDPS" [rdpkru]="RDPKRU"
		[movdiri]="MOVDIRI")

	all="exec:sse4a exec:rdtscp exec:rdpid exec:serialize exec:rdpru exec:fma4"
	all+=" exec:rdpkru exec:movdiri"
	local -a hosts=("vendor:AuthenticAMD exec:fma4 fma4"
		"vendor:GenuineIntel exec:lzcnt xcr0:0x7" "vendor:AuthenticAMD ht pku xcr0:0x2e7"
		"vendor:AuthenticAMD xcr0:0x3" "vendor:AuthenticAMD")
	for vendor in AuthenticAMD GenuineIntel; do
		base="vendor:$vendor family:0x19 model:0x11"
		for insn in "${!rows[@]}"; do
			hosts+=("$base exec:$insn" "$base ${all/exec:$insn/}")
		done
	done
	KF_REAL_OUT=$(kf_real_batch "${hosts[@]}")
	for vendor in AuthenticAMD GenuineIntel; do
		base="vendor:$vendor family:0x19 model:0x11"
		for insn in "${!rows[@]}"; do
			row=${rows[$insn]}
			globs=$(kf_real "$base exec:$insn")
			kf_has "real: $vendor host with only $insn: its insn_user entry" \
				"$globs" 1 "^insn_user: $row raises #UD"
			kf_has "real: $vendor host with only $insn: no other insn_user entry" \
				"$(grep -v "^insn_user: $row " <<<"$globs")" 0 "^insn_user:"
			globs=$(kf_real "$base ${all/exec:$insn/}")
			kf_has "real: $vendor host with all but $insn: not its entry" "$globs" 0 \
				"^insn_user: $row raises #UD"
			other=$(grep -c "^insn_user: " <<<"$globs")
			expect_eq "real: $vendor host with all but $insn: the 7 others" 7 "$other"
		done
	done
	globs=$(kf_real "vendor:AuthenticAMD exec:fma4 fma4")
	kf_has "real: FMA4 enumerated by the host (-cpu host passes it): no entry" "$globs" 0 \
		"VFMADDPS"
	test_kf_real_state
}

# The entries whose outcome the host's flags, LZCNT and XCR0 decide.
test_kf_real_state()
{
	local globs

	globs=$(kf_real "vendor:GenuineIntel exec:lzcnt xcr0:0x7")
	kf_has "real: exec:lzcnt selects both LZCNT rows" \
		"$(grep -c "LZCNT encoding" <<<"$globs")" 1 "^2$"
	kf_has "real: XCR0 0x7: the x87 row" "$globs" 1 "XCR0=x87 as written"
	kf_has "real: XCR0 0x7: the x87|SSE row" "$globs" 1 "XCR0=x87.SSE as written"
	kf_has "real: XCR0 0x7: not the x87|SSE|AVX row" "$globs" 0 "XCR0=x87.SSE.AVX as written"
	kf_has "real: XCR0 0x7: OSXSAVE=0 row" "$globs" 1 "XGETBV with CR4.OSXSAVE=0"
	kf_has "real: no ht: no HTT entry" "$globs" 0 "HTT=1"
	kf_has "real: no pku: no CR4.PKE entry" "$globs" 0 "CR4.PKE"
	globs=$(kf_real "vendor:AuthenticAMD ht pku xcr0:0x2e7")
	kf_has "real: XCR0 0x2e7: the x87|SSE|AVX row" "$globs" 1 "XCR0=x87.SSE.AVX as written"
	kf_has "real: ht: the HTT entry" "$globs" 1 "HTT=1"
	kf_has "real: pku: the CR4.PKE entry" "$globs" 1 "CR4.PKE"
	kf_has "real: no exec:lzcnt: no LZCNT rows" "$globs" 0 "LZCNT"
	globs=$(kf_real "vendor:AuthenticAMD xcr0:0x3")
	kf_has "real: XCR0 0x3: not the x87|SSE row" "$globs" 0 "XCR0=x87.SSE as"
	kf_has "real: XCR0 0x3 (no AVX): not the AVX row" "$globs" 0 "SSE.AVX"
	globs=$(kf_real "vendor:AuthenticAMD")
	kf_has "real: no XSAVE on the host: no XCR0 entry" "$globs" 0 "XCR0|XGETBV"
}

# Standalone scripts select entries with host conditions at run time, on the machine that
# runs them, with the probe they carry (sa_run: tests/runner/cases-standalone.sh).
test_kf_standalone()
{
	local rec=$WORK/rec-kfsa

	mkdir -p "$rec"
	tr_tree "$SRC"
	tr_passing "$SRC" ok
	printf '[a]\nfile = ok.flat\n' >"$SRC/unittests.cfg"
	printf '%s\n' 'qemu | tcg | * | vendor:FakeVendor | a | f: * | a faked host only' \
		'qemu | tcg | * | !vendor:FakeVendor | a | o: * | any other host' \
		>"$SRC/known-failures.txt"
	(cd "$SRC" && bash scripts/standalone.sh a) 2>/dev/null
	# shellcheck disable=SC2034 # read by sa_run
	SA_PATH=$PATH
	HVPROBE_HOST="vendor:FakeVendor" FAKE_QEMU_RECORD=$rec sa_run "$SRC/standalone/a"
	expect_eq "standalone: host conditions at run time (a faked host)" "KNOWN_FAIL_0=f: *" \
		"$(grep KNOWN_FAIL "$rec/a.env")"
	FAKE_QEMU_RECORD=$rec sa_run "$SRC/standalone/a"
	expect_eq "standalone: host conditions at run time (this host)" "KNOWN_FAIL_0=o: *" \
		"$(grep KNOWN_FAIL "$rec/a.env")"
	if [[ $(uname -m) == x86_64 ]] && command -v cc >/dev/null 2>&1; then
		expect_eq "standalone: the probe it carries runs (no warning)" "" \
			"$(grep 'probe unavailable' <<<"$ERR")"
	fi
	rm -f "$SRC/hostcpu-probe"
	(cd "$SRC" && HOSTCC=false bash scripts/standalone.sh a) 2>/dev/null
	sa_run "$SRC/standalone/a"
	expect_eq "standalone: a script without the probe says so once, and runs" \
		"1 PASS a (1 tests)" "$(grep -c 'has none (made on another arch or without cc)' \
		<<<"$ERR") $OUT"
}
