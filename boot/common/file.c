/* Files from the boot volume through lib/fat, and Limine path resolution. */
#include <fmt/fmt.h>
#include <string/mem.h>

#include "boot.h"
#include "log.h"
#include "state.h"

static struct fat_volume fat;

void file_mount(void)
{
	enum err e = fw_boot_volume(&boot.vol);
	if (e)
		boot_fatal("cannot find the boot volume: %s", err_str(e));
	e = fat_mount(&fat, boot.vol.dev, boot.vol.part_lba);
	if (e)
		boot_fatal("boot volume (partition %u): not a FAT32 file system: %s",
		           boot.vol.partition_index, err_str(e));
	boot.fat = &fat;
	boot_log("boot volume: partition %u, FAT32 serial %08x", boot.vol.partition_index,
	         fat.volume_id);
}

/* The volume path of a Limine path ("boot():/x", "boot(N):/x" for our own
 * partition, or "/x"); fatal for anything else. */
static const char *resolve(const char *spec)
{
	struct conf_path p;
	size_t cap = strlen(spec) + 1;
	char *buf = boot_alloc(cap);

	enum err e = conf_path_parse(spec, buf, cap, &p);
	if (e)
		boot_fatal("path '%s': expected resource(argument):/path", spec);
	if (p.resource[0] && mem_strcasecmp(p.resource, "boot") != 0)
		boot_fatal("path '%s': resource '%s()' is not supported, only boot()", spec,
		           p.resource);
	if (p.argument[0]) {
		char own[16];
		fmt_snprintf(own, sizeof(own), "%u", boot.vol.partition_index);
		if (strcmp(p.argument, own) != 0)
			boot_fatal("path '%s': only the boot partition (boot(%s)) can be read",
			           spec, own);
	}
	if (p.has_hash)
		boot_log("path '%s': hash not verified", spec);
	return buf;
}

enum err file_load(const char *spec, enum boot_mem kind, const char *cmdline, struct boot_file *out)
{
	const char *path = resolve(spec);
	struct fat_file f;
	size_t done;

	enum err e = fat_open(boot.fat, path, &f);
	if (e)
		return e;
	if (f.attr & FAT_ATTR_DIRECTORY)
		return ERR_ISDIR;
	uint64_t pages = (f.size + BOOT_PAGE - 1) / BOOT_PAGE;
	uint8_t *buf = boot_alloc_pages(pages ? pages : 1, kind);
	e = fat_read(&f, 0, buf, f.size, &done);
	if (e)
		return e;
	if (done != f.size)
		return ERR_IO;
	memset(buf + f.size, 0, pages * BOOT_PAGE - f.size);
	out->phys = boot_phys(buf);
	out->size = f.size;
	out->path = path;
	out->cmdline = boot_strdup(cmdline ? cmdline : "");
	return ERR_OK;
}

enum err file_read_small(const char *path, char **text, size_t *len)
{
	struct fat_file f;
	size_t done;

	enum err e = fat_open(boot.fat, path, &f);
	if (e)
		return e;
	if (f.attr & FAT_ATTR_DIRECTORY)
		return ERR_ISDIR;
	if (f.size > (1u << 20))
		return ERR_RANGE;
	char *buf = boot_alloc(f.size + 1);
	e = fat_read(&f, 0, buf, f.size, &done);
	if (e)
		return e;
	if (done != f.size)
		return ERR_IO;
	*text = buf;
	*len = f.size;
	return ERR_OK;
}
