/* This CPU's global descriptor table and 64-bit TSS. */
#ifndef X86_GDT_H
#define X86_GDT_H

#include <stdint.h>

/* Selectors (index * 8 | RPL).  User data sits before user code, the order
 * SYSRET expects (SDM Vol. 3A §5.8.8). */
#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_USER_DATA   0x1b
#define GDT_USER_CODE   0x23
#define GDT_TSS         0x28

/* Interrupt Stack Table slots (1-based, as in the IDT gate's IST field). */
#define GDT_IST_DOUBLE_FAULT  1
#define GDT_IST_NMI           2
#define GDT_IST_MACHINE_CHECK 3
#define GDT_IST_COUNT         3

/* Bytes of each IST stack. */
#define GDT_IST_STACK_SIZE 16384

/* Builds and loads the GDT, reloads every segment register and loads the
 * task register with a TSS whose IST slots point at this CPU's own stacks. */
void gdt_init(void);

/* The stack an interrupt or exception from ring 3 starts on (TSS.RSP0). */
void gdt_set_rsp0(uint64_t rsp);

/* Top (initial RSP) of IST stack slot (1..GDT_IST_COUNT). */
uintptr_t gdt_ist_top(unsigned slot);

#endif
