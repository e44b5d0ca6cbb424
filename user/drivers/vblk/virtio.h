/* Virtio over PCI, the modern interface (OASIS Virtio 1.1, §4.1: "Virtio
 * Over PCI Bus"), and the split virtqueue (§2.6), as a driver of one queue
 * uses them: the vendor capabilities in configuration space locate the
 * common, notify, ISR and device-specific structures in a BAR; the driver
 * resets the device, negotiates features, gives it one queue in a frame
 * whose physical address it knows, and sets DRIVER_OK.  One request in
 * flight at a time; its completion is the device's interrupt (PCI INTx,
 * the ISR status read clears it, §4.1.4.5), then the used ring.  The
 * function's configuration space is the copy the PCI service handed out
 * and its BARs the device untyped it gave (rt/pci.h).
 */
#ifndef USER_DRIVERS_VBLK_VIRTIO_H
#define USER_DRIVERS_VBLK_VIRTIO_H

#include <stdbool.h>
#include <stdint.h>
#include <tessera/err.h>

#include <rt/pci.h>

/* §4.1.4: struct virtio_pci_cap, a vendor capability (ID 9). */
#define VIRTIO_CAP_VENDOR      0x09
#define VIRTIO_CAP_TYPE        3 /* byte offsets in the capability */
#define VIRTIO_CAP_BAR         4
#define VIRTIO_CAP_OFFSET      8
#define VIRTIO_CAP_LENGTH      12
#define VIRTIO_CAP_NOTIFY_MULT 16 /* §4.1.4.4: notify_off_multiplier */
#define VIRTIO_PCI_CAP_COMMON  1
#define VIRTIO_PCI_CAP_NOTIFY  2
#define VIRTIO_PCI_CAP_ISR     3
#define VIRTIO_PCI_CAP_DEVICE  4

/* §4.1.4.3: struct virtio_pci_common_cfg.  64-bit fields are written as
 * two 32-bit halves (§4.1.3.1: 32-bit accesses for them). */
struct virtio_common {
	uint32_t device_feature_select;
	uint32_t device_feature;
	uint32_t driver_feature_select;
	uint32_t driver_feature;
	uint16_t msix_config;
	uint16_t num_queues;
	uint8_t device_status;
	uint8_t config_generation;
	uint16_t queue_select;
	uint16_t queue_size;
	uint16_t queue_msix_vector;
	uint16_t queue_enable;
	uint16_t queue_notify_off;
	uint32_t queue_desc[2];
	uint32_t queue_driver[2];
	uint32_t queue_device[2];
};
_Static_assert(sizeof(struct virtio_common) == 56, "virtio 1.1 §4.1.4.3");
_Static_assert(__builtin_offsetof(struct virtio_common, device_status) == 20, "§4.1.4.3");
_Static_assert(__builtin_offsetof(struct virtio_common, queue_desc) == 32, "§4.1.4.3");

/* §2.1: device status bits. */
#define VIRTIO_ST_ACKNOWLEDGE 1u
#define VIRTIO_ST_DRIVER      2u
#define VIRTIO_ST_DRIVER_OK   4u
#define VIRTIO_ST_FEATURES_OK 8u
#define VIRTIO_ST_NEEDS_RESET 64u
#define VIRTIO_ST_FAILED      128u

#define VIRTIO_F_VERSION_1       32 /* §6: a modern device */
#define VIRTIO_F_ACCESS_PLATFORM 33 /* §6: DMA goes through the platform's IOMMU */
#define VIRTIO_MSI_NO_VECTOR     0xffffu

/* §2.6.5: struct virtq_desc. */
struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
_Static_assert(sizeof(struct virtq_desc) == 16, "virtio 1.1 §2.6.5");
#define VIRTQ_DESC_F_NEXT  1u
#define VIRTQ_DESC_F_WRITE 2u /* the device writes this buffer */

/* §2.6.6 and §2.6.8: the driver (available) and device (used) areas. */
struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};
struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};
_Static_assert(sizeof(struct virtq_used_elem) == 8, "virtio 1.1 §2.6.8");
struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[];
};

/* The queue's frame: descriptors at 0, the driver area at VIRTQ_AVAIL_AT,
 * the device area at VIRTQ_USED_AT, a scratch area for the driver's own
 * small buffers (request headers, status bytes) at VIRTQ_SCRATCH_AT. */
#define VIRTQ_MAX        128u
#define VIRTQ_AVAIL_AT   2048u
#define VIRTQ_USED_AT    2560u
#define VIRTQ_SCRATCH_AT 3840u
_Static_assert(VIRTQ_MAX * sizeof(struct virtq_desc) <= VIRTQ_AVAIL_AT, "descriptors fit");
_Static_assert(VIRTQ_AVAIL_AT + 6 + 2 * VIRTQ_MAX <= VIRTQ_USED_AT, "driver area fits");
_Static_assert(VIRTQ_USED_AT + 6 + 8 * VIRTQ_MAX <= VIRTQ_SCRATCH_AT, "device area fits");

/* One buffer of a request: physical address, bytes, device-writable. */
struct virtio_seg {
	uint64_t phys;
	uint32_t len;
	bool device_writes;
};

#define VIRTIO_BAR_PAGES 16 /* of a BAR mapped, at most (QEMU's is 4 pages) */

struct virtio_dev {
	const struct rt_pci_device *pci;
	uint64_t bar_va[RT_PCI_BARS]; /* where each BAR is mapped; 0 not yet */
	volatile struct virtio_common *common;
	volatile uint8_t *isr;
	volatile uint8_t *device; /* the device-specific configuration */
	volatile uint16_t *notify;
	unsigned notify_cap; /* the notify capability's offset, and its multiplier */
	uint32_t notify_mult;
	uint64_t features;  /* negotiated */
	uint16_t qsize;     /* descriptors in queue 0 */
	uint16_t avail_idx; /* the next available entry */
	uint16_t used_seen; /* used entries taken */
	uint8_t *queue;     /* the queue's frame, mapped */
	uint64_t queue_phys;
};

/* Finds the structures through the capabilities, resets the device and
 * negotiates: VIRTIO_F_VERSION_1 and those of wanted the device offers.
 * UNSUPPORTED not a modern device or no common/notify/device structure,
 * IO the device refused the features; RANGE a structure past what is
 * mapped of its BAR; rt_pci_map_bar's errors. */
enum err virtio_init(struct virtio_dev *v, const struct rt_pci_device *pci, uint64_t wanted);

/* Sets queue 0 up in a fresh frame of the budget (at most VIRTQ_MAX
 * entries) and sets DRIVER_OK. */
enum err virtio_queue(struct virtio_dev *v);

/* The queue frame's scratch area: its address and physical address. */
uint8_t *virtio_scratch(struct virtio_dev *v, uint64_t *phys);

/* Puts one chain of n segments on queue 0 and notifies the device.  RANGE
 * n is 0 or more than the queue holds. */
enum err virtio_submit(struct virtio_dev *v, const struct virtio_seg *seg, unsigned n);

/* After an interrupt: reads (so clears) the ISR status and says whether
 * the chain came back (then it is taken). */
bool virtio_used(struct virtio_dev *v);

/* The device asks for a reset (§2.1.2: it failed). */
bool virtio_broken(const struct virtio_dev *v);

#endif
