/* The schema language: records, named types and the root a program's
 * arguments or a configuration file are checked against (grammar in
 * lib/typed/README.md, "Schemas").
 *
 *   type mode = enum(fast, small) "How to sieve."
 *   record sieve_args "Primes below a limit." {
 *       limit: uint 2..100000000 = 1000000 "Find the primes below this."
 *       mode: mode = fast
 *       timeout?: duration 1ms..1h "Give up after this long."
 *   }
 *   root sieve_args
 *
 * Types are built in an arena with lib/typed's descriptors; each named one
 * carries its name (struct typed_type.name) for the C generator.
 */
#ifndef TOOLS_TYPEDC_SCHEMA_H
#define TOOLS_TYPEDC_SCHEMA_H

#include <typed/typed.h>

#define SCHEMA_MAX_DECLS 128

struct schema_decl {
	const char *name;
	const char *doc;
	const struct typed_type *type;
	bool record; /* declared with `record` (else `type`) */
};

struct schema {
	struct schema_decl decls[SCHEMA_MAX_DECLS];
	unsigned ndecls;
	const struct typed_type *root; /* `root NAME`: a record */
	const char *root_name, *root_doc;
};

/* Parses a schema text; every problem goes to d (positions in the text).
 * ERR_OK with s filled; ERR_CORRUPT or ERR_NOMEM otherwise. */
enum err schema_parse(const char *text, size_t len, struct typed_arena *a, struct schema *s,
                      struct typed_diag *d);

#endif
