// SPDX-License-Identifier: MIT
/*
 * The SBI implementation under the guest (OpenSBI under QEMU TCG, the
 * hypervisor's SBI under KVM) against the RISC-V Supervisor Binary
 * Interface specification v2.0:
 *   base.c    BASE (chapter 4): versions, IDs, probe_extension of every
 *             extension of the spec, unknown EIDs and FIDs (3: ECALL
 *             convention, NOT_SUPPORTED); the legacy extensions (5)
 *   time.c    TIME set_timer (6) against sip.STIP, with the interrupt masked
 *             and taken
 *   ipi.c     IPI send_ipi (7) and the hart mask (3); RFENCE (8), its
 *             fences seen on the remote hart
 *   hsm.c     HSM (9): states, hart_start entry state, hart_stop, retentive
 *             and non-retentive hart_suspend
 *   pmu.c     PMU (11): counters, their info (every index and those past
 *             the last), matching, start/stop, firmware counts
 *   misc.c    DBCN (12), SUSP (13), SRST (10)
 * The subtests that end the VM (SRST shutdown, cold and warm reboot, the
 * legacy shutdown) run only when test_args names them; their stanzas say
 * "expect = vm_end". srst_reserved, whose wrong answer ends the VM, runs
 * last. Known VMM caveats: known-failures.txt (riscv64 section).
 */
#include "asm/csr.h"
#include "asm/processor.h"
#include "cpu.h"
#include "report.h"
#include "smp.h"
#include "subtest.h"
#include "timer.h"
#include "sbi-test.h"

unsigned long invalid_hartid(void)
{
	unsigned long max = 0;

	for (int i = 0; i < cpu_count(); i++)
		max = MAX(max, cpu_hartid(i));
	return max + 1;
}

unsigned long hart_base(void)
{
	unsigned long min = -1UL;

	for (int i = 0; i < cpu_count(); i++)
		min = MIN(min, cpu_hartid(i));
	return min;
}

unsigned long all_harts_mask(void)
{
	unsigned long base = hart_base(), mask = 0;

	for (int i = 0; i < cpu_count(); i++)
		if (cpu_hartid(i) - base < BITS_PER_LONG)
			mask |= 1UL << (cpu_hartid(i) - base);
	return mask;
}

bool wait_pending(unsigned long bit, unsigned int ms)
{
	uint64_t end = read_time() + ms * timer_freq() / 1000;

	while (!(csr_read(CSR_SIP) & bit) && read_time() < end)
		cpu_pause();
	return csr_read(CSR_SIP) & bit;
}

const char *need_ext(unsigned long eid, const char *why)
{
	return sbi_probe(eid) ? NULL : why;
}

static const struct subtest tests[] = {
	SUBTEST(base),
	SUBTEST(probe),
	SUBTEST(legacy),
	SUBTEST_NEEDS(time_set_timer, need_time),
	SUBTEST_NEEDS(time_masking, need_time),
	SUBTEST_NEEDS(ipi, need_ipi),
	SUBTEST_NEEDS(ipi_invalid, need_ipi),
	SUBTEST_NEEDS(rfence, need_rfence),
	SUBTEST_SMP(rfence_remote, need_rfence, 2),
	SUBTEST_NEEDS(hsm_status, need_hsm),
	SUBTEST_SMP(hsm_start_stop, need_hsm, 2),
	SUBTEST_SMP(hsm_suspend, need_hsm, 2),
	SUBTEST_NEEDS(pmu_info, need_pmu),
	SUBTEST_NEEDS(pmu_config, need_pmu),
	SUBTEST_NEEDS(pmu_start_stop, need_pmu),
	SUBTEST_NEEDS(pmu_fw_count, need_pmu),
	SUBTEST_NEEDS(dbcn, need_dbcn),
	SUBTEST_NEEDS(susp, need_susp),
	SUBTEST_NEEDS(srst_shutdown, need_srst_shutdown),
	SUBTEST_NEEDS(srst_cold_reboot, need_srst_cold_reboot),
	SUBTEST_NEEDS(srst_warm_reboot, need_srst_warm_reboot),
	SUBTEST_NEEDS(legacy_shutdown, need_legacy_shutdown),
	SUBTEST_NEEDS(srst_reserved, need_srst),
};

SUBTESTS_MAIN(tests)
