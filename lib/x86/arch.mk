# SPDX-License-Identifier: MIT
# x86_64 port: flags, objects and the multiboot image rule.

ARCH_CFLAGS := -m64 -mno-red-zone -mno-sse -mno-mmx -mno-80387 -mcmodel=small
ARCH_ENTRY_OBJS := $(addprefix lib/x86/,cstart64.o entry.o)
ARCH_OBJS := $(ARCH_ENTRY_OBJS) $(addprefix lib/x86/,setup.o desc.o io.o mmu.o apic.o \
	smp.o usermode.o paging.o nested.o nested_entry.o svm.o svm_entry.o \
	vmx.o vmx_entry.o vmx_ept.o vmx_decode.o pmu.o)
# The interrupt path: I/O APICs, per-vector handlers and bounded waits, the TSC time base.
ARCH_OBJS += $(addprefix lib/x86/,ioapic.o irq.o tsc.o)
LDSCRIPT := $(SRCDIR)/lib/x86/flat.lds

# The Bochs boot sector (scripts/bochs-boot.sh): 16/32-bit code, its own link.
ARCH_EXTRA := lib/x86/bootsect.bin

lib/x86/bootsect.o: lib/x86/bootsect.S
	@mkdir -p $(@D)
	$(Q)$(CC) -m32 -c $< -o $@

lib/x86/bootsect.bin: lib/x86/bootsect.o $(SRCDIR)/lib/x86/bootsect.lds
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -m32 -nostdlib -static -no-pie -Wl,-T,$(SRCDIR)/lib/x86/bootsect.lds \
		-Wl,--build-id=none -o $@ $<

# QEMU's multiboot loader takes only ELF32: the .flat is an elf32-i386 copy
# of the linked image without symbols (the 64-bit .elf keeps them for addr2line).
%.flat: %.elf
	@$(if $(Q),echo "  OBJCOPY $@")
	$(Q)$(OBJCOPY) -O elf32-i386 --strip-all $< $@
