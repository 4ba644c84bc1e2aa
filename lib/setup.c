// SPDX-License-Identifier: MIT
/*
 * The arch-neutral tail of boot: environment-dependent init, main(), exit.
 */
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

void lib_run_main(void)
{
	report_init_known_failures();
	exit(main(__argc, __argv));
}

/*
 * Frames are linked as [fp] = caller's fp, [fp + 8] = return address
 * (x86_64 and arm64 frame records alike).
 */
void backtrace_print(uintptr_t ip, uintptr_t fp)
{
	printf("Backtrace: %#lx", (unsigned long)ip);
	for (int i = 0; i < 16; i++) {
		uintptr_t *frame = (uintptr_t *)fp;

		if (fp < 0x1000 || fp >= phys_mem_end || fp & 7 || !frame[1])
			break;
		printf(" %#lx", (unsigned long)frame[1]);
		fp = frame[0];
	}
	printf("\n");
}
