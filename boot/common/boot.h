/* The common loader: what a firmware front end calls, and the services the
 * common code offers to it and to itself.  See fw.h for the hooks a front
 * end implements. */
#ifndef BOOT_COMMON_BOOT_H
#define BOOT_COMMON_BOOT_H

#include <stddef.h>
#include <stdint.h>

#include "fw.h"

#define BOOT_NAME    "Tessera"
#define BOOT_VERSION "0.1"

/* PROTOCOL.md "Entry memory layout": the HHDM offset we use, and the
 * lowest address a kernel may be loaded at. */
#define BOOT_HHDM_BASE  0xffff800000000000ull
#define BOOT_KERNEL_MIN 0xffffffff80000000ull
#define BOOT_STACK_SIZE 0x10000ull /* 64 KiB unless the kernel asks for more */
#define BOOT_PAGE       0x1000ull

/* Runs the whole boot: configuration, kernel, modules, responses, page
 * tables, fw_exit, jump.  On any failure it reports and halts. */
__attribute__((noreturn)) void boot_main(void);

/* size zeroed bytes, 16-byte aligned, in bootloader-reclaimable memory.
 * Never fails: running out of memory is fatal.  Not after fw_exit. */
void *boot_alloc(size_t size);

/* pages whole pages of kind, 4 KiB aligned, not zeroed.  Running out of
 * memory is fatal.  Not after fw_exit. */
void *boot_alloc_pages(uint64_t pages, enum boot_mem kind);

/* A copy of s in bootloader-reclaimable memory. */
char *boot_strdup(const char *s);

/* Loader pointers and physical addresses are the same numbers (the
 * firmware identity-maps memory while the loader runs). */
static inline uint64_t boot_phys(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static inline void *boot_ptr(uint64_t phys)
{
	return (void *)(uintptr_t)phys;
}

/* The HHDM address of a physical address. */
static inline uint64_t boot_hhdm(uint64_t phys)
{
	return phys + BOOT_HHDM_BASE;
}

#endif
