# tools/bench's log reader and statistics (make bench-linux's tables).
$(eval $(call host_test,test_benchlog,tests/host/bench/test_benchlog.c $(BENCHTAB_LIB),-lm))
