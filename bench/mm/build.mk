# `make bench-mm` (part of `make bench`): cycles per lib/buddy allocation and
# free of 4 KiB and 2 MiB blocks against glibc malloc/free, as ratios.
BENCH_MM := $(HOST)/bin/bench_mm
$(BENCH_MM): $(call host_objs,bench/mm/bench_mm.c lib/buddy/buddy.c)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $^ -o $@

.PHONY: bench-mm
bench-mm: $(BENCH_MM)
	$(Q)$(BENCH_MM)
BENCH_TARGETS += bench-mm
