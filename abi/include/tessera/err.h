/* The project-wide error codes: one table, one message per code.
 * Every fallible function in lib/, the loaders, the kernel and the tools
 * returns an enum err (ERR_OK on success) and its caller checks it.
 */
#ifndef TESSERA_ERR_H
#define TESSERA_ERR_H

/* clang-format cannot indent the lines after an X-macro expansion. */
/* clang-format off */
#define ERR_TABLE(X)                                                   \
	X(OK, "success")                                               \
	X(INVAL, "invalid argument")                                   \
	X(NOMEM, "out of memory")                                      \
	X(NOENT, "no such file or object")                             \
	X(EXIST, "already exists")                                     \
	X(IO, "input/output error")                                    \
	X(CORRUPT, "malformed or corrupt data")                        \
	X(RANGE, "value out of range")                                 \
	X(NOSPC, "no space left")                                      \
	X(NAME, "name not representable")                              \
	X(NOTDIR, "not a directory")                                   \
	X(ISDIR, "is a directory")                                     \
	X(UNSUPPORTED, "not supported")                                \
	X(TIMEOUT, "timed out")                                        \
	X(TYPE, "wrong object type")                                   \
	X(PERM, "missing right")                                       \
	X(ALIGN, "misaligned")                                         \
	X(OVERLAP, "overlaps an existing object")                      \
	X(FULL, "full")                                                \
	X(EMPTY, "empty")                                              \
	X(BUSY, "busy")                                                \
	X(REVOKED, "revoked")

enum err {
#define ERR_ENUM(name, msg) ERR_##name,
	ERR_TABLE(ERR_ENUM)
#undef ERR_ENUM
	ERR_COUNT
};

/* The message for an error code; never NULL. */
static inline const char *err_str(enum err e)
{
	static const char *const msgs[] = {
#define ERR_MSG(name, msg) msg,
		ERR_TABLE(ERR_MSG)
#undef ERR_MSG
	};
	if ((unsigned)e >= (unsigned)ERR_COUNT)
		return "unknown error";
	return msgs[e];
}
/* clang-format on */

#endif
