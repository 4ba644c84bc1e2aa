// SPDX-License-Identifier: MIT
/*
 * Far calls and returns through 64-bit call gates, and to conforming code
 * (SDM vol. 3A 5.8.3-5.8.6, vol. 2 CALL and RET "far" operation; APM vol. 2
 * 4.11.2, 4.13): a CALL through a gate to more privileged code switches to
 * the stack of the new CPL from the TSS and pushes the old SS, RSP, CS and
 * RIP, eight bytes each; RET far back to the outer level pops all four. A
 * conforming target keeps the CPL and the stack. Faults: the gate's DPL
 * below CPL or RPL (#GP(gate)), a gate not present (#NP(gate)), a target
 * more privileged than a conforming rule allows or with DPL above CPL,
 * or not 64-bit code (#GP(target)), a gate whose upper half has a type
 * (#GP(gate)); RET far to an inner level (#GP(CS)).
 */
#include "alloc.h"
#include "descriptors.h"

#define GATE_TO0	(SEL_FREE + 0x00)	/* DPL3 gate to CPL0 64-bit code */
#define GATE_TO1	(SEL_FREE + 0x10)	/* DPL3 gate to CPL1 code */
#define GATE_DPL0	(SEL_FREE + 0x20)	/* DPL0 gate to CPL0 code */
#define GATE_NP		(SEL_FREE + 0x30)	/* DPL3 gate, not present */
#define GATE_TO32	(SEL_FREE + 0x40)	/* DPL3 gate to 32-bit code */
#define GATE_UPPER	(SEL_FREE + 0x50)	/* DPL3 gate with a type in its upper half */
#define GATE_TO3	(SEL_FREE + 0x60)	/* DPL3 gate to CPL3 code (DPL above CPL0) */
#define GATE_DPL2	(SEL_FREE + 0x70)	/* DPL2 gate to CPL0 code */
#define GATE_TOCONF	(SEL_FREE + 0x80)	/* DPL3 gate to conforming DPL0 code */
#define SEL_CONF	(SEL_FREE + 0x90)	/* conforming 64-bit code, DPL0 */

/* What the gate target saw: its RSP, the four quadwords there, its CS. */
struct gate_frame {
	uint64_t rsp, rip, cs, old_rsp, old_ss, my_cs;
};
struct gate_frame gframe;

/*
 * gate_target: the far-call target of every gate; records the frame and
 * returns with RET far (64-bit: a 64-bit gate pushes quadwords).
 * gate_target32: the target of a direct CALL far (m16:32, which pushes
 * CS and EIP as doublewords in 64-bit mode); returns with a 32-bit RET far.
 * Both clobber rax.
 */
asm(".pushsection .text\n"
	"gate_target:\n\t"
	"mov %rsp, gframe(%rip)\n\t"
	"mov 0(%rsp), %rax\n\tmov %rax, gframe+8(%rip)\n\t"
	"mov 8(%rsp), %rax\n\tmov %rax, gframe+16(%rip)\n\t"
	"mov 16(%rsp), %rax\n\tmov %rax, gframe+24(%rip)\n\t"
	"mov 24(%rsp), %rax\n\tmov %rax, gframe+32(%rip)\n\t"
	"mov %cs, %eax\n\tmov %rax, gframe+40(%rip)\n\t"
	"lretq\n"
	"gate_target32:\n\t"
	"mov %cs, %eax\n\tmov %rax, gframe+40(%rip)\n\t"
	"mov %rsp, gframe(%rip)\n\t"
	"lretl\n"
	".popsection");
extern char gate_target[], gate_target32[];

/*
 * far_call(sel): CALL far through @sel (m16:32; the offset is the return
 * landing for a non-gate target and ignored for a gate). Returns the exinfo,
 * with RSP at the call in *call_rsp and the return address in *ret.
 */
static uint64_t call_rsp, call_ret;

static exinfo_t far_call(uint16_t sel, const void *target)
{
	DECLARE_EXINFO(ex);
	uint32_t ptr[2] = { (uint32_t)(uintptr_t)target, sel };

	asm volatile("lea 2f(%%rip), %%rax\n\t"
		     "mov %%rax, %[ret]\n\t"
		     "mov %%rsp, %[rsp]\n\t"
		     ASM_TRY("lcall *%[ptr]")
		     : "+r"(ex), [ret] "=m"(call_ret), [rsp] "=m"(call_rsp)
		     : [ptr] "m"(ptr)
		     : "rax", "memory");
	return ex;
}

static uint64_t call_at_cpl(uint64_t sel)
{
	return far_call(sel, gate_target);
}

static uint64_t call32_at_cpl(uint64_t sel)
{
	return far_call(sel, gate_target32);
}

static void gates_setup(void)
{
	static uint64_t rsp1;
	uint8_t *tss = current_tss();

	if (!rsp1) {
		rsp1 = (uintptr_t)alloc_page();
		if (!rsp1)
			report_abort("out of memory for the CPL1 stack");
		rsp1 += PAGE_SIZE;
	}

	gdt_enter();
	call_gate(GATE_TO0, 3, true, KERNEL_CS, (uintptr_t)gate_target);
	call_gate(GATE_TO1, 3, true, SEL_CS1, (uintptr_t)gate_target);
	call_gate(GATE_DPL0, 0, true, KERNEL_CS, (uintptr_t)gate_target);
	call_gate(GATE_NP, 3, false, KERNEL_CS, (uintptr_t)gate_target);
	call_gate(GATE_TO32, 3, true, KERNEL_CS32, (uintptr_t)gate_target);
	call_gate(GATE_UPPER, 3, true, KERNEL_CS, (uintptr_t)gate_target);
	gdt[GATE_UPPER / 8 + 1] |= (uint64_t)T_CALL_GATE << 40;
	call_gate(GATE_TO3, 3, true, USER_CS, (uintptr_t)gate_target);
	call_gate(GATE_DPL2, 2, true, KERNEL_CS, (uintptr_t)gate_target);
	call_gate(GATE_TOCONF, 3, true, SEL_CONF, (uintptr_t)gate_target);
	gdt[SEL_CONF / 8] = seg_desc(T_CODE_CR, 0, true, true);
	/* RSP1 of the TSS (offset 12): the stack a gate to CPL1 switches to. */
	memcpy(tss + 12, &rsp1, 8);
}

/* CPL3 -> CPL0 and CPL3 -> CPL1 through gates, and back by RET far. */
void call_gates(void)
{
	uint64_t rsp0;
	exinfo_t ex;

	gates_setup();
	ex = run_cpl(3, call_at_cpl, GATE_TO0 | 3);
	/* run_at_cpl() set TSS.RSP0 for the call and left it. */
	memcpy(&rsp0, current_tss() + 4, 8);
	report_exc(0, ex, "CALL far from CPL3 through a DPL3 gate to CPL0 code");
	report_eq_x(KERNEL_CS, gframe.my_cs,
		    "the gate's target runs with CS = its selector (CPL0)");
	report_eq_x(USER_CS | 3, gframe.cs, "the pushed CS is the caller's");
	report_eq_x(call_ret, gframe.rip, "the pushed RIP is the return address");
	report_eq_x(call_rsp, gframe.old_rsp, "the pushed RSP is the caller's");
	report_eq_x(USER_DS | 3, gframe.old_ss, "the pushed SS is the caller's");
	report_eq_x(rsp0 - 32, gframe.rsp, "the frame is on TSS.RSP0, four quadwords");
	ex = run_cpl(3, call_at_cpl, GATE_TO1 | 3);
	report_exc(0, ex, "CALL far from CPL3 through a DPL3 gate to CPL1 code");
	report_eq_x(SEL_CS1 | 1, gframe.my_cs, "the CPL1 target runs with CPL1");
	report_eq_x(USER_DS | 3, gframe.old_ss, "the pushed SS is the CPL3 caller's");
	ex = run_cpl(0, call_at_cpl, GATE_DPL0);
	report_exc(0, ex, "CALL far from CPL0 through a DPL0 gate to CPL0 code");
	report_eq_x(call_ret, gframe.rip, "a same-level gate call pushes the return address");
	report_eq_x(KERNEL_CS, gframe.cs, "a same-level gate call pushes the caller's CS");
	gdt_leave();
}

static void gate_fault(int cpl, uint16_t sel, exinfo_t want, const char *what)
{
	char e[32];

	report_exc(want, run_cpl(cpl, call_at_cpl, sel), "CALL far at CPL%d through %s: %s", cpl,
		   what, exc_str(want, e, sizeof(e)));
}

void call_gate_faults(void)
{
	gates_setup();
	gate_fault(3, GATE_DPL0 | 3, EXINFO(GP_VECTOR, GATE_DPL0), "a DPL0 gate");
	gate_fault(2, GATE_DPL2 | 3, EXINFO(GP_VECTOR, GATE_DPL2), "a DPL2 gate with RPL3");
	gate_fault(3, GATE_NP | 3, EXINFO(NP_VECTOR, GATE_NP), "a not-present gate");
	gate_fault(3, GATE_TO32 | 3, EXINFO(GP_VECTOR, KERNEL_CS32),
		   "a gate to 32-bit code");
	gate_fault(3, GATE_UPPER | 3, EXINFO(GP_VECTOR, GATE_UPPER),
		   "a gate whose upper half has a type");
	gate_fault(0, GATE_TO3, EXINFO(GP_VECTOR, USER_CS), "a gate to DPL3 code");
	gdt_leave();
}

/* RET far at CPL3 to a CPL0 code selector. */
static uint64_t lret_inward(uint64_t unused)
{
	DECLARE_EXINFO(ex);

	asm volatile("mov %%rsp, %%r11\n\t"
		     "pushq %[ss]\n\tpush %%rsp\n\tpushq %[cs]\n\t"
		     "lea 2f(%%rip), %%rax\n\tpush %%rax\n\t"
		     ASM_TRY("lretq")
		     "mov %%r11, %%rsp"
		     : "+r"(ex)
		     : [cs] "i"(KERNEL_CS), [ss] "i"(KERNEL_DS)
		     : "rax", "r11", "memory");
	return ex;
}

void far_conforming(void)
{
	gates_setup();
	report_exc(0, run_cpl(3, call_at_cpl, GATE_TOCONF | 3),
		   "CALL far from CPL3 through a gate to conforming DPL0 code");
	report_eq_x(SEL_CONF | 3, gframe.my_cs,
		    "through the gate, conforming code keeps CPL3 (CS.RPL = 3)");
	report_eq_x(call_rsp - 16, gframe.rsp,
		    "through the gate, no stack switch: RIP and CS pushed on the caller's stack");
	report_exc(0, run_cpl(3, call32_at_cpl, SEL_CONF | 3),
		   "CALL far from CPL3 straight to conforming DPL0 code");
	report_eq_x(SEL_CONF | 3, gframe.my_cs, "called directly, conforming code keeps CPL3");
	report_eq_x(call_rsp - 8, gframe.rsp,
		    "called directly (m16:32), CS and EIP pushed as doublewords on the stack");
	report_exc(EXINFO(GP_VECTOR, KERNEL_CS), run_cpl(3, lret_inward, 0),
		   "RET far at CPL3 to a CPL0 code selector raises #GP(selector)");
	gdt_leave();
}
