// SPDX-License-Identifier: MIT
/*
 * lib/endian.h and lib/acpi.c on the host, written so that they hold on a
 * big-endian host too: the expected values are built byte by byte here,
 * never by the helpers under test.
 *
 * endian.h: every conversion of random values against numbers assembled
 * from their bytes in address order, unaligned loads of 1 to 8 bytes.
 * acpi.c (ACPI 6.5, 5.2.5-5.2.8, 5.2.12): tables laid out little-endian in
 * a buffer (RSDP revision 0 with an RSDT of 32-bit pointers, which needs
 * the buffer below 4 GiB: mmap's MAP_32BIT; revision 2 with an XSDT whose
 * 8-byte entries are unaligned, a MADT with three entries), found by
 * signature, checksums checked (a corrupted table is not found), MADT
 * entries walked in order.
 */
#include <sys/mman.h>
#include "unit.h"
#include "acpi.h"
#include "endian.h"

/* The @n bytes at @p in address order as one number, most significant first. */
static uint64_t bytes_be(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v * 256 + p[i];
	return v;
}

static uint64_t bytes_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v * 256 + p[i];
	return v;
}

static void test_endian(void)
{
	uint8_t buf[16];
	unsigned int bad = 0;

	unit_seed(7);
	for (int round = 0; round < 10000; round++) {
		uint64_t v = unit_rand();
		uint32_t w = (uint32_t)v;
		uint16_t h = (uint16_t)v;
		int off = unit_below(8), n = 1 + unit_below(8);

		memcpy(buf + off, &v, 8);
		bad += be64_to_cpu(v) != bytes_be((uint8_t *)&v, 8);
		bad += le64_to_cpu(v) != bytes_le((uint8_t *)&v, 8);
		bad += be32_to_cpu(w) != bytes_be((uint8_t *)&w, 4);
		bad += le32_to_cpu(w) != bytes_le((uint8_t *)&w, 4);
		bad += be16_to_cpu(h) != bytes_be((uint8_t *)&h, 2);
		bad += le16_to_cpu(h) != bytes_le((uint8_t *)&h, 2);
		bad += cpu_to_be32(be32_to_cpu(w)) != w;
		bad += load_be(buf + off, n) != bytes_be(buf + off, n);
		bad += load_le(buf + off, n) != bytes_le(buf + off, n);
	}
	CHECK(!bad, "%u conversions differ from the value built from the bytes", bad);
	memcpy(buf, "\x12\x34\x56\x78", 4);
	CHECK(load_be(buf, 4) == 0x12345678 && load_le(buf, 4) == 0x78563412,
	      "bytes 12 34 56 78 read %#llx big-endian, %#llx little-endian",
	      (unsigned long long)load_be(buf, 4), (unsigned long long)load_le(buf, 4));
}

/* ---- tables in a buffer, every field stored little-endian byte by byte ---- */

#define MEM_SIZE	4096

static uint8_t *mem;

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static void fix_sum(uint8_t *p, size_t len, size_t at)
{
	uint8_t s = 0;

	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		s += p[i];
	p[at] = (uint8_t)-s;
}

/* A table header of @len bytes at @off with signature @sig; the checksum comes last. */
static uint8_t *table(size_t off, const char *sig, uint32_t len)
{
	uint8_t *t = mem + off;

	memcpy(t, sig, 4);
	put_le(t + 4, len, 4);
	t[8] = 1;
	memcpy(t + 10, "HVPRB ", 6);
	return t;
}

/* MADT at 0x400: header, local APIC address and flags, then three entries (types 0, 9, 0). */
static void build_madt(void)
{
	uint8_t *m = table(0x400, "APIC", 44 + 8 + 12 + 16);
	uint8_t *e = m + 44;

	put_le(m + 36, 0xfee00000, 4);
	e[0] = MADT_LAPIC, e[1] = 8, e[3] = 5;
	e[8] = MADT_X2APIC, e[9] = 12, put_le(e + 12, 0x12345, 4);
	e[20] = MADT_LAPIC, e[21] = 8, e[23] = 7;
	fix_sum(m, 44 + 8 + 12 + 16, 9);
}

/* RSDP at 0 (revision @rev), RSDT at 0x100, XSDT at 0x200 (entries unaligned at 36). */
static const struct acpi_rsdp *build(int rev)
{
	uint8_t *rsdt, *xsdt;

	memset(mem, 0, MEM_SIZE);
	build_madt();
	table(0x300, "FACP", 36);
	fix_sum(mem + 0x300, 36, 9);
	rsdt = table(0x100, "RSDT", 36 + 8);
	put_le(rsdt + 36, (uintptr_t)(mem + 0x300), 4);
	put_le(rsdt + 40, (uintptr_t)(mem + 0x400), 4);
	fix_sum(rsdt, 44, 9);
	xsdt = table(0x200, "XSDT", 36 + 16);
	put_le(xsdt + 36, (uintptr_t)(mem + 0x300), 8);
	put_le(xsdt + 44, (uintptr_t)(mem + 0x400), 8);
	fix_sum(xsdt, 52, 9);
	memcpy(mem, "RSD PTR ", 8);
	mem[15] = rev;
	put_le(mem + 16, (uintptr_t)(mem + 0x100), 4);
	put_le(mem + 20, 36, 4);
	put_le(mem + 24, rev >= 2 ? (uintptr_t)(mem + 0x200) : 0, 8);
	fix_sum(mem, 20, 8);
	fix_sum(mem, 36, 32);
	return (const struct acpi_rsdp *)mem;
}

static uint64_t seen[4];
static int nseen;

static void record(const struct madt_entry *e, void *data)
{
	const uint8_t *p = (const uint8_t *)e;

	if (nseen < 4)
		seen[nseen] = p[0] == MADT_X2APIC ? bytes_le(p + 4, 4) : p[3];
	nseen++;
}

static void test_acpi(void)
{
	static uint8_t high[MEM_SIZE] __attribute__((aligned(16)));
	void *low = MAP_FAILED;

#ifdef MAP_32BIT
	low = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
		   -1, 0);
#endif
	if (low == MAP_FAILED)
		printf("unit-acpi: no memory below 4 GiB: the RSDT (revision 0) is not tested\n");
	mem = low == MAP_FAILED ? high : low;
	for (int rev = low == MAP_FAILED ? 2 : 0; rev <= 2; rev += 2) {
		const struct acpi_rsdp *rsdp = build(rev);
		const struct acpi_header *madt;

		CHECK(acpi_rsdp_valid(rsdp), "revision %d: the RSDP is valid", rev);
		madt = acpi_find_table(rsdp, "APIC");
		CHECK(madt == (const void *)(mem + 0x400),
		      "revision %d: the MADT is found through the %s", rev, rev ? "XSDT" : "RSDT");
		nseen = 0;
		CHECK(acpi_madt_foreach(rsdp, record, NULL) == 3 && nseen == 3 &&
		      seen[0] == 5 && seen[1] == 0x12345 && seen[2] == 7,
		      "revision %d: three MADT entries in order (APIC IDs 5, 0x12345, 7)", rev);
		CHECK(!acpi_find_table(rsdp, "HPET"), "revision %d: no HPET", rev);
		mem[0x400 + 50] ^= 1;
		CHECK(!acpi_find_table(rsdp, "APIC"),
		      "revision %d: a MADT with a wrong checksum is not found", rev);
	}
	build(2);
	mem[20] ^= 1;
	CHECK(!acpi_rsdp_valid((const struct acpi_rsdp *)mem),
	      "an RSDP with a wrong extended checksum is invalid");
}

int main(int argc, char **argv)
{
	test_endian();
	test_acpi();
	return unit_summary("unit-acpi");
}
