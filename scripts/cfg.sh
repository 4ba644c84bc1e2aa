#!/bin/bash
# SPDX-License-Identifier: MIT
#
# unittests.cfg parser (format: docs/unittests-cfg.md). The whole catalogue is parsed and
# validated on every run, whatever is selected, so a mistake anywhere fails at once with
# "<file>:<line>: <what is wrong>". Sourced, never executed.
#
# Result: CFG_NAMES (stanza names in file order) and CFG["<name>/<key>"] (raw values, with
# extra_params stored as qemu_params), CFG["<name>/.line"] (line of the [name] header),
# CFG["<name>/.line.<key>"] (line of each key).
# shellcheck disable=SC2034 # globals set here are read by the files sourcing this one

CFG_KEYS="file smp test_args qemu_params extra_params groups arch machine accel timeout check
	disabled_if vmm bochs_params cpu expect"
CFG_ARCHES="x86_64 i386 arm64 arm riscv64 s390x"
CFG_VMMS="qemu bochs"
CFG_ACCELS="tcg kvm none"
CFG_EXPECTS="vm_end"
CFG_DEFAULT_TIMEOUT=90

declare -a CFG_NAMES=()
declare -A CFG=()
CFG_ERRORS=0
CFG_SHOWN=""

cfg_error()
{
	printf '%s:%s: %s\n' "$CFG_SHOWN" "$1" "$2" >&2
	CFG_ERRORS=$((CFG_ERRORS + 1))
}

# cfg_check_value LINE KEY VALUE: validate one value; print an error for a bad one.
cfg_check_value()
{
	local lineno=$1 key=$2 value=$3 w
	local -a words

	case $key in
	test_args | qemu_params | bochs_params) ;;
	*)
		if [[ -z $value ]]; then
			cfg_error "$lineno" "empty value for '$key'"
			return
		fi
		;;
	esac
	case $key in
	file)
		[[ $value =~ ^[A-Za-z0-9_./-]+$ ]] ||
			cfg_error "$lineno" "file must be one image name, not '$value'"
		;;
	smp)
		[[ $value =~ ^[1-9][0-9]*$ || $value == "\$MAX_SMP" ]] ||
			cfg_error "$lineno" "smp must be a number > 0 (or \$MAX_SMP), not '$value'"
		;;
	timeout)
		[[ $value =~ ^[0-9]+$ ]] ||
			cfg_error "$lineno" "timeout must be a number of seconds, not '$value'"
		;;
	accel)
		in_words "$value" "$CFG_ACCELS" ||
			cfg_error "$lineno" "accel must be one of: $CFG_ACCELS (not '$value')"
		;;
	expect)
		in_words "$value" "$CFG_EXPECTS" ||
			cfg_error "$lineno" "expect must be one of: $CFG_EXPECTS (not '$value')"
		;;
	arch | vmm | groups)
		for w in $value; do
			case $key in
			arch) in_words "$w" "$CFG_ARCHES" ||
				cfg_error "$lineno" "unknown arch '$w' (known: $CFG_ARCHES)" ;;
			vmm) in_words "$w" "$CFG_VMMS" ||
				cfg_error "$lineno" "unknown vmm '$w' (known: $CFG_VMMS)" ;;
			groups) [[ $w =~ ^[A-Za-z0-9_-]+$ ]] ||
				cfg_error "$lineno" "bad group name '$w'" ;;
			esac
		done
		;;
	machine | cpu)
		[[ $value =~ ^[^[:space:]]+$ ]] ||
			cfg_error "$lineno" "$key must be a single word, not '$value'"
		;;
	check)
		for w in $value; do
			[[ $w =~ ^/(proc|sys)/[^=]+=.*$ ]] ||
				cfg_error "$lineno" "check wants /proc/...=value or /sys/...=value"
		done
		;;
	disabled_if)
		bash -n -c "$value" 2>/dev/null ||
			cfg_error "$lineno" "disabled_if is not a valid shell condition: $value"
		;;
	test_args | qemu_params | bochs_params)
		split_words words "$value" ||
			cfg_error "$lineno" "unterminated quote in $key"
		;;
	esac
}

# cfg_unquote VALUE: strip one pair of double quotes wrapping the whole value, if any.
cfg_unquote()
{
	local v=$1

	if [[ ${#v} -ge 2 && $v == \"*\" && ${v:1:${#v}-2} != *\"* ]]; then
		v=${v:1:${#v}-2}
	fi
	printf '%s' "$v"
}

cfg_end_stanza()
{
	local name=$1

	[[ -n $name ]] || return 0
	[[ -n ${CFG["$name/file"]+set} ]] ||
		cfg_error "${CFG["$name/.line"]}" "stanza [$name] has no 'file' key"
}

# cfg_parse FILE: parse and validate the catalogue; non-zero after printing all errors.
cfg_parse()
{
	local file=$1 line lineno=0 name="" key value
	local re='^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*=[[:space:]]*(.*)$'

	CFG_SHOWN=${file#"$PWD"/}
	CFG_ERRORS=0
	CFG_NAMES=()
	CFG=()
	if [[ ! -r $file ]]; then
		printf '%s: cannot read the test catalogue\n' "$CFG_SHOWN" >&2
		return 1
	fi
	while IFS= read -r line || [[ -n $line ]]; do
		lineno=$((lineno + 1))
		line=${line%$'\r'}
		[[ $line =~ ^[[:space:]]*(#.*)?$ ]] && continue
		if [[ $line =~ ^\[(.*)\][[:space:]]*$ ]]; then
			cfg_end_stanza "$name"
			name=${BASH_REMATCH[1]}
			if [[ ! $name =~ ^[A-Za-z0-9_.-]+$ ]]; then
				cfg_error "$lineno" "bad stanza name (letters, digits, _ . -)"
			elif [[ -n ${CFG["$name/.line"]+set} ]]; then
				value=${CFG["$name/.line"]}
				cfg_error "$lineno" "duplicate stanza [$name] (first: line $value)"
				name="$name/.dup$lineno"
			else
				CFG_NAMES+=("$name")
			fi
			CFG["$name/.line"]=$lineno
			continue
		fi
		if [[ ! $line =~ $re ]]; then
			cfg_error "$lineno" "expected '[name]', 'key = value' or a # comment"
			continue
		fi
		key=${BASH_REMATCH[1]}
		value=${BASH_REMATCH[2]}
		value=${value%"${value##*[![:space:]]}"}
		if [[ -z $name ]]; then
			cfg_error "$lineno" "'$key' outside a stanza (add a [name] line above it)"
			continue
		fi
		if ! in_words "$key" "$CFG_KEYS"; then
			cfg_error "$lineno" "unknown key '$key' in [$name]"
			continue
		fi
		[[ $key == extra_params ]] && key=qemu_params
		if [[ -n ${CFG["$name/$key"]+set} ]]; then
			cfg_error "$lineno" "'$key' given twice (extra_params is qemu_params)"
			continue
		fi
		case $key in
		test_args | qemu_params | bochs_params) value=$(cfg_unquote "$value") ;;
		esac
		cfg_check_value "$lineno" "$key" "$value"
		CFG["$name/$key"]=$value
		CFG["$name/.line.$key"]=$lineno
	done <"$file"
	cfg_end_stanza "$name"
	((CFG_ERRORS == 0))
}

# cfg_get NAME KEY [DEFAULT]: print the value of KEY in stanza NAME, or DEFAULT.
cfg_get()
{
	local k="$1/$2"

	if [[ -n ${CFG[$k]+set} ]]; then
		printf '%s' "${CFG[$k]}"
	else
		printf '%s' "${3-}"
	fi
}

# cfg_for_arch NAME ARCH: true if the stanza applies to ARCH (no arch key: every arch).
cfg_for_arch()
{
	local arches=${CFG["$1/arch"]-}

	[[ -z $arches ]] || in_words "$2" "$arches"
}

# cfg_in_groups NAME GROUPS: true if the stanza is in one of the space-separated GROUPS.
cfg_in_groups()
{
	local g

	for g in $2; do
		in_words "$g" "${CFG["$1/groups"]-}" && return 0
	done
	return 1
}
