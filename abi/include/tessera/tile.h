/* Tile: Tessera's executable and library format (docs/tile.md is the
 * specification; section numbers below are its sections).  This header is
 * the one definition of the byte layout, shared by the host tool that
 * writes tiles (tools/tile), the checker every loader uses (lib/tile) and
 * the loaders (user/lib/rt, kernel/sched/spawn.c).
 *
 * A tile is little-endian.  It starts with a header (§2) and a table of
 * sections (§3); each section is an array of fixed-size records, or the
 * pool of strings and type descriptors the records point into (§4).
 * Segments' bytes start on 4 KiB boundaries of the file, so a page of the
 * file is a page of the image (§5).  Every address in a tile is an offset
 * from the image's base, which the loader chooses (§6: every tile is
 * position independent).
 */
#ifndef TESSERA_TILE_H
#define TESSERA_TILE_H

#include <stddef.h>
#include <stdint.h>

/* §2 The header. */
#define TILE_MAGIC       "\x7fTILE\r\n\x1a" /* 8 bytes, no NUL */
#define TILE_MAGIC_BYTES 8
#define TILE_VERSION     2 /* 2: lib/typed descriptors; schemas are records (§7, §10) */
#define TILE_PAGE        4096ull
#define TILE_LARGE_PAGE  (2ull << 20)

enum tile_arch { TILE_ARCH_X86_64 = 1, TILE_ARCH_AARCH64 = 2, TILE_ARCH_RISCV64 = 3 };
enum tile_kind { TILE_KIND_PROGRAM = 1, TILE_KIND_LIBRARY = 2 };

#define TILE_BUILD_ID_BYTES 20 /* the linker's build id (lld --build-id=sha1) */

struct tile_header {
	uint8_t magic[TILE_MAGIC_BYTES];
	uint16_t format;        /* TILE_VERSION */
	uint16_t arch;          /* enum tile_arch */
	uint16_t kind;          /* enum tile_kind */
	uint16_t header_size;   /* sizeof(struct tile_header) */
	uint32_t section_count; /* entries of the section table, right after the header */
	uint32_t name;          /* pool offset: the program's or library's name */
	uint64_t file_size;     /* the whole file, in bytes */
	uint64_t entry;         /* program: offset of its entry from the base; library: 0 */
	uint64_t image_size;    /* bytes of address space from the base, a multiple of 4 KiB */
	uint64_t image_align;   /* the base's alignment: TILE_PAGE or TILE_LARGE_PAGE */
	uint16_t version_major; /* of this program or library (§8) */
	uint16_t version_minor;
	uint32_t flags; /* 0 */
	uint8_t build_id[TILE_BUILD_ID_BYTES];
	uint32_t reserved; /* 0 */
};
_Static_assert(sizeof(struct tile_header) == 88, "docs/tile.md 2: the header is 88 bytes");
_Static_assert(offsetof(struct tile_header, section_count) == 16, "docs/tile.md 2");
_Static_assert(offsetof(struct tile_header, file_size) == 24, "docs/tile.md 2");
_Static_assert(offsetof(struct tile_header, image_align) == 48, "docs/tile.md 2");
_Static_assert(offsetof(struct tile_header, build_id) == 64, "docs/tile.md 2");

/* §3 The section table: one entry per section, each type at most once. */
enum tile_section_type {
	TILE_SEC_POOL = 1,      /* bytes: strings (NUL-terminated) and type descriptors */
	TILE_SEC_SEGMENTS = 2,  /* struct tile_segment */
	TILE_SEC_RELATIVE = 3,  /* uint64_t: packed relative relocations (§6) */
	TILE_SEC_BINDS = 4,     /* struct tile_bind: relocations to imports (§6) */
	TILE_SEC_TYPES = 5,     /* struct tile_type */
	TILE_SEC_LIBRARIES = 6, /* struct tile_library: libraries it imports from */
	TILE_SEC_IMPORTS = 7,   /* struct tile_import */
	TILE_SEC_EXPORTS = 8,   /* struct tile_export */
	TILE_SEC_CAPS = 9,      /* struct tile_cap: the capability manifest (§9) */
	TILE_SEC_ARGS = 10,     /* struct tile_schema: the argument schema (§10) */
	TILE_SEC_CONFIG = 11,   /* struct tile_schema: the configuration schema (§10) */
	TILE_SEC_SYMBOLS = 12,  /* struct tile_symbol: optional, for backtraces */
	TILE_SEC_COMMANDS = 13, /* struct tile_command: a library's shell commands (§16) */
	TILE_SEC_TYPE_COUNT = 14
};

struct tile_section {
	uint32_t type;        /* enum tile_section_type */
	uint32_t record_size; /* bytes per record (1 for the pool) */
	uint64_t offset;      /* in the file, a multiple of 8 */
	uint64_t size;        /* bytes, a multiple of record_size */
};
_Static_assert(sizeof(struct tile_section) == 24, "docs/tile.md 3: a section entry is 24 bytes");

/* §5 Segments: sorted by address, not overlapping, each starting on a
 * page; file_offset is a multiple of 4 KiB and filesz <= memsz (the rest is
 * zero).  No segment is both writable and executable. */
#define TILE_PROT_R 1u
#define TILE_PROT_W 2u
#define TILE_PROT_X 4u

struct tile_segment {
	uint64_t addr;        /* offset from the base, a multiple of 4 KiB */
	uint64_t memsz;       /* bytes of address space */
	uint64_t file_offset; /* where its bytes start in the file */
	uint64_t filesz;      /* bytes in the file */
	uint32_t prot;        /* TILE_PROT_* */
	uint32_t align_bits;  /* 12 or 21: the page size it may be mapped with */
};
_Static_assert(sizeof(struct tile_segment) == 40, "docs/tile.md 5: a segment is 40 bytes");

/* §6 Relocations.  RELATIVE: a packed list of the 8-byte words to which
 * the base is added (a word holds its offset from the base as linked): an
 * even entry (low bit 0) is the offset of a word, and of the 63 words
 * after it those whose bit n (1..63) is set in the following odd entries,
 * each odd entry covering the next 63 words.  BINDS: words that get an
 * import's address plus an addend, sorted by offset.  Every target is an
 * 8-byte aligned word inside a segment that is not executable. */
#define TILE_RELATIVE_BITS 63

struct tile_bind {
	uint64_t offset; /* of the word, from the base */
	uint32_t import; /* index into the import table */
	uint32_t reserved;
	int64_t addend;
};
_Static_assert(sizeof(struct tile_bind) == 24, "docs/tile.md 6: a bind is 24 bytes");

/* §7 Types: a descriptor (lib/typed's canonical encoding, with its
 * documentation and defaults: bytes in the pool) with its 64-bit identity
 * (lib/typed's typed_desc_id), which is what loaders compare, and a short
 * human-readable form for messages.  The checker looks at a descriptor's
 * first bytes only (lib/typed decodes the rest where it is used). */
#define TILE_DESC_MAGIC   "TYD" /* lib/typed: TYPED_DESC_MAGIC, then its version */
#define TILE_DESC_VERSION 1     /* TYPED_DESC_VERSION */
#define TILE_DESC_RECORD  11    /* the kind byte after them: TYPED_RECORD */
#define TILE_DESC_MIN     5     /* magic, version, a kind */
struct tile_type {
	uint64_t hash;      /* identity of the descriptor */
	uint32_t blob;      /* pool offset of the descriptor bytes */
	uint32_t blob_size; /* and their length */
	uint32_t text;      /* pool offset: the type as text, e.g. "fn(u64) -> u64" */
	uint32_t reserved;
};
_Static_assert(sizeof(struct tile_type) == 24, "docs/tile.md 7: a type is 24 bytes");

/* §8 Linking: exports of a library, imports of a program or library, the
 * libraries they come from with the versions accepted
 * [min_major.min_minor, max_major.max_minor). */
enum tile_sym_kind { TILE_SYM_FUNC = 1, TILE_SYM_DATA = 2 };

struct tile_library {
	uint32_t name; /* pool offset */
	uint16_t min_major, min_minor;
	uint16_t max_major, max_minor;
	uint32_t reserved;
};
_Static_assert(sizeof(struct tile_library) == 16, "docs/tile.md 8: a library entry is 16 bytes");

struct tile_import {
	uint32_t library; /* index into the library table */
	uint32_t name;    /* pool offset: the symbol */
	uint32_t type;    /* index into the type table: the type expected */
	uint16_t kind;    /* enum tile_sym_kind */
	uint16_t reserved;
};
_Static_assert(sizeof(struct tile_import) == 16, "docs/tile.md 8: an import is 16 bytes");

struct tile_export {
	uint64_t value; /* offset from the base */
	uint32_t name;  /* pool offset */
	uint32_t type;  /* index into the type table */
	uint16_t kind;  /* enum tile_sym_kind */
	uint16_t reserved[3];
};
_Static_assert(sizeof(struct tile_export) == 24, "docs/tile.md 8: an export is 24 bytes");

/* §9 The capability manifest: what the program needs, by name.  A spawner
 * grants exactly these and nothing else. */
enum tile_cap_type {
	TILE_CAP_LOG = 1,      /* the log (SLOT_LOG) */
	TILE_CAP_MEMORY = 2,   /* its budget: an untyped of `size` bytes (SLOT_UNTYPED) */
	TILE_CAP_MODULE = 3,   /* a boot module by name; "*": every module offered */
	TILE_CAP_ENDPOINT = 4, /* an endpoint the spawner passes by name */
	TILE_CAP_NOTIFY = 5,   /* a notification the spawner passes by name */
	/* device capabilities (kernel/README.md, "Devices"), by name too: */
	TILE_CAP_IOPORT = 6,   /* an I/O-port range */
	TILE_CAP_IRQ = 7,      /* an interrupt line */
	TILE_CAP_DEVFRAME = 8, /* a device frame (MMIO registers) */
	TILE_CAP_DEVMEM = 9,   /* device untyped: MMIO to retype into device frames */
	TILE_CAP_CNODE = 10,   /* a CNode of caps (e.g. every device cap, for the PCI service) */
	TILE_CAP_TYPE_COUNT = 11
};
#define TILE_CAP_OPTIONAL 1u /* flags: the program runs without it */

struct tile_cap {
	uint32_t name;   /* pool offset */
	uint16_t type;   /* enum tile_cap_type */
	uint16_t rights; /* CAP_RIGHT_* (tessera/caps.h) it needs */
	uint64_t size;   /* MEMORY: bytes, a power of two; others 0 */
	uint32_t flags;  /* TILE_CAP_* */
	uint32_t reserved;
};
_Static_assert(sizeof(struct tile_cap) == 24, "docs/tile.md 9: a cap is 24 bytes");

/* §10 Schemas: the record type of the program's arguments (its command
 * line) and of its configuration; at most one of each. */
struct tile_schema {
	uint32_t type;  /* index into the type table: a record's descriptor */
	uint32_t name;  /* pool offset: the record's name (sieve_args) */
	uint32_t flags; /* 0 */
	uint32_t reserved;
};
_Static_assert(sizeof(struct tile_schema) == 16, "docs/tile.md 10: a schema is 16 bytes");

/* §11 Symbols (optional): functions and objects, for backtraces. */
struct tile_symbol {
	uint64_t value; /* offset from the base */
	uint64_t size;
	uint32_t name; /* pool offset */
	uint32_t kind; /* enum tile_sym_kind */
};
_Static_assert(sizeof(struct tile_symbol) == 24, "docs/tile.md 11: a symbol is 24 bytes");

/* §16 Shell commands of a command library: a signature the shell checks
 * lines against (types are lib/typed descriptors: a parameters record, the
 * pipeline input's and the result's types) and the function it calls.
 * kinds: pool string, one letter per parameter (v value, c column, r row
 * expression, n command name, p program name; "" all values).  in/out are
 * lib/shell's enum shell_io; abi the calling convention's version. */
#define TILE_CMD_NONE   0xffffffffu /* params, input, result: none */
#define TILE_CMD_IO_MAX 5           /* in, out: at most SHELL_IO_ELEM */

struct tile_command {
	uint64_t value;  /* offset from the base of the function, in code */
	uint32_t name;   /* pool offset: [a-z][a-z0-9_]* */
	uint32_t doc;    /* pool offset: one line, or 0 */
	uint32_t params; /* type index: a record, or TILE_CMD_NONE */
	uint32_t input;  /* type index (in == TYPE), or TILE_CMD_NONE */
	uint32_t result; /* type index (out == TYPE), or TILE_CMD_NONE */
	uint32_t kinds;  /* pool offset: the parameters' letters, or 0 */
	uint8_t in, out; /* enum shell_io (lib/shell/shell.h) */
	uint16_t abi;    /* the calling convention's version (the shell's) */
	uint32_t reserved;
};
_Static_assert(sizeof(struct tile_command) == 40, "docs/tile.md 16: a command is 40 bytes");
_Static_assert(offsetof(struct tile_command, in) == 32, "docs/tile.md 16");

/* §12 Limits every loader enforces (hostile sizes are refused before any
 * allocation). */
#define TILE_MAX_FILE     (256ull << 20)
#define TILE_MAX_IMAGE    (1ull << 40)
#define TILE_MAX_SEGMENTS 16u
#define TILE_MAX_RECORDS  65536u /* of any one section */
#define TILE_MAX_NAME     64u    /* bytes of a name, NUL included */
#define TILE_MAX_DOC      256u   /* bytes of a command's doc, NUL included */

#endif
