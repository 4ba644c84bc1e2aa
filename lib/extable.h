/* SPDX-License-Identifier: MIT */
/*
 * The exception table and the one expected-exception primitive of every
 * arch. An asm block tagged with ASM_TRY() records (address of its first
 * instruction, address just past the block) in section .extable. When that
 * instruction raises a synchronous exception, the port's exception entry
 * finds the address with extable_find(), stores the packed exinfo (see
 * exinfo.h) in the register the port names ARCH_EXINFO_REG and resumes
 * just past the block.
 *
 * The port's header defines ARCH_EXINFO_REG (x86_64: "r15", arm64: "x28")
 * and, when its fixups need one, ARCH_ASM_TRY_TAIL (code ending every
 * block, run after the fixup too: s390x's NOP), then includes this file;
 * tests include the port's header.
 */
#ifndef LIB_EXTABLE_H
#define LIB_EXTABLE_H

#include <stdint.h>
#include "exinfo.h"

struct extable_entry {
	uintptr_t insn;
	uintptr_t fixup;
};

/**
 * extable_init() - sort the table so lookups can bisect. Called once by setup.
 */
void extable_init(void);

/**
 * extable_find() - the fixup for a faulting instruction address.
 * @ip: address of the faulting instruction
 * Return: the fixup address, or 0 when @ip is not in the table.
 */
uintptr_t extable_find(uintptr_t ip);

/* One table entry: the instruction at @from resumes at @to. */
#define ASM_EXTABLE(from, to)						\
	".pushsection .extable, \"a\"\n\t.balign 8\n\t"			\
	".quad " #from ", " #to "\n\t.popsection\n\t"

#ifndef ARCH_ASM_TRY_TAIL
#define ARCH_ASM_TRY_TAIL	""
#endif

/* @insn (a string of one or more instructions) whose first one may fault. */
#define ASM_TRY(insn)	"1: " insn "\n2:\n\t" ARCH_ASM_TRY_TAIL ASM_EXTABLE(1b, 2b)

/*
 * The exinfo result of an ASM_TRY block: 0 before, the exception after.
 * Pass it to the block as a "+r" operand.
 */
#define DECLARE_EXINFO(name) register exinfo_t name asm(ARCH_EXINFO_REG) = 0

/*
 * asm_safe(insn): run @insn, which takes no operands, and return the
 * exinfo of the exception it raised (0 for none).
 * Registers: ARCH_EXINFO_REG in/out; memory clobbered.
 */
#define asm_safe(insn)							\
	({								\
		DECLARE_EXINFO(__ex);					\
		asm volatile(ASM_TRY(insn) : "+r"(__ex) : : "memory");	\
		__ex;							\
	})

#endif
