/* A core that started but is not online gives its untyped region to the
 * boot core (capboot.h).  The memory changes hands at one step: the
 * retiring core unmaps the region from its HHDM (and never uses it again)
 * before it answers; the boot core maps it only on that answer.  Until
 * then the region is the retiring core's, and the boot core's caps for it
 * name memory it does not map, so they cannot be used there. */
#include <tessera/msg.h>

#include "capboot.h"
#include "core.h"
#include "hhdm.h"
#include "ktime.h"
#include "log.h"
#include "mm/mm.h"
#include "mm/vm.h"
#include "msgloop.h"
#include "region.h"

/* ---- the boot core ---- */

void capboot_retire(unsigned c)
{
	struct capboot_handout *h = handout_mut(c);
	struct msg_core_retire r = {.core = c};

	if (!h || h->state != CAPBOOT_HANDOUT_HERE)
		return;
	h->state = CAPBOOT_HANDOUT_LIMBO;
	enum err e = msgloop_send(c, MSG_CORE_RETIRE, &r, sizeof r, ktime_deadline(CAPBOOT_ACK_MS));
	log_printf("capboot: core %u is not online: %s it to give up its %llu MiB of untyped\n", c,
	           e ? "could not ask" : "asked", (unsigned long long)(h->bytes >> 20));
}

static void on_retired(unsigned from, const struct urpc_msg *m)
{
	const struct capboot_handout *h = capboot_handout(from);
	struct msg_core_retire r;

	if (msg_decode_core_retired(m, &r) != ERR_OK || !h || r.core != from ||
	    h->state != CAPBOOT_HANDOUT_LIMBO) {
		log_printf("capboot: unexpected CORE_RETIRED from core %u\n", from);
		return;
	}
	if (r.status != ERR_OK || r.bytes != h->bytes) {
		log_printf("capboot: core %u kept its untyped region (%s, %llu of %llu bytes); it "
		           "stays unused\n",
		           from, err_str((enum err)r.status), (unsigned long long)r.bytes,
		           (unsigned long long)h->bytes);
		return;
	}
	capboot_keep(from);
	log_printf("capboot: core %u retired; its %llu MiB of untyped are core 0's now\n", from,
	           (unsigned long long)(h->bytes >> 20));
}

/* ---- the retiring core ---- */

static bool retired;

bool capboot_retired(void)
{
	return retired;
}

/* Whether block [base, base + size) is mapped here by pages that lie
 * wholly inside it (so unmapping them touches nothing else); ALIGN when a
 * page also covers memory outside it, NOENT when a page is not mapped. */
static enum err check_block(uint64_t base, uint64_t size)
{
	for (uint64_t off = 0; off < size;) {
		uint64_t pa;
		unsigned prot, bits;
		uintptr_t va = (uintptr_t)hhdm_ptr(base + off);
		enum err e = vm_lookup(vm_kernel(), va, &pa, &prot, &bits);
		if (e)
			return e;
		uint64_t page = 1ull << bits;
		if ((va & (page - 1)) || page > size - off)
			return ERR_ALIGN;
		off += page;
	}
	return ERR_OK;
}

static void unmap_block(uint64_t base, uint64_t size)
{
	for (uint64_t off = 0; off < size;) {
		uint64_t pa;
		unsigned prot, bits;
		uintptr_t va = (uintptr_t)hhdm_ptr(base + off);
		vm_lookup(vm_kernel(), va, &pa, &prot, &bits);
		vm_unmap(vm_kernel(), va, bits);
		off += 1ull << bits;
	}
}

/* Decode: every block held for caps (none under a cap, none the kernel's)
 * and mapped only by pages of its own; then invoke: unmap them all. */
static enum err retire(uint64_t *bytes)
{
	unsigned n;
	struct region_block *b = region_blocks(&n);
	enum err e = mm_ready() ? ERR_OK : ERR_UNSUPPORTED;

	*bytes = 0;
	for (unsigned i = 0; i < n && !e; i++) {
		if (b[i].state != REGION_HELD)
			e = ERR_BUSY;
		else
			e = check_block(b[i].base, 1ull << b[i].bits);
	}
	if (e)
		return e;
	for (unsigned i = 0; i < n; i++) {
		unmap_block(b[i].base, 1ull << b[i].bits);
		b[i].state = REGION_GONE;
		*bytes += 1ull << b[i].bits;
	}
	retired = true;
	return ERR_OK;
}

static void on_retire(unsigned from, const struct urpc_msg *m)
{
	struct msg_core_retire r;
	uint64_t gone;

	if (msg_decode_core_retire(m, &r) != ERR_OK || from != 0 || r.core != core_self()) {
		log_printf("capboot: unexpected CORE_RETIRE from core %u\n", from);
		return;
	}
	enum err e = retired ? ERR_OK : retire(&gone); /* asked again: the same answer */
	region_count(REGION_GONE, &gone);
	r.bytes = e ? 0 : gone;
	r.status = e;
	log_printf("capboot: retiring: untyped region %s\n", e ? err_str(e) : "given to core 0");
	if (msgloop_send(0, MSG_CORE_RETIRED, &r, sizeof r, ktime_deadline(CAPBOOT_ACK_MS)))
		log_printf("capboot: no room to answer core 0's CORE_RETIRE\n");
}

void capboot_register_retire(void)
{
	if (core_self() == 0)
		msgloop_register(MSG_CORE_RETIRED, on_retired, MSGLOOP_TOP);
	else
		msgloop_register(MSG_CORE_RETIRE, on_retire, MSGLOOP_TOP);
}
