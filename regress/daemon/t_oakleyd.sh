#! /usr/bin/env atf-sh
#
# oakleyd's life against pfkeyemud: the configured policies in the SPD,
# an ACQUIRE reaching the negotiation entry point, SIGHUP with a changed
# policy set and with a broken file, pfkeyemud restarting under it,
# SIGTERM with and without flush-on-exit, errors at start-up and -n.

TOPDIR=@TOPDIR@
. "$TOPDIR/regress/daemon/oakleyd.subr"

# Peer east: a transport policy for TCP and a tunnel with a reqid.
peer_east() {
	cat <<'EOF'
peer east {
	address 203.0.113.2;
	local-address 192.0.2.1;
	auth psk "not a real secret";
	policy local 192.0.2.1 remote 203.0.113.2 proto tcp transport require;
	policy local 10.1.0.0/16 remote 10.2.0.0/16 tunnel use reqid 7;
}
EOF
}

# Peer west with the policies given as arguments, one per argument.
peer_west() {
	echo "peer west {"
	echo "	address 198.51.100.2;"
	echo "	local-address 198.51.100.1;"
	echo "	auth psk \"another one\";"
	for p in "$@"; do
		echo "	policy $p;"
	done
	echo "}"
}

both_stop() {
	od_stop
	emu_stop
}

atf_test_case policies_installed cleanup
policies_installed_head() {
	atf_set "descr" "Each configured policy is in the SPD in both" \
	    "directions, with its selector, mode, endpoints and level"
}
policies_installed_body() {
	od_emu_start
	{ conf_head; peer_east; } > oakleyd.conf
	od_start
	atf_check -s exit:0 -e empty -o save:dp "$OAKLEYCTL" -DP
	cat > expected <<'EOF'
192.0.2.1[any] 203.0.113.2[any] tcp
	out ipsec
	esp/transport//require
203.0.113.2[any] 192.0.2.1[any] tcp
	in ipsec
	esp/transport//require
10.1.0.0/16[any] 10.2.0.0/16[any] any
	out ipsec
	esp/tunnel/192.0.2.1-203.0.113.2/unique:7
10.2.0.0/16[any] 10.1.0.0/16[any] any
	in ipsec
	esp/tunnel/203.0.113.2-192.0.2.1/unique:7
EOF
	atf_check -o file:expected grep -v -e created: -e lifetime: \
	    -e spid= -e refcnt= dp
	atf_check -o match:'oakleyd: notice: oakleyd started: 1 peers, 0 plugins, 4 policies' \
	    cat oakleyd.log
}
policies_installed_cleanup() {
	both_stop
}

atf_test_case acquire_starts_negotiation cleanup
acquire_starts_negotiation_head() {
	atf_set "descr" "Traffic hitting a require policy makes an ACQUIRE" \
	    "that reaches the negotiation entry point of its peer"
}
acquire_starts_negotiation_body() {
	od_emu_start
	{ conf_head; peer_east; } > oakleyd.conf
	od_start
	atf_check -s exit:0 -e empty -o save:answer \
	    "$EMUCTL" -t "$EMU_TRAFFIC" out 192.0.2.1 203.0.113.2 tcp 40000 80 100
	atf_check -o match:'^acquire seq=[0-9]+$' cat answer
	seq=$(sed 's/^acquire seq=//' answer)
	wait_for_line oakleyd.log "ACQUIRE seq=$seq for 192\.0\.2\.1->203\.0\.113\.2: starting negotiation with peer east\$" ||
	    atf_fail "no ACQUIRE line in the log"
	cat > expected <<EOF
NAME  ADDRESS      PROFILE  STATE        ACQUIRES  LAST-SEQ  PHASE1  PHASE2  FLAGS
east  203.0.113.2  default  negotiating  1         $seq         0       0       -
EOF
	atf_check -s exit:0 -e empty -o file:expected "$OAKLEYCTL" show peers
	# The kernel holds the ACQUIRE back while it is pending.
	atf_check -s exit:0 -e empty -o inline:"acquire-pending seq=$seq\n" \
	    "$EMUCTL" -t "$EMU_TRAFFIC" out 192.0.2.1 203.0.113.2 tcp 40001 80 100
	# The tunnel's ACQUIRE carries the endpoints; same peer, joined.
	atf_check -s exit:0 -e empty -o save:answer2 \
	    "$EMUCTL" -t "$EMU_TRAFFIC" out 10.1.0.5 10.2.0.9 udp 1000 53 60
	seq2=$(sed 's/^acquire seq=//' answer2)
	wait_for_line oakleyd.log "ACQUIRE seq=$seq2 for 192\.0\.2\.1->203\.0\.113\.2: negotiation with peer east already in progress\$" ||
	    atf_fail "no second ACQUIRE line in the log"
	atf_check -s exit:0 -e empty -o match:"^east .* negotiating  2 +$seq2 " \
	    "$OAKLEYCTL" show peers
}
acquire_starts_negotiation_cleanup() {
	both_stop
}

atf_test_case acquire_without_peer cleanup
acquire_without_peer_head() {
	atf_set "descr" "An ACQUIRE no peer matches is refused, so the" \
	    "kernel asks again for the next packet"
}
acquire_without_peer_body() {
	od_emu_start
	{ conf_head; peer_east; } > oakleyd.conf
	od_start
	echo "spdadd 192.0.2.1 192.0.2.99 any -P out ipsec esp/transport//require;" \
	    > cmds
	atf_check -s exit:0 -e empty -o empty "$OAKLEYCTL" -c < cmds
	atf_check -s exit:0 -e empty -o save:answer \
	    "$EMUCTL" -t "$EMU_TRAFFIC" out 192.0.2.1 192.0.2.99 udp 1 2 60
	seq=$(sed 's/^acquire seq=//' answer)
	wait_for_line oakleyd.log "warning: ACQUIRE seq=$seq for 192\.0\.2\.1->192\.0\.2\.99: no peer for it; refused\$" ||
	    atf_fail "no refusal in the log"
	# Refused: not pending any more, the next packet asks again.
	tries=0
	until "$EMUCTL" -t "$EMU_TRAFFIC" out 192.0.2.1 192.0.2.99 udp 1 2 60 \
	    > answer2 && grep -q '^acquire seq=' answer2; do
		tries=$((tries + 1))
		[ "$tries" -le 200 ] || atf_fail "ACQUIRE still pending: $(cat answer2)"
		sleep 0.05
	done
	atf_check -o not-inline:"acquire seq=$seq\n" cat answer2
	atf_check -s exit:0 -e empty -o match:'^east .* idle +0 +- ' \
	    "$OAKLEYCTL" show peers
}
acquire_without_peer_cleanup() {
	both_stop
}

atf_test_case sighup_policies cleanup
sighup_policies_head() {
	atf_set "descr" "SIGHUP with one policy removed, one added and one" \
	    "unchanged leaves exactly the new set; an unchanged peer keeps" \
	    "its state"
}
sighup_policies_body() {
	od_emu_start
	keep="local 198.51.100.1 remote 198.51.100.2 proto udp"
	old="local 172.16.1.0/24 remote 172.16.2.0/24 tunnel"
	new="local 172.16.3.0/24 port 443 remote 172.16.4.0/24 proto tcp tunnel use"
	{ conf_head; peer_east; peer_west "$keep" "$old"; } > oakleyd.conf
	od_start
	cat > expected <<'EOF'
10.1.0.0/16[any] 10.2.0.0/16[any] any | out ipsec | esp/tunnel/192.0.2.1-203.0.113.2/unique:7
10.2.0.0/16[any] 10.1.0.0/16[any] any | in ipsec | esp/tunnel/203.0.113.2-192.0.2.1/unique:7
172.16.1.0/24[any] 172.16.2.0/24[any] any | out ipsec | esp/tunnel/198.51.100.1-198.51.100.2/require
172.16.2.0/24[any] 172.16.1.0/24[any] any | in ipsec | esp/tunnel/198.51.100.2-198.51.100.1/require
192.0.2.1[any] 203.0.113.2[any] tcp | out ipsec | esp/transport//require
198.51.100.1[any] 198.51.100.2[any] udp | out ipsec | esp/transport//require
198.51.100.2[any] 198.51.100.1[any] udp | in ipsec | esp/transport//require
203.0.113.2[any] 192.0.2.1[any] tcp | in ipsec | esp/transport//require
EOF
	spd > got
	atf_check -o file:expected cat got
	# east asks for a negotiation; it must survive the reload.
	atf_check -s exit:0 -e empty -o save:answer \
	    "$EMUCTL" -t "$EMU_TRAFFIC" out 192.0.2.1 203.0.113.2 tcp 40000 80 100
	seq=$(sed 's/^acquire seq=//' answer)
	wait_for_line oakleyd.log "ACQUIRE seq=$seq for" ||
	    atf_fail "no ACQUIRE line in the log"

	{ conf_head; peer_east; peer_west "$keep" "$new"; } > oakleyd.conf
	kill -HUP "$(cat oakleyd.pid)"
	wait_for_line oakleyd.log 'configuration reloaded from .*: 2 peers, 8 policies$' ||
	    atf_fail "no reload line in the log"
	cat > expected <<'EOF'
10.1.0.0/16[any] 10.2.0.0/16[any] any | out ipsec | esp/tunnel/192.0.2.1-203.0.113.2/unique:7
10.2.0.0/16[any] 10.1.0.0/16[any] any | in ipsec | esp/tunnel/203.0.113.2-192.0.2.1/unique:7
172.16.3.0/24[443] 172.16.4.0/24[any] tcp | out ipsec | esp/tunnel/198.51.100.1-198.51.100.2/use
172.16.4.0/24[any] 172.16.3.0/24[443] tcp | in ipsec | esp/tunnel/198.51.100.2-198.51.100.1/use
192.0.2.1[any] 203.0.113.2[any] tcp | out ipsec | esp/transport//require
198.51.100.1[any] 198.51.100.2[any] udp | out ipsec | esp/transport//require
198.51.100.2[any] 198.51.100.1[any] udp | in ipsec | esp/transport//require
203.0.113.2[any] 192.0.2.1[any] tcp | in ipsec | esp/transport//require
EOF
	spd > got
	atf_check -o file:expected cat got
	atf_check -o match:'info: peer west changed; 0 SAs deleted$' \
	    cat oakleyd.log
	atf_check -o not-match:'peer east (changed|removed)' cat oakleyd.log
	atf_check -s exit:0 -e empty -o match:"^east .* negotiating  1 +$seq " \
	    "$OAKLEYCTL" show peers
	atf_check -s exit:0 -e empty -o match:'^west .* idle +0 +- ' \
	    "$OAKLEYCTL" show peers
}
sighup_policies_cleanup() {
	both_stop
}

atf_test_case sighup_bad_config cleanup
sighup_bad_config_head() {
	atf_set "descr" "A reload whose file does not parse keeps the old" \
	    "configuration and logs FILE:LINE:COL"
}
sighup_bad_config_body() {
	od_emu_start
	{ conf_head; peer_east; } > oakleyd.conf
	od_start
	spd > before
	{ conf_head; echo "peer broken {"; echo "	address 1.2.3;"; echo "}"; } \
	    > oakleyd.conf
	kill -HUP "$(cat oakleyd.pid)"
	wait_for_line oakleyd.log 'reload failed' ||
	    atf_fail "no reload failure in the log"
	atf_check -o match:"^oakleyd: error: reload failed, keeping the current configuration: $PWD/oakleyd.conf:7:17: bad address '1\\.2\\.3'\$" \
	    cat oakleyd.log
	spd > after
	atf_check -o file:before cat after
	atf_check -s exit:0 -e empty -o match:'^east ' "$OAKLEYCTL" show peers
	# The same through the control socket, with the message.
	atf_check -s exit:1 -o empty \
	    -e inline:"oakleyctl: $PWD/oakleyd.conf:7:17: bad address '1.2.3'\n" \
	    "$OAKLEYCTL" reload
	{ conf_head; peer_east; } > oakleyd.conf
	atf_check -s exit:0 -e empty -o inline:"configuration reloaded: 1 peers\n" \
	    "$OAKLEYCTL" reload
}
sighup_bad_config_cleanup() {
	both_stop
}

atf_test_case emu_restart cleanup
emu_restart_head() {
	atf_set "descr" "pfkeyemud restarted on the same socket: the" \
	    "policies are back within 2 s"
}
emu_restart_body() {
	od_emu_start
	{ conf_head; peer_east; } > oakleyd.conf
	od_start
	spd > before
	atf_check -o match:'^4$' sh -c 'wc -l < before | tr -d " "'
	# Stop pfkeyemud alone (emu_stop would stop oakleyd too).
	emu_pid=$(emu_pid)
	kill -TERM "$emu_pid"
	emu_wait_gone "$emu_pid" || atf_fail "pfkeyemud did not stop"
	wait_for_line oakleyd.log 'reconnecting$' ||
	    atf_fail "oakleyd did not notice pfkeyemud going away"
	od_emu_start
	# 40 polls of 0.05 s: 2 s.
	polls=0
	until spd > after 2>/dev/null && [ -s after ] && cmp -s before after; do
		polls=$((polls + 1))
		[ "$polls" -lt 40 ] || atf_fail "policies not back after $polls polls (2 s)"
		sleep 0.05
	done
	atf_check -o match:'PF_KEY: reconnected to unix:.*, 4 policies re-installed$' \
	    cat oakleyd.log
}
emu_restart_cleanup() {
	both_stop
}

atf_test_case sigterm_flush cleanup
sigterm_flush_head() {
	atf_set "descr" "SIGTERM removes our policies, the control socket" \
	    "and the pidfile, and oakleyd exits 0"
}
sigterm_flush_body() {
	od_emu_start
	{ conf_head; peer_east; } > oakleyd.conf
	od_start
	atf_check -s exit:0 -e empty -o not-inline:"No SPD entries.\n" "$OAKLEYCTL" -DP
	od_term
	atf_check -o inline:"0\n" cat od.status
	atf_check -s exit:0 -e empty -o inline:"No SPD entries.\n" "$OAKLEYCTL" -DP
	atf_check -s exit:1 test -e ctl.sock
	atf_check -s exit:1 test -e oakleyd.pid
	atf_check -o match:'notice: SIGTERM: shutting down$' cat oakleyd.log
	atf_check -o match:'notice: oakleyd stopped; policies and SAs removed$' \
	    cat oakleyd.log
}
sigterm_flush_cleanup() {
	both_stop
}

atf_test_case sigterm_keep cleanup
sigterm_keep_head() {
	atf_set "descr" "With flush-on-exit no, SIGTERM leaves the policies"
}
sigterm_keep_body() {
	od_emu_start
	{ conf_head; echo "flush-on-exit no;"; peer_east; } > oakleyd.conf
	od_start
	spd > before
	od_term
	atf_check -o inline:"0\n" cat od.status
	spd > after
	atf_check -o file:before cat after
	atf_check -o match:'^4$' sh -c 'wc -l < after | tr -d " "'
	atf_check -o match:'policies and SAs left in place \(flush-on-exit no\)$' \
	    cat oakleyd.log
}
sigterm_keep_cleanup() {
	both_stop
}

atf_test_case start_errors cleanup
start_errors_head() {
	atf_set "descr" "Errors at start-up: exit 1 with one exact message"
}
start_errors_body() {
	od_emu_start
	mkdir plugins
	{ conf_head; echo "peer p {"; echo "	address 192.0.2.300;"; echo "}"; } \
	    > oakleyd.conf
	atf_check -s exit:1 -o empty \
	    -e inline:"oakleyd: error: $PWD/oakleyd.conf:7:17: bad address '192.0.2.300'\n" \
	    "$OAKLEYD" -d -f "$PWD/oakleyd.conf"
	# The same without -d: the parent reports it before forking.
	atf_check -s exit:1 -o empty \
	    -e inline:"oakleyd: error: $PWD/oakleyd.conf:7:17: bad address '192.0.2.300'\n" \
	    "$OAKLEYD" -f "$PWD/oakleyd.conf"
	atf_check -s exit:1 -o empty \
	    -e inline:"oakleyd: error: cannot open \"$PWD/none.conf\": No such file or directory\n" \
	    "$OAKLEYD" -d -f "$PWD/none.conf"
	# A plugin that does not exist refuses the start (and -n).
	{ conf_head; echo "plugin nosuch;"; } > oakleyd.conf
	msg="oakleyd: error: plugin 'nosuch': $PWD/plugins/nosuch.so: file not found"
	atf_check -s exit:1 -o empty -e inline:"$msg\n" \
	    "$OAKLEYD" -d -f "$PWD/oakleyd.conf"
	atf_check -s exit:1 -o empty -e inline:"$msg\n" \
	    "$OAKLEYD" -n -f "$PWD/oakleyd.conf"
	# Without -d the failure comes after the fork: the parent still
	# exits 1 and the message still reaches stderr.
	atf_check -s exit:1 -o empty -e inline:"$msg\n" \
	    "$OAKLEYD" -f "$PWD/oakleyd.conf"
	atf_check -s exit:1 test -e ctl.sock
	atf_check -s exit:1 test -e oakleyd.pid
	# A tunnel without a local endpoint cannot be installed.
	{ conf_head; echo "peer t {"; echo "	address 192.0.2.7;";
	  echo "	auth psk \"x\";";
	  echo "	policy local 10.0.0.0/8 remote 10.9.0.0/16 tunnel;"; echo "}"; } \
	    > oakleyd.conf
	atf_check -s exit:1 -o empty \
	    -e inline:"oakleyd: error: $PWD/oakleyd.conf:9:9: peer 't': a tunnel policy needs a local endpoint (set local-address or endpoints)\n" \
	    "$OAKLEYD" -n -f "$PWD/oakleyd.conf"
	# PF_KEY unreachable.
	{ conf_head | sed "s|$EMU_SOCK|$PWD/nowhere.sock|"; peer_east; } > oakleyd.conf
	atf_check -s exit:1 -o empty \
	    -e match:"^oakleyd: error: PF_KEY unix:$PWD/nowhere.sock: " \
	    "$OAKLEYD" -d -f "$PWD/oakleyd.conf"
	atf_check -s exit:1 test -e ctl.sock
	atf_check -s exit:1 test -e oakleyd.pid
	# Usage.
	atf_check -s exit:1 -o empty \
	    -e match:"^usage: oakleyd \\[-dnv\\] \\[-D level\\] \\[-f file\\]\$" \
	    "$OAKLEYD" -x
	atf_check -s exit:1 -o empty \
	    -e inline:"usage: oakleyd [-dnv] [-D level] [-f file]\n" \
	    "$OAKLEYD" extra
	atf_check -s exit:1 -o empty \
	    -e inline:"oakleyd: -D: unknown level 'loud' (error, warning, notice, info, debug)\n" \
	    "$OAKLEYD" -D loud
}
start_errors_cleanup() {
	both_stop
}

atf_test_case second_instance cleanup
second_instance_head() {
	atf_set "descr" "A second oakleyd with the same pidfile refuses to start"
}
second_instance_body() {
	od_emu_start
	{ conf_head; peer_east; } > oakleyd.conf
	od_start
	atf_check -s exit:1 -o empty \
	    -e inline:"oakleyd: error: pidfile $PWD/oakleyd.pid: oakleyd already running (pid $(cat oakleyd.pid))\n" \
	    "$OAKLEYD" -d -f "$PWD/oakleyd.conf"
	atf_check -s exit:0 -e empty -o match:'^east ' "$OAKLEYCTL" show peers
}
second_instance_cleanup() {
	both_stop
}

atf_test_case daemon_mode cleanup
daemon_mode_head() {
	atf_set "descr" "Without -d oakleyd forks, the parent exits 0 once" \
	    "the daemon is ready, SIGTERM stops it"
}
daemon_mode_body() {
	od_emu_start
	mkdir plugins
	{ conf_head; peer_east; } > oakleyd.conf
	atf_check -s exit:0 -o empty -e empty "$OAKLEYD" -f "$PWD/oakleyd.conf"
	atf_check -s exit:0 test -S ctl.sock
	pid=$(cat oakleyd.pid)
	atf_check -s exit:0 kill -0 "$pid"
	atf_check -s exit:0 -e empty -o match:'^east ' "$OAKLEYCTL" show peers
	kill -TERM "$pid"
	wait_for_exit "$pid" || atf_fail "oakleyd did not exit"
	atf_check -s exit:0 -e empty -o inline:"No SPD entries.\n" "$OAKLEYCTL" -DP
}
daemon_mode_cleanup() {
	[ -s oakleyd.pid ] && kill -TERM "$(cat oakleyd.pid)" 2>/dev/null
	emu_stop
}

atf_test_case check_sample cleanup
check_sample_head() {
	atf_set "descr" "oakleyd -n accepts etc/oakleyd.conf.sample; -n -v" \
	    "prints it without the secrets"
}
check_sample_body() {
	sample=$TOPDIR/etc/oakleyd.conf.sample
	atf_check -s exit:0 -o empty -e empty "$OAKLEYD" -n -f "$sample"
	atf_check -s exit:0 -o save:printed -e empty "$OAKLEYD" -n -v \
	    -f "$sample"
	atf_check -o match:'^peer winxp \{' cat printed
	atf_check -o match:'^peer branch \{' cat printed
	atf_check -o match:'auth psk "\*\*\*\*\*\*\*\*";' cat printed
	atf_check -o not-match:'change this' cat printed
	# The printed form reads back the same.
	sed 's/"\*\*\*\*\*\*\*\*"/"x"/' printed > again.conf
	atf_check -s exit:0 -o file:printed -e empty "$OAKLEYD" -n -v \
	    -f again.conf
}
check_sample_cleanup() {
	true
}

atf_init_test_cases() {
	atf_add_test_case policies_installed
	atf_add_test_case acquire_starts_negotiation
	atf_add_test_case acquire_without_peer
	atf_add_test_case sighup_policies
	atf_add_test_case sighup_bad_config
	atf_add_test_case emu_restart
	atf_add_test_case sigterm_flush
	atf_add_test_case sigterm_keep
	atf_add_test_case start_errors
	atf_add_test_case second_instance
	atf_add_test_case daemon_mode
	atf_add_test_case check_sample
}
