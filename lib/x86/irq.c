// SPDX-License-Identifier: MIT
/*
 * Interrupt handlers per vector on top of the IDT dispatch (desc.c): each
 * installed vector gets a slot holding, per CPU, its delivery count and the
 * last delivery's record; the bounded waits of irq.h spin with interrupts
 * enabled against the TSC (tsc.h), so a lost interrupt costs IRQ_WAIT_US
 * and a FAIL, never a hang.
 */
#include "arch.h"
#include "asm/apic.h"
#include "asm/processor.h"
#include "irq.h"
#include "report.h"
#include "tsc.h"

struct irq_slot {
	int vec;		/* 0: free */
	irq_fn_t fn;
	unsigned int flags;
	unsigned int count[MAX_CPUS];
	struct irq_event last[MAX_CPUS];
};

static struct irq_slot slots[IRQ_SLOTS];
static int8_t slot_of[256];	/* slot index + 1, 0 when not installed */
static uint64_t irq_seq;
/* Per CPU: the vector irq_wait() gave up on and the state it saw, for report_irq(). */
static char timeout_state[MAX_CPUS][96];
static int timeout_vec[MAX_CPUS];	/* -1: any vector (a listener's state) */

static struct irq_slot *slot(int vec)
{
	int s = vec >= 0 && vec < 256 ? slot_of[vec] : 0;

	return s ? &slots[s - 1] : NULL;
}

static void irq_dispatch(struct ex_regs *r)
{
	struct irq_slot *s = slot(r->vector);
	int cpu = smp_id(), vec = r->vector;
	struct irq_event *e;

	if (!s)
		report_abort("vector %#x dispatched without a slot", vec);
	e = &s->last[cpu];
	e->tsc = rdtsc();
	e->rip = r->rip;
	e->rflags = r->rflags;
	e->isr = apic_vec_test(APIC_ISR, vec);
	e->irr = apic_vec_test(APIC_IRR, vec);
	e->tmr = apic_vec_test(APIC_TMR, vec);
	e->ppr = apic_read(APIC_PROCPRI);
	e->seq = __atomic_add_fetch(&irq_seq, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&s->count[cpu], 1, __ATOMIC_SEQ_CST);
	if (s->fn)
		s->fn(vec, r);
	if (s->flags & IRQ_EOI)
		apic_eoi();
}

void irq_reset(int vec)
{
	struct irq_slot *s = slot(vec);

	if (!s)
		return;
	memset(s->count, 0, sizeof(s->count));
	memset(s->last, 0, sizeof(s->last));
	memset(timeout_state, 0, sizeof(timeout_state));
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void irq_install(int vec, irq_fn_t fn, unsigned int flags)
{
	struct irq_slot *s = slot(vec);

	if (vec < 32 || vec > 255)
		report_abort("irq_install: vector %d is not an interrupt vector", vec);
	for (int i = 0; !s && i < IRQ_SLOTS; i++) {
		if (!slots[i].vec) {
			s = &slots[i];
			s->vec = vec;
			slot_of[vec] = i + 1;
		}
	}
	if (!s)
		report_abort("irq_install: more than %d vectors installed", IRQ_SLOTS);
	s->fn = fn;
	s->flags = flags;
	irq_reset(vec);
	install_exception_handler(vec, irq_dispatch);
}

void irq_uninstall(int vec)
{
	struct irq_slot *s = slot(vec);

	if (!s)
		return;
	install_exception_handler(vec, NULL);
	slot_of[vec] = 0;
	s->vec = 0;
}

unsigned int irq_count(int cpu, int vec)
{
	struct irq_slot *s = slot(vec);

	return s ? __atomic_load_n(&s->count[cpu], __ATOMIC_SEQ_CST) : 0;
}

unsigned int irq_count_all(int vec)
{
	unsigned int n = 0;

	for (int cpu = 0; cpu < cpu_count(); cpu++)
		n += irq_count(cpu, vec);
	return n;
}

struct irq_event irq_last(int cpu, int vec)
{
	struct irq_slot *s = slot(vec);
	struct irq_event e = { 0 };

	if (s)
		e = s->last[cpu];
	return e;
}

/* Up to 4 vectors of the 256-bit register at @reg, "none" when empty. */
static size_t vec_list(char *buf, size_t len, unsigned int reg)
{
	size_t n = 0;
	int shown = 0;

	for (int i = 0; i < 8; i++) {
		uint32_t v = apic_read(reg + i * 0x10);

		while (v && shown < 4 && n < len) {
			int bit = __builtin_ctz(v);

			n += snprintf(buf + n, len - n, "%s%#x", shown ? " " : "", i * 32 + bit);
			v &= v - 1;
			shown++;
		}
	}
	if (!shown && n < len)
		n += snprintf(buf + n, len - n, "none");
	return n < len ? n : len;
}

char *irq_state_str(char *buf, size_t len)
{
	size_t n = snprintf(buf, len, "IRR ");

	n += vec_list(buf + n, len - n, APIC_IRR);
	if (n < len)
		n += snprintf(buf + n, len - n, ", ISR ");
	if (n < len)
		n += vec_list(buf + n, len - n, APIC_ISR);
	if (n < len)
		snprintf(buf + n, len - n, ", PPR %#04x", apic_read(APIC_PROCPRI));
	return buf;
}

struct count_goal {
	int cpu, vec;
	unsigned int n;
};

static bool count_reached(const void *arg)
{
	const struct count_goal *g = arg;

	return irq_count(g->cpu, g->vec) >= g->n;
}

static bool wait_until(bool (*done)(const void *arg), const void *arg, int vec)
{
	bool irq = arch_irqs_enabled(), ok;
	uint64_t end = rdtsc() + tsc_from_us(IRQ_WAIT_US);
	int cpu = smp_id();

	timeout_state[cpu][0] = 0;
	timeout_vec[cpu] = vec;
	irq_enable();
	while (!(ok = done(arg)) && rdtsc() < end)
		pause();
	irq_disable();
	ok = ok || done(arg);
	if (!ok)
		irq_state_str(timeout_state[cpu], sizeof(timeout_state[cpu]));
	if (irq)
		irq_enable();
	return ok;
}

bool irq_wait_until(bool (*done)(const void *arg), const void *arg)
{
	return wait_until(done, arg, -1);
}

bool irq_wait(int vec, unsigned int n)
{
	struct count_goal g = { smp_id(), vec, n };

	return wait_until(count_reached, &g, vec);
}

void irq_settle(unsigned long us)
{
	bool irq = arch_irqs_enabled();
	uint64_t end = rdtsc() + tsc_from_us(us);

	timeout_state[smp_id()][0] = 0;
	irq_enable();
	while (rdtsc() < end)
		pause();
	/*
	 * A window of a few instructions after the time is up: an interrupt
	 * that became pending while this vCPU was not running is taken here
	 * even if the loop above ended at its first instruction back.
	 */
	asm volatile("sti; nop; nop; nop" : : : "memory");
	if (!irq)
		irq_disable();
}

static bool listen_stop;
static struct cpumask listening;

static void listen_job(void *unused)
{
	int cpu = smp_id();

	while (!__atomic_load_n(&listen_stop, __ATOMIC_SEQ_CST)) {
		safe_halt();
		irq_disable();
	}
	irq_state_str(timeout_state[cpu], sizeof(timeout_state[cpu]));
	timeout_vec[cpu] = -1;
	cpumask_clear(&listening, cpu);
}

void irq_listen_start(int skip)
{
	int self = smp_id();

	__atomic_store_n(&listen_stop, false, __ATOMIC_SEQ_CST);
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		if (cpu == self || cpu == skip)
			continue;
		cpumask_set(&listening, cpu);
		on_cpu_async(cpu, listen_job, NULL);
	}
}

static bool none_listening(const void *unused)
{
	return !cpumask_weight(&listening);
}

void irq_listen_stop(void)
{
	int self = smp_id();

	__atomic_store_n(&listen_stop, true, __ATOMIC_SEQ_CST);
	for (int cpu = 0; cpu < cpu_count(); cpu++)
		if (cpu != self && cpumask_test(&listening, cpu))
			arch_cpu_kick(cpu);
	if (!irq_wait_until(none_listening, NULL))
		report_abort("a listening CPU did not take its wake-up kick within %d ms",
			     IRQ_WAIT_US / 1000);
	for (int cpu = 0; cpu < cpu_count(); cpu++)
		if (cpu != self && smp_cpu_is_online(cpu))
			on_cpu_wait(cpu);
}

bool report_irq(int cpu, int vec, unsigned int n, const char *fmt, ...)
{
	unsigned int got = irq_count(cpu, vec);
	char exp[48], act[160];
	bool pass = got == n;
	va_list ap;

	if (!pass) {
		snprintf(exp, sizeof(exp), "%u of vector %#x on CPU %d", n, vec, cpu);
		if (timeout_state[cpu][0] && timeout_vec[cpu] == vec && got < n)
			snprintf(act, sizeof(act), "%u in %u ms; %s", got, IRQ_WAIT_US / 1000,
				 timeout_state[cpu]);
		else if (timeout_state[cpu][0] && timeout_vec[cpu] < 0 && got < n)
			snprintf(act, sizeof(act), "%u; %s", got, timeout_state[cpu]);
		else
			snprintf(act, sizeof(act), "%u", got);
	}
	va_start(ap, fmt);
	pass = vreport_decoded(pass, pass ? "" : exp, pass ? "" : act, fmt, ap);
	va_end(ap);
	return pass;
}
