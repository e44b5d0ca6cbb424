/* lib/elf/load.c: every check of elf_exec_check on a small executable
 * built in memory, then segment copying and page permissions. */
#include <elf/load.h>
#include <stdint.h>
#include <string/mem.h>

#include "../htest.h"

#define BASE 0xffffffff80000000ull

/* Header, three program headers (text RX, data RW with bss, a PT_NOTE),
 * then the segments' bytes at page-aligned offsets. */
static struct {
	struct elf64_ehdr eh;
	struct elf64_phdr ph[3];
	uint8_t pad[0x1000 - 64 - 3 * 56];
	uint8_t text[0x1000];
	uint8_t data[0x100];
} img;

/* As the loader asks (boot/common/kernel.c): segments aligned up to 2 MiB. */
static const struct elf_expect want = {ELF_EM_X86_64, ELF_ET_EXEC, 0x200000};
static struct elf_exec x;
static char why[160];

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
	img.eh.e_type = ELF_ET_EXEC;
	img.eh.e_machine = ELF_EM_X86_64;
	img.eh.e_version = ELF_EV_CURRENT;
	img.eh.e_entry = BASE + 0x10;
	img.eh.e_phoff = offsetof(__typeof__(img), ph);
	img.eh.e_ehsize = sizeof(struct elf64_ehdr);
	img.eh.e_phentsize = sizeof(struct elf64_phdr);
	img.eh.e_phnum = 3;
	img.ph[0] = (struct elf64_phdr){ELF_PT_LOAD,
	                                ELF_PF_R | ELF_PF_X,
	                                offsetof(__typeof__(img), text),
	                                BASE,
	                                BASE,
	                                0x1000,
	                                0x1000,
	                                0x1000};
	img.ph[1] = (struct elf64_phdr){ELF_PT_LOAD,
	                                ELF_PF_R | ELF_PF_W,
	                                offsetof(__typeof__(img), data),
	                                BASE + 0x2000,
	                                BASE + 0x2000,
	                                0x100,
	                                0x3000,
	                                0x1000};
	img.ph[2] = (struct elf64_phdr){ELF_PT_NOTE, ELF_PF_R, 0, 0, 0, 0, 0, 4};
	memset(img.text, 0xcc, sizeof img.text);
	memset(img.data, 0x5a, sizeof img.data);
}

static enum err check(void)
{
	why[0] = '\0';
	return elf_exec_check(&img, sizeof img, &want, &x, why, sizeof why);
}

HTEST(accepts_a_good_executable)
{
	build();
	HT_ASSERT(check() == ERR_OK);
	HT_EXPECT_EQ(x.entry, BASE + 0x10);
	HT_EXPECT_EQ(x.load_count, 2);
	HT_EXPECT(x.vbase == BASE);
	HT_EXPECT(x.vend == BASE + 0x5000);
	HT_EXPECT_EQ(x.max_align, 0x1000);
	HT_EXPECT_EQ(x.phnum, 3);
}

HTEST(loads_segments_and_leaves_bss_zero)
{
	static uint8_t mem[0x5000];
	build();
	HT_ASSERT(check() == ERR_OK);
	memset(mem, 0, sizeof mem);
	elf_exec_load(&x, mem);
	HT_EXPECT_EQ(mem[0], 0xcc);
	HT_EXPECT_EQ(mem[0xfff], 0xcc);
	HT_EXPECT_EQ(mem[0x1000], 0);
	HT_EXPECT_EQ(mem[0x2000], 0x5a);
	HT_EXPECT_EQ(mem[0x20ff], 0x5a);
	HT_EXPECT_EQ(mem[0x2100], 0);
	HT_EXPECT_EQ(mem[0x4fff], 0);
}

HTEST(page_flags_union_on_shared_pages)
{
	build();
	img.ph[1].p_vaddr = BASE + 0x1800; /* data on the page after text */
	img.ph[0].p_memsz = img.ph[0].p_filesz = 0x800;
	img.ph[1].p_offset = offsetof(__typeof__(img), text) + 0x800;
	img.ph[1].p_filesz = 0x100;
	HT_ASSERT(check() == ERR_OK);
	HT_EXPECT_EQ(elf_exec_page_flags(&x, BASE), ELF_PF_R | ELF_PF_X);
	HT_EXPECT_EQ(elf_exec_page_flags(&x, BASE + 0x1000), ELF_PF_R | ELF_PF_W);
	img.ph[1].p_vaddr = BASE + 0x900;
	img.ph[1].p_offset = offsetof(__typeof__(img), text) + 0x900;
	HT_ASSERT(check() == ERR_OK);
	HT_EXPECT_EQ(elf_exec_page_flags(&x, BASE), ELF_PF_R | ELF_PF_W | ELF_PF_X);
	HT_EXPECT_EQ(elf_exec_page_flags(&x, BASE + 0x10000), 0);
}

/* Applies a mutation to a good image and expects err and a message
 * naming field. */
#define BAD(mutation, err, field)                                                            \
	do {                                                                                 \
		build();                                                                     \
		mutation;                                                                    \
		HT_EXPECT_EQ(check(), err);                                                  \
		if (!strstr(why, field)) {                                                   \
			char m[300];                                                         \
			snprintf(m, sizeof m, "%s: message '%s' lacks '%s'", #mutation, why, \
			         field);                                                     \
			htest_fail(__FILE__, __LINE__, m);                                   \
		}                                                                            \
	} while (0)

HTEST(rejects_bad_headers)
{
	BAD(img.eh.e_ident[0] = 0, ERR_CORRUPT, "magic");
	BAD(img.eh.e_ident[3] = 'X', ERR_CORRUPT, "magic");
	BAD(img.eh.e_ident[ELF_EI_CLASS] = 1, ERR_UNSUPPORTED, "EI_CLASS");
	BAD(img.eh.e_ident[ELF_EI_DATA] = 2, ERR_UNSUPPORTED, "EI_DATA");
	BAD(img.eh.e_ident[ELF_EI_VERSION] = 0, ERR_CORRUPT, "EI_VERSION");
	BAD(img.eh.e_type = ELF_ET_DYN, ERR_UNSUPPORTED, "e_type");
	BAD(img.eh.e_type = ELF_ET_REL, ERR_UNSUPPORTED, "e_type");
	BAD(img.eh.e_machine = ELF_EM_AARCH64, ERR_UNSUPPORTED, "e_machine");
	BAD(img.eh.e_version = 2, ERR_CORRUPT, "e_version");
	BAD(img.eh.e_ehsize = 52, ERR_CORRUPT, "e_ehsize");
	BAD(img.eh.e_phnum = 0, ERR_CORRUPT, "e_phnum");
	BAD(img.eh.e_phnum = ELF_PN_XNUM, ERR_CORRUPT, "e_phnum");
	BAD(img.eh.e_phentsize = 32, ERR_CORRUPT, "e_phentsize");
	BAD(img.eh.e_phoff = sizeof img, ERR_CORRUPT, "e_phoff");
	BAD(img.eh.e_phoff = sizeof img - 100, ERR_CORRUPT, "e_phoff");
	BAD(img.eh.e_phoff = 8, ERR_CORRUPT, "e_phoff");
	BAD(img.eh.e_phoff = UINT64_MAX - 8, ERR_CORRUPT, "e_phoff");
}

HTEST(rejects_bad_program_headers)
{
	BAD(img.ph[0].p_filesz = 0x1001, ERR_CORRUPT, "phdr[0].p_filesz");
	BAD(img.ph[1].p_offset = sizeof img, ERR_CORRUPT, "phdr[1].p_offset");
	BAD(img.ph[1].p_offset = UINT64_MAX, ERR_CORRUPT, "phdr[1].p_offset");
	BAD((img.ph[1].p_filesz = 0x2000, img.ph[1].p_memsz = 0x3000), ERR_CORRUPT,
	    "phdr[1].p_offset");
	BAD(img.ph[1].p_memsz = UINT64_MAX, ERR_CORRUPT, "phdr[1].p_vaddr+p_memsz");
	BAD(img.ph[1].p_vaddr = UINT64_MAX - 0x10, ERR_CORRUPT, "phdr[1].p_vaddr+p_memsz");
	BAD(img.ph[0].p_align = 0x1800, ERR_CORRUPT, "phdr[0].p_align");
	BAD(img.ph[0].p_vaddr = BASE + 0x10, ERR_CORRUPT, "phdr[0].p_align");
	BAD(img.ph[1].p_vaddr = BASE, ERR_CORRUPT, "overlap");
	BAD(img.ph[2].p_type = ELF_PT_INTERP, ERR_UNSUPPORTED, "PT_INTERP");
	BAD((img.ph[0].p_memsz = img.ph[0].p_filesz = 0, img.ph[1].p_type = ELF_PT_NULL),
	    ERR_CORRUPT, "no non-empty PT_LOAD");
}

/* Program-header alignment (gABI 5): p_align a power of two with p_vaddr
 * congruent to p_offset, no more than the loader honours, and an image base
 * that keeps each segment's congruence once the image is placed at a
 * max_align-aligned physical address. */
HTEST(checks_segment_alignment)
{
	/* a 2 MiB-aligned data segment, at a congruent address: accepted */
	build();
	img.ph[1].p_align = 0x200000;
	img.ph[1].p_vaddr = BASE + 0x202000; /* p_offset is 0x2000 */
	HT_ASSERT(check() == ERR_OK);
	HT_EXPECT_EQ(x.max_align, 0x200000);
	HT_EXPECT(x.vbase == BASE);
	BAD((img.ph[1].p_align = 0x200000, img.ph[1].p_vaddr = BASE + 0x203000), ERR_CORRUPT,
	    "phdr[1].p_align: p_vaddr 0xffffffff80203000 and p_offset 0x2000 differ modulo "
	    "0x200000");
	/* the image would start 4 KiB past a 2 MiB boundary */
	BAD((img.ph[0].p_vaddr = BASE + 0x1000, img.ph[1].p_align = 0x200000,
	     img.ph[1].p_vaddr = BASE + 0x202000),
	    ERR_CORRUPT,
	    "phdr[1].p_align 0x200000: the image starts at 0xffffffff80001000 (the first "
	    "PT_LOAD page), not a multiple of it");
	/* more than the loader honours */
	BAD((img.ph[1].p_align = 0x400000, img.ph[1].p_vaddr = BASE + 0x402000), ERR_UNSUPPORTED,
	    "phdr[1].p_align 0x400000 is larger than the 0x200000 this loader can honour");
	BAD(img.ph[0].p_align = 3, ERR_CORRUPT, "phdr[0].p_align 0x3 is not a power of two");
	/* a caller without a limit takes any power of two (BASE is 1 GiB aligned) */
	build();
	img.ph[1].p_align = 0x40000000;
	img.ph[1].p_vaddr = BASE + 0x40002000;
	static const struct elf_expect any = {ELF_EM_X86_64, ELF_ET_EXEC, 0};
	HT_EXPECT_EQ(elf_exec_check(&img, sizeof img, &any, &x, why, sizeof why), ERR_OK);
	HT_EXPECT_EQ(x.max_align, 0x40000000);
	HT_EXPECT_EQ(check(), ERR_UNSUPPORTED);
}

/* At most ELF_MAX_LOADS non-empty PT_LOADs (the overlap check is quadratic). */
HTEST(limits_the_number_of_segments)
{
	static struct {
		struct elf64_ehdr eh;
		struct elf64_phdr ph[ELF_MAX_LOADS + 1];
	} many;
	build();
	many.eh = img.eh;
	many.eh.e_phoff = offsetof(__typeof__(many), ph);
	many.eh.e_phnum = ELF_MAX_LOADS;
	for (unsigned i = 0; i <= ELF_MAX_LOADS; i++)
		many.ph[i] = (struct elf64_phdr){
		        ELF_PT_LOAD, ELF_PF_R | ELF_PF_X, 0, BASE + i * 0x1000, 0, 0, 0x1000,
		        0x1000};
	HT_EXPECT_EQ(elf_exec_check(&many, sizeof many, &want, &x, why, sizeof why), ERR_OK);
	HT_EXPECT_EQ(x.load_count, ELF_MAX_LOADS);
	many.eh.e_phnum = ELF_MAX_LOADS + 1;
	HT_EXPECT_EQ(elf_exec_check(&many, sizeof many, &want, &x, why, sizeof why),
	             ERR_UNSUPPORTED);
	HT_EXPECT(strstr(why, "phdr[256]: more than 256 non-empty PT_LOAD segments") != NULL);
}

HTEST(tolerates_unaligned_tables_and_ignores_other_segments)
{
	static uint8_t shifted[sizeof img + 1];
	build();
	img.ph[2].p_offset = UINT64_MAX; /* a PT_NOTE is not checked */
	memcpy(shifted + 1, &img, sizeof img);
	HT_EXPECT(elf_exec_check(shifted + 1, sizeof img, &want, &x, why, sizeof why) == ERR_OK);
	build();
	img.ph[0].p_align = 0; /* 0 and 1 mean no alignment constraint */
	img.ph[1].p_align = 1;
	HT_EXPECT(check() == ERR_OK);
}

HTEST(tiny_files)
{
	build();
	HT_EXPECT(elf_exec_check(&img, 10, &want, &x, why, sizeof why) == ERR_CORRUPT);
	HT_EXPECT(strstr(why, "too small") != NULL);
	HT_EXPECT(elf_exec_check(NULL, 0, &want, &x, why, sizeof why) == ERR_CORRUPT);
	HT_EXPECT(elf_exec_check(&img, 200, &want, &x, NULL, 0) == ERR_CORRUPT);
}

HTEST_MAIN("boot_elf")
