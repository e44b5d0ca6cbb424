# Host tests for tiles: lib/tile's checker, relocation, linking and types
# (lib/typed descriptors) over files made by the tool's writer
# (tools/tile/write.c, types.c).
TILE_TEST_SRCS := tools/tile/write.c tools/tile/types.c tools/typedc/schema.c lib/tile/tile.c \
	lib/tile/reloc.c lib/tile/link.c lib/tile/types.c $(TYPED_SRCS) lib/fmt/fmt.c lib/string/mem.c
$(eval $(call host_test,test_tile,tests/host/tile/test_tile.c $(TILE_TEST_SRCS)))
# The manifest reader (tools/tile/manifest.c).
$(eval $(call host_test,test_tile_manifest,tests/host/tile/test_manifest.c tools/tile/manifest.c \
	$(TILE_TEST_SRCS)))
