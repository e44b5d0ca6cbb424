/* Fuzz target: lib/fat's GPT reader as the loaders use it, over a sparse
 * disk (tests/fuzz/common/sparse.h): gpt_find for the EFI system partition
 * (protective MBR, primary header and array with their CRCs, the backup
 * header), then a FAT32 mount of what it found.  Checks what gpt.h
 * promises: a partition found lies inside the disk and is not empty.
 */
#include <fat/fat.h>
#include <fat/gpt.h>
#include <stdio.h>
#include <stdlib.h>

#include "../common/sparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sparse_disk *disk = malloc(sizeof *disk);
	struct fat_volume *vol = malloc(sizeof *vol);
	if (!disk || !vol)
		abort();
	if (sparse_open(disk, data, size) == 0) {
		/* exactly what gpt_find asks for: one sector and 16 KiB */
		uint8_t *scratch = malloc(disk->dev.sector_size + 16384);
		struct gpt_partition part;
		struct gpt_disk info;
		enum err e = gpt_find(&disk->dev, &gpt_type_esp, scratch, &part,
		                      size > 8 && (data[1] & 1) ? NULL : &info);
		if (e == ERR_OK) {
			uint64_t n = disk->dev.sector_count;
			if (part.first_lba > part.last_lba || (n && part.last_lba >= n) ||
			    part.index == 0) {
				fprintf(stderr,
				        "fuzz_gpt: partition %u at %llu..%llu on a disk of %llu\n",
				        part.index, (unsigned long long)part.first_lba,
				        (unsigned long long)part.last_lba, (unsigned long long)n);
				abort();
			}
			fat_mount(vol, &disk->dev, part.first_lba);
		}
		free(scratch);
	}
	free(vol);
	free(disk);
	return 0;
}
