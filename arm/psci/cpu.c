// SPDX-License-Identifier: MIT
/*
 * CPU power state through PSCI (DEN0022 chapter 5: CPU_ON, CPU_OFF,
 * AFFINITY_INFO; chapter 6.4: the state a core starts in): every
 * secondary off and on again through a test entry point that records what
 * it found, the AFFINITY_INFO transitions that causes, the error returns,
 * and CPU_ON raced from several CPUs to one target.
 */
#include "alloc.h"
#include "asm/processor.h"
#include "asm/timer.h"
#include "cpu.h"
#include "psci.h"
#include "psci-test.h"
#include "report.h"
#include "smp.h"

/*
 * psci_entry_hvc / psci_entry_smc: x0 = context ID = record address with
 * ENTRY_TAG in bits 63:56 (so all 64 bits of the context ID are checked).
 * MMU and caches are off (6.4), so only aligned stores to the record, no
 * stack. Records, then waits (WFE) for the test's release before CPU_OFF,
 * so that a CPU_ON raced against it cannot find the CPU OFF again.
 */
#define ENTRY_TAG	0xc5UL

_Static_assert(__builtin_offsetof(struct entry_record, entries) == 40 &&
	       __builtin_offsetof(struct entry_record, release) == 48 &&
	       __builtin_offsetof(struct entry_record, off_ret) == 56, "psci_entry offsets");

#define PSCI_ENTRY(conduit)						\
	"	.globl	psci_entry_" #conduit "\n"			\
	"	.balign	8\n"						\
	"psci_entry_" #conduit ":\n"					\
	"	and	x9, x0, #0x00ffffffffffffff\n"			\
	"	str	x0, [x9, #0]\n"					\
	"	mrs	x10, mpidr_el1\n"				\
	"	ubfx	x11, x10, #32, #8\n"				\
	"	and	x10, x10, #0xffffff\n"				\
	"	orr	x10, x10, x11, lsl #32\n"			\
	"	str	x10, [x9, #8]\n"				\
	"	mrs	x10, CurrentEL\n"				\
	"	str	x10, [x9, #16]\n"				\
	"	cmp	x10, #8\n"					\
	"	b.ne	1f\n"						\
	"	mrs	x11, sctlr_el2\n"				\
	"	b	2f\n"						\
	"1:	mrs	x11, sctlr_el1\n"				\
	"2:	str	x11, [x9, #24]\n"				\
	"	mrs	x10, daif\n"					\
	"	str	x10, [x9, #32]\n"				\
	"	ldr	x10, [x9, #40]\n"				\
	"	add	x10, x10, #1\n"					\
	"	str	x10, [x9, #40]\n"				\
	"	dsb	sy\n"						\
	"3:	ldr	x10, [x9, #48]\n"				\
	"	cbnz	x10, 4f\n"					\
	"	wfe\n"							\
	"	b	3b\n"						\
	"4:	mov	x0, #0x0002\n"	/* CPU_OFF */			\
	"	movk	x0, #0x8400, lsl #16\n"				\
	"	" #conduit "	#0\n"					\
	"	str	x0, [x9, #56]\n"				\
	"	dsb	sy\n"						\
	"5:	wfe\n"							\
	"	b	5b\n"

asm(".pushsection .text, \"ax\"\n" PSCI_ENTRY(hvc) PSCI_ENTRY(smc) ".popsection\n");

extern char psci_entry_hvc[], psci_entry_smc[];

/* One page of its own: nothing else shares its cache lines. */
static struct entry_record record_page[4096 / sizeof(struct entry_record)] __aligned(4096);

uintptr_t entry_address(void)
{
	return (uintptr_t)(psci_conduit() == PSCI_CONDUIT_SMC ? psci_entry_smc : psci_entry_hvc);
}

uint64_t entry_context(struct entry_record *rec)
{
	return ENTRY_TAG << 56 | (uintptr_t)rec;
}

/* Clean, then invalidate: no dirty line can later overwrite what the entry stores. */
static void record_sync(struct entry_record *rec)
{
	dcache_clean_poc(rec, sizeof(*rec));
	dcache_inval_poc(rec, sizeof(*rec));
}

struct entry_record *entry_record_new(void)
{
	struct entry_record *rec = &record_page[0];

	memset(rec, 0, sizeof(*rec));
	record_sync(rec);
	return rec;
}

bool entry_wait(struct entry_record *rec, uint64_t entries)
{
	for (int ms = 0; ms <= PSCI_WAIT_MS; ms++) {
		dcache_inval_poc(rec, sizeof(*rec));
		if (*(volatile uint64_t *)&rec->entries >= entries)
			return true;
		mdelay(1);
	}
	return false;
}

void entry_release(struct entry_record *rec)
{
	rec->release = 1;
	record_sync(rec);
	dsb(sy);
	sev();
}

/* 6.4: MMU and data cache off, all of DAIF masked, at the highest Non-secure EL. */
void entry_check(struct entry_record *rec, int cpu, const char *how)
{
	bool el2 = id_field(read_sysreg(id_aa64pfr0_el1), ID_AA64PFR0_EL2_SHIFT);

	dcache_inval_poc(rec, sizeof(*rec));
	report_eq_x(entry_context(rec), rec->context,
		    "%s entry of CPU %d: x0 holds the 64-bit context ID", how, cpu);
	report_eq_x(cpu_mpidr(cpu), rec->mpidr, "%s entry of CPU %d: runs on the target's MPIDR",
		    how, cpu);
	report_eq(el2 ? 2 : 1, (rec->el >> 2) & 3,
		  "%s entry of CPU %d: at the highest Non-secure EL (EL2 if implemented)", how,
		  cpu);
	report_eq_x(0, rec->sctlr & (SCTLR_M | SCTLR_C),
		    "%s entry of CPU %d: SCTLR.M and SCTLR.C are 0 (MMU and data cache off)", how,
		    cpu);
	report_eq_x(0x3c0, rec->daif, "%s entry of CPU %d: PSTATE.DAIF all masked", how, cpu);
}

int wait_affinity(int cpu, int state)
{
	int got = psci_affinity_info(cpu_mpidr(cpu), 0);

	for (int ms = 0; ms < PSCI_WAIT_MS && got != state; ms++) {
		mdelay(1);
		got = psci_affinity_info(cpu_mpidr(cpu), 0);
	}
	return got;
}

static void do_power_off(void *data)
{
	*(int *)data = cpu_power_off();
}

/* ret stays PSCI_SUCCESS unless CPU_OFF returns (it must not: DEN0022, CPU_OFF). */
bool power_off_cpu(int cpu)
{
	int ret = PSCI_SUCCESS, state;
	bool off;

	on_cpu_async(cpu, do_power_off, &ret);
	on_cpu_wait(cpu);
	state = wait_affinity(cpu, PSCI_AFFINITY_OFF);
	off = ret == PSCI_SUCCESS && state == PSCI_AFFINITY_OFF;
	if (!report(off, "CPU_OFF of CPU %d does not return and AFFINITY_INFO turns OFF", cpu))
		report_info("CPU_OFF returned %d, AFFINITY_INFO %d", ret, state);
	return off;
}

/* An affinity no CPU of /cpus has (Aff2 = 0xfe is unused by every VMM's numbering). */
static uint64_t bad_mpidr(void)
{
	uint64_t m = 0xfe0000;

	while (mpidr_to_cpu(m) >= 0)
		m += 0x10000;
	return m;
}

void affinity_info(void)
{
	for (int cpu = 0; cpu < cpu_count(); cpu++)
		report_eq(PSCI_AFFINITY_ON, psci_affinity_info(cpu_mpidr(cpu), 0),
			  "AFFINITY_INFO of running CPU %d (MPIDR %#lx) at level 0 is ON", cpu,
			  (unsigned long)cpu_mpidr(cpu));
	report_eq(PSCI_INVALID_PARAMETERS, psci_affinity_info(bad_mpidr(), 0),
		  "AFFINITY_INFO of an MPIDR no CPU has (%#lx) is INVALID_PARAMETERS",
		  (unsigned long)bad_mpidr());
}

void cpu_on_errors(void)
{
	struct entry_record *rec = entry_record_new();

	for (int cpu = 0; cpu < cpu_count(); cpu++)
		report_eq(PSCI_ALREADY_ON,
			  psci_cpu_on(cpu_mpidr(cpu), entry_address(), entry_context(rec)),
			  "CPU_ON of running CPU %d%s returns ALREADY_ON", cpu,
			  cpu == smp_id() ? " (the caller)" : "");
	report_eq(PSCI_INVALID_PARAMETERS,
		  psci_cpu_on(bad_mpidr(), entry_address(), entry_context(rec)),
		  "CPU_ON of an MPIDR no CPU has (%#lx) returns INVALID_PARAMETERS",
		  (unsigned long)bad_mpidr());
	dcache_inval_poc(rec, sizeof(*rec));
	report_eq(0, rec->entries, "no CPU ran the entry point of a failed CPU_ON");
}

static void off_on_one(int cpu)
{
	struct entry_record *rec;
	int ret;

	if (!power_off_cpu(cpu))
		return;
	rec = entry_record_new();
	ret = psci_cpu_on(cpu_mpidr(cpu), entry_address(), entry_context(rec));
	if (!report_eq(PSCI_SUCCESS, ret, "CPU_ON of CPU %d (OFF) returns SUCCESS", cpu)) {
		cpu_power_on(cpu);
		return;
	}
	report(entry_wait(rec, 1), "CPU %d runs the CPU_ON entry point", cpu);
	entry_check(rec, cpu, "CPU_ON");
	report_eq(PSCI_AFFINITY_ON, psci_affinity_info(cpu_mpidr(cpu), 0),
		  "AFFINITY_INFO of CPU %d running the entry point is ON", cpu);
	report_eq(PSCI_ALREADY_ON, psci_cpu_on(cpu_mpidr(cpu), entry_address(), entry_context(rec)),
		  "CPU_ON of CPU %d while it runs the entry point returns ALREADY_ON", cpu);
	entry_release(rec);
	report_eq(PSCI_AFFINITY_OFF, wait_affinity(cpu, PSCI_AFFINITY_OFF),
		  "CPU_OFF from the entry point turns CPU %d OFF", cpu);
	dcache_inval_poc(rec, sizeof(*rec));
	report_eq(1, rec->entries, "CPU %d ran the entry point once for one CPU_ON", cpu);
	report_eq(PSCI_SUCCESS, cpu_power_on(cpu),
		  "CPU_ON of CPU %d again after its CPU_OFF returns SUCCESS", cpu);
}

static void note_cpu(void *data)
{
	cpumask_set(data, smp_id());
}

void cpu_off_on(void)
{
	struct cpumask ran;

	for (int cpu = 1; cpu < cpu_count(); cpu++)
		off_on_one(cpu);
	cpumask_clear_all(&ran);
	for (int cpu = 1; cpu < cpu_count(); cpu++)
		if (smp_cpu_is_online(cpu))
			on_cpu(cpu, note_cpu, &ran);
	report_eq(cpu_count() - 1, cpumask_weight(&ran),
		  "every secondary runs work again after CPU_OFF and CPU_ON");
}

/* Each racer calls CPU_ON this many times back to back. */
#define RACE_CALLS	2

struct race {
	int target;
	uintptr_t entry;
	uint64_t context;
	int ready;
	int go;
	int ret[MAX_CPUS][RACE_CALLS];
};

static void racer(void *data)
{
	struct race *r = data;

	__atomic_add_fetch(&r->ready, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&r->go, __ATOMIC_ACQUIRE))
		;
	for (int i = 0; i < RACE_CALLS; i++)
		r->ret[smp_id()][i] = psci_cpu_on(cpu_mpidr(r->target), r->entry, r->context);
}

/*
 * CPU_ON returns SUCCESS only for a core that is OFF; a call for a core
 * whose power-up is under way returns ON_PENDING, for one already on
 * ALREADY_ON (chapter 5, CPU_ON return values). The target stays on
 * until every racer returned, so exactly one call can win.
 */
#define RACE_ROUNDS	10

struct race_stats {
	int bad_rounds, already, pending, no_entry, not_off, entries_bad;
};

static void race_round(int target, struct race_stats *st)
{
	struct entry_record *rec = entry_record_new();
	struct race r = { .target = target, .entry = entry_address(),
			  .context = entry_context(rec) };
	int self = smp_id(), racers = cpu_count() - 1, win = 0, lose = 0;

	for (int cpu = 0; cpu < cpu_count(); cpu++)
		if (cpu != target && cpu != self)
			on_cpu_async(cpu, racer, &r);
	while (__atomic_load_n(&r.ready, __ATOMIC_SEQ_CST) < racers - 1)
		;
	__atomic_store_n(&r.go, 1, __ATOMIC_RELEASE);
	racer(&r);
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		if (cpu == target)
			continue;
		on_cpu_wait(cpu);
		for (int i = 0; i < RACE_CALLS; i++) {
			int ret = r.ret[cpu][i];

			win += ret == PSCI_SUCCESS;
			st->already += ret == PSCI_ALREADY_ON;
			st->pending += ret == PSCI_ON_PENDING;
			lose += ret == PSCI_ALREADY_ON || ret == PSCI_ON_PENDING;
		}
	}
	st->bad_rounds += win != 1 || lose != racers * RACE_CALLS - 1;
	st->no_entry += !entry_wait(rec, 1);
	entry_release(rec);
	st->not_off += wait_affinity(target, PSCI_AFFINITY_OFF) != PSCI_AFFINITY_OFF;
	dcache_inval_poc(rec, sizeof(*rec));
	st->entries_bad += rec->entries != 1;
}

void cpu_on_race(void)
{
	int target = cpu_count() - 1;
	struct race_stats st = { 0 };

	if (!power_off_cpu(target))
		return;
	for (int round = 1; round <= RACE_ROUNDS; round++)
		race_round(target, &st);
	report_eq(0, st.bad_rounds, "%d rounds of %d CPUs racing %d CPU_ONs each of CPU %d: one "
		  "SUCCESS per round, the others ALREADY_ON or ON_PENDING (ALREADY_ON %d, "
		  "ON_PENDING %d)", RACE_ROUNDS, cpu_count() - 1, RACE_CALLS, target, st.already,
		  st.pending);
	report_eq(0, st.no_entry, "the winner's CPU_ON runs the entry point in every round");
	report_eq(0, st.not_off,
		  "CPU_OFF from the entry point turns the target OFF in every round");
	report_eq(0, st.entries_bad, "the entry point runs once per round");
	report_eq(PSCI_SUCCESS, cpu_power_on(target),
		  "CPU %d comes back with lib's entry point after the races", target);
}


/*
 * Between a successful CPU_ON and the target running, the target is
 * ON_PENDING (chapter 5, AFFINITY_INFO and CPU_ON): AFFINITY_INFO reads
 * ON_PENDING or, once the target runs, ON, never OFF; another CPU_ON
 * returns ON_PENDING or ALREADY_ON. How long ON_PENDING lasts is the
 * implementation's (it may be over before the first read), so the calls
 * come right after CPU_ON, in many cycles, and only "never OFF" and "never
 * SUCCESS twice" are checked.
 */
#define PENDING_CYCLES	20

struct pending_stats {
	int off, pending, second_success, second_other, entries_bad;
};

static bool pending_cycle(int target, struct pending_stats *st)
{
	struct entry_record *rec = entry_record_new();
	uint64_t mpidr = cpu_mpidr(target), ctx = entry_context(rec);
	int state, again;

	if (psci_cpu_on(mpidr, entry_address(), ctx) != PSCI_SUCCESS)
		return false;
	state = psci_affinity_info(mpidr, 0);
	again = psci_cpu_on(mpidr, entry_address(), ctx);
	st->off += state == PSCI_AFFINITY_OFF;
	st->pending += state == PSCI_AFFINITY_ON_PENDING;
	st->second_success += again == PSCI_SUCCESS;
	st->second_other += again != PSCI_SUCCESS && again != PSCI_ON_PENDING &&
			    again != PSCI_ALREADY_ON;
	if (!entry_wait(rec, 1))
		return false;
	entry_release(rec);
	if (wait_affinity(target, PSCI_AFFINITY_OFF) != PSCI_AFFINITY_OFF)
		return false;
	dcache_inval_poc(rec, sizeof(*rec));
	st->entries_bad += rec->entries != 1;
	return true;
}

/* The CPUs not in the cycle keep calling AFFINITY_INFO: the firmware is busy meanwhile. */
static int hammer_stop;

static void hammer(void *data)
{
	int target = *(int *)data;

	while (!__atomic_load_n(&hammer_stop, __ATOMIC_ACQUIRE))
		psci_affinity_info(cpu_mpidr(target), 0);
}

void cpu_on_pending(void)
{
	int target = cpu_count() - 1, cycles;
	struct pending_stats st = { 0 };

	if (!power_off_cpu(target))
		return;
	hammer_stop = 0;
	for (int cpu = 1; cpu < target; cpu++)
		on_cpu_async(cpu, hammer, &target);
	for (cycles = 0; cycles < PENDING_CYCLES; cycles++)
		if (!pending_cycle(target, &st))
			break;
	__atomic_store_n(&hammer_stop, 1, __ATOMIC_RELEASE);
	for (int cpu = 1; cpu < target; cpu++)
		on_cpu_wait(cpu);
	report_eq(PENDING_CYCLES, cycles, "%d cycles of CPU_ON, entry point, CPU_OFF of CPU %d "
		  "complete", PENDING_CYCLES, target);
	report_eq(0, st.off, "AFFINITY_INFO right after a successful CPU_ON is ON_PENDING or ON, "
		  "never OFF (%d cycles, ON_PENDING %d times)", cycles, st.pending);
	report(!st.second_success && !st.second_other, "a second CPU_ON right after a "
	       "successful one returns ON_PENDING or ALREADY_ON (%d cycles: SUCCESS %d times, "
	       "another code %d times)", cycles, st.second_success, st.second_other);
	report_eq(0, st.entries_bad, "the entry point runs once per successful CPU_ON");
	report_eq(PSCI_SUCCESS, cpu_power_on(target),
		  "CPU %d comes back with lib's entry point after the cycles", target);
}
