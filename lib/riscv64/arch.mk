# SPDX-License-Identifier: MIT
# riscv64 port: flags, objects and the image rule.
#
# -march=rv64ima_zicsr_zifencei: no C, so that an image runs on a hart
#  without compressed instructions too (the traps and isa tests check
#  what a missing C does); no F, D or V, and -mabi=lp64 passes no value in
#  FP registers: trap entry saves no FP or vector state, and lib keeps
#  sstatus.FS and VS off.
# -mcmodel=medany: code and data addressed PC-relative, so the image's
#  U-mode alias (user.c) reaches its own globals.
# -mno-relax: no linker relaxation against gp, which lib leaves alone.
# -fno-omit-frame-pointer (top Makefile): s0 frames for backtraces; gcc
#  has no -mno-omit-leaf-frame-pointer here, traps.c copes with leaves.

ARCH_CFLAGS := -march=rv64ima_zicsr_zifencei -mabi=lp64 -mcmodel=medany -mno-relax \
	-mstrict-align
ARCH_ENTRY_OBJS := $(addprefix lib/riscv64/,cstart.o entry.o)
ARCH_OBJS := $(ARCH_ENTRY_OBJS) $(addprefix lib/riscv64/,setup.o traps.o mmu.o smp.o sbi.o \
	io.o timer.o user.o isa.o libgcc.o)
# Debian's cross gcc has an lp64d libgcc only, which ld will not link with lp64
# objects: libgcc.c has the helpers lib needs.
LIBGCC :=
LDSCRIPT := $(SRCDIR)/lib/riscv64/flat.lds

# The .flat is the raw image, which OpenSBI's fw_dynamic enters at its first
# byte (QEMU -kernel loads it at 0x80200000); the .elf stays for addr2line.
%.flat: %.elf
	@$(if $(Q),echo "  OBJCOPY $@")
	$(Q)$(OBJCOPY) -O binary $< $@
