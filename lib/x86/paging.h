/* SPDX-License-Identifier: MIT */
/*
 * The x86 paging modes of one CPU: 4-level and 5-level paging (LA57). The
 * page-table API (vm.h) follows the mode of the CPU it runs on: its
 * geometry has five levels while CR4.LA57 is set.
 */
#ifndef LIB_X86_PAGING_H
#define LIB_X86_PAGING_H

#include "libc.h"

/**
 * paging_supervisor_root() - a new root for SMEP and SMAP
 *
 * Maps 0..4 GiB as the boot tables do (page 0 unmapped, the top GiB
 * uncached), but supervisor-only and without XD anywhere (so EFER.NXE may
 * be cleared), except .usertext and this CPU's user_stack(), which stay
 * user pages: CPL0 code runs with CR4.SMEP and CR4.SMAP set, and
 * run_in_user() of a function in .usertext still works. Free it with
 * pt_root_free() once it is no longer loaded.
 */
uint64_t paging_supervisor_root(void);

/* Whether this CPU translates with 5-level paging (CR4.LA57 = 1). */
bool paging_la57_active(void);

/**
 * paging_la57_enter() - switch this CPU to 5-level paging
 *
 * A PML5 table of this CPU's (kept across calls) gets entry 0 pointing at
 * the current PML4, so every address below 2^48 translates as before; its
 * other entries are the caller's (pt_map() above 2^48). The caller checks
 * CPUID for LA57 and has interrupts disabled; CR4.PCIDE must be 0.
 */
void paging_la57_enter(void);

/* Back to 4-level paging with the PML4 of PML5 entry 0 (same conditions). */
void paging_la57_leave(void);

/**
 * x86_paging_switch() - load @cr3 and @cr4 with paging off in between
 * @cr3: the new root, below 4 GiB
 * @cr4: the new CR4 (PAE set, PCIDE clear); LA57 may differ from now
 *
 * CR4.LA57 can change only outside IA-32e mode (SDM vol. 3A 4.1.1,
 * 10.8.5): the routine goes to compatibility mode, clears CR0.PG (which
 * leaves IA-32e mode), writes CR4 and CR3, sets CR0.PG again and returns
 * in 64-bit mode. Interrupts must be disabled; the code, stack, GDT and
 * IDT must be identity-mapped below 4 GiB (lib's are).
 */
void x86_paging_switch(uint64_t cr3, uint64_t cr4);

#endif
