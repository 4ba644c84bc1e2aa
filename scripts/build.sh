#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Finds the build directory, reads its config.mak, and builds first when needed, so that
# ./run_tests.sh works on a fresh clone. Build output goes to stderr (stdout may be TAP).
# Sourced, never executed.
# shellcheck disable=SC2034 # globals set here are read by the files sourcing this one

declare -A CONFIG=()
# Where each image comes from ("unittests.cfg:<line>: file = <image>"), for messages.
declare -A BUILD_ORIGIN=()

# config_read FILE: load the KEY=VALUE lines of config.mak into CONFIG.
config_read()
{
	local line re='^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*[:?]?=[[:space:]]*(.*)$'

	while IFS= read -r line; do
		[[ $line =~ $re ]] || continue
		CONFIG[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]%"${BASH_REMATCH[2]##*[![:space:]]}"}
	done <"$1"
}

# build_setup: set BUILDDIR (the working directory if it holds config.mak, else SRCDIR,
# configured on the spot if needed), ARCH, TESTDIR and HOST_ARCH.
build_setup()
{
	if [[ -f $PWD/config.mak ]]; then
		BUILDDIR=$PWD
	else
		BUILDDIR=$SRCDIR
	fi
	if [[ ! -f $BUILDDIR/config.mak ]]; then
		printf '%s: no config.mak: running ./configure in %s\n' "$PROG" "$SRCDIR" >&2
		(cd "$SRCDIR" && ./configure) >&2 || die "./configure failed in $SRCDIR (see above)"
	fi
	config_read "$BUILDDIR/config.mak"
	ARCH=${CONFIG[ARCH]-}
	[[ -n $ARCH ]] || die "$BUILDDIR/config.mak has no ARCH= line: run ./configure again"
	HOST_ARCH=${CONFIG[HOST_ARCH]:-$(uname -m)}
	TESTDIR=${CONFIG[TESTDIR]-}
	if [[ -z $TESTDIR ]]; then
		case $ARCH in
		x86_64 | i386) TESTDIR=x86 ;;
		arm64) TESTDIR=arm ;;
		riscv64) TESTDIR=riscv ;;
		*) TESTDIR=$ARCH ;;
		esac
	fi
	if [[ -n ${CONFIG[SRCDIR]-} && ${CONFIG[SRCDIR]} -ef "$SRCDIR" ]]; then
		:
	elif [[ -n ${CONFIG[SRCDIR]-} ]]; then
		warn "$BUILDDIR/config.mak was made for source ${CONFIG[SRCDIR]}, not $SRCDIR"
	fi
}

# build_compiler: the C compiler the build will call.
build_compiler()
{
	local triplet

	if [[ -n ${CONFIG[CC]-} ]]; then
		printf '%s' "${CONFIG[CC]%% *}"
		return
	fi
	case $ARCH in
	x86_64 | i386) triplet=x86_64-linux-gnu ;;
	arm64) triplet=aarch64-linux-gnu ;;
	*) triplet=$ARCH-linux-gnu ;;
	esac
	if [[ $HOST_ARCH == "${triplet%%-*}" || ($HOST_ARCH == x86_64 && $ARCH == i386) ]]; then
		printf 'gcc'
	else
		printf '%s-gcc' "$triplet"
	fi
}

# build_tools_missing: print the first of make and the compiler that is not installed.
build_tools_missing()
{
	local cc

	cc=$(build_compiler)
	if ! command -v make >/dev/null 2>&1; then
		printf 'make'
	elif ! command -v "$cc" >/dev/null 2>&1; then
		printf '%s' "$cc"
	fi
}

# build_if_needed IMAGE...: run make in BUILDDIR when an image is missing or make -q says
# something is out of date. Missing make or compiler: as root scripts/deps.sh installs them
# (Debian's gcc and gcc-<triplet>); else die with the apt-get line.
build_if_needed()
{
	local img missing=0 tool pkg

	for img in "$@"; do
		[[ -f $img ]] || missing=1
	done
	if ! command -v make >/dev/null 2>&1; then
		((missing)) || return 0
	elif ((missing == 0)) && make -C "$BUILDDIR" -q >/dev/null 2>&1; then
		return 0
	fi
	tool=$(build_tools_missing)
	if [[ -n $tool ]]; then
		case $tool in
		make | gcc | @(x86_64|aarch64|riscv64|s390x)-linux-gnu-gcc)
			bash "$SRCDIR/scripts/deps.sh" --as "$PROG" build "$ARCH" || exit 2
			;;
		esac
		tool=$(build_tools_missing)
	fi
	if [[ -n $tool ]]; then
		case $tool in
		make | gcc | clang) pkg=$tool ;;
		*-gcc) pkg="gcc-${tool%-gcc}" ;;
		*) pkg="the package providing $tool" ;;
		esac
		[[ $tool == make ]] || tool="compiler $tool"
		die "$tool not found; install it with: apt-get install $pkg"
	fi
	printf '%s: building in %s\n' "$PROG" "$BUILDDIR" >&2
	make -C "$BUILDDIR" -j"$(nproc_online)" >&2 || die "make failed in $BUILDDIR"
	for img in "$@"; do
		[[ -f $img ]] ||
			die "${BUILD_ORIGIN[$img]:+${BUILD_ORIGIN[$img]}: }make did not build $img\
 (is it in the Makefile?)"
	done
}
