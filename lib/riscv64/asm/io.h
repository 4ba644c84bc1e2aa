/* SPDX-License-Identifier: MIT */
/*
 * MMIO accessors: each is one plain load or store of its width through a
 * base register, which the compiler can neither merge nor split, so a
 * hypervisor that emulates the access decodes one simple instruction
 * (KVM RISC-V reads it from htinst or the guest's memory).
 */
#ifndef RISCV64_ASM_IO_H
#define RISCV64_ASM_IO_H

#include "libc.h"

/* read<sfx>(addr) and write<sfx>(v, addr) of @type with L<insn>/S<insn>. */
#define DEFINE_MMIO(sfx, type, ld, st)						\
	static inline type read##sfx(uintptr_t addr)				\
	{									\
		type v;								\
		asm volatile(ld " %0, 0(%1)" : "=r"(v) : "r"(addr) : "memory");	\
		return v;							\
	}									\
	static inline void write##sfx(type v, uintptr_t addr)			\
	{									\
		asm volatile(st " %z0, 0(%1)" : : "rJ"(v), "r"(addr) : "memory");	\
	}
DEFINE_MMIO(b, uint8_t, "lbu", "sb")
DEFINE_MMIO(w, uint16_t, "lhu", "sh")
DEFINE_MMIO(l, uint32_t, "lw", "sw")
DEFINE_MMIO(q, uint64_t, "ld", "sd")
#undef DEFINE_MMIO

#endif
