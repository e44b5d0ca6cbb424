# The shell's command-library loader (lib/shell/cmdlib.c over lib/tile and
# lib/typed): it reads boot modules' bytes.
$(eval $(call fuzz_target,cmdlib,$(SHELL_SRCS) $(SHELL_CMDLIB_SRCS) $(SHELL_TILE_SRCS) \
	$(TYPED_SRCS) lib/fmt/fmt.c,,-max_len=65536))
