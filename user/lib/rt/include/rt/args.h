/* A program's typed arguments (docs/tile.md §10, lib/typed/README.md).
 * Its spawner checked its command line against the argument schema in its
 * tile before it started and put the value in its arguments frame as a
 * lib/typed message (the schema's identity, then the value: struct
 * prog_args, args and args_size).  The program reads it with the decoder
 * tools/typedc made of the same schema (<NAME.h>, the schema its manifest
 * names: `args NAME.schema`):
 *
 *	struct sieve_args args;
 *	RT_ARGS(sieve_args, &args);	(then args.limit)
 *
 * The decoder checks the identity and every bound again; a message it
 * refuses is reported and the program stops with RT_EXIT_ARGS.  A program
 * given no message at all (a spawner that passes no command line, such as
 * the test kernel's) gets what an empty command line gives: the defaults,
 * or a refusal naming the first required argument.
 */
#ifndef RT_ARGS_H
#define RT_ARGS_H

#include <stddef.h>
#include <stdint.h>
#include <typed/typed.h>

#include "rt.h"

#define RT_EXIT_ARGS    126        /* its arguments message was refused */
#define RT_ARGS_ARENA   (8u << 10) /* bytes for the decoded value (its strings, lists) */
#define RT_CONFIG_ARENA (8u << 10) /* ... and for its configuration's, another arena */

/* This program's arguments message and its size (0: none). */
const uint8_t *rt_args_msg(size_t *size);

/* The decoder's inputs: an arena (RT_ARGS_ARENA bytes of the program's
 * image, not its budget; the value's strings and lists stay there, so
 * RT_ARGS is read once), the message, a place for its problem. */
struct rt_args_reader {
	struct typed_arena arena;
	const uint8_t *msg;
	size_t size;
	struct typed_error err;
};
void rt_args_begin(struct rt_args_reader *r);
/* e: the decoder's result; anything but OK is reported and stops it. */
void rt_args_end(const struct rt_args_reader *r, enum err e);
/* No message: record type t (or its error e) from an empty command line
 * into *v, the problem in r->err. */
enum err rt_args_empty(struct rt_args_reader *r, enum err e, const struct typed_type *t,
                       struct typed_value **v);

/* Decodes this program's arguments into *out (struct NAME *) with
 * NAME_decode, made by tools/typedc from its argument schema. */
#define RT_ARGS(NAME, out)                                                                       \
	do {                                                                                     \
		struct rt_args_reader rt_args_r_;                                                \
		rt_args_begin(&rt_args_r_);                                                      \
		if (rt_args_r_.size == 0) {                                                      \
			const struct typed_type *rt_args_t_ = NULL;                              \
			struct typed_value *rt_args_v_ = NULL;                                   \
			enum err rt_args_e_ =                                                    \
			        NAME##_type(&rt_args_r_.arena, &rt_args_t_, &rt_args_r_.err);    \
			rt_args_e_ =                                                             \
			        rt_args_empty(&rt_args_r_, rt_args_e_, rt_args_t_, &rt_args_v_); \
			if (!rt_args_e_)                                                         \
				rt_args_e_ =                                                     \
				        NAME##_from_value(rt_args_v_, &rt_args_r_.arena, (out)); \
			rt_args_end(&rt_args_r_, rt_args_e_);                                    \
		} else {                                                                         \
			rt_args_end(&rt_args_r_,                                                 \
			            NAME##_decode(rt_args_r_.msg, rt_args_r_.size,               \
			                          &rt_args_r_.arena, (out), &rt_args_r_.err));   \
		}                                                                                \
	} while (0)

/* Its configuration (docs/tile.md §10): a spawner given a configuration
 * text for it (init: startup.conf's `config = MODULE`) checked it against
 * the config schema in its tile (`config NAME.schema` in its manifest)
 * and put the encoded value beside its arguments (struct prog_args:
 * config_size bytes after args_size).  The program reads it once:
 *
 *	struct sieve_config cfg;
 *	RT_CONFIG(sieve_config, &cfg);	(then cfg.largest)
 *
 * identity and bounds checked again; none given: the schema's defaults
 * (an empty configuration text), or a refusal naming the first required
 * field.  Refused: reported, and it stops with RT_EXIT_ARGS. */
const uint8_t *rt_config_msg(size_t *size);
void rt_config_begin(struct rt_args_reader *r);
void rt_config_end(const struct rt_args_reader *r, enum err e);
/* No message: t's value of an empty configuration text into *v. */
enum err rt_config_empty(struct rt_args_reader *r, enum err e, const struct typed_type *t,
                         struct typed_value **v);

#define RT_CONFIG(NAME, out)                                                                       \
	do {                                                                                       \
		struct rt_args_reader rt_cfg_r_;                                                   \
		rt_config_begin(&rt_cfg_r_);                                                       \
		if (rt_cfg_r_.size == 0) {                                                         \
			const struct typed_type *rt_cfg_t_ = NULL;                                 \
			struct typed_value *rt_cfg_v_ = NULL;                                      \
			enum err rt_cfg_e_ =                                                       \
			        NAME##_type(&rt_cfg_r_.arena, &rt_cfg_t_, &rt_cfg_r_.err);         \
			rt_cfg_e_ = rt_config_empty(&rt_cfg_r_, rt_cfg_e_, rt_cfg_t_, &rt_cfg_v_); \
			if (!rt_cfg_e_)                                                            \
				rt_cfg_e_ = NAME##_from_value(rt_cfg_v_, &rt_cfg_r_.arena, (out)); \
			rt_config_end(&rt_cfg_r_, rt_cfg_e_);                                      \
		} else {                                                                           \
			rt_config_end(&rt_cfg_r_,                                                  \
			              NAME##_decode(rt_cfg_r_.msg, rt_cfg_r_.size,                 \
			                            &rt_cfg_r_.arena, (out), &rt_cfg_r_.err));     \
		}                                                                                  \
	} while (0)

#endif
