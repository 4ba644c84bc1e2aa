// SPDX-License-Identifier: MIT
/*
 * What every subtest of the apic image shares: the LVT table, the needs
 * predicates, and putting this CPU's APIC back in lib's state.
 */
#include "apic_test.h"

#define FIXED_VEC(v)	(APIC_LVT_MASKED | (v))

/*
 * LVT entries by register, with the fields a write stores (SDM figure 11-8):
 * the timer its mode, LINT0/LINT1 delivery mode, polarity and trigger
 * (LINT1 is edge only), thermal, PMC and CMCI their delivery mode. They
 * appear in this order as the max LVT entry grows (SDM 11.4.8): timer,
 * LINT0, LINT1 and error always, then PMC (5), thermal (6), CMCI (7).
 */
const struct lvt apic_lvts[] = {
	{ APIC_LVTT, "timer", 4, APIC_LVT_MASKED | APIC_LVT_TIMER_PERIODIC | 0xff },
	{ APIC_LVT0, "LINT0", 4, APIC_LVT_MASKED | APIC_LVT_LEVEL | APIC_LVT_ACTIVE_LOW |
				 APIC_DM_MASK | 0xff },
	{ APIC_LVT1, "LINT1", 4, APIC_LVT_MASKED | APIC_LVT_ACTIVE_LOW | APIC_DM_MASK | 0xff },
	{ APIC_LVTERR, "error", 4, APIC_LVT_MASKED | 0xff },
	{ APIC_LVTPC, "performance counter", 5, APIC_LVT_MASKED | APIC_DM_MASK | 0xff },
	{ APIC_LVTTHMR, "thermal sensor", 6, APIC_LVT_MASKED | APIC_DM_MASK | 0xff },
	{ APIC_LVTCMCI, "CMCI", 7, APIC_LVT_MASKED | APIC_DM_MASK | 0xff },
};

const unsigned int apic_nr_lvts = ARRAY_SIZE(apic_lvts);

bool lvt_present(const struct lvt *l)
{
	return apic_lvt_count() >= l->min_count;
}

const char *needs_mode(void)
{
	return apic_args_mode();
}

const char *needs_x2apic(void)
{
	const char *why = apic_args_mode();

	if (why)
		return why;
	return apic_test_mode() == APIC_MODE_X2APIC ? NULL :
	       "x2APIC mode only (the apic=x2apic stanzas)";
}

void icr_self(unsigned int vec, uint32_t mode)
{
	apic_icr_write(APIC_DEST_SELF | APIC_INT_ASSERT | mode | vec, 0);
}

bool wait_irr(unsigned int vec)
{
	for (int i = 0; i < 100000; i++) {
		if (apic_vec_test(APIC_IRR, vec))
			return true;
		if (i > 1000)
			udelay(10);
	}
	return false;
}

static void drain_isr(void)
{
	for (int i = 0; i < 256 && apic_vec_highest(APIC_ISR) >= 0; i++)
		apic_eoi();
}

void apic_restore(void)
{
	irq_disable();
	apic_write(APIC_SPIV, APIC_SPIV_ENABLE | SPURIOUS_VECTOR);
	apic_write(APIC_TASKPRI, 0);
	apic_write(APIC_TMICT, 0);
	for (unsigned int i = 0; i < apic_nr_lvts; i++)
		if (lvt_present(&apic_lvts[i]))
			apic_write(apic_lvts[i].reg, FIXED_VEC(0));
	drain_isr();
	apic_write(APIC_ESR, 0);
	apic_write(APIC_ESR, 0);
}
