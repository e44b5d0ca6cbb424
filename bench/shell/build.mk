# `make bench-shell` (part of `make bench`): the shell's figures (issue 14).
# Host: lib/shell checking a 1,000-line script against the same lines
# checked one by one.  Guest (QEMU, BIOS, 2 cores): Enter to the first
# output line of `cores` against that of `uptime`, by the shell's cycle
# counter (`timing`, user/shell), read from the serial log.
BENCH_SHELL := $(HOST)/bin/bench_shell_check
$(BENCH_SHELL): $(call host_objs,bench/shell/bench_check.c tools/tshell/fixtures.c $(SHELL_SRCS) \
		$(TYPED_SRCS) lib/fmt/fmt.c)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $^ -o $@

.PHONY: bench-shell
bench-shell: $(BENCH_SHELL) $(BUILD)/disk.img $(HARNESS)
	$(Q)$(BENCH_SHELL)
	$(Q)$(HARNESS) test --build $(BUILD) --matrix bench/shell/bench.txt > $(BUILD)/logs/bench-shell.txt 2>&1 \
		|| { cat $(BUILD)/logs/bench-shell.txt; exit 1; }
	$(Q)tr -d '\r' < $(BUILD)/logs/bench-shell.serial | awk ' \
		/^tessera> timing/ { n++ } n && /^first:/ { f[n] = $$2 } n && /^hz:/ { hz = $$2 } \
		END { if (n < 2 || !f[1] || !f[2] || !hz) { print "bench-shell: no figures in the log"; exit 1 } \
			printf "bench-shell: Enter to the first line of cores (guest)  %9d cycles %7.2f ms (%.2f)  of uptime %9d cycles %7.2f ms (1.00)\n", \
				f[1], f[1] * 1000 / hz, f[1] / f[2], f[2], f[2] * 1000 / hz }'
BENCH_TARGETS += bench-shell
