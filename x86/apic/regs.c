// SPDX-License-Identifier: MIT
/*
 * The registers that configure a local APIC: ID and version, the base MSR,
 * the local vector table, the spurious-vector register and the software-
 * disabled state, and the mode transitions of IA32_APIC_BASE (spec
 * references in main.c).
 */
#include "apic_test.h"
#include "tsc.h"

#define X2APIC_ID_MSR	(MSR_IA32_X2APIC_BASE + (APIC_ID >> 4))

/* SDM 11.4.8: version 1XH is an integrated local APIC; 4 to 7 LVT entries. */
static void version_on(void *unused)
{
	int cpu = smp_id();
	uint32_t ver = apic_read(APIC_LVR);

	report_in_range_x(0x10, 0x1f, APIC_LVR_VERSION(ver),
			  "CPU %d: the version register names an integrated APIC (1XH)", cpu);
	report_in_range(3, 6, APIC_LVR_MAXLVT(ver), "CPU %d: max LVT entry is 3 to 6", cpu);
	if (!apic_is_x2apic()) {
		apic_write(APIC_LVR, ~ver);
		report_eq_x(ver, apic_read(APIC_LVR),
			    "CPU %d: a write leaves the read-only version register alone", cpu);
	}
}

void id_version(void)
{
	for (int cpu = 0; cpu < cpu_count(); cpu++)
		on_cpu(cpu, version_on, NULL);
}

/* SDM 11.4.4, 9.4.1: BSP set on the boot CPU only; the base after reset is 0xFEE00000. */
static void base_on(void *unused)
{
	int cpu = smp_id();
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);

	report_eq(cpu == 0, !!(base & APIC_BASE_BSP),
		  "CPU %d: IA32_APIC_BASE.BSP is set on the boot CPU only", cpu);
	report_eq_x(APIC_DEFAULT_BASE, base & ~0xfffULL,
		    "CPU %d: the APIC base address is the reset value 0xFEE00000", cpu);
	report_eq_x(APIC_BASE_EN, base & APIC_BASE_EN, "CPU %d: IA32_APIC_BASE.EN is set", cpu);
}

void base_msr(void)
{
	for (int cpu = 0; cpu < cpu_count(); cpu++)
		on_cpu(cpu, base_on, NULL);
}

/* Value written to each LVT: every writable field set, other bits as noted. */
static uint32_t lvt_pattern(const struct lvt *l)
{
	uint32_t v = l->writable & ~APIC_DM_MASK;

	/* Delivery mode NMI where the entry has one (legal for each of them). */
	if (l->writable & APIC_DM_MASK)
		v |= APIC_DM_NMI;
	/* Level trigger only with fixed delivery (SDM 11.5.1). */
	if (l->reg == APIC_LVT0)
		v = (v & ~APIC_DM_MASK) | APIC_DM_FIXED;
	return (v & ~0xffU) | 0xa5;
}

/* SDM figure 11-8: the writable fields read back; delivery status and remote IRR are RO. */
void lvt_fields(void)
{
	for (unsigned int i = 0; i < apic_nr_lvts; i++) {
		const struct lvt *l = &apic_lvts[i];
		uint32_t v = lvt_pattern(l);

		if (!lvt_present(l))
			continue;
		report_exc(0, apic_write_safe(l->reg, v), "LVT %s: writing %#x succeeds",
			   l->name, v);
		report_eq_x(v, apic_read(l->reg), "LVT %s: its fields read back as written",
			    l->name);
		apic_write_safe(l->reg, APIC_LVT_MASKED | APIC_LVT_PENDING | 0x5a);
		report_eq_x(0, apic_read(l->reg) & APIC_LVT_PENDING,
			    "LVT %s: delivery status is read-only (idle)", l->name);
		if (l->reg == APIC_LVT0 || l->reg == APIC_LVT1) {
			apic_write_safe(l->reg, APIC_LVT_MASKED | APIC_LVT_REMOTE_IRR | 0x5a);
			report_eq_x(0, apic_read(l->reg) & APIC_LVT_REMOTE_IRR,
				    "LVT %s: remote IRR is read-only (clear)", l->name);
		}
		apic_write(l->reg, APIC_LVT_MASKED);
	}
	apic_restore();
}

/* SDM 11.9: bits 7:0 of SPIV hold the spurious vector (all writable since the P4). */
void spiv_vector(void)
{
	static const uint8_t vecs[] = { 0x3f, 0x9f, 0xef };

	for (size_t i = 0; i < ARRAY_SIZE(vecs); i++) {
		apic_write(APIC_SPIV, APIC_SPIV_ENABLE | vecs[i]);
		report_eq_x(APIC_SPIV_ENABLE | vecs[i], apic_read(APIC_SPIV) & 0x1ff,
			    "SPIV holds spurious vector %#x as written", vecs[i]);
	}
	apic_restore();
}

/* LVTs present, and which of them read masked (bit i: apic_lvts[i]). */
static unsigned int masked_lvts(void)
{
	unsigned int m = 0;

	for (unsigned int i = 0; i < apic_nr_lvts; i++)
		if (lvt_present(&apic_lvts[i]) && (apic_read(apic_lvts[i].reg) & APIC_LVT_MASKED))
			m |= 1U << i;
	return m;
}

/* Every LVT unmasked with a vector nothing raises (no source is active: timer count 0). */
static void unmask_lvts(void)
{
	for (unsigned int i = 0; i < apic_nr_lvts; i++)
		if (lvt_present(&apic_lvts[i]))
			apic_write(apic_lvts[i].reg, VEC_E1);
}

static void disabled_lvts(void)
{
	unsigned int m = masked_lvts();

	for (unsigned int i = 0; i < apic_nr_lvts; i++) {
		const struct lvt *l = &apic_lvts[i];

		if (!lvt_present(l))
			continue;
		report(m & (1U << i), "software disable masks LVT %s", l->name);
		apic_write(l->reg, 0x5b);
		report_eq_x(APIC_LVT_MASKED | 0x5b, apic_read(l->reg) & (APIC_LVT_MASKED | 0xff),
			    "LVT %s stays masked (and takes the vector) when written unmasked "
			    "while software-disabled", l->name);
	}
}

/* Those masked when SPIV.8 was set again (the others failed above) must still be. */
static void reenabled_lvts(unsigned int before)
{
	unsigned int after = masked_lvts();

	for (unsigned int i = 0; i < apic_nr_lvts; i++)
		if (before & (1U << i))
			report(after & (1U << i), "LVT %s is still masked after software re-enable",
			       apic_lvts[i].name);
	apic_write(APIC_LVTERR, VEC_E1);
	report_eq_x(VEC_E1, apic_read(APIC_LVTERR) & (APIC_LVT_MASKED | 0xff),
		    "LVT error can be unmasked once software-enabled");
	apic_write(APIC_LVTERR, APIC_LVT_MASKED);
}

static unsigned int nmis;

static void count_nmi(struct ex_regs *r)
{
	nmis++;
}

/*
 * SDM 11.4.7.2: with SPIV.8 clear the LVT masks are set and cannot be
 * cleared, IRR and ISR are held, NMI messages are still taken. The masks
 * stay set when SPIV.8 is set again (nothing in 11.4.7.2 clears them).
 */
void sw_disable(void)
{
	handler_t old = install_exception_handler(NMI_VECTOR, count_nmi);
	unsigned int before;

	irq_install(VEC_41, NULL, IRQ_EOI);
	irq_disable();
	icr_self(VEC_41, APIC_DM_FIXED);
	wait_irr(VEC_41);
	unmask_lvts();
	apic_write(APIC_SPIV, SPURIOUS_VECTOR);
	report_eq_x(0, apic_read(APIC_SPIV) & APIC_SPIV_ENABLE, "SPIV.8 clears");
	disabled_lvts();
	report(apic_vec_test(APIC_IRR, VEC_41), "software disable keeps a pending IRR bit");
	nmis = 0;
	/* SDM table 11-3: NMI with the "self" shorthand is invalid; the own ID is not. */
	apic_icr_write(APIC_INT_ASSERT | APIC_DM_NMI, apic_id());
	/* IF stays 0: whether IRR is dispatched while software-disabled is not specified. */
	for (uint64_t end = rdtsc() + tsc_from_us(IRQ_WAIT_US); !nmis && rdtsc() < end;)
		pause();
	report_eq(1, nmis, "a self-NMI is taken while software-disabled");
	before = masked_lvts();
	apic_write(APIC_SPIV, APIC_SPIV_ENABLE | SPURIOUS_VECTOR);
	reenabled_lvts(before);
	irq_wait(VEC_41, 1);
	report_irq(smp_id(), VEC_41, 1, "the held interrupt is delivered once re-enabled");
	irq_uninstall(VEC_41);
	install_exception_handler(NMI_VECTOR, old);
	apic_restore();
}

static const char *const mode_names[] = { "disabled", "invalid (EN=0 EXTD=1)", "xAPIC", "x2APIC" };

/* Transition @to, expecting @ex; then the mode must be @after. Returns whether it is. */
static bool transition(enum apic_mode to, exinfo_t ex, enum apic_mode after, const char *what)
{
	enum apic_mode now;

	report_exc(ex, apic_set_mode(to), "%s %s", what, ex ? "raises #GP(0)" : "succeeds");
	now = apic_mode();
	return report_decoded(now == after, mode_names[after], mode_names[now],
			      "after %s the APIC is %s", what, mode_names[after]);
}

static void x2apic_msr_gp(const char *mode)
{
	uint64_t v;

	report_exc(EXINFO(GP_VECTOR, 0), rdmsr_safe(X2APIC_ID_MSR, &v),
		   "RDMSR of x2APIC MSR 0x802 in %s mode raises #GP(0)", mode);
}

/*
 * SDM 11.12.5, figure 11-27, the transitions that keep the APIC enabled:
 * xAPIC to x2APIC (the ID kept, LDR derived), then the illegal ones out of
 * x2APIC. Returns in x2APIC mode, or wherever a wrong VMM left it.
 */
static void into_x2apic(void)
{
	uint32_t id;

	if (apic_is_x2apic()) {
		report_info("xAPIC to x2APIC: not tried, the test runs in x2APIC mode");
	} else {
		uint32_t xid = apic_read(APIC_ID) >> 24;

		if (!transition(APIC_MODE_X2APIC, 0, APIC_MODE_X2APIC, "xAPIC to x2APIC"))
			return;
		report_eq_x(xid, rdmsr(X2APIC_ID_MSR) & 0xff,
			    "the x2APIC ID's low 8 bits are the xAPIC ID");
	}
	id = rdmsr(X2APIC_ID_MSR);
	report_eq_x(x2apic_ldr(id), apic_read(APIC_LDR), "LDR is derived from the x2APIC ID");
	transition(APIC_MODE_XAPIC, EXINFO(GP_VECTOR, 0), APIC_MODE_X2APIC, "x2APIC to xAPIC");
	transition(APIC_MODE_INVALID, EXINFO(GP_VECTOR, 0), APIC_MODE_X2APIC,
		   "x2APIC to EN=0 EXTD=1");
}

static bool cpuid_apic(void)
{
	return cpuid(1).d & (1U << 9);
}

/*
 * SDM 11.4.3: with EN=0 the CPU is one without an APIC, CPUID.1:EDX.APIC
 * included, and FSB-era and later APICs can be enabled again; 11.12.5:
 * from disabled only xAPIC mode is reachable, the x2APIC ID is kept.
 */
static bool disable_enable(void)
{
	uint32_t id = apic_id();
	const char *from = apic_is_x2apic() ? "x2APIC to disabled" : "xAPIC to disabled";

	if (!transition(APIC_MODE_DISABLED, 0, APIC_MODE_DISABLED, from))
		return false;
	report_eq(0, cpuid_apic(), "CPUID.1:EDX.APIC is clear while the APIC is disabled");
	x2apic_msr_gp("disabled");
	transition(APIC_MODE_X2APIC, EXINFO(GP_VECTOR, 0), APIC_MODE_DISABLED,
		   "disabled to x2APIC (EN=1 EXTD=1)");
	transition(APIC_MODE_INVALID, EXINFO(GP_VECTOR, 0), APIC_MODE_DISABLED,
		   "disabled to EN=0 EXTD=1");
	if (!transition(APIC_MODE_XAPIC, 0, APIC_MODE_XAPIC, "disabled to xAPIC"))
		return false;
	report_eq(1, cpuid_apic(), "CPUID.1:EDX.APIC is set again once re-enabled");
	report_eq_x(id & 0xff, apic_read(APIC_ID) >> 24, "the xAPIC ID survives disabling");
	return true;
}

/*
 * Runs last, on the boot CPU: QEMU and Bochs cannot enable a disabled APIC
 * again, which leaves this CPU without one. The order keeps what does not
 * disable the APIC first.
 */
void mode_transitions(void)
{
	irq_install(VEC_41, NULL, IRQ_EOI);
	irq_disable();
	if (!apic_is_x2apic())
		x2apic_msr_gp("xAPIC");
	if (this_cpu_has(X86_FEATURE_X2APIC))
		into_x2apic();
	else
		report_skip("x2APIC transitions: x2APIC not supported");
	if (!disable_enable()) {
		report_skip("further transitions: the APIC did not return to xAPIC mode");
		return;
	}
	apic_enable();
	icr_self(VEC_41, APIC_DM_FIXED);
	irq_wait(VEC_41, 1);
	report_irq(smp_id(), VEC_41, 1, "a self-IPI is delivered after re-enabling");
	transition(APIC_MODE_INVALID, EXINFO(GP_VECTOR, 0), APIC_MODE_XAPIC,
		   "xAPIC to EN=0 EXTD=1");
	if (apic_test_mode() == APIC_MODE_X2APIC)
		apic_enable_x2apic();
	irq_uninstall(VEC_41);
	apic_restore();
}
