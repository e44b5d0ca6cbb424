/* The higher-half direct map offset; see hhdm.h. */
#include "hhdm.h"

#include "panic.h"

static uint64_t hhdm_offset;
static bool hhdm_set;

void hhdm_init(uint64_t offset)
{
	hhdm_offset = offset;
	hhdm_set = true;
}

bool hhdm_ready(void)
{
	return hhdm_set;
}

void *hhdm_ptr(uint64_t phys)
{
	if (!hhdm_set)
		panic("hhdm_ptr(%#llx) before the HHDM offset is known", (unsigned long long)phys);
	return (void *)(uintptr_t)(phys + hhdm_offset);
}

uint64_t hhdm_phys(const void *p)
{
	if (!hhdm_set)
		panic("hhdm_phys(%p) before the HHDM offset is known", p);
	return (uint64_t)(uintptr_t)p - hhdm_offset;
}
