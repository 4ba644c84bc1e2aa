// SPDX-License-Identifier: MIT
/*
 * Memory and string helpers, character classes of the "C" locale and the
 * strto*() family, with the semantics of the C standard library so that
 * host unit tests can compare them against the host's.
 *
 * This file is built with -fno-builtin (-ffreestanding implies it), so the
 * compiler never turns memcpy() or memset() into calls to themselves; the
 * word loops only run when both pointers share the same alignment.
 */
#include "libc.h"

/* A word that may alias any object, so the word loops stay correct at -O2. */
typedef unsigned long __attribute__((may_alias)) word_t;

#define WORD_SIZE	sizeof(word_t)

static bool word_aligned(const void *a, const void *b)
{
	return IS_ALIGNED((uintptr_t)a | (uintptr_t)b, WORD_SIZE);
}

/**
 * memset() - fill memory with a byte
 * @s: start
 * @c: byte value (converted to unsigned char)
 * @n: number of bytes
 *
 * Return: @s.
 */
void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;
	word_t pattern = (unsigned char)c * (~0UL / 0xff);

	while (n && !IS_ALIGNED((uintptr_t)p, WORD_SIZE)) {
		*p++ = (unsigned char)c;
		n--;
	}
	/* Four words a turn: pages are cleared at boot and by every alloc_zeroed_page(). */
	for (; n >= 4 * WORD_SIZE; n -= 4 * WORD_SIZE, p += 4 * WORD_SIZE) {
		((word_t *)p)[0] = pattern;
		((word_t *)p)[1] = pattern;
		((word_t *)p)[2] = pattern;
		((word_t *)p)[3] = pattern;
	}
	for (; n >= WORD_SIZE; n -= WORD_SIZE, p += WORD_SIZE)
		*(word_t *)p = pattern;
	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

/**
 * memcpy() - copy non-overlapping memory
 * @dst: destination
 * @src: source
 * @n: number of bytes
 *
 * Return: @dst.
 */
void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (word_aligned(d, s)) {
		for (; n >= WORD_SIZE; n -= WORD_SIZE, d += WORD_SIZE, s += WORD_SIZE)
			*(word_t *)d = *(const word_t *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

/**
 * memmove() - copy memory that may overlap
 * @dst: destination
 * @src: source
 * @n: number of bytes
 *
 * Return: @dst.
 */
void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((uintptr_t)d - (uintptr_t)s >= n)
		return memcpy(dst, src, n);

	/* @dst overlaps the tail of @src: copy backwards. */
	d += n;
	s += n;
	if (word_aligned(d, s)) {
		for (; n >= WORD_SIZE; n -= WORD_SIZE) {
			d -= WORD_SIZE;
			s -= WORD_SIZE;
			*(word_t *)d = *(const word_t *)s;
		}
	}
	while (n--)
		*--d = *--s;
	return dst;
}

/**
 * memcmp() - compare memory as unsigned bytes
 * @a: first block
 * @b: second block
 * @n: number of bytes
 *
 * Return: <0, 0 or >0 as @a sorts before, equal to or after @b.
 */
int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
	}
	return 0;
}

/**
 * memchr() - find a byte
 * @s: start
 * @c: byte (converted to unsigned char)
 * @n: number of bytes to search
 *
 * Return: the first match, or NULL.
 */
void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++) {
		if (*p == (unsigned char)c)
			return (void *)p;
	}
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t maxlen)
{
	size_t n = 0;

	while (n < maxlen && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;

	while (*p && *p == *q) {
		p++;
		q++;
	}
	return *p - *q;
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;

	for (; n; n--, p++, q++) {
		if (*p != *q || !*p)
			return *p - *q;
	}
	return 0;
}

/* Like libc, searching for '\0' finds the terminator. */
char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack; haystack++) {
		if (!strncmp(haystack, needle, n))
			return (char *)haystack;
	}
	return n ? NULL : (char *)haystack;
}

char *strcpy(char *dst, const char *src)
{
	char *d = dst;

	while ((*d++ = *src++))
		;
	return dst;
}

/* Copies at most @n bytes and, like libc, pads the rest of @dst with NULs. */
char *strncpy(char *dst, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = '\0';
	return dst;
}

/**
 * strlcpy() - copy a string into a bounded buffer, always terminated
 * @dst: destination
 * @src: source string
 * @size: bytes available at @dst
 *
 * Return: strlen(@src); a value >= @size means the copy was cut short.
 */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

char *strcat(char *dst, const char *src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}

size_t strspn(const char *s, const char *accept)
{
	size_t n = 0;

	while (s[n] && strchr(accept, s[n]))
		n++;
	return n;
}

size_t strcspn(const char *s, const char *reject)
{
	size_t n = 0;

	while (s[n] && !strchr(reject, s[n]))
		n++;
	return n;
}

int isspace(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

int isdigit(int c)
{
	return c >= '0' && c <= '9';
}

int isupper(int c)
{
	return c >= 'A' && c <= 'Z';
}

int islower(int c)
{
	return c >= 'a' && c <= 'z';
}

int isalpha(int c)
{
	return isupper(c) || islower(c);
}

int isalnum(int c)
{
	return isalpha(c) || isdigit(c);
}

int isxdigit(int c)
{
	return isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int isprint(int c)
{
	return c >= 0x20 && c < 0x7f;
}

int tolower(int c)
{
	return isupper(c) ? c - 'A' + 'a' : c;
}

int toupper(int c)
{
	return islower(c) ? c - 'a' + 'A' : c;
}

static int digit_value(char c)
{
	if (isdigit(c))
		return c - '0';
	if (isalpha(c))
		return tolower(c) - 'a' + 10;
	return 36;
}

/*
 * The common part of the strto*() family: whitespace, sign, base prefix and
 * digits. Returns the magnitude, saturated at ULLONG_MAX with *@overflow set.
 * When no digit is found *@endptr gets @s back and the value is 0.
 */
static unsigned long long parse_magnitude(const char *s, char **endptr, int base,
					  bool *negative, bool *overflow)
{
	const char *p = s;
	unsigned long long v = 0;
	bool any = false;
	int d;

	*negative = false;
	*overflow = false;
	while (isspace(*p))
		p++;
	if (*p == '+' || *p == '-')
		*negative = *p++ == '-';

	/* "0x" is a prefix only when a hex digit follows; else the 0 stands alone. */
	if ((base == 0 || base == 16) && p[0] == '0' && tolower(p[1]) == 'x' &&
	    isxdigit(p[2])) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}

	if (base >= 2 && base <= 36) {
		for (; (d = digit_value(*p)) < base; p++) {
			any = true;
			if (v > (ULLONG_MAX - (unsigned int)d) / (unsigned int)base)
				*overflow = true;
			v = v * (unsigned int)base + (unsigned int)d;
		}
	}
	if (endptr)
		*endptr = (char *)(any ? p : s);
	if (*overflow)
		return ULLONG_MAX;
	return any ? v : 0;
}

/**
 * strtoull() - parse an unsigned number
 * @s: text: optional whitespace and sign, then digits
 * @endptr: if not NULL, receives the first unparsed character
 * @base: 2..36, or 0 to pick 16 ("0x"), 8 ("0") or 10 from the prefix
 *
 * As in libc, a '-' negates the result in unsigned arithmetic and an
 * overflow saturates at ULLONG_MAX; errno does not exist here.
 *
 * Return: the value.
 */
unsigned long long strtoull(const char *s, char **endptr, int base)
{
	bool neg, ovf;
	unsigned long long v = parse_magnitude(s, endptr, base, &neg, &ovf);

	if (ovf)
		return ULLONG_MAX;
	return neg ? 0ULL - v : v;
}

/**
 * strtoll() - parse a signed number
 * @s: text: optional whitespace and sign, then digits
 * @endptr: if not NULL, receives the first unparsed character
 * @base: 2..36, or 0 to pick the base from the prefix
 *
 * Return: the value, saturated at LLONG_MIN or LLONG_MAX.
 */
long long strtoll(const char *s, char **endptr, int base)
{
	bool neg, ovf;
	unsigned long long v = parse_magnitude(s, endptr, base, &neg, &ovf);

	if (neg)
		return v > (unsigned long long)LLONG_MAX ? LLONG_MIN : -(long long)v;
	return v > (unsigned long long)LLONG_MAX ? LLONG_MAX : (long long)v;
}

/**
 * strtoul() - parse an unsigned long; see strtoull()
 * @s: text
 * @endptr: if not NULL, receives the first unparsed character
 * @base: 2..36, or 0 to pick the base from the prefix
 *
 * Return: the value, ULONG_MAX on overflow.
 */
unsigned long strtoul(const char *s, char **endptr, int base)
{
	bool neg, ovf;
	unsigned long long v = parse_magnitude(s, endptr, base, &neg, &ovf);

	if (ovf || v > ULONG_MAX)
		return ULONG_MAX;
	return neg ? 0UL - (unsigned long)v : (unsigned long)v;
}

/**
 * strtol() - parse a long; see strtoll()
 * @s: text
 * @endptr: if not NULL, receives the first unparsed character
 * @base: 2..36, or 0 to pick the base from the prefix
 *
 * Return: the value, saturated at LONG_MIN or LONG_MAX.
 */
long strtol(const char *s, char **endptr, int base)
{
	bool neg, ovf;
	unsigned long long v = parse_magnitude(s, endptr, base, &neg, &ovf);

	if (neg)
		return v > (unsigned long long)LONG_MAX ? LONG_MIN : -(long)v;
	return v > (unsigned long long)LONG_MAX ? LONG_MAX : (long)v;
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}
