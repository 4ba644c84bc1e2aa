// SPDX-License-Identifier: MIT
/*
 * SBI calls (SBI v2.0 chapter 3: ECALL, a7 = EID, a6 = FID, a0/a1 back)
 * and the probe, once at boot, of the extensions lib uses.
 */
#include "report.h"
#include "riscv64.h"
#include "sbi.h"

static bool has_time, has_ipi, has_hsm, has_srst, has_dbcn;

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long a0,
			unsigned long a1, unsigned long a2, unsigned long a3,
			unsigned long a4, unsigned long a5)
{
	register unsigned long r0 asm("a0") = a0;
	register unsigned long r1 asm("a1") = a1;
	register unsigned long r2 asm("a2") = a2;
	register unsigned long r3 asm("a3") = a3;
	register unsigned long r4 asm("a4") = a4;
	register unsigned long r5 asm("a5") = a5;
	register unsigned long r6 asm("a6") = fid;
	register unsigned long r7 asm("a7") = ext;

	asm volatile("ecall"
		     : "+r"(r0), "+r"(r1)
		     : "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r6), "r"(r7)
		     : "memory");
	return (struct sbiret){ .error = r0, .value = r1 };
}

long sbi_legacy_ecall(unsigned long ext, unsigned long a0, unsigned long a1, unsigned long a2)
{
	register unsigned long r0 asm("a0") = a0;
	register unsigned long r1 asm("a1") = a1;
	register unsigned long r2 asm("a2") = a2;
	register unsigned long r7 asm("a7") = ext;

	asm volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r7) : "memory");
	return r0;
}

long sbi_probe(unsigned long ext)
{
	struct sbiret r = sbi_ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, ext, 0, 0, 0, 0, 0);

	return r.error ? 0 : r.value;
}

unsigned long sbi_spec_version(void)
{
	return sbi_ecall(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0, 0, 0, 0).value;
}

const char *sbi_err_str(long err, char *buf, size_t len)
{
	static const char *const names[] = {
		"SBI_SUCCESS", "SBI_ERR_FAILED", "SBI_ERR_NOT_SUPPORTED", "SBI_ERR_INVALID_PARAM",
		"SBI_ERR_DENIED", "SBI_ERR_INVALID_ADDRESS", "SBI_ERR_ALREADY_AVAILABLE",
		"SBI_ERR_ALREADY_STARTED", "SBI_ERR_ALREADY_STOPPED", "SBI_ERR_NO_SHMEM",
		"SBI_ERR_INVALID_STATE", "SBI_ERR_BAD_RANGE", "SBI_ERR_TIMEOUT", "SBI_ERR_IO",
	};

	if (err <= 0 && -err < (long)ARRAY_SIZE(names))
		snprintf(buf, len, "%s (%ld)", names[-err], err);
	else
		snprintf(buf, len, "error %ld", err);
	return buf;
}

bool sbi_report_err(long expected, long got, const char *fmt, ...)
{
	char e[40], g[40];
	va_list ap;
	bool pass;

	va_start(ap, fmt);
	pass = vreport_decoded(expected == got, sbi_err_str(expected, e, sizeof(e)),
			       sbi_err_str(got, g, sizeof(g)), fmt, ap);
	va_end(ap);
	return pass;
}

void sbi_init(void)
{
	has_time = sbi_probe(SBI_EXT_TIME);
	has_ipi = sbi_probe(SBI_EXT_IPI);
	has_hsm = sbi_probe(SBI_EXT_HSM);
	has_srst = sbi_probe(SBI_EXT_SRST);
	has_dbcn = sbi_probe(SBI_EXT_DBCN);
}

bool sbi_has(unsigned long ext)
{
	switch (ext) {
	case SBI_EXT_TIME: return has_time;
	case SBI_EXT_IPI: return has_ipi;
	case SBI_EXT_HSM: return has_hsm;
	case SBI_EXT_SRST: return has_srst;
	case SBI_EXT_DBCN: return has_dbcn;
	default: return sbi_probe(ext);
	}
}

/* Without the extensions (SBI v0.1 firmware) the legacy calls of chapter 5 stand in. */
struct sbiret sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base)
{
	if (!has_ipi) {
		unsigned long mask = hart_mask_base < 64 ? hart_mask << hart_mask_base : 0;

		return (struct sbiret){ sbi_legacy_ecall(SBI_EXT_LEGACY_SEND_IPI,
							 (uintptr_t)&mask, 0, 0), 0 };
	}
	return sbi_ecall(SBI_EXT_IPI, 0, hart_mask, hart_mask_base, 0, 0, 0, 0);
}

struct sbiret sbi_set_timer(uint64_t stime_value)
{
	if (!has_time)
		return (struct sbiret){ sbi_legacy_ecall(SBI_EXT_LEGACY_SET_TIMER, stime_value, 0,
							 0), 0 };
	return sbi_ecall(SBI_EXT_TIME, 0, stime_value, 0, 0, 0, 0, 0);
}

struct sbiret sbi_hart_start(unsigned long hartid, unsigned long start_addr,
			     unsigned long opaque)
{
	return sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_START, hartid, start_addr, opaque, 0, 0, 0);
}

struct sbiret sbi_hart_stop(void)
{
	return sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0, 0, 0, 0);
}

struct sbiret sbi_hart_get_status(unsigned long hartid)
{
	return sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, hartid, 0, 0, 0, 0, 0);
}

struct sbiret sbi_hart_suspend(unsigned long type, unsigned long resume_addr,
			       unsigned long opaque)
{
	return sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, type, resume_addr, opaque, 0, 0, 0);
}

struct sbiret sbi_system_reset(unsigned long type, unsigned long reason)
{
	return sbi_ecall(SBI_EXT_SRST, SBI_SRST_RESET, type, reason, 0, 0, 0, 0);
}
