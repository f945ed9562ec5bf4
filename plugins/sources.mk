# Plugins (plugins/<name>/).  A plugin is built straight from its .c into
# a shared object in one command (-fPIC -shared): the .c.o rule has no
# -fPIC, so plugin sources never go through it.  List plugins/NAME/NAME.c
# in PLUGIN_SRCS; PLUGINS are the .so files.  The .c.so suffix rule is
# also what builds the test plugins (TEST_PLUGINS, regress/sources.mk).
PLUGIN_SRCS =
PLUGINS =	$(PLUGIN_SRCS:.c=.so)
PLUGIN_FLAGS =	-fPIC -shared
PLUGIN_LIBS =

.SUFFIXES: .so

.c.so:
	$(CC) $(ALL_CFLAGS) $(PLUGIN_FLAGS) $(ALL_LDFLAGS) -o $@ $< \
	    $(PLUGIN_LIBS)
