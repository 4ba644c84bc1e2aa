// SPDX-License-Identifier: MIT
/*
 * CPU discovery from the ACPI MADT and bring-up of every secondary with
 * INIT-SIPI-SIPI (SDM vol. 3, 9.4.4), before main(), every boot.
 */
#include "acpi.h"
#include "arch.h"
#include "alloc.h"
#include "asm/apic.h"
#include "asm/desc.h"
#include "report.h"
#include "setup.h"
#include "cpu.h"
#include "x86.h"

#define TRAMPOLINE	0x8000	/* SIPI vector 0x08 */

extern char trampoline_start[], trampoline_end[];
extern uint64_t ap_stack_top;
static int booting_cpu;

struct cpu_list {
	uint32_t *ids;
	int n, max;
};

static void madt_cpu(const struct madt_entry *e, void *data)
{
	struct cpu_list *l = data;
	const uint8_t *b = (const uint8_t *)e;
	uint32_t flags, id;

	if (e->type == MADT_LAPIC && e->length >= 8) {
		id = b[3];
		memcpy(&flags, b + 4, 4);
	} else if (e->type == MADT_X2APIC && e->length >= 16) {
		memcpy(&id, b + 4, 4);
		memcpy(&flags, b + 8, 4);
	} else {
		return;
	}
	if (!(flags & 1))	/* not enabled */
		return;
	if (l->n == l->max)
		report_abort("MADT lists more than %d CPUs", l->max);
	l->ids[l->n++] = id;
}

/*
 * The RSDP is on a 16-byte boundary in the first KiB of the EBDA or in
 * 0xE0000-0xFFFFF (ACPI 6.5, 5.2.5.1). Firmware puts it in the F segment
 * (qboot, SeaBIOS, Bochs' BIOS: 0xF3000-0xFA000), which is searched
 * before the E segment; the spec gives no order within that range. The
 * signature is compared as one 64-bit word: this loop runs thousands of
 * times per boot, and under a hypervisor emulating guest kernel code every
 * instruction costs.
 */
static const struct acpi_rsdp *find_rsdp(void)
{
	const uint64_t sig = 0x2052545020445352ULL;	/* "RSD PTR " */
	uintptr_t ebda = (uintptr_t)*(uint16_t *)0x40eUL << 4;
	uintptr_t areas[][2] = {
		{ ebda, ebda + 1024 }, { 0xf0000, 0x100000 }, { 0xe0000, 0xf0000 },
	};

	for (size_t a = 0; a < ARRAY_SIZE(areas); a++) {
		if (!areas[a][0])
			continue;
		for (uintptr_t p = areas[a][0]; p < areas[a][1]; p += 16)
			if (*(const uint64_t *)p == sig && acpi_rsdp_valid((const void *)p))
				return (const void *)p;
	}
	return NULL;
}

static const struct acpi_rsdp *rsdp;

const struct acpi_rsdp *x86_acpi_rsdp(void)
{
	return rsdp;
}

int x86_acpi_cpus(uint32_t *ids, int max)
{
	struct cpu_list l = { ids, 0, max };

	rsdp = find_rsdp();
	if (!rsdp)
		report_abort("no ACPI RSDP: cannot discover CPUs");
	if (acpi_madt_foreach(rsdp, madt_cpu, &l) < 0)
		report_abort("no ACPI MADT: cannot discover CPUs");
	return l.n;
}

void x86_ap_main(void)
{
	int cpu = booting_cpu;

	__atomic_add_fetch(&x86_cpus[cpu].boots, 1, __ATOMIC_SEQ_CST);
	x86_cpu_init(cpu);
	x86_ap_setup();
	apic_enable();
	smp_idle_loop(cpu);
}

static void start_cpu(int cpu)
{
	struct x86_cpu *c = &x86_cpus[cpu];

	booting_cpu = cpu;
	ap_stack_top = (uintptr_t)c->stack + STACK_SIZE;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	/*
	 * SIPI, 200 us, and a second SIPI only if the first did not take: a
	 * running AP ignores SIPIs anyway (SDM vol. 3, 9.4.4.1).
	 */
	for (int i = 0; i < 2 && !smp_cpu_is_online(cpu); i++) {
		apic_icr_write(APIC_DM_STARTUP | APIC_INT_ASSERT | TRAMPOLINE >> 12, c->apic_id);
		udelay(200);
	}
	/*
	 * Generous, 5 s: a TCG vCPU thread may need a while to be scheduled. A
	 * bounded spin (no calibrated timer to halt on at this point), looking
	 * every 20 us, so that an AP costs no more than it takes to start.
	 */
	for (int t = 0; t < 5000000 / 20 && !smp_cpu_is_online(cpu); t++)
		udelay(20);
	if (!smp_cpu_is_online(cpu))
		report_abort("CPU %d (APIC ID %u) did not come online after INIT-SIPI-SIPI", cpu,
			     c->apic_id);
}

/* Needs the BIOS data area in page 0: runs before mmu_init() unmaps it. */
void smp_discover(void)
{
	uint32_t ids[MAX_CPUS];
	uint32_t self = apic_id();
	int n = x86_acpi_cpus(ids, MAX_CPUS), next = 1;

	x86_cpus[0].apic_id = self;
	for (int i = 0; i < n; i++) {
		if (ids[i] == self)
			continue;
		if (next == n)
			report_abort("MADT does not list the boot CPU (APIC ID %u)", self);
		x86_cpus[next++].apic_id = ids[i];
	}
	smp_set_cpu_count(n);
	smp_cpu_online(0);
}

void smp_boot_secondaries(void)
{
	int n = cpu_count();

	if (n == 1)
		return;
	memcpy((void *)TRAMPOLINE, trampoline_start, trampoline_end - trampoline_start);
	for (int cpu = 1; cpu < n; cpu++) {
		struct x86_cpu *c = &x86_cpus[cpu];

		c->stack = alloc_pages(2);
		c->ist_stacks = alloc_pages(2);
		if (!c->stack || !c->ist_stacks)
			report_abort("out of memory for CPU %d's stacks", cpu);
		apic_icr_write(APIC_DM_INIT | APIC_INT_ASSERT, c->apic_id);
	}
	udelay(10000);	/* INIT to first SIPI, SDM 9.4.4.1 */
	for (int cpu = 1; cpu < n; cpu++)
		start_cpu(cpu);
}

uint32_t cpu_apic_id(int cpu)
{
	return x86_cpus[cpu].apic_id;
}

unsigned int cpu_boot_count(int cpu)
{
	return __atomic_load_n(&x86_cpus[cpu].boots, __ATOMIC_SEQ_CST);
}

void cpu_prepare_restart(int cpu)
{
	struct x86_cpu *c = &x86_cpus[cpu];

	if (cpu == 0 || cpu >= cpu_count())
		report_abort("cpu_prepare_restart: CPU %d is not a secondary", cpu);
	smp_cpu_offline(cpu);
	booting_cpu = cpu;
	ap_stack_top = (uintptr_t)c->stack + STACK_SIZE;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}
