/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the access image: the address space the matrix runs in
 * (env.c), one mapping per leaf size whose paging-structure entries the
 * generators rewrite, the accesses, what one access did, and the model of
 * what it must do (model.c).
 */
#ifndef X86_ACCESS_H
#define X86_ACCESS_H

#include "alloc.h"
#include "asm/cpuid.h"
#include "asm/page.h"
#include "report.h"
#include "vm.h"

/* The eight accesses of the matrix: user or supervisor, read/write/fetch, AC=1. */
enum acc {
	ACC_UR, ACC_UW, ACC_UF, ACC_SR, ACC_SW, ACC_SF, ACC_SR_AC, ACC_SW_AC,
	NR_ACC,
	NR_ACC_PLAIN = ACC_SR_AC,	/* the six without the AC variants */
};

extern const char *const acc_name[NR_ACC];

static inline bool acc_user(enum acc a)
{
	return a <= ACC_UF;
}

static inline bool acc_write(enum acc a)
{
	return a == ACC_UW || a == ACC_SW || a == ACC_SW_AC;
}

static inline bool acc_fetch(enum acc a)
{
	return a == ACC_UF || a == ACC_SF;
}

/* The control bits an access runs under. */
struct acc_env {
	bool wp, smep, smap, nxe, pke;
	uint32_t pkru;
};

/* A leaf of @leaf (1: 4 KiB, 2: 2 MiB, 3: 1 GiB) and the entries above it. */
struct amap {
	int leaf;
	int top;			/* the root's level: 4, or 5 under LA57 */
	uintptr_t target;		/* the byte accesses go to */
	uint64_t *e[PT_MAX_LEVELS + 1];	/* [level]: the entry, top down to leaf */
	uint64_t base[PT_MAX_LEVELS + 1];	/* [level]: its value with P, RW, US set */
};

/* What the paging-structure entries of a translation allow, after any change. */
struct arights {
	bool present, rsvd;
	bool w, u, nx;		/* R/W and U/S set in all entries, XD in any */
	int pkey;		/* the leaf's protection key */
};

/* What an access did, or must do. */
struct aresult {
	bool fault;
	uint32_t ec;		/* #PF error code */
	bool cr2_ok;		/* CR2 held the accessed address */
	uint32_t a;		/* accessed flags, bit per level (bit 0: leaf) */
	bool d;			/* the leaf's dirty flag */
	int levels;		/* entries in the translation (bits of @a) */
};

/*
 * ACC_STUB(name, section, insns, after): name(arg) runs @insns with rdi =
 * arg, then @after from name_next, where the #PF handler resumes it.
 * Clobbers rax, rcx and flags. @section: ".text", or USER_TEXT for CPL3.
 */
#define ACC_STUB(name, section, insns, after)					\
	asm(".pushsection " section "\n"					\
	    #name ":\n\t" insns "\n"						\
	    #name "_next:\n\t" after "\n\tret\n"				\
	    ".popsection");							\
	uint64_t name(uint64_t arg);						\
	extern char name##_next[]

#define SET_AC		"pushf; orl $0x40000, (%rsp); popf; "
#define CLEAR_AC	"pushf; andl $~0x40000, (%rsp); popf"

/* env.c */
void access_setup(void);
void access_teardown(void);
bool amap_init(struct amap *m, int leaf, bool la57);
void amap_reset(struct amap *m);
void acc_env_apply(const struct acc_env *e);
void acc_env_restore(void);
struct aresult acc_run(const struct amap *m, enum acc a);
struct aresult acc_run_stub(const struct amap *m, uint64_t (*fn)(uint64_t), const char *next,
			    uint64_t arg, bool user, uintptr_t cr2_lo, uintptr_t cr2_hi);
uintptr_t amap_page(const struct amap *m);
void *target_identity(void);
const char *env_support(const struct acc_env *e);
/* A generator: the checks for a @leaf-level leaf; @only: that entry level alone, or 0. */
typedef void (*acc_gen_t)(int leaf, bool la57, int only);
void access_run(acc_gen_t gen, int leaf);
void access_run_la57(acc_gen_t gen);
extern const char *const level_name[PT_MAX_LEVELS + 1];

/* model.c */
struct aresult acc_expect(const struct amap *m, const struct arights *r,
			  const struct acc_env *e, enum acc a);
bool acc_check(const struct aresult *want, const struct aresult *got, const char *fmt, ...)
	__printf(3, 4);

/* The subtests. */
void perm_4k(void);
void perm_2m(void);
void perm_1g(void);
void la57_perm(void);
void rsvd_4k(void);
void rsvd_2m(void);
void rsvd_1g(void);
void la57_rsvd(void);
void pku(void);
void implicit_ldt(void);
const char *need_la57(void);
const char *need_pku(void);
const char *need_1g(void);

#endif
