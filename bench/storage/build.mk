# `make bench-storage` (part of `make bench`): the file service's storage
# figures in the guest (bench/storage/run.sh, user/fs/bench.c).
BENCH_STORAGE_RUNS ?= 3

.PHONY: bench-storage
bench-storage: $(BUILD)/storage.img
	$(Q)bench/storage/run.sh $(BUILD)/storage.img $(CFG_FIRMWARE) $(CFG_MACHINE) $(BENCH_STORAGE_RUNS)
BENCH_TARGETS += bench-storage
