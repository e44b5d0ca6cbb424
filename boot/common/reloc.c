/* KASLR base choice and R_X86_64_RELATIVE relocation; see reloc.h. */
#include "reloc.h"

#include <fmt/fmt.h>
#include <fmt/why.h>
#include <string/mem.h>

/* Dynamic tags (gABI 5 "Dynamic Section"; DT_RELR: gABI draft, 2022). */
#define DT_NULL     0
#define DT_NEEDED   1
#define DT_PLTRELSZ 2
#define DT_RELA     7
#define DT_RELASZ   8
#define DT_RELAENT  9
#define DT_REL      17
#define DT_RELSZ    18
#define DT_JMPREL   23
#define DT_RELRSZ   35
#define DT_RELR     36

/* x86-64 psABI relocation types (table "Relocation Types"). */
#define R_X86_64_RELATIVE 8

uint64_t reloc_slots(uint64_t link, uint64_t size)
{
	uint64_t lead = link % RELOC_ALIGN;

	if (link < RELOC_WINDOW || size == 0 || size > 0 - RELOC_WINDOW - lead)
		return 0;
	/* The last base b = window + lead + k * ALIGN with b + size <= 2^64. */
	uint64_t room = 0 - RELOC_WINDOW - lead - size; /* bytes after the lowest fit */
	return room / RELOC_ALIGN + 1;
}

uint64_t reloc_pick(uint64_t link, uint64_t size, uint64_t rnd)
{
	uint64_t n = reloc_slots(link, size);

	if (n == 0)
		return link;
	return RELOC_WINDOW + link % RELOC_ALIGN + (rnd % n) * RELOC_ALIGN;
}

/* The psABI name of a relocation type, for messages. */
static const char *type_name(uint32_t t)
{
	static const char *const names[] = {
	        [0] = "R_X86_64_NONE",      [1] = "R_X86_64_64",        [2] = "R_X86_64_PC32",
	        [3] = "R_X86_64_GOT32",     [4] = "R_X86_64_PLT32",     [5] = "R_X86_64_COPY",
	        [6] = "R_X86_64_GLOB_DAT",  [7] = "R_X86_64_JUMP_SLOT", [8] = "R_X86_64_RELATIVE",
	        [9] = "R_X86_64_GOTPCREL",  [10] = "R_X86_64_32",       [11] = "R_X86_64_32S",
	        [16] = "R_X86_64_DTPMOD64", [17] = "R_X86_64_DTPOFF64", [18] = "R_X86_64_TPOFF64",
	        [24] = "R_X86_64_PC64",     [37] = "R_X86_64_IRELATIVE"};

	return t < sizeof(names) / sizeof(names[0]) && names[t] ? names[t] : "unknown";
}

/* What the dynamic section says about relocations. */
struct dyn_rela {
	uint64_t rela, relasz, relaent;
	int has_rela;
};

/* The name of a dynamic tag this loader refuses, or NULL. */
static const char *refused_tag(int64_t tag, uint64_t val)
{
	switch (tag) {
	case DT_NEEDED: return "DT_NEEDED (a shared library)";
	case DT_REL:
	case DT_RELSZ: return val ? "DT_REL (REL relocations)" : NULL;
	case DT_JMPREL:
	case DT_PLTRELSZ: return val ? "DT_JMPREL (PLT relocations)" : NULL;
	case DT_RELR:
	case DT_RELRSZ: return val ? "DT_RELR (packed relative relocations)" : NULL;
	default: return NULL;
	}
}

/* Reads the PT_DYNAMIC entries of program header i from the file. */
static enum err read_dynamic(const struct elf_exec *x, uint16_t i, const struct elf64_phdr *ph,
                             struct dyn_rela *d, char *why, size_t len)
{
	if (ph->p_offset > x->size || ph->p_filesz > x->size - ph->p_offset)
		return fmt_why(why, len, ERR_CORRUPT,
		               "phdr[%u] (PT_DYNAMIC): bytes 0x%llx+0x%llx outside the file", i,
		               (unsigned long long)ph->p_offset, (unsigned long long)ph->p_filesz);
	for (uint64_t off = 0; off + sizeof(struct elf64_dyn) <= ph->p_filesz;
	     off += sizeof(struct elf64_dyn)) {
		struct elf64_dyn dyn;
		memcpy(&dyn, x->file + ph->p_offset + off, sizeof(dyn));
		if (dyn.d_tag == DT_NULL)
			break;
		const char *no = refused_tag(dyn.d_tag, dyn.d_val);
		if (no)
			return fmt_why(why, len, ERR_UNSUPPORTED,
			               "dynamic entry %llu: %s is not supported",
			               (unsigned long long)(off / sizeof(dyn)), no);
		if (dyn.d_tag == DT_RELA) {
			d->rela = dyn.d_val;
			d->has_rela = 1;
		} else if (dyn.d_tag == DT_RELASZ)
			d->relasz = dyn.d_val;
		else if (dyn.d_tag == DT_RELAENT)
			d->relaent = dyn.d_val;
	}
	return ERR_OK;
}

/* Finds the dynamic section's relocation table, if any. */
static enum err find_rela(const struct elf_exec *x, struct dyn_rela *d, char *why, size_t len)
{
	struct elf64_phdr ph;

	memset(d, 0, sizeof(*d));
	for (uint16_t i = 0; i < x->phnum; i++) {
		elf_exec_phdr(x, i, &ph);
		if (ph.p_type == ELF_PT_DYNAMIC)
			return read_dynamic(x, i, &ph, d, why, len);
	}
	return ERR_OK;
}

/* Applies one checked table entry. */
static enum err apply_one(const struct elf_exec *x, uint8_t *image, uint64_t slide, uint64_t n,
                          const struct elf64_rela *r, char *why, size_t len)
{
	uint32_t type = (uint32_t)r->r_info, sym = (uint32_t)(r->r_info >> 32);

	if (type != R_X86_64_RELATIVE)
		return fmt_why(why, len, ERR_UNSUPPORTED,
		               "relocation %llu at 0x%llx: type %u (%s) is not supported, only "
		               "R_X86_64_RELATIVE",
		               (unsigned long long)n, (unsigned long long)r->r_offset, type,
		               type_name(type));
	if (sym != 0)
		return fmt_why(why, len, ERR_CORRUPT,
		               "relocation %llu at 0x%llx: R_X86_64_RELATIVE names symbol %u",
		               (unsigned long long)n, (unsigned long long)r->r_offset, sym);
	if (r->r_offset < x->vbase || r->r_offset > x->vend - 8)
		return fmt_why(why, len, ERR_CORRUPT,
		               "relocation %llu: offset 0x%llx is outside the image 0x%llx-0x%llx",
		               (unsigned long long)n, (unsigned long long)r->r_offset,
		               (unsigned long long)x->vbase, (unsigned long long)x->vend);
	uint64_t word = (uint64_t)r->r_addend + slide;
	memcpy(image + (r->r_offset - x->vbase), &word, sizeof(word));
	return ERR_OK;
}

enum err reloc_apply(const struct elf_exec *x, uint8_t *image, uint64_t slide, uint64_t *count,
                     char *why, size_t why_len)
{
	struct dyn_rela d;

	*count = 0;
	enum err e = find_rela(x, &d, why, why_len);
	if (e || !d.has_rela)
		return e;
	if (d.relaent != sizeof(struct elf64_rela))
		return fmt_why(why, why_len, ERR_CORRUPT, "DT_RELAENT is %llu, not %zu",
		               (unsigned long long)d.relaent, sizeof(struct elf64_rela));
	if (d.relasz % sizeof(struct elf64_rela) || d.rela < x->vbase || d.rela > x->vend ||
	    d.relasz > x->vend - d.rela)
		return fmt_why(why, why_len, ERR_CORRUPT,
		               "DT_RELA 0x%llx + DT_RELASZ 0x%llx: not a table inside the image "
		               "0x%llx-0x%llx",
		               (unsigned long long)d.rela, (unsigned long long)d.relasz,
		               (unsigned long long)x->vbase, (unsigned long long)x->vend);
	uint64_t n = d.relasz / sizeof(struct elf64_rela);
	for (uint64_t i = 0; i < n; i++) {
		struct elf64_rela r;
		memcpy(&r, image + (d.rela - x->vbase) + i * sizeof(r), sizeof(r));
		e = apply_one(x, image, slide, i, &r, why, why_len);
		if (e)
			return e;
	}
	*count = n;
	return ERR_OK;
}
