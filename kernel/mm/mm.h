/* Memory management of one core: what the SMP bring-up calls, and its
 * handlers of the cross-core messages (MEM_REQUEST, MEM_DONATE,
 * TLB_SHOOTDOWN, SHOOTDOWN_ACK, VM_SPACE; registered with this core's
 * message loop by mm_core_init, all nested: peers wait on them).
 *
 * Memory moves in 2 MiB blocks between the frame pools and the borrowed
 * pools of borrow.h, which also keep every core's HHDM to its own memory.
 */
#ifndef KERNEL_MM_MM_H
#define KERNEL_MM_MM_H

#include <stdbool.h>
#include <stdint.h>
#include <tessera/err.h>
#include <tessera/urpc.h>

#include "xcore.h"

/* Bytes a core keeps when another asks it for memory. */
struct memx;

#define MM_DONOR_RESERVE (8ull << 20)

/* How long a core waits for another's answer (a donation, acks, a
 * VM_SPACE reply), and for room to send a memory message. */
#define MM_WAIT_MS 20000
#define MM_SEND_MS 10000

/* Lower-half top-level entries a shared space may have in use. */
#define MM_SHARE_ENTRIES 8

struct vm_space;

/* Starts memory management on this core, on this core: protection features
 * (NX, WP, SMEP, SMAP, UMIP, PCID), the kernel heap, the kernel address
 * space (the current tables), the memory protocol.  Call once per core
 * after its frame pool exists and it runs on its own page tables.  NOMEM
 * without a frame pool (address spaces are then off; mm_ready false). */
enum err mm_core_init(unsigned core);

/* Whether mm_core_init succeeded on this core. */
bool mm_ready(void);

/* The transport to the other cores, once the channels are up (x is kept). */
void mm_xcore_attach(const struct xcore *x);

/* Invalidates [va, va + len) of space id on every core in targets and
 * waits for their acks (vm.c calls it).  Panics without a transport: a
 * space cannot be active on another core before the channels exist. */
void mm_shootdown(uint64_t targets, uint64_t id, uint64_t va, uint64_t len);

/* Asks core donor for bytes and waits for the answer; the bytes that
 * arrived go to *received.  UNSUPPORTED without a transport or pool;
 * TIMEOUT when the answer has not ended within MM_WAIT_MS (its blocks
 * are still taken in when they come). */
enum err mm_request_memory(unsigned donor, uint64_t bytes, uint64_t *received);

/* Gives core `to` up to bytes of this core's free memory. */
enum err mm_give_memory(unsigned to, uint64_t bytes, uint64_t *given);

/* Returns to donor every block borrowed from it that is wholly free
 * (borrow.h); the bytes sent go to *given. */
enum err mm_give_back(unsigned donor, uint64_t *given);

/* This core's side of the memory protocol: its counters (memx.h). */
const struct memx *mm_exchange(void);

/* Runs space s (made here) on core `core` too, through a mirror there, and
 * waits until it is loaded: from then on s->active has the core and every
 * change that removes access to s is shot down there.  The mirror takes s's
 * lower-half top-level entries (up to MM_SHARE_ENTRIES); later changes to
 * them follow through mm_space_sync.  INVAL, UNSUPPORTED, TIMEOUT, and the
 * other core's NOMEM. */
enum err mm_space_share(struct vm_space *s, unsigned core);

/* Ends that: the core switches away and drops its mirror. */
enum err mm_space_unshare(struct vm_space *s, unsigned core);

/* Top-level entry `index` of s changed (a table linked or unlinked there):
 * every other core where s is active takes the new entry into its mirror
 * and flushes.  Panics if one does not answer: it would keep walking a
 * table that may be freed. */
void mm_space_sync(struct vm_space *s, unsigned index, uint64_t entry);

#endif
