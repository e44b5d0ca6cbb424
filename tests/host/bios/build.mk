# Host tests for the BIOS stage's pure logic (boot/bios): memory map,
# firmware-table scanning, video-mode choice, RTC date arithmetic.
$(eval $(call host_test,test_bios,tests/host/bios/test_memmap.c tests/host/bios/test_misc.c \
	boot/bios/memmap.c boot/bios/tables.c boot/bios/modesel.c boot/bios/rtc.c))
