/* SPDX-License-Identifier: MIT */
/*
 * An exception as one value: valid bit, vector (or cause class) and error
 * code (or syndrome). 0 means "no exception". Built by the port's exception
 * entry when a fixup from the exception table is taken.
 */
#ifndef LIB_EXINFO_H
#define LIB_EXINFO_H

#include <stdint.h>

typedef uint64_t exinfo_t;

#define EXINFO_VALID		(1ULL << 63)
#define EXINFO(vec, ec)		(EXINFO_VALID | ((uint64_t)(vec) & 0xffff) << 32 | (uint32_t)(ec))
#define EXINFO_VEC(ex)		((unsigned int)(((ex) >> 32) & 0xffff))
#define EXINFO_EC(ex)		((uint32_t)(ex))

#endif
