// SPDX-License-Identifier: MIT
/*
 * Priorities and the life of an interrupt in one local APIC: TPR, PPR and
 * CR8, what TPR and in-service interrupts hold back, the order pending
 * vectors are taken in, nesting, IRR/ISR/TMR as handlers see them, EOI,
 * coalescing of a vector already pending, self-IPIs (SDM 11.6.1, 11.8.3.1,
 * 11.8.4-11.8.6; APM 16.6). Interrupts are generated with self-IPIs while
 * IF=0 and taken once IF is set, so every step is deterministic.
 */
#include "apic_test.h"

/* Nothing of @vec is taken within 1 ms with IF=1, though it sits in IRR. */
static void held(unsigned int vec, unsigned int before, const char *why)
{
	irq_settle(1000);
	irq_disable();
	report_irq(smp_id(), vec, before, "%s holds vector %#x", why, vec);
}

static void deliver(unsigned int vec, unsigned int n, const char *what)
{
	irq_wait(vec, n);
	report_irq(smp_id(), vec, n, "%s", what);
}

/* SDM 11.8.3.1: TPR bits 7:0 are read/write; PPR = TPR while nothing is in service. */
void tpr_ppr(void)
{
	for (unsigned int i = 0; i < 16; i++) {
		uint32_t tpr = i * 0x11;

		apic_write(APIC_TASKPRI, tpr);
		report_eq_x(tpr, apic_read(APIC_TASKPRI), "TPR reads back %#04x", tpr);
		report_eq_x(tpr, apic_read(APIC_PROCPRI),
			    "PPR is TPR %#04x with nothing in service", tpr);
	}
	apic_restore();
}

/*
 * SDM 11.8.6.1, APM 16.6.4: CR8[3:0] is TPR[7:4]; a CR8 write sets TPR[7:4]
 * and clears TPR[3:0].
 */
void cr8_tpr(void)
{
	for (unsigned int i = 0; i < 16; i++) {
		uint32_t tpr = i << 4 | (15 - i);

		apic_write(APIC_TASKPRI, tpr);
		report_eq_x(i, read_cr8(), "CR8 reads TPR[7:4] of TPR %#04x", tpr);
	}
	for (unsigned int i = 0; i < 16; i++) {
		write_cr8(i);
		report_eq_x(i << 4, apic_read(APIC_TASKPRI), "CR8 write of %u sets TPR to %#04x",
			    i, i << 4);
	}
	write_cr8(0);
	apic_restore();
}

/* Take @vec now and return with it in service (its handler does no EOI). */
static void into_service(unsigned int vec)
{
	irq_install(vec, NULL, 0);
	irq_disable();
	apic_self_ipi(vec);
	irq_wait(vec, 1);
}

/* SDM 11.8.3.1: PPR = TPR if TPR[7:4] >= ISRV[7:4], else ISRV[7:4] << 4. */
void ppr_in_service(void)
{
	static const uint8_t tprs[] = { 0x00, 0x3f, 0x50, 0x5f, 0x60, 0x7a };

	into_service(VEC_52);
	report_irq(smp_id(), VEC_52, 1, "vector 0x52 is taken and left in service");
	for (size_t i = 0; i < ARRAY_SIZE(tprs); i++) {
		uint32_t want = (tprs[i] >> 4) >= 5 ? tprs[i] : 0x50;

		apic_write(APIC_TASKPRI, tprs[i]);
		report_eq_x(want, apic_read(APIC_PROCPRI), "PPR with 0x52 in service and TPR %#04x",
			    tprs[i]);
	}
	apic_eoi();
	irq_uninstall(VEC_52);
	apic_restore();
}

/* SDM 11.8.3.1: a fixed interrupt is taken only if its class is above PPR[7:4]. */
void tpr_blocks(void)
{
	irq_install(VEC_41, NULL, IRQ_EOI);
	irq_install(VEC_5A, NULL, IRQ_EOI);
	irq_install(VEC_62, NULL, IRQ_EOI);
	apic_write(APIC_TASKPRI, 0x50);
	irq_disable();
	apic_self_ipi(VEC_5A);
	apic_self_ipi(VEC_41);
	apic_self_ipi(VEC_62);
	report(wait_irr(VEC_5A) && wait_irr(VEC_41), "vectors 0x5a and 0x41 reach IRR");
	deliver(VEC_62, 1, "TPR 0x50 lets vector 0x62 through");
	held(VEC_5A, 0, "TPR 0x50 (the same class)");
	held(VEC_41, 0, "TPR 0x50");
	report(apic_vec_test(APIC_IRR, VEC_5A), "vector 0x5a held by TPR stays in IRR");
	apic_write(APIC_TASKPRI, 0x4f);
	deliver(VEC_5A, 1, "lowering TPR to 0x4f delivers vector 0x5a");
	held(VEC_41, 0, "TPR 0x4f (the same class)");
	apic_write(APIC_TASKPRI, 0x3f);
	deliver(VEC_41, 1, "lowering TPR to 0x3f delivers vector 0x41");
	irq_uninstall(VEC_41);
	irq_uninstall(VEC_5A);
	irq_uninstall(VEC_62);
	apic_restore();
}

static const uint8_t order_vecs[] = { VEC_31, VEC_94, VEC_52, VEC_73, VEC_55, VEC_5A };
static const char order_want[] = "0x94 0x73 0x5a 0x55 0x52 0x31";

/* The vectors of order_vecs[] by delivery order, as text. */
static void delivered_order(char *buf, size_t len)
{
	uint64_t last = 0;
	size_t n = 0;

	buf[0] = 0;
	for (size_t k = 0; k < ARRAY_SIZE(order_vecs) && n < len; k++) {
		uint64_t best = ~0ULL;
		int vec = -1;

		for (size_t i = 0; i < ARRAY_SIZE(order_vecs); i++) {
			uint64_t seq = irq_last(smp_id(), order_vecs[i]).seq;

			if (seq > last && seq < best) {
				best = seq;
				vec = order_vecs[i];
			}
		}
		if (vec < 0)
			break;
		last = best;
		n += snprintf(buf + n, len - n, "%s%#x", k ? " " : "", vec);
	}
}

/*
 * SDM 11.8.3.1, 11.8.4: of the vectors in IRR the highest is taken first,
 * classes and, within a class, vectors in order; its handler sees its ISR
 * bit set and its IRR bit clear, TMR clear for an edge-triggered IPI.
 */
void pending_order(void)
{
	int cpu = smp_id();
	char got[64];

	for (size_t i = 0; i < ARRAY_SIZE(order_vecs); i++)
		irq_install(order_vecs[i], NULL, IRQ_EOI);
	irq_disable();
	for (size_t i = 0; i < ARRAY_SIZE(order_vecs); i++) {
		apic_self_ipi(order_vecs[i]);
		wait_irr(order_vecs[i]);
	}
	irq_wait(VEC_31, 1);
	delivered_order(got, sizeof(got));
	report_decoded(!strcmp(got, order_want), order_want, got,
		       "pending vectors are taken highest first");
	for (size_t i = 0; i < ARRAY_SIZE(order_vecs); i++) {
		unsigned int vec = order_vecs[i];
		struct irq_event e = irq_last(cpu, vec);

		report_irq(cpu, vec, 1, "vector %#x pending with IF=0 is taken once", vec);
		report(e.isr && !e.irr, "vector %#x is in ISR and not in IRR in its handler", vec);
		report(!e.tmr, "TMR is clear in the handler of edge-triggered vector %#x", vec);
	}
	for (size_t i = 0; i < ARRAY_SIZE(order_vecs); i++)
		irq_uninstall(order_vecs[i]);
	apic_restore();
}

static unsigned int inner_62, inner_58;

/* Handler of 0x52: raise 0x58 (same class) and 0x62 (higher), open IF, see what comes. */
static void nest_52(int vec, struct ex_regs *r)
{
	apic_self_ipi(VEC_58);
	apic_self_ipi(VEC_62);
	wait_irr(VEC_58);
	irq_settle(1000);
	irq_disable();
	inner_62 = irq_count(smp_id(), VEC_62);
	inner_58 = irq_count(smp_id(), VEC_58);
}

/* SDM 11.8.3: an interrupt of a higher class preempts a handler that sets IF; not its own. */
void nesting(void)
{
	int cpu = smp_id();

	irq_install(VEC_52, nest_52, IRQ_EOI);
	irq_install(VEC_58, NULL, IRQ_EOI);
	irq_install(VEC_62, NULL, IRQ_EOI);
	irq_disable();
	apic_self_ipi(VEC_52);
	irq_wait(VEC_58, 1);
	report_eq(1, inner_62, "vector 0x62 preempts the handler of 0x52");
	report_eq(0, inner_58, "vector 0x58 (the same class) waits for the EOI of 0x52");
	report_irq(cpu, VEC_58, 1, "vector 0x58 is taken after the EOI of 0x52");
	report(irq_last(cpu, VEC_62).seq < irq_last(cpu, VEC_58).seq,
	       "the preempting 0x62 came before 0x58");
	irq_uninstall(VEC_52);
	irq_uninstall(VEC_58);
	irq_uninstall(VEC_62);
	apic_restore();
}

/* SDM 11.8.5: EOI clears the highest ISR bit; PPR follows. */
void isr_eoi(void)
{
	into_service(VEC_52);
	into_service(VEC_62);
	report(apic_vec_test(APIC_ISR, VEC_52) && apic_vec_test(APIC_ISR, VEC_62),
	       "0x52 and 0x62 both in service");
	report_eq_x(0x60, apic_read(APIC_PROCPRI), "PPR is 0x60 with 0x52 and 0x62 in service");
	irq_install(VEC_55, NULL, IRQ_EOI);
	apic_self_ipi(VEC_55);
	held(VEC_55, 0, "0x62 in service");
	apic_eoi();
	report(apic_vec_test(APIC_ISR, VEC_52) && !apic_vec_test(APIC_ISR, VEC_62),
	       "the first EOI clears the highest ISR bit (0x62)");
	report_eq_x(0x50, apic_read(APIC_PROCPRI), "PPR is 0x50 once 0x62 is done");
	held(VEC_55, 0, "0x52 in service (the same class)");
	apic_eoi();
	deliver(VEC_55, 1, "vector 0x55 is taken after the EOI of 0x52");
	report_eq(-1, apic_vec_highest(APIC_ISR), "ISR is empty after the EOIs");
	irq_uninstall(VEC_52);
	irq_uninstall(VEC_62);
	irq_uninstall(VEC_55);
	apic_restore();
}

/* SDM 11.8.4: one IRR bit per vector; a vector in service can be pending again. */
void coalescing(void)
{
	int cpu = smp_id();

	irq_install(VEC_41, NULL, IRQ_EOI);
	irq_disable();
	apic_self_ipi(VEC_41);
	wait_irr(VEC_41);
	apic_self_ipi(VEC_41);
	irq_settle(1000);
	report_irq(cpu, VEC_41, 1, "two self-IPIs of 0x41 while IF=0 are taken once");
	into_service(VEC_41);
	apic_self_ipi(VEC_41);
	report(wait_irr(VEC_41) && apic_vec_test(APIC_ISR, VEC_41),
	       "0x41 is pending in IRR while another 0x41 is in service");
	held(VEC_41, 1, "0x41 in service");
	apic_eoi();
	deliver(VEC_41, 2, "the pending 0x41 is taken after the EOI");
	apic_eoi();
	irq_uninstall(VEC_41);
	apic_restore();
}

/*
 * SDM 11.6.1: the "self" shorthand ignores the destination field; the ICR
 * reads back what was written, delivery status idle once the IPI left.
 */
void self_ipi(void)
{
	uint32_t icr = APIC_DEST_SELF | APIC_INT_ASSERT | APIC_DM_FIXED | VEC_41;
	int cpu = smp_id();
	uint64_t got;

	irq_install(VEC_41, NULL, IRQ_EOI);
	irq_disable();
	apic_icr_write(icr, 0xff);
	report(apic_icr_idle(), "ICR delivery status returns to idle");
	got = apic_icr_read();
	report_eq_x(icr, (uint32_t)got & ~APIC_ICR_BUSY, "ICR reads back the self-IPI written");
	report_eq_x(0xff, got >> 32, "the ICR destination field reads back");
	deliver(VEC_41, 1, "a self-IPI with destination 0xff is taken by this CPU");
	report_eq(0, irq_count_all(VEC_41) - irq_count(cpu, VEC_41),
		  "the self-IPI reaches no other CPU");
	irq_uninstall(VEC_41);
	apic_restore();
}

const char *needs_directed_eoi(void)
{
	const char *why = apic_args_mode();

	if (why)
		return why;
	return apic_read(APIC_LVR) & APIC_LVR_DIRECTED_EOI ? NULL :
	       "the version register does not announce EOI-broadcast suppression";
}

/* x2APIC spec 2.5.1, SDM 11.8.5: SPIV.12 is writable where LVR.24 announces it. */
void directed_eoi(void)
{
	apic_write(APIC_SPIV, APIC_SPIV_ENABLE | APIC_SPIV_DIRECTED_EOI | SPURIOUS_VECTOR);
	report_eq_x(APIC_SPIV_DIRECTED_EOI, apic_read(APIC_SPIV) & APIC_SPIV_DIRECTED_EOI,
		    "SPIV.12 (EOI-broadcast suppression) can be set");
	apic_write(APIC_SPIV, APIC_SPIV_ENABLE | SPURIOUS_VECTOR);
	report_eq_x(0, apic_read(APIC_SPIV) & APIC_SPIV_DIRECTED_EOI, "SPIV.12 can be cleared");
	apic_restore();
}
