/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the apic image: the vectors it uses, the LVT entries a
 * version register announces, and the helpers that put a CPU's APIC back
 * the way lib left it after each subtest.
 */
#ifndef X86_APIC_TEST_H
#define X86_APIC_TEST_H

#include "arch.h"
#include "asm/apic.h"
#include "asm/cpuid.h"
#include "asm/desc.h"
#include "asm/msr.h"
#include "asm/processor.h"
#include "irq.h"
#include "report.h"
#include "smp.h"

/*
 * Test vectors: the high nibble is the priority class (SDM 11.8.3.1), so
 * each name says which class it is in. lib keeps 0xf0 (kick) and 0xff.
 */
#define VEC_31	0x31
#define VEC_41	0x41
#define VEC_4E	0x4e	/* the error LVT's vector */
#define VEC_52	0x52
#define VEC_55	0x55
#define VEC_58	0x58
#define VEC_5A	0x5a
#define VEC_62	0x62
#define VEC_73	0x73
#define VEC_94	0x94
#define VEC_E1	0xe1

/* One local vector table entry (SDM 11.5.1, figure 11-8). */
struct lvt {
	unsigned int reg;
	const char *name;
	unsigned int min_count;	/* exists when the APIC has this many LVT entries */
	uint32_t writable;	/* bits a write stores, mask and vector included */
};

extern const struct lvt apic_lvts[];
extern const unsigned int apic_nr_lvts;

/* Whether this APIC has LVT @l (from the version register's max LVT entry). */
bool lvt_present(const struct lvt *l);

/* The subtests' common needs predicate: the mode the arguments ask for. */
const char *needs_mode(void);
const char *needs_x2apic(void);

/*
 * Back to lib's state on this CPU: the test's mode, software-enabled with
 * lib's spurious vector, TPR 0, every LVT masked, the timer stopped, ESR
 * cleared, nothing in service.
 */
void apic_restore(void);

/* Wait (bounded) until @vec shows in IRR, as an IPI this CPU sent lands there. */
bool wait_irr(unsigned int vec);

/* Self-IPI of @vec through the ICR with the "self" shorthand, in either mode. */
void icr_self(unsigned int vec, uint32_t mode);

/* Subtests, one file per area. */
void id_version(void);
void base_msr(void);
void mode_transitions(void);
void lvt_fields(void);
void spiv_vector(void);
void sw_disable(void);
void tpr_ppr(void);
void cr8_tpr(void);
void ppr_in_service(void);
void tpr_blocks(void);
void pending_order(void);
void nesting(void);
void isr_eoi(void);
void coalescing(void);
void self_ipi(void);
void directed_eoi(void);
const char *needs_directed_eoi(void);
void esr_send_illegal(void);
void esr_error_lvt(void);
void esr_lvt_illegal(void);
void x2apic_msrs(void);
void x2apic_reserved_bits(void);
void x2apic_ldr_ids(void);
void x2apic_self_ipi(void);
void x2apic_icr(void);
void x2apic_mmio(void);

#endif
