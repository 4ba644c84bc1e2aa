/* SPDX-License-Identifier: MIT */
/*
 * Disk loader for Bochs (and any PC BIOS): started by the BIOS at
 * 0000:7C00 from LBA 0 of a disk scripts/bochs-boot.sh builds, it loads a
 * test image and enters it the way a multiboot-1 loader would, so the
 * image's start32 cannot tell it from QEMU -kernel.
 *
 * Disk layout, in 512-byte sectors:
 *   0 .. N-1   this loader (bootsect.bin, N = its size / 512)
 *   N ..       the parameter block (struct below), then the command line
 *              and the environment blob it points to
 *   image_lba  the image as a raw binary (objcopy -O binary of the ELF)
 *
 * Parameter block, little-endian 32-bit fields:
 *   0  magic "HVPB"         16 load address (physical, >= 1 MiB)
 *   4  parameter sectors    20 entry point (32-bit protected mode)
 *   8  image_lba            24 command line offset (in the block, NUL-ended)
 *   12 image sectors        28 environment offset (in the block)
 *                           32 environment length in bytes
 *
 * Steps: read with INT 13h AH=42h (LBA), 127 sectors at a time into a
 * bounce buffer, copy each chunk above 1 MiB with INT 15h AH=87h; size
 * memory with INT 12h and INT 15h E820h (E801h when E820h fails); build
 * the multiboot information in low memory; A20 on (INT 15h AX=2401h and
 * port 0x92); protected mode with a flat GDT; EAX = 0x2BADB002,
 * EBX = the information, jump to the entry point.
 *
 * Errors are printed on COM1 (programmed 8N1 here: the Bochs BIOS leaves
 * it at 5 data bits) and the CPU halts.
 *
 * Memory below 1 MiB used: 0x5000 multiboot information and module,
 * 0x5100 E820 entry, stack below 0x7C00, the loader at 0x7C00, the
 * parameter block at 0x10000 (up to 64 KiB), the bounce buffer at
 * 0x20000. The image's own trampoline page (0x8000) is reused only after
 * start32 has copied everything it needs.
 */

#define LOAD_SEG	0x0000
#define MBI		0x5000
#define MBI_MODULE	0x5040
#define E820_BUF	0x5100
#define STACK_TOP	0x7c00
#define PARAM_SEG	0x1000		/* the parameter block at 0x10000 */
#define PARAM_ADDR	0x10000
#define BOUNCE_SEG	0x2000		/* the bounce buffer at 0x20000 */
#define BOUNCE_ADDR	0x20000
#define CHUNK		127		/* sectors per read: one 64 KiB segment */
#define COM1		0x3f8

#define P_MAGIC		0
#define P_SECTORS	4
#define P_IMAGE_LBA	8
#define P_IMAGE_SECTORS	12
#define P_LOAD		16
#define P_ENTRY		20
#define P_CMDLINE	24
#define P_ENV		28
#define P_ENV_LEN	32
#define PARAM_MAGIC	0x42505648	/* "HVPB" */

#define MB_LOADER_MAGIC	0x2badb002
#define MBI_FLAGS	0x0d		/* memory, cmdline, modules */

	.code16
	.section .text, "ax"
	.globl _start
_start:
	cli
	ljmp $LOAD_SEG, $1f		/* some BIOSes enter at 07C0:0000 */
1:	xor %ax, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov $STACK_TOP, %sp
	sti
	cld
	mov %dl, boot_drive
	call serial_init

	/* The rest of the loader: sectors 1 .. N-1 to 0x7E00. */
	mov $loader_sectors - 1, %cx
	mov $1, %eax
	mov $0x07e0, %bx
	call read_sectors

	/* The parameter block: its first sector, then all of it. */
	mov $1, %cx
	mov $loader_sectors, %eax
	mov $PARAM_SEG, %bx
	call read_sectors
	jmp stage2

/*
 * read_sectors: read CX sectors (1..127) from LBA EAX to BX:0000 with
 * INT 13h AH=42h. Out: nothing; halts with a message on error.
 * Clobbers: AX, DX, SI.
 */
read_sectors:
	jcxz 2f
	mov %cx, dap_count
	mov %bx, dap_seg
	mov %eax, dap_lba
	mov $dap, %si
	mov boot_drive, %dl
	mov $0x42, %ah
	int $0x13
	jc 1f
	test %ah, %ah
	jnz 1f
2:	ret
1:	mov $msg_disk, %si
	jmp die

/*
 * die: print the NUL-terminated string at DS:SI on COM1, then end the run:
 * "Shutdown" on port 0x8900 stops Bochs (elsewhere the port is unused), and
 * the CPU halts for any other BIOS.
 */
die:
	call puts
	mov $COM1 + 5, %dx
2:	in %dx, %al			/* the last byte sent: Bochs drops queued ones */
	test $0x40, %al
	jz 2b
	mov $msg_shutdown, %si
	mov $0x8900, %dx
1:	lodsb
	test %al, %al
	jz 3f
	out %al, %dx
	jmp 1b
3:	cli
	hlt
	jmp 3b

/* puts: the NUL-terminated string at DS:SI to COM1. Clobbers AX, DX, SI. */
puts:
	lodsb
	test %al, %al
	jz 2f
	mov %al, %ah
	mov $COM1 + 5, %dx
1:	in %dx, %al			/* wait for THR empty */
	test $0x20, %al
	jz 1b
	mov $COM1, %dx
	mov %ah, %al
	out %al, %dx
	jmp puts
2:	ret

/* serial_init: COM1 at 115200 8N1, no interrupts. Clobbers AX, DX, SI. */
serial_init:
	mov $serial_regs, %si
1:	lodsw				/* AL = port offset, AH = value */
	cmp $0xff, %al
	je 2f
	movzbw %al, %dx
	add $COM1, %dx
	mov %ah, %al
	out %al, %dx
	jmp 1b
2:	ret

serial_regs:
	.byte 1, 0x00			/* IER: no interrupts */
	.byte 3, 0x80			/* LCR: DLAB */
	.byte 0, 0x01			/* DLL: divisor 1, 115200 baud */
	.byte 1, 0x00			/* DLM */
	.byte 3, 0x03			/* LCR: 8N1 */
	.byte 2, 0x07			/* FCR: FIFOs on and cleared */
	.byte 4, 0x03			/* MCR: DTR, RTS */
	.byte 0xff, 0

	/* Disk address packet of INT 13h AH=42h. */
	.balign 4
dap:
	.byte 16, 0
dap_count:
	.word 0
	.word 0				/* buffer offset */
dap_seg:
	.word 0
dap_lba:
	.quad 0

boot_drive:
	.byte 0

msg_shutdown:
	.asciz "Shutdown"
msg_disk:
	.asciz "hvprobe loader: disk read failed (INT 13h AH=42h)\r\n"

	.org 510
	.byte 0x55, 0xaa

/* ---- Sector 1 onwards: loaded by the code above. ---- */

stage2:
	mov $PARAM_ADDR >> 4, %ax
	mov %ax, %fs
	cmpl $PARAM_MAGIC, %fs:P_MAGIC
	mov $msg_magic, %si
	jne die
	mov %fs:P_SECTORS, %ecx
	cmp $CHUNK, %ecx
	mov $msg_params, %si
	ja die
	mov $loader_sectors, %eax
	mov $PARAM_SEG, %bx
	call read_sectors
	call load_image
	call memory_size
	call build_mbi
	call enable_a20
	jmp enter_pm

/*
 * load_image: the image's sectors, CHUNK at a time, through the bounce
 * buffer to the load address. Clobbers: EAX, EBX, ECX, EDX, ESI, EDI.
 */
load_image:
	mov %fs:P_IMAGE_LBA, %eax
	mov %fs:P_LOAD, %edi
	mov %fs:P_IMAGE_SECTORS, %ebx
1:	test %ebx, %ebx
	jz 3f
	mov $CHUNK, %ecx
	cmp %ecx, %ebx
	jae 2f
	mov %ebx, %ecx
2:	push %eax
	push %ebx
	mov $BOUNCE_SEG, %bx
	call read_sectors
	call copy_high			/* CX sectors from the bounce buffer to EDI */
	pop %ebx
	pop %eax
	movzwl %cx, %ecx
	add %ecx, %eax
	sub %ecx, %ebx
	shl $9, %ecx
	add %ecx, %edi
	jmp 1b
3:	ret

/*
 * copy_high: CX sectors from BOUNCE_ADDR to the physical address EDI
 * with INT 15h AH=87h. Preserves CX and EDI; clobbers EAX, SI.
 */
copy_high:
	mov %edi, %eax
	mov %ax, move_dst + 2		/* base 15:0 */
	shr $16, %eax
	mov %al, move_dst + 4		/* base 23:16 */
	mov %ah, move_dst + 7		/* base 31:24 */
	push %cx
	push %es
	shl $8, %cx			/* sectors to words */
	mov $move_gdt, %si
	mov $0x87, %ah
	int $0x15
	pop %es
	pop %cx
	jc 1f
	test %ah, %ah
	jnz 1f
	ret
1:	mov $msg_move, %si
	jmp die

/*
 * memory_size: mem_lower from INT 12h; mem_upper = the KiB of RAM from
 * 1 MiB to the end of the E820 usable range holding 1 MiB (capped at
 * 4 GiB), else from E801h. Clobbers: EAX, EBX, ECX, EDX, EDI.
 */
memory_size:
	int $0x12
	movzwl %ax, %eax
	mov %eax, MBI + 4
	xor %ebx, %ebx
1:	mov $0xe820, %eax
	mov $24, %ecx
	mov $0x534d4150, %edx		/* "SMAP" */
	mov $E820_BUF, %di
	movl $1, E820_BUF + 20		/* ACPI 3.0 extended attributes: valid */
	int $0x15
	jc 4f
	cmp $0x534d4150, %eax
	jne 4f
	cmpl $1, E820_BUF + 16		/* usable RAM */
	jne 3f
	cmpl $0, E820_BUF + 4		/* base above 4 GiB: not ours */
	jne 3f
	mov E820_BUF, %eax
	cmp $0x100000, %eax
	ja 3f
	mov E820_BUF + 8, %edx		/* end = base + length, capped */
	add %edx, %eax
	mov E820_BUF + 12, %edx
	adc $0, %edx
	jz 2f
	mov $0xffffffff, %eax
2:	sub $0x100000, %eax
	jbe 3f
	shr $10, %eax
	mov %eax, MBI + 8
	ret
3:	test %ebx, %ebx
	jnz 1b
4:	mov $0xe801, %ax		/* AX/CX: KiB 1-16 MiB, BX/DX: 64 KiB above */
	xor %cx, %cx
	xor %dx, %dx
	int $0x15
	mov $msg_mem, %si
	jc die
	jcxz 5f
	mov %cx, %ax
	mov %dx, %bx
5:	movzwl %ax, %eax
	movzwl %bx, %ebx
	shl $6, %ebx
	add %ebx, %eax
	mov %eax, MBI + 8
	ret

/* build_mbi: the multiboot information and its one module. Clobbers EAX. */
build_mbi:
	movl $MBI_FLAGS, MBI + 0
	mov %fs:P_CMDLINE, %eax
	add $PARAM_ADDR, %eax
	mov %eax, MBI + 16		/* cmdline */
	movl $1, MBI + 20		/* mods_count */
	movl $MBI_MODULE, MBI + 24	/* mods_addr */
	mov %fs:P_ENV, %eax
	add $PARAM_ADDR, %eax
	mov %eax, MBI_MODULE + 0	/* mod_start */
	add %fs:P_ENV_LEN, %eax
	mov %eax, MBI_MODULE + 4	/* mod_end */
	movl $0, MBI_MODULE + 8		/* string */
	movl $0, MBI_MODULE + 12
	ret

/*
 * enable_a20: ask the BIOS, then set port 0x92 bit 1 (never bit 0, the
 * reset); check by comparing 0000:0500 with its alias FFFF:0510.
 * Clobbers: AX, ES, DI.
 */
enable_a20:
	mov $0x2401, %ax
	int $0x15
	in $0x92, %al
	or $0x02, %al
	and $0xfe, %al
	out %al, $0x92
	mov $0xffff, %ax
	mov %ax, %es
	movw $0xa20a, 0x500
	cmpw $0xa20a, %es:0x510
	jne 1f
	movw $0x5e5e, 0x500
	cmpw $0x5e5e, %es:0x510
	jne 1f
	mov $msg_a20, %si
	jmp die
1:	xor %ax, %ax
	mov %ax, %es
	ret

/* Flat protected mode; the image loads its own GDT. */
enter_pm:
	cli
	mov %fs:P_ENTRY, %eax
	mov %eax, entry
	lgdtl gdt_desc
	mov %cr0, %eax
	or $1, %eax
	mov %eax, %cr0
	ljmpl $0x08, $pm32

	.code32
pm32:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %fs
	mov %ax, %gs
	mov %ax, %ss
	mov $STACK_TOP, %esp
	mov $MB_LOADER_MAGIC, %eax
	mov $MBI, %ebx
	jmp *entry
	.code16

	.balign 8
gdt:
	.quad 0
	.quad 0x00cf9b000000ffff	/* 0x08: flat 32-bit code */
	.quad 0x00cf93000000ffff	/* 0x10: flat data */
gdt_end:
gdt_desc:
	.word gdt_end - gdt - 1
	.long gdt

entry:
	.long 0

	/*
	 * The descriptor table INT 15h AH=87h takes: null, the table itself
	 * (the BIOS fills it), source, destination, then two for the BIOS.
	 * Limits 0xFFFF, access 0x93 (present, writable data).
	 */
	.balign 8
move_gdt:
	.quad 0
	.quad 0
move_src:
	.word 0xffff
	.word BOUNCE_ADDR & 0xffff
	.byte (BOUNCE_ADDR >> 16) & 0xff, 0x93, 0, (BOUNCE_ADDR >> 24) & 0xff
move_dst:
	.word 0xffff
	.word 0
	.byte 0, 0x93, 0, 0
	.quad 0
	.quad 0

msg_magic:
	.asciz "hvprobe loader: no parameter block (magic HVPB) after the loader\r\n"
msg_params:
	.asciz "hvprobe loader: parameter block over 127 sectors\r\n"
msg_move:
	.asciz "hvprobe loader: copy above 1 MiB failed (INT 15h AH=87h)\r\n"
msg_mem:
	.asciz "hvprobe loader: no memory size (INT 15h E820h and E801h failed)\r\n"
msg_a20:
	.asciz "hvprobe loader: the A20 gate stays closed\r\n"

	.balign 512
loader_end:
	.globl loader_sectors
	.set loader_sectors, (loader_end - _start) / 512
