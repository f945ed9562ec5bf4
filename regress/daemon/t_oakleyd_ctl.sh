#! /usr/bin/env atf-sh
#
# oakleyd's control socket through oakleyctl: show plugins|peers|sa in
# text and JSON (-j), initiate and terminate, reload, and the errors.
# Each test case runs its own pfkeyemud and oakleyd (oakleyd.subr).

TOPDIR=@TOPDIR@
. "$TOPDIR/regress/daemon/oakleyd.subr"

TEST_PLUGIN=$TOPDIR/regress/plugins/test_plugin/test_plugin.so

peer_east() {
	cat <<'EOF'
peer east {
	address 203.0.113.2;
	local-address 192.0.2.1;
	auth psk "not a real secret";
	policy local 192.0.2.1 remote 203.0.113.2 proto tcp transport require;
}
EOF
}

both_stop() {
	od_stop
	emu_stop
}

require_jq() {
	command -v jq >/dev/null 2>&1 ||
	    atf_skip "jq is needed to parse the JSON (etc/deps.sh installs it)"
}

atf_test_case plugins_none cleanup
plugins_none_head() {
	atf_set "descr" "show plugins with no plugin loaded, text and JSON"
}
plugins_none_body() {
	require_jq
	od_emu_start
	{ conf_head; peer_east; } > oakleyd.conf
	od_start
	atf_check -s exit:0 -e empty -o inline:"No plugins loaded.\n" \
	    "$OAKLEYCTL" show plugins
	atf_check -s exit:0 -e empty -o inline:'{"plugins":[]}\n' \
	    "$OAKLEYCTL" -j show plugins
	"$OAKLEYCTL" -j show plugins > out
	atf_check -s exit:0 -e empty -o inline:"0\n" jq '.plugins | length' out
}
plugins_none_cleanup() {
	both_stop
}

atf_test_case plugins_loaded cleanup
plugins_loaded_head() {
	atf_set "descr" "show plugins lists a loaded plugin; its per-plugin" \
	    "configuration errors stop -n and the start"
}
plugins_loaded_body() {
	require_jq
	[ -f "$TEST_PLUGIN" ] || atf_skip "the test plugin is not built"
	od_emu_start
	mkdir plugins
	cp "$TEST_PLUGIN" plugins/
	chmod 644 plugins/test_plugin.so
	{ conf_head; echo "plugin test_plugin { idle 100; }"; peer_east; } \
	    > oakleyd.conf
	msg="oakleyd: error: plugin 'test_plugin': $PWD/plugins/test_plugin.so: bad configuration: $PWD/oakleyd.conf:6:27: "
	atf_check -s exit:1 -o empty -e match:"^$msg" \
	    "$OAKLEYD" -n -f "$PWD/oakleyd.conf"
	atf_check -s exit:1 -o empty -e match:"^$msg" \
	    "$OAKLEYD" -d -f "$PWD/oakleyd.conf"

	{ conf_head; echo "plugin test_plugin { idle 20; }"; peer_east; } \
	    > oakleyd.conf
	atf_check -s exit:0 -o empty -e empty "$OAKLEYD" -n -f "$PWD/oakleyd.conf"
	od_start
	desc="exercises every hook of the plugin ABI"
	printf '%-11s  %-7s  %-38s  %s\n' NAME VERSION DESCRIPTION FILE \
	    test_plugin 1.0 "$desc" "$PWD/plugins/test_plugin.so" > expected
	atf_check -s exit:0 -e empty -o file:expected "$OAKLEYCTL" show plugins
	printf '{"plugins":[{"name":"test_plugin","version":"1.0","description":"%s","file":"%s"}]}\n' \
	    "$desc" "$PWD/plugins/test_plugin.so" > expected
	atf_check -s exit:0 -e empty -o file:expected "$OAKLEYCTL" -j show plugins
	"$OAKLEYCTL" -j show plugins > out
	atf_check -s exit:0 -e empty -o inline:"test_plugin 1.0\n" \
	    jq -r '.plugins[0].name + " " + .plugins[0].version' out
	atf_check -o match:"info: plugin test_plugin 1\\.0 loaded from $PWD/plugins/test_plugin\\.so\$" \
	    cat oakleyd.log
}
plugins_loaded_cleanup() {
	both_stop
}

atf_test_case initiate_terminate cleanup
initiate_terminate_head() {
	atf_set "descr" "initiate reaches the negotiation entry point," \
	    "terminate returns the peer to idle; unknown peers are errors"
}
initiate_terminate_body() {
	od_emu_start
	{ conf_head; peer_east; } > oakleyd.conf
	od_start
	atf_check -s exit:0 -e empty -o inline:"peer east: negotiation started\n" \
	    "$OAKLEYCTL" initiate east
	atf_check -o match:'info: initiate for 192\.0\.2\.1->203\.0\.113\.2: starting negotiation with peer east$' \
	    cat oakleyd.log
	cat > expected <<'EOF'
NAME  ADDRESS      PROFILE  STATE        ACQUIRES  LAST-SEQ  PHASE1  PHASE2  FLAGS
east  203.0.113.2  default  negotiating  0         -         0       0       -
EOF
	atf_check -s exit:0 -e empty -o file:expected "$OAKLEYCTL" show peers
	atf_check -s exit:0 -e empty \
	    -o inline:"peer east: negotiation already in progress\n" \
	    "$OAKLEYCTL" initiate east
	atf_check -s exit:0 -e empty \
	    -o inline:"peer east: terminated, 0 SAs deleted\n" \
	    "$OAKLEYCTL" terminate east
	atf_check -o match:'info: peer east: terminated, 0 SAs deleted$' \
	    cat oakleyd.log
	atf_check -s exit:0 -e empty -o match:'^east  203\.0\.113\.2  default  idle ' \
	    "$OAKLEYCTL" show peers

	atf_check -s exit:1 -o empty -e inline:"oakleyctl: no such peer 'nope'\n" \
	    "$OAKLEYCTL" initiate nope
	atf_check -s exit:1 -o empty -e inline:"oakleyctl: no such peer 'nope'\n" \
	    "$OAKLEYCTL" terminate nope
}
initiate_terminate_cleanup() {
	both_stop
}

atf_test_case terminate_acquire cleanup
terminate_acquire_head() {
	atf_set "descr" "terminate after an ACQUIRE tells the kernel, so the" \
	    "next packet makes a new ACQUIRE"
}
terminate_acquire_body() {
	od_emu_start
	{ conf_head; peer_east; } > oakleyd.conf
	od_start
	atf_check -s exit:0 -e empty -o save:answer \
	    "$EMUCTL" -t "$EMU_TRAFFIC" out 192.0.2.1 203.0.113.2 tcp 40000 80 100
	seq=$(sed 's/^acquire seq=//' answer)
	wait_for_line oakleyd.log "ACQUIRE seq=$seq for .*: starting negotiation with peer east\$" ||
	    atf_fail "no ACQUIRE line in the log"
	atf_check -s exit:0 -e empty -o ignore "$OAKLEYCTL" terminate east
	tries=0
	until "$EMUCTL" -t "$EMU_TRAFFIC" out 192.0.2.1 203.0.113.2 tcp 40000 80 100 \
	    > answer2 && grep -q '^acquire seq=' answer2; do
		tries=$((tries + 1))
		[ "$tries" -le 200 ] || atf_fail "still pending: $(cat answer2)"
		sleep 0.05
	done
	seq2=$(sed 's/^acquire seq=//' answer2)
	atf_check_equal "$((seq + 1))" "$seq2"
	wait_for_line oakleyd.log "ACQUIRE seq=$seq2 for .*: starting negotiation with peer east\$" ||
	    atf_fail "no second ACQUIRE line in the log"
	atf_check -s exit:0 -e empty -o match:"^east .* negotiating  2 +$seq2 " \
	    "$OAKLEYCTL" show peers
}
terminate_acquire_cleanup() {
	both_stop
}

atf_test_case json_output cleanup
json_output_head() {
	atf_set "descr" "-j answers are exact, parse-able JSON"
}
json_output_body() {
	require_jq
	od_emu_start
	{ conf_head; peer_east; } > oakleyd.conf
	od_start
	atf_check -s exit:0 -e empty \
	    -o inline:'{"peer":"east","state":"negotiating","result":"negotiation started"}\n' \
	    "$OAKLEYCTL" -j initiate east
	atf_check -s exit:0 -e empty \
	    -o inline:'{"peers":[{"name":"east","address":"203.0.113.2","profile":"default","state":"negotiating","trigger":"initiate","acquires":0,"last_acquire_seq":null,"last_acquire_time":null,"phase1_sas":0,"phase2_sas":0,"flags":{}}]}\n' \
	    "$OAKLEYCTL" -j show peers
	"$OAKLEYCTL" -j show peers > peers.json
	atf_check -s exit:0 -e empty -o inline:"east negotiating 0\n" \
	    jq -r '.peers[0] | "\(.name) \(.state) \(.acquires)"' peers.json
	atf_check -s exit:0 -e empty -o inline:"No SAs.\n" "$OAKLEYCTL" show sa
	atf_check -s exit:0 -e empty -o inline:'{"sas":[]}\n' "$OAKLEYCTL" -j show sa
	atf_check -s exit:0 -e empty -o inline:'{"reloaded":true,"peers":1}\n' \
	    "$OAKLEYCTL" -j reload
	"$OAKLEYCTL" -j reload > reload.json
	atf_check -s exit:0 -e empty -o inline:"true\n" jq '.reloaded' reload.json
	atf_check -s exit:0 -e empty \
	    -o inline:'{"peer":"east","state":"idle","result":"terminated, 0 SAs deleted"}\n' \
	    "$OAKLEYCTL" -j terminate east
}
json_output_cleanup() {
	both_stop
}

atf_test_case socket_and_errors cleanup
socket_and_errors_head() {
	atf_set "descr" "The control socket is mode 0600, -S names it," \
	    "usage and connection errors say what is wrong"
}
socket_and_errors_body() {
	od_emu_start
	{ conf_head; peer_east; } > oakleyd.conf
	od_start
	atf_check -o match:'^srw------- ' ls -l ctl.sock
	unset OAKLEY_CONTROL
	atf_check -s exit:0 -e empty -o match:'^east ' \
	    "$OAKLEYCTL" -S "$PWD/ctl.sock" show peers
	atf_check -s exit:1 -o empty \
	    -e inline:"oakleyctl: control socket $PWD/none.sock: No such file or directory (is oakleyd running?)\n" \
	    "$OAKLEYCTL" -S "$PWD/none.sock" show peers
	atf_check -s exit:2 -o empty \
	    -e match:'^oakleyctl: usage: show peers \| sa \| plugins$' \
	    "$OAKLEYCTL" -S "$PWD/ctl.sock" show
	atf_check -s exit:2 -o empty -e match:'^oakleyctl: usage: initiate PEER$' \
	    "$OAKLEYCTL" -S "$PWD/ctl.sock" initiate
	atf_check -s exit:2 -o empty -e match:'^oakleyctl: usage: reload$' \
	    "$OAKLEYCTL" -S "$PWD/ctl.sock" reload now
	atf_check -s exit:2 -o empty -e match:'^usage: oakleyctl' "$OAKLEYCTL" -j -DP
	atf_check -s exit:2 -o empty -e match:"^oakleyctl: unknown command 'bogus'\$" \
	    "$OAKLEYCTL" -S "$PWD/ctl.sock" bogus
	# The daemon survives a client that says nothing and goes away.
	atf_check -s exit:0 -e empty -o match:'^east ' \
	    "$OAKLEYCTL" -S "$PWD/ctl.sock" show peers
	od_term
	atf_check -o inline:"0\n" cat od.status
	atf_check -s exit:1 test -e ctl.sock
}
socket_and_errors_cleanup() {
	both_stop
}

atf_test_case request_framing cleanup
request_framing_head() {
	atf_set "descr" "A request line ended by CR LF, or by the client's" \
	    "shutdown without a newline, is the same request"
}
request_framing_body() {
	command -v socat >/dev/null 2>&1 ||
	    atf_skip "socat is needed to send raw requests (etc/deps.sh)"
	od_emu_start
	{ conf_head; peer_east; } > oakleyd.conf
	od_start
	"$OAKLEYCTL" show peers > expected
	printf 'ok %s\n' "$(wc -c < expected | tr -d ' ')" | cat - expected \
	    > answer
	printf 'show peers\r\n' > crlf
	atf_check -s exit:0 -e empty -o file:answer \
	    sh -c 'socat -t 5 - UNIX-CONNECT:ctl.sock < crlf'
	printf 'show peers' > noeol
	atf_check -s exit:0 -e empty -o file:answer \
	    sh -c 'socat -t 5 - UNIX-CONNECT:ctl.sock < noeol'
}
request_framing_cleanup() {
	both_stop
}

atf_init_test_cases() {
	atf_add_test_case plugins_none
	atf_add_test_case plugins_loaded
	atf_add_test_case initiate_terminate
	atf_add_test_case terminate_acquire
	atf_add_test_case json_output
	atf_add_test_case socket_and_errors
	atf_add_test_case request_framing
}
