// SPDX-License-Identifier: MIT
/*
 * The selftest subtests that read the same on every arch, linked into each
 * arch's selftest image (see common/selftest.h): the command line and the
 * environment blob the VMM loaded reach main(), every CPU the VMM was given
 * is online and runs on_cpu/on_cpus work, each CPU started through its
 * firmware-table ID runs as the CPU with that ID, async work is joined, and
 * run_in_user() runs its function at user level.
 *
 * What the VMM gets wrong that these catch: a command line or initrd that
 * does not arrive intact (args), fewer CPUs than -smp asked for (smp), a CPU
 * start (PSCI CPU_ON, INIT-SIPI) that wakes another CPU than the one named,
 * or a CPU whose ID register differs from the one the VMM's devicetree or
 * MADT lists for it (smp), an IPI that does not reach its target
 * (smp_async), an installed exception handler that is not called, or whose
 * change to the saved instruction pointer is lost (handlers), a broken
 * transition to user level and back (usermode).
 * Properties of lib alone (getenv(), the allocators) are host unit tests:
 * tests/unit/test-subtest.c and tests/unit/test-alloc.c.
 *
 * Specs: the arch's own (its selftest.c names them): MPIDR_EL1 and PSCI
 * CPU_ON (DEN0022, CPU_ON: target_cpu) on arm64, the local APIC ID and the MADT
 * (ACPI 6.5 5.2.12.2) with INIT-SIPI-SIPI (SDM vol. 3A 9.4.4) on x86.
 * Arguments: the cfg passes "smp=<n>" (checked against the CPUs found) and
 * "quoted=two words" (checks that quoting survives the command line).
 */
#include "arch.h"
#include "report.h"
#include "smp.h"
#include "subtest.h"
#include "user.h"
#include "vm.h"
#include "selftest.h"

void args(void)
{
	const char *q = arg_value("quoted");
	const char *test = getenv("HVPROBE_TEST");

	report(q && !strcmp(q, "two words"), "quoted argument keeps its blank (got '%s')",
	       q ? q : "(missing)");
	report(test && !strncmp(test, "selftest", 8),
	       "environment HVPROBE_TEST names this test (got '%s')", test ? test : "(missing)");
	report(getenv("HVPROBE_VMM") != NULL, "environment carries HVPROBE_VMM");
}

static int cpu_seen[MAX_CPUS];

/* What the CPU that ran the work posted to one CPU number found about itself. */
struct cpu_self {
	int id;		/* smp_id(): the number its hardware ID has in the firmware table */
	uint64_t hwid;
};

static struct cpu_self cpu_self[MAX_CPUS];

static void record_cpu(void *data)
{
	struct cpu_self *self = data;

	__atomic_fetch_add(&cpu_seen[smp_id()], 1, __ATOMIC_SEQ_CST);
	if (self) {
		self->id = smp_id();
		self->hwid = selftest_cpu_hwid();
	}
}

/*
 * lib starts CPU i through the ID the firmware table lists at i (arm64: PSCI
 * CPU_ON of the /cpus reg, x86: INIT-SIPI to the MADT's APIC ID) and hands
 * it number i with the start (the context ID, the booting CPU number): it
 * takes work posted to CPU i whatever its ID register says. smp_id() instead
 * looks that register up in the table. The two agree only when the VMM woke
 * the CPU it was asked to and gave it the ID its own table lists. (For CPU 0,
 * the boot CPU, lib finds the table entry from the register: nothing to catch.)
 * Where lib's kick IPI is routed by the same wrong ID, the work never starts
 * and the run hangs instead: the runner's timeout is then the FAIL.
 */
static void check_cpu_ids(int n)
{
	for (int i = 0; i < n; i++)
		report(cpu_self[i].id == i, "CPU %d, started through its firmware-table ID, reads "
		       "that ID (it reads %#llx, table entry %d)", i,
		       (unsigned long long)cpu_self[i].hwid, cpu_self[i].id);
}

void smp(void)
{
	const char *want = arg_value("smp");
	int n = cpu_count();

	if (want)
		report_eq(strtoul(want, NULL, 0), n, "CPUs online match the smp= argument");
	else
		report_skip("no smp= argument to compare the CPU count with");
	for (int i = 0; i < n; i++) {
		cpu_self[i].id = -1;
		on_cpu(i, record_cpu, &cpu_self[i]);
	}
	on_cpus(record_cpu, NULL);
	for (int i = 0; i < n; i++)
		report_eq(2, cpu_seen[i], "CPU %d ran on_cpu and on_cpus work once each", i);
	check_cpu_ids(n);
}

static volatile int ran_on;

static void record_ran_on(void *data)
{
	ran_on = smp_id();
}

int selftest_ran_on(int cpu)
{
	ran_on = -1;
	on_cpu(cpu, record_ran_on, NULL);
	return ran_on;
}

void smp_async(void)
{
	int last = cpu_count() - 1;

	ran_on = -1;
	on_cpu_async(last, record_ran_on, NULL);
	on_cpu_wait(last);
	report_eq(last, ran_on, "on_cpu_async ran on the last CPU and on_cpu_wait joined it");
}

bool selftest_wait_count(int *count, int want)
{
	for (int i = 0; i < 100000 && __atomic_load_n(count, __ATOMIC_SEQ_CST) < want; i++) {
		arch_irq_enable();
		udelay(1);
		arch_irq_disable();
	}
	return __atomic_load_n(count, __ATOMIC_SEQ_CST) == want;
}

static int trapped;

static void count_trap(struct ex_regs *regs)
{
	trapped++;
	selftest_trap_skip(regs);
}

/*
 * A handler installed for another exception misses the trap; a saved
 * instruction pointer past the trap makes it skip the second one.
 */
void handlers(void)
{
	selftest_handler_t old = selftest_trap_handler(count_trap);

	selftest_trap();
	selftest_trap();
	report_eq(2, trapped, "installed %s handler ran once per %s", selftest_trap_names[0],
		  selftest_trap_names[1]);
	if (selftest_trap_handler(old) != count_trap)
		report_abort("install_exception_handler did not return the handler it replaced");
}

static uint64_t user_stored;

/* At user level: a store to the image's data and a value made of @arg. */
static uint64_t user_fn(uint64_t arg)
{
	user_stored = arg;
	return arg * 2 + 1;
}

void usermode(void)
{
	user_stored = 0;
	report_eq(2 * 21 + 1, run_in_user(user_fn, 21),
		  "run_in_user calls fn with its argument and returns its value");
	report_eq(21, user_stored, "fn's store to the image's data at user level is seen");
	selftest_check_user();
}

void selftest_alias_page(uintptr_t virt, volatile uint64_t *page)
{
	selftest_map(virt, (uintptr_t)page, 4096, 1);
	*page = 0x1234;
	report_eq_x(0x1234, *(volatile uint64_t *)virt,
		    "a write through the identity map reads through the alias");
	pt_protect(virt, 4096, PT_R);
}

void selftest_large_leaf(uintptr_t virt, volatile uint64_t *page, size_t size, int level,
			 const char *what)
{
	uintptr_t block = ALIGN_DOWN((uintptr_t)page, size);

	selftest_map(virt, block, size, level);
	*page = 0x5678;
	report_eq_x(0x5678, ((volatile uint64_t *)virt)[((uintptr_t)page - block) / 8],
		    "a read through %s reaches the page at its offset", what);
	pt_unmap(virt, size);
}

void selftest_map(uintptr_t virt, uint64_t phys, size_t size, int level)
{
	struct pt_walk w;

	if (pt_walk(virt, &w) >= 0)
		report_abort("pt_walk finds %#lx mapped before pt_map", (unsigned long)virt);
	if (pt_map(virt, phys, size, PT_RW) || pt_walk(virt, &w) || w.level != level ||
	    w.phys != phys)
		report_abort("pt_map of %#zx bytes at %#lx did not give a level-%d leaf to %#llx",
			     size, (unsigned long)virt, level, (unsigned long long)phys);
}
