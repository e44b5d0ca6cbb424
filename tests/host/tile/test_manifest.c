/* Host tests of the manifest reader (tools/tile/manifest.c, docs/tile.md
 * §13): what each declaration puts in the model, and the message (file and
 * line) for each malformed one, read back from stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tessera/caps.h>
#include <unistd.h>

#include "../../../tools/tile/model.h"
#include "../htest.h"

/* Reads text as the manifest "m.txt"; its messages to msg. */
static int read_manifest(struct model *m, const char *text, char *msg, size_t len)
{
	FILE *tmp = tmpfile();
	int saved = dup(2);

	fflush(stderr);
	dup2(fileno(tmp), 2);
	model_init(m, TILE_KIND_PROGRAM, NULL);
	int e = manifest_read(m, "m.txt", text);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	size_t n = fread(msg, 1, len - 1, tmp);
	msg[n] = 0;
	if (n && msg[n - 1] == '\n')
		msg[n - 1] = 0;
	fclose(tmp);
	return e;
}

static const char *str(const struct model *m, uint32_t off)
{
	return (const char *)m->pool.data + off;
}

HTEST(manifest_declarations_fill_the_model)
{
	struct model m;
	char msg[256];

	HT_ASSERT(read_manifest(&m,
	                        "# a comment\n"
	                        "program demo 2.7\n"
	                        "cap log log w\n"
	                        "cap memory memory 256K\n"
	                        "cap ep endpoint rwg optional  # trailing comment\n"
	                        "cap * module\n"
	                        "import lib 1.0..2.3 f func \"fn(u64, u64) -> u64\"\n"
	                        "import lib 1.0..2.3 d data u64\n"
	                        "args user/apps/sieve/sieve_args.schema\n"
	                        "config user/init/init_startup.schema\n",
	                        msg, sizeof msg) == 0);
	HT_EXPECT_STREQ(msg, "");
	HT_EXPECT_STREQ(str(&m, m.h.name), "demo");
	HT_EXPECT_EQ(m.h.version_major, 2);
	HT_EXPECT_EQ(m.h.version_minor, 7);
	HT_ASSERT(m.caps.n == 4);
	struct tile_cap *c = VEC_AT(&m.caps, struct tile_cap, 1);
	HT_EXPECT_EQ(c->type, TILE_CAP_MEMORY);
	HT_EXPECT_EQ(c->size, 256 * 1024);
	HT_EXPECT_EQ(c->rights, CAP_RIGHT_RETYPE);
	c = VEC_AT(&m.caps, struct tile_cap, 2);
	HT_EXPECT_EQ(c->rights, CAP_RIGHT_READ | CAP_RIGHT_WRITE | CAP_RIGHT_GRANT);
	HT_EXPECT_EQ(c->flags, TILE_CAP_OPTIONAL);
	HT_EXPECT_STREQ(str(&m, VEC_AT(&m.caps, struct tile_cap, 3)->name), "*");
	HT_ASSERT(m.libraries.n == 1 && m.imports.n == 2);
	struct tile_library *l = VEC_AT(&m.libraries, struct tile_library, 0);
	HT_EXPECT_EQ(l->max_major, 2);
	HT_EXPECT_EQ(l->max_minor, 3);
	struct tile_import *im = VEC_AT(&m.imports, struct tile_import, 0);
	HT_EXPECT_EQ(im->kind, TILE_SYM_FUNC);
	struct tile_type *t = VEC_AT(&m.types, struct tile_type, im->type);
	HT_EXPECT_STREQ(str(&m, t->text), "fn(u64, u64) -> u64");
	/* lib/typed's descriptor (lib/typed/README.md): "TYD" 1, function,
	 * two parameters, a result, each uint 0..2^64-1 */
	static const uint8_t u64[] = {3,    0,    0xff, 0xff, 0xff, 0xff,
	                              0xff, 0xff, 0xff, 0xff, 0xff, 1};
	uint8_t want[4 + 2 + 3 * sizeof u64 + 1] = {'T', 'Y', 'D', 1, 13, 2};
	memcpy(want + 6, u64, sizeof u64);
	memcpy(want + 6 + sizeof u64, u64, sizeof u64);
	want[6 + 2 * sizeof u64] = 1;
	memcpy(want + 7 + 2 * sizeof u64, u64, sizeof u64);
	HT_ASSERT(t->blob_size == sizeof want);
	HT_EXPECT(memcmp(m.pool.data + t->blob, want, sizeof want) == 0);
	/* the schemas: their root records by name, their descriptors */
	HT_ASSERT(m.args.n == 1 && m.config.n == 1);
	struct tile_schema *f = VEC_AT(&m.args, struct tile_schema, 0);
	HT_EXPECT_STREQ(str(&m, f->name), "sieve_args");
	t = VEC_AT(&m.types, struct tile_type, f->type);
	HT_EXPECT(memcmp(m.pool.data + t->blob, "TYD\x01\x0b\x01\x05limit", 12) == 0);
	f = VEC_AT(&m.config, struct tile_schema, 0);
	HT_EXPECT_STREQ(str(&m, f->name), "init_startup");
	model_free(&m);
}

HTEST(manifest_errors_name_the_file_and_line)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
	        {"cap log log\n",
	         "m.txt:1: the first declaration is program NAME VERSION or library "
	         "NAME VERSION"},
	        {"program a 1.x\n", "m.txt:1: '1.x' is not a version MAJOR.MINOR"},
	        {"program a 1.0\ncap x file\n",
	         "m.txt:2: cap x: type 'file' is not log, memory, module, endpoint, notify, "
	         "ioport, irq, devframe, devmem or cnode"},
	        {"program a 1.0\ncap m memory\n", "m.txt:2: cap m memory: a size is needed"},
	        {"program a 1.0\ncap m memory 3M\n",
	         "m.txt:2: size '3M': a power of two of at least 4K (K, M, G suffixes)"},
	        {"program a 1.0\ncap e endpoint rz\n",
	         "m.txt:2: rights 'rz': letters r w x g t only"},
	        {"program a 1.0\nimport l 2.0..1.0 f func u64\n",
	         "m.txt:2: version range '2.0..1.0' is empty"},
	        {"program a 1.0\nimport l 1.0 f func u64\n",
	         "m.txt:2: version range '1.0' is not MIN..MAX"},
	        {"program a 1.0\nimport l 1.0..2.0 f fun u64\n",
	         "m.txt:2: 'fun' is not func or data"},
	        {"program a 1.0\nimport l 1.0..2.0 f func u64\nimport l 1.0..3.0 g func u64\n",
	         "m.txt:3: library l: a second version range"},
	        {"program a 1.0\nexport f func u64\n", "m.txt: a program exports nothing"},
	        {"library l 1.0\ncap log log\n",
	         "m.txt: a library declares no caps, args or config"},
	        {"program a 1.0\nargs x.schema y\n",
	         "m.txt:2: args SCHEMA (a schema file, lib/typed/README.md)"},
	        {"program a 1.0\nargs tests/nope.schema\n",
	         "tests/nope.schema: cannot read\nm.txt:2: args tests/nope.schema: the schema is "
	         "refused"},
	        {"program a 1.0\nconfig user/init/init_startup.schema\n"
	         "config user/init/init_startup.schema\n",
	         "m.txt:3: config: given twice"},
	        {"program a 1.0\nimport l 1.0..2.0 f func \"fn(u65)\"\n",
	         "m.txt:2: type 'fn(u65)': 'u65' is not bool, u8..u64, i8..i64, [T; N] or fn(...) "
	         "-> T"},
	        {"program a 1.0\ncap \"x\n", "m.txt:2: a quote is not closed"},
	        {"program a 1.0\nfrobnicate\n",
	         "m.txt:2: 'frobnicate' is not program, library, "
	         "cap, export, import, args, config, commands or command"},
	        {"# nothing\n", "m.txt: no program or library declaration"},
	};
	char msg[256];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct model m;
		HT_EXPECT(read_manifest(&m, cases[i].text, msg, sizeof msg) == -1);
		HT_EXPECT_STREQ(msg, cases[i].msg);
		model_free(&m);
	}
}

HTEST_MAIN("tile_manifest")
