# init (user/init): the first program, started by core 0's monitor with a
# share of its untyped; reads the startup description (boot module
# "startup": user/init/startup.conf, on the normal image; its schema,
# init_startup.schema, is init's configuration schema, named by its
# manifest) and starts the programs it lists.
$(eval $(call user_program,init,user/init/main.c user/init/startup.c user/init/local.c user/init/control.c user/init/files.c,user/init/init.manifest))
