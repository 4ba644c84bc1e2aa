// SPDX-License-Identifier: MIT
/*
 * The SCLP interface: SERVICE CALL with read SCP info, read CPU info and the
 * event commands, against every kind of bad service-call control block
 * (SCCB): too short for its header or for the answer, crossing a page,
 * misaligned, in the low core or the prefix area, at or beyond 2 GiB, in no
 * memory; invalid command words and function codes. The answers: a program
 * exception from SERVC for what the SCCB's address or header length makes
 * unusable, a response code in the SCCB for the rest, and a service-signal
 * external interruption whose parameter is the SCCB address.
 *
 * Spec: the SCLP is no part of the PoP; the interface is the one QEMU
 * implements (hw/s390x/sclp.c, event-facility.c, include/hw/s390x/sclp.h)
 * and Linux drives (drivers/s390/char/sclp*.[ch]): SERVC (privileged; R1 the
 * command word, R2 the SCCB's real address) raises a specification exception
 * for an SCCB below 8 KiB or in the prefix area, not on a doubleword
 * boundary, at or above 2 GiB, or whose length field is below 8 (the
 * header), an addressing exception for an SCCB in no memory (checked
 * first: an SCCB at 2 GiB with no memory there is an addressing one); response
 * codes 0x0010 normal read completion, 0x0020 normal completion, 0x0100 SCCB
 * boundary violation (crosses a page), 0x01f0 invalid command, 0x0300
 * insufficient SCCB length, 0x40f0 invalid function, 0x60f0 no event
 * buffers stored, 0x74f0 invalid mask length; read SCP info: the number of
 * CPU entries at byte 16, their offset at 18, 16 bytes each, memory as
 * increments (rnmax, rnsize in MiB).
 * Arguments: "smp=<n>" (from the cfg): the CPUs both reads must list.
 */
#include "asm/interrupt.h"
#include "asm/processor.h"
#include "cpu.h"
#include "report.h"
#include "sclp.h"
#include "setup.h"
#include "smp.h"
#include "subtest.h"
#include "user.h"

/* Two pages: an SCCB may start anywhere in the first and cross into the second. */
static uint8_t buf[2 * SCCB_SIZE] __aligned(SCCB_SIZE);

static struct sccb_header *sccb_at(size_t off, uint16_t len)
{
	struct sccb_header *h = (void *)(buf + off);

	memset(buf, 0, sizeof(buf));
	h->length = len;
	return h;
}

/* SERVC @cmd with @h: the response code, or 0 with the exception in *@ex. */
static uint16_t call(uint32_t cmd, struct sccb_header *h, exinfo_t *ex)
{
	exinfo_t e = 0;
	int cc = sclp_service_call(cmd, h, &e);

	if (ex)
		*ex = e;
	if (e || cc)
		return 0;
	return h->response_code;
}

static uint16_t read_info(size_t off, uint16_t len, exinfo_t *ex)
{
	return call(SCLP_CMD_READ_SCP_INFO, sccb_at(off, len), ex);
}

/*
 * The smallest SCCB read SCP info accepts: up to the CPU entries' offset it
 * gives, and one entry per CPU.
 */
static uint16_t info_size(void)
{
	const struct sclp_read_info *ri = (const void *)buf;
	exinfo_t ex;

	if (read_info(0, SCCB_SIZE, &ex) != SCLP_RC_NORMAL_READ_COMPLETION)
		report_abort("read SCP info with a 4 KiB SCCB failed");
	return ri->offset_cpu + ri->entries_cpu * sizeof(struct sclp_cpu_entry);
}

static void lengths(void)
{
	exinfo_t ex;

	report_eq_x(SCLP_RC_NORMAL_READ_COMPLETION, read_info(0, SCCB_SIZE, &ex),
		    "read SCP info with a 4 KiB SCCB: normal read completion");
	uint16_t size = info_size();

	report_eq_x(SCLP_RC_NORMAL_READ_COMPLETION, read_info(0, size, &ex),
		    "read SCP info with an SCCB just long enough: normal read completion");
	report_eq_x(SCLP_RC_INSUFFICIENT_LENGTH, read_info(0, size - 1, &ex),
		    "read SCP info with an SCCB one byte short: insufficient SCCB length");
	report_eq_x(SCLP_RC_INSUFFICIENT_LENGTH, read_info(0, 8, &ex),
		    "read SCP info with a header-only SCCB: insufficient SCCB length");
	read_info(0, 7, &ex);
	report_exc(EXINFO(PGM_SPECIFICATION, 2), ex,
		   "SERVC with an SCCB length of 7: specification exception, ILC 2");
	read_info(0, 0, &ex);
	report_exc(EXINFO(PGM_SPECIFICATION, 2), ex,
		   "SERVC with an SCCB length of 0: specification exception, ILC 2");
	report_eq_x(SCLP_RC_SCCB_BOUNDARY_VIOLATION, read_info(0, SCCB_SIZE + 8, &ex),
		    "read SCP info with an SCCB of 4 KiB + 8 bytes: boundary violation");
	report_eq_x(SCLP_RC_SCCB_BOUNDARY_VIOLATION, read_info(SCCB_SIZE - 64, 128, &ex),
		    "read SCP info with an SCCB crossing a page: boundary violation");
}

static void addresses(void)
{
	struct sccb_header *h = sccb_at(0, SCCB_SIZE);
	static const struct {
		uintptr_t addr;
		unsigned int code;
		const char *what;
	} cases[] = {
		{ 0x1000, PGM_SPECIFICATION, "in the low core (below 8 KiB)" },
		/* With no memory there, the address is checked before the 2 GiB limit. */
		{ 0x80000000, PGM_ADDRESSING, "at 2 GiB, beyond memory" },
		{ 0x100000000UL, PGM_ADDRESSING, "above 4 GiB, beyond memory" },
	};
	exinfo_t ex;

	call(SCLP_CMD_READ_SCP_INFO, (void *)((uintptr_t)h + 4), &ex);
	report_exc(EXINFO(PGM_SPECIFICATION, 2), ex,
		   "SERVC with an SCCB not on a doubleword boundary: specification exception");
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		sclp_service_call(SCLP_CMD_READ_SCP_INFO, (void *)cases[i].addr, &ex);
		report_exc(EXINFO(cases[i].code, 2), ex, "SERVC with an SCCB %s: %s exception",
			   cases[i].what,
			   cases[i].code == PGM_ADDRESSING ? "addressing" : "specification");
	}
	sclp_service_call(SCLP_CMD_READ_SCP_INFO,
			  (void *)ALIGN_UP(phys_mem_end + (1UL << 20), 1UL << 20), &ex);
	report_exc(EXINFO(PGM_ADDRESSING, 2), ex,
		   "SERVC with an SCCB beyond memory (below 2 GiB): addressing exception");
}

static exinfo_t prefix_ex;

static void servc_prefix(void *data)
{
	struct sccb_header *h = (void *)(cpu_lowcore(smp_id()) + 0x1800);

	sclp_service_call(SCLP_CMD_READ_SCP_INFO, h, &prefix_ex);
}

/* On a CPU whose prefix is not 0, an SCCB in its prefix area. */
static void prefix_area(void)
{
	int cpu = cpu_count() - 1;

	on_cpu(cpu, servc_prefix, NULL);
	report_exc(EXINFO(PGM_SPECIFICATION, 2), prefix_ex,
		   "SERVC on CPU %d with an SCCB in its prefix area: specification exception", cpu);
}

static void commands(void)
{
	static const uint32_t bad[] = { 0x00000000, 0x00030001, 0x00ff0001, 0xffffffff };
	exinfo_t ex;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		report_eq_x(SCLP_RC_INVALID_COMMAND, call(bad[i], sccb_at(0, SCCB_SIZE), &ex),
			    "command word %#x: invalid SCLP command", bad[i]);
	report_eq_x(SCLP_RC_NORMAL_READ_COMPLETION,
		    call(SCLP_CMD_READ_SCP_INFO_FORCED, sccb_at(0, SCCB_SIZE), &ex),
		    "read SCP info forced: normal read completion");
}

/* Read SCP info's contents: CPUs, this CPU among them, memory, the service signal. */
static void info_contents(void)
{
	const struct sclp_read_info *ri = (const void *)buf;
	const struct sclp_cpu_entry *cpus;
	const char *smp = arg_value("smp");
	uint64_t mem;
	uint16_t highest = 0;
	bool self = false;
	exinfo_t ex;

	read_info(0, SCCB_SIZE, &ex);
	report_eq_x((uintptr_t)buf, sclp_signal_param() & ~3U,
		    "the service-signal parameter is the SCCB's address");
	report_eq(cpu_count(), ri->entries_cpu, "read SCP info lists the CPUs lib runs");
	if (smp)
		report_eq(strtoul(smp, NULL, 0), ri->entries_cpu,
			  "read SCP info lists the smp= argument's CPUs");
	cpus = (const void *)(buf + ri->offset_cpu);
	for (int i = 0; i < ri->entries_cpu && ri->offset_cpu >= 16; i++) {
		self |= cpus[i].address == stap();
		highest = MAX(highest, cpus[i].address);
	}
	report(self, "this CPU's address (STAP %u) is among the CPU entries", stap());
	mem = (uint64_t)(ri->rnmax ? ri->rnmax : ri->rnmax2) *
	      (ri->rnsize ? ri->rnsize : ri->rnsize2) << 20;
	report_eq_x(phys_mem_end, mem, "rnmax * rnsize is the memory lib was given");
	report(highest <= ri->highest_cpu,
	       "the highest possible CPU address is at least every listed one (%u, %u)",
	       ri->highest_cpu, highest);
}

struct read_cpu_info {
	struct sccb_header h;
	uint16_t nr_configured;
	uint16_t offset_configured;
	uint16_t nr_standby;
	uint16_t offset_standby;
	uint8_t reserved[8];
} __packed;

static void cpu_info(void)
{
	const struct read_cpu_info *rci = (const void *)buf;
	exinfo_t ex;

	report_eq_x(SCLP_RC_NORMAL_READ_COMPLETION,
		    call(SCLP_CMD_READ_CPU_INFO, sccb_at(0, SCCB_SIZE), &ex),
		    "read CPU info: normal read completion");
	report_eq(cpu_count(), rci->nr_configured, "read CPU info lists the configured CPUs");
	report_eq(sizeof(*rci), rci->offset_configured,
		  "the configured CPUs' entries follow the 24-byte header");
	report_eq_x(SCLP_RC_INSUFFICIENT_LENGTH,
		    call(SCLP_CMD_READ_CPU_INFO, sccb_at(0, sizeof(*rci)), &ex),
		    "read CPU info without room for the entries: insufficient SCCB length");
}

struct event_mask {
	struct sccb_header h;
	uint16_t reserved;
	uint16_t mask_length;
	uint8_t masks[16];
} __packed;

static void events(void)
{
	struct event_mask *m = (void *)sccb_at(0, sizeof(struct event_mask));
	struct sccb_header *h;
	exinfo_t ex;

	m->mask_length = 0;
	report_eq_x(SCLP_RC_INVALID_MASK_LENGTH, call(SCLP_CMD_WRITE_EVENT_MASK, &m->h, &ex),
		    "write event mask with mask length 0: invalid mask length");
	h = sccb_at(0, SCCB_SIZE);
	h->function_code = 0;		/* unconditional read */
	h->control_mask[2] = 0x80;	/* variable-length response */
	report_eq_x(SCLP_RC_NO_EVENT_BUFFERS, call(SCLP_CMD_READ_EVENT_DATA, h, &ex),
		    "read event data with nothing pending: no event buffers stored");
	h = sccb_at(0, 16);
	h->function_code = 0x55;
	report_eq_x(SCLP_RC_INVALID_FUNCTION, call(SCLP_CMD_WRITE_EVENT_DATA, h, &ex),
		    "write event data with function code 0x55: invalid function");
}

static uint64_t user_servc(uint64_t arg)
{
	exinfo_t ex = 0;

	sclp_service_call(SCLP_CMD_READ_SCP_INFO, sccb_at(0, SCCB_SIZE), &ex);
	return ex;
}

static void privileged(void)
{
	report_exc(EXINFO(PGM_PRIVILEGED, 2), run_in_user(user_servc, 0),
		   "SERVC in the problem state is a privileged-operation exception, ILC 2");
}

static const struct subtest tests[] = {
	SUBTEST(lengths),
	SUBTEST(addresses),
	SUBTEST_SMP(prefix_area, NULL, 2),
	SUBTEST(commands),
	SUBTEST(info_contents),
	SUBTEST(cpu_info),
	SUBTEST(events),
	SUBTEST(privileged),
};

SUBTESTS_MAIN(tests)
