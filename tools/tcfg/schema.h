/* The schema of a Tessera target configuration (config/NAME.json), declared
 * once as a table, and the checks that turn a parsed JSON document and
 * command-line overrides into one typed value per setting.
 *
 * Every problem is reported through a diagnostic callback as one GCC-style
 * line ("config/x.json:4: ..."; control characters in quoted values are
 * escaped, "\n"); checking goes on after an error so that a user sees every
 * mistake at once.  Functions return the number of errors.
 */
#ifndef TOOLS_TCFG_SCHEMA_H
#define TOOLS_TCFG_SCHEMA_H

#include <json/json.h>
#include <stddef.h>

enum tcfg_kind {
	TCFG_ENUM,   /* a string, one of choices */
	TCFG_INT,    /* an integer in min..max */
	TCFG_OBJECT, /* an object with the given fields */
};

/* A setting's value: where it lives in struct tcfg_config. */
enum tcfg_slot {
	TCFG_ARCH,
	TCFG_LOADER,
	TCFG_FIRMWARE,
	TCFG_MACHINE,
	TCFG_ACCEL,
	TCFG_CORES,
	TCFG_MEMORY,
	TCFG_DISPLAY,
	TCFG_WIDTH,
	TCFG_HEIGHT,
	TCFG_NSLOTS,
};

struct tcfg_field {
	const char *key; /* name within its object */
	enum tcfg_kind kind;
	enum tcfg_slot slot;             /* ENUM, INT */
	const char *var;                 /* make variable: CORES -> CFG_CORES */
	const char *const *choices;      /* ENUM: NULL-terminated */
	long long min, max;              /* INT */
	const char *def;                 /* default, or NULL when required */
	const struct tcfg_field *fields; /* OBJECT: terminated by a NULL key */
};

/* The top level of a configuration file. */
extern const struct tcfg_field tcfg_schema[];

#define TCFG_VALUE_MAX 24

struct tcfg_value {
	char text[TCFG_VALUE_MAX]; /* as written to config.mk */
	int set;
};

struct tcfg_config {
	struct tcfg_value v[TCFG_NSLOTS];
};

/* Receives one diagnostic line (no trailing newline). */
typedef void (*tcfg_diag)(void *ctx, const char *msg);

struct tcfg_reporter {
	tcfg_diag fn;
	void *ctx;
	const char *file; /* prefix of every message */
	int errors;
};

/* Fills cfg with the documented defaults; required settings stay unset. */
void tcfg_defaults(struct tcfg_config *cfg);

/* Checks a parsed file against the schema and stores its values. */
int tcfg_apply_json(struct tcfg_config *cfg, const struct json_node *root, struct tcfg_reporter *r);

/* Checks one override "key=value" (keys as in the file, dotted for nested
 * ones) and stores it; messages name the make variable (CORES=0). */
int tcfg_apply_override(struct tcfg_config *cfg, const char *assignment, struct tcfg_reporter *r);

/* Reports every required setting that neither the file nor an override gave. */
int tcfg_check_complete(const struct tcfg_config *cfg, struct tcfg_reporter *r);

/* Writes the make assignments (CFG_CORES := 2 ...) for a complete cfg to buf;
 * returns the length the text has (truncated to size like snprintf). */
size_t tcfg_emit_make(const struct tcfg_config *cfg, const char *source, char *buf, size_t size);

/* The leaf field stored in slot, and its dotted name ("framebuffer.width"). */
const struct tcfg_field *tcfg_field_of(enum tcfg_slot slot, char *path, size_t size);

/* Reports a message through r, prefixed with r->file and line (if nonzero). */
void tcfg_report(struct tcfg_reporter *r, unsigned line, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

#endif
