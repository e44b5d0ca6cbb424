# Tiles: lib/tile's checker, pages, relocation and linking (docs/tile.md).
# Seeds: corpus/gen-* are tiles the build makes (build/CONFIG/user/modules:
# hello, the library tdemo, tile_dyn which imports from it), copied by hand.
$(eval $(call fuzz_target,tile,lib/tile/tile.c lib/tile/reloc.c lib/tile/link.c lib/fmt/fmt.c \
	lib/string/mem.c,,-max_len=65536))
