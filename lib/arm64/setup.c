// SPDX-License-Identifier: MIT
/*
 * Boot CPU setup after cstart64.S: the devicetree, console and PSCI, the
 * identity map and MMU, arguments and environment from /chosen, memory,
 * the GIC, every secondary CPU, then main().
 */
#include "arm64.h"
#include "asm/processor.h"
#include "devicetree.h"
#include "extable.h"
#include "gic.h"
#include "report.h"
#include "setup.h"

extern char __image_start[], __image_end[];

static void setup_args_from_dt(void)
{
	uint64_t start, end;
	const char *env = NULL;
	size_t len = 0;

	/* QEMU -initrd: the environment blob, its place in /chosen. */
	if (dt_initrd(&start, &end) && end > start) {
		env = (const char *)(uintptr_t)start;
		len = end - start;
	}
	setup_args_env(dt_bootargs(), env, len);
}

static void setup_memory_from_dt(void)
{
	struct mem_range ram[16], resv[32];
	int nram = dt_memory(ram, ARRAY_SIZE(ram));
	int nresv = dt_reserved(resv, ARRAY_SIZE(resv) - 1);

	if (!nram)
		report_abort("the devicetree has no memory node");
	resv[nresv++] = (struct mem_range){ (uintptr_t)__image_start, (uintptr_t)__image_end };
	setup_memory(ram, nram, resv, nresv);
}

/*
 * Until mmu_boot() returns the MMU is off: memory is Device-nGnRnE, so
 * nothing that takes a lock (printf) may run, and everything must be
 * aligned (the port builds with -mstrict-align).
 */
void arm64_setup(const void *fdt)
{
	if (dt_init(fdt))
		for (;;)
			wfe();	/* no devicetree: no console to say so */
	uart_init();
	psci_init();
	mmu_boot();

	extable_init();
	setup_args_from_dt();
	setup_memory_from_dt();
	mmu_init();
	platform_init();
	smp_discover();
	gic_init();
	gic_cpu_init();
	smp_boot_secondaries();
	lib_run_main();
}
