/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the interrupt_shadow image: the asm stubs with labelled
 * instructions, and where an interrupt or exception was taken.
 */
#ifndef X86_SHADOW_H
#define X86_SHADOW_H

#include "arch.h"
#include "asm/apic.h"
#include "asm/desc.h"
#include "asm/msr.h"
#include "asm/processor.h"
#include "irq.h"
#include "report.h"
#include "smp.h"
#include "cpu.h"
#include "asm/cpuid.h"
#include "asm/cr.h"

#define VEC_IRQ		0x71
#define VEC_WAKE	0x72

/*
 * Stubs (stubs.c), called as C functions; @icr/@dest send an IPI (xAPIC:
 * the MMIO ICR, ICR2 written by the caller; x2APIC: WRMSR) right before
 * the instruction under test. Labels name each instruction's address.
 */
void sti_nops(void);
extern char sti_nops_a[], sti_nops_b[];
void mov_ss_mmio(uint32_t icr, volatile uint32_t *reg);
extern char mov_ss_mmio_mov[], mov_ss_mmio_a[], mov_ss_mmio_b[];
void mov_ss_msr(uint32_t icr, uint32_t dest);
extern char mov_ss_msr_mov[], mov_ss_msr_a[], mov_ss_msr_b[];
void pop_ss_mmio(uint32_t icr, volatile uint32_t *reg);
extern char pop_ss_mmio_pop[], pop_ss_mmio_a[], pop_ss_mmio_b[];
void pop_ss_msr(uint32_t icr, uint32_t dest);
extern char pop_ss_msr_pop[], pop_ss_msr_a[], pop_ss_msr_b[];
void popf_if(void);
extern char popf_if_after[];
void sti_hlt(void);
extern char sti_hlt_after[];
void mov_ss_mem(const uint16_t *sel);
extern char mov_ss_mem_a[], mov_ss_mem_b[];
void sti_step(void);
extern char sti_step_sti[], sti_step_a[], sti_step_b[];
void mov_ss_step(void);
extern char mov_ss_step_mov[], mov_ss_step_a[], mov_ss_step_b[];
void pop_ss_step(void);
extern char pop_ss_step_pop[], pop_ss_step_a[], pop_ss_step_b[];

/* A saved RIP as the name of the stub instruction it is, for the detail. */
const char *where(uint64_t rip, char *buf, size_t len);

const char *needs_mode(void);

/* Subtests. */
void sti_shadow(void);
void mov_ss_irq(void);
void mov_ss_nmi(void);
void pop_ss_irq(void);
void pop_ss_nmi(void);
void popf_no_shadow(void);
void pending_cli_sti(void);
void hlt_wake_self(void);
void hlt_wake_ipi(void);
void sti_single_step(void);
void mov_ss_single_step(void);
void pop_ss_single_step(void);
void mov_ss_data_bp(void);
void nmi_blocked_until_iret(void);
void nmi_faulting_iret(void);
const char *needs_intel(void);

#endif
