/* The kernel entry point (ELF e_entry).  The Limine protocol ("Machine state
 * at entry", x86-64) gives us 64-bit mode, interrupts off, the loader's GDT
 * and a stack with a 0 return address on it.  Terminate the frame-pointer
 * chain, align the stack as the SysV ABI wants at a call, and enter C.
 */
	.section .text.entry, "ax"
	.globl kernel_entry
	.type kernel_entry, @function
kernel_entry:
	xorl %ebp, %ebp
	andq $-16, %rsp
	call kmain
1:	cli
	hlt
	jmp 1b
	.size kernel_entry, . - kernel_entry

	.section .note.GNU-stack, "", @progbits
