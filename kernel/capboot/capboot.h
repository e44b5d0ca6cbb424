/* The kernel's side of the capability core (kernel/cap): the cap_env every
 * invocation on this core goes through, and the initial capability space
 * each core builds at boot.
 *
 * The initial space is a root CNode of 2^CAPBOOT_CNODE_BITS slots, its
 * original cap kept in a kernel-owned slot (capboot_root), holding:
 *   slot 1                 a copy of the root CNode cap (the space names itself)
 *   untyped range          this core's RAM as untyped memory: every block of
 *                          its frame pool beyond a kernel reserve, largest
 *                          blocks first (the pools are per core, so each
 *                          core's space holds its own pool's memory)
 *   device_frames range    the boot core only: the framebuffer, the local
 *                          APIC and the I/O APICs (ACPI MADT) as device
 *                          frames, 2 MiB where aligned, else 4 KiB
 *   ioports range          the boot core only: COM1, PIT, PS/2 (arch/devices.h)
 *   irqs range             the boot core only: the legacy interrupt lines
 * Devices go to the boot core alone: they exist once in the machine, so
 * one core hands them out, as it would any other cap, by value.
 */
#ifndef KERNEL_CAPBOOT_CAPBOOT_H
#define KERNEL_CAPBOOT_CAPBOOT_H

#include <stdbool.h>
#include <stdint.h>
#include <tessera/err.h>

#include "cap/cap.h"

#define CAPBOOT_CNODE_BITS 12 /* 4096 slots, 256 KiB */
#define CAPBOOT_SLOT_CNODE 1
#define CAPBOOT_SLOT_FIRST 2

/* RAM the CPU driver keeps for itself (heap, page tables, channels, its
 * own tests): the larger of this and a quarter of the pool. */
#define CAPBOOT_KERNEL_RESERVE (16ull << 20)

struct capboot_range {
	uint32_t first, count; /* slots */
};

struct capboot_info {
	struct capboot_range untyped, device_frames, ioports, irqs;
	uint64_t untyped_bytes;
	uint64_t device_bytes;
};

/* This core's cap_env: HHDM translation; destroyed root objects go back
 * to this core's frame pool; mappings are undone (mm/vspace.h). */
const struct cap_env *capboot_env(void);

/* Builds this core's initial space (devices: the boot core's as well).
 * NOMEM when the pool cannot hold the root CNode; FULL when the CNode
 * cannot hold every cap (the rest is left out, and logged). */
enum err capboot_init(bool devices);

/* Deletes the whole initial space (revoke, then delete the root):
 * everything in it goes back to the pool.  For tests. */
void capboot_fini(void);

/* The kernel-owned slot holding the root CNode's original cap, and slot i
 * of the root CNode (NULL before capboot_init or past the end). */
struct cte *capboot_root(void);
struct cte *capboot_slot(uint64_t i);
const struct capboot_info *capboot_info(void);

/* For tests: a root CNode of 2^slot_bits slots in *cnode and a root untyped
 * of 2^untyped_bits bytes in *untyped, both from this core's pool.  NOMEM. */
enum err capboot_make_space(unsigned slot_bits, unsigned untyped_bits, struct cte *cnode,
                            struct cte *untyped);

#endif
