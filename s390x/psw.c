// SPDX-License-Identifier: MIT
/*
 * The program-status word: which PSWs are invalid, what LPSWE, LPSW and an
 * interruption do with one, and the instructions that read or change
 * parts of the current PSW (EPSW, IPM, SPM, SPKA), with the program mask.
 *
 * Specs (PoP SA22-7832): 4.3 "Program-Status Word" (bit assignments; bits
 * 0, 2-4, 24-30 and 33-63 must be zero, bit 12 must be zero, bits 31-32
 * select 24-, 31- or 64-bit addressing and 10 is invalid; in 24-bit mode
 * address bits 64-103, in 31-bit mode 64-96 must be zero), chapter 6
 * "Exceptions Associated with the PSW" (each of these is a specification
 * exception recognized as soon as the PSW becomes active: the old PSW is
 * the invalid PSW itself, the ILC that of LPSW(E), 2, or 0 when an
 * interruption brought the PSW in; an odd instruction address alike),
 * chapter 10: LOAD PSW (a short PSW needs bit 12 one), LOAD PSW EXTENDED,
 * EXTRACT PSW (bits 0-31 to R1, 32-63 to R2, unless R2 is 0), INSERT
 * PROGRAM MASK (condition code and program mask to bits 34-39, bits 32-33
 * zero, the rest unchanged), SET PROGRAM MASK, SET PSW KEY FROM ADDRESS
 * (privileged in the problem state unless the key's bit in the PSW-key
 * mask, CR3 bits 32-47, is one), and the fixed-point and decimal overflow
 * exceptions of ADD and ADD DECIMAL, which the program mask suppresses.
 *
 * An invalid PSW a VMM lets through would run at its address: each points
 * at a landing pad that loads the test's own PSW back, so the test goes on
 * and says "no exception". A VMM that cannot survive a PSW (QEMU 7.2 with
 * EA 1 and BA 0) crashes the run: each invalid PSW has a subtest of its
 * own with nothing before it (known-failures.txt, crash: entries).
 */
#include "asm/cr.h"
#include "asm/interrupt.h"
#include "asm/lowcore.h"
#include "asm/processor.h"
#include "report.h"
#include "subtest.h"
#include "user.h"

/* The PSW the catch handler or the landing pad resumes the test with. */
static struct psw resume;
static struct psw seen_psw;
static exinfo_t seen;

/*
 * psw_landing: where an invalid PSW that the VMM lets through runs: back to
 * the test. odd_landing + 1: an odd address whose halfword is opcode 0x00,
 * so a VMM that executes at an odd address takes an operation exception
 * there instead of running whatever it decodes.
 */
extern char psw_landing[], odd_landing[];
asm(".pushsection .text\n"
	"psw_landing:\n\t"
	"larl %r1,resume\n\t"
	"lpswe 0(%r1)\n\t"
	".balign 2\n"
	"odd_landing:\n\t"
	".byte 0x07, 0x00, 0x00, 0x00\n"
	".popsection");

static void catch_all(struct ex_regs *r)
{
	seen = EXINFO(r->info.pgm_code, ilc_of(r->info.pgm_ilc));
	seen_psw = r->psw;
	r->psw = resume;
}

static handler_t saved_handlers[PGM_CODE_MASK + 1];

/* Every program interruption goes to catch_all: an invalid PSW a VMM runs may raise any. */
static void catch_begin(void)
{
	for (unsigned int code = 1; code <= PGM_CODE_MASK; code++)
		saved_handlers[code] = install_exception_handler(code, catch_all);
	seen = 0;
	memset(&seen_psw, 0xff, sizeof(seen_psw));
	resume.mask = extract_psw_mask();
}

static void catch_end(void)
{
	for (unsigned int code = 1; code <= PGM_CODE_MASK; code++)
		install_exception_handler(code, saved_handlers[code]);
}

/* LPSWE @psw (or LPSW @short_psw): the exception it causes, the old PSW in seen_psw. */
static exinfo_t load(const struct psw *psw, const struct short_psw *short_psw)
{
	catch_begin();
	if (psw)
		asm volatile("larl %%r1,0f\n\t"
			     "stg %%r1,%[ra]\n\t"
			     "lpswe %[psw]\n"
			     "0:"
			     : [ra] "=Q"(resume.addr) : [psw] "Q"(*psw) : "r1", "memory", "cc");
	else
		asm volatile("larl %%r1,0f\n\t"
			     "stg %%r1,%[ra]\n\t"
			     "lpsw %[psw]\n"
			     "0:"
			     : [ra] "=Q"(resume.addr) : [psw] "Q"(*short_psw)
			     : "r1", "memory", "cc");
	catch_end();
	return seen;
}

/* The program old PSW of the last caught interruption is @want. */
static void check_old_psw(struct psw want, const char *what)
{
	char exp[40], got[40];

	snprintf(exp, sizeof(exp), "%016lx %016lx", want.mask, want.addr);
	if (seen)
		snprintf(got, sizeof(got), "%016lx %016lx", seen_psw.mask, seen_psw.addr);
	else
		snprintf(got, sizeof(got), "no interruption");
	report_decoded(seen && seen_psw.mask == want.mask && seen_psw.addr == want.addr, exp, got,
		       "the old PSW is %s", what);
}

/* LPSWE of @psw is a specification exception whose old PSW is @psw itself, ILC 2. */
static void check_invalid(struct psw psw, const char *what)
{
	char old[64];

	report_exc(EXINFO(PGM_SPECIFICATION, 2), load(&psw, NULL),
		   "LPSWE of a PSW with %s is a specification exception, ILC 2", what);
	snprintf(old, sizeof(old), "the PSW with %s", what);
	check_old_psw(psw, old);
}

static uint64_t kernel_mask(void)
{
	return extract_psw_mask() & ~(PSW_MASK_CC | PSW_MASK_PM);
}

static void bit12(void)
{
	check_invalid(PSW(kernel_mask() | PSW_MASK_SHORT, psw_landing), "bit 12 one");
}

static void unassigned(void)
{
	static const int bits[] = { 0, 2, 3, 4, 24, 30, 33, 63 };

	for (size_t i = 0; i < ARRAY_SIZE(bits); i++) {
		char what[32];

		snprintf(what, sizeof(what), "unassigned bit %d one", bits[i]);
		check_invalid(PSW(kernel_mask() | PSW_BIT(bits[i]), psw_landing), what);
	}
}

static void odd_address(void)
{
	check_invalid(PSW(kernel_mask(), (uintptr_t)odd_landing + 1), "an odd address");
}

static void ea_without_ba(void)
{
	check_invalid(PSW((kernel_mask() & ~PSW_MASK_BA) | PSW_MASK_EA, psw_landing),
		      "EA one and BA zero");
}

static void amode24_high_address(void)
{
	check_invalid(PSW(kernel_mask() & ~PSW_MASK_64, (uintptr_t)psw_landing | 1ULL << 30),
		      "24-bit addressing and an address above 16 MiB");
}

static void amode31_high_address(void)
{
	check_invalid(PSW((kernel_mask() & ~PSW_MASK_EA), (uintptr_t)psw_landing | 1ULL << 40),
		      "31-bit addressing and an address above 2 GiB");
}

/* LPSWE of valid PSWs in 24- and 31-bit mode runs the landing pad and comes back. */
static void valid(void)
{
	struct psw p31 = PSW(kernel_mask() & ~PSW_MASK_EA, psw_landing);
	struct psw p24 = PSW(kernel_mask() & ~PSW_MASK_64, psw_landing);

	report_exc(0, load(&p31, NULL), "LPSWE of a valid 31-bit PSW raises nothing");
	report_exc(0, load(&p24, NULL), "LPSWE of a valid 24-bit PSW raises nothing");
}

/*
 * LPSW: bits 0-32 of the short PSW are PSW bits 0-32, bit 12 excepted (one
 * in a short PSW, zero in the PSW), bits 33-63 the 31-bit address.
 */
static void lpsw(void)
{
	uint32_t hi = (uint32_t)((kernel_mask() & ~PSW_MASK_EA) >> 32);
	struct short_psw bad = { hi, 0x80000000 | (uint32_t)(uintptr_t)psw_landing };
	struct short_psw good = { hi | (uint32_t)(PSW_MASK_SHORT >> 32), 0 };
	uint64_t epsw_hi = 0, epsw_lo = 0;

	report_exc(EXINFO(PGM_SPECIFICATION, 2), load(NULL, &bad),
		   "LPSW of a short PSW with bit 12 zero is a specification exception, ILC 2");
	asm volatile("larl %%r1,0f\n\t"
		     "oilh %%r1,0x8000\n\t"
		     "st %%r1,%[addr]\n\t"
		     "lpsw %[psw]\n"
		     "0:\tepsw %[hi],%[lo]\n\t"
		     "sam64"
		     : [addr] "=Q"(good.addr), [hi] "+a"(epsw_hi), [lo] "+a"(epsw_lo)
		     : [psw] "Q"(good) : "r1", "memory", "cc");
	report_eq_x(0, epsw_hi & (PSW_MASK_SHORT >> 32 | 1),
		    "after LPSW, PSW bit 12 and EA (bit 31) are zero");
	report_eq_x(0x80000000, epsw_lo & 0xffffffff, "after LPSW, BA (bit 32) is one");
}

/* An invalid SVC-new PSW: the program old PSW is it, the ILC 0. */
static void new_psw(void)
{
	struct psw *svc_new = (struct psw *)(lowcore() + LC_SVC_NEW_PSW);
	struct psw saved = *svc_new, bad = PSW(kernel_mask() | PSW_MASK_SHORT, psw_landing);

	catch_begin();
	*svc_new = bad;
	asm volatile("larl %%r1,0f\n\t"
		     "stg %%r1,%[ra]\n\t"
		     "svc 3\n"
		     "0:"
		     : [ra] "=Q"(resume.addr) : : "r1", "memory", "cc");
	*svc_new = saved;
	catch_end();
	report_exc(EXINFO(PGM_SPECIFICATION, 0), seen,
		   "an SVC-new PSW with bit 12 one is a specification exception, ILC 0");
	check_old_psw(bad, "the invalid SVC-new PSW");
}

static void epsw(void)
{
	uint64_t hi = 0xdeadbeef00000000ULL, lo = 0xdeadbeef00000000ULL, mask = extract_psw_mask();
	uint64_t r0 = 0x1234;

	asm volatile("epsw %[hi],%[lo]" : [hi] "+a"(hi), [lo] "+a"(lo));
	report_eq_x(0xdeadbeef00000000ULL | mask >> 32, hi,
		    "EPSW puts PSW bits 0-31 in R1 bits 32-63, bits 0-31 unchanged");
	report_eq_x(0xdeadbeef00000000ULL | (mask & 0xffffffff), lo,
		    "EPSW puts PSW bits 32-63 in R2 bits 32-63, bits 0-31 unchanged");
	asm volatile("lgr %%r0,%[r0]\n\t"
		     "epsw %[hi],%%r0\n\t"
		     "lgr %[r0],%%r0"
		     : [hi] "+a"(hi), [r0] "+a"(r0) : : "r0");
	report_eq_x(0x1234, r0, "EPSW with R2 0 leaves general register 0 alone");
}

static uint64_t user_epsw(uint64_t arg)
{
	uint64_t hi = 0, lo = 0;

	asm volatile("epsw %0,%1" : "+a"(hi), "+a"(lo));
	return (hi & 0xffffffff) << 32 | (lo & 0xffffffff);
}

static uint64_t user_spka(uint64_t key)
{
	uint64_t hi = 0, lo = 0;
	DECLARE_EXINFO(ex);

	/* No storage access between the two SPKAs: all storage has key 0. */
	asm volatile(ASM_TRY("spka 0(%[key])") "\n\t"
		     "ltgr %[ex],%[ex]\n\t"
		     "jnz 3f\n\t"
		     "epsw %[hi],%[lo]\n\t"
		     "spka 0\n"
		     "3:"
		     : [ex] "+r"(ex), [hi] "+a"(hi), [lo] "+a"(lo) : [key] "a"(key << 4)
		     : "memory", "cc");
	return ex ? ex : (hi >> 20) & 0xf;
}

static void problem_state(void)
{
	uint64_t cr3 = stctg(3), r;

	report_eq_x(PSW_MASK_PSTATE, run_in_user(user_epsw, 0) & PSW_MASK_PSTATE,
		    "EPSW in the problem state shows PSW bit 15 one");
	lctlg(3, cr3 & ~0xffff0000ULL);
	report_exc(EXINFO(PGM_PRIVILEGED, 2), run_in_user(user_spka, 9),
		   "SPKA 9 in the problem state with PSW-key-mask bit 9 zero is privileged");
	lctlg(3, (cr3 & ~0xffff0000ULL) | 0x80000000ULL >> 9 | 0x80000000ULL);
	r = run_in_user(user_spka, 9);
	if (report_exc(0, r & EXINFO_VALID ? r : 0, "SPKA 9 in the problem state with "
		       "PSW-key-mask bits 0, 9 one raises nothing"))
		report_eq(9, r, "SPKA 9 in the problem state sets PSW key 9");
	lctlg(3, cr3);
}

static void spka(void)
{
	uint64_t hi = 0, lo = 0;

	asm volatile("spka 0x50\n\t"
		     "epsw %0,%1\n\t"
		     "spka 0"
		     : "+a"(hi), "+a"(lo) : : "memory");
	report_eq(5, (hi >> 20) & 0xf, "SPKA 0x50 sets PSW key 5 (PSW bits 8-11)");
	report_eq(0, (extract_psw_mask() & PSW_MASK_KEY) >> PSW_MASK_KEY_SHIFT,
		  "SPKA 0 sets PSW key 0 again");
}

/* IPM after LTGR of a negative number (condition code 1), program mask 0. */
static void ipm(void)
{
	uint64_t r = ~0ULL;
	int64_t neg = -5;

	asm volatile("ltgr %[neg],%[neg]\n\t"
		     "ipm %[r]"
		     : [r] "+d"(r), [neg] "+d"(neg) : : "cc");
	report_eq_x(0xffffffff10ffffffULL, r,
		    "IPM puts condition code 1 and program mask 0 in bits 34-39, zeros in 32-33");
}

/* SPM then IPM: condition code 2, program mask fixed-point and decimal overflow. */
static void spm(void)
{
	uint64_t in = 0xffffffffec000000ULL, out = 0;

	asm volatile("spm %[in]\n\t"
		     "ipm %[out]\n\t"
		     "lghi %%r0,0\n\t"
		     "spm %%r0"
		     : [out] "+d"(out) : [in] "d"(in) : "r0", "cc");
	report_eq_x(0x2c000000, out,
		    "SPM takes bits 34-39 (condition code 2, program mask 1100), IPM returns them");
}

static exinfo_t add_overflow(uint64_t pm, int *cc, int32_t *sum)
{
	int32_t a = 0x7fffffff, b = 1;
	DECLARE_EXINFO(ex);

	*cc = -1;
	asm volatile("sll %[pm],24\n\t"
		     "spm %[pm]\n\t"
		     ASM_TRY("ar %[a],%[b]") "\n\t"
		     "ipm %[cc]\n\t"
		     "srl %[cc],28\n\t"
		     "lghi %%r0,0\n\t"
		     "spm %%r0"
		     : "+r"(ex), [a] "+d"(a), [cc] "+d"(*cc), [pm] "+d"(pm)
		     : [b] "d"(b) : "r0", "cc");
	*sum = a;
	return ex;
}

static void fixed_overflow(void)
{
	int32_t sum;
	int cc;

	report_exc(0, add_overflow(0, &cc, &sum),
		   "AR overflowing with the fixed-point-overflow mask zero raises nothing");
	report_eq(3, cc, "AR overflowing sets condition code 3");
	report_exc(EXINFO(PGM_FIXED_OVERFLOW, 1), add_overflow(PM_FIXED_OVERFLOW, &cc, &sum),
		   "AR overflowing with the mask one is a fixed-point-overflow exception, ILC 1");
	report_eq_x(0x80000000, (uint32_t)sum,
		    "the overflowing AR completes: the register holds the wrapped sum");
}

/* AP of 9+ and 1+ into one digit: the result does not fit. */
static exinfo_t decimal_add(uint64_t pm, uint8_t *result)
{
	uint8_t op1 = 0x9c, op2 = 0x1c;
	DECLARE_EXINFO(ex);

	asm volatile("sll %[pm],24\n\t"
		     "spm %[pm]\n\t"
		     ASM_TRY("ap 0(1,%[op1]),0(1,%[op2])") "\n\t"
		     "lghi %%r0,0\n\t"
		     "spm %%r0"
		     : "+r"(ex), [pm] "+d"(pm)
		     : [op1] "a"(&op1), [op2] "a"(&op2) : "r0", "cc", "memory");
	*result = op1;
	return ex;
}

static void decimal_overflow(void)
{
	uint8_t r;

	report_exc(0, decimal_add(0, &r),
		   "AP overflowing with the decimal-overflow mask zero raises nothing");
	report_exc(EXINFO(PGM_DECIMAL_OVERFLOW, 3), decimal_add(PM_DECIMAL_OVERFLOW, &r),
		   "AP overflowing with the mask one is a decimal-overflow exception, ILC 3");
	report_eq_x(0x0c, r, "the overflowing AP completes with the rightmost digit, 0+");
}

static const struct subtest tests[] = {
	SUBTEST(bit12),
	SUBTEST(unassigned),
	SUBTEST(odd_address),
	SUBTEST(ea_without_ba),
	SUBTEST(amode24_high_address),
	SUBTEST(amode31_high_address),
	SUBTEST(valid),
	SUBTEST(lpsw),
	SUBTEST(new_psw),
	SUBTEST(epsw),
	SUBTEST(problem_state),
	SUBTEST(spka),
	SUBTEST(ipm),
	SUBTEST(spm),
	SUBTEST(fixed_overflow),
	SUBTEST(decimal_overflow),
};

SUBTESTS_MAIN(tests)
