/* The architecture's registers and system call convention, chosen by the
 * compiler's target. */
#ifndef TESSERA_ARCH_REGS_H
#define TESSERA_ARCH_REGS_H

#if defined(__x86_64__)
#include <tessera/arch/x86_64/regs.h>
#else
#error "no Tessera ABI for this architecture yet"
#endif

#endif
