/* SPDX-License-Identifier: MIT */
/*
 * The service-call logical processor (SCLP) as QEMU implements it
 * (hw/s390x/sclp.c, event-facility.c): SERVICE CALL (SERVC) with a command
 * word and a service-call control block (SCCB) that must not cross a page,
 * lie below 8 KiB or in the prefix area, and must be doubleword aligned
 * below 2 GiB. Completion is signalled by a service-signal external
 * interruption whose parameter is the SCCB's address.
 */
#ifndef S390X_SCLP_H
#define S390X_SCLP_H

#include "libc.h"
#include "exinfo.h"

#define SCLP_CMD_READ_CPU_INFO		0x00010001
#define SCLP_CMD_READ_SCP_INFO		0x00020001
#define SCLP_CMD_READ_SCP_INFO_FORCED	0x00120001
#define SCLP_CMD_WRITE_EVENT_DATA	0x00760005
#define SCLP_CMD_READ_EVENT_DATA	0x00770005
#define SCLP_CMD_WRITE_EVENT_MASK	0x00780005

/* Response codes. */
#define SCLP_RC_NORMAL_READ_COMPLETION	0x0010
#define SCLP_RC_NORMAL_COMPLETION	0x0020
#define SCLP_RC_SCCB_BOUNDARY_VIOLATION	0x0100
#define SCLP_RC_INVALID_COMMAND		0x01f0
#define SCLP_RC_INSUFFICIENT_LENGTH	0x0300
#define SCLP_RC_INVALID_FUNCTION	0x40f0
#define SCLP_RC_NO_EVENT_BUFFERS	0x60f0
#define SCLP_RC_INVALID_SELECTION_MASK	0x70f0
#define SCLP_RC_INCONSISTENT_LENGTHS	0x72f0
#define SCLP_RC_EVENT_SYNTAX_ERROR	0x73f0
#define SCLP_RC_INVALID_MASK_LENGTH	0x74f0

#define SCCB_SIZE			4096

struct sccb_header {
	uint16_t length;
	uint8_t function_code;
	uint8_t control_mask[3];
	uint16_t response_code;
} __packed;

struct sclp_cpu_entry {
	uint8_t address;
	uint8_t reserved0;
	uint8_t features[6];
	uint8_t reserved1[6];
	uint8_t type;
	uint8_t reserved2;
} __packed;

/* Read SCP info's response (the fields lib and tests read). */
struct sclp_read_info {
	struct sccb_header h;
	uint16_t rnmax;			/* storage increments, or 0: see rnmax2 */
	uint8_t rnsize;			/* increment size in MiB, or 0: see rnsize2 */
	uint8_t reserved0[5];
	uint16_t entries_cpu;		/* 16 */
	uint16_t offset_cpu;		/* 18 */
	uint8_t reserved1[80];
	uint32_t rnsize2;		/* 100 */
	uint64_t rnmax2;		/* 104 */
	uint8_t reserved2[8];
	uint16_t highest_cpu;		/* 120 */
	uint8_t reserved3[6];
} __packed;

_Static_assert(sizeof(struct sclp_read_info) == 128, "read SCP info layout");

/**
 * sclp_service_call() - SERVC @cmd with the SCCB at @sccb (real address),
 * then wait for its service signal
 * @ex: where an exception SERVC raised goes (0 for none); NULL when none
 *	may happen (one is then unexpected)
 * Return: SERVC's condition code (0 accepted, 2 busy, 3 not operational),
 * or -1 when it raised an exception. Serialised with every other SCLP use.
 */
int sclp_service_call(uint32_t cmd, void *sccb, exinfo_t *ex);

/* The parameter of the last service-signal interruption (SCCB address | event pending). */
uint32_t sclp_signal_param(void);

#endif
