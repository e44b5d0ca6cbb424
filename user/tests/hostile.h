/* The hostile test program's parts (hostile*.c): each tries one family of
 * ways out of its sandbox and checks that every attempt is refused exactly
 * as documented (tessera/caps.h, kernel/mm/vspace.h: the error, in the
 * documented order) or trapped with the right vector.  Results go to the
 * test page (testpage.h); lines only for failures and a summary.
 */
#ifndef USER_TESTS_HOSTILE_H
#define USER_TESTS_HOSTILE_H

#include <rt/rt.h>

#include "probe.h"
#include "testpage.h"

/* The test page, and the program's own untyped (TESTPAGE_SLOT_UNTYPED). */
extern struct testpage *const tp;

/* Where hostile_caps.c's objects lie in its untyped (2^17 bytes): the
 * CNode (2^HOSTILE_CNODE_BITS slots) right behind the dispatcher, the
 * endpoint behind it, then a gap up to the child untyped. */
#define OFF_FRAME      0x0000
#define OFF_PT         0x1000
#define OFF_DISP_FRAME 0x2000
#define OFF_DISP       0x3000
#define OFF_CNODE      (OFF_DISP + (1u << CAP_DISPATCHER_BITS))
#define OFF_ENDPOINT   (OFF_CNODE + (1u << (HOSTILE_CNODE_BITS + CAP_SLOT_BITS)))
#define OFF_CHILD      0x8000 /* an untyped of 2^15 */

/* Slots of the root CNode this program makes things in (its own untyped
 * is carved by hostile_caps.c; these are the slots' roles). */
enum hostile_slot {
	HS_UNTYPED = TESTPAGE_SLOT_UNTYPED,
	HS_FRAME = 20,  /* a 4 KiB frame, every right */
	HS_FRAME_R,     /* minted: READ | GRANT */
	HS_FRAME_RW,    /* minted: READ | WRITE | GRANT (no EXEC) */
	HS_FRAME_NOG,   /* minted: READ | WRITE (no GRANT) */
	HS_CNODE,       /* a CNode of 4 slots: slot 1 a frame copy, slot 3 itself */
	HS_CNODE_R,     /* minted: READ */
	HS_CNODE_W,     /* minted: WRITE */
	HS_UNTYPED_NR,  /* the untyped minted without RETYPE */
	HS_UNTYPED_2,   /* a copy of the untyped */
	HS_CHILD,       /* an untyped retyped from it */
	HS_ENDPOINT,    /* an endpoint */
	HS_EP_BADGED,   /* minted with badge 5 */
	HS_DISP2,       /* a second dispatcher */
	HS_DISP2_R,     /* minted: READ | GRANT */
	HS_DISP2_FRAME, /* its frame */
	HS_LOG_R,       /* the log minted without WRITE */
	HS_VSPACE_G,    /* the top table minted without WRITE */
	HS_PT,          /* a page table (linked at HOSTILE_PT_VA) */
	HS_SCRATCH,     /* 10 slots for retypes that come and go */
	HS_SCRATCH_END = HS_SCRATCH + 10,
};

#define HOSTILE_UNTYPED_BITS 17 /* what the kernel test gives */
#define HOSTILE_CNODE_BITS   2
#define HOSTILE_PT_VA        0x200000ull /* a 2 MiB range with no table yet */
#define HOSTILE_MAP_VA       0x110000ull /* pages the checks map (the low table has room) */

/* The depth of root addresses (8 bits: spawn_sandbox's root CNode). */
#define D8 rt_depth()

/* One check: the invocation's error is want.  OK where a refusal was due
 * counts as an escape, another error as wrong. */
#define EXPECT_ERR(got, want) hostile_err(__LINE__, #got, (got), (want))
#define EXPECT_OK(got)        hostile_err(__LINE__, #got, (got), ERR_OK)
/* A condition that must hold (an escape when it does not). */
#define EXPECT_TRUE(cond)     hostile_true(__LINE__, #cond, (cond))

void hostile_err(int line, const char *what, enum err got, enum err want);
void hostile_true(int line, const char *what, bool cond);

/* A probe (probe.h) ran: it must have faulted with vector (and, for a
 * page fault, at address with the error bits in err_mask set to err), or
 * not at all (vector NO_FAULT). */
#define NO_FAULT 0xffu
void hostile_fault(int line, const char *what, unsigned vector);
void hostile_page_fault(int line, const char *what, uint64_t address, unsigned err,
                        unsigned err_mask);
/* ... faulted with one of two vectors (the CPU decides which). */
void hostile_fault2(int line, const char *what, unsigned v1, unsigned v2);

/* A raw invocation: cap, depth, method and up to eight arguments. */
enum err hostile_inv(uint64_t cap, uint64_t depth, uint64_t method, const uint64_t *args,
                     unsigned n, struct cap_invocation_result *res);

/* A root slot's address; a slot of the CNode in root slot `cnode` (of
 * `bits` slot bits) and the depth to it. */
static inline uint64_t hs(uint64_t slot)
{
	return slot;
}
static inline uint64_t hs_in(uint64_t cnode, unsigned bits, uint64_t slot)
{
	return cnode << bits | slot;
}

/* The families, in the order main runs them. */
void hostile_cpu(void);       /* privileged instructions, I/O ports, registers */
void hostile_objects(void);   /* the objects the rest use (from its own untyped) */
void hostile_addresses(void); /* capability addresses: every depth edge and error */
void hostile_kmem(void);      /* kernel memory: reads, writes, jumps, mappings */
void hostile_rights(void);    /* mint with fewer rights, use what was removed */
void hostile_badges(void);    /* endpoint badges and port ranges */
void hostile_methods(void);   /* wild methods and arguments */
void hostile_dispatch(void);  /* DISP_SETUP in odd ways; a second dispatcher */
void hostile_log(void);       /* LOG_WRITE lengths and rights */
void hostile_retype(void);    /* overlaps, sizes, destinations; memory zeroed and unmapped */
void hostile_other(void);     /* another program's objects by every address */
void hostile_own(void);       /* revoking and deleting its own well-known caps */

#endif
