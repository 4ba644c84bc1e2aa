#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The style check CI runs (docs/style.md): an SPDX line first, tabs for
# indentation, no trailing blanks, at most 100 columns (tabs count 8), the
# size limits, and shellcheck for every shell script.
set -u
cd "$(dirname "$0")/.." || exit 2

errors=0
err() {
	echo "$1" >&2
	errors=$((errors + 1))
}

mapfile -t files < <(git ls-files --cached --others --exclude-standard 2>/dev/null ||
	find . -type f -not -path './.git/*')

# report <what> <output>: a non-empty output is a problem.
report() {
	[ -z "$2" ] && return
	echo "$2" >&2
	err "$1"
}

check_text() {
	local f=$1 spdx_line=$2
	sed -n "${spdx_line}p" "$f" | grep -q 'SPDX-License-Identifier:' ||
		err "$f:$spdx_line: no SPDX-License-Identifier line"
	report "$f: trailing whitespace" "$(grep -n '[[:blank:]]$' "$f" | head -3 | cut -d: -f1 |
		sed "s|^|$f:|")"
	report "$f: lines over 100 columns" "$(expand -t 8 "$f" |
		awk -v f="$f" 'length > 100 { printf "%s:%d: %d columns\n", f, NR, length }' |
		head -3)"
}

check_c() {
	local f=$1 max=$2 lines
	# Indent with tabs; a leading blank is only allowed inside block comments.
	report "$f: indentation with spaces (use tabs)" "$(grep -n '^ ' "$f" |
		grep -v '^[0-9]*: \*' | head -3)"
	lines=$(wc -l <"$f")
	[ "$lines" -le "$max" ] || err "$f: $lines lines (split it: limit $max)"
}

for f in "${files[@]}"; do
	[ -f "$f" ] || continue
	case "$f" in
	*.c)
		check_text "$f" 1
		case "$f" in lib/*) check_c "$f" 1000 ;; *) check_c "$f" 1500 ;; esac
		;;
	*.h) check_text "$f" 1; check_c "$f" 600 ;;
	*.S | *.lds) check_text "$f" 1; check_c "$f" 600 ;;
	*.mk | Makefile | unittests.cfg) check_text "$f" 1 ;;
	*.sh | configure | .ci/run)
		check_text "$f" 2
		[ "$(wc -l <"$f")" -le 400 ] || err "$f: over 400 lines (split it)"
		shellcheck -x "$f" || err "$f: shellcheck"
		;;
	esac
done

if [ "$errors" -ne 0 ]; then
	echo "style: $errors problem(s)" >&2
	exit 1
fi
echo "style: ${#files[@]} files clean"
