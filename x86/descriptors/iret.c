// SPDX-License-Identifier: MIT
/*
 * IRET in 64-bit mode (SDM vol. 2 IRET operation and "64-bit mode"
 * exceptions, vol. 3A 6.14.3; APM vol. 2 8.9.3): IRETQ always pops SS:RSP,
 * also to the same level; to an outer level it takes CPL = CS.RPL and
 * checks, in this order of what is tested: a null SS only when returning to
 * CPL3 (#GP(0)), SS.RPL = CS.RPL (#GP(SS)), a non-conforming CS with
 * DPL = RPL (#GP(CS)), a data segment as CS (#GP(CS)), CS present (#NP(CS)),
 * SS.DPL = RPL (#GP(SS)), a canonical RIP (#GP(0)); and never to an inner
 * level (#GP(CS)).
 */
#include "descriptors.h"
#include "usermode.h"

#define SEL_CS3_NP	(SEL_FREE + 0x00)	/* 64-bit code, DPL3, not present */
#define SEL_DATA3	(SEL_FREE + 0x08)	/* data, DPL3 */

/* Where a wrongly accepted IRET lands: a UD2 at CPL3 ends the test. */
asm(".pushsection " USER_TEXT "\n"
	"iret_landing:\n\tud2\n"
	".popsection");
extern char iret_landing[];

/* The CS and SS this code runs with, as (SS << 16) | CS. */
static uint64_t read_cs_ss(uint64_t unused)
{
	uint16_t cs, ss;

	asm volatile("mov %%cs, %0; mov %%ss, %1" : "=r"(cs), "=r"(ss));
	return (uint64_t)ss << 16 | cs;
}

/* IRETQ to the next instruction at this level; returns whether RSP came back. */
static uint64_t iret_same(uint64_t unused)
{
	uint64_t before, after;

	asm volatile("mov %%rsp, %0\n\t"
		     "mov %%ss, %%eax\n\tpush %%rax\n\tpush %0\n\tpushf\n\t"
		     "mov %%cs, %%eax\n\tpush %%rax\n\tlea 1f(%%rip), %%rax\n\tpush %%rax\n\t"
		     "iretq\n1:\n\tmov %%rsp, %1"
		     : "=&r"(before), "=r"(after) : : "rax", "memory");
	return before == after;
}

void iret_levels(void)
{
	gdt_enter();
	report(run_cpl(0, iret_same, 0), "IRETQ at CPL0 to CPL0 pops SS:RSP too");
	report(run_cpl(3, iret_same, 0), "IRETQ at CPL3 to CPL3 pops SS:RSP too");
	for (int cpl = 1; cpl < 4; cpl++) {
		uint64_t got = run_cpl(cpl, read_cs_ss, 0);

		report_eq_x(cpl_cs(cpl), got & 0xffff, "IRETQ from CPL0 to CPL%d loads its CS",
			    cpl);
		report_eq_x(cpl_ss(cpl), got >> 16, "IRETQ from CPL0 to CPL%d loads its SS", cpl);
	}
	gdt_leave();
}

/* IRETQ with the frame (@rip, @cs, @ss), RSP = the current one. */
static exinfo_t iret_frame(uint64_t rip, uint64_t cs, uint64_t ss)
{
	DECLARE_EXINFO(ex);

	asm volatile("mov %%rsp, %%r11\n\t"
		     "push %[ss]\n\tpush %%r11\n\tpushf\n\tpush %[cs]\n\tpush %[rip]\n\t"
		     ASM_TRY("iretq")
		     "mov %%r11, %%rsp"
		     : "+r"(ex) : [ss] "r"(ss), [cs] "r"(cs), [rip] "r"(rip) : "r11", "memory");
	return ex;
}

static uintptr_t nc_resume;
static bool nc_landed;

/* A #GP at the non-canonical RIP: IRETQ took it. Resume after the IRETQ block. */
static void nc_gp(struct ex_regs *r)
{
	if (r->rip != 1ULL << 63)
		report_abort("unexpected #GP(%#lx) at %#lx", r->error_code, r->rip);
	nc_landed = true;
	r->rip = nc_resume;
	r->r15 = EXINFO(GP_VECTOR, 0);
}

/* IRETQ to a non-canonical RIP faults at the IRETQ, not at the new RIP. */
static void iret_noncanonical(void)
{
	handler_t old = install_exception_handler(GP_VECTOR, nc_gp);
	DECLARE_EXINFO(ex);

	nc_landed = false;
	asm volatile("lea 2f(%%rip), %%rax\n\tmov %%rax, %[resume]\n\t"
		     "mov %%rsp, %%r11\n\t"
		     "push %[ss]\n\tpush %%r11\n\tpushf\n\tpush %[cs]\n\tpush %[rip]\n\t"
		     ASM_TRY("iretq")
		     "mov %%r11, %%rsp"
		     : "+r"(ex), [resume] "=m"(nc_resume)
		     : [ss] "i"(KERNEL_DS), [cs] "i"(KERNEL_CS), [rip] "r"(1ULL << 63)
		     : "rax", "r11", "memory");
	install_exception_handler(GP_VECTOR, old);
	report_decoded(ex == EXINFO(GP_VECTOR, 0) && !nc_landed, "#GP(0x0) at the IRETQ",
		       nc_landed ? "#GP(0x0) at the new RIP" : "no exception",
		       "IRETQ at CPL0 to a non-canonical RIP: #GP(0x0)");
}

static uint64_t iret_to_cpl0(uint64_t unused)
{
	return iret_frame((uintptr_t)iret_landing, KERNEL_CS, KERNEL_DS);
}

static void iret_fault(uint64_t cs, uint64_t ss, uint64_t rip, exinfo_t want, const char *what)
{
	char e[32];

	report_exc(want, iret_frame(rip, cs, ss), "IRETQ at CPL0 %s: %s", what,
		   exc_str(want, e, sizeof(e)));
}

void iret_faults(void)
{
	uintptr_t land = (uintptr_t)iret_landing;

	gdt_enter();
	gdt[SEL_CS3_NP / 8] = seg_desc(T_CODE_R, 3, false, true);
	gdt[SEL_DATA3 / 8] = seg_desc(T_DATA_RW, 3, true, false);
	iret_fault(USER_CS | 3, 3, land, EXINFO(GP_VECTOR, 0), "to CPL3 with a null SS");
	iret_fault(USER_CS | 3, KERNEL_DS, land, EXINFO(GP_VECTOR, KERNEL_DS),
		   "with SS.RPL 0 and CS.RPL 3");
	iret_fault(SEL_CS1 | 3, USER_DS | 3, land, EXINFO(GP_VECTOR, SEL_CS1),
		   "to a DPL1 non-conforming CS with RPL 3");
	iret_fault(SEL_DATA3 | 3, USER_DS | 3, land, EXINFO(GP_VECTOR, SEL_DATA3),
		   "to a data segment as CS");
	iret_fault(SEL_CS3_NP | 3, USER_DS | 3, land, EXINFO(NP_VECTOR, SEL_CS3_NP),
		   "to a CS not present");
	iret_fault(USER_CS | 3, SEL_SS1 | 3, land, EXINFO(GP_VECTOR, SEL_SS1),
		   "with a DPL1 SS and RPL 3");
	iret_noncanonical();
	report_exc(EXINFO(GP_VECTOR, KERNEL_CS), run_cpl(3, iret_to_cpl0, 0),
		   "IRETQ at CPL3 to CPL0: #GP(0x8)");
	gdt_leave();
}
