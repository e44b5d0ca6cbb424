# tools/mkfont: rasterises a TrueType font (stb_truetype from libstb-dev)
# into a C file of 8-bit coverage bitmaps for printable ASCII.
#   $(MKFONT) FONT.ttf CELL_HEIGHT OUT.c
MKFONT := $(HOST)/bin/mkfont
$(eval $(call host_tool,mkfont,tools/mkfont/mkfont.c,-lm))
