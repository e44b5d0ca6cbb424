# Host tests for lib/term (the VT100 subset, its drawing).
$(eval $(call host_test,test_term,tests/host/term/test_term.c $(TERM_SRCS) $(FONT_SRCS) $(GFX_SRCS),-lm))
