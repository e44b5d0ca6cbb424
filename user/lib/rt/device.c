/* Device capabilities' names and lookup; see rt/device.h. */
#include <fmt/fmt.h>
#include <rt/device.h>
#include <string/mem.h>

void rt_device_name(const struct cap_results_identify *id, char *out, size_t n)
{
	switch (id->type) {
	case CAP_IOPORT: fmt_snprintf(out, n, "port%llx", (unsigned long long)id->base); break;
	case CAP_IRQ: fmt_snprintf(out, n, "irq%llu", (unsigned long long)id->base); break;
	case CAP_DEVICE_FRAME:
		fmt_snprintf(out, n, "frame%llx", (unsigned long long)id->base);
		break;
	case CAP_UNTYPED:
		if (id->flags & CAP_FLAG_DEVICE) {
			fmt_snprintf(out, n, "%s%llx",
			             id->flags & CAP_FLAG_ECAM    ? "ecam"
			             : id->flags & CAP_FLAG_IOMMU ? "iommu"
			                                          : "mmio",
			             (unsigned long long)id->base);
			break;
		}
		/* fall through: RAM is no device */
	default:
		if (n)
			out[0] = '\0';
	}
}

enum err rt_device_find(struct rt_capref cnode, unsigned bits, unsigned count, const char *name,
                        struct rt_capref *out)
{
	struct cap_results_identify id;
	char have[RT_DEVICE_NAME];

	for (unsigned i = 0; i < count && i < (1u << bits); i++) {
		struct rt_capref c = rt_ref_in(cnode, bits, i);
		if (invoke_identify(c.addr, c.depth, &id))
			continue;
		rt_device_name(&id, have, sizeof have);
		if (strcmp(have, name) == 0) {
			*out = c;
			return ERR_OK;
		}
	}
	return ERR_NOENT;
}
