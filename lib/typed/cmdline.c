/* Command lines against a record type: the arguments become a parsed text
 * (struct typed_node, no positions) that the checker checks with option
 * names for paths ("--cores: 99 is out of range 1..64"); and --help. */
#include <fmt/fmt.h>
#include <string/mem.h>

#include "internal.h"

struct cmdline {
	struct typed_arena *arena;
	struct typed_diag *diag;
	struct typed_node *root;
	bool nomem;
};

static void problem(struct cmdline *c, const char *path, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
static void problem(struct cmdline *c, const char *path, const char *fmt, ...)
{
	struct typed_error e;
	va_list ap;
	va_start(ap, fmt);
	typed_error_vset(&e, 0, 0, path, fmt, ap);
	va_end(ap);
	typed_diag_send(c->diag, &e);
}

static void *cl_alloc(struct cmdline *c, size_t n)
{
	void *p = typed_arena_alloc(c->arena, n);
	if (!p && !c->nomem) {
		c->nomem = true;
		problem(c, "", "out of memory (an arena of %zu bytes is too small)",
		        c->arena->size);
	}
	return p;
}

static char *copy(struct cmdline *c, const char *s, size_t n)
{
	char *out = cl_alloc(c, n + 1);
	if (out)
		memcpy(out, s, n);
	return out;
}

static struct typed_node *child(struct typed_node *parent, const char *key)
{
	for (struct typed_node *n = parent->child; n; n = n->next)
		if (strcmp(n->key, key) == 0)
			return n;
	return NULL;
}

static struct typed_node *add(struct cmdline *c, struct typed_node *parent, uint8_t kind,
                              const char *key)
{
	struct typed_node *n = cl_alloc(c, sizeof *n), **tail = &parent->child;
	if (!n)
		return NULL;
	n->kind = kind;
	n->key = key;
	while (*tail)
		tail = &(*tail)->next;
	*tail = n;
	parent->count++;
	return n;
}

static const struct typed_field *find(const struct typed_type *rec, const char *name)
{
	for (uint32_t i = 0; i < rec->rec.count; i++)
		if (strcmp(rec->rec.fields[i].name, name) == 0)
			return &rec->rec.fields[i];
	return NULL;
}

static const struct typed_type *bare(const struct typed_type *t)
{
	return t->kind == TYPED_OPTIONAL ? t->inner : t;
}

/* "--a.b" options of record rec (prefix "a."), for messages. */
static void options_of(const struct typed_type *rec, const char *prefix, char *buf, size_t size)
{
	struct fmt_buf b = {buf, size, 0};
	for (uint32_t i = 0; i < rec->rec.count; i++)
		fmt_buf_printf(&b, "%s--%s%s", i ? ", " : "", prefix, rec->rec.fields[i].name);
	fmt_buf_end(&b);
	for (char *p = buf; *p; p++) /* options are written with '-' for '_' */
		*p = *p == '_' ? '-' : *p;
}

/* The field named by a dotted option name (already '_' for '-'); its record
 * node in *parent (made as needed).  NULL after reporting. */
static const struct typed_field *resolve(struct cmdline *c, const struct typed_type *t, char *name,
                                         const char *shown, struct typed_node **parent)
{
	*parent = c->root;
	for (char *part = name;;) {
		char *dot = strchr(part, '.');
		if (dot)
			*dot = '\0';
		const struct typed_field *f = find(t, part);
		if (!f) {
			char known[TYPED_MSG_MAX];
			size_t plen = (size_t)(part - name);
			char prefix[TYPED_PATH_MAX];
			fmt_snprintf(prefix, sizeof prefix, "%.*s", (int)plen, name);
			options_of(t, prefix, known, sizeof known);
			problem(c, shown, "unknown option; known options: %s", known);
			return NULL;
		}
		if (!dot)
			return f;
		if (bare(f->type)->kind != TYPED_RECORD) {
			problem(c, shown, "--%.*s is not a record", (int)(dot - name), name);
			return NULL;
		}
		struct typed_node *next = child(*parent, part);
		if (!next &&
		    !(next = add(c, *parent, TYPED_NODE_RECORD, copy(c, part, strlen(part)))))
			return NULL;
		*parent = next;
		*dot = '.';
		t = bare(f->type);
		part = dot + 1;
	}
}

/* Marks field f given but already reported (the checker skips it). */
static void reported(struct cmdline *c, const struct typed_field *f, struct typed_node *parent)
{
	if (!child(parent, f->name))
		add(c, parent, TYPED_NODE_REPORTED, f->name);
}

/* Whether field f can be given as one option (not a record, not a list
 * of records or lists); reported if not. */
static bool settable(struct cmdline *c, const struct typed_field *f, struct typed_node *parent,
                     const char *shown)
{
	const struct typed_type *t = bare(f->type);
	if (t->kind == TYPED_RECORD) {
		char known[TYPED_MSG_MAX], prefix[TYPED_PATH_MAX];
		fmt_snprintf(prefix, sizeof prefix, "%s.", shown + 2);
		options_of(t, prefix, known, sizeof known);
		problem(c, shown, "a record: give its fields (%s)", known);
	} else if (t->kind == TYPED_LIST &&
	           (t->list.elem->kind == TYPED_RECORD || t->list.elem->kind == TYPED_LIST)) {
		problem(c, shown, "a list of records or lists cannot be given on a command line");
	} else {
		return true;
	}
	reported(c, f, parent);
	return false;
}

/* The value of one option into parent's member for field f. */
static void set_value(struct cmdline *c, const struct typed_field *f, struct typed_node *parent,
                      const char *shown, const char *value)
{
	const struct typed_type *t = bare(f->type);
	struct typed_node *n = child(parent, f->name);
	if (n && t->kind != TYPED_LIST) {
		problem(c, shown, "given twice");
		return;
	}
	if (t->kind != TYPED_LIST) {
		struct typed_node *v = add(c, parent, TYPED_NODE_ATOM, f->name);
		if (v && (v->text = copy(c, value, strlen(value))))
			v->len = (uint32_t)strlen(value);
		return;
	}
	if (!n && !(n = add(c, parent, TYPED_NODE_LIST, f->name)))
		return;
	for (const char *at = value; *value;) { /* comma-separated items, appended */
		const char *comma = strchr(at, ',');
		size_t len = comma ? (size_t)(comma - at) : strlen(at);
		struct typed_node *item = add(c, n, TYPED_NODE_ATOM, NULL);
		if (!item || !(item->text = copy(c, at, len)))
			return;
		item->len = (uint32_t)len;
		if (!comma)
			break;
		at = comma + 1;
	}
}

/* One argument (and maybe the next); returns how many it used. */
static int option(struct cmdline *c, const struct typed_type *t, int argc, const char *const *argv)
{
	const char *arg = argv[0], *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	char shown[TYPED_PATH_MAX], name[TYPED_PATH_MAX];
	fmt_snprintf(shown, sizeof shown, "%.*s", (int)len, arg);
	if (len < 3 || arg[0] != '-' || arg[1] != '-' || len >= sizeof name) {
		problem(c, "", "unexpected argument %s (options are --name VALUE)", arg);
		return 1;
	}
	for (size_t i = 2; i <= len; i++)
		name[i - 2] = i == len ? '\0' : arg[i] == '-' ? '_' : arg[i];
	struct typed_node *parent;
	bool negated = false;
	const struct typed_field *f = NULL;
	if (strncmp(name, "no_", 3) == 0 && !strchr(name, '.')) {
		f = find(t, name + 3);
		negated = f && bare(f->type)->kind == TYPED_BOOL;
		parent = c->root;
	}
	if (!negated && !(f = resolve(c, t, name, shown, &parent)))
		return !eq && argc > 1 && strncmp(argv[1], "--", 2) != 0 ? 2
		                                                         : 1; /* and its value */
	if (!settable(c, f, parent, shown))
		return 1;
	if (bare(f->type)->kind == TYPED_BOOL && (!eq || negated)) {
		if (eq) {
			char flag[TYPED_NAME_MAX];
			fmt_snprintf(flag, sizeof flag, "%s", f->name);
			for (char *p = flag; *p; p++)
				*p = *p == '_' ? '-' : *p;
			problem(c, shown, "takes no value (--%s or --no-%s)", flag, flag);
			reported(c, f, parent);
		} else
			set_value(c, f, parent, shown, negated ? "false" : "true");
		return 1;
	}
	if (eq) {
		set_value(c, f, parent, shown, eq + 1);
		return 1;
	}
	if (argc < 2) {
		char want[160];
		typed_describe(f->type, want, sizeof want);
		problem(c, shown, "needs a value (%s)", want);
		reported(c, f, parent);
		return 1;
	}
	set_value(c, f, parent, shown, argv[1]);
	return 2;
}

enum err typed_cmdline_parse(const struct typed_type *t, int argc, const char *const *argv,
                             struct typed_arena *a, struct typed_value **out, struct typed_diag *d,
                             bool *help)
{
	struct cmdline c = {.arena = a, .diag = d};
	unsigned before = d->count;
	*out = NULL;
	*help = false;
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			*help = true;
			return ERR_OK;
		}
	if (t->kind != TYPED_RECORD) {
		problem(&c, "", "a command line is checked against a record type");
		return ERR_INVAL;
	}
	if (!(c.root = cl_alloc(&c, sizeof *c.root)))
		return ERR_NOMEM;
	c.root->kind = TYPED_NODE_RECORD;
	for (int i = 0; i < argc && !c.nomem; i += option(&c, t, argc - i, argv + i))
		;
	if (c.nomem)
		return ERR_NOMEM;
	struct checker k = {.arena = a, .diag = d, .style = STYLE_CMDLINE};
	enum err e = check_run(&k, t, c.root, out);
	if (e == ERR_OK && d->count != before) {
		*out = NULL;
		return ERR_CORRUPT;
	}
	return e;
}

/* ---- --help ---- */

/* What an option's value looks like: N, SIZE, fast|small, A,B,... */
static void placeholder(struct fmt_buf *b, const struct typed_type *t)
{
	switch (bare(t)->kind) {
	case TYPED_INT:
	case TYPED_UINT: fmt_buf_str(b, "N"); break;
	case TYPED_SIZE: fmt_buf_str(b, "SIZE"); break;
	case TYPED_DURATION: fmt_buf_str(b, "TIME"); break;
	case TYPED_STRING: fmt_buf_str(b, "TEXT"); break;
	case TYPED_PATH: fmt_buf_str(b, "PATH"); break;
	case TYPED_CAP: fmt_buf_str(b, "CAP"); break;
	case TYPED_ENUM: {
		const struct typed_type *e = bare(t);
		for (uint32_t i = 0; i < e->en.count && i < 6; i++)
			fmt_buf_printf(b, "%s%s", i ? "|" : "", e->en.names[i]);
		if (e->en.count > 6)
			fmt_buf_str(b, "|...");
		break;
	}
	case TYPED_LIST:
		placeholder(b, bare(t)->list.elem);
		fmt_buf_str(b, ",...");
		break;
	default: break;
	}
}

static void help_fields(struct fmt_buf *b, const struct typed_type *rec, const char *prefix)
{
	for (uint32_t i = 0; i < rec->rec.count; i++) {
		const struct typed_field *f = &rec->rec.fields[i];
		const struct typed_type *t = bare(f->type);
		char name[TYPED_PATH_MAX];
		fmt_snprintf(name, sizeof name, "%s%s", prefix, f->name);
		for (char *p = name; *p; p++)
			*p = *p == '_' ? '-' : *p;
		if (t->kind == TYPED_RECORD) {
			char sub[TYPED_PATH_MAX];
			fmt_snprintf(sub, sizeof sub, "%s%s.", prefix, f->name);
			help_fields(b, t, sub);
			continue;
		}
		char spec[TYPED_PATH_MAX + 64], want[160], def[96] = "";
		struct fmt_buf s = {spec, sizeof spec, 0};
		fmt_buf_printf(&s, "  --%s", name);
		if (t->kind != TYPED_BOOL)
			fmt_buf_str(&s, " ");
		placeholder(&s, t);
		fmt_buf_end(&s);
		typed_describe(f->type, want, sizeof want);
		if (f->def)
			typed_print(f->def, def, sizeof def);
		const char *doc = f->doc ? f->doc : "";
		fmt_buf_printf(b, "%-24s %s%s%s (%s%s)\n", spec, doc, doc[0] ? ": " : "", want,
		               f->def                            ? "default "
		               : f->type->kind == TYPED_OPTIONAL ? "optional"
		                                                 : "required",
		               def);
	}
}

size_t typed_help(const struct typed_type *t, const char *prog, char *buf, size_t size)
{
	struct fmt_buf b = {buf, size, 0};
	fmt_buf_printf(&b, "usage: %s [options]\n", prog);
	if (t->kind == TYPED_RECORD)
		help_fields(&b, t, "");
	fmt_buf_printf(&b, "%-24s %s\n", "  --help", "print this help");
	return fmt_buf_end(&b);
}
