#! /usr/bin/env atf-sh
#
# oakleyd against oakleyd: two pfkeyemud and two oakleyd on loopback
# (regress/lib/pair.subr).  A packet hitting a require policy on side a
# makes an ACQUIRE; main mode and quick mode run; both emulated kernels
# then hold the same pair of SAs: a's outbound SPI is b's inbound one and
# the reverse, with identical algorithms and keys.

TOPDIR=@TOPDIR@
OAKLEY_TOPDIR=$TOPDIR
. "$TOPDIR/regress/lib/pair.subr"
LC_ALL=C
export LC_ALL

IKETOOL=$TOPDIR/regress/ike/iketool

# A transport policy between the two addresses, all protocols.
transport_body() {
	cat <<'EOF'
	policy local @SELF@ remote @OTHER@ transport require;
EOF
}

# The transport policy after the statements in $EXTRA_a, $EXTRA_b.
body_a() {
	[ -z "${EXTRA_a:-}" ] || printf '\t%s\n' "$EXTRA_a"
	transport_body
}
body_b() {
	[ -z "${EXTRA_b:-}" ] || printf '\t%s\n' "$EXTRA_b"
	transport_body
}


atf_test_case psk_transport cleanup
psk_transport_head() {
	atf_set "descr" "An ACQUIRE on side a: main mode and quick mode" \
	    "with a pre-shared key, transport mode; both SADBs hold the" \
	    "same pair and the next packet uses it"
	atf_set "require.user" "root"
}
psk_transport_body() {
	pair_setup transport_body transport_body
	atf_check -s exit:0 -o save:acq \
	    $PAIR_TRAFFIC_a out "$A" "$B" tcp 40000 80 100
	atf_check -o match:'^acquire seq=[0-9]+$' cat acq
	seq=$(sed 's/^acquire seq=//' acq)
	pair_wait_sas a 2
	pair_wait_sas b 2
	pair_check_matched 2
	# The inbound SPI was asked for with the ACQUIRE's sequence number.
	atf_check -o match:"debug: IKE: GETSPI seq=$seq: inbound SPI 0x" \
	    cat a/oakleyd.log
	# Both directions, the default proposal: AES-128-CBC, HMAC-SHA1.
	atf_check -o match:"^$A $B esp mode=transport spi=[0-9]+\(0x[0-9a-f]{8}\) reqid=0\(0x00000000\) E=aes-cbc:[0-9a-f]{32} A=hmac-sha1:[0-9a-f]{40} state=mature hard=3600\(s\)\$" \
	    cat sadb.a
	atf_check -o match:"^$B $A esp mode=transport" cat sadb.a
	out=$(pair_spi a "$A" "$B")
	in=$(pair_spi a "$B" "$A")
	[ -n "$out" ] && [ -n "$in" ] && [ "$out" != "$in" ] ||
	    atf_fail "no distinct SPIs: out '$out' in '$in'"
	# The engine's view: one phase 1 and two SAs on each side.
	for s in a b; do
		eval "ctl=\$PAIR_CTL_$s"
		atf_check -o match:'^other .* established +[0-9]+ +[-0-9]+ +1 +2 +-$' \
		    $ctl show peers
	done
	atf_check -o match:"^other +out +esp +$A +$B +$out " $PAIR_CTL_a show sa
	atf_check -o match:"^other +in +esp +$A +$B +$out " $PAIR_CTL_b show sa
	# The next packet leaves on the negotiated outbound SA.
	atf_check -s exit:0 -o inline:"esp spi=$(printf '%u' "$out")\n" \
	    $PAIR_TRAFFIC_a out "$A" "$B" tcp 40000 80 100
}
psk_transport_cleanup() {
	pair_stop
}

atf_test_case terminate cleanup
terminate_head() {
	atf_set "descr" "oakleyctl terminate on side a deletes its SAs and" \
	    "sends DELETE for them and the ISAKMP SA: side b removes the" \
	    "pair and its phase 1; both SADBs end empty"
	atf_set "require.user" "root"
}
terminate_body() {
	pair_setup transport_body transport_body
	pair_establish
	in_a=$(pair_spi a "$B" "$A")
	atf_check -s exit:0 -o inline:"peer other: terminated, 2 SAs deleted\n" \
	    $PAIR_CTL_a terminate other
	pair_wait_empty a
	pair_wait_empty b
	atf_check -o match:"sending DELETE for 1 ESP SA to other" \
	    cat a/oakleyd.log
	atf_check -o match:"peer other deleted SA $in_a: pair .* removed \(2 SAs\)" \
	    cat b/oakleyd.log
	pair_wait_log b "peer other deleted its ISAKMP SA"
	for s in a b; do
		eval "ctl=\$PAIR_CTL_$s"
		atf_check -o match:'^other .* idle +[0-9]+ +[-0-9]+ +0 +0 +-$' \
		    $ctl show peers
	done
}
terminate_cleanup() {
	pair_stop
}

atf_test_case wrong_psk cleanup
wrong_psk_head() {
	atf_set "descr" "Different pre-shared keys: side b cannot decrypt" \
	    "MM5 and drops the exchange, side a gives up after its" \
	    "retransmissions and reports the ACQUIRE failed; no SA anywhere"
	atf_set "require.user" "root"
}
wrong_psk_body() {
	pair_need_root
	pair_init
	PAIR_RETRANSMIT="interval 1s count 1"
	transport_body | pair_conf a "the key of side a"
	transport_body | pair_conf b "the key of side b"
	pair_start
	A=$(pair_addr a)
	B=$(pair_addr b)
	pair_acquire
	pair_wait_log b "failed: MM5 does not decrypt \(keys differ: wrong pre-shared key\?\)"
	pair_wait_log a "main mode to $B\\[[0-9]+\\]: no answer after 2 transmissions; giving up"
	pair_wait_log a "negotiation failed"
	atf_check -o inline:"No SAD entries.\n" $PAIR_D_a
	atf_check -o inline:"No SAD entries.\n" $PAIR_D_b
	pair_acquire
	for s in a b; do
		eval "ctl=\$PAIR_CTL_$s"
		atf_check -o match:'^other .* +0 +0 +-$' $ctl show peers
	done
}
wrong_psk_cleanup() {
	pair_stop
}

atf_test_case qm_no_proposal cleanup
qm_no_proposal_head() {
	atf_set "descr" "Quick mode without a common proposal: side b" \
	    "answers NO-PROPOSAL-CHOSEN naming side a's SPI, side a ends" \
	    "the exchange and deletes its larval inbound SA"
	atf_set "require.user" "root"
}
qm_no_proposal_body() {
	EXTRA_a="phase2 encryption aes256 auth hmac-sha256;"
	EXTRA_b="phase2 encryption 3des auth hmac-sha1;"
	pair_setup body_a body_b
	pair_acquire
	pair_wait_log a "quick mode [0-9a-f]+ with other: starting .*SPI in 0x[0-9a-f]+"
	spi=$(sed -n 's/.*starting for policy 1 .*SPI in \(0x[0-9a-f]*\)).*/\1/p' \
	    a/oakleyd.log)
	pair_wait_log b "refused: no acceptable proposal .* answering NO-PROPOSAL-CHOSEN"
	pair_wait_log a "NO-PROPOSAL-CHOSEN from other"
	pair_wait_log a "quick mode [0-9a-f]+ with other: failed; its SAs were removed"
	pair_wait_empty a
	atf_check -o inline:"No SAD entries.\n" $PAIR_D_b
	atf_check -o not-match:"$spi" $PAIR_D_a
	pair_acquire
}
qm_no_proposal_cleanup() {
	pair_stop
}

atf_test_case retransmit cleanup
retransmit_head() {
	atf_set "descr" "Side b's oakleyd starts after side a sent MM1:" \
	    "side a retransmits with backoff and the negotiation completes"
	atf_set "require.user" "root"
}
retransmit_body() {
	pair_need_root
	pair_init
	transport_body | pair_conf a
	transport_body | pair_conf b
	pair_emu_start a
	pair_emu_start b
	pair_od_start a
	A=$(pair_addr a)
	B=$(pair_addr b)
	pair_acquire
	pair_wait_log a "retransmitting main mode message to $B\[[0-9]+\] \(transmission 2\)"
	pair_od_start b
	pair_wait_sas a 2
	pair_wait_sas b 2
	pair_check_matched 2
	# Side b answered the first MM1 that reached it, and only once.
	atf_check -o inline:"1\n" grep -c "responding to main mode" b/oakleyd.log
}
retransmit_cleanup() {
	pair_stop
}

atf_test_case duplicate_mm1 cleanup
duplicate_mm1_head() {
	atf_set "descr" "The same MM1 twice: side b answers both with the" \
	    "same MM2 (same responder cookie, same bytes) and creates one" \
	    "phase 1"
	atf_set "require.user" "root"
}
duplicate_mm1_body() {
	PAIR_RETRANSMIT="interval 60s count 1"
	pair_responder transport_body
	atf_check -s exit:0 -o save:out "$IKETOOL" mm1 -b "$A" -t "$B" \
	    -p "$PAIR_PORT" -r 2 -w 500
	atf_check -o match:'^sent 2 received 2$' cat out
	atf_check -o inline:"1\n" sh -c "grep '^reply' out | sort -u | wc -l"
	atf_check -o match:'^reply exchange=2 icookie=1c[0-9a-f]{14} rcookie=[0-9a-f]{16} length=[0-9]+ sum=' \
	    cat out
	atf_check -o inline:"1\n" grep -c "responding to main mode" b/oakleyd.log
	atf_check -o match:"duplicate from $A\[[0-9]+\]: resending our last message" \
	    cat b/oakleyd.log
}
duplicate_mm1_cleanup() {
	pair_stop
}

atf_test_case half_open_cap cleanup
half_open_cap_head() {
	atf_set "descr" "A flood of MM1 from one address: side b keeps at" \
	    "most 16 half-open phase 1s for it, answers those and refuses" \
	    "the rest"
	atf_set "require.user" "root"
}
half_open_cap_body() {
	# No retransmission of MM2 while the tool listens.
	PAIR_RETRANSMIT="interval 60s count 1"
	pair_responder transport_body
	atf_check -s exit:0 -o save:out "$IKETOOL" mm1 -b "$A" -t "$B" \
	    -p "$PAIR_PORT" -n 40 -w 500
	atf_check -o match:'^sent 40 received 16$' cat out
	atf_check -o inline:"16\n" sh -c "grep '^reply' out | cut -d' ' -f3 | sort -u | wc -l"
	atf_check -o inline:"16\n" grep -c "responding to main mode" b/oakleyd.log
	atf_check -o match:"MM1 from $A\[[0-9]+\] refused: too many half-open phase 1s from this address \(16 half-open phase 1s, 16 from this address\)" \
	    cat b/oakleyd.log
}
half_open_cap_cleanup() {
	pair_stop
}

# Both sides with the same proposals ($1: phase 1, $2: phase 2) and the
# transport policy; one negotiation; the pair in both SADBs.
negotiate_with() {
	EXTRA_a="phase1 $1; phase2 $2;"
	EXTRA_b=$EXTRA_a
	pair_setup body_a body_b
	pair_establish
}

atf_test_case alg_aes128_sha256 cleanup
alg_aes128_sha256_head() {
	atf_set "descr" "Main mode AES-128/SHA2-256, quick mode ESP" \
	    "AES-128-CBC with HMAC-SHA2-256: keys of 16 and 32 bytes"
	atf_set "require.user" "root"
}
alg_aes128_sha256_body() {
	negotiate_with "encryption aes128 hash sha256 group modp1024" \
	    "encryption aes128 auth hmac-sha256"
	atf_check -o match:'established \(initiator aes128-cbc-sha256, group 2,' \
	    cat a/oakleyd.log
	atf_check -o match:'established \(responder aes128-cbc-sha256, group 2,' \
	    cat b/oakleyd.log
	atf_check -o inline:"2\n" grep -Ec ' E=aes-cbc:[0-9a-f]{32} A=hmac-sha2-256:[0-9a-f]{64} state=mature' sadb.a
}
alg_aes128_sha256_cleanup() {
	pair_stop
}

atf_test_case alg_3des_sha1 cleanup
alg_3des_sha1_head() {
	atf_set "descr" "Main mode 3DES/SHA1 (the phase-1 key is expanded" \
	    "from SKEYID_e), quick mode ESP 3DES with HMAC-SHA1"
	atf_set "require.user" "root"
}
alg_3des_sha1_body() {
	negotiate_with "encryption 3des hash sha1 group modp1024" \
	    "encryption 3des auth hmac-sha1"
	atf_check -o match:'established \(initiator 3des-cbc-sha1, group 2,' \
	    cat a/oakleyd.log
	atf_check -o inline:"2\n" grep -Ec ' E=3des-cbc:[0-9a-f]{48} A=hmac-sha1:[0-9a-f]{40} state=mature' sadb.a
}
alg_3des_sha1_cleanup() {
	pair_stop
}

atf_test_case alg_aes256_sha512 cleanup
alg_aes256_sha512_head() {
	atf_set "descr" "Main mode AES-256/SHA2-512, quick mode ESP" \
	    "AES-256-CBC with HMAC-SHA2-256"
	atf_set "require.user" "root"
}
alg_aes256_sha512_body() {
	negotiate_with "encryption aes256 hash sha512 group modp1024" \
	    "encryption aes256 auth hmac-sha256"
	atf_check -o match:'established \(initiator aes256-cbc-sha512, group 2,' \
	    cat a/oakleyd.log
	atf_check -o inline:"2\n" grep -Ec ' E=aes-cbc:[0-9a-f]{64} A=hmac-sha2-256:[0-9a-f]{64} state=mature' sadb.a
}
alg_aes256_sha512_cleanup() {
	pair_stop
}

atf_test_case alg_aes192_sha384 cleanup
alg_aes192_sha384_head() {
	atf_set "descr" "Main mode AES-192/SHA2-384, quick mode ESP" \
	    "AES-192-CBC with HMAC-SHA1"
	atf_set "require.user" "root"
}
alg_aes192_sha384_body() {
	negotiate_with "encryption aes192 hash sha384 group modp1024" \
	    "encryption aes192 auth hmac-sha1"
	atf_check -o match:'established \(initiator aes192-cbc-sha384, group 2,' \
	    cat a/oakleyd.log
	atf_check -o inline:"2\n" grep -Ec ' E=aes-cbc:[0-9a-f]{48} A=hmac-sha1:[0-9a-f]{40} state=mature' sadb.a
}
alg_aes192_sha384_cleanup() {
	pair_stop
}

atf_test_case alg_aes128gcm16 cleanup
alg_aes128gcm16_head() {
	atf_set "descr" "Quick mode ESP AES-128-GCM-16 (RFC 4106): no auth" \
	    "algorithm; both SADBs hold the cross-matched pair as" \
	    "aes-gcm-16 with the same 20-byte keys (key and salt), one per" \
	    "direction, and no A: key"
	atf_set "require.user" "root"
}
alg_aes128gcm16_body() {
	negotiate_with "encryption aes128 hash sha256 group modp1024" \
	    "encryption aes128gcm16"
	for s in a b; do
		atf_check -o match:'SAs installed: in 0x[0-9a-f]+, out 0x[0-9a-f]+ \(aes-gcm-16, none, 3600 s\)$' \
		    cat $s/oakleyd.log
	done
	atf_check -o inline:"2\n" grep -Ec ' E=aes-gcm-16:[0-9a-f]{40} +state=mature' sadb.a
	atf_check -o not-match:'A=' cat sadb.a
	# Each direction has its own key (KEYMAT of its own SPI).
	atf_check -o inline:"2\n" sh -c \
	    "grep -o 'E=aes-gcm-16:[0-9a-f]*' sadb.a | sort -u | wc -l"
	# As setkey prints it: the E: line, nothing for authentication.
	$PAIR_D_b > raw.b
	atf_check -o inline:"2\n" grep -c '^	E: aes-gcm-16  ' raw.b
	atf_check -o not-match:'^	A: ' cat raw.b
}
alg_aes128gcm16_cleanup() {
	pair_stop
}

atf_test_case alg_aes256gcm16_choice cleanup
alg_aes256gcm16_choice_head() {
	atf_set "descr" "Side a offers AES-128-GCM-16, then AES-256-GCM-16," \
	    "then AES-128-CBC/HMAC-SHA1; side b takes AES-256-GCM-16 only:" \
	    "the second transform is chosen by its key length, keys of 36" \
	    "bytes"
	atf_set "require.user" "root"
}
alg_aes256gcm16_choice_body() {
	EXTRA_a="phase2 encryption aes128gcm16; phase2 encryption aes256gcm16; phase2 encryption aes128 auth hmac-sha1;"
	EXTRA_b="phase2 encryption aes256gcm16 lifetime 30m;"
	pair_setup body_a body_b
	pair_establish
	atf_check -o inline:"2\n" grep -Ec ' E=aes-gcm-16:[0-9a-f]{72} +state=mature hard=1800\(s\)$' sadb.a
	atf_check -o not-match:'A=' cat sadb.b
}
alg_aes256gcm16_choice_cleanup() {
	pair_stop
}

atf_test_case gcm_mismatch cleanup
gcm_mismatch_head() {
	atf_set "descr" "Side a offers AES-128-GCM-16, side b takes" \
	    "AES-256-GCM-16 only: no quick-mode proposal matches, side b" \
	    "answers NO-PROPOSAL-CHOSEN, no SA is left anywhere"
	atf_set "require.user" "root"
}
gcm_mismatch_body() {
	EXTRA_a="phase2 encryption aes128gcm16;"
	EXTRA_b="phase2 encryption aes256gcm16;"
	pair_setup body_a body_b
	pair_acquire
	pair_wait_log b "refused: no acceptable proposal .* answering NO-PROPOSAL-CHOSEN"
	pair_wait_log a "quick mode [0-9a-f]+ with other: failed; its SAs were removed"
	pair_wait_empty a
	atf_check -o inline:"No SAD entries.\n" $PAIR_D_b
}
gcm_mismatch_cleanup() {
	pair_stop
}

atf_test_case pfs cleanup
pfs_head() {
	atf_set "descr" "Quick mode with PFS (group 2): a second DH" \
	    "exchange in QM1/QM2; the SAs carry the PFS flag"
	atf_set "require.user" "root"
}
pfs_body() {
	negotiate_with "encryption aes128 hash sha1 group modp1024" \
	    "encryption aes128 auth hmac-sha1 pfs modp1024"
	atf_check -o match:'SAs installed: .*, PFS\)$' cat a/oakleyd.log
	atf_check -o match:'SAs installed: .*, PFS\)$' cat b/oakleyd.log
	$PAIR_D_a > raw.a
	atf_check -o inline:"2\n" grep -c 'flags=0x00000001 state=mature' raw.a
}
pfs_cleanup() {
	pair_stop
}

atf_test_case pfs_mismatch cleanup
pfs_mismatch_head() {
	atf_set "descr" "Side a wants PFS, side b does not: no quick-mode" \
	    "proposal matches, no SA is left anywhere"
	atf_set "require.user" "root"
}
pfs_mismatch_body() {
	EXTRA_a="phase2 pfs modp1024;"
	pair_setup body_a body_b
	pair_acquire
	pair_wait_log a "quick mode [0-9a-f]+ with other: failed; its SAs were removed"
	pair_wait_empty a
	atf_check -o inline:"No SAD entries.\n" $PAIR_D_b
}
pfs_mismatch_cleanup() {
	pair_stop
}

# Test networks behind the two sides, tunnelled between their addresses.
tunnel_body_a() {
	echo "	policy local 198.51.100.0/24 remote 203.0.113.0/24 tunnel require;"
}
tunnel_body_b() {
	echo "	policy local 203.0.113.0/24 remote 198.51.100.0/24 tunnel require;"
}
tunnel_body_b_narrow() {
	echo "	policy local 203.0.113.0/25 remote 198.51.100.0/24 tunnel require;"
}

atf_test_case psk_tunnel cleanup
psk_tunnel_head() {
	atf_set "descr" "Tunnel mode between two test networks: the IDs are" \
	    "the subnets, the SAs are tunnel-mode SAs between the two IKE" \
	    "addresses, the next packet between the networks uses one"
	atf_set "require.user" "root"
}
psk_tunnel_body() {
	pair_setup tunnel_body_a tunnel_body_b
	pair_acquire a 198.51.100.5 203.0.113.7 udp 1000 53
	pair_wait_sas a 2
	pair_wait_sas b 2
	pair_check_matched 2
	atf_check -o inline:"2\n" grep -c ' esp mode=tunnel ' sadb.a
	atf_check -o match:"^$A $B esp mode=tunnel " cat sadb.a
	atf_check -o match:"^$B $A esp mode=tunnel " cat sadb.a
	atf_check -o match:'responding for policy 1 \(tunnel mode' \
	    cat b/oakleyd.log
	out=$(pair_spi a "$A" "$B")
	atf_check -s exit:0 -o inline:"esp spi=$(printf '%u' "$out")\n" \
	    $PAIR_TRAFFIC_a out 198.51.100.9 203.0.113.200 tcp 1000 22 60
}
psk_tunnel_cleanup() {
	pair_stop
}

atf_test_case tunnel_ids_unknown cleanup
tunnel_ids_unknown_head() {
	atf_set "descr" "Side b has no policy for the subnets side a asks" \
	    "for: INVALID-ID-INFORMATION, no SA left"
	atf_set "require.user" "root"
}
tunnel_ids_unknown_body() {
	pair_setup tunnel_body_a tunnel_body_b_narrow
	pair_acquire a 198.51.100.5 203.0.113.7 udp 1000 53
	pair_wait_log b "refused: no policy matches the IDs \(198\.51\.100\.0/24 <-> 203\.0\.113\.0/24\); answering INVALID-ID-INFORMATION"
	pair_wait_log a "quick mode [0-9a-f]+ with other: failed; its SAs were removed"
	pair_wait_empty a
	atf_check -o inline:"No SAD entries.\n" $PAIR_D_b
}
tunnel_ids_unknown_cleanup() {
	pair_stop
}

atf_test_case responder_lifetime cleanup
responder_lifetime_head() {
	atf_set "descr" "Side a offers 2 h and 50000 KB, side b allows 1 h" \
	    "and 10000 KB: side b answers RESPONDER-LIFETIME and both" \
	    "sides install the shorter lifetimes"
	atf_set "require.user" "root"
}
responder_lifetime_body() {
	EXTRA_a="phase2 lifetime 2h lifesize 50000KB;"
	EXTRA_b="phase2 lifetime 1h lifesize 10000KB;"
	pair_setup body_a body_b
	pair_establish
	atf_check -o match:'our lifetime is shorter: RESPONDER-LIFETIME 3600 s, 10000 KB' \
	    cat b/oakleyd.log
	atf_check -o match:'RESPONDER-LIFETIME: 3600 s, 10000 KB' \
	    cat a/oakleyd.log
	pair_check_hard 2 3600 10240000 a b
}
responder_lifetime_cleanup() {
	pair_stop
}

atf_test_case dh_plugin_group14 cleanup
dh_plugin_group14_head() {
	atf_set "descr" "With the dh2048 plugin on both sides, main mode" \
	    "and PFS run with group 14 (modp2048)"
	atf_set "require.user" "root"
}
dh_plugin_group14_body() {
	PAIR_PLUGIN_DIR=$TOPDIR/plugins/dh2048
	PAIR_GLOBAL="plugin dh2048;"
	negotiate_with "encryption aes256 hash sha256 group modp2048" \
	    "encryption aes128 auth hmac-sha1 pfs modp2048"
	atf_check -o match:'established \(initiator aes256-cbc-sha256, group 14,' \
	    cat a/oakleyd.log
	atf_check -o match:'SAs installed: .*, PFS\)$' cat b/oakleyd.log
}
dh_plugin_group14_cleanup() {
	pair_stop
}

# plugin_missing PLUGIN GROUP NUMBER: side a loads PLUGIN and offers
# GROUP only, side b runs the core alone (show plugins): b names the
# missing plugin and answers NO-PROPOSAL-CHOSEN, a stops at once.
plugin_missing() {
	pair_need_root
	pair_init
	PAIR_PLUGIN_DIR=$TOPDIR/plugins/$1
	PAIR_GLOBAL="plugin $1;"
	EXTRA_a="phase1 group $2;"
	body_a | pair_conf a
	PAIR_GLOBAL=""
	transport_body | pair_conf b
	pair_start
	A=$(pair_addr a)
	B=$(pair_addr b)
	atf_check -o inline:'No plugins loaded.\n' $PAIR_CTL_b show plugins
	pair_acquire
	pair_wait_log b "warning: DH group $3 \\($2\\) is provided by plugin $1, which is not loaded"
	pair_wait_log b "no proposal of the initiator is acceptable: answering NO-PROPOSAL-CHOSEN"
	pair_wait_log a "unprotected NO-PROPOSAL-CHOSEN from other"
	pair_wait_log a "negotiation failed"
	atf_check -o not-match:'retransmitting' cat a/oakleyd.log
	pair_acquire
}

atf_test_case dh_plugin_ecp cleanup
dh_plugin_ecp_head() {
	atf_set "descr" "With the dh_ecp plugin on both sides, main mode" \
	    "runs with group 19 (ecp256) and PFS with group 20 (ecp384):" \
	    "KE payloads x || y, secrets x only (RFC 5903)"
	atf_set "require.user" "root"
}
dh_plugin_ecp_body() {
	PAIR_PLUGIN_DIR=$TOPDIR/plugins/dh_ecp
	PAIR_GLOBAL="plugin dh_ecp;"
	negotiate_with "encryption aes128 hash sha256 group ecp256" \
	    "encryption aes128 auth hmac-sha256 pfs ecp384"
	atf_check -o match:'established \(initiator aes128-cbc-sha256, group 19,' \
	    cat a/oakleyd.log
	atf_check -o match:'established \(responder aes128-cbc-sha256, group 19,' \
	    cat b/oakleyd.log
	for s in a b; do
		atf_check -o match:'DH group 19 \(ecp256\): 64-byte KE, 32-byte g\^xy$' \
		    cat $s/oakleyd.log
		atf_check -o match:'PFS with DH group 20 \(ecp384\): 96-byte KE, 48-byte g\^xy$' \
		    cat $s/oakleyd.log
		atf_check -o match:'SAs installed: .*, PFS\)$' cat $s/oakleyd.log
	done
	atf_check -o inline:"2\n" grep -Ec ' E=aes-cbc:[0-9a-f]{32} A=hmac-sha2-256:[0-9a-f]{64} state=mature' sadb.a
}
dh_plugin_ecp_cleanup() {
	pair_stop
}

atf_test_case dh_plugin_ecp_missing cleanup
dh_plugin_ecp_missing_head() {
	atf_set "descr" "Side a offers group 19 only, side b has not loaded" \
	    "dh_ecp: side b names the missing plugin and answers" \
	    "NO-PROPOSAL-CHOSEN"
	atf_set "require.user" "root"
}
dh_plugin_ecp_missing_body() {
	plugin_missing dh_ecp ecp256 19
}
dh_plugin_ecp_missing_cleanup() {
	pair_stop
}

atf_test_case dh_plugin_missing cleanup
dh_plugin_missing_head() {
	atf_set "descr" "Side a offers group 14 only, side b has not loaded" \
	    "dh2048: side b says which plugin is missing and answers" \
	    "NO-PROPOSAL-CHOSEN, side a stops at once"
	atf_set "require.user" "root"
}
dh_plugin_missing_body() {
	plugin_missing dh2048 modp2048 14
}
dh_plugin_missing_cleanup() {
	pair_stop
}

atf_test_case initial_contact cleanup
initial_contact_head() {
	atf_set "descr" "Side a restarts with an empty kernel (a reboot):" \
	    "its new main mode carries INITIAL-CONTACT, side b drops the" \
	    "old pair and phase 1, and both end with the new pair only"
	atf_set "require.user" "root"
}
initial_contact_body() {
	pair_setup transport_body transport_body
	pair_establish
	old_out=$(pair_spi a "$A" "$B")
	old_in=$(pair_spi a "$B" "$A")
	# Side a dies without a word and its kernel forgets everything.
	kill -KILL "$(cat a/od.bgpid)"
	rm -f a/od.bgpid a/oakleyd.pid a/ctl.sock
	atf_check -s exit:0 -o ignore -e ignore \
	    "$PAIR_OAKLEYCTL" -s "unix:$PWD/a/emu.sock" -F
	pair_wait_empty a
	pair_od_start a
	pair_acquire
	pair_wait_log b "INITIAL-CONTACT from other: its old state removed \\(2 SAs\\)"
	pair_wait_sas a 2
	pair_wait_sas b 2
	pair_check_matched 2
	atf_check -o not-match:"$old_out|$old_in" cat sadb.b
	atf_check -o match:'^other .* +1 +2 +-$' $PAIR_CTL_b show peers
}
initial_contact_cleanup() {
	pair_stop
}

atf_init_test_cases() {
	atf_add_test_case initial_contact
	atf_add_test_case alg_aes128_sha256
	atf_add_test_case alg_3des_sha1
	atf_add_test_case alg_aes256_sha512
	atf_add_test_case alg_aes192_sha384
	atf_add_test_case alg_aes128gcm16
	atf_add_test_case alg_aes256gcm16_choice
	atf_add_test_case gcm_mismatch
	atf_add_test_case pfs
	atf_add_test_case pfs_mismatch
	atf_add_test_case psk_tunnel
	atf_add_test_case tunnel_ids_unknown
	atf_add_test_case responder_lifetime
	atf_add_test_case dh_plugin_group14
	atf_add_test_case dh_plugin_missing
	atf_add_test_case dh_plugin_ecp
	atf_add_test_case dh_plugin_ecp_missing
	atf_add_test_case psk_transport
	atf_add_test_case terminate
	atf_add_test_case wrong_psk
	atf_add_test_case qm_no_proposal
	atf_add_test_case retransmit
	atf_add_test_case duplicate_mm1
	atf_add_test_case half_open_cap
}
