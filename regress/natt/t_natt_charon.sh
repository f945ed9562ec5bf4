#! /usr/bin/env atf-sh
#
# oakleyd against strongSwan's charon across the NAT test network
# (regress/lib/nat.subr): client 198.51.100.2 behind a masquerading NAT
# (public 203.0.113.1, random ports), server 203.0.113.2.  oakleyd runs
# as one side of regress/lib/natt_pair.subr (its own pfkeyemud, the natt
# plugin), charon (regress/lib/charon.subr, kernel-libipsec) as the
# other:
#
#   od_client_*: oakleyd on the client (side a), charon on the server;
#                oakleyd initiates (an ACQUIRE from a traffic command)
#   od_server_*: charon on the client, oakleyd on the server (side b);
#                charon initiates (swanctl --initiate); od_server_remap
#                then has the NAT move charon to another public port
#
# kernel-libipsec does tunnel mode only, so each end protects a network
# of its own (tunnel mode, ESP in UDP): the client 192.0.2.0/26, the
# server 192.0.2.128/26; charon's namespace holds an address inside its
# side's network (on lo), which its route into ipsec0 needs.
#
# Both sides must agree: charon's CHILD SA (swanctl --list-sas) against
# oakleyd's pair in its pfkeyemud (oakleyctl -D) as "sa" lines, SPIs
# cross-matched, same keys; both moved to port 4500; oakleyd's SAs are
# esp-udp with each direction's ports, the NAT's translated public port
# where oakleyd is the server; oakleyd logs which end is behind a NAT.
#
# charon's kernel-libipsec always fakes its own NAT-D hash (it can only
# send ESP in UDP), so oakleyd sees charon "behind a NAT" wherever it
# is.  With oakleyd on the client, that makes both ends look NATed: an
# initiator allows that with assume-udp-encapsulation-context-on-send-
# rule 2 only (od_client_rule1 shows 1 refusing it).  With oakleyd on
# the server the rule does not apply: it is the initiator's.

TOPDIR=@TOPDIR@
OAKLEY_TOPDIR=$TOPDIR
. "$TOPDIR/regress/lib/netns.subr"
. "$TOPDIR/regress/lib/nat.subr"
. "$TOPDIR/regress/lib/pair.subr"
. "$TOPDIR/regress/lib/natt_pair.subr"
. "$TOPDIR/regress/lib/charon.subr"
. "$TOPDIR/regress/lib/sadb.subr"

CLIENT_NET=192.0.2.0/26
CLIENT_IN=192.0.2.1
SERVER_NET=192.0.2.128/26
SERVER_IN=192.0.2.129
CHARON_IKE=aes128-sha256-modp1024
CHARON_ESP=aes128-sha256
OD_PROPOSALS="phase1 encryption aes128 hash sha256 group modp1024;
	phase2 encryption aes128 auth hmac-sha256;"

# setup client|server [RULE]: the NAT network, oakleyd on that host
# (with RULE as its send rule if on the client), charon on the other
# with connection "t" to it (CHARON_EXTRA: more charon_psk_conn keys).
# Sets OD (oakleyd's side, a or b).
setup()
{
	charon_require
	natp_setup
	NATP_MODE=tunnel
	NATP_NET_a=$CLIENT_NET
	NATP_NET_b=$SERVER_NET
	NATP_EXTRA_a=$OD_PROPOSALS
	NATP_EXTRA_b=$OD_PROPOSALS
	if [ "$1" = client ]; then
		OD=a
		NATP_RULE=$2 natp_start a
		# charon sees oakleyd at the NAT's address; oakleyd's
		# identity is still its own address.
		ns_addr server lo "$SERVER_IN/32"
		charon_start server C
		charon_peer C name=t local="$NAT_SERVER" \
		    remote="$NAT_OUTSIDE" remote_id="$NAT_CLIENT" \
		    local_ts="$SERVER_NET" remote_ts="$CLIENT_NET" \
		    ike="$CHARON_IKE" esp="$CHARON_ESP" psk="$NATP_PSK" \
		    ${CHARON_EXTRA:-}
	else
		OD=b
		natp_start b
		ns_addr client lo "$CLIENT_IN/32"
		charon_start client C
		charon_peer C name=t local="$NAT_CLIENT" remote="$NAT_SERVER" \
		    local_ts="$CLIENT_NET" remote_ts="$SERVER_NET" \
		    ike="$CHARON_IKE" esp="$CHARON_ESP" psk="$NATP_PSK" \
		    ${CHARON_EXTRA:-}
	fi
}

show_logs()
{
	echo "=== oakleyd" >&2
	tail -n 60 "$OD/oakleyd.log" >&2
	echo "=== charon" >&2
	grep -v '\[CHD\]\|vici' charon-C/charon.log | tail -n 60 >&2
}

# Both ends hold the CHILD SA: charon installed it, oakleyd's SADB holds
# the mature pair.
established()
{
	charon_child_wait C t 20 || {
		show_logs
		atf_fail "charon has no CHILD SA t installed"
	}
	pair_wait_sas "$OD" 2
}

# oakleyd (on the client) gets an ACQUIRE: a packet from the client's
# network to the server's hits its policy on its emulated data plane.
od_acquire()
{
	atf_check -s exit:0 -o match:'^acquire seq=[0-9]+$' \
	    $PAIR_TRAFFIC_a out "$CLIENT_IN" "$SERVER_IN" tcp 40000 80 100
}

# charon initiates CHILD SA t; both ends hold it.
charon_initiates()
{
	charon_initiate C t 20 || {
		show_logs
		cat charon-C/initiate.out >&2
		atf_fail "charon could not initiate CHILD SA t"
	}
	established
}

# PORT := the NAT's public port for the client's port 4500, where the
# client's end floated to (never 4500 itself: the NAT picks at random).
public_port()
{
	PORT=$(nat_port 4500)
	[ -n "$PORT" ] || atf_fail "no NAT mapping for the client's port 4500"
	[ "$PORT" != 4500 ] || atf_fail "the NAT kept port 4500"
}

ike()
{
	charon_sa_field C ike "$1" t
}

child()
{
	charon_sa_field C child "$1" t
}

# An SPI as 8 lower-case hex digits, from 0x... or bare hex.
hex8()
{
	printf '%08x' "$((0x${1#0x}))"
}

# The "sa" lines (regress/lib/sadb.subr) as the client sees the ends:
# the server knows the client by the NAT's public address.
client_view()
{
	sed "s/=$(echo "$NAT_OUTSIDE" | sed 's/\./\\./g') /=$NAT_CLIENT /g"
}

# check_sas ME PEER PORT: oakleyd's pair in its SADB is esp-udp
# ME[4500] <-> PEER[PORT]; its SPIs are charon's crossed; both hold the
# same SAs (addresses, mode, algorithms, keys).  Sets OUT and IN,
# oakleyd's outbound and inbound SPI (0x...).
check_sas()
{
	local me="$1" peer="$2" port="$3"

	OUT=$(natp_sa "$OD" "$me" "$peer" | awk '{ print $4 }')
	IN=$(natp_sa "$OD" "$peer" "$me" | awk '{ print $4 }')
	[ -n "$OUT" ] && [ -n "$IN" ] || {
		pair_sadb "$OD" >&2
		atf_fail "oakleyd holds no mature pair $me <-> $peer"
	}
	atf_check_equal "$(natp_sa "$OD" "$me" "$peer")" \
	    "$me[4500] $peer[$port] esp-udp $OUT"
	atf_check_equal "$(natp_sa "$OD" "$peer" "$me")" \
	    "$peer[$port] $me[4500] esp-udp $IN"
	# Cross-matched: charon receives on oakleyd's outbound SPI.
	atf_check_equal "$(hex8 "$(child spi-in)")" "$(hex8 "$OUT")"
	atf_check_equal "$(hex8 "$(child spi-out)")" "$(hex8 "$IN")"
	[ "$OUT" != "$IN" ] || atf_fail "one SPI for both directions: $OUT"

	charon_child_sas C t > charon.raw
	pair_sadb "$OD" > sadb.txt
	sadb_sas sadb.txt > oakleyd.raw
	if [ "$OD" = a ]; then
		client_view < charon.raw | sort > charon.sas
		sort oakleyd.raw > oakleyd.sas
	else
		sort charon.raw > charon.sas
		client_view < oakleyd.raw | sort > oakleyd.sas
	fi
	cat charon.sas
	atf_check_equal 2 "$(grep -c ' mode=tunnel encap=yes enc=aes-cbc .* auth=hmac-sha2-256 ' charon.sas)"
	atf_check -o file:charon.sas cat oakleyd.sas
	sa_keys_check charon.sas 32 64 || atf_fail "wrong keys"
}

# check_ike INITIATOR: charon's IKE SA, ESTABLISHED with the algorithms
# asked for; INITIATOR (charon or od) started it.
check_ike()
{
	atf_check_equal ESTABLISHED "$(ike state)"
	atf_check_equal 1 "$(ike version)"
	if [ "$1" = charon ]; then
		atf_check_equal yes "$(ike initiator)"
	else
		atf_check_equal no "$(ike initiator)"
	fi
	atf_check_equal AES_CBC "$(ike encr-alg)"
	atf_check_equal 128 "$(ike encr-keysize)"
	atf_check_equal HMAC_SHA2_256_128 "$(ike integ-alg)"
	atf_check_equal MODP_1024 "$(ike dh-group)"
	atf_check_equal INSTALLED "$(child state)"
	atf_check_equal TUNNEL "$(child mode)"
	atf_check_equal yes "$(child encap)"
	atf_check_equal 4500 "$(ike local-port)"
	atf_check_equal yes "$(ike nat-any)"
}

atf_test_case od_client_init cleanup
od_client_init_head()
{
	atf_set descr "oakleyd behind the NAT initiates (ACQUIRE) to charon" \
	    "on the server: main mode aes128-sha256-modp1024, ESP" \
	    "aes128-sha256 in UDP-encapsulated tunnel mode; same SAs and" \
	    "keys on both sides, both on port 4500"
	atf_set require.user root
	atf_set timeout 120
}
od_client_init_body()
{
	# Send rule 2: the real NAT and charon's faked one make both ends
	# look NATed (see the top).
	setup client 2
	od_acquire
	established
	check_ike od
	# charon, not behind the NAT, sees the NAT and oakleyd come from
	# its translated port 4500.
	public_port
	atf_check_equal no "$(ike nat-local)"
	atf_check_equal yes "$(ike nat-remote)"
	atf_check_equal "$NAT_OUTSIDE" "$(ike remote-host)"
	atf_check_equal "$PORT" "$(ike remote-port)"
	atf_check_equal "$NAT_CLIENT" "$(ike remote-id)"
	# oakleyd, on the client, talks 4500 to 4500 as it knows the ends.
	check_sas "$NAT_CLIENT" "$NAT_SERVER" 4500
	# Behind the NAT itself, and charon claims to be (faked): both.
	atf_check -o match:'peer server: NAT-T RFC 3947, both ends are behind NATs' \
	    cat a/oakleyd.log
	atf_check -o match:'peer server: moved to the NAT-T port' \
	    cat a/oakleyd.log
	atf_check -s exit:1 -o empty grep 'refused by' a/oakleyd.log
	atf_check -o match:'^server .* +1 +2 +natt\.remote_port=4500$' \
	    $PAIR_CTL_a show peers
	# The next packet leaves on the outbound SA, charon's inbound one.
	atf_check -o inline:"esp spi=$((0x$(child spi-in)))\n" \
	    $PAIR_TRAFFIC_a out "$CLIENT_IN" "$SERVER_IN" tcp 40000 80 100
}
od_client_init_cleanup()
{
	natp_cleanup
}

atf_test_case od_server_resp cleanup
od_server_resp_head()
{
	atf_set descr "charon behind the NAT initiates (swanctl --initiate)" \
	    "to oakleyd on the server: oakleyd's SAs towards the client" \
	    "carry the NAT's public port; same SAs and keys on both sides"
	atf_set require.user root
	atf_set timeout 120
}
od_server_resp_body()
{
	setup server
	charon_initiates
	check_ike charon
	public_port
	# charon, behind the NAT, knows it is (and fakes it anyway).
	atf_check_equal yes "$(ike nat-local)"
	atf_check_equal no "$(ike nat-remote)"
	atf_check_equal "$NAT_CLIENT" "$(ike local-host)"
	atf_check_equal "$NAT_SERVER" "$(ike remote-host)"
	atf_check_equal 4500 "$(ike remote-port)"
	# oakleyd, on the server, knows the client by the NAT's public
	# address and the port the NAT gave charon's port 4500.
	check_sas "$NAT_SERVER" "$NAT_OUTSIDE" "$PORT"
	atf_check -o match:'peer client: NAT-T RFC 3947, the peer is behind a NAT' \
	    cat b/oakleyd.log
	atf_check -o match:"phase 1 #1 with client .*: moved to the NAT-T port 4500 \\(the peer sends from port $PORT\\)" \
	    cat b/oakleyd.log
	atf_check -o match:'plugin natt: peer client moved to the NAT-T port$' \
	    cat b/oakleyd.log
	atf_check -o match:"^client .* +1 +2 +natt\\.remote_port=$PORT\$" \
	    $PAIR_CTL_b show peers
}
od_server_resp_cleanup()
{
	natp_cleanup
}

_charon_acks_ge()
{
	[ "$(charon_dpd_acks C)" -ge "$1" ]
}

atf_test_case od_server_remap cleanup
od_server_remap_head()
{
	atf_set descr "The NAT gives charon (the client) a new public port:" \
	    "oakleyd on the server follows charon's next DPD R-U-THERE and" \
	    "moves its SAs there in place (same SPIs and keys, still those" \
	    "of charon); its R-U-THERE-ACKs reach charon on the new mapping"
	atf_set require.user root
	atf_set timeout 120
}
od_server_remap_body()
{
	local acks

	CHARON_EXTRA="dpd_delay=1s"
	setup server
	charon_initiates
	public_port
	check_sas "$NAT_SERVER" "$NAT_OUTSIDE" "$PORT"
	natp_remap_follow "$OUT" "$IN"
	# Still the SAs charon holds, now on the new port.
	check_sas "$NAT_SERVER" "$NAT_OUTSIDE" "$NATP_NEW_PORT"
	atf_check -o match:"^client .* +1 +2 +natt\\.remote_port=$NATP_NEW_PORT\$" \
	    $PAIR_CTL_b show peers
	# oakleyd answers on the new mapping only (the old port is held
	# by nat_remap's stale entry): two more ACKs read by charon.
	acks=$(charon_dpd_acks C)
	wait_for 10 _charon_acks_ge $((acks + 2)) || {
		show_logs
		atf_fail "charon reads no R-U-THERE-ACK after the remap"
	}
	# No new main mode on either side.
	atf_check -o inline:"1\n" grep -c "phase 1 #.*: established" \
	    b/oakleyd.log
	atf_check_equal 1 "$(ike uniqueid)"
	atf_check_equal ESTABLISHED "$(ike state)"
}
od_server_remap_cleanup()
{
	natp_cleanup
}

atf_test_case od_client_rule1 cleanup
od_client_rule1_head()
{
	atf_set descr "oakleyd behind the NAT with" \
	    "assume-udp-encapsulation-context-on-send-rule 1 refuses charon:" \
	    "its faked NAT-D makes both ends look NATed; no SA anywhere"
	atf_set require.user root
	atf_set timeout 120
}
od_client_rule1_body()
{
	setup client 1
	od_acquire
	pair_wait_log a 'refused by assume-udp-encapsulation-context-on-send-rule 1: both ends are behind NATs \(2 allows it\)'
	pair_wait_log a 'phase 1 #1 with server .*: failed: cannot send MM5'
	atf_check_equal 0 "$(pair_mature_count a)"
	charon_sas C > charon.list
	atf_check -s exit:1 grep '^child ' charon.list
}
od_client_rule1_cleanup()
{
	natp_cleanup
}

atf_init_test_cases()
{
	atf_add_test_case od_client_init
	atf_add_test_case od_server_resp
	atf_add_test_case od_server_remap
	atf_add_test_case od_client_rule1
}
