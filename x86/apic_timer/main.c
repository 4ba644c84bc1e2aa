// SPDX-License-Identifier: MIT
/*
 * The local APIC timer: its rate (measured against the TSC, whose rate lib
 * measures against the PIT) and what CPUID leaf 15H says of it, the divide
 * configuration, one-shot and periodic modes, masking, re-arming and
 * disarming, TSC-deadline mode. Every CPU has its own timer; this image
 * tests the boot CPU's and, with 2 CPUs or more, runs the one-shot checks
 * on the last CPU too. "apic=x2apic" runs it all in x2APIC mode.
 *
 * Specs: Intel SDM vol. 3A 11.5.4 (timer, divide configuration figure
 * 11-10, initial and current count), 11.5.4.1 (TSC-deadline mode),
 * 11.5.1 (LVT mask), vol. 2A CPUID leaf 15H (TSC and core crystal clock);
 * AMD APM vol. 2 16.4.1 (APIC timer). Timing bounds: rate.c says how they
 * are derived; an interrupt that does not come is bounded by IRQ_WAIT_US
 * (lib/x86/irq.h).
 *
 * Layout: rate.c (rate, divide, leaf 15H), modes.c (one-shot, periodic,
 * mask, re-arm), deadline.c (TSC-deadline mode).
 */
#include "subtest.h"
#include "timer.h"

const char *needs_mode(void)
{
	return apic_args_mode();
}

static void oneshot_last(void *unused)
{
	oneshot();
}

static void last_cpu(void)
{
	report_prefix_pushf("CPU %d", cpu_count() - 1);
	on_cpu(cpu_count() - 1, oneshot_last, NULL);
	report_prefix_pop();
}

static const struct subtest tests[] = {
	SUBTEST_NEEDS(timer_rate, needs_mode),
	SUBTEST_NEEDS(divide_config, needs_mode),
	SUBTEST_NEEDS(crystal_15h, needs_leaf_15h),
	SUBTEST_NEEDS(oneshot, needs_mode),
	SUBTEST_NEEDS(periodic, needs_mode),
	SUBTEST_NEEDS(masking, needs_mode),
	SUBTEST_NEEDS(rearm_disarm, needs_mode),
	SUBTEST_SMP(last_cpu, needs_mode, 2),
	SUBTEST_NEEDS(deadline_fires, needs_tsc_deadline),
	SUBTEST_NEEDS(deadline_modes, needs_tsc_deadline),
};

SUBTESTS_MAIN(tests)
