# Tiles: lib/tile's checker, pages, relocation, linking and types (lib/typed
# descriptors; docs/tile.md).  Seeds: corpus/gen-* are tiles the build makes
# (build/CONFIG/user/modules: hello, the library tdemo, tile_dyn which
# imports from it, tile_args with an argument schema), copied by hand.
$(eval $(call fuzz_target,tile,lib/tile/tile.c lib/tile/reloc.c lib/tile/link.c lib/tile/types.c \
	$(TYPED_SRCS) lib/fmt/fmt.c lib/string/mem.c,,-max_len=65536))
