# lib/font: TrueType text through stb_truetype (Debian's libstb-dev,
# /usr/include/stb), built freestanding with our own math (fmath.c).  Only
# stb.c sees the third-party header.
FONT_SRCS := lib/font/font.c lib/font/stb.c lib/font/fmath.c
FONT_STB_CFLAGS := -isystem /usr/include/stb
$(HOST)/san/lib/font/stb.o $(HOST)/obj/lib/font/stb.o: HOST_EXTRA_CFLAGS += $(FONT_STB_CFLAGS)
$(BUILD)/user/lib/font/stb.o: USER_CFLAGS += $(FONT_STB_CFLAGS)
