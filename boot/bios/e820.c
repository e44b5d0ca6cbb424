/* INT 15h EAX=E820h "query system address map" (ACPI 6.5 15.1). */
#include "e820.h"

#include "bioscall.h"

#define E820_SMAP 0x534d4150u /* "SMAP" */
#define E820_MAX  512         /* a bound against looping BIOSes */

static struct e820_entry e820_buf; /* below 1 MiB, like all of the stage */

enum err e820_read(struct memmap *m, unsigned *entries)
{
	uint32_t cont = 0;
	unsigned n = 0, calls = 0;
	do {
		struct bios_regs r = {0};
		e820_buf = (struct e820_entry){0, 0, 0, 1}; /* 20-byte answers keep "enabled" */
		r.eax = 0xe820;
		r.ebx = cont;
		r.ecx = sizeof e820_buf;
		r.edx = E820_SMAP;
		r.es = bios_seg(&e820_buf);
		r.edi = bios_off(&e820_buf);
		bios_call(0x15, &r);
		/* CF after the first entry means "end of list" on some BIOSes */
		if ((r.eflags & BIOS_EFLAGS_CF) || r.eax != E820_SMAP)
			break;
		if (r.ecx < 20)
			break;
		if (e820_buf.length) {
			enum err e = memmap_add_e820(m, e820_buf.base, e820_buf.length,
			                             e820_buf.type, e820_buf.ext_attr);
			if (e != ERR_OK)
				return e;
			n++;
		}
		cont = r.ebx;
	} while (cont != 0 && ++calls < E820_MAX);
	*entries = n;
	return memmap_usable_bytes(m) ? ERR_OK : ERR_UNSUPPORTED;
}
