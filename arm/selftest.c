// SPDX-License-Identifier: MIT
/*
 * The arm64 runtime tests itself against the VMM: boot, arguments and
 * environment from /chosen, every CPU online and the one its /cpus reg
 * names, exceptions and their syndromes, installed handlers, EL0 entry, GIC
 * interrupt delivery, PSCI CPU_OFF/CPU_ON through lib, the EL2 the port
 * leaves behind, and translation through page tables lib builds. args, smp,
 * smp_async, handlers and usermode are common/selftest.c; the MPIDR smp() prints and
 * usermode()'s EL0 checks come from the hooks here. lib's own bookkeeping
 * (handler table, pt_walk()) is not checked here: nothing of the VMM shows
 * in it.
 *
 * Specs: Arm ARM DDI 0487 D1.10 (exception entry, preferred return
 * addresses), D17.2.37 (ESR_ELx: EC values, data/instruction abort ISS,
 * BRK and SVC immediates, ISS of EC 0x18), D8.3 and D8.4 (translation
 * tables, block descriptors, permission faults), C6.2 (UDF, BRK, SVC,
 * MRS/MSR: EL2/EL3 registers are UNDEFINED at EL1, EL1 registers at EL0),
 * CTR_EL0 (an EL0 read traps with EC 0x18 while SCTLR_EL1.UCT is 0, as lib
 * leaves it), MPIDR_EL1 (affinity fields, which the devicetree's /cpus reg
 * repeats); GIC IHI 0048B / IHI 0069 (SGIs); PSCI DEN0022 5.4-5.6 (CPU_OFF,
 * CPU_ON: target_cpu is the MPIDR affinity of the core to power up,
 * AFFINITY_INFO).
 * Arguments: the cfg passes "smp=<n>" (checked against the CPUs found) and
 * "quoted=two words" (checks that quoting survives the command line).
 */
#include "alloc.h"
#include "asm/exception.h"
#include "asm/processor.h"
#include "asm/timer.h"
#include "cpu.h"
#include "gic.h"
#include "psci.h"
#include "report.h"
#include "smp.h"
#include "subtest.h"
#include "user.h"
#include "vm.h"
#include "../common/selftest.h"

uint64_t selftest_cpu_hwid(void)
{
	return mpidr_affinity();
}

static void exceptions(void)
{
	uint64_t v = 0;
	struct pt_walk w;
	DECLARE_EXINFO(ex);

	report_exc(EXINFO(ESR_EC_UNKNOWN, 0), asm_safe("udf #0"), "UDF is UNDEFINED (EC 0)");
	report_exc(EXINFO(ESR_EC_BRK64, 0x1234), asm_safe("brk #0x1234"),
		   "BRK #0x1234 raises EC 0x3c with the immediate as ISS");
	report_exc(EXINFO(ESR_EC_SVC64, 0x42), asm_safe("svc #0x42"),
		   "SVC #0x42 raises EC 0x15 with the immediate as ISS, resumed after the SVC");
	report_exc(EXINFO(ESR_EC_UNKNOWN, 0), msr_safe(tpidr_el2, 0),
		   "MSR TPIDR_EL2 at EL1 is UNDEFINED");
	report_exc(EXINFO(ESR_EC_UNKNOWN, 0), mrs_safe(scr_el3, &v),
		   "MRS SCR_EL3 at EL1 is UNDEFINED");
	report_exc(0, mrs_safe(midr_el1, &v), "MRS MIDR_EL1 at EL1 raises nothing");

	/* lib unmapped page 0 at its own level: the fault names that level. */
	pt_walk(0, &w);
	v = 0;
	asm volatile(ASM_TRY("ldr %1, [%1]") : "+r"(ex), "+r"(v) : : "memory");
	report_exc(EXINFO(ESR_EC_DABT_CUR, FSC_TRANSLATION(4 - w.level)), ex,
		   "read of unmapped page 0 is a level-%d translation fault", 4 - w.level);
	report_eq_x(0, read_sysreg(far_el1), "FAR_EL1 holds the faulting address 0");
	ex = 0;
	v = 8;
	asm volatile(ASM_TRY("str xzr, [%1]") : "+r"(ex) : "r"(v) : "memory");
	report_exc(EXINFO(ESR_EC_DABT_CUR, ESR_ISS_WNR | FSC_TRANSLATION(4 - w.level)), ex,
		   "write to unmapped page 0 is a translation fault with WnR set");
	report_eq_x(8, read_sysreg(far_el1), "FAR_EL1 holds the faulting address 8");
}

/* handlers() (common/selftest.c): BRK leaves ELR at itself (D1.10.1). */
const char *const selftest_trap_names[2] = { "BRK", "BRK" };

void selftest_trap(void)
{
	asm volatile("brk #1");
}

selftest_handler_t selftest_trap_handler(selftest_handler_t fn)
{
	return install_exception_handler(ESR_EC_BRK64, fn);
}

void selftest_trap_skip(struct ex_regs *r)
{
	r->pc += 4;
}

static uint64_t user_mrs_el1(uint64_t arg)
{
	uint64_t v;

	return mrs_safe(sctlr_el1, &v);
}

static uint64_t user_mrs_ctr(uint64_t arg)
{
	register uint64_t x0 asm("x0") = 0;
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("mrs x0, ctr_el0") : "+r"(ex), "+r"(x0) : : "memory");
	return ex;
}

static uint64_t user_svc(uint64_t arg)
{
	return asm_safe("svc #" __stringify(USER_RETURN_SVC));
}

/* ISS of a trapped MRS x0, CTR_EL0: Op0 3, Op2 1, Op1 3, CRn 0, Rt 0, CRm 0, read. */
#define CTR_READ_ISS	(3 << 20 | 1 << 17 | 3 << 14 | 1)

static uint64_t user_msr_daifset(uint64_t arg)
{
	return asm_safe("msr daifset, #2");
}

/*
 * ISS of a trapped MSR DAIFSet, #2 (MSR immediate, SCTLR_EL1.UMA 0):
 * Op0 0, Op2 6, Op1 3, CRn 4, Rt 31, CRm 2 (the immediate), write.
 */
#define DAIFSET_ISS	(6 << 17 | 3 << 14 | 4 << 10 | 31 << 5 | 2 << 1)

void selftest_check_user(void)
{
	report_exc(EXINFO(ESR_EC_UNKNOWN, 0), run_in_user(user_mrs_el1, 0),
		   "MRS SCTLR_EL1 at EL0 is UNDEFINED (EC 0), fixed up from EL0");
	report_exc(EXINFO(ESR_EC_SYS64, CTR_READ_ISS), run_in_user(user_mrs_ctr, 0),
		   "MRS CTR_EL0 at EL0 with SCTLR_EL1.UCT 0 traps with EC 0x18, fixed up from EL0");
	report_exc(EXINFO(ESR_EC_SYS64, DAIFSET_ISS), run_in_user(user_msr_daifset, 0),
		   "MSR DAIFSet at EL0 with SCTLR_EL1.UMA 0 traps with EC 0x18 and its ISS");
	report_exc(EXINFO(ESR_EC_SVC64, USER_RETURN_SVC), run_in_user(user_svc, 0),
		   "an SVC at EL0 with lib's return immediate elsewhere is fixed up as an SVC");
}

static const char *need_gic(void)
{
	return gic_version() ? NULL : "no GIC in the devicetree";
}

#define TEST_SGI	3

static int sgi_count[MAX_CPUS];
static unsigned int sgi_intid[MAX_CPUS];

static void sgi_handler(struct ex_regs *regs, unsigned int intid)
{
	sgi_intid[smp_id()] = intid;
	__atomic_fetch_add(&sgi_count[smp_id()], 1, __ATOMIC_SEQ_CST);
}

static void self_sgi(void *data)
{
	int cpu = smp_id();

	gic_send_sgi_self(TEST_SGI);
	if (!selftest_wait_count(&sgi_count[cpu], 1))
		report_fail("CPU %d took its own SGI %d (count %d)", cpu, TEST_SGI,
			    sgi_count[cpu]);
}

static void irq(void)
{
	int n = cpu_count(), last = n - 1;
	bool all = true;

	report_info("GICv%d, %u INTIDs", gic_version(), gic_nr_irqs());
	install_irq_handler(TEST_SGI, sgi_handler);
	on_cpus(self_sgi, NULL);
	for (int i = 0; i < n; i++)
		all &= sgi_count[i] == 1 && sgi_intid[i] == TEST_SGI;
	report(all, "each CPU took one SGI %d sent to itself, with INTID %d", TEST_SGI, TEST_SGI);
	if (n > 1) {
		/* The last CPU idles in WFI with IRQs unmasked by lib's idle loop. */
		gic_send_sgi(last, TEST_SGI);
		report(selftest_wait_count(&sgi_count[last], 2),
		       "SGI %d sent to CPU %d arrives there", TEST_SGI, last);
	}
	install_irq_handler(TEST_SGI, NULL);
}

static void power_off(void *data)
{
	*(int *)data = cpu_power_off();
}

static const char *need_psci(void)
{
	return psci_conduit() != PSCI_CONDUIT_NONE ? NULL : "no /psci in the devicetree";
}

static void psci(void)
{
	uint32_t ver = psci_version();

	report(ver >= 0x2 && !(ver >> 31), "PSCI_VERSION is at least 0.2 (%u.%u)", ver >> 16,
	       ver & 0xffff);
}

static void cpu_off_on(void)
{
	int last = cpu_count() - 1, ret = PSCI_SUCCESS, state = -1;

	on_cpu_async(last, power_off, &ret);
	on_cpu_wait(last);
	for (int ms = 0; ms < 5000 && state != PSCI_AFFINITY_OFF; ms++) {
		state = psci_affinity_info(cpu_mpidr(last), 0);
		mdelay(1);
	}
	report(ret == PSCI_SUCCESS && state == PSCI_AFFINITY_OFF && !smp_cpu_is_online(last),
	       "CPU %d is off after cpu_power_off (AFFINITY_INFO %d)", last, state);
	report_eq(PSCI_SUCCESS, cpu_power_on(last), "cpu_power_on brings CPU %d back", last);
	report_eq(last, selftest_ran_on(last), "CPU %d runs on_cpu work again after CPU_ON", last);
}

static const char *need_el2(void)
{
	return id_field(read_sysreg(id_aa64pfr0_el1), ID_AA64PFR0_EL2_SHIFT) ?
		       NULL : "EL2 not implemented (no virtualization=on)";
}

static void el2(void)
{
	register uint64_t x0 asm("x0") = 0x86000000;	/* lib's EL2 implements no call */

	report_eq(1, current_el(), "main() runs at EL1 after the drop from EL2");
	asm volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "x9", "memory");
	report_eq_x(-1UL, x0, "HVC from EL1 reaches lib's EL2 and returns NOT_SUPPORTED");
	report(read_cntpct() != 0, "EL1 reads the physical counter without trapping");
}

#define ALIAS	0x40000000000UL		/* 4 TiB: nothing is mapped there */

static exinfo_t fetch_ex;

/* An instruction abort reports the target as PC: return to the caller. */
static void fetch_fault(struct ex_regs *r)
{
	fetch_ex = esr_exinfo(r->esr);
	if (r->pc == ALIAS && r->far == ALIAS)
		r->pc = r->regs[30];
}

/* Every access goes through lib's tables: what they say is the VMM's to translate. */
static void paging(void)
{
	volatile uint64_t *page = alloc_zeroed_page();
	volatile uint64_t *alias = (volatile uint64_t *)ALIAS;
	void (*fn)(void) = (void (*)(void))ALIAS;
	handler_t old;
	DECLARE_EXINFO(ex);

	selftest_alias_page(ALIAS, page);
	asm volatile(ASM_TRY("str xzr, [%1]") : "+r"(ex) : "r"(alias) : "memory");
	report_exc(EXINFO(ESR_EC_DABT_CUR, ESR_ISS_WNR | FSC_PERMISSION(3)), ex,
		   "write to a read-only page is a level-3 permission fault with WnR");

	*page = 0xd65f03c0;	/* RET, never reached */
	dcache_clean_poc((void *)page, 8);
	asm volatile("ic iallu; dsb ish; isb" : : : "memory");
	old = install_exception_handler(ESR_EC_IABT_CUR, fetch_fault);
	fn();
	install_exception_handler(ESR_EC_IABT_CUR, old);
	report_exc(EXINFO(ESR_EC_IABT_CUR, FSC_PERMISSION(3)), fetch_ex,
		   "fetch from a non-executable page is a level-3 permission fault");

	pt_unmap(ALIAS, 4096);
	ex = 0;
	asm volatile(ASM_TRY("ldr xzr, [%1]") : "+r"(ex) : "r"(alias) : "memory");
	report_exc(EXINFO(ESR_EC_DABT_CUR, FSC_TRANSLATION(3)), ex,
		   "read after pt_unmap is a level-3 translation fault");

	selftest_large_leaf(ALIAS, page, 0x200000, 2, "a 2 MiB block descriptor");
	free_page((void *)page);
}

static const struct subtest tests[] = {
	SUBTEST(args),
	SUBTEST(smp),
	SUBTEST_SMP(smp_async, NULL, 2),
	SUBTEST(exceptions),
	SUBTEST(handlers),
	SUBTEST(usermode),
	SUBTEST_NEEDS(irq, need_gic),
	SUBTEST_NEEDS(psci, need_psci),
	SUBTEST_SMP(cpu_off_on, need_psci, 2),
	SUBTEST_NEEDS(el2, need_el2),
	SUBTEST(paging),
};

SUBTESTS_MAIN(tests)
