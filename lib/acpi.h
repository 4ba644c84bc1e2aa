/* SPDX-License-Identifier: MIT */
/* ACPI table lookup (ACPI 6.x, chapter 5.2): RSDP, RSDT/XSDT, MADT. */
#ifndef LIB_ACPI_H
#define LIB_ACPI_H

#include "libc.h"

struct acpi_header {
	char sig[4];
	uint32_t length;
	uint8_t revision, checksum;
	char oem_id[6], oem_table_id[8];
	uint32_t oem_revision, creator_id, creator_revision;
} __packed;

struct acpi_rsdp {
	char sig[8];
	uint8_t checksum;
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
	uint8_t ext_checksum, reserved[3];
} __packed;

#define MADT_LAPIC	0
#define MADT_X2APIC	9

struct madt_entry {
	uint8_t type, length;
} __packed;

/* Validate @rsdp ("RSD PTR " and checksums). */
bool acpi_rsdp_valid(const struct acpi_rsdp *rsdp);

/* The table with signature @sig reached from @rsdp, checksum checked; or NULL. */
const struct acpi_header *acpi_find_table(const struct acpi_rsdp *rsdp, const char *sig);

/*
 * Call fn(entry, data) for each MADT entry; returns the number of entries,
 * or -1 when the MADT is missing.
 */
int acpi_madt_foreach(const struct acpi_rsdp *rsdp,
		      void (*fn)(const struct madt_entry *e, void *data), void *data);

#endif
