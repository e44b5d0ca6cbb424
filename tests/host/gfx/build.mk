# Host tests for lib/gfx (surfaces, blending, damage, composition).
GFX_SRCS := lib/gfx/gfx.c lib/gfx/damage.c
$(eval $(call host_test,test_gfx,tests/host/gfx/test_gfx.c $(GFX_SRCS)))
