// SPDX-License-Identifier: MIT
/*
 * SIGNAL PROCESSOR: every order's condition code and status bits against an
 * operating, a stopped and a nonexistent CPU, and what the orders do to the
 * target: external calls and emergency signals arrive as external
 * interruptions with the sender's address, STOP stops, START and RESTART
 * run it again, SET PREFIX and the store-status orders write what the PoP
 * says where it says, the CPU resets put registers to their reset values.
 * The target is the last CPU; lib takes it back (cpu_restart()) after each
 * subtest that stops it.
 *
 * Specs (PoP SA22-7832): 4.9 "Signal-Processor Orders" (sense, external
 * call: cc 1 "external call pending" while one is, emergency signal,
 * conditional emergency signal (facility 9 with the sense-running-status
 * facility), start, stop, stop and store status, restart, set prefix (to a
 * stopped CPU only, "incorrect state" otherwise; an address beyond memory
 * is "invalid parameter"), store status at address (stopped CPUs only),
 * initial CPU reset and CPU reset, set architecture (with the CZAM facility,
 * 138, a switch to ESA/390 is an invalid parameter), sense running status
 * ("not running" for a stopped CPU)), 4.9.1 "Store Status" (the layout of
 * asm/lowcore.h, at the target's prefix area + 0x1200 for stop-and-store),
 * "Signal-Processor Status" (status bits, cc 1), the SIGNAL PROCESSOR
 * instruction (cc 3 for a CPU address nothing answers, "invalid order" for
 * an unassigned order code), 6.4 "External Interruption" (codes 0x1201 and
 * 0x1202, the sender's CPU address at real location 132, CR0 bits 49 and 50
 * as subclass masks), 4.4 "Initial CPU Reset" (CR0 0xe0, CR14 0xc2000000,
 * prefix, PSW, CPU timer and clock comparator zero).
 */
#include "arch.h"
#include "asm/cr.h"
#include "asm/interrupt.h"
#include "asm/lowcore.h"
#include "asm/processor.h"
#include "asm/sigp.h"
#include "cpu.h"
#include "report.h"
#include "smp.h"
#include "subtest.h"

static int target(void)
{
	return cpu_count() - 1;
}

static uint16_t target_addr(void)
{
	return cpu_address(target());
}

/* One SIGP order: the condition code and the status (0 unless cc 1). */
struct result {
	int cc;
	uint32_t status;
};

static struct result order(uint16_t addr, uint8_t code, uint64_t param)
{
	struct result r = { 0, 0 };

	while ((r.cc = sigp(addr, code, param, &r.status)) == SIGP_CC_BUSY)
		cpu_relax();
	return r;
}

static void check(struct result got, int cc, uint32_t status, const char *fmt, ...)
{
	char msg[160], exp[32], act[32];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(exp, sizeof(exp), status ? "cc %d, status %#x" : "cc %d", cc, status);
	snprintf(act, sizeof(act), got.cc == 1 ? "cc %d, status %#x" : "cc %d", got.cc,
		 got.status);
	report_decoded(got.cc == cc && (cc != 1 || got.status == status), exp, act, "%s", msg);
}

static void stop_target(void)
{
	if (cpu_stop(target()))
		report_abort("cannot stop CPU %d", target());
}

static void restart_target(void)
{
	if (cpu_restart(target()))
		report_abort("cannot give CPU %d back to lib", target());
}

/*
 * STOP takes effect when the target next checks for interruptions (PoP 4.9): poll SENSE until
 * it says stopped, for 1 s at most (a TCG vCPU thread may wait that long to be scheduled).
 */
static void wait_stopped(void)
{
	for (int t = 0; t < 10000 && order(target_addr(), SIGP_SENSE, 0).cc == 0; t++)
		udelay(100);
}

static void sense(void)
{
	check(order(stap(), SIGP_SENSE, 0), 0, 0, "SENSE of this CPU: accepted, no status");
	check(order(target_addr(), SIGP_SENSE, 0), 0, 0, "SENSE of an operating CPU: accepted");
	stop_target();
	check(order(target_addr(), SIGP_SENSE, 0), 1, SIGP_STATUS_STOPPED,
	      "SENSE of a stopped CPU: status stored, stopped");
	restart_target();
}

static void invalid(void)
{
	static const uint8_t orders[] = { 0x00, 0x07, 0x08, 0x0a, 0x10, 0x14, 0x18, 0xff };

	for (size_t i = 0; i < ARRAY_SIZE(orders); i++)
		check(order(stap(), orders[i], 0), 1, SIGP_STATUS_INVALID_ORDER,
		      "unassigned order code %#x: status stored, invalid order", orders[i]);
	check(order(cpu_count(), SIGP_SENSE, 0), 3, 0,
	      "SENSE of CPU address %d (past the last CPU): not operational", cpu_count());
	check(order(0xffff, SIGP_SENSE, 0), 3, 0, "SENSE of CPU address 0xffff: not operational");
	check(order(0xffff, 0xff, 0), 3, 0,
	      "an unassigned order to a nonexistent CPU: not operational");
}

static void stop_start(void)
{
	stop_target();
	check(order(target_addr(), SIGP_STOP, 0), 0, 0, "STOP of a stopped CPU: accepted");
	check(order(target_addr(), SIGP_START, 0), 0, 0, "START of a stopped CPU: accepted");
	check(order(target_addr(), SIGP_SENSE, 0), 0, 0, "after START, SENSE: operating");
	check(order(target_addr(), SIGP_START, 0), 0, 0, "START of an operating CPU: accepted");
	check(order(target_addr(), SIGP_STOP, 0), 0, 0, "STOP of an operating CPU: accepted");
	wait_stopped();
	check(order(target_addr(), SIGP_SENSE, 0), 1, SIGP_STATUS_STOPPED,
	      "after STOP, SENSE: stopped");
	restart_target();
}

static struct store_status status_area __aligned(512);

static void store_status(void)
{
	uintptr_t lc = cpu_lowcore(target());
	const struct store_status *ss = (const void *)(lc + LC_STORE_STATUS);
	struct result r;

	check(order(target_addr(), SIGP_STORE_STATUS_AT_ADDRESS, (uintptr_t)&status_area), 1,
	      SIGP_STATUS_INCORRECT_STATE, "STORE STATUS AT ADDRESS of an operating CPU: "
	      "incorrect state");
	memset((void *)ss, 0xaa, sizeof(*ss));
	r = order(target_addr(), SIGP_STOP_AND_STORE_STATUS, 0);
	check(r, 0, 0, "STOP AND STORE STATUS of an operating CPU: accepted");
	wait_stopped();
	smp_cpu_offline(target());
	report_eq_x(lc, ss->prefix, "the status stored at prefix + 0x1200 holds the prefix");
	report_eq_x(CR0_RESET | CR0_EMERGENCY_SIGNAL, ss->crs[0] & 0xffffffff,
		    "it holds CR0 as lib set it");
	report_eq_x(stctg(1), ss->crs[1], "it holds CR1, the ASCE lib loaded");
	report_eq_x(PSW_KERNEL | PSW_MASK_DAT | PSW_MASK_EXT | PSW_MASK_IO | PSW_MASK_WAIT,
		    ss->psw.mask & ~PSW_MASK_CC,
		    "it holds the PSW of lib's idle wait (DAT, I/O, external, wait)");
	memset(&status_area, 0xaa, sizeof(status_area));
	check(order(target_addr(), SIGP_STORE_STATUS_AT_ADDRESS, (uintptr_t)&status_area), 0, 0,
	      "STORE STATUS AT ADDRESS of a stopped CPU: accepted");
	report_eq_x(lc, status_area.prefix, "the status at the address holds the prefix");
	report(!memcmp(&status_area.crs, ss->crs, sizeof(ss->crs)),
	       "it holds the same control registers as the stop-and-store status");
	restart_target();
}

static void set_prefix(void)
{
	uintptr_t lc = cpu_lowcore(target());

	check(order(target_addr(), SIGP_SET_PREFIX, lc), 1, SIGP_STATUS_INCORRECT_STATE,
	      "SET PREFIX of an operating CPU: incorrect state");
	stop_target();
	check(order(target_addr(), SIGP_SET_PREFIX, 0x7fffe000), 1,
	      SIGP_STATUS_INVALID_PARAMETER,
	      "SET PREFIX beyond memory (0x7fffe000): invalid parameter");
	check(order(target_addr(), SIGP_SET_PREFIX, (uintptr_t)&status_area & ~0x1fffUL), 0, 0,
	      "SET PREFIX of a stopped CPU: accepted");
	order(target_addr(), SIGP_STORE_STATUS_AT_ADDRESS, (uintptr_t)&status_area);
	report_eq_x((uintptr_t)&status_area & ~0x1fffUL, status_area.prefix,
		    "STORE STATUS shows the new prefix");
	restart_target();
}

/* Initial CPU reset and CPU reset of the stopped target, as STORE STATUS shows them. */
static void resets(void)
{
	stop_target();
	check(order(target_addr(), SIGP_CPU_RESET, 0), 0, 0,
	      "CPU RESET of a stopped CPU: accepted");
	order(target_addr(), SIGP_STORE_STATUS_AT_ADDRESS, (uintptr_t)&status_area);
	report_eq_x(cpu_lowcore(target()), status_area.prefix, "CPU reset keeps the prefix");
	report_eq_x(stctg(1), status_area.crs[1], "CPU reset keeps the control registers");
	check(order(target_addr(), SIGP_INITIAL_CPU_RESET, 0), 0, 0,
	      "INITIAL CPU RESET of a stopped CPU: accepted");
	order(target_addr(), SIGP_STORE_STATUS_AT_ADDRESS, (uintptr_t)&status_area);
	report_eq_x(0, status_area.prefix, "initial CPU reset sets the prefix to 0");
	report_eq_x(CR0_RESET, status_area.crs[0], "initial CPU reset sets CR0 to 0xe0");
	report_eq_x(CR14_RESET, status_area.crs[14], "initial CPU reset sets CR14 to 0xc2000000");
	report_eq_x(0, status_area.crs[1], "initial CPU reset sets CR1 to 0");
	report_eq_x(0, status_area.psw.mask | status_area.psw.addr,
		    "initial CPU reset sets the PSW to 0");
	report_eq_x(0, status_area.cpu_timer, "initial CPU reset sets the CPU timer to 0");
	restart_target();
}

static int restarts;

/* The target's restart-new PSW while the test owns it: count, then lib's entry. */
extern char restart_probe[];
asm(".pushsection .text\n"
	"restart_probe:\n\t"
	"larl %r1,restarts\n\t"
	"asi 0(%r1),1\n\t"
	"jg secondary_entry\n"
	".popsection");

static void restart(void)
{
	struct psw *rnew = (struct psw *)(cpu_lowcore(target()) + LC_RESTART_NEW_PSW);

	stop_target();
	restarts = 0;
	rnew->addr = (uintptr_t)restart_probe;
	check(order(target_addr(), SIGP_RESTART, 0), 0, 0, "RESTART of a stopped CPU: accepted");
	/* 1 s: a TCG vCPU thread may need a while to be scheduled. */
	for (int t = 0; t < 10000 && !smp_cpu_is_online(target()); t++)
		udelay(100);
	report(restarts == 1 && smp_cpu_is_online(target()),
	       "the restarted CPU ran its restart-new PSW and came back (%d restarts)", restarts);
	check(order(target_addr(), SIGP_RESTART, 0), 0, 0, "RESTART of an operating CPU: accepted");
	for (int t = 0; t < 10000 && restarts < 2; t++)
		udelay(100);
	report_eq(2, restarts, "the operating CPU took the restart interruption too");
	stop_target();
	restart_target();
}

/* External interruptions on the target: the code and the sender's address of each. */
static volatile int ext_count, target_ready;
static uint16_t ext_codes[4], ext_senders[4];

static void ext_handler(struct ex_regs *r)
{
	int n = ext_count;

	if (n < 4) {
		ext_codes[n] = r->info.ext_code;
		ext_senders[n] = r->info.ext_cpu_addr;
	}
	ext_count = n + 1;
}

/* On the target: take external calls and emergency signals until @data of them came, 1 s. */
static void receive(void *data)
{
	int want = *(int *)data;
	uint64_t end = get_clock() + 1000000 * TOD_PER_US;

	ctl_set_bits(0, CR0_EXTERNAL_CALL | CR0_EMERGENCY_SIGNAL);
	target_ready = 1;
	while (ext_count < want && get_clock() < end) {
		arch_cpu_wait();
		local_irq_disable();
	}
	ctl_clear_bits(0, CR0_EXTERNAL_CALL);
}

static void send_and_check(uint8_t code, uint16_t ext_code, const char *what)
{
	int want = 1;

	ext_count = 0;
	target_ready = 0;
	on_cpu_async(target(), receive, &want);
	while (!target_ready)
		cpu_relax();
	check(order(target_addr(), code, 0), 0, 0, "%s to an operating CPU: accepted", what);
	on_cpu_wait(target());
	report_eq(1, ext_count, "the %s arrived once", what);
	report_eq_x(ext_code, ext_codes[0], "the %s's external-interruption code", what);
	report_eq_x(stap(), ext_senders[0], "the %s names the sender's CPU address", what);
}

static void signals(void)
{
	handler_t old = install_int_handler(INT_EXT, ext_handler);

	send_and_check(SIGP_EXTERNAL_CALL, EXT_EXTERNAL_CALL, "external call");
	send_and_check(SIGP_EMERGENCY_SIGNAL, EXT_EMERGENCY, "emergency signal");
	if (test_facility(9))
		send_and_check(SIGP_COND_EMERGENCY_SIGNAL, EXT_EMERGENCY,
			       "conditional emergency signal (target waiting)");
	else
		report_skip("no sense-running-status facility (9): no conditional emergency "
			    "signal");
	install_int_handler(INT_EXT, old);
}

/* A second external call while the first is pending (the stopped target takes none). */
static void ext_call_pending(void)
{
	stop_target();
	check(order(target_addr(), SIGP_EXTERNAL_CALL, 0), 0, 0,
	      "EXTERNAL CALL to a stopped CPU: accepted");
	check(order(target_addr(), SIGP_EXTERNAL_CALL, 0), 1, SIGP_STATUS_EXT_CALL_PENDING,
	      "a second EXTERNAL CALL while one is pending: external call pending");
	check(order(target_addr(), SIGP_SENSE, 0), 1,
	      SIGP_STATUS_EXT_CALL_PENDING | SIGP_STATUS_STOPPED,
	      "SENSE with an external call pending: stopped, external call pending");
	/* The initial CPU reset clears the pending call before lib runs the CPU again. */
	order(target_addr(), SIGP_INITIAL_CPU_RESET, 0);
	restart_target();
}

static const char *need_srs(void)
{
	return test_facility(9) ? NULL : "no sense-running-status facility (9)";
}

static void sense_running(void)
{
	struct result r = order(target_addr(), SIGP_SENSE_RUNNING, 0);

	report(r.cc == 0 || (r.cc == 1 && r.status == SIGP_STATUS_NOT_RUNNING),
	       "SENSE RUNNING STATUS of an operating CPU: running or not running (cc %d, status "
	       "%#x)", r.cc, r.status);
	stop_target();
	check(order(target_addr(), SIGP_SENSE_RUNNING, 0), 1, SIGP_STATUS_NOT_RUNNING,
	      "SENSE RUNNING STATUS of a stopped CPU: not running");
	restart_target();
}

static const char *need_czam(void)
{
	return test_facility(138) ? NULL : "no CZAM facility (138)";
}

static void set_architecture(void)
{
	check(order(stap(), SIGP_SET_ARCHITECTURE, 0), 1, SIGP_STATUS_INVALID_PARAMETER,
	      "SET ARCHITECTURE to ESA/390 with CZAM: invalid parameter");
}

static const struct subtest tests[] = {
	SUBTEST_SMP(sense, NULL, 2),
	SUBTEST(invalid),
	SUBTEST_SMP(stop_start, NULL, 2),
	SUBTEST_SMP(store_status, NULL, 2),
	SUBTEST_SMP(set_prefix, NULL, 2),
	SUBTEST_SMP(resets, NULL, 2),
	SUBTEST_SMP(restart, NULL, 2),
	SUBTEST_SMP(signals, NULL, 2),
	SUBTEST_SMP(ext_call_pending, NULL, 2),
	SUBTEST_SMP(sense_running, need_srs, 2),
	SUBTEST_NEEDS(set_architecture, need_czam),
};

SUBTESTS_MAIN(tests)
