/* The one system call: invoking a capability.  A program names a cap by
 * its address in its own capability space (tessera/caps.h), a method of
 * the cap's type and up to CAP_INV_ARGS arguments; the kernel decodes
 * (checks everything, changes nothing), then invokes, and answers an error
 * and up to CAP_INV_RESULTS results.  There is no other way into the
 * kernel: yielding, stopping, mapping memory, writing to the log are
 * methods of caps (a dispatcher, a page table, a log).  The registers are
 * the architecture's (tessera/arch/<arch>/regs.h); the user library's
 * stubs, one per method, are generated from CAP_METHOD_TABLE.
 */
#ifndef TESSERA_SYSCALL_H
#define TESSERA_SYSCALL_H

#include <stdint.h>
#include <tessera/arch/regs.h>
#include <tessera/caps.h>

_Static_assert(CAP_INV_ARGS == ARCH_SYSCALL_ARGS, "every argument travels in a register");
_Static_assert(CAP_INV_RESULTS == ARCH_SYSCALL_RESULTS, "every result travels in a register");

#endif
