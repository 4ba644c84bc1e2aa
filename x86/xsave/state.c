// SPDX-License-Identifier: MIT
/*
 * Saving and restoring state (SDM vol. 1 13.4-13.11, vol. 2 XSAVE,
 * XSAVEOPT, XSAVEC, XRSTOR; APM vol. 2 11.5): XSAVE stores XMM0-15 at
 * offset 160 of the legacy area and YMM0-15's upper halves at the offset
 * CPUID.(EAX=0DH,ECX=2):EBX gives, and sets XSTATE_BV[i] for a component
 * not in its initial configuration; XRSTOR loads them back, initializes a
 * component whose XSTATE_BV bit is 0 (MXCSR is still loaded from memory)
 * and raises #GP(0) for XSTATE_BV bits outside XCR0, a non-zero XCOMP_BV
 * in the standard form or non-zero reserved header bytes. XSAVEOPT stores
 * what was modified since the last XRSTOR (the image holds the state
 * after it either way) and may leave out initialized components with
 * their XSTATE_BV bit 0. XSAVEC writes the compacted form: XCOMP_BV =
 * bit 63 | RFBM, components packed after the header. XGETBV(1) gives
 * XINUSE: 1 for a component not in its initial configuration. Register
 * state survives interrupts and is what XRSTOR on another CPU gives.
 * Every component CPUID enumerates (leaf 0DH, sub-leaf i: EAX size, EBX
 * offset in the standard form) lies past the legacy area and header, the
 * XSAVE area's size for XCR0 (leaf 0DH EBX) ends with the last, and each
 * survives an XRSTOR and XSAVE unchanged.
 */
#include "asm/apic.h"
#include "asm/msr.h"
#include "smp.h"
#include "user.h"
#include "xsave.h"

#define IPI_VECTOR	0xe0
#define NR_IPIS		64

static uint8_t pat[512], pat2[512], zero[512], out[512];
static volatile unsigned int ipis;

void vec_load(const void *p, bool avx)
{
	if (avx)
		asm volatile("vmovdqu 0x0(%0), %%ymm0\n\t" "vmovdqu 0x20(%0), %%ymm1\n\t"
			     "vmovdqu 0x40(%0), %%ymm2\n\t" "vmovdqu 0x60(%0), %%ymm3\n\t"
			     "vmovdqu 0x80(%0), %%ymm4\n\t" "vmovdqu 0xa0(%0), %%ymm5\n\t"
			     "vmovdqu 0xc0(%0), %%ymm6\n\t" "vmovdqu 0xe0(%0), %%ymm7\n\t"
			     "vmovdqu 0x100(%0), %%ymm8\n\t" "vmovdqu 0x120(%0), %%ymm9\n\t"
			     "vmovdqu 0x140(%0), %%ymm10\n\t" "vmovdqu 0x160(%0), %%ymm11\n\t"
			     "vmovdqu 0x180(%0), %%ymm12\n\t" "vmovdqu 0x1a0(%0), %%ymm13\n\t"
			     "vmovdqu 0x1c0(%0), %%ymm14\n\t" "vmovdqu 0x1e0(%0), %%ymm15\n\t"
			     : : "r"(p) : "memory");
	else
		asm volatile("movdqu 0x0(%0), %%xmm0\n\t" "movdqu 0x20(%0), %%xmm1\n\t"
			     "movdqu 0x40(%0), %%xmm2\n\t" "movdqu 0x60(%0), %%xmm3\n\t"
			     "movdqu 0x80(%0), %%xmm4\n\t" "movdqu 0xa0(%0), %%xmm5\n\t"
			     "movdqu 0xc0(%0), %%xmm6\n\t" "movdqu 0xe0(%0), %%xmm7\n\t"
			     "movdqu 0x100(%0), %%xmm8\n\t" "movdqu 0x120(%0), %%xmm9\n\t"
			     "movdqu 0x140(%0), %%xmm10\n\t" "movdqu 0x160(%0), %%xmm11\n\t"
			     "movdqu 0x180(%0), %%xmm12\n\t" "movdqu 0x1a0(%0), %%xmm13\n\t"
			     "movdqu 0x1c0(%0), %%xmm14\n\t" "movdqu 0x1e0(%0), %%xmm15\n\t"
			     : : "r"(p) : "memory");
}

void vec_store(void *p, bool avx)
{
	if (avx)
		asm volatile("vmovdqu %%ymm0, 0x0(%0)\n\t" "vmovdqu %%ymm1, 0x20(%0)\n\t"
			     "vmovdqu %%ymm2, 0x40(%0)\n\t" "vmovdqu %%ymm3, 0x60(%0)\n\t"
			     "vmovdqu %%ymm4, 0x80(%0)\n\t" "vmovdqu %%ymm5, 0xa0(%0)\n\t"
			     "vmovdqu %%ymm6, 0xc0(%0)\n\t" "vmovdqu %%ymm7, 0xe0(%0)\n\t"
			     "vmovdqu %%ymm8, 0x100(%0)\n\t" "vmovdqu %%ymm9, 0x120(%0)\n\t"
			     "vmovdqu %%ymm10, 0x140(%0)\n\t" "vmovdqu %%ymm11, 0x160(%0)\n\t"
			     "vmovdqu %%ymm12, 0x180(%0)\n\t" "vmovdqu %%ymm13, 0x1a0(%0)\n\t"
			     "vmovdqu %%ymm14, 0x1c0(%0)\n\t" "vmovdqu %%ymm15, 0x1e0(%0)\n\t"
			     : : "r"(p) : "memory");
	else
		asm volatile("movdqu %%xmm0, 0x0(%0)\n\t" "movdqu %%xmm1, 0x20(%0)\n\t"
			     "movdqu %%xmm2, 0x40(%0)\n\t" "movdqu %%xmm3, 0x60(%0)\n\t"
			     "movdqu %%xmm4, 0x80(%0)\n\t" "movdqu %%xmm5, 0xa0(%0)\n\t"
			     "movdqu %%xmm6, 0xc0(%0)\n\t" "movdqu %%xmm7, 0xe0(%0)\n\t"
			     "movdqu %%xmm8, 0x100(%0)\n\t" "movdqu %%xmm9, 0x120(%0)\n\t"
			     "movdqu %%xmm10, 0x140(%0)\n\t" "movdqu %%xmm11, 0x160(%0)\n\t"
			     "movdqu %%xmm12, 0x180(%0)\n\t" "movdqu %%xmm13, 0x1a0(%0)\n\t"
			     "movdqu %%xmm14, 0x1c0(%0)\n\t" "movdqu %%xmm15, 0x1e0(%0)\n\t"
			     : : "r"(p) : "memory");
}

exinfo_t xsave_safe(void *p, uint64_t rfbm, int kind)
{
	DECLARE_EXINFO(ex);
	uint32_t lo = rfbm, hi = rfbm >> 32;

	if (kind == 1)
		asm volatile(ASM_TRY("xsaveopt (%1)")
			     : "+r"(ex) : "r"(p), "a"(lo), "d"(hi) : "memory");
	else if (kind == 2)
		asm volatile(ASM_TRY("xsavec (%1)")
			     : "+r"(ex) : "r"(p), "a"(lo), "d"(hi) : "memory");
	else if (kind == 3)
		asm volatile(ASM_TRY("xsaves (%1)")
			     : "+r"(ex) : "r"(p), "a"(lo), "d"(hi) : "memory");
	else if (kind == 4)
		asm volatile(ASM_TRY("xrstors (%1)")
			     : "+r"(ex) : "r"(p), "a"(lo), "d"(hi) : "memory");
	else
		asm volatile(ASM_TRY("xsave (%1)")
			     : "+r"(ex) : "r"(p), "a"(lo), "d"(hi) : "memory");
	return ex;
}

exinfo_t xrstor_safe(const void *p, uint64_t rfbm)
{
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("xrstor (%1)")
		     : "+r"(ex) : "r"(p), "a"((uint32_t)rfbm), "d"((uint32_t)(rfbm >> 32))
		     : "memory");
	return ex;
}

static uint64_t *hdr(uint8_t *area, int off)
{
	return (uint64_t *)(area + off);
}

/* The components these subtests use (x87, SSE, AVX where present) enabled in XCR0. */
static uint64_t setup(bool *avx)
{
	*avx = !need_avx();
	for (int i = 0; i < 512; i++) {
		pat[i] = i * 7 + 1;
		pat2[i] = i * 13 + 5;
	}
	memset(zero, 0, sizeof(zero));
	/* XSAVE leaves XSTATE_BV bits outside RFBM as they were: start from zeroes. */
	memset(area_a, 0, sizeof(area_a));
	memset(area_b, 0, sizeof(area_b));
	xsave_enable(XFEATURE_X87 | XFEATURE_SSE | (*avx ? XFEATURE_AVX : 0));
	return xgetbv(0);
}

/* The XMM (and YMM upper) halves of @p (vec_load layout) against a standard-form image. */
static bool image_matches(const uint8_t *area, const uint8_t *p, bool avx, uint32_t hi_off)
{
	for (int r = 0; r < 16; r++) {
		if (memcmp(area + XMM_OFF + r * 16, p + r * 32, 16))
			return false;
		if (avx && memcmp(area + hi_off + r * 16, p + r * 32 + 16, 16))
			return false;
	}
	return true;
}

static bool regs_equal(const uint8_t *p, bool avx)
{
	vec_store(out, avx);
	for (int r = 0; r < 16; r++)
		if (memcmp(out + r * 32, p + r * 32, avx ? 32 : 16))
			return false;
	return true;
}

void xsave_roundtrip(void)
{
	bool avx;
	uint64_t rfbm = setup(&avx);
	uint32_t hi_off = cpuid_count(0xd, 2).b;

	vec_load(pat, avx);
	memset(area_a, 0, sizeof(area_a));
	report_exc(0, xsave_safe(area_a, rfbm, 0), "XSAVE of XCR0 %#lx", (unsigned long)rfbm);
	report_eq_x(rfbm & ~XFEATURE_X87, *hdr(area_a, XSTATE_BV_OFF) & rfbm & ~XFEATURE_X87,
		    "XSTATE_BV has SSE%s set after writing the registers", avx ? " and AVX" : "");
	report(image_matches(area_a, pat, avx, hi_off), "XSAVE stores XMM0-15%s",
	       avx ? " and the YMM upper halves" : "");
	vec_load(zero, avx);
	report_exc(0, xrstor_safe(area_a, rfbm), "XRSTOR of the image");
	report(regs_equal(pat, avx), "XRSTOR loads XMM0-15%s back", avx ? " and YMM0-15" : "");
}

/* Images XRSTOR must refuse: a bit ORed in at an offset. */
static const struct {
	int off;
	uint64_t bits;
	const char *what;
} bad_images[] = {
	{ XSTATE_BV_OFF, BIT_ULL(63), "an XSTATE_BV bit outside XCR0" },
	{ XCOMP_BV_OFF, 1, "XCOMP_BV = 1 (standard form)" },
	{ XSTATE_BV_OFF + 16, 1, "header bytes 23:16 non-zero" },
	{ MXCSR_OFF, BIT(31), "MXCSR bit 31 set in the image" },
};

void xsave_components(void)
{
	uint32_t end = 576;
	uint64_t xcr0, bv;

	/* All the enumerated user components together satisfy XCR0's rules. */
	xsave_enable(xcr0_supported());
	xcr0 = xgetbv(0);
	for (int i = 2; i < 63; i++) {
		struct cpuid r = cpuid_count(0xd, i);

		if (!(xcr0 & BIT_ULL(i)))
			continue;
		report(r.a && r.b >= 576, "component %d: %u bytes at offset %u, past the header", i,
		       r.a, r.b);
		end = r.a + r.b > end ? r.a + r.b : end;
	}
	report_eq(end, cpuid_count(0xd, 0).b, "CPUID.(0DH,0):EBX is where the last component ends");
	if (end > XSAVE_AREA_SIZE)
		report_abort("XSAVE area of %u bytes beyond the test's %d", end, XSAVE_AREA_SIZE);
	memset(area_a, 0, sizeof(area_a));
	memset(area_b, 0, sizeof(area_b));
	report_exc(0, xsave_safe(area_a, xcr0, 0), "XSAVE of XCR0 %#lx", (unsigned long)xcr0);
	report_exc(0, xrstor_safe(area_a, xcr0), "XRSTOR of that image");
	xsave_safe(area_b, xcr0, 0);
	bv = *hdr(area_a, XSTATE_BV_OFF);
	report_eq_x(bv, *hdr(area_b, XSTATE_BV_OFF), "XSTATE_BV the same after XRSTOR and XSAVE");
	for (int i = 2; i < 63; i++) {
		struct cpuid r = cpuid_count(0xd, i);

		if (!(bv & xcr0 & BIT_ULL(i)))
			continue;
		report(!memcmp(area_a + r.b, area_b + r.b, r.a),
		       "component %d unchanged by XRSTOR and XSAVE", i);
	}
}

void xsave_init(void)
{
	bool avx;
	uint64_t rfbm = setup(&avx);
	uint32_t mxcsr;
	uint16_t fcw = 0x27f, got;

	vec_load(pat, avx);
	asm volatile("fninit\n\tfldcw %0" : : "m"(fcw));
	xsave_safe(area_a, rfbm, 0);
	memcpy(area_b, area_a, sizeof(area_b));
	*hdr(area_b, XSTATE_BV_OFF) = 0;
	*(uint32_t *)(area_b + MXCSR_OFF) = 0x7f80;
	report_exc(0, xrstor_safe(area_b, rfbm), "XRSTOR with XSTATE_BV = 0");
	report(regs_equal(zero, avx), "XRSTOR with XSTATE_BV = 0 zeroes XMM0-15%s",
	       avx ? " and YMM0-15" : "");
	asm volatile("stmxcsr %0\n\tfnstcw %1" : "=m"(mxcsr), "=m"(got));
	report_eq_x(0x7f80, mxcsr, "MXCSR loaded from the image even with XSTATE_BV[1] = 0");
	report_eq_x(0x37f, got, "x87 initialized: FCW = 037FH");
	asm volatile("ldmxcsr %0" : : "m"((uint32_t){ 0x1f80 }));

	for (size_t i = 0; i < ARRAY_SIZE(bad_images); i++) {
		memcpy(area_b, area_a, sizeof(area_b));
		*hdr(area_b, bad_images[i].off) |= bad_images[i].bits;
		report_exc(EXINFO(GP_VECTOR, 0), xrstor_safe(area_b, rfbm),
			   "XRSTOR with %s raises #GP(0)", bad_images[i].what);
	}
}

/* Whether CPUID.(EAX=0DH,ECX=1):EAX has @bit (with XSAVE itself). */
static const char *need_d1(int bit, const char *absent)
{
	if (need_xsave())
		return need_xsave();
	return cpuid_count(0xd, 1).a & BIT(bit) ? NULL : absent;
}

const char *need_xsaveopt(void)
{
	return need_d1(0, "XSAVEOPT (CPUID.(0DH,1):EAX[0]) absent");
}

const char *need_xsavec(void)
{
	return need_d1(1, "XSAVEC (CPUID.(0DH,1):EAX[1]) absent");
}

const char *need_xsaves(void)
{
	return need_d1(3, "XSAVES (CPUID.(0DH,1):EAX[3]) absent");
}

const char *need_xinuse(void)
{
	return need_d1(2, "XGETBV_ECX_1 (CPUID.(0DH,1):EAX[2]) absent");
}

void xsaveopt(void)
{
	bool avx, all_zero = true;
	uint64_t rfbm = setup(&avx);
	uint32_t hi_off = cpuid_count(0xd, 2).b;

	vec_load(pat, avx);
	memset(area_a, 0, sizeof(area_a));
	xsave_safe(area_a, rfbm, 1);
	report(image_matches(area_a, pat, avx, hi_off), "XSAVEOPT stores XMM0-15%s",
	       avx ? " and the YMM upper halves" : "");
	/* Modified after the XRSTOR from this image: XSAVEOPT must store the change. */
	xrstor_safe(area_a, rfbm);
	vec_load(pat2, avx);
	xsave_safe(area_a, rfbm, 1);
	report(image_matches(area_a, pat2, avx, hi_off),
	       "XSAVEOPT after XRSTOR from the same image stores the registers modified since");
	/* Initialized: XSTATE_BV[1] = 0, or zeroes stored. */
	memcpy(area_b, area_a, sizeof(area_b));
	*hdr(area_b, XSTATE_BV_OFF) = 0;
	xrstor_safe(area_b, rfbm);
	memset(area_a + XMM_OFF, 0xaa, 256);
	xsave_safe(area_a, rfbm, 1);
	for (int i = 0; i < 256; i++)
		all_zero &= !area_a[XMM_OFF + i];
	report(!(*hdr(area_a, XSTATE_BV_OFF) & XFEATURE_SSE) || all_zero,
	       "XSAVEOPT of initialized XMM state: XSTATE_BV[1] = 0 or zeroes stored");
}

void xsavec(void)
{
	bool avx;
	uint64_t rfbm = setup(&avx);

	vec_load(pat, avx);
	memset(area_a, 0, sizeof(area_a));
	report_exc(0, xsave_safe(area_a, rfbm, 2), "XSAVEC of XCR0 %#lx", (unsigned long)rfbm);
	report_eq_x(BIT_ULL(63) | rfbm, *hdr(area_a, XCOMP_BV_OFF), "XCOMP_BV = bit 63 | RFBM");
	/* Component 2 (if in RFBM) is the first after the 576 bytes of legacy area and header. */
	report(image_matches(area_a, pat, avx, 576), "XSAVEC stores XMM0-15%s",
	       avx ? " and the YMM upper halves at offset 576" : "");
	vec_load(zero, avx);
	report_exc(0, xrstor_safe(area_a, rfbm), "XRSTOR of the compacted image");
	report(regs_equal(pat, avx), "XRSTOR of the compacted form loads the registers back");
}

static uint64_t user_xsaves(uint64_t rfbm)
{
	return xsave_safe(area_b, rfbm, 3);
}

/*
 * XSAVES/XRSTORS (SDM vol. 2B XSAVES, XRSTORS; vol. 1 13.11, 13.12): CPL0
 * only (#GP(0)), the compacted form with XCOMP_BV = bit 63 | RFBM (RFBM
 * from XCR0 | IA32_XSS), XRSTORS refuses a standard-form image (#GP(0));
 * IA32_XSS takes only the bits CPUID.(EAX=0DH,ECX=1):EDX:ECX enumerates.
 * x87 and SSE only: the extended components' placement is xsavec's.
 */
void xsaves(void)
{
	bool avx;
	uint64_t rfbm = setup(&avx) & (XFEATURE_X87 | XFEATURE_SSE), old_xss;
	struct cpuid d1 = cpuid_count(0xd, 1);
	uint64_t xss_ok = (uint64_t)d1.d << 32 | d1.c;
	int bad = -1;

	for (int b = 0; b < 64 && bad < 0; b++)
		if (!(xss_ok & BIT_ULL(b)))
			bad = b;
	old_xss = rdmsr(MSR_IA32_XSS);
	report_exc(EXINFO(GP_VECTOR, 0), wrmsr_safe(MSR_IA32_XSS, BIT_ULL(bad)),
		   "WRMSR IA32_XSS bit %d (not enumerated) raises #GP(0)", bad);
	wrmsr(MSR_IA32_XSS, 0);
	vec_load(pat, false);
	report_exc(0, xsave_safe(area_a, rfbm, 3), "XSAVES of x87 and SSE");
	report_eq_x(BIT_ULL(63) | rfbm, *hdr(area_a, XCOMP_BV_OFF), "XCOMP_BV = bit 63 | RFBM");
	report(image_matches(area_a, pat, false, 0), "XSAVES stores XMM0-15");
	vec_load(zero, false);
	report_exc(0, xsave_safe(area_a, rfbm, 4), "XRSTORS of the image");
	report(regs_equal(pat, false), "XRSTORS loads XMM0-15 back");
	xsave_safe(area_b, rfbm, 0);
	report_exc(EXINFO(GP_VECTOR, 0), xsave_safe(area_b, rfbm, 4),
		   "XRSTORS of a standard-form image raises #GP(0)");
	report_exc(EXINFO(GP_VECTOR, 0), run_in_user(user_xsaves, rfbm),
		   "XSAVES at CPL3 raises #GP(0)");
	wrmsr(MSR_IA32_XSS, old_xss);
}

void xinuse(void)
{
	bool avx;
	uint64_t rfbm = setup(&avx), in;

	vec_load(pat, avx);
	asm volatile("fninit\n\tfld1");
	in = xgetbv(1);
	report_eq_x(rfbm, in & rfbm, "XINUSE (XGETBV(1)) has x87, SSE%s set after writing them",
		    avx ? " and AVX" : "");
	asm volatile("fninit");
}

static void ipi_handler(struct ex_regs *r)
{
	ipis++;
	apic_eoi();
}

void state_interrupt(void)
{
	bool avx = !need_avx();
	handler_t old;

	for (int i = 0; i < 512; i++)
		pat[i] = i * 3 + 11;
	if (avx)
		xsave_enable(XFEATURE_X87 | XFEATURE_SSE | XFEATURE_AVX);
	old = install_exception_handler(IPI_VECTOR, ipi_handler);
	ipis = 0;
	vec_load(pat, avx);
	for (int i = 0; i < NR_IPIS; i++) {
		apic_icr_write(APIC_DEST_SELF | APIC_INT_ASSERT | APIC_DM_FIXED | IPI_VECTOR, 0);
		/* STI's shadow covers HLT: the IPI, pending or not yet, ends the HLT. */
		while (ipis <= (unsigned int)i)
			asm volatile("sti; hlt; cli");
	}
	report(regs_equal(pat, avx), "XMM0-15%s unchanged across %d interrupts",
	       avx ? " and YMM0-15" : "", NR_IPIS);
	report_eq(NR_IPIS, ipis, "every self-IPI was taken");
	install_exception_handler(IPI_VECTOR, old);
}

static bool cpu1_saw;

static void on_cpu1(void *data)
{
	bool avx = *(bool *)data;

	if (avx)
		xsave_enable(XFEATURE_X87 | XFEATURE_SSE | XFEATURE_AVX);
	vec_load(zero, avx);
	asm volatile("fxrstor (%0)" : : "r"(area_a) : "memory");
	cpu1_saw = regs_equal(pat, false);
	if (avx) {
		xrstor_safe(area_b, XFEATURE_X87 | XFEATURE_SSE | XFEATURE_AVX);
		cpu1_saw &= regs_equal(pat, true);
	}
	vec_load(pat2, avx);
	if (avx)
		xsave_safe(area_b, XFEATURE_X87 | XFEATURE_SSE | XFEATURE_AVX, 0);
	else
		asm volatile("fxsave (%0)" : : "r"(area_b) : "memory");
}

/* CPU0's registers saved, restored on CPU1, CPU1's saved and restored on CPU0. */
void state_cpus(void)
{
	bool avx = !need_avx();

	for (int i = 0; i < 512; i++) {
		pat[i] = i * 5 + 3;
		pat2[i] = i * 11 + 7;
	}
	if (avx)
		xsave_enable(XFEATURE_X87 | XFEATURE_SSE | XFEATURE_AVX);
	memset(area_b, 0, sizeof(area_b));
	vec_load(pat, avx);
	asm volatile("fxsave (%0)" : : "r"(area_a) : "memory");
	if (avx)
		xsave_safe(area_b, XFEATURE_X87 | XFEATURE_SSE | XFEATURE_AVX, 0);
	on_cpu(1, on_cpu1, &avx);
	report(cpu1_saw, "CPU1 restores CPU0's registers%s", avx ? " (FXRSTOR, XRSTOR)" : "");
	report(regs_equal(pat, avx), "CPU0's registers unchanged by CPU1's");
	if (avx)
		xrstor_safe(area_b, XFEATURE_X87 | XFEATURE_SSE | XFEATURE_AVX);
	else
		asm volatile("fxrstor (%0)" : : "r"(area_b) : "memory");
	report(regs_equal(pat2, avx), "CPU0 restores CPU1's registers");
}
