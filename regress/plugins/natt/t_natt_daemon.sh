#! /usr/bin/env atf-sh
#
# The natt plugin in oakleyd itself (against pfkeyemud): loaded from the
# plugin directory and listed by "oakleyctl show plugins", a bad setting
# stopping -n and the start with one exact message, and the commented
# block of etc/oakleyd.conf.sample accepted by -n once uncommented.

TOPDIR=@TOPDIR@
. "$TOPDIR/regress/daemon/oakleyd.subr"

NATT_SO=$TOPDIR/plugins/natt/natt.so
NATT_DESC="NAT traversal (RFC 3947, RFC 3948, drafts 02 and 03)"
RULE=assume-udp-encapsulation-context-on-send-rule

peer_east() {
	cat <<'EOF'
peer east {
	address 203.0.113.2;
	local-address 198.51.100.2;
	auth psk "not a real secret";
	policy local 198.51.100.2 port 1701 remote 203.0.113.2 proto udp;
}
EOF
}

natt_plugins() {
	[ -f "$NATT_SO" ] || atf_skip "plugins/natt/natt.so is not built"
	mkdir -p plugins
	cp "$NATT_SO" plugins/
	chmod 644 plugins/natt.so
}

atf_test_case loaded cleanup
loaded_head() {
	atf_set "descr" "oakleyd loads natt with its settings and lists it"
}
loaded_body() {
	od_emu_start
	natt_plugins
	{ conf_head; printf 'plugin natt {\n\tkeepalive 30s;\n\t%s 2;\n}\n' \
	    "$RULE"; peer_east; } > oakleyd.conf
	atf_check -s exit:0 -o empty -e empty "$OAKLEYD" -n -f "$PWD/oakleyd.conf"
	od_start -D debug
	printf '%-4s  %-7s  %-52s  %s\n' NAME VERSION DESCRIPTION FILE \
	    natt 1.0 "$NATT_DESC" "$PWD/plugins/natt.so" > expected
	atf_check -s exit:0 -e empty -o file:expected "$OAKLEYCTL" show plugins
	atf_check -o match:"info: plugin natt 1\\.0 loaded from $PWD/plugins/natt\\.so\$" \
	    cat oakleyd.log
	atf_check -o match:"debug: plugin natt: keepalive 30 s, $RULE 2\$" \
	    cat oakleyd.log
	atf_check -o match:'oakleyd started: 1 peers, 1 plugins' cat oakleyd.log
}
loaded_cleanup() {
	od_stop
	emu_stop
}

atf_test_case bad_settings cleanup
bad_settings_head() {
	atf_set "descr" "A bad natt setting stops -n and the start with one" \
	    "message naming the plugin, the file, the place and the reason"
}
bad_settings_body() {
	od_emu_start
	natt_plugins
	{ conf_head; printf 'plugin natt {\n\t%s 3;\n}\n' "$RULE"; } \
	    > oakleyd.conf
	msg="oakleyd: error: plugin 'natt': $PWD/plugins/natt.so: bad configuration: $PWD/oakleyd.conf:7:55: value '3' out of range (0 to 2)"
	atf_check -s exit:1 -o empty -e inline:"$msg\n" \
	    "$OAKLEYD" -n -f "$PWD/oakleyd.conf"
	atf_check -s exit:1 -o empty -e inline:"$msg\n" \
	    "$OAKLEYD" -d -f "$PWD/oakleyd.conf"
	atf_check -s exit:1 test -e oakleyd.pid

	{ conf_head; echo "plugin natt { keepalive 20s; keepalive 30s; }"; } \
	    > oakleyd.conf
	msg="oakleyd: error: plugin 'natt': $PWD/plugins/natt.so: bad configuration: $PWD/oakleyd.conf:6:30: keepalive given twice"
	atf_check -s exit:1 -o empty -e inline:"$msg\n" \
	    "$OAKLEYD" -n -f "$PWD/oakleyd.conf"
}
bad_settings_cleanup() {
	od_stop
	emu_stop
}

atf_test_case sample_block cleanup
sample_block_head() {
	atf_set "descr" "oakleyd -n accepts etc/oakleyd.conf.sample with its" \
	    "natt block uncommented"
}
sample_block_body() {
	natt_plugins
	sample=$TOPDIR/etc/oakleyd.conf.sample
	awk -v dir="$PWD/plugins" '
		/^plugin-dir / { print "plugin-dir \"" dir "\";"; next }
		/^#plugin natt \{$/ { on = 1 }
		on { sub(/^#/, ""); if ($0 == "}") on = 0 }
		{ print }' "$sample" > oakleyd.conf
	atf_check -o match:"^plugin natt \\{\$" cat oakleyd.conf
	atf_check -o match:"^	$RULE 0;\$" cat oakleyd.conf
	atf_check -s exit:0 -o empty -e empty "$OAKLEYD" -n -f "$PWD/oakleyd.conf"
	atf_check -s exit:0 -o match:"^plugin natt \\{\$" -e empty \
	    "$OAKLEYD" -n -v -f "$PWD/oakleyd.conf"
}
sample_block_cleanup() {
	true
}

atf_init_test_cases() {
	atf_add_test_case loaded
	atf_add_test_case bad_settings
	atf_add_test_case sample_block
}
