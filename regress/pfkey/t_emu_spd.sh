#! /usr/bin/env atf-sh
#
# pfkeyemud: the SPD messages (X_SPDADD, X_SPDUPDATE, X_SPDSETIDX,
# X_SPDDELETE, X_SPDDELETE2, X_SPDGET, X_SPDDUMP, X_SPDFLUSH), their
# errors, and the data plane's policy lookup.

OAKLEY_TOPDIR=@TOPDIR@
. @TOPDIR@/regress/lib/emu.subr

NET1=192.0.2.0/24
NET2=198.51.100.0/24
OUTREQ=esp/tunnel/203.0.113.1-203.0.113.2/require
INREQ=esp/tunnel/203.0.113.2-203.0.113.1/require

atf_test_case add_dump cleanup
add_dump_head()
{
	atf_set descr "X_SPDADD assigns ids from 1; X_SPDDUMP returns every" \
	    "field, seq down to 0; ENOENT when empty"
}
add_dump_body()
{
	emu_start
	atf_check -s exit:1 -o inline:"error=ENOENT\n" $PFK spddump
	atf_check -o inline:"ok id=1\n" $PFK spdadd $NET1 $NET2 any out \
	    ipsec $OUTREQ
	atf_check -o inline:"ok id=2\n" $PFK spdadd $NET2 $NET1 any in \
	    ipsec $INREQ
	atf_check -o inline:"ok id=3\n" $PFK spdadd "192.0.2.1[500]" \
	    "198.51.100.1[500]" udp out none
	atf_check -o inline:"ok id=4\n" $PFK spdadd 2001:db8::/32 \
	    2001:db8:1::/48 tcp out ipsec esp/transport//unique \
	    ah/transport//unique:42 -lt 3600 -vt 600
	cat > expout <<EOF
$NET1[any] $NET2[any] any out ipsec $OUTREQ id=1 seq=3
$NET2[any] $NET1[any] any in ipsec $INREQ id=2 seq=2
192.0.2.1[500] 198.51.100.1[500] udp out none id=3 seq=1
2001:db8::/32[any] 2001:db8:1::/48[any] tcp out ipsec esp/transport//unique:16385 ah/transport//unique:42 id=4 seq=0 lifetime=3600 validtime=600
EOF
	atf_check -o file:expout $PFK spddump
	atf_check -o inline:"$NET2[any] $NET1[any] any in ipsec $INREQ id=2 seq=1\n" \
	    $PFK spdget 2
	atf_check -s exit:1 -o inline:"error=ENOENT\n" $PFK spdget 5
	atf_check -o match:"^sa=0 larval=0 policies=4 " $CTL stats
}
add_dump_cleanup()
{
	emu_stop
}

atf_test_case add_exists_update cleanup
add_exists_update_head()
{
	atf_set descr "X_SPDADD of an existing selector is EEXIST;" \
	    "X_SPDUPDATE replaces it with a new id; X_SPDSETIDX adds"
}
add_exists_update_body()
{
	emu_start
	atf_check -o inline:"ok id=1\n" $PFK spdadd $NET1 $NET2 any out \
	    ipsec $OUTREQ
	atf_check -s exit:1 -o inline:"error=EEXIST\n" $PFK spdadd $NET1 \
	    $NET2 any out discard
	# Another direction, port or protocol is another selector.
	atf_check -o inline:"ok id=2\n" $PFK spdadd $NET1 $NET2 any in discard
	atf_check -o inline:"ok id=3\n" $PFK spdadd $NET1 $NET2 tcp out discard
	atf_check -o inline:"ok id=4\n" $PFK spdupdate $NET1 $NET2 any out \
	    discard
	atf_check -o inline:"ok id=5\n" $PFK spdupdate $NET2 $NET1 any out \
	    none
	atf_check -o inline:"ok id=6\n" $PFK spdsetidx 192.0.2.9 $NET2 any \
	    out discard
	cat > expout <<EOF
$NET1[any] $NET2[any] any in discard id=2 seq=4
$NET1[any] $NET2[any] tcp out discard id=3 seq=3
$NET1[any] $NET2[any] any out discard id=4 seq=2
$NET2[any] $NET1[any] any out none id=5 seq=1
192.0.2.9[any] $NET2[any] any out discard id=6 seq=0
EOF
	atf_check -o file:expout $PFK spddump
}
add_exists_update_cleanup()
{
	emu_stop
}

atf_test_case delete_flush cleanup
delete_flush_head()
{
	atf_set descr "X_SPDDELETE by selector, X_SPDDELETE2 by id (ESRCH" \
	    "when absent), X_SPDFLUSH"
}
delete_flush_body()
{
	emu_start
	$PFK spdadd $NET1 $NET2 any out ipsec $OUTREQ >/dev/null
	$PFK spdadd $NET2 $NET1 any in ipsec $INREQ >/dev/null
	$PFK spdadd $NET1 $NET2 udp out discard >/dev/null
	atf_check -o inline:"ok id=1\n" $PFK spddelete $NET1 $NET2 any out
	atf_check -s exit:1 -o inline:"error=ESRCH\n" \
	    $PFK spddelete $NET1 $NET2 any out
	atf_check -s exit:1 -o inline:"error=ESRCH\n" \
	    $PFK spddelete $NET1 $NET2 any in
	atf_check -o inline:"ok\n" $PFK spddelete2 3
	atf_check -s exit:1 -o inline:"error=ESRCH\n" $PFK spddelete2 3
	atf_check -o inline:"$NET2[any] $NET1[any] any in ipsec $INREQ id=2 seq=0\n" \
	    $PFK spddump
	atf_check -o inline:"ok\n" $PFK spdflush
	atf_check -s exit:1 -o inline:"error=ENOENT\n" $PFK spddump
	# Ids keep increasing after a flush.
	atf_check -o inline:"ok id=4\n" $PFK spdadd $NET1 $NET2 any out discard
}
delete_flush_cleanup()
{
	emu_stop
}

atf_test_case invalid cleanup
invalid_head()
{
	atf_set descr "Invalid policies are refused like FreeBSD refuses them"
}
invalid_body()
{
	emu_start
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK spdadd $NET1 $NET2 any out bypass
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK spdadd $NET1 $NET2 any out entrust
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK spdadd $NET1 $NET2 any any discard
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK spdadd $NET1 $NET2 any out ipsec
	atf_check -s exit:1 -o inline:"error=EPROTONOSUPPORT\n" \
	    $PFK spdadd $NET1 $NET2 any out ipsec 6/transport//require
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK spdadd $NET1 $NET2 any out ipsec esp/tunnel//require
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK spdadd $NET1 $NET2 any out ipsec esp/any//require
	atf_check -s exit:1 -o inline:"error=ENOENT\n" $PFK spddump
}
invalid_cleanup()
{
	emu_stop
}

atf_test_case lookup cleanup
lookup_head()
{
	atf_set descr "The data plane picks the most specific outbound" \
	    "policy, then the lowest id; ports and protocol select"
}
lookup_body()
{
	emu_start
	atf_check -o inline:"ok id=1\n" $PFK spdadd $NET1 0.0.0.0/0 any out \
	    discard
	atf_check -o inline:"ok id=2\n" $PFK spdadd 192.0.2.5 0.0.0.0/0 any \
	    out none
	atf_check -o inline:"ok id=3\n" $PFK spdadd $NET1 "198.51.100.7[80]" \
	    tcp out none
	atf_check -o inline:"ok id=4\n" $PFK spdadd 192.0.2.0/25 0.0.0.0/0 \
	    any out none
	atf_check -o inline:"ok id=5\n" $PFK spdadd 192.0.2.128/25 0.0.0.0/0 \
	    any out none
	atf_check -o inline:"ok id=6\n" $PFK spdadd 192.0.2.200 0.0.0.0/1 \
	    any out discard
	atf_check -o inline:"ok id=7\n" $PFK spdadd 192.0.2.200 128.0.0.0/1 \
	    any out discard
	# /32 + /0 beats /24 + /0.
	atf_check -o inline:"bypass\n" $CTL out 192.0.2.5 203.0.113.1 any 0 0 1
	# /24 + /32 (port 80, tcp) beats /25 + /0.
	atf_check -o inline:"bypass\n" $CTL out 192.0.2.6 198.51.100.7 tcp 1 80 1
	atf_check -o inline:"bypass\n" $CTL out 192.0.2.6 198.51.100.7 tcp 1 81 1
	atf_check -o inline:"bypass\n" $CTL out 192.0.2.6 198.51.100.7 udp 1 80 1
	atf_check -o inline:"ok\n" $PFK spddelete2 4
	atf_check -o inline:"discard\n" $CTL out 192.0.2.6 198.51.100.7 udp 1 80 1
	atf_check -o inline:"bypass\n" $CTL out 192.0.2.6 198.51.100.7 tcp 1 80 1
	# /32 + /1 beats /25 + /0.
	atf_check -o inline:"discard\n" $CTL out 192.0.2.200 203.0.113.1 any 0 0 1
	atf_check -o inline:"bypass\n" $CTL out 192.0.2.201 203.0.113.1 any 0 0 1
	# Outside every selector, and IPv6 against IPv4 selectors.
	atf_check -o inline:"bypass\n" $CTL out 10.0.0.1 203.0.113.1 any 0 0 1
	atf_check -o inline:"bypass\n" $CTL out 2001:db8::1 2001:db8::2 any 0 0 1
}
lookup_cleanup()
{
	emu_stop
}

atf_init_test_cases()
{
	atf_add_test_case add_dump
	atf_add_test_case add_exists_update
	atf_add_test_case delete_flush
	atf_add_test_case invalid
	atf_add_test_case lookup
}
