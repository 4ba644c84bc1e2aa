// SPDX-License-Identifier: MIT
/*
 * CPUID leaf 0xD against XSETBV/XGETBV (SDM vol. 1, 13.2-13.4; SDM vol. 2
 * XSETBV, XGETBV). Sub-leaf 0: EDX:EAX the XCR0 bits XSETBV accepts (x87
 * and SSE always), EBX the XSAVE area size for the current XCR0, ECX the
 * size for every supported user component. Sub-leaf 1: EDX:ECX the
 * IA32_XSS bits, EBX the compacted size for XCR0 | IA32_XSS. Sub-leaf i
 * (2..62) of a supported component: EAX size, EBX offset (0 for a
 * supervisor component), ECX[0] supervisor, ECX[1] 64-byte aligned when
 * compacted; any other sub-leaf returns zeros.
 * XSETBV raises #GP(0) for an unsupported bit, XCR0[0] = 0, AVX without
 * SSE, one MPX or AMX half without the other, AVX-512 state without AVX or
 * partially enabled, ECX other than 0, or CPL > 0; #UD with CR4.OSXSAVE = 0.
 *
 * Expected sizes come from the architecture, not from leaf 0xD: the legacy
 * region and the XSAVE header are 512 + 64 bytes (vol. 1 13.4.1, 13.4.2),
 * so with XCR0 = x87 or x87|SSE both sizes are 576; a user component's size
 * is that of the registers it holds (vol. 1 13.5.3-13.5.7 and the AMX
 * section; APM vol. 2 11.5 gives AMD's the same sizes), see spec_size[].
 * Only the standard-format offsets are taken from the sub-leaves: the
 * architecture leaves them to the enumeration and vendors differ (AMD puts
 * AVX-512 state right after AVX, Intel after the MPX components), so they
 * are checked for plausibility (past 576, no overlap) and then used.
 *
 * Under KVM a guest's CPL3 code may run on the host CPU with the host's
 * XCR0 and CR4 (kvm-pvm does), and xcr0_read() reads XCR0 at CPL3 (main.c
 * says why): the checks of what XGETBV returns there end in "(host CPU
 * decides under KVM)".
 */
#include "report.h"
#include "asm/cr.h"
#include "asm/desc.h"
#include "asm/msr.h"
#include "cpuid_test.h"

#define XCOMP_MAX	63

/* Bytes of each user state component, from the registers it holds; 0: not listed here. */
static const uint32_t spec_size[XCOMP_MAX] = {
	[2] = 16 * 16,		/* AVX: YMM_Hi128 of YMM0-15 */
	[3] = 4 * 16,		/* BNDREGS: BND0-BND3 */
	[4] = 64,		/* BNDCSR: BNDCFGU and BNDSTATUS, in a 64-byte component */
	[5] = 8 * 8,		/* opmask: k0-k7 */
	[6] = 16 * 32,		/* ZMM_Hi256 of ZMM0-15 */
	[7] = 16 * 64,		/* Hi16_ZMM: ZMM16-31 */
	[9] = 8,		/* PKRU, padded to 8 bytes */
	[17] = 64,		/* TILECFG */
	[18] = 8 * 1024,	/* TILEDATA: tmm0-tmm7, 1 KiB each */
};

/* The architectural size of component @i, or CPUID's for a component not listed. */
static uint32_t component_size(int i)
{
	return spec_size[i] ? spec_size[i] : cpuid_count(0xd, i).a;
}

static uint64_t xss_supported(void)
{
	struct cpuid r = cpuid_count(0xd, 1);

	return r.c | (uint64_t)r.d << 32;
}

/* Standard-format size for @xcr0: end of the highest enabled component. */
static uint32_t standard_size(uint64_t xcr0)
{
	uint32_t end = XSAVE_LEGACY_SIZE;

	for (int i = 2; i < XCOMP_MAX; i++)
		if (xcr0 & BIT_ULL(i))
			end = MAX(end, cpuid_count(0xd, i).b + component_size(i));
	return end;
}

/* Compacted-format size: components packed in order, some 64-byte aligned (ECX[1]). */
static uint32_t compacted_size(uint64_t mask)
{
	uint32_t end = XSAVE_LEGACY_SIZE;

	for (int i = 2; i < XCOMP_MAX; i++) {
		if (!(mask & BIT_ULL(i)))
			continue;
		if (cpuid_count(0xd, i).c & 2)
			end = ALIGN_UP(end, 64);
		end += component_size(i);
	}
	return end;
}

static bool component_ok(int i, uint64_t user, uint32_t max_size)
{
	struct cpuid r = cpuid_count(0xd, i);

	if (user & BIT_ULL(i))
		return r.a && r.b >= XSAVE_LEGACY_SIZE && r.b + r.a <= max_size && !(r.c & 1);
	return r.a && !r.b && (r.c & 1);
}

/* Standard-format areas of two user components may not overlap. */
static int overlapping_component(uint64_t user)
{
	for (int i = 2; i < XCOMP_MAX; i++) {
		struct cpuid a = cpuid_count(0xd, i);

		if (!(user & BIT_ULL(i)))
			continue;
		for (int j = i + 1; j < XCOMP_MAX; j++) {
			struct cpuid b = cpuid_count(0xd, j);

			if ((user & BIT_ULL(j)) && a.b < b.b + b.a && b.b < a.b + a.a)
				return i;
		}
	}
	return -1;
}

void xsave_leaf(void)
{
	uint64_t user = xcr0_supported(), sup = xss_supported();
	struct cpuid r0 = cpuid_count(0xd, 0);
	int bad_zero = -1, overlap;

	report_info("XCR0 mask %#llx, IA32_XSS mask %#llx, max size %u",
		    (unsigned long long)user, (unsigned long long)sup, r0.c);
	report_eq_x(XSTATE_X87 | XSTATE_SSE, user & (XSTATE_X87 | XSTATE_SSE),
		    "CPUID.(0xD,0):EAX[1:0] reports x87 and SSE state");
	report_eq_x(0, user & sup, "no state component is both user (XCR0) and supervisor (XSS)");
	report(r0.b <= r0.c, "CPUID.(0xD,0):EBX (current size) is at most ECX (maximum size)");
	for (int i = 2; i <= XCOMP_MAX; i++) {
		struct cpuid r = cpuid_count(0xd, i);

		if (i < XCOMP_MAX && ((user | sup) & BIT_ULL(i))) {
			report(component_ok(i, user, r0.c),
			       "state component %d: non-zero size and a layout for a %s component",
			       i, (user & BIT_ULL(i)) ? "user" : "supervisor");
			if ((user & BIT_ULL(i)) && spec_size[i])
				report_eq(spec_size[i], r.a, "CPUID.(0xD,%d):EAX is the size of "
					  "state component %d's registers", i, i);
			continue;
		}
		if ((r.a || r.b || r.c || r.d) && bad_zero < 0)
			bad_zero = i;
	}
	if (!report(bad_zero < 0, "leaf 0xD sub-leaves 2-63 of unsupported components are zero"))
		report_info("first non-zero sub-leaf %d", bad_zero);
	overlap = overlapping_component(user);
	if (!report(overlap < 0, "user components' standard-format areas do not overlap"))
		report_info("component %d overlaps a later one", overlap);
}

static const struct {
	const char *name;
	uint64_t xcr0;
} size_rows[] = {
	{ "x87", XSTATE_X87 },
	{ "x87|SSE", XSTATE_X87 | XSTATE_SSE },
	{ "x87|SSE|AVX", XSTATE_X87 | XSTATE_SSE | XSTATE_AVX },
	{ "every supported user component", 0 },	/* 0: CPUID.(0xD,0):EDX:EAX */
};

/* Sizes follow each XCR0 value written (SDM vol. 1, 13.3). */
void xcr0_sizes(void)
{
	bool compacted = this_cpu_has(X86_FEATURE_XSAVEC) || this_cpu_has(X86_FEATURE_XSAVES);
	uint64_t user = xcr0_supported(), xss = 0, v;
	struct ext_state st;
	exinfo_t ex;

	ext_state_enable(&st, X86_CR4_OSXSAVE, 0);
	if (this_cpu_has(X86_FEATURE_XSAVES))
		xss = rdmsr(MSR_IA32_XSS);
	for (size_t i = 0; i < ARRAY_SIZE(size_rows); i++) {
		v = size_rows[i].xcr0 ? size_rows[i].xcr0 : user;
		if ((v & user) != v) {
			report_skip("XCR0=%s: not supported", size_rows[i].name);
			continue;
		}
		ex = xsetbv_safe(0, v);
		if (!report_exc(0, ex, "XSETBV of XCR0=%s raises no exception", size_rows[i].name))
			continue;
		report_eq_x(v, xcr0_read(), "XGETBV returns XCR0=%s as written" HOST_DECIDES,
			    size_rows[i].name);
		report_eq(standard_size(v), cpuid_count(0xd, 0).b,
			  "CPUID.(0xD,0):EBX with XCR0=%s ends at the last enabled component",
			  size_rows[i].name);
		if (compacted)
			report_eq(compacted_size(v | xss), cpuid_count(0xd, 1).b,
				  "CPUID.(0xD,1):EBX with XCR0=%s (%#llx) is the compacted size",
				  size_rows[i].name, (unsigned long long)v);
	}
	report_eq(standard_size(user), cpuid_count(0xd, 0).c,
		  "CPUID.(0xD,0):ECX is the size for every supported user component");
	ext_state_restore(&st);
}

static const struct {
	const char *name;
	uint64_t xcr0;
	uint64_t needs;	/* components that must be supported for the rule to apply */
} bad_xcr0[] = {
	{ "XCR0=0", 0, 0 },
	{ "XCR0 without x87 (bit 0 clear)", XSTATE_SSE, 0 },
	{ "AVX without SSE", XSTATE_X87 | XSTATE_AVX, XSTATE_AVX },
	{ "BNDREGS without BNDCSR", XSTATE_X87 | XSTATE_BNDREGS,
	  XSTATE_BNDREGS | XSTATE_BNDCSR },
	{ "BNDCSR without BNDREGS", XSTATE_X87 | XSTATE_BNDCSR, XSTATE_BNDREGS | XSTATE_BNDCSR },
	{ "AVX-512 state without AVX", XSTATE_X87 | XSTATE_SSE | XSTATE_AVX512,
	  XSTATE_AVX | XSTATE_AVX512 },
	{ "opmask without the ZMM components", XSTATE_X87 | XSTATE_SSE | XSTATE_AVX |
	  XSTATE_OPMASK, XSTATE_AVX | XSTATE_AVX512 },
	{ "TILECFG without TILEDATA", XSTATE_X87 | XSTATE_SSE | XSTATE_TILECFG,
	  XSTATE_TILECFG | XSTATE_TILEDATA },
	{ "TILEDATA without TILECFG", XSTATE_X87 | XSTATE_SSE | XSTATE_TILEDATA,
	  XSTATE_TILECFG | XSTATE_TILEDATA },
};

/* XSETBV that must fail; puts @base back if it did not. */
static exinfo_t xsetbv_bad(uint32_t idx, uint64_t v, uint64_t base)
{
	exinfo_t ex = xsetbv_safe(idx, v);

	if (!ex)
		xsetbv(0, base);
	return ex;
}

static void unsupported_bits(uint64_t base)
{
	uint64_t user = xcr0_supported();
	exinfo_t worst = EXINFO(GP_VECTOR, 0), ex;
	int bad_bit = -1;

	for (int b = 0; b < 64; b++) {
		if (user & BIT_ULL(b))
			continue;
		ex = xsetbv_bad(0, base | BIT_ULL(b), base);
		if (ex != EXINFO(GP_VECTOR, 0) && bad_bit < 0) {
			worst = ex;
			bad_bit = b;
		}
	}
	if (!report_exc(EXINFO(GP_VECTOR, 0), worst,
			"XSETBV setting any XCR0 bit outside CPUID.(0xD,0):EDX:EAX raises #GP(0)"))
		report_info("first offending bit %d", bad_bit);
}

static uint64_t user_xcr0;

static uint64_t xsetbv_at_cpl3(uint64_t v)
{
	return xsetbv_safe(0, v);
}

/* XGETBV of XCR @idx into user_xcr0, run through run_in_user() (see xcr0_read()). */
static uint64_t xgetbv_try(uint64_t idx)
{
	DECLARE_EXINFO(ex);
	uint32_t lo = 0, hi = 0;

	asm volatile(ASM_TRY("xgetbv") : "+r"(ex), "+a"(lo), "+d"(hi) : "c"((uint32_t)idx));
	user_xcr0 = lo | (uint64_t)hi << 32;
	return ex;
}

static void xgetbv_checks(uint64_t base)
{
	exinfo_t ex;

	ex = run_in_user(xgetbv_try, 1);
	if (this_cpu_has(X86_FEATURE_XGETBV1))
		report(!ex && !(user_xcr0 & ~base),
		       "XGETBV ECX=1 (XINUSE) works and returns a subset of XCR0" HOST_DECIDES);
	else
		report_exc(EXINFO(GP_VECTOR, 0), ex,
			   "XGETBV ECX=1 raises #GP(0) without XGETBV1" HOST_DECIDES);
	report_exc(EXINFO(GP_VECTOR, 0), run_in_user(xgetbv_try, 2),
		   "XGETBV ECX=2 raises #GP(0)");
	report_exc(EXINFO(GP_VECTOR, 0), run_in_user(xsetbv_at_cpl3, base),
		   "XSETBV at CPL3 raises #GP(0)");
	report_exc(EXINFO(GP_VECTOR, 0), xsetbv_bad(1, 0, base), "XSETBV with ECX=1 raises #GP(0)");
}

void xcr0_faults(void)
{
	uint64_t user = xcr0_supported(), base;
	struct ext_state st;
	unsigned long cr4;

	ext_state_enable(&st, X86_CR4_OSXSAVE, 0);
	base = xcr0_read();
	for (size_t i = 0; i < ARRAY_SIZE(bad_xcr0); i++) {
		if ((bad_xcr0[i].needs & user) != bad_xcr0[i].needs) {
			report_skip("XSETBV of %s: components not supported", bad_xcr0[i].name);
			continue;
		}
		report_exc(EXINFO(GP_VECTOR, 0), xsetbv_bad(0, bad_xcr0[i].xcr0, base),
			   "XSETBV of %s raises #GP(0)", bad_xcr0[i].name);
	}
	unsupported_bits(base);
	xgetbv_checks(base);
	report_eq_x(base, xcr0_read(), "XCR0 is unchanged by the faulting XSETBVs" HOST_DECIDES);
	ext_state_restore(&st);

	cr4 = read_cr4();
	write_cr4(cr4 & ~X86_CR4_OSXSAVE);
	report_exc(EXINFO(UD_VECTOR, 0), run_in_user(xgetbv_try, 0),
		   "XGETBV with CR4.OSXSAVE=0 raises #UD" HOST_DECIDES);
	report_exc(EXINFO(UD_VECTOR, 0), xsetbv_safe(0, base),
		   "XSETBV with CR4.OSXSAVE=0 raises #UD");
	write_cr4(cr4);
}
