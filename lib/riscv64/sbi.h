/* SPDX-License-Identifier: MIT */
/*
 * SBI client (RISC-V Supervisor Binary Interface specification v2.0): the
 * calling convention of chapter 3 (ECALL with a7 = extension ID, a6 =
 * function ID, a0-a5 arguments; a0 = error, a1 = value; every other
 * register preserved), the error codes of table 1, the extension and
 * function IDs of chapters 4-15, and helpers for what lib itself uses.
 */
#ifndef RISCV64_SBI_H
#define RISCV64_SBI_H

#include "libc.h"

/* Standard error codes (3, table 1). */
#define SBI_SUCCESS			0
#define SBI_ERR_FAILED			(-1)
#define SBI_ERR_NOT_SUPPORTED		(-2)
#define SBI_ERR_INVALID_PARAM		(-3)
#define SBI_ERR_DENIED			(-4)
#define SBI_ERR_INVALID_ADDRESS		(-5)
#define SBI_ERR_ALREADY_AVAILABLE	(-6)
#define SBI_ERR_ALREADY_STARTED		(-7)
#define SBI_ERR_ALREADY_STOPPED		(-8)
#define SBI_ERR_NO_SHMEM		(-9)

/* Extension IDs. */
#define SBI_EXT_LEGACY_SET_TIMER	0x00
#define SBI_EXT_LEGACY_PUTCHAR		0x01
#define SBI_EXT_LEGACY_GETCHAR		0x02
#define SBI_EXT_LEGACY_CLEAR_IPI	0x03
#define SBI_EXT_LEGACY_SEND_IPI		0x04
#define SBI_EXT_LEGACY_FENCE_I		0x05
#define SBI_EXT_LEGACY_SFENCE_VMA	0x06
#define SBI_EXT_LEGACY_SFENCE_VMA_ASID	0x07
#define SBI_EXT_LEGACY_SHUTDOWN		0x08
#define SBI_EXT_BASE			0x10
#define SBI_EXT_TIME			0x54494d45	/* "TIME" */
#define SBI_EXT_IPI			0x735049	/* "sPI" */
#define SBI_EXT_RFENCE			0x52464e43	/* "RFNC" */
#define SBI_EXT_HSM			0x48534d	/* "HSM" */
#define SBI_EXT_SRST			0x53525354	/* "SRST" */
#define SBI_EXT_PMU			0x504d55	/* "PMU" */
#define SBI_EXT_DBCN			0x4442434e	/* "DBCN" */
#define SBI_EXT_SUSP			0x53555350	/* "SUSP" */
#define SBI_EXT_CPPC			0x43505043	/* "CPPC" */
#define SBI_EXT_NACL			0x4e41434c	/* "NACL" */
#define SBI_EXT_STA			0x535441	/* "STA" */

/* BASE (4). */
#define SBI_BASE_GET_SPEC_VERSION	0
#define SBI_BASE_GET_IMPL_ID		1
#define SBI_BASE_GET_IMPL_VERSION	2
#define SBI_BASE_PROBE_EXT		3
#define SBI_BASE_GET_MVENDORID		4
#define SBI_BASE_GET_MARCHID		5
#define SBI_BASE_GET_MIMPID		6

/* HSM (9): functions, hart states (table 6), suspend types (table 7). */
#define SBI_HSM_HART_START		0
#define SBI_HSM_HART_STOP		1
#define SBI_HSM_HART_GET_STATUS		2
#define SBI_HSM_HART_SUSPEND		3
#define SBI_HSM_STARTED			0
#define SBI_HSM_STOPPED			1
#define SBI_HSM_START_PENDING		2
#define SBI_HSM_STOP_PENDING		3
#define SBI_HSM_SUSPENDED		4
#define SBI_HSM_SUSPEND_PENDING		5
#define SBI_HSM_RESUME_PENDING		6
#define SBI_HSM_SUSPEND_RETENTIVE	0x00000000UL
#define SBI_HSM_SUSPEND_NON_RETENTIVE	0x80000000UL

/* SRST (10): reset types and reasons (tables 9, 10). */
#define SBI_SRST_RESET			0
#define SBI_SRST_SHUTDOWN		0
#define SBI_SRST_COLD_REBOOT		1
#define SBI_SRST_WARM_REBOOT		2
#define SBI_SRST_NO_REASON		0
#define SBI_SRST_SYSTEM_FAILURE		1

/* DBCN (12). */
#define SBI_DBCN_WRITE			0
#define SBI_DBCN_READ			1
#define SBI_DBCN_WRITE_BYTE		2

struct sbiret {
	long error;
	long value;
};

/**
 * sbi_ecall() - one SBI call
 * @ext: extension ID (a7)
 * @fid: function ID (a6)
 * @a0..@a5: arguments
 * Return: a0 as error, a1 as value.
 */
struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long a0,
			unsigned long a1, unsigned long a2, unsigned long a3,
			unsigned long a4, unsigned long a5);

/* A legacy call (5): a7 = @ext, result in a0 only. */
long sbi_legacy_ecall(unsigned long ext, unsigned long a0, unsigned long a1, unsigned long a2);

/* BASE probe_extension: 0 when @ext is absent (4.8). */
long sbi_probe(unsigned long ext);
/* The spec version: major in bits 30:24, minor in 23:0 (4.1). */
unsigned long sbi_spec_version(void);

#define SBI_SPEC_VERSION(major, minor)	((unsigned long)(major) << 24 | (minor))

/* "SBI_ERR_INVALID_PARAM (-3)", "SBI_SUCCESS (0)"; "error -42" for one the spec does not name. */
const char *sbi_err_str(long err, char *buf, size_t len);

/**
 * sbi_report_err() - a check on an SBI call's error: report_decoded() with
 * both sides named ("expected SBI_ERR_INVALID_PARAM (-3), got SBI_SUCCESS (0)")
 * Return: whether @got is @expected.
 */
bool sbi_report_err(long expected, long got, const char *fmt, ...) __printf(3, 4);

/* lib's own calls (the HSM state machine and the IPIs of lib/smp.c go through these). */
struct sbiret sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base);
struct sbiret sbi_set_timer(uint64_t stime_value);
struct sbiret sbi_hart_start(unsigned long hartid, unsigned long start_addr,
			     unsigned long opaque);
struct sbiret sbi_hart_stop(void);
struct sbiret sbi_hart_get_status(unsigned long hartid);
struct sbiret sbi_hart_suspend(unsigned long type, unsigned long resume_addr,
			       unsigned long opaque);
struct sbiret sbi_system_reset(unsigned long type, unsigned long reason);

#endif
