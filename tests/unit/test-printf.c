// SPDX-License-Identifier: MIT
/*
 * lib/printf.c against the host's snprintf(): tens of thousands of
 * generated conversions (random flags, width, precision, '*' forms, length
 * modifiers, edge values) into buffers of several sizes, comparing the
 * return value and every byte of the buffer, past the end included.
 */
#include "unit.h"

#define BUF_LEN		640
#define NR_RANDOM	40000

enum arg_type { A_INT, A_LONG, A_LLONG, A_SIZE, A_INTMAX, A_PTRDIFF, A_STR, A_PTR, A_NONE };

struct fmt_case {
	char fmt[96];
	enum arg_type type;
	bool star_w, star_p;
	int w, p;
	unsigned long long v;
	const char *s;
	size_t size;
	bool null_buf;
};

static const char *const strings[] = {
	"", "a", "hello", "hello, world", "tab\there", "\xc3\xa9t\xc3\xa9", NULL,
	"a rather long string that is longer than the small buffers used here",
};

static const char *const literals[] = { "", "x", "ab ", "%%", "[", "long literal text: " };

static unsigned long long pick_value(void)
{
	static const unsigned long long edges[] = {
		0, 1, 2, 7, 8, 9, 10, 15, 16, 255, 256, 0x7f, 0x80, 0xffff, 0x8000,
		-1ULL, (unsigned long long)INT_MIN, INT_MAX, UINT_MAX,
		(unsigned long long)LLONG_MIN, LLONG_MAX, ULLONG_MAX,
		(unsigned long long)LONG_MIN, 1000000000ULL, 0xdeadbeefULL,
	};
	unsigned int k = unit_below(6);

	if (k == 0)
		return edges[unit_below(ARRAY_SIZE(edges))];
	if (k == 1)
		return 1ULL << unit_below(64);
	if (k == 2)
		return (1ULL << unit_below(64)) - 1;
	if (k == 3)
		return -(1ULL << unit_below(64));
	if (k == 4)
		return unit_below(1000);
	return unit_rand();
}

static void add_spec_number(char *f, int *n, int bound, bool *star, int *val)
{
	unsigned int k = unit_below(8);

	*star = false;
	if (k == 0) {
		*star = true;
		f[(*n)++] = '*';
		*val = (int)unit_below(2 * bound + 1) - bound;
	} else if (k <= 2) {
		*n += sprintf(f + *n, "%u", unit_below(3));
	} else if (k <= 5) {
		*n += sprintf(f + *n, "%u", unit_below(bound));
	} else if (k == 6) {
		*n += sprintf(f + *n, "%u", unit_below(300));
	}
	/* k == 7: no digits at all */
}

static const char *pick_length(char conv, enum arg_type *type)
{
	static const char *const mods[] = { "", "hh", "h", "l", "ll", "z", "j", "t" };
	static const enum arg_type types[] = {
		A_INT, A_INT, A_INT, A_LONG, A_LLONG, A_SIZE, A_INTMAX, A_PTRDIFF,
	};
	unsigned int i = unit_below(ARRAY_SIZE(mods));

	if (conv == 'c') {
		*type = A_INT;
		return "";
	}
	if (conv == 's' || conv == 'p') {
		*type = conv == 's' ? A_STR : A_PTR;
		return "";
	}
	if (conv == '%') {
		*type = A_NONE;
		return "";
	}
	*type = types[i];
	return mods[i];
}

static void gen_case(struct fmt_case *c)
{
	static const char convs[] = "diuxXoxdcspuXo%";
	static const size_t sizes[] = { 0, 1, 2, 3, 5, 8, 16, 33, 100, BUF_LEN };
	char conv = convs[unit_below(sizeof(convs) - 1)];
	char *f = c->fmt;
	int n;

	memset(c, 0, sizeof(*c));
	n = sprintf(f, "%s%%", literals[unit_below(ARRAY_SIZE(literals))]);
	if (conv != '%') {
		if (unit_below(4) == 0)
			f[n++] = "-0#+ "[unit_below(5)];
		for (int i = 0; i < 5; i++)
			if (unit_below(5) == 0)
				f[n++] = "-0#+ "[i];
	}
	if (conv != '%') {
		add_spec_number(f, &n, 24, &c->star_w, &c->w);
		if (unit_below(3)) {
			f[n++] = '.';
			add_spec_number(f, &n, 24, &c->star_p, &c->p);
		}
	}
	n += sprintf(f + n, "%s%c%s", pick_length(conv, &c->type), conv,
		     literals[unit_below(ARRAY_SIZE(literals))]);
	c->v = pick_value();
	c->s = strings[unit_below(ARRAY_SIZE(strings))];
	if (conv == 'p' && unit_below(4) == 0)
		c->v = 0;
	c->size = unit_below(3) ? sizes[unit_below(ARRAY_SIZE(sizes))] : unit_below(BUF_LEN);
	c->null_buf = c->size == 0 && unit_below(2);
}

/* Call both implementations with the same star arguments and value. */
#define BOTH(c, hb, vb, rh, rv, ...)						\
	do {									\
		char *h_ = (c)->null_buf ? NULL : (hb);				\
		char *v_ = (c)->null_buf ? NULL : (vb);				\
		if ((c)->star_w && (c)->star_p) {				\
			rh = snprintf(h_, (c)->size, (c)->fmt, (c)->w, (c)->p, __VA_ARGS__); \
			rv = hv_snprintf(v_, (c)->size, (c)->fmt, (c)->w, (c)->p, __VA_ARGS__); \
		} else if ((c)->star_w) {					\
			rh = snprintf(h_, (c)->size, (c)->fmt, (c)->w, __VA_ARGS__); \
			rv = hv_snprintf(v_, (c)->size, (c)->fmt, (c)->w, __VA_ARGS__); \
		} else if ((c)->star_p) {					\
			rh = snprintf(h_, (c)->size, (c)->fmt, (c)->p, __VA_ARGS__); \
			rv = hv_snprintf(v_, (c)->size, (c)->fmt, (c)->p, __VA_ARGS__); \
		} else {							\
			rh = snprintf(h_, (c)->size, (c)->fmt, __VA_ARGS__);	\
			rv = hv_snprintf(v_, (c)->size, (c)->fmt, __VA_ARGS__);	\
		}								\
	} while (0)

static void run_case(const struct fmt_case *c)
{
	char hb[BUF_LEN], vb[BUF_LEN];
	int rh = 0, rv = 0;

	memset(hb, 0x5a, sizeof(hb));
	memset(vb, 0x5a, sizeof(vb));
	switch (c->type) {
	case A_INT:
		BOTH(c, hb, vb, rh, rv, (int)c->v);
		break;
	case A_LONG:
		BOTH(c, hb, vb, rh, rv, (long)c->v);
		break;
	case A_LLONG:
		BOTH(c, hb, vb, rh, rv, (long long)c->v);
		break;
	case A_SIZE:
		BOTH(c, hb, vb, rh, rv, (size_t)c->v);
		break;
	case A_INTMAX:
		BOTH(c, hb, vb, rh, rv, (intmax_t)c->v);
		break;
	case A_PTRDIFF:
		BOTH(c, hb, vb, rh, rv, (ptrdiff_t)c->v);
		break;
	case A_STR:
		BOTH(c, hb, vb, rh, rv, c->s);
		break;
	case A_PTR:
		BOTH(c, hb, vb, rh, rv, (void *)(uintptr_t)c->v);
		break;
	case A_NONE:
		BOTH(c, hb, vb, rh, rv, 0);
		break;
	}
	CHECK(rh == rv && !memcmp(hb, vb, sizeof(hb)),
	      "fmt \"%s\" size %zu%s w %d p %d value 0x%llx str %s%s%s:\n"
	      "\thost %d \"%.*s\"\n\thv   %d \"%.*s\"",
	      c->fmt, c->size, c->null_buf ? " (NULL buf)" : "", c->w, c->p, c->v,
	      c->s ? "\"" : "", c->s ? c->s : "NULL", c->s ? "\"" : "",
	      rh, (int)MIN(c->size, (size_t)rh + 1), hb,
	      rv, (int)MIN(c->size, (size_t)rv + 1), vb);
}

/* Literal formats: the compiler checks these, and they mix several conversions. */
static void fixed_cases(void)
{
	/* volatile: a visible NULL would make gcc warn about the %s. */
	const char *volatile nul = NULL;
	char hb[BUF_LEN], vb[BUF_LEN];
	int rh, rv;

#define FIXED(...)								\
	do {									\
		memset(hb, 0x5a, sizeof(hb));					\
		memset(vb, 0x5a, sizeof(vb));					\
		rh = snprintf(hb, sizeof(hb), __VA_ARGS__);			\
		rv = hv_snprintf(vb, sizeof(vb), __VA_ARGS__);			\
		CHECK(rh == rv && !memcmp(hb, vb, sizeof(hb)),			\
		      "fixed %s: host %d \"%s\" hv %d \"%s\"", #__VA_ARGS__, rh, hb, rv, vb); \
	} while (0)

	FIXED("plain text");
	FIXED("%d %i %u %x %X %o %c %s %p %%", -5, 6, 7u, 255u, 255u, 8u, 'q', "s", (void *)hb);
	FIXED("%-8s|%8s|%.2s|%-*.*s|", "ab", "cd", "efgh", 6, 1, "xyz");
	FIXED("%#x %#X %#o %#.0o %#.0x %.0d %.0u", 0u, 26u, 0u, 0u, 0u, 0, 0u);
	FIXED("%05d %-5d %+05d % 05d %.3d", -42, -42, 42, 42, 42);
	FIXED("%hhd %hhu %hd %hu %ld %lu %lld %llu", 300, 300u, 70000, 70000u, LONG_MIN,
	      ULONG_MAX, LLONG_MIN, ULLONG_MAX);
	FIXED("%zd %zu %jd %ju %td", (ssize_t)-1, (size_t)-1, INTMAX_MIN, UINTMAX_MAX,
	      (ptrdiff_t)-9);
	FIXED("%p %20p %-20p|", NULL, NULL, (void *)0x1234);
	FIXED("%s %.3s %.6s %10s|", nul, nul, nul, nul);
	FIXED("%*d|%-*d|%.*d|%.*d", -6, 1, 4, 2, -3, 3, 5, -4);
	FIXED("%c%c%c", 'a', 0, 'b');
	FIXED("%%%5s%%", "x");
#undef FIXED
}

/* Nothing may be written when size is 0, and a size of 1 leaves just the NUL. */
static void size_cases(void)
{
	char b[8] = "xxxxxxx";

	CHECK(hv_snprintf(NULL, 0, "%d", 12345) == 5, "NULL buffer return value");
	CHECK(hv_snprintf(b, 0, "%s", "abc") == 3 && b[0] == 'x', "size 0 writes nothing");
	CHECK(hv_snprintf(b, 1, "%s", "abc") == 3 && b[0] == '\0' && b[1] == 'x',
	      "size 1 writes only the NUL");
	CHECK(hv_snprintf(b, 4, "%s", "abcdef") == 6 && !strcmp(b, "abc") && b[4] == 'x',
	      "truncation keeps size - 1 characters");
}

int main(void)
{
	struct fmt_case c;

	unit_seed(20240601);
	fixed_cases();
	size_cases();
	for (int i = 0; i < NR_RANDOM; i++) {
		gen_case(&c);
		run_case(&c);
	}
	return unit_summary("unit-printf");
}
