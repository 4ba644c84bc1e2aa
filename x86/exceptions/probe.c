// SPDX-License-Identifier: MIT
/*
 * The probe machinery: a handler that records every exception a stub
 * raises (vector, error code, saved frame, CR2, DR6/DR7) and resumes it at
 * a chosen label, the environment a probe runs in, and the table checks.
 */
#include "asm/msr.h"
#include "exceptions.h"
#include "smp.h"

struct dt_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

struct stub_call {
	uint64_t fn, arg;
	struct trace *t;
};

static struct trace traces[MAX_CPUS];

/* Every vector a probe may raise; NMI and #MC keep lib's handling. */
static const int hooked[] = {
	DE_VECTOR, DB_VECTOR, BP_VECTOR, OF_VECTOR, BR_VECTOR, UD_VECTOR, NM_VECTOR, DF_VECTOR,
	TS_VECTOR, NP_VECTOR, SS_VECTOR, GP_VECTOR, PF_VECTOR, MF_VECTOR, AC_VECTOR, XM_VECTOR,
	VE_VECTOR, CP_VECTOR, 0x80, 0x81,
};
static handler_t saved_handlers[ARRAY_SIZE(hooked)];

static uint16_t read_ss(void)
{
	uint16_t ss;

	asm volatile("mov %%ss, %0" : "=r"(ss));
	return ss;
}

static void record(struct ex_regs *r)
{
	struct trace *t = &traces[smp_id()];
	int i = t->n++;

	if (i < MAX_EVENTS) {
		struct event *e = &t->ev[i];

		*e = (struct event){
			.ex = EXINFO(r->vector, r->error_code), .rip = r->rip, .cs = r->cs,
			.rflags = r->rflags, .rsp = r->rsp, .ss = r->ss, .cr2 = read_cr2(),
			.frame_top = (uintptr_t)(&r->ss + 1), .handler_rflags = read_rflags(),
			.handler_ss = read_ss(),
		};
		/* Only #DB: with DR7.GD still set, any other handler would fault here. */
		if (r->vector == DB_VECTOR) {
			e->dr6 = read_dr6();
			e->dr7 = read_dr7();
		}
	}
	/* #DF is an abort whose saved RIP is undefined (SDM 6.15): rebuild the frame. */
	if (r->vector == DF_VECTOR) {
		r->cs = KERNEL_CS;
		r->ss = KERNEL_DS;
		r->rsp = t->call_rsp - 8;
	}
	if (r->vector == DB_VECTOR && t->set_rf)
		r->rflags |= X86_EFLAGS_RF;
	if (t->tf_stop && r->rip == t->tf_stop)
		r->rflags &= ~X86_EFLAGS_TF;
	if (t->n > 64) {
		/* Runaway stepping or breakpoint: stop it; the counts will fail. */
		r->rflags &= ~X86_EFLAGS_TF;
		write_dr7(DR7_FIXED);
	}
	if (t->n > 256)
		report_abort("a probe keeps faulting: vector %lu at rip %#lx", r->vector, r->rip);
	if (t->resume)
		r->rip = t->resume;
}

static void hook(bool on)
{
	for (size_t i = 0; i < ARRAY_SIZE(hooked); i++) {
		if (on)
			saved_handlers[i] = install_exception_handler(hooked[i], record);
		else
			install_exception_handler(hooked[i], saved_handlers[i]);
	}
}

/* Regs in: rdi = argument. Out: rax. The stub may clobber the caller-saved set. */
static uint64_t call_stub(uint64_t p)
{
	struct stub_call *c = (struct stub_call *)p;
	register uint64_t rdi asm("rdi") = c->arg;
	uint64_t rax;

	asm volatile("mov %%rsp, %[sp]\n\tcall *%[fn]"
		     : "=a"(rax), [sp] "=m"(c->t->call_rsp), "+r"(rdi)
		     : [fn] "r"(c->fn)
		     : "rcx", "rdx", "rsi", "r8", "r9", "r10", "r11", "cc", "memory");
	return rax;
}

static uint8_t *current_tss(void)
{
	struct dt_ptr g;
	uint16_t tr;
	const uint64_t *gdt;
	uint64_t lo, hi;

	asm volatile("sgdt %0\n\tstr %1" : "=m"(g), "=r"(tr));
	gdt = (const uint64_t *)g.base;
	lo = gdt[tr >> 3];
	hi = gdt[(tr >> 3) + 1];
	return (uint8_t *)(uintptr_t)((lo >> 16 & 0xffffff) | (lo >> 56 & 0xff) << 24 |
				      (hi & 0xffffffff) << 32);
}

/* 64-bit TSS layout, SDM vol. 3 figure 8-11: RSP0 at 4, IST1 at 36. */
uintptr_t tss_rsp0(void)
{
	uint64_t v;

	memcpy(&v, current_tss() + 4, 8);
	return v;
}

uintptr_t tss_ist(int n)
{
	uint64_t v;

	memcpy(&v, current_tss() + 36 + 8 * (n - 1), 8);
	return v;
}

static uint8_t *idt_gate(int vec)
{
	struct dt_ptr idtr;

	asm volatile("sidt %0" : "=m"(idtr));
	return (uint8_t *)(uintptr_t)idtr.base + 16 * vec;
}

static void gate_present(int vec, bool present)
{
	uint8_t *type = idt_gate(vec) + 5;

	*type = present ? *type | 0x80 : *type & ~0x80;
}

struct trace *run_stub(const struct run *r)
{
	struct trace *t = &traces[smp_id()];
	struct stub_call c = { (uintptr_t)r->stub, r->arg, t };

	memset(t, 0, sizeof(*t));
	t->resume = (uintptr_t)r->resume;
	t->tf_stop = (uintptr_t)r->tf_stop;
	t->set_rf = r->set_rf;
	hook(true);
	if (r->user)
		t->ret = run_in_user(call_stub, (uintptr_t)&c);
	else
		t->ret = call_stub((uintptr_t)&c);
	hook(false);
	return t;
}

static uint64_t set_clear(uint64_t v, unsigned int env, unsigned int set_if, unsigned int clr_if,
			  uint64_t bit)
{
	if (env & set_if)
		v |= bit;
	if (env & clr_if)
		v &= ~bit;
	return v;
}

void env_apply(unsigned int env, struct env_saved *s)
{
	uint64_t cr0 = s->cr0 = read_cr0(), cr4 = s->cr4 = read_cr4();

	s->env = env;
	cr0 = set_clear(cr0, env, ENV_TS, 0, X86_CR0_TS);
	cr0 = set_clear(cr0, env, 0, ENV_NO_MP, X86_CR0_MP);
	cr0 = set_clear(cr0, env, ENV_EM, 0, X86_CR0_EM);
	cr0 = set_clear(cr0, env, ENV_AM, 0, X86_CR0_AM);
	cr0 = set_clear(cr0, env, 0, ENV_WP0, X86_CR0_WP);
	cr4 = set_clear(cr4, env, 0, ENV_NO_OSFXSR, X86_CR4_OSFXSR);
	cr4 = set_clear(cr4, env, 0, ENV_NO_XMMEXCPT, X86_CR4_OSXMMEXCPT);
	cr4 = set_clear(cr4, env, ENV_DE, 0, X86_CR4_DE);
	cr4 = set_clear(cr4, env, ENV_UMIP, 0, X86_CR4_UMIP);
	cr4 = set_clear(cr4, env, ENV_TSD, 0, X86_CR4_TSD);
	cr4 = set_clear(cr4, env, 0, ENV_NO_OSXSAVE, X86_CR4_OSXSAVE);
	write_cr4(cr4);
	write_cr0(cr0);
	if (env & ENV_BP_DPL0)
		idt_set_gate_dpl(BP_VECTOR, 0);
	if (env & ENV_INT80_DPL3)
		idt_set_gate_dpl(0x80, 3);
	if (env & ENV_INT81_NP)
		gate_present(0x81, false);
	if (env & ENV_GP_NP)
		gate_present(GP_VECTOR, false);
	if (env & ENV_GD)
		write_dr7(read_dr7() | DR7_GD);
}

/*
 * Reset DR7 and DR6. If a VMM left DR7.GD armed, the first MOV faults with
 * #DB, whose delivery clears GD (SDM 17.2.4), and the second one works.
 */
static void dr_reset_safe(void)
{
	for (int i = 0; i < 2; i++) {
		DECLARE_EXINFO(ex);

		asm volatile(ASM_TRY("mov %1, %%dr7") : "+r"(ex) : "r"(DR7_FIXED) : "memory");
		if (!ex)
			break;
	}
	write_dr6(DR6_INIT);
}

void env_restore(const struct env_saved *s)
{
	if (s->env & (ENV_GD | ENV_DRS))
		dr_reset_safe();
	if (s->env & ENV_GP_NP)
		gate_present(GP_VECTOR, true);
	if (s->env & ENV_INT81_NP)
		gate_present(0x81, true);
	if (s->env & ENV_INT80_DPL3)
		idt_set_gate_dpl(0x80, 0);
	if (s->env & ENV_BP_DPL0)
		idt_set_gate_dpl(BP_VECTOR, 3);
	write_cr0(s->cr0);
	write_cr4(s->cr4);
}

static uint64_t probe_arg(const struct probe *p)
{
	static struct dt_ptr dtr[MAX_CPUS][2];
	static uint8_t buf[MAX_CPUS][512] __aligned(16);
	int cpu = smp_id();

	switch (p->arg) {
	case ARG_CR0:
		return read_cr0();
	case ARG_CR3:
		return read_cr3();
	case ARG_CR4:
		return read_cr4();
	case ARG_GDTR:
		asm volatile("sgdt %0" : "=m"(dtr[cpu][0]));
		return (uintptr_t)&dtr[cpu][0];
	case ARG_IDTR:
		asm volatile("sidt %0" : "=m"(dtr[cpu][1]));
		return (uintptr_t)&dtr[cpu][1];
	case ARG_BUF:
		return (uintptr_t)buf[cpu];
	case ARG_SYSENTER_CS:
		return rdmsr(MSR_IA32_SYSENTER_CS);
	case ARG_VALUE:
		return p->value;
	default:
		return 0;
	}
}

const char *feature_name(x86_feature_t f)
{
	if (f == X86_FEATURE_UMIP)
		return "UMIP (CPUID.7.0:ECX[2])";
	if (f == X86_FEATURE_RDTSCP)
		return "RDTSCP (CPUID.80000001H:EDX[27])";
	if (f == X86_FEATURE_NX)
		return "NX (CPUID.80000001H:EDX[20])";
	return "a CPUID feature";
}

bool probe_skip(const struct probe *p)
{
	if ((p->env & ENV_UMIP) && !this_cpu_has(X86_FEATURE_UMIP)) {
		report_skip("%s: %s not supported", p->msg, feature_name(X86_FEATURE_UMIP));
		return true;
	}
	if (p->needs && !this_cpu_has(p->needs)) {
		report_skip("%s: %s not supported", p->msg, feature_name(p->needs));
		return true;
	}
	return false;
}

struct trace *probe_run(const struct probe *p, unsigned int env)
{
	struct env_saved s;
	struct trace *t;
	uint64_t arg = probe_arg(p);

	env |= p->env;
	env_apply(env, &s);
	t = run_stub(&(struct run){ .stub = p->stub, .arg = arg, .user = env & ENV_USER,
				    .resume = p->next });
	env_restore(&s);
	return t;
}

/*
 * A saved RIP named after the row's instruction, so a failure (and a
 * known-failure pin) says which one it was whatever the image's layout.
 */
static void rip_str(const struct probe *p, uint64_t rip, char *buf, size_t len)
{
	if (rip == (uintptr_t)p->insn)
		snprintf(buf, len, "the faulting instruction (%#lx)", (unsigned long)rip);
	else if (rip == (uintptr_t)p->next)
		snprintf(buf, len, "the next instruction (%#lx)", (unsigned long)rip);
	else
		snprintf(buf, len, "%#lx", (unsigned long)rip);
}

/*
 * Run one row in @env plus the row's own and check the vector and error code,
 * then the saved RIP: the instruction for a fault, the next one for a trap.
 */
void probe_check(const struct probe *p, unsigned int env)
{
	uintptr_t want = (uintptr_t)(p->trap ? p->next : p->insn);
	char e[48] = "", a[48] = "nothing (no exception)";
	struct trace *t;
	bool pass;

	if (probe_skip(p))
		return;
	t = probe_run(p, env);
	report_exc(p->expect, t->n ? t->ev[0].ex : 0, "%s", p->msg);
	if (!p->expect)
		return;
	pass = t->n && t->ev[0].rip == want;
	if (!pass) {
		rip_str(p, want, e, sizeof(e));
		if (t->n)
			rip_str(p, t->ev[0].rip, a, sizeof(a));
	}
	/* The row's message last, so known-failure globs can tell the two checks apart. */
	report_decoded(pass, e, a, "saved RIP = %s: %s",
		       p->trap ? "next instruction" : "faulting instruction", p->msg);
	if (t->n > 1)
		report_fail("%s: %d exceptions instead of one", p->msg, t->n);
}

void probe_table(const struct probe *rows, size_t n, unsigned int env)
{
	for (size_t i = 0; i < n; i++)
		probe_check(&rows[i], env);
}
