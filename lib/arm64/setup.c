// SPDX-License-Identifier: MIT
/*
 * Boot CPU setup after cstart64.S: the devicetree, console and PSCI, the
 * identity map and MMU, arguments and environment from /chosen, memory,
 * the GIC, every secondary CPU, then main().
 */
#include "arm64.h"
#include "asm/processor.h"
#include "devicetree.h"
#include "dtboot.h"
#include "extable.h"
#include "gic.h"
#include "report.h"
#include "setup.h"

extern char __image_start[], __image_end[];

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
	dt_setup_args();
	dt_setup_memory((uintptr_t)__image_start, (uintptr_t)__image_end);
	mmu_init();
	platform_init();
	smp_discover();
	gic_init();
	gic_cpu_init();
	smp_boot_secondaries();
	lib_run_main();
}
