#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Checks the CI files a fork uses as they are (docs/ci.md): .github/workflows/hvprobe.yml
# and .gitlab-ci.yml must parse as YAML (Debian's python3 and python3-yaml, which
# scripts/deps.sh installs for make check), give every job of the matrix an arch, a VMM and
# a shard K/N, run ./run_tests.sh with --shard and --junit, and their shards must cover the
# catalogue: for each file, arch and VMM, the shards 1/N..N/N, each once, and the stanzas
# they list (./run_tests.sh -l --shard K/N, in a scratch build directory of that arch) are
# those of the whole default selection, each in exactly one shard.
# Usage: ci-check.sh [SRCDIR] (default: this script's source tree). Exit 0 iff all hold.

set -u -o pipefail

PROG=ci-check.sh
SRC=${1:-$(realpath "$(dirname "${BASH_SOURCE[0]}")/..")}
PY=/usr/bin/python3
ERRORS=0
WORKDIR=""

fail()
{
	printf '%s: %s\n' "$PROG" "$*"
	ERRORS=$((ERRORS + 1))
}

# ci_matrix FILE: one line "ARCH VMM SHARD" per job of FILE's matrix, or an error line
# "error: <what>"; the YAML is parsed by python3-yaml.
ci_matrix()
{
	"$PY" - "$1" <<-'PYTHON'
		import itertools, sys, yaml
		path = sys.argv[1]
		try:
		    doc = yaml.safe_load(open(path))
		except (OSError, yaml.YAMLError) as e:
		    print("error: not valid YAML: %s" % str(e).replace("\n", " "))
		    sys.exit(0)
		def words(v):
		    return v if isinstance(v, list) else [v]
		rows, runs = [], []
		if path.endswith("hvprobe.yml"):
		    for job in (doc.get("jobs") or {}).values():
		        rows += job.get("strategy", {}).get("matrix", {}).get("include", [])
		        runs += [s.get("run", "") for s in job.get("steps", [])]
		    rows = [(r.get("arch"), r.get("vmm"), r.get("shard")) for r in rows]
		else:
		    for name, job in doc.items():
		        if not isinstance(job, dict) or "script" not in job:
		            continue
		        runs += job["script"]
		        for m in (job.get("parallel") or {}).get("matrix", []):
		            rows += itertools.product(words(m.get("ARCH")), words(m.get("VMM")),
		                                      words(m.get("SHARD")))
		if not rows:
		    print("error: no matrix of arch, VMM and shard")
		run = " ".join(runs)
		for opt in ("./run_tests.sh", "--shard", "--junit", "scripts/deps.sh"):
		    if opt not in run:
		        print("error: no job runs %s" % opt)
		for r in rows:
		    print(" ".join(str(x) for x in r))
	PYTHON
}

# ci_list ARCH ARGS...: the stanzas ./run_tests.sh -l ARGS lists for ARCH, from a scratch
# build directory configured for it by hand (listing needs no compiler); kept for the next
# file asking the same.
ci_list()
{
	local dir=$WORKDIR/$1 testdir=x86 memo

	shift
	memo="$*"
	memo="$dir/list${memo//[ \/]/_}"
	[[ $dir == */arm64 ]] && testdir=arm
	[[ $dir == */s390x ]] && testdir=s390x
	[[ $dir == */riscv64 ]] && testdir=riscv
	if [[ ! -f $dir/config.mak ]]; then
		mkdir -p "$dir"
		printf 'SRCDIR=%s\nARCH=%s\nTESTDIR=%s\n' "$SRC" "${dir##*/}" "$testdir" \
			>"$dir/config.mak"
		ln -sf "$SRC/run_tests.sh" "$dir/run_tests.sh"
	fi
	if [[ ! -f $memo ]] && ! (cd "$dir" && ./run_tests.sh -l "$@") >"$memo"; then
		rm -f "$memo"
		printf '%s: ./run_tests.sh -l %s failed\n' "$PROG" "$*" >&2
		return 1
	fi
	cat "$memo"
}

# ci_cover FILE ARCH VMM SHARDS: the shards of FILE for ARCH and VMM cover the catalogue.
ci_cover()
{
	local file=$1 arch=$2 vmm=$3 shard n="" k all got want
	local -a shards

	read -r -a shards <<<"$4"
	for shard in "${shards[@]}"; do
		[[ -z $n ]] && n=${shard#*/}
		[[ ${shard#*/} == "$n" ]] || fail "$file: $arch $vmm: shards of $n and ${shard#*/}"
	done
	want=$(seq 1 "$n" | sed "s|$|/$n|" | sort)
	got=$(printf '%s\n' "${shards[@]}" | sort)
	[[ $got == "$want" ]] ||
		fail "$file: $arch $vmm: shards ${got//$'\n'/ }, want ${want//$'\n'/ }"
	all=$(ci_list "$arch" --vmm "$vmm") || fail "$file: $arch $vmm: cannot list the catalogue"
	got=""
	for ((k = 1; k <= n; k++)); do
		got+=$(ci_list "$arch" --vmm "$vmm" --shard "$k/$n")$'\n' ||
			fail "$file: $arch $vmm: cannot list shard $k/$n"
	done
	got=$(sort <<<"$got" | sed '/^$/d')
	if [[ $got != "$(sort <<<"$all")" ]]; then
		fail "$file: $arch $vmm: the shards do not list each stanza once:" \
			"$(diff <(sort <<<"$all") <(echo "$got") | grep '^[<>]' | tr '\n' ' ')"
	fi
}

main()
{
	local file arch vmm shard key
	declare -A groups

	if [[ ! -x $PY ]] || ! "$PY" -c 'import yaml' 2>/dev/null; then
		echo "$PROG: needs Debian's python3-yaml (scripts/deps.sh check)"
		exit 2
	fi
	WORKDIR=$(mktemp -d "${TMPDIR:-/tmp}/hvprobe-ci.XXXXXX") || exit 2
	trap 'rm -rf "$WORKDIR"' EXIT
	for file in .github/workflows/hvprobe.yml .gitlab-ci.yml; do
		[[ -r $SRC/$file ]] || { fail "$file is missing"; continue; }
		groups=()
		while read -r arch vmm shard; do
			if [[ $arch == error: ]]; then
				fail "$file: $vmm $shard"
			elif [[ ! $arch =~ ^(x86_64|arm64|s390x|riscv64)$ ]] ||
				[[ ! $vmm =~ ^(qemu|bochs)$ ]] ||
				[[ ! $shard =~ ^[1-9][0-9]*/[1-9][0-9]*$ ]]; then
				fail "$file: a job with arch '$arch', vmm '$vmm', shard '$shard'"
			else
				groups["$arch $vmm"]+=" $shard"
			fi
		done < <(ci_matrix "$SRC/$file")
		for key in "${!groups[@]}"; do
			ci_cover "$file" "${key% *}" "${key#* }" "${groups[$key]}"
		done
		((${#groups[@]})) || continue
		key=$(printf '%s\n' "${!groups[@]}" | sort | tr '\n' ',')
		key=${key%,}
		printf '%s: %s: %s\n' "$PROG" "$file" "${key//,/, }"
	done
	if ((ERRORS)); then
		echo "$PROG: $ERRORS problem(s)"
		exit 1
	fi
	echo "$PROG: both CI files parse and their shards cover the catalogue"
}

main
