// SPDX-License-Identifier: MIT
/*
 * lib/string.c against the host C library on generated inputs: memory
 * functions at every alignment (memmove with overlap both ways), string
 * searches and comparisons on strings from a small alphabet (so matches
 * happen), the "C" locale character classes, and the strto*() family on
 * edge cases and random text in several bases.
 */
#include "unit.h"

#define ARENA	256
#define ROUNDS	4000

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void fill_random(unsigned char *p, size_t n)
{
	while (n--)
		*p++ = (unsigned char)unit_rand();
}

/* A random string of up to @max characters from a small alphabet. */
static void random_string(char *s, size_t max)
{
	static const char alpha[] = "abcab\x80\xff";
	size_t n = unit_below((unsigned int)max + 1);

	for (size_t i = 0; i < n; i++)
		s[i] = alpha[unit_below(sizeof(alpha) - 1)];
	s[n] = '\0';
}

static void test_mem(void)
{
	unsigned char a[ARENA], b[ARENA], src[ARENA];

	for (int r = 0; r < ROUNDS; r++) {
		size_t d = unit_below(ARENA), s = unit_below(ARENA);
		size_t n = unit_below(ARENA - MAX(d, s) + 1);
		int c = (int)unit_rand();

		fill_random(a, ARENA);
		memcpy(b, a, ARENA);
		CHECK(hv_memmove(a + d, a + s, n) == a + d, "memmove return value");
		memmove(b + d, b + s, n);
		CHECK(!memcmp(a, b, ARENA), "memmove dst %zu src %zu n %zu", d, s, n);

		fill_random(src, ARENA);
		fill_random(a, ARENA);
		memcpy(b, a, ARENA);
		n = unit_below(ARENA - MAX(d, s) + 1);
		CHECK(hv_memcpy(a + d, src + s, n) == a + d, "memcpy return value");
		memcpy(b + d, src + s, n);
		CHECK(!memcmp(a, b, ARENA), "memcpy dst %zu src %zu n %zu", d, s, n);

		n = unit_below(ARENA - d + 1);
		CHECK(hv_memset(a + d, c, n) == a + d, "memset return value");
		memset(b + d, c, n);
		CHECK(!memcmp(a, b, ARENA), "memset at %zu n %zu c %d", d, n, c);

		memcpy(b, a, ARENA);
		if (unit_below(2))
			b[d] ^= (unsigned char)(1 + unit_below(255));
		n = unit_below(ARENA - d + 1);
		CHECK(sign(hv_memcmp(a + d, b + d, n)) == sign(memcmp(a + d, b + d, n)),
		      "memcmp at %zu n %zu", d, n);
		CHECK(hv_memchr(a + d, c, n) == memchr(a + d, c, n), "memchr at %zu n %zu", d, n);
	}
}

static void test_search(void)
{
	char s[40], t[40];

	for (int r = 0; r < ROUNDS; r++) {
		int c = "abc\x80\xff\0z"[unit_below(7)];
		size_t n = unit_below(45);

		random_string(s, sizeof(s) - 1);
		random_string(t, unit_below(2) ? 3 : sizeof(t) - 1);
		CHECK(hv_strlen(s) == strlen(s), "strlen \"%s\"", s);
		CHECK(hv_strnlen(s, n) == strnlen(s, n), "strnlen \"%s\" %zu", s, n);
		CHECK(hv_strchr(s, c) == strchr(s, c), "strchr \"%s\" %d", s, c);
		CHECK(hv_strrchr(s, c) == strrchr(s, c), "strrchr \"%s\" %d", s, c);
		CHECK(hv_strstr(s, t) == strstr(s, t), "strstr \"%s\" \"%s\"", s, t);
		CHECK(hv_strspn(s, t) == strspn(s, t), "strspn \"%s\" \"%s\"", s, t);
		CHECK(hv_strcspn(s, t) == strcspn(s, t), "strcspn \"%s\" \"%s\"", s, t);
		CHECK(sign(hv_strcmp(s, t)) == sign(strcmp(s, t)), "strcmp \"%s\" \"%s\"", s, t);
		CHECK(sign(hv_strncmp(s, t, n)) == sign(strncmp(s, t, n)),
		      "strncmp \"%s\" \"%s\" %zu", s, t, n);
	}
}

/* strlcpy() is not in every host libc: check it against its definition. */
static void check_strlcpy(const char *s, size_t size)
{
	char d[64];
	size_t len = strlen(s), n = size ? MIN(len, size - 1) : 0;

	memset(d, 'Z', sizeof(d));
	CHECK(hv_strlcpy(d, s, size) == len, "strlcpy return \"%s\" %zu", s, size);
	CHECK(!memcmp(d, s, n) && (!size || d[n] == '\0') && d[size ? n + 1 : 0] == 'Z',
	      "strlcpy \"%s\" size %zu", s, size);
}

static void test_copy(void)
{
	char s[40], a[64], b[64];

	for (int r = 0; r < ROUNDS; r++) {
		size_t n = unit_below(50);

		random_string(s, sizeof(s) - 1);
		memset(a, 'Z', sizeof(a));
		memset(b, 'Z', sizeof(b));
		CHECK(hv_strcpy(a, s) == a, "strcpy return value");
		strcpy(b, s);
		CHECK(!memcmp(a, b, sizeof(a)), "strcpy \"%s\"", s);

		CHECK(hv_strncpy(a, s, n) == a, "strncpy return value");
		strncpy(b, s, n);
		CHECK(!memcmp(a, b, sizeof(a)), "strncpy \"%s\" %zu", s, n);

		a[unit_below(20)] = '\0';
		memcpy(b, a, sizeof(a));
		s[unit_below(20)] = '\0';
		CHECK(hv_strcat(a, s) == a, "strcat return value");
		strcat(b, s);
		CHECK(!memcmp(a, b, sizeof(a)), "strcat \"%s\"", s);

		check_strlcpy(s, unit_below(45));
	}
}

static void test_ctype(void)
{
	for (int c = -1; c < 256; c++) {
		CHECK(!hv_isspace(c) == !isspace(c), "isspace %d", c);
		CHECK(!hv_isdigit(c) == !isdigit(c), "isdigit %d", c);
		CHECK(!hv_isxdigit(c) == !isxdigit(c), "isxdigit %d", c);
		CHECK(!hv_isalpha(c) == !isalpha(c), "isalpha %d", c);
		CHECK(!hv_isalnum(c) == !isalnum(c), "isalnum %d", c);
		CHECK(!hv_isupper(c) == !isupper(c), "isupper %d", c);
		CHECK(!hv_islower(c) == !islower(c), "islower %d", c);
		CHECK(!hv_isprint(c) == !isprint(c), "isprint %d", c);
		CHECK(hv_tolower(c) == tolower(c), "tolower %d", c);
		CHECK(hv_toupper(c) == toupper(c), "toupper %d", c);
	}
}

/* Parse @s in @base with all four functions and compare values and ends. */
static void check_strto(const char *s, int base)
{
	char *eh, *ev;

	CHECK(hv_strtoul(s, &ev, base) == strtoul(s, &eh, base) && eh == ev,
	      "strtoul \"%s\" base %d", s, base);
	CHECK(hv_strtol(s, &ev, base) == strtol(s, &eh, base) && eh == ev,
	      "strtol \"%s\" base %d", s, base);
	CHECK(hv_strtoull(s, &ev, base) == strtoull(s, &eh, base) && eh == ev,
	      "strtoull \"%s\" base %d", s, base);
	CHECK(hv_strtoll(s, &ev, base) == strtoll(s, &eh, base) && eh == ev,
	      "strtoll \"%s\" base %d", s, base);
	CHECK(hv_strtoul(s, NULL, base) == strtoul(s, NULL, base), "strtoul \"%s\" no endptr", s);
}

static void test_strto(void)
{
	static const char *const edges[] = {
		"", " ", "0", "-0", "+0", "1", "-1", "+", "-", "0x", "0X", "0x1g", "0xg",
		"-0x10", "+0x10", "  \t\n42abc", "010", "08", "0b101", "z", "Zz",
		"2147483647", "2147483648", "-2147483648", "-2147483649",
		"4294967295", "4294967296", "9223372036854775807", "9223372036854775808",
		"-9223372036854775808", "-9223372036854775809", "18446744073709551615",
		"18446744073709551616", "-18446744073709551615", "-18446744073709551616",
		"99999999999999999999999999", "0xffffffffffffffff", "0x10000000000000000",
		"0777777777777777777777", "01777777777777777777777", "02000000000000000000000",
		"- 1", "--1", "+-1", "1 2", "0x 1",
	};
	static const int bases[] = { 0, 2, 8, 10, 16, 36 };
	static const char alpha[] = " \t+-0xX0123456789abcfgzZ";
	char s[32];

	for (size_t i = 0; i < ARRAY_SIZE(edges); i++)
		for (size_t b = 0; b < ARRAY_SIZE(bases); b++)
			check_strto(edges[i], bases[b]);

	for (int r = 0; r < ROUNDS; r++) {
		size_t n = unit_below(sizeof(s));

		for (size_t i = 0; i < n; i++)
			s[i] = alpha[unit_below(sizeof(alpha) - 1)];
		s[n] = '\0';
		check_strto(s, bases[unit_below(ARRAY_SIZE(bases))]);
		check_strto(s, 2 + (int)unit_below(35));
		CHECK(hv_atoi(s) == atoi(s), "atoi \"%s\"", s);
		CHECK(hv_atol(s) == atol(s), "atol \"%s\"", s);
	}
}

int main(void)
{
	unit_seed(7);
	test_mem();
	test_search();
	test_copy();
	test_ctype();
	test_strto();
	return unit_summary("unit-string");
}
