/* What a program may learn about the processor it runs on, without the
 * kernel. */
#ifndef RT_ARCH_CPU_H
#define RT_ARCH_CPU_H

#include <stdint.h>

/* The local APIC id of the processor running this: CPUID leaf 0Bh's x2APIC
 * id where the leaf exists, else leaf 1's initial APIC id (EBX[31:24])
 * (Intel SDM vol. 2A, CPUID). */
static inline uint32_t arch_cpu_apic_id(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
	if (a >= 0xb) {
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0xb), "c"(0));
		if (b)
			return d;
	}
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	return b >> 24;
}

#endif
