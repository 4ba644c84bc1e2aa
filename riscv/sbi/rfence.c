// SPDX-License-Identifier: MIT
/*
 * RFENCE on a remote hart (SBI v2.0 chapter 8): a remote_sfence_vma or
 * remote_sfence_vma_asid (ASID 0, lib's) for one page makes that hart
 * translate the page through its changed entry, a remote_fence_i makes it
 * fetch the instructions stored before the call (privileged architecture
 * 4.2.1; unprivileged Zifencei). Without the fence the hart may use the
 * old translation or code, so only the state after it is checked.
 */
#include "alloc.h"
#include "asm/processor.h"
#include "cpu.h"
#include "report.h"
#include "smp.h"
#include "vm.h"
#include "sbi-test.h"

/* 128 GiB and 2 MiB above: inside Sv39, where lib maps nothing. */
#define DATA_ALIAS	0x2000000000UL
#define CODE_ALIAS	0x2000200000UL

#define INSN_LI_A0(v)	((uint32_t)(v) << 20 | 10 << 7 | 0x13)	/* ADDI a0, zero, v */
#define INSN_RET	0x00008067				/* JALR zero, 0(ra) */

static volatile uint64_t seen;

static void read_alias(void *unused)
{
	seen = *(volatile uint64_t *)DATA_ALIAS;
}

static void run_code(void *unused)
{
	seen = ((uint64_t (*)(void))CODE_ALIAS)();
}

static void map_or_abort(uintptr_t virt, void *page, unsigned int flags)
{
	if (pt_map(virt, (uintptr_t)page, PAGE_SIZE, flags))
		report_abort("cannot map %#lx", (unsigned long)virt);
}

/* @fid: remote_sfence_vma or _asid, for the last CPU, after pointing DATA_ALIAS at @to. */
static void sfence_one(int last, unsigned long fid, uint64_t *to, const char *name)
{
	unsigned long base = hart_base(), mask = 1UL << (cpu_hartid(last) - base);
	struct sbiret r;

	on_cpu(last, read_alias, NULL);
	map_or_abort(DATA_ALIAS, to, PT_RW);
	fence_rw();
	r = sbi_ecall(SBI_EXT_RFENCE, fid, mask, base, DATA_ALIAS, PAGE_SIZE, 0, 0);
	sbi_report_err(SBI_SUCCESS, r.error, "%s of one page on CPU %d succeeds", name, last);
	on_cpu(last, read_alias, NULL);
	report_eq_x(*to, seen, "after %s CPU %d reads the page the entry now names", name,
		    last);
}

static void fence_i_one(int last, uint32_t *code)
{
	unsigned long base = hart_base(), mask = 1UL << (cpu_hartid(last) - base);

	code[0] = INSN_LI_A0(1);
	code[1] = INSN_RET;
	fence_i();
	on_cpu(last, run_code, NULL);
	if (seen != 1)
		report_abort("CPU %d ran code lib wrote before it started (got %lu)", last,
			     (unsigned long)seen);
	code[0] = INSN_LI_A0(2);
	fence_rw();
	sbi_report_err(SBI_SUCCESS, sbi_ecall(SBI_EXT_RFENCE, 0, mask, base, 0, 0, 0, 0).error,
		       "remote_fence_i on CPU %d succeeds", last);
	on_cpu(last, run_code, NULL);
	report_eq(2, seen, "after remote_fence_i CPU %d runs the instruction stored before it",
		  last);
}

void rfence_remote(void)
{
	int last = cpu_count() - 1;
	uint64_t *a = alloc_zeroed_page(), *b = alloc_zeroed_page(), *c = alloc_zeroed_page();
	uint32_t *code = alloc_zeroed_page();

	if (!a || !b || !c || !code)
		report_abort("out of memory for the fence pages");
	if (cpu_hartid(last) - hart_base() >= BITS_PER_LONG)
		report_abort("hart %lu is beyond a hart mask from %lu", cpu_hartid(last),
			     hart_base());
	*a = 0xaaaa;
	*b = 0xbbbb;
	*c = 0xcccc;
	map_or_abort(DATA_ALIAS, a, PT_RW);
	sfence_one(last, 1, b, "remote_sfence_vma");
	sfence_one(last, 2, c, "remote_sfence_vma_asid");
	map_or_abort(CODE_ALIAS, code, PT_RWX);
	fence_i_one(last, code);
	pt_unmap(DATA_ALIAS, PAGE_SIZE);
	pt_unmap(CODE_ALIAS, PAGE_SIZE);
	/* No hart keeps the aliases cached for a later subtest. */
	sbi_ecall(SBI_EXT_RFENCE, 1, all_harts_mask(), hart_base(), 0, 0, 0, 0);
	free_page(a);
	free_page(b);
	free_page(c);
	free_page(code);
}
