/* boot/common/reloc.c: the KASLR base choice, and R_X86_64_RELATIVE
 * relocation of a hand-made position-independent ELF file.  Every expected
 * word below was worked out by hand from the fixture's addends and the
 * slide, not by calling the code under test. */
#include <elf/load.h>
#include <stdint.h>
#include <string/mem.h>

#include "../htest.h"
#include "reloc.h"

#define BASE  0xffffffff80000000ull
#define SLIDE 0x3fe00000ull /* 511 slots of 2 MiB up */
#define DATA  (BASE + 0x1000)

/* The data segment's bytes: the dynamic section, the RELA table, words. */
struct data_seg {
	struct elf64_dyn dyn[5];
	struct elf64_rela rela[3];
	uint64_t words[4];
};

/* Header, three program headers (text R-X, data RW-, PT_DYNAMIC), then
 * the two segments at page-aligned file offsets. */
static struct {
	struct elf64_ehdr eh;
	struct elf64_phdr ph[3];
	uint8_t pad[0x1000 - 64 - 3 * 56];
	uint8_t text[0x1000];
	struct data_seg data;
} img;

static const struct elf_expect want = {ELF_EM_X86_64, ELF_ET_DYN, 0x200000};
static struct elf_exec x;
static uint8_t mem[0x2000]; /* the loaded image: [BASE, BASE + 0x2000) */
static char why[200];

#define DOFF(field) (DATA + offsetof(struct data_seg, field))

static void build(void)
{
	memset(&img, 0, sizeof img);
	memcpy(img.eh.e_ident,
	       "\x7f"
	       "ELF",
	       4);
	img.eh.e_ident[ELF_EI_CLASS] = ELF_CLASS64;
	img.eh.e_ident[ELF_EI_DATA] = ELF_DATA2LSB;
	img.eh.e_ident[ELF_EI_VERSION] = ELF_EV_CURRENT;
	img.eh.e_type = ELF_ET_DYN;
	img.eh.e_machine = ELF_EM_X86_64;
	img.eh.e_version = ELF_EV_CURRENT;
	img.eh.e_entry = BASE;
	img.eh.e_phoff = offsetof(__typeof__(img), ph);
	img.eh.e_ehsize = sizeof(struct elf64_ehdr);
	img.eh.e_phentsize = sizeof(struct elf64_phdr);
	img.eh.e_phnum = 3;
	uint64_t toff = offsetof(__typeof__(img), text), doff = offsetof(__typeof__(img), data);
	img.ph[0] = (struct elf64_phdr){
	        ELF_PT_LOAD, ELF_PF_R | ELF_PF_X, toff, BASE, BASE, 0x1000, 0x1000, 0x1000};
	img.ph[1] = (struct elf64_phdr){ELF_PT_LOAD, ELF_PF_R | ELF_PF_W,     doff,   DATA,
	                                DATA,        sizeof(struct data_seg), 0x1000, 0x1000};
	img.ph[2] = (struct elf64_phdr){
	        ELF_PT_DYNAMIC,      ELF_PF_R, doff, DATA, DATA, sizeof img.data.dyn,
	        sizeof img.data.dyn, 8};
	struct data_seg *d = &img.data;
	d->dyn[0] = (struct elf64_dyn){7, DOFF(rela)};                /* DT_RELA */
	d->dyn[1] = (struct elf64_dyn){8, sizeof d->rela};            /* DT_RELASZ */
	d->dyn[2] = (struct elf64_dyn){9, sizeof(struct elf64_rela)}; /* DT_RELAENT */
	d->dyn[3] = (struct elf64_dyn){0x6ffffff9, 3};                /* DT_RELACOUNT */
	/* words[0] points at text + 0x10, words[2] at the data's + 0x40, and
	 * an unaligned word at text + 0xc at text + 0xabc. */
	d->rela[0] = (struct elf64_rela){DOFF(words[0]), 8, (int64_t)(BASE + 0x10)};
	d->rela[1] = (struct elf64_rela){DOFF(words[2]), 8, (int64_t)(DATA + 0x40)};
	d->rela[2] = (struct elf64_rela){BASE + 0xc, 8, (int64_t)(BASE + 0xabc)};
	for (int i = 0; i < 4; i++)
		d->words[i] = 0x1111111111111111ull * (i + 1);
	memset(img.text, 0xcc, sizeof img.text);
}

/* Checks and loads the fixture, then relocates it by slide. */
static enum err relocate(uint64_t slide, uint64_t *n)
{
	why[0] = '\0';
	HT_ASSERT(elf_exec_check(&img, sizeof img, &want, &x, why, sizeof why) == ERR_OK);
	memset(mem, 0, sizeof mem);
	elf_exec_load(&x, mem);
	return reloc_apply(&x, mem, slide, n, why, sizeof why);
}

/* The 64-bit word at link address va of the loaded image. */
static uint64_t word_at(uint64_t va)
{
	uint64_t w;
	memcpy(&w, mem + (va - BASE), sizeof w);
	return w;
}

HTEST(relative_words_get_addend_plus_slide)
{
	uint64_t n;

	build();
	HT_ASSERT(relocate(SLIDE, &n) == ERR_OK);
	HT_EXPECT_EQ(n, 3);
	HT_EXPECT_EQ(word_at(DOFF(words[0])), 0xffffffffbfe00010ull);
	HT_EXPECT_EQ(word_at(DOFF(words[1])), 0x2222222222222222ull); /* no relocation */
	HT_EXPECT_EQ(word_at(DOFF(words[2])), 0xffffffffbfe01040ull);
	HT_EXPECT_EQ(word_at(DOFF(words[3])), 0x4444444444444444ull);
	HT_EXPECT_EQ(word_at(BASE + 0xc), 0xffffffffbfe00abcull);
	HT_EXPECT_EQ(mem[0xb], 0xcc); /* the bytes around the unaligned word */
	HT_EXPECT_EQ(mem[0x14], 0xcc);
}

HTEST(no_slide_writes_the_link_addresses)
{
	uint64_t n;

	build();
	HT_ASSERT(relocate(0, &n) == ERR_OK);
	HT_EXPECT_EQ(word_at(DOFF(words[0])), 0xffffffff80000010ull);
	HT_EXPECT_EQ(word_at(BASE + 0xc), 0xffffffff80000abcull);
}

HTEST(no_dynamic_section_nothing_to_do)
{
	uint64_t n = 99;

	build();
	img.ph[2].p_type = ELF_PT_NOTE;
	HT_ASSERT(relocate(SLIDE, &n) == ERR_OK);
	HT_EXPECT_EQ(n, 0);
	HT_EXPECT_EQ(word_at(DOFF(words[0])), 0x1111111111111111ull);
}

HTEST(unknown_types_refused_by_name_and_offset)
{
	uint64_t n;

	build();
	img.data.rela[1].r_info = 1; /* R_X86_64_64 against symbol 0 */
	HT_EXPECT_EQ(relocate(SLIDE, &n), ERR_UNSUPPORTED);
	HT_EXPECT_STREQ(why, "relocation 1 at 0xffffffff800010a8: type 1 (R_X86_64_64) is not "
	                     "supported, only R_X86_64_RELATIVE");
	build();
	img.data.rela[2].r_info = 37;
	HT_EXPECT_EQ(relocate(SLIDE, &n), ERR_UNSUPPORTED);
	HT_EXPECT_STREQ(why, "relocation 2 at 0xffffffff8000000c: type 37 (R_X86_64_IRELATIVE) "
	                     "is not supported, only R_X86_64_RELATIVE");
	build();
	img.data.rela[0].r_info = 99;
	HT_EXPECT_EQ(relocate(SLIDE, &n), ERR_UNSUPPORTED);
	HT_EXPECT_STREQ(why, "relocation 0 at 0xffffffff80001098: type 99 (unknown) is not "
	                     "supported, only R_X86_64_RELATIVE");
}

HTEST(bad_tables_refused)
{
	uint64_t n;

	build();
	img.data.rela[0].r_info = (uint64_t)5 << 32 | 8; /* RELATIVE naming a symbol */
	HT_EXPECT_EQ(relocate(SLIDE, &n), ERR_CORRUPT);
	HT_EXPECT_STREQ(why, "relocation 0 at 0xffffffff80001098: R_X86_64_RELATIVE names "
	                     "symbol 5");
	build();
	img.data.rela[2].r_offset = BASE + 0x1ff9; /* the word's last byte past the image */
	HT_EXPECT_EQ(relocate(SLIDE, &n), ERR_CORRUPT);
	HT_EXPECT_STREQ(why, "relocation 2: offset 0xffffffff80001ff9 is outside the image "
	                     "0xffffffff80000000-0xffffffff80002000");
	build();
	img.data.dyn[2].d_val = 16;
	HT_EXPECT_EQ(relocate(SLIDE, &n), ERR_CORRUPT);
	HT_EXPECT_STREQ(why, "DT_RELAENT is 16, not 24");
	build();
	img.data.dyn[1].d_val = 0x2000;
	HT_EXPECT_EQ(relocate(SLIDE, &n), ERR_CORRUPT);
	HT_EXPECT_STREQ(why, "DT_RELA 0xffffffff80001050 + DT_RELASZ 0x2000: not a table inside "
	                     "the image 0xffffffff80000000-0xffffffff80002000");
	build();
	img.data.dyn[3] = (struct elf64_dyn){17, 0xffffffff80001050ull}; /* DT_REL */
	HT_EXPECT_EQ(relocate(SLIDE, &n), ERR_UNSUPPORTED);
	HT_EXPECT_STREQ(why, "dynamic entry 3: DT_REL (REL relocations) is not supported");
	build();
	img.data.dyn[3] = (struct elf64_dyn){1, 1}; /* DT_NEEDED */
	HT_EXPECT_EQ(relocate(SLIDE, &n), ERR_UNSUPPORTED);
	HT_EXPECT_STREQ(why, "dynamic entry 3: DT_NEEDED (a shared library) is not supported");
	build();
	img.ph[2].p_filesz = 0x10000; /* the dynamic section past the end of the file */
	HT_EXPECT_EQ(relocate(SLIDE, &n), ERR_CORRUPT);
	HT_EXPECT_STREQ(why, "phdr[2] (PT_DYNAMIC): bytes 0x2000+0x10000 outside the file");
}

HTEST(bases_in_the_top_2gib)
{
	/* 2 GiB / 2 MiB = 1024 slots; an image of 0xd2000 bytes fits in the
	 * last one (0xffffffffffe00000 + 0xd2000 < 2^64). */
	HT_EXPECT_EQ(reloc_slots(BASE, 0xd2000), 1024);
	HT_EXPECT_EQ(reloc_slots(BASE, 0x200000), 1024);
	HT_EXPECT_EQ(reloc_slots(BASE, 0x200001), 1023);
	HT_EXPECT_EQ(reloc_slots(BASE, 0x80000000ull), 1);
	HT_EXPECT_EQ(reloc_slots(BASE, 0x80000001ull), 0);
	HT_EXPECT_EQ(reloc_slots(0xffff800000000000ull, 0x1000), 0); /* below the window */
	HT_EXPECT_EQ(reloc_pick(BASE, 0xd2000, 5), 0xffffffff80a00000ull);
	HT_EXPECT_EQ(reloc_pick(BASE, 0xd2000, 1024 + 3), 0xffffffff80600000ull);
	HT_EXPECT_EQ(reloc_pick(BASE, 0xd2000, 1023), 0xffffffffffe00000ull);
	/* A link base 4 KiB into its 2 MiB slot keeps that offset. */
	HT_EXPECT_EQ(reloc_slots(BASE + 0x1000, 0x1ff000), 1024);
	HT_EXPECT_EQ(reloc_pick(BASE + 0x1000, 0x1ff000, 1023), 0xffffffffffe01000ull);
	HT_EXPECT_EQ(reloc_pick(0xffff800000000000ull, 0x1000, 7), 0xffff800000000000ull);
}

HTEST_MAIN("boot_reloc")
