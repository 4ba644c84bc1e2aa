// SPDX-License-Identifier: MIT
/*
 * lib/extable.c on the host: extable_init() sorts the exception table in
 * place (sorted, reversed, shuffled and nearly sorted inputs of 0 to 300
 * entries), keeps every (instruction, fixup) pair, and extable_find()
 * returns the fixup of every listed address and 0 for every other one
 * (neighbours, the extremes, random addresses).
 *
 * The table is the linker's __extable_start[]..__extable_end[] in an
 * image; unit.mk renames both to pointers this file aims at a buffer.
 */
#include "unit.h"
#include "extable.h"

struct extable_entry (*unit_extable_start)[], (*unit_extable_end)[];

#define MAX_ENTRIES	300

static struct extable_entry table[MAX_ENTRIES], want[MAX_ENTRIES];

static void use_table(size_t n)
{
	unit_extable_start = (struct extable_entry (*)[])table;
	unit_extable_end = (struct extable_entry (*)[])(table + n);
}

static int by_insn(const void *a, const void *b)
{
	const struct extable_entry *x = a, *y = b;

	return x->insn < y->insn ? -1 : x->insn > y->insn;
}

static bool listed(uintptr_t ip, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (want[i].insn == ip)
			return true;
	return false;
}

/* Distinct addresses: clustered like code (small steps) or spread out. */
static void make_entries(size_t n, bool clustered)
{
	uintptr_t ip = 0x400000 + unit_below(0x1000);

	for (size_t i = 0; i < n; i++) {
		if (clustered)
			ip += 1 + unit_below(16);
		else
			do
				ip = (uintptr_t)unit_rand();
			while (listed(ip, i) || !ip);
		want[i] = (struct extable_entry){ ip, ip + 2 + unit_below(64) };
	}
}

enum order { SORTED, REVERSED, SHUFFLED, NEARLY_SORTED, NR_ORDERS };

static const char *const order_names[] = { "sorted", "reversed", "shuffled", "nearly sorted" };

static void arrange(size_t n, enum order o)
{
	memcpy(table, want, n * sizeof(*table));
	qsort(table, n, sizeof(*table), by_insn);
	for (size_t i = 0; i < n; i++) {
		size_t j;
		struct extable_entry tmp;

		switch (o) {
		case REVERSED:
			if (i >= n / 2)
				return;
			j = n - 1 - i;
			break;
		case SHUFFLED:
			j = i + unit_below(n - i);
			break;
		case NEARLY_SORTED:
			if (unit_below(8) || i + 1 >= n)
				continue;
			j = i + 1;
			break;
		default:
			return;
		}
		tmp = table[i];
		table[i] = table[j];
		table[j] = tmp;
	}
}

static void check_sorted(size_t n, const char *what)
{
	struct extable_entry sorted[MAX_ENTRIES];
	bool ok = true;

	for (size_t i = 1; i < n; i++)
		ok &= table[i - 1].insn < table[i].insn;
	CHECK(ok, "%s, %zu entries: sorted by instruction address", what, n);
	memcpy(sorted, want, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), by_insn);
	CHECK(!n || !memcmp(sorted, table, n * sizeof(*table)),
	      "%s, %zu entries: every (instruction, fixup) pair kept", what, n);
}

static void check_lookups(size_t n, const char *what)
{
	unsigned long wrong = 0;
	uintptr_t probes[] = { 0, 1, UINTPTR_MAX, UINTPTR_MAX - 1, 0x400000 };

	for (size_t i = 0; i < n; i++) {
		wrong += extable_find(want[i].insn) != want[i].fixup;
		for (int d = -1; d <= 1; d += 2) {
			uintptr_t ip = want[i].insn + d;

			if (!listed(ip, n))
				wrong += extable_find(ip) != 0;
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(probes); i++)
		if (!listed(probes[i], n))
			wrong += extable_find(probes[i]) != 0;
	for (int i = 0; i < 200; i++) {
		uintptr_t ip = (uintptr_t)unit_rand();

		if (!listed(ip, n))
			wrong += extable_find(ip) != 0;
	}
	CHECK(!wrong, "%s, %zu entries: %lu lookups gave the wrong fixup", what, n, wrong);
}

static void test_tables(void)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 4, 7, 8, 9, 31, 64, 100, 255, 300 };

	unit_seed(7);
	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		for (int clustered = 0; clustered < 2; clustered++) {
			make_entries(sizes[s], clustered);
			for (enum order o = SORTED; o < NR_ORDERS; o++) {
				char what[64];

				snprintf(what, sizeof(what), "%s %s",
					 clustered ? "clustered" : "spread", order_names[o]);
				arrange(sizes[s], o);
				use_table(sizes[s]);
				extable_init();
				check_sorted(sizes[s], what);
				check_lookups(sizes[s], what);
			}
		}
	}
}

/* A sorted table stays as it is, and a second extable_init() changes nothing. */
static void test_idempotent(void)
{
	struct extable_entry before[MAX_ENTRIES];

	make_entries(50, true);
	arrange(50, SHUFFLED);
	use_table(50);
	extable_init();
	memcpy(before, table, sizeof(before));
	extable_init();
	CHECK(!memcmp(before, table, sizeof(before)), "a second extable_init() changes nothing");
}

int main(int argc, char **argv)
{
	test_tables();
	test_idempotent();
	return unit_summary("unit-extable");
}
