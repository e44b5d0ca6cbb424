/* Memory-map normalisation and HHDM coverage; see mmap.h. */
#include "mmap.h"

/* Overlap priority of a Limine type: higher wins.  Unknown types rank and
 * come out as reserved. */
static unsigned priority(uint64_t type)
{
	switch (type) {
	case LIMINE_MEMMAP_USABLE: return 1;
	case LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE: return 2;
	case LIMINE_MEMMAP_KERNEL_AND_MODULES: return 3;
	case LIMINE_MEMMAP_ACPI_RECLAIMABLE: return 4;
	case LIMINE_MEMMAP_ACPI_NVS: return 5;
	case LIMINE_MEMMAP_BAD_MEMORY: return 7;
	case LIMINE_MEMMAP_FRAMEBUFFER: return 8;
	default: return 6; /* reserved */
	}
}

static uint64_t known_type(uint64_t type)
{
	return type <= LIMINE_MEMMAP_FRAMEBUFFER ? type : LIMINE_MEMMAP_RESERVED;
}

/* The end of an entry, saturated at the top of the address space. */
static uint64_t end_of(const struct limine_memmap_entry *e)
{
	return e->base + e->length < e->base ? UINT64_MAX : e->base + e->length;
}

/* Shell sort of words, then removal of duplicates; returns the new count. */
static size_t sort_unique(uint64_t *w, size_t n)
{
	for (size_t gap = n / 2; gap; gap /= 2) {
		for (size_t i = gap; i < n; i++) {
			uint64_t v = w[i];
			size_t j = i;
			for (; j >= gap && w[j - gap] > v; j -= gap)
				w[j] = w[j - gap];
			w[j] = v;
		}
	}
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (m == 0 || w[m - 1] != w[i])
			w[m++] = w[i];
	return m;
}

void mmap_sort(struct limine_memmap_entry *e, size_t n)
{
	/* insertion sort: stable, and maps are short */
	for (size_t i = 1; i < n; i++) {
		struct limine_memmap_entry v = e[i];
		size_t j = i;
		for (; j > 0 && e[j - 1].base > v.base; j--)
			e[j] = e[j - 1];
		e[j] = v;
	}
}

/* Appends [base, end) of type to out, merging with a contiguous last entry
 * of the same type. */
static enum err append(struct limine_memmap_entry *out, size_t cap, size_t *n, uint64_t base,
                       uint64_t end, uint64_t type)
{
	if (*n && out[*n - 1].type == type && end_of(&out[*n - 1]) == base) {
		out[*n - 1].length += end - base;
		return ERR_OK;
	}
	if (*n == cap)
		return ERR_NOSPC;
	out[*n].base = base;
	out[*n].length = end - base;
	out[*n].type = type;
	(*n)++;
	return ERR_OK;
}

/* The type of the highest-priority entry covering [at, at + 1), or -1. */
static int64_t winner(const struct limine_memmap_entry *in, size_t n, uint64_t at)
{
	int64_t best = -1;
	unsigned best_prio = 0;

	for (size_t i = 0; i < n; i++) {
		if (in[i].length == 0 || at < in[i].base || at >= end_of(&in[i]))
			continue;
		unsigned prio = priority(in[i].type);
		if (prio > best_prio) {
			best_prio = prio;
			best = (int64_t)known_type(in[i].type);
		}
	}
	return best;
}

/* Shrinks usable and reclaimable entries to whole pages (usable ones above
 * the first page) and drops the ones left empty. */
static size_t align_pages(struct limine_memmap_entry *e, size_t n)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t t = e[i].type, base = e[i].base, end = end_of(&e[i]);
		if (t == LIMINE_MEMMAP_USABLE || t == LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE) {
			base = (base + MMAP_PAGE - 1) & ~(MMAP_PAGE - 1);
			end &= ~(MMAP_PAGE - 1);
			if (t == LIMINE_MEMMAP_USABLE && base < MMAP_PAGE)
				base = MMAP_PAGE;
			if (base == 0 && e[i].base != 0)
				continue; /* rounded up past the top */
			if (end <= base)
				continue;
		}
		e[m].base = base;
		e[m].length = end - base;
		e[m].type = t;
		m++;
	}
	return m;
}

enum err mmap_normalize(const struct limine_memmap_entry *in, size_t n,
                        struct limine_memmap_entry *out, size_t cap, size_t *out_n,
                        uint64_t *scratch)
{
	size_t points = 0, m = 0;

	*out_n = 0;
	if (cap < MMAP_NORM_CAP(n))
		return ERR_NOSPC;
	for (size_t i = 0; i < n; i++) {
		if (in[i].length == 0)
			continue;
		scratch[points++] = in[i].base;
		scratch[points++] = end_of(&in[i]);
	}
	points = sort_unique(scratch, points);
	for (size_t i = 0; i + 1 < points; i++) {
		int64_t type = winner(in, n, scratch[i]);
		if (type < 0)
			continue;
		enum err e = append(out, cap, &m, scratch[i], scratch[i + 1], (uint64_t)type);
		if (e)
			return e;
	}
	*out_n = align_pages(out, m);
	return ERR_OK;
}

/* Whether an entry belongs in the HHDM above 4 GiB. */
static int hhdm_type(uint64_t type, int all_types)
{
	return all_types || (type != LIMINE_MEMMAP_RESERVED && type != LIMINE_MEMMAP_BAD_MEMORY &&
	                     type <= LIMINE_MEMMAP_FRAMEBUFFER);
}

enum err mmap_hhdm_ranges(const struct limine_memmap_entry *in, size_t n, int all_types,
                          struct limine_memmap_entry *out, size_t cap, size_t *out_n)
{
	size_t m = 0;

	*out_n = 0;
	if (cap < n + 1)
		return ERR_NOSPC;
	out[m++] = (struct limine_memmap_entry){0, MMAP_4G, 0};
	for (size_t i = 0; i < n; i++) {
		if (in[i].length == 0 || !hhdm_type(in[i].type, all_types))
			continue;
		uint64_t base = in[i].base & ~(MMAP_PAGE - 1);
		uint64_t end = end_of(&in[i]);
		end = end > UINT64_MAX - MMAP_PAGE ? UINT64_MAX & ~(MMAP_PAGE - 1)
		                                   : (end + MMAP_PAGE - 1) & ~(MMAP_PAGE - 1);
		out[m++] = (struct limine_memmap_entry){base, end - base, 0};
	}
	mmap_sort(out, m);
	size_t k = 0;
	for (size_t i = 0; i < m; i++) {
		if (k && out[i].base <= end_of(&out[k - 1])) {
			uint64_t end = end_of(&out[i]);
			if (end > end_of(&out[k - 1]))
				out[k - 1].length = end - out[k - 1].base;
			continue;
		}
		out[k++] = out[i];
	}
	*out_n = k;
	return ERR_OK;
}
