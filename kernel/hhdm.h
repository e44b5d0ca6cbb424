/* The higher-half direct map: all physical memory the loader mapped, at
 * physical address + offset (Limine "HHDM Feature"). */
#ifndef KERNEL_HHDM_H
#define KERNEL_HHDM_H

#include <stdbool.h>
#include <stdint.h>

/* Records the offset the loader reported. */
void hhdm_init(uint64_t offset);

/* Whether the loader reported an HHDM (nothing below works without one). */
bool hhdm_ready(void);

/* The HHDM virtual address of physical address phys. */
void *hhdm_ptr(uint64_t phys);

/* The physical address behind HHDM pointer p. */
uint64_t hhdm_phys(const void *p);

#endif
