// SPDX-License-Identifier: MIT
/*
 * SCLP use by lib (sclp.h): read SCP info (memory size, the CPUs'
 * addresses) and the console, the VT220 event (type 0x1a) that QEMU's
 * -serial stdio carries (docs/runner.md, "QEMU per arch"). One request at a
 * time: the caller waits in an enabled wait with only the service-signal
 * subclass unmasked in CR0, so that no other interruption (a test's timer,
 * another CPU's kick) is taken inside a printf, and so that the floating
 * service signal goes to the CPU that waits for it.
 */
#include "asm/cr.h"
#include "asm/interrupt.h"
#include "asm/processor.h"
#include "report.h"
#include "s390x.h"
#include "sclp.h"
#include "spinlock.h"

#define EVENT_TYPE_VT220	0x1a
#define EVENT_MASK(type)	(0x80000000U >> ((type) - 1))

struct event_buffer {
	uint16_t length;
	uint8_t type;
	uint8_t flags;
	uint16_t reserved;
} __packed;

struct write_event_mask {
	struct sccb_header h;
	uint16_t reserved;
	uint16_t mask_length;
	uint32_t cp_receive_mask, cp_send_mask, sclp_receive_mask, sclp_send_mask;
} __packed;

static struct spinlock sclp_lock;
static int sclp_busy;
static uint32_t signal_param;
/* lib's own SCCBs (read info at boot, the console): below 2 GiB, in the image. */
static uint8_t sccb_buf[SCCB_SIZE] __aligned(SCCB_SIZE);
static uint8_t console_sccb[SCCB_SIZE] __aligned(SCCB_SIZE);
static uint64_t memory_size;
static uint16_t cpu_addrs[MAX_CPUS];
static int nr_cpu_addrs;

void sclp_service_signal(uint32_t param)
{
	signal_param = param;
	__atomic_store_n(&sclp_busy, 0, __ATOMIC_SEQ_CST);
}

uint32_t sclp_signal_param(void)
{
	return signal_param;
}

static void wait_service_signal(void)
{
	uint64_t cr0 = stctg(0);
	uint8_t sm = stnsm(0xff);

	lctlg(0, (cr0 & ~(CR0_EMERGENCY_SIGNAL | CR0_EXTERNAL_CALL | CR0_CLOCK_COMP |
			  CR0_CPU_TIMER | CR0_MALFUNCTION_ALERT)) | CR0_SERVICE_SIGNAL);
	while (__atomic_load_n(&sclp_busy, __ATOMIC_SEQ_CST)) {
		/* The PSW as it is (key, DAT, ...), waiting for external interruptions only. */
		struct psw psw = { .mask = (extract_psw_mask() & ~PSW_MASK_IO) | PSW_MASK_EXT |
				   PSW_MASK_WAIT };

		asm volatile("larl %%r1,0f\n\t"
			     "stg %%r1,%[addr]\n\t"
			     "lpswe %[psw]\n"
			     "0:"
			     : [addr] "=Q"(psw.addr) : [psw] "Q"(psw) : "r1", "memory", "cc");
	}
	lctlg(0, cr0);
	/* SSM restores the system mask as it was. */
	asm volatile("ssm %0" : : "Q"(sm) : "memory");
}

int sclp_service_call(uint32_t cmd, void *sccb, exinfo_t *ex)
{
	DECLARE_EXINFO(e);
	int cc = 3;

	spin_lock(&sclp_lock);
	__atomic_store_n(&sclp_busy, 1, __ATOMIC_SEQ_CST);
	asm volatile(ASM_TRY(".insn rre,0xb2200000,%[cmd],%[sccb]\n\t"
			     "ipm %[cc]\n\t"
			     "srl %[cc],28")
		     : "+r"(e), [cc] "+d"(cc)
		     : [cmd] "d"((uint64_t)cmd), [sccb] "a"((uintptr_t)sccb)
		     : "cc", "memory");
	if (!e && cc == 0)
		wait_service_signal();
	__atomic_store_n(&sclp_busy, 0, __ATOMIC_SEQ_CST);
	spin_unlock(&sclp_lock);
	if (ex)
		*ex = e;
	else if (e)
		report_abort("SERVC %#x raised an exception (%#llx)", cmd, (unsigned long long)e);
	return e ? -1 : cc;
}

/* The console (before it works, report_abort() has nowhere to print). */
void sclp_console_init(void)
{
	struct write_event_mask *m = (void *)console_sccb;

	memset(m, 0, sizeof(*m));
	m->h.length = sizeof(*m);
	m->mask_length = sizeof(uint32_t);
	m->cp_send_mask = EVENT_MASK(EVENT_TYPE_VT220);
	sclp_service_call(SCLP_CMD_WRITE_EVENT_MASK, m, NULL);
}

void arch_console_write(const char *s, size_t len)
{
	struct sccb_header *h = (void *)console_sccb;
	struct event_buffer *ev = (void *)(h + 1);
	size_t max = SCCB_SIZE - sizeof(*h) - sizeof(*ev);

	while (len) {
		size_t n = MIN(len, max);

		memset(h, 0, sizeof(*h) + sizeof(*ev));
		h->length = sizeof(*h) + sizeof(*ev) + n;
		ev->length = sizeof(*ev) + n;
		ev->type = EVENT_TYPE_VT220;
		memcpy(ev + 1, s, n);
		sclp_service_call(SCLP_CMD_WRITE_EVENT_DATA, h, NULL);
		s += n;
		len -= n;
	}
}

void sclp_read_info(void)
{
	struct sclp_read_info *ri = (void *)sccb_buf;
	const struct sclp_cpu_entry *cpus;
	uint64_t rnmax, rnsize;

	memset(sccb_buf, 0, sizeof(sccb_buf));
	ri->h.length = SCCB_SIZE;
	if (sclp_service_call(SCLP_CMD_READ_SCP_INFO_FORCED, ri, NULL) ||
	    ri->h.response_code != SCLP_RC_NORMAL_READ_COMPLETION)
		report_abort("SCLP read SCP info failed (response %#x)", ri->h.response_code);
	rnmax = ri->rnmax ? ri->rnmax : ri->rnmax2;
	rnsize = ri->rnsize ? ri->rnsize : ri->rnsize2;
	memory_size = rnmax * rnsize << 20;
	cpus = (const void *)(sccb_buf + ri->offset_cpu);
	nr_cpu_addrs = ri->entries_cpu;
	if (nr_cpu_addrs > MAX_CPUS)
		report_abort("SCLP lists %d CPUs: hvprobe supports %d", nr_cpu_addrs, MAX_CPUS);
	for (int i = 0; i < nr_cpu_addrs; i++)
		cpu_addrs[i] = cpus[i].address;
}

uint64_t sclp_memory_size(void)
{
	return memory_size;
}

int sclp_cpus(uint16_t *addrs, int max)
{
	for (int i = 0; i < nr_cpu_addrs && i < max; i++)
		addrs[i] = cpu_addrs[i];
	return nr_cpu_addrs;
}
