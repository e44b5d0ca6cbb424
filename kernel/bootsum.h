/* The boot summary: every Limine response as canonical "bootsum:" lines,
 * comparable across loaders (see bootsum.c for what canonical means). */
#ifndef KERNEL_BOOTSUM_H
#define KERNEL_BOOTSUM_H

/* Logs the summary; call after boot_collect(). */
void bootsum_print(void);

#endif
