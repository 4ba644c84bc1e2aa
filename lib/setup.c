// SPDX-License-Identifier: MIT
/*
 * The arch-neutral tail of boot: environment-dependent init, main(), exit.
 */
#include "alloc.h"
#include "arch.h"
#include "extable.h"
#include "report.h"
#include "setup.h"
#include "subtest.h"

uintptr_t phys_mem_end;

void alloc_panic(const char *msg)
{
	report_abort("allocator: %s", msg);
}

/* Add [s, e) minus every range of @resv; ranges before @resv never overlap it. */
static void add_free(uint64_t s, uint64_t e, const struct mem_range *resv, int n)
{
	for (int i = 0; i < n; i++) {
		if (resv[i].start >= e || resv[i].end <= s)
			continue;
		if (resv[i].start > s)
			add_free(s, resv[i].start, resv + i + 1, n - i - 1);
		if (resv[i].end < e)
			add_free(resv[i].end, e, resv + i + 1, n - i - 1);
		return;
	}
	page_alloc_init(s, e);
}

void setup_memory(const struct mem_range *ram, int nram, const struct mem_range *resv,
		  int nresv)
{
	for (int i = 0; i < nram; i++) {
		add_free(ram[i].start, ram[i].end, resv, nresv);
		phys_mem_end = MAX(phys_mem_end, ram[i].end);
	}
}

void lib_run_main(void)
{
	report_init_known_failures();
	exit(main(__argc, __argv));
}

/*
 * Frames are linked through frame records {caller's fp, return address},
 * which the port finds from a frame pointer (arch_frame_record()). The line
 * is built first and printed with one printf, which the console writes
 * whole: no other CPU's output lands inside it, and a crash cannot leave
 * half of it unwritten.
 */
void backtrace_print(uintptr_t ip, uintptr_t fp)
{
	char line[32 + 16 * 20];
	int n = snprintf(line, sizeof(line), "Backtrace: %#lx", (unsigned long)ip);

	for (int i = 0; i < 16 && fp; i++) {
		const uintptr_t *frame = arch_frame_record(fp);
		uintptr_t at = (uintptr_t)frame;

		if (at < 0x1000 || at >= phys_mem_end || at & 7 || !frame[1])
			break;
		n += snprintf(line + n, sizeof(line) - n, " %#lx", (unsigned long)frame[1]);
		fp = frame[0];
	}
	printf("%s\n", line);
}

void abort_dump(const struct ex_regs *regs, uintptr_t ip, uintptr_t fp)
{
	printf("Registers at the abort (CPU %d):\n", smp_id());
	arch_dump_regs(regs);
	backtrace_print(ip, fp);
	exit(2);
}

void unexpected_exception(const char *what, const char *ip_name, uintptr_t ip, uintptr_t fp,
			  const struct ex_regs *regs, const char *detail)
{
	static int owner = -1;
	int self = smp_id(), expected = -1;

	if (!__atomic_compare_exchange_n(&owner, &expected, self, false, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST)) {
		if (expected != self)
			for (;;)
				arch_cpu_wait();
		printf("FAIL: unexpected %s at %s %#lx while reporting another\n", what, ip_name,
		       (unsigned long)ip);
		printf("EXIT: STATUS=1\n");
		arch_exit(1);
	}
	report_fail("unexpected %s at %s %#lx on CPU %d (%s)", what, ip_name, (unsigned long)ip,
		    self, detail);
	arch_dump_regs(regs);
	backtrace_print(ip, fp);
	exit(1);
}
