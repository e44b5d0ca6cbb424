/* Showing a checked tile, like readelf; see model.h. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <tessera/caps.h>
#include <tile/tile.h>
#include <typed/typed.h>

#include "model.h"

static const char *const cap_types[] = {"?",      "log", "memory",   "module", "endpoint", "notify",
                                        "ioport", "irq", "devframe", "devmem", "cnode"};

static void rights(FILE *out, uint32_t r)
{
	const char *letters = "rwxgt";

	for (unsigned i = 0; i < 5; i++)
		fputc(r & (1u << i) ? letters[i] : '-', out);
}

static void header(FILE *out, const struct tile *t)
{
	const struct tile_header *h = &t->h;

	fprintf(out, "tile %s: %s %s %u.%u, format %u, x86_64\n", t->file_name,
	        h->kind == TILE_KIND_PROGRAM ? "program" : "library", tile_str(t, h->name),
	        h->version_major, h->version_minor, h->format);
	fprintf(out,
	        "  entry 0x%" PRIx64 ", image 0x%" PRIx64 " bytes, base aligned to 0x%" PRIx64
	        ", file %" PRIu64 " bytes\n",
	        h->entry, h->image_size, h->image_align, h->file_size);
	fprintf(out, "  build id ");
	for (unsigned i = 0; i < TILE_BUILD_ID_BYTES; i++)
		fprintf(out, "%02x", h->build_id[i]);
	fprintf(out, "\nsegments (%u):\n", t->nsegments);
	for (uint32_t i = 0; i < t->nsegments; i++) {
		const struct tile_segment *s = &t->segments[i];
		fprintf(out,
		        "  [%u] 0x%08" PRIx64 " +0x%-7" PRIx64 " file 0x%06" PRIx64 " +0x%-6" PRIx64
		        " %c%c%c %s\n",
		        i, s->addr, s->memsz, s->file_offset, s->filesz,
		        s->prot & TILE_PROT_R ? 'r' : '-', s->prot & TILE_PROT_W ? 'w' : '-',
		        s->prot & TILE_PROT_X ? 'x' : '-', s->align_bits == 21 ? "2M" : "4K");
	}
	fprintf(out, "relocations: %" PRIu64 " words (%u relative entries, %u binds)\n",
	        tile_reloc_count(t), t->count[TILE_SEC_RELATIVE], t->count[TILE_SEC_BINDS]);
}

static void linking(FILE *out, const struct tile *t)
{
	for (uint32_t i = 0; i < t->count[TILE_SEC_LIBRARIES]; i++) {
		struct tile_library l;
		tile_record(t, TILE_SEC_LIBRARIES, i, &l);
		fprintf(out, "library %s [%u.%u, %u.%u)\n", tile_str(t, l.name), l.min_major,
		        l.min_minor, l.max_major, l.max_minor);
	}
	for (uint32_t i = 0; i < t->count[TILE_SEC_IMPORTS]; i++) {
		struct tile_import im;
		struct tile_library l;
		tile_record(t, TILE_SEC_IMPORTS, i, &im);
		tile_record(t, TILE_SEC_LIBRARIES, im.library, &l);
		fprintf(out, "import %s.%s %s : %s [%016" PRIx64 "]\n", tile_str(t, l.name),
		        tile_str(t, im.name), im.kind == TILE_SYM_FUNC ? "func" : "data",
		        tile_type_text(t, im.type), tile_type_hash(t, im.type));
	}
	for (uint32_t i = 0; i < t->count[TILE_SEC_EXPORTS]; i++) {
		struct tile_export ex;
		tile_record(t, TILE_SEC_EXPORTS, i, &ex);
		fprintf(out, "export %s %s at 0x%" PRIx64 " : %s [%016" PRIx64 "]\n",
		        tile_str(t, ex.name), ex.kind == TILE_SYM_FUNC ? "func" : "data", ex.value,
		        tile_type_text(t, ex.type), tile_type_hash(t, ex.type));
	}
}

static void manifest(FILE *out, const struct tile *t)
{
	for (uint32_t i = 0; i < t->count[TILE_SEC_CAPS]; i++) {
		struct tile_cap c;
		tile_record(t, TILE_SEC_CAPS, i, &c);
		fprintf(out, "cap %s %s ", tile_str(t, c.name), cap_types[c.type]);
		rights(out, c.rights);
		if (c.type == TILE_CAP_MEMORY)
			fprintf(out, " %" PRIu64 " KiB", c.size >> 10);
		fprintf(out, "%s\n", c.flags & TILE_CAP_OPTIONAL ? " optional" : "");
	}
}

/* A field of a schema: its option (--name) or its path (programs[].core),
 * what it is for, what it accepts, its default; a record's fields (in a
 * list or not) after it, indented. */
static void field(FILE *out, const struct typed_field *f, bool option, const char *prefix,
                  unsigned depth)
{
	char name[TYPED_PATH_MAX], want[TYPED_MSG_MAX], def[128] = "";
	const struct typed_type *t = f->type;

	snprintf(name, sizeof name, "%s%s", option ? "--" : prefix, f->name);
	for (char *p = name + 2 * option; option && *p; p++)
		*p = *p == '_' ? '-' : *p;
	typed_describe(t, want, sizeof want);
	if (f->def)
		typed_print(f->def, def, sizeof def);
	def[strcspn(def, "\n")] = 0;
	fprintf(out, "  %*s%-*s %s%s%s (%s%s)\n", (int)(2 * depth), "", 22 - (int)(2 * depth), name,
	        f->doc, f->doc[0] ? ": " : "", want,
	        f->def                      ? "default "
	        : t->kind == TYPED_OPTIONAL ? "optional"
	                                    : "required",
	        def);
	t = t->kind == TYPED_OPTIONAL ? t->inner : t;
	bool list = t->kind == TYPED_LIST;
	t = list ? t->list.elem : t;
	if (t->kind != TYPED_RECORD || depth >= 4)
		return;
	snprintf(name, sizeof name, "%s%s%s.", option ? "" : prefix, f->name, list ? "[]" : "");
	for (uint32_t i = 0; i < t->rec.count; i++)
		field(out, &t->rec.fields[i], false, name, depth + 1);
}

/* The argument and configuration schemas, decoded (lib/typed). */
static void schemas(FILE *out, const struct tile *t)
{
	size_t size = 1u << 20;
	void *mem = malloc(size);

	for (unsigned sec = TILE_SEC_ARGS; mem && sec <= TILE_SEC_CONFIG; sec++) {
		struct tile_schema s;
		struct typed_arena a;
		struct typed_error err;
		const struct typed_type *ty;
		uint32_t n;
		if (!tile_schema_of(t, sec, &s))
			continue;
		const uint8_t *d = tile_type_desc(t, s.type, &n);
		typed_arena_init(&a, mem, size);
		fprintf(out, "%s %s [%016" PRIx64 "]", sec == TILE_SEC_ARGS ? "args" : "config",
		        tile_str(t, s.name), tile_type_hash(t, s.type));
		if (typed_desc_decode(d, n, &a, &ty, &err) != ERR_OK) {
			fprintf(out, ": its descriptor is refused: %s\n", err.msg);
			continue;
		}
		fprintf(out, ", %u fields%s\n", ty->rec.count,
		        typed_desc_id(ty) == tile_type_hash(t, s.type) ? ""
		                                                       : " (NOT its identity)");
		for (uint32_t i = 0; i < ty->rec.count; i++)
			field(out, &ty->rec.fields[i], sec == TILE_SEC_ARGS, "", 0);
	}
	free(mem);
}

/* A command's input or result (§16): none, table, list, same, elem, or
 * its type's text. */
static const char *io_text(const struct tile *t, uint8_t io, uint32_t type)
{
	static const char *const names[] = {"none", "?", "table", "list", "same", "elem"};

	if (io == 1)
		return type == TILE_CMD_NONE ? "?" : tile_type_text(t, type);
	return io <= TILE_CMD_IO_MAX ? names[io] : "?";
}

/* A command library's commands (§16): name, parameters, input, result. */
static void commands(FILE *out, const struct tile *t)
{
	if (t->count[TILE_SEC_COMMANDS])
		fprintf(out, "commands (%u):\n", t->count[TILE_SEC_COMMANDS]);
	for (uint32_t i = 0; i < t->count[TILE_SEC_COMMANDS]; i++) {
		struct tile_command c;
		tile_record(t, TILE_SEC_COMMANDS, i, &c);
		fprintf(out,
		        "  %-8s 0x%08" PRIx64 " params %s in %s out %s kinds '%s' abi %u: %s\n",
		        tile_str(t, c.name), c.value,
		        c.params == TILE_CMD_NONE ? "none" : tile_type_text(t, c.params),
		        io_text(t, c.in, c.input), io_text(t, c.out, c.result),
		        tile_str(t, c.kinds), c.abi, tile_str(t, c.doc));
	}
}

void tile_show(FILE *out, const struct tile *t, bool all)
{
	header(out, t);
	linking(out, t);
	manifest(out, t);
	schemas(out, t);
	commands(out, t);
	fprintf(out, "symbols: %u\n", t->count[TILE_SEC_SYMBOLS]);
	for (uint32_t i = 0; all && i < t->count[TILE_SEC_SYMBOLS]; i++) {
		struct tile_symbol s;
		tile_record(t, TILE_SEC_SYMBOLS, i, &s);
		fprintf(out, "  0x%08" PRIx64 " %6" PRIu64 " %s %s\n", s.value, s.size,
		        s.kind == TILE_SYM_FUNC ? "func" : "data", tile_str(t, s.name));
	}
}
