// SPDX-License-Identifier: MIT
/*
 * ACPI table walking, arch-neutral: the port finds the RSDP (x86: the BIOS
 * areas; arm64: the UEFI or DT pointer) and lib does the rest. Every
 * multi-byte field is little-endian (ACPI 6.5, 5.2), read as such.
 */
#include "acpi.h"
#include "endian.h"

static bool sum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	while (len--)
		s += *b++;
	return s == 0;
}

bool acpi_rsdp_valid(const struct acpi_rsdp *rsdp)
{
	if (memcmp(rsdp->sig, "RSD PTR ", 8) || !sum_ok(rsdp, 20))
		return false;
	return rsdp->revision < 2 || sum_ok(rsdp, le32_to_cpu(rsdp->length));
}

static const struct acpi_header *checked(uintptr_t addr, const char *sig)
{
	const struct acpi_header *h = (const void *)addr;

	if (!addr || memcmp(h->sig, sig, 4) || !sum_ok(h, le32_to_cpu(h->length)))
		return NULL;
	return h;
}

const struct acpi_header *acpi_find_table(const struct acpi_rsdp *rsdp, const char *sig)
{
	const struct acpi_header *root;
	size_t esize, n;

	if (rsdp->revision >= 2 && rsdp->xsdt) {
		root = checked(le64_to_cpu(rsdp->xsdt), "XSDT");
		esize = 8;
	} else {
		root = checked(le32_to_cpu(rsdp->rsdt), "RSDT");
		esize = 4;
	}
	if (!root)
		return NULL;
	n = (le32_to_cpu(root->length) - sizeof(*root)) / esize;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *e = (const uint8_t *)(root + 1) + i * esize;
		/* XSDT entries are unaligned: the header is 36 bytes. */
		const struct acpi_header *t = checked(load_le(e, esize), sig);

		if (t)
			return t;
	}
	return NULL;
}

int acpi_madt_foreach(const struct acpi_rsdp *rsdp,
		      void (*fn)(const struct madt_entry *e, void *data), void *data)
{
	const struct acpi_header *madt = acpi_find_table(rsdp, "APIC");
	const uint8_t *p, *end;
	int n = 0;

	if (!madt)
		return -1;
	/* Header, then the local APIC address and flags (8 bytes). */
	p = (const uint8_t *)(madt + 1) + 8;
	end = (const uint8_t *)madt + le32_to_cpu(madt->length);
	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		fn((const struct madt_entry *)p, data);
		p += p[1];
		n++;
	}
	return n;
}
