/* SPDX-License-Identifier: MIT */
/*
 * Supervisor-level CSRs and their fields (RISC-V privileged architecture
 * v1.12, chapter 4; Sstc for stimecmp; Zicntr/Zihpm for the counters) and
 * accessors by name. csr_read_safe()/csr_write_safe() run the access as an
 * expected-exception block (asm/exception.h) and return its exinfo.
 */
#ifndef RISCV64_ASM_CSR_H
#define RISCV64_ASM_CSR_H

/* Constants shared with assembly, which knows no UL suffix. */
#ifdef __ASSEMBLER__
#define _UL(x)			x
#else
#define _UL(x)			x##UL
#endif

#define CSR_FFLAGS		0x001
#define CSR_FCSR		0x003
#define CSR_VSTART		0x008
#define CSR_SSTATUS		0x100
#define CSR_SIE			0x104
#define CSR_STVEC		0x105
#define CSR_SCOUNTEREN		0x106
#define CSR_SENVCFG		0x10a
#define CSR_SSCRATCH		0x140
#define CSR_SEPC		0x141
#define CSR_SCAUSE		0x142
#define CSR_STVAL		0x143
#define CSR_SIP			0x144
#define CSR_STIMECMP		0x14d
#define CSR_SATP		0x180
#define CSR_CYCLE		0xc00
#define CSR_TIME		0xc01
#define CSR_INSTRET		0xc02
#define CSR_HPMCOUNTER3		0xc03
#define CSR_VL			0xc20
#define CSR_VTYPE		0xc21
#define CSR_VLENB		0xc22
#define CSR_MSTATUS		0x300
#define CSR_MHARTID		0xf14

/* sstatus (4.1.1) */
#define SSTATUS_SIE		(_UL(1) << 1)
#define SSTATUS_SPIE		(_UL(1) << 5)
#define SSTATUS_SPP		(_UL(1) << 8)
#define SSTATUS_VS		(_UL(3) << 9)
#define SSTATUS_FS		(_UL(3) << 13)
#define SSTATUS_FS_INITIAL	(_UL(1) << 13)
#define SSTATUS_XS		(_UL(3) << 15)
#define SSTATUS_SUM		(_UL(1) << 18)
#define SSTATUS_MXR		(_UL(1) << 19)
#define SSTATUS_UXL		(_UL(3) << 32)
#define SSTATUS_SD		(_UL(1) << 63)

/* sip/sie (4.1.3), and the matching interrupt causes of scause. */
#define IRQ_S_SOFT		1
#define IRQ_S_TIMER		5
#define IRQ_S_EXT		9
#define IRQ_LCOF		13
#define SIE_SSIE		(_UL(1) << IRQ_S_SOFT)
#define SIE_STIE		(_UL(1) << IRQ_S_TIMER)
#define SIE_SEIE		(_UL(1) << IRQ_S_EXT)

/* scause (4.1.9): interrupt bit and the exception codes of table 4.2. */
#define CAUSE_INTERRUPT		(_UL(1) << 63)
#define CAUSE_MISALIGNED_FETCH	0
#define CAUSE_FETCH_ACCESS	1
#define CAUSE_ILLEGAL_INSN	2
#define CAUSE_BREAKPOINT	3
#define CAUSE_MISALIGNED_LOAD	4
#define CAUSE_LOAD_ACCESS	5
#define CAUSE_MISALIGNED_STORE	6
#define CAUSE_STORE_ACCESS	7
#define CAUSE_USER_ECALL	8
#define CAUSE_SUPERVISOR_ECALL	9
#define CAUSE_MACHINE_ECALL	11
#define CAUSE_FETCH_PAGE_FAULT	12
#define CAUSE_LOAD_PAGE_FAULT	13
#define CAUSE_STORE_PAGE_FAULT	15
#define CAUSE_MAX		23	/* the highest code a port handler may be installed for */

/* satp (4.1.11) and its translation modes (4.3 Sv32 .. 4.6 Sv57). */
#define SATP_MODE_SHIFT		60
#define SATP_MODE_BARE		_UL(0)
#define SATP_MODE_SV39		_UL(8)
#define SATP_MODE_SV48		_UL(9)
#define SATP_MODE_SV57		_UL(10)
#define SATP_PPN		((_UL(1) << 44) - 1)

/* senvcfg (4.1.10): cache-block management enables (Zicbom, Zicboz). */
#define SENVCFG_CBIE		(_UL(3) << 4)
#define SENVCFG_CBCFE		(_UL(1) << 6)
#define SENVCFG_CBZE		(_UL(1) << 7)

#ifndef __ASSEMBLER__
#include <stdint.h>

#define __csr_str(x)		#x
#define __csr_xstr(x)		__csr_str(x)

/* Accessors by CSR number (a constant expression). */
#define csr_read(csr)							\
	({								\
		unsigned long __v;					\
		asm volatile("csrr %0, " __csr_xstr(csr)		\
			     : "=r"(__v) : : "memory");			\
		__v;							\
	})

#define csr_write(csr, val)						\
	asm volatile("csrw " __csr_xstr(csr) ", %0"			\
		     : : "rK"((unsigned long)(val)) : "memory")

#define csr_swap(csr, val)						\
	({								\
		unsigned long __v = (unsigned long)(val);		\
		asm volatile("csrrw %0, " __csr_xstr(csr) ", %0"	\
			     : "+r"(__v) : : "memory");			\
		__v;							\
	})

#define csr_set(csr, bits)						\
	asm volatile("csrs " __csr_xstr(csr) ", %0"			\
		     : : "rK"((unsigned long)(bits)) : "memory")

#define csr_clear(csr, bits)						\
	asm volatile("csrc " __csr_xstr(csr) ", %0"			\
		     : : "rK"((unsigned long)(bits)) : "memory")

#endif /* __ASSEMBLER__ */
#endif
