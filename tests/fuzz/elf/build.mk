# ELF sections and symbols (lib/elf/elf.c).
$(eval $(call fuzz_target,elf,lib/elf/elf.c))
