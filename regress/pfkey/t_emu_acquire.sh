#! /usr/bin/env atf-sh
#
# pfkeyemud: the data plane's "out" and "in" commands, the SA an
# outbound packet uses, and ACQUIRE to the registered key managers
# (pending, resolved, failed, expired).

OAKLEY_TOPDIR=@TOPDIR@
. @TOPDIR@/regress/lib/emu.subr

GW1=203.0.113.1
GW2=203.0.113.2
TUNNEL="esp/tunnel/$GW1-$GW2/require"

# An outbound tunnel policy 192.0.2.0/24 -> 198.51.100.0/24 (id 1).
tunnel_policy()
{
	atf_check -o inline:"ok id=1\n" $PFK spdadd 192.0.2.0/24 \
	    198.51.100.0/24 any out ipsec "$@"
}

atf_test_case acquire_registered cleanup
acquire_registered_head()
{
	atf_set descr "An 'out' hitting a require policy without an SA sends" \
	    "ACQUIRE to every socket registered for ESP, to no other; a" \
	    "repeat for the same flow is held back"
}
acquire_registered_body()
{
	emu_start
	tunnel_policy $TUNNEL
	emu_bg km1 $PFK register-listen esp 1 10 acquire
	emu_bg km2 $PFK register-listen esp 1 10 acquire
	emu_bg ahkm $PFK register-listen ah 1 2 acquire
	emu_bg other $PFK listen 1 2 acquire
	emu_wait_output km1 '^registered$'
	emu_wait_output km2 '^registered$'
	emu_wait_output ahkm '^registered$'
	emu_wait_output other '^listening$'
	atf_check -o inline:"acquire seq=1\n" \
	    $CTL out 192.0.2.5 198.51.100.7 tcp 1234 80 100
	atf_check -o inline:"acquire-pending seq=1\n" \
	    $CTL out 192.0.2.5 198.51.100.7 tcp 1234 80 100
	# Another host behind the same gateways: the same SA would serve it.
	atf_check -o inline:"acquire-pending seq=1\n" \
	    $CTL out 192.0.2.6 198.51.100.8 udp 53 53 60
	emu_wait_bg km1 || atf_fail "km1 got no ACQUIRE"
	emu_wait_bg km2 || atf_fail "km2 got no ACQUIRE"
	msg="acquire seq=1 satype=esp src=$GW1 dst=$GW2 policy=1 prop=3"
	atf_check -o inline:"registered\n$msg\n" cat km1.out
	atf_check -o inline:"registered\n$msg\n" cat km2.out
	emu_wait_bg ahkm && atf_fail "the AH key manager got an ACQUIRE"
	atf_check -o inline:"registered\ntimeout\n" cat ahkm.out
	emu_wait_bg other && atf_fail "an unregistered socket got an ACQUIRE"
	atf_check -o inline:"listening\ntimeout\n" cat other.out
}
acquire_registered_cleanup()
{
	emu_stop
}

atf_test_case acquire_transport cleanup
acquire_transport_head()
{
	atf_set descr "A transport-mode ACQUIRE carries the packet's hosts," \
	    "ports and protocol, and the request's reqid in SA2"
}
acquire_transport_body()
{
	emu_start
	tunnel_policy esp/transport//unique:7
	emu_bg km $PFK register-listen esp 1 10 acquire
	emu_wait_output km '^registered$'
	atf_check -o inline:"acquire seq=1\n" \
	    $CTL out 192.0.2.5 198.51.100.7 tcp 1234 80 100
	emu_wait_bg km || atf_fail "no ACQUIRE"
	atf_check -o inline:"registered\nacquire seq=1 satype=esp src=192.0.2.5[1234] dst=198.51.100.7[80] proto=6 mode=transport reqid=7 policy=1 prop=3\n" \
	    cat km.out
	# Another flow of the same policy needs another SA.
	atf_check -o inline:"acquire seq=2\n" \
	    $CTL out 192.0.2.6 198.51.100.7 tcp 1234 80 100
}
acquire_transport_cleanup()
{
	emu_stop
}

atf_test_case acquire_resolved cleanup
acquire_resolved_head()
{
	atf_set descr "Once an SA is added the packet uses it and counts" \
	    "bytes on it; the oldest SA is preferred"
}
acquire_resolved_body()
{
	emu_start
	tunnel_policy $TUNNEL
	atf_check -o inline:"acquire seq=1\n" \
	    $CTL out 192.0.2.5 198.51.100.7 tcp 1234 80 100
	atf_check -o inline:"ok\n" $PFK add $GW1 $GW2 esp 0x1000 -m tunnel \
	    -E null -
	atf_check -o inline:"ok\n" $PFK add $GW1 $GW2 esp 0x2000 -m tunnel \
	    -E null -
	atf_check -o inline:"esp spi=4096\n" \
	    $CTL out 192.0.2.5 198.51.100.7 tcp 1234 80 100
	atf_check -o inline:"esp spi=4096\n" \
	    $CTL out 192.0.2.9 198.51.100.9 udp 1 2 50
	atf_check -o inline:"$GW1 $GW2 esp spi=4096 state=mature mode=tunnel reqid=0 E=null cur=150/2 seq=1\n" \
	    $PFK get $GW1 $GW2 esp 0x1000
	# Once the older SA is gone the newer one serves.
	atf_check -o inline:"ok\n" $PFK delete $GW1 $GW2 esp 0x1000
	atf_check -o inline:"esp spi=8192\n" \
	    $CTL out 192.0.2.5 198.51.100.7 tcp 1234 80 10
	# A transport SA (mode) does not serve a tunnel request.
	atf_check -o inline:"ok\n" $PFK delete $GW1 $GW2 esp 0x2000
	atf_check -o inline:"ok\n" $PFK add $GW1 $GW2 esp 0x3000 \
	    -m transport -E null -
	atf_check -o inline:"acquire seq=2\n" \
	    $CTL out 192.0.2.5 198.51.100.7 tcp 1234 80 10
}
acquire_resolved_cleanup()
{
	emu_stop
}

atf_test_case acquire_failed cleanup
acquire_failed_head()
{
	atf_set descr "A key manager's failure report (bare ACQUIRE, errno" \
	    "set) releases the pending ACQUIRE; so does the 20 s block time"
}
acquire_failed_body()
{
	emu_start
	tunnel_policy $TUNNEL
	atf_check -o inline:"acquire seq=1\n" \
	    $CTL out 192.0.2.5 198.51.100.7 tcp 1234 80 100
	atf_check -o inline:"sent\n" $PFK acquire-fail 1
	atf_check -o inline:"acquire seq=2\n" \
	    $CTL out 192.0.2.5 198.51.100.7 tcp 1234 80 100
	# Blocked for 20 s (19 s plus at most the second of real time).
	atf_check -o match:"^ok now=" $CTL advance 19
	atf_check -o inline:"acquire-pending seq=2\n" \
	    $CTL out 192.0.2.5 198.51.100.7 tcp 1234 80 100
	atf_check -o match:"^ok now=" $CTL advance 2
	atf_check -o inline:"acquire seq=3\n" \
	    $CTL out 192.0.2.5 198.51.100.7 tcp 1234 80 100
	# A report for an unknown seq changes nothing.
	atf_check -o inline:"sent\n" $PFK acquire-fail 99
	atf_check -o inline:"acquire-pending seq=3\n" \
	    $CTL out 192.0.2.5 198.51.100.7 tcp 1234 80 100
}
acquire_failed_cleanup()
{
	emu_stop
}

atf_test_case policy_actions cleanup
policy_actions_head()
{
	atf_set descr "No policy or 'none' is bypass, 'discard' discards," \
	    "level 'use' without SA goes in clear and acquires"
}
policy_actions_body()
{
	emu_start
	atf_check -o inline:"bypass\n" $CTL out 192.0.2.5 198.51.100.7 any 0 0 1
	atf_check -o inline:"ok id=1\n" \
	    $PFK spdadd 192.0.2.5 198.51.100.7 any out none
	atf_check -o inline:"ok id=2\n" \
	    $PFK spdadd 192.0.2.6 198.51.100.7 any out discard
	atf_check -o inline:"ok id=3\n" \
	    $PFK spdadd 192.0.2.7 198.51.100.7 any out ipsec esp/transport//use
	atf_check -o inline:"bypass\n" $CTL out 192.0.2.5 198.51.100.7 tcp 1 2 3
	atf_check -o inline:"discard\n" $CTL out 192.0.2.6 198.51.100.7 tcp 1 2 3
	atf_check -o inline:"bypass acquire seq=1\n" \
	    $CTL out 192.0.2.7 198.51.100.7 tcp 1 2 3
	atf_check -o inline:"bypass acquire-pending seq=1\n" \
	    $CTL out 192.0.2.7 198.51.100.7 tcp 1 2 3
	atf_check -o inline:"ok\n" $PFK add 192.0.2.7 198.51.100.7 esp 0x500 \
	    -E null -
	atf_check -o inline:"esp spi=1280\n" \
	    $CTL out 192.0.2.7 198.51.100.7 tcp 1 2 3
	# Inbound policies are not looked up for outbound packets.
	atf_check -o inline:"ok id=4\n" \
	    $PFK spdadd 198.51.100.7 192.0.2.8 any in discard
	atf_check -o inline:"bypass\n" $CTL out 198.51.100.7 192.0.2.8 tcp 1 2 3
}
policy_actions_cleanup()
{
	emu_stop
}

atf_test_case two_requests cleanup
two_requests_head()
{
	atf_set descr "A policy with ESP and AH reports both SAs used"
}
two_requests_body()
{
	emu_start
	tunnel_policy esp/tunnel/$GW1-$GW2/require ah/tunnel/$GW1-$GW2/require
	atf_check -o inline:"ok\n" $PFK add $GW1 $GW2 esp 0x700 -E null -
	atf_check -o inline:"acquire seq=1\n" \
	    $CTL out 192.0.2.5 198.51.100.7 tcp 1234 80 100
	atf_check -o inline:"ok\n" $PFK add $GW1 $GW2 ah 0x701 \
	    -A hmac-sha1 0102030405060708090a0b0c0d0e0f1011121314
	atf_check -o inline:"esp spi=1792 ah spi=1793\n" \
	    $CTL out 192.0.2.5 198.51.100.7 tcp 1234 80 100
}
two_requests_cleanup()
{
	emu_stop
}

atf_test_case inbound cleanup
inbound_head()
{
	atf_set descr "'in SPI LENGTH' counts on the SA, 'no-sa' without one"
}
inbound_body()
{
	emu_start
	atf_check -o inline:"ok\n" $PFK add 198.51.100.7 192.0.2.5 esp 0x800 \
	    -E null -
	atf_check -o inline:"ok esp spi=2048\n" $CTL in 2048 700
	atf_check -o inline:"ok esp spi=2048\n" $CTL in 0x800 300 192.0.2.5 esp
	atf_check -o inline:"no-sa\n" $CTL in 0x800 300 192.0.2.6 esp
	atf_check -o inline:"no-sa\n" $CTL in 0x800 300 192.0.2.5 ah
	atf_check -o inline:"no-sa\n" $CTL in 0x801 300
	atf_check -o match:"cur=1000/2 " $PFK get 198.51.100.7 192.0.2.5 esp 0x800
	# A larval SA carries no traffic.
	atf_check -o inline:"spi=2100\n" \
	    $PFK getspi 198.51.100.7 192.0.2.5 esp 2100 2100
	atf_check -o inline:"no-sa\n" $CTL in 2100 10
}
inbound_cleanup()
{
	emu_stop
}

atf_init_test_cases()
{
	atf_add_test_case acquire_registered
	atf_add_test_case acquire_transport
	atf_add_test_case acquire_resolved
	atf_add_test_case acquire_failed
	atf_add_test_case policy_actions
	atf_add_test_case two_requests
	atf_add_test_case inbound
}
