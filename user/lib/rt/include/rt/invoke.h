/* One stub per method of tessera/caps.h, generated from CAP_METHOD_TABLE:
 *
 *   enum err invoke_<name>(uint64_t cap, uint64_t depth, <arguments by
 *                          name, in register order>,
 *                          struct cap_results_<name> *out);
 *
 * e.g. invoke_retype(ut, depth, CAP_FRAME, 12, 0, 1, cnode, cdepth, 40, NULL).
 * out (may be NULL) gets the error and the results.  Nothing here is
 * written by hand per method: a method added to the table has its stub.
 */
#ifndef RT_INVOKE_H
#define RT_INVOKE_H

#include <stdint.h>
#include <tessera/caps.h>
#include <tessera/syscall.h>

#include <arch/syscall.h> /* rt_syscall: user/lib/rt/arch/<arch>/include */

#define RT_PARAM_(n) , uint64_t n
#define RT_ARG_(n)   , n
#define RT_STUB_(NAME, name, num, type, where, ARGS, RES)                                  \
	static inline enum err invoke_##name(uint64_t cap, uint64_t depth ARGS(RT_PARAM_), \
	                                     struct cap_results_##name *out)               \
	{                                                                                  \
		struct cap_args_##name v = {cap, depth, CAP_INV_##NAME ARGS(RT_ARG_)};     \
		struct cap_invocation_args a = {0};                                        \
		struct cap_invocation_result r;                                            \
		__builtin_memcpy(&a, &v, sizeof v);                                        \
		rt_syscall(&a, &r);                                                        \
		if (out)                                                                   \
			__builtin_memcpy(out, &r, sizeof *out);                            \
		return (enum err)r.err;                                                    \
	}
CAP_METHOD_TABLE(RT_STUB_)
#undef RT_STUB_
#undef RT_ARG_
#undef RT_PARAM_

/* Any invocation, by its registers (for tests and fuzzers). */
static inline enum err invoke_raw(const struct cap_invocation_args *a,
                                  struct cap_invocation_result *r)
{
	rt_syscall(a, r);
	return (enum err)r->err;
}

#endif
