/* The C header typedc generates from a schema: enums, structs, the root's
 * canonical descriptor and identity, and functions that fill the root's
 * struct from a checked value, a message, a configuration text or a
 * command line (see gen.h). */
#include "gen.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Writes s with "*" "/" kept apart, for comments. */
static void comment_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		fputc(*s, out);
		if (s[0] == '*' && s[1] == '/')
			fputc(' ', out);
	}
}

static void upper(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc(toupper((unsigned char)*s), out);
}

/* The C type of t (not optional) into buf: "uint64_t", "struct x", ... */
static void c_type(const struct typed_type *t, char *buf, size_t size)
{
	char elem[256];
	switch (t->kind) {
	case TYPED_BOOL: snprintf(buf, size, "bool"); break;
	case TYPED_INT: snprintf(buf, size, "int64_t"); break;
	case TYPED_ENUM: snprintf(buf, size, "enum %s", t->name); break;
	case TYPED_STRING:
	case TYPED_PATH: snprintf(buf, size, "const char *"); break;
	case TYPED_CAP: snprintf(buf, size, "struct typed_capref"); break;
	case TYPED_RECORD: snprintf(buf, size, "struct %s", t->name); break;
	case TYPED_LIST:
		c_type(t->list.elem, elem, sizeof elem);
		snprintf(buf, size, "struct { uint32_t count; %s%s*items; }", elem,
		         elem[strlen(elem) - 1] == '*' ? "" : " ");
		break;
	default: snprintf(buf, size, "uint64_t"); break; /* UINT SIZE DURATION */
	}
}

/* A declaration "TYPE name" (no space after a pointer's '*'). */
static void member(FILE *out, const struct typed_type *t, const char *name)
{
	char ct[512];
	c_type(t, ct, sizeof ct);
	fprintf(out, "\t%s%s%s;", ct, ct[strlen(ct) - 1] == '*' ? "" : " ", name);
}

static void gen_enum(FILE *out, const struct typed_type *t)
{
	fprintf(out, "enum %s {\n", t->name);
	for (uint32_t i = 0; i < t->en.count; i++) {
		fputc('\t', out);
		upper(out, t->name);
		fputc('_', out);
		upper(out, t->en.names[i]);
		fprintf(out, " = %u,\n", i);
	}
	fprintf(out, "};\n\n/* Their names, as written in text. */\n");
	fprintf(out, "static const char *const %s_names[%u] = {", t->name, t->en.count);
	for (uint32_t i = 0; i < t->en.count; i++)
		fprintf(out, "%s\"%s\"", i ? ", " : "", t->en.names[i]);
	fprintf(out, "};\n\n");
}

/* Enums declared inline in rec's fields (named RECORD_FIELD), once each. */
static void gen_inline_enums(FILE *out, const struct typed_type *rec, const struct schema *s)
{
	for (uint32_t i = 0; i < rec->rec.count; i++) {
		const struct typed_type *t = rec->rec.fields[i].type;
		if (t->kind == TYPED_OPTIONAL)
			t = t->inner;
		while (t->kind == TYPED_LIST)
			t = t->list.elem;
		bool declared = false;
		for (unsigned d = 0; d < s->ndecls; d++)
			declared |= s->decls[d].type == t;
		if (t->kind == TYPED_ENUM && !declared)
			gen_enum(out, t);
	}
}

static void gen_struct(FILE *out, const struct schema_decl *d)
{
	const struct typed_type *t = d->type;
	if (d->doc[0]) {
		fprintf(out, "/* ");
		comment_text(out, d->doc);
		fprintf(out, " */\n");
	}
	fprintf(out, "struct %s {\n", t->name);
	for (uint32_t i = 0; i < t->rec.count; i++) {
		const struct typed_field *f = &t->rec.fields[i];
		const struct typed_type *ft = f->type;
		if (ft->kind == TYPED_OPTIONAL) {
			fprintf(out, "\tbool has_%s; /* whether %s was given */\n", f->name,
			        f->name);
			ft = ft->inner;
		}
		member(out, ft, f->name);
		if (f->doc[0]) {
			fprintf(out, " /* ");
			comment_text(out, f->doc);
			fprintf(out, " */");
		}
		fputc('\n', out);
	}
	if (!t->rec.count)
		fprintf(out, "\tchar unused; /* no fields */\n");
	fprintf(out, "};\n\n");
}

static void indent(FILE *out, unsigned n)
{
	while (n--)
		fputc('\t', out);
}

/* Code storing value `it<depth>` of type t into lvalue dst. */
static void gen_convert(FILE *out, const struct typed_type *t, const char *dst, unsigned depth,
                        unsigned tabs)
{
	indent(out, tabs);
	switch (t->kind) {
	case TYPED_BOOL: fprintf(out, "%s = it%u->b;\n", dst, depth); break;
	case TYPED_INT: fprintf(out, "%s = it%u->i;\n", dst, depth); break;
	case TYPED_ENUM: fprintf(out, "%s = (enum %s)it%u->u;\n", dst, t->name, depth); break;
	case TYPED_STRING:
	case TYPED_PATH: fprintf(out, "%s = it%u->str.s;\n", dst, depth); break;
	case TYPED_CAP:
		fprintf(out, "%s = (struct typed_capref){it%u->cap.name, it%u->cap.slot};\n", dst,
		        depth, depth);
		break;
	case TYPED_RECORD:
		fprintf(out, "if ((e = %s_from_value(it%u, a, &%s)) != ERR_OK)\n", t->name, depth,
		        dst);
		indent(out, tabs + 1);
		fprintf(out, "return e;\n");
		break;
	case TYPED_LIST: {
		char item[512];
		fprintf(out, "%s.count = it%u->list.count;\n", dst, depth);
		indent(out, tabs);
		fprintf(out,
		        "%s.items = typed_arena_alloc(a, it%u->list.count * sizeof *%s.items);\n",
		        dst, depth, dst);
		indent(out, tabs);
		fprintf(out, "if (it%u->list.count && !%s.items)\n", depth, dst);
		indent(out, tabs + 1);
		fprintf(out, "return ERR_NOMEM;\n");
		indent(out, tabs);
		fprintf(out, "for (uint32_t i%u = 0; i%u < it%u->list.count; i%u++) {\n", depth,
		        depth, depth, depth);
		indent(out, tabs + 1);
		fprintf(out, "const struct typed_value *it%u = &it%u->list.items[i%u];\n",
		        depth + 1, depth, depth);
		snprintf(item, sizeof item, "%s.items[i%u]", dst, depth);
		gen_convert(out, t->list.elem, item, depth + 1, tabs + 1);
		indent(out, tabs);
		fprintf(out, "}\n");
		break;
	}
	default: fprintf(out, "%s = it%u->u;\n", dst, depth); break;
	}
}

static void gen_from_value(FILE *out, const struct typed_type *t)
{
	fprintf(out,
	        "/* Fills *out from it0, a checked value of struct %s's type (strings\n"
	        " * point into it, lists are allocated in a). */\n"
	        "static inline enum err %s_from_value(const struct typed_value *it0,\n"
	        "                                     struct typed_arena *a, struct %s *out)\n"
	        "{\n"
	        "\tenum err e = ERR_OK;\n"
	        "\t(void)a;\n"
	        "\t(void)e;\n"
	        "\tif (it0->type->kind != TYPED_RECORD || it0->list.count != %u)\n"
	        "\t\treturn ERR_TYPE;\n",
	        t->name, t->name, t->name, t->rec.count);
	for (uint32_t i = 0; i < t->rec.count; i++) {
		const struct typed_field *f = &t->rec.fields[i];
		char dst[128];
		fprintf(out, "\t{\n\t\tconst struct typed_value *it1 = &it0->list.items[%u];\n", i);
		snprintf(dst, sizeof dst, "out->%s", f->name);
		if (f->type->kind == TYPED_OPTIONAL) {
			fprintf(out, "\t\tout->has_%s = it1->some != NULL;\n", f->name);
			fprintf(out, "\t\tif (it1->some) {\n"
			             "\t\t\tconst struct typed_value *it2 = it1->some;\n");
			gen_convert(out, f->type->inner, dst, 2, 3);
			fprintf(out, "\t\t}\n");
		} else {
			gen_convert(out, f->type, dst, 1, 2);
		}
		fprintf(out, "\t}\n");
	}
	fprintf(out, "\treturn ERR_OK;\n}\n\n");
}

static void gen_api(FILE *out, const char *r)
{
	fprintf(out,
	        "/* struct %s's type, rebuilt from %s_desc in a. */\n"
	        "static inline enum err %s_type(struct typed_arena *a, const struct typed_type "
	        "**t,\n"
	        "                               struct typed_error *err)\n"
	        "{\n"
	        "\treturn typed_desc_decode(%s_desc, sizeof %s_desc, a, t, err);\n"
	        "}\n\n",
	        r, r, r, r, r);
	fprintf(out,
	        "/* Decodes a message (typed_encode) of struct %s's type into *out. */\n"
	        "static inline enum err %s_decode(const uint8_t *msg, size_t len, struct "
	        "typed_arena *a,\n"
	        "                                 struct %s *out, struct typed_error *err)\n"
	        "{\n"
	        "\tconst struct typed_type *t;\n"
	        "\tstruct typed_value *v;\n"
	        "\tenum err e = %s_type(a, &t, err);\n"
	        "\tif (e == ERR_OK)\n\t\te = typed_decode(t, msg, len, a, &v, err);\n"
	        "\treturn e == ERR_OK ? %s_from_value(v, a, out) : e;\n"
	        "}\n\n",
	        r, r, r, r, r);
	fprintf(out,
	        "/* Checks a configuration text against struct %s's type into *out;\n"
	        " * every problem goes to d. */\n"
	        "static inline enum err %s_load(const char *text, size_t len, struct typed_arena "
	        "*a,\n"
	        "                               struct %s *out, struct typed_diag *d)\n"
	        "{\n"
	        "\tconst struct typed_type *t;\n"
	        "\tstruct typed_value *v;\n"
	        "\tstruct typed_error err;\n"
	        "\tenum err e = %s_type(a, &t, &err);\n"
	        "\tif (e != ERR_OK) {\n"
	        "\t\tif (d->fn)\n\t\t\td->fn(d->ctx, &err);\n"
	        "\t\td->count++;\n"
	        "\t\treturn e;\n"
	        "\t}\n"
	        "\te = typed_text_load(t, text, len, a, &v, d);\n"
	        "\treturn e == ERR_OK ? %s_from_value(v, a, out) : e;\n"
	        "}\n\n",
	        r, r, r, r, r);
}

/* The descriptor's bytes as a C array. */
static int gen_desc(FILE *out, const struct schema *s)
{
	enum err e;
	size_t n = typed_desc_encode(s->root, true, NULL, 0, &e);
	uint8_t *buf = malloc(n);
	if (!buf || (typed_desc_encode(s->root, true, buf, n, &e), e != ERR_OK)) {
		free(buf);
		return -1;
	}
	fprintf(out,
	        "/* The canonical descriptor of struct %s (lib/typed/README.md) and its\n"
	        " * identity (typed_desc_id), which every message of this type starts with. */\n"
	        "static const uint8_t %s_desc[%zu] = {",
	        s->root_name, s->root_name, n);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s0x%02x,", i % 12 ? " " : "\n\t", buf[i]);
	fprintf(out, "\n};\n#define ");
	upper(out, s->root_name);
	fprintf(out, "_ID 0x%016llxull\n\n", (unsigned long long)typed_desc_id(s->root));
	free(buf);
	return 0;
}

int gen_header(const struct schema *s, const char *source, FILE *out)
{
	fprintf(out, "/* Generated by tools/typedc from %s; do not edit. */\n#ifndef TYPED_GEN_",
	        source);
	upper(out, s->root_name);
	fprintf(out, "_H\n#define TYPED_GEN_");
	upper(out, s->root_name);
	fprintf(out, "_H\n\n#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n"
	             "#include <typed/typed.h>\n\n");
	for (unsigned i = 0; i < s->ndecls; i++) {
		const struct typed_type *t = s->decls[i].type;
		if (t->kind == TYPED_ENUM)
			gen_enum(out, t);
		if (!s->decls[i].record)
			continue;
		gen_inline_enums(out, t, s);
		gen_struct(out, &s->decls[i]);
		gen_from_value(out, t);
	}
	if (gen_desc(out, s) != 0)
		return -1;
	gen_api(out, s->root_name);
	fprintf(out, "#endif\n");
	return ferror(out) ? -1 : 0;
}
