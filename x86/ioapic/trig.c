// SPDX-License-Identifier: MIT
/*
 * Triggers, masks, polarity and EOI on the PIT's pin (82093AA datasheet
 * 3.2.4; SDM vol. 3A 11.8.4-11.8.5). Level tests override the MADT's edge
 * for IRQ0: the I/O APIC samples the line as programmed, and the 8254's
 * mode 0 output is a level that stays until the PIT is reprogrammed.
 * A handler that sees more than STORM deliveries masks the pin, so a VMM
 * that keeps redelivering ends the subtest instead of hanging it.
 */
#include "ioapic_test.h"

#define STORM	8
/* Waits for what must not come: the rise (1 ms) twice over. */
#define QUIET_US	(2 * RISE_US)

static uint32_t self_dest(void)
{
	return apic_id();
}

/* 82093AA 3.2.4: an edge on an unmasked edge-triggered pin is delivered once; TMR clear. */
void edge(void)
{
	int cpu = smp_id();

	irq_install(VEC_EDGE, NULL, IRQ_EOI);
	irq_disable();
	pin_set(0, VEC_EDGE, self_dest());
	line_rise();
	irq_wait(VEC_EDGE, 1);
	report_irq(cpu, VEC_EDGE, 1, "a rising edge on an edge-triggered pin is delivered");
	report(!irq_last(cpu, VEC_EDGE).tmr, "an edge-triggered interrupt leaves TMR clear");
	irq_settle(QUIET_US);
	report_irq(cpu, VEC_EDGE, 1, "a line that stays high raises no second edge interrupt");
	report_eq_x(0, pin_get() & IOAPIC_PENDING, "delivery status is idle after delivery");
	line_rise();
	irq_wait(VEC_EDGE, 2);
	report_irq(cpu, VEC_EDGE, 2, "the next rising edge is delivered again");
	src_restore();
	irq_uninstall(VEC_EDGE);
}

/* 82093AA 3.2.4: an edge on a masked pin is ignored, neither delivered nor held. */
void edge_masked(void)
{
	int cpu = smp_id();

	irq_install(VEC_EDGE, NULL, IRQ_EOI);
	irq_disable();
	pin_set(IOAPIC_MASKED, VEC_EDGE, self_dest());
	line_rise();
	line_seen();
	irq_settle(QUIET_US);
	report_irq(cpu, VEC_EDGE, 0, "a masked edge-triggered pin delivers nothing");
	pin_set(0, VEC_EDGE, self_dest());
	irq_settle(QUIET_US);
	report_irq(cpu, VEC_EDGE, 0, "unmasking does not deliver an edge that came while masked");
	src_restore();
	irq_uninstall(VEC_EDGE);
}

struct level_seen {
	uint64_t entry[STORM + 1];	/* the pin's entry in each handler, before EOI */
	bool out[STORM + 1];		/* the line (PIT OUT) in each handler */
	bool tmr;
	unsigned int deassert_at;	/* line low in the handler of this delivery */
	unsigned int mask_at;		/* pin masked in the handler of this delivery */
};

static struct level_seen seen;

static void level_handler(int vec, struct ex_regs *r)
{
	unsigned int n = irq_count(smp_id(), vec);

	if (n <= STORM) {
		seen.entry[n] = pin_get();
		seen.out[n] = pit_out();
	}
	if (n == 1)
		seen.tmr = apic_vec_test(APIC_TMR, vec);
	if (n == seen.deassert_at)
		line_low();
	if (n == seen.mask_at || n >= STORM)
		ioapic_set_mask(src_gsi(), true);
}

static void level_start(unsigned int deassert_at, unsigned int mask_at)
{
	memset(&seen, 0, sizeof(seen));
	seen.deassert_at = deassert_at;
	seen.mask_at = mask_at;
	irq_install(VEC_LEVEL, level_handler, IRQ_EOI);
	irq_disable();
}

/* The line high for good (mode 0 past its terminal count), the pin masked as @flags. */
static void high_while_masked(uint64_t flags, unsigned int vec)
{
	pin_set(IOAPIC_MASKED | flags, vec, self_dest());
	line_rise();
	report(line_seen(), "the PIT raises IRQ0 for the masked pin");
}

/*
 * The line high throughout: a level asserted while masked comes once
 * unmasked; asserted at EOI it comes again (the second handler masks the
 * pin); remote IRR is set in service and cleared by the EOI; TMR is set.
 * Then unmasked again and taken low in its handler: after that EOI no
 * delivery may find the line low (one once it rose again, 55 ms later, is
 * right).
 */
void level(void)
{
	int cpu = smp_id();
	unsigned int low = 0;

	level_start(3, 2);
	high_while_masked(IOAPIC_LEVEL, VEC_LEVEL);
	report_irq(cpu, VEC_LEVEL, 0, "nothing is delivered while the pin is masked");
	pin_set(IOAPIC_LEVEL, VEC_LEVEL, self_dest());
	irq_wait(VEC_LEVEL, 2);
	irq_settle(QUIET_US);
	report(seen.entry[1] != 0, "a level asserted while masked is delivered once unmasked");
	report_irq(cpu, VEC_LEVEL, 2, "a level still asserted at EOI is delivered again");
	report(seen.tmr, "a level-triggered interrupt sets TMR");
	report_eq_x(IOAPIC_REMOTE_IRR, seen.entry[1] & IOAPIC_REMOTE_IRR,
		    "remote IRR is set while the level interrupt is in service");
	report_eq_x(0, pin_get() & IOAPIC_REMOTE_IRR, "the EOI clears remote IRR");
	pin_set(IOAPIC_LEVEL, VEC_LEVEL, self_dest());
	irq_wait(VEC_LEVEL, 3);
	irq_settle(QUIET_US);
	for (unsigned int k = 4; k <= STORM && k <= irq_count(cpu, VEC_LEVEL); k++)
		low += !seen.out[k];
	report_eq(0, low, "no delivery finds the line low after it was taken low before the EOI");
	src_restore();
	irq_uninstall(VEC_LEVEL);
}

/*
 * Masked while in service, still asserted: the EOI clears remote IRR but
 * nothing comes while masked; unmasking retriggers it.
 */
void level_mask(void)
{
	int cpu = smp_id();

	level_start(0, 1);
	high_while_masked(IOAPIC_LEVEL, VEC_LEVEL);
	pin_set(IOAPIC_LEVEL, VEC_LEVEL, self_dest());
	irq_wait(VEC_LEVEL, 1);
	irq_settle(QUIET_US);
	report_irq(cpu, VEC_LEVEL, 1, "a level interrupt masked in its handler stays quiet");
	report_eq_x(0, pin_get() & IOAPIC_REMOTE_IRR, "the EOI clears remote IRR of a masked pin");
	seen.mask_at = 2;
	pin_set(IOAPIC_LEVEL, VEC_LEVEL, self_dest());
	irq_wait(VEC_LEVEL, 2);
	irq_settle(QUIET_US);
	report_irq(cpu, VEC_LEVEL, 2, "unmasking a still-asserted level retriggers it once");
	src_restore();
	irq_uninstall(VEC_LEVEL);
}

/*
 * 82093AA 3.2.4 (polarity, bit 13): with active low, a low line is the
 * asserted state and a high one is not. ISA IRQ0 is active high (the MADT
 * has it conform to ISA), so the PIT's output drives the pin as is. The
 * line is held high indefinitely, low only for 55 ms: the checks that
 * need it low are the ones that cannot be misled by its rising again.
 */
void polarity_level(void)
{
	int cpu = smp_id();

	level_start(0, 1);
	high_while_masked(IOAPIC_LEVEL | IOAPIC_ACTIVE_LOW, VEC_LEVEL);
	pin_set(IOAPIC_LEVEL | IOAPIC_ACTIVE_LOW, VEC_LEVEL, self_dest());
	irq_settle(QUIET_US);
	report_irq(cpu, VEC_LEVEL, 0, "an active-low level pin whose line is high stays quiet");
	level_start(0, 1);
	pin_set(IOAPIC_MASKED | IOAPIC_LEVEL | IOAPIC_ACTIVE_LOW, VEC_LEVEL, self_dest());
	line_low();
	pin_set(IOAPIC_LEVEL | IOAPIC_ACTIVE_LOW, VEC_LEVEL, self_dest());
	irq_wait(VEC_LEVEL, 1);
	report_irq(cpu, VEC_LEVEL, 1, "an active-low level pin whose line is low is delivered");
	src_restore();
	irq_uninstall(VEC_LEVEL);
}

/* Mask, take the line low (it rises 1 ms later), unmask while still low; false if too late. */
static bool unmask_before_rise(uint64_t flags, unsigned int vec)
{
	for (int tries = 0; tries < 5; tries++) {
		pin_set(IOAPIC_MASKED | flags, vec, self_dest());
		line_rise();
		pin_set(flags, vec, self_dest());
		if (!pit_out())
			return true;
	}
	return false;
}

/*
 * Active-low edge: the falling edge is the one taken; the rise is not an
 * edge of that polarity, so a fall that came while masked followed by a
 * rise while unmasked delivers nothing.
 */
void polarity_edge(void)
{
	int cpu = smp_id();

	irq_install(VEC_EDGE, NULL, IRQ_EOI);
	irq_disable();
	high_while_masked(IOAPIC_ACTIVE_LOW, VEC_EDGE);
	pin_set(IOAPIC_ACTIVE_LOW, VEC_EDGE, self_dest());
	irq_settle(QUIET_US);
	report_irq(cpu, VEC_EDGE, 0, "an active-low edge pin stays quiet while its line is high");
	line_rise();
	irq_wait(VEC_EDGE, 1);
	irq_settle(QUIET_US);
	report(irq_count(cpu, VEC_EDGE) >= 1, "an active-low edge pin takes a falling edge");
	irq_reset(VEC_EDGE);
	if (!unmask_before_rise(IOAPIC_ACTIVE_LOW, VEC_EDGE)) {
		report_skip("rising edge on an active-low pin: not unmasked in time (5 tries)");
	} else {
		line_seen();
		irq_settle(QUIET_US);
		report_irq(cpu, VEC_EDGE, 0, "an active-low edge pin ignores a rising edge");
	}
	src_restore();
	irq_uninstall(VEC_EDGE);
}

const char *needs_directed_eoi(void)
{
	const char *why = needs_ioapic();
	unsigned int pin;

	if (why)
		return why;
	if (!(apic_read(APIC_LVR) & APIC_LVR_DIRECTED_EOI))
		return "the local APIC does not announce EOI-broadcast suppression";
	if (IOAPIC_VER_VERSION(ioapic_read(ioapic_for_gsi(src_gsi(), &pin), IOAPIC_VER)) < 0x20)
		return "the I/O APIC (version 11H) has no EOI register";
	return NULL;
}

/*
 * x2APIC specification 2.5.1: with SPIV.12 set the local APIC's EOI of a
 * level interrupt is not broadcast, remote IRR stays set until software
 * writes the vector to the I/O APIC's EOI register.
 */
void directed_eoi(void)
{
	unsigned int pin;
	const struct ioapic *io = ioapic_for_gsi(src_gsi(), &pin);
	int cpu = smp_id();

	level_start(0, 0);
	apic_write(APIC_SPIV, APIC_SPIV_ENABLE | APIC_SPIV_DIRECTED_EOI | SPURIOUS_VECTOR);
	high_while_masked(IOAPIC_LEVEL, VEC_LEVEL);
	pin_set(IOAPIC_LEVEL, VEC_LEVEL, self_dest());
	irq_wait(VEC_LEVEL, 1);
	irq_settle(QUIET_US);
	report_irq(cpu, VEC_LEVEL, 1,
		   "without the EOI broadcast the asserted level stays in service");
	report_eq_x(IOAPIC_REMOTE_IRR, pin_get() & IOAPIC_REMOTE_IRR,
		    "with EOI-broadcast suppression the local EOI leaves remote IRR set");
	ioapic_eoi(io, VEC_LEVEL);
	irq_wait(VEC_LEVEL, 2);
	report_irq(cpu, VEC_LEVEL, 2, "the I/O APIC's EOI register ends it: the asserted level "
		   "comes again");
	apic_write(APIC_SPIV, APIC_SPIV_ENABLE | SPURIOUS_VECTOR);
	src_restore();
	irq_uninstall(VEC_LEVEL);
}
