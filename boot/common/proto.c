/* The Limine responses (PROTOCOL.md "Feature List").  Every response and
 * everything it points to is allocated with boot_alloc, so it lives in
 * bootloader-reclaimable memory; pointers are HHDM addresses.  The memory
 * map is prepared before fw_exit and filled in after it. */
#include <string/mem.h>

#include "boot.h"
#include "log.h"
#include "mmap.h"
#include "state.h"

/* Allocates a response of size bytes for request k and links it; NULL when
 * the kernel did not make the request. */
static void *answer(enum req_kind k, size_t size, uint64_t revision)
{
	struct limine_request_header *req = boot.req.req[k];

	if (!req)
		return NULL;
	uint64_t *resp = boot_alloc(size);
	resp[0] = revision;
	req->response = boot_hhdm(boot_phys(resp));
	return resp;
}

/* An HHDM pointer to a reclaimable copy of a string. */
static uint64_t str(const char *s)
{
	return boot_hhdm(boot_phys(boot_strdup(s)));
}

/* A Limine file structure for a loaded file. */
static uint64_t file_of(const struct boot_file *f)
{
	struct limine_file *lf = boot_alloc(sizeof(*lf));

	lf->revision = 0;
	lf->address = boot_hhdm(f->phys);
	lf->size = f->size;
	lf->path = boot_hhdm(boot_phys(f->path));
	lf->cmdline = boot_hhdm(boot_phys(f->cmdline));
	lf->media_type = LIMINE_MEDIA_TYPE_GENERIC;
	lf->partition_index = boot.vol.partition_index;
	lf->mbr_disk_id = boot.vol.mbr_disk_id;
	memcpy(&lf->gpt_disk_uuid, &boot.vol.disk_guid, sizeof(lf->gpt_disk_uuid));
	memcpy(&lf->gpt_part_uuid, &boot.vol.part_guid, sizeof(lf->gpt_part_uuid));
	lf->part_uuid.a = boot.fat->volume_id; /* the FAT serial number */
	return boot_hhdm(boot_phys(lf));
}

/* An HHDM array of HHDM pointers to n objects of size bytes at base. */
static uint64_t pointer_array(const void *base, size_t size, size_t n)
{
	uint64_t *a = boot_alloc((n ? n : 1) * sizeof(uint64_t));

	for (size_t i = 0; i < n; i++)
		a[i] = boot_hhdm(boot_phys((const uint8_t *)base + i * size));
	return boot_hhdm(boot_phys(a));
}

static void answer_framebuffer(void)
{
	struct limine_framebuffer_response *r;

	if (!boot.have_fb || !(r = answer(REQ_FRAMEBUFFER, sizeof(*r), 1)))
		return;
	struct limine_framebuffer *fb = boot_alloc(sizeof(*fb));
	const struct limine_video_mode *m = &boot.fb.mode;
	fb->address = boot_hhdm(boot.fb.phys);
	fb->width = m->width;
	fb->height = m->height;
	fb->pitch = m->pitch;
	fb->bpp = m->bpp;
	fb->memory_model = m->memory_model;
	fb->red_mask_size = m->red_mask_size;
	fb->red_mask_shift = m->red_mask_shift;
	fb->green_mask_size = m->green_mask_size;
	fb->green_mask_shift = m->green_mask_shift;
	fb->blue_mask_size = m->blue_mask_size;
	fb->blue_mask_shift = m->blue_mask_shift;
	if (boot.fb.edid_phys) {
		fb->edid = boot_hhdm(boot.fb.edid_phys);
		fb->edid_size = boot.fb.edid_size;
	}
	fb->mode_count = boot.fb.mode_count;
	fb->modes = pointer_array(boot.fb.modes, sizeof(*boot.fb.modes), boot.fb.mode_count);
	r->framebuffer_count = 1;
	r->framebuffers = pointer_array(fb, sizeof(*fb), 1);
}

/* Only 4-level paging is offered; a kernel that cannot use it is refused. */
static void answer_paging_mode(void)
{
	const struct limine_paging_mode_request *req = boot.req.req[REQ_PAGING_MODE];
	struct limine_paging_mode_response *r;

	if (req && req->revision >= 1 && boot.req.room[REQ_PAGING_MODE] >= sizeof(*req) &&
	    req->min_mode > LIMINE_PAGING_MODE_X86_64_4LVL)
		boot_fatal("kernel %s: needs paging mode %llu or higher; only 4-level is available",
		           boot.kernel_file.path, (unsigned long long)req->min_mode);
	if ((r = answer(REQ_PAGING_MODE, sizeof(*r), 0)))
		r->mode = LIMINE_PAGING_MODE_X86_64_4LVL;
}

static void answer_files(void)
{
	struct limine_kernel_file_response *kf;
	struct limine_module_response *mods;
	struct limine_kernel_address_response *ka;

	if ((kf = answer(REQ_KERNEL_FILE, sizeof(*kf), 0)))
		kf->kernel_file = file_of(&boot.kernel_file);
	if ((mods = answer(REQ_MODULE, sizeof(*mods), 1))) {
		uint64_t *a = boot_alloc((boot.module_count + 1) * sizeof(uint64_t));
		for (size_t i = 0; i < boot.module_count; i++)
			a[i] = file_of(&boot.modules[i]);
		mods->module_count = boot.module_count;
		mods->modules = boot_hhdm(boot_phys(a));
	}
	if ((ka = answer(REQ_KERNEL_ADDRESS, sizeof(*ka), 0))) {
		ka->physical_base = boot.kernel_phys;
		ka->virtual_base = boot.elf.vbase + boot.slide;
	}
}

static void answer_tables(void)
{
	const struct boot_platform *p = &boot.plat;
	struct limine_rsdp_response *rsdp;
	struct limine_smbios_response *smb;
	struct limine_efi_system_table_response *st;
	struct limine_boot_time_response *bt;

	if (p->rsdp && (rsdp = answer(REQ_RSDP, sizeof(*rsdp), 0)))
		rsdp->address = boot_hhdm(p->rsdp);
	if ((p->smbios32 || p->smbios64) && (smb = answer(REQ_SMBIOS, sizeof(*smb), 0))) {
		smb->entry_32 = p->smbios32 ? boot_hhdm(p->smbios32) : 0;
		smb->entry_64 = p->smbios64 ? boot_hhdm(p->smbios64) : 0;
	}
	if (p->efi_system_table && (st = answer(REQ_EFI_SYSTEM_TABLE, sizeof(*st), 0)))
		st->address = boot_hhdm(p->efi_system_table);
	if ((bt = answer(REQ_BOOT_TIME, sizeof(*bt), 0)))
		bt->boot_time = p->boot_time;
}

void proto_answer(void)
{
	struct limine_bootloader_info_response *bi;
	struct limine_firmware_type_response *ft;
	struct limine_hhdm_response *hhdm;

	if ((bi = answer(REQ_BOOTLOADER_INFO, sizeof(*bi), 0))) {
		bi->name = str(BOOT_NAME);
		bi->version = str(BOOT_VERSION);
	}
	if ((ft = answer(REQ_FIRMWARE_TYPE, sizeof(*ft), 0)))
		ft->firmware_type = boot.plat.firmware_type;
	answer(REQ_STACK_SIZE, sizeof(struct limine_stack_size_response), 0);
	if ((hhdm = answer(REQ_HHDM, sizeof(*hhdm), 0)))
		hhdm->offset = BOOT_HHDM_BASE;
	answer_framebuffer();
	answer_paging_mode();
	answer(REQ_ENTRY_POINT, sizeof(struct limine_entry_point_response), 0);
	answer_files();
	answer_tables();
}

/* The loader-side pointer to the response of request k, or NULL. */
static void *response_of(enum req_kind k)
{
	struct limine_request_header *req = boot.req.req[k];

	return req ? boot_ptr(req->response - BOOT_HHDM_BASE) : NULL;
}

/* Allocates everything the memory map needs after fw_exit: the raw map
 * with room for the entries the last allocations add, the normalised map,
 * the sort scratch, and the responses. */
void proto_memmap_prepare(void)
{
	struct boot_mmap probe = {0};

	if (fw_memmap(&probe) != ERR_NOSPC)
		boot_fatal("cannot size the firmware memory map");
	size_t cap = probe.count + 64;
	boot.raw.entries = boot_alloc((cap + 1) * sizeof(*boot.raw.entries));
	boot.raw.cap = cap;
	boot.norm_cap = MMAP_NORM_CAP(cap + 1);
	boot.norm = boot_alloc(boot.norm_cap * sizeof(*boot.norm));
	boot.scratch = boot_alloc(MMAP_SCRATCH_WORDS(cap + 1) * sizeof(uint64_t));
	answer(REQ_MEMMAP, sizeof(struct limine_memmap_response), 0);
	if (boot.plat.efi_system_table)
		answer(REQ_EFI_MEMMAP, sizeof(struct limine_efi_memmap_response), 0);
	if (boot.req.req[REQ_MEMMAP]) { /* the pointer array, filled later */
		struct limine_memmap_response *r = response_of(REQ_MEMMAP);
		r->entries = boot_hhdm(boot_phys(boot_alloc(boot.norm_cap * sizeof(uint64_t))));
	}
}

void proto_memmap_finish(void)
{
	struct limine_memmap_response *mm = response_of(REQ_MEMMAP);
	struct limine_efi_memmap_response *em = response_of(REQ_EFI_MEMMAP);

	if (boot.have_fb)
		boot.raw.entries[boot.raw.count++] = (struct limine_memmap_entry){
		        boot.fb.phys, boot.fb.size, LIMINE_MEMMAP_FRAMEBUFFER};
	enum err e = mmap_normalize(boot.raw.entries, boot.raw.count, boot.norm, boot.norm_cap,
	                            &boot.norm_count, boot.scratch);
	if (e)
		boot_fatal("memory map: %s", err_str(e));
	if (mm) {
		uint64_t *ptrs = boot_ptr(mm->entries - BOOT_HHDM_BASE);
		for (size_t i = 0; i < boot.norm_count; i++)
			ptrs[i] = boot_hhdm(boot_phys(&boot.norm[i]));
		mm->entry_count = boot.norm_count;
	}
	if (em && boot.exit.efi_mmap) {
		em->memmap = boot_hhdm(boot.exit.efi_mmap);
		em->memmap_size = boot.exit.efi_mmap_size;
		em->desc_size = boot.exit.efi_desc_size;
		em->desc_version = boot.exit.efi_desc_version;
	}
}
