// SPDX-License-Identifier: MIT
/*
 * Segment and table bases in 64-bit mode (SDM vol. 3A 3.4.4, 3.5.2, 7.2.3;
 * vol. 2 LGDT/LIDT, LLDT, LTR, WRFSBASE/WRGSBASE, RDFSBASE/RDGSBASE,
 * SWAPGS, WRMSR; APM vol. 2 4.6.2, 4.8.2, 12.4; vol. 3 LGDT/LIDT): a base
 * must be canonical, whichever way it is loaded: LGDT and LIDT raise
 * #GP(0), LLDT and LTR #GP(selector) for a descriptor with a non-canonical
 * base (or a type in the upper half of the 16-byte descriptor), WRFSBASE,
 * WRGSBASE and WRMSR to FS_BASE, GS_BASE, KERNEL_GS_BASE #GP(0). The
 * instructions and the MSRs are two views of one base; SWAPGS exchanges
 * GS_BASE and KERNEL_GS_BASE and raises #GP(0) outside CPL0; the
 * FSGSBASE instructions raise #UD while CR4.FSGSBASE = 0.
 */
#include "descriptors.h"
#include "user.h"

#define NONCANON	(1ULL << 63)
#define CANON_HIGH	0xffff800000000000ULL
#define SEL_TSS2	(SEL_FREE + 0x00)	/* 16 bytes */
#define SEL_LDT2	(SEL_FREE + 0x10)	/* 16 bytes */

static exinfo_t lgdt_safe(const struct desc_ptr *p)
{
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("lgdt %1") : "+r"(ex) : "m"(*p) : "memory");
	return ex;
}

static exinfo_t lidt_safe(const struct desc_ptr *p)
{
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("lidt %1") : "+r"(ex) : "m"(*p) : "memory");
	return ex;
}

void base_gdtr_idtr(void)
{
	struct desc_ptr g, i, bad = { 0xfff, NONCANON }, high = { 0xfff, CANON_HIGH }, got;

	asm volatile("sgdt %0; sidt %1" : "=m"(g), "=m"(i));
	report_exc(EXINFO(GP_VECTOR, 0), lgdt_safe(&bad),
		   "LGDT of a non-canonical base raises #GP(0)");
	asm volatile("sgdt %0" : "=m"(got));
	lgdt_safe(&g);
	report_eq_x(g.base, got.base, "GDTR keeps its base after the faulting LGDT");
	report_exc(EXINFO(GP_VECTOR, 0), lidt_safe(&bad),
		   "LIDT of a non-canonical base raises #GP(0)");
	asm volatile("sidt %0" : "=m"(got));
	lidt_safe(&i);
	report_eq_x(i.base, got.base, "IDTR keeps its base after the faulting LIDT");
	/* Nothing may use the tables in between: interrupts are off, no access faults. */
	asm volatile("lgdt %1; sgdt %0; lgdt %2" : "=m"(got) : "m"(high), "m"(g) : "memory");
	report_eq_x(CANON_HIGH, got.base, "LGDT of a canonical upper-half base loads it");
	asm volatile("lidt %1; sidt %0; lidt %2" : "=m"(got) : "m"(high), "m"(i) : "memory");
	report_eq_x(CANON_HIGH, got.base, "LIDT of a canonical upper-half base loads it");
}

static exinfo_t ltr_safe(uint16_t sel)
{
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("ltr %w1") : "+r"(ex) : "r"(sel) : "memory");
	return ex;
}

static exinfo_t lldt_safe(uint16_t sel)
{
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("lldt %w1") : "+r"(ex) : "r"(sel) : "memory");
	return ex;
}

/* TR back to lib's TSS (busy in the private GDT copy: clear it first). */
static void tr_restore(void)
{
	gdt[TSS_SEL / 8] &= ~(2ULL << 40);
	ltr_safe(TSS_SEL);
}

void base_ltr(void)
{
	uintptr_t tss = (uintptr_t)current_tss();
	uint16_t tr;
	exinfo_t ex;

	gdt_enter();
	sys_desc(SEL_TSS2, T_TSS, 0, true, NONCANON | tss, 0x67);
	ex = ltr_safe(SEL_TSS2);
	report_exc(EXINFO(GP_VECTOR, SEL_TSS2), ex,
		   "LTR of a TSS with a non-canonical base raises #GP(selector)");
	if (!ex)
		tr_restore();
	sys_desc(SEL_TSS2, T_TSS, 0, true, tss, 0x67);
	gdt[SEL_TSS2 / 8 + 1] |= (uint64_t)T_TSS << 40;
	ex = ltr_safe(SEL_TSS2);
	report_exc(EXINFO(GP_VECTOR, SEL_TSS2), ex,
		   "LTR of a TSS descriptor with a type in its upper half raises #GP(selector)");
	if (!ex)
		tr_restore();
	sys_desc(SEL_TSS2, T_TSS, 0, true, tss, 0x67);
	report_exc(0, ltr_safe(SEL_TSS2), "LTR of an available TSS with a canonical base");
	asm volatile("str %0" : "=r"(tr));
	report_eq_x(SEL_TSS2, tr, "STR returns the selector LTR loaded");
	report_eq_x(0xb, gdt[SEL_TSS2 / 8] >> 40 & 0xf, "LTR marks the TSS descriptor busy");
	tr_restore();
	gdt_leave();
}

void base_lldt(void)
{
	static uint64_t ldt[2];
	uint16_t ldtr;

	gdt_enter();
	sys_desc(SEL_LDT2, T_LDT, 0, true, NONCANON | (uintptr_t)ldt, 15);
	report_exc(EXINFO(GP_VECTOR, SEL_LDT2), lldt_safe(SEL_LDT2),
		   "LLDT of an LDT with a non-canonical base raises #GP(selector)");
	sys_desc(SEL_LDT2, T_LDT, 0, true, (uintptr_t)ldt, 15);
	gdt[SEL_LDT2 / 8 + 1] |= (uint64_t)T_LDT << 40;
	report_exc(EXINFO(GP_VECTOR, SEL_LDT2), lldt_safe(SEL_LDT2),
		   "LLDT of an LDT descriptor with a type in its upper half raises #GP(selector)");
	sys_desc(SEL_LDT2, T_LDT, 0, true, (uintptr_t)ldt, 15);
	report_exc(0, lldt_safe(SEL_LDT2), "LLDT of an LDT with a canonical base");
	asm volatile("sldt %0" : "=r"(ldtr));
	report_eq_x(SEL_LDT2, ldtr, "SLDT returns the selector LLDT loaded");
	report_exc(0, lldt_safe(0), "LLDT of the null selector");
	gdt_leave();
}

const char *need_fsgsbase(void)
{
	return this_cpu_has(X86_FEATURE_FSGSBASE) ? NULL :
	       "FSGSBASE (CPUID.7.0:EBX[0]) not supported";
}

#define FSGS_WRITE(name, insn)							\
	static exinfo_t name(uint64_t v)					\
	{									\
		DECLARE_EXINFO(ex);						\
		asm volatile(ASM_TRY(insn " %1") : "+r"(ex) : "r"(v) : "memory"); \
		return ex;							\
	}
#define FSGS_READ(name, insn)							\
	static exinfo_t name(uint64_t *v)					\
	{									\
		DECLARE_EXINFO(ex);						\
		uint64_t r = 0;							\
		asm volatile(ASM_TRY(insn " %1") : "+r"(ex), "+r"(r) : : "memory"); \
		*v = r;								\
		return ex;							\
	}
FSGS_WRITE(wrfsbase_safe, "wrfsbase")
FSGS_WRITE(wrgsbase_safe, "wrgsbase")
FSGS_READ(rdfsbase_safe, "rdfsbase")
FSGS_READ(rdgsbase_safe, "rdgsbase")

static uint64_t user_fs_base;

/* At CPL3: WRFSBASE of @v then RDFSBASE into user_fs_base. */
static uint64_t user_wrfsbase(uint64_t v)
{
	exinfo_t ex = wrfsbase_safe(v);

	return ex ? ex : rdfsbase_safe(&user_fs_base);
}

static void fsgs_disabled(void)
{
	uint64_t v;

	report_exc(EXINFO(UD_VECTOR, 0), wrfsbase_safe(0),
		   "WRFSBASE with CR4.FSGSBASE=0 raises #UD");
	report_exc(EXINFO(UD_VECTOR, 0), rdgsbase_safe(&v),
		   "RDGSBASE with CR4.FSGSBASE=0 raises #UD");
	report_exc(EXINFO(UD_VECTOR, 0), run_in_user(user_wrfsbase, 0),
		   "WRFSBASE at CPL3 with CR4.FSGSBASE=0 raises #UD" REPORT_HOST_DECIDES);
}

void base_fsgs(void)
{
	uint64_t cr4 = read_cr4(), v = 0;

	write_cr4(cr4 & ~X86_CR4_FSGSBASE);
	fsgs_disabled();
	write_cr4(cr4 | X86_CR4_FSGSBASE);
	report_exc(0, wrfsbase_safe(0x123456789000ULL), "WRFSBASE of a canonical base");
	report_eq_x(0x123456789000ULL, rdmsr(MSR_FS_BASE), "FS_BASE holds what WRFSBASE wrote");
	wrmsr(MSR_GS_BASE, CANON_HIGH | 0x5000);
	report(!rdgsbase_safe(&v) && v == (CANON_HIGH | 0x5000),
	       "RDGSBASE returns what WRMSR wrote to GS_BASE");
	report_exc(EXINFO(GP_VECTOR, 0), wrfsbase_safe(NONCANON),
		   "WRFSBASE of a non-canonical base raises #GP(0)");
	report_exc(EXINFO(GP_VECTOR, 0), wrgsbase_safe(0x0000800000000000ULL),
		   "WRGSBASE of a non-canonical base raises #GP(0)");
	rdfsbase_safe(&v);
	report_eq_x(0x123456789000ULL, v, "FS base unchanged by the faulting WRFSBASE");
	report_exc(0, run_in_user(user_wrfsbase, 0x7000),
		   "WRFSBASE and RDFSBASE at CPL3 with CR4.FSGSBASE=1" REPORT_HOST_DECIDES);
	report_eq_x(0x7000, user_fs_base, "RDFSBASE at CPL3 returns what WRFSBASE wrote"
		    REPORT_HOST_DECIDES);
	wrmsr(MSR_FS_BASE, 0);
	wrmsr(MSR_GS_BASE, 0);
	write_cr4(cr4);
}

static uint64_t user_swapgs(uint64_t unused)
{
	return asm_safe("swapgs");
}

void base_swapgs(void)
{
	const uint32_t msrs[] = { MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE };
	const char *const names[] = { "FS_BASE", "GS_BASE", "KERNEL_GS_BASE" };

	for (size_t i = 0; i < ARRAY_SIZE(msrs); i++)
		report_exc(EXINFO(GP_VECTOR, 0), wrmsr_safe(msrs[i], NONCANON | 0x1000),
			   "WRMSR of a non-canonical %s raises #GP(0)", names[i]);
	wrmsr(MSR_GS_BASE, 0x1000);
	wrmsr(MSR_KERNEL_GS_BASE, 0x2000);
	asm volatile("swapgs" : : : "memory");
	report_eq_x(0x2000, rdmsr(MSR_GS_BASE), "SWAPGS moves KERNEL_GS_BASE into GS_BASE");
	report_eq_x(0x1000, rdmsr(MSR_KERNEL_GS_BASE), "SWAPGS moves GS_BASE into KERNEL_GS_BASE");
	report_exc(EXINFO(GP_VECTOR, 0), run_in_user(user_swapgs, 0),
		   "SWAPGS at CPL3 raises #GP(0)");
	wrmsr(MSR_GS_BASE, 0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}
