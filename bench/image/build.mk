# `make bench-image` (part of `make bench`): tools/mkimage writing 500 files
# of mixed sizes in nested directories into a 64 MiB image, against
# mkfs.fat + mcopy doing the same; prints both times and the ratio.
BENCH_IMAGE_FILES ?= 500
BENCH_IMAGE_RUNS ?= 7
$(eval $(call host_tool,bench-image,bench/image/bench_image.c))

.PHONY: bench-image
bench-image: $(HOST)/bin/bench-image $(MKIMAGE)
	$(Q)$(HOST)/bin/bench-image $(MKIMAGE) $(BENCH_IMAGE_FILES) $(BENCH_IMAGE_RUNS)
BENCH_TARGETS += bench-image
