/* SPDX-License-Identifier: MIT */
/*
 * The small C library every hvprobe image links: formatted output into
 * buffers, string and memory helpers, character classes, number parsing and
 * glob matching, plus the handful of compiler and bit helpers used all over
 * the tree. Only gcc's freestanding headers are pulled in, so this works the
 * same on every arch and in host unit tests (which rename the functions).
 *
 * printf(), vprintf() and puts() go to the console and live with it
 * (lib/console.c); everything else here is implemented in lib/printf.c,
 * lib/string.c and lib/glob.c.
 */
#ifndef LIB_LIBC_H
#define LIB_LIBC_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/*
 * gcc's <limits.h> chains to the C library's under -nostdinc, so the limits
 * come from the compiler's predefined macros instead.
 */
#ifndef CHAR_BIT
#define CHAR_BIT		__CHAR_BIT__
#endif
#ifndef INT_MAX
#define INT_MAX			__INT_MAX__
#define INT_MIN			(-INT_MAX - 1)
#define UINT_MAX		(INT_MAX * 2U + 1U)
#endif
#ifndef LONG_MAX
#define LONG_MAX		__LONG_MAX__
#define LONG_MIN		(-LONG_MAX - 1L)
#define ULONG_MAX		(LONG_MAX * 2UL + 1UL)
#endif
#ifndef LLONG_MAX
#define LLONG_MAX		__LONG_LONG_MAX__
#define LLONG_MIN		(-LLONG_MAX - 1LL)
#define ULLONG_MAX		(LLONG_MAX * 2ULL + 1ULL)
#endif

/* Compiler helpers. Guarded: host unit tests may already have some. */
#ifndef __noreturn
#define __noreturn		__attribute__((noreturn))
#endif
#ifndef __unused
#define __unused		__attribute__((unused))
#endif
#ifndef __maybe_unused
#define __maybe_unused		__attribute__((unused))
#endif
#ifndef __aligned
#define __aligned(x)		__attribute__((aligned(x)))
#endif
#ifndef __packed
#define __packed		__attribute__((packed))
#endif
#ifndef __section
#define __section(s)		__attribute__((section(s)))
#endif
#ifndef __weak
#define __weak			__attribute__((weak))
#endif
#ifndef __always_inline
#define __always_inline		inline __attribute__((always_inline))
#endif
#ifndef __printf
#define __printf(f, a)		__attribute__((__format__(__printf__, f, a)))
#endif
#ifndef likely
#define likely(x)		__builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x)		__builtin_expect(!!(x), 0)
#endif
#ifndef barrier
#define barrier()		__asm__ __volatile__("" : : : "memory")
#endif

#ifndef READ_ONCE
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#endif
#ifndef WRITE_ONCE
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))
#endif

#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif

/* Arithmetic and bit helpers; 'a' must be a power of two for the ALIGN family. */
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif
#ifndef ALIGN_UP
#define ALIGN_UP(x, a)		(((x) + ((__typeof__(x))(a) - 1)) & ~((__typeof__(x))(a) - 1))
#endif
#ifndef ALIGN_DOWN
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#endif
#ifndef IS_ALIGNED
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#endif
#ifndef DIV_ROUND_UP
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#endif
#ifndef MIN
#define MIN(a, b)		((a) < (b) ? (a) : (b))
#endif
#ifndef MAX
#define MAX(a, b)		((a) > (b) ? (a) : (b))
#endif

#ifndef BITS_PER_LONG
#define BITS_PER_LONG		(__SIZEOF_LONG__ * 8)
#endif
#ifndef BIT
#define BIT(n)			(1UL << (n))
#endif
#ifndef BIT_ULL
#define BIT_ULL(n)		(1ULL << (n))
#endif
#ifndef GENMASK
#define GENMASK(h, l)		((~0UL << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#endif
#ifndef GENMASK_ULL
#define GENMASK_ULL(h, l)	((~0ULL << (l)) & (~0ULL >> (63 - (h))))
#endif

/* Formatted output (lib/printf.c): C99 semantics, no floating point. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* Console output (lib/console.c). puts() appends a newline, like libc. */
int printf(const char *fmt, ...) __printf(1, 2);
int vprintf(const char *fmt, va_list ap);
int puts(const char *s);

/* Memory (lib/string.c). */
void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);

/* Strings (lib/string.c). */
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
char *strcpy(char *dst, const char *src);
char *strncpy(char *dst, const char *src, size_t n);
size_t strlcpy(char *dst, const char *src, size_t size);
char *strcat(char *dst, const char *src);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);

/* Number parsing (lib/string.c): libc semantics, saturating on overflow, no errno. */
unsigned long strtoul(const char *s, char **endptr, int base);
long strtol(const char *s, char **endptr, int base);
unsigned long long strtoull(const char *s, char **endptr, int base);
long long strtoll(const char *s, char **endptr, int base);
int atoi(const char *s);
long atol(const char *s);

/* Character classes, "C" locale (lib/string.c). */
int isspace(int c);
int isdigit(int c);
int isxdigit(int c);
int isalpha(int c);
int isalnum(int c);
int isupper(int c);
int islower(int c);
int isprint(int c);
int tolower(int c);
int toupper(int c);

/* Shell-style matching of a whole string (lib/glob.c). */
bool glob_match(const char *pattern, const char *str);

#endif
