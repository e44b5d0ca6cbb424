# Tiles: lib/tile's checker, pages, relocation and linking (docs/tile.md).
$(eval $(call fuzz_target,tile,lib/tile/tile.c lib/tile/reloc.c lib/tile/link.c lib/fmt/fmt.c \
	lib/string/mem.c,,-max_len=65536))
