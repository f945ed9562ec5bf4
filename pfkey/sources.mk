# libpfkey, pfkeyemud and its traffic client (pfkey/).
# The codec alone (no transport, no printing): what the fuzz targets link.
PFKEY_CODEC_SRCS = pfkey/pfkey.c pfkey/pfkey_ext.c pfkey/pfkey_sockaddr.c \
		pfkey/pfkey_policy.c pfkey/pfkey_rules.c pfkey/pfkey_names.c \
		pfkey/pfkey_addr.c pfkey/pfkey_os.c pfkey/chain.c
PFKEY_SRCS =	$(PFKEY_CODEC_SRCS) pfkey/transport.c pfkey/print.c \
		pfkey/print_sa.c pfkey/print_policy.c
PFKEY_HDRS =	pfkey/pfkey.h pfkey/pfkey_os.h pfkey/pfkey_wire.h \
		pfkey/print_local.h
EMU_SRCS =	pfkey/emu/main.c pfkey/emu/clock.c pfkey/emu/addr.c \
		pfkey/emu/listen.c pfkey/emu/server.c pfkey/emu/dispatch.c \
		pfkey/emu/sadb.c pfkey/emu/sadb_fill.c pfkey/emu/sadb_msg.c \
		pfkey/emu/algs.c pfkey/emu/register.c pfkey/emu/spd.c \
		pfkey/emu/spd_msg.c pfkey/emu/acquire.c pfkey/emu/traffic.c \
		pfkey/emu/dataplane.c
EMU_HDRS =	pfkey/emu/emu.h pfkey/emu/listen.h
EMUCTL_SRCS =	pfkey/emu/pfkeyemuctl.c
