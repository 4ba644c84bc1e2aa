/* SPDX-License-Identifier: MIT */
/*
 * Traps on riscv64 (privileged architecture v1.12, 4.1.9 scause, table
 * 4.2): the saved register frame, handler installation and the
 * expected-exception primitive.
 *
 * An expected exception is one exinfo_t value: EXINFO(scause, 0). The
 * exception's stval (the faulting address, the illegal instruction's bits)
 * is kept per CPU and read with exinfo_stval() right after the block.
 * Interrupts go to install_irq_handler() handlers by their scause code
 * (IRQ_S_SOFT, IRQ_S_TIMER, ...), never through the exception table.
 */
#ifndef RISCV64_ASM_EXCEPTION_H
#define RISCV64_ASM_EXCEPTION_H

#include "asm/csr.h"

/* struct ex_regs layout, for entry.S. */
#define EX_REG(n)		((n) * 8)
#define EX_EPC			256
#define EX_STATUS		264
#define EX_CAUSE		272
#define EX_TVAL			280
#define EX_RECORD		288
#define EX_FRAME_SIZE		304

/*
 * run_in_user() runs its function from an alias of the image, mapped for
 * U-mode at the image's address + USER_ALIAS_OFFSET (64 GiB, inside Sv39).
 */
#define USER_ALIAS_OFFSET	_UL(0x1000000000)

#ifndef __ASSEMBLER__
#include "libc.h"
#include "exinfo.h"

/* Register numbers of the ABI names, for ex_regs.regs[]. */
enum {
	REG_RA = 1, REG_SP = 2, REG_GP = 3, REG_TP = 4, REG_T0 = 5, REG_S0 = 8, REG_S1 = 9,
	REG_A0 = 10, REG_A1 = 11, REG_A7 = 17, REG_S2 = 18, REG_S11 = 27,
};

struct ex_regs {
	uint64_t regs[32];	/* x1 .. x31 at their numbers; regs[2] = sp at the trap */
	uint64_t epc;		/* sepc: where sret resumes */
	uint64_t status;	/* sstatus at the trap: SPP says whether it came from U */
	uint64_t cause;		/* scause */
	uint64_t tval;		/* stval */
	uint64_t record[2];	/* a frame record {s0, sepc}: backtraces walk through */
};

_Static_assert(sizeof(struct ex_regs) == EX_FRAME_SIZE, "entry.S frame layout");

static inline bool ex_from_user(const struct ex_regs *r)
{
	return !(r->status & SSTATUS_SPP);
}

typedef void (*handler_t)(struct ex_regs *regs);

/**
 * install_exception_handler() - handle exceptions with scause @cause,
 * from S or U mode, after the expected-exception fixups, with @fn
 * @cause: CAUSE_* (0 .. CAUSE_MAX)
 * @fn: the handler, or NULL for "unexpected"; it may change @regs (epc to skip)
 * Return: the previous handler.
 */
handler_t install_exception_handler(unsigned int cause, handler_t fn);

/**
 * install_irq_handler() - handle interrupt @irq (IRQ_S_SOFT, IRQ_S_TIMER,
 * IRQ_S_EXT, IRQ_LCOF) with @fn, on any CPU
 *
 * The handler clears the interrupt's source itself (a timer's stimecmp,
 * SBI set_timer), except for IRQ_S_SOFT, whose sip.SSIP lib clears before
 * calling it. An interrupt without a handler fails the test. lib's wake-up
 * kick is a supervisor software interrupt too: one that arrives with a
 * kick pending for this CPU is taken as the kick and not passed on (sip
 * holds one SSIP bit), so tests count IPIs only on CPUs that run their own
 * code rather than sleep in lib.
 * Return: the previous handler.
 */
handler_t install_irq_handler(unsigned int irq, handler_t fn);

/* stval of the last exception an expected-exception block caught on this CPU. */
uint64_t exinfo_stval(void);

/*
 * The expected-exception primitive (lib/extable.h): s11 carries the exinfo.
 * sepc names the trapping instruction for every exception, ECALL and
 * EBREAK included, so the table lookup needs no adjustment.
 */
#define ARCH_EXINFO_REG		"s11"
#include "extable.h"

/* csr_read_safe(csr, &val), csr_write_safe(csr, val): a CSR access that may trap. */
#define csr_read_safe(csr, val)						\
	({								\
		DECLARE_EXINFO(__ex);					\
		unsigned long __v = 0;					\
		asm volatile(ASM_TRY("csrr %1, " __csr_xstr(csr))	\
			     : "+r"(__ex), "+r"(__v) : : "memory");	\
		*(val) = __v;						\
		__ex;							\
	})

#define csr_write_safe(csr, val)					\
	({								\
		DECLARE_EXINFO(__ex);					\
		asm volatile(ASM_TRY("csrw " __csr_xstr(csr) ", %1")	\
			     : "+r"(__ex) : "r"((unsigned long)(val)) : "memory"); \
		__ex;							\
	})

#endif /* __ASSEMBLER__ */
#endif
