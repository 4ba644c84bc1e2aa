#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The catalogue part of `make check`, run from a build directory: the
# default catalogue under every accelerator present (QEMU TCG always, KVM
# when /dev/kvm is usable), each result compared with known-failures.txt by
# the guests themselves (an unexpected FAIL or an XPASS fails the test),
# then the framework self-tests that must FAIL (tests/runner/crash.sh); on
# x86 the same again under Bochs.
set -u

srcdir=$(cd "$(dirname "$0")/.." && pwd)
status=0
accels=(tcg)
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	accels+=(kvm)
else
	echo "check: /dev/kvm not usable: the KVM pass is not run" >&2
fi

for accel in "${accels[@]}"; do
	echo "== catalogue under QEMU $accel"
	ACCEL=$accel ./run_tests.sh || status=1
	echo "== framework self-tests that must fail, QEMU $accel"
	ACCEL=$accel bash "$srcdir/tests/runner/crash.sh" || status=1
done

# Bochs, the second x86 VMM (scripts/deps.sh installs it for check).
if grep -q '^ARCH=x86_64$' config.mak; then
	echo "== catalogue under Bochs"
	./run_tests.sh --vmm bochs || status=1
	echo "== framework self-tests that must fail, Bochs"
	bash "$srcdir/tests/runner/crash.sh" --vmm bochs || status=1
fi
exit $status
