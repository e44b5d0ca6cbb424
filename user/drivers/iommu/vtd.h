/* Intel VT-d DMA remapping (Intel Virtualization Technology for Directed
 * I/O, architecture specification 3.x) as the IOMMU service drives it: a
 * unit's registers (§11.4), the legacy-mode root and context tables (§9.1,
 * §9.3) and second-level page tables (§9.8).  Each PCI function asked for
 * gets a domain of its own: a context entry for its bus/devfn pointing at
 * page tables that map only the frames lent for it, at their physical
 * addresses (IOVA = physical).  Any other DMA address faults; the fault
 * is recorded in the unit's fault recording registers (§7.2), which the
 * service polls (vtd_faults): the fault event is an MSI, and the kernel
 * delivers no MSIs. */
#ifndef USER_DRIVERS_IOMMU_VTD_H
#define USER_DRIVERS_IOMMU_VTD_H

#include <stdbool.h>
#include <stdint.h>
#include <tessera/err.h>

/* Register offsets (§11.4, table "Remapping Hardware Register Map"). */
#define VTD_VER      0x00 /* 32: version */
#define VTD_CAP      0x08 /* 64: capabilities (§11.4.2) */
#define VTD_ECAP     0x10 /* 64: extended capabilities (§11.4.3) */
#define VTD_GCMD     0x18 /* 32: global command (§11.4.4.1) */
#define VTD_GSTS     0x1c /* 32: global status (§11.4.4.2) */
#define VTD_RTADDR   0x20 /* 64: root table address (§11.4.5) */
#define VTD_CCMD     0x28 /* 64: context command (§11.4.7.1) */
#define VTD_FSTS     0x34 /* 32: fault status (§11.4.9.1) */
#define VTD_FECTL    0x38 /* 32: fault event control (§11.4.9.2) */
#define VTD_REGS_END 0x1000

/* CAP_REG fields (§11.4.2). */
#define VTD_CAP_ND(c)    ((unsigned)((c)&7))            /* 2^(4 + 2*ND) domains */
#define VTD_CAP_CM       (1ull << 7)                    /* caching mode */
#define VTD_CAP_SAGAW(c) ((unsigned)((c) >> 8 & 0x1f))  /* bit 1: 3 levels, bit 2: 4 */
#define VTD_CAP_MGAW(c)  ((unsigned)((c) >> 16 & 0x3f)) /* width - 1 */
#define VTD_CAP_FRO(c)   ((unsigned)((c) >> 24 & 0x3ff) * 16u)
#define VTD_CAP_NFR(c)   ((unsigned)((c) >> 40 & 0xff) + 1u)
/* ECAP_REG fields (§11.4.3). */
#define VTD_ECAP_C       (1ull << 0) /* page-walk coherency */
#define VTD_ECAP_IRO(e)  ((unsigned)((e) >> 8 & 0x3ff) * 16u)
/* GCMD_REG / GSTS_REG bits (§11.4.4). */
#define VTD_GCMD_TE      (1u << 31)  /* translation enable / status */
#define VTD_GCMD_SRTP    (1u << 30)  /* set root table pointer / status */
#define VTD_GSTS_KEEP    0x96ffffffu /* GSTS bits GCMD keeps (§11.4.4.1: not one-shot) */
/* CCMD_REG (§11.4.7.1): invalidate, global granularity. */
#define VTD_CCMD_ICC     (1ull << 63)
#define VTD_CCMD_GLOBAL  (1ull << 61)
/* IOTLB_REG, at ECAP.IRO + 8 (§11.4.8.1): invalidate, global, drain. */
#define VTD_IOTLB_IVT    (1ull << 63)
#define VTD_IOTLB_GLOBAL (1ull << 60)
#define VTD_IOTLB_DR     (1ull << 49)
#define VTD_IOTLB_DW     (1ull << 48)
/* FSTS_REG (§11.4.9.1). */
#define VTD_FSTS_PFO     (1u << 0) /* fault overflow */
#define VTD_FSTS_PPF     (1u << 1) /* a fault recording register holds a fault */

/* A root entry (§9.1): present, the context table's address. */
struct vtd_root_entry {
	uint64_t lo, hi;
};
_Static_assert(sizeof(struct vtd_root_entry) == 16, "VT-d §9.1 root entry is 128 bits");
#define VTD_ROOT_P (1ull << 0)

/* A context entry (§9.3), legacy mode: lo present, fault processing,
 * translation type (0: untranslated requests through second-level tables),
 * the second-level table's address; hi the address width (AW: 1 three
 * levels, 2 four) and the domain id (bits 87:72, hi bits 23:8). */
struct vtd_context_entry {
	uint64_t lo, hi;
};
_Static_assert(sizeof(struct vtd_context_entry) == 16, "VT-d §9.3 context entry is 128 bits");
#define VTD_CTX_P          (1ull << 0)
#define VTD_CTX_AW(levels) ((uint64_t)((levels)-2))
#define VTD_CTX_DID(d)     ((uint64_t)(d) << 8)

/* A second-level paging entry (§9.8): read, write, the next table's or the
 * page's address (bits 51:12). */
#define VTD_SL_R    (1ull << 0)
#define VTD_SL_W    (1ull << 1)
#define VTD_SL_ADDR 0x000ffffffffff000ull
#define VTD_ENTRIES 512u
_Static_assert(VTD_ENTRIES * sizeof(uint64_t) == 4096, "VT-d §9.8: a table is one 4 KiB page");

/* A fault recording register (§11.4.10.1), 128 bits: lo bits 63:12 the
 * faulting page (FI); hi bits 15:0 the source id (bus << 8 | devfn), 39:32
 * the reason, 62 the type (1 read, 0 write), 63 F (write 1 to clear). */
#define VTD_FR_SID(hi)    ((unsigned)((hi)&0xffff))
#define VTD_FR_REASON(hi) ((unsigned)((hi) >> 32 & 0xff))
#define VTD_FR_READ       (1ull << 62)
#define VTD_FR_F          (1ull << 63)

/* Page-table memory: a zeroed 4 KiB frame of the service's, its address
 * here and its physical address (main.c). */
struct vtd_page {
	uint64_t *va;
	uint64_t phys;
};
typedef enum err (*vtd_alloc_fn)(struct vtd_page *out);

#define VTD_MAX_TABLES  192
#define VTD_MAX_DOMAINS 32

struct vtd_domain {
	uint16_t bdf, id;
	struct vtd_page top; /* the second-level table's root */
};

struct vtd {
	volatile uint8_t *regs;
	uint64_t base; /* physical, for the log */
	uint64_t cap, ecap;
	unsigned levels; /* 3 or 4 */
	bool enabled;
	vtd_alloc_fn alloc;
	struct vtd_page root;
	struct vtd_page ctx[256]; /* per bus; va NULL: none yet */
	struct vtd_page tables[VTD_MAX_TABLES];
	unsigned ntables;
	struct vtd_domain domains[VTD_MAX_DOMAINS];
	unsigned ndomains;
	uint64_t faults;
};

/* Reads the unit at regs (physical base): version, widths, what it
 * supports.  UNSUPPORTED neither 3- nor 4-level tables. */
enum err vtd_probe(struct vtd *v, volatile void *regs, uint64_t base, vtd_alloc_fn alloc);

/* An empty root table installed, caches invalidated, translation on: from
 * now on a function's DMA reaches only what vtd_map gave its domain. */
enum err vtd_enable(struct vtd *v);

/* Maps the 4 KiB frame at phys for function bdf (IOVA = phys), read and
 * write, making its domain and tables as needed; the unit's caches are
 * invalidated by vtd_flush.  RANGE past the width; NOMEM no tables left. */
enum err vtd_map(struct vtd *v, uint16_t bdf, uint64_t phys);
void vtd_flush(struct vtd *v);

/* The domain of bdf (NULL none). */
const struct vtd_domain *vtd_domain_of(const struct vtd *v, uint16_t bdf);

/* Each recorded fault logged (the function, the address, read or write,
 * the reason) and cleared; how many. */
unsigned vtd_faults(struct vtd *v);

#endif
