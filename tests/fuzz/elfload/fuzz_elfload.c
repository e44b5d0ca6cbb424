/* Fuzz target: the loaders' path for a kernel file: lib/elf/load.c's
 * elf_exec_check (the header and every program header), then, for a file
 * it accepts, the copy into a zeroed image of exactly vend - vbase bytes
 * (elf_exec_load), the page permissions, and boot/common/requests.c's scan
 * of the image for Limine requests, as boot/common/kernel.c does them.
 * Checks what load.h promises: a failure says why, and an accepted file's
 * segments fit the image it describes.
 */
#include <elf/load.h>
#include <requests.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_IMAGE (1u << 20) /* bytes of image the target allocates */
#define MAX_PAGES 64         /* pages whose permissions it asks for */

static void check_image(const struct elf_exec *x)
{
	if (x->vbase % ELF_PAGE || x->vend % ELF_PAGE || x->vend <= x->vbase ||
	    x->max_align < ELF_PAGE || (x->max_align & (x->max_align - 1)) || !x->load_count) {
		fprintf(stderr,
		        "fuzz_elfload: accepted with vbase 0x%llx vend 0x%llx align 0x%llx\n",
		        (unsigned long long)x->vbase, (unsigned long long)x->vend,
		        (unsigned long long)x->max_align);
		abort();
	}
	uint64_t size = x->vend - x->vbase;
	if (size > MAX_IMAGE)
		return;
	uint64_t *image = calloc(1, size); /* 8-byte aligned, as the loader's pages */
	if (!image)
		abort();
	elf_exec_load(x, image);
	for (uint64_t p = 0; p < size / ELF_PAGE && p < MAX_PAGES; p++)
		elf_exec_page_flags(x, x->vbase + p * ELF_PAGE);
	elf_exec_page_flags(x, x->vend - ELF_PAGE);
	struct req_set reqs;
	char why[160];
	if (req_scan(image, size, &reqs, why, sizeof why) == ERR_OK) {
		for (int k = 0; k < REQ_COUNT; k++)
			if (reqs.req[k] &&
			    (reqs.offset[k] >= size || reqs.room[k] != size - reqs.offset[k]))
				abort();
	} else if (!why[0]) {
		abort();
	}
	free(image);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct elf_expect wants[] = {
	        {ELF_EM_X86_64, ELF_ET_EXEC, 0x200000},
	        {ELF_EM_X86_64, ELF_ET_DYN, 0},
	};
	for (unsigned i = 0; i < 2; i++) {
		struct elf_exec x;
		char why[160] = "";
		enum err e = elf_exec_check(data, size, &wants[i], &x, why, sizeof why);
		if (e != ERR_OK && (!why[0] || strnlen(why, sizeof why) == sizeof why)) {
			fprintf(stderr, "fuzz_elfload: error %d without a reason\n", e);
			abort();
		}
		if (e == ERR_OK)
			check_image(&x);
	}
	return 0;
}
