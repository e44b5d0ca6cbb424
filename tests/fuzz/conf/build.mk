# limine.conf parsing (boot/common/conf.c).
$(eval $(call fuzz_target,conf,boot/common/conf.c lib/fmt/fmt.c lib/string/mem.c,\
	-Iboot/common,-dict=tests/fuzz/conf/conf.dict))
