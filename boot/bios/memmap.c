/* The loader's memory map: see memmap.h. */
#include "memmap.h"

#include <string/mem.h>

static int type_rank(uint64_t type)
{
	switch (type) {
	case LIMINE_MEMMAP_USABLE: return 0;
	case LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE:
	case LIMINE_MEMMAP_KERNEL_AND_MODULES: return 1;
	case LIMINE_MEMMAP_ACPI_RECLAIMABLE: return 2;
	case LIMINE_MEMMAP_ACPI_NVS: return 3;
	case LIMINE_MEMMAP_RESERVED: return 4;
	case LIMINE_MEMMAP_BAD_MEMORY: return 5;
	case LIMINE_MEMMAP_FRAMEBUFFER: return 6;
	case MEMMAP_HOLE: return 7;
	default: return 4;
	}
}

void memmap_init(struct memmap *m)
{
	m->count = 0;
}

static uint64_t end_of(uint64_t base, uint64_t len)
{
	uint64_t end = base + len;
	return end < base ? UINT64_MAX : end; /* saturate */
}

/* Appends a range to the scratch list, merging it with the previous one
 * when they touch and share a type. */
static int push(struct memmap *m, size_t *n, uint64_t base, uint64_t end, uint64_t type)
{
	if (end <= base)
		return 0;
	struct limine_memmap_entry *prev = *n ? &m->scratch[*n - 1] : NULL;
	if (prev && prev->type == type && prev->base + prev->length == base) {
		prev->length += end - base;
		return 0;
	}
	if (*n == MEMMAP_MAX)
		return -1;
	m->scratch[(*n)++] = (struct limine_memmap_entry){base, end - base, type};
	return 0;
}

/* Paints [b, e) with type over the normalised map into scratch. */
static enum err paint(struct memmap *m, uint64_t b, uint64_t e, uint64_t type)
{
	size_t n = 0;
	uint64_t cur = b; /* start of the part of [b, e) not yet emitted */
	int fail = 0;
	for (size_t i = 0; i < m->count; i++) {
		uint64_t xb = m->e[i].base, xe = xb + m->e[i].length, xt = m->e[i].type;
		if (xe <= b || xb >= e) {
			if (xb >= e && cur < e) {
				fail |= push(m, &n, cur, e, type);
				cur = e;
			}
			fail |= push(m, &n, xb, xe, xt);
			continue;
		}
		fail |= push(m, &n, xb, b, xt); /* empty unless xb < b */
		fail |= push(m, &n, cur, xb, type);
		uint64_t ob = xb > b ? xb : b, oe = xe < e ? xe : e;
		fail |= push(m, &n, ob, oe, type_rank(type) >= type_rank(xt) ? type : xt);
		cur = oe;
		fail |= push(m, &n, e, xe, xt);
	}
	if (cur < e)
		fail |= push(m, &n, cur, e, type);
	if (fail)
		return ERR_FULL;
	memcpy(m->e, m->scratch, n * sizeof m->e[0]);
	m->count = n;
	return ERR_OK;
}

enum err memmap_mark(struct memmap *m, uint64_t base, uint64_t len, uint64_t type)
{
	const uint64_t mask = MEMMAP_PAGE - 1;
	uint64_t end = end_of(base, len);
	uint64_t b, e;
	if (type == LIMINE_MEMMAP_USABLE) {
		b = base + mask < base ? UINT64_MAX : (base + mask) & ~mask;
		e = end & ~mask;
	} else {
		b = base & ~mask;
		e = end + mask < end ? end & ~mask : (end + mask) & ~mask;
	}
	if (b >= e)
		return ERR_OK;
	return paint(m, b, e, type);
}

enum err memmap_add_e820(struct memmap *m, uint64_t base, uint64_t len, uint32_t e820_type,
                         uint32_t ext_attr)
{
	uint64_t type;
	if (!(ext_attr & 1))
		return ERR_OK; /* ACPI 3.0: bit 0 clear means "ignore this entry" */
	switch (e820_type) {
	case 1: type = LIMINE_MEMMAP_USABLE; break;
	case 3: type = LIMINE_MEMMAP_ACPI_RECLAIMABLE; break;
	case 4: type = LIMINE_MEMMAP_ACPI_NVS; break;
	case 5: type = LIMINE_MEMMAP_BAD_MEMORY; break;
	default: type = LIMINE_MEMMAP_RESERVED; break;
	}
	if (type == LIMINE_MEMMAP_USABLE && (ext_attr & 2))
		type = LIMINE_MEMMAP_RESERVED; /* non-volatile: not ordinary RAM */
	return memmap_mark(m, base, len, type);
}

enum err memmap_alloc(struct memmap *m, uint64_t len, uint64_t align, uint64_t min, uint64_t max,
                      uint64_t type, uint64_t *base)
{
	if (align < MEMMAP_PAGE || (align & (align - 1)) || len == 0 || len > max)
		return ERR_INVAL;
	len = (len + MEMMAP_PAGE - 1) & ~(MEMMAP_PAGE - 1);
	for (size_t i = 0; i < m->count; i++) {
		const struct limine_memmap_entry *x = &m->e[i];
		if (x->type != LIMINE_MEMMAP_USABLE)
			continue;
		uint64_t lo = x->base > min ? x->base : min;
		uint64_t hi = x->base + x->length < max ? x->base + x->length : max;
		if (lo > UINT64_MAX - (align - 1))
			continue;
		lo = (lo + align - 1) & ~(align - 1);
		if (lo >= hi || hi - lo < len)
			continue;
		enum err e = paint(m, lo, lo + len, type);
		if (e == ERR_OK)
			*base = lo;
		return e;
	}
	return ERR_NOMEM;
}

int memmap_covers(const struct memmap *m, uint64_t base, uint64_t len, uint64_t type)
{
	uint64_t cur = base, end = end_of(base, len);
	for (size_t i = 0; i < m->count && cur < end; i++) {
		uint64_t xb = m->e[i].base, xe = xb + m->e[i].length;
		if (xe <= cur)
			continue;
		if (xb > cur || m->e[i].type != type)
			return 0;
		cur = xe;
	}
	return cur >= end;
}

size_t memmap_export(const struct memmap *m, struct limine_memmap_entry *out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < m->count; i++) {
		if (m->e[i].type == MEMMAP_HOLE)
			continue;
		if (n < cap)
			out[n] = m->e[i];
		n++;
	}
	return n;
}

uint64_t memmap_usable_bytes(const struct memmap *m)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < m->count; i++)
		if (m->e[i].type == LIMINE_MEMMAP_USABLE)
			sum += m->e[i].length;
	return sum;
}
