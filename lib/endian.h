/* SPDX-License-Identifier: MIT */
/*
 * Byte order. Devicetree cells are big-endian, ACPI fields little-endian,
 * and the CPU may be either (s390x big, the other ports little). Each
 * conversion takes the value as it was loaded from memory and rebuilds it
 * from its bytes in address order, so it is right on either kind of CPU
 * without an #ifdef: gcc folds it into nothing or into one byte swap.
 * cpu_to_be32() and friends are the same functions (a swap is its own
 * inverse), named for the direction that reads best.
 */
#ifndef LIB_ENDIAN_H
#define LIB_ENDIAN_H

#include <stdint.h>

/* The @n (1-8) bytes at @p, any alignment, as a big-endian (@be) or little-endian number. */
static inline uint64_t endian_bytes(const void *p, int n, int be)
{
	const uint8_t *b = p;
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | b[be ? i : n - 1 - i];
	return v;
}

#define load_be(p, n)	endian_bytes(p, n, 1)
#define load_le(p, n)	endian_bytes(p, n, 0)

static inline uint16_t be16_to_cpu(uint16_t v)
{
	return endian_bytes(&v, 2, 1);
}

static inline uint32_t be32_to_cpu(uint32_t v)
{
	return endian_bytes(&v, 4, 1);
}

static inline uint64_t be64_to_cpu(uint64_t v)
{
	return endian_bytes(&v, 8, 1);
}

static inline uint16_t le16_to_cpu(uint16_t v)
{
	return endian_bytes(&v, 2, 0);
}

static inline uint32_t le32_to_cpu(uint32_t v)
{
	return endian_bytes(&v, 4, 0);
}

static inline uint64_t le64_to_cpu(uint64_t v)
{
	return endian_bytes(&v, 8, 0);
}

#define cpu_to_be16(v)	be16_to_cpu(v)
#define cpu_to_be32(v)	be32_to_cpu(v)
#define cpu_to_be64(v)	be64_to_cpu(v)
#define cpu_to_le16(v)	le16_to_cpu(v)
#define cpu_to_le32(v)	le32_to_cpu(v)
#define cpu_to_le64(v)	le64_to_cpu(v)

#endif
