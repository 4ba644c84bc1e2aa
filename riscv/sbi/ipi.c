// SPDX-License-Identifier: MIT
/*
 * IPI send_ipi (SBI v2.0 chapter 7) with the hart mask of chapter 3 (a base and
 * a bit-vector of harts above it; base -1: every hart; a hart that is not
 * the platform's: SBI_ERR_INVALID_PARAM), IPIs arriving as supervisor
 * software interrupts on exactly the harts named. RFENCE (chapter 8): every
 * function on valid and invalid hart masks and ranges, and on a remote
 * hart, SFENCE.VMA and FENCE.I that take effect there. A late IPI the
 * guest waits 1 s for is lost; a missing one shows once that wait ends.
 */
#include "alloc.h"
#include "asm/exception.h"
#include "asm/processor.h"
#include "cpu.h"
#include "report.h"
#include "smp.h"
#include "timer.h"
#include "vm.h"
#include "sbi-test.h"

static int counts[MAX_CPUS];
static handler_t old_handler;

static void count_ipi(struct ex_regs *r)
{
	__atomic_fetch_add(&counts[smp_id()], 1, __ATOMIC_SEQ_CST);
}

void ipi_count_start(void)
{
	memset(counts, 0, sizeof(counts));
	old_handler = install_irq_handler(IRQ_S_SOFT, count_ipi);
}

void ipi_count_stop(void)
{
	install_irq_handler(IRQ_S_SOFT, old_handler);
}

int ipi_count(int cpu)
{
	return __atomic_load_n(&counts[cpu], __ATOMIC_SEQ_CST);
}

/* The caller's own IPIs are taken here, with interrupts briefly enabled. */
int wait_ipis(int cpu, int want, unsigned int ms)
{
	uint64_t end = read_time() + ms * timer_freq() / 1000;

	while (ipi_count(cpu) < want && read_time() < end) {
		if (cpu == smp_id()) {
			local_irq_enable();
			local_irq_disable();
		}
		cpu_pause();
	}
	return ipi_count(cpu);
}

const char *need_ipi(void)
{
	return need_ext(SBI_EXT_IPI, "no SBI IPI extension");
}

/* Each CPU's count is @want[cpu] after the IPIs of @what. */
static void check_counts(const int *want, const char *what)
{
	int n = cpu_count(), bad = -1;

	for (int cpu = 0; cpu < n; cpu++)
		if (wait_ipis(cpu, want[cpu], 1000) != want[cpu] && bad < 0)
			bad = cpu;
	/* An IPI to a hart not named would have had as long to arrive. */
	for (int cpu = 0; cpu < n; cpu++)
		if (ipi_count(cpu) != want[cpu] && bad < 0)
			bad = cpu;
	report(bad < 0, "%s reaches exactly the harts it names (CPU %d: %d, want %d)", what,
	       bad < 0 ? 0 : bad, bad < 0 ? want[0] : ipi_count(bad), bad < 0 ? want[0] :
	       want[bad]);
}

void ipi(void)
{
	int n = cpu_count(), self = smp_id(), last = n - 1, want[MAX_CPUS] = { 0 };
	unsigned long base = hart_base();

	ipi_count_start();
	sbi_report_err(SBI_SUCCESS, sbi_send_ipi(1, cpu_hartid(self)).error,
		       "send_ipi to this hart succeeds");
	want[self]++;
	check_counts(want, "send_ipi(1, this hart)");
	sbi_report_err(SBI_SUCCESS, sbi_send_ipi(0, -1UL).error,
		       "send_ipi with hart_mask_base -1 succeeds");
	for (int i = 0; i < n; i++)
		want[i]++;
	check_counts(want, "send_ipi(0, -1), every hart,");
	sbi_report_err(SBI_SUCCESS, sbi_send_ipi(all_harts_mask(), base).error,
		       "send_ipi with a mask of every hart succeeds");
	for (int i = 0; i < n; i++)
		want[i]++;
	check_counts(want, "send_ipi of every hart's bit");
	if (n > 1) {
		sbi_send_ipi(1UL << (cpu_hartid(last) - base), base);
		want[last]++;
		check_counts(want, "send_ipi of the last hart's bit");
	}
	sbi_report_err(SBI_SUCCESS, sbi_send_ipi(0, base).error,
		       "send_ipi with an empty mask succeeds");
	check_counts(want, "send_ipi of an empty mask");
	ipi_count_stop();
}

void ipi_invalid(void)
{
	unsigned long bad = invalid_hartid(), self = cpu_hartid(smp_id());

	sbi_report_err(SBI_ERR_INVALID_PARAM, sbi_send_ipi(1, bad).error,
		       "send_ipi to a hart the platform lacks is INVALID_PARAM");
	if (bad - self < BITS_PER_LONG)
		sbi_report_err(SBI_ERR_INVALID_PARAM,
			       sbi_send_ipi(1 | 1UL << (bad - self), self).error,
			       "send_ipi naming this hart and one the platform lacks is "
			       "INVALID_PARAM");
	sbi_report_err(SBI_ERR_INVALID_PARAM, sbi_send_ipi(1, -2UL).error,
		       "send_ipi with hart_mask_base -2 (hart 2^64-2) is INVALID_PARAM");
	csr_clear(CSR_SIP, SIE_SSIE);
}

const char *need_rfence(void)
{
	return need_ext(SBI_EXT_RFENCE, "no SBI RFENCE extension");
}

static struct sbiret rfence_call(unsigned long fid, unsigned long mask, unsigned long base,
				 unsigned long start, unsigned long size)
{
	return sbi_ecall(SBI_EXT_RFENCE, fid, mask, base, start, size, 0, 0);
}

static const char *const rfence_names[] = {
	"remote_fence_i", "remote_sfence_vma", "remote_sfence_vma_asid",
	"remote_hfence_gvma_vmid", "remote_hfence_gvma", "remote_hfence_vvma_asid",
	"remote_hfence_vvma",
};

/*
 * Each function on every hart over the whole address space (start and size
 * 0, 8), one page, size 2^64-1; an invalid hart; a range that wraps, which
 * the spec leaves to the implementation (SUCCESS or INVALID_ADDRESS). The
 * HFENCEs need the H extension on every target (else NOT_SUPPORTED) and
 * may be left unimplemented (NOT_SUPPORTED as well).
 */
void rfence(void)
{
	unsigned long base = hart_base(), mask = all_harts_mask();
	bool h = true;

	for (int i = 0; i < cpu_count(); i++)
		h &= isa_has(i, "h");
	for (unsigned long fid = 0; fid < ARRAY_SIZE(rfence_names); fid++) {
		const char *name = rfence_names[fid];
		long want = SBI_SUCCESS, got[3];

		got[0] = rfence_call(fid, mask, base, 0, 0).error;
		got[1] = rfence_call(fid, mask, base, 0x80000000, PAGE_SIZE).error;
		got[2] = rfence_call(fid, mask, base, 0, -1UL).error;
		if (fid >= 3 && (!h || got[0] == SBI_ERR_NOT_SUPPORTED))
			want = SBI_ERR_NOT_SUPPORTED;
		sbi_report_err(want, got[0], "%s of the whole address space on every hart", name);
		sbi_report_err(want, got[1], "%s of one page on every hart", name);
		sbi_report_err(want, got[2], "%s with size 2^64-1 on every hart", name);
		sbi_report_err(want == SBI_SUCCESS ? SBI_ERR_INVALID_PARAM : want,
			       rfence_call(fid, 1, invalid_hartid(), 0, 0).error,
			       "%s on a hart the platform lacks", name);
		if (fid) {
			long r = rfence_call(fid, mask, base, -PAGE_SIZE, 2 * PAGE_SIZE).error;

			report(r == want || (want == SBI_SUCCESS && r == SBI_ERR_INVALID_ADDRESS),
			       "%s of a range that wraps is done or INVALID_ADDRESS (got %ld)",
			       name, r);
		}
	}
	if (!h)
		report_info("not every hart has the H extension: the HFENCEs are NOT_SUPPORTED");
}
