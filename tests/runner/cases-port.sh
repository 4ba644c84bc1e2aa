#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Runner tests of scripts/port-contract.sh (make check-port) on a scratch build of two
# lib/ files compiled with the host's gcc: what one needs from the other is lib/'s own;
# what it needs from outside passes only when docs/porting.md names it and, for a symbol
# that is not "__"-prefixed or main, a lib/*.h declares it. Sourced by tests/runner/run.sh.

# port_case CASE REGEX: port-contract.sh in $SRC exits non-zero with a line matching REGEX
# (REGEX empty: exits 0).
port_case()
{
	local out rc

	out=$(cd "$SRC" && bash scripts/port-contract.sh "$SRC" 2>&1)
	rc=$?
	if [[ -z $2 ]] && ((rc == 0)); then
		tr_ok "port contract: $1"
	elif [[ -n $2 ]] && ((rc != 0)) && grep -qE -- "$2" <<<"$out"; then
		tr_ok "port contract: $1"
	else
		tr_bad "port contract: $1" "rc=$rc, wanted '${2:-exit 0}'; got: $(tr_flat "$out")"
	fi
}

test_port_contract()
{
	local t=$'\x60'	# a backquote, markdown's code span

	rm -rf "$SRC"
	mkdir -p "$SRC/lib" "$SRC/docs" "$SRC/scripts"
	cp "$TR_ROOT/scripts/port-contract.sh" "$SRC/scripts/"
	printf 'CROSS_PREFIX=\n' >"$SRC/config.mak"
	printf 'void arch_poke(void);\nvoid lib_helper(void);\n' >"$SRC/lib/arch.h"
	printf '#include "arch.h"\nvoid lib_helper(void) { arch_poke(); }\n' >"$SRC/lib/a.c"
	printf '#include "arch.h"\nint g(void) { lib_helper(); return 0; }\n' >"$SRC/lib/b.c"
	(cd "$SRC" && gcc -c -o lib/a.o lib/a.c && gcc -c -o lib/b.o lib/b.c) ||
		{ tr_bad "port contract: scratch objects build" "gcc failed"; return; }
	printf '# Porting\n## Symbols lib/ calls\n%s.\n## Other\n%s\n' "${t}arch_poke$t" \
		"${t}lib_x$t" >"$SRC/docs/porting.md"
	port_case "a named, declared symbol passes" ""
	sed -i "s/${t}arch_poke$t/${t}arch_peek$t/" "$SRC/docs/porting.md"
	port_case "a symbol porting.md does not name fails" \
		"lib/ needs arch_poke from the port; docs/porting.md does not name it"
	printf '# Porting\n## Symbols lib/ calls\n%s\n## Other\n%s\n' "${t}arch_peek$t" \
		"${t}arch_poke$t" >"$SRC/docs/porting.md"
	port_case "a symbol named only in another section fails" \
		"lib/ needs arch_poke from the port; docs/porting.md does not name it"
	printf '# Porting\n## Symbols lib/ calls\n%s.\n' "${t}arch_poke$t" >"$SRC/docs/porting.md"
	printf 'void lib_helper(void);\n' >"$SRC/lib/arch.h"
	port_case "a symbol no lib/ header declares fails" \
		"lib/ needs arch_poke from the port; no header of lib/ declares it"
	rm "$SRC/lib/b.o"
	port_case "a missing object is an error" "lib/b.o missing: run make first"
}
