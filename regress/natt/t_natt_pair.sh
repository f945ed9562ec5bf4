#! /usr/bin/env atf-sh
#
# oakleyd against oakleyd through the NAT test network (regress/lib/
# nat.subr, natt_pair.subr): client 198.51.100.2 behind a masquerading NAT
# (public 203.0.113.1, random ports), server 203.0.113.2, both with the
# natt plugin.  The client initiates; main mode detects the NAT and moves
# to port 4500; both emulated kernels then hold the pair as ESP-in-UDP.
# Also: the Windows rule for servers behind NAT, keepalives on the wire,
# a NAT mapping that changes, the draft flavour.

TOPDIR=@TOPDIR@
OAKLEY_TOPDIR=$TOPDIR
. "$TOPDIR/regress/lib/netns.subr"
. "$TOPDIR/regress/lib/nat.subr"
. "$TOPDIR/regress/lib/pair.subr"
. "$TOPDIR/regress/lib/natt_pair.subr"

RULE=assume-udp-encapsulation-context-on-send-rule

# "HOST[PORT] HOST[PORT] esp-udp SPI" of SIDE's mature SA SRC -> DST.
sa_of() {
	natp_sa "$1" "$2" "$3"
}

spi_of() {
	sa_of "$@" | awk '{ print $4 }'
}

# The ISAKMP payload chain of each unencrypted main-mode datagram of a
# capture on port 500: "SRC TYPE TYPE...", payload types in order.
isakmp_payloads() {
	tcpdump -nn -x -r "$1" 2>/dev/null | awk '
	function flush(   i, ihl, o, next_pl, len, out) {
		if (n == 0)
			return
		ihl = (h[0] % 16) * 4
		o = ihl + 8
		if (n >= o + 28 && h[o + 18] == 2 && h[o + 19] % 2 == 0) {
			out = src
			next_pl = h[o + 16]
			o += 28
			while (next_pl != 0 && o + 4 <= n) {
				out = out " " next_pl
				len = h[o + 2] * 256 + h[o + 3]
				next_pl = h[o]
				if (len < 4)
					break
				o += len
			}
			print out
		}
		n = 0
	}
	/^[0-9]/ { flush(); src = $3; sub(/\.[0-9]+$/, "", src); next }
	/0x[0-9a-f]+:/ {
		for (i = 2; i <= NF; i++)
			for (j = 1; j < length($i); j += 2)
				h[n++] = hex(substr($i, j, 2))
	}
	function hex(x,   d, v, k) {
		v = 0
		for (k = 1; k <= 2; k++) {
			d = index("0123456789abcdef", substr(x, k, 1)) - 1
			v = v * 16 + d
		}
		return v
	}
	END { flush() }'
}

# Both ends established the pair: 2 mature SAs each.
established() {
	pair_wait_sas a 2
	pair_wait_sas b 2
}

# The SA with SPI in SIDE A and in SIDE B have the same keys.
same_keys() {
	natp_keys a "$1" > keys.a
	natp_keys b "$1" > keys.b
	[ -s keys.a ] || atf_fail "no keys for SPI $1 on the client"
	atf_check -o file:keys.a cat keys.b
}

atf_test_case float_transport cleanup
float_transport_head() {
	atf_set "descr" "Client behind the NAT initiates: main mode floats" \
	    "to 4500, both SADBs hold the pair as esp-udp with each" \
	    "direction's ports (the server sees the NAT's translated port)," \
	    "NAT-OA in transport mode, SPIs cross-matched, same keys"
	atf_set "require.user" "root"
}
float_transport_body() {
	natp_setup
	natp_start
	natp_acquire
	established
	C=$(natp_client_ip)
	S=$NAT_SERVER
	N=$NAT_OUTSIDE
	port=$(nat_port 4500)
	[ -n "$port" ] || atf_fail "no NAT mapping for the client's port 4500"
	[ "$port" != 4500 ] || atf_fail "the NAT kept port 4500"

	# The client: both directions between its 4500 and the server's.
	out=$(spi_of a "$C" "$S")
	in=$(spi_of a "$S" "$C")
	atf_check_equal "$(sa_of a "$C" "$S")" "$C[4500] $S[4500] esp-udp $out"
	atf_check_equal "$(sa_of a "$S" "$C")" "$S[4500] $C[4500] esp-udp $in"
	# The server: the client is the NAT's address and translated port;
	# its inbound SA is the client's outbound one and the reverse.
	atf_check_equal "$(sa_of b "$N" "$S")" "$N[$port] $S[4500] esp-udp $out"
	atf_check_equal "$(sa_of b "$S" "$N")" "$S[4500] $N[$port] esp-udp $in"
	[ "$out" != "$in" ] || atf_fail "one SPI for both directions"
	same_keys "$out"
	same_keys "$in"
	# Transport mode: the original addresses (NAT-OA) are in the SAs.
	# The server knows the client's own address, the client its
	# address as the server saw it.
	natp_sa_block b "$out" > sa.b.out
	natp_sa_block b "$in" > sa.b.in
	natp_sa_block a "$out" > sa.a.out
	atf_check -o match:"NAT: OAI=$C OAR=$S" cat sa.b.out
	atf_check -o match:"NAT: OAI=$C OAR=$S" cat sa.b.in
	atf_check -o match:"NAT: OAI=$N OAR=$S" cat sa.a.out
	# What each side concluded, and the move to 4500 from message 5.
	atf_check -o match:"NAT-T RFC 3947, we are behind a NAT" \
	    cat a/oakleyd.log
	atf_check -o match:"NAT-T RFC 3947, the peer is behind a NAT" \
	    cat b/oakleyd.log
	atf_check -o match:"moved to the NAT-T port 4500" cat a/oakleyd.log
	atf_check -o match:"moved to the NAT-T port 4500 \\(the peer sends from port $port\\)" \
	    cat b/oakleyd.log
	atf_check -o match:"UDP_ENCAP ESP-in-UDP set" cat a/oakleyd.log
	# One phase 1 each, the peer's port as each side sends to it; the
	# next packet leaves on the outbound SA.
	atf_check -o match:'^server .* +1 +2 +natt\.remote_port=4500$' \
	    $PAIR_CTL_a show peers
	atf_check -o match:"^client .* +1 +2 +natt\\.remote_port=$port\$" \
	    $PAIR_CTL_b show peers
	atf_check -o inline:"esp spi=$(printf '%u' "$out")\n" \
	    $PAIR_TRAFFIC_a out "$C" "$S" tcp 40000 1701 100
}
float_transport_cleanup() {
	natp_cleanup
}

# The client's phase 1 was refused by RULE = N, naming it and why.
refused() {
	pair_wait_log a "refused by $RULE $1: $2 \\($3 allows it\\)"
	pair_wait_log a "phase 1 #1 with server .*: failed: cannot send MM5"
	# No SA anywhere, no phase 1; the server never saw MM5.
	atf_check_equal "$(pair_mature_count a)" 0
	atf_check_equal "$(pair_mature_count b)" 0
	atf_check -o match:'^server .* +0 +0 +-$' $PAIR_CTL_a show peers
	atf_check -s exit:1 -o empty grep "moved to the NAT-T port" \
	    b/oakleyd.log
}

atf_test_case rule0_server_nat cleanup
rule0_server_nat_head() {
	atf_set "descr" "$RULE 0 (the Windows default): no SA with a server" \
	    "behind a NAT; the refusal names the rule"
	atf_set "require.user" "root"
}
rule0_server_nat_body() {
	natp_setup server-nat no-client-nat
	NATP_RULE=0 natp_start
	natp_acquire
	refused 0 "the responder \\(server\\) is behind a NAT" "1 or 2"
	atf_check -o match:"NAT-T RFC 3947, the peer is behind a NAT" \
	    cat a/oakleyd.log
	atf_check -o match:"NAT-T RFC 3947, we are behind a NAT" \
	    cat b/oakleyd.log
}
rule0_server_nat_cleanup() {
	natp_cleanup
}

atf_test_case rule1_server_nat cleanup
rule1_server_nat_head() {
	atf_set "descr" "$RULE 1: a server behind a NAT is allowed; the" \
	    "server (192.0.2.2 behind a port-forwarding NAT) holds the pair" \
	    "on its own address, the client on the public one"
	atf_set "require.user" "root"
}
rule1_server_nat_body() {
	natp_setup server-nat no-client-nat
	NATP_RULE=1 natp_start
	natp_acquire
	established
	C=$NAT_CLIENT
	S=$NAT_SERVER
	R=$NAT_SERVER_REAL
	out=$(spi_of a "$C" "$S")
	in=$(spi_of a "$S" "$C")
	atf_check_equal "$(sa_of a "$C" "$S")" "$C[4500] $S[4500] esp-udp $out"
	atf_check_equal "$(sa_of a "$S" "$C")" "$S[4500] $C[4500] esp-udp $in"
	atf_check_equal "$(sa_of b "$C" "$R")" "$C[4500] $R[4500] esp-udp $out"
	atf_check_equal "$(sa_of b "$R" "$C")" "$R[4500] $C[4500] esp-udp $in"
	same_keys "$out"
	same_keys "$in"
	atf_check -o match:"NAT-T RFC 3947, the peer is behind a NAT" \
	    cat a/oakleyd.log
	atf_check -s exit:1 -o empty grep "refused by" a/oakleyd.log
}
rule1_server_nat_cleanup() {
	natp_cleanup
}

atf_test_case rule1_both_nat cleanup
rule1_both_nat_head() {
	atf_set "descr" "$RULE 1: client and server both behind NATs is" \
	    "refused; the refusal names the rule"
	atf_set "require.user" "root"
}
rule1_both_nat_body() {
	natp_setup server-nat
	NATP_RULE=1 natp_start
	natp_acquire
	refused 1 "both ends are behind NATs" 2
	atf_check -o match:"NAT-T RFC 3947, both ends are behind NATs" \
	    cat a/oakleyd.log
}
rule1_both_nat_cleanup() {
	natp_cleanup
}

atf_test_case rule2_both_nat cleanup
rule2_both_nat_head() {
	atf_set "descr" "$RULE 2: client and server both behind NATs is" \
	    "allowed; each side's SAs carry its own view of the ports"
	atf_set "require.user" "root"
}
rule2_both_nat_body() {
	natp_setup server-nat
	NATP_RULE=2 natp_start
	natp_acquire
	established
	C=$NAT_CLIENT
	S=$NAT_SERVER
	R=$NAT_SERVER_REAL
	N=$NAT_OUTSIDE
	port=$(nat_port 4500)
	[ -n "$port" ] || atf_fail "no NAT mapping for the client's port 4500"
	out=$(spi_of a "$C" "$S")
	in=$(spi_of a "$S" "$C")
	atf_check_equal "$(sa_of a "$C" "$S")" "$C[4500] $S[4500] esp-udp $out"
	atf_check_equal "$(sa_of b "$N" "$R")" "$N[$port] $R[4500] esp-udp $out"
	atf_check_equal "$(sa_of b "$R" "$N")" "$R[4500] $N[$port] esp-udp $in"
	same_keys "$out"
	same_keys "$in"
	atf_check -o match:"NAT-T RFC 3947, both ends are behind NATs" \
	    cat a/oakleyd.log
	atf_check -o match:"NAT-T RFC 3947, both ends are behind NATs" \
	    cat b/oakleyd.log
}
rule2_both_nat_cleanup() {
	natp_cleanup
}

atf_test_case keepalive_wire cleanup
keepalive_wire_head() {
	atf_set "descr" "NAT-keepalives (one 0xFF byte) every second from" \
	    "the client behind the NAT, seen on the NAT's public side;" \
	    "none from the server, which is not behind one"
	atf_set "require.user" "root"
}
keepalive_wire_body() {
	natp_setup
	NATP_KEEPALIVE=1s natp_start
	natp_acquire
	established
	port=$(nat_port 4500)
	# Every 1-byte UDP datagram on port 4500 crossing the NAT's public
	# side, 3 of them, 15 s at most.
	ns_capture nat ka wan 3 15 "udp port 4500 and udp[4:2] = 9"
	ns_capture_wait ka > /dev/null
	atf_check -o inline:"3\n" grep -c . ka.txt
	atf_check -o inline:"3\n" grep -c \
	    "IP $NAT_OUTSIDE.$port > $NAT_SERVER.4500: " ka.txt
	# The payload is 0xff (the last byte of each packet's dump).
	tcpdump -nn -x -r ka.pcap 2>/dev/null | awk '
		/^[^ \t]/ { if (last != "") print last; last = "" ; next }
		{ last = $NF }
		END { if (last != "") print last }' | sed 's/.*\(..\)$/\1/' \
	    > ka.bytes
	atf_check -o inline:"ff\nff\nff\n" cat ka.bytes
	atf_check -o match:"peer server: NAT-keepalive every 1 s" \
	    cat a/oakleyd.log
	atf_check -s exit:1 -o empty grep "NAT-keepalive every" b/oakleyd.log
}
keepalive_wire_cleanup() {
	natp_cleanup
}

atf_test_case remap cleanup
remap_head() {
	atf_set "descr" "The NAT forgets the client's mapping and gives it a" \
	    "new port: the server follows the client's next authenticated" \
	    "message (a DPD R-U-THERE) to it and updates its SAs in place" \
	    "(same SPIs and keys, the outbound SA's port the new one);" \
	    "no new main mode"
	atf_set "require.user" "root"
}
remap_body() {
	natp_setup
	NATP_EXTRA_a="dpd interval 2s retries 10;" natp_start
	natp_acquire
	established
	C=$NAT_CLIENT
	S=$NAT_SERVER
	N=$NAT_OUTSIDE
	out=$(spi_of a "$C" "$S")
	in=$(spi_of a "$S" "$C")
	first=$(nat_port 4500)
	atf_check_equal "$(sa_of b "$S" "$N")" "$S[4500] $N[$first] esp-udp $in"

	# The same SAs, now on the new port, with the same keys (the
	# server's outbound SA is the client's inbound one).
	natp_remap_follow "$in" "$out"
	new=$NATP_NEW_PORT
	# The client's SAs did not change.
	atf_check_equal "$(sa_of a "$C" "$S")" "$C[4500] $S[4500] esp-udp $out"
	# One main mode on each side, still one phase 1.
	atf_check -o inline:"1\n" grep -c "phase 1 #.*: established" \
	    a/oakleyd.log
	atf_check -o inline:"1\n" grep -c "phase 1 #.*: established" \
	    b/oakleyd.log
	atf_check -o match:"^client .* +1 +2 +natt\\.remote_port=$new\$" \
	    $PAIR_CTL_b show peers
	# The server's answers reach the client through the new mapping.
	pair_wait_count a 2 "R-U-THERE-ACK .* from server"
	atf_check -s exit:1 -o empty grep "is dead" a/oakleyd.log
}
remap_cleanup() {
	natp_cleanup
}

atf_test_case draft_legacy cleanup
draft_legacy_head() {
	atf_set "descr" "Both peers with the compat_legacy profile" \
	    "(natt.prefer_draft = 1): only draft-02\\n is announced," \
	    "NAT-D travels as payload 130, quick mode proposes 61444 and" \
	    "both SADBs hold the pair as esp-udp"
	atf_set "require.user" "root"
}
draft_legacy_body() {
	natp_setup
	ns_capture nat mm wan 4 30 "udp port 500"
	NATP_PROFILE=legacy natp_start
	natp_acquire
	established
	C=$NAT_CLIENT
	S=$NAT_SERVER
	N=$NAT_OUTSIDE
	port=$(nat_port 4500)
	out=$(spi_of a "$C" "$S")
	in=$(spi_of a "$S" "$C")
	atf_check_equal "$(sa_of a "$C" "$S")" "$C[4500] $S[4500] esp-udp $out"
	atf_check_equal "$(sa_of b "$N" "$S")" "$N[$port] $S[4500] esp-udp $out"
	atf_check_equal "$(sa_of b "$S" "$N")" "$S[4500] $N[$port] esp-udp $in"
	same_keys "$out"
	# The client announced draft 02\n alone, the server chose it.
	atf_check -o match:'vendor ID draft-ietf-ipsec-nat-t-ike-02\\n$' \
	    cat b/oakleyd.log
	atf_check -s exit:1 -o empty grep "vendor ID RFC 3947" b/oakleyd.log
	atf_check -o match:'NAT-T draft-ietf-ipsec-nat-t-ike-02\\n, we are behind a NAT' \
	    cat a/oakleyd.log
	atf_check -o match:'NAT-T draft-ietf-ipsec-nat-t-ike-02\\n, the peer is behind a NAT' \
	    cat b/oakleyd.log
	# Quick mode: UDP-Encapsulated-Transport of the drafts.
	atf_check -o match:"proposing encapsulation mode 61444 " \
	    cat a/oakleyd.log
	atf_check -o match:"encapsulation mode 61444 \\(UDP-encapsulated transport\\)" \
	    cat b/oakleyd.log
	# On the wire: MM3 and MM4 carry NAT-D as payload 130, never 20.
	ns_capture_wait mm > /dev/null
	isakmp_payloads mm.pcap > mm.types
	# MM1 and MM2 (SA, vendor IDs), MM3 (from the NAT's address) and
	# MM4 (from the server): KE, nonce, then the two NAT-D.
	atf_check -o inline:"4\n" grep -c . mm.types
	atf_check -o inline:"$N 4 10 130 130\n$S 4 10 130 130\n" \
	    grep " 4 10 " mm.types
	atf_check -s exit:1 -o empty grep -w 20 mm.types
}
draft_legacy_cleanup() {
	natp_cleanup
}

atf_init_test_cases() {
	atf_add_test_case float_transport
	atf_add_test_case rule0_server_nat
	atf_add_test_case rule1_server_nat
	atf_add_test_case rule1_both_nat
	atf_add_test_case rule2_both_nat
	atf_add_test_case keepalive_wire
	atf_add_test_case remap
	atf_add_test_case draft_legacy
}
