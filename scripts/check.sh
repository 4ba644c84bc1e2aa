#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The catalogue part of `make check`, run from a build directory: the
# default catalogue of the configured arch under every accelerator present
# (QEMU TCG always; KVM when the guest arch is the host's and /dev/kvm is
# usable), each result compared with known-failures.txt by the guests
# themselves (an unexpected FAIL or an XPASS fails the test), then the
# framework self-tests that must FAIL (tests/runner/crash.sh picks the
# arch's own); on x86 the same again under Bochs.
set -u

srcdir=$(cd "$(dirname "$0")/.." && pwd)
# The arch run_tests.sh will use: config.mak's, else the host's (it configures for that).
host=$(uname -m)
[ "$host" = aarch64 ] && host=arm64
arch=$(sed -n 's/^ARCH=//p' config.mak 2>/dev/null)
arch=${arch:-$host}

status=0
accels=(tcg)
if [ "$host" != "$arch" ] && [ "$host:$arch" != x86_64:i386 ]; then
	echo "check: KVM cannot run $arch guests on a $host host: the KVM pass is not run" >&2
elif [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	accels+=(kvm)
else
	echo "check: /dev/kvm not usable: the KVM pass is not run" >&2
fi

for accel in "${accels[@]}"; do
	# Self-tests first: their "0 passed, N failed" line is never the last word.
	echo "== $arch framework self-tests that must fail, QEMU $accel"
	ACCEL=$accel bash "$srcdir/tests/runner/crash.sh" || status=1
	echo "== $arch catalogue under QEMU $accel"
	ACCEL=$accel ./run_tests.sh || status=1
done

# Bochs, the second x86 VMM (scripts/deps.sh installs it for check).
if [ "$arch" = x86_64 ]; then
	echo "== $arch framework self-tests that must fail, Bochs"
	bash "$srcdir/tests/runner/crash.sh" --vmm bochs || status=1
	echo "== $arch catalogue under Bochs"
	./run_tests.sh --vmm bochs || status=1
fi
exit $status
