// SPDX-License-Identifier: MIT
/*
 * lib/devicetree.c on blobs built here (Devicetree Specification v0.4,
 * chapter 5): paths, properties, reg with the parent's cells, /chosen,
 * aliases, memory and reservations, /cpus, NOP tokens; then thousands of
 * randomly corrupted copies, walked whole, which must never read outside
 * the blob (AddressSanitizer watches) nor loop.
 */
#include "unit.h"
#include "devicetree.h"
#include "setup.h"

#define BLOB_SIZE	4096

struct builder {
	uint32_t st[512];		/* structure block, in cells */
	int nst;
	char strings[512];
	int nstrings;
};

static struct builder b;
static uint64_t blob_store[BLOB_SIZE / 8];
static uint8_t *const blob = (uint8_t *)blob_store;

/* @v as the blob holds it, big-endian, whatever the host's byte order. */
static uint32_t be(uint32_t v)
{
	uint8_t bytes[4] = { v >> 24, v >> 16, v >> 8, v };
	uint32_t r;

	memcpy(&r, bytes, 4);
	return r;
}

static uint64_t be64(uint64_t v)
{
	uint32_t halves[2] = { be(v >> 32), be(v) };
	uint64_t r;

	memcpy(&r, halves, 8);
	return r;
}

static void put(uint32_t token)
{
	b.st[b.nst++] = be(token);
}

/* Copy @len bytes into the structure block, padded to a cell. */
static void put_bytes(const void *p, size_t len)
{
	memcpy(&b.st[b.nst], p, len);
	memset((char *)&b.st[b.nst] + len, 0, (4 - len % 4) % 4);
	b.nst += (len + 3) / 4;
}

static void begin(const char *name)
{
	put(1);
	put_bytes(name, strlen(name) + 1);
}

static void end(void)
{
	put(2);
}

static void nop(void)
{
	put(4);
}

static int string_off(const char *name)
{
	for (int off = 0; off < b.nstrings; off += strlen(b.strings + off) + 1)
		if (!strcmp(b.strings + off, name))
			return off;
	strcpy(b.strings + b.nstrings, name);
	b.nstrings += strlen(name) + 1;
	return b.nstrings - strlen(name) - 1;
}

static void prop(const char *name, const void *val, size_t len)
{
	put(3);
	put(len);
	put(string_off(name));
	put_bytes(val, len);
}

/* A property of @n cells. */
static void cells(const char *name, int n, ...)
{
	uint32_t v[16];
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++)
		v[i] = be(va_arg(ap, uint32_t));
	va_end(ap);
	prop(name, v, 4 * n);
}

static void str(const char *name, const char *s)
{
	prop(name, s, strlen(s) + 1);
}

/* Header, one reservation, structure block, strings; returns the total size. */
static uint32_t finish(void)
{
	uint32_t *h = (uint32_t *)blob, off_rsv = 40, off_st = 72;
	uint32_t st_size = 4 * (b.nst + 1), off_str = off_st + st_size;
	uint64_t rsv[4] = { be64(0x40000000), be64(0x1000), 0, 0 };

	put(9);
	memset(blob, 0, BLOB_SIZE);
	h[0] = be(FDT_MAGIC);
	h[1] = be(off_str + b.nstrings);
	h[2] = be(off_st);
	h[3] = be(off_str);
	h[4] = be(off_rsv);
	h[5] = be(17);
	h[6] = be(16);
	h[8] = be(b.nstrings);
	h[9] = be(st_size);
	memcpy(blob + off_rsv, rsv, sizeof(rsv));
	memcpy(blob + off_st, b.st, st_size);
	memcpy(blob + off_str, b.strings, b.nstrings);
	return off_str + b.nstrings;
}

static void build(void)
{
	static const char compat[] = "arm,pl011\0arm,primecell";

	memset(&b, 0, sizeof(b));
	begin("");
	cells("#address-cells", 1, 2);
	cells("#size-cells", 1, 2);
	nop();
	begin("chosen");
	str("bootargs", "a \"b c\"");
	str("stdout-path", "serial0:115200n8");
	cells("linux,initrd-start", 1, 0x48000000);
	cells("linux,initrd-end", 2, 0, 0x48000100);
	end();
	begin("aliases");
	str("serial0", "/uart@9000000");
	end();
	begin("memory@40000000");
	str("device_type", "memory");
	cells("reg", 8, 0, 0x40000000, 0, 0x10000000, 1, 0, 0, 0x1000);
	end();
	begin("memory@80000000");
	str("device_type", "memory");
	str("status", "disabled");
	cells("reg", 4, 0, 0x80000000, 0, 0x1000);
	end();
	begin("reserved-memory");
	cells("#address-cells", 1, 2);
	cells("#size-cells", 1, 2);
	begin("fw@41000000");
	cells("reg", 4, 0, 0x41000000, 0, 0x2000);
	end();
	end();
	begin("cpus");
	cells("#address-cells", 1, 1);
	cells("#size-cells", 1, 0);
	begin("cpu-map");
	end();
	begin("cpu@0");
	str("device_type", "cpu");
	cells("reg", 1, 0);
	end();
	nop();
	begin("cpu@100");
	str("device_type", "cpu");
	cells("reg", 1, 0x100);
	str("status", "okay");
	end();
	begin("cpu@2");
	str("device_type", "cpu");
	cells("reg", 1, 2);
	str("status", "disabled");
	end();
	end();
	begin("uart@9000000");
	prop("compatible", compat, sizeof(compat));
	cells("reg", 4, 0, 0x9000000, 0, 0x1000);
	end();
	begin("bus");
	cells("#address-cells", 1, 1);
	cells("#size-cells", 1, 1);
	begin("dev@10");
	cells("reg", 2, 0x10, 0x20);
	cells("phandle", 1, 5);
	end();
	end();
	end();
}

static void test_tree(void)
{
	int root, chosen, uart, bus, dev, n = 0;
	uint64_t a = 0, s = 0, ids[4];
	struct mem_range r[8];
	const char *args;

	CHECK(dt_init(blob) == 0, "dt_init accepts the blob");
	root = dt_path("/");
	chosen = dt_path("/chosen");
	uart = dt_path("/uart@9000000");
	bus = dt_path("/bus");
	dev = dt_path("/bus/dev");
	CHECK(root == dt_next_node(-1) && root >= 0, "/ is the first node");
	CHECK(chosen >= 0 && !strcmp(dt_name(chosen), "chosen"), "/chosen found");
	CHECK(dt_path("/cpus/cpu") >= 0 && !strcmp(dt_name(dt_path("/cpus/cpu")), "cpu@0"),
	      "'cpu' matches cpu@0, not cpu-map");
	CHECK(dt_path("/cpus/cpu@2") >= 0, "unit address matches");
	CHECK(dt_path("/cpus/cpu@3") < 0 && dt_path("/nope") < 0 && dt_path("chosen") < 0,
	      "missing and relative paths are not found");
	CHECK(dt_parent(dev) == bus && dt_parent(bus) == root && dt_parent(root) < 0,
	      "dt_parent");
	CHECK(dt_first_child(dt_path("/reserved-memory")) == dt_path("/reserved-memory/fw"),
	      "dt_first_child");
	CHECK(dt_next_sibling(dt_path("/cpus/cpu@0")) == dt_path("/cpus/cpu@100"),
	      "dt_next_sibling skips a NOP");
	CHECK(dt_next_sibling(dev) < 0, "last child has no sibling");
	for (int node = dt_next_node(-1); node >= 0; node = dt_next_node(node))
		n++;
	CHECK(n == 15, "15 nodes in depth-first order (got %d)", n);

	args = dt_bootargs();
	CHECK(args && !strcmp(args, "a \"b c\""), "bootargs '%s'", args ? args : "(null)");
	CHECK(dt_initrd(&a, &s) && a == 0x48000000 && s == 0x48000100,
	      "initrd 32-bit start, 64-bit end (%#lx-%#lx)", (long)a, (long)s);
	CHECK(dt_stdout() == uart, "stdout-path through an alias, options cut");
	CHECK(dt_is_compatible(uart, "arm,primecell") && !dt_is_compatible(uart, "arm,pl01"),
	      "compatible is a string list, matched whole");
	CHECK(dt_find_compatible(-1, "arm,pl011") == uart &&
	      dt_find_compatible(uart, "arm,pl011") < 0, "dt_find_compatible");
	CHECK(dt_find_phandle(5) == dev && dt_find_phandle(6) < 0, "dt_find_phandle");
	CHECK(!dt_reg(dev, 0, &a, &s) && a == 0x10 && s == 0x20, "reg with the bus's 1+1 cells");
	CHECK(dt_reg(dev, 1, &a, &s) < 0, "no second reg entry");
	CHECK(!dt_reg(uart, 0, &a, &s) && a == 0x9000000 && s == 0x1000, "reg with 2+2 cells");

	n = dt_memory(r, 8);
	CHECK(n == 2 && r[0].start == 0x40000000 && r[0].end == 0x50000000 &&
	      r[1].start == 0x100000000ULL && r[1].end == 0x100001000ULL,
	      "memory: two ranges of the enabled node (%d)", n);
	n = dt_reserved(r, 8);
	CHECK(n == 4 && r[0].start == 0x40000000 && r[0].end == 0x40001000 &&
	      r[1].start == 0x41000000 && r[1].end == 0x41002000 &&
	      r[2].start == (uintptr_t)blob && r[2].end == (uintptr_t)blob + dt_blob_size() &&
	      r[3].start == 0x48000000 && r[3].end == 0x48000100,
	      "reserved: memreserve, /reserved-memory, the blob, the initrd (%d)", n);
	n = dt_cpus(ids, 4);
	CHECK(n == 2 && ids[0] == 0 && ids[1] == 0x100, "two enabled CPUs (%d)", n);
}

static void test_header(uint32_t size)
{
	uint32_t *h = (uint32_t *)blob;

	h[0] = 0;
	CHECK(dt_init(blob) < 0 && dt_blob() == NULL && dt_path("/") < 0, "bad magic rejected");
	h[0] = be(FDT_MAGIC);
	CHECK(dt_init(blob + 4) < 0, "misaligned blob rejected");
	h[9] = be(size);
	CHECK(dt_init(blob) < 0, "structure block past totalsize rejected");
}

/* Walk everything the API can reach; only ASan and termination are checked. */
static void walk_all(void)
{
	struct mem_range r[8];
	uint64_t a, s, ids[8];
	int len, n = 0;

	for (int node = dt_next_node(-1); node >= 0 && n < 1000; node = dt_next_node(node), n++) {
		dt_prop(node, "reg", &len);
		dt_reg(node, 0, &a, &s);
		dt_is_enabled(node);
		dt_first_child(node);
		dt_next_sibling(node);
		(void)strlen(dt_name(node));
	}
	dt_memory(r, 8);
	dt_reserved(r, 8);
	dt_cpus(ids, 8);
	dt_stdout();
	dt_bootargs();
	dt_find_phandle(5);
	dt_path("/cpus/cpu@100");
}

/* Corrupt copies live in a buffer of exactly the blob's size: ASan sees any overrun. */
static void test_corruption(uint32_t size)
{
	uint32_t off_st = be(((uint32_t *)blob)[2]), st_size = be(((uint32_t *)blob)[9]);

	for (int i = 0; i < 20000; i++) {
		uint8_t *copy = malloc(size);

		memcpy(copy, blob, size);
		for (int k = 0, flips = 1 + unit_below(8); k < flips; k++)
			copy[off_st + unit_below(st_size)] ^= 1 << unit_below(8);
		if (dt_init(copy) == 0)
			walk_all();
		free(copy);
	}
	CHECK(dt_init(blob) == 0, "the intact blob still parses after the corruption runs");
}

int main(void)
{
	uint32_t size;

	unit_seed(17);
	build();
	size = finish();
	test_tree();
	test_corruption(size);
	test_header(size);
	return unit_summary("unit-devicetree");
}
