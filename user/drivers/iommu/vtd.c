/* VT-d DMA remapping; see vtd.h. */
#include <rt/rt.h>
#include <string/mem.h>

#include "vtd.h"

#define WAIT_SPINS 10000000u /* QEMU's unit answers at once; real ones in microseconds */

static uint32_t rd32(const struct vtd *v, unsigned off)
{
	return *(volatile uint32_t *)(v->regs + off);
}

static uint64_t rd64(const struct vtd *v, unsigned off)
{
	return *(volatile uint64_t *)(v->regs + off);
}

static void wr32(struct vtd *v, unsigned off, uint32_t x)
{
	*(volatile uint32_t *)(v->regs + off) = x;
}

static void wr64(struct vtd *v, unsigned off, uint64_t x)
{
	*(volatile uint64_t *)(v->regs + off) = x;
}

/* An entry the unit reads from memory written back where the unit's walks
 * do not snoop the caches (ECAP.C clear, §6.1: CLFLUSH); ordered before
 * the register write that follows either way. */
static void publish(const struct vtd *v, const void *p)
{
	if (!(v->ecap & VTD_ECAP_C))
		__asm__ volatile("clflush (%0)" ::"r"(p) : "memory");
	__asm__ volatile("mfence" ::: "memory");
}

/* Waits until the register's mask bits equal want; TIMEOUT if never. */
static enum err wait32(const struct vtd *v, unsigned off, uint32_t mask, uint32_t want)
{
	for (unsigned i = 0; i < WAIT_SPINS; i++)
		if ((rd32(v, off) & mask) == want)
			return ERR_OK;
	return ERR_TIMEOUT;
}

static enum err wait64_clear(const struct vtd *v, unsigned off, uint64_t bit)
{
	for (unsigned i = 0; i < WAIT_SPINS; i++)
		if (!(rd64(v, off) & bit))
			return ERR_OK;
	return ERR_TIMEOUT;
}

/* One GCMD command whose GSTS bit follows it (§11.4.4.1: the persistent
 * bits written back as GSTS has them). */
static enum err command(struct vtd *v, uint32_t bit)
{
	wr32(v, VTD_GCMD, (rd32(v, VTD_GSTS) & VTD_GSTS_KEEP) | bit);
	return wait32(v, VTD_GSTS, bit, bit);
}

enum err vtd_probe(struct vtd *v, volatile void *regs, uint64_t base, vtd_alloc_fn alloc)
{
	memset(v, 0, sizeof *v);
	v->regs = regs;
	v->base = base;
	v->alloc = alloc;
	v->cap = rd64(v, VTD_CAP);
	v->ecap = rd64(v, VTD_ECAP);
	unsigned sagaw = VTD_CAP_SAGAW(v->cap);
	v->levels = sagaw & 4 ? 4 : sagaw & 2 ? 3 : 0;
	if (!v->levels || VTD_CAP_FRO(v->cap) + 16u * VTD_CAP_NFR(v->cap) > VTD_REGS_END ||
	    VTD_ECAP_IRO(v->ecap) + 16u > VTD_REGS_END)
		return ERR_UNSUPPORTED;
	return ERR_OK;
}

void vtd_flush(struct vtd *v)
{
	unsigned iotlb = VTD_ECAP_IRO(v->ecap) + 8;

	wr64(v, VTD_CCMD, VTD_CCMD_ICC | VTD_CCMD_GLOBAL);
	wait64_clear(v, VTD_CCMD, VTD_CCMD_ICC);
	wr64(v, iotlb, VTD_IOTLB_IVT | VTD_IOTLB_GLOBAL | VTD_IOTLB_DR | VTD_IOTLB_DW);
	wait64_clear(v, iotlb, VTD_IOTLB_IVT);
}

enum err vtd_enable(struct vtd *v)
{
	enum err e = v->alloc(&v->root);

	if (e)
		return e;
	publish(v, v->root.va);
	wr32(v, VTD_FECTL, 1u << 31);      /* the fault event (an MSI) masked: polled */
	wr64(v, VTD_RTADDR, v->root.phys); /* legacy mode: TTM 00 */
	e = command(v, VTD_GCMD_SRTP);
	if (e)
		return e;
	vtd_flush(v);
	e = command(v, VTD_GCMD_TE);
	v->enabled = !e;
	return e;
}

/* A new zeroed table; NOMEM when the budget or the list is out. */
static enum err table(struct vtd *v, struct vtd_page *out)
{
	if (v->ntables == VTD_MAX_TABLES)
		return ERR_NOMEM;
	enum err e = v->alloc(out);
	if (!e)
		v->tables[v->ntables++] = *out;
	return e;
}

/* Our address of the table at phys (one we made); NULL none. */
static uint64_t *table_at(const struct vtd *v, uint64_t phys)
{
	for (unsigned i = 0; i < v->ntables; i++)
		if (v->tables[i].phys == phys)
			return v->tables[i].va;
	return NULL;
}

/* bdf's domain, made (with its context entry) if it has none. */
static enum err domain(struct vtd *v, uint16_t bdf, struct vtd_domain **out)
{
	unsigned bus = bdf >> 8, devfn = bdf & 0xff;

	for (unsigned i = 0; i < v->ndomains; i++)
		if (v->domains[i].bdf == bdf)
			return *out = &v->domains[i], ERR_OK;
	if (v->ndomains == VTD_MAX_DOMAINS || v->ndomains + 1 >= 1u << (4 + 2 * VTD_CAP_ND(v->cap)))
		return ERR_NOMEM;
	struct vtd_domain *d = &v->domains[v->ndomains];
	enum err e = table(v, &d->top);
	if (!e && !v->ctx[bus].va) {
		e = table(v, &v->ctx[bus]);
		if (!e) {
			struct vtd_root_entry *r = (struct vtd_root_entry *)v->root.va + bus;
			r->lo = v->ctx[bus].phys | VTD_ROOT_P;
			publish(v, r);
		}
	}
	if (e)
		return e;
	d->bdf = bdf;
	d->id = (uint16_t)(v->ndomains + 1); /* 0 is reserved under caching mode (§6.2.2) */
	struct vtd_context_entry *c = (struct vtd_context_entry *)v->ctx[bus].va + devfn;
	c->hi = VTD_CTX_AW(v->levels) | VTD_CTX_DID(d->id);
	c->lo = d->top.phys | VTD_CTX_P; /* translation type 0 */
	publish(v, c);
	v->ndomains++;
	*out = d;
	return ERR_OK;
}

enum err vtd_map(struct vtd *v, uint16_t bdf, uint64_t phys)
{
	struct vtd_domain *d;
	unsigned width = v->levels == 4 ? 48 : 39;

	if (phys & 0xfff)
		return ERR_ALIGN;
	if (phys >> width || phys >> (VTD_CAP_MGAW(v->cap) + 1))
		return ERR_RANGE;
	enum err e = domain(v, bdf, &d);
	uint64_t *t = d ? d->top.va : NULL;
	for (unsigned level = v->levels; !e && level > 1; level--) {
		uint64_t *slot = &t[phys >> (12 + 9 * (level - 1)) & (VTD_ENTRIES - 1)];
		if (!(*slot & (VTD_SL_R | VTD_SL_W))) {
			struct vtd_page next;
			e = table(v, &next);
			if (e)
				return e;
			*slot = next.phys | VTD_SL_R | VTD_SL_W;
			publish(v, slot);
		}
		t = table_at(v, *slot & VTD_SL_ADDR);
		if (!t)
			return ERR_CORRUPT;
	}
	if (e)
		return e;
	uint64_t *pte = &t[phys >> 12 & (VTD_ENTRIES - 1)];
	*pte = phys | VTD_SL_R | VTD_SL_W;
	publish(v, pte);
	return ERR_OK;
}

const struct vtd_domain *vtd_domain_of(const struct vtd *v, uint16_t bdf)
{
	for (unsigned i = 0; i < v->ndomains; i++)
		if (v->domains[i].bdf == bdf)
			return &v->domains[i];
	return NULL;
}

static const char *reason(unsigned r)
{
	switch (r) {
	case 0x1: return "root entry not present";
	case 0x2: return "context entry not present";
	case 0x5: return "write not allowed";
	case 0x6: return "read not allowed";
	case 0x4: return "address past the width";
	default: return "VT-d §7.1.3";
	}
}

unsigned vtd_faults(struct vtd *v)
{
	unsigned n = 0, fro = VTD_CAP_FRO(v->cap);

	if (!v->enabled || !(rd32(v, VTD_FSTS) & (VTD_FSTS_PPF | VTD_FSTS_PFO)))
		return 0;
	for (unsigned i = 0; i < VTD_CAP_NFR(v->cap); i++) {
		unsigned off = fro + 16 * i;
		uint64_t hi = rd64(v, off + 8), lo = rd64(v, off);
		if (!(hi & VTD_FR_F))
			continue;
		unsigned sid = VTD_FR_SID(hi);
		rt_printf("iommu: DMA fault: %02x:%02x.%u %s %#llx blocked (reason %#x: %s)\n",
		          sid >> 8, sid >> 3 & 31, sid & 7, hi & VTD_FR_READ ? "read" : "write",
		          (unsigned long long)(lo & ~0xfffull), VTD_FR_REASON(hi),
		          reason(VTD_FR_REASON(hi)));
		wr64(v, off + 8, VTD_FR_F); /* RW1C */
		n++;
	}
	if (rd32(v, VTD_FSTS) & VTD_FSTS_PFO)
		rt_printf("iommu: fault recording overflowed: faults were lost\n");
	wr32(v, VTD_FSTS, VTD_FSTS_PFO); /* RW1C; PPF follows the F bits */
	v->faults += n;
	return n;
}
