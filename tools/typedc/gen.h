/* typedc's C generator: for a schema with root record R, a header with
 *   - an enum per enum type (constants R_FIELD_VALUE, NAME_VALUE),
 *   - a struct per record: bool, int64_t, uint64_t (uint, size in bytes,
 *     duration in ns), enum, const char * (string, path), struct
 *     typed_capref (a capability's name and slot), nested structs, lists as { count, items },
 *     optional fields with a has_NAME flag;
 *   - R_desc[] (R's canonical descriptor) and R_ID (its identity);
 *   - NAME_from_value for each record, and R_type, R_decode (a message)
 *     and R_load (a configuration text) over lib/typed.
 */
#ifndef TOOLS_TYPEDC_GEN_H
#define TOOLS_TYPEDC_GEN_H

#include <stdio.h>

#include "schema.h"

/* Writes the header for s (read from source) to out; 0, or -1 on an error. */
int gen_header(const struct schema *s, const char *source, FILE *out);

#endif
