// SPDX-License-Identifier: MIT
/*
 * Intel VMX (vmx.h): capabilities (SDM vol. 3D appendix A), VMXON and the
 * VMX instructions (vol. 3C chapter 31, vol. 2B), the VMCS (chapter 25),
 * guests built from the running CPU, their host-state area (25.5, checked
 * by 27.2.3) and the VMLAUNCH/VMRESUME round trip (vmx_entry.S), I/O and
 * MSR bitmaps (25.6.4, 25.6.9).
 */
#include "alloc.h"
#include "asm/cpuid.h"
#include "asm/cr.h"
#include "asm/desc.h"
#include "asm/msr.h"
#include "asm/processor.h"
#include "nested.h"
#include "report.h"
#include "smp.h"
#include "vmx.h"

uint64_t vmx_enter_asm(struct vmx_guest *g, uint64_t resume);
extern char vmx_exit_host[];

/* ---- capabilities ---- */

static struct vmx_caps caps;
static bool caps_read;

static const uint32_t ctl_msr[VMX_NR_CTLS] = {
	MSR_IA32_VMX_PINBASED_CTLS, MSR_IA32_VMX_PROCBASED_CTLS, MSR_IA32_VMX_PROCBASED_CTLS2,
	MSR_IA32_VMX_EXIT_CTLS, MSR_IA32_VMX_ENTRY_CTLS,
};
static const uint32_t true_msr[VMX_NR_CTLS] = {
	MSR_IA32_VMX_TRUE_PINBASED_CTLS, MSR_IA32_VMX_TRUE_PROCBASED_CTLS,
	MSR_IA32_VMX_PROCBASED_CTLS2, MSR_IA32_VMX_TRUE_EXIT_CTLS, MSR_IA32_VMX_TRUE_ENTRY_CTLS,
};

/* An MSR the capability says exists; 0 when it raises #GP anyway. */
static uint64_t cap_msr(uint32_t msr)
{
	uint64_t v;

	return rdmsr_safe(msr, &v) ? 0 : v;
}

const struct vmx_caps *vmx_caps(void)
{
	if (__atomic_load_n(&caps_read, __ATOMIC_ACQUIRE))
		return &caps;
	caps.vmx = cpuid(1).c & BIT(5);
	caps.maxphyaddr = cpuid(0x80000000).a >= 0x80000008 ? cpuid(0x80000008).a & 0xff : 36;
	if (caps.vmx) {
		caps.feature_control = cap_msr(MSR_IA32_FEATURE_CONTROL);
		caps.basic = cap_msr(MSR_IA32_VMX_BASIC);
		caps.misc = cap_msr(MSR_IA32_VMX_MISC);
		caps.cr0_fixed0 = cap_msr(MSR_IA32_VMX_CR0_FIXED0);
		caps.cr0_fixed1 = cap_msr(MSR_IA32_VMX_CR0_FIXED1);
		caps.cr4_fixed0 = cap_msr(MSR_IA32_VMX_CR4_FIXED0);
		caps.cr4_fixed1 = cap_msr(MSR_IA32_VMX_CR4_FIXED1);
		caps.vmcs_enum = cap_msr(MSR_IA32_VMX_VMCS_ENUM);
		for (int c = 0; c < VMX_NR_CTLS; c++) {
			bool secondary = caps.ctl[VMX_PROC] >> 32 & PROC_SECONDARY;

			if (c == VMX_PROC2 && !secondary)
				continue;
			caps.ctl_default1[c] = cap_msr(ctl_msr[c]);
			caps.ctl[c] = caps.basic & VMX_BASIC_TRUE_CTLS ? cap_msr(true_msr[c]) :
				      caps.ctl_default1[c];
		}
		/* These two exist only with the secondary controls that use them (A.10, A.11). */
		if (caps.ctl[VMX_PROC2] >> 32 & (PROC2_EPT | PROC2_VPID))
			caps.ept_vpid = cap_msr(MSR_IA32_VMX_EPT_VPID_CAP);
		if (caps.ctl[VMX_PROC2] >> 32 & PROC2_VMFUNC)
			caps.vmfunc = cap_msr(MSR_IA32_VMX_VMFUNC);
	}
	__atomic_store_n(&caps_read, true, __ATOMIC_RELEASE);
	return &caps;
}

const char *vmx_needs(void)
{
	const struct vmx_caps *c = vmx_caps();
	uint64_t fc = c->feature_control;

	if (!c->vmx)
		return "VMX not supported";
	/* Locked without VMX outside SMX: VMXON raises #GP (SDM 24.7). */
	if ((fc & FEAT_CTL_LOCKED) && !(fc & FEAT_CTL_VMX_OUTSIDE_SMX))
		return "VMX disabled by firmware (IA32_FEATURE_CONTROL)";
	return NULL;
}

bool vmx_ctl_allowed(enum vmx_ctl c, uint32_t bits)
{
	return ((vmx_caps()->ctl[c] >> 32) & bits) == bits;
}

bool vmx_ctl_required(enum vmx_ctl c, uint32_t bits)
{
	return ((uint32_t)vmx_caps()->ctl[c] & bits) == bits;
}

uint32_t vmx_ctl_fix(enum vmx_ctl c, uint32_t val)
{
	uint64_t m = vmx_caps()->ctl[c];

	return (val | (uint32_t)m) & (uint32_t)(m >> 32);
}

const char *vmx_ctl_name(enum vmx_ctl c)
{
	static const char *const names[VMX_NR_CTLS] = {
		"pin-based", "primary processor-based", "secondary processor-based",
		"VM-exit", "VM-entry",
	};

	return names[c];
}

uint32_t vmx_ctl_field(enum vmx_ctl c)
{
	static const uint32_t fields[VMX_NR_CTLS] = {
		VMCS_PIN_CTLS, VMCS_PROC_CTLS, VMCS_PROC_CTLS2, VMCS_EXIT_CTLS, VMCS_ENTRY_CTLS,
	};

	return fields[c];
}

/* ---- instructions ---- */

/*
 * The outcome of a VMX instruction from the exception table result and the
 * flags it left: CF VMfailInvalid, ZF VMfailValid (31.2).
 */
static vmx_status_t outcome(exinfo_t ex, uint8_t cf, uint8_t zf)
{
	if (ex)
		return ex;
	if (cf)
		return VMX_FAIL_INVALID;
	if (zf) {
		uint64_t err = 0;

		asm volatile("vmread %1, %0" : "=r"(err) : "r"((uint64_t)VMCS_INSN_ERROR) : "cc");
		return VMX_FAIL_VALID(err);
	}
	return VMX_OK;
}

/* One instruction with a memory operand (the physical address at *@pa). */
#define VMX_MEM_INSN(name, insn)						\
	vmx_status_t name##_safe(uint64_t pa)					\
	{									\
		DECLARE_EXINFO(ex);						\
		uint8_t cf = 0, zf = 0;						\
										\
		asm volatile(ASM_TRY(insn " %3; setc %1; setz %2")		\
			     : "+r"(ex), "+qm"(cf), "+qm"(zf) : "m"(pa) : "cc", "memory"); \
		return outcome(ex, cf, zf);					\
	}

VMX_MEM_INSN(vmxon, "vmxon")
VMX_MEM_INSN(vmclear, "vmclear")
VMX_MEM_INSN(vmptrld, "vmptrld")

vmx_status_t vmxoff_safe(void)
{
	DECLARE_EXINFO(ex);
	uint8_t cf = 0, zf = 0;

	asm volatile(ASM_TRY("vmxoff; setc %1; setz %2")
		     : "+r"(ex), "+qm"(cf), "+qm"(zf) : : "cc", "memory");
	return outcome(ex, cf, zf);
}

vmx_status_t vmptrst_safe(uint64_t *pa)
{
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("vmptrst %1") : "+r"(ex), "=m"(*pa) : : "memory");
	return ex;
}

vmx_status_t vmread_safe(uint64_t field, uint64_t *val)
{
	DECLARE_EXINFO(ex);
	uint8_t cf = 0, zf = 0;
	uint64_t v = 0;

	asm volatile(ASM_TRY("vmread %4, %3; setc %1; setz %2")
		     : "+r"(ex), "+qm"(cf), "+qm"(zf), "+r"(v) : "r"(field) : "cc", "memory");
	*val = v;
	return outcome(ex, cf, zf);
}

vmx_status_t vmwrite_safe(uint64_t field, uint64_t val)
{
	DECLARE_EXINFO(ex);
	uint8_t cf = 0, zf = 0;

	asm volatile(ASM_TRY("vmwrite %3, %4; setc %1; setz %2")
		     : "+r"(ex), "+qm"(cf), "+qm"(zf) : "r"(val), "r"(field) : "cc", "memory");
	return outcome(ex, cf, zf);
}

/* INVEPT/INVVPID: a register with the type and a 128-bit descriptor in memory. */
#define VMX_INV_INSN(insn, type, desc)						\
	({									\
		DECLARE_EXINFO(ex);						\
		uint8_t cf = 0, zf = 0;						\
										\
		asm volatile(ASM_TRY(insn " %4, %3; setc %1; setz %2")		\
			     : "+r"(ex), "+qm"(cf), "+qm"(zf) : "r"(type), "m"(desc)	\
			     : "cc", "memory");					\
		outcome(ex, cf, zf);						\
	})

vmx_status_t invept_safe(uint64_t type, uint64_t eptp)
{
	struct {
		uint64_t eptp, zero;
	} desc = { eptp, 0 };

	return VMX_INV_INSN("invept", type, desc);
}

vmx_status_t invvpid_safe(uint64_t type, uint16_t vpid, uint64_t gla)
{
	struct {
		uint64_t vpid, gla;
	} desc = { vpid, gla };

	return VMX_INV_INSN("invvpid", type, desc);
}

uint64_t vmcs_read(uint32_t field)
{
	uint64_t v;
	vmx_status_t s = vmread_safe(field, &v);
	char b[80];

	if (s)
		report_abort("VMREAD of VMCS field %#x: %s", field,
			     vmx_status_str(s, b, sizeof(b)));
	return v;
}

void vmcs_write(uint32_t field, uint64_t val)
{
	vmx_status_t s = vmwrite_safe(field, val);
	char b[80];

	if (s)
		report_abort("VMWRITE of %#lx to VMCS field %#x: %s", (unsigned long)val, field,
			     vmx_status_str(s, b, sizeof(b)));
}

void vmcs_set_bits(uint32_t field, uint64_t bits)
{
	vmcs_write(field, vmcs_read(field) | bits);
}

void vmcs_clear_bits(uint32_t field, uint64_t bits)
{
	vmcs_write(field, vmcs_read(field) & ~bits);
}

void vmx_set_ctl(enum vmx_ctl c, uint32_t bits)
{
	if (c == VMX_PROC2 && bits)
		vmcs_set_bits(VMCS_PROC_CTLS, PROC_SECONDARY);
	vmcs_set_bits(vmx_ctl_field(c), bits);
}

void vmx_clear_ctl(enum vmx_ctl c, uint32_t bits)
{
	vmcs_clear_bits(vmx_ctl_field(c), bits);
}

/* ---- VMX operation ---- */

static void *vmxon_region[MAX_CPUS];
static bool vmx_on[MAX_CPUS];

void *vmx_vmcs_alloc(void)
{
	uint32_t *p = alloc_zeroed_page();

	if (!p)
		report_abort("VMX: out of memory for a VMCS");
	*p = VMX_BASIC_REVISION(vmx_caps()->basic);
	return p;
}

uint64_t vmx_vmxon_pa(void)
{
	return (uintptr_t)vmxon_region[smp_id()];
}

void vmx_enable_cpu(void)
{
	const struct vmx_caps *c = vmx_caps();
	int cpu = smp_id();
	vmx_status_t s;
	char b[64];

	if (vmx_on[cpu])
		return;
	if (!vmxon_region[cpu])
		vmxon_region[cpu] = vmx_vmcs_alloc();
	if (!(rdmsr(MSR_IA32_FEATURE_CONTROL) & FEAT_CTL_LOCKED))
		wrmsr(MSR_IA32_FEATURE_CONTROL, FEAT_CTL_LOCKED | FEAT_CTL_VMX_OUTSIDE_SMX);
	write_cr0(read_cr0() | c->cr0_fixed0);
	write_cr4(read_cr4() | c->cr4_fixed0 | X86_CR4_VMXE);
	s = vmxon_safe(vmx_vmxon_pa());
	if (s)
		report_abort("VMXON on CPU %d: %s", cpu, vmx_status_str(s, b, sizeof(b)));
	vmx_on[cpu] = true;
}

void vmx_disable_cpu(void)
{
	int cpu = smp_id();

	if (!vmx_on[cpu])
		return;
	asm volatile("vmxoff" : : : "cc", "memory");
	write_cr4(read_cr4() & ~X86_CR4_VMXE);
	vmx_on[cpu] = false;
}

/* ---- guests ---- */

/* The selector register @n (0 ES .. 5 GS) of this CPU. */
static uint16_t read_sel(int n)
{
	uint16_t s = 0;

	switch (n) {
	case 0: asm volatile("mov %%es, %0" : "=r"(s)); break;
	case 1: asm volatile("mov %%cs, %0" : "=r"(s)); break;
	case 2: asm volatile("mov %%ss, %0" : "=r"(s)); break;
	case 3: asm volatile("mov %%ds, %0" : "=r"(s)); break;
	case 4: asm volatile("mov %%fs, %0" : "=r"(s)); break;
	case 5: asm volatile("mov %%gs, %0" : "=r"(s)); break;
	}
	return s;
}

static uint16_t read_tr(void)
{
	uint16_t s;

	asm volatile("str %0" : "=r"(s));
	return s;
}

/* Guest segment @n (0 ES .. 7 TR) from this CPU (25.4.1). */
static void guest_seg_from_cpu(int n, uint16_t sel)
{
	struct x86_seg s = nested_seg_from_gdt(sel);

	if (n == 4)
		s.base = rdmsr(MSR_FS_BASE);
	else if (n == 5)
		s.base = rdmsr(MSR_GS_BASE);
	vmcs_write(VMCS_SEG(VMCS_GUEST_ES_SEL, n), sel);
	vmcs_write(VMCS_SEG(VMCS_GUEST_ES_LIMIT, n), s.limit);
	vmcs_write(VMCS_SEG(VMCS_GUEST_ES_AR, n), s.ar);
	vmcs_write(VMCS_SEG(VMCS_GUEST_ES_BASE, n), s.base);
}

static void guest_state_from_cpu(void)
{
	struct desc_ptr dt;

	for (int n = 0; n < 6; n++)
		guest_seg_from_cpu(n, read_sel(n));
	guest_seg_from_cpu(6, 0);		/* LDTR: none, unusable */
	guest_seg_from_cpu(7, read_tr());
	asm volatile("sgdt %0" : "=m"(dt));
	vmcs_write(VMCS_GUEST_GDTR_BASE, dt.base);
	vmcs_write(VMCS_GUEST_GDTR_LIMIT, dt.limit);
	asm volatile("sidt %0" : "=m"(dt));
	vmcs_write(VMCS_GUEST_IDTR_BASE, dt.base);
	vmcs_write(VMCS_GUEST_IDTR_LIMIT, dt.limit);
	vmcs_write(VMCS_GUEST_CR0, read_cr0());
	vmcs_write(VMCS_GUEST_CR3, read_cr3());
	vmcs_write(VMCS_GUEST_CR4, read_cr4());
	vmcs_write(VMCS_CR0_SHADOW, read_cr0());
	vmcs_write(VMCS_CR4_SHADOW, read_cr4());
	vmcs_write(VMCS_GUEST_DR7, read_dr7());
	vmcs_write(VMCS_GUEST_RFLAGS, X86_EFLAGS_FIXED);
	vmcs_write(VMCS_GUEST_DEBUGCTL, cap_msr(MSR_IA32_DEBUGCTL));	/* Bochs has none */
	/* These two fields exist only with a control that uses them (appendix B). */
	if (vmx_ctl_allowed(VMX_ENTRY, ENTRY_LOAD_PAT) || vmx_ctl_allowed(VMX_EXIT, EXIT_SAVE_PAT))
		vmcs_write(VMCS_GUEST_PAT, rdmsr(MSR_IA32_PAT));
	if (vmx_ctl_allowed(VMX_ENTRY, ENTRY_LOAD_EFER) ||
	    vmx_ctl_allowed(VMX_EXIT, EXIT_SAVE_EFER))
		vmcs_write(VMCS_GUEST_EFER, rdmsr(MSR_EFER));
	vmcs_write(VMCS_GUEST_SYSENTER_CS, rdmsr(MSR_IA32_SYSENTER_CS));
	vmcs_write(VMCS_GUEST_SYSENTER_ESP, rdmsr(MSR_IA32_SYSENTER_ESP));
	vmcs_write(VMCS_GUEST_SYSENTER_EIP, rdmsr(MSR_IA32_SYSENTER_EIP));
	vmcs_write(VMCS_LINK_PTR, ~0ULL);
}

static void controls_default(void)
{
	vmcs_write(VMCS_PIN_CTLS, vmx_ctl_fix(VMX_PIN, 0));
	vmcs_write(VMCS_PROC_CTLS, vmx_ctl_fix(VMX_PROC, 0));
	if (vmx_ctl_allowed(VMX_PROC, PROC_SECONDARY))
		vmcs_write(VMCS_PROC_CTLS2, vmx_ctl_fix(VMX_PROC2, 0));
	vmcs_write(VMCS_EXIT_CTLS, vmx_ctl_fix(VMX_EXIT, EXIT_HOST_64));
	vmcs_write(VMCS_ENTRY_CTLS, vmx_ctl_fix(VMX_ENTRY, ENTRY_GUEST_64));
}

void vmx_guest_set_entry(struct vmx_guest *g, void (*fn)(void *), void *arg)
{
	vmcs_write(VMCS_GUEST_RIP, (uintptr_t)nested_guest_entry);
	vmcs_write(VMCS_GUEST_RSP, nested_stack_top(g->stack));
	g->gprs.rdi = (uintptr_t)arg;
	g->gprs.rsi = (uintptr_t)fn;
	g->gprs.rdx = (uintptr_t)vmx_guest_vmcall;
}

struct vmx_guest *vmx_guest_create(void (*fn)(void *), void *arg)
{
	struct vmx_guest *g = calloc(1, sizeof(*g));

	if (!g)
		report_abort("VMX: out of memory for a guest");
	vmx_enable_cpu();
	g->vmcs = vmx_vmcs_alloc();
	g->stack = nested_stack_alloc();
	g->cpu = -1;
	vmx_guest_clear(g);
	vmx_guest_load(g);
	guest_state_from_cpu();
	controls_default();
	vmx_guest_set_entry(g, fn, arg);
	return g;
}

void vmx_guest_load(struct vmx_guest *g)
{
	vmx_status_t s;
	char b[64];

	if (g->cpu >= 0 && g->cpu != smp_id())
		report_abort("VMX: VMPTRLD on CPU %d of a VMCS active on CPU %d", smp_id(),
			     g->cpu);
	vmx_enable_cpu();
	s = vmptrld_safe((uintptr_t)g->vmcs);
	if (s)
		report_abort("VMPTRLD of a guest's VMCS: %s", vmx_status_str(s, b, sizeof(b)));
	g->cpu = smp_id();
}

void vmx_guest_clear(struct vmx_guest *g)
{
	vmx_status_t s;
	char b[64];

	vmx_enable_cpu();
	s = vmclear_safe((uintptr_t)g->vmcs);
	if (s)
		report_abort("VMCLEAR of a guest's VMCS: %s", vmx_status_str(s, b, sizeof(b)));
	g->cpu = -1;
	g->launched = false;
}

void vmx_guest_free(struct vmx_guest *g)
{
	if (g->cpu >= 0 && g->cpu != smp_id())
		report_abort("VMX: freeing on CPU %d a VMCS active on CPU %d", smp_id(), g->cpu);
	if (g->cpu >= 0)
		vmx_guest_clear(g);
	if (g->io_bitmap)
		free_pages(g->io_bitmap, 1);
	if (g->msr_bitmap)
		free_page(g->msr_bitmap);
	nested_stack_free(g->stack);
	free_page(g->vmcs);
	free(g);
}

void vmx_host_override(struct vmx_guest *g, uint32_t field, uint64_t val)
{
	for (unsigned int i = 0; i < g->overrides; i++) {
		if (g->override[i].field == field) {
			g->override[i].val = val;
			return;
		}
	}
	if (g->overrides == VMX_HOST_OVERRIDES)
		report_abort("VMX: more than %d host-state overrides", VMX_HOST_OVERRIDES);
	g->override[g->overrides].field = field;
	g->override[g->overrides++].val = val;
}

void vmx_write_host_state(struct vmx_guest *g)
{
	struct desc_ptr dt;

	vmcs_write(VMCS_HOST_CR0, read_cr0());
	vmcs_write(VMCS_HOST_CR3, read_cr3());
	vmcs_write(VMCS_HOST_CR4, read_cr4());
	for (int n = 0; n < 6; n++)
		vmcs_write(VMCS_SEG(VMCS_HOST_ES_SEL, n), read_sel(n));
	vmcs_write(VMCS_HOST_TR_SEL, read_tr());
	vmcs_write(VMCS_HOST_TR_BASE, nested_seg_from_gdt(read_tr()).base);
	vmcs_write(VMCS_HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	vmcs_write(VMCS_HOST_GS_BASE, rdmsr(MSR_GS_BASE));
	asm volatile("sgdt %0" : "=m"(dt));
	vmcs_write(VMCS_HOST_GDTR_BASE, dt.base);
	asm volatile("sidt %0" : "=m"(dt));
	vmcs_write(VMCS_HOST_IDTR_BASE, dt.base);
	vmcs_write(VMCS_HOST_SYSENTER_CS, rdmsr(MSR_IA32_SYSENTER_CS));
	vmcs_write(VMCS_HOST_SYSENTER_ESP, rdmsr(MSR_IA32_SYSENTER_ESP));
	vmcs_write(VMCS_HOST_SYSENTER_EIP, rdmsr(MSR_IA32_SYSENTER_EIP));
	if (vmx_ctl_allowed(VMX_EXIT, EXIT_LOAD_PAT))
		vmcs_write(VMCS_HOST_PAT, rdmsr(MSR_IA32_PAT));
	if (vmx_ctl_allowed(VMX_EXIT, EXIT_LOAD_EFER))
		vmcs_write(VMCS_HOST_EFER, rdmsr(MSR_EFER));
	vmcs_write(VMCS_HOST_RIP, (uintptr_t)vmx_exit_host);
	for (unsigned int i = 0; i < g->overrides; i++)
		vmcs_write(g->override[i].field, g->override[i].val);
}

static void exit_read(struct vmx_exit *e)
{
	e->reason = vmcs_read(VMCS_EXIT_REASON);
	e->qual = vmcs_read(VMCS_EXIT_QUAL);
	e->intr_info = vmcs_read(VMCS_EXIT_INTR_INFO);
	e->intr_error = vmcs_read(VMCS_EXIT_INTR_ERROR);
	e->idt_info = vmcs_read(VMCS_IDT_VECTORING_INFO);
	e->idt_error = vmcs_read(VMCS_IDT_VECTORING_ERROR);
	e->insn_len = vmcs_read(VMCS_EXIT_INSN_LEN);
	e->insn_info = vmcs_read(VMCS_EXIT_INSN_INFO);
	e->gla = vmcs_read(VMCS_GUEST_LINEAR_ADDR);
	e->gpa = vmx_ctl_allowed(VMX_PROC2, PROC2_EPT) ? vmcs_read(VMCS_GUEST_PHYS_ADDR) : 0;
	e->rip = vmcs_read(VMCS_GUEST_RIP);
	e->rsp = vmcs_read(VMCS_GUEST_RSP);
	e->rflags = vmcs_read(VMCS_GUEST_RFLAGS);
}

uint64_t vmx_run_insn(struct vmx_guest *g, bool resume)
{
	bool irq_on = read_rflags() & X86_EFLAGS_IF;
	uint64_t r, err = 0;

	if (g->cpu != smp_id())
		report_abort("VMX: entering on CPU %d a VMCS current on CPU %d", smp_id(), g->cpu);
	if (!resume)
		vmx_write_host_state(g);
	irq_disable();
	r = vmx_enter_asm(g, resume);
	if (irq_on)
		irq_enable();
	g->runs++;
	if (r == 1) {
		g->status = VMX_FAIL_INVALID;
		return g->status;
	}
	if (r == 2) {
		vmread_safe(VMCS_INSN_ERROR, &err);
		g->status = VMX_FAIL_VALID(err);
		return g->status;
	}
	g->status = VMX_OK;
	exit_read(&g->exit);
	/* Only an entry that got past loading the guest state launches the VMCS (27.8). */
	if (!(g->exit.reason & EXIT_REASON_ENTRY_FAIL))
		g->launched = true;
	return g->exit.reason;
}

uint64_t vmx_run(struct vmx_guest *g)
{
	return vmx_run_insn(g, g->launched);
}

void vmx_skip_insn(struct vmx_guest *g)
{
	vmcs_write(VMCS_GUEST_RIP, vmcs_read(VMCS_GUEST_RIP) + g->exit.insn_len);
}

void vmx_inject(uint32_t type, unsigned int vector, bool has_error, uint32_t error,
		unsigned int insn_len)
{
	vmcs_write(VMCS_ENTRY_INTR_INFO,
		   INTR_INFO(type, vector) | (has_error ? INTR_INFO_ERROR_CODE : 0));
	vmcs_write(VMCS_ENTRY_EXC_ERROR, error);
	vmcs_write(VMCS_ENTRY_INSN_LEN, insn_len);
}

/* ---- bitmaps ---- */

uint8_t *vmx_io_bitmap(struct vmx_guest *g)
{
	if (!g->io_bitmap) {
		g->io_bitmap = alloc_pages(1);
		if (!g->io_bitmap)
			report_abort("VMX: out of memory for the I/O bitmaps");
		memset(g->io_bitmap, 0, 2 * PAGE_SIZE);
	}
	vmcs_write(VMCS_IO_BITMAP_A, (uintptr_t)g->io_bitmap);
	vmcs_write(VMCS_IO_BITMAP_B, (uintptr_t)g->io_bitmap + PAGE_SIZE);
	vmx_set_ctl(VMX_PROC, PROC_IO_BITMAPS);
	return g->io_bitmap;
}

void vmx_io_bitmap_set(struct vmx_guest *g, unsigned int port, unsigned int n, bool on)
{
	uint8_t *m = vmx_io_bitmap(g);

	for (unsigned int p = port; p < port + n && p < 0x10000; p++) {
		if (on)
			m[p / 8] |= 1 << (p % 8);
		else
			m[p / 8] &= ~(1 << (p % 8));
	}
}

uint8_t *vmx_msr_bitmap(struct vmx_guest *g)
{
	if (!g->msr_bitmap) {
		g->msr_bitmap = alloc_zeroed_page();
		if (!g->msr_bitmap)
			report_abort("VMX: out of memory for the MSR bitmap");
	}
	vmcs_write(VMCS_MSR_BITMAP, (uintptr_t)g->msr_bitmap);
	vmx_set_ctl(VMX_PROC, PROC_MSR_BITMAPS);
	return g->msr_bitmap;
}

/* Read bitmap for low MSRs at 0, high at 1 KiB; the write bitmaps 2 KiB later (25.6.9). */
bool vmx_msr_bitmap_set(struct vmx_guest *g, uint32_t msr, bool rd, bool wr)
{
	uint8_t *m = vmx_msr_bitmap(g);
	unsigned int base, bit;

	if (msr <= 0x1fff)
		base = 0;
	else if (msr - 0xc0000000 <= 0x1fff)
		base = 1024;
	else
		return false;
	bit = msr & 0x1fff;
	m[base + bit / 8] = (m[base + bit / 8] & ~(1 << (bit % 8))) | rd << (bit % 8);
	base += 2048;
	m[base + bit / 8] = (m[base + bit / 8] & ~(1 << (bit % 8))) | wr << (bit % 8);
	return true;
}
