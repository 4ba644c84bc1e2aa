// SPDX-License-Identifier: MIT
/*
 * 5-level paging (SDM vol. 3A 4.1.1, 4.5, 3.3.7.1; APM vol. 2 5.3.1): the
 * switch into and out of it (possible only outside IA-32e mode, see
 * paging.h), a translation through a PML5 entry, and the canonical rule of
 * 57-bit addresses: bits 63:56 equal (an address with bit 56 set and 63:57
 * clear raises #GP(0) on access and on WRMSR to FS_BASE, one with bit 48
 * set is fine), while under 4-level paging bit 48 alone is non-canonical.
 * Each CPU has its own paging mode.
 */
#include "pf.h"
#include "smp.h"

#define VA57		(1ULL << 48)		/* PML5 slot 1 */
#define NONCANON57	(1ULL << 56)		/* bit 56 set, 63:57 clear */
#define HIGH57		0xff00000000000000ULL	/* canonical, nothing mapped there */

const char *need_la57(void)
{
	return this_cpu_has(X86_FEATURE_LA57) ? NULL : "LA57 (CPUID.7.0:ECX[16]) not supported";
}

static exinfo_t fs_base_safe(uint64_t v)
{
	exinfo_t ex = wrmsr_safe(MSR_FS_BASE, v);

	wrmsr(MSR_FS_BASE, 0);
	return ex;
}

/* The checks under 5-level paging; @frame is mapped at VA57. */
static void in_la57(const uint64_t *frame)
{
	uint64_t v = 0;
	exinfo_t ex;

	report_exc(0, read_safe(VA57, &v), "a read through PML5 entry 1 raises no exception");
	report_eq_x(*frame, v, "a read through PML5 entry 1 returns the mapped frame's data");
	report_exc(EXINFO(GP_VECTOR, 0), read_safe(NONCANON57, &v),
		   "a read of an address with bit 56 set and 63:57 clear raises #GP(0)");
	ex = read_safe(HIGH57, &v);
	report_exc(EXINFO(PF_VECTOR, 0), ex,
		   "a read of unmapped 0xff00000000000000 (canonical) raises #PF(0), not #GP");
	if (ex == EXINFO(PF_VECTOR, 0))
		report_eq_x(HIGH57, read_cr2(), "CR2 holds the 57-bit faulting address");
	report_exc(0, fs_base_safe(VA57), "WRMSR FS_BASE of 1 << 48 raises no exception");
	report_exc(EXINFO(GP_VECTOR, 0), fs_base_safe(NONCANON57),
		   "WRMSR FS_BASE of 1 << 56 (non-canonical) raises #GP(0)");
	report_exc(0, invlpg_safe(NONCANON57), "INVLPG of a non-canonical address is a NOP");
}

void la57_switch(void)
{
	uint64_t *frame = alloc_page();
	uint64_t v = 0;

	if (!frame)
		report_abort("out of memory for the test frame");
	*frame = VAL_A;
	report_eq(57, cpuid_linear_bits(),
		  "CPUID.80000008H:EAX[15:8] reports 57 linear-address bits");
	report_exc(EXINFO(GP_VECTOR, 0), write_cr4_safe(read_cr4() | X86_CR4_LA57),
		   "MOV to CR4 setting LA57 in IA-32e mode raises #GP(0)");
	paging_la57_enter();
	if (report(paging_la57_active(), "CR4.LA57 reads 1 after the switch with paging off")) {
		if (pt_map(VA57, (uintptr_t)frame, PAGE_SIZE, PT_RW))
			report_abort("cannot map the 57-bit test address");
		in_la57(frame);
		report_exc(EXINFO(GP_VECTOR, 0), write_cr4_safe(read_cr4() & ~X86_CR4_LA57),
			   "MOV to CR4 clearing LA57 in IA-32e mode raises #GP(0)");
		pt_unmap(VA57, PAGE_SIZE);
		paging_la57_leave();
	}
	report(!paging_la57_active(), "CR4.LA57 reads 0 after the switch back");
	report_exc(EXINFO(GP_VECTOR, 0), read_safe(VA57, &v),
		   "under 4-level paging a read of 1 << 48 (non-canonical) raises #GP(0)");
	report_exc(EXINFO(GP_VECTOR, 0), fs_base_safe(VA57),
		   "under 4-level paging WRMSR FS_BASE of 1 << 48 raises #GP(0)");
	free_page(frame);
}

struct la57_cpu {
	uint64_t *frame;
	exinfo_t ex;
	uint64_t v;
	bool active;
};

static void cpu_la57_read(void *p)
{
	struct la57_cpu *c = p;

	paging_la57_enter();
	c->active = paging_la57_active();
	pt_map(VA57, (uintptr_t)c->frame, PAGE_SIZE, PT_RW);
	c->ex = read_safe(VA57, &c->v);
}

static void cpu_la57_leave(void *p)
{
	pt_unmap(VA57, PAGE_SIZE);
	paging_la57_leave();
}

/* The last CPU runs 5-level paging while CPU 0 stays in 4-level paging. */
void la57_per_cpu(void)
{
	struct la57_cpu c = { .frame = alloc_page() };
	int last = cpu_count() - 1;
	uint64_t v;

	if (!c.frame)
		report_abort("out of memory for the test frame");
	*c.frame = VAL_B;
	on_cpu(last, cpu_la57_read, &c);
	report(c.active, "cpu%d: CR4.LA57 reads 1 after its switch", last);
	report(!c.ex && c.v == VAL_B, "cpu%d: a read through its PML5 entry 1 works", last);
	report(!paging_la57_active(), "cpu0: CR4.LA57 still reads 0");
	report_exc(EXINFO(GP_VECTOR, 0), read_safe(VA57, &v),
		   "cpu0: a read of 1 << 48 still raises #GP(0) (4-level paging)");
	on_cpu(last, cpu_la57_leave, NULL);
	free_page(c.frame);
}
