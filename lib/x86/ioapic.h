/* SPDX-License-Identifier: MIT */
/*
 * I/O APICs as the ACPI MADT describes them (ACPI 6.5, 5.2.12.3 and
 * 5.2.12.5: I/O APIC structures, interrupt source overrides) and their
 * registers (Intel 82093AA datasheet, section 3). Redirection entries are
 * addressed by global system interrupt (GSI).
 */
#ifndef LIB_X86_IOAPIC_H
#define LIB_X86_IOAPIC_H

#include "libc.h"

#define IOAPIC_ID		0x00
#define IOAPIC_VER		0x01
#define  IOAPIC_VER_VERSION(v)	((v) & 0xff)
#define  IOAPIC_VER_MAXREDIR(v)	(((v) >> 16) & 0xff)
#define IOAPIC_ARB		0x02
#define IOAPIC_REDTBL(pin)	(0x10 + 2 * (pin))

/* Redirection entry (82093AA 3.2.4); delivery modes as in the ICR (asm/apic.h). */
#define IOAPIC_VECTOR_MASK	0xffULL
#define IOAPIC_DEST_LOGICAL	(1ULL << 11)
#define IOAPIC_PENDING		(1ULL << 12)	/* delivery status, read-only */
#define IOAPIC_ACTIVE_LOW	(1ULL << 13)
#define IOAPIC_REMOTE_IRR	(1ULL << 14)	/* read-only */
#define IOAPIC_LEVEL		(1ULL << 15)
#define IOAPIC_MASKED		(1ULL << 16)
#define IOAPIC_DEST(d)		((uint64_t)(d) << 56)

struct ioapic {
	uint32_t addr;		/* register window (IOREGSEL at +0, IOWIN at +0x10) */
	uint32_t gsi_base;	/* GSI of pin 0 */
	uint8_t madt_id;	/* the I/O APIC ID the MADT states */
	unsigned int pins;	/* maximum redirection entry + 1 */
};

/* An ISA IRQ as an interrupt source override states it (or ISA's default). */
struct isa_irq {
	uint32_t gsi;
	bool level, active_low;
	bool overridden;	/* an override exists for it */
};

/* I/O APICs in the MADT (the first call walks it). */
int ioapic_count(void);
const struct ioapic *ioapic_get(int i);

/* The I/O APIC with @gsi and the pin it is there; NULL when none has it. */
const struct ioapic *ioapic_for_gsi(uint32_t gsi, unsigned int *pin);

/* Where ISA IRQ @irq goes: its override, else GSI = IRQ, active high, edge. */
struct isa_irq ioapic_isa_irq(unsigned int irq);

uint32_t ioapic_read(const struct ioapic *io, unsigned int reg);
void ioapic_write(const struct ioapic *io, unsigned int reg, uint32_t val);

/* The redirection entry of @gsi (aborts when no I/O APIC has it). */
uint64_t ioapic_redir_read(uint32_t gsi);
void ioapic_redir_write(uint32_t gsi, uint64_t entry);

/* Mask or unmask @gsi with one write of the entry's low half (nothing else changes). */
void ioapic_set_mask(uint32_t gsi, bool masked);

/*
 * EOI register of I/O APICs from version 0x20 (offset 0x40, not in the
 * 82093AA): clears remote IRR of the level-triggered pins with @vector.
 */
void ioapic_eoi(const struct ioapic *io, unsigned int vector);

#endif
