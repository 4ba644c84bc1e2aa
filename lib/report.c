// SPDX-License-Identifier: MIT
/*
 * The result protocol (docs/result-protocol.md): one line per check, a SUMMARY line and
 * the EXIT line, identical on every arch. Known failures come from the
 * environment (KNOWN_FAIL_<n>=<glob over "prefix: message">), written by the
 * runner from known-failures.txt for the VMM in use.
 */
#include "arch.h"
#include "report.h"
#include "subtest.h"
#include "spinlock.h"

#define PREFIX_LEN	256
#define PREFIX_DEPTH	16
#define MSG_LEN		512
#define MAX_KNOWN	64

static struct spinlock report_lock;
static char prefix[PREFIX_LEN];
static unsigned int prefix_ends[PREFIX_DEPTH];
static int depth;
static unsigned int tests, failures, xfailures, kfailures, skipped;
static const char *known[MAX_KNOWN];
static int nr_known;

void report_init_known_failures(void)
{
	for (char **e = environ; e && *e; e++) {
		const char *eq = strchr(*e, '=');

		if (strncmp(*e, "KNOWN_FAIL_", 11) || !eq)
			continue;
		if (nr_known == MAX_KNOWN)
			report_abort("more than %d KNOWN_FAIL_ entries", MAX_KNOWN);
		known[nr_known++] = eq + 1;
	}
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
	prefix[depth ? prefix_ends[depth - 1] : 0] = 0;
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

static bool is_known_failure(const char *full)
{
	for (int i = 0; i < nr_known; i++)
		if (glob_match(known[i], full))
			return true;
	return false;
}

/* Format "prefix: message" into @buf. */
static void format_check(char *buf, size_t len, const char *fmt, va_list ap)
{
	size_t n = 0;

	if (prefix[0])
		n = snprintf(buf, len, "%s: ", prefix);
	if (n < len)
		vsnprintf(buf + n, len - n, fmt, ap);
}

static void emit(enum kind k, const char *full)
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
	printf("%s: %s\n", kind_str[k], full);
}

/*
 * Known failures match "prefix: message" only; @detail (" (expected X,
 * got Y)" on a failure) is printed after it but never matched.
 */
static bool vreport_detail(bool pass, bool xfail, bool kfail, const char *detail,
			   const char *fmt, va_list ap)
{
	char full[MSG_LEN];
	enum kind k;
	size_t n;

	spin_lock(&report_lock);
	format_check(full, sizeof(full), fmt, ap);
	if (!xfail && !kfail && nr_known && is_known_failure(full))
		xfail = true;
	n = strlen(full);
	if (detail && n < sizeof(full))
		snprintf(full + n, sizeof(full) - n, "%s", detail);
	if (xfail)
		k = pass ? K_XPASS : K_XFAIL;
	else if (kfail)
		k = pass ? K_PASS : K_KFAIL;
	else
		k = pass ? K_PASS : K_FAIL;
	emit(k, full);
	spin_unlock(&report_lock);
	return pass;
}

static bool vreport(bool pass, bool xfail, bool kfail, const char *fmt, va_list ap)
{
	return vreport_detail(pass, xfail, kfail, NULL, fmt, ap);
}

static void vreport_kind(enum kind k, const char *fmt, va_list ap)
{
	char full[MSG_LEN];

	spin_lock(&report_lock);
	format_check(full, sizeof(full), fmt, ap);
	emit(k, full);
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

bool vreport_decoded(bool pass, const char *expected, const char *actual, const char *fmt,
		     va_list ap)
{
	char detail[MSG_LEN / 2];

	snprintf(detail, sizeof(detail), " (expected %s, got %s)", expected, actual);
	return vreport_detail(pass, false, false, pass ? NULL : detail, fmt, ap);
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
	char e[24], a[24];
	va_list ap;

	snprintf(e, sizeof(e), num, (unsigned long long)expected);
	snprintf(a, sizeof(a), num, (unsigned long long)actual);
	va_start(ap, fmt);
	vreport_decoded(expected == actual, e, a, fmt, ap);
	va_end(ap);
	return expected == actual;
}

bool report_exc(exinfo_t expected, exinfo_t actual, const char *fmt, ...)
{
	char e[48], a[48];
	va_list ap;

	va_start(ap, fmt);
	vreport_decoded(expected == actual, arch_exinfo_str(expected, e, sizeof(e)),
			arch_exinfo_str(actual, a, sizeof(a)), fmt, ap);
	va_end(ap);
	return expected == actual;
}

void report_abort(const char *fmt, ...)
{
	char full[MSG_LEN];
	va_list ap;

	va_start(ap, fmt);
	format_check(full, sizeof(full), fmt, ap);
	va_end(ap);
	printf("ABORT: %s\n", full);
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
