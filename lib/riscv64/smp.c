// SPDX-License-Identifier: MIT
/*
 * Harts from the devicetree's /cpus (reg = hart ID) and their bring-up
 * through SBI HSM hart_start before main(), one at a time (SBI v2.0
 * chapter 9). A secondary enters at riscv_secondary_entry with its CPU
 * number as the opaque value, loads lib's satp and CSRs and parks in lib's
 * idle loop. smp_id() is tp, which each CPU sets from the hart ID the
 * firmware passed in a0, looked up in /cpus. The kick of lib/smp.c is an
 * SBI IPI (a supervisor software interrupt).
 */
#include "asm/csr.h"
#include "asm/processor.h"
#include "cpu.h"
#include "devicetree.h"
#include "report.h"
#include "riscv64.h"
#include "sbi.h"
#include "timer.h"

unsigned long riscv_hartids[MAX_CPUS];
struct resume_ctx riscv_resume_ctx[MAX_CPUS];
_Static_assert(sizeof(struct resume_ctx) == 136, "cstart.S CTX_SIZE");
static unsigned long entry_hartid[MAX_CPUS];
/* Each CPU's /cpus node, for its ISA description (isa.c). */
int riscv_cpu_node[MAX_CPUS];

int smp_id(void)
{
	long id;

	asm volatile("mv %0, tp" : "=r"(id));
	return id;
}

unsigned long cpu_hartid(int cpu)
{
	return riscv_hartids[cpu];
}

int hartid_to_cpu(unsigned long hartid)
{
	for (int i = 0; i < cpu_count(); i++)
		if (riscv_hartids[i] == hartid)
			return i;
	return -1;
}

unsigned long cpu_entry_hartid(void)
{
	return entry_hartid[smp_id()];
}

/*
 * lib's S-mode state: traps to entry.S, sscratch 0 (S-mode), the kick
 * enabled, SUM set (S-mode reaches RAM mapped for U-mode), FP and vector
 * state off (lib saves neither: a test turns them on around its use).
 */
void cpu_init_csrs(void)
{
	csr_write(CSR_STVEC, (uintptr_t)riscv_trap_vector);
	csr_write(CSR_SSCRATCH, 0);
	csr_write(CSR_SIE, SIE_SSIE);
	csr_set(CSR_SSTATUS, SSTATUS_SUM);
	csr_clear(CSR_SSTATUS, SSTATUS_FS | SSTATUS_VS | SSTATUS_MXR);
}

/* This CPU is the one whose /cpus entry names the hart ID the firmware gave it. */
static void set_self(unsigned long hartid)
{
	int cpu = hartid_to_cpu(hartid);

	if (cpu < 0)
		report_abort("hart %lu, started as CPU %d, is not in /cpus", hartid, smp_id());
	asm volatile("mv tp, %0" : : "r"((long)cpu));
	entry_hartid[cpu] = hartid;
}

/* The boot hart becomes CPU 0, the others follow in devicetree order. */
void smp_discover(unsigned long boot_hartid)
{
	uint64_t ids[MAX_CPUS];
	int n = dt_cpus(ids, MAX_CPUS), next = 1, cpus = dt_path("/cpus");

	if (n > MAX_CPUS)
		report_abort("the devicetree lists %d harts: hvprobe supports %d", n, MAX_CPUS);
	if (n < 1)
		report_abort("the devicetree lists no hart under /cpus");
	for (int i = 0; i < MAX_CPUS; i++)
		riscv_hartids[i] = -1UL;
	riscv_hartids[0] = boot_hartid;
	for (int i = 0; i < n; i++) {
		if (ids[i] == boot_hartid)
			continue;
		if (next == n)
			report_abort("/cpus does not list the boot hart %lu", boot_hartid);
		riscv_hartids[next++] = ids[i];
	}
	smp_set_cpu_count(n);
	for (int c = dt_first_child(cpus); c >= 0; c = dt_next_sibling(c)) {
		uint32_t reg;
		int cpu;

		if (dt_prop_has(c, "device_type", "cpu") && dt_prop_cell(c, "reg", 0, &reg) &&
		    (cpu = hartid_to_cpu(reg)) >= 0)
			riscv_cpu_node[cpu] = c;
	}
	set_self(boot_hartid);
	smp_cpu_online(0);
}

void riscv_secondary_main(unsigned long hartid, int cpu)
{
	secondary_mmu_on();
	cpu_init_csrs();
	set_self(hartid);
	smp_idle_loop(cpu);
}

long cpu_power_on(int cpu)
{
	struct sbiret r;

	if (cpu <= 0 || cpu >= cpu_count() || smp_cpu_is_online(cpu))
		report_abort("cpu_power_on: CPU %d is not an offline secondary", cpu);
	/* After cpu_power_off() the hart may still be on its way down (STOP_PENDING). */
	for (int ms = 0; ms < 5000; ms++) {
		r = sbi_hart_get_status(riscv_hartids[cpu]);
		if (r.error || r.value == SBI_HSM_STOPPED)
			break;
		mdelay(1);
	}
	r = sbi_hart_start(riscv_hartids[cpu], (uintptr_t)riscv_secondary_entry, cpu);
	if (r.error)
		return r.error;
	/*
	 * Generous, 5 s: a TCG vCPU thread may need a while to be scheduled.
	 * Looking every 20 us, so that a CPU costs no more than it takes to start.
	 */
	for (int t = 0; t < 5000000 / 20 && !smp_cpu_is_online(cpu); t++)
		udelay(20);
	return smp_cpu_is_online(cpu) ? SBI_SUCCESS : SBI_ERR_FAILED;
}

long cpu_power_off(void)
{
	int cpu = smp_id();
	long ret;

	if (cpu == 0)
		report_abort("cpu_power_off: the boot CPU runs main() and stays on");
	smp_cpu_offline(cpu);
	ret = sbi_hart_stop().error;
	smp_cpu_online(cpu);
	return ret;
}

long cpu_suspend(unsigned long type, unsigned long opaque, struct resume_state *resumed)
{
	int cpu = smp_id();
	unsigned long sie = csr_read(CSR_SIE), sstatus = csr_read(CSR_SSTATUS);
	long ret;

	if (!(type & SBI_HSM_SUSPEND_NON_RETENTIVE))
		return sbi_hart_suspend(type, 0, opaque).error;
	ret = riscv_suspend(&riscv_resume_ctx[cpu], type, opaque);
	if (ret != RISCV_RESUMED)
		return ret;
	/* Back with satp 0 and the CSRs lost (9.4): lib's, then the caller's. */
	secondary_mmu_on();
	cpu_init_csrs();
	csr_write(CSR_SIE, sie);
	csr_set(CSR_SSTATUS, sstatus & (SSTATUS_SUM | SSTATUS_MXR | SSTATUS_FS | SSTATUS_VS));
	entry_hartid[cpu] = riscv_hartids[cpu];
	resumed->opaque = riscv_resume_ctx[cpu].a1;
	resumed->satp = riscv_resume_ctx[cpu].satp;
	resumed->sstatus = riscv_resume_ctx[cpu].sstatus;
	return SBI_SUCCESS;
}

void smp_boot_secondaries(void)
{
	if (cpu_count() > 1 && !sbi_has(SBI_EXT_HSM))
		report_abort("%d harts but no SBI HSM extension to start them", cpu_count());
	for (int cpu = 1; cpu < cpu_count(); cpu++) {
		long ret = cpu_power_on(cpu);

		if (ret)
			report_abort("CPU %d (hart %lu) did not come online: hart_start %ld", cpu,
				     riscv_hartids[cpu], ret);
	}
}

/* The pending flag tells the SSI handler (traps.c) that this IPI is lib's kick. */
void arch_cpu_kick(int cpu)
{
	riscv_kick_pending(cpu);
	sbi_send_ipi(1, riscv_hartids[cpu]);
}
