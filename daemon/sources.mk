# oakleyd and oakleyctl (daemon/).
# DAEMON_LIB_SRCS: everything of oakleyd except main.c, archived as
# daemon/liboakley.a so unit tests can link it.
DAEMON_LIB_SRCS = daemon/log.c daemon/kernel.c
# oakleyctl's setkey-syntax parser (in the library for its unit test)
DAEMON_LIB_SRCS += daemon/oakleyctl/setkey_lex.c \
		daemon/oakleyctl/setkey_value.c daemon/oakleyctl/setkey_alg.c \
		daemon/oakleyctl/setkey_parse.c daemon/oakleyctl/setkey_spd.c
DAEMON_HDRS =	daemon/log.h daemon/kernel.h daemon/conf.h
DAEMON_HDRS +=	daemon/oakleyctl/setkey.h daemon/oakleyctl/setkey_int.h
# timers and the phase-2 SA manager
DAEMON_LIB_SRCS += daemon/timer.c daemon/sa.c
DAEMON_HDRS +=	daemon/timer.h daemon/sa.h
# oakleyd: main.c is the program; the rest is library, for the unit tests
OAKLEYD_SRCS =	daemon/main.c
DAEMON_LIB_SRCS += daemon/daemon.c daemon/daemon_kernel.c daemon/engine.c \
		daemon/peer.c daemon/policy.c daemon/negotiate.c daemon/ctl.c \
		daemon/ctl_cmd.c daemon/ctl_show.c daemon/ctl_json.c
DAEMON_HDRS +=	daemon/daemon.h daemon/engine.h daemon/peer.h daemon/policy.h \
		daemon/negotiate.h daemon/ctl.h
OAKLEYCTL_SRCS = daemon/oakleyctl/oakleyctl.c daemon/oakleyctl/script.c \
		daemon/oakleyctl/cmd_pfkey.c daemon/oakleyctl/monitor.c \
		daemon/oakleyctl/cmd_daemon.c
OAKLEYCTL_HDRS = daemon/oakleyctl/oakleyctl.h
# oakleyd.conf parser
DAEMON_LIB_SRCS += daemon/conf.c daemon/conf_lex.c daemon/conf_tree.c \
		daemon/conf_stmt.c daemon/conf_value.c daemon/conf_peer.c \
		daemon/conf_auth.c daemon/conf_proposal.c daemon/conf_policy.c \
		daemon/conf_dump.c
DAEMON_HDRS +=	daemon/conf_priv.h
# plugin host (oakley/plugin.h is the ABI plugins include)
DAEMON_LIB_SRCS += daemon/plugin.c daemon/plugin_conf.c daemon/plugin_flags.c \
		daemon/plugin_reg.c daemon/plugin_run.c daemon/plugin_sa.c \
		daemon/plugin_timer.c
DAEMON_HDRS +=	daemon/plugin.h daemon/plugin_priv.h daemon/oakley/plugin.h
# IKE cryptography and DH groups (modp.c is also compiled into dh2048.so,
# dh_evp.c into dh2048.so and dh_ecp.so)
DAEMON_LIB_SRCS += daemon/ike/crypto.c daemon/ike/dh.c daemon/ike/modp.c \
		daemon/ike/dh_evp.c
DAEMON_HDRS +=	daemon/ike/crypto.h daemon/ike/dh.h daemon/ike/modp.h \
		daemon/ike/dh_evp.h
# ISAKMP message codec (daemon/ike/isakmp.h)
DAEMON_LIB_SRCS += daemon/ike/isakmp.c daemon/ike/isakmp_error.c \
		daemon/ike/isakmp_payload.c daemon/ike/isakmp_sa.c \
		daemon/ike/isakmp_build.c daemon/ike/isakmp_build_sa.c \
		daemon/ike/isakmp_names.c
DAEMON_HDRS +=	daemon/ike/isakmp.h daemon/ike/isakmp_local.h
# The IKE engine (daemon/ike/ike.h)
DAEMON_LIB_SRCS += daemon/ike/ike.c daemon/ike/net.c daemon/ike/p1sa.c \
		daemon/ike/proposal.c daemon/ike/ids.c daemon/ike/msg.c \
		daemon/ike/xmit.c daemon/ike/phase1.c daemon/ike/phase1_auth.c \
		daemon/ike/phase1_cert.c daemon/ike/phase2.c \
		daemon/ike/install.c daemon/ike/info.c
DAEMON_HDRS +=	daemon/ike/ike.h
