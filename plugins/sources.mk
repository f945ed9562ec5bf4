# Plugins (plugins/<name>/).  A plugin is built straight from its .c into
# a shared object in one command (-fPIC -shared): the .c.o rule has no
# -fPIC, so plugin sources never go through it.  List plugins/NAME/NAME.c
# in PLUGIN_SRCS and the man page in PLUGIN_MANS; PLUGINS are the .so
# files, built by "all" and installed into PLUGIN_INSTALL_DIR (oakleyd's
# default plugin directory, CONF_DEFAULT_PLUGIN_DIR in daemon/conf.h).
# The .c.so suffix rule is also what builds the test plugins
# (TEST_PLUGINS, regress/sources.mk); a plugin with helper sources gets
# an explicit rule below.
PLUGIN_SRCS =	plugins/dh2048/dh2048.c plugins/dh_ecp/dh_ecp.c
PLUGIN_SRCS +=	plugins/compat_legacy/compat_legacy.c \
		plugins/compat_modern/compat_modern.c
PLUGIN_SRCS +=	plugins/natt/natt.c
PLUGINS =	$(PLUGIN_SRCS:.c=.so)
PLUGIN_MANS =	plugins/dh2048/dh2048.8 plugins/dh_ecp/dh_ecp.8
PLUGIN_MANS +=	plugins/compat_legacy/compat_legacy.8 \
		plugins/compat_modern/compat_modern.8
PLUGIN_MANS +=	plugins/natt/natt.8
PLUGIN_FLAGS =	-fPIC -shared
PLUGIN_LIBS =	$(CRYPTO_LIBS)
PLUGIN_INSTALL_DIR = $(PREFIX)/lib/oakley

.SUFFIXES: .so

.c.so:
	$(CC) $(ALL_CFLAGS) $(PLUGIN_FLAGS) $(ALL_LDFLAGS) -o $@ $< \
	    $(PLUGIN_LIBS)

# The DH plugins share plugins/dh_common (their "groups" statement and
# the registration) and the core's EVP_PKEY keys (daemon/ike/dh_evp.c),
# compiled into each with hidden symbols.  dh2048 also compiles the
# core's MODP code in (see daemon/ike/modp.h), so it needs nothing from
# oakleyd.
DH_COMMON_SRCS = plugins/dh_common/dh_plugin.c daemon/ike/dh_evp.c
DH_COMMON_HDRS = plugins/dh_common/dh_plugin.h daemon/ike/dh_evp.h \
		daemon/oakley/plugin.h
plugins/dh2048/dh2048.so: plugins/dh2048/dh2048.c daemon/ike/modp.c \
	    daemon/ike/modp.h $(DH_COMMON_SRCS) $(DH_COMMON_HDRS)
	$(CC) $(ALL_CFLAGS) -Iplugins $(PLUGIN_FLAGS) $(ALL_LDFLAGS) -o $@ \
	    plugins/dh2048/dh2048.c daemon/ike/modp.c $(DH_COMMON_SRCS) \
	    $(PLUGIN_LIBS)
# dh_ecp: the ECP groups of RFC 5903 (plugins/dh_ecp/ecp.c, hidden
# symbols; its test program compiles ecp.c in too).
plugins/dh_ecp/dh_ecp.so: plugins/dh_ecp/dh_ecp.c plugins/dh_ecp/ecp.c \
	    plugins/dh_ecp/ecp.h $(DH_COMMON_SRCS) $(DH_COMMON_HDRS)
	$(CC) $(ALL_CFLAGS) -Iplugins $(PLUGIN_FLAGS) $(ALL_LDFLAGS) -o $@ \
	    plugins/dh_ecp/dh_ecp.c plugins/dh_ecp/ecp.c $(DH_COMMON_SRCS) \
	    $(PLUGIN_LIBS)

# compat_legacy and compat_modern share plugins/compat_common (the MS
# vendor-ID table, settings, the profile apply, the "profile auto"
# evidence), compiled into each with hidden symbols: it is no plugin.
COMPAT_SRCS =	plugins/compat_common/mswin.c \
		plugins/compat_common/compat_conf.c \
		plugins/compat_common/compat_profile.c \
		plugins/compat_common/compat_auto.c
COMPAT_HDRS =	plugins/compat_common/mswin.h plugins/compat_common/compat.h

COMPAT_PLUGINS = plugins/compat_legacy/compat_legacy.so \
		plugins/compat_modern/compat_modern.so
plugins/compat_legacy/compat_legacy.so: plugins/compat_legacy/compat_legacy.c
plugins/compat_modern/compat_modern.so: plugins/compat_modern/compat_modern.c
$(COMPAT_PLUGINS): $(COMPAT_SRCS) $(COMPAT_HDRS) daemon/oakley/plugin.h
	$(CC) $(ALL_CFLAGS) -Iplugins $(PLUGIN_FLAGS) $(ALL_LDFLAGS) -o $@ \
	    $(@:.so=.c) $(COMPAT_SRCS)
# natt: NAT traversal, one shared object from natt.c and its helpers
# (hidden symbols, see plugins/natt/natt.h).
NATT_SRCS =	plugins/natt/natt.c plugins/natt/natt_version.c \
		plugins/natt/natt_state.c plugins/natt/natt_natd.c \
		plugins/natt/natt_qm.c plugins/natt/natt_port.c
plugins/natt/natt.so: $(NATT_SRCS) plugins/natt/natt.h daemon/oakley/plugin.h
	$(CC) $(ALL_CFLAGS) $(PLUGIN_FLAGS) $(ALL_LDFLAGS) -o $@ $(NATT_SRCS)
