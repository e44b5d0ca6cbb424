# Host tests for lib/gfx (surfaces, blending, damage, composition) and
# lib/font (TrueType text).
$(eval $(call host_test,test_gfx,tests/host/gfx/test_gfx.c $(GFX_SRCS)))
$(eval $(call host_test,test_font,tests/host/gfx/test_font.c $(FONT_SRCS) $(GFX_SRCS),-lm))
$(eval $(call host_test,test_ui,tests/host/gfx/test_ui.c $(UI_SRCS) $(FONT_SRCS) $(GFX_SRCS)))
$(eval $(call host_test,test_text,tests/host/gfx/test_text.c $(UI_SRCS) $(FONT_SRCS) $(GFX_SRCS)))
