# SPDX-License-Identifier: MIT
# arm64 port: flags, objects and the image rule.
#
# -mgeneral-regs-only: exception entry saves no FP/SIMD state, so C never
#  touches those registers (the x86 port's -mno-sse).
# -mstrict-align: setup runs C with the MMU off, where every access is to
#  Device memory and an unaligned one faults.
# -mno-outline-atomics: the __atomic builtins inline (LDXR/STXR), no libgcc
#  helpers that probe HWCAPs.
# -mno-omit-leaf-frame-pointer: leaf functions get a frame record too, so
#  a backtrace from an exception in one names its caller.
# -mbranch-protection=none: no PAC/BTI instructions, whatever the
#  toolchain's default.

ARCH_CFLAGS := -march=armv8-a -mgeneral-regs-only -mstrict-align -mno-outline-atomics \
	-mno-omit-leaf-frame-pointer -mbranch-protection=none -mcmodel=small
ARCH_ENTRY_OBJS := $(addprefix lib/arm64/,cstart64.o entry.o)
ARCH_OBJS := $(ARCH_ENTRY_OBJS) $(addprefix lib/arm64/,setup.o traps.o mmu.o smp.o psci.o \
	gic.o gic-v2.o gic-v3.o platform.o io.o user.o)
LDSCRIPT := $(SRCDIR)/lib/arm64/flat.lds

# The .flat is the raw image (Linux arm64 Image layout: QEMU -kernel loads it
# at RAM + text_offset); the .elf stays for addr2line.
%.flat: %.elf
	@$(if $(Q),echo "  OBJCOPY $@")
	$(Q)$(OBJCOPY) -O binary $< $@
