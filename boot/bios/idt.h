/* Exception handlers for the long-mode stage: a fault in the loader prints
 * its vector and address and halts instead of triple-faulting. */
#ifndef BOOT_BIOS_IDT_H
#define BOOT_BIOS_IDT_H

/* Loads an IDT whose 32 exception vectors report and halt. */
void idt_init(void);

#endif
