# Tests (regress/).  TEST_C_PROGS are atf-c programs built from NAME.c,
# TEST_SH_PROGS are atf-sh scripts built from NAME.sh.
TEST_LIB_SRCS =	regress/lib/testutil.c
TEST_HDRS =	regress/lib/testutil.h
TEST_C_PROGS =
TEST_C_PROGS +=	regress/pfkey/t_print regress/pfkey/t_transport
TEST_SH_PROGS =
TEST_C_PROGS +=	regress/daemon/t_setkey_parse
TEST_C_PROGS +=	regress/daemon/t_timer regress/daemon/t_sa
TEST_SH_PROGS +=	regress/daemon/t_oakleyctl
# oakleyd against pfkeyemud (helpers in regress/daemon/oakleyd.subr)
TEST_SH_PROGS +=	regress/daemon/t_oakleyd regress/daemon/t_oakleyd_ctl
# strongSwan interop harness: charon <-> charon (regress/lib/charon.subr)
TEST_SH_PROGS +=	regress/interop/t_charon_pair
TEST_C_PROGS +=	regress/daemon/t_ctl regress/daemon/t_ctl_peers
FUZZ_PROGS =
BENCH_PROGS =
BENCH_PROGS +=	regress/bench/bench_sa

# Benchmarks build with -O2 whatever CFLAGS says.  Prerequisites name the
# libraries literally: their variables are set after this file is read.
# This file is read before GNUmakefile's first target, so "all:" comes
# first here to stay the default goal of both makes.
all:
regress/bench/bench_sa: regress/bench/bench_sa.c regress/bench/timing.h \
	    daemon/liboakley.a pfkey/libpfkey.a $(DAEMON_HDRS) $(PFKEY_HDRS)
	$(CC) $(ALL_CFLAGS) -O2 $(ALL_LDFLAGS) -o $@ regress/bench/bench_sa.c \
	    $(DAEMON_LIB) $(LIBPFKEY) $(EVENT_LIBS)
# DH operations per second: dh.h (group 2, dh2048's 14) against OpenSSL.
BENCH_PROGS +=	regress/bench/bench_dh
regress/bench/bench_dh: regress/bench/bench_dh.c regress/bench/timing.h \
	    daemon/liboakley.a pfkey/libpfkey.a $(DAEMON_HDRS) $(PFKEY_HDRS)
	$(CC) $(ALL_CFLAGS) -O2 $(ALL_LDFLAGS) -o $@ regress/bench/bench_dh.c \
	    $(DAEMON_LIB) $(LIBPFKEY) $(EVENT_LIBS) $(CRYPTO_LIBS) $(LTDL_LIBS)

# Plugin host tests.  The test plugins are built by the .c.so rule of
# plugins/sources.mk; the tests find them next to their sources, through
# atf's "srcdir" (the directory of the test program).
TEST_C_PROGS +=	regress/daemon/t_plugin_load regress/daemon/t_plugin_hooks \
		regress/daemon/t_plugin_flags
TEST_PLUGIN_DIR = regress/plugins/test_plugin
TEST_PLUGINS =	$(TEST_PLUGIN_DIR)/test_plugin.so \
		$(TEST_PLUGIN_DIR)/test_second.so $(TEST_PLUGIN_DIR)/bad_abi.so \
		$(TEST_PLUGIN_DIR)/bad_name.so $(TEST_PLUGIN_DIR)/no_symbol.so \
		$(TEST_PLUGIN_DIR)/dh_clash.so
TEST_PLUGINS +=	$(TEST_PLUGIN_DIR)/profile_reserved.so
$(TEST_PLUGINS): daemon/oakley/plugin.h

# oakleyd.conf parser: unit tests and the fuzz target (built straight from
# the sources, not from liboakley.a, so the fuzzer instruments them).
TEST_C_PROGS +=	regress/daemon/t_conf regress/daemon/t_conf_errors
FUZZ_PROGS +=	regress/fuzz/fuzz_conf
CONF_FUZZ_SRCS = daemon/conf.c daemon/conf_lex.c daemon/conf_tree.c \
		daemon/conf_stmt.c daemon/conf_value.c daemon/conf_peer.c \
		daemon/conf_auth.c daemon/conf_proposal.c daemon/conf_policy.c \
		daemon/conf_dump.c daemon/log.c
regress/fuzz/fuzz_conf: regress/fuzz/fuzz_conf.c $(CONF_FUZZ_SRCS) \
	    daemon/conf.h daemon/conf_priv.h daemon/log.h
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
	    -Idaemon -Ipfkey -o $@ regress/fuzz/fuzz_conf.c $(CONF_FUZZ_SRCS)

# libpfkey codec: unit tests and the fuzz target (built from the codec
# sources, not from libpfkey.a, so the fuzzer instruments them).
TEST_C_PROGS +=	regress/pfkey/t_codec regress/pfkey/t_codec_reject \
		regress/pfkey/t_codec_rules regress/pfkey/t_codec_encode \
		regress/pfkey/t_codec_bytes regress/pfkey/t_codec_addr \
		regress/pfkey/t_chain
FUZZ_PROGS +=	regress/fuzz/fuzz_pfkey
regress/fuzz/fuzz_pfkey: regress/fuzz/fuzz_pfkey.c $(PFKEY_CODEC_SRCS) \
	    pfkey/pfkey.h pfkey/pfkey_os.h pfkey/pfkey_wire.h
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
	    -Ipfkey -o $@ regress/fuzz/fuzz_pfkey.c $(PFKEY_CODEC_SRCS)

# pfkeyemud integration tests (atf-sh) and their PF_KEY client, pfktool:
# a test tool (TEST_TOOLS), built by "tests", linked with libpfkey.
TEST_SH_PROGS +=	regress/pfkey/t_emu_sadb regress/pfkey/t_emu_acquire \
		regress/pfkey/t_emu_expire regress/pfkey/t_emu_spd \
		regress/pfkey/t_emu_robust regress/pfkey/t_emu_daemon
TEST_TOOLS =	regress/pfkey/pfktool
PFKTOOL_SRCS =	regress/pfkey/pfktool.c regress/pfkey/pfktool_listen.c \
		regress/pfkey/pfktool_spd.c regress/pfkey/pfktool_fuzz.c \
		regress/pfkey/pfktool_print.c
regress/pfkey/pfktool: $(PFKTOOL_SRCS) regress/pfkey/pfktool.h \
	    pfkey/libpfkey.a pfkey/pfkey.h
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(PFKTOOL_SRCS) $(LIBPFKEY)

# ISAKMP codec (daemon/ike/isakmp*.c): unit tests and the fuzz target
# (built from the codec sources, so the fuzzer instruments them).
TEST_C_PROGS +=	regress/ike/t_isakmp regress/ike/t_isakmp_vectors \
		regress/ike/t_isakmp_reject regress/ike/t_isakmp_attr
FUZZ_PROGS +=	regress/fuzz/fuzz_isakmp
ISAKMP_FUZZ_SRCS = daemon/ike/isakmp.c daemon/ike/isakmp_error.c \
		daemon/ike/isakmp_payload.c daemon/ike/isakmp_sa.c \
		daemon/ike/isakmp_build.c daemon/ike/isakmp_build_sa.c \
		daemon/ike/isakmp_names.c daemon/log.c
regress/fuzz/fuzz_isakmp: regress/fuzz/fuzz_isakmp.c $(ISAKMP_FUZZ_SRCS) \
	    daemon/ike/isakmp.h daemon/ike/isakmp_local.h daemon/log.h
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
	    -Idaemon -Ipfkey -o $@ regress/fuzz/fuzz_isakmp.c \
	    $(ISAKMP_FUZZ_SRCS)

# IKE cryptography and the built-in DH group 2 (daemon/ike/crypto.c, dh.c).
TEST_C_PROGS +=	regress/ike/t_crypto regress/ike/t_dh
# The dh2048 plugin through the real plugin host (the .so is built by all).
TEST_C_PROGS +=	regress/plugins/dh2048/t_dh2048
# The dh_ecp plugin likewise; ecp.c compiled in for the known answers.
TEST_C_PROGS +=	regress/plugins/dh_ecp/t_dh_ecp
regress/plugins/dh_ecp/t_dh_ecp: regress/plugins/dh_ecp/t_dh_ecp.c \
	    plugins/dh_ecp/ecp.c plugins/dh_ecp/ecp.h
	$(CC) $(ALL_CFLAGS) $(ATF_CFLAGS) -Iregress/lib -Iplugins \
	    $(ALL_LDFLAGS) -o $@ regress/plugins/dh_ecp/t_dh_ecp.c \
	    plugins/dh_ecp/ecp.c $(TEST_LIB_SRCS) $(DAEMON_LIB) $(LIBPFKEY) \
	    $(ATF_LIBS) $(EVENT_LIBS) $(CRYPTO_LIBS) $(LTDL_LIBS)

# The IKE engine: oakleyd against oakleyd over loopback
# (helpers in regress/lib/pair.subr).
TEST_SH_PROGS +=	regress/ike/t_oakleyd_pair regress/ike/t_oakleyd_pair_cert \
		regress/ike/t_oakleyd_pair_life
# "profile auto" end to end: the compat plugins through the engine.
TEST_SH_PROGS +=	regress/ike/t_oakleyd_profile
# iketool: raw main-mode first messages for the duplicate and half-open
# tests (built from the codec sources).
TEST_TOOLS +=	regress/ike/iketool
regress/ike/iketool: regress/ike/iketool.c $(ISAKMP_FUZZ_SRCS) \
	    daemon/ike/isakmp.h daemon/ike/isakmp_local.h daemon/log.h
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ regress/ike/iketool.c \
	    $(ISAKMP_FUZZ_SRCS)
TEST_C_PROGS +=	regress/ike/t_p1sa regress/ike/t_xmit regress/ike/t_qm_stray
# IKE handshakes per second between two oakleyd (bench_ike.sh) and its
# clock; its DH reference is bench_dh's, measured once a run.
BENCH_PROGS +=	regress/bench/bench_ike regress/bench/benchtool
regress/bench/benchtool: regress/bench/benchtool.c regress/bench/timing.h
	$(CC) $(ALL_CFLAGS) -O2 $(ALL_LDFLAGS) -o $@ regress/bench/benchtool.c
# The compat plugins (.so built by all) through the real plugin host, with
# the fake engine both programs share (regress/plugins/compat_test.c).
COMPAT_TEST_SRCS = regress/plugins/compat_test.c
COMPAT_TESTS =	regress/plugins/compat_legacy/t_compat_legacy \
		regress/plugins/compat_modern/t_compat_modern
TEST_C_PROGS +=	$(COMPAT_TESTS)
TEST_SH_PROGS +=	regress/plugins/compat_legacy/t_compat_legacy_conf \
		regress/plugins/compat_modern/t_compat_modern_conf
regress/plugins/compat_legacy/t_compat_legacy: \
	    regress/plugins/compat_legacy/t_compat_legacy.c
regress/plugins/compat_modern/t_compat_modern: \
	    regress/plugins/compat_modern/t_compat_modern.c
$(COMPAT_TESTS): $(COMPAT_TEST_SRCS) regress/plugins/compat_test.h
	$(CC) $(ALL_CFLAGS) $(ATF_CFLAGS) -Iregress/lib -Iregress/plugins \
	    $(ALL_LDFLAGS) -o $@ $@.c $(COMPAT_TEST_SRCS) $(TEST_LIB_SRCS) \
	    $(DAEMON_LIB) $(LIBPFKEY) $(ATF_LIBS) $(EVENT_LIBS) \
	    $(CRYPTO_LIBS) $(LTDL_LIBS)
# The natt plugin through the real plugin host, driven by a fake IKE
# engine (natt_fake.c) that plays both ends of an exchange.
NATT_TESTS =	regress/plugins/natt/t_natt regress/plugins/natt/t_natt_natd \
		regress/plugins/natt/t_natt_sa
NATT_FAKE_SRCS = regress/plugins/natt/natt_fake.c
TEST_C_PROGS +=	$(NATT_TESTS)
TEST_SH_PROGS +=	regress/plugins/natt/t_natt_daemon
regress/plugins/natt/t_natt: regress/plugins/natt/t_natt.c
regress/plugins/natt/t_natt_natd: regress/plugins/natt/t_natt_natd.c
regress/plugins/natt/t_natt_sa: regress/plugins/natt/t_natt_sa.c
$(NATT_TESTS): $(NATT_FAKE_SRCS) regress/plugins/natt/natt_fake.h
	$(CC) $(ALL_CFLAGS) $(ATF_CFLAGS) -Iregress/lib $(ALL_LDFLAGS) -o $@ \
	    $@.c $(NATT_FAKE_SRCS) $(TEST_LIB_SRCS) $(DAEMON_LIB) $(LIBPFKEY) \
	    $(ATF_LIBS) $(EVENT_LIBS) $(CRYPTO_LIBS) $(LTDL_LIBS)

# The NAT test network (regress/lib/nat.subr) on its own.
TEST_SH_PROGS +=	regress/natt/t_nat_network

# strongSwan interop: oakleyd <-> charon (regress/lib/charon.subr).
TEST_SH_PROGS +=	regress/interop/t_oakleyd_charon

# oakleyd <-> oakleyd across that network (regress/lib/natt_pair.subr).
TEST_SH_PROGS +=	regress/natt/t_natt_pair

# oakleyd <-> charon across that network (natt_pair.subr for oakleyd's
# side, regress/lib/charon.subr for charon's), each side initiating.
TEST_SH_PROGS +=	regress/natt/t_natt_charon

# The engine in one process (regress/ike/ikeworld.c: no sockets, no
# kernel, a fake clock): input, duplicates, half-open caps, replays; and
# the proposals, whose profiles are built for the world's peer.  free()
# and realloc() are wrapped (ikeworld_watch_frees): secrets are wiped.
IKEWORLD_SRCS =	regress/ike/ikeworld.c
IKEWORLD_TESTS = regress/ike/t_engine_input regress/ike/t_proposal
TEST_C_PROGS +=	$(IKEWORLD_TESTS)
regress/ike/t_engine_input: regress/ike/t_engine_input.c
regress/ike/t_proposal: regress/ike/t_proposal.c
$(IKEWORLD_TESTS): $(IKEWORLD_SRCS) regress/ike/ikeworld_watch.c \
	    regress/ike/ikeworld.h
	$(CC) $(ALL_CFLAGS) $(ATF_CFLAGS) -Iregress/lib -Iregress/ike \
	    $(ALL_LDFLAGS) -Wl,--wrap=free,--wrap=realloc -o $@ $@.c \
	    $(IKEWORLD_SRCS) regress/ike/ikeworld_watch.c \
	    $(TEST_LIB_SRCS) $(DAEMON_LIB) $(LIBPFKEY) \
	    $(ATF_LIBS) $(EVENT_LIBS) $(CRYPTO_LIBS) $(LTDL_LIBS)

# The engine's fuzz target: ikeworld fed datagrams (regress/fuzz/
# fuzz_engine.c), built from the daemon and libpfkey sources, not from
# the archives, so the fuzzer instruments the whole engine.
FUZZ_PROGS +=	regress/fuzz/fuzz_engine
regress/fuzz/fuzz_engine: regress/fuzz/fuzz_engine.c $(IKEWORLD_SRCS) \
	    regress/ike/ikeworld.h $(DAEMON_LIB_SRCS) $(DAEMON_HDRS)
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
	    -Ipfkey -Idaemon -Iregress/ike \
	    -DCONF_DEFAULT_PLUGIN_DIR='"$(PLUGIN_INSTALL_DIR)"' \
	    $(EVENT_CFLAGS) $(CRYPTO_CFLAGS) $(LTDL_CFLAGS) -o $@ \
	    regress/fuzz/fuzz_engine.c $(IKEWORLD_SRCS) $(DAEMON_LIB_SRCS) \
	    $(PFKEY_SRCS) $(EVENT_LIBS) $(CRYPTO_LIBS) $(LTDL_LIBS)
