#! /usr/bin/env atf-sh
#
# compat_modern's configuration through "oakleyd -n": every key in the
# plugin block and in a peer's block, the errors with their places, and
# both compat plugins loaded together for "profile auto".

TOPDIR=@TOPDIR@
. "$TOPDIR/regress/plugins/compat.subr"

atf_test_case accepts
accepts_head() {
	atf_set "descr" "oakleyd -n accepts a compat_modern block with every" \
	    "key and a peer's compat_modern block"
}
accepts_body() {
	compat_plugins
	{ compat_head; cat <<'CONF'
plugin compat_modern {
	send-vendor-id win2008r2;
	mm-proposal aes128 sha1 modp1024;
	mm-lifetime 480m;
	qm-lifetime 60m;
	qm-lifesize 100000KB;
	idle-time 300s;
	pfs yes;
}
peer win7 {
	address 192.0.2.20;
	profile modern;
	auth psk "not a real secret";
	compat_modern {
		mm-proposal aes256 sha256 modp2048;
		idle-time 1h;
	}
}
CONF
	} > oakleyd.conf
	compat_n_ok
}

atf_test_case errors
errors_head() {
	atf_set "descr" "oakleyd -n refuses a bad compat_modern block with" \
	    "one message naming the plugin, file, line and column"
}
errors_body() {
	compat_plugins
	so=$PWD/plugins/compat_modern.so
	conf=$PWD/oakleyd.conf
	compat_conf 'plugin compat_modern {\n  mm-proposal aes128 sha1;\n}\n'
	compat_n_fails "plugin 'compat_modern': $so: bad configuration: $conf:3:3: expected 'mm-proposal ENCRYPTION HASH GROUP;'"
	compat_conf 'plugin compat_modern { pfs maybe; }\n'
	compat_n_fails "plugin 'compat_modern': $so: bad configuration: $conf:2:28: expected yes or no, got 'maybe'"
	compat_conf 'plugin compat_modern;\n%s' \
	    "$(peer_p 'compat_modern { send-vendor-id win7; }')"
	compat_n_fails "plugin 'compat_modern': peer 'p': bad configuration: $conf:6:25: send-vendor-id belongs in the plugin block, not in a peer's"
}

atf_test_case both_auto
both_auto_head() {
	atf_set "descr" "Both compat plugins load together, with per-peer" \
	    "blocks for each, for a peer with profile auto"
}
both_auto_body() {
	compat_plugins
	{ compat_head; cat <<'CONF'
plugin compat_legacy { send-vendor-id win2003; }
plugin compat_modern { send-vendor-id win7; }
peer any {
	address 203.0.113.7;
	profile auto;
	auth psk "not a real secret";
	compat_legacy { group2048 yes; }
	compat_modern { pfs yes; }
}
CONF
	} > oakleyd.conf
	compat_n_ok
}

atf_init_test_cases() {
	atf_add_test_case accepts
	atf_add_test_case errors
	atf_add_test_case both_auto
}
