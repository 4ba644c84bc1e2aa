// SPDX-License-Identifier: MIT
/*
 * The instruction sequences under test, each with a label on every
 * instruction whose address a handler may save. C calling convention:
 * arguments in rdi, rsi; rax, rcx, rdx, rsi, rdi, r8-r11 clobbered.
 * POP SS is invalid in 64-bit mode, so the POP SS stubs run it in
 * compatibility mode (lib's 32-bit code segment KERNEL_CS32), entered and
 * left with far returns; the stack is below 4 GiB, as every stack lib has.
 */
#include "shadow.h"

#define STR(x)	#x
#define XSTR(x)	STR(x)

/* The MMIO ICR write (edi to (rsi)) or the x2APIC ICR WRMSR (edi low, esi high). */
#define ICR_MMIO	"movl %edi, (%rsi)\n\t"
#define ICR_MMIO32	"movl %edi, (%esi)\n\t"
#define ICR_MSR		"mov %edi, %eax\n\tmov %esi, %edx\n\tmov $0x830, %ecx\n\twrmsr\n\t"

/* An IPI sent right before MOV SS, then two NOPs: a, b. */
#define MOV_SS_STUB(name, send)							\
	asm(".pushsection .text\n"						\
	    ".globl " #name "\n" #name ":\n\t"					\
	    "mov %ss, %r8d\n\t"							\
	    send								\
	    ".globl " #name "_mov\n" #name "_mov:\n\t"				\
	    "mov %r8d, %ss\n"							\
	    ".globl " #name "_a\n" #name "_a:\n\tnop\n"				\
	    ".globl " #name "_b\n" #name "_b:\n\tnop\n\t"			\
	    "ret\n"								\
	    ".popsection")

MOV_SS_STUB(mov_ss_mmio, ICR_MMIO);
MOV_SS_STUB(mov_ss_msr, ICR_MSR);

/*
 * The same with POP SS, in compatibility mode: SS pushed as a quadword in
 * 64-bit mode, POP SS takes its low 4 bytes, the high 4 are dropped back
 * in 64-bit mode.
 */
#define POP_SS_STUB(name, send)							\
	asm(".pushsection .text\n"						\
	    ".globl " #name "\n" #name ":\n\t"					\
	    "mov %ss, %r8d\n\t"							\
	    "push %r8\n\t"							\
	    "pushq $" XSTR(KERNEL_CS32) "\n\t"					\
	    "pushq $1f\n\t"							\
	    "lretq\n"								\
	    ".code32\n"								\
	    "1:\t" send							\
	    ".globl " #name "_pop\n" #name "_pop:\n\t"				\
	    "pop %ss\n"								\
	    ".globl " #name "_a\n" #name "_a:\n\tnop\n"				\
	    ".globl " #name "_b\n" #name "_b:\n\tnop\n\t"			\
	    "pushl $" XSTR(KERNEL_CS) "\n\t"					\
	    "pushl $2f\n\t"							\
	    "lret\n"								\
	    ".code64\n"								\
	    "2:\tadd $4, %rsp\n\tret\n"						\
	    ".popsection")

POP_SS_STUB(pop_ss_mmio, ICR_MMIO32);
POP_SS_STUB(pop_ss_msr, ICR_MSR);

asm(".pushsection .text\n"
	/* STI with IF=0, then two NOPs: a (in the shadow), b. */
	".globl sti_nops, sti_nops_a, sti_nops_b\n"
	"sti_nops:\n\tsti\n"
	"sti_nops_a:\n\tnop\n"
	"sti_nops_b:\n\tnop\n\tcli\n\tret\n"
	/* POPF setting IF: no shadow. */
	".globl popf_if, popf_if_after\n"
	"popf_if:\n\tpushfq\n\torq $0x200, (%rsp)\n\tpopfq\n"
	"popf_if_after:\n\tnop\n\tcli\n\tret\n"
	/* HLT in STI's shadow. */
	".globl sti_hlt, sti_hlt_after\n"
	"sti_hlt:\n\tsti\n\thlt\n"
	"sti_hlt_after:\n\tcli\n\tret\n"
	/* MOV SS from memory (rdi), for a data breakpoint on its operand. */
	".globl mov_ss_mem, mov_ss_mem_a, mov_ss_mem_b\n"
	"mov_ss_mem:\n\tmov (%rdi), %ss\n"
	"mov_ss_mem_a:\n\tnop\n"
	"mov_ss_mem_b:\n\tnop\n\tret\n"
	/* TF set by POPF: the first instruction to trap is STI. */
	".globl sti_step, sti_step_sti, sti_step_a, sti_step_b\n"
	"sti_step:\n\tpushfq\n\torq $0x100, (%rsp)\n\tpopfq\n"
	"sti_step_sti:\n\tsti\n"
	"sti_step_a:\n\tnop\n"
	"sti_step_b:\n\tcli\n\tret\n"
	/* TF set by POPF: the first instruction to trap is MOV SS, then a, b. */
	".globl mov_ss_step, mov_ss_step_mov, mov_ss_step_a, mov_ss_step_b\n"
	"mov_ss_step:\n\tmov %ss, %eax\n\tpushfq\n\torq $0x100, (%rsp)\n\tpopfq\n"
	"mov_ss_step_mov:\n\tmov %eax, %ss\n"
	"mov_ss_step_a:\n\tnop\n"
	"mov_ss_step_b:\n\tnop\n\tret\n"
	/* The same with POP SS, in compatibility mode (as POP_SS_STUB). */
	".globl pop_ss_step, pop_ss_step_pop, pop_ss_step_a, pop_ss_step_b\n"
	"pop_ss_step:\n\tmov %ss, %r8d\n\tpush %r8\n\t"
	"pushq $" XSTR(KERNEL_CS32) "\n\tpushq $1f\n\tlretq\n"
	".code32\n"
	"1:\tpushfl\n\torl $0x100, (%esp)\n\tpopfl\n"
	"pop_ss_step_pop:\n\tpop %ss\n"
	"pop_ss_step_a:\n\tnop\n"
	"pop_ss_step_b:\n\tnop\n\t"
	"pushl $" XSTR(KERNEL_CS) "\n\tpushl $2f\n\tlret\n"
	".code64\n"
	"2:\tadd $4, %rsp\n\tret\n"
	".popsection");

struct label {
	const char *name;
	const char *at;
};

#define L(x)	{ #x, x }

const char *where(uint64_t rip, char *buf, size_t len)
{
	static const struct label labels[] = {
		L(sti_nops_a), L(sti_nops_b),
		L(mov_ss_mmio_mov), L(mov_ss_mmio_a), L(mov_ss_mmio_b),
		L(mov_ss_msr_mov), L(mov_ss_msr_a), L(mov_ss_msr_b),
		L(pop_ss_mmio_pop), L(pop_ss_mmio_a), L(pop_ss_mmio_b),
		L(pop_ss_msr_pop), L(pop_ss_msr_a), L(pop_ss_msr_b),
		L(popf_if_after), L(sti_hlt_after), L(mov_ss_mem_a), L(mov_ss_mem_b),
		L(sti_step_sti), L(sti_step_a), L(sti_step_b),
		L(mov_ss_step_mov), L(mov_ss_step_a), L(mov_ss_step_b),
		L(pop_ss_step_pop), L(pop_ss_step_a), L(pop_ss_step_b),
	};

	for (size_t i = 0; i < ARRAY_SIZE(labels); i++)
		if ((uintptr_t)labels[i].at == rip)
			return labels[i].name;
	snprintf(buf, len, "%#lx", rip);
	return buf;
}
