/* Checked loading of ELF64 executables; see load.h. */
#include "load.h"

#include <fmt/fmt.h>
#include <fmt/why.h>
#include <string/mem.h>

/* Checks e_ident and the fixed fields of the ELF header (gABI 4). */
static enum err check_ehdr(const struct elf64_ehdr *eh, uint64_t size,
                           const struct elf_expect *want, char *why, size_t len)
{
	if (memcmp(eh->e_ident,
	           "\x7f"
	           "ELF",
	           4) != 0)
		return fmt_why(why, len, ERR_CORRUPT, "e_ident: not an ELF file (bad magic)");
	if (eh->e_ident[ELF_EI_CLASS] != ELF_CLASS64)
		return fmt_why(why, len, ERR_UNSUPPORTED, "e_ident[EI_CLASS] is %u, not ELFCLASS64",
		               eh->e_ident[ELF_EI_CLASS]);
	if (eh->e_ident[ELF_EI_DATA] != ELF_DATA2LSB)
		return fmt_why(why, len, ERR_UNSUPPORTED,
		               "e_ident[EI_DATA] is %u, not little-endian",
		               eh->e_ident[ELF_EI_DATA]);
	if (eh->e_ident[ELF_EI_VERSION] != ELF_EV_CURRENT)
		return fmt_why(why, len, ERR_CORRUPT, "e_ident[EI_VERSION] is %u, not 1",
		               eh->e_ident[ELF_EI_VERSION]);
	if (eh->e_type != want->type)
		return fmt_why(why, len, ERR_UNSUPPORTED, "e_type is %u, expected %u", eh->e_type,
		               want->type);
	if (eh->e_machine != want->machine)
		return fmt_why(why, len, ERR_UNSUPPORTED, "e_machine is %u, expected %u",
		               eh->e_machine, want->machine);
	if (eh->e_version != ELF_EV_CURRENT)
		return fmt_why(why, len, ERR_CORRUPT, "e_version is %u, not 1", eh->e_version);
	if (eh->e_ehsize != sizeof(struct elf64_ehdr))
		return fmt_why(why, len, ERR_CORRUPT, "e_ehsize is %u, not 64", eh->e_ehsize);
	if (eh->e_phnum == 0 || eh->e_phnum == ELF_PN_XNUM)
		return fmt_why(why, len, ERR_CORRUPT, "e_phnum is %u (no program headers)",
		               eh->e_phnum);
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		return fmt_why(why, len, ERR_CORRUPT, "e_phentsize is %u, not 56", eh->e_phentsize);
	uint64_t table = (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr);
	if (eh->e_phoff < sizeof(struct elf64_ehdr) || eh->e_phoff > size ||
	    table > size - eh->e_phoff)
		return fmt_why(why, len, ERR_CORRUPT,
		               "e_phoff 0x%llx: program headers outside the file",
		               (unsigned long long)eh->e_phoff);
	return ERR_OK;
}

void elf_exec_phdr(const struct elf_exec *x, uint16_t i, struct elf64_phdr *ph)
{
	memcpy(ph, x->file + x->phoff + (uint64_t)i * sizeof(*ph), sizeof(*ph));
}

/* Checks one PT_LOAD program header on its own. */
static enum err check_load(const struct elf64_phdr *ph, unsigned i, uint64_t size,
                           const struct elf_expect *want, char *why, size_t len)
{
	if (ph->p_filesz > ph->p_memsz)
		return fmt_why(why, len, ERR_CORRUPT, "phdr[%u].p_filesz 0x%llx > p_memsz 0x%llx",
		               i, (unsigned long long)ph->p_filesz,
		               (unsigned long long)ph->p_memsz);
	if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
		return fmt_why(why, len, ERR_CORRUPT,
		               "phdr[%u].p_offset/p_filesz: bytes 0x%llx+0x%llx outside the file",
		               i, (unsigned long long)ph->p_offset,
		               (unsigned long long)ph->p_filesz);
	if (ph->p_vaddr + ph->p_memsz < ph->p_vaddr ||
	    ph->p_vaddr + ph->p_memsz > UINT64_MAX - ELF_PAGE + 1)
		return fmt_why(why, len, ERR_CORRUPT, "phdr[%u].p_vaddr+p_memsz overflows", i);
	if (ph->p_align & (ph->p_align - 1))
		return fmt_why(why, len, ERR_CORRUPT,
		               "phdr[%u].p_align 0x%llx is not a power of two", i,
		               (unsigned long long)ph->p_align);
	if (ph->p_align > 1 && (ph->p_vaddr - ph->p_offset) % ph->p_align != 0)
		return fmt_why(
		        why, len, ERR_CORRUPT,
		        "phdr[%u].p_align: p_vaddr 0x%llx and p_offset 0x%llx differ modulo 0x%llx",
		        i, (unsigned long long)ph->p_vaddr, (unsigned long long)ph->p_offset,
		        (unsigned long long)ph->p_align);
	if (want->max_align && ph->p_align > want->max_align)
		return fmt_why(
		        why, len, ERR_UNSUPPORTED,
		        "phdr[%u].p_align 0x%llx is larger than the 0x%llx this loader can honour",
		        i, (unsigned long long)ph->p_align, (unsigned long long)want->max_align);
	return ERR_OK;
}

/* Checks that the image base is a multiple of every PT_LOAD's alignment, so
 * an image placed at a max_align-aligned address keeps each congruence. */
static enum err check_base(const struct elf_exec *x, char *why, size_t len)
{
	struct elf64_phdr ph;

	for (uint16_t i = 0; i < x->phnum; i++) {
		elf_exec_phdr(x, i, &ph);
		if (ph.p_type != ELF_PT_LOAD || ph.p_memsz == 0 || ph.p_align <= 1)
			continue;
		if (x->vbase % ph.p_align)
			return fmt_why(
			        why, len, ERR_CORRUPT,
			        "phdr[%u].p_align 0x%llx: the image starts at 0x%llx (the first "
			        "PT_LOAD page), not a multiple of it",
			        i, (unsigned long long)ph.p_align, (unsigned long long)x->vbase);
	}
	return ERR_OK;
}

/* Checks that no two non-empty PT_LOAD segments share an address. */
static enum err check_overlaps(const struct elf_exec *x, char *why, size_t len)
{
	struct elf64_phdr a, b;

	for (uint16_t i = 0; i < x->phnum; i++) {
		elf_exec_phdr(x, i, &a);
		if (a.p_type != ELF_PT_LOAD || a.p_memsz == 0)
			continue;
		for (uint16_t j = i + 1; j < x->phnum; j++) {
			elf_exec_phdr(x, j, &b);
			if (b.p_type != ELF_PT_LOAD || b.p_memsz == 0)
				continue;
			if (a.p_vaddr < b.p_vaddr + b.p_memsz && b.p_vaddr < a.p_vaddr + a.p_memsz)
				return fmt_why(
				        why, len, ERR_CORRUPT,
				        "phdr[%u] and phdr[%u]: segments overlap at 0x%llx", i, j,
				        (unsigned long long)(a.p_vaddr > b.p_vaddr ? a.p_vaddr
				                                                   : b.p_vaddr));
		}
	}
	return ERR_OK;
}

/* Checks every program header and computes the image extent. */
static enum err check_phdrs(struct elf_exec *x, const struct elf_expect *want, char *why,
                            size_t len)
{
	struct elf64_phdr ph;
	uint64_t lo = UINT64_MAX, hi = 0;

	x->max_align = ELF_PAGE;
	for (uint16_t i = 0; i < x->phnum; i++) {
		elf_exec_phdr(x, i, &ph);
		if (ph.p_type == ELF_PT_INTERP)
			return fmt_why(
			        why, len, ERR_UNSUPPORTED,
			        "phdr[%u].p_type is PT_INTERP: dynamic linking is not supported",
			        i);
		if (ph.p_type != ELF_PT_LOAD)
			continue;
		enum err e = check_load(&ph, i, x->size, want, why, len);
		if (e)
			return e;
		if (ph.p_memsz == 0)
			continue;
		if (x->load_count == ELF_MAX_LOADS)
			return fmt_why(why, len, ERR_UNSUPPORTED,
			               "phdr[%u]: more than %u non-empty PT_LOAD segments", i,
			               ELF_MAX_LOADS);
		x->load_count++;
		if (ph.p_align > x->max_align)
			x->max_align = ph.p_align;
		if (ph.p_vaddr < lo)
			lo = ph.p_vaddr;
		if (ph.p_vaddr + ph.p_memsz > hi)
			hi = ph.p_vaddr + ph.p_memsz;
	}
	if (x->load_count == 0)
		return fmt_why(why, len, ERR_CORRUPT,
		               "program headers: no non-empty PT_LOAD segment");
	x->vbase = lo & ~(ELF_PAGE - 1);
	x->vend = (hi + ELF_PAGE - 1) & ~(ELF_PAGE - 1);
	enum err e = check_base(x, why, len);
	return e ? e : check_overlaps(x, why, len);
}

enum err elf_exec_check(const void *file, uint64_t size, const struct elf_expect *want,
                        struct elf_exec *out, char *why, size_t why_len)
{
	struct elf64_ehdr eh;

	memset(out, 0, sizeof(*out));
	if (!file || size < sizeof(eh))
		return fmt_why(why, why_len, ERR_CORRUPT,
		               "file too small for an ELF header (%llu bytes)",
		               (unsigned long long)size);
	memcpy(&eh, file, sizeof(eh));
	enum err e = check_ehdr(&eh, size, want, why, why_len);
	if (e)
		return e;
	out->file = file;
	out->size = size;
	out->entry = eh.e_entry;
	out->phoff = eh.e_phoff;
	out->phnum = eh.e_phnum;
	return check_phdrs(out, want, why, why_len);
}

void elf_exec_load(const struct elf_exec *x, void *dst)
{
	struct elf64_phdr ph;

	for (uint16_t i = 0; i < x->phnum; i++) {
		elf_exec_phdr(x, i, &ph);
		if (ph.p_type != ELF_PT_LOAD || ph.p_filesz == 0)
			continue;
		memcpy((uint8_t *)dst + (ph.p_vaddr - x->vbase), x->file + ph.p_offset,
		       ph.p_filesz);
	}
}

uint32_t elf_exec_page_flags(const struct elf_exec *x, uint64_t page)
{
	struct elf64_phdr ph;
	uint32_t flags = 0;

	for (uint16_t i = 0; i < x->phnum; i++) {
		elf_exec_phdr(x, i, &ph);
		if (ph.p_type != ELF_PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_vaddr < page + ELF_PAGE && page < ph.p_vaddr + ph.p_memsz)
			flags |= ph.p_flags & (ELF_PF_R | ELF_PF_W | ELF_PF_X);
	}
	return flags;
}
