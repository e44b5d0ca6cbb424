# Loaders: each firmware front end has its own fragment (boot/uefi/build.mk,
# boot/bios/build.mk); boot/common is compiled into each of them.
include $(sort $(wildcard boot/*/build.mk))
