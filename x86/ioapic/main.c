// SPDX-License-Identifier: MIT
/*
 * The I/O APIC as the MADT describes it, driven by the one interrupt source
 * every x86 VMM here has: PIT channel 0 on ISA IRQ0. Mode 0 of the 8254
 * makes its output a controllable line: low from the count load, high at
 * terminal count and high until reprogrammed; so the test chooses edges
 * and levels. Checked: the version, ID and redirection-entry registers,
 * that IRQ0 reaches the GSI the interrupt source override names, edge and
 * level triggers, masking (an edge while masked is lost, a level is
 * delivered once unmasked), remote IRR and the EOI that clears it, a level
 * still asserted at EOI coming again, polarity, physical, logical and
 * lowest-priority destinations, and the EOI register with directed EOI.
 *
 * Specs: Intel 82093AA I/O APIC datasheet (3.2.1-3.2.4: ID, version,
 * redirection table; mask, remote IRR, delivery status, polarity,
 * trigger), ACPI 6.5 5.2.12.3/5.2.12.5 (I/O APIC structure, interrupt
 * source override; without one an ISA IRQ is the GSI of its number, active
 * high, edge), Intel 82C54 datasheet (mode 0), SDM vol. 3A 11.8.4 (TMR),
 * 11.8.5 and the x2APIC specification 2.5.1 (EOI broadcast and its
 * suppression), 11.6.2 (destinations).
 *
 * Lib's delays read PIT channel 0, which keeps counting in mode 0; each
 * subtest gives it back in mode 2 with the pin masked (src_restore()).
 *
 * Layout: regs.c (registers), trig.c (source, triggers, polarity, EOI),
 * dest.c (destinations).
 */
#include "subtest.h"
#include "ioapic_test.h"

static uint32_t gsi;
static bool gsi_known;

uint32_t src_gsi(void)
{
	if (!gsi_known)
		isa_irq0();
	return gsi;
}

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21

/*
 * The 8259 sees IRQ0 too (masked in its IMR, edge-triggered): its IRR
 * latches a rising edge whatever the mask, which tells when the VMM has
 * raised the line, not only when the PIT's count says it should be high.
 * A VMM may raise it later than the count (QEMU does so from its main
 * loop). Re-initialising the 8259 clears IRR; it stays fully masked.
 */
static void pic_irr_clear(void)
{
	outb(0x11, PIC1_CMD);	/* ICW1: edge, cascade, ICW4 */
	outb(0x20, PIC1_DATA);	/* ICW2: vectors 0x20-0x27 (never delivered) */
	outb(0x04, PIC1_DATA);	/* ICW3: slave on IRQ2 */
	outb(0x01, PIC1_DATA);	/* ICW4: 8086 mode */
	outb(0xff, PIC1_DATA);	/* OCW1: all masked */
}

static bool pic_irq0_latched(void)
{
	outb(0x0a, PIC1_CMD);	/* OCW3: read IRR */
	return inb(PIC1_CMD) & 1;
}

static bool have_pic(void)
{
	static int known = -1;

	if (known < 0) {
		outb(0xfe, PIC1_DATA);
		known = inb(PIC1_DATA) == 0xfe;
		outb(0xff, PIC1_DATA);
	}
	return known;
}

void line_rise(void)
{
	if (have_pic())
		pic_irr_clear();
	pit_mode0(RISE_TICKS);
}

static bool risen(const void *unused)
{
	return pic_irq0_latched();
}

/*
 * After line_rise(): wait (IF=0) until the rise reached the interrupt
 * controllers (the 8259's IRR, at most IRQ_WAIT_US); without an 8259,
 * 20 ms of PIT time. False when it never came.
 */
bool line_seen(void)
{
	bool ok;

	if (!have_pic()) {
		udelay(20000);
		return true;
	}
	ok = irq_wait_until(risen, NULL);
	irq_disable();
	return ok;
}

void line_low(void)
{
	pit_mode0(0);
}

void pin_set(uint64_t flags, unsigned int vec, uint32_t dest)
{
	ioapic_redir_write(src_gsi(), flags | vec | IOAPIC_DEST(dest));
}

uint64_t pin_get(void)
{
	return ioapic_redir_read(src_gsi());
}

/*
 * The line ends deasserted: a level pin that sees it low forgets it was
 * asserted (a VMM may otherwise keep the assertion latched into the next
 * subtest); then the pin is masked edge-triggered, as lib found it.
 */
void src_restore(void)
{
	irq_disable();
	ioapic_set_mask(src_gsi(), true);
	ioapic_redir_write(src_gsi(), IOAPIC_MASKED | IOAPIC_LEVEL);
	line_low();
	ioapic_redir_write(src_gsi(), IOAPIC_MASKED);
	pit_init();
}

/* Whether an edge of the PIT reaches @g, unmasked alone, with VEC_PROBE. */
static bool probe(uint32_t g)
{
	unsigned int before = irq_count(smp_id(), VEC_PROBE);

	ioapic_redir_write(g, VEC_PROBE | IOAPIC_DEST(apic_id()));
	line_rise();
	line_seen();
	irq_settle(2 * RISE_US);
	irq_disable();
	ioapic_redir_write(g, IOAPIC_MASKED);
	return irq_count(smp_id(), VEC_PROBE) > before;
}

/*
 * ACPI 5.2.12.5: ISA IRQ0 is the GSI an override names, or GSI 0. Where
 * it does not arrive there, the pins of the first I/O APIC are tried one
 * by one, and the one it reaches serves the other subtests.
 */
void isa_irq0(void)
{
	struct isa_irq q = ioapic_isa_irq(0);
	unsigned int pin;
	const struct ioapic *io = ioapic_for_gsi(q.gsi, &pin);

	gsi_known = true;
	gsi = q.gsi;
	report_info("MADT: ISA IRQ0 is GSI %u%s", q.gsi, q.overridden ? " (override)" : "");
	irq_install(VEC_PROBE, NULL, IRQ_EOI);
	irq_disable();
	if (!report(io, "an I/O APIC has ISA IRQ0's GSI"))
		report_abort("no I/O APIC pin for the PIT's interrupt");
	if (!report(probe(q.gsi), "the PIT's IRQ0 reaches the GSI the MADT gives it")) {
		io = ioapic_get(0);
		for (unsigned int p = 0; p < io->pins; p++) {
			if (p != q.gsi - io->gsi_base && probe(io->gsi_base + p)) {
				gsi = io->gsi_base + p;
				report_info("the PIT's IRQ0 reaches GSI %u instead", gsi);
				break;
			}
		}
	}
	irq_uninstall(VEC_PROBE);
	pit_init();
}

const char *needs_ioapic(void)
{
	const char *why = apic_args_mode();

	if (why)
		return why;
	return ioapic_count() ? NULL : "the MADT lists no I/O APIC";
}

const char *needs_xapic(void)
{
	const char *why = needs_ioapic();

	if (why)
		return why;
	return apic_test_mode() == APIC_MODE_XAPIC ? NULL :
	       "xAPIC mode only (logical destinations in x2APIC mode need interrupt remapping)";
}

static const struct subtest tests[] = {
	SUBTEST_NEEDS(versions, needs_ioapic),
	SUBTEST_NEEDS(ids, needs_ioapic),
	SUBTEST_NEEDS(redir_fields, needs_ioapic),
	SUBTEST_NEEDS(isa_irq0, needs_ioapic),
	SUBTEST_NEEDS(edge, needs_ioapic),
	SUBTEST_NEEDS(edge_masked, needs_ioapic),
	SUBTEST_NEEDS(level, needs_ioapic),
	SUBTEST_NEEDS(level_mask, needs_ioapic),
	SUBTEST_NEEDS(polarity_level, needs_ioapic),
	SUBTEST_NEEDS(polarity_edge, needs_ioapic),
	SUBTEST_NEEDS(physical_dest, needs_ioapic),
	SUBTEST_NEEDS(logical_dest, needs_xapic),
	SUBTEST_NEEDS(lowest_dest, needs_xapic),
	SUBTEST_NEEDS(directed_eoi, needs_directed_eoi),
};

SUBTESTS_MAIN(tests)
