// SPDX-License-Identifier: MIT
/*
 * The private GDT and the runner at CPL 0 to 3 of the descriptors image.
 * lib's GDT is per CPU and holds its TSS; the copy keeps TR's descriptor
 * (busy) so the TSS stays in use, and adds the segments CPL1 and CPL2 run
 * on. smp_id() finds this CPU by CPUID while the copy is loaded.
 */
#include "arch.h"
#include "descriptors.h"
#include "usermode.h"

uint64_t gdt[GDT_ENTRIES] __aligned(16);
static struct desc_ptr saved;

uint64_t seg_desc(unsigned int type, int dpl, bool present, bool l)
{
	uint64_t d = 0xffffULL | 0xfULL << 48 | BIT_ULL(55) | (uint64_t)type << 40 | BIT_ULL(44) |
		     (uint64_t)dpl << 45 | (present ? BIT_ULL(47) : 0);

	return d | (l ? BIT_ULL(53) : BIT_ULL(54));
}

void sys_desc(uint16_t sel, unsigned int type, int dpl, bool present, uint64_t base,
	      uint32_t limit)
{
	gdt[sel / 8] = (limit & 0xffff) | (base & 0xffffff) << 16 | (uint64_t)type << 40 |
		       (uint64_t)dpl << 45 | (present ? BIT_ULL(47) : 0) |
		       (uint64_t)(limit >> 16 & 0xf) << 48 | (base >> 24 & 0xff) << 56;
	gdt[sel / 8 + 1] = base >> 32;
}

void call_gate(uint16_t sel, int dpl, bool present, uint16_t target, uint64_t offset)
{
	gdt[sel / 8] = (offset & 0xffff) | (uint64_t)target << 16 | (uint64_t)T_CALL_GATE << 40 |
		       (uint64_t)dpl << 45 | (present ? BIT_ULL(47) : 0) |
		       (offset >> 16 & 0xffff) << 48;
	gdt[sel / 8 + 1] = offset >> 32;
}

void gdt_enter(void)
{
	struct desc_ptr mine = { sizeof(gdt) - 1, (uintptr_t)gdt };

	asm volatile("sgdt %0" : "=m"(saved));
	if (saved.limit + 1 > SEL_CS1)
		report_abort("lib's GDT grew into the test's descriptors (limit %#x)", saved.limit);
	memset(gdt, 0, sizeof(gdt));
	memcpy(gdt, (void *)saved.base, saved.limit + 1);
	gdt[SEL_CS1 / 8] = seg_desc(T_CODE_R, 1, true, true);
	gdt[SEL_SS1 / 8] = seg_desc(T_DATA_RW, 1, true, false);
	gdt[SEL_CS2 / 8] = seg_desc(T_CODE_R, 2, true, true);
	gdt[SEL_SS2 / 8] = seg_desc(T_DATA_RW, 2, true, false);
	asm volatile("lgdt %0" : : "m"(mine) : "memory");
}

void gdt_leave(void)
{
	asm volatile("lgdt %0" : : "m"(saved) : "memory");
}

uint16_t cpl_cs(int cpl)
{
	static const uint16_t cs[] = { KERNEL_CS, SEL_CS1 | 1, SEL_CS2 | 2, USER_CS | 3 };

	return cs[cpl];
}

uint16_t cpl_ss(int cpl)
{
	static const uint16_t ss[] = { KERNEL_DS, SEL_SS1 | 1, SEL_SS2 | 2, USER_DS | 3 };

	return ss[cpl];
}

uint64_t run_cpl(int cpl, uint64_t (*fn)(uint64_t), uint64_t arg)
{
	if (!cpl)
		return fn(arg);
	return run_at_cpl(cpl_cs(cpl), cpl_ss(cpl), fn, arg);
}

uint8_t *current_tss(void)
{
	struct desc_ptr g;
	uint16_t tr;
	const uint64_t *t;

	asm volatile("sgdt %0; str %1" : "=m"(g), "=r"(tr));
	t = (const uint64_t *)g.base + (tr >> 3);
	return (uint8_t *)(uintptr_t)((t[0] >> 16 & 0xffffff) | (t[0] >> 56 & 0xff) << 24 |
				      (t[1] & 0xffffffff) << 32);
}

const char *exc_str(exinfo_t ex, char *buf, size_t len)
{
	return arch_exinfo_str(ex, buf, len);
}
