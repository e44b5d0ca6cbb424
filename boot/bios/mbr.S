/* The master boot record's code (16-bit real mode, loaded by the BIOS at
 * 0000:7C00 with the boot drive in DL).
 *
 * Loads the BIOS stage with INT 13h extended reads and jumps to it at
 * 0000:8000 with DL unchanged.  The image writer patches two fields that
 * follow this code (lib/fat/gpt.h):
 *   MBR offset 0x1AC  u64  first LBA of the stage
 *   MBR offset 0x1B4  u32  stage length in sectors
 * The disk signature (0x1B8), partition table (0x1BE) and boot signature
 * (0x1FE) belong to the writer too, so this code must end before 0x1AC.
 *
 * Reads go in chunks of at most 64 sectors into 32 KiB-aligned buffers, so
 * no transfer crosses a 64 KiB boundary and none exceeds the 127-sector limit
 * some BIOSes have.  Facts: INT 13h AH=41h/42h (Ralf Brown's list, the
 * "BIOS Enhanced Disk Drive Specification" disk address packet); INT 10h
 * AH=0Eh teletype.
 */

#define MBR_BASE	0x7c00
#define STAGE_LBA	(MBR_BASE + 0x1ac)
#define STAGE_SECTORS	(MBR_BASE + 0x1b4)
#define STAGE_SEG	0x0800 /* the stage runs at 0000:8000 */
#define STAGE_MAX	960    /* sectors: 0x8000 + 960 * 512 = 0x80000, below any EBDA */
#define CHUNK		64     /* sectors per read: 32 KiB */

	.code16
	.section .text, "ax"
	.globl	mbr_start
mbr_start:
	cli
	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$MBR_BASE, %sp
	ljmp	$0, $1f			/* some BIOSes enter at 07C0:0000 */
1:	sti
	cld
	mov	%dl, drive

	mov	$msg_ext, %si
	mov	$0x41, %ah		/* extensions present? */
	mov	$0x55aa, %bx
	int	$0x13
	jc	fail
	cmp	$0xaa55, %bx
	jne	fail
	test	$1, %cl			/* bit 0: AH=42h..44h, 47h, 48h supported */
	jz	fail

	mov	$msg_nostage, %si
	mov	(STAGE_SECTORS), %ecx
	test	%ecx, %ecx
	jz	fail
	cmp	$STAGE_MAX, %ecx
	ja	fail
	mov	(STAGE_LBA), %eax
	mov	%eax, dap_lba
	mov	(STAGE_LBA + 4), %eax
	mov	%eax, dap_lba + 4
	movw	$STAGE_SEG, dap_seg

read_loop:
	/* cx = sectors left; bx = this read, min(cx, CHUNK) */
	mov	%cx, %bx
	cmp	$CHUNK, %bx
	jbe	2f
	mov	$CHUNK, %bx
2:	mov	$3, %di			/* tries */
retry:
	/* the BIOS writes the count it managed back into the packet */
	mov	%bx, dap_count
	pusha				/* BIOSes may clobber more than they return */
	mov	$dap, %si
	mov	drive, %dl
	mov	$0x42, %ah
	int	$0x13
	popa
	jnc	read_ok
	pusha
	xor	%ah, %ah		/* reset the drive, then try again */
	mov	drive, %dl
	int	$0x13
	popa
	dec	%di
	jnz	retry
	mov	$msg_read, %si
	jmp	fail

read_ok:
	movzwl	%bx, %eax
	addl	%eax, dap_lba
	adcl	$0, dap_lba + 4
	sub	%bx, %cx
	shl	$5, %bx			/* sectors -> paragraphs */
	add	%bx, dap_seg
	test	%cx, %cx
	jnz	read_loop

	mov	drive, %dl
	ljmp	$0, $(STAGE_SEG << 4)

/* Prints "tessera-mbr: " and the NUL-terminated message at SI on the screen
 * and COM1, halts. */
fail:
	push	%si
	mov	$msg_prefix, %si
	call	puts
	pop	%si
	call	puts
	mov	$msg_newline, %si
	call	puts
halt:
	cli
	hlt
	jmp	halt

puts:
	lodsb
	test	%al, %al
	jz	3f
	mov	$0x3fd, %dx		/* COM1: wait (bounded) for THR empty */
	xor	%cx, %cx
4:	mov	%al, %bl
	in	%dx, %al
	xchg	%al, %bl
	test	$0x20, %bl
	loopz	4b
	mov	$0x3f8, %dx
	out	%al, %dx
	mov	$0x0e, %ah
	mov	$0x0007, %bx
	int	$0x10
	jmp	puts
3:	ret

msg_prefix:	.asciz	"tessera-mbr: "
msg_newline:	.asciz	"\r\n"
msg_ext:	.asciz	"no INT 13h extensions"
msg_nostage:	.asciz	"no stage"
msg_read:	.asciz	"disk read error"

	.balign	4
dap:					/* disk address packet */
	.byte	0x10			/* size */
	.byte	0
dap_count:
	.word	0			/* sectors */
	.word	0			/* buffer offset */
dap_seg:
	.word	0			/* buffer segment */
dap_lba:
	.quad	0
drive:
	.byte	0
