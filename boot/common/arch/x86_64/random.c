/* Random bits for the kernel base: RDRAND when CPUID has it, else the
 * timestamp counter's jitter around port I/O, mixed.  Not cryptographic:
 * it only has to make the kernel's address differ between boots. */
#include <x86/x86.h>

#include "arch.h"

#define X86_CPUID_RDRAND 0x1u, 2, 30 /* SDM vol. 2A, CPUID leaf 01H, ECX bit 30 */

/* One RDRAND draw of 32 bits; false if the generator had none ready (CF=0,
 * SDM vol. 2B "RDRAND"). */
static bool rdrand32(uint32_t *v)
{
	uint8_t ok;

	__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
	return ok;
}

/* 64 bits from RDRAND, retrying a few times (Intel's guidance: 10). */
static bool rdrand64(uint64_t *v)
{
	uint32_t half[2];

	for (int h = 0; h < 2; h++) {
		int tries = 10;
		while (!rdrand32(&half[h]))
			if (--tries == 0)
				return false;
	}
	*v = (uint64_t)half[1] << 32 | half[0];
	return true;
}

/* The splitmix64 finaliser: spreads every input bit over the word. */
static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t arch_random(const char **source)
{
	uint64_t v;

	if (x86_cpuid_has(X86_CPUID_RDRAND) && rdrand64(&v)) {
		*source = "rdrand";
		return v;
	}
	/* The counter's low bits between slow port reads vary from boot to boot. */
	v = x86_rdtsc();
	for (int i = 0; i < 64; i++) {
		uint64_t t = x86_rdtsc();
		(void)x86_inb(0x80);
		v = mix(v ^ (x86_rdtsc() - t) ^ ((uint64_t)i << 56));
	}
	*source = "rdtsc";
	return mix(v ^ x86_rdtsc());
}
