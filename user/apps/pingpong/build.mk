# pingpong (user/apps/pingpong): the two sides of a channel between cores.
$(eval $(call user_app,pingpong,user/apps/pingpong/main.c,user/apps/pingpong/pingpong.manifest))
