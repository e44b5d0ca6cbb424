/* Protection and memory-type flags of a mapping, the portable vocabulary the
 * VM code passes to the arch page-table hooks (arch/paging.h).  A present
 * mapping is always readable; each flag adds to that.
 */
#ifndef KERNEL_MM_PROT_H
#define KERNEL_MM_PROT_H

#define MM_PROT_WRITE  (1u << 0) /* writable */
#define MM_PROT_EXEC   (1u << 1) /* executable (else no-execute) */
#define MM_PROT_USER   (1u << 2) /* reachable from user mode */
#define MM_PROT_GLOBAL (1u << 3) /* survives address-space switches (kernel only) */
#define MM_PROT_UC     (1u << 4) /* uncached: device registers */
#define MM_PROT_WC     (1u << 5) /* write-combining: framebuffers */
#define MM_PROT_ALL    0x3fu

/* Page sizes, as log2 of bytes. */
#define MM_PAGE_BITS       12
#define MM_LARGE_PAGE_BITS 21
#define MM_HUGE_PAGE_BITS  30
#define MM_PAGE_SIZE       (1ull << MM_PAGE_BITS)
#define MM_LARGE_PAGE_SIZE (1ull << MM_LARGE_PAGE_BITS)

#endif
