#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The port contract (docs/porting.md) against a build: every symbol lib/'s arch-neutral
# objects (lib/*.o of the build directory, one per lib/*.c) use without defining must be
# named in the section "Symbols lib/ calls" of docs/porting.md, and declared in a header of
# lib/ unless it is the link script's or the compiler's (a name starting with "__") or the
# test's main. Run from a build directory (make check, make check-catalogue); the objects
# are read with the build's own nm (config.mak's CROSS_PREFIX).
# Usage: port-contract.sh [SRCDIR] (default: this script's source tree). Exit 0 iff all hold.
set -u -o pipefail

prog=port-contract.sh
srcdir=${1:-$(cd "$(dirname "$0")/.." && pwd)}
doc=$srcdir/docs/porting.md
nm=$(sed -n 's/^CROSS_PREFIX=//p' config.mak 2>/dev/null)nm

objs=()
for c in "$srcdir"/lib/*.c; do
	o=lib/$(basename "${c%.c}").o
	[[ -f $o ]] || { echo "$prog: $o missing: run make first" >&2; exit 2; }
	objs+=("$o")
done
[[ -r $doc ]] || { echo "$prog: $doc missing" >&2; exit 2; }
undefined=$("$nm" -u "${objs[@]}" | awk 'NF == 2 { print $2 }' | sort -u) || exit 2
defined=$("$nm" --defined-only "${objs[@]}" | awk 'NF == 3 { print $3 }' | sort -u) || exit 2
needed=$(comm -23 <(echo "$undefined") <(echo "$defined"))
named=$(awk '/^## / { on = /^## Symbols lib\/ calls/ } on' "$doc" |
	grep -oE "\`[A-Za-z_][A-Za-z0-9_]*\`" | tr -d "\`" | sort -u)

errors=0
for sym in $needed; do
	if ! grep -qx -- "$sym" <<<"$named"; then
		echo "$prog: lib/ needs $sym from the port; docs/porting.md does not name it"
		errors=$((errors + 1))
	fi
	[[ $sym == __* || $sym == main ]] && continue
	if ! grep -qw -- "$sym" "$srcdir"/lib/*.h; then
		echo "$prog: lib/ needs $sym from the port; no header of lib/ declares it"
		errors=$((errors + 1))
	fi
done
if ((errors)); then
	echo "$prog: $errors problem(s)"
	exit 1
fi
echo "$prog: the $(wc -w <<<"$needed") symbols lib/ takes from the port are in docs/porting.md"
