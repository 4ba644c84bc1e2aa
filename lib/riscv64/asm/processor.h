/* SPDX-License-Identifier: MIT */
/*
 * Interrupt masking (sstatus.SIE), WFI, fences and the time CSR.
 * Unprivileged ISA: FENCE, FENCE.I (Zifencei), PAUSE (Zihintpause, a FENCE
 * hint that every implementation executes); privileged: SFENCE.VMA (4.2.1),
 * WFI (3.3.3), the time CSR (Zicntr).
 */
#ifndef RISCV64_ASM_PROCESSOR_H
#define RISCV64_ASM_PROCESSOR_H

#include "asm/csr.h"
#include "libc.h"

static inline void local_irq_enable(void)
{
	csr_set(CSR_SSTATUS, SSTATUS_SIE);
}

static inline void local_irq_disable(void)
{
	csr_clear(CSR_SSTATUS, SSTATUS_SIE);
}

static inline bool irqs_enabled(void)
{
	return csr_read(CSR_SSTATUS) & SSTATUS_SIE;
}

static inline void wfi(void)
{
	asm volatile("wfi" : : : "memory");
}

/* PAUSE (0x0100000f): a FENCE W,0 hint, a no-op where Zihintpause is absent. */
static inline void cpu_pause(void)
{
	asm volatile(".insn i 0x0f, 0, x0, x0, 0x010" : : : "memory");
}

static inline void fence_rw(void)
{
	asm volatile("fence rw, rw" : : : "memory");
}

static inline void fence_i(void)
{
	asm volatile("fence.i" : : : "memory");
}

static inline void sfence_vma_all(void)
{
	asm volatile("sfence.vma" : : : "memory");
}

static inline void sfence_vma_addr(uintptr_t va)
{
	asm volatile("sfence.vma %0" : : "r"(va) : "memory");
}

/* The time CSR: ticks at the devicetree's /cpus timebase-frequency. */
static inline uint64_t read_time(void)
{
	return csr_read(CSR_TIME);
}

#endif
