# tools/cpio's newc writer (the Linux probe's initramfs, bench/linux).
$(eval $(call host_test,test_cpio,tests/host/cpio/test_cpio.c tools/cpio/cpio.c))
