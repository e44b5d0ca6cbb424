/* A tiny kernel for the ELF fuzz seeds (tests/fuzz/mkcorpus.sh links it
 * with the real kernel.ld): three PT_LOAD segments, a symbol table, and
 * Limine requests between their markers, so the seeds reach every part of
 * lib/elf and the loader's request scan.  Never run. */
#include <stdint.h>
#include <tessera/limine.h>

#define REQUEST __attribute__((used, section(".limine_requests"), aligned(8))) static volatile

__attribute__((used, section(".limine_requests_start"),
               aligned(8))) static volatile uint64_t requests_start[4] = {
        LIMINE_REQUESTS_START0, LIMINE_REQUESTS_START1, LIMINE_REQUESTS_START2,
        LIMINE_REQUESTS_START3};
REQUEST uint64_t base_revision[3] = {LIMINE_BASE_REVISION_MAGIC0, LIMINE_BASE_REVISION_MAGIC1, 2};
REQUEST struct limine_hhdm_request hhdm_req = {.id = LIMINE_ID_HHDM};
REQUEST struct limine_memmap_request memmap_req = {.id = LIMINE_ID_MEMMAP};
REQUEST struct limine_smp_request smp_req = {.id = LIMINE_ID_SMP};
REQUEST struct limine_entry_point_request entry_req = {.id = LIMINE_ID_ENTRY_POINT};
__attribute__((used, section(".limine_requests_end"),
               aligned(8))) static volatile uint64_t requests_end[2] = {LIMINE_REQUESTS_END0,
                                                                        LIMINE_REQUESTS_END1};

static const char greeting[] = "seed kernel";
uint64_t counter = 7;
uint64_t zeroes[64];

uint64_t seed_sum(const char *s)
{
	uint64_t h = counter;
	while (*s)
		h = h * 31 + (uint8_t)*s++;
	return h + zeroes[h & 63];
}

void kmain(void)
{
	counter = seed_sum(greeting) + hhdm_req.response + smp_req.response;
	for (;;)
		__asm__ volatile("hlt");
}

void kernel_entry(void)
{
	kmain();
}
