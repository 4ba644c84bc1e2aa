// SPDX-License-Identifier: MIT
/*
 * The registers of every I/O APIC in the MADT (82093AA datasheet 3.2.1,
 * 3.2.2, 3.2.4): the version, the maximum redirection entry, the ID the
 * MADT states, and each redirection entry's writable and read-only bits.
 */
#include "ioapic_test.h"

/*
 * 82093AA 3.2.2: version 11H; later I/O APICs (with the EOI register of
 * directed EOI) 20H. The one at GSI 0 has a pin for each ISA IRQ.
 */
void versions(void)
{
	for (int i = 0; i < ioapic_count(); i++) {
		const struct ioapic *io = ioapic_get(i);
		uint32_t ver = ioapic_read(io, IOAPIC_VER);

		report_in_range_x(0x11, 0x20, IOAPIC_VER_VERSION(ver),
				  "I/O APIC %d: version is 11H to 20H", i);
		if (io->gsi_base == 0)
			report_in_range(15, 239, IOAPIC_VER_MAXREDIR(ver),
					"I/O APIC %d (GSI 0): at least 16 pins, one per ISA IRQ",
					i);
		ioapic_write(io, IOAPIC_VER, ~ver);
		report_eq_x(ver, ioapic_read(io, IOAPIC_VER),
			    "I/O APIC %d: the version register is read-only", i);
	}
}

/* ACPI 5.2.12.3: the MADT gives each I/O APIC's ID; 82093AA 3.2.1: ID in bits 27:24. */
void ids(void)
{
	for (int i = 0; i < ioapic_count(); i++) {
		const struct ioapic *io = ioapic_get(i);

		report_eq(io->madt_id, (ioapic_read(io, IOAPIC_ID) >> 24) & 0xf,
			  "I/O APIC %d: the ID register holds the MADT's I/O APIC ID", i);
	}
}

/* Writable: vector, delivery and destination mode, polarity, trigger, mask, destination. */
#define RW_PATTERN	(IOAPIC_MASKED | IOAPIC_LEVEL | IOAPIC_ACTIVE_LOW | IOAPIC_DEST_LOGICAL | \
			 APIC_DM_LOWEST | 0x5a | IOAPIC_DEST(0xa5))
#define RO_BITS		(IOAPIC_PENDING | IOAPIC_REMOTE_IRR)

/*
 * 82093AA 3.2.4: each entry's writable fields read back; delivery status
 * (bit 12) and remote IRR (bit 14) are read-only, 0 on a masked idle pin.
 * Entries are masked throughout and written back after.
 */
static void pin_fields(const struct ioapic *io, unsigned int pin)
{
	uint32_t g = io->gsi_base + pin;
	uint64_t old = ioapic_redir_read(g);

	ioapic_redir_write(g, RW_PATTERN);
	report_eq_x(RW_PATTERN, ioapic_redir_read(g), "GSI %u: the entry reads back as written",
		    g);
	ioapic_redir_write(g, IOAPIC_MASKED | RO_BITS | 0x5a);
	report_eq_x(0, ioapic_redir_read(g) & RO_BITS,
		    "GSI %u: delivery status and remote IRR ignore writes", g);
	ioapic_redir_write(g, old | IOAPIC_MASKED);
}

void redir_fields(void)
{
	for (int i = 0; i < ioapic_count(); i++) {
		const struct ioapic *io = ioapic_get(i);

		for (unsigned int pin = 0; pin < io->pins; pin++)
			pin_fields(io, pin);
	}
}
