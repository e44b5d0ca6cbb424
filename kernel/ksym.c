/* Kernel symbols from the kernel ELF file's .symtab; see ksym.h. */
#include "ksym.h"

#include <elf/elf.h>

static struct elf_symtab symtab;
static bool loaded;

enum err ksym_init(const void *file, size_t size)
{
	struct elf_file f;
	enum err e = elf_open(&f, file, size);

	if (e == ERR_OK)
		e = elf_symtab_open(&f, &symtab);
	loaded = e == ERR_OK;
	return e;
}

bool ksym_resolve(uintptr_t addr, const char **name, uintptr_t *offset)
{
	if (!loaded)
		return false;
	const struct elf64_sym *s = elf_sym_by_addr(&symtab, addr);
	const char *n = s ? elf_sym_name(&symtab, s) : NULL;
	if (!n)
		return false;
	*name = n;
	*offset = addr - s->st_value;
	return true;
}

uintptr_t ksym_lookup(const char *name)
{
	if (!loaded)
		return 0;
	const struct elf64_sym *s = elf_sym_by_name(&symtab, name);
	return s ? (uintptr_t)s->st_value : 0;
}
