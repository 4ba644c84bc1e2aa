/* SPDX-License-Identifier: MIT */
/*
 * Exception vectors, the saved register frame, selectors, handler
 * installation and the one expected-exception primitive (asm_safe).
 */
#ifndef X86_ASM_DESC_H
#define X86_ASM_DESC_H

#define DE_VECTOR	0
#define DB_VECTOR	1
#define NMI_VECTOR	2
#define BP_VECTOR	3
#define OF_VECTOR	4
#define BR_VECTOR	5
#define UD_VECTOR	6
#define NM_VECTOR	7
#define DF_VECTOR	8
#define TS_VECTOR	10
#define NP_VECTOR	11
#define SS_VECTOR	12
#define GP_VECTOR	13
#define PF_VECTOR	14
#define MF_VECTOR	16
#define AC_VECTOR	17
#define MC_VECTOR	18
#define XM_VECTOR	19
#define VE_VECTOR	20
#define CP_VECTOR	21

/* Vectors lib itself uses. */
#define KICK_VECTOR	0xf0	/* wakes an idle CPU for on_cpu() */
#define SPURIOUS_VECTOR	0xff

/* GDT layout, the same on every CPU. STAR relies on the user trio's order. */
#define KERNEL_CS	0x08
#define KERNEL_DS	0x10
#define USER_CS32	0x18
#define USER_DS		0x20
#define USER_CS		0x28
#define TSS_SEL		0x30
#define KERNEL_CS32	0x40

#ifndef __ASSEMBLER__
#include "libc.h"
#include "exinfo.h"

struct ex_regs {
	uint64_t rax, rcx, rdx, rbx, rbp, rsi, rdi;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

typedef void (*handler_t)(struct ex_regs *regs);

/* The operand of LGDT, LIDT, SGDT and SIDT in 64-bit mode. */
struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

/**
 * install_exception_handler() - route vector @vec to @fn on every CPU.
 * Return: the previous handler (NULL when none).
 */
handler_t install_exception_handler(int vec, handler_t fn);

/* Whether vector @vec pushes an error code (SDM vol. 3, table 6-1). */
bool x86_vector_has_error_code(int vec);

/*
 * asm_safe and ASM_TRY (lib/extable.h): the exception entry finds the
 * faulting address in .extable, stores the packed exinfo in r15 of the
 * saved frame and resumes at the label after the block; a trap (#DB, #BP,
 * #OF) that saves the address after the block is recognised the same way.
 *
 * Registers: r15 in/out = 0 before, exinfo after; nothing else clobbered
 * beyond what the caller's constraints declare.
 */
#define ARCH_EXINFO_REG		"r15"
#include "extable.h"

static inline exinfo_t rdmsr_safe(uint32_t msr, uint64_t *val)
{
	DECLARE_EXINFO(ex);
	uint32_t lo = 0, hi = 0;

	asm volatile(ASM_TRY("rdmsr") : "+r"(ex), "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
	*val = lo | (uint64_t)hi << 32;
	return ex;
}

static inline exinfo_t wrmsr_safe(uint32_t msr, uint64_t val)
{
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("wrmsr")
		     : "+r"(ex)
		     : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
		     : "memory");
	return ex;
}

#define DEFINE_WRITE_CR_SAFE(n)							\
	static inline exinfo_t write_cr##n##_safe(uint64_t v)			\
	{									\
		DECLARE_EXINFO(ex);						\
		asm volatile(ASM_TRY("mov %1, %%cr" #n)				\
			     : "+r"(ex) : "r"(v) : "memory");			\
		return ex;							\
	}
DEFINE_WRITE_CR_SAFE(0)
DEFINE_WRITE_CR_SAFE(3)
DEFINE_WRITE_CR_SAFE(4)
DEFINE_WRITE_CR_SAFE(8)
#undef DEFINE_WRITE_CR_SAFE

static inline exinfo_t xsetbv_safe(uint32_t idx, uint64_t val)
{
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("xsetbv")
		     : "+r"(ex)
		     : "c"(idx), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
		     : "memory");
	return ex;
}

/* The per-CPU TSS's IST stacks, for tests of exception delivery. */
#define IST_DF	1
#define IST_NMI	2
#define IST_MC	3

void idt_set_gate_dpl(int vec, int dpl);
/* Make gate @vec use IST stack @ist (0: none); returns the previous one. */
int idt_set_gate_ist(int vec, int ist);

#endif /* __ASSEMBLER__ */
#endif
