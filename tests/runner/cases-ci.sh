#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Runner tests of scripts/ci-check.sh, which make check runs on the real CI files: the real
# .github/workflows/hvprobe.yml and .gitlab-ci.yml pass over a small catalogue; broken copies
# (bad YAML, a missing or doubled shard, shards of two sizes, no --junit) fail, each named.
# Sourced by tests/runner/run.sh.

# ci_case CASE FILE SED-SCRIPT REGEX: FILE of the tree changed by SED-SCRIPT makes ci-check.sh
# fail with a line matching REGEX.
ci_case()
{
	local out rc

	cp "$TR_ROOT/$2" "$SRC/$2"
	sed -i -e "$3" "$SRC/$2"
	out=$(bash "$SRC/scripts/ci-check.sh" "$SRC" 2>&1)
	rc=$?
	if ((rc != 0)) && grep -qE -- "$4" <<<"$out"; then
		tr_ok "ci-check: $1"
	else
		tr_bad "ci-check: $1" "rc=$rc, wanted a line matching '$4'; got: $(tr_flat "$out")"
	fi
	cp "$TR_ROOT/$2" "$SRC/$2"
}

test_ci_files()
{
	local out gh=.github/workflows/hvprobe.yml gl=.gitlab-ci.yml

	if [[ ! -x /usr/bin/python3 ]] || ! /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
		tr_bad "ci-check: python3-yaml installed (scripts/deps.sh check)" "it is not"
		return
	fi
	tr_tree "$SRC"
	mkdir -p "$SRC/.github/workflows"
	cp "$TR_ROOT/$gh" "$SRC/$gh"
	cp "$TR_ROOT/$gl" "$SRC/$gl"
	printf '[%s]\nfile = ok.flat\narch = %s\n' a x86_64 b x86_64 c x86_64 d arm64 e s390x \
		f riscv64 \
		>"$SRC/unittests.cfg"
	out=$(bash "$SRC/scripts/ci-check.sh" "$SRC" 2>&1)
	expect_line "ci-check: the real CI files pass" "$out" \
		"ci-check.sh: both CI files parse and their shards cover the catalogue"
	expect_line "ci-check: every arch and VMM of the GitHub matrix" "$out" \
		"ci-check.sh: $gh: arm64 qemu, riscv64 qemu, s390x qemu, x86_64 bochs, x86_64 qemu"
	ci_case "YAML syntax error" "$gh" '/^jobs:/a\  bad: [' "$gh: not valid YAML"
	ci_case "a shard missing" "$gh" '/x86_64, vmm: qemu, shard: "2\/2"/d' \
		"$gh: x86_64 qemu: shards 1/2, want 1/2 2/2"
	ci_case "a shard twice" "$gl" 's|SHARD: \["1/2", "2/2"\]|SHARD: ["1/2", "1/2"]|' \
		"$gl: x86_64 (qemu|bochs): shards 1/2 1/2, want 1/2 2/2"
	out='          - { arch: arm64, vmm: qemu, shard: "2/3" }'
	ci_case "shards of two sizes" "$gh" "/arm64, vmm: qemu, shard: \"1\\/1\"/a\\$out" \
		"$gh: arm64 qemu: shards of 1 and 3"
	ci_case "no --junit" "$gl" 's/ --junit junit.xml//' "$gl: no job runs --junit"
	ci_case "an unknown VMM" "$gl" 's/VMM: \[qemu, bochs\]/VMM: [qemu, kvmtool]/' \
		"$gl: a job with arch 'x86_64', vmm 'kvmtool'"
}
