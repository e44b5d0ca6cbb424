/* Tab completion of paths (lib/shell's shell_set_paths): a directory's
 * entries from the file service, asked over the shell's channel to init
 * (which passes user/fs/fsproto.h requests on) only when the word being
 * completed on the line is a path. */
#include <rt/initproto.h>
#include <string/mem.h>

#include "../fs/fsproto.h"
#include "sh.h"

#define ROOT 1u

/* One request; its FS_REPLY into *r.  false: no file service, init
 * passes nothing on, or a Ctrl-C. */
static bool ask(uint16_t type, const void *q, struct fs_reply *r)
{
	struct urpc_msg m;

	if (con_ask(type, q, URPC_PAYLOAD_MAX))
		return false;
	for (;;) {
		if (con_answer(&m))
			return false;
		if (m.type == FS_REPLY && m.len == sizeof *r) {
			memcpy(r, m.payload, sizeof *r);
			return true;
		}
		if (m.type == INIT_DONE)
			return false;
	}
}

uint32_t paths_list(void *ctx, const char *dir, char (*names)[SHELL_ENTRY_MAX], bool *dirs,
                    uint32_t max)
{
	struct fs_req_path q = {.dir = ROOT, .arg = FS_R_WALK};
	struct fs_reply r;
	uint32_t h = ROOT, n = 0;

	(void)ctx;
	if (dir[1]) {
		mem_strlcpy(q.path, dir + 1, sizeof q.path);
		if (!ask(FS_WALK, &q, &r) || r.err)
			return 0;
		h = r.handle;
	}
	for (uint32_t cursor = 0; n < max;) {
		struct fs_req_path l = {.dir = h, .arg = cursor};
		if (!ask(FS_LIST, &l, &r) || r.err)
			break; /* NOENT: the end of the directory */
		size_t len = strnlen(r.name, FS_REPLY_NAME);
		memcpy(names[n], r.name, len);
		names[n][len] = 0;
		dirs[n++] = r.attr & 0x10; /* FAT_ATTR_DIR */
		cursor = r.cursor;
	}
	if (h != ROOT) {
		struct fs_req_io c = {.h = h};
		ask(FS_CLOSE, &c, &r);
	}
	return n;
}
