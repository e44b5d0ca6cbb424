/* The BIOS front end of the common loader: the hooks of boot/common/fw.h
 * over INT 13h, E820, VBE and the firmware tables in low memory. */
#include <fw.h>
#include <string/mem.h>
#include <x86/x86.h>

#include "bios.h"
#include "console.h"
#include "memmap.h"
#include "rtc.h"
#include "tables.h"
#include "vbe.h"

#define ALLOC_MIN   0x100000ull    /* the loader's allocations: above 1 MiB */
#define ALLOC_LIMIT 0x100000000ull /* and inside the stage's identity map */
#define LOW_MIN     0x1000ull      /* bounded at 1 MiB: free base memory */
#define MAX_MODES   128
#define DEFAULT_W   1024 /* without a configured resolution or an EDID */
#define DEFAULT_H   768

static struct vbe_mode modes[MAX_MODES];
static int exited;

void fw_console_write(const char *s, size_t n)
{
	if (!exited)
		console_screen_write(s, n);
}

enum err fw_boot_volume(struct boot_volume *vol)
{
	*vol = bios_state.volume;
	return ERR_OK;
}

/* Memory comes from the E820 map: above 1 MiB, or, for a block bounded at
 * 1 MiB, from the base memory E820 calls usable (the stage, its stack and
 * the first page are already taken there; the EBDA is reserved). */
enum err fw_alloc_pages(uint64_t pages, enum boot_mem kind, uint64_t align, uint64_t below,
                        uint64_t *phys)
{
	uint64_t type = kind == BOOT_MEM_KERNEL ? LIMINE_MEMMAP_KERNEL_AND_MODULES
	                                        : LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE;
	uint64_t min = below <= ALLOC_MIN ? LOW_MIN : ALLOC_MIN;
	uint64_t max = below < ALLOC_LIMIT ? below : ALLOC_LIMIT;
	if (exited || pages == 0 || pages > ALLOC_LIMIT / MEMMAP_PAGE)
		return ERR_INVAL;
	return memmap_alloc(&bios_state.map, pages * MEMMAP_PAGE, align, min, max, type, phys);
}

enum err fw_memmap(struct boot_mmap *map)
{
	size_t n = memmap_export(&bios_state.map, map->entries, map->cap);
	int fits = n <= map->cap;
	map->count = n;
	return fits ? ERR_OK : ERR_NOSPC;
}

void fw_platform(struct boot_platform *p)
{
	memset(p, 0, sizeof *p);
	p->firmware_type = LIMINE_FIRMWARE_TYPE_X86BIOS;
	tables_find(&p->rsdp, &p->smbios32, &p->smbios64);
	p->boot_time = rtc_read_unix();
	p->map_limit = ALLOC_LIMIT;
}

/* Copies the EDID into loader memory; 0 if the monitor gives none. */
static uint64_t fw_edid(uint32_t *pref_w, uint32_t *pref_h)
{
	static uint8_t edid[128];
	uint64_t phys;
	*pref_w = *pref_h = 0;
	if (vbe_read_edid(edid) != ERR_OK)
		return 0;
	vbe_edid_preferred(edid, pref_w, pref_h);
	if (fw_alloc_pages(1, BOOT_MEM_RECLAIMABLE, MEMMAP_PAGE, FW_ANYWHERE, &phys) != ERR_OK)
		return 0;
	memcpy((void *)(uintptr_t)phys, edid, sizeof edid);
	return phys;
}

/* The usable modes as an array in loader memory, for the response. */
static struct limine_video_mode *fw_mode_list(size_t count)
{
	uint64_t bytes = count * sizeof(struct limine_video_mode), phys;
	if (fw_alloc_pages((bytes + MEMMAP_PAGE - 1) / MEMMAP_PAGE, BOOT_MEM_RECLAIMABLE,
	                   MEMMAP_PAGE, FW_ANYWHERE, &phys) != ERR_OK)
		return NULL;
	struct limine_video_mode *list = (void *)(uintptr_t)phys;
	for (size_t i = 0; i < count; i++)
		list[i] = modes[i].m;
	return list;
}

enum err fw_video(uint32_t width, uint32_t height, uint32_t bpp, struct boot_fb *fb)
{
	size_t count;
	uint32_t pref_w, pref_h;
	memset(fb, 0, sizeof *fb);
	if (exited || vbe_list_modes(modes, MAX_MODES, &count) != ERR_OK || count == 0)
		return ERR_NOENT;
	fb->edid_phys = fw_edid(&pref_w, &pref_h);
	fb->edid_size = fb->edid_phys ? 128 : 0;
	if (width == 0 || height == 0) {
		width = pref_w ? pref_w : DEFAULT_W;
		height = pref_h ? pref_h : DEFAULT_H;
	}
	long best = vbe_pick(modes, count, width, height, bpp ? bpp : 32);
	if (best < 0)
		return ERR_NOENT;
	if (vbe_set_mode(modes[best].number) != ERR_OK)
		return ERR_NOENT;
	fb->phys = modes[best].phys;
	fb->mode = modes[best].m;
	console_set_framebuffer(fb->phys, &fb->mode);
	fb->size = fb->mode.pitch * fb->mode.height;
	fb->modes = fw_mode_list(count);
	fb->mode_count = fb->modes ? count : 0;
	return ERR_OK;
}

enum err fw_exit(struct boot_mmap *map, struct boot_exit_info *info)
{
	enum err e = fw_memmap(map);
	if (e != ERR_OK)
		return e;
	memset(info, 0, sizeof *info);
	x86_cli(); /* boot_main masks the PICs next (arch_mask_irqs) */
	exited = 1;
	return ERR_OK;
}
