// SPDX-License-Identifier: MIT
/*
 * lib/smp.c's sleep/wake protocol against a fake port of host threads, one
 * per CPU: arch_cpu_wait() blocks until a kick is pending (or returns early
 * at random, as a real wait may), then "takes the interrupt" by calling
 * smp_kick_received(); a kick sent while the target masks interrupts stays
 * pending, as on x86 and arm64. Thousands of on_cpu(), on_cpu_async(),
 * on_cpu_wait() and on_cpus() calls with random delays, several posters
 * racing for one CPU, must show:
 *   - no lost wake-up: every call returns (a watchdog fails the test after
 *     WATCHDOG_S seconds rather than hang);
 *   - no stray kick: none pending while work runs, none pending when a wait
 *     returns, never two in flight to one CPU, as many taken as sent;
 *   - every CPU halts rather than spins: waits return with work done, and
 *     the caller's interrupt state is given back.
 */
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include "unit.h"
#include "arch.h"
#include "report.h"
#include "smp.h"

#define NCPUS		4
#define ROUNDS		4000
#define WATCHDOG_S	60

struct fake_cpu {
	pthread_cond_t cond;
	int pending;		/* kicks sent, not yet taken */
	bool irq_on;
	unsigned int seed;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct fake_cpu cpus[NCPUS];
static __thread int self = -1;
static int kicks_sent, kicks_taken, double_kicks, stray_in_work, stray_after_wait;
static int irq_on_in_work, wrong_cpu, aborts, relaxes, taken_outside;
static int ran[NCPUS];

static void count(int *c)
{
	__atomic_add_fetch(c, 1, __ATOMIC_SEQ_CST);
}

int smp_id(void)
{
	return self;
}

/* Deliver pending kicks to this CPU (interrupts on). Called with the lock held. */
static void take_pending(struct fake_cpu *c)
{
	while (c->pending) {
		c->pending--;
		pthread_mutex_unlock(&lock);
		smp_kick_received(self);
		count(&kicks_taken);
		pthread_mutex_lock(&lock);
	}
}

void arch_cpu_wait(void)
{
	struct fake_cpu *c = &cpus[self];

	pthread_mutex_lock(&lock);
	c->irq_on = true;
	/* One wait in eight returns at once, as WFI may and HLT does for any interrupt. */
	if (!c->pending && rand_r(&c->seed) % 8)
		pthread_cond_wait(&c->cond, &lock);
	take_pending(c);
	pthread_mutex_unlock(&lock);
}

void arch_irq_disable(void)
{
	pthread_mutex_lock(&lock);
	cpus[self].irq_on = false;
	pthread_mutex_unlock(&lock);
}

void arch_irq_enable(void)
{
	pthread_mutex_lock(&lock);
	cpus[self].irq_on = true;
	/* lib enables interrupts only when a wait is over: a kick now is a stray. */
	if (cpus[self].pending)
		count(&taken_outside);
	take_pending(&cpus[self]);
	pthread_mutex_unlock(&lock);
}

bool arch_irqs_enabled(void)
{
	return cpus[self].irq_on;
}

void arch_cpu_kick(int cpu)
{
	/* An IPI takes a while to arrive: one in four here does. */
	if (rand_r(&cpus[self].seed) % 4 == 0)
		usleep(20);
	pthread_mutex_lock(&lock);
	if (cpus[cpu].pending)
		count(&double_kicks);
	cpus[cpu].pending++;
	count(&kicks_sent);
	pthread_cond_signal(&cpus[cpu].cond);
	pthread_mutex_unlock(&lock);
}

/* lib/smp.c has no business spinning: counted, and must stay 0. */
void arch_cpu_relax(void)
{
	count(&relaxes);
	sched_yield();
}

void report_abort(const char *fmt, ...)
{
	va_list ap;

	count(&aborts);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	printf("\n");
	exit(1);
}

static int pending_now(void)
{
	int n;

	pthread_mutex_lock(&lock);
	n = cpus[self].pending;
	pthread_mutex_unlock(&lock);
	return n;
}

static void maybe_delay(void)
{
	unsigned int r = rand_r(&cpus[self].seed) % 16;

	if (r < 2)
		usleep(r * 50);
	else if (r < 6)
		sched_yield();
}

/* The work: runs on the target with interrupts off and no kick pending. */
static void work(void *data)
{
	intptr_t want = (intptr_t)data;

	if (want >= 0 && want != self)
		count(&wrong_cpu);
	/* on_cpus() runs the caller's share with the caller's interrupt state. */
	if (self && cpus[self].irq_on)
		count(&irq_on_in_work);
	if (pending_now())
		count(&stray_in_work);
	count(&ran[self]);
	maybe_delay();
}

static void check_after_wait(void)
{
	if (pending_now())
		count(&stray_after_wait);
}

/* Work on a secondary that posts to another CPU itself: posters race for it. */
static void post_from_here(void *data)
{
	int target = (int)(intptr_t)data;

	on_cpu(target, work, (void *)(intptr_t)target);
	check_after_wait();
}

static void *secondary(void *arg)
{
	self = (int)(intptr_t)arg;
	cpus[self].seed = 1234 + self;
	smp_idle_loop(self);
}

static void watchdog(int sig)
{
	static const char msg[] = "FAIL: a wait did not return within the watchdog: lost wake-up\n";

	(void)sig;
	if (write(1, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(1);
}

static void round_once(int r)
{
	int target = 1 + r % (NCPUS - 1), other = 1 + (r + 1) % (NCPUS - 1);

	switch (unit_below(5)) {
	case 0:
		on_cpu(target, work, (void *)(intptr_t)target);
		break;
	case 1:
		on_cpu_async(target, work, (void *)(intptr_t)target);
		maybe_delay();
		on_cpu_wait(target);
		break;
	case 2:
		on_cpus(work, (void *)(intptr_t)-1);
		break;
	case 3:
		/* CPU 0 and @other post to @target at once. */
		if (other == target)
			other = 1 + (target % (NCPUS - 1));
		on_cpu_async(other, post_from_here, (void *)(intptr_t)target);
		on_cpu(target, work, (void *)(intptr_t)target);
		on_cpu_wait(other);
		break;
	default:
		on_cpu_async(target, work, (void *)(intptr_t)target);
		on_cpu(target, work, (void *)(intptr_t)target);
		break;
	}
	check_after_wait();
}

int main(void)
{
	pthread_t t[NCPUS];
	int total = 0, online;

	signal(SIGALRM, watchdog);
	alarm(WATCHDOG_S);
	unit_seed(16);
	self = 0;
	cpus[0].seed = 1234;
	for (int i = 0; i < NCPUS; i++)
		pthread_cond_init(&cpus[i].cond, NULL);
	smp_set_cpu_count(NCPUS);
	smp_cpu_online(0);
	for (int i = 1; i < NCPUS; i++)
		pthread_create(&t[i], NULL, secondary, (void *)(intptr_t)i);
	for (;;) {
		online = 0;
		for (int i = 0; i < NCPUS; i++)
			online += smp_cpu_is_online(i);
		if (online == NCPUS)
			break;
		sched_yield();
	}

	/* Interrupts masked, as main() starts. */
	for (int r = 0; r < ROUNDS; r++)
		round_once(r);
	CHECK(!cpus[0].irq_on, "a wait called with interrupts masked leaves them masked");
	arch_irq_enable();
	for (int r = 0; r < ROUNDS / 4; r++)
		round_once(r);
	CHECK(cpus[0].irq_on, "a wait called with interrupts on leaves them on");
	arch_irq_disable();

	for (int i = 0; i < NCPUS; i++)
		total += ran[i];
	CHECK(total >= ROUNDS, "every round ran its work (%d runs for %d rounds)", total,
	      ROUNDS);
	for (int i = 1; i < NCPUS; i++)
		CHECK(ran[i] > 0, "CPU %d ran work", i);
	CHECK(!wrong_cpu, "on_cpu work runs on its target (%d did not)", wrong_cpu);
	CHECK(!irq_on_in_work, "work on a secondary runs with interrupts masked (%d did not)",
	      irq_on_in_work);
	CHECK(!stray_in_work, "no kick is pending while work runs (%d were)", stray_in_work);
	CHECK(!stray_after_wait, "no kick is pending when a wait returns (%d were)",
	      stray_after_wait);
	CHECK(!taken_outside, "no kick is taken outside a wait (%d were)", taken_outside);
	CHECK(!double_kicks, "never two kicks in flight to one CPU (%d)", double_kicks);
	CHECK(kicks_sent > 0, "kicks are sent (%d)", kicks_sent);
	/* The idle CPUs may still hold the last kicks: let them take them. */
	for (int spin = 0; spin < 10000 && kicks_taken != kicks_sent; spin++)
		usleep(100);
	CHECK(kicks_taken == kicks_sent, "every kick sent is taken (%d sent, %d taken)",
	      kicks_sent, kicks_taken);
	CHECK(!aborts, "no report_abort() (%d)", aborts);
	CHECK(!relaxes, "no wait spins: arch_cpu_relax() is never called (%d calls)", relaxes);
	printf("  %d rounds, %d work runs, %d kicks\n", ROUNDS + ROUNDS / 4, total, kicks_sent);
	return unit_summary("unit-smp");
}
