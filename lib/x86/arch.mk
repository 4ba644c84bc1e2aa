# SPDX-License-Identifier: MIT
# x86_64 port: flags, objects and the multiboot image rule.

ARCH_CFLAGS := -m64 -mno-red-zone -mno-sse -mno-mmx -mno-80387 -mcmodel=small
ARCH_OBJS := $(addprefix lib/x86/,cstart64.o entry.o setup.o desc.o io.o mmu.o apic.o \
	smp.o usermode.o)
LDSCRIPT := $(SRCDIR)/lib/x86/flat.lds

# QEMU's multiboot loader takes only ELF32: the .flat is an elf32-i386 copy
# of the linked image (the 64-bit .elf stays for addr2line).
%.flat: %.elf
	@$(if $(Q),echo "  OBJCOPY $@")
	$(Q)$(OBJCOPY) -O elf32-i386 $< $@
