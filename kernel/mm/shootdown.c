/* The TLB shootdown protocol; see shootdown.h. */
#include "shootdown.h"

enum err shootdown_start(struct shootdown *sd, const struct xcore *x, uint64_t targets, uint64_t id,
                         uint64_t va, uint64_t len)
{
	uint64_t all = x->ncores >= 64 ? UINT64_MAX : (1ull << x->ncores) - 1;

	if (sd->waiting || (targets & ~all) || (targets >> x->self & 1))
		return ERR_INVAL;
	struct msg_tlb_shootdown m = {.asid = id,
	                              .start = va,
	                              .length = len,
	                              .request = sd->next_request++,
	                              .initiator = x->self};
	sd->request = m.request;
	sd->waiting = targets;
	for (unsigned c = 0; c < x->ncores; c++) {
		if (!(targets >> c & 1))
			continue;
		enum err e = xcore_send_wait(x, c, MSG_TLB_SHOOTDOWN, &m, sizeof m);
		if (e) {
			sd->waiting = 0;
			return e;
		}
	}
	return ERR_OK;
}

bool shootdown_waiting(const struct shootdown *sd)
{
	return sd->waiting != 0;
}

enum err shootdown_run(struct shootdown *sd, const struct xcore *x, uint64_t targets, uint64_t id,
                       uint64_t va, uint64_t len)
{
	enum err e = shootdown_start(sd, x, targets, id, va, len);
	while (!e && shootdown_waiting(sd))
		x->poll(x->ctx);
	return e;
}

enum err shootdown_on_ack(struct shootdown *sd, unsigned from, const struct msg_shootdown_ack *a)
{
	if (a->core != from)
		return ERR_CORRUPT;
	if (a->request == sd->request && from < 64)
		sd->waiting &= ~(1ull << from);
	return ERR_OK;
}

enum err shootdown_on_request(const struct xcore *x, const struct msg_tlb_shootdown *m,
                              void (*invalidate)(uint64_t id, uint64_t va, uint64_t len))
{
	if (m->initiator >= x->ncores)
		return ERR_CORRUPT;
	invalidate(m->asid, m->start, m->length);
	struct msg_shootdown_ack a = {.request = m->request, .core = x->self};
	return xcore_send_wait(x, m->initiator, MSG_SHOOTDOWN_ACK, &a, sizeof a);
}
