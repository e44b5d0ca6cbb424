/* The editor's open and save (file.h). */
#include "file.h"

#include <rt/heap.h>
#include <rt/module.h>
#include <string/mem.h>

#define SAVED_MAX 8
#define NAME_MAX  32

static struct {
	char name[NAME_MAX];
	char *bytes;
	size_t len;
} saved[SAVED_MAX];

enum err editor_file_open(const char *name, char *buf, size_t cap, size_t *len)
{
	for (int i = 0; i < SAVED_MAX; i++)
		if (saved[i].bytes && !strcmp(saved[i].name, name)) {
			if (saved[i].len > cap)
				return ERR_RANGE;
			memcpy(buf, saved[i].bytes, saved[i].len);
			*len = saved[i].len;
			return ERR_OK;
		}
	const struct bootinfo_module *m = rt_module(name);
	struct rt_mapping map;
	if (!m)
		return ERR_NOENT;
	if (m->size > cap)
		return ERR_RANGE;
	enum err e = rt_module_map(m, &map);
	if (e)
		return e;
	memcpy(buf, map.data, map.size);
	*len = map.size;
	rt_module_unmap(&map);
	return ERR_OK;
}

enum err editor_file_save(const char *name, const char *buf, size_t len)
{
	int slot = -1;
	if (strlen(name) >= NAME_MAX)
		return ERR_RANGE;
	for (int i = 0; i < SAVED_MAX && slot < 0; i++)
		if (!saved[i].bytes || !strcmp(saved[i].name, name))
			slot = i;
	if (slot < 0)
		return ERR_NOMEM;
	char *copy = malloc(len ? len : 1);
	if (!copy)
		return ERR_NOMEM;
	memcpy(copy, buf, len);
	free(saved[slot].bytes);
	mem_strlcpy(saved[slot].name, name, NAME_MAX);
	saved[slot].bytes = copy;
	saved[slot].len = len;
	return ERR_OK;
}
