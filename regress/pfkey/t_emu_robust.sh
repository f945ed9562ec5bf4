#! /usr/bin/env atf-sh
#
# pfkeyemud under bad input and load: malformed messages answered with
# EINVAL, 10,000 random and truncated messages that leave the SADB and
# SPD as they were, many clients at once, a client that never reads,
# promiscuous sockets, and pfkeyemuctl's error answers.
#
# The raw messages below spell sadb_msg_len in little-endian host order.

OAKLEY_TOPDIR=@TOPDIR@
. @TOPDIR@/regress/lib/emu.subr

A=192.0.2.1
B=192.0.2.2
EKEY=00112233445566778899aabbccddeeff
AKEY=0102030405060708090a0b0c0d0e0f1011121314

# A few SAs of every kind, and two policies.
populate()
{
	$PFK add $A $B esp 0x1000 -m tunnel -r 3 -E aes-cbc $EKEY \
	    -A hmac-sha1 $AKEY -lh 3600 -ls 2880 >/dev/null ||
	    atf_fail "populate: add"
	$PFK add $B $A esp 0x1001 -E aes-cbc $EKEY -A hmac-sha1 $AKEY \
	    -natt 4500 4500 -oai 192.0.2.10 >/dev/null ||
	    atf_fail "populate: add NAT-T"
	$PFK add $A $B ah 0x1002 -A hmac-sha2-256 $EKEY$EKEY >/dev/null ||
	    atf_fail "populate: add AH"
	$PFK add 2001:db8::1 2001:db8::2 esp 0x1003 -E null - >/dev/null ||
	    atf_fail "populate: add IPv6"
	$PFK getspi $A $B esp 0x1004 0x1004 >/dev/null ||
	    atf_fail "populate: getspi"
	$PFK spdadd 192.0.2.0/24 198.51.100.0/24 any out ipsec \
	    esp/tunnel/$A-$B/require >/dev/null || atf_fail "populate: spdadd"
	$PFK spdadd 198.51.100.0/24 192.0.2.0/24 tcp in ipsec \
	    esp/transport//unique >/dev/null || atf_fail "populate: spdadd"
}

atf_test_case malformed cleanup
malformed_head()
{
	atf_set descr "Malformed messages get an EINVAL reply with the" \
	    "request's header, and the daemon keeps serving"
}
malformed_body()
{
	emu_start
	$PFK add $A $B esp 0x1000 -E null - >/dev/null
	hdr="01000000 00000000"
	# Bad version.
	atf_check -o inline:"type=10 errno=EINVAL\n" \
	    $PFK raw 03 0a 00 00 0200 0000 $hdr
	# sadb_msg_len longer, then shorter, than the record.
	atf_check -o inline:"type=10 errno=EINVAL\n" \
	    $PFK raw 02 0a 00 00 0300 0000 $hdr
	atf_check -o inline:"type=10 errno=EINVAL\n" \
	    $PFK raw 02 0a 00 00 0100 0000 $hdr
	# Shorter than a header.
	atf_check -o inline:"type=10 errno=EINVAL\n" \
	    $PFK raw 02 0a 00 00 0100 0000
	atf_check -o inline:"type=0 errno=EINVAL\n" $PFK raw 02
	# Unknown extension type 200; an extension overrunning the message.
	atf_check -o inline:"type=10 errno=EINVAL\n" \
	    $PFK raw 02 0a 00 00 0300 0000 $hdr 0100 c800 00000000
	atf_check -o inline:"type=10 errno=EINVAL\n" \
	    $PFK raw 02 0a 00 00 0300 0000 $hdr 0500 0100 00000000
	# Message types 0 and 23, and EXPIRE, which only the kernel sends.
	atf_check -o inline:"type=0 errno=EINVAL\n" \
	    $PFK raw 02 00 00 00 0200 0000 $hdr
	atf_check -o inline:"type=23 errno=EINVAL\n" \
	    $PFK raw 02 17 00 00 0200 0000 $hdr
	atf_check -o inline:"type=8 errno=EINVAL\n" \
	    $PFK raw 02 08 00 03 0200 0000 $hdr
	# SA types: RSVP is not supported, SPD messages want UNSPEC.
	atf_check -o inline:"type=10 errno=EOPNOTSUPP\n" \
	    $PFK raw 02 0a 00 05 0200 0000 $hdr
	atf_check -o inline:"type=18 errno=EINVAL\n" \
	    $PFK raw 02 12 00 03 0200 0000 $hdr
	# Still serving: a well-formed DUMP, raw and through libpfkey.
	atf_check -o inline:"type=10 errno=0\n" \
	    $PFK raw 02 0a 00 00 0200 0000 $hdr
	atf_check -o inline:"$A $B esp spi=4096 state=mature mode=any reqid=0 E=null cur=0/0 seq=0\n" \
	    $PFK dump
}
malformed_cleanup()
{
	emu_stop
}

atf_test_case fuzz cleanup
fuzz_head()
{
	atf_set descr "10,000 random and truncated messages leave the SADB" \
	    "and the SPD exactly as they were"
	atf_set timeout 600
}
fuzz_body()
{
	emu_start
	populate
	$PFK dump > sa.before || atf_fail "dump before"
	$PFK spddump > spd.before || atf_fail "spddump before"
	atf_check -o inline:"5\n" sh -c "wc -l < sa.before | tr -d ' '"
	atf_check -o match:"^sent=10000 replies=[0-9]+ errors=[0-9]+$" \
	    -o save:fuzz.out $PFK -T 20000 fuzzsend 10000 1
	replies=$(sed 's/.*replies=\([0-9]*\).*/\1/' fuzz.out)
	errors=$(sed 's/.*errors=\([0-9]*\).*/\1/' fuzz.out)
	# Nearly every mutant is refused with an error reply.
	[ "$errors" -ge 9000 ] || atf_fail "only $errors error replies"
	[ "$replies" -ge "$errors" ] || atf_fail "replies < errors"
	atf_check -o file:sa.before $PFK dump
	atf_check -o file:spd.before $PFK spddump
	atf_check -o match:"^sa=5 larval=1 policies=2 " $CTL stats
	kill -0 "$(emu_pid)" || atf_fail "pfkeyemud died"
	# Another seed, another 10,000.
	atf_check -o match:"^sent=10000 " $PFK -T 20000 fuzzsend 10000 77
	atf_check -o file:sa.before $PFK dump
	atf_check -o file:spd.before $PFK spddump
}
fuzz_cleanup()
{
	emu_stop
}

atf_test_case fuzz_all cleanup
fuzz_all_head()
{
	atf_set descr "Mutants that are valid requests (adds, deletes," \
	    "flushes...) are served too, and the daemon keeps serving"
	atf_set timeout 600
}
fuzz_all_body()
{
	emu_start
	populate
	atf_check -o match:"^sent=10000 " $PFK -T 20000 fuzzsend 10000 5 all
	kill -0 "$(emu_pid)" || atf_fail "pfkeyemud died"
	atf_check -o inline:"ok\n" $PFK flush
	atf_check -o inline:"ok\n" $PFK spdflush
	atf_check -o inline:"ok\n" $PFK add $A $B esp 0x1000 -E null -
	atf_check -o inline:"$A $B esp spi=4096 state=mature mode=any reqid=0 E=null cur=0/0 seq=0\n" \
	    $PFK dump
}
fuzz_all_cleanup()
{
	emu_stop
}

atf_test_case many_clients cleanup
many_clients_head()
{
	atf_set descr "20 clients dumping at once all get the whole dump"
}
many_clients_body()
{
	local i

	emu_start
	populate
	$PFK dump > expout || atf_fail "reference dump"
	i=1
	while [ $i -le 20 ]; do
		emu_bg dump$i $PFK dump
		i=$((i + 1))
	done
	i=1
	while [ $i -le 20 ]; do
		emu_wait_bg dump$i || atf_fail "client $i failed"
		atf_check -o file:expout cat dump$i.out
		i=$((i + 1))
	done
}
many_clients_cleanup()
{
	emu_stop
}

atf_test_case slow_reader cleanup
slow_reader_head()
{
	atf_set descr "A client that asks much and reads nothing loses" \
	    "messages, not the daemon: others are still served"
}
slow_reader_body()
{
	emu_start
	populate
	$PFK dump > expout || atf_fail "reference dump"
	emu_bg flood $PFK noread 4000 60
	emu_wait_output flood '^flooded$'
	atf_check -o file:expout $PFK dump
	atf_check -o match:"^sa=5 larval=1 policies=2 " $CTL stats
	atf_check -o match:"is not reading: dropping messages" cat "$EMU_LOG"
}
slow_reader_cleanup()
{
	emu_stop
}

atf_test_case promisc cleanup
promisc_head()
{
	atf_set descr "A promiscuous socket gets a copy of each request and" \
	    "each reply, wrapped in X_PROMISC (its own X_PROMISC reply first)"
}
promisc_body()
{
	emu_start
	emu_bg spy $PFK promisc-listen 5 10
	emu_wait_output spy '^promiscuous$'
	atf_check -o inline:"ok\n" $PFK add $A $B esp 0x1000 -E null -
	atf_check -s exit:1 -o inline:"error=ESRCH\n" $PFK get $A $B esp 0x1001
	emu_wait_bg spy || atf_fail "the promiscuous socket missed copies"
	cat > expout <<EOF
promiscuous
promisc inner=promisc errno=0
promisc inner=add errno=0
promisc inner=add errno=0
promisc inner=get errno=0
promisc inner=get errno=3
EOF
	atf_check -o file:expout cat spy.out
}
promisc_cleanup()
{
	emu_stop
}

atf_test_case ctl_errors cleanup
ctl_errors_head()
{
	atf_set descr "pfkeyemuctl: error answers exit 1, no daemon exits 2"
}
ctl_errors_body()
{
	emu_start
	atf_check -s exit:1 -o inline:"error unknown command\n" $CTL bogus
	atf_check -s exit:1 -o inline:"error unknown command\n" $CTL time now
	atf_check -s exit:1 \
	    -o inline:"error usage: out SRC DST PROTO SPORT DPORT LENGTH\n" \
	    $CTL out 192.0.2.1
	atf_check -s exit:1 -o inline:"error address families differ\n" \
	    $CTL out 192.0.2.1 2001:db8::1 tcp 1 2 3
	atf_check -s exit:1 -o inline:"error bad protocol 'foo'\n" \
	    $CTL out 192.0.2.1 192.0.2.2 foo 1 2 3
	atf_check -s exit:1 -o inline:"error bad port\n" \
	    $CTL out 192.0.2.1 192.0.2.2 tcp 1 70000 3
	atf_check -s exit:1 -o inline:"error bad address\n" \
	    $CTL out 192.0.2.300 192.0.2.2 tcp 1 2 3
	atf_check -s exit:1 -o inline:"error usage: in SPI LENGTH [DST esp|ah|ipcomp]\n" \
	    $CTL in 5
	atf_check -s exit:1 -o match:"^error usage: advance SECONDS" \
	    $CTL advance -5
	atf_check -s exit:1 -o inline:"error line too long\n" \
	    $CTL "$(printf '%0600d' 0)"
	# The connection survives a long line: the next command is served.
	{ printf '%03000d\n' 0; echo time; } > long
	atf_check -s exit:1 -o match:"^error line too long$" \
	    -o match:"^now=[0-9]+$" -x "$CTL < long"
	printf 'time\n\nbogus\nstats\n' > cmds
	atf_check -s exit:1 -o match:"^now=[0-9]+$" \
	    -o match:"^error unknown command$" -o match:"^sa=0 " \
	    -x "$CTL < cmds"
	atf_check -s exit:2 -e match:"nosuch" $EMUCTL -t "$(pwd)/nosuch" time
	atf_check -o match:"^now=[0-9]+$" $CTL time
}
ctl_errors_cleanup()
{
	emu_stop
}

atf_init_test_cases()
{
	atf_add_test_case malformed
	atf_add_test_case fuzz
	atf_add_test_case fuzz_all
	atf_add_test_case many_clients
	atf_add_test_case slow_reader
	atf_add_test_case promisc
	atf_add_test_case ctl_errors
}
