/* Showing a checked tile, like readelf; see model.h. */
#include <inttypes.h>
#include <tessera/caps.h>
#include <tile/tile.h>

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
	for (unsigned sec = TILE_SEC_ARGS; sec <= TILE_SEC_CONFIG; sec++)
		for (uint32_t i = 0; i < t->count[sec]; i++) {
			struct tile_field f;
			tile_record(t, sec, i, &f);
			fprintf(out, "%s %s : %s%s", sec == TILE_SEC_ARGS ? "arg" : "config",
			        tile_str(t, f.name), tile_type_text(t, f.type),
			        f.flags & TILE_FIELD_REQUIRED ? " required" : "");
			if (f.deflt)
				fprintf(out, " default %s", tile_str(t, f.deflt));
			if (f.doc)
				fprintf(out, " -- %s", tile_str(t, f.doc));
			fputc('\n', out);
		}
}

void tile_show(FILE *out, const struct tile *t, bool all)
{
	header(out, t);
	linking(out, t);
	manifest(out, t);
	fprintf(out, "symbols: %u\n", t->count[TILE_SEC_SYMBOLS]);
	for (uint32_t i = 0; all && i < t->count[TILE_SEC_SYMBOLS]; i++) {
		struct tile_symbol s;
		tile_record(t, TILE_SEC_SYMBOLS, i, &s);
		fprintf(out, "  0x%08" PRIx64 " %6" PRIu64 " %s %s\n", s.value, s.size,
		        s.kind == TILE_SYM_FUNC ? "func" : "data", tile_str(t, s.name));
	}
}
