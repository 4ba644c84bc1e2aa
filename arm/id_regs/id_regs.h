/* SPDX-License-Identifier: MIT */
/* What the files of the id_regs test share. */
#ifndef ARM_ID_REGS_H
#define ARM_ID_REGS_H

#include "asm/exception.h"
#include "report.h"

/* The AArch64 ID registers the instruction table tests fields of. */
enum id_reg {
	PFR0, PFR1, ISAR0, ISAR1, ISAR2, MMFR1, MMFR2, NR_ID_REGS,
};

uint64_t id_reg_read(enum id_reg reg);

/* insns.c */
void feature_insns(void);
void sve_traps(void);

#endif
