// SPDX-License-Identifier: MIT
/*
 * The exception table, sorted at boot and searched by bisection.
 */
#include "extable.h"
#include "libc.h"

extern struct extable_entry __extable_start[], __extable_end[];

void extable_init(void)
{
	size_t n = __extable_end - __extable_start;

	/* Insertion sort: the table is small and mostly sorted already. */
	for (size_t i = 1; i < n; i++) {
		struct extable_entry e = __extable_start[i];
		size_t j = i;

		for (; j && __extable_start[j - 1].insn > e.insn; j--)
			__extable_start[j] = __extable_start[j - 1];
		__extable_start[j] = e;
	}
}

uintptr_t extable_find(uintptr_t ip)
{
	size_t lo = 0, hi = __extable_end - __extable_start;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (__extable_start[mid].insn == ip)
			return __extable_start[mid].fixup;
		if (__extable_start[mid].insn < ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}
