# tools/cpio: mkcpio writes newc cpio archives (bench/linux/linux.mk makes
# the Linux probe's initramfs with it; no external cpio is needed).
#   $(MKCPIO) --out FILE ENTRY...   (mkcpio with no arguments: the syntax)
MKCPIO := $(HOST)/bin/mkcpio
$(eval $(call host_tool,mkcpio,tools/cpio/main.c tools/cpio/cpio.c))
