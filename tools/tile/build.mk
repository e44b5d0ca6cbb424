# tools/tile: makes tiles from lld's output and a manifest, shows and
# verifies them (docs/tile.md); user/build.mk runs it for every program.
#   $(TILE) convert ELF MANIFEST OUT [--symbols]
#   $(TILE) show [--all] FILE...
#   $(TILE) verify FILE [--lib LIBRARY]...
TILE := $(HOST)/bin/tile
TILE_LIB_SRCS := lib/tile/tile.c lib/tile/reloc.c lib/tile/link.c lib/tile/types.c
TILE_SRCS := tools/tile/main.c tools/tile/write.c tools/tile/manifest.c tools/tile/types.c \
	tools/tile/elf2tile.c tools/tile/show.c tools/typedc/schema.c $(TILE_LIB_SRCS) lib/elf/elf.c \
	lib/elf/load.c $(TYPED_SRCS) lib/fmt/fmt.c lib/string/mem.c
$(eval $(call host_tool,tile,$(TILE_SRCS)))
