/* mksparse: writes a raw disk image (or a range of its sectors) as a sparse
 * fuzz disk (sparse.h): the runs of sectors that are not all zero.
 *
 *   mksparse IN OUT [FIRST_LBA [COUNT]] [--sectors LIST]
 *
 * FIRST_LBA/COUNT select sectors of IN (512 bytes each; default: all), which
 * become LBA 0.. of the output; its header gives COUNT as the disk size.
 * --sectors LIST (comma-separated LBAs or FROM-TO ranges, relative to
 * FIRST_LBA) keeps only those sectors, so a seed holds just what a parser
 * reads (e.g. the GPT's).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECTOR 512

static void put32(FILE *f, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	fwrite(b, 1, 4, f);
}

static int is_zero(const uint8_t *p)
{
	for (int i = 0; i < SECTOR; i++)
		if (p[i])
			return 0;
	return 1;
}

/* Whether sector lba is in LIST ("1,2,10-20"); every sector without a list. */
static int wanted(const char *list, uint64_t lba)
{
	if (!list)
		return 1;
	for (const char *p = list; *p;) {
		char *end;
		uint64_t lo = strtoull(p, &end, 0), hi = lo;
		if (*end == '-')
			hi = strtoull(end + 1, &end, 0);
		if (lba >= lo && lba <= hi)
			return 1;
		p = *end == ',' ? end + 1 : end;
		if (end == p && *p)
			break;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *list = NULL;
	if (argc >= 3 && !strcmp(argv[argc - 2], "--sectors")) {
		list = argv[argc - 1];
		argc -= 2;
	}
	if (argc < 3 || argc > 5) {
		fprintf(stderr, "usage: mksparse IN OUT [FIRST_LBA [COUNT]] [--sectors LIST]\n");
		return 2;
	}
	FILE *in = fopen(argv[1], "rb"), *out = fopen(argv[2], "wb");
	if (!in || !out) {
		perror("mksparse");
		return 1;
	}
	fseek(in, 0, SEEK_END);
	uint64_t total = (uint64_t)ftell(in) / SECTOR;
	uint64_t first = argc > 3 ? strtoull(argv[3], NULL, 0) : 0;
	uint64_t count = argc > 4 ? strtoull(argv[4], NULL, 0) : total - first;
	if (first > total || count > total - first || count > UINT32_MAX) {
		fprintf(stderr, "mksparse: sectors %llu+%llu outside %s\n",
		        (unsigned long long)first, (unsigned long long)count, argv[1]);
		return 1;
	}
	uint8_t *img = malloc(count * SECTOR);
	fseek(in, (long)(first * SECTOR), SEEK_SET);
	if (!img || fread(img, SECTOR, count, in) != count) {
		perror("mksparse: read");
		return 1;
	}
	fputc(0, out); /* flags: 512-byte sectors, zeros where no extent is */
	fputc(0, out), fputc(0, out), fputc(0, out);
	put32(out, (uint32_t)count);
	for (uint64_t s = 0; s < count;) {
		if (is_zero(img + s * SECTOR) || !wanted(list, s)) {
			s++;
			continue;
		}
		uint64_t e = s;
		while (e < count && !is_zero(img + e * SECTOR) && wanted(list, e))
			e++;
		put32(out, (uint32_t)s);
		put32(out, (uint32_t)(e - s));
		fwrite(img + s * SECTOR, SECTOR, e - s, out);
		s = e;
	}
	free(img);
	fclose(in);
	return fclose(out) ? 1 : 0;
}
