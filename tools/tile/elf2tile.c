/* From lld's output to a tile's model: a position-independent ELF (ET_DYN,
 * linked with -pie or -shared) gives the segments, the entry, the build id,
 * the relocations (relative ones packed, those to undefined symbols bound
 * to the imports the manifest declared), the exports' values and the
 * optional symbol table.  See model.h and docs/tile.md §14. */
#include <elf/elf.h>
#include <elf/load.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

#define R_X86_64_NONE      0
#define R_X86_64_64        1
#define R_X86_64_GLOB_DAT  6
#define R_X86_64_JUMP_SLOT 7
#define R_X86_64_RELATIVE  8
#define NT_GNU_BUILD_ID    3
#define SHT_NOTE           7

struct conv {
	struct model *m;
	const char *path;
	struct elf_file f;
	struct elf_exec x;
	struct elf_symtab dyn; /* .dynsym (count 0: none) */
};

__attribute__((format(printf, 2, 3))) static int bad(const struct conv *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", c->path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

static int segments(struct conv *c)
{
	for (uint16_t i = 0; i < c->x.phnum; i++) {
		struct elf64_phdr ph;
		elf_exec_phdr(&c->x, i, &ph);
		if (ph.p_type != ELF_PT_LOAD || !ph.p_memsz)
			continue;
		if (ph.p_vaddr % TILE_PAGE)
			return bad(c,
			           "phdr[%u].p_vaddr 0x%llx: segments must start on a page (link "
			           "with a script that aligns them)",
			           i, (unsigned long long)ph.p_vaddr);
		struct model_segment *s = vec_push(&c->m->segments, sizeof *s);
		s->s = (struct tile_segment){.addr = ph.p_vaddr,
		                             .memsz = (ph.p_memsz + TILE_PAGE - 1) &
		                                      ~(TILE_PAGE - 1),
		                             .filesz = ph.p_filesz,
		                             .prot = (ph.p_flags & ELF_PF_R ? TILE_PROT_R : 0) |
		                                     (ph.p_flags & ELF_PF_W ? TILE_PROT_W : 0) |
		                                     (ph.p_flags & ELF_PF_X ? TILE_PROT_X : 0),
		                             .align_bits = ph.p_align >= TILE_LARGE_PAGE ? 21 : 12};
		s->bytes = malloc(ph.p_filesz ? ph.p_filesz : 1);
		if (!s->bytes)
			return bad(c, "out of memory");
		memcpy(s->bytes, c->f.data + ph.p_offset, ph.p_filesz);
		if (s->s.align_bits == 21)
			c->m->h.image_align = TILE_LARGE_PAGE;
	}
	if (c->m->segments.n > TILE_MAX_SEGMENTS)
		return bad(c, "%zu segments, a tile holds %u", c->m->segments.n, TILE_MAX_SEGMENTS);
	c->m->h.image_size = c->x.vend;
	return 0;
}

/* The 8 bytes at image offset off, inside a segment's file bytes (grown
 * to cover it if it is in the zero part). */
static uint8_t *word_at(struct conv *c, uint64_t off, bool *code)
{
	for (size_t i = 0; i < c->m->segments.n; i++) {
		struct model_segment *s = VEC_AT(&c->m->segments, struct model_segment, i);
		if (off < s->s.addr || off + 8 > s->s.addr + s->s.memsz)
			continue;
		uint64_t in = off - s->s.addr;
		if (in + 8 > s->s.filesz) {
			s->bytes = realloc(s->bytes, in + 8);
			memset(s->bytes + s->s.filesz, 0, in + 8 - s->s.filesz);
			s->s.filesz = in + 8;
		}
		*code = s->s.prot & TILE_PROT_X;
		return s->bytes + in;
	}
	return NULL;
}

/* The import the manifest declared for symbol name, or -1. */
static int import_of(const struct model *m, const char *name)
{
	const char *pool = m->pool.data;

	for (size_t i = 0; i < m->imports.n; i++)
		if (strcmp(pool + VEC_AT(&m->imports, struct tile_import, i)->name, name) == 0)
			return (int)i;
	return -1;
}

static int one_rela(struct conv *c, const struct elf64_rela *r)
{
	uint32_t type = (uint32_t)r->r_info, symi = (uint32_t)(r->r_info >> 32);
	bool code = false;
	uint8_t *w = word_at(c, r->r_offset, &code);
	const struct elf64_sym *sym = symi && symi < c->dyn.count ? &c->dyn.syms[symi] : NULL;
	uint64_t v;

	if (type == R_X86_64_NONE)
		return 0;
	if (!w || r->r_offset % 8)
		return bad(c, "relocation at 0x%llx: not an aligned word inside a segment",
		           (unsigned long long)r->r_offset);
	if (code)
		return bad(c,
		           "relocation at 0x%llx is in code (a text relocation: build with -fPIC "
		           "or -fPIE)",
		           (unsigned long long)r->r_offset);
	if (type != R_X86_64_RELATIVE && type != R_X86_64_64 && type != R_X86_64_GLOB_DAT &&
	    type != R_X86_64_JUMP_SLOT)
		return bad(c,
		           "relocation type %u at 0x%llx is not one a tile carries (RELATIVE, 64, "
		           "GLOB_DAT, JUMP_SLOT)",
		           type, (unsigned long long)r->r_offset);
	if (type != R_X86_64_RELATIVE && !sym)
		return bad(c, "relocation at 0x%llx: symbol %u not in .dynsym",
		           (unsigned long long)r->r_offset, symi);
	if (type == R_X86_64_RELATIVE || sym->st_shndx != ELF_SHN_UNDEF) {
		v = (type == R_X86_64_RELATIVE ? 0 : sym->st_value) +
		    (type == R_X86_64_GLOB_DAT || type == R_X86_64_JUMP_SLOT
		             ? 0
		             : (uint64_t)r->r_addend);
		memcpy(w, &v, 8);
		*(uint64_t *)vec_push(&c->m->relative, 8) = r->r_offset;
		return 0;
	}
	const char *name = elf_sym_name(&c->dyn, sym);
	int im = name ? import_of(c->m, name) : -1;
	if (im < 0)
		return bad(c,
		           "'%s' is imported but the manifest declares no import of it (import "
		           "LIBRARY MIN..MAX %s func|data TYPE)",
		           name ? name : "?", name ? name : "?");
	struct tile_bind *b = vec_push(&c->m->binds, sizeof *b);
	*b = (struct tile_bind){.offset = r->r_offset,
	                        .import = (uint32_t)im,
	                        .addend = type == R_X86_64_64 ? r->r_addend : 0};
	memset(w, 0, 8);
	return 0;
}

static int relocations(struct conv *c)
{
	for (size_t i = 0; i < c->f.ehdr->e_shnum; i++) {
		const struct elf64_shdr *sh = elf_shdr(&c->f, i);
		if (sh->sh_type != ELF_SHT_RELA || !(sh->sh_flags & ELF_SHF_ALLOC))
			continue;
		const uint8_t *data = elf_section_data(&c->f, sh);
		if (!data || sh->sh_entsize != sizeof(struct elf64_rela))
			return bad(c, "section %zu: a relocation table outside the file", i);
		for (uint64_t k = 0; k < sh->sh_size / sizeof(struct elf64_rela); k++) {
			struct elf64_rela r;
			memcpy(&r, data + k * sizeof r, sizeof r);
			if (one_rela(c, &r))
				return -1;
		}
	}
	return 0;
}

/* .dynsym, if there is one. */
static int dynsym(struct conv *c)
{
	for (size_t i = 0; i < c->f.ehdr->e_shnum; i++) {
		const struct elf64_shdr *sh = elf_shdr(&c->f, i);
		if (sh->sh_type != ELF_SHT_DYNSYM)
			continue;
		const struct elf64_shdr *str = elf_shdr(&c->f, sh->sh_link);
		c->dyn.syms = elf_section_data(&c->f, sh);
		c->dyn.strtab = str ? elf_section_data(&c->f, str) : NULL;
		if (!c->dyn.syms || !c->dyn.strtab || sh->sh_entsize != sizeof(struct elf64_sym))
			return bad(c, ".dynsym: malformed");
		c->dyn.count = sh->sh_size / sizeof(struct elf64_sym);
		c->dyn.strtab_size = str->sh_size;
	}
	return 0;
}

/* If name is a command's function (§16): its value (a function), 1; -1
 * refused; 0 not a command's. */
static int command_value(struct conv *c, const struct elf64_sym *s, const char *name)
{
	struct model *m = c->m;
	int found = 0;

	for (size_t k = 0; k < m->command_syms.n; k++) {
		if (strcmp(*VEC_AT(&m->command_syms, char *, k), name) != 0)
			continue;
		if (elf_st_type(s->st_info) != ELF_STT_FUNC)
			return bad(c, "command function '%s' is not a function", name);
		struct tile_command *cmd = VEC_AT(&m->commands, struct tile_command, k);
		cmd->value = s->st_value;
		cmd->reserved = 1; /* found (cleared in exports) */
		found = 1;
	}
	return found;
}

/* Every global symbol the library defines is a declared export or a
 * command's function, and every declared one is defined with the kind
 * declared. */
static int exports(struct conv *c)
{
	struct model *m = c->m;
	const char *pool = m->pool.data;

	for (size_t i = 1; i < c->dyn.count; i++) {
		const struct elf64_sym *s = &c->dyn.syms[i];
		const char *name = elf_sym_name(&c->dyn, s);
		if (s->st_shndx == ELF_SHN_UNDEF || elf_st_bind(s->st_info) == ELF_STB_LOCAL ||
		    !name)
			continue;
		if (command_value(c, s, name) != 0)
			continue; /* a command's function (§16), or refused */
		size_t k = 0;
		while (k < m->exports.n &&
		       strcmp(pool + VEC_AT(&m->exports, struct tile_export, k)->name, name) != 0)
			k++;
		if (k == m->exports.n)
			return bad(c,
			           "'%s' is exported but the manifest gives it no type (export %s "
			           "func|data TYPE)",
			           name, name);
		struct tile_export *e = VEC_AT(&m->exports, struct tile_export, k);
		unsigned t = elf_st_type(s->st_info);
		if ((e->kind == TILE_SYM_FUNC) != (t == ELF_STT_FUNC))
			return bad(c, "'%s' is declared %s but the ELF symbol is not", name,
			           e->kind == TILE_SYM_FUNC ? "func" : "data");
		e->value = s->st_value;
		e->reserved[0] = 1; /* found (cleared below) */
	}
	for (size_t k = 0; k < m->exports.n; k++) {
		struct tile_export *e = VEC_AT(&m->exports, struct tile_export, k);
		if (!e->reserved[0])
			return bad(c, "the manifest exports '%s', which the ELF does not define",
			           pool + e->name);
		e->reserved[0] = 0;
	}
	for (size_t k = 0; k < m->commands.n; k++) {
		struct tile_command *cmd = VEC_AT(&m->commands, struct tile_command, k);
		if (!cmd->reserved)
			return bad(c, "command %s: the ELF does not define its function '%s'",
			           pool + cmd->name, *VEC_AT(&m->command_syms, char *, k));
		cmd->reserved = 0;
	}
	return 0;
}

static int symbols(struct conv *c)
{
	struct elf_symtab st;

	if (elf_symtab_open(&c->f, &st))
		return 0;
	for (size_t i = 1; i < st.count; i++) {
		const struct elf64_sym *s = &st.syms[i];
		unsigned t = elf_st_type(s->st_info);
		const char *name = elf_sym_name(&st, s);
		if ((t != ELF_STT_FUNC && t != ELF_STT_OBJECT) || s->st_shndx == ELF_SHN_UNDEF ||
		    s->st_shndx >= 0xff00u || !name || !*name || s->st_value > c->x.vend)
			continue;
		struct tile_symbol *y = vec_push(&c->m->symbols, sizeof *y);
		*y = (struct tile_symbol){.value = s->st_value,
		                          .size = s->st_size,
		                          .name = model_str(c->m, name),
		                          .kind = t == ELF_STT_FUNC ? TILE_SYM_FUNC
		                                                    : TILE_SYM_DATA};
	}
	return 0;
}

static int build_id(struct conv *c)
{
	for (size_t i = 0; i < c->f.ehdr->e_shnum; i++) {
		const struct elf64_shdr *sh = elf_shdr(&c->f, i);
		const uint8_t *d = elf_section_data(&c->f, sh);
		uint32_t note[3];
		if (sh->sh_type != SHT_NOTE || !d || sh->sh_size < 16)
			continue;
		memcpy(note, d, sizeof note);
		if (note[0] == 4 && note[2] == NT_GNU_BUILD_ID && note[1] == TILE_BUILD_ID_BYTES &&
		    sh->sh_size >= 16 + TILE_BUILD_ID_BYTES && memcmp(d + 12, "GNU", 4) == 0) {
			memcpy(c->m->h.build_id, d + 16, TILE_BUILD_ID_BYTES);
			return 0;
		}
	}
	return bad(c, "no 20-byte build id note (link with --build-id=sha1)");
}

int elf_to_model(struct model *m, const char *path, const uint8_t *elf, size_t size,
                 bool with_symbols)
{
	static const struct elf_expect want = {
	        .machine = ELF_EM_X86_64, .type = ELF_ET_DYN, .max_align = TILE_LARGE_PAGE};
	struct conv c = {.m = m, .path = path};
	char why[160];

	if (elf_open(&c.f, elf, size))
		return bad(&c, "not an ELF file this tool reads");
	if (elf_exec_check(elf, size, &want, &c.x, why, sizeof why))
		return bad(&c, "%s (link with -pie or -shared)", why);
	if (c.x.vbase != 0)
		return bad(&c,
		           "the image starts at 0x%llx: a position-independent link starts at 0",
		           (unsigned long long)c.x.vbase);
	if (segments(&c) || dynsym(&c) || build_id(&c) || relocations(&c) || exports(&c))
		return -1;
	if (with_symbols && symbols(&c))
		return -1;
	m->h.entry = m->h.kind == TILE_KIND_PROGRAM ? c.x.entry : 0;
	return 0;
}
