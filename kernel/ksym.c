/* Kernel symbols from the kernel ELF file's .symtab; see ksym.h. */
#include "ksym.h"

#include <elf/elf.h>

extern const char __kernel_start[], __kernel_end[];

static struct elf_symtab symtab;
static bool loaded;
/* Where the image runs minus where it was linked (the loader's KASLR
 * slide): symbol values are link addresses. */
static uintptr_t slide;

/* The lowest PT_LOAD address of the file: the image's link base. */
static uint64_t link_base(const struct elf_file *f)
{
	uint64_t lo = UINT64_MAX;

	for (size_t i = 0; i < f->ehdr->e_phnum; i++) {
		const struct elf64_phdr *ph = elf_phdr(f, i);
		if (ph->p_type == ELF_PT_LOAD && ph->p_memsz && ph->p_vaddr < lo)
			lo = ph->p_vaddr;
	}
	return lo;
}

enum err ksym_init(const void *file, size_t size)
{
	struct elf_file f;
	enum err e = elf_open(&f, file, size);

	if (e == ERR_OK)
		e = elf_symtab_open(&f, &symtab);
	if (e == ERR_OK)
		slide = (uintptr_t)__kernel_start - link_base(&f);
	loaded = e == ERR_OK;
	return e;
}

bool ksym_resolve(uintptr_t addr, const char **name, uintptr_t *offset)
{
	if (!loaded || addr < (uintptr_t)__kernel_start || addr >= (uintptr_t)__kernel_end)
		return false; /* only the image has symbols */
	const struct elf64_sym *s = elf_sym_by_addr(&symtab, addr - slide);
	const char *n = s ? elf_sym_name(&symtab, s) : NULL;
	if (!n)
		return false;
	*name = n;
	*offset = addr - slide - s->st_value;
	return true;
}

uintptr_t ksym_lookup(const char *name)
{
	if (!loaded)
		return 0;
	const struct elf64_sym *s = elf_sym_by_name(&symtab, name);
	return s ? (uintptr_t)s->st_value + slide : 0;
}
