// SPDX-License-Identifier: MIT
/*
 * The I/O APIC driver: the MADT's I/O APIC structures and interrupt source
 * overrides, read once (lazily, from the RSDP smp.c found at boot), and
 * indirect register access through IOREGSEL/IOWIN (82093AA datasheet 3.1).
 * Nothing is programmed here: the boot state is the firmware's, which a
 * test may want to see.
 */
#include "acpi.h"
#include "ioapic.h"
#include "report.h"
#include "x86.h"

#define MADT_IOAPIC	1
#define MADT_ISO	2
#define MAX_IOAPICS	8
#define ISA_IRQS	16

#define IOREGSEL	0x00
#define IOWIN		0x10
#define IOAPIC_EOI	0x40

static struct ioapic ioapics[MAX_IOAPICS];
static int nr_ioapics = -1;
static struct isa_irq isa[ISA_IRQS];

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* ACPI 6.5 table 5.50, MPS INTI flags: polarity bits 1:0, trigger mode bits 3:2. */
static void madt_iso(const uint8_t *b)
{
	uint16_t flags = b[8] | b[9] << 8;
	struct isa_irq *i;

	if (b[2] != 0 || b[3] >= ISA_IRQS)	/* bus 0 is ISA */
		return;
	i = &isa[b[3]];
	i->gsi = get32(b + 4);
	i->active_low = (flags & 3) == 3;
	i->level = ((flags >> 2) & 3) == 3;
	i->overridden = true;
}

static void madt_entry(const struct madt_entry *e, void *data)
{
	const uint8_t *b = (const uint8_t *)e;

	if (e->type == MADT_IOAPIC && e->length >= 12) {
		if (nr_ioapics == MAX_IOAPICS)
			report_abort("MADT lists more than %d I/O APICs", MAX_IOAPICS);
		ioapics[nr_ioapics++] = (struct ioapic){
			.madt_id = b[2], .addr = get32(b + 4), .gsi_base = get32(b + 8),
		};
	} else if (e->type == MADT_ISO && e->length >= 10) {
		madt_iso(b);
	}
}

static void ioapic_init(void)
{
	if (nr_ioapics >= 0)
		return;
	nr_ioapics = 0;
	for (unsigned int irq = 0; irq < ISA_IRQS; irq++)
		isa[irq] = (struct isa_irq){ .gsi = irq };
	if (!x86_acpi_rsdp() || acpi_madt_foreach(x86_acpi_rsdp(), madt_entry, NULL) < 0)
		return;
	for (int i = 0; i < nr_ioapics; i++)
		ioapics[i].pins = IOAPIC_VER_MAXREDIR(ioapic_read(&ioapics[i], IOAPIC_VER)) + 1;
}

int ioapic_count(void)
{
	ioapic_init();
	return nr_ioapics;
}

const struct ioapic *ioapic_get(int i)
{
	return i >= 0 && i < ioapic_count() ? &ioapics[i] : NULL;
}

const struct ioapic *ioapic_for_gsi(uint32_t gsi, unsigned int *pin)
{
	for (int i = 0; i < ioapic_count(); i++) {
		const struct ioapic *io = &ioapics[i];

		if (gsi >= io->gsi_base && gsi - io->gsi_base < io->pins) {
			*pin = gsi - io->gsi_base;
			return io;
		}
	}
	return NULL;
}

struct isa_irq ioapic_isa_irq(unsigned int irq)
{
	ioapic_init();
	if (irq >= ISA_IRQS)
		report_abort("ISA IRQ %u does not exist", irq);
	return isa[irq];
}

uint32_t ioapic_read(const struct ioapic *io, unsigned int reg)
{
	volatile uint32_t *base = (volatile uint32_t *)(uintptr_t)io->addr;

	base[IOREGSEL / 4] = reg;
	return base[IOWIN / 4];
}

void ioapic_write(const struct ioapic *io, unsigned int reg, uint32_t val)
{
	volatile uint32_t *base = (volatile uint32_t *)(uintptr_t)io->addr;

	base[IOREGSEL / 4] = reg;
	base[IOWIN / 4] = val;
}

static const struct ioapic *gsi_ioapic(uint32_t gsi, unsigned int *pin)
{
	const struct ioapic *io = ioapic_for_gsi(gsi, pin);

	if (!io)
		report_abort("no I/O APIC has GSI %u", gsi);
	return io;
}

uint64_t ioapic_redir_read(uint32_t gsi)
{
	unsigned int pin;
	const struct ioapic *io = gsi_ioapic(gsi, &pin);

	return ioapic_read(io, IOAPIC_REDTBL(pin)) |
	       (uint64_t)ioapic_read(io, IOAPIC_REDTBL(pin) + 1) << 32;
}

/*
 * High half first, then the low half, which holds the mask: an unmasking
 * write takes effect with the destination already in place.
 */
void ioapic_redir_write(uint32_t gsi, uint64_t entry)
{
	unsigned int pin;
	const struct ioapic *io = gsi_ioapic(gsi, &pin);

	ioapic_write(io, IOAPIC_REDTBL(pin) + 1, entry >> 32);
	ioapic_write(io, IOAPIC_REDTBL(pin), (uint32_t)entry);
}

void ioapic_set_mask(uint32_t gsi, bool masked)
{
	unsigned int pin;
	const struct ioapic *io = gsi_ioapic(gsi, &pin);
	uint32_t lo = ioapic_read(io, IOAPIC_REDTBL(pin));

	lo = masked ? lo | IOAPIC_MASKED : lo & ~IOAPIC_MASKED;
	ioapic_write(io, IOAPIC_REDTBL(pin), lo);
}

void ioapic_eoi(const struct ioapic *io, unsigned int vector)
{
	volatile uint32_t *base = (volatile uint32_t *)(uintptr_t)io->addr;

	base[IOAPIC_EOI / 4] = vector;
}
