// SPDX-License-Identifier: MIT
/*
 * The result protocol: one line per check, a SUMMARY line and the EXIT line,
 * identical on every arch (docs/result-protocol.md), and the known failures
 * the runner hands over from known-failures.txt.
 *
 * Known failures come from the environment, one entry <n> per selected line
 * of known-failures.txt, in file order:
 *   KNOWN_FAIL_<n>=<glob>    over "prefix: message" of a check (no detail)
 *   KNOWN_CRASH_<n>=<glob>   over subtest names (subtests not to run)
 *   KNOWN_AT_<n>=<where>     "known-failures.txt:<line>", the tag of the lines
 *                            the entry causes (optional)
 *   KNOWN_GOT_<n>=<glob>     a pin: over the "got" value of a typed check's
 *                            detail (optional, KNOWN_FAIL_ only)
 * A check is decided by the first entry (lowest <n>) whose glob matches it.
 *
 * Cost: rather than running every glob on every line, each glob's literal
 * head (up to its first wildcard) is compared with the report prefix once
 * per prefix change, which leaves a mask of the entries that can match at
 * all under this prefix; a line runs glob_match() only for those whose
 * literal head agrees with its message and whose literal tail (after the
 * last wildcard) ends it. Typed checks format their expected and actual
 * values only when they fail, the only time they are printed.
 */
#include "arch.h"
#include "report.h"
#include "subtest.h"
#include "spinlock.h"

#define PREFIX_LEN	256
#define PREFIX_DEPTH	16
#define MSG_LEN		512
#define LINE_LEN	768
#define MAX_KNOWN	64

struct known {
	unsigned long n;	/* <n> of KNOWN_FAIL_<n> / KNOWN_CRASH_<n> */
	const char *glob;
	const char *got;	/* KNOWN_GOT_<n> or NULL */
	const char *at;		/* KNOWN_AT_<n> or NULL */
	unsigned int lit;	/* length of the glob's literal head */
	unsigned int tail;	/* length of its literal tail (after the last wildcard) */
	unsigned int len;	/* strlen(glob) */
	bool crash;
};

static struct spinlock report_lock;
static char prefix[PREFIX_LEN];
static unsigned int prefix_ends[PREFIX_DEPTH];
static unsigned int prefix_len;	/* strlen(prefix) */
static int depth;
static unsigned int tests, failures, xfailures, kfailures, skipped;
static struct known known[MAX_KNOWN];
static int nr_known;
/* Bit i: known[i] is a KNOWN_FAIL_ entry whose literal head agrees with the prefix. */
static uint64_t known_here;

/* KNOWN_<kind>_<n>=...: @n and the value, or NULL when @e is not of that kind. */
static const char *known_var(const char *e, const char *kind, unsigned long *n)
{
	size_t len = strlen(kind);
	const char *p = e + len;
	char *end;

	if (strncmp(e, kind, len))
		return NULL;
	*n = strtoul(p, &end, 10);
	if (end == p || *end != '=' || (p[0] == '0' && end - p > 1))
		report_abort("environment: malformed known-failure variable '%s'", e);
	return end + 1;
}

static struct known *known_find(unsigned long n)
{
	for (int i = 0; i < nr_known; i++)
		if (known[i].n == n)
			return &known[i];
	return NULL;
}

/* Length of @glob's head up to its first '*', '?', '[' or '\'. */
static unsigned int literal_head(const char *glob)
{
	return strcspn(glob, "*?[\\");
}

/* Length of @glob's tail after its last '*', '?', '[', ']' or '\' (all of it if none). */
static unsigned int literal_tail(const char *glob)
{
	size_t n = strlen(glob), t = 0;

	while (t < n && !strchr("*?[]\\", glob[n - 1 - t]))
		t++;
	return t;
}

static void known_add(unsigned long n, const char *glob, bool crash)
{
	struct known *k;
	int i;

	if (known_find(n))
		report_abort("environment: known-failure entry %lu given twice", n);
	if (nr_known == MAX_KNOWN)
		report_abort("environment: more than %d known-failure entries", MAX_KNOWN);
	if (!*glob)
		report_abort("environment: known-failure entry %lu has an empty glob", n);
	/* Keep the table in <n> order: the first matching entry decides. */
	for (i = nr_known; i > 0 && known[i - 1].n > n; i--)
		known[i] = known[i - 1];
	k = &known[i];
	*k = (struct known){ .n = n, .glob = glob, .crash = crash, .lit = literal_head(glob),
			     .tail = literal_tail(glob), .len = strlen(glob) };
	nr_known++;
}

/* KNOWN_AT_<n> and KNOWN_GOT_<n> belong to an entry given in the same environment. */
static void known_attach(const char *e)
{
	const char *at, *got;
	struct known *k;
	unsigned long n;

	at = known_var(e, "KNOWN_AT_", &n);
	got = at ? NULL : known_var(e, "KNOWN_GOT_", &n);
	if (!at && !got)
		return;
	k = known_find(n);
	if (!k)
		report_abort("environment: '%s' names no KNOWN_FAIL_%lu or KNOWN_CRASH_%lu", e, n,
			     n);
	if (got && k->crash)
		report_abort("environment: '%s': a crash entry cannot pin a value", e);
	if (at)
		k->at = at;
	else
		k->got = got;
}

/* Which KNOWN_FAIL_ entries can match a check under the current prefix. */
static void known_prefix_changed(void)
{
	unsigned int plen = prefix_len;

	known_here = 0;
	for (int i = 0; i < nr_known; i++) {
		const struct known *k = &known[i];
		unsigned int m = MIN(k->lit, plen);

		if (k->crash || strncmp(k->glob, prefix, m))
			continue;
		/* A non-empty prefix is followed by ": " in every line. */
		if (plen && k->lit > plen && strncmp(k->glob + plen, ": ", MIN(k->lit - plen, 2)))
			continue;
		known_here |= 1ULL << i;
	}
}

/* Once at startup, before any check: no lock (an abort here reaches report_summary()). */
void report_init_known_failures(void)
{
	unsigned long n;

	nr_known = 0;
	for (char **e = environ; e && *e; e++) {
		const char *fail = known_var(*e, "KNOWN_FAIL_", &n);
		const char *crash = fail ? NULL : known_var(*e, "KNOWN_CRASH_", &n);

		if (fail || crash)
			known_add(n, fail ? fail : crash, !fail);
	}
	for (char **e = environ; e && *e; e++)
		known_attach(*e);
	known_prefix_changed();
}

/* The entry deciding the check @full ("prefix: message", @len bytes), or NULL. */
static const struct known *known_match(const char *full, size_t len)
{
	unsigned int plen = prefix_len ? prefix_len + 2 : 0;

	for (uint64_t m = known_here; m; m &= m - 1) {
		const struct known *k = &known[__builtin_ctzll(m)];

		if (k->lit > plen && strncmp(k->glob + plen, full + plen, k->lit - plen))
			continue;
		if (k->tail > len ||
		    memcmp(k->glob + k->len - k->tail, full + len - k->tail, k->tail))
			continue;
		if (glob_match(k->glob, full))
			return k;
	}
	return NULL;
}

void report_prefix_push(const char *p)
{
	report_prefix_pushf("%s", p);
}

void report_prefix_pushf(const char *fmt, ...)
{
	unsigned int len;
	va_list ap;

	spin_lock(&report_lock);
	if (depth == PREFIX_DEPTH) {
		spin_unlock(&report_lock);
		report_abort("report prefix stack overflow");
	}
	len = depth ? prefix_ends[depth - 1] : 0;
	if (depth)
		len += snprintf(prefix + len, sizeof(prefix) - len, ": ");
	va_start(ap, fmt);
	if (len < sizeof(prefix))
		len += vsnprintf(prefix + len, sizeof(prefix) - len, fmt, ap);
	va_end(ap);
	prefix_ends[depth++] = MIN(len, sizeof(prefix) - 1);
	prefix_len = prefix_ends[depth - 1];
	known_prefix_changed();
	spin_unlock(&report_lock);
}

void report_prefix_pop(void)
{
	spin_lock(&report_lock);
	if (depth == 0) {
		spin_unlock(&report_lock);
		report_abort("report_prefix_pop() with an empty prefix stack");
	}
	depth--;
	prefix_len = depth ? prefix_ends[depth - 1] : 0;
	prefix[prefix_len] = 0;
	known_prefix_changed();
	spin_unlock(&report_lock);
}

int report_prefix_depth(void)
{
	return depth;
}

enum kind { K_PASS, K_FAIL, K_SKIP, K_INFO, K_XFAIL, K_XPASS, K_KFAIL };

static const char *const kind_str[] = {
	[K_PASS] = "PASS", [K_FAIL] = "FAIL", [K_SKIP] = "SKIP", [K_INFO] = "INFO",
	[K_XFAIL] = "XFAIL", [K_XPASS] = "XPASS", [K_KFAIL] = "KFAIL",
};

/* A line being built; @n is strlen(@buf). */
struct line {
	char buf[LINE_LEN];
	size_t n;
};

/* Append to @l, truncating like snprintf to @max bytes (at most LINE_LEN). */
static void line_vadd(struct line *l, size_t max, const char *fmt, va_list ap)
{
	size_t n;

	if (l->n + 1 >= max)
		return;
	n = l->n + vsnprintf(l->buf + l->n, max - l->n, fmt, ap);
	l->n = MIN(n, max - 1);
}

static void __printf(2, 3) line_add(struct line *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line_vadd(l, LINE_LEN, fmt, ap);
	va_end(ap);
}

/* Format "prefix: message" into @l, at most MSG_LEN bytes: what known failures match. */
static void format_check(struct line *l, const char *fmt, va_list ap)
{
	l->n = 0;
	l->buf[0] = 0;
	if (prefix_len) {
		memcpy(l->buf, prefix, prefix_len);
		memcpy(l->buf + prefix_len, ": ", 3);
		l->n = prefix_len + 2;
	}
	line_vadd(l, MSG_LEN, fmt, ap);
}

static void emit(enum kind k, const char *line)
{
	switch (k) {
	case K_INFO:
		break;
	case K_SKIP:
		tests++;
		skipped++;
		break;
	case K_XFAIL:
		tests++;
		xfailures++;
		break;
	case K_KFAIL:
		tests++;
		kfailures++;
		break;
	case K_FAIL:
	case K_XPASS:
		tests++;
		failures++;
		break;
	case K_PASS:
		tests++;
		break;
	}
	printf("%s: %s\n", kind_str[k], line);
}

/*
 * A failed check matching @k, an entry that pins the actual value: XFAIL
 * when @actual matches the pin, else a FAIL saying what the entry expected.
 */
static enum kind pinned(const struct known *k, const char *expected, const char *actual,
			struct line *l)
{
	const char *at = k->at ? k->at : "the known failure";

	if (!actual) {
		line_add(l, " (%s expects got %s; the check reports no value)", at, k->got);
		return K_FAIL;
	}
	if (!glob_match(k->got, actual)) {
		line_add(l, " (expected %s, got %s; %s expects got %s)", expected, actual, at,
			 k->got);
		return K_FAIL;
	}
	line_add(l, " (expected %s, got %s)", expected, actual);
	return K_XFAIL;
}

/*
 * One check. Known failures match "prefix: message" only; a failed typed
 * check's detail " (expected @expected, got @actual)" follows it on the
 * line (@actual NULL: no detail), then the tag of the entry that decided it.
 */
static bool vreport_detail(bool pass, bool xfail, bool kfail, const char *expected,
			   const char *actual, const char *fmt, va_list ap)
{
	const struct known *k = NULL;
	struct line line;
	enum kind kind;

	spin_lock(&report_lock);
	format_check(&line, fmt, ap);
	if (!xfail && !kfail && known_here)
		k = known_match(line.buf, line.n);
	if (k && !pass && k->got) {
		kind = pinned(k, expected, actual, &line);
	} else {
		if (!pass && actual)
			line_add(&line, " (expected %s, got %s)", expected, actual);
		if (xfail || k)
			kind = pass ? K_XPASS : K_XFAIL;
		else if (kfail)
			kind = pass ? K_PASS : K_KFAIL;
		else
			kind = pass ? K_PASS : K_FAIL;
	}
	if (k && k->at && kind != K_FAIL)
		line_add(&line, " [%s]", k->at);
	emit(kind, line.buf);
	spin_unlock(&report_lock);
	return pass;
}

static bool vreport(bool pass, bool xfail, bool kfail, const char *fmt, va_list ap)
{
	return vreport_detail(pass, xfail, kfail, NULL, NULL, fmt, ap);
}

static void vreport_kind(enum kind k, const char *fmt, va_list ap)
{
	struct line line;

	spin_lock(&report_lock);
	format_check(&line, fmt, ap);
	emit(k, line.buf);
	spin_unlock(&report_lock);
}

bool report(bool pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(pass, false, false, fmt, ap);
	va_end(ap);
	return pass;
}

void report_pass(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(true, false, false, fmt, ap);
	va_end(ap);
}

void report_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(false, false, false, fmt, ap);
	va_end(ap);
}

void report_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport_kind(K_SKIP, fmt, ap);
	va_end(ap);
}

void report_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport_kind(K_INFO, fmt, ap);
	va_end(ap);
}

bool report_xfail(bool xfail, bool pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(pass, xfail, false, fmt, ap);
	va_end(ap);
	return pass;
}

bool report_kfail(bool kfail, bool pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(pass, false, kfail, fmt, ap);
	va_end(ap);
	return pass;
}

bool report_known_crash(const char *subtest)
{
	const struct known *k = NULL;

	for (int i = 0; i < nr_known && !k; i++)
		if (known[i].crash && glob_match(known[i].glob, subtest))
			k = &known[i];
	if (!k)
		return false;
	if (k->at)
		report_xfail(true, false, "%s: not run, known to crash this VMM [%s]", subtest,
			     k->at);
	else
		report_xfail(true, false, "%s: not run, known to crash this VMM", subtest);
	return true;
}

bool vreport_decoded(bool pass, const char *expected, const char *actual, const char *fmt,
		     va_list ap)
{
	return vreport_detail(pass, false, false, expected, actual, fmt, ap);
}

bool report_decoded(bool pass, const char *expected, const char *actual, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport_decoded(pass, expected, actual, fmt, ap);
	va_end(ap);
	return pass;
}

bool report_eq_u64(uint64_t expected, uint64_t actual, bool hex, const char *fmt, ...)
{
	const char *num = hex ? "%#llx" : "%llu";
	bool pass = expected == actual;
	char e[24] = "", a[24] = "";
	va_list ap;

	if (!pass) {
		snprintf(e, sizeof(e), num, (unsigned long long)expected);
		snprintf(a, sizeof(a), num, (unsigned long long)actual);
	}
	va_start(ap, fmt);
	vreport_decoded(pass, e, a, fmt, ap);
	va_end(ap);
	return pass;
}

bool report_range_u64(uint64_t lo, uint64_t hi, uint64_t actual, bool hex, const char *fmt, ...)
{
	bool pass = actual >= lo && actual <= hi;
	char e[52] = "", a[24] = "";
	va_list ap;

	if (!pass) {
		snprintf(e, sizeof(e), hex ? "%#llx..%#llx" : "%llu..%llu",
			 (unsigned long long)lo, (unsigned long long)hi);
		snprintf(a, sizeof(a), hex ? "%#llx" : "%llu", (unsigned long long)actual);
	}
	va_start(ap, fmt);
	vreport_decoded(pass, e, a, fmt, ap);
	va_end(ap);
	return pass;
}

bool report_exc(exinfo_t expected, exinfo_t actual, const char *fmt, ...)
{
	bool pass = expected == actual;
	char e[48] = "", a[48] = "";
	va_list ap;

	if (!pass) {
		arch_exinfo_str(expected, e, sizeof(e));
		arch_exinfo_str(actual, a, sizeof(a));
	}
	va_start(ap, fmt);
	vreport_decoded(pass, e, a, fmt, ap);
	va_end(ap);
	return pass;
}

void report_abort(const char *fmt, ...)
{
	struct line line;
	va_list ap;

	va_start(ap, fmt);
	format_check(&line, fmt, ap);
	va_end(ap);
	printf("ABORT: %s\n", line.buf);
	arch_abort_trap();
}

void assert_fail(const char *expr, const char *file, int line)
{
	printf("ABORT: assertion '%s' failed at %s:%d\n", expr, file, line);
	arch_abort_trap();
}

void report_vm_end_expected(const char *what)
{
	printf("INFO: vm-end expected: %s\n", what);
}

int report_status(void)
{
	if (failures)
		return 1;
	if (tests && tests == skipped)
		return 77;
	return 0;
}

int report_summary(void)
{
	char buf[160];
	int n;

	spin_lock(&report_lock);
	n = snprintf(buf, sizeof(buf), "SUMMARY: %u tests", tests);
	if (failures)
		n += snprintf(buf + n, sizeof(buf) - n, ", %u unexpected failures", failures);
	if (xfailures)
		n += snprintf(buf + n, sizeof(buf) - n, ", %u expected failures", xfailures);
	if (kfailures)
		n += snprintf(buf + n, sizeof(buf) - n, ", %u known failures", kfailures);
	if (skipped)
		snprintf(buf + n, sizeof(buf) - n, ", %u skipped", skipped);
	spin_unlock(&report_lock);
	printf("%s\n", buf);
	return report_status();
}

void exit(int code)
{
	static int exiting;
	int status;

	/* One CPU reports; any other that gets here parks for good. */
	if (__atomic_exchange_n(&exiting, 1, __ATOMIC_SEQ_CST))
		for (;;)
			arch_cpu_wait();
	status = report_summary();
	if (code)
		status = code;
	printf("EXIT: STATUS=%d\n", status);
	arch_exit(status);
}
