// SPDX-License-Identifier: MIT
/*
 * The free-memory setup on the host: setup_memory() from lib/setup.c (what
 * a port with a memory map calls, arm64 from the devicetree's memory and
 * reserved ranges) must hand the page allocator exactly RAM minus the
 * reserved ranges: every free byte once, no reserved byte, nothing outside
 * RAM, no empty range, and set phys_mem_end to the end of RAM. Checked on
 * thousands of generated layouts (unsorted, touching, overlapping and
 * nested reserved ranges, ranges reaching outside RAM) against a byte map.
 *
 * page_alloc_init() is a stub that records the ranges; the rest of what
 * lib/setup.c calls (exit, main, the port's register dump) is stubbed too.
 */
#include "unit.h"
#include "unrename.h"
#include "rename.h"
#include "setup.h"
#include "unrename.h"

/* ---- stubs for what lib/setup.c calls besides setup_memory() ---- */

int __argc;
char **__argv;

int hv_main(int argc, char **argv)
{
	return 0;
}

void hv_exit(int code)
{
	abort();
}

void report_init_known_failures(void)
{
}

void report_abort(const char *fmt, ...)
{
	abort();
}

void report_fail(const char *fmt, ...)
{
}

int hv_printf(const char *fmt, ...)
{
	return 0;
}

int smp_id(void)
{
	return 0;
}

void arch_dump_regs(const struct ex_regs *regs)
{
}

void arch_exit(int status)
{
	abort();
}

void arch_cpu_wait(void)
{
}

const uintptr_t *arch_frame_record(uintptr_t fp)
{
	return (const uintptr_t *)fp;
}

/* ---- page_alloc_init(): record what it is given ---- */

#define MAX_GIVEN	64

static struct mem_range given[MAX_GIVEN];
static int nr_given;

void page_alloc_init(uintptr_t start, uintptr_t end)
{
	if (nr_given < MAX_GIVEN)
		given[nr_given] = (struct mem_range){ start, end };
	nr_given++;
}

/* ---- layouts in a small address space, checked byte by byte ---- */

#define SPACE	512

static void check_layout(const struct mem_range *ram, int nram, const struct mem_range *resv,
			 int nresv, const char *what)
{
	unsigned char want[SPACE] = { 0 }, got[SPACE] = { 0 };
	bool empty = false, outside = false;
	uint64_t end = 0;
	int twice = 0, diff = 0;

	for (int i = 0; i < nram; i++) {
		for (uint64_t a = ram[i].start; a < ram[i].end; a++)
			want[a] = 1;
		end = MAX(end, ram[i].end);
	}
	for (int i = 0; i < nresv; i++)
		for (uint64_t a = resv[i].start; a < resv[i].end && a < SPACE; a++)
			want[a] = 0;
	nr_given = 0;
	phys_mem_end = 0;
	setup_memory(ram, nram, resv, nresv);
	for (int i = 0; i < nr_given && i < MAX_GIVEN; i++) {
		empty |= given[i].start >= given[i].end;
		outside |= given[i].end > end;
		for (uint64_t a = given[i].start; a < given[i].end && a < SPACE; a++)
			twice += got[a]++ == 1;
	}
	for (int a = 0; a < SPACE; a++)
		diff += !!got[a] != want[a];
	CHECK(nr_given <= MAX_GIVEN && !empty && !outside && !twice && !diff &&
	      phys_mem_end == end,
	      "%s: %d ranges given (%d bytes wrong, %d twice%s%s), phys_mem_end %#lx want %#lx",
	      what, nr_given, diff, twice, empty ? ", an empty one" : "",
	      outside ? ", one past the end of RAM" : "", (unsigned long)phys_mem_end,
	      (unsigned long)end);
}

static void test_fixed(void)
{
	static const struct mem_range ram1[] = { { 0, 256 } };
	static const struct mem_range ram2[] = { { 300, 400 }, { 16, 200 } };
	static const struct mem_range edges[] = { { 0, 10 }, { 246, 256 } };
	static const struct mem_range middle[] = { { 100, 120 } };
	static const struct mem_range all[] = { { 0, 256 } };
	static const struct mem_range nested[] = { { 50, 150 }, { 60, 70 }, { 140, 160 } };
	static const struct mem_range outside[] = { { 400, 500 }, { 200, 300 } };
	static const struct mem_range touching[] = { { 20, 30 }, { 30, 40 }, { 40, 41 } };

	check_layout(ram1, 1, NULL, 0, "one RAM range, nothing reserved");
	check_layout(ram1, 1, edges, 2, "reserved at both edges");
	check_layout(ram1, 1, middle, 1, "reserved in the middle");
	check_layout(ram1, 1, all, 1, "everything reserved");
	check_layout(ram1, 1, nested, 3, "overlapping and nested reserved ranges");
	check_layout(ram2, 2, outside, 2, "reserved ranges reaching outside RAM");
	check_layout(ram2, 2, touching, 3, "touching reserved ranges");
	check_layout(ram2, 2, NULL, 0, "two unsorted RAM ranges");
}

static struct mem_range random_range(uint64_t lo, uint64_t hi)
{
	uint64_t a = lo + unit_below(hi - lo), b = lo + unit_below(hi - lo);

	if (a > b) {
		uint64_t t = a;

		a = b;
		b = t;
	}
	return (struct mem_range){ a, b + 1 };
}

/* RAM ranges never overlap each other; reserved ones may do anything. */
static void test_random(void)
{
	unit_seed(99);
	for (int round = 0; round < 5000; round++) {
		struct mem_range ram[4], resv[8];
		int nram = 1 + unit_below(4), nresv = unit_below(9);
		char what[32];

		for (int i = 0; i < nram; i++)
			ram[i] = random_range(i * SPACE / nram, (i + 1) * SPACE / nram);
		for (int i = nram - 1; i > 0; i--) {
			int j = unit_below(i + 1);
			struct mem_range t = ram[i];

			ram[i] = ram[j];
			ram[j] = t;
		}
		for (int i = 0; i < nresv; i++)
			resv[i] = random_range(0, SPACE);
		snprintf(what, sizeof(what), "random layout %d", round);
		check_layout(ram, nram, resv, nresv, what);
	}
}

int main(int argc, char **argv)
{
	test_fixed();
	test_random();
	return unit_summary("unit-setup");
}
