/* SPDX-License-Identifier: MIT */
/*
 * MMIO accessors. Each is one plain LDR/STR with a base register, never
 * merged, split or given a writeback addressing mode by the compiler, so a
 * hypervisor that emulates the access gets a valid syndrome (ESR_EL2.ISV,
 * Arm ARM D17.2.37) instead of having to decode the instruction.
 */
#ifndef ARM64_ASM_IO_H
#define ARM64_ASM_IO_H

#include "libc.h"

/* read<sfx>(addr) and write<sfx>(v, addr) of @type with LDR<insn>/STR<insn>. */
#define DEFINE_MMIO(sfx, type, insn, reg)					\
	static inline type read##sfx(uintptr_t addr)				\
	{									\
		type v;								\
		asm volatile("ldr" insn " %" reg "0, [%1]"			\
			     : "=r"(v) : "r"(addr) : "memory");			\
		return v;							\
	}									\
	static inline void write##sfx(type v, uintptr_t addr)			\
	{									\
		asm volatile("str" insn " %" reg "0, [%1]"			\
			     : : "rZ"(v), "r"(addr) : "memory");		\
	}
DEFINE_MMIO(b, uint8_t, "b", "w")
DEFINE_MMIO(w, uint16_t, "h", "w")
DEFINE_MMIO(l, uint32_t, "", "w")
DEFINE_MMIO(q, uint64_t, "", "x")
#undef DEFINE_MMIO

#endif
