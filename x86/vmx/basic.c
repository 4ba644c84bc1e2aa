// SPDX-License-Identifier: MIT
/*
 * VMLAUNCH, VMRESUME and the VM exit themselves (Intel SDM vol. 3C):
 * - 27 VM entries: VMLAUNCH of a clear VMCS enters the guest with the
 *   guest-state area's registers and every GPR but RSP unchanged; 28.5
 *   the exit loads the host-state area (CR0, CR3, CR4, RSP, RIP) and
 *   28.2 records the exit reason, the instruction length and the guest's
 *   RIP and RSP.
 * - 26.1.2: VMCALL exits unconditionally in VMX non-root operation (exit
 *   reason 18, instruction length 3).
 * - 31.3 VMRESUME: resumes a launched VMCS where its guest RIP points.
 * - 26.1.2: CPUID exits unconditionally (exit reason 10); bench_exit times
 *   such round trips for scripts/bench.sh (its one check: every exit is
 *   a CPUID exit).
 * Known VMM caveats: see known-failures.txt (vmx*).
 */
#include "vmx_test.h"

#define GUEST_RAN	0x5a5a5a5aUL

static void mark_guest(struct nested_ctx *ctx)
{
	ctx->scratch[0] = GUEST_RAN;
}

static void launch_check(struct nested_ctx *ctx)
{
	const struct vmx_exit *e = vmx_exit(ctx);

	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "guest runs to its VMCALL");
	report_eq_x(GUEST_RAN, ctx->scratch[0], "guest code ran and wrote host memory");
	report_eq_x((uintptr_t)vmx_guest_vmcall, e->rip,
		    "guest RIP at the VMCALL exit is the VMCALL's address");
	report_eq(3, e->insn_len, "VM-exit instruction length of VMCALL is 3");
	nested_check_host_state(ctx, "a VMLAUNCH that entered the guest");
}

VMX_TEST(launch_basic, .guest = mark_guest, .check = launch_check)

static void skip_cpuid(struct nested_ctx *ctx)
{
	vmx_skip_insn(ctx->vmx);
}

static void bench_run(struct nested_ctx *ctx)
{
	nested_bench_exits(ctx, EXIT_CPUID, skip_cpuid);
}

VMX_TEST(bench_exit, .guest = nested_bench_guest, .run = bench_run)

static const struct subtest tests[] = {
	SUBTEST_NEEDS(launch_basic, vmx_needs),
	SUBTEST_NEEDS(bench_exit, vmx_needs),
};

NESTED_TABLE(vmx_basic_tests, tests);
