/* The UEFI front end's entry point and its simple firmware hooks: console,
 * page allocation, configuration tables and time (fw.h). */
#include <boot.h>
#include <clock.h>
#include <fw.h>
#include <string/mem.h>

#include "uefi.h"

struct efi_system_table *efi_st;
struct efi_boot_services *efi_bs;
efi_handle efi_image;
int efi_exited;

int efi_guid_eq(const struct efi_guid *a, const struct efi_guid *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

enum err efi_err(efi_status s)
{
	switch (s) {
	case EFI_SUCCESS: return ERR_OK;
	case EFI_OUT_OF_RESOURCES: return ERR_NOMEM;
	case EFI_NOT_FOUND: return ERR_NOENT;
	case EFI_UNSUPPORTED: return ERR_UNSUPPORTED;
	case EFI_BUFFER_TOO_SMALL: return ERR_NOSPC;
	case EFI_INVALID_PARAMETER: return ERR_INVAL;
	default: return ERR_IO;
	}
}

void fw_console_write(const char *s, size_t n)
{
	char16 buf[130];
	size_t k = 0;

	if (efi_exited || !efi_st->con_out)
		return;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			buf[k++] = '\r';
		buf[k++] = (uint8_t)s[i] < 0x80 ? (char16)s[i] : '?';
		if (k >= 128 || i + 1 == n) {
			buf[k] = 0;
			efi_st->con_out->output_string(efi_st->con_out, buf);
			k = 0;
		}
	}
}

/* AllocatePages (UEFI 2.10 7.2): AllocateMaxAddress takes the highest
 * address the block may end at, inclusive. */
enum err fw_alloc_pages(uint64_t pages, enum boot_mem kind, uint64_t align, uint64_t below,
                        uint64_t *phys)
{
	uint32_t type = kind == BOOT_MEM_KERNEL ? TESSERA_MEM_KERNEL : TESSERA_MEM_RECLAIMABLE;
	uint64_t extra = align > EFI_PAGE_SIZE ? align / EFI_PAGE_SIZE - 1 : 0;
	enum efi_allocate_type how = EFI_ALLOCATE_ANY_PAGES;
	efi_phys_addr addr = 0;

	if (efi_exited || pages == 0)
		return ERR_INVAL;
	if (below != FW_ANYWHERE) {
		if (below < EFI_PAGE_SIZE)
			return ERR_INVAL;
		how = EFI_ALLOCATE_MAX_ADDRESS;
		addr = (below & ~(uint64_t)(EFI_PAGE_SIZE - 1)) - 1;
	}
	efi_status s = efi_bs->allocate_pages(how, type, pages + extra, &addr);
	if (s != EFI_SUCCESS)
		return efi_err(s);
	if (extra) {
		/* Give back the pages before and after the aligned block. */
		uint64_t aligned = (addr + align - 1) & ~(align - 1);
		uint64_t head = (aligned - addr) / EFI_PAGE_SIZE, tail = extra - head;
		if (head)
			efi_bs->free_pages(addr, head);
		if (tail)
			efi_bs->free_pages(aligned + pages * EFI_PAGE_SIZE, tail);
		addr = aligned;
	}
	*phys = addr;
	return ERR_OK;
}

/* The vendor table of the configuration table with this GUID, or 0. */
static uint64_t config_table(const struct efi_guid *guid)
{
	for (uint64_t i = 0; i < efi_st->number_of_table_entries; i++)
		if (efi_guid_eq(&efi_st->configuration_table[i].vendor_guid, guid))
			return (uint64_t)(uintptr_t)efi_st->configuration_table[i].vendor_table;
	return 0;
}

void fw_platform(struct boot_platform *p)
{
	static const struct efi_guid acpi20 = EFI_ACPI_20_TABLE_GUID,
	                             acpi10 = EFI_ACPI_10_TABLE_GUID;
	static const struct efi_guid smbios = EFI_SMBIOS_TABLE_GUID,
	                             smbios3 = EFI_SMBIOS3_TABLE_GUID;
	struct efi_time t;

	memset(p, 0, sizeof(*p));
	p->firmware_type = LIMINE_FIRMWARE_TYPE_UEFI64;
	p->rsdp = config_table(&acpi20);
	if (!p->rsdp)
		p->rsdp = config_table(&acpi10);
	p->smbios32 = config_table(&smbios);
	p->smbios64 = config_table(&smbios3);
	p->efi_system_table = (uint64_t)(uintptr_t)efi_st;
	/* The RTC's time as UTC, like Limine; the time zone field is ignored
	 * (firmware usually leaves it unspecified). */
	if (efi_st->runtime_services->get_time(&t, NULL) == EFI_SUCCESS) {
		int64_t unix_time =
		        boot_unix_time(t.year, t.month, t.day, t.hour, t.minute, t.second);
		p->boot_time = unix_time > 0 ? unix_time : 0;
	}
}

/* The PE entry point (EFI_IMAGE_ENTRY_POINT, UEFI 2.10 4.1). */
efi_status EFIAPI efi_main(efi_handle image, struct efi_system_table *st)
{
	efi_image = image;
	efi_st = st;
	efi_bs = st->boot_services;
	/* The boot manager arms a 5-minute watchdog (3.1.2); the loader may
	 * legitimately wait on an error message for longer. */
	efi_bs->set_watchdog_timer(0, 0, 0, NULL);
	boot_main();
}
