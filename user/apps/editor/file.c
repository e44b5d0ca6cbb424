/* The editor's open and save (file.h). */
#include "file.h"

#include <rt/module.h>
#include <string/mem.h>
#include <wctl.h>

#define MODULES "/boot/modules/"

static struct wctl ctl;

/* The boot module a path under /boot/modules/ names. */
static enum err from_module(const char *path, char *buf, size_t cap, size_t *len)
{
	size_t n = strlen(MODULES);
	const struct bootinfo_module *m = strncmp(path, MODULES, n) ? NULL : rt_module(path + n);
	struct rt_mapping map;

	if (!m)
		return ERR_UNSUPPORTED;
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

enum err editor_file_open(const char *path, char *buf, size_t cap, size_t *len, bool *module)
{
	enum err e = wctl_open(&ctl);

	*module = false;
	if (!e)
		e = wctl_read(&ctl, path, buf, cap, len);
	if (e == ERR_UNSUPPORTED || (e && !ctl.up)) {
		*module = true;
		e = from_module(path, buf, cap, len);
	}
	return e;
}

enum err editor_file_save(const char *path, const char *buf, size_t len)
{
	enum err e = wctl_open(&ctl);

	if (e)
		return ERR_UNSUPPORTED;
	return wctl_write(&ctl, path, buf, len);
}

const char *editor_file_why(enum err e)
{
	return wctl_why(e);
}
