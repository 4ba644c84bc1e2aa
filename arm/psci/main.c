// SPDX-License-Identifier: MIT
/*
 * PSCI, the firmware interface a VMM gives its guests for CPU and system
 * power (Arm DEN0022, "Arm Power State Coordination Interface", issue D
 * and later; SMC Calling Convention DEN0028 for the call itself):
 *
 * - PSCI_VERSION (bit 31 zero, at least what the devicetree's /psci
 *   compatible promises: 0.2 for "arm,psci-0.2", 1.0 for "arm,psci-1.0";
 *   a node compatible with "arm,psci" alone is PSCI 0.1, which has no
 *   PSCI_VERSION: the subtest skips);
 * - PSCI_FEATURES (PSCI 1.0 and later) for every function ID of chapter 5,
 *   SMC32 and SMC64: the functions mandatory for an AArch64 caller report
 *   supported, every answer is NOT_SUPPORTED or 0 (feature flags only for
 *   CPU_SUSPEND: bit 0 OS-initiated mode, bit 1 extended power_state; and
 *   SYSTEM_OFF2: bit 0 HIBERNATE_OFF, the only type PSCI 1.3 defines, the
 *   other bits reserved: DEN0022F.b, SYSTEM_OFF2 and PSCI_FEATURES), then
 *   cross-checked: what it calls supported works where a call is harmless
 *   here, what it calls NOT_SUPPORTED returns NOT_SUPPORTED, as does an
 *   unknown function ID (DEN0028: -1), without an exception;
 * - MIGRATE_INFO_TYPE (0, 1 or 2; 0 and 1 name a Trusted OS's CPU that
 *   MIGRATE_INFO_UP_CPU returns);
 * - CPU_ON, CPU_OFF, AFFINITY_INFO and the CPU_ON race (cpu.c);
 * - CPU_SUSPEND standby and power-down (suspend.c);
 * - SYSTEM_OFF, SYSTEM_RESET, SYSTEM_RESET2: the VM must end. Each runs only
 *   when its stanza names it in test_args: it prints
 *   "INFO: vm-end expected: <FUNCTION>" and calls; a return is a FAIL. Only
 *   the runner can see the VM end: those stanzas say "expect = vm_end".
 *
 * SYSTEM_RESET2 first gets a reserved architectural reset_type, which is
 * INVALID_PARAMETERS.
 *
 * QEMU 7.2 TCG implements PSCI 1.1 without SYSTEM_RESET2, MEM_PROTECT and
 * the optional functions; its CPU_SUSPEND is a WFI for every state; its
 * CPU_ON never makes the target ON_PENDING (cpu_on_race and cpu_on_pending
 * fail: known-failures.txt). The virt devicetree advertises no power-down
 * idle state, so suspend_powerdown skips there.
 */
#include "asm/exception.h"
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
#include "subtest.h"

#define FN32(n)		(0x84000000U | (n))
#define FN64(n)		(0xc4000000U | (n))
#define SYSTEM_OFF2	0x15
/* PSCI_FEATURES(SYSTEM_OFF2): the off types supported, bit 0 HIBERNATE_OFF (DEN0022F.b). */
#define OFF_TYPE_HIBERNATE	0x1
#define PENDING_SGI	6

/* SMCCC 1.0 (DEN0028 2.x): the callee may clobber x4-x17. */
#define SMCCC_CLOBBERS	"x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", \
			"x14", "x15", "x16", "x17", "memory"

/* A call through the conduit that turns an exception into a FAIL instead of a crash. */
static long call_safe(uint32_t fn, uint64_t a1, uint64_t a2, exinfo_t *exp)
{
	DECLARE_EXINFO(ex);
	register uint64_t x0 asm("x0") = fn;
	register uint64_t x1 asm("x1") = a1;
	register uint64_t x2 asm("x2") = a2;
	register uint64_t x3 asm("x3") = 0;

	if (psci_conduit() == PSCI_CONDUIT_SMC)
		asm volatile(ASM_TRY("smc #0")
			     : "+r"(ex), "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			     : : SMCCC_CLOBBERS);
	else
		asm volatile(ASM_TRY("hvc #0")
			     : "+r"(ex), "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			     : : SMCCC_CLOBBERS);
	*exp = ex;
	return (long)x0;
}

/* NOT_SUPPORTED (-1) has bit 31 set: it is no version. */
bool psci_has_features(void)
{
	uint32_t v = psci_version();

	return v >= 0x10000 && !(v >> 31);
}

bool psci_extended_format(void)
{
	return psci_has_features() && psci_features(PSCI_CPU_SUSPEND_64) > 0 &&
	       (psci_features(PSCI_CPU_SUSPEND_64) & 2);
}

static void exercise_cpu_on(uint32_t fn)
{
	report_eq(PSCI_ALREADY_ON, psci_call(fn, cpu_mpidr(smp_id()), entry_address(), 0),
		  "%#x (CPU_ON) of the calling CPU returns ALREADY_ON", fn);
}

static void exercise_affinity(uint32_t fn)
{
	report_eq(PSCI_AFFINITY_ON, psci_call(fn, cpu_mpidr(smp_id()), 0, 0),
		  "%#x (AFFINITY_INFO) of the calling CPU returns ON", fn);
}

/* NODE_HW_STATE: 0 is HW_ON. */
static void exercise_node_hw_state(uint32_t fn)
{
	report_eq(0, psci_call(fn, cpu_mpidr(smp_id()), 0, 0),
		  "%#x (NODE_HW_STATE) of the calling CPU at level 0 returns HW_ON", fn);
}

static void exercise_up_cpu(uint32_t fn)
{
	long type = psci_call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0);
	long up;

	if (type != 0 && type != 1) {
		report_info("%#x (MIGRATE_INFO_UP_CPU): no uniprocessor Trusted OS to locate", fn);
		return;
	}
	up = psci_call(fn, 0, 0, 0);
	report(up >= 0 && mpidr_to_cpu(up) >= 0,
	       "%#x (MIGRATE_INFO_UP_CPU) names a CPU of /cpus (got %#lx)", fn, up);
}

static int self_sgis;

static void count_self_sgi(struct ex_regs *regs, unsigned int intid)
{
	self_sgis++;
}

/* A standby with an interrupt already pending returns at once (WFI semantics). */
static void exercise_suspend(uint32_t fn)
{
	long ret;
	int ms;

	install_irq_handler(PENDING_SGI, count_self_sgi);
	local_irq_disable();
	gic_send_sgi_self(PENDING_SGI);
	for (ms = 0; ms < PSCI_WAIT_MS && !gic_irq_is_pending(PENDING_SGI); ms++)
		mdelay(1);
	ret = psci_call(fn, 0, entry_address(), 0);
	local_irq_enable();
	for (ms = 0; ms < PSCI_WAIT_MS && !self_sgis; ms++)
		mdelay(1);
	local_irq_disable();
	install_irq_handler(PENDING_SGI, NULL);
	self_sgis = 0;
	report(ret == PSCI_SUCCESS || ret == PSCI_INVALID_PARAMETERS,
	       "%#x (CPU_SUSPEND) to standby with an SGI pending returns SUCCESS (or "
	       "INVALID_PARAMETERS: power_state 0 is not a state here) (got %ld)", fn, ret);
}

enum fn_kind {
	OPTIONAL,
	MANDATORY,	/* for an AArch64 caller of PSCI 1.0 and later */
};

struct psci_fn {
	const char *name;
	uint32_t id;
	enum fn_kind kind;
	uint32_t flags;			/* feature flags PSCI_FEATURES may report */
	void (*exercise)(uint32_t id);	/* a harmless call that shows it works */
	const char *exercised_by;	/* or the subtest that uses it */
};

static const struct psci_fn fns[] = {
	{ "PSCI_VERSION", FN32(0x00), MANDATORY, 0, NULL, "version" },
	{ "CPU_SUSPEND (SMC32)", FN32(0x01), OPTIONAL, 3, exercise_suspend },
	{ "CPU_SUSPEND (SMC64)", FN64(0x01), MANDATORY, 3, exercise_suspend },
	{ "CPU_OFF", FN32(0x02), MANDATORY, 0, NULL, "cpu_off_on" },
	{ "CPU_ON (SMC32)", FN32(0x03), OPTIONAL, 0, exercise_cpu_on },
	{ "CPU_ON (SMC64)", FN64(0x03), MANDATORY, 0, exercise_cpu_on },
	{ "AFFINITY_INFO (SMC32)", FN32(0x04), OPTIONAL, 0, exercise_affinity },
	{ "AFFINITY_INFO (SMC64)", FN64(0x04), MANDATORY, 0, exercise_affinity },
	{ "MIGRATE (SMC32)", FN32(0x05), OPTIONAL, 0 },
	{ "MIGRATE (SMC64)", FN64(0x05), OPTIONAL, 0 },
	{ "MIGRATE_INFO_TYPE", FN32(0x06), OPTIONAL, 0, NULL, "migrate_info_type" },
	{ "MIGRATE_INFO_UP_CPU (SMC32)", FN32(0x07), OPTIONAL, 0, exercise_up_cpu },
	{ "MIGRATE_INFO_UP_CPU (SMC64)", FN64(0x07), OPTIONAL, 0, exercise_up_cpu },
	{ "SYSTEM_OFF", FN32(0x08), MANDATORY, 0, NULL, "system_off" },
	{ "SYSTEM_RESET", FN32(0x09), MANDATORY, 0, NULL, "system_reset" },
	{ "PSCI_FEATURES", FN32(0x0a), MANDATORY, 0, NULL, "features" },
	{ "CPU_FREEZE", FN32(0x0b), OPTIONAL, 0 },
	{ "CPU_DEFAULT_SUSPEND (SMC32)", FN32(0x0c), OPTIONAL, 0 },
	{ "CPU_DEFAULT_SUSPEND (SMC64)", FN64(0x0c), OPTIONAL, 0 },
	{ "NODE_HW_STATE (SMC32)", FN32(0x0d), OPTIONAL, 0, exercise_node_hw_state },
	{ "NODE_HW_STATE (SMC64)", FN64(0x0d), OPTIONAL, 0, exercise_node_hw_state },
	{ "SYSTEM_SUSPEND (SMC32)", FN32(0x0e), OPTIONAL, 0 },
	{ "SYSTEM_SUSPEND (SMC64)", FN64(0x0e), OPTIONAL, 0 },
	{ "PSCI_SET_SUSPEND_MODE", FN32(0x0f), OPTIONAL, 0 },
	{ "PSCI_STAT_RESIDENCY (SMC32)", FN32(0x10), OPTIONAL, 0 },
	{ "PSCI_STAT_RESIDENCY (SMC64)", FN64(0x10), OPTIONAL, 0 },
	{ "PSCI_STAT_COUNT (SMC32)", FN32(0x11), OPTIONAL, 0 },
	{ "PSCI_STAT_COUNT (SMC64)", FN64(0x11), OPTIONAL, 0 },
	{ "SYSTEM_RESET2 (SMC32)", FN32(0x12), OPTIONAL, 0, NULL, "system_reset2" },
	{ "SYSTEM_RESET2 (SMC64)", FN64(0x12), OPTIONAL, 0, NULL, "system_reset2" },
	{ "MEM_PROTECT", FN32(0x13), OPTIONAL, 0 },
	{ "MEM_PROTECT_CHECK_RANGE (SMC32)", FN32(0x14), OPTIONAL, 0 },
	{ "MEM_PROTECT_CHECK_RANGE (SMC64)", FN64(0x14), OPTIONAL, 0 },
	{ "SYSTEM_OFF2 (SMC32)", FN32(SYSTEM_OFF2), OPTIONAL, OFF_TYPE_HIBERNATE },
	{ "SYSTEM_OFF2 (SMC64)", FN64(SYSTEM_OFF2), OPTIONAL, OFF_TYPE_HIBERNATE },
};

/*
 * IDs that are no PSCI function: SMC64 forms of SMC32-only functions, a
 * reserved ID at the end of the PSCI range, and one of OEN 7, which SMCCC
 * (DEN0028, table 6-2) reserves: no service may implement it, so it is
 * NOT_SUPPORTED (-1) everywhere. (OEN 6, the vendor hypervisor service, is
 * not: Xen answers its Call Count 0x8600ff00.)
 */
static const uint32_t unknown_fns[] = { FN64(0x00), FN64(0x02), FN64(0x0a), FN32(0x1f),
					0x87000000 };

static const char *need_psci(void)
{
	return psci_conduit() != PSCI_CONDUIT_NONE ? NULL : "no /psci node in the devicetree";
}

static const char *need_features(void)
{
	if (psci_conduit() == PSCI_CONDUIT_NONE)
		return "no /psci node in the devicetree";
	return psci_has_features() ? NULL : "PSCI_FEATURES is PSCI 1.0 and later";
}

/* The version the devicetree's /psci compatible promises (0: PSCI 0.1, no PSCI_VERSION). */
static uint32_t promised_version(void)
{
	int node = dt_path("/psci");

	if (dt_is_compatible(node, "arm,psci-1.0"))
		return 0x10000;
	if (dt_is_compatible(node, "arm,psci-0.2"))
		return 0x2;
	return 0;
}

static const char *need_version(void)
{
	const char *why = need_psci();

	if (why)
		return why;
	return promised_version() ? NULL :
		"/psci is compatible with neither arm,psci-0.2 nor arm,psci-1.0 (PSCI 0.1 has no "
		"PSCI_VERSION)";
}

static void version(void)
{
	uint32_t v = psci_version(), want = promised_version();

	report_info("PSCI %u.%u through %s", v >> 16, v & 0xffff,
		    psci_conduit() == PSCI_CONDUIT_SMC ? "SMC" : "HVC");
	report_eq(0, v >> 31, "PSCI_VERSION has bit 31 clear");
	report(v >= want && !(v >> 31),
	       "PSCI_VERSION %u.%u is at least what /psci is compatible with (%u.%u)",
	       v >> 16, v & 0xffff, want >> 16, want & 0xffff);
}

static void features(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(fns); i++) {
		const struct psci_fn *f = &fns[i];
		int r = psci_features(f->id);
		bool ok = r == PSCI_NOT_SUPPORTED || (r >= 0 && !(r & ~f->flags));

		if (f->kind == MANDATORY)
			report(r >= 0 && ok, "PSCI_FEATURES(%s) reports the mandatory function "
			       "supported, flags %#x at most (got %d)", f->name, f->flags, r);
		else
			report(ok, "PSCI_FEATURES(%s) is NOT_SUPPORTED or supported with flags %#x "
			       "at most (got %d)", f->name, f->flags, r);
	}
	for (size_t i = 0; i < ARRAY_SIZE(unknown_fns); i++)
		report_eq(PSCI_NOT_SUPPORTED, psci_features(unknown_fns[i]),
			  "PSCI_FEATURES(%#x), no PSCI function, is NOT_SUPPORTED", unknown_fns[i]);
	if (psci_features(PSCI_CPU_SUSPEND_64) >= 0)
		report_info("CPU_SUSPEND: %s power_state format, OS-initiated mode %s",
			    psci_extended_format() ? "extended" : "original",
			    psci_features(PSCI_CPU_SUSPEND_64) & 1 ? "supported" : "not supported");
}

static void supported_calls(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(fns); i++) {
		const struct psci_fn *f = &fns[i];

		if (psci_features(f->id) < 0)
			continue;
		if (f->exercise)
			f->exercise(f->id);
		else if (f->exercised_by)
			report_info("%s is supported: subtest %s exercises it", f->name,
				    f->exercised_by);
		else
			report_info("%s is supported: not exercised (no harmless call)", f->name);
	}
}

static void unsupported_calls(void)
{
	exinfo_t ex;
	long r;

	for (size_t i = 0; i < ARRAY_SIZE(fns); i++) {
		if (psci_features(fns[i].id) != PSCI_NOT_SUPPORTED)
			continue;
		r = call_safe(fns[i].id, 0, 0, &ex);
		report_exc(0, ex, "%s, reported NOT_SUPPORTED, raises no exception", fns[i].name);
		report_eq(PSCI_NOT_SUPPORTED, r,
			  "%s, reported NOT_SUPPORTED, returns NOT_SUPPORTED", fns[i].name);
	}
	for (size_t i = 0; i < ARRAY_SIZE(unknown_fns); i++) {
		r = call_safe(unknown_fns[i], 0, 0, &ex);
		report_exc(0, ex, "unknown function %#x raises no exception", unknown_fns[i]);
		report_eq(PSCI_NOT_SUPPORTED, r, "unknown function %#x returns NOT_SUPPORTED (-1)",
			  unknown_fns[i]);
	}
}

/* 0: uniprocessor migrate-capable Trusted OS, 1: not migrate capable, 2: none or no need. */
static void migrate_info_type(void)
{
	long type = psci_call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0);

	if (psci_has_features() && psci_features(PSCI_MIGRATE_INFO_TYPE) < 0) {
		report_eq(PSCI_NOT_SUPPORTED, type,
			  "MIGRATE_INFO_TYPE, reported NOT_SUPPORTED, returns NOT_SUPPORTED");
		return;
	}
	report(type >= 0 && type <= 2, "MIGRATE_INFO_TYPE returns 0, 1 or 2 (got %ld)", type);
	if (type == 0 || type == 1)
		exercise_up_cpu(PSCI_MIGRATE_INFO_UP_CPU_64);
	else
		report_info("MIGRATE_INFO_TYPE %ld: no Trusted OS needs migration", type);
}

/* The subtests that end the VM run only when their stanza names them. */
static const char *need_named(const char *name)
{
	if (psci_conduit() == PSCI_CONDUIT_NONE)
		return "no /psci node in the devicetree";
	return subtest_named(name) ? NULL : "ends the VM: runs only when test_args names it";
}

/* A return is the failure; the image then ends with EXIT: STATUS=1 as usual. */
static void vm_end(const char *name, uint32_t fn, uint64_t a1, uint64_t a2)
{
	long r;

	report_vm_end_expected(name);
	r = psci_call(fn, a1, a2, 0);
	report_fail("%s does not return (it returned %ld)", name, r);
}

static const char *need_system_off(void)
{
	return need_named("system_off");
}

static const char *need_system_reset(void)
{
	return need_named("system_reset");
}

static uint32_t reset2_fn(void)
{
	return psci_features(PSCI_SYSTEM_RESET2_64) >= 0 ? PSCI_SYSTEM_RESET2_64 : FN32(0x12);
}

static const char *need_system_reset2(void)
{
	const char *why = need_named("system_reset2");

	if (why)
		return why;
	if (!psci_has_features() || psci_features(reset2_fn()) < 0)
		return "SYSTEM_RESET2 not advertised by PSCI_FEATURES";
	return NULL;
}

static void system_off(void)
{
	if (psci_has_features())
		report(psci_features(PSCI_SYSTEM_OFF) == 0, "PSCI_FEATURES(SYSTEM_OFF) is 0");
	vm_end("SYSTEM_OFF", PSCI_SYSTEM_OFF, 0, 0);
}

static void system_reset(void)
{
	if (psci_has_features())
		report(psci_features(PSCI_SYSTEM_RESET) == 0, "PSCI_FEATURES(SYSTEM_RESET) is 0");
	vm_end("SYSTEM_RESET", PSCI_SYSTEM_RESET, 0, 0);
}

/*
 * reset_type bit 31 clear: an architectural reset, of which only 0
 * (SYSTEM_WARM_RESET) is defined; the other values are INVALID_PARAMETERS.
 */
static void system_reset2(void)
{
	uint32_t fn = reset2_fn();

	report_eq(PSCI_INVALID_PARAMETERS, psci_call(fn, 1, 0, 0),
		  "SYSTEM_RESET2 with reserved architectural reset_type 1 is INVALID_PARAMETERS");
	vm_end("SYSTEM_RESET2", fn, 0, 0);
}

static const char *need_gic_psci(void)
{
	if (psci_conduit() == PSCI_CONDUIT_NONE)
		return "no /psci node in the devicetree";
	return gic_version() ? NULL : "no GIC in the devicetree";
}

static const char *need_vtimer(void)
{
	const char *why = need_gic_psci();

	if (why)
		return why;
	return platform_irq(PLAT_IRQ_TIMER_VIRT).intid ? NULL :
		"no virtual timer interrupt in the devicetree";
}

static const char *need_powerdown(void)
{
	const char *why = need_gic_psci();

	return why ? why : need_powerdown_state();
}

static const struct subtest tests[] = {
	SUBTEST_NEEDS(version, need_version),
	SUBTEST_NEEDS(features, need_features),
	SUBTEST_NEEDS(supported_calls, need_features),
	SUBTEST_NEEDS(unsupported_calls, need_features),
	SUBTEST_NEEDS(migrate_info_type, need_psci),
	SUBTEST_NEEDS(affinity_info, need_psci),
	SUBTEST_NEEDS(cpu_on_errors, need_psci),
	SUBTEST_SMP(cpu_off_on, need_psci, 2),
	SUBTEST_SMP(cpu_on_race, need_psci, 3),
	SUBTEST_SMP(cpu_on_pending, need_psci, 3),
	SUBTEST_NEEDS(suspend_standby_timer, need_vtimer),
	SUBTEST_SMP(suspend_standby_sgi, need_gic_psci, 2),
	SUBTEST_SMP(suspend_powerdown, need_powerdown, 2),
	SUBTEST_NEEDS(system_off, need_system_off),
	SUBTEST_NEEDS(system_reset, need_system_reset),
	SUBTEST_NEEDS(system_reset2, need_system_reset2),
};

SUBTESTS_MAIN(tests)
