#! /usr/bin/env atf-sh
#
# oakleyctl's PF_KEY part against pfkeyemud: setkey commands (-c, -f),
# the -D / -DP output line by line (the NAT-T SA is the acceptance test),
# get/delete/deleteall/flush, failures and their messages, -F / -FP and
# the -P monitor.  Each test case starts its own pfkeyemud in its work
# directory and stops it in its cleanup.

CTL=@TOPDIR@/daemon/oakleyctl/oakleyctl
EMUD=@TOPDIR@/pfkey/emu/pfkeyemud
EMUCTL=@TOPDIR@/pfkey/emu/pfkeyemuctl

# Wait (at most 10 s) until a file exists and holds a line matching $2.
wait_for_line() {
	tries=0
	until [ -f "$1" ] && grep -q -- "$2" "$1"; do
		tries=$((tries + 1))
		[ "$tries" -le 200 ] || return 1
		sleep 0.05
	done
}

# Start pfkeyemud here; OAKLEY_PFKEY points oakleyctl at it.
emu_start() {
	[ -x "$EMUD" ] || atf_skip "pfkeyemud is not built"
	"$EMUD" -d -s "$PWD/pfkey.sock" -t "$PWD/traffic.sock" \
	    -p "$PWD/emu.pid" 2> emu.log &
	echo $! > emu.bgpid
	tries=0
	until [ -S pfkey.sock ] && [ -S traffic.sock ] && [ -s emu.pid ]; do
		tries=$((tries + 1))
		if [ "$tries" -gt 200 ]; then
			cat emu.log >&2
			atf_fail "pfkeyemud did not start within 10 s"
		fi
		sleep 0.05
	done
	OAKLEY_PFKEY="unix:$PWD/pfkey.sock"
	export OAKLEY_PFKEY
}

# Stop pfkeyemud (cleanup: runs in the same work directory).
emu_stop() {
	for f in emu.pid emu.bgpid; do
		[ -s "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null
	done
	true
}

# The acceptance SA: ESP in UDP through a NAT, with NAT-T original address.
natt_sa() {
	cat <<'EOF'
add 198.51.100.1[4500] 203.0.113.2[4500] esp-udp 0xc1000001
	-m tunnel -u 7 -r 32 -lh 3600 -ls 2880
	-natoai 192.0.2.10
	-E aes-cbc 0x0123456789abcdef0123456789abcdef
	-A hmac-sha1 0x0123456789abcdef0123456789abcdef01234567;
EOF
}

tunnel_policy() {
	cat <<'EOF'
spdadd 192.0.2.0/24[any] 203.0.113.0/24[any] any
	-P out ipsec esp/tunnel/198.51.100.1-203.0.113.2/require;
EOF
}

# Two plain transport-mode SAs between 10.0.0.1 and 10.0.0.2.
two_sas() {
	cat <<'EOF'
add 10.0.0.1 10.0.0.2 esp 0x1000 -m transport
	-E aes-cbc "0123456789abcdef" -A hmac-sha2-256
	0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f;
add 10.0.0.1 10.0.0.2 esp 0x1001 -E null -A hmac-md5 "abcdefghijklmnop";
EOF
}

DATE='[A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9] [0-9]{4}'

atf_test_case natt_sa_dump cleanup
natt_sa_dump_head() {
	atf_set "descr" "-D prints every field of an ESP SA with NAT-T" \
	    "extensions (the acceptance test)"
}
natt_sa_dump_body() {
	emu_start
	natt_sa > cmds
	atf_check -s exit:0 -o empty -e empty "$CTL" -c < cmds
	# One packet through the SA, so the current lifetime has use.
	tunnel_policy > cmds
	atf_check -s exit:0 -o empty -e empty "$CTL" -f cmds
	atf_check -s exit:0 -o ignore -e ignore "$EMUCTL" -t traffic.sock \
	    out 192.0.2.5 203.0.113.9 tcp 40000 443 1400

	"$CTL" -D > out 2> err &
	pid=$!
	wait "$pid"
	atf_check_equal "$?" 0
	atf_check -o empty cat err
	atf_check -o inline:"12\n" sh -c 'wc -l < out | tr -d " "'
	atf_check -o match:'^198\.51\.100\.1\[4500\] 203\.0\.113\.2\[4500\]$' \
	    cat out
	atf_check -o match:'^	esp-udp mode=tunnel spi=3238002689\(0xc1000001\) reqid=7\(0x00000007\)$' \
	    cat out
	atf_check -o match:'^	NAT: OAI=192\.0\.2\.10$' cat out
	atf_check -o match:'^	E: aes-cbc  01234567 89abcdef 01234567 89abcdef$' \
	    cat out
	atf_check -o match:'^	A: hmac-sha1  01234567 89abcdef 01234567 89abcdef 01234567$' \
	    cat out
	atf_check -o match:'^	seq=0x00000000 replay=32 flags=0x00000000 state=mature $' \
	    cat out
	atf_check -o match:"^	created: $DATE	current: $DATE\$" cat out
	atf_check -o match:'^	diff: [0-9]+\(s\)	hard: 3600\(s\)	soft: 2880\(s\)$' \
	    cat out
	atf_check -o match:"^	last: $DATE	hard: 0\\(s\\)	soft: 0\\(s\\)\$" \
	    cat out
	atf_check -o match:'^	current: 1400\(bytes\)	hard: 0\(bytes\)	soft: 0\(bytes\)$' \
	    cat out
	atf_check -o match:'^	allocated: 1	hard: 0	soft: 0$' cat out
	atf_check -o match:"^	sadb_seq=0 pid=$pid refcnt=[0-9]+\$" cat out
}
natt_sa_dump_cleanup() {
	emu_stop
}

atf_test_case policy_dump cleanup
policy_dump_head() {
	atf_set "descr" "-DP prints a tunnel policy added with spdadd"
}
policy_dump_body() {
	emu_start
	tunnel_policy > cmds
	atf_check -s exit:0 -o empty -e empty "$CTL" -c < cmds
	"$CTL" -DP > out 2> err &
	pid=$!
	wait "$pid"
	atf_check_equal "$?" 0
	atf_check -o empty cat err
	atf_check -o inline:"7\n" sh -c 'wc -l < out | tr -d " "'
	atf_check -o match:'^192\.0\.2\.0/24\[any\] 203\.0\.113\.0/24\[any\] any$' \
	    cat out
	atf_check -o match:'^	out ipsec$' cat out
	atf_check -o match:'^	esp/tunnel/198\.51\.100\.1-203\.0\.113\.2/require$' \
	    cat out
	atf_check -o match:'^	lifetime: 0\(s\) validtime: 0\(s\)$' cat out
	atf_check -o match:"^	spid=[0-9]+ seq=0 pid=$pid scope=global" cat out
}
policy_dump_cleanup() {
	emu_stop
}

atf_test_case empty_dumps cleanup
empty_dumps_head() {
	atf_set "descr" "Empty SAD and SPD print what setkey prints"
}
empty_dumps_body() {
	emu_start
	atf_check -s exit:0 -o inline:"No SAD entries.\n" -e empty "$CTL" -D
	atf_check -s exit:0 -o inline:"No SAD entries.\n" -e empty "$CTL" -D -a
	atf_check -s exit:0 -o inline:"No SPD entries.\n" -e empty "$CTL" -DP
	echo "dump; spddump;" > cmds
	atf_check -s exit:0 -o inline:"No SAD entries.\nNo SPD entries.\n" \
	    -e empty "$CTL" -f cmds
}
empty_dumps_cleanup() {
	emu_stop
}

atf_test_case get_delete_deleteall cleanup
get_delete_deleteall_head() {
	atf_set "descr" "get prints one SA; delete and deleteall remove them"
}
get_delete_deleteall_body() {
	emu_start
	two_sas > cmds
	atf_check -s exit:0 -o empty -e empty "$CTL" -c < cmds

	echo "get 10.0.0.1 10.0.0.2 esp 0x1000;" > cmds
	atf_check -s exit:0 -o save:get.out -e empty "$CTL" -c < cmds
	atf_check -o match:'^10\.0\.0\.1 10\.0\.0\.2$' cat get.out
	atf_check -o match:'^	esp mode=transport spi=4096\(0x00001000\) reqid=0\(0x00000000\)$' \
	    cat get.out
	atf_check -o match:'^	E: aes-cbc  30313233 34353637 38396162 63646566$' \
	    cat get.out
	atf_check -o not-match:'spi=4097' cat get.out

	echo "delete 10.0.0.1 10.0.0.2 esp 0x1000;" > cmds
	atf_check -s exit:0 -o empty -e empty "$CTL" -c < cmds
	atf_check -s exit:0 -o save:dump.out -e empty "$CTL" -D
	atf_check -o not-match:'spi=4096' cat dump.out
	atf_check -o match:'^	esp mode=any spi=4097\(0x00001001\)' cat dump.out

	echo "deleteall 10.0.0.1 10.0.0.2 esp;" > cmds
	atf_check -s exit:0 -o empty -e empty "$CTL" -c < cmds
	atf_check -s exit:0 -o inline:"No SAD entries.\n" -e empty "$CTL" -D
}
get_delete_deleteall_cleanup() {
	emu_stop
}

atf_test_case flush_commands cleanup
flush_commands_head() {
	atf_set "descr" "flush and spdflush in a script, -F and -FP"
}
flush_commands_body() {
	emu_start
	{ two_sas; tunnel_policy; } > cmds
	atf_check -s exit:0 -o empty -e empty "$CTL" -c < cmds
	echo "flush esp; dump;" > cmds
	atf_check -s exit:0 -o inline:"No SAD entries.\n" -e empty \
	    "$CTL" -c < cmds
	atf_check -s exit:0 -o match:'^	out ipsec$' -e empty "$CTL" -DP
	echo "spdflush; spddump;" > cmds
	atf_check -s exit:0 -o inline:"No SPD entries.\n" -e empty \
	    "$CTL" -c < cmds

	{ two_sas; tunnel_policy; } > cmds
	atf_check -s exit:0 -o empty -e empty "$CTL" -c < cmds
	atf_check -s exit:0 -o empty -e empty "$CTL" -F
	atf_check -s exit:0 -o inline:"No SAD entries.\n" -e empty "$CTL" -D
	atf_check -s exit:0 -o match:'^	out ipsec$' -e empty "$CTL" -DP
	atf_check -s exit:0 -o empty -e empty "$CTL" -FP
	atf_check -s exit:0 -o inline:"No SPD entries.\n" -e empty "$CTL" -DP
}
flush_commands_cleanup() {
	emu_stop
}

atf_test_case failing_command cleanup
failing_command_head() {
	atf_set "descr" "A command the kernel refuses exits 1, names file," \
	    "line and errno, and the next commands still run"
}
failing_command_body() {
	emu_start
	printf 'flush;\n\ndelete 10.0.0.1 10.0.0.2 esp 0x999;\n' > cmds
	two_sas >> cmds
	atf_check -s exit:1 -o empty \
	    -e inline:"oakleyctl: (stdin):3: delete: No such process\n" \
	    "$CTL" -c < cmds
	atf_check -s exit:0 -o match:'spi=4097' -e empty "$CTL" -D
	two_sas > cmds.conf
	atf_check -s exit:1 -o empty \
	    -e inline:"oakleyctl: cmds.conf:1: add: File exists\noakleyctl: cmds.conf:4: add: File exists\n" \
	    "$CTL" -f cmds.conf
}
failing_command_cleanup() {
	emu_stop
}

atf_test_case syntax_error_sends_nothing cleanup
syntax_error_sends_nothing_head() {
	atf_set "descr" "A syntax error anywhere: every error reported," \
	    "nothing sent"
}
syntax_error_sends_nothing_body() {
	emu_start
	two_sas > cmds
	printf 'add 10.0.0.1 10.0.0.3 esp 0x1002 -E aes-cbc 0x0011;\n' >> cmds
	printf 'spdadd 10.0.0.0/8 10.1.0.0/16 any -P up none;\n' >> cmds
	atf_check -s exit:1 -o empty -e save:err "$CTL" -c < cmds
	atf_check -o inline:"oakleyctl: (stdin):5:45: bad key length for aes-cbc: 16 bits, expected 128, 192 or 256\noakleyctl: (stdin):6:38: syntax error: expected direction (in, out or fwd), got 'up'\n" \
	    cat err
	atf_check -s exit:0 -o inline:"No SAD entries.\n" -e empty "$CTL" -D
	atf_check -s exit:0 -o inline:"No SPD entries.\n" -e empty "$CTL" -DP
}
syntax_error_sends_nothing_cleanup() {
	emu_stop
}

atf_test_case monitor cleanup
monitor_head() {
	atf_set "descr" "-P prints an ADD made by another oakleyctl"
}
monitor_body() {
	emu_start
	"$CTL" -v -n 1 -w 20 -P > mon.out 2> mon.err &
	echo $! > mon.pid
	wait_for_line mon.err 'promiscuous mode on' ||
	    atf_fail "the monitor did not start: $(cat mon.err)"
	two_sas > cmds
	atf_check -s exit:0 -o empty -e empty "$CTL" -c < cmds
	wait "$(cat mon.pid)"
	atf_check_equal "$?" 0
	rm mon.pid
	atf_check -o inline:"oakleyctl: promiscuous mode on\n" cat mon.err
	atf_check -o match:'ADD satype=esp errno=0 seq=[0-9]+ pid=[0-9]+' \
	    cat mon.out
	atf_check -o match:'^	esp mode=transport spi=4096\(0x00001000\)' \
	    cat mon.out
	atf_check -o not-match:'spi=4097' cat mon.out
}
monitor_cleanup() {
	[ -s mon.pid ] && kill -TERM "$(cat mon.pid)" 2>/dev/null
	emu_stop
}

atf_test_case monitor_timeout cleanup
monitor_timeout_head() {
	atf_set "descr" "-P -w stops quietly when nothing passes"
}
monitor_timeout_body() {
	emu_start
	atf_check -s exit:0 -o empty -e empty "$CTL" -w 1 -P
}
monitor_timeout_cleanup() {
	emu_stop
}

atf_test_case monitor_sigterm cleanup
monitor_sigterm_head() {
	atf_set "descr" "-P stops cleanly on SIGTERM"
}
monitor_sigterm_body() {
	emu_start
	"$CTL" -v -w 30 -P > mon.out 2> mon.err &
	echo $! > mon.pid
	wait_for_line mon.err 'promiscuous mode on' ||
	    atf_fail "the monitor did not start: $(cat mon.err)"
	kill -TERM "$(cat mon.pid)"
	wait "$(cat mon.pid)"
	atf_check_equal "$?" 0
	rm mon.pid
	atf_check -o empty cat mon.out
	atf_check -o inline:"oakleyctl: promiscuous mode on\n" cat mon.err
}
monitor_sigterm_cleanup() {
	[ -s mon.pid ] && kill -TERM "$(cat mon.pid)" 2>/dev/null
	emu_stop
}

atf_test_case usage
usage_head() {
	atf_set "descr" "Usage errors exit 2"
}
usage_body() {
	atf_check -s exit:2 -o empty -e match:'^usage: oakleyctl' "$CTL"
	atf_check -s exit:2 -o empty -e match:'^usage: oakleyctl' "$CTL" -D -F
	atf_check -s exit:2 -o empty -e match:'^usage: oakleyctl' "$CTL" -F -a
	atf_check -s exit:2 -o empty -e match:'^usage: oakleyctl' "$CTL" -n 1 -D
	atf_check -s exit:2 -o empty -e match:'^usage: oakleyctl' "$CTL" -c -P
	atf_check -s exit:2 -o empty -e match:'^usage: oakleyctl' "$CTL" -D x
	atf_check -s exit:2 -o empty \
	    -e match:"^oakleyctl: -n: expected a positive number, got '0'" \
	    "$CTL" -n 0 -P
	atf_check -s exit:2 -o empty \
	    -e match:"^oakleyctl: unknown command 'bogus'" "$CTL" bogus peers
}

atf_test_case bad_transport
bad_transport_head() {
	atf_set "descr" "An unreachable or unknown transport exits 1 saying why"
}
bad_transport_body() {
	atf_check -s exit:1 -o empty \
	    -e inline:"oakleyctl: unix:$PWD/none.sock: connect: No such file or directory\n" \
	    "$CTL" -s "unix:$PWD/none.sock" -D
	atf_check -s exit:1 -o empty -e match:"unknown PF_KEY transport 'bogus'" \
	    env OAKLEY_PFKEY=bogus "$CTL" -F
	echo "flush;" > cmds
	atf_check -s exit:1 -o empty -e match:"^oakleyctl: unix:$PWD/none.sock" \
	    "$CTL" -s "unix:$PWD/none.sock" -f cmds
	atf_check -s exit:1 -o empty \
	    -e inline:"oakleyctl: missing.conf: No such file or directory\n" \
	    "$CTL" -s "unix:$PWD/none.sock" -f missing.conf
}

atf_init_test_cases() {
	atf_add_test_case natt_sa_dump
	atf_add_test_case policy_dump
	atf_add_test_case empty_dumps
	atf_add_test_case get_delete_deleteall
	atf_add_test_case flush_commands
	atf_add_test_case failing_command
	atf_add_test_case syntax_error_sends_nothing
	atf_add_test_case monitor
	atf_add_test_case monitor_timeout
	atf_add_test_case monitor_sigterm
	atf_add_test_case usage
	atf_add_test_case bad_transport
}
