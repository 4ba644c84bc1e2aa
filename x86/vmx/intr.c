// SPDX-License-Identifier: MIT
/*
 * Interrupts, NMIs, the VMX-preemption timer and INIT/SIPI in VMX non-root
 * operation (Intel SDM vol. 3C):
 * - 26.2 external-interrupt exiting: an interrupt exits (reason 1) whatever
 *   the guest's RFLAGS.IF; 28.2.2 with "acknowledge interrupt on exit" the
 *   interruption information holds its vector and the interrupt is
 *   acknowledged (in the ISR, not delivered to the host), without it the
 *   information is invalid and the interrupt stays pending for the host.
 *   Without exiting, an interrupt is delivered through the guest's IDT.
 * - 26.2, 26.7.5 interrupt-window exiting: exits at the first instruction
 *   boundary with RFLAGS.IF=1 and no blocking by STI (so after the
 *   instruction that follows STI), at once when IF is already set.
 * - 26.2, 25.3 NMI exiting: an NMI exits (reason 0, type NMI, vector 2);
 *   without it the NMI is delivered in the guest. 26.7.6, 25.3 virtual
 *   NMIs: NMI-window exiting exits at once unless blocking by NMI is set
 *   in the interruptibility state, and IRET in the guest unblocks it.
 * - 26.5.1, 26.7.4 the VMX-preemption timer counts down by one each time
 *   bit X of the TSC changes (X = IA32_VMX_MISC[4:0]) and exits (reason 52)
 *   at 0, at once for 0; with "save VMX-preemption timer value" the exit
 *   stores the remaining count, without it the field keeps its value.
 * - 25.4.2, 26.7.3 activity state HLT: the guest stays halted until an
 *   event it would wake on, here the timer's exit; 28.3.4 the exit saves
 *   the activity state.
 * - 26.2, 26.6.2: INIT exits (reason 3) in VMX non-root operation; a SIPI
 *   in the wait-for-SIPI activity state exits (reason 4) with its vector as
 *   the exit qualification (IA32_VMX_MISC[8]).
 * Known VMM caveats: see known-failures.txt (vmx*).
 */
#include "arch.h"
#include "asm/apic.h"
#include "vmx_test.h"

#define INTR_VEC	0x60
#define SIPI_VEC	0x12
#define SPIN_LOOPS	10000000

static volatile unsigned int intr_count, nmi_count;

static void intr_handler(struct ex_regs *r)
{
	intr_count++;
	apic_eoi();
}

static void nmi_handler(struct ex_regs *r)
{
	nmi_count++;
}

static bool isr_set(int vec)
{
	return apic_read(APIC_ISR + 0x10 * (vec / 32)) & BIT(vec % 32);
}

/* scratch[0] counts the guest's progress; the guest stops at VMCALL after SPIN_LOOPS. */
static void spin_guest(struct nested_ctx *ctx)
{
	for (uint64_t i = 0; i < SPIN_LOOPS; i++)
		ctx->scratch[0]++;
}

/* ---- external interrupts ---- */

/* On the guest's CPU: a self-IPI left pending (IF=0), the entry, then IF=1 briefly. */
static void extint_enter(struct nested_ctx *ctx)
{
	intr_count = 0;
	apic_icr_write(APIC_DEST_SELF | APIC_DM_FIXED | APIC_INT_ASSERT | INTR_VEC, 0);
	nested_enter_here(ctx);
	ctx->scratch[4] = intr_count;
	ctx->scratch[5] = isr_set(INTR_VEC);
	if (ctx->scratch[5])
		apic_eoi();
	irq_enable();
	asm volatile("nop");
	irq_disable();
	ctx->scratch[6] = intr_count;
}

/* @guest_if: the guest's RFLAGS.IF, which must not matter (26.2). */
static void extint_case(struct nested_ctx *ctx, bool ack, bool guest_if)
{
	handler_t old = install_exception_handler(INTR_VEC, intr_handler);
	const struct vmx_exit *e = vmx_exit(ctx);
	const char *how = ack ? "acknowledged" : guest_if ? "guest IF=1" : "guest IF=0";

	vmx_set_ctl(VMX_PIN, PIN_EXT_INTR);
	if (ack)
		vmx_set_ctl(VMX_EXIT, EXIT_ACK_INTR);
	if (guest_if)
		vmcs_set_bits(VMCS_GUEST_RFLAGS, X86_EFLAGS_IF);
	nested_on_guest_cpu(ctx, extint_enter);
	install_exception_handler(INTR_VEC, old);
	vmx_report_exit(ctx->vmx, EXIT_EXT_INTR,
			"a pending interrupt with external-interrupt exiting exits (%s)", how);
	report_eq(0, ctx->scratch[0], "the interrupt exits before the guest's first instruction "
		  "(%s)", how);
	if (ack) {
		report_eq_x(INTR_INFO(INTR_TYPE_EXT_INTR, INTR_VEC), e->intr_info,
			    "acknowledge interrupt on exit gives the vector in the information");
		report_eq(1, ctx->scratch[5],
			  "the acknowledged interrupt is in service after the exit");
		report_eq(0, ctx->scratch[6],
			  "the acknowledged interrupt is not delivered to the host");
	} else {
		report_eq(0, e->intr_info & INTR_INFO_VALID,
			  "without acknowledge on exit the interruption information is invalid "
			  "(%s)", how);
		report_eq(1, ctx->scratch[6] - ctx->scratch[4],
			  "without acknowledge on exit the interrupt stays pending for the host "
			  "(%s)", how);
	}
}

static void extint_exit_run(struct nested_ctx *ctx)
{
	extint_case(ctx, false, false);
}

static void extint_exit_if_run(struct nested_ctx *ctx)
{
	extint_case(ctx, false, true);
}

static void extint_ack_run(struct nested_ctx *ctx)
{
	extint_case(ctx, true, true);
}

/* Without exiting, with IF=1: delivered through the guest's IDT, then the guest goes on. */
static void extint_delivered_run(struct nested_ctx *ctx)
{
	handler_t old = install_exception_handler(INTR_VEC, intr_handler);

	vmx_msr_bitmap(ctx->vmx);	/* the handler's EOI, were the APIC in x2APIC mode */
	vmcs_set_bits(VMCS_GUEST_RFLAGS, X86_EFLAGS_IF);
	nested_on_guest_cpu(ctx, extint_enter);
	install_exception_handler(INTR_VEC, old);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL,
			"an interrupt without external-interrupt exiting causes no exit");
	report_eq(1, ctx->scratch[4], "the interrupt is delivered in the guest");
	report_eq(SPIN_LOOPS, ctx->scratch[0], "the guest goes on after the interrupt");
}

/* ---- interrupt window ---- */

extern char after_sti_nop[];

static void g_sti(struct nested_ctx *c)
{
	asm volatile("sti; nop\n.globl after_sti_nop\nafter_sti_nop: nop; cli");
	c->scratch[1] = 1;
}

static void intr_window_run(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_PROC, PROC_INTR_WINDOW);
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_INTR_WINDOW, "interrupt-window exiting exits after STI");
	report_eq_x((uintptr_t)after_sti_nop, vmx_exit(ctx)->rip,
		    "the interrupt window opens after the instruction that follows STI");
}

static void intr_window_open_run(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_PROC, PROC_INTR_WINDOW);
	vmcs_set_bits(VMCS_GUEST_RFLAGS, X86_EFLAGS_IF);
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_INTR_WINDOW,
			"interrupt-window exiting with RFLAGS.IF set exits at once");
	report_eq_x((uintptr_t)nested_guest_entry, vmx_exit(ctx)->rip,
		    "the exit of an open interrupt window comes before the first instruction");
}

/* ---- NMIs ---- */

static void g_self_nmi(struct nested_ctx *c)
{
	apic_icr_write(APIC_DM_NMI | APIC_INT_ASSERT, apic_id());
	for (int i = 0; i < 1000; i++)
		c->scratch[0]++;
	c->scratch[1] = 1;
}

static void nmi_exit_run(struct nested_ctx *ctx)
{
	vmx_msr_bitmap(ctx->vmx);
	vmx_set_ctl(VMX_PIN, PIN_NMI);
	nested_run(ctx);
	if (vmx_report_exit(ctx->vmx, EXIT_EXCEPTION, "an NMI with NMI exiting exits"))
		report_eq_x(INTR_INFO(INTR_TYPE_NMI, NMI_VECTOR),
			    vmx_exit(ctx)->intr_info & ~INTR_INFO_NMI_UNBLOCK,
			    "interruption information of the NMI exit: NMI, vector 2");
}

static void nmi_delivered_run(struct nested_ctx *ctx)
{
	handler_t old = install_exception_handler(NMI_VECTOR, nmi_handler);

	vmx_msr_bitmap(ctx->vmx);
	nmi_count = 0;
	nested_run(ctx);
	install_exception_handler(NMI_VECTOR, old);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "an NMI without NMI exiting causes no exit");
	report_eq(1, nmi_count, "the NMI is delivered in the guest");
}

static void nmi_window_open_run(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_PIN, PIN_NMI | PIN_VIRT_NMI);
	vmx_set_ctl(VMX_PROC, PROC_NMI_WINDOW);
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_NMI_WINDOW,
			"NMI-window exiting without virtual-NMI blocking exits at once");
	report_eq(0, ctx->scratch[0], "the NMI window exit comes before the first instruction");
}

/* An IRET to the next instruction: the guest's way to end virtual-NMI blocking. */
extern char after_iret[];

static void g_iret(struct nested_ctx *c)
{
	asm volatile("mov %%rsp, %%rax\n\t"
		     "push %%rax\n\t"		/* SS, filled below */
		     "push %%rax\n\t"		/* RSP */
		     "pushf\n\t"
		     "push %%rax\n\t"		/* CS, filled below */
		     "lea after_iret(%%rip), %%rcx\n\t"
		     "push %%rcx\n\t"
		     "mov %%ss, %%ecx\n\tmov %%rcx, 32(%%rsp)\n\t"
		     "mov %%cs, %%ecx\n\tmov %%rcx, 8(%%rsp)\n\t"
		     "iretq\n"
		     ".globl after_iret\nafter_iret:"
		     : : : "rax", "rcx", "memory");
	c->scratch[1] = 1;
}

static void vnmi_iret_run(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_PIN, PIN_NMI | PIN_VIRT_NMI);
	vmx_set_ctl(VMX_PROC, PROC_NMI_WINDOW);
	vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, INTR_BLOCK_NMI);
	nested_run(ctx);
	if (!vmx_report_exit(ctx->vmx, EXIT_NMI_WINDOW,
			     "NMI-window exiting under virtual-NMI blocking exits after IRET"))
		return;
	report_eq_x((uintptr_t)after_iret, vmx_exit(ctx)->rip,
		    "the NMI window opens right after the guest's IRET");
	report_eq(0, vmcs_read(VMCS_GUEST_INTERRUPTIBILITY) & INTR_BLOCK_NMI,
		  "IRET cleared blocking by NMI in the interruptibility state");
}

/* ---- VMX-preemption timer ---- */

#define TIMER_VALUE	2000

/* On the guest's CPU: the TSC around the entry (scratch[4], scratch[5]). */
static void timed_enter(struct nested_ctx *ctx)
{
	ctx->scratch[4] = rdtsc();
	nested_enter_here(ctx);
	ctx->scratch[5] = rdtsc();
}

/*
 * The timer counts down once per change of TSC bit X: reaching 0 from N
 * takes at least (N - 1) << X TSC ticks, all of them between the host's
 * two RDTSCs. No upper bound: an emulator may take any time to notice.
 */
static void timer_run(struct nested_ctx *ctx)
{
	unsigned int x = VMX_MISC_TIMER_RATE(vmx_caps()->misc);

	vmx_set_ctl(VMX_PIN, PIN_PREEMPT_TIMER);
	vmcs_write(VMCS_PREEMPT_TIMER, TIMER_VALUE);
	nested_on_guest_cpu(ctx, timed_enter);
	vmx_report_exit(ctx->vmx, EXIT_PREEMPT_TIMER, "the VMX-preemption timer exits at 0");
	report_in_range(1, SPIN_LOOPS - 1, ctx->scratch[0],
			"the guest runs until the preemption timer expires");
	report_in_range((uint64_t)(TIMER_VALUE - 1) << x, ~0ULL, ctx->scratch[5] - ctx->scratch[4],
			"the preemption timer of %u expires no sooner than %u << %u TSC ticks",
			TIMER_VALUE, TIMER_VALUE - 1, x);
}

static void timer_zero_run(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_PIN, PIN_PREEMPT_TIMER);
	vmcs_write(VMCS_PREEMPT_TIMER, 0);
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_PREEMPT_TIMER, "a preemption timer of 0 exits at once");
	report_eq_x((uintptr_t)nested_guest_entry, vmx_exit(ctx)->rip,
		    "a preemption timer of 0 exits before the guest's first instruction");
}

static void g_quick(struct nested_ctx *c)
{
	c->scratch[0] = 1;
}

/* TSC before and after a loop (scratch[3], scratch[4]), then VMCALL. */
static void g_timed_loop(struct nested_ctx *c)
{
	c->scratch[3] = rdtsc();
	for (int i = 0; i < 10000; i++)
		c->scratch[0]++;
	c->scratch[4] = rdtsc();
}

static void timer_save_run(struct nested_ctx *ctx)
{
	const uint32_t start = 0x10000000;
	unsigned int x = VMX_MISC_TIMER_RATE(vmx_caps()->misc);
	uint64_t ticks;

	vmx_set_ctl(VMX_PIN, PIN_PREEMPT_TIMER);
	vmcs_write(VMCS_PREEMPT_TIMER, start);
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "the guest reaches VMCALL before the timer");
	report_eq(start, vmcs_read(VMCS_PREEMPT_TIMER),
		  "without \"save VMX-preemption timer value\" the field keeps its value");
	if (!vmx_ctl_allowed(VMX_EXIT, EXIT_SAVE_PREEMPT))
		return;
	vmx_set_ctl(VMX_EXIT, EXIT_SAVE_PREEMPT);
	nested_restart(ctx);
	nested_run(ctx);
	/* The guest's loop alone saw TSC bit X change (delta >> X) - 1 times at least. */
	ticks = (ctx->scratch[4] - ctx->scratch[3]) >> x;
	ticks = ticks ? ticks - 1 : 0;
	report_in_range(1, start - ticks, vmcs_read(VMCS_PREEMPT_TIMER),
			"\"save VMX-preemption timer value\" stores the count left at the exit");
}

/* Entered halted, the guest runs nothing: the timer's exit wakes nobody but the host. */
static void hlt_activity_run(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_PIN, PIN_PREEMPT_TIMER);
	vmcs_write(VMCS_PREEMPT_TIMER, TIMER_VALUE);
	vmcs_write(VMCS_GUEST_ACTIVITY, ACTIVITY_HLT);
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_PREEMPT_TIMER,
			"a guest entered in the HLT state exits when the timer expires");
	report_eq(0, ctx->scratch[0], "a guest entered in the HLT state runs no instruction");
	report_eq(ACTIVITY_HLT, vmcs_read(VMCS_GUEST_ACTIVITY),
		  "the exit saves the HLT activity state");
}

/* ---- INIT and SIPI from another CPU ---- */

/* scratch[7]: the entering CPU's APIC ID, valid once scratch[6] is set. */
static void init_sipi_job(void *arg)
{
	struct nested_ctx *ctx = arg;

	ctx->scratch[7] = apic_id();
	__atomic_store_n(&ctx->scratch[6], 1, __ATOMIC_RELEASE);
	vmx_guest_load(ctx->vmx);
	nested_enter_here(ctx);
	vmx_guest_clear(ctx->vmx);
}

/*
 * Enter the guest on a CPU other than this one and signal it: INIT once
 * (an INIT the CPU gets in VMX root operation waits for the next entry),
 * SIPIs until the entry returns (one sent before the guest waits is lost).
 */
static void signal_guest(struct nested_ctx *ctx, uint32_t icr, bool repeat)
{
	int cpu = ctx->cpu != smp_id() ? ctx->cpu : (smp_id() + 1) % cpu_count();

	vmx_guest_clear(ctx->vmx);
	on_cpu_async(cpu, init_sipi_job, ctx);
	while (!__atomic_load_n(&ctx->scratch[6], __ATOMIC_ACQUIRE))
		pause();
	while (!repeat && !ctx->scratch[0])
		pause();
	do {
		apic_icr_write(icr, ctx->scratch[7]);
		udelay(100);
	} while (repeat && !__atomic_load_n(&ctx->exits, __ATOMIC_ACQUIRE));
	on_cpu_wait(cpu);
	vmx_guest_load(ctx->vmx);
}

/* Spins until the host sets scratch[5]. */
static void g_wait_flag(struct nested_ctx *c)
{
	while (!c->scratch[5])
		c->scratch[0]++;
}

/*
 * The INIT that exited is consumed: the next entry runs the guest on (a VMM
 * that keeps it pending makes every later entry on that CPU exit, which is
 * why this subtest comes last).
 */
static void init_run(struct nested_ctx *ctx)
{
	signal_guest(ctx, APIC_DM_INIT | APIC_INT_ASSERT, false);
	if (!vmx_report_exit(ctx->vmx, EXIT_INIT, "INIT to a CPU running a guest exits"))
		return;
	ctx->scratch[5] = 1;
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "the entry after the INIT exit runs the guest on");
}

static void sipi_run(struct nested_ctx *ctx)
{
	vmcs_write(VMCS_GUEST_ACTIVITY, ACTIVITY_WAIT_SIPI);
	signal_guest(ctx, APIC_DM_STARTUP | SIPI_VEC, true);
	if (vmx_report_exit(ctx->vmx, EXIT_SIPI, "SIPI to a guest waiting for SIPI exits"))
		report_eq_x(SIPI_VEC, vmx_exit(ctx)->qual,
			    "exit qualification of the SIPI exit is its vector");
}

VMX_TEST(extint_exit, .guest = spin_guest, .run = extint_exit_run)
VMX_TEST(extint_exit_guest_if, .guest = spin_guest, .run = extint_exit_if_run)
VMX_TEST(extint_ack_exit, .guest = spin_guest, .run = extint_ack_run)
VMX_TEST(extint_delivered, .guest = spin_guest, .run = extint_delivered_run)
VMX_TEST(intr_window_sti, .guest = g_sti, .run = intr_window_run)
VMX_TEST(intr_window_open, .guest = g_sti, .run = intr_window_open_run)
VMX_TEST(nmi_exit, .guest = g_self_nmi, .run = nmi_exit_run)
VMX_TEST(nmi_delivered, .guest = g_self_nmi, .run = nmi_delivered_run)
VMX_TEST(nmi_window_open, .guest = g_quick, .run = nmi_window_open_run)
VMX_TEST(vnmi_iret_unblocks, .guest = g_iret, .run = vnmi_iret_run)
VMX_TEST(preempt_timer_expiry, .guest = spin_guest, .run = timer_run)
VMX_TEST(preempt_timer_zero, .guest = spin_guest, .run = timer_zero_run)
VMX_TEST(preempt_timer_save, .guest = g_timed_loop, .run = timer_save_run)
VMX_TEST(hlt_activity_timer, .guest = g_quick, .run = hlt_activity_run)
VMX_TEST(init_exit, .guest = g_wait_flag, .run = init_run)
VMX_TEST(sipi_exit, .guest = g_quick, .run = sipi_run)

#define NEEDS(fn, ctl, bits, name)	static VMX_NEEDS_CTL(fn, ctl, bits, name)

NEEDS(needs_ack, VMX_EXIT, EXIT_ACK_INTR, "acknowledge interrupt on exit")
NEEDS(needs_intr_window, VMX_PROC, PROC_INTR_WINDOW, "interrupt-window exiting")
NEEDS(needs_nmi_window, VMX_PROC, PROC_NMI_WINDOW, "NMI-window exiting")
NEEDS(needs_vnmi, VMX_PIN, PIN_VIRT_NMI, "virtual NMIs")

static const char *needs_nmi_window_vnmi(void)
{
	return needs_vnmi() ?: needs_nmi_window();
}

/* A second CPU, checked after VMX itself: the image's last skip names what is missing. */
static const char *needs_two_cpus(void)
{
	return vmx_needs() ?: cpu_count() < 2 ? "needs 2 CPUs" : NULL;
}

static const char *needs_wait_sipi(void)
{
	return needs_two_cpus() ?: vmx_caps()->misc & VMX_MISC_ACT_WAIT_SIPI ? NULL :
	       "activity state wait-for-SIPI not supported (IA32_VMX_MISC[8])";
}

static const char *needs_hlt_timer(void)
{
	return vmx_needs_preempt() ?: vmx_caps()->misc & VMX_MISC_ACT_HLT ? NULL :
	       "activity state HLT not supported (IA32_VMX_MISC[6])";
}

static const struct subtest tests[] = {
	SUBTEST_NEEDS(extint_exit, vmx_needs),
	SUBTEST_NEEDS(extint_exit_guest_if, vmx_needs),
	SUBTEST_NEEDS(extint_ack_exit, needs_ack),
	SUBTEST_NEEDS(extint_delivered, vmx_needs),
	SUBTEST_NEEDS(intr_window_sti, needs_intr_window),
	SUBTEST_NEEDS(intr_window_open, needs_intr_window),
	SUBTEST_NEEDS(nmi_exit, vmx_needs),
	SUBTEST_NEEDS(nmi_delivered, vmx_needs),
	SUBTEST_NEEDS(nmi_window_open, needs_nmi_window_vnmi),
	SUBTEST_NEEDS(vnmi_iret_unblocks, needs_nmi_window_vnmi),
	SUBTEST_NEEDS(preempt_timer_expiry, vmx_needs_preempt),
	SUBTEST_NEEDS(preempt_timer_zero, vmx_needs_preempt),
	SUBTEST_NEEDS(preempt_timer_save, vmx_needs_preempt),
	SUBTEST_NEEDS(hlt_activity_timer, needs_hlt_timer),
};

NESTED_TABLE(vmx_intr_tests, tests);

/* Last in the image (main.c): an INIT a VMM fails to consume poisons later entries. */
static const struct subtest signal_tests[] = {
	SUBTEST_NEEDS(sipi_exit, needs_wait_sipi),
	SUBTEST_NEEDS(init_exit, needs_two_cpus),
};

NESTED_TABLE(vmx_signal_tests, signal_tests);
