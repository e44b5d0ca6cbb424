/* The MTRR list an AP replays; see mtrr.h. */
#include "mtrr.h"

/* The fixed-range MTRRs: 64K_00000, 16K_80000, 16K_A0000, 4K_C0000 ..
 * 4K_F8000. */
static const uint32_t fixed[MTRR_FIXED_COUNT] = {0x250, 0x258, 0x259, 0x268, 0x269, 0x26a,
                                                 0x26b, 0x26c, 0x26d, 0x26e, 0x26f};

static void put(struct ap_msr *out, size_t *n, uint32_t msr, uint64_t value)
{
	out[*n].msr = msr;
	out[*n].pad = 0;
	out[*n].value = value;
	(*n)++;
}

size_t mtrr_snapshot(int has_mtrr, mtrr_read_fn read, void *ctx, struct ap_msr *out, size_t cap,
                     unsigned *dropped)
{
	size_t n = 0;

	*dropped = 0;
	if (!has_mtrr || cap < MTRR_FIXED_COUNT + 1)
		return 0;
	uint64_t mtrrcap = read(ctx, MSR_MTRRCAP);
	if (MTRRCAP_FIX(mtrrcap))
		for (unsigned i = 0; i < MTRR_FIXED_COUNT; i++)
			put(out, &n, fixed[i], read(ctx, fixed[i]));
	for (unsigned i = 0; i < MTRRCAP_VCNT(mtrrcap); i++) {
		if (n + 3 > cap) {
			(*dropped)++;
			continue;
		}
		put(out, &n, MSR_MTRR_BASE(i), read(ctx, MSR_MTRR_BASE(i)));
		put(out, &n, MSR_MTRR_MASK(i), read(ctx, MSR_MTRR_MASK(i)));
	}
	put(out, &n, MSR_MTRR_DEF_TYPE, read(ctx, MSR_MTRR_DEF_TYPE));
	return n;
}
