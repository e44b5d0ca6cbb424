/* Checking a Tessera target configuration (config/NAME.json) and the
 * command-line overrides against its schema (tcfg_config.schema, a
 * lib/typed schema; typedc makes tcfg_config.h of it).  A JSON file is
 * parsed by lib/json and becomes lib/typed's parsed text (tcfg_from_json),
 * so lib/typed checks it like any configuration text.
 *
 * Every problem is reported through a diagnostic callback as one GCC-style
 * line ("config/x.json:4:17: cores: 0 is out of range 1..64"; control
 * characters escaped, "\n"); checking goes on after an error so that a
 * user sees every mistake at once.  Functions return the number of errors.
 */
#ifndef TOOLS_TCFG_SCHEMA_H
#define TOOLS_TCFG_SCHEMA_H

#include <json/json.h>
#include <stddef.h>
#include <typed/typed.h>

/* The checked configuration: generated from the schema (tcfg_config.h,
 * which the sources that need its fields include). */
struct tcfg_config;

/* Receives one diagnostic line (no trailing newline). */
typedef void (*tcfg_diag)(void *ctx, const char *msg);

struct tcfg_reporter {
	tcfg_diag fn;
	void *ctx;
	const char *file; /* prefix of every message */
	int errors;
};

/* A setting's make variable: CORES for "cores" (CFG_CORES in config.mk). */
struct tcfg_var {
	const char *key; /* dotted: "framebuffer.width" */
	const char *var;
};
extern const struct tcfg_var tcfg_vars[];
#define TCFG_NVARS 10

/* The configuration's type (from tcfg_config_desc), built in a. */
const struct typed_type *tcfg_type(struct typed_arena *a);

/* The leaf field of a dotted key, or NULL. */
const struct typed_field *tcfg_field(const struct typed_type *t, const char *key, size_t len);

/* A JSON value as lib/typed's parsed text, in a (NULL when a is full):
 * objects are records, arrays lists, strings strings, numbers, true,
 * false and null atoms (their source text). */
struct typed_node *tcfg_from_json(const struct json_node *j, struct typed_arena *a);

/* Checks one override "key=value" (keys as in the file, dotted for nested
 * ones); messages name the make variable ("CORES: 0 is out of range"). */
int tcfg_check_override(const struct typed_type *t, const char *assignment, struct typed_arena *a,
                        struct tcfg_reporter *r);

/* Applies the overrides to a parsed file (an override whose check failed
 * stands as already reported), checks it and fills cfg. */
int tcfg_check(const struct typed_type *t, struct typed_node *root, const char *const *sets,
               int nsets, struct typed_arena *a, struct tcfg_config *cfg, struct tcfg_reporter *r);

/* Writes the make assignments (CFG_CORES := 2 ...) for cfg to buf; returns
 * the length the text has (truncated to size like snprintf). */
size_t tcfg_emit_make(const struct tcfg_config *cfg, const char *source, char *buf, size_t size);

/* Reports a message through r, prefixed with r->file and line (if nonzero). */
void tcfg_report(struct tcfg_reporter *r, unsigned line, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

#endif
