// SPDX-License-Identifier: MIT
/*
 * BASE (SBI v2.0 chapter 4), the calling convention's NOT_SUPPORTED for
 * unknown extension and function IDs (3), and the legacy extensions (5).
 */
#include "asm/csr.h"
#include "asm/processor.h"
#include "cpu.h"
#include "report.h"
#include "smp.h"
#include "timer.h"
#include "sbi-test.h"

static struct sbiret base_call(unsigned long fid, unsigned long a0)
{
	return sbi_ecall(SBI_EXT_BASE, fid, a0, 0, 0, 0, 0, 0);
}

static const char *const impl_names[] = {
	"BBL", "OpenSBI", "Xvisor", "KVM", "RustSBI", "Diosix", "Coffer", "Xen", "PolarFire HSS",
	"coreboot", "oreboot", "bhyve",
};

/* 4.1-4.7: every BASE function succeeds; the version's reserved bits 31 and up are 0. */
void base(void)
{
	static const char *const fids[] = {
		"get_spec_version", "get_impl_id", "get_impl_version", "probe_extension",
		"get_mvendorid", "get_marchid", "get_mimpid",
	};
	struct sbiret r[ARRAY_SIZE(fids)];
	unsigned long v;

	for (size_t i = 0; i < ARRAY_SIZE(fids); i++) {
		r[i] = base_call(i, SBI_EXT_BASE);
		sbi_report_err(SBI_SUCCESS, r[i].error, "BASE %s succeeds", fids[i]);
	}
	v = r[SBI_BASE_GET_SPEC_VERSION].value;
	report_info("SBI %lu.%lu, implementation %ld (%s) version %#lx, mvendorid %#lx, "
		    "marchid %#lx, mimpid %#lx", v >> 24 & 0x7f, v & 0xffffff,
		    r[SBI_BASE_GET_IMPL_ID].value,
		    (unsigned long)r[1].value < ARRAY_SIZE(impl_names) ? impl_names[r[1].value] :
		    "unknown", r[2].value, r[4].value, r[5].value, r[6].value);
	report_eq_x(0, v >> 31, "spec version bits 63:31 are reserved 0");
	report(v >= SBI_SPEC_VERSION(0, 2), "spec version is at least 0.2, the first with BASE");
	report(r[SBI_BASE_PROBE_EXT].value != 0, "probe_extension of BASE is not 0");
}

/*
 * Every extension of the spec, each with a call that changes nothing when
 * it is present (an absent one must answer SBI_ERR_NOT_SUPPORTED, 3): SRST
 * a reserved reset type, SUSP a reserved sleep type, the rest harmless
 * queries or an empty hart mask.
 */
static const struct ext {
	const char *name;
	unsigned long eid, fid, a0, a1;
} exts[] = {
	{ "TIME", SBI_EXT_TIME, 0, -1UL, 0 },
	{ "IPI", SBI_EXT_IPI, 0, 0, 0 },
	{ "RFENCE", SBI_EXT_RFENCE, 0, 0, 0 },
	{ "HSM", SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 0, 0 },
	{ "SRST", SBI_EXT_SRST, 0, 0xefffffff, 0 },
	{ "PMU", SBI_EXT_PMU, 0, 0, 0 },
	{ "DBCN", SBI_EXT_DBCN, SBI_DBCN_WRITE, 0, 0 },
	{ "SUSP", SBI_EXT_SUSP, 0, 0x7fffffff, 0 },
	{ "CPPC", SBI_EXT_CPPC, 0, 0, 0 },
	{ "NACL", SBI_EXT_NACL, 0, 0, 0 },
	{ "STA", SBI_EXT_STA, 0, -1UL, -1UL },
};

void probe(void)
{
	char present[160] = "", absent[160] = "";
	size_t np = 0, na = 0;

	for (size_t i = 0; i < ARRAY_SIZE(exts); i++) {
		const struct ext *e = &exts[i];
		struct sbiret r;

		if (sbi_probe(e->eid)) {
			np += snprintf(present + np, sizeof(present) - np, " %s", e->name);
			r = sbi_ecall(e->eid, UNKNOWN_FID, 0, 0, 0, 0, 0, 0);
			sbi_report_err(SBI_ERR_NOT_SUPPORTED, r.error,
				       "%s, present, answers an unknown function ID with "
				       "NOT_SUPPORTED", e->name);
		} else {
			na += snprintf(absent + na, sizeof(absent) - na, " %s", e->name);
			r = sbi_ecall(e->eid, e->fid, e->a0, e->a1, 0, 0, 0, 0);
			sbi_report_err(SBI_ERR_NOT_SUPPORTED, r.error,
				       "%s, absent per probe_extension, answers NOT_SUPPORTED",
				       e->name);
		}
	}
	report_info("present:%s; absent:%s", np ? present : " none", na ? absent : " none");
	report_eq(0, sbi_probe(UNKNOWN_EID), "probe_extension of an unassigned EID is 0");
	sbi_report_err(SBI_ERR_NOT_SUPPORTED, sbi_ecall(UNKNOWN_EID, 0, 0, 0, 0, 0, 0, 0).error,
		       "a call to an unassigned EID answers NOT_SUPPORTED");
	sbi_report_err(SBI_ERR_NOT_SUPPORTED, base_call(UNKNOWN_FID, 0).error,
		       "BASE answers an unknown function ID with NOT_SUPPORTED");
}

/* 5.4: clear_ipi returns 0 with no IPI pending, a positive value with one. */
static void legacy_clear_ipi(void)
{
	unsigned long self = cpu_hartid(smp_id());
	long none, one;

	csr_clear(CSR_SIP, SIE_SSIE);
	none = sbi_legacy_ecall(SBI_EXT_LEGACY_CLEAR_IPI, 0, 0, 0);
	sbi_send_ipi(1, self);
	if (!wait_pending(SIE_SSIE, 100)) {
		report_fail("legacy: the IPI to this hart is pending, for clear_ipi to clear");
		return;
	}
	one = sbi_legacy_ecall(SBI_EXT_LEGACY_CLEAR_IPI, 0, 0, 0);
	report_eq(0, none, "clear_ipi with no IPI pending returns 0");
	report_in_range(1, LONG_MAX, one, "clear_ipi with an IPI pending returns a positive value");
	report(!(csr_read(CSR_SIP) & SIE_SSIE), "clear_ipi leaves sip.SSIP clear");
	csr_clear(CSR_SIP, SIE_SSIE);
}

/* 5.5: send_ipi takes a pointer to a hart mask. */
static void legacy_send_ipi(void)
{
	unsigned long self = cpu_hartid(smp_id());
	unsigned long mask = self < BITS_PER_LONG ? 1UL << self : 0;
	long ret;

	if (!mask) {
		report_skip("hart %lu is beyond the first word of a legacy hart mask", self);
		return;
	}
	csr_clear(CSR_SIP, SIE_SSIE);
	ret = sbi_legacy_ecall(SBI_EXT_LEGACY_SEND_IPI, (uintptr_t)&mask, 0, 0);
	report_eq(0, ret, "send_ipi to this hart returns 0");
	report(wait_pending(SIE_SSIE, 100), "send_ipi to this hart makes sip.SSIP pending");
	csr_clear(CSR_SIP, SIE_SSIE);
}

/* 5.1: set_timer clears the pending timer interrupt; 5.6-5.8 the fences return 0. */
static void legacy_timer_fences(bool has[])
{
	unsigned long mask = 0;

	if (has[SBI_EXT_LEGACY_SET_TIMER]) {
		sbi_legacy_ecall(SBI_EXT_LEGACY_SET_TIMER, 0, 0, 0);
		report(wait_pending(SIE_STIE, 100), "set_timer(0) makes sip.STIP pending");
		report_eq(0, sbi_legacy_ecall(SBI_EXT_LEGACY_SET_TIMER, -1UL, 0, 0),
			  "set_timer(-1) returns 0");
		report(!(csr_read(CSR_SIP) & SIE_STIE), "set_timer(-1) clears sip.STIP");
	}
	for (int i = 0; i < cpu_count(); i++)
		if (cpu_hartid(i) < BITS_PER_LONG)
			mask |= 1UL << cpu_hartid(i);
	for (unsigned long eid = SBI_EXT_LEGACY_FENCE_I; eid <= SBI_EXT_LEGACY_SFENCE_VMA_ASID;
	     eid++)
		if (has[eid])
			report_eq(0, sbi_legacy_ecall(eid, (uintptr_t)&mask, 0, 0),
				  "legacy EID %#lx on every hart, whole address space, returns 0",
				  eid);
}

void legacy(void)
{
	static const char *const names[] = {
		"set_timer", "console_putchar", "console_getchar", "clear_ipi", "send_ipi",
		"remote_fence_i", "remote_sfence_vma", "remote_sfence_vma_asid", "shutdown",
	};
	bool has[ARRAY_SIZE(names)];
	char list[160] = "";
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		has[i] = sbi_probe(i);
		n += snprintf(list + n, sizeof(list) - n, " %s%s", has[i] ? "" : "-", names[i]);
	}
	report_info("legacy extensions (- absent):%s", list);
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!has[i] && i != SBI_EXT_LEGACY_SHUTDOWN)
			sbi_report_err(SBI_ERR_NOT_SUPPORTED,
				       sbi_legacy_ecall(i, 0, 0, 0),
				       "legacy %s, absent per probe_extension, answers "
				       "NOT_SUPPORTED", names[i]);
	if (has[SBI_EXT_LEGACY_GETCHAR]) {
		long c = sbi_legacy_ecall(SBI_EXT_LEGACY_GETCHAR, 0, 0, 0);
		char got[24];

		snprintf(got, sizeof(got), "%ld", c);
		report_decoded(c >= -1 && c <= 255, "-1 or 0..255", got,
			       "console_getchar returns a byte or -1");
	}
	if (has[SBI_EXT_LEGACY_CLEAR_IPI])
		legacy_clear_ipi();
	if (has[SBI_EXT_LEGACY_SEND_IPI])
		legacy_send_ipi();
	legacy_timer_fences(has);
}
