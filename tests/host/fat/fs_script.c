/* The scripted sequence of operations; see fs_script.h.  What it leaves is
 * written down independently in fs_expected.txt. */
#include "fs_script.h"

#include <stdio.h>
#include <string.h>

#define PAT_MAX 6000

/* Opens path from the root. */
static enum err at(struct fs_vol *v, const char *path, struct fs_node *out)
{
	struct fs_node root;
	fs_root(v, &root);
	return fs_walk(v, &root, path, out);
}

static enum err mkdir_p(struct fs_vol *v, const char *parent, const char *name)
{
	struct fs_node d;
	enum err e = at(v, parent, &d);
	return e ? e : fs_mkdir(v, &d, name, NULL);
}

/* Creates parent/name holding text. */
static enum err put_text(struct fs_vol *v, const char *parent, const char *name, const char *text)
{
	struct fs_node d, f;
	enum err e = at(v, parent, &d);
	if (e == ERR_OK)
		e = fs_create(v, &d, name, &f);
	if (e == ERR_OK)
		e = fs_write(v, &f, 0, text, strlen(text));
	return e;
}

/* Writes pattern bytes [from, from + n) of the pattern at offset from. */
static enum err put_pat(struct fs_vol *v, const char *path, uint64_t from, size_t n)
{
	static uint8_t buf[PAT_MAX];
	struct fs_node f;
	enum err e = at(v, path, &f);
	for (size_t i = 0; i < n && i < PAT_MAX; i++)
		buf[i] = fs_pattern(from + i);
	return e ? e : fs_write(v, &f, from, buf, n);
}

static enum err write_at(struct fs_vol *v, const char *path, uint64_t off, const char *text)
{
	struct fs_node f;
	enum err e = at(v, path, &f);
	return e ? e : fs_write(v, &f, off, text, strlen(text));
}

static enum err truncate_to(struct fs_vol *v, const char *path, uint64_t size)
{
	struct fs_node f;
	enum err e = at(v, path, &f);
	return e ? e : fs_truncate(v, &f, size);
}

static enum err rename_in(struct fs_vol *v, const char *from_dir, const char *from,
                          const char *to_dir, const char *to)
{
	struct fs_node a, b;
	enum err e = at(v, from_dir, &a);
	if (e == ERR_OK)
		e = at(v, to_dir, &b);
	return e ? e : fs_rename(v, &a, from, &b, to);
}

static enum err remove_in(struct fs_vol *v, const char *dir, const char *name, int is_dir)
{
	struct fs_node d;
	enum err e = at(v, dir, &d);
	if (e)
		return e;
	return is_dir ? fs_rmdir(v, &d, name) : fs_unlink(v, &d, name);
}

/* Fills a directory past one 512-byte cluster (16 entries), then empties
 * part of it again. */
static enum err many(struct fs_vol *v, int step)
{
	char name[64], text[64];
	int i = step;
	if (i < 20) {
		snprintf(name, sizeof name, "file number %02d.txt", i);
		snprintf(text, sizeof text, "this is file %02d\n", i);
		return put_text(v, "/many", name, text);
	}
	snprintf(name, sizeof name, "file number %02d.txt", (i - 20) * 3);
	return remove_in(v, "/many", name, 0);
}

#define MANY_STEPS 27

enum err fs_script_run(struct fs_vol *v, int upto, int *step)
{
	enum err e = ERR_OK;
	int s = 0;
	for (; e == ERR_OK; s++) {
		if (s == upto) {
			*step = s;
			return ERR_OK;
		}
		switch (s) {
		case 0: e = mkdir_p(v, "/", "docs"); break;
		case 1: e = put_text(v, "/docs", "readme.txt", "Hello from lib/fat\n"); break;
		case 2: e = put_text(v, "/docs", "A long file name with spaces.txt", ""); break;
		case 3: e = put_pat(v, "/docs/A long file name with spaces.txt", 0, 3000); break;
		case 4: e = put_text(v, "/docs", "Long File Name 1.txt", "one\n"); break;
		case 5: e = put_text(v, "/docs", "Long File Name 2.txt", "two\n"); break;
		case 6: e = write_at(v, "/docs/readme.txt", 19, "second line\n"); break;
		case 7:
			e = write_at(v, "/docs/A long file name with spaces.txt", 500,
			             "OVERWRITTEN");
			break;
		case 8: e = truncate_to(v, "/docs/A long file name with spaces.txt", 1000); break;
		case 9: e = mkdir_p(v, "/docs", "sub"); break;
		case 10: e = rename_in(v, "/docs", "readme.txt", "/docs/sub", "README.TXT"); break;
		case 11:
			e = rename_in(v, "/docs", "Long File Name 2.txt", "/docs", "renamed.txt");
			break;
		case 12: e = rename_in(v, "/docs", "sub", "/", "moved"); break;
		case 13: e = remove_in(v, "/docs", "Long File Name 1.txt", 0); break;
		case 14: e = mkdir_p(v, "/", "empty"); break;
		case 15: e = remove_in(v, "/", "empty", 1); break;
		case 16: e = put_text(v, "/", "gap.bin", "start"); break;
		case 17: e = write_at(v, "/gap.bin", 1500, "end"); break;
		case 18: e = truncate_to(v, "/gap.bin", 1600); break;
		case 19: e = mkdir_p(v, "/", "many"); break;
		case 20: e = put_pat(v, "/docs/renamed.txt", 4, 5000); break;
		case 21: e = rename_in(v, "/docs", "renamed.txt", "/docs", "Renamed.TXT"); break;
		default:
			if (s < 22 + MANY_STEPS) {
				e = many(v, s - 22);
				break;
			}
			*step = s;
			return ERR_OK;
		}
	}
	*step = s - 1;
	return e;
}

int fs_script_steps(void)
{
	return 22 + MANY_STEPS;
}
