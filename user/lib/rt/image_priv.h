/* Between image.c (programs, grants) and image_link.c (libraries). */
#ifndef RT_IMAGE_PRIV_H
#define RT_IMAGE_PRIV_H

#include <rt/image.h>

/* A tile placed at base: each segment's file bytes copied (page-rounded,
 * heap) and relocated. */
struct image_placed {
	const struct tile *t;
	uint64_t base;
	uint8_t *bytes[TILE_MAX_SEGMENTS];
};

/* Copies and relocates p's segments with the imports' addresses. */
enum err image_place(struct image_placed *p, const uint64_t *imports);

/* CAP_RIGHT_* for TILE_PROT_*. */
uint32_t image_rights(uint32_t prot);

/* A pseudo-random number (rt_cycles-seeded xorshift). */
uint64_t image_random(void);

/* Every type of checked tile t through lib/typed (lib/tile/types.h:
 * descriptors, identities, kinds); CORRUPT reported on the log. */
enum err image_types(const struct tile *t);

/* Loads the libraries img's tile needs (once per spawner), resolves and
 * type-checks every import into imports[], lists the libraries in img.
 * Reports failures on the log. */
enum err image_link(struct rt_image *img, uint64_t *imports);

/* The pages of img's libraries into out (NULL: only counted); their
 * number. */
uint32_t image_lib_pages(const struct rt_image *img, struct rt_image_page *out);

/* The child's arguments into g: a's checked against img's schema and
 * encoded (see rt_image_grants); after its caps are granted. */
struct spawn_args;
struct rt_grants;
enum err image_args(const struct rt_image *img, const struct spawn_args *a, struct rt_grants *g);

#endif
