/* Asking the IOMMU service (user/drivers/iommu; user/README.md, "The
 * IOMMU service") to let a PCI function's DMA reach frames: a program
 * whose startup entry names `iommu` in caps (the file service, which
 * supervises the block drivers) lends it frames of its own for the
 * function bus:dev.fn; the service maps each at its physical address
 * (IOVA = physical) in that function's domain, and any other address the
 * function's DMA names faults.
 *
 * The call (rt/service.h) carries a CNode of the caller's, 2^RT_IOMMU_BITS
 * slots: its notification (WRITE) in RT_IOMMU_SLOT_NOTIFY, a 4 KiB frame
 * for the answer in RT_IOMMU_SLOT_ANSWER, the frames to map from
 * RT_IOMMU_SLOT_FRAME0; w0 RT_IOMMU_MAP, w1 bus << 8 | dev << 3 | fn, w2
 * how many frames.  The service writes struct rt_iommu_answer into the
 * answer frame and signals RT_IOMMU_BIT.  Who may name which function is
 * the startup description's policy: only a program given `iommu` can ask. */
#ifndef RT_IOMMU_H
#define RT_IOMMU_H

#include <stdint.h>

#include "service.h"

#define RT_IOMMU_MAP         1
#define RT_IOMMU_BITS        6 /* the caller's CNode: 64 slots */
#define RT_IOMMU_SLOT_NOTIFY 0
#define RT_IOMMU_SLOT_ANSWER 1
#define RT_IOMMU_SLOT_FRAME0 2
#define RT_IOMMU_MAX_FRAMES  ((1u << RT_IOMMU_BITS) - RT_IOMMU_SLOT_FRAME0)
#define RT_IOMMU_BIT         (1ull << 60) /* the answer is written */
#define RT_IOMMU_MAGIC       0x314d4d49u  /* "IMM1" */

struct rt_iommu_answer {
	uint32_t magic;  /* RT_IOMMU_MAGIC */
	int32_t err;     /* enum err: OK; UNSUPPORTED no IOMMU translates (DMA is not
	                    confined); TYPE a slot holds no 4 KiB frame; RANGE a frame
	                    lies past the unit's address width; NOMEM no page tables */
	uint32_t mapped; /* frames mapped (before the error, if any) */
	uint16_t domain; /* the function's domain id */
	uint8_t levels;  /* page-table levels (3: 39 bits, 4: 48 bits) */
	uint8_t reserved;
	uint64_t unit; /* the remapping unit's register base */
};
_Static_assert(sizeof(struct rt_iommu_answer) == 24, "the answer's layout");

/* Lends the service count frames (the caps at frames[0..count)) for the
 * function bdf's DMA; the answer into *a.  UNSUPPORTED: no IOMMU (nothing
 * changes: the device reaches all memory); the service's errors. */
enum err rt_iommu_map(const struct rt_service *iommu, uint16_t bdf, const struct rt_capref *frames,
                      unsigned count, struct rt_iommu_answer *a);

#endif
