// SPDX-License-Identifier: MIT
/*
 * x87 and SIMD faults (SDM vol. 3A 2.5 CR0.MP/EM/TS, CR4.OSXMMEXCPT, 6.15
 * #NM, #MF, #XM; vol. 1 8.7, 10.2.3, 11.5; vol. 2 LDMXCSR, FXRSTOR,
 * WAIT; APM vol. 2 3.1.1, 8.2): CR0.TS = 1 makes x87, SSE and XSAVE raise
 * #NM, and WAIT too when CR0.MP = 1; CR0.EM = 1 makes x87 raise #NM and
 * SSE #UD. LDMXCSR and FXRSTOR of an MXCSR with a bit outside MXCSR_MASK
 * (FXSAVE offset 28; 0 means FFBFH) raise #GP(0). An unmasked SIMD
 * exception raises #XM with CR4.OSXMMEXCPT = 1, else #UD; an unmasked x87
 * exception is delivered as #MF (CR0.NE = 1) at the next waiting x87
 * instruction.
 */
#include "xsave.h"

#define NM	EXINFO(NM_VECTOR, 0)

static exinfo_t ldmxcsr_safe(uint32_t v)
{
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("ldmxcsr %1") : "+r"(ex) : "m"(v) : "memory");
	return ex;
}

void nm_ts(void)
{
	uint64_t cr0 = read_cr0();
	bool xs = !need_xsave();

	if (xs)
		xsave_enable(XFEATURE_X87 | XFEATURE_SSE);
	write_cr0(cr0 | X86_CR0_TS | X86_CR0_MP);
	report_exc(NM, asm_safe("movaps %%xmm0, %%xmm1"), "CR0.TS=1: MOVAPS raises #NM");
	report_exc(NM, asm_safe("fnop"), "CR0.TS=1: FNOP raises #NM");
	report_exc(NM, asm_safe("fwait"), "CR0.TS=1 MP=1: WAIT raises #NM");
	if (xs)
		report_exc(NM, xsave_safe(area_a, XFEATURE_X87 | XFEATURE_SSE, 0),
			   "CR0.TS=1: XSAVE raises #NM");
	write_cr0((cr0 | X86_CR0_TS) & ~X86_CR0_MP);
	report_exc(0, asm_safe("fwait"), "CR0.TS=1 MP=0: WAIT executes");
	asm volatile("clts");
	report_exc(0, asm_safe("movaps %%xmm0, %%xmm1"), "after CLTS: MOVAPS executes");
	report_exc(0, asm_safe("fnop"), "after CLTS: FNOP executes");
	write_cr0(cr0);
}

void nm_em(void)
{
	uint64_t cr0 = read_cr0();

	write_cr0((cr0 | X86_CR0_EM) & ~X86_CR0_TS);
	report_exc(EXINFO(UD_VECTOR, 0), asm_safe("movaps %%xmm0, %%xmm1"),
		   "CR0.EM=1: MOVAPS raises #UD");
	report_exc(NM, asm_safe("fnop"), "CR0.EM=1: FNOP raises #NM");
	report_exc(0, asm_safe("fwait"), "CR0.EM=1 TS=0: WAIT executes");
	write_cr0(cr0);
}

void mxcsr_reserved(void)
{
	uint32_t mask;

	asm volatile("fxsave (%0)" : : "r"(area_a) : "memory");
	mask = *(uint32_t *)(area_a + MXCSR_MASK_OFF);
	if (!mask)
		mask = 0xffbf;
	for (int b = 0; b < 32; b++) {
		exinfo_t want = mask & BIT(b) ? 0 : EXINFO(GP_VECTOR, 0);

		report_exc(want, ldmxcsr_safe(0x1f80 | BIT(b)), "LDMXCSR bit %d%s", b,
			   want ? " (outside MXCSR_MASK) raises #GP(0)" : "");
		ldmxcsr_safe(0x1f80);
	}
	asm volatile("fxsave (%0)" : : "r"(area_b) : "memory");
	*(uint32_t *)(area_b + MXCSR_OFF) = 0x1f80 | BIT(31);
	report_exc(EXINFO(GP_VECTOR, 0), asm_safe("fxrstor area_b(%%rip)"),
		   "FXRSTOR of an MXCSR with bit 31 set raises #GP(0)");
}

/* 1.0 / 0.0 in XMM0 with MXCSR.ZM clear. */
static exinfo_t divss_by_zero(void)
{
	asm volatile("mov $0x3f800000, %%eax\n\tmovd %%eax, %%xmm0\n\txor %%eax, %%eax\n\t"
		     "movd %%eax, %%xmm1" : : : "rax");
	ldmxcsr_safe(0x1f80 & ~BIT(9));
	return asm_safe("divss %%xmm1, %%xmm0");
}

void simd_xm(void)
{
	uint64_t cr4 = read_cr4();
	uint32_t mxcsr;

	write_cr4(cr4 | X86_CR4_OSXMMEXCPT);
	report_exc(EXINFO(XM_VECTOR, 0), divss_by_zero(),
		   "DIVSS by 0 with MXCSR.ZM=0, CR4.OSXMMEXCPT=1 raises #XM");
	asm volatile("stmxcsr %0" : "=m"(mxcsr));
	report_eq_x(BIT(2), mxcsr & BIT(2), "MXCSR.ZE set by the faulting DIVSS");
	write_cr4(cr4 & ~X86_CR4_OSXMMEXCPT);
	report_exc(EXINFO(UD_VECTOR, 0), divss_by_zero(),
		   "the same with CR4.OSXMMEXCPT=0 raises #UD");
	write_cr4(cr4);
	ldmxcsr_safe(0x1f80);
}

void x87_mf(void)
{
	uint16_t cw = 0x37f & ~BIT(2), sw;
	uint64_t cr0 = read_cr0();

	write_cr0(cr0 | X86_CR0_NE);
	asm volatile("fninit\n\tfldcw %0\n\tfldz\n\tfld1\n\tfdiv %%st(1), %%st\n\tfnstsw %1"
		     : : "m"(cw), "m"(sw) : "memory");
	report_eq_x(0x84, sw & 0x84, "FDIV 1/0 with FCW.ZM=0: FSW.ES and FSW.ZE set");
	report_exc(EXINFO(MF_VECTOR, 0), asm_safe("fwait"),
		   "the next WAIT raises #MF (CR0.NE=1)");
	asm volatile("fnclex\n\tfninit");
	report_exc(0, asm_safe("fwait"), "after FNCLEX: WAIT executes");
	write_cr0(cr0);
}
