// SPDX-License-Identifier: MIT
/*
 * Physical and virtual interrupts around a guest (AMD APM vol. 2):
 * - 15.13.1, 15.21.1 INTR intercept: a physical maskable interrupt exits
 *   with VMEXIT_INTR (0x60) and stays pending (15.13) for the host to take
 *   once it sets GIF and IF. Masking: with V_INTR_MASKING=1 the host's IF
 *   at VMRUN masks physical interrupts and the guest's IF does not; with
 *   V_INTR_MASKING=0 the guest's IF masks them.
 * - 15.13.2, 15.21.9 NMI intercept: VMEXIT_NMI (0x61), the NMI stays
 *   pending until the host sets GIF; without the intercept the guest
 *   takes it through its IDT.
 * - 15.13.4, 15.21.8 INIT intercept: VMEXIT_INIT (0x63), the INIT stays
 *   pending (table 15-12); with VM_CR.R_INIT (15.30.1) it turns into #SX
 *   (vector 30) once the host sets GIF. The INIT comes from another vCPU
 *   while the guest runs, so this needs 2 CPUs.
 * - 15.13.3 SMI intercept: VMEXIT_SMI (0x62) for a self-SMI (local APIC ICR
 *   delivery mode SMI) from the guest; the SMI stays pending and the host
 *   enters SMM once it sets GIF. 10.2 (SMM): SMM is entered at
 *   SMBASE + 0x8000 with CS base SMBASE, DS base 0 and 4 GiB limits, the
 *   default SMBASE is 0x30000 and the state save area is its top 512 bytes
 *   (0x3fe00..0x3ffff). A handler at 0x38000 counts the entry in our data
 *   and executes RSM; the Bochs BIOS moves SMBASE to 0xa0000, so the same
 *   handler also goes to 0xa8000 through the i440FX's SMRAM D_OPEN while
 *   the test runs (qboot leaves SMBASE at 0x30000).
 * - 15.21.4 virtual interrupts: V_IRQ with V_INTR_VECTOR is taken through
 *   the guest's IDT when the guest's IF is set, outside an interrupt shadow,
 *   and V_INTR_PRIO > V_TPR (or V_IGN_TPR); taking it clears V_IRQ, which
 *   #VMEXIT writes back. 15.13.5 / 15.21.6 VINTR intercept: VMEXIT_VINTR
 *   (0x64) just before the guest would take it, V_IRQ still set.
 * - 15.21.2 V_TPR: with V_INTR_MASKING=1, CR8 reads and writes use V_TPR
 *   only; with V_INTR_MASKING=0, CR8 writes change both the APIC's TPR and
 *   V_TPR, and reads return the APIC's TPR.
 * A bounded guest loop follows each event that must exit: an accepted
 * interrupt or NMI is recognised at the next instruction boundary, so the
 * loop only turns a lost event into a failure instead of a hang (the same
 * for the spin limit of the vCPU that sends an IPI).
 * Known VMM caveats: see known-failures.txt (svm*).
 */
#include "asm/apic.h"
#include "asm/cr.h"
#include "arch.h"
#include "asm/desc.h"
#include "svm_test.h"

#define INTR_VEC	0x50		/* physical interrupt, host handler EOIs */
#define VINTR_VEC	0x51		/* virtual interrupt, no EOI */
#define SX_VEC		30
#define GUARD_LOOPS	1000000UL

static volatile unsigned int intr_count, nmi_count, vintr_count, sx_count;
static volatile uint64_t vintr_stage;	/* the guest's scratch[0] when V_IRQ was taken */

static void intr_handler(struct ex_regs *r)
{
	intr_count++;
	apic_eoi();
}

static void nmi_handler(struct ex_regs *r)
{
	nmi_count++;
}

static struct nested_ctx *vintr_ctx;

static void vintr_handler(struct ex_regs *r)
{
	vintr_count++;
	vintr_stage = vintr_ctx->scratch[0];
}

static void sx_handler(struct ex_regs *r)
{
	sx_count++;
}

/*
 * lib leaves the 8259 PICs as the firmware set them: under Bochs, PIT IRQ0
 * is unmasked at vector 8 through CPU 0's LINT0, and would hit the host's
 * STI below. Only APIC interrupts are wanted here.
 */
static void mask_8259(void)
{
	outb(0xff, 0x21);
	outb(0xff, 0xa1);
}

static bool irr_pending(int vec)
{
	return apic_read(APIC_IRR + 0x10 * (vec / 32)) & BIT(vec % 32);
}

/* scratch[0] counts up to GUARD_LOOPS (the guest got there: nothing exited). */
static void spin_guest(struct nested_ctx *ctx)
{
	for (uint64_t i = 0; i < GUARD_LOOPS; i++)
		ctx->scratch[0]++;
}

/* ---- INTR intercept and masking, one row per masking combination ---- */

struct intr_row {
	const char *what;
	bool vmask, host_if, guest_if;
	uint64_t exit;
};

static const struct intr_row intr_rows[] = {
	{ "V_INTR_MASKING=1, host IF=1, guest IF=0", true, true, false, SVM_EXIT_INTR },
	{ "V_INTR_MASKING=1, host IF=0, guest IF=1", true, false, true, SVM_EXIT_VMMCALL },
	{ "V_INTR_MASKING=0, host IF=1, guest IF=0", false, true, false, SVM_EXIT_VMMCALL },
	{ "V_INTR_MASKING=0, host IF=0, guest IF=1", false, false, true, SVM_EXIT_INTR },
};

struct intr_data {
	bool pending_before, pending_exit;
	unsigned int taken_at_exit, taken_after;
};

/* On the guest's CPU: a self-IPI left pending in the IRR, VMRUN, then STI. */
static void intr_host(void *arg)
{
	struct nested_ctx *ctx = arg;
	struct intr_data *d = ctx->data;
	bool irq_on = read_rflags() & X86_EFLAGS_IF;
	unsigned int before;

	irq_disable();
	before = intr_count;
	apic_icr_write(APIC_DEST_SELF | APIC_DM_FIXED | APIC_INT_ASSERT | INTR_VEC, 0);
	d->pending_before = irr_pending(INTR_VEC);
	svm_run(ctx->guest);
	d->taken_at_exit = intr_count - before;
	d->pending_exit = irr_pending(INTR_VEC);
	irq_enable();
	asm volatile("nop");
	irq_disable();
	d->taken_after = intr_count - before;
	if (irq_on)
		irq_enable();
}

static void intr_run(struct nested_ctx *ctx)
{
	const struct intr_row *r = ctx->test->arg;
	struct vmcb *v = ctx->vmcb;
	struct intr_data d = { 0 };
	handler_t old = install_exception_handler(INTR_VEC, intr_handler);

	ctx->data = &d;
	mask_8259();
	vmcb_set_intercept(v, SVM_INTERCEPT_INTR);
	if (r->vmask)
		v->control.int_ctl |= SVM_INT_CTL_V_INTR_MASKING;
	if (r->guest_if)
		v->save.rflags |= X86_EFLAGS_IF;
	ctx->guest->host_if = r->host_if;
	on_cpu(ctx->cpu, intr_host, ctx);
	install_exception_handler(INTR_VEC, old);

	report(d.pending_before, "self-IPI is pending in the IRR before VMRUN (%s)", r->what);
	svm_report_exit(ctx->guest, r->exit, "pending interrupt with %s: %s", r->what,
			r->exit == SVM_EXIT_INTR ? "VMEXIT_INTR" : "masked, guest runs to VMMCALL");
	if (r->exit == SVM_EXIT_INTR)
		report_in_range(0, GUARD_LOOPS - 1, ctx->scratch[0],
				"VMEXIT_INTR comes before the guest's loop ends (%s)", r->what);
	report_eq(0, d.taken_at_exit, "the guest does not take the interrupt (%s)", r->what);
	report(d.pending_exit, "the interrupt is still pending after #VMEXIT (%s)", r->what);
	report_eq(1, d.taken_after, "the host takes it once with GIF=1 and IF=1 (%s)", r->what);
}

#define INTR_TEST(id, row)	\
	SVM_TEST(id, .guest = spin_guest, .run = intr_run, .arg = &intr_rows[row])

INTR_TEST(intr_vmask_host_if, 0)
INTR_TEST(intr_vmask_host_masked, 1)
INTR_TEST(intr_novmask_guest_masked, 2)
INTR_TEST(intr_novmask_guest_if, 3)

/* ---- events from another vCPU: INTR and INIT ---- */

enum { S_RUNNING = 3, S_GIVE_UP, S_APIC_ID, S_EXITED };	/* scratch slots */

/*
 * Hang guard: spins the sender waits for the guest's exit once the event
 * is sent. A correct VMM needs a handful; this only bounds a lost event.
 */
#define REMOTE_GUARD_SPINS	(1UL << 28)

/* Guest: says it runs, then waits for an event to take it out. */
static void remote_guest(struct nested_ctx *ctx)
{
	ctx->scratch[S_RUNNING] = 1;
	while (!ctx->scratch[S_GIVE_UP])
		pause();
}

struct remote_data {
	uint32_t icr;			/* what the other vCPU sends */
	bool r_init, r_init_set;	/* INIT: VM_CR.R_INIT wanted, and took */
	exinfo_t vm_cr_ex;		/* what accessing VM_CR raised */
	uint64_t vm_cr;			/* VM_CR read back after setting R_INIT */
	unsigned int taken_after;	/* handler calls after the host's GIF=1, IF=1 */
};

/* The other vCPU: send once the guest runs, give up after the guard. */
static void remote_sender(void *arg)
{
	struct nested_ctx *ctx = arg;
	struct remote_data *d = ctx->data;

	while (!ctx->scratch[S_RUNNING] && !ctx->scratch[S_EXITED])
		pause();
	if (ctx->scratch[S_RUNNING])
		apic_icr_write(d->icr, ctx->scratch[S_APIC_ID]);
	for (unsigned long i = 0; !ctx->scratch[S_EXITED] && i < REMOTE_GUARD_SPINS; i++)
		pause();
	ctx->scratch[S_GIVE_UP] = 1;
}

static void remote_host(void *arg)
{
	struct nested_ctx *ctx = arg;
	struct remote_data *d = ctx->data;
	bool irq_on = read_rflags() & X86_EFLAGS_IF;
	unsigned int before = intr_count + sx_count;
	uint64_t vm_cr = 0;

	irq_disable();
	if (d->r_init) {
		d->vm_cr_ex = rdmsr_safe(MSR_VM_CR, &vm_cr);
		if (!d->vm_cr_ex)
			d->vm_cr_ex = wrmsr_safe(MSR_VM_CR, vm_cr | VM_CR_R_INIT);
		if (!d->vm_cr_ex)
			d->vm_cr_ex = rdmsr_safe(MSR_VM_CR, &vm_cr);
		d->vm_cr = vm_cr;
		d->r_init_set = !d->vm_cr_ex && (vm_cr & VM_CR_R_INIT);
		if (!d->r_init_set) {
			ctx->scratch[S_GIVE_UP] = 1;	/* an INIT would reset this CPU */
			ctx->scratch[S_EXITED] = 1;
			goto out;
		}
	}
	ctx->scratch[S_APIC_ID] = apic_id();
	svm_run(ctx->guest);
	ctx->scratch[S_EXITED] = 1;
	irq_enable();
	asm volatile("nop");
	irq_disable();
	d->taken_after = intr_count + sx_count - before;
	if (d->r_init)
		wrmsr(MSR_VM_CR, vm_cr & ~VM_CR_R_INIT);
out:
	if (irq_on)
		irq_enable();
}

/* The guest on ctx->cpu, the sender on the next CPU. */
static void remote_run_both(struct nested_ctx *ctx)
{
	int sender = (ctx->cpu + 1) % cpu_count();

	if (sender == smp_id()) {
		on_cpu_async(ctx->cpu, remote_host, ctx);
		remote_sender(ctx);
		on_cpu_wait(ctx->cpu);
	} else {
		on_cpu_async(sender, remote_sender, ctx);
		on_cpu(ctx->cpu, remote_host, ctx);
		on_cpu_wait(sender);
	}
}

static void remote_intr_run(struct nested_ctx *ctx)
{
	struct remote_data d = { .icr = APIC_DM_FIXED | APIC_INT_ASSERT | INTR_VEC };
	handler_t old = install_exception_handler(INTR_VEC, intr_handler);

	ctx->data = &d;
	mask_8259();
	/* Both IFs set: the masking rules are the intr_* rows' business. */
	vmcb_set_intercept(ctx->vmcb, SVM_INTERCEPT_INTR);
	ctx->vmcb->control.int_ctl |= SVM_INT_CTL_V_INTR_MASKING;
	ctx->vmcb->save.rflags |= X86_EFLAGS_IF;
	ctx->guest->host_if = true;
	remote_run_both(ctx);
	install_exception_handler(INTR_VEC, old);
	svm_report_exit(ctx->guest, SVM_EXIT_INTR,
			"IPI from another vCPU to the guest's vCPU exits with VMEXIT_INTR");
	report_eq(1, d.taken_after, "the IPI stays pending and the host takes it after #VMEXIT");
}

SVM_TEST(intr_remote_ipi, .guest = remote_guest, .run = remote_intr_run)

static void init_run(struct nested_ctx *ctx)
{
	struct remote_data d = { .icr = APIC_DM_INIT | APIC_INT_ASSERT, .r_init = true };
	handler_t old = install_exception_handler(SX_VEC, sx_handler);
	char got[32] = "";

	ctx->data = &d;
	mask_8259();
	vmcb_set_intercept(ctx->vmcb, SVM_INTERCEPT_INIT);
	remote_run_both(ctx);
	install_exception_handler(SX_VEC, old);
	if (d.vm_cr_ex)
		arch_exinfo_str(d.vm_cr_ex, got, sizeof(got));
	else if (!d.r_init_set)
		snprintf(got, sizeof(got), "VM_CR %#lx", (unsigned long)d.vm_cr);
	if (!report_decoded(d.r_init_set, "VM_CR with R_INIT (bit 1) set", got,
			    "VM_CR.R_INIT can be set (APM 15.30.1)")) {
		report_info("no INIT sent: it would reset this CPU");
		return;
	}
	svm_report_exit(ctx->guest, SVM_EXIT_INIT,
			"INIT from another vCPU to the guest's vCPU exits with VMEXIT_INIT");
	report_eq(1, d.taken_after,
		  "the INIT stays pending and becomes #SX in the host with R_INIT at GIF=1");
}

SVM_TEST(init_intercept, .guest = remote_guest, .run = init_run)

/* ---- NMI: a self-NMI from the guest ---- */

static void nmi_guest(struct nested_ctx *ctx)
{
	unsigned int before = nmi_count;

	apic_icr_write(APIC_DM_NMI | APIC_INT_ASSERT, apic_id());
	for (uint64_t i = 0; i < GUARD_LOOPS && nmi_count == before; i++)
		ctx->scratch[0]++;
	ctx->scratch[1] = nmi_count - before;
}

struct nmi_data {
	unsigned int before, after;
};

static void nmi_host(void *arg)
{
	struct nested_ctx *ctx = arg;
	struct nmi_data *d = ctx->data;

	d->before = nmi_count;
	svm_run(ctx->guest);	/* STGI inside: a pending NMI is taken there */
	d->after = nmi_count;
}

static void nmi_run(struct nested_ctx *ctx)
{
	struct nmi_data d;
	handler_t old = install_exception_handler(NMI_VECTOR, nmi_handler);

	ctx->data = &d;
	vmcb_set_intercept(ctx->vmcb, SVM_INTERCEPT_NMI);
	on_cpu(ctx->cpu, nmi_host, ctx);
	svm_report_exit(ctx->guest, SVM_EXIT_NMI, "self-NMI with the NMI intercept exits");
	report_eq(0, ctx->scratch[1], "the intercepted NMI is not delivered to the guest");
	report_eq(1, d.after - d.before, "the intercepted NMI stays pending: the host takes it "
		  "at STGI");

	vmcb_clear_intercept(ctx->vmcb, SVM_INTERCEPT_NMI);
	nested_restart(ctx);
	ctx->scratch[0] = ctx->scratch[1] = 0;
	on_cpu(ctx->cpu, nmi_host, ctx);
	install_exception_handler(NMI_VECTOR, old);
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL,
			"self-NMI without the NMI intercept: guest runs to VMMCALL");
	report_eq(1, ctx->scratch[1], "without the intercept the guest takes its NMI");
	report_eq(1, d.after - d.before, "the NMI is handled once, in the guest: none is left "
		  "for the host");
}

SVM_TEST(nmi_intercept, .guest = nmi_guest, .run = nmi_run)

/* ---- SMI: a self-SMI from the guest ---- */

#define SMM_ENTRY	0x38000UL	/* default SMBASE 0x30000 + 0x8000 */
#define SMM_ENTRY_A	0xa8000UL	/* SMBASE 0xa0000, where a BIOS moves it */
#define SMM_CODE_LEN	10

/* i440FX (the pc machine's host bridge, 8086:1237) SMRAM register 0x72. */
#define I440FX_ID	0x12378086
#define SMRAM_D_OPEN	0x40
#define SMRAM_D_LCK	0x10
#define SMRAM_G_SMRAME	0x08

static volatile uint32_t smi_count;

static uint32_t pci_host_read(unsigned int reg)
{
	outl(0x80000000 | reg, 0xcf8);
	return inl(0xcfc);
}

static void smram_write(uint8_t val)
{
	outl(0x80000070, 0xcf8);
	outb(val, 0xcfe);
}

/*
 * 16-bit SMM code: "inc dword [smi_count]" with operand and address size
 * prefixes (DS base is 0 in SMM), then RSM. It goes to the default entry
 * point and, when the i440FX's SMRAM is enabled and not locked (the Bochs
 * BIOS relocates SMBASE to 0xa0000 and leaves its handler there), also to
 * 0xa8000 through D_OPEN; @save keeps what was there, @restore puts it back.
 */
static bool smm_handler_install(uint8_t *save, const uint8_t *restore)
{
	uint32_t addr = (uint32_t)(uintptr_t)&smi_count;
	uint8_t code[SMM_CODE_LEN] = {
		0x66, 0x67, 0xff, 0x05, addr, addr >> 8, addr >> 16, addr >> 24,
		0x0f, 0xaa,
	};
	uint8_t smram;

	memcpy((void *)SMM_ENTRY, code, sizeof(code));
	if (pci_host_read(0) != I440FX_ID)
		return false;
	smram = pci_host_read(0x70) >> 16;
	if (!(smram & SMRAM_G_SMRAME) || (smram & SMRAM_D_LCK))
		return false;
	smram_write(smram | SMRAM_D_OPEN);
	if (save)
		memcpy(save, (void *)SMM_ENTRY_A, SMM_CODE_LEN);
	memcpy((void *)SMM_ENTRY_A, restore ? restore : code, SMM_CODE_LEN);
	smram_write(smram & ~SMRAM_D_OPEN);
	return true;
}

static void smi_guest(struct nested_ctx *ctx)
{
	apic_icr_write(APIC_DM_SMI | APIC_INT_ASSERT, apic_id());
	for (uint64_t i = 0; i < GUARD_LOOPS; i++)
		ctx->scratch[0]++;
}

struct smi_data {
	unsigned int after;
};

static void smi_host(void *arg)
{
	struct nested_ctx *ctx = arg;
	struct smi_data *d = ctx->data;
	unsigned int before = smi_count;

	/* svm_run() returns with GIF=1: the pending SMI is taken at its STGI. */
	svm_run(ctx->guest);
	d->after = smi_count - before;
}

static void smi_run(struct nested_ctx *ctx)
{
	struct smi_data d = { 0 };
	uint8_t bios[SMM_CODE_LEN];
	bool smram;

	ctx->data = &d;
	smram = smm_handler_install(bios, NULL);
	vmcb_set_intercept(ctx->vmcb, SVM_INTERCEPT_SMI);
	on_cpu(ctx->cpu, smi_host, ctx);
	if (smram)
		smm_handler_install(NULL, bios);
	svm_report_exit(ctx->guest, SVM_EXIT_SMI, "self-SMI with the SMI intercept exits");
	report_in_range(0, GUARD_LOOPS - 1, ctx->scratch[0],
			"VMEXIT_SMI comes before the guest's loop ends");
	report_eq(1, d.after, "the intercepted SMI stays pending: the host enters SMM once "
		  "at STGI");
}

SVM_TEST(smi_intercept, .guest = smi_guest, .run = smi_run)

/* ---- virtual interrupts ---- */

static uint64_t vint_ctl(int prio, int tpr, bool ign)
{
	return SVM_INT_CTL_V_IRQ | SVM_INT_CTL_V_INTR_VECTOR(VINTR_VEC) |
	       SVM_INT_CTL_V_INTR_PRIO(prio) | SVM_INT_CTL_V_TPR(tpr) |
	       (ign ? SVM_INT_CTL_V_IGN_TPR : 0) | SVM_INT_CTL_V_INTR_MASKING;
}

static handler_t vintr_begin(struct nested_ctx *ctx)
{
	vintr_ctx = ctx;
	vintr_count = 0;
	vintr_stage = ~0ULL;
	return install_exception_handler(VINTR_VEC, vintr_handler);
}

static void vintr_intercept_run(struct nested_ctx *ctx)
{
	struct vmcb *v = ctx->vmcb;
	handler_t old = vintr_begin(ctx);

	v->control.int_ctl = vint_ctl(0xf, 0, false);
	v->save.rflags |= X86_EFLAGS_IF;
	vmcb_set_intercept(v, SVM_INTERCEPT_VINTR);
	nested_run(ctx);
	install_exception_handler(VINTR_VEC, old);
	svm_report_exit(ctx->guest, SVM_EXIT_VINTR,
			"pending V_IRQ with the guest's IF=1 and the VINTR intercept exits");
	report_eq(0, vintr_count, "the virtual interrupt is not taken before VMEXIT_VINTR");
	report(v->control.int_ctl & SVM_INT_CTL_V_IRQ,
	       "V_IRQ is still set in the VMCB after VMEXIT_VINTR");
}

SVM_TEST(vintr_intercept, .guest = spin_guest, .run = vintr_intercept_run)

/* scratch[0] = 1 around an STI window, 2 after it. */
static void vintr_sti_guest(struct nested_ctx *ctx)
{
	ctx->scratch[0] = 1;
	asm volatile("sti; nop; cli" : : : "memory");
	ctx->scratch[0] = 2;
}

static void vintr_delivery_run(struct nested_ctx *ctx)
{
	struct vmcb *v = ctx->vmcb;
	handler_t old = vintr_begin(ctx);

	v->control.int_ctl = vint_ctl(0xf, 0, false);
	nested_run(ctx);
	install_exception_handler(VINTR_VEC, old);
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL, "guest with a pending V_IRQ runs to VMMCALL");
	report_eq(1, vintr_count, "the guest takes the virtual interrupt once");
	report_eq(1, vintr_stage, "the virtual interrupt waits for the guest's STI");
	report_eq(0, v->control.int_ctl & SVM_INT_CTL_V_IRQ,
		  "taking the virtual interrupt clears V_IRQ in the VMCB");
}

SVM_TEST(vintr_delivery, .guest = vintr_sti_guest, .run = vintr_delivery_run)

struct prio_row {
	int prio, tpr;
	bool ign, taken;
};

static const struct prio_row prio_rows[] = {
	{ 3, 3, false, false }, { 4, 3, false, true }, { 0, 0, false, false },
	{ 15, 14, false, true }, { 2, 3, true, true }, { 0, 15, true, true },
};

static void vintr_priority_run(struct nested_ctx *ctx)
{
	struct vmcb *v = ctx->vmcb;
	handler_t old = vintr_begin(ctx);

	v->save.rflags |= X86_EFLAGS_IF;
	for (size_t i = 0; i < ARRAY_SIZE(prio_rows); i++) {
		const struct prio_row *r = &prio_rows[i];

		vintr_count = 0;
		nested_restart(ctx);
		v->control.int_ctl = vint_ctl(r->prio, r->tpr, r->ign);
		nested_run(ctx);
		svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL,
				"guest with V_INTR_PRIO %d, V_TPR %d%s runs to VMMCALL", r->prio,
				r->tpr, r->ign ? ", V_IGN_TPR" : "");
		report_eq(r->taken, vintr_count, "V_IRQ with V_INTR_PRIO %d, V_TPR %d%s is %s",
			  r->prio, r->tpr, r->ign ? ", V_IGN_TPR" : "",
			  r->taken ? "taken" : "held (priority not above V_TPR)");
	}
	install_exception_handler(VINTR_VEC, old);
}

SVM_TEST(vintr_priority, .guest = vintr_sti_guest, .run = vintr_priority_run)

/* V_TPR 5 holds a priority-4 V_IRQ until the guest writes CR8 = 3. */
static void tpr_lower_guest(struct nested_ctx *ctx)
{
	ctx->scratch[0] = 1;
	write_cr8(3);
	ctx->scratch[0] = 2;
}

static void vintr_tpr_lower_run(struct nested_ctx *ctx)
{
	struct vmcb *v = ctx->vmcb;
	handler_t old = vintr_begin(ctx);

	v->control.int_ctl = vint_ctl(4, 5, false);
	v->save.rflags |= X86_EFLAGS_IF;
	nested_run(ctx);
	install_exception_handler(VINTR_VEC, old);
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL, "guest lowering its CR8 runs to VMMCALL");
	report_eq(1, vintr_count, "lowering V_TPR below V_INTR_PRIO lets the V_IRQ in once");
	report_eq(1, vintr_stage, "the V_IRQ is taken right after the CR8 write");
	report_eq(3, v->control.int_ctl & 0xf, "the guest's CR8 write is in V_TPR");
}

SVM_TEST(vintr_tpr_lowering, .guest = tpr_lower_guest, .run = vintr_tpr_lower_run)

/* ---- V_TPR and the APIC's TPR ---- */

#define HOST_TPR	0x20	/* APIC TPR of the host: priority class 2 */
#define GUEST_VTPR	9

/* scratch[0]: CR8 as the guest reads it; then CR8 = 3. */
static void cr8_guest(struct nested_ctx *ctx)
{
	ctx->scratch[0] = read_cr8();
	write_cr8(3);
}

struct tpr_data {
	uint32_t after;
};

static void tpr_host(void *arg)
{
	struct nested_ctx *ctx = arg;
	struct tpr_data *d = ctx->data;

	apic_write(APIC_TASKPRI, HOST_TPR);
	svm_run(ctx->guest);
	d->after = apic_read(APIC_TASKPRI) & 0xff;
	apic_write(APIC_TASKPRI, 0);
}

static void v_tpr_run(struct nested_ctx *ctx)
{
	bool vmask = ctx->test->arg != NULL;
	const char *m = vmask ? "V_INTR_MASKING=1" : "V_INTR_MASKING=0";
	struct vmcb *v = ctx->vmcb;
	struct tpr_data d;

	ctx->data = &d;
	v->control.int_ctl = SVM_INT_CTL_V_TPR(GUEST_VTPR) |
			     (vmask ? SVM_INT_CTL_V_INTR_MASKING : 0);
	on_cpu(ctx->cpu, tpr_host, ctx);
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL, "guest reading and writing CR8 with %s "
			"runs to VMMCALL", m);
	report_eq(vmask ? GUEST_VTPR : HOST_TPR >> 4, ctx->scratch[0],
		  "with %s, MOV from CR8 returns %s", m, vmask ? "V_TPR" : "the APIC's TPR");
	report_eq(3, v->control.int_ctl & 0xf, "with %s, MOV to CR8 writes V_TPR", m);
	report_eq_x(vmask ? HOST_TPR : 0x30, d.after, "with %s, MOV to CR8 %s the APIC's TPR", m,
		    vmask ? "leaves alone" : "also writes");
}

SVM_TEST(v_tpr_masking, .guest = cr8_guest, .run = v_tpr_run, .arg = "masking")
SVM_TEST(v_tpr_no_masking, .guest = cr8_guest, .run = v_tpr_run)

static const struct subtest tests[] = {
	SUBTEST_NEEDS(intr_vmask_host_if, svm_needs),
	SUBTEST_NEEDS(intr_vmask_host_masked, svm_needs),
	SUBTEST_NEEDS(intr_novmask_guest_masked, svm_needs),
	SUBTEST_NEEDS(intr_novmask_guest_if, svm_needs),
	SUBTEST_SMP(intr_remote_ipi, svm_needs, 2),
	SUBTEST_SMP(init_intercept, svm_needs, 2),
	SUBTEST_NEEDS(nmi_intercept, svm_needs),
	SUBTEST_NEEDS(smi_intercept, svm_needs),
	SUBTEST_NEEDS(vintr_intercept, svm_needs),
	SUBTEST_NEEDS(vintr_delivery, svm_needs),
	SUBTEST_NEEDS(vintr_priority, svm_needs),
	SUBTEST_NEEDS(vintr_tpr_lowering, svm_needs),
	SUBTEST_NEEDS(v_tpr_masking, svm_needs),
	SUBTEST_NEEDS(v_tpr_no_masking, svm_needs),
};

NESTED_TABLE(svm_intr_tests, tests);
