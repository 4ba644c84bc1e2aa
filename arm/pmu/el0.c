// SPDX-License-Identifier: MIT
/*
 * A minimal way to run a few instructions at EL0 (lib maps nothing for
 * EL0): the sequence is copied to a page mapped EL0-executable (and never
 * executable at EL1) at EL0_CODE_VA, followed by SVC #0. pmu_el0_enter
 * saves the callee-saved registers on the EL1 stack and ERETs to EL0t with
 * x0-x7 loaded; the SVC, or any exception the sequence raises, comes back
 * through lib's vectors to el0_trap(), which points the return at
 * pmu_el0_exit: SP_EL1 is then what it was at the ERET, so pmu_el0_exit
 * finds the saved registers, stores x0-x7 of EL0 and returns from
 * pmu_el0_enter.
 * Arm ARM: AArch64.ExceptionReturn (ERET to EL0, SPSR.M = EL0t), exception
 * entry from a lower EL (ELR_EL1 after an SVC, at the instruction for
 * other synchronous exceptions).
 */
#include "alloc.h"
#include "asm/processor.h"
#include "pmu.h"
#include "vm.h"

/* Far from RAM and from every devicetree region of QEMU virt. */
#define EL0_CODE_VA	0x500000000000UL
#define SVC_0		0xd4000001U

void pmu_el0_enter(uint64_t *x, uintptr_t pc, uint64_t spsr);
extern char pmu_el0_exit[];

asm(".text\n"
	".globl pmu_el0_enter\n"
	"pmu_el0_enter:\n\t"
	"stp	x29, x30, [sp, #-112]!\n\t"
	"mov	x29, sp\n\t"
	"stp	x19, x20, [sp, #16]\n\t"
	"stp	x21, x22, [sp, #32]\n\t"
	"stp	x23, x24, [sp, #48]\n\t"
	"stp	x25, x26, [sp, #64]\n\t"
	"stp	x27, x28, [sp, #80]\n\t"
	"str	x0, [sp, #96]\n\t"
	"msr	elr_el1, x1\n\t"
	"msr	spsr_el1, x2\n\t"
	"ldp	x6, x7, [x0, #48]\n\t"
	"ldp	x4, x5, [x0, #32]\n\t"
	"ldp	x2, x3, [x0, #16]\n\t"
	"ldp	x0, x1, [x0]\n\t"
	"eret\n"
	".globl pmu_el0_exit\n"
	"pmu_el0_exit:\n\t"
	"ldr	x9, [sp, #96]\n\t"
	"stp	x0, x1, [x9]\n\t"
	"stp	x2, x3, [x9, #16]\n\t"
	"stp	x4, x5, [x9, #32]\n\t"
	"stp	x6, x7, [x9, #48]\n\t"
	"ldp	x19, x20, [sp, #16]\n\t"
	"ldp	x21, x22, [sp, #32]\n\t"
	"ldp	x23, x24, [sp, #48]\n\t"
	"ldp	x25, x26, [sp, #64]\n\t"
	"ldp	x27, x28, [sp, #80]\n\t"
	"ldp	x29, x30, [sp], #112\n\t"
	"ret");

/* What an EL0 sequence of these tests can raise; anything else stays unexpected. */
static const unsigned int el0_ecs[] = {
	ESR_EC_UNKNOWN, ESR_EC_SYS64, ESR_EC_SVC64, ESR_EC_IABT_LOW, ESR_EC_DABT_LOW,
	ESR_EC_PC_ALIGN, ESR_EC_SP_ALIGN, ESR_EC_BRK64,
};

static uintptr_t el0_end;
static uint64_t el1_pstate;
static exinfo_t el0_result;

static void el0_trap(struct ex_regs *r)
{
	if (r->vector != EXC_EL0_64 + EXC_SYNC)
		report_abort("EL1 exception %#lx during an EL0 run", r->esr);
	if (esr_ec(r->esr) == ESR_EC_SVC64 && r->pc == el0_end && !(r->esr & 0xffff))
		el0_result = 0;
	else
		el0_result = esr_exinfo(r->esr);
	r->pc = (uintptr_t)pmu_el0_exit;
	r->pstate = el1_pstate;
}

exinfo_t el0_run(const uint32_t *code, const uint32_t *end, uint64_t x[8])
{
	static uint32_t *page;
	size_t n = end - code;
	handler_t old[ARRAY_SIZE(el0_ecs)];
	uint64_t daif = read_sysreg(daif);

	if ((n + 1) * 4 > PAGE_SIZE)
		report_abort("EL0 sequence of %zu instructions does not fit a page", n);
	if (!page) {
		page = alloc_page();
		pt_map(EL0_CODE_VA, (uintptr_t)page, PAGE_SIZE, PT_R | PT_X | PT_USER);
	}
	memcpy(page, code, n * 4);
	page[n] = SVC_0;
	dcache_clean_poc(page, (n + 1) * 4);
	asm volatile("ic iallu\n\tdsb ish\n\tisb" : : : "memory");

	el0_end = EL0_CODE_VA + (n + 1) * 4;
	el1_pstate = daif | SPSR_MODE_EL1H;
	for (size_t i = 0; i < ARRAY_SIZE(el0_ecs); i++)
		old[i] = install_exception_handler(el0_ecs[i], el0_trap);
	pmu_el0_enter(x, EL0_CODE_VA, daif | SPSR_MODE_EL0T);
	for (size_t i = 0; i < ARRAY_SIZE(el0_ecs); i++)
		install_exception_handler(el0_ecs[i], old[i]);
	return el0_result;
}
