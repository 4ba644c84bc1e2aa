// SPDX-License-Identifier: MIT
/*
 * DBCN (SBI v2.0 chapter 12): write and write_byte to the debug console,
 * read with nothing typed; SUSP (13): reserved sleep types and DENIED
 * while other harts run; SRST (10): reserved reset types and reasons
 * (INVALID_PARAM), and shutdown, cold and warm reboot, which end the VM
 * (their stanzas: "expect = vm_end"); the legacy shutdown (5.9) likewise.
 */
#include "cpu.h"
#include "report.h"
#include "smp.h"
#include "subtest.h"
#include "sbi-test.h"

const char *need_dbcn(void)
{
	return need_ext(SBI_EXT_DBCN, "no SBI DBCN extension (debug console)");
}

const char *need_susp(void)
{
	return need_ext(SBI_EXT_SUSP, "no SBI SUSP extension (system suspend)");
}

const char *need_srst(void)
{
	return need_ext(SBI_EXT_SRST, "no SBI SRST extension (system reset)");
}

/* A line the runner shows as INFO: write gives all but its newline, write_byte that. */
static const char dbcn_line[] = "INFO: dbcn: this line came through DBCN write";

void dbcn(void)
{
	struct sbiret w, b, bad;

	w = sbi_ecall(SBI_EXT_DBCN, SBI_DBCN_WRITE, sizeof(dbcn_line) - 1, (uintptr_t)dbcn_line,
		      0, 0, 0, 0);
	b = sbi_ecall(SBI_EXT_DBCN, SBI_DBCN_WRITE_BYTE, '\n', 0, 0, 0, 0, 0);
	sbi_report_err(SBI_SUCCESS, w.error, "DBCN write of a line from RAM succeeds");
	report_in_range(0, sizeof(dbcn_line) - 1, w.value,
			"DBCN write reports at most the bytes it was given as written");
	sbi_report_err(SBI_SUCCESS, b.error, "DBCN write_byte succeeds");
	bad = sbi_ecall(SBI_EXT_DBCN, SBI_DBCN_WRITE, 1, -4096UL, -1UL, 0, 0, 0);
	sbi_report_err(SBI_ERR_INVALID_PARAM, bad.error,
		       "DBCN write from a physical address beyond any RAM is INVALID_PARAM");
}

#define SUSP_TO_RAM		0
#define SUSP_RESERVED		1

void susp(void)
{
	struct sbiret r = sbi_ecall(SBI_EXT_SUSP, 0, SUSP_RESERVED, 0, 0, 0, 0, 0);

	sbi_report_err(SBI_ERR_INVALID_PARAM, r.error,
		       "system_suspend of reserved sleep type 1 is INVALID_PARAM");
	if (cpu_count() < 2) {
		report_skip("one hart: suspend to RAM would suspend the VM, not be DENIED");
		return;
	}
	r = sbi_ecall(SBI_EXT_SUSP, 0, SUSP_TO_RAM, 0, 0, 0, 0, 0);
	sbi_report_err(SBI_ERR_DENIED, r.error,
		       "system_suspend to RAM while other harts run is DENIED");
}

/*
 * Reserved reset types and reasons are refused; a wrong answer resets the
 * VM, which is why this subtest runs last.
 */
void srst_reserved(void)
{
	sbi_report_err(SBI_ERR_INVALID_PARAM, sbi_system_reset(3, SBI_SRST_NO_REASON).error,
		       "system_reset of reserved type 3 is INVALID_PARAM");
	sbi_report_err(SBI_ERR_INVALID_PARAM, sbi_system_reset(0xefffffff, 0).error,
		       "system_reset of reserved type 0xefffffff is INVALID_PARAM");
	sbi_report_err(SBI_ERR_INVALID_PARAM, sbi_system_reset(SBI_SRST_SHUTDOWN, 2).error,
		       "system_reset (shutdown) with reserved reason 2 is INVALID_PARAM");
	sbi_report_err(SBI_ERR_INVALID_PARAM,
		       sbi_system_reset(SBI_SRST_SHUTDOWN, 0xdfffffff).error,
		       "system_reset (shutdown) with reserved reason 0xdfffffff is "
		       "INVALID_PARAM");
}

static const char *need_named(const char *name, unsigned long eid)
{
	if (!sbi_probe(eid))
		return eid == SBI_EXT_SRST ? "no SBI SRST extension" :
					     "no legacy SBI shutdown extension";
	return subtest_named(name) ? NULL : "ends the VM: runs only when test_args names it";
}

const char *need_srst_shutdown(void)
{
	return need_named("srst_shutdown", SBI_EXT_SRST);
}

const char *need_srst_cold_reboot(void)
{
	return need_named("srst_cold_reboot", SBI_EXT_SRST);
}

const char *need_srst_warm_reboot(void)
{
	return need_named("srst_warm_reboot", SBI_EXT_SRST);
}

const char *need_legacy_shutdown(void)
{
	return need_named("legacy_shutdown", SBI_EXT_LEGACY_SHUTDOWN);
}

/* A return is the failure; the image then ends with EXIT: STATUS=1 as usual. */
static void vm_end(const char *what, unsigned long type, unsigned long reason)
{
	struct sbiret r;

	report_vm_end_expected(what);
	r = sbi_system_reset(type, reason);
	report_fail("%s does not return (it returned %ld)", what, r.error);
}

void srst_shutdown(void)
{
	vm_end("SRST shutdown", SBI_SRST_SHUTDOWN, SBI_SRST_NO_REASON);
}

void srst_cold_reboot(void)
{
	vm_end("SRST cold reboot", SBI_SRST_COLD_REBOOT, SBI_SRST_NO_REASON);
}

/* System failure, the one reason besides none (table 10). */
void srst_warm_reboot(void)
{
	vm_end("SRST warm reboot", SBI_SRST_WARM_REBOOT, SBI_SRST_SYSTEM_FAILURE);
}

void legacy_shutdown(void)
{
	long r;

	report_vm_end_expected("legacy SBI shutdown");
	r = sbi_legacy_ecall(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0);
	report_fail("the legacy shutdown does not return (it returned %ld)", r);
}
