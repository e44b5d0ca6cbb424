/* lib/elf: header checks, bounds checks, and symbol lookups, on a small
 * ELF built in memory and on this test program's own file. */
#include <elf/elf.h>
#include <stdint.h>

#include "../htest.h"

/* A relocatable-looking file: header, then .symtab, .strtab, .shstrtab and
 * four section headers (null, .text, .symtab, .strtab, .shstrtab). */
struct image {
	struct elf64_ehdr eh;
	struct elf64_sym syms[5];
	char strtab[32];
	char shstrtab[40];
	struct elf64_shdr sh[5];
};

static struct image img;

static void build_image(void)
{
	memset(&img, 0, sizeof img);
	memcpy(img.eh.e_ident,
	       "\x7f"
	       "ELF",
	       4);
	img.eh.e_ident[ELF_EI_CLASS] = ELF_CLASS64;
	img.eh.e_ident[ELF_EI_DATA] = ELF_DATA2LSB;
	img.eh.e_ident[ELF_EI_VERSION] = ELF_EV_CURRENT;
	img.eh.e_type = ELF_ET_EXEC;
	img.eh.e_machine = ELF_EM_X86_64;
	img.eh.e_version = 1;
	img.eh.e_ehsize = sizeof(struct elf64_ehdr);
	img.eh.e_shoff = offsetof(struct image, sh);
	img.eh.e_shentsize = sizeof(struct elf64_shdr);
	img.eh.e_shnum = 5;
	img.eh.e_shstrndx = 4;
	/* strtab: "\0alpha\0beta\0gamma\0" */
	memcpy(img.strtab, "\0alpha\0beta\0gamma", 18);
	memcpy(img.shstrtab, "\0.text\0.symtab\0.strtab\0.shstrtab", 33);
	/* alpha: 0x1000..0x1010 func; beta: 0x1010 size 0 (notype); gamma: 0x2000 size 8 */
	img.syms[1] = (struct elf64_sym){1, ELF_STT_FUNC, 0, 1, 0x1000, 0x10};
	img.syms[2] = (struct elf64_sym){7, ELF_STT_NOTYPE, 0, 1, 0x1010, 0};
	img.syms[3] = (struct elf64_sym){12, (ELF_STB_GLOBAL << 4) | ELF_STT_FUNC, 0, 1, 0x2000, 8};
	img.syms[4] = (struct elf64_sym){7, ELF_STT_FUNC, 0, ELF_SHN_UNDEF, 0, 0};
	img.sh[1] = (struct elf64_shdr){.sh_name = 1,
	                                .sh_type = ELF_SHT_PROGBITS,
	                                .sh_flags = ELF_SHF_ALLOC | ELF_SHF_EXECINSTR,
	                                .sh_addr = 0x1000,
	                                .sh_size = 0x1008};
	img.sh[2] = (struct elf64_shdr){.sh_name = 7,
	                                .sh_type = ELF_SHT_SYMTAB,
	                                .sh_offset = offsetof(struct image, syms),
	                                .sh_size = sizeof img.syms,
	                                .sh_link = 3,
	                                .sh_entsize = sizeof(struct elf64_sym)};
	img.sh[3] = (struct elf64_shdr){.sh_name = 15,
	                                .sh_type = ELF_SHT_STRTAB,
	                                .sh_offset = offsetof(struct image, strtab),
	                                .sh_size = 18};
	img.sh[4] = (struct elf64_shdr){.sh_name = 23,
	                                .sh_type = ELF_SHT_STRTAB,
	                                .sh_offset = offsetof(struct image, shstrtab),
	                                .sh_size = 33};
}

static const char *name_at(const struct elf_symtab *st, uint64_t addr)
{
	const struct elf64_sym *s = elf_sym_by_addr(st, addr);
	return s ? elf_sym_name(st, s) : "(none)";
}

HTEST(opens_and_names_sections)
{
	struct elf_file f;
	build_image();
	HT_ASSERT(elf_open(&f, &img, sizeof img) == ERR_OK);
	HT_EXPECT_STREQ(elf_section_name(&f, elf_shdr(&f, 1)), ".text");
	HT_EXPECT_STREQ(elf_section_name(&f, elf_shdr(&f, 4)), ".shstrtab");
	HT_EXPECT(elf_shdr(&f, 5) == NULL);
	HT_EXPECT(elf_phdr(&f, 0) == NULL);
}

HTEST(symbols_by_address_and_name)
{
	struct elf_file f;
	struct elf_symtab st;
	build_image();
	HT_ASSERT(elf_open(&f, &img, sizeof img) == ERR_OK);
	HT_ASSERT(elf_symtab_open(&f, &st) == ERR_OK);
	HT_EXPECT_EQ(st.count, 5);
	HT_EXPECT_STREQ(name_at(&st, 0x1000), "alpha");
	HT_EXPECT_STREQ(name_at(&st, 0x100f), "alpha");
	HT_EXPECT_STREQ(name_at(&st, 0x1010), "beta");
	HT_EXPECT_STREQ(name_at(&st, 0x1fff), "beta"); /* size 0: up to the next symbol */
	HT_EXPECT_STREQ(name_at(&st, 0x2007), "gamma");
	HT_EXPECT_STREQ(name_at(&st, 0x2008), "(none)");
	HT_EXPECT_STREQ(name_at(&st, 0xfff), "(none)");
	const struct elf64_sym *g = elf_sym_by_name(&st, "gamma");
	HT_ASSERT(g != NULL);
	HT_EXPECT_EQ(g->st_value, 0x2000);
	/* "beta" is both defined and undefined: the defined one is found. */
	HT_EXPECT_EQ(elf_sym_by_name(&st, "beta")->st_value, 0x1010);
	HT_EXPECT(elf_sym_by_name(&st, "delta") == NULL);
}

HTEST(rejects_malformed_files)
{
	struct elf_file f;
	struct elf_symtab st;
	build_image();
	HT_EXPECT_EQ(elf_open(&f, &img, 10), ERR_CORRUPT);
	img.eh.e_ident[ELF_EI_CLASS] = 1;
	HT_EXPECT_EQ(elf_open(&f, &img, sizeof img), ERR_UNSUPPORTED);
	build_image();
	img.eh.e_shnum = 6; /* table runs past the end */
	HT_EXPECT_EQ(elf_open(&f, &img, sizeof img), ERR_CORRUPT);
	build_image();
	img.eh.e_shstrndx = 9;
	HT_EXPECT_EQ(elf_open(&f, &img, sizeof img), ERR_CORRUPT);
	build_image();
	img.sh[2].sh_size = 1u << 20; /* symtab past the end */
	HT_ASSERT(elf_open(&f, &img, sizeof img) == ERR_OK);
	HT_EXPECT_EQ(elf_symtab_open(&f, &st), ERR_CORRUPT);
	build_image();
	img.syms[1].st_name = 200; /* name outside the string table */
	img.strtab[17] = 'x';      /* and the table no longer NUL-terminated */
	HT_ASSERT(elf_open(&f, &img, sizeof img) == ERR_OK);
	HT_ASSERT(elf_symtab_open(&f, &st) == ERR_OK);
	HT_EXPECT(elf_sym_name(&st, &st.syms[1]) == NULL);
	HT_EXPECT(elf_sym_name(&st, &st.syms[3]) == NULL);
	img.sh[2].sh_type = ELF_SHT_PROGBITS;
	HT_EXPECT_EQ(elf_symtab_open(&f, &st), ERR_NOENT);
}

/* The header tables are read in place: a table or a buffer that is not
 * 8-byte aligned is refused (found by fuzzing: UBSan reported misaligned
 * section header reads). */
HTEST(rejects_misaligned_tables)
{
	static uint8_t shifted[sizeof img + 8] __attribute__((aligned(8)));
	struct elf_file f;
	build_image();
	img.eh.e_shoff += 4;
	HT_EXPECT_EQ(elf_open(&f, &img, sizeof img), ERR_CORRUPT);
	build_image();
	img.eh.e_phnum = 1;
	img.eh.e_phentsize = sizeof(struct elf64_phdr);
	img.eh.e_phoff = offsetof(struct image, syms) + 4;
	HT_EXPECT_EQ(elf_open(&f, &img, sizeof img), ERR_CORRUPT);
	img.eh.e_phoff -= 4;
	HT_EXPECT_EQ(elf_open(&f, &img, sizeof img), ERR_OK);
	build_image();
	memcpy(shifted + 4, &img, sizeof img);
	HT_EXPECT_EQ(elf_open(&f, shifted + 4, sizeof img), ERR_ALIGN);
}

/* This program's own file: a real linker's output with a symbol table. */
HTEST(reads_own_executable)
{
	static uint8_t buf[16 << 20] __attribute__((aligned(8)));
	FILE *fp = fopen("/proc/self/exe", "rb");
	HT_ASSERT(fp != NULL);
	size_t n = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	struct elf_file f;
	struct elf_symtab st;
	HT_ASSERT(n > 0 && n < sizeof buf);
	HT_ASSERT(elf_open(&f, buf, n) == ERR_OK);
	HT_ASSERT(elf_symtab_open(&f, &st) == ERR_OK);
	const struct elf64_sym *s = elf_sym_by_name(&st, "build_image");
	HT_ASSERT(s != NULL);
	HT_EXPECT_EQ(elf_st_type(s->st_info), ELF_STT_FUNC);
	HT_EXPECT_STREQ(name_at(&st, s->st_value + 1), "build_image");
}

HTEST_MAIN("elf")
