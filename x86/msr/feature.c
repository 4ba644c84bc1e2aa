// SPDX-License-Identifier: MIT
/*
 * MSRs whose existence and bits CPUID enumerates: SPEC_CTRL, PRED_CMD,
 * FLUSH_CMD, APERF/MPERF, FEATURE_CONTROL and TSC_ADJUST. An MSR that is
 * not enumerated must raise #GP(0) (SDM RDMSR/WRMSR: "reserved or
 * unimplemented MSR"), so each subtest checks one branch or the other.
 * Spec references are in main.c's header.
 */
#include "msrtest.h"

/*
 * SPEC_CTRL exists if any of its bits is enumerated (SDM vol. 4 table 2-2),
 * in leaf 7 (Intel; KVM also sets these on AMD hosts) or Fn8000_0008_EBX
 * (AMD). Bits 3-10 are Intel's only.
 */
static const struct {
	unsigned int bit;
	const char *name;
	x86_feature_t intel, amd;
} spec_bits[] = {
	{ 0, "IBRS", X86_FEATURE_SPEC_CTRL, X86_FEATURE_AMD_IBRS },
	{ 1, "STIBP", X86_FEATURE_STIBP, X86_FEATURE_AMD_STIBP },
	{ 2, "SSBD", X86_FEATURE_SSBD, X86_FEATURE_AMD_SSBD },
	{ 3, "IPRED_DIS_U", X86_FEATURE_IPRED_CTRL, 0 },
	{ 4, "IPRED_DIS_S", X86_FEATURE_IPRED_CTRL, 0 },
	{ 5, "RRSBA_DIS_U", X86_FEATURE_RRSBA_CTRL, 0 },
	{ 6, "RRSBA_DIS_S", X86_FEATURE_RRSBA_CTRL, 0 },
	{ 7, "PSFD", X86_FEATURE_PSFD, X86_FEATURE_AMD_PSFD },
	{ 8, "DDPD_U", X86_FEATURE_DDPD_U, 0 },
	{ 10, "BHI_DIS_S", X86_FEATURE_BHI_CTRL, 0 },
};

/* Bits tested for #GP when not enumerated: 0-11 and a few high ones. */
static const unsigned int spec_probe_bits[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16,
						31, 32, 63 };

static uint64_t spec_ctrl_valid(void)
{
	uint64_t valid = 0;

	for (size_t i = 0; i < ARRAY_SIZE(spec_bits); i++)
		if (this_cpu_has(spec_bits[i].intel) ||
		    (spec_bits[i].amd && this_cpu_has(spec_bits[i].amd)))
			valid |= BIT_ULL(spec_bits[i].bit);
	return valid;
}

/*
 * Under KVM the guest's CPUID passes the host's SPEC_CTRL bits through, so
 * the host CPU picks the branch: every message says so.
 */
void spec_ctrl(void)
{
	uint64_t valid = spec_ctrl_valid(), orig = 0;
	char name[32];

	if (!valid)
		check_absent_note(MSR_IA32_SPEC_CTRL, "SPEC_CTRL", "no SPEC_CTRL bit enumerated",
				  REPORT_HOST_DECIDES);
	else
		orig = rdmsr(MSR_IA32_SPEC_CTRL);
	for (size_t i = 0; i < ARRAY_SIZE(spec_bits); i++) {
		uint64_t bit = BIT_ULL(spec_bits[i].bit);

		if (!(valid & bit))
			continue;
		snprintf(name, sizeof(name), "SPEC_CTRL (%s toggled)", spec_bits[i].name);
		check_rw_note(MSR_IA32_SPEC_CTRL, name, orig ^ bit, orig ^ bit,
			      REPORT_HOST_DECIDES);
		wrmsr(MSR_IA32_SPEC_CTRL, orig);
	}
	for (size_t i = 0; i < ARRAY_SIZE(spec_probe_bits); i++) {
		uint64_t bit = BIT_ULL(spec_probe_bits[i]);

		if (valid & bit)
			continue;
		check_wrmsr_gp(MSR_IA32_SPEC_CTRL, orig | bit,
			       "WRMSR setting SPEC_CTRL bit %u (not enumerated) raises #GP(0)"
			       REPORT_HOST_DECIDES, spec_probe_bits[i]);
		if (valid)
			wrmsr(MSR_IA32_SPEC_CTRL, orig);
	}
}

/*
 * PRED_CMD and FLUSH_CMD are write-only command MSRs: RDMSR raises #GP(0)
 * always; writing the command bit (or 0) succeeds when enumerated; other
 * bits are reserved; without enumeration the MSR does not exist.
 */
struct cmd_msr {
	uint32_t msr;
	const char *name, *cmd;
	bool present;
	uint64_t valid;
};

static void check_cmd_msr(const struct cmd_msr *c)
{
	static const unsigned int probe[] = { 1, 2, 7, 8, 31, 32, 63 };

	check_rdmsr_gp(c->msr, "RDMSR of the write-only %s raises #GP(0)", c->name);
	if (c->present) {
		report_exc(0, wrmsr_safe(c->msr, 1), "WRMSR of 1 (%s) to %s succeeds", c->cmd,
			   c->name);
		report_exc(0, wrmsr_safe(c->msr, 0), "WRMSR of 0 to %s succeeds", c->name);
	} else {
		check_wrmsr_gp(c->msr, 1, "WRMSR of 1 (%s) to %s raises #GP(0) (not enumerated)",
			       c->cmd, c->name);
		check_wrmsr_gp(c->msr, 0, "WRMSR of 0 to %s raises #GP(0) (not enumerated)",
			       c->name);
	}
	for (size_t i = 0; i < ARRAY_SIZE(probe); i++) {
		if (c->valid & BIT_ULL(probe[i]))
			continue;
		check_wrmsr_gp(c->msr, BIT_ULL(probe[i]) | 1,
			       "WRMSR to %s with reserved bit %u set raises #GP(0)", c->name,
			       probe[i]);
	}
}

void pred_cmd(void)
{
	struct cmd_msr c = {
		.msr = MSR_IA32_PRED_CMD, .name = "PRED_CMD", .cmd = "IBPB",
		.present = this_cpu_has(X86_FEATURE_SPEC_CTRL) ||
			   this_cpu_has(X86_FEATURE_AMD_IBPB),
		.valid = BIT(0) | (this_cpu_has(X86_FEATURE_SBPB) ? BIT(7) : 0),
	};

	check_cmd_msr(&c);
}

void flush_cmd(void)
{
	struct cmd_msr c = {
		.msr = MSR_IA32_FLUSH_CMD, .name = "FLUSH_CMD", .cmd = "L1D_FLUSH",
		.present = this_cpu_has(X86_FEATURE_FLUSH_L1D),
		.valid = BIT(0),
	};

	check_cmd_msr(&c);
}

/*
 * APERF/MPERF (SDM 15.2, CPUID.06H:ECX[0]): both count while the CPU is in
 * C0, so a busy loop of many thousand cycles moves both; both are writable
 * and count on from the value written.
 */
static void check_counter_writable(uint32_t msr, const char *name)
{
	uint64_t val = rdmsr(msr) + BIT_ULL(32), got;

	if (!report_exc(0, wrmsr_safe(msr, val), "WRMSR to %s succeeds", name))
		return;
	got = rdmsr(msr);
	report_in_range_x(0, BIT_ULL(62), got - val, "%s counts on from the value written", name);
}

void aperf_mperf(void)
{
	uint64_t m0, a0, m1, a1;

	if (!this_cpu_has(X86_FEATURE_APERFMPERF)) {
		check_absent(MSR_IA32_MPERF, "MPERF", "CPUID.06H:ECX[0] clear");
		check_absent(MSR_IA32_APERF, "APERF", "CPUID.06H:ECX[0] clear");
		return;
	}
	if (!report_exc(0, rdmsr_safe(MSR_IA32_MPERF, &m0), "RDMSR of MPERF succeeds") ||
	    !report_exc(0, rdmsr_safe(MSR_IA32_APERF, &a0), "RDMSR of APERF succeeds"))
		return;
	for (volatile int i = 0; i < 100000; i++)
		;
	m1 = rdmsr(MSR_IA32_MPERF);
	a1 = rdmsr(MSR_IA32_APERF);
	report_in_range_x(1, BIT_ULL(62), m1 - m0, "MPERF advances across a busy loop");
	report_in_range_x(1, BIT_ULL(62), a1 - a0, "APERF advances across a busy loop");
	check_counter_writable(MSR_IA32_MPERF, "MPERF");
	check_counter_writable(MSR_IA32_APERF, "APERF");
}

/*
 * IA32_FEATURE_CONTROL (SDM vol. 4 table 2-2, vol. 3C 24.7): exists if any
 * of its bit fields is enumerated. Once LOCK is set, any WRMSR raises #GP(0)
 * until reset; before that, undefined bits are reserved.
 */
#define FC_SENTER_ALL	GENMASK(15, 8)
#define FC_SGX_LC	BIT(17)
#define FC_SGX		BIT(18)
#define FC_LMCE		BIT(20)
#define MCG_LMCE_P	BIT_ULL(27)

static bool cpu_has_lmce(void)
{
	uint64_t cap;

	return !cpu_is_amd() && this_cpu_has(X86_FEATURE_MCA) &&
	       !rdmsr_safe(MSR_IA32_MCG_CAP, &cap) && (cap & MCG_LMCE_P);
}

static uint64_t feature_control_valid(void)
{
	bool vmx = this_cpu_has(X86_FEATURE_VMX), smx = this_cpu_has(X86_FEATURE_SMX);
	uint64_t valid = FEAT_CTL_LOCKED;

	valid |= vmx && smx ? FEAT_CTL_VMX_IN_SMX : 0;
	valid |= vmx ? FEAT_CTL_VMX_OUTSIDE_SMX : 0;
	valid |= smx ? FC_SENTER_ALL : 0;
	valid |= this_cpu_has(X86_FEATURE_SGX_LC) ? FC_SGX_LC : 0;
	valid |= this_cpu_has(X86_FEATURE_SGX) ? FC_SGX : 0;
	valid |= cpu_has_lmce() ? FC_LMCE : 0;
	return valid;
}

static void feature_control_locked(uint64_t val)
{
	check_wrmsr_gp(MSR_IA32_FEATURE_CONTROL, val,
		       "WRMSR of its own value to locked FEATURE_CONTROL raises #GP(0)");
	check_wrmsr_gp(MSR_IA32_FEATURE_CONTROL, val & ~FEAT_CTL_LOCKED,
		       "WRMSR clearing LOCK of FEATURE_CONTROL raises #GP(0)");
	report_eq_x(val, rdmsr(MSR_IA32_FEATURE_CONTROL),
		    "locked FEATURE_CONTROL keeps its value after the faulting WRMSRs");
}

void feature_control(void)
{
	static const unsigned int probe[] = { 3, 4, 7, 16, 19, 21, 31, 32, 63 };
	uint64_t valid = feature_control_valid(), val;

	if (valid == FEAT_CTL_LOCKED) {
		check_absent(MSR_IA32_FEATURE_CONTROL, "FEATURE_CONTROL",
			     "none of VMX, SMX, SGX, LMCE enumerated");
		return;
	}
	val = rdmsr(MSR_IA32_FEATURE_CONTROL);
	if (val & FEAT_CTL_LOCKED) {
		report_info("FEATURE_CONTROL %#lx is locked already", val);
		feature_control_locked(val);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(probe); i++) {
		if (valid & BIT_ULL(probe[i]))
			continue;
		check_wrmsr_gp(MSR_IA32_FEATURE_CONTROL, val | BIT_ULL(probe[i]),
			       "WRMSR setting reserved bit %u of unlocked FEATURE_CONTROL %s",
			       probe[i], "raises #GP(0)");
	}
	val |= FEAT_CTL_LOCKED | (valid & FEAT_CTL_VMX_OUTSIDE_SMX);
	check_rw(MSR_IA32_FEATURE_CONTROL, "FEATURE_CONTROL (LOCK set)", val, val);
	feature_control_locked(val);
}

/*
 * TSC and TSC_ADJUST (SDM 18.17.3): a WRMSR that moves the TSC by X adds X
 * to TSC_ADJUST; a WRMSR that changes TSC_ADJUST by Y moves the TSC by Y.
 *
 * X itself is not observable: it is the value written minus the TSC at the
 * instant of the write, which lies somewhere after the RDTSC just before
 * the WRMSR. So with W = a + TSC_JUMP, where a is that RDTSC's value,
 * X = W - TSC(write) is at most TSC_JUMP and less by the ticks E that
 * passed between the RDTSC and the write. E (like any span in this image)
 * is bounded by the run's own wall-clock timeout, minutes at most; 2^42
 * ticks is over 7 minutes even at 10 GHz, so TSC_SLACK = 2^42 bounds E and
 * an unchanged or wrongly moved TSC_ADJUST (off by 2^46) cannot pass.
 */
#define TSC_JUMP	BIT_ULL(46)
#define TSC_SLACK	BIT_ULL(42)
#define ADJ_STEP	BIT_ULL(36)

const char *needs_tsc_adjust(void)
{
	return this_cpu_has(X86_FEATURE_TSC_ADJUST) ? NULL : "CPUID does not enumerate TSC_ADJUST";
}

static void tsc_adjust_cpu(void)
{
	uint64_t adj0 = rdmsr(MSR_IA32_TSC_ADJUST), a, b, w, d;

	a = rdtsc();
	w = a + TSC_JUMP;
	wrmsr(MSR_IA32_TSC, w);
	b = rdtsc();
	d = rdmsr(MSR_IA32_TSC_ADJUST) - adj0;
	report_in_range_x(TSC_JUMP - TSC_SLACK, TSC_JUMP, d,
			  "WRMSR moving TSC forward by 2^46 adds that delta to TSC_ADJUST");
	report_in_range_x(0, TSC_SLACK, b - w, "TSC counts on from the value WRMSR wrote to it");

	/* Restoring TSC_ADJUST takes the TSC back by the same d. */
	a = rdtsc();
	wrmsr(MSR_IA32_TSC_ADJUST, adj0);
	b = rdtsc();
	report_in_range_x(0, TSC_SLACK, b - a + d,
			  "WRMSR restoring TSC_ADJUST moves TSC back by the same delta");
	report_eq_x(adj0, rdmsr(MSR_IA32_TSC_ADJUST), "TSC_ADJUST reads back the value restored");

	a = rdtsc();
	wrmsr(MSR_IA32_TSC_ADJUST, adj0 + ADJ_STEP);
	b = rdtsc();
	wrmsr(MSR_IA32_TSC_ADJUST, adj0);
	report_in_range_x(ADJ_STEP, ADJ_STEP + TSC_SLACK, b - a,
			  "WRMSR adding 2^36 to TSC_ADJUST moves TSC forward by 2^36");
}

void tsc_adjust(void)
{
	if (needs_tsc_adjust()) {
		check_absent(MSR_IA32_TSC_ADJUST, "TSC_ADJUST", "CPUID.07H:EBX[1] clear");
		return;
	}
	for_each_cpu_prefixed(tsc_adjust_cpu);
}
