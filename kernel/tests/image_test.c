/* The kernel image as linked (kernel.ld) and as the loader mapped it: three
 * PT_LOAD segments with R-X, R-- and RW- permissions at the exported
 * bounds (the file's link addresses plus the loader's slide), every
 * writable section inside the data segment but those only the loader's
 * relocation writes, the Limine requests at its start, and pointer words
 * relocated in every core's data copy. */
#include <elf/elf.h>
#include <string/mem.h>
#include <tessera/limine.h>

#include "boot.h"
#include "ktest.h"
#include "smp.h"

extern const char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern const char __data_start[], __data_end[], __kernel_start[];

/* Opens the kernel file the loader handed over (every core has it from its
 * handoff: an AP's data copy holds no loader responses). */
static bool open_kernel(struct elf_file *f)
{
	const void *data;
	size_t size;
	return core_kernel_file(&data, &size) && elf_open(f, data, size) == ERR_OK;
}

/* Where the image runs minus where the file says it was linked: the first
 * PT_LOAD (text) is linked at the kernel's start. */
static uint64_t slide_of(const struct elf_file *f)
{
	for (size_t i = 0; i < f->ehdr->e_phnum; i++)
		if (elf_phdr(f, i)->p_type == ELF_PT_LOAD)
			return (uintptr_t)__kernel_start - elf_phdr(f, i)->p_vaddr;
	return 0;
}

/* Sections the compiler and linker mark writable that hold only words the
 * loader's relocation writes, before the kernel runs: kernel.ld keeps them
 * in the read-only segment. */
static bool relocation_only(const char *name)
{
	static const char *const names[] = {".data.rel.ro", ".got", ".ktest", ".dynamic"};

	for (size_t i = 0; name && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

KTEST(image, three_segments_with_permissions)
{
	static const uint32_t want_flags[3] = {ELF_PF_R | ELF_PF_X, ELF_PF_R, ELF_PF_R | ELF_PF_W};
	const char *want_start[3] = {__text_start, __rodata_start, __data_start};
	const char *want_end[3] = {__text_end, __rodata_end, __data_end};
	struct elf_file f;
	size_t loads = 0;

	KT_ASSERT(open_kernel(&f));
	uint64_t slide = slide_of(&f);
	for (size_t i = 0; i < f.ehdr->e_phnum; i++) {
		const struct elf64_phdr *ph = elf_phdr(&f, i);
		if (ph->p_type != ELF_PT_LOAD)
			continue;
		KT_ASSERT(loads < 3);
		KT_EXPECT_EQ(ph->p_flags, want_flags[loads]);
		KT_EXPECT_EQ(ph->p_vaddr + slide, (uintptr_t)want_start[loads]);
		KT_EXPECT(ph->p_vaddr + slide + ph->p_memsz <= (uintptr_t)want_end[loads]);
		KT_EXPECT_EQ(ph->p_vaddr % 4096, 0);
		loads++;
	}
	KT_EXPECT_EQ(loads, 3);
	KT_EXPECT(__text_end <= __rodata_start && __rodata_end <= __data_start);
}

KTEST(image, writable_sections_in_data_segment)
{
	struct elf_file f;

	KT_ASSERT(open_kernel(&f));
	uint64_t slide = slide_of(&f);
	for (size_t i = 0; i < f.ehdr->e_shnum; i++) {
		const struct elf64_shdr *sh = elf_shdr(&f, i);
		if (!(sh->sh_flags & ELF_SHF_ALLOC) || sh->sh_size == 0)
			continue;
		uint64_t addr = sh->sh_addr + slide, end = addr + sh->sh_size;
		if (sh->sh_flags & ELF_SHF_WRITE && !relocation_only(elf_section_name(&f, sh)))
			KT_EXPECT(addr >= (uintptr_t)__data_start && end <= (uintptr_t)__data_end);
		else if (sh->sh_flags & ELF_SHF_EXECINSTR)
			KT_EXPECT(addr >= (uintptr_t)__text_start && end <= (uintptr_t)__text_end);
		else
			KT_EXPECT(addr >= (uintptr_t)__rodata_start &&
			          end <= (uintptr_t)__rodata_end);
	}
}

KTEST(image, requests_open_the_data_segment)
{
	const uint64_t *w = (const uint64_t *)__data_start;

	KT_EXPECT_EQ(w[0], LIMINE_REQUESTS_START0);
	KT_EXPECT_EQ(w[3], LIMINE_REQUESTS_START3);
	KT_EXPECT_EQ(w[4], LIMINE_BASE_REVISION_MAGIC0);
	/* The revision word: zeroed by the loader in core 0's data; the other
	 * cores' copies come from the file, untouched. */
	KT_EXPECT_EQ(w[6], core_self() == 0 ? 0 : BOOT_BASE_REVISION);
}

/* Pointer words the loader relocated: one in the read-only segment (shared
 * by every core) and one in the data segment (each core's copy; on the
 * other cores smp_build.c replays the relocation on the file's bytes).  Each
 * must equal the address the code computes RIP-relatively. */
static int reloc_target_a, reloc_target_b;
static int *const reloc_ro_word = &reloc_target_a;
static int *volatile reloc_data_word = &reloc_target_b;

KTEST(image, pointer_words_relocated_with_the_slide)
{
	/* Read the word from memory: the compiler would fold a plain read. */
	int *ro = *(int *const volatile *)&reloc_ro_word;

	KT_EXPECT_EQ((uintptr_t)ro, (uintptr_t)&reloc_target_a);
	KT_EXPECT_EQ((uintptr_t)reloc_data_word, (uintptr_t)&reloc_target_b);
	KT_EXPECT((uintptr_t)&reloc_ro_word >= (uintptr_t)__rodata_start &&
	          (uintptr_t)&reloc_ro_word < (uintptr_t)__rodata_end);
	KT_EXPECT((uintptr_t)&reloc_data_word >= (uintptr_t)__data_start &&
	          (uintptr_t)&reloc_data_word < (uintptr_t)__data_end);
}
