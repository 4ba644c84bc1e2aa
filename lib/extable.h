/* SPDX-License-Identifier: MIT */
/*
 * The exception table: (faulting address, fixup address) pairs emitted by
 * the port's asm_safe macros into section .extable, sorted at boot.
 */
#ifndef LIB_EXTABLE_H
#define LIB_EXTABLE_H

#include <stdint.h>

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

#endif
