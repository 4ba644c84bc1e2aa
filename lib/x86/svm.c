// SPDX-License-Identifier: MIT
/*
 * AMD SVM support (AMD APM vol. 2, chapter 15): detection (15.4, CPUID
 * Fn8000_000A in APM vol. 3 E.4.9), per-CPU enabling (15.4 EFER.SVME,
 * 15.30.4 VM_HSAVE_PA), VMCBs built from the running CPU's state
 * (appendix B), VMRUN (svm_entry.S), ASIDs (15.16), event injection
 * (15.20), the I/O and MSR permission maps (15.10, 15.11), nested page
 * tables through lib/vm.c (15.25) and exit-code names (appendix C).
 */
#include "alloc.h"
#include "asm/cpuid.h"
#include "asm/desc.h"
#include "asm/msr.h"
#include "asm/processor.h"
#include "nested.h"
#include "report.h"
#include "smp.h"
#include "svm.h"

void svm_vmrun_asm(struct svm_guest *g, void *host_save, uint64_t host_if);

static struct svm_caps caps;
static bool caps_read;

const struct svm_caps *svm_caps(void)
{
	uint64_t vm_cr = 0;
	struct cpuid r;

	if (caps_read)
		return &caps;
	caps.svm = this_cpu_has(X86_FEATURE_SVM);
	if (caps.svm && cpuid_max_leaf(0x80000000) >= 0x8000000a) {
		r = cpuid(0x8000000a);
		caps.revision = r.a & 0xff;
		caps.nasid = r.b;
		caps.edx = r.d;
	}
	caps.npt = caps.edx & BIT(0);
	caps.lbrv = caps.edx & BIT(1);
	caps.svml = caps.edx & BIT(2);
	caps.nrips = caps.edx & BIT(3);
	caps.tsc_rate = caps.edx & BIT(4);
	caps.vmcb_clean = caps.edx & BIT(5);
	caps.flush_by_asid = caps.edx & BIT(6);
	caps.decode_assists = caps.edx & BIT(7);
	caps.pause_filter = caps.edx & BIT(10);
	caps.pause_threshold = caps.edx & BIT(12);
	caps.avic = caps.edx & BIT(13);
	caps.vmsave_virt = caps.edx & BIT(15);
	caps.vgif = caps.edx & BIT(16);
	caps.vnmi = caps.edx & BIT(25);
	/* VM_CR exists wherever SVM does (APM 15.30.1). */
	if (caps.svm && !rdmsr_safe(MSR_VM_CR, &vm_cr))
		caps.disabled = vm_cr & VM_CR_SVMDIS;
	__atomic_store_n(&caps_read, true, __ATOMIC_RELEASE);
	return &caps;
}

const char *svm_needs(void)
{
	const struct svm_caps *c = svm_caps();

	if (!c->svm)
		return "SVM not supported";
	if (c->disabled)
		return "SVM disabled by firmware (VM_CR.SVMDIS)";
	if (c->nasid < 2)
		return "SVM reports fewer than 2 ASIDs";
	return NULL;
}

/* Per CPU: the VM_HSAVE_PA page and the page for the host's VMSAVE state. */
static void *hsave[MAX_CPUS], *host_save[MAX_CPUS];

void svm_enable_cpu(void)
{
	int cpu = smp_id();

	if (!hsave[cpu]) {
		hsave[cpu] = alloc_zeroed_page();
		host_save[cpu] = alloc_zeroed_page();
		if (!hsave[cpu] || !host_save[cpu])
			report_abort("SVM: out of memory for CPU %d's host save areas", cpu);
	}
	if (!(rdmsr(MSR_EFER) & EFER_SVME))
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, (uintptr_t)hsave[cpu]);
}

uint32_t svm_asid_alloc(void)
{
	static uint32_t next;
	uint32_t n = svm_caps()->nasid;
	uint32_t a = __atomic_fetch_add(&next, 1, __ATOMIC_SEQ_CST);

	return n > 1 ? 1 + a % (n - 1) : 1;
}

/* A code or data segment of the running CPU's GDT in VMCB form. */
static struct vmcb_seg seg_from_gdt(uint16_t sel)
{
	struct x86_seg x = nested_seg_from_gdt(sel);

	if (x.ar & X86_SEG_AR_UNUSABLE)
		return (struct vmcb_seg){ .selector = sel };
	return (struct vmcb_seg){ .selector = sel, .attrib = (x.ar & 0xff) | (x.ar >> 4 & 0xf00),
				  .limit = x.limit, .base = x.base };
}

#define READ_SEG(name)							\
	({								\
		uint16_t __s;						\
		asm volatile("mov %%" #name ", %0" : "=rm"(__s));	\
		__s;							\
	})

static void vmcb_from_cpu(struct vmcb *v)
{
	struct vmcb_save *s = &v->save;
	struct desc_ptr dt;

	/* FS, GS, TR, LDTR and the syscall MSRs: what VMSAVE stores. */
	vmsave((uintptr_t)v);
	s->cs = seg_from_gdt(READ_SEG(cs));
	s->ss = seg_from_gdt(READ_SEG(ss));
	s->ds = seg_from_gdt(READ_SEG(ds));
	s->es = seg_from_gdt(READ_SEG(es));
	asm volatile("sgdt %0" : "=m"(dt));
	s->gdtr = (struct vmcb_seg){ .limit = dt.limit, .base = dt.base };
	asm volatile("sidt %0" : "=m"(dt));
	s->idtr = (struct vmcb_seg){ .limit = dt.limit, .base = dt.base };
	s->cpl = 0;
	s->efer = rdmsr(MSR_EFER);
	s->cr0 = read_cr0();
	s->cr3 = read_cr3();
	s->cr4 = read_cr4();
	s->dr6 = read_dr6();
	s->dr7 = read_dr7();
	s->g_pat = rdmsr(MSR_IA32_PAT);
	s->rflags = 0x2;
}

void svm_guest_set_entry(struct svm_guest *g, void (*fn)(void *), void *arg)
{
	g->vmcb.save.rip = (uintptr_t)nested_guest_entry;
	g->vmcb.save.rsp = nested_stack_top(g->stack);
	g->gprs.rdi = (uintptr_t)arg;
	g->gprs.rsi = (uintptr_t)fn;
	g->gprs.rdx = (uintptr_t)svm_guest_vmmcall;
}

struct svm_guest *svm_guest_create(void (*fn)(void *), void *arg)
{
	/* Two pages: the VMCB, then the rest of struct svm_guest. */
	struct svm_guest *g = alloc_pages(1);

	_Static_assert(sizeof(struct svm_guest) <= 2 * 4096, "svm_guest fits two pages");
	if (!g)
		report_abort("SVM: out of memory for a VMCB");
	memset(g, 0, sizeof(*g));
	g->stack = nested_stack_alloc();
	svm_enable_cpu();
	vmcb_from_cpu(&g->vmcb);
	g->vmcb.control.asid = svm_asid_alloc();
	vmcb_set_intercept(&g->vmcb, SVM_INTERCEPT_VMRUN);
	vmcb_set_intercept(&g->vmcb, SVM_INTERCEPT_VMMCALL);
	vmcb_set_intercept(&g->vmcb, SVM_INTERCEPT_SHUTDOWN);
	svm_guest_set_entry(g, fn, arg);
	return g;
}

void svm_guest_free(struct svm_guest *g)
{
	nested_stack_free(g->stack);
	free_pages(g, 1);
}

uint64_t svm_run(struct svm_guest *g)
{
	bool irq_on = read_rflags() & BIT(9);

	svm_enable_cpu();
	svm_vmrun_asm(g, host_save[smp_id()], g->host_if);
	if (irq_on)
		irq_enable();
	g->runs++;
	return g->vmcb.control.exit_code;
}

void svm_skip_insn(struct svm_guest *g)
{
	g->vmcb.save.rip = g->vmcb.control.next_rip;
}

void svm_inject_event(struct svm_guest *g, uint64_t type, int vector, bool has_ec, uint32_t ec)
{
	g->vmcb.control.event_inj = SVM_EVTINJ_VALID | type | SVM_EVTINJ_VEC(vector) |
				    (has_ec ? SVM_EVTINJ_EV | SVM_EVTINJ_ERR(ec) : 0);
}

/* ---- permission maps ---- */

void *svm_iopm_alloc(void)
{
	void *p = alloc_pages(2);	/* 12 KiB used of 16 */

	if (!p)
		report_abort("SVM: out of memory for an IOPM");
	memset(p, 0, SVM_IOPM_SIZE);
	return p;
}

void svm_iopm_set(void *iopm, unsigned int port, unsigned int n, bool intercept)
{
	uint8_t *m = iopm;

	for (unsigned int p = port; p < port + n && p < SVM_IOPM_SIZE * 8; p++) {
		if (intercept)
			m[p / 8] |= 1 << (p % 8);
		else
			m[p / 8] &= ~(1 << (p % 8));
	}
}

void *svm_msrpm_alloc(void)
{
	void *p = alloc_pages(1);

	if (!p)
		report_abort("SVM: out of memory for an MSRPM");
	memset(p, 0, SVM_MSRPM_SIZE);
	return p;
}

long svm_msrpm_bit(uint32_t msr)
{
	static const uint32_t base[] = { 0x00000000, 0xc0000000, 0xc0010000 };

	for (unsigned int i = 0; i < ARRAY_SIZE(base); i++)
		if (msr - base[i] < 0x2000)
			return (long)i * 0x4000 + (msr - base[i]) * 2;
	return -1;
}

bool svm_msrpm_set(void *msrpm, uint32_t msr, bool rd, bool wr)
{
	uint8_t *m = msrpm;
	long bit = svm_msrpm_bit(msr);

	if (bit < 0)
		return false;
	m[bit / 8] = (m[bit / 8] & ~(3 << (bit % 8))) | (rd | wr << 1) << (bit % 8);
	return true;
}

void svm_guest_use_iopm(struct svm_guest *g, void *iopm)
{
	g->vmcb.control.iopm_base_pa = (uintptr_t)iopm;
	vmcb_set_intercept(&g->vmcb, SVM_INTERCEPT_IOIO_PROT);
}

void svm_guest_use_msrpm(struct svm_guest *g, void *msrpm)
{
	g->vmcb.control.msrpm_base_pa = (uintptr_t)msrpm;
	vmcb_set_intercept(&g->vmcb, SVM_INTERCEPT_MSR_PROT);
}

/* ---- nested paging ---- */

pt_root_t svm_npt_identity(void)
{
	pt_root_t root = pt_root_alloc();
	const uint64_t gib = 1ULL << 30;

	if (!root || pt_root_map(root, 0, 0, 3 * gib, PT_RWX | PT_USER, false) ||
	    pt_root_map(root, 3 * gib, 3 * gib, gib, PT_RWX | PT_USER | PT_DEVICE, false))
		report_abort("SVM: cannot build the nested identity map");
	return root;
}

void svm_npt_enable(struct svm_guest *g, pt_root_t ncr3)
{
	g->vmcb.control.nested_ctl |= SVM_NESTED_CTL_NP_ENABLE;
	g->vmcb.control.nested_cr3 = ncr3;
}

/* ---- decoding ---- */

static const struct {
	uint32_t code;
	const char *name;
} exit_names[] = {
	{ SVM_EXIT_INTR, "INTR" }, { SVM_EXIT_NMI, "NMI" }, { SVM_EXIT_SMI, "SMI" },
	{ SVM_EXIT_INIT, "INIT" }, { SVM_EXIT_VINTR, "VINTR" },
	{ SVM_EXIT_CR0_SEL_WRITE, "CR0_SEL_WRITE" }, { SVM_EXIT_IDTR_READ, "IDTR_READ" },
	{ SVM_EXIT_GDTR_READ, "GDTR_READ" }, { SVM_EXIT_LDTR_READ, "LDTR_READ" },
	{ SVM_EXIT_TR_READ, "TR_READ" }, { SVM_EXIT_IDTR_WRITE, "IDTR_WRITE" },
	{ SVM_EXIT_GDTR_WRITE, "GDTR_WRITE" }, { SVM_EXIT_LDTR_WRITE, "LDTR_WRITE" },
	{ SVM_EXIT_TR_WRITE, "TR_WRITE" }, { SVM_EXIT_RDTSC, "RDTSC" },
	{ SVM_EXIT_RDPMC, "RDPMC" }, { SVM_EXIT_PUSHF, "PUSHF" }, { SVM_EXIT_POPF, "POPF" },
	{ SVM_EXIT_CPUID, "CPUID" }, { SVM_EXIT_RSM, "RSM" }, { SVM_EXIT_IRET, "IRET" },
	{ SVM_EXIT_SWINT, "SWINT" }, { SVM_EXIT_INVD, "INVD" }, { SVM_EXIT_PAUSE, "PAUSE" },
	{ SVM_EXIT_HLT, "HLT" }, { SVM_EXIT_INVLPG, "INVLPG" },
	{ SVM_EXIT_INVLPGA, "INVLPGA" }, { SVM_EXIT_IOIO, "IOIO" }, { SVM_EXIT_MSR, "MSR" },
	{ SVM_EXIT_TASK_SWITCH, "TASK_SWITCH" }, { SVM_EXIT_FERR_FREEZE, "FERR_FREEZE" },
	{ SVM_EXIT_SHUTDOWN, "SHUTDOWN" }, { SVM_EXIT_VMRUN, "VMRUN" },
	{ SVM_EXIT_VMMCALL, "VMMCALL" }, { SVM_EXIT_VMLOAD, "VMLOAD" },
	{ SVM_EXIT_VMSAVE, "VMSAVE" }, { SVM_EXIT_STGI, "STGI" }, { SVM_EXIT_CLGI, "CLGI" },
	{ SVM_EXIT_SKINIT, "SKINIT" }, { SVM_EXIT_RDTSCP, "RDTSCP" },
	{ SVM_EXIT_ICEBP, "ICEBP" }, { SVM_EXIT_WBINVD, "WBINVD" },
	{ SVM_EXIT_MONITOR, "MONITOR" }, { SVM_EXIT_MWAIT, "MWAIT" },
	{ SVM_EXIT_MWAIT_COND, "MWAIT_CONDITIONAL" }, { SVM_EXIT_XSETBV, "XSETBV" },
	{ SVM_EXIT_RDPRU, "RDPRU" }, { SVM_EXIT_EFER_WRITE_TRAP, "EFER_WRITE_TRAP" },
	{ SVM_EXIT_INVLPGB, "INVLPGB" }, { SVM_EXIT_INVLPGB_ILLEGAL, "INVLPGB_ILLEGAL" },
	{ SVM_EXIT_INVPCID, "INVPCID" }, { SVM_EXIT_MCOMMIT, "MCOMMIT" },
	{ SVM_EXIT_TLBSYNC, "TLBSYNC" }, { SVM_EXIT_NPF, "NPF" },
	{ SVM_EXIT_AVIC_INCOMPLETE_IPI, "AVIC_INCOMPLETE_IPI" },
	{ SVM_EXIT_AVIC_NOACCEL, "AVIC_NOACCEL" }, { SVM_EXIT_VMGEXIT, "VMGEXIT" },
};

static const char *const excp_names[32] = {
	"DE", "DB", "NMI", "BP", "OF", "BR", "UD", "NM", "DF", "09", "TS", "NP", "SS", "GP",
	"PF", "15", "MF", "AC", "MC", "XF", "20", "CP", "22", "23", "24", "25", "26", "27",
	"HV", "VC", "SX", "31",
};

const char *svm_exit_name(uint64_t code)
{
	if (code == SVM_EXIT_INVALID)
		return "INVALID";
	if (code == SVM_EXIT_BUSY)
		return "BUSY";
	for (size_t i = 0; i < ARRAY_SIZE(exit_names); i++)
		if (exit_names[i].code == code)
			return exit_names[i].name;
	return NULL;
}

char *svm_exit_str(uint64_t code, char *buf, size_t len)
{
	const char *name = svm_exit_name(code);

	if (name)
		snprintf(buf, len, "VMEXIT_%s (%#lx)", name, (unsigned long)code);
	else if (code < 0x10)
		snprintf(buf, len, "VMEXIT_CR%u_READ (%#lx)", (unsigned int)code,
			 (unsigned long)code);
	else if (code < 0x20)
		snprintf(buf, len, "VMEXIT_CR%u_WRITE (%#lx)", (unsigned int)code - 0x10,
			 (unsigned long)code);
	else if (code < 0x30)
		snprintf(buf, len, "VMEXIT_DR%u_READ (%#lx)", (unsigned int)code - 0x20,
			 (unsigned long)code);
	else if (code < 0x40)
		snprintf(buf, len, "VMEXIT_DR%u_WRITE (%#lx)", (unsigned int)code - 0x30,
			 (unsigned long)code);
	else if (code < 0x60)
		snprintf(buf, len, "VMEXIT_EXCP_%s (%#lx)", excp_names[code - 0x40],
			 (unsigned long)code);
	else if (code >= 0x90 && code < 0xa0)
		snprintf(buf, len, "VMEXIT_CR%u_WRITE_TRAP (%#lx)", (unsigned int)code - 0x90,
			 (unsigned long)code);
	else
		snprintf(buf, len, "unknown exit code %#lx", (unsigned long)code);
	return buf;
}

char *svm_ioio_str(uint64_t info1, char *buf, size_t len)
{
	static const char *const segs[8] = { "ES", "CS", "SS", "DS", "FS", "GS", "?6", "?7" };
	int size = info1 & SVM_IOIO_SZ8 ? 1 : info1 & SVM_IOIO_SZ16 ? 2 :
		   info1 & SVM_IOIO_SZ32 ? 4 : 0;
	int asz = info1 & SVM_IOIO_A16 ? 16 : info1 & SVM_IOIO_A32 ? 32 :
		  info1 & SVM_IOIO_A64 ? 64 : 0;
	char a[8] = "";

	/* No A16/A32/A64 bit: no "aN"; SEG only means something for string instructions. */
	if (asz)
		snprintf(a, sizeof(a), " a%d", asz);
	snprintf(buf, len, "%s port %#x size %d%s%s%s%s%s",
		 info1 & SVM_IOIO_TYPE_IN ? "in" : "out", (unsigned int)(info1 >> 16) & 0xffff,
		 size, a, info1 & SVM_IOIO_STR ? " seg " : "",
		 info1 & SVM_IOIO_STR ? segs[(info1 >> 10) & 7] : "",
		 info1 & SVM_IOIO_REP ? " rep" : "", info1 & SVM_IOIO_STR ? " str" : "");
	return buf;
}

bool svm_report_exit(struct svm_guest *g, uint64_t expected, const char *fmt, ...)
{
	const struct vmcb_control *c = &g->vmcb.control;
	bool pass = c->exit_code == expected;
	char detail[80] = "";
	va_list ap;

	if (!pass)
		snprintf(detail, sizeof(detail), "exitinfo1 %#lx exitinfo2 %#lx rip %#lx",
			 (unsigned long)c->exit_info_1, (unsigned long)c->exit_info_2,
			 (unsigned long)g->vmcb.save.rip);
	va_start(ap, fmt);
	nested_report_exit(pass, expected, c->exit_code, svm_exit_str, detail, fmt, ap);
	va_end(ap);
	return pass;
}
