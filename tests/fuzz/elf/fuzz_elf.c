/* Fuzz target: lib/elf/elf.c, the section and symbol reader (the kernel
 * uses it on its own image for symbol names).  The input is the file: it
 * is opened, every program and section header is looked at with its data
 * and name, and the symbol table is searched by address and by name.
 * Checks what elf.h promises: data and names lie inside the file.
 */
#include <elf/elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SYMS 4096

static const uint8_t *file_lo, *file_hi;

/* Aborts unless [p, p + len) lies inside the file. */
static void inside(const void *p, size_t len, const char *what)
{
	const uint8_t *b = p;
	if (b < file_lo || b > file_hi || len > (size_t)(file_hi - b)) {
		fprintf(stderr, "fuzz_elf: %s outside the file\n", what);
		abort();
	}
}

static void sections(const struct elf_file *f)
{
	for (size_t i = 0; i < f->ehdr->e_shnum; i++) {
		const struct elf64_shdr *sh = elf_shdr(f, i);
		inside(sh, sizeof *sh, "section header");
		const uint8_t *d = elf_section_data(f, sh);
		if (d)
			inside(d, sh->sh_size, "section data");
		const char *name = elf_section_name(f, sh);
		if (name)
			inside(name, strlen(name) + 1, "section name");
	}
	if (elf_shdr(f, f->ehdr->e_shnum) != NULL || elf_phdr(f, f->ehdr->e_phnum) != NULL)
		abort();
	for (size_t i = 0; i < f->ehdr->e_phnum; i++)
		inside(elf_phdr(f, i), sizeof(struct elf64_phdr), "program header");
}

static void symbols(const struct elf_file *f)
{
	struct elf_symtab st;
	if (elf_symtab_open(f, &st) != ERR_OK)
		return;
	inside(st.syms, st.count * sizeof *st.syms, "symbol table");
	inside(st.strtab, st.strtab_size, "string table");
	size_t n = st.count < MAX_SYMS ? st.count : MAX_SYMS;
	for (size_t i = 0; i < n; i += 1 + i / 16) {
		const struct elf64_sym *s = &st.syms[i];
		const char *name = elf_sym_name(&st, s);
		if (name) {
			inside(name, strlen(name) + 1, "symbol name");
			const struct elf64_sym *hit = elf_sym_by_name(&st, name);
			if (!hit && s->st_shndx != ELF_SHN_UNDEF)
				abort(); /* a defined symbol's own name finds a symbol */
		}
		const struct elf64_sym *at = elf_sym_by_addr(&st, s->st_value + s->st_size / 2);
		if (at)
			inside(at, sizeof *at, "symbol by address");
	}
	elf_sym_by_addr(&st, f->ehdr->e_entry);
	elf_sym_by_name(&st, "kmain");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly the input's size, 8-byte aligned like a file the
	 * kernel or a loader holds */
	uint8_t *copy = malloc(size ? size : 1);
	struct elf_file f;
	if (!copy)
		abort();
	memcpy(copy, data, size);
	file_lo = copy;
	file_hi = copy + size;
	if (elf_open(&f, copy, size) == ERR_OK) {
		sections(&f);
		symbols(&f);
	}
	free(copy);
	return 0;
}
