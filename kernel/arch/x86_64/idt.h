/* This CPU's interrupt descriptor table and the exception entry path. */
#ifndef X86_IDT_H
#define X86_IDT_H

#include <stddef.h>
#include <stdint.h>

#define IDT_VECTORS    256
#define IDT_EXCEPTIONS 32

/* Exception vectors (SDM Vol. 3A §6.3.1, Table 6-1). */
#define IDT_DE  0
#define IDT_DB  1
#define IDT_NMI 2
#define IDT_BP  3
#define IDT_UD  6
#define IDT_DF  8
#define IDT_GP  13
#define IDT_PF  14
#define IDT_MC  18

/* Page-fault error code bits (SDM Vol. 3A §4.7, Figure 4-12). */
#define PF_ERR_P    (1u << 0)  /* protection violation (else not present) */
#define PF_ERR_W    (1u << 1)  /* write access */
#define PF_ERR_U    (1u << 2)  /* user-mode access */
#define PF_ERR_RSVD (1u << 3)  /* reserved bit set in a paging entry */
#define PF_ERR_I    (1u << 4)  /* instruction fetch */
#define PF_ERR_PK   (1u << 5)  /* protection key */
#define PF_ERR_SS   (1u << 6)  /* shadow-stack access */
#define PF_ERR_SGX  (1u << 15) /* SGX access-control violation */

/* The registers isr.S saves, then the vector and error code (0 when the
 * CPU pushes none), then the frame the CPU pushes in 64-bit mode
 * (SDM Vol. 3A §6.14.2, Figure 6-9).  Lowest address first. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct trap_frame) == 22 * 8, "isr.S pushes 17 words, the CPU 5");
_Static_assert(offsetof(struct trap_frame, vector) == 15 * 8, "isr.S: vector above rax");
_Static_assert(offsetof(struct trap_frame, rip) == 17 * 8, "SDM 3A §6.14.2: RIP after error code");

/* A handler may change the frame (e.g. advance rip) and returns to resume
 * the interrupted code. */
typedef void (*idt_handler)(struct trap_frame *tf);

/* Fills and loads the IDT: every vector goes to isr.S's stub, #DF, NMI and
 * #MC on their own IST stacks. */
void idt_init(void);

/* Makes h handle vector (NULL restores the default, a fatal report) and
 * returns the previous handler. */
idt_handler idt_set_handler(unsigned vector, idt_handler h);

/* The name of an exception vector, e.g. "#PF page fault". */
const char *idt_vector_name(unsigned vector);

/* user.c: a trap from ring 3 leaves user mode (handler: the vector's). */
_Noreturn void arch_user_trap(struct trap_frame *tf, idt_handler handler);

/* Called by isr.S with interrupts off. */
void idt_dispatch(struct trap_frame *tf);

#endif
