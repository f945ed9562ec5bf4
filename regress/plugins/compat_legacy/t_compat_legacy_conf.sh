#! /usr/bin/env atf-sh
#
# compat_legacy's configuration through "oakleyd -n": every key in the
# plugin block and in a peer's block, the errors with their places, and
# the commented compat blocks of etc/oakleyd.conf.sample.

TOPDIR=@TOPDIR@
. "$TOPDIR/regress/plugins/compat.subr"

atf_test_case accepts
accepts_head() {
	atf_set "descr" "oakleyd -n accepts a compat_legacy block with every" \
	    "key and a peer's compat_legacy block"
}
accepts_body() {
	compat_plugins
	{ compat_head; cat <<'CONF'
plugin compat_legacy {
	send-vendor-id win2003;
	group2048 yes;
	mm-lifetime 8h;
	qm-lifetime 1h;
	qm-lifesize 100MB;
	idle-time 5m;
	pfs no;
	natt-draft yes;
}
peer winxp {
	address 192.0.2.10;
	profile legacy;
	auth psk "not a real secret";
	compat_legacy {
		group2048 no;
		qm-lifesize 20480KB;
		pfs yes;
	}
}
CONF
	} > oakleyd.conf
	compat_n_ok
	# Printed back (-v) with its blocks.
	atf_check -s exit:0 -o save:printed -e empty "$OAKLEYD" -n -v \
	    -f "$PWD/oakleyd.conf"
	atf_check -o match:'^plugin compat_legacy \{' cat printed
	atf_check -o match:'send-vendor-id win2003;' cat printed
	atf_check -o match:'profile legacy;' cat printed
}

atf_test_case errors
errors_head() {
	atf_set "descr" "oakleyd -n refuses a bad compat_legacy block with" \
	    "one message naming the plugin, file, line and column"
}
errors_body() {
	compat_plugins
	so=$PWD/plugins/compat_legacy.so
	conf=$PWD/oakleyd.conf
	compat_conf 'plugin compat_legacy {\n\tsend-vendor-id vista;\n}\n'
	compat_n_fails "plugin 'compat_legacy': $so: bad configuration: $conf:3:9: unknown Windows release 'vista' for profile legacy (expected win2000 (2), winxp (3), win2003 (4) or no)"
	compat_conf 'plugin compat_legacy { idle-time 1s; }\n'
	compat_n_fails "plugin 'compat_legacy': $so: bad configuration: $conf:2:34: value '1s' out of range (300 to 3600 seconds)"
	compat_conf 'plugin compat_legacy;\n%s' \
	    "$(peer_p 'compat_legacy { colour blue; }')"
	compat_n_fails "plugin 'compat_legacy': peer 'p': bad configuration: $conf:6:25: unknown option 'colour' (expected group2048, mm-lifetime, qm-lifetime, qm-lifesize, idle-time, pfs or natt-draft)"
	# A peer block for the plugin without the plugin.
	compat_conf '%s' "$(peer_p 'compat_legacy { pfs yes; }')"
	compat_n_fails "plugin 'compat_legacy': $conf:5:9: peer 'p': no such plugin loaded"
}

atf_test_case sample_blocks
sample_blocks_head() {
	atf_set "descr" "The commented compat blocks and the profile auto" \
	    "peer of etc/oakleyd.conf.sample are valid once uncommented"
}
sample_blocks_body() {
	compat_plugins
	{ compat_head; sample_block "plugin compat_legacy"
	  sample_block "plugin compat_modern"; sample_block "peer roadwarrior"; } \
	    > oakleyd.conf
	atf_check -o match:'^plugin compat_legacy \{' cat oakleyd.conf
	atf_check -o match:'^plugin compat_modern \{' cat oakleyd.conf
	atf_check -o match:'^	profile auto;' cat oakleyd.conf
	atf_check -o match:'^	compat_legacy \{' cat oakleyd.conf
	compat_n_ok
	# The sample itself, plugins commented out, stays valid.
	atf_check -s exit:0 -o empty -e empty "$OAKLEYD" -n \
	    -f "$TOPDIR/etc/oakleyd.conf.sample"
}

atf_init_test_cases() {
	atf_add_test_case accepts
	atf_add_test_case errors
	atf_add_test_case sample_blocks
}
