/* ELF64 parsing with every offset checked against the buffer; see elf.h. */
#include "elf.h"

#include <string/mem.h>

/* True when [off, off + len) lies inside a buffer of size bytes. */
static int in_bounds(size_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

enum err elf_open(struct elf_file *f, const void *data, size_t size)
{
	static const uint8_t magic[4] = {0x7f, 'E', 'L', 'F'};
	const struct elf64_ehdr *eh = data;

	if (!data || size < sizeof(*eh))
		return ERR_CORRUPT;
	if ((uintptr_t)data % 8)
		return ERR_ALIGN;
	if (memcmp(eh->e_ident, magic, 4) != 0)
		return ERR_CORRUPT;
	if (eh->e_ident[ELF_EI_CLASS] != ELF_CLASS64 || eh->e_ident[ELF_EI_DATA] != ELF_DATA2LSB)
		return ERR_UNSUPPORTED;
	if (eh->e_ident[ELF_EI_VERSION] != ELF_EV_CURRENT)
		return ERR_CORRUPT;
	/* The tables are read in place, so they must be aligned (every linker
	 * aligns them; gABI 4 gives the structures 8-byte members). */
	if ((eh->e_phnum && eh->e_phoff % 8) || (eh->e_shnum && eh->e_shoff % 8))
		return ERR_CORRUPT;
	if (eh->e_phnum &&
	    (eh->e_phentsize != sizeof(struct elf64_phdr) ||
	     !in_bounds(size, eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr))))
		return ERR_CORRUPT;
	if (eh->e_shnum &&
	    (eh->e_shentsize != sizeof(struct elf64_shdr) ||
	     !in_bounds(size, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(struct elf64_shdr))))
		return ERR_CORRUPT;
	if (eh->e_shnum && eh->e_shstrndx >= eh->e_shnum)
		return ERR_CORRUPT;
	f->data = data;
	f->size = size;
	f->ehdr = eh;
	return ERR_OK;
}

const struct elf64_phdr *elf_phdr(const struct elf_file *f, size_t i)
{
	if (i >= f->ehdr->e_phnum)
		return NULL;
	return (const struct elf64_phdr *)(f->data + f->ehdr->e_phoff) + i;
}

const struct elf64_shdr *elf_shdr(const struct elf_file *f, size_t i)
{
	if (i >= f->ehdr->e_shnum)
		return NULL;
	return (const struct elf64_shdr *)(f->data + f->ehdr->e_shoff) + i;
}

/* The string at off in a table of size bytes, if it is NUL-terminated inside. */
static const char *table_string(const char *table, size_t size, uint64_t off)
{
	if (off >= size || strnlen(table + off, size - off) == size - off)
		return NULL;
	return table + off;
}

const void *elf_section_data(const struct elf_file *f, const struct elf64_shdr *sh)
{
	if (sh->sh_type == ELF_SHT_NOBITS || !in_bounds(f->size, sh->sh_offset, sh->sh_size))
		return NULL;
	return f->data + sh->sh_offset;
}

const char *elf_section_name(const struct elf_file *f, const struct elf64_shdr *sh)
{
	const struct elf64_shdr *names = elf_shdr(f, f->ehdr->e_shstrndx);
	const char *table;

	if (!names || !(table = elf_section_data(f, names)))
		return NULL;
	return table_string(table, names->sh_size, sh->sh_name);
}

enum err elf_symtab_open(const struct elf_file *f, struct elf_symtab *st)
{
	for (size_t i = 0; i < f->ehdr->e_shnum; i++) {
		const struct elf64_shdr *sh = elf_shdr(f, i);
		if (sh->sh_type != ELF_SHT_SYMTAB)
			continue;
		const struct elf64_shdr *str = elf_shdr(f, sh->sh_link);
		const void *syms = elf_section_data(f, sh);
		if (!str || str->sh_type != ELF_SHT_STRTAB || !syms ||
		    sh->sh_entsize != sizeof(struct elf64_sym) || ((uintptr_t)syms & 7))
			return ERR_CORRUPT;
		st->strtab = elf_section_data(f, str);
		if (!st->strtab)
			return ERR_CORRUPT;
		st->syms = syms;
		st->count = sh->sh_size / sizeof(struct elf64_sym);
		st->strtab_size = str->sh_size;
		return ERR_OK;
	}
	return ERR_NOENT;
}

const char *elf_sym_name(const struct elf_symtab *st, const struct elf64_sym *sym)
{
	return table_string(st->strtab, st->strtab_size, sym->st_name);
}

/* Symbols that name code or data placed in a section (not files, sections,
 * undefined or absolute values). */
static int sym_is_placed(const struct elf64_sym *s)
{
	unsigned type = elf_st_type(s->st_info);

	if (type != ELF_STT_FUNC && type != ELF_STT_NOTYPE && type != ELF_STT_OBJECT)
		return 0;
	return s->st_shndx != ELF_SHN_UNDEF && s->st_shndx < 0xff00u && s->st_name != 0;
}

const struct elf64_sym *elf_sym_by_addr(const struct elf_symtab *st, uint64_t addr)
{
	const struct elf64_sym *inside = NULL, *below = NULL;

	for (size_t i = 0; i < st->count; i++) {
		const struct elf64_sym *s = &st->syms[i];
		if (!sym_is_placed(s) || s->st_value > addr)
			continue;
		if (!below || s->st_value > below->st_value)
			below = s;
		if (addr - s->st_value < s->st_size && (!inside || s->st_value > inside->st_value))
			inside = s;
	}
	if (inside)
		return inside;
	if (below && below->st_size == 0)
		return below;
	return NULL;
}

const struct elf64_sym *elf_sym_by_name(const struct elf_symtab *st, const char *name)
{
	for (size_t i = 0; i < st->count; i++) {
		const struct elf64_sym *s = &st->syms[i];
		const char *n;
		if (s->st_shndx == ELF_SHN_UNDEF || !(n = elf_sym_name(st, s)))
			continue;
		if (strcmp(n, name) == 0)
			return s;
	}
	return NULL;
}
