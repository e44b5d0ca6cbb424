# make bench-linux (bench/linux/README.md): Tessera's bench-user figures
# beside Linux's, measured in the same run in the same QEMU configuration,
# and the boot broken into stages for our loader, Limine (with LIMINE_DIR)
# and Linux under both firmwares.  Linux is Debian's kernel (package
# linux-image-amd64) with an initramfs that tools/cpio writes around the
# probe (bench/linux/probe.c with user/bench/bench.c, static, glibc) and
# the kernel modules of the storage figures (bench/linux/initramfs.sh).
# Results: build/bench/ (figures.csv, boot.csv, bench.png, summary.md,
# logs/).  The packages it needs are checked (and installed as root) by
# mk/deps.sh's bench mode, which make and make test never run.
#   make bench-linux [BENCH_BOOT_RUNS=3] [BENCH_STORAGE_RUNS=3]
#                    [LINUX_KERNEL=/boot/vmlinuz-...] [LIMINE_DIR=...]
BENCH_OUT := build/bench
BENCH_BOOT_RUNS ?= 3
BENCH_FIRMWARES ?= uefi bios
LINUX_KERNEL ?=
LINUX_PROBE := $(BENCH_OUT)/linux/probe
LINUX_INITRAMFS := $(BENCH_OUT)/linux/initramfs.cpio
LINUX_PROBE_SRCS := bench/linux/probe.c bench/linux/disk.c user/bench/bench.c
# The storage figures' modules (their dependencies come from the kernel's
# modules.dep, vfat's character sets from its config).
LINUX_MODULES := virtio_pci virtio_blk ahci sd_mod vfat
# The host compiler for Linux: user/bench/bench.c finds bench/linux/rt/rt.h
# instead of Tessera's runtime.
LINUX_PROBE_CFLAGS := -std=gnu17 -D_GNU_SOURCE -O2 -static $(COMMON_WARN) -Ibench/linux \
	-Iuser/bench
LIMINE_BENCH_IMG := $(if $(strip $(LIMINE_DIR)),build/limine/disk.img)

$(HOST)/deps-bench.ok: mk/deps.sh
	$(Q)mk/deps.sh $@ bench

$(LINUX_PROBE): $(LINUX_PROBE_SRCS) bench/linux/rt/rt.h user/bench/bench.h \
		user/bench/benchpage.h bench/linux/disk.h bench/storage/storagebench.h \
		bench/linux/build.mk $(HOST)/deps-bench.ok
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(LINUX_PROBE_CFLAGS) $(LINUX_PROBE_SRCS) -o $@

# The probe is /init; the kernel opens /dev/console for it.  Made every
# run (FORCE): the modules must be those of the kernel that boots, whose
# path the script leaves in $(LINUX_INITRAMFS).kernel for run.sh.
$(LINUX_INITRAMFS): $(LINUX_PROBE) $(MKCPIO) bench/linux/initramfs.sh FORCE
	$(Q)bench/linux/initramfs.sh $(MKCPIO) $(LINUX_PROBE) $@ '$(LINUX_KERNEL)' $(LINUX_MODULES)

.PHONY: bench-linux
bench-linux: $(HOST)/deps-bench.ok $(BUILD)/bench-user.img $(BUILD)/disk.img \
		$(BUILD)/storage.img $(LINUX_INITRAMFS) $(BENCHRUN) $(BENCHTAB)
	$(if $(LIMINE_BENCH_IMG),+$(Q)$(MAKE) --no-print-directory CONFIG=config/limine.json \
		LIMINE_DIR=$(LIMINE_DIR) image)
	$(Q)BENCHRUN=$(BENCHRUN) BENCHTAB=$(BENCHTAB) MACHINE=$(CFG_MACHINE) ACCEL=$(CFG_ACCEL) \
		CORES=2 MEMORY=512 FIGURES_FIRMWARE=$(CFG_FIRMWARE) FIRMWARES='$(BENCH_FIRMWARES)' \
		BENCH_USER_IMG=$(BUILD)/bench-user.img DISK_IMG=$(BUILD)/disk.img \
		STORAGE_IMG=$(BUILD)/storage.img STORAGE_RUNS=$(BENCH_STORAGE_RUNS) \
		LIMINE_IMG=$(LIMINE_BENCH_IMG) LINUX_KERNEL=$$(cat $(LINUX_INITRAMFS).kernel) \
		INITRAMFS=$(LINUX_INITRAMFS) BOOT_RUNS=$(BENCH_BOOT_RUNS) \
		OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd \
		bench/linux/run.sh $(BENCH_OUT)

BENCH_TARGETS += bench-linux
