// SPDX-License-Identifier: MIT
/*
 * XCR0 and the XCR instructions (SDM vol. 1 13.3, vol. 2 XSETBV, XGETBV;
 * APM vol. 2 11.5.2): XSETBV of XCR0 raises #GP(0) for a value with bit 0
 * clear, bit 2 without bit 1, bits 3 and 4 not equal, any of bits 7:5
 * without all of them and bit 2, bits 17 and 18 not equal, or a bit
 * CPUID.(EAX=0DH,ECX=0):EDX:EAX does not enumerate; it takes every other
 * value. The matrix is generated: every subset of the enumerated bits
 * below 19 and of the lowest bit not enumerated. XSETBV raises #GP(0) at
 * CPL > 0 and for any XCR but 0; XGETBV raises #GP(0) for an XCR that does
 * not exist (XCR1 without CPUID.(EAX=0DH,ECX=1):EAX[2]); both raise #UD
 * while CR4.OSXSAVE = 0.
 */
#include "user.h"
#include "xsave.h"

uint8_t area_a[XSAVE_AREA_SIZE] __aligned(64);
uint8_t area_b[XSAVE_AREA_SIZE] __aligned(64);

exinfo_t xgetbv_safe(uint32_t xcr, uint64_t *v)
{
	DECLARE_EXINFO(ex);
	uint32_t lo = 0, hi = 0;

	asm volatile(ASM_TRY("xgetbv") : "+r"(ex), "+a"(lo), "+d"(hi) : "c"(xcr) : "memory");
	*v = (uint64_t)hi << 32 | lo;
	return ex;
}

uint64_t xgetbv(uint32_t xcr)
{
	uint64_t v;

	if (xgetbv_safe(xcr, &v))
		report_abort("XGETBV of XCR%u faulted", xcr);
	return v;
}

uint64_t xcr0_supported(void)
{
	struct cpuid r = cpuid_count(0xd, 0);

	return (uint64_t)r.d << 32 | r.a;
}

uint64_t xsave_enable(uint64_t xcr0)
{
	uint64_t old = 0;

	if (read_cr4() & X86_CR4_OSXSAVE)
		old = xgetbv(0);
	write_cr4(read_cr4() | X86_CR4_OSXSAVE);
	if (xsetbv_safe(0, xcr0))
		report_abort("XSETBV of XCR0 %#lx faulted", (unsigned long)xcr0);
	return old;
}

static bool both_or_neither(uint64_t v, uint64_t bits)
{
	return !(v & bits) || (v & bits) == bits;
}

static bool xcr0_valid(uint64_t v, uint64_t sup)
{
	if ((v & ~sup) || !(v & XFEATURE_X87))
		return false;
	if ((v & XFEATURE_AVX) && !(v & XFEATURE_SSE))
		return false;
	if (!both_or_neither(v, BIT(3) | BIT(4)) || !both_or_neither(v, BIT(17) | BIT(18)))
		return false;
	if ((v & 0xe0) && ((v & 0xe0) != 0xe0 || !(v & XFEATURE_AVX)))
		return false;
	return true;
}

void xcr0_rules(void)
{
	uint64_t sup = xcr0_supported(), cand = sup & (BIT(19) - 1), cr4 = read_cr4(), old, v;
	int bits[20], n = 0, unread = 0;

	for (int b = 1; b < 63; b++) {
		if (!(sup & BIT_ULL(b))) {
			cand |= BIT_ULL(b);
			break;
		}
	}
	for (int b = 0; b < 63; b++)
		if (cand & BIT_ULL(b))
			bits[n++] = b;
	old = xsave_enable(sup & (XFEATURE_X87 | XFEATURE_SSE));
	for (uint32_t m = 0; m < BIT(n); m++) {
		exinfo_t ex;

		v = 0;
		for (int i = 0; i < n; i++)
			if (m & BIT(i))
				v |= BIT_ULL(bits[i]);
		ex = xsetbv_safe(0, v);
		report_exc(xcr0_valid(v, sup) ? 0 : EXINFO(GP_VECTOR, 0), ex, "XCR0 %#lx: %s",
			   (unsigned long)v, xcr0_valid(v, sup) ? "loads" : "#GP(0)");
		if (!ex && xgetbv(0) != v)
			unread++;
	}
	report_eq(0, unread, "every XCR0 value XSETBV took reads back by XGETBV");
	xsetbv_safe(0, old ? old : XFEATURE_X87);
	write_cr4(cr4);
}

static uint64_t user_xsetbv(uint64_t v)
{
	return xsetbv_safe(0, v);
}

static uint64_t user_xgetbv(uint64_t unused)
{
	uint64_t v;
	exinfo_t ex = xgetbv_safe(0, &v);

	return ex ? ex : v;
}

void xcr_faults(void)
{
	uint64_t cr4 = read_cr4(), sup = xcr0_supported(), v, x0;
	bool xg1 = cpuid_count(0xd, 1).a & BIT(2);

	xsave_enable(sup & (XFEATURE_X87 | XFEATURE_SSE));
	x0 = xgetbv(0);
	report_exc(EXINFO(GP_VECTOR, 0), xsetbv_safe(1, 0), "XSETBV of XCR1 raises #GP(0)");
	report_exc(EXINFO(GP_VECTOR, 0), xsetbv_safe(2, 0), "XSETBV of XCR2 raises #GP(0)");
	report_exc(EXINFO(GP_VECTOR, 0), xsetbv_safe(0, x0 | BIT_ULL(63)),
		   "XSETBV of XCR0 bit 63 raises #GP(0)");
	report_exc(EXINFO(GP_VECTOR, 0), xgetbv_safe(2, &v), "XGETBV of XCR2 raises #GP(0)");
	report_exc(xg1 ? 0 : EXINFO(GP_VECTOR, 0), xgetbv_safe(1, &v), "XGETBV of XCR1 %s",
		   xg1 ? "(XGETBV_ECX_1 enumerated)" : "raises #GP(0) (XGETBV_ECX_1 absent)");
	report_exc(EXINFO(GP_VECTOR, 0), run_in_user(user_xsetbv, x0),
		   "XSETBV at CPL3 raises #GP(0)");
	report_eq_x(x0, run_in_user(user_xgetbv, 0), "XGETBV of XCR0 at CPL3 reads XCR0");
	write_cr4(cr4 & ~X86_CR4_OSXSAVE);
	report_exc(EXINFO(UD_VECTOR, 0), xsetbv_safe(0, x0),
		   "XSETBV with CR4.OSXSAVE=0 raises #UD");
	report_exc(EXINFO(UD_VECTOR, 0), xgetbv_safe(0, &v),
		   "XGETBV with CR4.OSXSAVE=0 raises #UD");
	report_exc(EXINFO(UD_VECTOR, 0), xsave_safe(area_a, XFEATURE_X87, 0),
		   "XSAVE with CR4.OSXSAVE=0 raises #UD");
	write_cr4(cr4);
}
