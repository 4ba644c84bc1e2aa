/* SPDX-License-Identifier: MIT */
/*
 * SIGNAL PROCESSOR (PoP 4.9 "Signal-Processor Orders", 10 "SIGNAL
 * PROCESSOR"): order codes, the status bits stored on condition code 1, and
 * the instruction itself.
 */
#ifndef S390X_ASM_SIGP_H
#define S390X_ASM_SIGP_H

#define SIGP_SENSE			0x01
#define SIGP_EXTERNAL_CALL		0x02
#define SIGP_EMERGENCY_SIGNAL		0x03
#define SIGP_START			0x04
#define SIGP_STOP			0x05
#define SIGP_RESTART			0x06
#define SIGP_STOP_AND_STORE_STATUS	0x09
#define SIGP_INITIAL_CPU_RESET		0x0b
#define SIGP_CPU_RESET			0x0c
#define SIGP_SET_PREFIX			0x0d
#define SIGP_STORE_STATUS_AT_ADDRESS	0x0e
#define SIGP_SET_ARCHITECTURE		0x12
#define SIGP_COND_EMERGENCY_SIGNAL	0x13
#define SIGP_SENSE_RUNNING		0x15
#define SIGP_SET_MULTI_THREADING	0x16
#define SIGP_STORE_ADDITIONAL_STATUS	0x17

/* Status bits (bits 32-63 of the first operand's register). */
#define SIGP_STATUS_EQUIPMENT_CHECK	0x80000000
#define SIGP_STATUS_NOT_RUNNING		0x00000400
#define SIGP_STATUS_INCORRECT_STATE	0x00000200
#define SIGP_STATUS_INVALID_PARAMETER	0x00000100
#define SIGP_STATUS_EXT_CALL_PENDING	0x00000080
#define SIGP_STATUS_STOPPED		0x00000040
#define SIGP_STATUS_OPERATOR_INTERVENING 0x00000020
#define SIGP_STATUS_CHECK_STOP		0x00000010
#define SIGP_STATUS_INOPERATIVE		0x00000004
#define SIGP_STATUS_INVALID_ORDER	0x00000002
#define SIGP_STATUS_RECEIVER_CHECK	0x00000001

/* Condition codes. */
#define SIGP_CC_ACCEPTED		0
#define SIGP_CC_STATUS_STORED		1
#define SIGP_CC_BUSY			2
#define SIGP_CC_NOT_OPERATIONAL		3

#ifndef __ASSEMBLER__
#include "libc.h"

/**
 * sigp() - SIGNAL PROCESSOR @order to the CPU at address @addr
 * @param: the parameter (odd register of the pair), for the orders that take one
 * @status: where bits 32-63 of the status register go on condition code 1
 *	    (the register's other bits and other condition codes leave it alone);
 *	    may be NULL
 * Return: the condition code.
 */
static inline int sigp(uint16_t addr, uint8_t order, uint64_t param, uint32_t *status)
{
	register uint64_t r1 asm("1") = param;	/* even-odd pair r0/r1: param in r1 */
	register uint64_t r0 asm("0") = 0;
	int cc;

	asm volatile("sigp %[r0],%[addr],0(%[order])\n\t"
		     "ipm %[cc]\n\t"
		     "srl %[cc],28"
		     : [cc] "=d"(cc), [r0] "+d"(r0), "+d"(r1)
		     : [addr] "d"((uint64_t)addr), [order] "a"((uint64_t)order)
		     : "cc", "memory");
	if (cc == SIGP_CC_STATUS_STORED && status)
		*status = (uint32_t)r0;
	return cc;
}
#endif

#endif
