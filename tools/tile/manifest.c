/* Reading a manifest (docs/tile.md §13): one declaration per line, words
 * separated by blanks, "double quotes" around a word with blanks in it,
 * `#` to the end of the line a comment:
 *
 *   program NAME MAJOR.MINOR | library NAME MAJOR.MINOR
 *   cap NAME log|memory|module|endpoint|notify [RIGHTS] [SIZE] [optional]
 *   export SYMBOL func|data TYPE
 *   import LIBRARY MIN..MAX SYMBOL func|data TYPE
 *   args SCHEMA | config SCHEMA    (a typedc schema file, relative to the
 *                                  manifest's folder; at most once each)
 *   commands SCHEMA                (a library's: the types its commands name)
 *   command NAME SYMBOL [params=T] [in=none|table|list|T]
 *           [out=none|same|elem|T] [kinds=LETTERS] ["DOC"]
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <tessera/caps.h>

#include "model.h"

#define WORDS 12

struct line {
	const char *path;
	unsigned no;
	char *w[WORDS];
	unsigned n;
	struct model *m;
};

__attribute__((format(printf, 2, 3))) static int bad(const struct line *l, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%u: ", l->path, l->no);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* Splits buf (one line, modified) into words. */
static int split(struct line *l, char *p)
{
	l->n = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			return 0;
		if (l->n == WORDS)
			return bad(l, "more than %u words", WORDS);
		if (*p == '"') {
			l->w[l->n++] = ++p;
			while (*p && *p != '"')
				p++;
			if (!*p)
				return bad(l, "a quote is not closed");
		} else {
			l->w[l->n++] = p;
			while (*p && *p != ' ' && *p != '\t')
				p++;
		}
		if (*p)
			*p++ = 0;
	}
}

static int version(const struct line *l, const char *s, uint16_t *major, uint16_t *minor)
{
	char *end;
	unsigned long a = strtoul(s, &end, 10), b = 0;

	if (end != s && *end == '.')
		b = strtoul(end + 1, &end, 10);
	if (end == s || *end || a > 65535 || b > 65535)
		return bad(l, "'%s' is not a version MAJOR.MINOR", s);
	*major = (uint16_t)a;
	*minor = (uint16_t)b;
	return 0;
}

static int name_ok(const struct line *l, const char *s)
{
	if (!*s || strlen(s) >= TILE_MAX_NAME)
		return bad(l, "name '%s': empty or %u bytes or longer", s, TILE_MAX_NAME);
	return 0;
}

static int kind_of(const struct line *l, const char *s, uint16_t *kind)
{
	*kind = strcmp(s, "func") == 0 ? TILE_SYM_FUNC : strcmp(s, "data") == 0 ? TILE_SYM_DATA : 0;
	return *kind ? 0 : bad(l, "'%s' is not func or data", s);
}

static int rights_of(const struct line *l, const char *s, uint16_t *rights)
{
	*rights = 0;
	for (const char *p = s; *p; p++) {
		const char *all = "rwxgt";
		const char *at = strchr(all, *p);
		if (!at)
			return bad(l, "rights '%s': letters r w x g t only", s);
		*rights |= (uint16_t)(1u << (at - all));
	}
	return 0;
}

static int size_of(const struct line *l, const char *s, uint64_t *size)
{
	char *end;
	uint64_t v = strtoull(s, &end, 10);

	if (*end == 'K' || *end == 'M' || *end == 'G')
		v <<= *end == 'K' ? 10 : *end == 'M' ? 20 : 30, end++;
	if (end == s || *end || v < TILE_PAGE || (v & (v - 1)))
		return bad(l, "size '%s': a power of two of at least 4K (K, M, G suffixes)", s);
	*size = v;
	return 0;
}

static int cap_line(struct line *l)
{
	static const char *const types[] = {"",         "log",    "memory", "module",
	                                    "endpoint", "notify", "ioport", "irq",
	                                    "devframe", "devmem", "cnode"};
	struct tile_cap c = {0};

	if (l->n < 3 || name_ok(l, l->w[1]))
		return l->n < 3 ? bad(l, "cap NAME TYPE [RIGHTS] [SIZE] [optional]") : -1;
	for (uint16_t t = 1; t < TILE_CAP_TYPE_COUNT; t++)
		if (strcmp(l->w[2], types[t]) == 0)
			c.type = t;
	if (!c.type)
		return bad(l,
		           "cap %s: type '%s' is not log, memory, module, endpoint, notify, "
		           "ioport, irq, devframe, devmem or cnode",
		           l->w[1], l->w[2]);
	c.rights = c.type == TILE_CAP_MEMORY   ? CAP_RIGHT_RETYPE
	           : c.type == TILE_CAP_MODULE ? CAP_RIGHT_READ
	           : c.type == TILE_CAP_LOG    ? CAP_RIGHT_WRITE
	           : c.type == TILE_CAP_DEVMEM ? CAP_RIGHT_RETYPE
	           : c.type == TILE_CAP_CNODE  ? CAP_RIGHT_READ
	                                       : CAP_RIGHT_READ | CAP_RIGHT_WRITE;
	for (unsigned i = 3; i < l->n; i++) {
		if (strcmp(l->w[i], "optional") == 0)
			c.flags |= TILE_CAP_OPTIONAL;
		else if (c.type == TILE_CAP_MEMORY && !c.size) {
			if (size_of(l, l->w[i], &c.size))
				return -1;
		} else if (rights_of(l, l->w[i], &c.rights))
			return -1;
	}
	if (c.type == TILE_CAP_MEMORY && !c.size)
		return bad(l, "cap %s memory: a size is needed", l->w[1]);
	c.name = model_str(l->m, l->w[1]);
	*(struct tile_cap *)vec_push(&l->m->caps, sizeof c) = c;
	return 0;
}

/* The library entry named name with this range, made once. */
static int library(struct line *l, const char *name, const char *range, uint32_t *index)
{
	struct tile_library lib = {.name = model_str(l->m, name)};
	char buf[64];
	char *dots;

	if (name_ok(l, name) || strlen(range) >= sizeof buf)
		return -1;
	strcpy(buf, range);
	if (!(dots = strstr(buf, "..")))
		return bad(l, "version range '%s' is not MIN..MAX", range);
	*dots = 0;
	if (version(l, buf, &lib.min_major, &lib.min_minor) ||
	    version(l, dots + 2, &lib.max_major, &lib.max_minor))
		return -1;
	if ((lib.min_major << 16 | lib.min_minor) >= (lib.max_major << 16 | lib.max_minor))
		return bad(l, "version range '%s' is empty", range);
	for (size_t i = 0; i < l->m->libraries.n; i++) {
		struct tile_library *o = VEC_AT(&l->m->libraries, struct tile_library, i);
		if (o->name != lib.name)
			continue;
		if (memcmp(o, &lib, sizeof lib) != 0)
			return bad(l, "library %s: a second version range", name);
		*index = (uint32_t)i;
		return 0;
	}
	*(struct tile_library *)vec_push(&l->m->libraries, sizeof lib) = lib;
	*index = (uint32_t)(l->m->libraries.n - 1);
	return 0;
}

static int type_of(struct line *l, const char *text, uint32_t *index)
{
	char why[160];

	if (model_type(l->m, text, index, why, sizeof why))
		return bad(l, "type '%s': %s", text, why);
	return 0;
}

static int link_line(struct line *l, bool export)
{
	struct model *m = l->m;
	unsigned at = export ? 1 : 3;
	uint16_t kind;
	uint32_t type;

	if (l->n != at + 3)
		return bad(l, export ? "export SYMBOL func|data TYPE"
		                     : "import LIBRARY MIN..MAX SYMBOL func|data TYPE");
	if (name_ok(l, l->w[at]) || kind_of(l, l->w[at + 1], &kind) ||
	    type_of(l, l->w[at + 2], &type))
		return -1;
	if (export) {
		struct tile_export *e = vec_push(&m->exports, sizeof *e);
		*e = (struct tile_export){
		        .name = model_str(m, l->w[1]), .kind = kind, .type = type};
		return 0;
	}
	struct tile_import im = {.name = model_str(m, l->w[3]), .kind = kind, .type = type};
	if (library(l, l->w[1], l->w[2], &im.library))
		return -1;
	for (size_t i = 0; i < m->imports.n; i++)
		if (VEC_AT(&m->imports, struct tile_import, i)->name == im.name)
			return bad(l, "import %s: declared twice", l->w[3]);
	*(struct tile_import *)vec_push(&m->imports, sizeof im) = im;
	return 0;
}

/* The file named by word 1, relative to the manifest's folder (malloc'd). */
static char *relative(const struct line *l)
{
	const char *slash = strrchr(l->path, '/');
	size_t dir = slash && l->w[1][0] != '/' ? (size_t)(slash - l->path) + 1 : 0;
	char *path = malloc(dir + strlen(l->w[1]) + 1);

	if (path) {
		memcpy(path, l->path, dir);
		strcpy(path + dir, l->w[1]);
	}
	return path;
}

/* args SCHEMA, config SCHEMA, commands SCHEMA. */
static int schema_line(struct line *l, struct vec *v)
{
	char *path;

	if (l->n != 2)
		return bad(l, "%s SCHEMA (a schema file, lib/typed/README.md)", l->w[0]);
	if (v && v->n)
		return bad(l, "%s: given twice", l->w[0]);
	if (!(path = relative(l)))
		return bad(l, "out of memory");
	int e = v ? model_schema(l->m, v, path) : model_command_schema(l->m, path);
	free(path);
	return e ? bad(l, "%s %s: the schema is refused", l->w[0], l->w[1]) : 0;
}

/* A command's in= or out= (§16: lib/shell's enum shell_io) or a type. */
static int command_io(struct line *l, const char *v, bool out, uint8_t *io, uint32_t *type)
{
	static const char *const names[] = {"none", "", "table", "list", "same", "elem"};

	for (uint8_t k = 0; k <= TILE_CMD_IO_MAX; k++)
		if (k != 1 && strcmp(v, names[k]) == 0 && (k < 2 || (out ? k >= 4 : k < 4))) {
			*io = k;
			return 0;
		}
	*io = 1; /* a type */
	if (model_command_type(l->m, v, type))
		return bad(l, "command: '%s' is not %s nor a type of the commands schema", v,
		           out ? "none, same, elem" : "none, table, list");
	return 0;
}

static int command_line(struct line *l)
{
	struct tile_command c = {
	        .params = TILE_CMD_NONE, .input = TILE_CMD_NONE, .result = TILE_CMD_NONE, .abi = 1};
	struct model *m = l->m;

	if (l->n < 3 || name_ok(l, l->w[1]) || name_ok(l, l->w[2]))
		return l->n < 3 ? bad(l, "command NAME SYMBOL [params=T] [in=..] [out=..] "
		                         "[kinds=..] [DOC]")
		                : -1;
	if (!m->cmd_schema)
		return bad(l, "command %s: no `commands SCHEMA` line before it", l->w[1]);
	for (unsigned i = 3; i < l->n; i++) {
		const char *w = l->w[i];
		int e = 0;
		if (strncmp(w, "params=", 7) == 0) {
			if (model_command_type(m, w + 7, &c.params))
				e = bad(l, "command %s: no type '%s' in the commands schema",
				        l->w[1], w + 7);
		} else if (strncmp(w, "in=", 3) == 0) {
			e = command_io(l, w + 3, false, &c.in, &c.input);
		} else if (strncmp(w, "out=", 4) == 0) {
			e = command_io(l, w + 4, true, &c.out, &c.result);
		} else if (strncmp(w, "kinds=", 6) == 0) {
			c.kinds = model_str(m, w + 6);
		} else if (!c.doc) {
			c.doc = model_str(m, w);
		} else {
			e = bad(l, "command %s: '%s' is a second doc string (quote it)", l->w[1],
			        w);
		}
		if (e)
			return -1;
	}
	for (size_t i = 0; i < m->commands.n; i++)
		if (strcmp((char *)m->pool.data +
		                   VEC_AT(&m->commands, struct tile_command, i)->name,
		           l->w[1]) == 0)
			return bad(l, "command %s: declared twice", l->w[1]);
	c.name = model_str(m, l->w[1]);
	char *sym = strdup(l->w[2]);
	if (!sym)
		return bad(l, "out of memory");
	*(struct tile_command *)vec_push(&m->commands, sizeof c) = c;
	*(char **)vec_push(&m->command_syms, sizeof sym) = sym;
	return 0;
}

static int one_line(struct line *l, bool *named)
{
	const char *k = l->w[0];

	if (strcmp(k, "program") == 0 || strcmp(k, "library") == 0) {
		if (*named || l->n != 3 || name_ok(l, l->w[1]))
			return bad(l, "%s NAME MAJOR.MINOR, once, first", k);
		*named = true;
		l->m->h.kind = k[0] == 'p' ? TILE_KIND_PROGRAM : TILE_KIND_LIBRARY;
		l->m->h.name = model_str(l->m, l->w[1]);
		return version(l, l->w[2], &l->m->h.version_major, &l->m->h.version_minor);
	}
	if (!*named)
		return bad(l,
		           "the first declaration is program NAME VERSION or library NAME VERSION");
	if (strcmp(k, "cap") == 0)
		return cap_line(l);
	if (strcmp(k, "export") == 0 || strcmp(k, "import") == 0)
		return link_line(l, k[0] == 'e');
	if (strcmp(k, "args") == 0)
		return schema_line(l, &l->m->args);
	if (strcmp(k, "config") == 0)
		return schema_line(l, &l->m->config);
	if (strcmp(k, "commands") == 0)
		return schema_line(l, NULL);
	if (strcmp(k, "command") == 0)
		return command_line(l);
	return bad(l,
	           "'%s' is not program, library, cap, export, import, args, config, commands "
	           "or command",
	           k);
}

int manifest_read(struct model *m, const char *path, const char *text)
{
	struct line l = {.path = path, .m = m};
	bool named = false;
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *buf = strndup(p, n);
		l.no++;
		int e = !buf ? -1 : split(&l, buf);
		if (!e && l.n)
			e = one_line(&l, &named);
		free(buf);
		if (e)
			return -1;
		p += n + (nl != NULL);
	}
	if (!named) {
		fprintf(stderr, "%s: no program or library declaration\n", path);
		return -1;
	}
	if (m->h.kind == TILE_KIND_LIBRARY && (m->caps.n || m->args.n || m->config.n)) {
		fprintf(stderr, "%s: a library declares no caps, args or config\n", path);
		return -1;
	}
	if (m->h.kind == TILE_KIND_PROGRAM && (m->exports.n || m->commands.n)) {
		fprintf(stderr, "%s: a program exports nothing\n", path);
		return -1;
	}
	return 0;
}
