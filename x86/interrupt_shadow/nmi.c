// SPDX-License-Identifier: MIT
/*
 * HLT woken by an interrupt, and NMI blocking (SDM vol. 3A 6.7.1: an NMI
 * blocks further NMIs until the next IRET, which unblocks them even if it
 * faults; vol. 2A HLT: an interrupt or NMI resumes after the HLT). A HLT
 * that nothing wakes would hang the image, so each has a second waker: the
 * APIC timer (1 s) for a lone CPU, an NMI from another CPU otherwise.
 */
#include "shadow.h"
#include "tsc.h"

#define VEC_RESCUE	0x7e

/* SDM vol. 2A HLT: an interrupt pending at STI;HLT resumes it after the HLT. */
void hlt_wake_self(void)
{
	int cpu = smp_id();

	irq_install(VEC_IRQ, NULL, IRQ_EOI);
	irq_install(VEC_RESCUE, NULL, IRQ_EOI);
	irq_disable();
	apic_write(APIC_TDCR, APIC_TDCR_BY1);
	apic_write(APIC_LVTT, VEC_RESCUE);
	apic_self_ipi(VEC_IRQ);
	for (int i = 0; i < 1000000 && !apic_vec_test(APIC_IRR, VEC_IRQ); i++)
		pause();
	/* The rescue: 1 s of the timer at any rate up to 4 GHz fits in 32 bits. */
	apic_write(APIC_TMICT, 0xffffffff);
	sti_hlt();
	apic_write(APIC_TMICT, 0);
	report_irq(cpu, VEC_IRQ, 1, "a self-IPI pending at STI;HLT wakes the HLT");
	report_decoded(irq_last(cpu, VEC_IRQ).rip == (uintptr_t)sti_hlt_after, "sti_hlt_after",
		       where(irq_last(cpu, VEC_IRQ).rip, (char[24]){ 0 }, 24),
		       "the HLT resumes after the HLT");
	irq_uninstall(VEC_IRQ);
	irq_settle(10);
	irq_uninstall(VEC_RESCUE);
	apic_write(APIC_LVTT, APIC_LVT_MASKED);
}

static volatile bool halted_done, about_to_halt;
static volatile unsigned int rescue_nmis;

/* IF=0 from the flag to the HLT: an IPI that comes early waits for STI;HLT. */
static void halt_job(void *unused)
{
	irq_disable();
	about_to_halt = true;
	sti_hlt();
	halted_done = true;
}

static bool ready(const void *unused)
{
	return about_to_halt;
}

static void rescue_nmi(struct ex_regs *r)
{
	rescue_nmis++;
}

static bool done(const void *unused)
{
	return halted_done;
}

/* An IPI from CPU 0 wakes the last CPU from HLT; an NMI rescues it if not. */
void hlt_wake_ipi(void)
{
	int target = cpu_count() - 1;
	handler_t old = install_exception_handler(NMI_VECTOR, rescue_nmi);
	bool woke;

	irq_install(VEC_WAKE, NULL, IRQ_EOI);
	halted_done = about_to_halt = false;
	rescue_nmis = 0;
	on_cpu_async(target, halt_job, NULL);
	if (!irq_wait_until(ready, NULL))
		report_abort("CPU %d did not start its job within %d ms", target,
			     IRQ_WAIT_US / 1000);
	apic_icr_write(APIC_INT_ASSERT | APIC_DM_FIXED | VEC_WAKE, cpu_apic_id(target));
	woke = irq_wait_until(done, NULL);
	if (!woke)
		apic_icr_write(APIC_INT_ASSERT | APIC_DM_NMI, cpu_apic_id(target));
	on_cpu_wait(target);
	report(woke, "an IPI wakes CPU %d from HLT", target);
	report_irq(target, VEC_WAKE, 1, "the IPI is taken once by the halted CPU %d", target);
	report_decoded(irq_last(target, VEC_WAKE).rip == (uintptr_t)sti_hlt_after, "sti_hlt_after",
		       where(irq_last(target, VEC_WAKE).rip, (char[24]){ 0 }, 24),
		       "CPU %d resumes after its HLT", target);
	irq_uninstall(VEC_WAKE);
	install_exception_handler(NMI_VECTOR, old);
}

static volatile unsigned int nmi_n, inside;
static uint64_t nmi_rip[3];

static void self_nmi(void)
{
	apic_icr_write(APIC_INT_ASSERT | APIC_DM_NMI, apic_id());
}

static void spin_us(unsigned int us)
{
	for (uint64_t end = rdtsc() + tsc_from_us(us); rdtsc() < end;)
		pause();
}

static void nested_nmi(struct ex_regs *r)
{
	unsigned int n = ++nmi_n;

	if (n <= 2)
		nmi_rip[n] = r->rip;
	if (n == 1) {
		self_nmi();
		spin_us(1000);
		inside = nmi_n;
	}
}

static bool two_nmis(const void *unused)
{
	return nmi_n >= 2;
}

/* SDM 6.7.1: a second NMI waits for the first handler's IRET, then comes at once. */
void nmi_blocked_until_iret(void)
{
	handler_t old = install_exception_handler(NMI_VECTOR, nested_nmi);

	nmi_n = inside = 0;
	irq_disable();
	self_nmi();
	irq_wait_until(two_nmis, NULL);
	irq_disable();
	report_eq(1, inside, "an NMI sent in the NMI handler waits for its IRET");
	report_eq(2, nmi_n, "the held NMI is taken after the IRET");
	report_eq_x(nmi_rip[1], nmi_rip[2],
		    "the held NMI is taken at the IRET's return address, before anything runs");
	install_exception_handler(NMI_VECTOR, old);
}

const char *needs_intel(void)
{
	struct cpuid c = cpuid(0);
	const char *why = needs_mode();

	if (why)
		return why;
	if (c.b != 0x756e6547 || c.d != 0x49656e69 || c.c != 0x6c65746e)
		return "Intel only: the APM does not say whether a faulting IRET unblocks NMIs";
	return NULL;
}

static struct ex_regs saved;
static volatile unsigned int gps, nmis_at_gp;

static void faulting_nmi(struct ex_regs *r)
{
	unsigned int n = ++nmi_n;

	if (n == 1) {
		saved = *r;
		self_nmi();
		spin_us(1000);
		inside = nmi_n;
		r->rip = 0x8000000000000000ULL;	/* IRETQ to it raises #GP(0) */
	}
}

/* The #GP of the NMI handler's IRET: wait for the unblocked NMI, then resume where it was. */
static void iret_gp(struct ex_regs *r)
{
	gps++;
	spin_us(1000);
	nmis_at_gp = nmi_n;
	r->rip = saved.rip;
	r->cs = saved.cs;
	r->rflags = saved.rflags;
	r->rsp = saved.rsp;
	r->ss = saved.ss;
}

/*
 * SDM 6.7.1 (Intel): IRET unblocks NMIs even if it faults. The NMI gate
 * runs without IST here, so the NMI that the fault lets in nests on the
 * #GP handler's stack instead of overwriting it.
 */
void nmi_faulting_iret(void)
{
	handler_t old_nmi = install_exception_handler(NMI_VECTOR, faulting_nmi);
	handler_t old_gp = install_exception_handler(GP_VECTOR, iret_gp);
	int ist = idt_set_gate_ist(NMI_VECTOR, 0);

	nmi_n = inside = gps = nmis_at_gp = 0;
	irq_disable();
	self_nmi();
	irq_wait_until(two_nmis, NULL);
	irq_disable();
	report_eq(1, inside, "an NMI sent in the NMI handler waits for its IRET");
	report_eq(1, gps, "the handler's IRET to a non-canonical RIP raises #GP");
	report_eq(2, nmis_at_gp, "that faulting IRET has unblocked NMIs: the held NMI came");
	idt_set_gate_ist(NMI_VECTOR, ist);
	install_exception_handler(GP_VECTOR, old_gp);
	install_exception_handler(NMI_VECTOR, old_nmi);
}
