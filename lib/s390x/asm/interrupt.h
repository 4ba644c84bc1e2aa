/* SPDX-License-Identifier: MIT */
/*
 * Interruptions on s390x (PoP chapter 6): the classes, the program-
 * interruption codes (figure "Program-interruption codes"), the external-
 * interruption codes, the frame the entry code saves, handler installation
 * and the expected-exception primitive.
 *
 * An expected exception is one exinfo_t value: EXINFO(code, ILC) with the
 * 16-bit program-interruption code and the instruction-length code (0-3,
 * in halfwords) the CPU stored; an SVC caught the same way is
 * EXINFO(EXINFO_SVC | number, ILC). What else the interruption stored
 * (translation-exception identification, data-exception code, PER fields)
 * is in s390x_last_pgm() right after the block.
 */
#ifndef S390X_ASM_INTERRUPT_H
#define S390X_ASM_INTERRUPT_H

/* Program-interruption codes (PoP 6.6 "Program Interruption"). */
#define PGM_OPERATION		0x01
#define PGM_PRIVILEGED		0x02
#define PGM_EXECUTE		0x03
#define PGM_PROTECTION		0x04
#define PGM_ADDRESSING		0x05
#define PGM_SPECIFICATION	0x06
#define PGM_DATA		0x07
#define PGM_FIXED_OVERFLOW	0x08
#define PGM_FIXED_DIVIDE	0x09
#define PGM_DECIMAL_OVERFLOW	0x0a
#define PGM_DECIMAL_DIVIDE	0x0b
#define PGM_SEGMENT_TRANS	0x10
#define PGM_PAGE_TRANS		0x11
#define PGM_TRANS_SPEC		0x12
#define PGM_SPECIAL_OP		0x13
#define PGM_OPERAND		0x15
#define PGM_ASCE_TYPE		0x38
#define PGM_REGION1_TRANS	0x39
#define PGM_REGION2_TRANS	0x3a
#define PGM_REGION3_TRANS	0x3b
#define PGM_MONITOR		0x40
#define PGM_PER			0x80	/* a PER event, alone or with another code */
#define PGM_CODE_MASK		0x7f

/* External-interruption codes (PoP 6.4 "External Interruption"). */
#define EXT_EMERGENCY		0x1201
#define EXT_EXTERNAL_CALL	0x1202
#define EXT_CLOCK_COMP		0x1004
#define EXT_CPU_TIMER		0x1005
#define EXT_SERVICE		0x2401

/* Interruption classes: the frame's class, and the handler tables' index. */
#define INT_RESTART		0
#define INT_EXT			1
#define INT_SVC			2
#define INT_PGM			3
#define INT_MCCK		4
#define INT_IO			5

/* run_in_user()'s way back: the SVC at s390x_user_svc (entry.S). */
#define USER_RETURN_SVC		0xe1

/* An SVC in an exinfo: its number with this bit. */
#define EXINFO_SVC		0x8000

/* struct ex_regs layout, for entry.S; the frame sits above the ABI's 160-byte area. */
#define EX_GPRS			0x00
#define EX_PSW			0x80
#define EX_INFO			0x90
#define EX_CLASS		0xd8
#define EX_SIZE			0xe0
#define STACK_FRAME_OVERHEAD	160
#define EX_FRAME_SIZE		(STACK_FRAME_OVERHEAD + EX_SIZE)

#ifndef __ASSEMBLER__
#include "libc.h"
#include "exinfo.h"
#include "asm/psw.h"

/* What the interruption stored at real locations 0x80-0xc7 (asm/lowcore.h). */
struct int_info {
	uint32_t ext_param;
	uint16_t ext_cpu_addr;
	uint16_t ext_code;
	uint8_t pad_0x88;
	uint8_t svc_ilc;	/* ILC in bits 5-6 */
	uint16_t svc_code;
	uint8_t pad_0x8c;
	uint8_t pgm_ilc;	/* ILC in bits 5-6 */
	uint16_t pgm_code;
	uint8_t pad_0x90[3];
	uint8_t dxc;		/* data-exception code */
	uint16_t mon_class;
	uint8_t per_code;
	uint8_t per_atmid;
	uint64_t per_addr;
	uint8_t exc_access_id;
	uint8_t per_access_id;
	uint8_t op_access_id;
	uint8_t ar_mode_id;
	uint8_t pad_0xa4[4];
	uint64_t teid;		/* translation-exception identification */
	uint64_t monitor_code;
	uint16_t subchannel_id;
	uint16_t subchannel_nr;
	uint32_t io_int_parm;
	uint32_t io_int_word;
	uint32_t pad_0xc4;
} __packed;

/* The interrupted state: what the handler resumes with. */
struct ex_regs {
	uint64_t gprs[16];
	struct psw psw;		/* the old PSW; LPSWE'd on return */
	struct int_info info;
	uint64_t class;		/* INT_* */
};

_Static_assert(sizeof(struct int_info) == 0x48, "lowcore 0x80-0xc7");
_Static_assert(__builtin_offsetof(struct ex_regs, info) == EX_INFO, "entry.S frame layout");
_Static_assert(sizeof(struct ex_regs) == EX_SIZE, "entry.S frame layout");

/* The instruction-length code (0-3) of an ILC byte of the lowcore. */
static inline unsigned int ilc_of(uint8_t ilc_byte)
{
	return (ilc_byte >> 1) & 3;
}

typedef void (*handler_t)(struct ex_regs *regs);

/**
 * install_exception_handler() - handle program interruptions with code
 * @code (PGM_*, PER bit and all) that no expected-exception block catches
 * @fn: the handler, or NULL for "unexpected"; it may change @regs->psw to
 *	resume elsewhere (the old PSW points after the instruction for a
 *	suppressed or completed one, at it for a nullified one)
 * Return: the previous handler.
 */
handler_t install_exception_handler(unsigned int code, handler_t fn);

/**
 * install_int_handler() - take over an interruption class
 * @class: INT_EXT, INT_SVC, INT_IO, INT_MCCK or INT_RESTART
 * @fn: the handler, or NULL for lib's own (external: lib's kick, the SCLP
 *	service signal, then "unexpected"; SVC: run_in_user()'s return, then
 *	"unexpected"; the others: "unexpected"). An external handler sees every
 *	external interruption but lib's own wake-up kicks and service signals.
 * Return: the previous handler.
 */
handler_t install_int_handler(unsigned int class, handler_t fn);

/*
 * The interruption information of the last program interruption this CPU
 * took (caught by a block or a handler, or not): TEID, DXC, PER fields.
 */
const struct int_info *s390x_last_pgm(void);

/*
 * The expected-exception primitive (lib/extable.h): r12 carries the exinfo.
 * Each block ends with a NOP: a suppressed instruction's old PSW then points
 * at that NOP, never at the start of another block, so the port can tell a
 * nullified instruction (old PSW at the block) from a suppressed one (old
 * PSW at the block plus the ILC) whatever follows.
 */
#define ARCH_EXINFO_REG		"r12"
#undef ARCH_ASM_TRY_TAIL	/* ASM_TRY() expands it where used: whatever came first */
#define ARCH_ASM_TRY_TAIL	"nopr %%r7\n\t"
#include "extable.h"

#endif /* __ASSEMBLER__ */
#endif
