# Loaders: each firmware front end has its own fragment (boot/uefi/build.mk,
# boot/bios/build.mk); boot/common is compiled into each of them.
include $(sort $(wildcard boot/*/build.mk))

# Loader test images for the boot matrix (both loaders on each): bad input,
# and a machine with a processor that never starts.
include boot/tests.mk
