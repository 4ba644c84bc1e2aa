// SPDX-License-Identifier: MIT
/*
 * PSCI CPU_SUSPEND (DEN0022 chapter 5, CPU_SUSPEND; 6.5 power_state):
 * a standby state woken by an interrupt (the caller's virtual timer, or an
 * SGI from another CPU), and a power-down state when the devicetree
 * advertises one, which either resumes at the entry point with the context
 * ID in x0 and the core as CPU_ON leaves it, or returns SUCCESS when the
 * implementation did not power down (a wake-up event was pending, or it
 * coordinated to a shallower state).
 *
 * A core in standby wakes on an interrupt whatever PSTATE.I says, as from
 * WFI (Arm ARM D1.6 "Wait for Interrupt"): the callers mask IRQs so the
 * interrupt stays pending, visible in the GIC, until they unmask it.
 *
 * What fails here: a standby that returns anything but SUCCESS (or
 * INVALID_PARAMETERS, which says power_state 0 is no state of this platform:
 * a skip), and a standby that does not end once its wake-up interrupt is
 * pending. For the SGI the main CPU watches the target and reports that as
 * a FAIL after PSCI_WAIT_MS; the timer case suspends the only CPU there may
 * be, so there the runner's timeout reports the hang.
 * A standby that ends early, before its event, is no failure and no check
 * can make it one: standby has WFI's semantics, and the Arm ARM lets a PE
 * leave WFI's low-power state for any reason (D1.6, WFI wake-up events), so
 * even a CPU_SUSPEND that returns at once every time is allowed. Each
 * caller suspends again until its event happened and reports the early
 * returns as INFO.
 */
#include "asm/processor.h"
#include "asm/timer.h"
#include "cpu.h"
#include "devicetree.h"
#include "gic.h"
#include "platform.h"
#include "psci.h"
#include "psci-test.h"
#include "report.h"
#include "smp.h"

/* power_state (6.5): StateType is bit 16 in the original format, bit 30 in the extended one. */
#define PS_ORIG_POWERDOWN	(1U << 16)
#define PS_EXT_POWERDOWN	(1U << 30)
/* Core standby, power level 0, StateID 0: the same value in either format. */
#define PS_STANDBY		0

#define NO_STANDBY	"power_state 0 (core standby, StateID 0) is not a state of this platform"
#define WAKE_SGI		5
#define MAX_EARLY		100000

static int irq_count[MAX_CPUS];

static void count_irq(struct ex_regs *regs, unsigned int intid)
{
	__atomic_add_fetch(&irq_count[smp_id()], 1, __ATOMIC_SEQ_CST);
	if (intid == platform_irq(PLAT_IRQ_TIMER_VIRT).intid) {
		write_sysreg(0, cntv_ctl_el0);	/* the level drops: taken once */
		isb();
	}
}

/* With IRQs masked, wait up to PSCI_WAIT_MS for @intid to be pending here. */
static bool wait_pending(unsigned int intid)
{
	for (int ms = 0; ms <= PSCI_WAIT_MS; ms++) {
		if (gic_irq_is_pending(intid))
			return true;
		mdelay(1);
	}
	return false;
}

/* Unmask IRQs until this CPU's count moved past @before (PSCI_WAIT_MS at most). */
static bool take_irq(int before)
{
	int cpu = smp_id();

	for (int ms = 0; ms <= PSCI_WAIT_MS; ms++) {
		local_irq_enable();
		udelay(100);
		local_irq_disable();
		if (__atomic_load_n(&irq_count[cpu], __ATOMIC_SEQ_CST) > before)
			return true;
	}
	return false;
}

void suspend_standby_timer(void)
{
	unsigned int ppi = platform_irq(PLAT_IRQ_TIMER_VIRT).intid;
	uint64_t deadline;
	int early = -1, before = irq_count[smp_id()];
	long ret;

	install_irq_handler(ppi, count_irq);
	local_irq_disable();
	gic_irq_enable(ppi);
	deadline = read_cntvct() + timer_freq() / 100;	/* 10 ms */
	write_sysreg(deadline, cntv_cval_el0);
	write_sysreg(CNT_CTL_ENABLE, cntv_ctl_el0);
	isb();
	do {
		ret = psci_call(PSCI_CPU_SUSPEND_64, PS_STANDBY, 0, 0);
		early++;
	} while (ret == PSCI_SUCCESS && read_cntvct() < deadline && early < MAX_EARLY);
	if (ret == PSCI_INVALID_PARAMETERS) {
		report_skip(NO_STANDBY);
	} else {
		report_eq(PSCI_SUCCESS, ret, "CPU_SUSPEND to standby returns SUCCESS, each call "
			  "until the virtual timer's deadline passed");
		report_info("%d early returns before the timer's deadline", early);
		report(wait_pending(ppi), "the timer interrupt (INTID %u) that ends the standby "
		       "stays pending while PSTATE.I masks it", ppi);
		report(take_irq(before), "the timer interrupt is taken once PSTATE.I is cleared");
	}
	write_sysreg(0, cntv_ctl_el0);
	gic_irq_disable(ppi);
	install_irq_handler(ppi, NULL);
}

/*
 * The wake-up SGI goes out only once the target masked IRQs (ready): it
 * then stays pending and wakes the standby, even if the target's vCPU is
 * descheduled for longer than the main CPU's delay.
 */
static struct {
	int ready;
	int sent;
	int early;
	long ret;
	int returned;	/* out of the CPU_SUSPEND loop */
	bool pending;
	bool taken;
} sgi_wake;

static void standby_until_sgi(void *data)
{
	int before = irq_count[smp_id()];

	local_irq_disable();
	__atomic_store_n(&sgi_wake.ready, 1, __ATOMIC_RELEASE);
	sgi_wake.early = -1;
	do {
		sgi_wake.ret = psci_call(PSCI_CPU_SUSPEND_64, PS_STANDBY, 0, 0);
		sgi_wake.early++;
	} while (sgi_wake.ret == PSCI_SUCCESS && !__atomic_load_n(&sgi_wake.sent, __ATOMIC_ACQUIRE)
		 && sgi_wake.early < MAX_EARLY);
	__atomic_store_n(&sgi_wake.returned, 1, __ATOMIC_RELEASE);
	sgi_wake.pending = wait_pending(WAKE_SGI);
	sgi_wake.taken = take_irq(before);
}

/* Wait for @flag, set by another CPU (PSCI_WAIT_MS at most). */
static bool wait_flag(int *flag)
{
	for (int ms = 0; ms <= PSCI_WAIT_MS; ms++) {
		if (__atomic_load_n(flag, __ATOMIC_ACQUIRE))
			return true;
		mdelay(1);
	}
	return false;
}

void suspend_standby_sgi(void)
{
	int target = cpu_count() - 1;

	install_irq_handler(WAKE_SGI, count_irq);
	on_cpu_async(target, standby_until_sgi, NULL);
	wait_flag(&sgi_wake.ready);
	mdelay(10);	/* not needed for correctness: lets the target reach standby first */
	__atomic_store_n(&sgi_wake.sent, 1, __ATOMIC_RELEASE);
	gic_send_sgi(target, WAKE_SGI);
	if (!report(wait_flag(&sgi_wake.returned), "CPU %d returns from CPU_SUSPEND to standby "
		    "once the SGI is pending, with PSTATE.I masking it", target)) {
		/* Its on_cpu() work never ends: lib must post nothing more there. */
		smp_cpu_offline(target);
		return;
	}
	on_cpu_wait(target);
	if (sgi_wake.ret == PSCI_INVALID_PARAMETERS) {
		report_skip(NO_STANDBY);
	} else {
		report_eq(PSCI_SUCCESS, sgi_wake.ret,
			  "CPU_SUSPEND to standby on CPU %d returns SUCCESS", target);
		report_info("%d early returns before the SGI was sent", sgi_wake.early);
		report(sgi_wake.pending, "the SGI stays pending on CPU %d while PSTATE.I masks it",
		       target);
		report(sgi_wake.taken, "CPU %d takes the SGI once PSTATE.I is cleared", target);
	}
	install_irq_handler(WAKE_SGI, NULL);
}

static uint32_t powerdown_bit(void)
{
	return psci_extended_format() ? PS_EXT_POWERDOWN : PS_ORIG_POWERDOWN;
}

/* The first "arm,idle-state" whose arm,psci-suspend-param is a power-down state. */
static bool powerdown_state(uint32_t *param)
{
	for (int node = dt_find_compatible(-1, "arm,idle-state"); node >= 0;
	     node = dt_find_compatible(node, "arm,idle-state"))
		if (dt_prop_cell(node, "arm,psci-suspend-param", 0, param) &&
		    (*param & powerdown_bit()))
			return true;
	return false;
}

const char *need_powerdown_state(void)
{
	uint32_t param;

	return powerdown_state(&param) ? NULL :
		"the devicetree advertises no power-down idle state (arm,idle-state)";
}

static struct {
	uint32_t state;
	uintptr_t entry;
	uint64_t context;
	long ret;
	int ready;
	int returned;
} pd;

static void powerdown_work(void *data)
{
	local_irq_disable();
	__atomic_store_n(&pd.ready, 1, __ATOMIC_RELEASE);
	pd.ret = psci_call(PSCI_CPU_SUSPEND_64, pd.state, pd.entry, pd.context);
	__atomic_store_n(&pd.returned, 1, __ATOMIC_RELEASE);
	local_irq_enable();	/* the wake-up SGI is taken here */
}

static void powerdown_resumed(struct entry_record *rec, int cpu)
{
	entry_check(rec, cpu, "CPU_SUSPEND power-down");
	entry_release(rec);
	report_eq(PSCI_AFFINITY_OFF, wait_affinity(cpu, PSCI_AFFINITY_OFF),
		  "CPU %d resumed from power-down turns OFF with CPU_OFF", cpu);
	/* Its on_cpu() work never returns: lib takes the CPU back as a fresh one. */
	smp_cpu_offline(cpu);
	report_eq(PSCI_SUCCESS, cpu_power_on(cpu),
		  "CPU %d comes back with CPU_ON after a power-down resume", cpu);
}

void suspend_powerdown(void)
{
	int target = cpu_count() - 1;
	struct entry_record *rec = entry_record_new();
	bool resumed = false;

	powerdown_state(&pd.state);
	pd.entry = entry_address();
	pd.context = entry_context(rec);
	pd.returned = pd.ready = 0;
	report_info("power-down state %#x from the devicetree", pd.state);
	install_irq_handler(WAKE_SGI, count_irq);
	on_cpu_async(target, powerdown_work, NULL);
	wait_flag(&pd.ready);	/* the SGI must find IRQs masked: see sgi_wake */
	mdelay(10);	/* lets the target reach the state before the wake-up */
	gic_send_sgi(target, WAKE_SGI);
	for (int ms = 0; ms <= PSCI_WAIT_MS; ms++) {
		dcache_inval_poc(rec, sizeof(*rec));
		resumed = *(volatile uint64_t *)&rec->entries;
		if (resumed || __atomic_load_n(&pd.returned, __ATOMIC_ACQUIRE))
			break;
		mdelay(1);
	}
	if (resumed) {
		powerdown_resumed(rec, target);
	} else if (__atomic_load_n(&pd.returned, __ATOMIC_ACQUIRE)) {
		on_cpu_wait(target);
		report_eq(PSCI_SUCCESS, pd.ret, "CPU_SUSPEND to power-down state %#x that returns "
			  "(no power-down happened) returns SUCCESS", pd.state);
	} else {
		report_fail("CPU %d neither resumed at the entry point nor returned from "
			    "CPU_SUSPEND to power-down state %#x, %d ms after the wake-up SGI",
			    target, pd.state, PSCI_WAIT_MS);
	}
	install_irq_handler(WAKE_SGI, NULL);
}
