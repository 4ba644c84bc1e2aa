# SPDX-License-Identifier: MIT
# s390x port: flags, objects and the image rule.
#
# -march=z10: what lib needs (MVGHI, relative loads), so that older CPU
#  models run the images too.
# -msoft-float: no floating-point or vector registers in C; interruption
#  entry saves the general registers only.
# -mbackchain: every frame starts with the caller's stack pointer, which
#  backtraces walk (traps.c, arch_frame_caller()).

ARCH_CFLAGS := -march=z10 -mtune=z10 -msoft-float -mbackchain -mno-packed-stack
ARCH_ENTRY_OBJS := $(addprefix lib/s390x/,cstart64.o entry.o)
ARCH_OBJS := $(ARCH_ENTRY_OBJS) $(addprefix lib/s390x/,setup.o traps.o cpu.o sclp.o smp.o \
	mmu.o user.o)
LDSCRIPT := $(SRCDIR)/lib/s390x/flat.lds

# QEMU's -kernel takes the ELF itself (loaded at its addresses, entered at
# e_entry); the .flat is the .elf without symbols, which stays for addr2line.
%.flat: %.elf
	@$(if $(Q),echo "  OBJCOPY $@")
	$(Q)$(OBJCOPY) --strip-all $< $@
