/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the ipi image: vectors, the APIC IDs of the CPUs, and
 * the scenario runner that sends one IPI while the other CPUs listen and
 * checks on every CPU how often it arrived.
 */
#ifndef X86_IPI_H
#define X86_IPI_H

#include "arch.h"
#include "asm/apic.h"
#include "asm/desc.h"
#include "asm/processor.h"
#include "cpu.h"
#include "irq.h"
#include "report.h"
#include "smp.h"

#define VEC_FIXED	0x51
#define VEC_SHORT	0x52
#define VEC_LOGICAL	0x53
#define VEC_LOWEST	0x54
#define VEC_STORM	0x60	/* + sender, for the first 16 CPUs */
#define STORM_CPUS	16
#define VEC_ILLEGAL	0x05	/* its IDT stub pushes no error code */

/* APIC ID of each CPU (the x2APIC ID in x2APIC mode: the same numbers here). */
uint32_t cpu_id(int cpu);
bool x2mode(void);
/* Physical broadcast destination of the mode: 0xff, or 0xffffffff in x2APIC mode. */
uint32_t bcast_dest(void);

/*
 * One IPI (@icr without vector, INT_ASSERT added) to @dest, sent by
 * @sender (0 or another CPU) while every other CPU listens; then each CPU
 * must have taken @vec want[cpu] times. @what names the scenario in the
 * messages, which state per CPU whether it reaches it.
 */
void scenario(const char *what, int sender, uint32_t icr, uint32_t dest, unsigned int vec,
	      const unsigned int *want);

/* want[] with 1 for each CPU in @mask (bit i: CPU i), else 0. */
void want_mask(unsigned int *want, uint64_t mask);

const char *needs_mode(void);
void ipi_restore(void);

/* Subtests. */
void fixed_each(void);
void shorthands(void);
void shorthands_last(void);
void physical_broadcast(void);
void logical_flat(void);
void logical_cluster(void);
void logical_x2apic(void);
const char *needs_xapic(void);
const char *needs_x2apic(void);
void lowest_priority(void);
void nmi_ipi(void);
void illegal_vector(void);
void init_sipi(void);
void sipi_running(void);
void storm(void);

#endif
