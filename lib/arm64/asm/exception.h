/* SPDX-License-Identifier: MIT */
/*
 * Exceptions on arm64: exception classes of ESR_ELx (Arm ARM D17.2.37,
 * table D17-5x "ESR_ELx.EC"), the saved register frame, handler
 * installation and the expected-exception primitive.
 *
 * An expected exception is one exinfo_t value: EXINFO(EC, ISS), the ISS
 * being ESR_EL1[24:0] (IL left out: it only says the instruction was 32-bit).
 * Tests that need more read ESR_EL1 and FAR_EL1 right after the block.
 */
#ifndef ARM64_ASM_EXCEPTION_H
#define ARM64_ASM_EXCEPTION_H

#include "asm/sysreg.h"

#define ESR_EC_UNKNOWN		0x00	/* also every UNDEFINED instruction */
#define ESR_EC_WFX		0x01
#define ESR_EC_FP_ASIMD		0x07
#define ESR_EC_PAC		0x09
#define ESR_EC_BTI		0x0d
#define ESR_EC_ILLEGAL		0x0e	/* Illegal Execution state */
#define ESR_EC_SVC64		0x15
#define ESR_EC_HVC64		0x16
#define ESR_EC_SMC64		0x17
#define ESR_EC_SYS64		0x18	/* trapped MSR, MRS or System instruction */
#define ESR_EC_SVE		0x19
#define ESR_EC_IABT_LOW		0x20
#define ESR_EC_IABT_CUR		0x21
#define ESR_EC_PC_ALIGN		0x22
#define ESR_EC_DABT_LOW		0x24
#define ESR_EC_DABT_CUR		0x25
#define ESR_EC_SP_ALIGN		0x26
#define ESR_EC_FP_EXC64		0x2c
#define ESR_EC_SERROR		0x2f
#define ESR_EC_BKPT_LOW		0x30
#define ESR_EC_BKPT_CUR		0x31
#define ESR_EC_SSTEP_LOW	0x32
#define ESR_EC_SSTEP_CUR	0x33
#define ESR_EC_WPT_LOW		0x34
#define ESR_EC_WPT_CUR		0x35
#define ESR_EC_BRK64		0x3c
#define ESR_EC_MAX		0x3f

/* Abort ISS: fault status code and write-not-read (D17.2.37, ISS encodings). */
#define ESR_ISS_FSC_MASK	0x3f
#define ESR_ISS_WNR		(1 << 6)
#define FSC_TRANSLATION(lvl)	(0x04 + (lvl))	/* translation fault, level 0..3 */
#define FSC_ACCESS_FLAG(lvl)	(0x08 + (lvl))
#define FSC_PERMISSION(lvl)	(0x0c + (lvl))
#define FSC_ALIGNMENT		0x21

/* Vector table slots: type + source, the entry's index in VBAR_EL1 (D1.10.2). */
#define EXC_SYNC		0
#define EXC_IRQ			1
#define EXC_FIQ			2
#define EXC_SERROR		3
#define EXC_EL1T		0	/* current EL with SP_EL0: never used by hvprobe */
#define EXC_EL1H		4	/* current EL with SP_EL1 */
#define EXC_EL0_64		8	/* lower EL, AArch64 */
#define EXC_EL0_32		12	/* lower EL, AArch32 */

/*
 * run_in_user()'s way back to EL1: the SVC at arm64_user_svc (entry.S),
 * recognised by its address before any fixup or installed SVC handler.
 */
#define USER_RETURN_SVC		0xe10

/* struct ex_regs layout, for entry.S. */
#define EX_SP			248
#define EX_PC			256
#define EX_PSTATE		264
#define EX_ESR			272
#define EX_FAR			280
#define EX_VECTOR		288
#define EX_FRAME_SIZE		304

#ifndef __ASSEMBLER__
#include "libc.h"
#include "exinfo.h"

struct ex_regs {
	uint64_t regs[31];	/* x0 .. x30 */
	uint64_t sp;		/* SP_EL1 before the exception, or SP_EL0 from EL0 */
	uint64_t pc;		/* ELR_EL1: where eret resumes */
	uint64_t pstate;	/* SPSR_EL1 */
	uint64_t esr;
	uint64_t far;
	uint64_t vector;	/* EXC_<type> + EXC_<source> */
	uint64_t unused;
};

_Static_assert(sizeof(struct ex_regs) == EX_FRAME_SIZE, "entry.S frame layout");

static inline unsigned int esr_ec(uint64_t esr)
{
	return (esr >> ESR_EC_SHIFT) & 0x3f;
}

static inline exinfo_t esr_exinfo(uint64_t esr)
{
	return EXINFO(esr_ec(esr), esr & ESR_ISS_MASK);
}

typedef void (*handler_t)(struct ex_regs *regs);

/**
 * install_exception_handler() - handle synchronous exceptions of class @ec
 * taken from EL1 or EL0 (after the expected-exception fixups) with @fn
 * @ec: ESR_EC_*
 * @fn: the handler, or NULL for "unexpected"; it may change @regs (pc to skip)
 * Return: the previous handler.
 */
handler_t install_exception_handler(unsigned int ec, handler_t fn);

/**
 * install_vector_handler() - take over IRQ, FIQ or SError delivery
 * @type: EXC_IRQ, EXC_FIQ or EXC_SERROR
 * @fn: the handler, or NULL for lib's default (IRQ: the GIC dispatcher of
 *      gic.h, which acknowledges and ends the interrupt; FIQ, SError:
 *      unexpected). An IRQ handler acknowledges with gic_ack(): lib reads
 *      the IAR first and keeps its own wake-up SGI (gic_irq_preack()).
 * Return: the previous handler (NULL for lib's default).
 */
handler_t install_vector_handler(unsigned int type, handler_t fn);

/*
 * The expected-exception primitive (lib/extable.h): x28 carries the exinfo.
 * For SVC, HVC and SMC, which leave ELR_EL1 after the instruction, the
 * entry looks the instruction before ELR up too.
 */
#define ARCH_EXINFO_REG		"x28"
#include "extable.h"

/* mrs_safe(reg, &val): read a system register by name or encoding. */
#define mrs_safe(reg, val)						\
	({								\
		DECLARE_EXINFO(__ex);					\
		uint64_t __v = 0;					\
		asm volatile(ASM_TRY("mrs %1, " __stringify(reg))	\
			     : "+r"(__ex), "+r"(__v) : : "memory");	\
		*(val) = __v;						\
		__ex;							\
	})

/* msr_safe(reg, val): write a system register by name or encoding. */
#define msr_safe(reg, val)						\
	({								\
		DECLARE_EXINFO(__ex);					\
		asm volatile(ASM_TRY("msr " __stringify(reg) ", %x1")	\
			     : "+r"(__ex) : "rZ"((uint64_t)(val)) : "memory"); \
		__ex;							\
	})

#endif /* __ASSEMBLER__ */
#endif
