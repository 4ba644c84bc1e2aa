// SPDX-License-Identifier: MIT
/*
 * Where a maskable interrupt, an NMI or a single-step/data #DB is taken
 * around STI, MOV SS and POP SS, POPF and HLT (SDM vol. 3A 6.8.3, 6.9;
 * vol. 2B STI, MOV, POP, POPF, HLT).
 *
 * An interrupt made pending while IF=0 (a self-IPI that reached IRR) must
 * be taken at the first instruction boundary where it is not blocked: STI
 * blocks the boundary after the next instruction, POPF blocks nothing.
 * For MOV SS and POP SS an IPI or NMI is sent by the instruction just
 * before: it may be taken before MOV SS or after the instruction that
 * follows it, never between the two (SDM 6.8.3: MOV/POP SS inhibit
 * interrupts, NMIs included, and debug exceptions until that boundary).
 */
#include "shadow.h"
#include "tsc.h"

static char buf1[24], buf2[24];

/* A check that saved RIP @got is @want, both named by their stub labels. */
static void at(uint64_t want, uint64_t got, const char *what)
{
	report_decoded(want == got, where(want, buf1, sizeof(buf1)),
		       where(got, buf2, sizeof(buf2)), "%s", what);
}

/* A self-IPI of VEC_IRQ, waited for in IRR with IF=0. */
static void pend(void)
{
	irq_disable();
	apic_self_ipi(VEC_IRQ);
	for (int i = 0; i < 1000000 && !apic_vec_test(APIC_IRR, VEC_IRQ); i++)
		pause();
}

/* An interrupt pending with IF=0 while @stub opens IF: it must come at @after. */
static void pending_at(void (*stub)(void), const char *after, const char *insn)
{
	int cpu = smp_id();

	irq_install(VEC_IRQ, NULL, IRQ_EOI);
	pend();
	stub();
	report_irq(cpu, VEC_IRQ, 1, "an interrupt pending at %s is taken", insn);
	at((uintptr_t)after, irq_last(cpu, VEC_IRQ).rip,
	   insn[0] == 'S' ? "an interrupt pending at STI is taken after the instruction after STI" :
			    "an interrupt pending at POPF setting IF is taken right after POPF");
	irq_uninstall(VEC_IRQ);
}

/* SDM vol. 2B STI: with IF=0, interrupts stay blocked until after the next instruction. */
void sti_shadow(void)
{
	pending_at(sti_nops, sti_nops_b, "STI");
}

/* SDM vol. 2B POPF: setting IF by POPF opens the next boundary. */
void popf_no_shadow(void)
{
	pending_at(popf_if, popf_if_after, "POPF setting IF");
}

/* SDM 6.8.1: IF=0 holds an interrupt in IRR; it comes once, after STI. */
void pending_cli_sti(void)
{
	int cpu = smp_id();

	irq_install(VEC_IRQ, NULL, IRQ_EOI);
	pend();
	udelay(1000);
	report_irq(cpu, VEC_IRQ, 0, "an interrupt made pending with IF=0 waits for STI");
	report(apic_vec_test(APIC_IRR, VEC_IRQ), "it stays in IRR while IF=0");
	sti_nops();
	sti_nops();
	report_irq(cpu, VEC_IRQ, 1, "it is taken once over two CLI/STI windows");
	irq_uninstall(VEC_IRQ);
}

/* The labels of one MOV SS/POP SS stub. */
struct ss_stub {
	void (*run)(uint32_t, uintptr_t);
	const char *ss, *a, *b;
	const char *insn;
};

static void ss_run(const struct ss_stub *s, uint32_t icr_mode)
{
	uint32_t icr = APIC_INT_ASSERT | icr_mode;

	if (apic_is_x2apic()) {
		s->run(icr, apic_id());
	} else {
		*(volatile uint32_t *)(APIC_DEFAULT_BASE + APIC_ICR2) = apic_id() << 24;
		s->run(icr, APIC_DEFAULT_BASE + APIC_ICR);
	}
}

static const struct ss_stub mov_ss[2] = {
	{ (void *)mov_ss_mmio, mov_ss_mmio_mov, mov_ss_mmio_a, mov_ss_mmio_b, "MOV SS" },
	{ (void *)mov_ss_msr, mov_ss_msr_mov, mov_ss_msr_a, mov_ss_msr_b, "MOV SS" },
};

static const struct ss_stub pop_ss[2] = {
	{ (void *)pop_ss_mmio, pop_ss_mmio_pop, pop_ss_mmio_a, pop_ss_mmio_b, "POP SS" },
	{ (void *)pop_ss_msr, pop_ss_msr_pop, pop_ss_msr_a, pop_ss_msr_b, "POP SS" },
};

/* Allowed: before the SS load, or after the instruction following it. */
static void ss_check(const struct ss_stub *s, uint64_t rip, const char *what)
{
	bool ok = rip != (uintptr_t)s->a;

	report_decoded(ok, ok ? "" : "not between them", where(rip, buf1, sizeof(buf1)),
		       "%s sent just before %s is not taken between %s and the next instruction",
		       what, s->insn, s->insn);
}

static void ss_irq(const struct ss_stub *stubs)
{
	const struct ss_stub *s = &stubs[apic_is_x2apic()];
	int cpu = smp_id();

	irq_install(VEC_IRQ, NULL, IRQ_EOI);
	irq_enable();
	ss_run(s, APIC_DM_FIXED | VEC_IRQ);
	irq_wait(VEC_IRQ, 1);
	report_irq(cpu, VEC_IRQ, 1, "a self-IPI sent before %s is taken", s->insn);
	ss_check(s, irq_last(cpu, VEC_IRQ).rip, "a self-IPI");
	irq_uninstall(VEC_IRQ);
}

void mov_ss_irq(void)
{
	ss_irq(mov_ss);
}

void pop_ss_irq(void)
{
	ss_irq(pop_ss);
}

static volatile unsigned int nmis;
static uint64_t nmi_rip;

static void nmi_at(struct ex_regs *r)
{
	nmi_rip = r->rip;
	nmis++;
}

static void ss_nmi(const struct ss_stub *stubs)
{
	const struct ss_stub *s = &stubs[apic_is_x2apic()];
	handler_t old = install_exception_handler(NMI_VECTOR, nmi_at);
	uint64_t end;

	nmis = 0;
	irq_disable();
	ss_run(s, APIC_DM_NMI);
	for (end = rdtsc() + tsc_from_us(IRQ_WAIT_US); !nmis && rdtsc() < end;)
		pause();
	report_eq(1, nmis, "a self-NMI sent before %s is taken", s->insn);
	ss_check(s, nmi_rip, "a self-NMI");
	install_exception_handler(NMI_VECTOR, old);
}

void mov_ss_nmi(void)
{
	ss_nmi(mov_ss);
}

void pop_ss_nmi(void)
{
	ss_nmi(pop_ss);
}

static volatile unsigned int dbs;
static uint64_t db_rip, db_dr6;

static void db_at(struct ex_regs *r)
{
	if (!dbs++) {
		db_rip = r->rip;
		db_dr6 = read_dr6();
	}
	r->rflags &= ~X86_EFLAGS_TF;
}

/* Single-step @stub (TF set by its POPF): one #DB, with BS, after the instruction at @want. */
static void single_step(void (*stub)(void), char *want, const char *insn, const char *where_db)
{
	handler_t old = install_exception_handler(DB_VECTOR, db_at);
	char msg[64];

	dbs = 0;
	irq_disable();
	write_dr6(0xffff0ff0);
	stub();
	irq_disable();
	report_eq(1, dbs, "single-stepping %s raises one #DB", insn);
	snprintf(msg, sizeof(msg), "the single-step #DB comes %s", where_db);
	at((uintptr_t)want, db_rip, msg);
	report_eq_x(0x4000, db_dr6 & 0x4000, "DR6.BS is set for it");
	install_exception_handler(DB_VECTOR, old);
}

/* SDM 17.3.1.4, 6.8.3: STI blocks interrupts only; the single-step trap comes right after it. */
void sti_single_step(void)
{
	single_step(sti_step, sti_step_a, "STI", "right after STI");
}

/*
 * SDM 6.8.3: MOV SS and POP SS inhibit the single-step trap until the
 * boundary after the next instruction: the first #DB (whose handler
 * clears TF) comes after the NOP that follows them.
 */
void mov_ss_single_step(void)
{
	single_step(mov_ss_step, mov_ss_step_b, "MOV SS", "after the instruction after MOV SS");
}

void pop_ss_single_step(void)
{
	single_step(pop_ss_step, pop_ss_step_b, "POP SS", "after the instruction after POP SS");
}

/*
 * SDM 6.8.3, vol. 2B MOV: a data breakpoint hit by MOV SS's own read is
 * held until after the next instruction.
 */
void mov_ss_data_bp(void)
{
	handler_t old = install_exception_handler(DB_VECTOR, db_at);
	static uint16_t sel;

	asm volatile("mov %%ss, %0" : "=r"(sel));
	dbs = 0;
	write_dr6(0xffff0ff0);
	write_dr0((uintptr_t)&sel);
	/* L0, R/W0 = 11 (read or write), LEN0 = 01 (2 bytes). */
	write_dr7(0x400 | 1 | 3 << 16 | 1 << 18);
	mov_ss_mem(&sel);
	write_dr7(0x400);
	report_eq(1, dbs, "a data breakpoint on MOV SS's operand raises one #DB");
	at((uintptr_t)mov_ss_mem_b, db_rip,
	   "the #DB of MOV SS's data breakpoint comes after the next instruction");
	report_eq_x(1, db_dr6 & 1, "DR6.B0 is set for it");
	install_exception_handler(DB_VECTOR, old);
}
