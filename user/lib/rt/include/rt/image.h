/* Program images for spawn (rt/spawn.h): a tile (docs/tile.md) or, the old
 * way, a static ELF executable, checked and made ready to build into a
 * child: its pages in address order, each a copy of bytes for a new
 * frame or a library's shared frame, and what the child is granted.
 *
 * A tile is relocated to a random base (rt_cycles-seeded, not
 * cryptographic) in [IMAGE_VA_MIN, IMAGE_LIB_VA).  The libraries it
 * imports from (boot modules of the spawner's, by name) are loaded once
 * per spawner, each at a random base of its own in [IMAGE_LIB_VA,
 * HEAP_VA): their code and read-only pages are frames made once and
 * mapped into every child that imports from them (the same physical
 * frames), their writable pages a fresh copy for each child.  Every
 * import is resolved and its type checked before anything is built; a
 * failure is reported on the log naming the file and the field.
 *
 * What a tile's child gets is what its manifest names (§9), from what the
 * spawner offers: the log if it names log, a budget of the size it names
 * (refused if the spawner offers less), the modules it names ("*": every
 * module offered), the named caps it names; nothing else.  Three names
 * of notify caps are the system's protocol (rt/spawn.h): `self` a
 * notification of its own (SLOT_NOTIFY), `monitor` the channel to the
 * spawning monitor (SLOT_MON_CHAN, SLOT_MON_NOTIFY), `chan` a channel the
 * monitors give it later (SLOT_CHAN_FRAME, SLOT_CHAN_PEER); each only if
 * the spawner offers it.  A static ELF gets what the spawner offers (it
 * has no manifest).
 */
#ifndef RT_IMAGE_H
#define RT_IMAGE_H

#include <stdbool.h>
#include <stdint.h>
#include <tessera/bootinfo.h>
#include <tessera/err.h>
#include <tile/tile.h>

#include "rt.h"
#include "spawn.h"

#define IMAGE_VA_MIN   (1ull << 40) /* programs: [1 TiB, 8 TiB) */
#define IMAGE_LIB_VA   (8ull << 40) /* libraries: [8 TiB, HEAP_VA) */
#define IMAGE_LIBS     8            /* libraries one spawner loads */
#define IMAGE_SPAWNCAP 16           /* named caps a spawner offers */

/* A page of the child's image: 4 KiB, or 2 MiB (bits 21) where a segment
 * that may be mapped with large pages (docs/tile.md §5, align_bits 21)
 * covers a whole aligned 2 MiB; its edges stay 4 KiB pages. */
struct rt_image_page {
	uint64_t va;
	uint32_t rights;         /* CAP_RIGHT_* */
	uint8_t bits;            /* CAP_LARGE_PAGE_BITS: 2 MiB; else 4 KiB */
	uint32_t nbytes;         /* 2 MiB: bytes it copies, the rest zero */
	const uint8_t *bytes;    /* a 4 KiB page's 4 KiB; NULL: a zero frame */
	struct rt_capref shared; /* depth != 0: map a copy of this (a library's) frame */
};

struct rt_library;
struct rt_image {
	bool tile;
	uint64_t base, entry;
	uint64_t vbase, vend;             /* the extent of the pages */
	uint32_t npages, nshared, nlarge; /* nlarge: pages of 2 MiB */
	struct rt_image_page *pages;      /* heap */
	uint8_t *seg_bytes[TILE_MAX_SEGMENTS];
	struct tile t;  /* a tile's header and sections (the manifest) */
	unsigned nlibs; /* the libraries it imports from, directly or not */
	struct rt_library *libs[IMAGE_LIBS];
};

/* What a child is given, from the manifest (a tile) or the spawner's
 * offer (an ELF). */
struct rt_grants {
	bool log;
	unsigned budget_bits; /* 0: none */
	unsigned nmodules, ncaps;
	const struct bootinfo_module *modules[BOOTINFO_MODULES];
	struct prog_cap caps[PROG_CAPS]; /* slot: filled by spawn */
	struct rt_capref cap_src[PROG_CAPS];
	uint32_t args_size, config_size;
	uint8_t args[PROG_ARGS_BYTES]; /* its arguments, then its configuration: lib/typed messages
	                                */
	bool notify, monitor, chan;    /* the system's caps (rt/spawn.h) */
	char why[SPAWN_WHY];           /* its arguments refused: the first problem */
};

/* Checks the image (a tile or a static ELF, by its magic) and makes it
 * ready: relocated at its base, imports resolved and type-checked.
 * CORRUPT / UNSUPPORTED not an executable for this machine; NOENT a
 * library missing; TYPE / RANGE an import's type or version; NOMEM; all
 * reported on the log naming name and the field. */
enum err rt_image_load(const char *name, const void *file, size_t size, struct rt_image *img);

/* Frees what rt_image_load allocated (the libraries stay loaded). */
void rt_image_free(struct rt_image *img);

/* What the child gets (see above) from what a offers, and its arguments
 * (docs/tile.md §10): a->argv parsed against the argument schema in the
 * tile (lib/typed: every option known, every value of its type and in its
 * range, required ones given, defaults for the rest; a capability named
 * by one of the caps it is granted, `log` or a manifest's name), or
 * a->args_msg decoded against it (its identity and every bound), then
 * encoded into g->args.  NOENT a cap the manifest needs is not offered,
 * RANGE more memory than offered, TYPE / PERM an offered cap of another
 * type or with fewer rights, INVAL arguments refused (the first problem
 * in g->why; each reported on the log).  A static ELF takes no
 * arguments. */
struct spawn_args;
enum err rt_image_grants(const struct rt_image *img, const struct spawn_args *a,
                         struct rt_grants *g);

/* The spawner's loaded libraries: how many, and one's name, base and the
 * physical frames it shares (for tests and statistics). */
unsigned rt_image_libraries(void);
bool rt_image_library(unsigned i, const char **name, uint64_t *base, uint32_t *shared_pages);

/* Checks the command line argv against the argument schema of the tile
 * in file (size bytes; name for messages) and encodes it as spawn would
 * pass it: what a spawner does before another core's monitor spawns the
 * program (rt/monproto.h: the message travels, that spawn checks it
 * again).  The message into msg (*msg_size: its room, then its length).
 * INVAL refused (every problem on the log, the first in why; a capability
 * argument too: only the spawner that builds a program resolves those),
 * CORRUPT / UNSUPPORTED not a tile, NOMEM. */
enum err rt_args_encode(const char *name, const void *file, size_t size, unsigned argc,
                        const char *const *argv, uint8_t *msg, size_t *msg_size, char *why,
                        size_t why_len);

/* The configuration schema of the tile in file (size bytes; name for
 * messages; docs/tile.md §10) decoded into a as *t: what a spawner checks
 * a program's configuration text against (lib/typed) before it passes
 * the encoded value (spawn_args.config_msg).  NOENT the tile has no
 * configuration schema (said in why), CORRUPT / UNSUPPORTED not a tile,
 * NOMEM. */
struct typed_arena;
struct typed_type;
enum err rt_config_type(const char *name, const void *file, size_t size, struct typed_arena *a,
                        const struct typed_type **t, char *why, size_t why_len);

/* A cap this program was given by name (rt_args()->caps): its slot, type
 * and rights.  NOENT none of that name. */
enum err rt_named_cap(const char *name, struct rt_capref *cap, struct prog_cap *info);

#endif
