/* ELF64: on-disk structures, bounds-checked access to sections and symbols
 * (elf.c).  The loaders' validating program-header checker is in load.h.
 * Freestanding: no allocation, no OS calls.
 * Specification: System V ABI "gABI" ch. 4 (ELF header, sections, symbols)
 * and ch. 5 (program headers); the x86-64 psABI for EM_X86_64.
 */
#ifndef LIB_ELF_ELF_H
#define LIB_ELF_ELF_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

/* e_ident indices and values (gABI 4 "ELF Identification"). */
#define ELF_EI_MAG0    0
#define ELF_EI_CLASS   4
#define ELF_EI_DATA    5
#define ELF_EI_VERSION 6
#define ELF_EI_OSABI   7
#define ELF_EI_NIDENT  16
#define ELF_CLASS64    2
#define ELF_DATA2LSB   1
#define ELF_EV_CURRENT 1

/* e_type */
#define ELF_ET_NONE 0
#define ELF_ET_REL  1
#define ELF_ET_EXEC 2
#define ELF_ET_DYN  3

/* e_machine */
#define ELF_EM_X86_64  62
#define ELF_EM_AARCH64 183
#define ELF_EM_RISCV   243

#define ELF_PN_XNUM 0xffff

/* Program header types and flags (gABI 5 "Program Header"). */
#define ELF_PT_NULL      0
#define ELF_PT_LOAD      1
#define ELF_PT_DYNAMIC   2
#define ELF_PT_INTERP    3
#define ELF_PT_NOTE      4
#define ELF_PT_PHDR      6
#define ELF_PT_TLS       7
#define ELF_PT_GNU_STACK 0x6474e551
#define ELF_PT_GNU_RELRO 0x6474e552

#define ELF_PF_X 0x1
#define ELF_PF_W 0x2
#define ELF_PF_R 0x4

/* Section header types and special indices (gABI 4 "Sections"). */
#define ELF_SHT_NULL      0
#define ELF_SHT_PROGBITS  1
#define ELF_SHT_SYMTAB    2
#define ELF_SHT_STRTAB    3
#define ELF_SHT_RELA      4
#define ELF_SHT_NOBITS    8
#define ELF_SHT_DYNSYM    11
#define ELF_SHF_WRITE     0x1
#define ELF_SHF_ALLOC     0x2
#define ELF_SHF_EXECINSTR 0x4
#define ELF_SHN_UNDEF     0
#define ELF_SHN_ABS       0xfff1

/* Symbol binding and type, packed in st_info (gABI 4 "Symbol Table"). */
#define ELF_STB_LOCAL   0
#define ELF_STB_GLOBAL  1
#define ELF_STB_WEAK    2
#define ELF_STT_NOTYPE  0
#define ELF_STT_OBJECT  1
#define ELF_STT_FUNC    2
#define ELF_STT_SECTION 3
#define ELF_STT_FILE    4

/* The binding of a symbol's st_info. */
static inline unsigned elf_st_bind(uint8_t info)
{
	return info >> 4;
}

/* The type of a symbol's st_info. */
static inline unsigned elf_st_type(uint8_t info)
{
	return info & 0xf;
}

struct elf64_ehdr {
	uint8_t e_ident[ELF_EI_NIDENT];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

struct elf64_shdr {
	uint32_t sh_name;
	uint32_t sh_type;
	uint64_t sh_flags;
	uint64_t sh_addr;
	uint64_t sh_offset;
	uint64_t sh_size;
	uint32_t sh_link;
	uint32_t sh_info;
	uint64_t sh_addralign;
	uint64_t sh_entsize;
};

struct elf64_sym {
	uint32_t st_name;
	uint8_t st_info;
	uint8_t st_other;
	uint16_t st_shndx;
	uint64_t st_value;
	uint64_t st_size;
};

struct elf64_rela {
	uint64_t r_offset;
	uint64_t r_info;
	int64_t r_addend;
};

struct elf64_dyn {
	int64_t d_tag;
	uint64_t d_val;
};

/* Layouts per gABI ch. 4 and 5 (ELF-64 Object File Format 1.5, tables 2-10). */
_Static_assert(sizeof(struct elf64_ehdr) == 64, "gABI 4: Elf64_Ehdr is 64 bytes");
_Static_assert(offsetof(struct elf64_ehdr, e_entry) == 24, "gABI 4: e_entry");
_Static_assert(offsetof(struct elf64_ehdr, e_phoff) == 32, "gABI 4: e_phoff");
_Static_assert(offsetof(struct elf64_ehdr, e_flags) == 48, "gABI 4: e_flags");
_Static_assert(offsetof(struct elf64_ehdr, e_phnum) == 56, "gABI 4: e_phnum");
_Static_assert(offsetof(struct elf64_ehdr, e_shstrndx) == 62, "gABI 4: e_shstrndx");
_Static_assert(sizeof(struct elf64_phdr) == 56, "gABI 5: Elf64_Phdr is 56 bytes");
_Static_assert(offsetof(struct elf64_phdr, p_offset) == 8, "gABI 5: p_offset");
_Static_assert(offsetof(struct elf64_phdr, p_memsz) == 40, "gABI 5: p_memsz");
_Static_assert(sizeof(struct elf64_shdr) == 64, "gABI 4: Elf64_Shdr is 64 bytes");
_Static_assert(offsetof(struct elf64_shdr, sh_offset) == 24, "gABI 4: sh_offset");
_Static_assert(offsetof(struct elf64_shdr, sh_link) == 40, "gABI 4: sh_link");
_Static_assert(sizeof(struct elf64_sym) == 24, "gABI 4: Elf64_Sym is 24 bytes");
_Static_assert(offsetof(struct elf64_sym, st_value) == 8, "gABI 4: st_value");
_Static_assert(sizeof(struct elf64_rela) == 24, "gABI 4: Elf64_Rela is 24 bytes");
_Static_assert(sizeof(struct elf64_dyn) == 16, "gABI 5: Elf64_Dyn is 16 bytes");

/* ---- sections and symbols (elf.c) ---- */

/* An opened ELF file: a caller-owned buffer whose header and header tables
 * have been bounds-checked. */
struct elf_file {
	const uint8_t *data;
	size_t size;
	const struct elf64_ehdr *ehdr;
};

/* A symbol table and its string table, both inside the file buffer. */
struct elf_symtab {
	const struct elf64_sym *syms;
	size_t count;
	const char *strtab;
	size_t strtab_size;
};

/* Checks the identification and that the program and section header tables
 * lie inside data[0..size), 8-byte aligned (they are read in place; data
 * must be 8-byte aligned too, else ERR_ALIGN); ERR_CORRUPT or
 * ERR_UNSUPPORTED otherwise. */
enum err elf_open(struct elf_file *f, const void *data, size_t size);

/* Program / section header i, or NULL past the end of the table. */
const struct elf64_phdr *elf_phdr(const struct elf_file *f, size_t i);
const struct elf64_shdr *elf_shdr(const struct elf_file *f, size_t i);

/* A section's bytes inside the file, or NULL (SHT_NOBITS or out of bounds). */
const void *elf_section_data(const struct elf_file *f, const struct elf64_shdr *sh);

/* A section's name from the section-name string table, or NULL. */
const char *elf_section_name(const struct elf_file *f, const struct elf64_shdr *sh);

/* Finds the SHT_SYMTAB section and its string table; ERR_NOENT if absent. */
enum err elf_symtab_open(const struct elf_file *f, struct elf_symtab *st);

/* A symbol's name, or NULL if it is not a NUL-terminated string in bounds. */
const char *elf_sym_name(const struct elf_symtab *st, const struct elf64_sym *sym);

/* The function or object symbol containing addr (or the nearest sized-0
 * symbol below it), or NULL. */
const struct elf64_sym *elf_sym_by_addr(const struct elf_symtab *st, uint64_t addr);

/* The defined symbol with this name, or NULL. */
const struct elf64_sym *elf_sym_by_name(const struct elf_symtab *st, const char *name);

#endif
