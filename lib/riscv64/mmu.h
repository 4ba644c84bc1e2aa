/* SPDX-License-Identifier: MIT */
/*
 * The translation mode of lib's page tables (privileged architecture
 * v1.12, 4.1.11 satp; 4.4 Sv39, 4.5 Sv48, 4.6 Sv57). lib boots in Sv39,
 * which every RV64 MMU implements; a test may rebuild the same identity
 * map for another mode and switch every CPU to it. lib/vm.h then works in
 * that mode's geometry.
 */
#ifndef RISCV64_MMU_H
#define RISCV64_MMU_H

#include "libc.h"

/* SATP_MODE_* of the tables every CPU translates with. */
unsigned long mmu_mode(void);

/* "Sv39", "Sv48", "Sv57" (or "bare"). */
const char *mmu_mode_name(unsigned long mode);

/* Levels of @mode's tables (3, 4, 5), 0 for an unknown mode. */
int mmu_mode_levels(unsigned long mode);

/**
 * mmu_set_mode() - build lib's identity map (RAM, the image, its U-mode
 * alias, devices) for @mode and switch every online CPU to it
 *
 * satp is WARL: a write of a mode the hart does not implement has no
 * effect at all (4.1.11). Return: 0, or -1 when this CPU kept its mode,
 * which is then left as it was.
 */
int mmu_set_mode(unsigned long mode);

#endif
