#! /usr/bin/env atf-sh
#
# pfkeyemud: the SADB messages (GETSPI, UPDATE, ADD, GET, DELETE, DUMP,
# FLUSH, REGISTER) and their errors, over a real PF_KEY socket.

OAKLEY_TOPDIR=@TOPDIR@
. @TOPDIR@/regress/lib/emu.subr

A=192.0.2.1
B=192.0.2.2
C=192.0.2.3
EKEY=00112233445566778899aabbccddeeff
AKEY=0102030405060708090a0b0c0d0e0f1011121314

atf_test_case getspi_range cleanup
getspi_range_head()
{
	atf_set descr "GETSPI picks a free SPI in the requested range, EEXIST" \
	    "when none is left"
}
getspi_range_body()
{
	emu_start
	$PFK getspi $A $B esp 0x1000 0x1001 > spi1 || atf_fail "first GETSPI"
	$PFK getspi $A $B esp 0x1000 0x1001 > spi2 || atf_fail "second GETSPI"
	cat spi1 spi2 | sort > both
	atf_check -o inline:"spi=4096\nspi=4097\n" cat both
	atf_check -s exit:1 -o inline:"error=EEXIST\n" \
	    $PFK getspi $A $B esp 0x1000 0x1001
	# Unique per destination: another destination may reuse 0x1000.
	atf_check -o inline:"spi=4096\n" $PFK getspi $A $C esp 0x1000 0x1000
	# Unique per SA type too.
	atf_check -o inline:"spi=4096\n" $PFK getspi $A $B ah 0x1000 0x1000
	# A reversed range is invalid.
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK getspi $A $B esp 0x2000 0x1000
	# The default range is 0x100..0x0fffffff.
	spi=$($PFK getspi $A $B esp | sed -n 's/^spi=//p')
	[ -n "$spi" ] && [ "$spi" -ge 256 ] && [ "$spi" -le 268435455 ] ||
	    atf_fail "default-range SPI '$spi' out of 0x100..0x0fffffff"
	atf_check -o match:"^sa=5 larval=5 policies=0 " $CTL stats
}
getspi_range_cleanup()
{
	emu_stop
}

atf_test_case larval_timeout cleanup
larval_timeout_head()
{
	atf_set descr "A larval SA not updated within 30 s is deleted"
}
larval_timeout_body()
{
	emu_start
	atf_check -o inline:"spi=8192\n" $PFK getspi $A $B esp 0x2000 0x2000 \
	    seq 7 reqid 3 mode tunnel
	atf_check -o inline:"$A $B esp spi=8192 state=larval mode=tunnel reqid=3 cur=0/0 seq=0\n" \
	    $PFK dump
	atf_check -o match:"^ok now=" $CTL advance 29
	atf_check -o match:"state=larval" $PFK dump
	atf_check -o match:"^ok now=" $CTL advance 2
	atf_check -s exit:1 -o inline:"error=ENOENT\n" $PFK dump
}
larval_timeout_cleanup()
{
	emu_stop
}

atf_test_case update_larval cleanup
update_larval_head()
{
	atf_set descr "UPDATE makes a larval SA mature; ESRCH without an SA," \
	    "EINVAL for keys on a mature one"
}
update_larval_body()
{
	emu_start
	atf_check -o inline:"spi=12288\n" $PFK getspi $A $B esp 0x3000 0x3000
	atf_check -o inline:"ok\n" $PFK update $A $B esp 0x3000 -m tunnel \
	    -r 9 -E aes-cbc $EKEY -A hmac-sha1 $AKEY -lh 3600 -ls 2880
	atf_check -o inline:"$A $B esp spi=12288 state=mature mode=tunnel reqid=9 E=aes-cbc:$EKEY A=hmac-sha1:$AKEY hard=3600/0/0 soft=2880/0/0 cur=0/0 seq=0\n" \
	    $PFK dump
	# Mature now: an UPDATE may not bring keys (FreeBSD: EINVAL).
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK update $A $B esp 0x3000 -E aes-cbc $EKEY
	atf_check -s exit:1 -o inline:"error=ESRCH\n" \
	    $PFK update $A $B esp 0x3001 -E aes-cbc $EKEY
	# The larval SA survives a failed UPDATE (bad key length).
	atf_check -o inline:"spi=12290\n" $PFK getspi $A $B esp 0x3002 0x3002
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK update $A $B esp 0x3002 -E aes-cbc 0011223344556677
	atf_check -o match:"spi=12290 state=larval" $PFK dump
	# No larval lifetime for a mature SA.
	atf_check -o match:"^ok now=" $CTL advance 31
	atf_check -o inline:"$A $B esp spi=12288 state=mature mode=tunnel reqid=9 E=aes-cbc:$EKEY A=hmac-sha1:$AKEY hard=3600/0/0 soft=2880/0/0 cur=0/0 seq=0\n" \
	    $PFK dump
}
update_larval_cleanup()
{
	emu_stop
}

atf_test_case add_get_delete cleanup
add_get_delete_head()
{
	atf_set descr "ADD then GET returns the exact keys; DELETE then GET" \
	    "is ESRCH"
}
add_get_delete_body()
{
	emu_start
	atf_check -o inline:"ok\n" $PFK add $A $B esp 0x4000 -m transport \
	    -E aes-cbc $EKEY -A hmac-sha1 $AKEY -bh 2000000 -bs 1000000
	atf_check -o inline:"$A $B esp spi=16384 state=mature mode=transport reqid=0 E=aes-cbc:$EKEY A=hmac-sha1:$AKEY hard=0/0/2000000 soft=0/0/1000000 cur=0/0 seq=1\n" \
	    $PFK get $A $B esp 0x4000
	atf_check -s exit:1 -o inline:"error=EEXIST\n" \
	    $PFK add $A $B esp 0x4000 -E aes-cbc $EKEY
	# The same SPI towards another destination is another SA.
	atf_check -o inline:"ok\n" $PFK add $A $C esp 0x4000 -E null -
	atf_check -s exit:1 -o inline:"error=ESRCH\n" $PFK get $B $A esp 0x4000
	atf_check -o inline:"ok\n" $PFK delete $A $B esp 0x4000
	atf_check -s exit:1 -o inline:"error=ESRCH\n" $PFK get $A $B esp 0x4000
	atf_check -s exit:1 -o inline:"error=ESRCH\n" \
	    $PFK delete $A $B esp 0x4000
	atf_check -o inline:"$A $C esp spi=16384 state=mature mode=any reqid=0 E=null cur=0/0 seq=0\n" \
	    $PFK dump
}
add_get_delete_cleanup()
{
	emu_stop
}

atf_test_case add_invalid cleanup
add_invalid_head()
{
	atf_set descr "ADD checks SA types, algorithms and key sizes"
}
add_invalid_body()
{
	emu_start
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK add $A $B esp 0x5000 -E aes-cbc 0011223344556677
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK add $A $B esp 0x5000 -E des-cbc 0011223344556677
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK add $A $B ah 0x5000 -A hmac-sha1 $AKEY -E aes-cbc $EKEY
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK add $A $B ah 0x5000
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK add $A $B esp 0x5000 -E aes-gcm-16 ${EKEY}01020304 \
	    -A hmac-sha1 $AKEY
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK add $A $B esp 0 -E null -
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK add $A $B unspec 0x5000 -E null -
	atf_check -s exit:1 -o inline:"error=EOPNOTSUPP\n" \
	    $PFK add $A $B rsvp 0x5000 -E null -
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK add $A $B esp 0x5000 -E null - -f 0x10000
	atf_check -o inline:"ok\n" $PFK add $A $B esp 0x5000 \
	    -E aes-gcm-16 ${EKEY}01020304
	atf_check -o inline:"ok\n" $PFK add $A $B ah 0x5001 \
	    -A hmac-sha2-256 ${EKEY}${EKEY}
	atf_check -o match:"^sa=2 larval=0 policies=0 " $CTL stats
}
add_invalid_cleanup()
{
	emu_stop
}

atf_test_case gcm_keys cleanup
gcm_keys_head()
{
	atf_set descr "aes-gcm-16 (RFC 4106): ADD takes an AES key and its" \
	    "32-bit salt (160, 224 or 288 bits) with no authentication" \
	    "algorithm, GET gives them back; a key without its salt, or" \
	    "with an auth algorithm, is EINVAL"
}
gcm_keys_body()
{
	local salt=a0a1a2a3

	emu_start
	atf_check -o inline:"ok\n" $PFK add $A $B esp 0x6000 -m tunnel \
	    -E aes-gcm-16 ${EKEY}$salt
	atf_check -o inline:"ok\n" $PFK add $A $B esp 0x6001 \
	    -E aes-gcm-16 ${EKEY}${EKEY%????????????????}$salt
	atf_check -o inline:"ok\n" $PFK add $A $B esp 0x6002 \
	    -E aes-gcm-16 ${EKEY}${EKEY}$salt
	atf_check -o match:"^$A $B esp spi=24576 state=mature mode=tunnel reqid=0 E=aes-gcm-16:${EKEY}$salt cur=0/0 seq=[0-9]+\$" \
	    $PFK get $A $B esp 0x6000
	atf_check -o match:" E=aes-gcm-16:${EKEY}[0-9a-f]{16}$salt cur=" \
	    $PFK get $A $B esp 0x6001
	atf_check -o match:" E=aes-gcm-16:${EKEY}${EKEY}$salt cur=" \
	    $PFK get $A $B esp 0x6002
	# AES-128 and AES-256 keys without the salt; a 192-bit one (not an
	# AES size once the salt is taken off); too long.
	for key in $EKEY ${EKEY}${EKEY} ${EKEY}0011223344556677 \
	    ${EKEY}${EKEY}${EKEY}; do
		atf_check -s exit:1 -o inline:"error=EINVAL\n" \
		    $PFK add $A $B esp 0x6010 -E aes-gcm-16 $key
	done
	# No auth algorithm beside GCM, with a key or without.
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK add $A $B esp 0x6010 -E aes-gcm-16 ${EKEY}$salt \
	    -A hmac-sha2-256 ${EKEY}${EKEY}
	# No key at all.
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK add $A $B esp 0x6010 -E aes-gcm-16 -
	# AES-CBC keys are AES sizes too.
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK add $A $B esp 0x6010 -E aes-cbc ${EKEY}$salt -A hmac-sha1 $AKEY
	atf_check -o match:"^sa=3 larval=0 policies=0 " $CTL stats
}
gcm_keys_cleanup()
{
	emu_stop
}

atf_test_case delete_all cleanup
delete_all_head()
{
	atf_set descr "DELETE without an SA removes every mature SA between" \
	    "the two hosts, nothing else"
}
delete_all_body()
{
	emu_start
	$PFK add $A $B esp 0x100 -E null - >/dev/null
	$PFK add $A $B esp 0x101 -E null - >/dev/null
	$PFK add $A $B ah 0x102 -A hmac-md5 $EKEY >/dev/null
	$PFK add $A $C esp 0x103 -E null - >/dev/null
	$PFK add $B $A esp 0x104 -E null - >/dev/null
	atf_check -o inline:"spi=261\n" $PFK getspi $A $B esp 0x105 0x105
	atf_check -o inline:"ok\n" $PFK delete $A $B esp
	cat > expout <<EOF
$A $B ah spi=258 state=mature mode=any reqid=0 A=hmac-md5:$EKEY cur=0/0 seq=3
$A $C esp spi=259 state=mature mode=any reqid=0 E=null cur=0/0 seq=2
$B $A esp spi=260 state=mature mode=any reqid=0 E=null cur=0/0 seq=1
$A $B esp spi=261 state=larval mode=any reqid=0 cur=0/0 seq=0
EOF
	atf_check -o file:expout $PFK dump
}
delete_all_cleanup()
{
	emu_stop
}

atf_test_case dump_sequence cleanup
dump_sequence_head()
{
	atf_set descr "DUMP: one record per SA, seq counting down to 0;" \
	    "ENOENT when empty"
}
dump_sequence_body()
{
	emu_start
	atf_check -s exit:1 -o inline:"error=ENOENT\n" $PFK dump
	$PFK add $A $B esp 0x200 -E null - >/dev/null
	$PFK add $A $B esp 0x201 -E null - >/dev/null
	$PFK add $A $B ah 0x202 -A hmac-md5 $EKEY >/dev/null
	cat > expout <<EOF
$A $B esp spi=512 state=mature mode=any reqid=0 E=null cur=0/0 seq=2
$A $B esp spi=513 state=mature mode=any reqid=0 E=null cur=0/0 seq=1
$A $B ah spi=514 state=mature mode=any reqid=0 A=hmac-md5:$EKEY cur=0/0 seq=0
EOF
	atf_check -o file:expout $PFK dump
	# A DUMP of one SA type counts down over that type only.
	atf_check -o inline:"$A $B ah spi=514 state=mature mode=any reqid=0 A=hmac-md5:$EKEY cur=0/0 seq=0\n" \
	    $PFK dump ah
	atf_check -s exit:1 -o inline:"error=ENOENT\n" $PFK dump ipcomp
}
dump_sequence_cleanup()
{
	emu_stop
}

atf_test_case flush cleanup
flush_head()
{
	atf_set descr "FLUSH of one SA type, then of all"
}
flush_body()
{
	emu_start
	$PFK add $A $B esp 0x300 -E null - >/dev/null
	$PFK add $A $B ah 0x301 -A hmac-md5 $EKEY >/dev/null
	$PFK getspi $A $B esp 0x302 0x302 >/dev/null
	atf_check -o inline:"ok\n" $PFK flush ah
	atf_check -o match:"^sa=2 larval=1 policies=0 " $CTL stats
	atf_check -o inline:"ok\n" $PFK flush
	atf_check -s exit:1 -o inline:"error=ENOENT\n" $PFK dump
}
flush_cleanup()
{
	emu_stop
}

atf_test_case natt cleanup
natt_head()
{
	atf_set descr "NAT-T extensions are kept and returned by GET and" \
	    "DUMP; invalid ones are EINVAL"
}
natt_body()
{
	emu_start
	atf_check -o inline:"ok\n" $PFK add $A $B esp 0x600 -m tunnel -r 7 \
	    -E aes-cbc $EKEY -A hmac-sha1 $AKEY -natt 4500 4501 \
	    -oai 192.0.2.10 -oar 198.51.100.20
	line="$A[4500] $B[4501] esp spi=1536 state=mature mode=tunnel reqid=7 E=aes-cbc:$EKEY A=hmac-sha1:$AKEY natt=4500:4501 oai=192.0.2.10 oar=198.51.100.20 cur=0/0"
	atf_check -o inline:"$line seq=1\n" $PFK get $A $B esp 0x600
	atf_check -o inline:"$line seq=0\n" $PFK dump
	# Only for ESP, only type 2 (ESP-in-UDP), only non-zero ports.
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK add $A $B ah 0x601 -A hmac-sha1 $AKEY -natt 4500 4500
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK add $A $B esp 0x601 -E null - -natt-type 1 -natt 4500 4500
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK add $A $B esp 0x601 -E null - -natt 0 4500
	atf_check -s exit:1 -o inline:"error=EINVAL\n" \
	    $PFK add $A $B esp 0x601 -E null - -natt-type 2
	# The SA is found by its hosts whatever the NAT-T ports.
	atf_check -o inline:"ok\n" $PFK delete $A $B esp 0x600
}
natt_cleanup()
{
	emu_stop
}

atf_test_case update_mature_natt cleanup
update_mature_natt_head()
{
	atf_set descr "UPDATE of a mature SA changes its NAT-T ports and" \
	    "lifetimes in place, keys and SPI kept (FreeBSD key_update);" \
	    "keys, a missing NAT-T type, another index are refused"
}
update_mature_natt_body()
{
	emu_start
	atf_check -o inline:"ok\n" $PFK add $A $B esp 0x700 -m transport \
	    -r 5 -E aes-cbc $EKEY -A hmac-sha1 $AKEY -natt 4500 4500 \
	    -oai 192.0.2.10 -lh 3600 -ls 2880
	atf_check -o inline:"ok\n" $PFK update $A $B esp 0x700 -m transport \
	    -r 5 -natt 4500 31337 -oai 192.0.2.10 -lh 3600 -ls 2880
	line="$A[4500] $B[31337] esp spi=1792 state=mature mode=transport reqid=5 E=aes-cbc:$EKEY A=hmac-sha1:$AKEY natt=4500:31337 oai=192.0.2.10 hard=3600/0/0 soft=2880/0/0 cur=0/0"
	atf_check -o inline:"$line seq=0\n" $PFK dump
	# Refused, and the SA stays as it was: keys, no NAT-T type, a
	# NAT-T type other than ESP-in-UDP, hard without soft, another
	# mode or reqid (ESRCH, the index differs), another source, new
	# addresses.
	atf_check -s exit:1 -o inline:"error=EINVAL\n" $PFK update $A $B \
	    esp 0x700 -E aes-cbc $EKEY -natt 4500 4500 -lh 3600 -ls 2880
	atf_check -s exit:1 -o inline:"error=EINVAL\n" $PFK update $A $B \
	    esp 0x700 -lh 3600 -ls 2880
	atf_check -s exit:1 -o inline:"error=EINVAL\n" $PFK update $A $B \
	    esp 0x700 -natt-type 1 -natt 4500 4500 -lh 3600 -ls 2880
	atf_check -s exit:1 -o inline:"error=EINVAL\n" $PFK update $A $B \
	    esp 0x700 -natt 4500 4500 -lh 3600
	atf_check -s exit:1 -o inline:"error=ESRCH\n" $PFK update $A $B \
	    esp 0x700 -m tunnel -natt 4500 4500 -lh 3600 -ls 2880
	atf_check -s exit:1 -o inline:"error=ESRCH\n" $PFK update $A $B \
	    esp 0x700 -r 6 -natt 4500 4500 -lh 3600 -ls 2880
	atf_check -s exit:1 -o inline:"error=ESRCH\n" $PFK update $C $B \
	    esp 0x700 -natt 4500 4500 -lh 3600 -ls 2880
	atf_check -o inline:"$line seq=0\n" $PFK dump
	# Without lifetimes a mature SA loses them, as on FreeBSD; without
	# OAI it loses that too: the NAT-T configuration is replaced.
	atf_check -o inline:"ok\n" $PFK update $A $B esp 0x700 -natt 4500 4500
	atf_check -o inline:"$A[4500] $B[4500] esp spi=1792 state=mature mode=transport reqid=5 E=aes-cbc:$EKEY A=hmac-sha1:$AKEY natt=4500:4500 cur=0/0 seq=0\n" \
	    $PFK dump
	# An SA without NAT-T may be given it.
	atf_check -o inline:"ok\n" $PFK add $A $B esp 0x701 -E aes-cbc $EKEY
	atf_check -o inline:"ok\n" $PFK update $A $B esp 0x701 -natt 4500 4501
	atf_check -o match:"^$A\\[4500\\] $B\\[4501\\] esp spi=1793 .* natt=4500:4501 " \
	    $PFK get $A $B esp 0x701
}
update_mature_natt_cleanup()
{
	emu_stop
}

atf_test_case register cleanup
register_head()
{
	atf_set descr "REGISTER returns the supported algorithms; a second" \
	    "REGISTER for the same SA type on a socket is EEXIST"
}
register_body()
{
	emu_start
	cat > expout <<EOF
registered esp auth=2,3,5,6,7,9 enc=3,11,12,13,20
error=EEXIST
registered ah auth=2,3,5,6,7,9 enc=3,11,12,13,20
registered unspec auth=2,3,5,6,7,9 enc=3,11,12,13,20
EOF
	atf_check -s exit:1 -o file:expout $PFK register esp esp ah unspec
}
register_cleanup()
{
	emu_stop
}

atf_init_test_cases()
{
	atf_add_test_case getspi_range
	atf_add_test_case larval_timeout
	atf_add_test_case update_larval
	atf_add_test_case add_get_delete
	atf_add_test_case add_invalid
	atf_add_test_case gcm_keys
	atf_add_test_case delete_all
	atf_add_test_case dump_sequence
	atf_add_test_case flush
	atf_add_test_case natt
	atf_add_test_case update_mature_natt
	atf_add_test_case register
}
