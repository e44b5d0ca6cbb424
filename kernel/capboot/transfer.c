/* Untyped memory moves from the boot core to the others (capboot.h): the
 * boot core makes every core's untyped caps in its own space, sends each
 * online core its caps by value (CAP_TRANSFER) and deletes each one when
 * the core acknowledges having installed it (CAP_TRANSFER_ACK); the
 * receiving side decodes (every check, nothing changed) and installs.
 *
 * The boot core's caps are named in the messages by their slot index
 * (msg id), so an ack finds its cap without a search, and a cap that is not
 * in that slot any more is never deleted by mistake.
 */
#include "capboot.h"

#include <string/mem.h>

#include "cap/cnode.h"
#include "core.h"
#include "frame.h"
#include "hhdm.h"
#include "ktime.h"
#include "log.h"
#include "mm/mm.h"
#include "mm/vm.h"
#include "msgloop.h"
#include "panic.h"
#include "region.h"

#define BIT(c) (1ull << (c))

static struct capboot_handout out[SMP_MAX_CORES]; /* the boot core's */

const struct capboot_handout *capboot_handout(unsigned c)
{
	return c < SMP_MAX_CORES ? &out[c] : NULL;
}

struct capboot_handout *handout_mut(unsigned c)
{
	return c < SMP_MAX_CORES ? &out[c] : NULL;
}

/* ---- the boot core: making the caps ---- */

/* Core c's untyped caps from slot *next on; a core whose caps have moved
 * keeps its slots, empty, so the layout stays the same when the space is
 * built again (false: nothing made). */
static bool make_core(unsigned c, const struct memplan_untyped *u, uint64_t *next, uint64_t end)
{
	struct capboot_handout *h = &out[c];
	struct capboot_info *info = capboot_info_mut();
	struct memplan_cursor cur = {0};
	uint64_t base;
	unsigned bits;
	enum err e = ERR_OK;

	if (h->state == CAPBOOT_HANDOUT_SENT) {
		*next += h->slots.count;
		return false;
	}
	h->slots.first = (uint32_t)*next;
	h->bytes = 0;
	memset(h->cap, CAPBOOT_CAP_HERE, sizeof h->cap);
	while (!e && memplan_next_block(&u->region, &cur, &base, &bits)) {
		struct cap cap = {.type = CAP_UNTYPED,
		                  .size_bits = (uint8_t)bits,
		                  .rights = cap_type_rights(CAP_UNTYPED),
		                  .base = base};
		e = *next < end ? cap_create_root(capboot_env(), capboot_slot(*next), &cap)
		                : ERR_FULL;
		if (!e) {
			h->bytes += 1ull << bits;
			(*next)++;
		}
	}
	if (e)
		log_printf("capboot: not all of core %u's untyped made (%s); the rest stays "
		           "unused\n",
		           c, err_str(e));
	h->slots.count = (uint32_t)(*next - h->slots.first);
	info->others_bytes += h->bytes;
	if (h->state == CAPBOOT_HANDOUT_NONE)
		h->state = CAPBOOT_HANDOUT_HERE;
	return true;
}

unsigned handout_make(uint64_t *next, uint64_t end)
{
	struct capboot_info *info = capboot_info_mut();
	unsigned made = 0;

	info->others.first = (uint32_t)*next;
	for (unsigned c = 1; c < core_count() && c < SMP_MAX_CORES; c++) {
		const struct memplan_untyped *u = core_untyped(c);
		if (!u)
			continue;
		uint64_t first = *next;
		if (make_core(c, u, next, end))
			made += (unsigned)(*next - first);
	}
	info->others.count = (uint32_t)(*next - info->others.first);
	return made;
}

/* ---- the boot core: sending, acks, keeping ---- */

/* Sends core c its caps in state from (HERE the first time, SENT again in
 * a later round) that can move: a live cap with the GRANT right (so a cap
 * the boot core gave up the right to delegate stays).  Each sent cap is
 * SENT until its answer. */
static void send_caps(unsigned c, uint8_t from, uint64_t deadline)
{
	struct capboot_handout *h = &out[c];

	for (uint32_t i = 0; i < h->slots.count && i < MEMPLAN_MAX_BLOCKS; i++) {
		uint32_t idx = h->slots.first + i;
		const struct cte *s = capboot_slot(idx);
		if (h->cap[i] != from || !cap_slot_live(s) || !(s->cap.rights & CAP_RIGHT_GRANT))
			continue;
		struct msg_cap_transfer t = {.base = s->cap.base,
		                             .rights = s->cap.rights,
		                             .id = idx,
		                             .flags = (uint16_t)(s->cap.flags & ~CAP_FLAG_KERNEL),
		                             .type = s->cap.type,
		                             .size_bits = s->cap.size_bits};
		enum err e = msgloop_send(c, MSG_CAP_TRANSFER, &t, sizeof t, deadline);
		if (e) {
			log_printf("capboot: untyped for core %u not sent: %s\n", c, err_str(e));
			return;
		}
		if (from == CAPBOOT_CAP_HERE)
			h->sent++;
		else
			h->resent++;
		h->cap[i] = CAPBOOT_CAP_SENT;
	}
}

/* Maps [pa, pa + size) (a naturally aligned block) into this core's HHDM:
 * 2 MiB pages where the block has them. */
static enum err map_block(uint64_t pa, uint64_t size)
{
	if (size < MM_LARGE_PAGE_SIZE)
		return vm_map_range(vm_kernel(), (uintptr_t)hhdm_ptr(pa), pa, size, MM_PROT_WRITE);
	for (uint64_t off = 0; off < size; off += MM_LARGE_PAGE_SIZE) {
		uintptr_t va = (uintptr_t)hhdm_ptr(pa + off);
		enum err e = vm_map(vm_kernel(), va, pa + off, MM_LARGE_PAGE_BITS, MM_PROT_WRITE);
		if (e == ERR_EXIST) /* a page table is there already */
			e = vm_map_range(vm_kernel(), va, pa + off, MM_LARGE_PAGE_SIZE,
			                 MM_PROT_WRITE);
		if (e)
			return e;
	}
	return ERR_OK;
}

void capboot_keep(unsigned c)
{
	struct capboot_handout *h = c < SMP_MAX_CORES ? &out[c] : NULL;

	if (!h || (h->state != CAPBOOT_HANDOUT_HERE && h->state != CAPBOOT_HANDOUT_LIMBO))
		return;
	h->state = CAPBOOT_HANDOUT_KEPT;
	for (uint32_t i = 0; !h->mapped && mm_ready() && i < h->slots.count; i++) {
		const struct cte *s = capboot_slot(h->slots.first + i);
		enum err e = cap_slot_live(s) ? map_block(s->cap.base, 1ull << s->cap.size_bits)
		                              : ERR_OK;
		if (e)
			log_printf("capboot: core %u's untyped %#llx not mapped here: %s\n", c,
			           (unsigned long long)s->cap.base, err_str(e));
	}
	h->mapped = mm_ready();
}

/* Cores with answers still to come. */
static uint64_t waiting(void)
{
	uint64_t w = 0;

	for (unsigned c = 1; c < SMP_MAX_CORES; c++)
		for (uint32_t i = 0; i < out[c].slots.count && i < MEMPLAN_MAX_BLOCKS; i++)
			if (out[c].cap[i] == CAPBOOT_CAP_SENT)
				w |= BIT(c);
	return w;
}

static bool all_answered(void *unused)
{
	return waiting() == 0;
}

/* Sends every online core its caps and waits for the answers, sending
 * again what is unanswered after each round. */
static void send_rounds(uint64_t online)
{
	for (unsigned round = 0; round < CAPBOOT_ROUNDS; round++) {
		uint64_t deadline = ktime_deadline(CAPBOOT_ROUND_MS);
		for (unsigned c = 1; c < SMP_MAX_CORES; c++) {
			if (!(online & BIT(c)) || out[c].state != CAPBOOT_HANDOUT_SENT)
				continue;
			send_caps(c, round ? CAPBOOT_CAP_SENT : CAPBOOT_CAP_HERE, deadline);
		}
		if (msgloop_wait(all_answered, NULL, deadline) == ERR_OK)
			return;
	}
}

void capboot_hand_out(uint64_t online)
{
	uint64_t start = arch_cycles(), moved = 0, kept = 0;
	unsigned caps = 0;

	if (core_self() != 0 || !capboot_root())
		return;
	for (unsigned c = 1; c < SMP_MAX_CORES; c++) {
		const struct smp_core *k = core_info(c);
		if (out[c].state != CAPBOOT_HANDOUT_HERE)
			continue;
		if (online & BIT(c))
			out[c].state = CAPBOOT_HANDOUT_SENT;
		else if (k && k->state == SMP_CORE_RELEASED)
			capboot_retire(c);
		else
			capboot_keep(c);
	}
	send_rounds(online);
	for (unsigned c = 1; c < SMP_MAX_CORES; c++) {
		caps += out[c].moved;
		moved += out[c].moved_bytes;
		kept += out[c].state == CAPBOOT_HANDOUT_KEPT ? out[c].bytes : 0;
		if (waiting() & BIT(c))
			log_printf(
			        "capboot: core %u has not answered for all its untyped caps yet\n",
			        c);
	}
	log_printf("capboot: untyped handed out in %llu ms: %u caps (%llu MiB) moved to other "
	           "cores, %llu MiB kept for cores that never ran\n",
	           (unsigned long long)(ktime_cycles_to_us(arch_cycles() - start) / 1000), caps,
	           (unsigned long long)(moved >> 20), (unsigned long long)(kept >> 20));
}

/* The boot core: an answer.  Installed: the copy here goes (the move);
 * refused: it stays, inert (the memory is that core's: not mapped here).
 * An answer for a cap already answered (a duplicate, or the answer to a
 * transfer sent again) changes nothing. */
static void on_ack(unsigned from, const struct msg_cap_transfer_ack *a)
{
	struct capboot_handout *h = from < SMP_MAX_CORES ? &out[from] : NULL;
	uint32_t i = h ? a->id - h->slots.first : 0;

	if (!h || a->core != from || a->id < h->slots.first || i >= h->slots.count ||
	    i >= MEMPLAN_MAX_BLOCKS) {
		log_printf("capboot: ack from core %u for cap %u, which is not its\n", from, a->id);
		return;
	}
	struct cte *s = capboot_slot(a->id);
	if (h->cap[i] != CAPBOOT_CAP_SENT) {
		h->duplicates++;
		log_printf("capboot: core %u answered again for cap %u; already answered\n", from,
		           a->id);
		return;
	}
	if (!s || !cap_slot_live(s) || s->cap.base != a->base || s->cap.size_bits != a->size_bits ||
	    s->cap.type != a->type) {
		log_printf("capboot: ack from core %u for cap %u does not match it\n", from, a->id);
		return;
	}
	if (a->status != ERR_OK) {
		h->cap[i] = CAPBOOT_CAP_REFUSED;
		h->refused++;
		log_printf("capboot: core %u refused untyped %#llx (2^%u bytes): %s; kept here, "
		           "unused\n",
		           from, (unsigned long long)a->base, a->size_bits,
		           err_str((enum err)a->status));
		return;
	}
	uint64_t size = 1ull << s->cap.size_bits;
	cap_revoke(capboot_env(), s); /* whatever was derived from it here goes first */
	cap_delete(capboot_env(), s);
	h->cap[i] = CAPBOOT_CAP_MOVED;
	h->moved++;
	h->moved_bytes += size;
}

/* ---- another core: receiving ---- */

enum err capboot_decode_receive(unsigned from, const struct msg_cap_transfer *t,
                                struct capboot_receive *r)
{
	const struct capboot_info *info = capboot_info();
	uint64_t span, span_size;

	if (!capboot_root())
		return ERR_UNSUPPORTED;
	if (from != 0)
		return ERR_PERM;
	if (t->type != CAP_UNTYPED || (t->flags & CAP_FLAG_DEVICE))
		return ERR_TYPE;
	r->cap = (struct cap){.type = t->type,
	                      .size_bits = t->size_bits,
	                      .flags = t->flags,
	                      .rights = t->rights,
	                      .base = t->base,
	                      .count = t->count};
	r->slot = capboot_slot((uint64_t)info->untyped.first + info->untyped.count);
	if (!r->slot)
		return ERR_FULL;
	enum err e = cap_decode_root(r->slot, &r->cap);
	if (e)
		return e;
	uint64_t size = 1ull << t->size_bits;
	frame_span(&span, &span_size);
	if (t->base < span || t->base - span >= span_size || size > span_size - (t->base - span))
		return ERR_RANGE;
	e = region_find(t->base, t->size_bits, &r->block);
	if (e)
		return e;
	unsigned n;
	uint8_t state = region_blocks(&n)[r->block].state;
	if (state == REGION_CAP)
		return ERR_EXIST;
	return state == REGION_HELD ? ERR_OK : ERR_OVERLAP;
}

void capboot_invoke_receive(const struct capboot_receive *r)
{
	struct capboot_info *info = capboot_info_mut();
	unsigned n;

	uint64_t held;

	cap_invoke_root(capboot_env(), r->slot, &r->cap);
	region_blocks(&n)[r->block].state = REGION_CAP;
	info->untyped.count++;
	info->untyped_bytes += 1ull << r->cap.size_bits;
	if (region_count(REGION_HELD, &held) == 0)
		log_printf("capboot: %u untyped (%llu MiB) received; the region is all in caps\n",
		           info->untyped.count, (unsigned long long)(info->untyped_bytes >> 20));
}

/* Another core: a cap from the boot core; installed or refused, the
 * answer says which. */
static void on_transfer(unsigned from, const struct urpc_msg *m)
{
	struct msg_cap_transfer t = {0};
	struct capboot_receive r;
	enum err e = msg_decode_cap_transfer(m, &t);

	if (!e)
		e = capboot_decode_receive(from, &t, &r);
	if (!e) {
		capboot_invoke_receive(&r);
	} else if (e == ERR_EXIST) {
		log_printf("capboot: untyped %#llx from core %u is here already; answered "
		           "installed again\n",
		           (unsigned long long)t.base, from);
		e = ERR_OK;
	} else {
		log_printf("capboot: untyped %#llx (2^%u bytes) from core %u refused: %s\n",
		           (unsigned long long)t.base, t.size_bits, from, err_str(e));
	}
	struct msg_cap_transfer_ack a = {.base = t.base,
	                                 .id = t.id,
	                                 .status = e,
	                                 .core = core_self(),
	                                 .type = t.type,
	                                 .size_bits = t.size_bits};
	if (msgloop_send(from, MSG_CAP_TRANSFER_ACK, &a, sizeof a, ktime_deadline(CAPBOOT_ACK_MS)))
		log_printf("capboot: no room to answer core %u\n", from);
}

/* The boot core: an answer to one of its transfers. */
static void on_ack_msg(unsigned from, const struct urpc_msg *m)
{
	struct msg_cap_transfer_ack a;

	if (msg_decode_cap_transfer_ack(m, &a) == ERR_OK && core_self() == 0)
		on_ack(from, &a);
	else
		log_printf("capboot: unexpected CAP_TRANSFER_ACK from core %u\n", from);
}

void capboot_register_messages(void)
{
	msgloop_register(MSG_CAP_TRANSFER, on_transfer, MSGLOOP_TOP);
	msgloop_register(MSG_CAP_TRANSFER_ACK, on_ack_msg, MSGLOOP_NESTED);
	capboot_register_retire();
}
