// SPDX-License-Identifier: MIT
/*
 * PMU (SBI v2.0 chapter 11): num_counters; counter_get_info of every
 * counter (its CSR one of the counter CSRs 0xc00-0xc1f for a hardware
 * counter, reserved bits 0) and of every index from the first past the
 * last on (SBI_ERR_INVALID_PARAM, never a value read past an array);
 * counter_config_matching of every general hardware and firmware event
 * over every counter (a counter of the event's kind, or NOT_SUPPORTED), an
 * empty set, one counter, sets with invalid counters (INVALID_PARAM) and
 * reserved events (refused: the spec's tables give NOT_SUPPORTED, an
 * implementation may call them invalid parameters); counter_start and
 * counter_stop with and without SET_INIT_VALUE and RESET, started twice
 * (ALREADY_STARTED), stopped twice (ALREADY_STOPPED); counter_fw_read of
 * firmware, hardware and invalid counters; firmware counters that count
 * exactly the SBI calls they name (SET_TIMER; IPI_SENT, FENCE_I_SENT and
 * SFENCE_VMA_SENT to another hart); a started hardware cycle counter that
 * advances and, stopped, stands still (privileged architecture 3.1.10,
 * mcountinhibit).
 */
#include "asm/csr.h"
#include "asm/exception.h"
#include "asm/processor.h"
#include "cpu.h"
#include "report.h"
#include "smp.h"
#include "timer.h"
#include "sbi-test.h"

enum {
	PMU_NUM_COUNTERS, PMU_GET_INFO, PMU_CONFIG_MATCHING, PMU_START, PMU_STOP, PMU_FW_READ,
};

#define CFG_SKIP_MATCH		BIT(0)
#define CFG_CLEAR_VALUE		BIT(1)
#define CFG_AUTO_START		BIT(2)
#define START_SET_INIT_VALUE	BIT(0)
#define STOP_RESET		BIT(0)

#define EVENT(type, code)	((unsigned long)(type) << 16 | (code))
#define EV_HW			0
#define EV_FW			15
#define HW_CPU_CYCLES		1
#define HW_REF_CPU_CYCLES	10
#define FW_SET_TIMER		5
#define FW_IPI_SENT		6
#define FW_FENCE_I_SENT		8
#define FW_SFENCE_VMA_SENT	10
#define FW_LAST			21	/* HFENCE_VVMA_ASID_RECEIVED */

#define INFO_FW			BIT(63)
#define INFO_CSR(i)		((i) & 0xfff)
#define INFO_RESERVED		GENMASK(62, 18)

static unsigned long nctr;

static struct sbiret pmu(unsigned long fid, unsigned long a0, unsigned long a1,
			 unsigned long a2, unsigned long a3, unsigned long a4)
{
	return sbi_ecall(SBI_EXT_PMU, fid, a0, a1, a2, a3, a4, 0);
}

const char *need_pmu(void)
{
	const char *why = need_ext(SBI_EXT_PMU, "no SBI PMU extension");

	if (!why)
		nctr = pmu(PMU_NUM_COUNTERS, 0, 0, 0, 0, 0).value;
	return why;
}

static struct sbiret info(unsigned long idx)
{
	return pmu(PMU_GET_INFO, idx, 0, 0, 0, 0);
}

/* Every counter as a mask from base 0 (at most the first 64). */
static unsigned long all_counters(void)
{
	return nctr >= BITS_PER_LONG ? -1UL : (1UL << nctr) - 1;
}

void pmu_info(void)
{
	static const unsigned long past[] = { 0, 1, 2, 16, 64, 1UL << 20 };
	unsigned long csrs = 0, hw = 0, bad_csr = 0, reserved = 0, valid = 0, other = 0;
	char holes[64] = "";
	size_t nh = 0;

	sbi_report_err(SBI_SUCCESS, pmu(PMU_NUM_COUNTERS, 0, 0, 0, 0, 0).error,
		       "num_counters succeeds");
	for (unsigned long i = 0; i < nctr; i++) {
		struct sbiret r = info(i);

		if (r.error) {
			if (r.error != SBI_ERR_INVALID_PARAM)
				other = i + 1;
			if (nh < sizeof(holes) - 8)
				nh += snprintf(holes + nh, sizeof(holes) - nh, " %lu", i);
			continue;
		}
		valid++;
		reserved |= r.value & INFO_RESERVED;
		if (r.value & INFO_FW)
			continue;
		hw++;
		if (INFO_CSR(r.value) < CSR_CYCLE || INFO_CSR(r.value) > CSR_CYCLE + 31 ||
		    csrs & BIT(INFO_CSR(r.value) - CSR_CYCLE))
			bad_csr = r.value;
		else
			csrs |= BIT(INFO_CSR(r.value) - CSR_CYCLE);
	}
	report_info("%lu counters, %lu of them hardware (CSRs %#lx from 0xc00); invalid:%s",
		    nctr, hw, csrs, nh ? holes : " none");
	report_eq(0, other, "counter_get_info below num_counters answers SUCCESS or "
		  "INVALID_PARAM (1 + the first index that does not)");
	report_eq(nctr, valid, "as many indices below num_counters answer counter_get_info as "
		  "num_counters counts");
	report_eq_x(0, reserved, "counter_info bits 62:18 are reserved 0");
	report_eq_x(0, bad_csr, "each hardware counter names its own counter CSR 0xc00-0xc1f");
	for (size_t i = 0; i < ARRAY_SIZE(past); i++) {
		struct sbiret r = info(nctr + past[i]);

		sbi_report_err(SBI_ERR_INVALID_PARAM, r.error,
			       "counter_get_info of index num_counters + %lu is INVALID_PARAM",
			       past[i]);
		if (r.error != SBI_ERR_INVALID_PARAM)
			report_info("counter_get_info(%lu) gave value %#lx", nctr + past[i],
				    r.value);
	}
	sbi_report_err(SBI_ERR_INVALID_PARAM, info(-1UL).error,
		       "counter_get_info of index 2^64-1 is INVALID_PARAM");
}

/* A counter configured with AUTO_START: stop it and give it back (RESET). */
static long release(unsigned long idx)
{
	return pmu(PMU_STOP, idx, 1, STOP_RESET, 0, 0).error;
}

/*
 * config_matching of @event over every counter: 0 when it found a counter
 * of the event's kind (then released), 1 when NOT_SUPPORTED, -1 otherwise.
 */
static int match_one(unsigned long event, bool fw)
{
	struct sbiret r = pmu(PMU_CONFIG_MATCHING, 0, all_counters(), CFG_AUTO_START, event, 0);

	if (r.error == SBI_ERR_NOT_SUPPORTED)
		return 1;
	if (r.error || (unsigned long)r.value >= nctr)
		return -1;
	if (!(info(r.value).value & INFO_FW) != !fw || release(r.value))
		return -1;
	return 0;
}

/* Events @first..@last of @type over every counter: the bitmap of those not as they should. */
static unsigned long match_range(unsigned int type, unsigned long first, unsigned long last,
				 unsigned long *matched)
{
	unsigned long bad = 0;

	for (unsigned long code = first; code <= last; code++) {
		int m = match_one(EVENT(type, code), type == EV_FW);

		*matched |= m == 0 ? BIT(code) : 0;
		bad |= m < 0 ? BIT(code) : 0;
	}
	return bad;
}

static void match_events(void)
{
	unsigned long hw = 0, fw = 0;

	report_eq_x(0, match_range(EV_HW, 1, HW_REF_CPU_CYCLES, &hw),
		    "config_matching of each general hardware event gives a hardware counter or "
		    "NOT_SUPPORTED");
	report_eq_x(0, match_range(EV_FW, 0, FW_LAST, &fw),
		    "config_matching of each firmware event gives a firmware counter or "
		    "NOT_SUPPORTED");
	report_info("matched: hardware events %#lx, firmware events %#lx", hw, fw);
}

static bool refused(long err)
{
	return err == SBI_ERR_NOT_SUPPORTED || err == SBI_ERR_INVALID_PARAM;
}

static void match_sets(void)
{
	unsigned long ev = EVENT(EV_FW, FW_SET_TIMER), hw_idx = nctr;
	struct sbiret r = pmu(PMU_CONFIG_MATCHING, 0, all_counters(), CFG_AUTO_START, ev, 0);

	if (r.error) {
		report_skip("firmware event SET_TIMER has no counter: no set of one to match");
		return;
	}
	release(r.value);
	sbi_report_err(SBI_ERR_NOT_SUPPORTED,
		       pmu(PMU_CONFIG_MATCHING, 0, 0, 0, ev, 0).error,
		       "config_matching over an empty set of counters is NOT_SUPPORTED");
	report_eq(r.value, pmu(PMU_CONFIG_MATCHING, r.value, 1, CFG_AUTO_START, ev, 0).value,
		  "config_matching over a set of just the counter it found takes that one");
	release(r.value);
	for (unsigned long i = 0; i < nctr && hw_idx == nctr; i++)
		if (!info(i).error && !(info(i).value & INFO_FW))
			hw_idx = i;
	if (hw_idx < nctr)
		sbi_report_err(SBI_ERR_NOT_SUPPORTED,
			       pmu(PMU_CONFIG_MATCHING, hw_idx, 1, 0, ev, 0).error,
			       "config_matching of a firmware event over a hardware counter is "
			       "NOT_SUPPORTED");
	sbi_report_err(SBI_ERR_INVALID_PARAM,
		       pmu(PMU_CONFIG_MATCHING, nctr - 1, 3, 0, ev, 0).error,
		       "config_matching over the last counter and the one past it is "
		       "INVALID_PARAM");
	sbi_report_err(SBI_ERR_INVALID_PARAM, pmu(PMU_CONFIG_MATCHING, nctr, 1, 0, ev, 0).error,
		       "config_matching over the counter past the last is INVALID_PARAM");
}

static void match_reserved(void)
{
	static const struct {
		unsigned long event;
		const char *what;
	} reserved[] = {
		{ EVENT(EV_HW, 0), "hardware event 0 (NO_EVENT)" },
		{ EVENT(EV_HW, HW_REF_CPU_CYCLES + 1), "hardware event 11" },
		{ EVENT(4, 0), "event type 4" },
		{ EVENT(EV_FW, FW_LAST + 1), "firmware event 22" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(reserved); i++) {
		struct sbiret r = pmu(PMU_CONFIG_MATCHING, 0, all_counters(), CFG_AUTO_START,
				      reserved[i].event, 0);

		char got[40];

		report_decoded(refused(r.error), "SBI_ERR_NOT_SUPPORTED or SBI_ERR_INVALID_PARAM",
			       sbi_err_str(r.error, got, sizeof(got)),
			       "config_matching of reserved %s is refused", reserved[i].what);
		if (!r.error && (unsigned long)r.value < nctr)
			release(r.value);
	}
}

void pmu_config(void)
{
	match_events();
	match_sets();
	match_reserved();
}

static struct sbiret fw_read(unsigned long idx)
{
	return pmu(PMU_FW_READ, idx, 0, 0, 0, 0);
}

/* A firmware counter for @code, configured and stopped; nctr when there is none. */
static unsigned long fw_counter(unsigned long code)
{
	struct sbiret r = pmu(PMU_CONFIG_MATCHING, 0, all_counters(), 0, EVENT(EV_FW, code), 0);

	return r.error || (unsigned long)r.value >= nctr ? nctr : (unsigned long)r.value;
}

static void start_stop_fw(unsigned long k)
{
	sbi_report_err(SBI_SUCCESS, pmu(PMU_START, k, 1, 0, 0, 0).error,
		       "counter_start of a configured counter succeeds");
	sbi_report_err(SBI_ERR_ALREADY_STARTED, pmu(PMU_START, k, 1, 0, 0, 0).error,
		       "counter_start of a started counter is ALREADY_STARTED");
	sbi_report_err(SBI_SUCCESS, pmu(PMU_STOP, k, 1, 0, 0, 0).error,
		       "counter_stop of a started counter succeeds");
	sbi_report_err(SBI_ERR_ALREADY_STOPPED, pmu(PMU_STOP, k, 1, 0, 0, 0).error,
		       "counter_stop of a stopped counter is ALREADY_STOPPED");
	pmu(PMU_START, k, 1, START_SET_INIT_VALUE, 1000, 0);
	pmu(PMU_STOP, k, 1, 0, 0, 0);
	report_eq(1000, fw_read(k).value,
		  "counter_start with SET_INIT_VALUE 1000 sets the firmware counter to 1000");
	pmu(PMU_START, k, 1, 0, 0, 0);
	pmu(PMU_STOP, k, 1, 0, 0, 0);
	report_eq(1000, fw_read(k).value,
		  "counter_start without SET_INIT_VALUE keeps the counter's value");
	pmu(PMU_START, k, 1, 0, 0, 0);
	sbi_report_err(SBI_SUCCESS, pmu(PMU_STOP, k, 1, STOP_RESET, 0, 0).error,
		       "counter_stop with RESET succeeds");
	sbi_report_err(SBI_SUCCESS, pmu(PMU_CONFIG_MATCHING, k, 1, CFG_AUTO_START,
					EVENT(EV_FW, FW_SET_TIMER), 0).error,
		       "a counter given back by RESET can be configured again");
	release(k);
}

/* Read hardware counter CSR 0xc00 + @n (a CSR number is an immediate). */
static unsigned long read_counter(unsigned int n)
{
	switch (n) {
#define CASE(i)	case i: return csr_read(CSR_CYCLE + i)
	CASE(0); CASE(1); CASE(2); CASE(3); CASE(4); CASE(5); CASE(6); CASE(7);
	CASE(8); CASE(9); CASE(10); CASE(11); CASE(12); CASE(13); CASE(14); CASE(15);
	CASE(16); CASE(17); CASE(18); CASE(19); CASE(20); CASE(21); CASE(22); CASE(23);
	CASE(24); CASE(25); CASE(26); CASE(27); CASE(28); CASE(29); CASE(30); CASE(31);
#undef CASE
	}
	return 0;
}

/* The cycle counter, started by config_matching's AUTO_START and stopped. */
static void start_stop_hw(void)
{
	struct sbiret r = pmu(PMU_CONFIG_MATCHING, 0, all_counters(), CFG_AUTO_START,
			      EVENT(EV_HW, HW_CPU_CYCLES), 0);
	unsigned int csr;
	unsigned long a, b;

	if (r.error) {
		report_skip("no counter counts CPU_CYCLES: no hardware counter to start");
		return;
	}
	csr = INFO_CSR(info(r.value).value) - CSR_CYCLE;
	a = read_counter(csr);
	udelay(100);
	b = read_counter(csr);
	report_in_range_x(a + 1, ULONG_MAX, b, "a started CPU_CYCLES counter advances");
	sbi_report_err(SBI_SUCCESS, pmu(PMU_STOP, r.value, 1, 0, 0, 0).error,
		       "counter_stop of the CPU_CYCLES counter succeeds");
	a = read_counter(csr);
	udelay(100);
	b = read_counter(csr);
	report_eq_x(a, b, "a stopped CPU_CYCLES counter stands still");
	sbi_report_err(SBI_ERR_INVALID_PARAM, fw_read(r.value).error,
		       "counter_fw_read of a hardware counter is INVALID_PARAM");
	pmu(PMU_START, r.value, 1, 0, 0, 0);
	release(r.value);
}

void pmu_start_stop(void)
{
	unsigned long k = fw_counter(FW_SET_TIMER);

	sbi_report_err(SBI_ERR_INVALID_PARAM, pmu(PMU_START, nctr, 1, 0, 0, 0).error,
		       "counter_start of the counter past the last is INVALID_PARAM");
	sbi_report_err(SBI_ERR_INVALID_PARAM, pmu(PMU_STOP, nctr, 1, 0, 0, 0).error,
		       "counter_stop of the counter past the last is INVALID_PARAM");
	sbi_report_err(SBI_ERR_INVALID_PARAM, fw_read(nctr).error,
		       "counter_fw_read of the counter past the last is INVALID_PARAM");
	if (k < nctr)
		start_stop_fw(k);
	else
		report_skip("firmware event SET_TIMER has no counter: none to start");
	start_stop_hw();
}

/* @code's counter from 0 around @fn(@arg) @times; the count, or -1 without a counter. */
static long count_calls(unsigned long code, void (*fn)(int), int arg, int times)
{
	unsigned long k = fw_counter(code);
	long v;

	if (k == nctr)
		return -1;
	pmu(PMU_START, k, 1, START_SET_INIT_VALUE, 0, 0);
	for (int i = 0; i < times; i++)
		fn(arg);
	pmu(PMU_STOP, k, 1, 0, 0, 0);
	v = fw_read(k).value;
	pmu(PMU_START, k, 1, 0, 0, 0);
	release(k);
	return v;
}

static void call_set_timer(int unused)
{
	sbi_set_timer(-1UL);
}

static void call_send_ipi(int cpu)
{
	sbi_send_ipi(1, cpu_hartid(cpu));
}

static void call_fence_i(int cpu)
{
	sbi_ecall(SBI_EXT_RFENCE, 0, 1, cpu_hartid(cpu), 0, 0, 0, 0);
}

static void call_sfence_vma(int cpu)
{
	sbi_ecall(SBI_EXT_RFENCE, 1, 1, cpu_hartid(cpu), 0, 0, 0, 0);
}

static void check_count(unsigned long code, void (*fn)(int), int arg, const char *what)
{
	long n = count_calls(code, fn, arg, 3);

	if (n < 0)
		report_skip("firmware event %lu has no counter: %s not counted", code, what);
	else
		report_eq(3, n, "firmware event %lu counts each of 3 %s", code, what);
}

void pmu_fw_count(void)
{
	int last = cpu_count() - 1;

	check_count(FW_SET_TIMER, call_set_timer, 0, "set_timer calls");
	if (last == 0) {
		report_skip("one hart: no other hart to send IPIs and fences to");
		return;
	}
	ipi_count_start();
	check_count(FW_IPI_SENT, call_send_ipi, last, "IPIs sent to another hart");
	wait_ipis(last, 1, 1000);
	if (sbi_probe(SBI_EXT_RFENCE)) {
		check_count(FW_FENCE_I_SENT, call_fence_i, last, "remote_fence_i to another hart");
		check_count(FW_SFENCE_VMA_SENT, call_sfence_vma, last,
			    "remote_sfence_vma to another hart");
	}
	ipi_count_stop();
}
