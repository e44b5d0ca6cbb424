# Host tests for tiles: lib/tile's checker, relocation and linking over
# files made by the tool's writer (tools/tile/write.c).
$(eval $(call host_test,test_tile,tests/host/tile/test_tile.c tools/tile/write.c \
	lib/tile/tile.c lib/tile/reloc.c lib/tile/link.c lib/fmt/fmt.c lib/string/mem.c))
# The manifest reader (tools/tile/manifest.c).
$(eval $(call host_test,test_tile_manifest,tests/host/tile/test_manifest.c tools/tile/manifest.c \
	tools/tile/write.c))
