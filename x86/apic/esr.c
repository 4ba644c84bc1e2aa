// SPDX-License-Identifier: MIT
/*
 * The error status register (SDM 11.5.3; x2APIC specification 2.3.5):
 * what sending and receiving an illegal vector (0-15) logs, that such an
 * interrupt is never delivered nor set in IRR, the write that latches and
 * clears the errors, and the error LVT's interrupt.
 */
#include "apic_test.h"

/* Illegal vectors tried: ones whose IDT stub pushes no error code, so a wrong delivery returns. */
static const uint8_t illegal[] = { 0x03, 0x07, 0x0f };

static unsigned int low_deliveries;

/* A wrongly delivered illegal vector: count it, and end it if the APIC put it in service. */
static void count_low(struct ex_regs *r)
{
	low_deliveries++;
	if (apic_vec_test(APIC_ISR, r->vector))
		apic_eoi();
}

/* The ESR as a read after the latching write (SDM 11.5.3: write, then read). */
static uint32_t esr_latch(void)
{
	apic_write(APIC_ESR, 0);
	return apic_read(APIC_ESR);
}

static void illegal_self(unsigned int vec, bool self_ipi_msr)
{
	handler_t old = install_exception_handler(vec, count_low);
	uint32_t esr;

	esr_latch();
	low_deliveries = 0;
	if (self_ipi_msr)
		wrmsr(MSR_IA32_X2APIC_BASE + (APIC_SELF_IPI >> 4), vec);
	else
		icr_self(vec, APIC_DM_FIXED);
	irq_settle(1000);
	irq_disable();
	esr = esr_latch();
	report_eq_x(APIC_ESR_SEND_ILLEGAL, esr & APIC_ESR_SEND_ILLEGAL,
		    "%s of illegal vector %#x sets ESR Send Illegal Vector",
		    self_ipi_msr ? "SELF IPI" : "a self-IPI", vec);
	report_eq(0, low_deliveries, "%s of illegal vector %#x is not delivered",
		  self_ipi_msr ? "SELF IPI" : "a self-IPI", vec);
	report_eq(0, apic_read(APIC_IRR) & 0xffff, "%s of illegal vector %#x sets no IRR bit",
		  self_ipi_msr ? "SELF IPI" : "a self-IPI", vec);
	report_eq_x(0, esr_latch(), "the next ESR write clears the errors (after vector %#x%s)",
		    vec, self_ipi_msr ? " by SELF IPI" : "");
	install_exception_handler(vec, old);
}

void esr_send_illegal(void)
{
	irq_disable();
	report_eq_x(0, esr_latch(), "ESR logs no error before the test");
	for (size_t i = 0; i < ARRAY_SIZE(illegal); i++)
		illegal_self(illegal[i], false);
	if (apic_is_x2apic())
		illegal_self(illegal[1], true);
	apic_restore();
}

/* SDM 11.5.3: an error with the error LVT unmasked interrupts through its vector. */
void esr_error_lvt(void)
{
	handler_t old = install_exception_handler(illegal[0], count_low);

	irq_install(VEC_4E, NULL, IRQ_EOI);
	irq_disable();
	esr_latch();
	apic_write(APIC_LVTERR, APIC_LVT_MASKED | VEC_4E);
	icr_self(illegal[0], APIC_DM_FIXED);
	irq_settle(1000);
	report_irq(smp_id(), VEC_4E, 0, "a masked error LVT raises no error interrupt");
	report_eq_x(APIC_ESR_SEND_ILLEGAL, esr_latch() & APIC_ESR_SEND_ILLEGAL,
		    "errors are logged with the error LVT masked");
	esr_latch();
	apic_write(APIC_LVTERR, VEC_4E);
	icr_self(illegal[0], APIC_DM_FIXED);
	irq_wait(VEC_4E, 1);
	report_irq(smp_id(), VEC_4E, 1, "an illegal-vector self-IPI raises the error interrupt");
	irq_uninstall(VEC_4E);
	install_exception_handler(illegal[0], old);
	apic_restore();
}

static uint32_t lvt_esr;

/* The timer's error is logged, or (wrongly) its vector was delivered. */
static bool lvt_error_seen(const void *unused)
{
	lvt_esr |= esr_latch();
	return (lvt_esr & APIC_ESR_RECV_ILLEGAL) || low_deliveries;
}

/*
 * SDM 11.5.3: "Receive Illegal Vector" also covers interrupts generated
 * locally from the LVT: a one-shot timer with vector 7 expires, which the
 * APIC logs and does not deliver. The wait (interrupts enabled, at most
 * IRQ_WAIT_US) ends when the error is logged or the vector delivered, so
 * a VMM late with either still shows it; then nothing may come for 10 ms.
 * One expiry only: a short periodic timer with an illegal vector is an
 * interrupt storm on a VMM that delivers it, which a loaded host may never
 * let the guest out of.
 */
void esr_lvt_illegal(void)
{
	handler_t old = install_exception_handler(illegal[1], count_low);

	irq_disable();
	esr_latch();
	lvt_esr = 0;
	low_deliveries = 0;
	apic_write(APIC_TDCR, APIC_TDCR_BY1);
	apic_write(APIC_LVTT, APIC_LVT_TIMER_ONESHOT | illegal[1]);
	apic_write(APIC_TMICT, 1000);
	irq_wait_until(lvt_error_seen, NULL);
	irq_settle(10000);
	irq_disable();
	lvt_esr |= esr_latch();
	report_eq(0, apic_read(APIC_TMCCT), "a one-shot timer of 1000 ticks expires");
	report_eq_x(APIC_ESR_RECV_ILLEGAL, lvt_esr & APIC_ESR_RECV_ILLEGAL,
		    "the timer LVT's illegal vector 7 sets ESR Receive Illegal Vector");
	report_eq(0, low_deliveries, "the timer's illegal vector 7 is not delivered");
	install_exception_handler(illegal[1], old);
	apic_restore();
}
