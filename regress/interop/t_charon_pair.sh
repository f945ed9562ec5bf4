#! /usr/bin/env atf-sh
#
# The strongSwan interop harness on its own (regress/lib/netns.subr,
# charon.subr, sadb.subr): charon against charon, each in a network
# namespace, IKEv1 main mode with a pre-shared key and quick mode ESP in
# tunnel mode, with the proposals the oakleyd <-> charon tests will use.
# Each case checks both sides' IKE and CHILD SAs (SPIs cross-matched,
# algorithms, the keys each derived) and sends traffic through the
# tunnel.  "sadb_compare" runs the comparison an oakleyd <-> charon test
# makes, with the second charon's SAs copied into pfkeyemud standing in
# for oakleyd's; "no_leftovers" checks that the harness leaves nothing behind.
#
#   namespace a: eth0 192.0.2.1, lo 198.51.100.1  (charon A)
#   namespace b: eth0 192.0.2.2, lo 203.0.113.1   (charon B)
#   tunnel: 198.51.100.0/24 <-> 203.0.113.0/24

TOPDIR=@TOPDIR@
OAKLEY_TOPDIR=$TOPDIR
. "$TOPDIR/regress/lib/netns.subr"
. "$TOPDIR/regress/lib/charon.subr"
. "$TOPDIR/regress/lib/sadb.subr"
. "$TOPDIR/regress/lib/emu.subr"
OAKLEYCTL=$TOPDIR/daemon/oakleyctl/oakleyctl

A_OUT=192.0.2.1
B_OUT=192.0.2.2
A_NET=198.51.100.0/24
A_IN=198.51.100.1
B_NET=203.0.113.0/24
B_IN=203.0.113.1
PSK="interop test key, not a secret"

# pair_up IKE ESP: the namespaces, two charons, connection "t" on both.
pair_up()
{
	require_root_netns
	charon_require
	require_progs ping
	ns_add a
	ns_add b
	ns_link a eth0 "$A_OUT/24" b eth0 "$B_OUT/24"
	ns_addr a lo "$A_IN/32"
	ns_addr b lo "$B_IN/32"
	charon_start a A
	charon_start b B
	charon_peer A name=t local="$A_OUT" remote="$B_OUT" \
	    local_ts="$A_NET" remote_ts="$B_NET" ike="$1" esp="$2" psk="$PSK"
	charon_peer B name=t local="$B_OUT" remote="$A_OUT" \
	    local_ts="$B_NET" remote_ts="$A_NET" ike="$1" esp="$2" psk="$PSK"
}

# negotiate TAG: TAG initiates CHILD SA t; both sides must install it.
negotiate()
{
	if ! charon_initiate "$1" t 20; then
		cat "charon-$1/initiate.out" >&2
		atf_fail "charon $1 could not initiate CHILD SA t"
	fi
	charon_child_wait A t 10 || atf_fail "no CHILD SA installed in A"
	charon_child_wait B t 10 || atf_fail "no CHILD SA installed in B"
}

ike()
{
	charon_sa_field "$1" ike "$2" t
}

child()
{
	charon_sa_field "$1" child "$2" t
}

# check_ike INITIATOR ENCR KEYSIZE INTEG PRF DH: both IKE SAs.
check_ike()
{
	local tag other

	for tag in A B; do
		atf_check_equal ESTABLISHED "$(ike $tag state)"
		atf_check_equal 1 "$(ike $tag version)"
		atf_check_equal "$2" "$(ike $tag encr-alg)"
		atf_check_equal "$3" "$(ike $tag encr-keysize)"
		atf_check_equal "$4" "$(ike $tag integ-alg)"
		atf_check_equal "$5" "$(ike $tag prf-alg)"
		atf_check_equal "$6" "$(ike $tag dh-group)"
	done
	other=B
	[ "$1" = A ] || other=A
	atf_check_equal yes "$(ike "$1" initiator)"
	atf_check_equal no "$(ike $other initiator)"
	# The same IKE SA on both sides: the cookies match.
	atf_check_equal "$(ike A initiator-spi)" "$(ike B initiator-spi)"
	atf_check_equal "$(ike A responder-spi)" "$(ike B responder-spi)"
	[ "$(ike A responder-spi)" != - ] || atf_fail "no responder cookie"
	atf_check_equal "$B_OUT" "$(ike A remote-host)"
	atf_check_equal "$A_OUT" "$(ike B remote-host)"
}

# check_child ENCR KEYSIZE INTEG PFS_DH ENC_HEX AUTH_HEX: both CHILD SAs,
# the SPIs cross-matched, and the keys each side derived (from its log)
# the same, ENC_HEX and AUTH_HEX hex digits long.
check_child()
{
	local tag spi

	for tag in A B; do
		atf_check_equal INSTALLED "$(child $tag state)"
		atf_check_equal TUNNEL "$(child $tag mode)"
		atf_check_equal ESP "$(child $tag protocol)"
		# kernel-libipsec: always UDP-encapsulated (charon.subr).
		atf_check_equal yes "$(child $tag encap)"
		atf_check_equal "$1" "$(child $tag encr-alg)"
		atf_check_equal "$2" "$(child $tag encr-keysize)"
		atf_check_equal "$3" "$(child $tag integ-alg)"
		atf_check_equal "$4" "$(child $tag dh-group)"
		for spi in "$(child $tag spi-in)" "$(child $tag spi-out)"; do
			echo "$spi" | grep -Eq '^[0-9a-f]{8}$' ||
			    atf_fail "charon $tag: bad SPI '$spi'"
		done
	done
	atf_check_equal "$A_NET" "$(child A local-ts)"
	atf_check_equal "$B_NET" "$(child A remote-ts)"
	atf_check_equal "$B_NET" "$(child B local-ts)"
	atf_check_equal "$A_NET" "$(child B remote-ts)"
	# One SA each way: A's inbound is B's outbound and vice versa.
	atf_check_equal "$(child A spi-in)" "$(child B spi-out)"
	atf_check_equal "$(child A spi-out)" "$(child B spi-in)"
	[ "$(child A spi-in)" != "$(child A spi-out)" ] ||
	    atf_fail "inbound and outbound SPI are the same"

	charon_child_sas A t | sort > a.sas
	charon_child_sas B t | sort > b.sas
	cat a.sas
	atf_check_equal 2 "$(wc -l < a.sas)"
	atf_check -o file:a.sas cat b.sas
	# Keys of the right lengths, different each way.
	sa_keys_check a.sas "$5" "$6" || atf_fail "wrong keys"
}

# Three pings from A's inner address to B's through the tunnel; each
# side counts them on its CHILD SA (ESP decrypted and authenticated).
check_traffic()
{
	atf_check -o ignore timeout 20 ip netns exec "$(ns_name a)" \
	    ping -n -c 3 -i 0.2 -W 5 -I "$A_IN" "$B_IN"
	for tag in A B; do
		[ "$(child $tag packets-in)" -ge 3 ] ||
		    atf_fail "charon $tag: $(child $tag packets-in) packets in"
		[ "$(child $tag packets-out)" -ge 3 ] ||
		    atf_fail "charon $tag: $(child $tag packets-out) packets out"
	done
}

atf_test_case mm_aes128_sha256_modp1024 cleanup
mm_aes128_sha256_modp1024_head()
{
	atf_set descr "Main mode aes128-sha256-modp1024, quick mode ESP" \
	    "aes128-sha256, tunnel: both charons hold the same SAs"
	atf_set require.user root
	atf_set timeout 120
}
mm_aes128_sha256_modp1024_body()
{
	pair_up aes128-sha256-modp1024 aes128-sha256
	negotiate A
	check_ike A AES_CBC 128 HMAC_SHA2_256_128 PRF_HMAC_SHA2_256 MODP_1024
	check_child AES_CBC 128 HMAC_SHA2_256_128 - 32 64
	check_traffic
}
mm_aes128_sha256_modp1024_cleanup()
{
	ns_cleanup
}

atf_test_case mm_3des_sha1_modp1024 cleanup
mm_3des_sha1_modp1024_head()
{
	atf_set descr "Main mode 3des-sha1-modp1024, quick mode ESP" \
	    "3des-sha1, tunnel, the other charon initiating"
	atf_set require.user root
	atf_set timeout 120
}
mm_3des_sha1_modp1024_body()
{
	pair_up 3des-sha1-modp1024 3des-sha1
	negotiate B
	check_ike B 3DES_CBC - HMAC_SHA1_96 PRF_HMAC_SHA1 MODP_1024
	check_child 3DES_CBC - HMAC_SHA1_96 - 48 40
	check_traffic
}
mm_3des_sha1_modp1024_cleanup()
{
	ns_cleanup
}

atf_test_case mm_modp2048_pfs cleanup
mm_modp2048_pfs_head()
{
	atf_set descr "modp2048 in main mode and as the quick-mode PFS" \
	    "group (aes128-sha256)"
	atf_set require.user root
	atf_set timeout 120
}
mm_modp2048_pfs_body()
{
	pair_up aes128-sha256-modp2048 aes128-sha256-modp2048
	negotiate A
	check_ike A AES_CBC 128 HMAC_SHA2_256_128 PRF_HMAC_SHA2_256 MODP_2048
	check_child AES_CBC 128 HMAC_SHA2_256_128 MODP_2048 32 64
	check_traffic
}
mm_modp2048_pfs_cleanup()
{
	ns_cleanup
}

# sa_field LINE KEY: one value of an "sa" line.
sa_field()
{
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# Add the SAs of an "sa" file to pfkeyemud, as oakleyd would.
emu_add_sas()
{
	local line natt

	while read -r line; do
		natt=""
		[ "$(sa_field "$line" encap)" = no ] || natt="-natt 4500 4500"
		atf_check -o inline:"ok\n" $PFK add "$(sa_field "$line" src)" \
		    "$(sa_field "$line" dst)" esp \
		    "0x$(sa_field "$line" spi)" -m "$(sa_field "$line" mode)" \
		    -E "$(sa_field "$line" enc)" "$(sa_field "$line" enc-key)" \
		    -A "$(sa_field "$line" auth)" \
		    "$(sa_field "$line" auth-key)" $natt
	done < "$1"
}

atf_test_case sadb_compare cleanup
sadb_compare_head()
{
	atf_set descr "An oakleyd <-> charon comparison, charon B standing" \
	    "in for oakleyd: B's SAs in pfkeyemud, read back with" \
	    "oakleyctl -D, equal A's; one changed key byte is caught"
	atf_set require.user root
	atf_set timeout 120
}
sadb_compare_body()
{
	[ -x "$EMUD" ] && [ -x "$PFKTOOL" ] && [ -x "$OAKLEYCTL" ] ||
	    atf_skip "pfkeyemud, pfktool or oakleyctl is not built"
	pair_up aes128-sha256-modp1024 aes128-sha256
	negotiate A
	charon_child_sas A t | sort > charon.sas
	charon_child_sas B t > b.sas
	emu_start
	emu_add_sas b.sas
	# A larval SA the comparison must ignore.
	atf_check -o match:"^spi=" $PFK getspi "$B_OUT" "$A_OUT" esp
	atf_check -o save:sadb.txt "$OAKLEYCTL" -s "unix:$EMU_SOCK" -D
	sadb_sas sadb.txt $(charon_child_spis A t) | sort > emu.sas
	atf_check -o file:charon.sas cat emu.sas
	grep -q esp-udp sadb.txt || atf_fail "no esp-udp SA in the SADB"

	# The same with the last key byte of A's inbound SA changed.
	atf_check -o inline:"ok\n" $PFK flush esp
	spi_in=$(charon_child_spis A t | head -n 1)
	awk -v spi="spi=$spi_in" '
	    $5 == spi { k = $9; c = substr(k, length(k)) == "0" ? "1" : "0"
		$9 = substr(k, 1, length(k) - 1) c }
	    { print }' b.sas > b-bad.sas
	emu_add_sas b-bad.sas
	atf_check -o save:sadb-bad.txt "$OAKLEYCTL" -s "unix:$EMU_SOCK" -D
	sadb_sas sadb-bad.txt $(charon_child_spis A t) | sort > emu-bad.sas
	atf_check -s exit:1 -o ignore diff charon.sas emu-bad.sas
	atf_check_equal 1 "$(diff charon.sas emu-bad.sas | grep -c '^>')"
}
sadb_compare_cleanup()
{
	emu_stop
	ns_cleanup
}

atf_test_case no_leftovers cleanup
no_leftovers_head()
{
	atf_set descr "ns_cleanup stops the charons by PID and deletes" \
	    "the namespaces"
	atf_set require.user root
	atf_set timeout 120
}
no_leftovers_body()
{
	pair_up aes128-sha256-modp1024 aes128-sha256
	negotiate A
	pids=$(awk '$1 == "pid" { print $3 }' netns.state)
	atf_check_equal 2 "$(echo $pids | wc -w)"
	for p in $pids; do
		kill -0 "$p" || atf_fail "charon $p is not running"
	done
	prefix=$(sed -n 's/^prefix //p' netns.state)
	atf_check -o match:"^${prefix}a" ip netns list
	ns_cleanup
	for p in $pids; do
		! kill -0 "$p" 2>/dev/null || atf_fail "charon $p still runs"
	done
	atf_check -o not-match:"^${prefix}" ip netns list
}
no_leftovers_cleanup()
{
	ns_cleanup
}

atf_init_test_cases()
{
	atf_add_test_case mm_aes128_sha256_modp1024
	atf_add_test_case mm_3des_sha1_modp1024
	atf_add_test_case mm_modp2048_pfs
	atf_add_test_case sadb_compare
	atf_add_test_case no_leftovers
}
