/* The MON_STATS method; see corestats.h.  Nothing here counts: the
 * counters are chan.c's (sends, receives, halted cycles), read here. */
#include "corestats.h"

#include <arch/arch.h>

#include "chan.h"
#include "core.h"
#include "ktime.h"

enum err corestats_invoke(const struct cte *slot, const uint64_t *a,
                          struct cap_invocation_result *res)
{
	if (!(slot->cap.rights & CAP_RIGHT_READ))
		return ERR_PERM;
	if (a[0] >= core_count())
		return ERR_RANGE;
	unsigned peer = (unsigned)a[0];
	struct cap_results_mon_stats r = {
	        .cycles = arch_cycles(),
	        .idle = chan_idle_cycles(),
	        .start = chan_start_cycles(),
	        .hz = ktime_cycles_hz(),
	        .sent = chan_sent(peer),
	        .received = chan_received(peer),
	};
	_Static_assert(sizeof r <= sizeof *res, "MON_STATS fits the result registers");
	__builtin_memcpy(res->value, &r.cycles, sizeof r - sizeof r.err);
	return ERR_OK;
}
