// SPDX-License-Identifier: MIT
/* The timebase from the devicetree and delays on the time CSR (timer.h). */
#include "asm/processor.h"
#include "arch.h"
#include "devicetree.h"
#include "report.h"
#include "riscv64.h"
#include "timer.h"

static uint64_t freq;

/* /cpus timebase-frequency, or the CPU node's own (devicetree binding riscv/cpus). */
void timer_init(void)
{
	uint32_t v;
	int cpus = dt_path("/cpus");

	if (dt_prop_cell(cpus, "timebase-frequency", 0, &v) && v) {
		freq = v;
		return;
	}
	for (int c = dt_first_child(cpus); c >= 0; c = dt_next_sibling(c))
		if (dt_prop_cell(c, "timebase-frequency", 0, &v) && v) {
			freq = v;
			return;
		}
	report_abort("the devicetree gives no timebase-frequency for the time CSR");
}

uint64_t timer_freq(void)
{
	return freq;
}

uint64_t ticks_to_us(uint64_t ticks)
{
	return (ticks * 1000000 + freq - 1) / freq;
}

void udelay(unsigned long us)
{
	uint64_t start = read_time();
	uint64_t ticks = DIV_ROUND_UP(us * freq, 1000000);

	while (read_time() - start < ticks)
		arch_cpu_relax();
}

void mdelay(unsigned long ms)
{
	udelay(ms * 1000);
}
