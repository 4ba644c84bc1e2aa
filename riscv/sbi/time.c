// SPDX-License-Identifier: MIT
/*
 * TIME set_timer (SBI v2.0 chapter 6) against the supervisor timer
 * interrupt (privileged architecture 4.1.3: sip.STIP pending whatever
 * sie.STIE says; taken when sie.STIE and, in S-mode, sstatus.SIE are set).
 * set_timer always succeeds and clears a pending timer interrupt when its
 * value lies in the future. Bounds: a past value is pending within 1 s
 * (no wait is due at all; the bound only covers a loaded host), a future
 * one never before its time, which the guest reads before sip.
 */
#include "asm/exception.h"
#include "asm/processor.h"
#include "report.h"
#include "timer.h"
#include "sbi-test.h"

#define FUTURE_MS	50

const char *need_time(void)
{
	return need_ext(SBI_EXT_TIME, "no SBI TIME extension");
}

static bool stip(void)
{
	return csr_read(CSR_SIP) & SIE_STIE;
}

void time_set_timer(void)
{
	uint64_t target, seen;
	bool early = false;

	csr_clear(CSR_SIE, SIE_STIE);
	sbi_report_err(SBI_SUCCESS, sbi_set_timer(read_time()).error,
		       "set_timer of a past time succeeds");
	report(wait_pending(SIE_STIE, 1000), "set_timer of a past time makes sip.STIP pending");
	target = read_time() + FUTURE_MS * timer_freq() / 1000;
	sbi_set_timer(target);
	report(!stip() || read_time() >= target,
	       "set_timer %d ms ahead clears sip.STIP until then", FUTURE_MS);
	/* Each look at sip comes before its look at time: pending means time had come. */
	for (;;) {
		bool pending = stip();

		seen = read_time();
		if (pending)
			break;
		if (seen > target + timer_freq())
			break;
	}
	early = seen < target;
	report(stip() && !early, "sip.STIP turns pending once time reaches the set value "
	       "(%ld us past it)", (long)ticks_to_us(seen - MIN(seen, target)));
	sbi_set_timer(-1UL);
	report(!stip(), "set_timer(-1), infinitely far, clears sip.STIP");
}

static int ticks;

static void timer_irq(struct ex_regs *r)
{
	ticks++;
	sbi_set_timer(-1UL);
}

/* Pending but masked by sie.STIE, then by sstatus.SIE: taken only once both allow it. */
void time_masking(void)
{
	handler_t old = install_irq_handler(IRQ_S_TIMER, timer_irq);

	ticks = 0;
	csr_clear(CSR_SIE, SIE_STIE);
	local_irq_enable();
	sbi_set_timer(read_time());
	report(wait_pending(SIE_STIE, 1000) && ticks == 0,
	       "with sie.STIE clear the timer interrupt is pending, not taken");
	csr_set(CSR_SIE, SIE_STIE);
	report_eq(1, ticks, "setting sie.STIE takes the pending timer interrupt");
	local_irq_disable();
	sbi_set_timer(read_time());
	report(wait_pending(SIE_STIE, 1000) && ticks == 1,
	       "with sstatus.SIE clear the timer interrupt is pending, not taken");
	local_irq_enable();
	local_irq_disable();
	report_eq(2, ticks, "setting sstatus.SIE takes the pending timer interrupt");
	csr_clear(CSR_SIE, SIE_STIE);
	sbi_set_timer(-1UL);
	install_irq_handler(IRQ_S_TIMER, old);
}
