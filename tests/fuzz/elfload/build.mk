# The loaders' kernel path: lib/elf/load.c and boot/common/requests.c.
$(eval $(call fuzz_target,elfload,lib/elf/load.c boot/common/requests.c lib/fmt/fmt.c \
	lib/string/mem.c,-Iboot/common))
