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

need_root() {
	[ "$(id -u)" -eq 0 ] || atf_skip "IKE on port 500 needs root"
}

# A transport policy between the two addresses, all protocols.
transport_body() {
	cat <<'EOF'
	policy local @SELF@ remote @OTHER@ transport require;
EOF
}

# The SPI (0x...) of the SA from $2 to $3 in side $1's SADB.
spi_of() {
	pair_sadb_norm "$1" | awk -v s="$2" -v d="$3" \
	    '$1 == s && $2 == d { sub(/.*\(/, "", $5); sub(/\)/, "", $5); print $5 }'
}

atf_test_case psk_transport cleanup
psk_transport_head() {
	atf_set "descr" "An ACQUIRE on side a: main mode and quick mode" \
	    "with a pre-shared key, transport mode; both SADBs hold the" \
	    "same pair and the next packet uses it"
	atf_set "require.user" "root"
}
psk_transport_body() {
	need_root
	pair_init
	transport_body | pair_conf a
	transport_body | pair_conf b
	pair_start
	A=$(pair_addr a)
	B=$(pair_addr b)
	atf_check -s exit:0 -o match:'^acquire seq=[0-9]+$' \
	    $PAIR_TRAFFIC_a out "$A" "$B" tcp 40000 80 100
	pair_wait_sas a 2
	pair_wait_sas b 2
	pair_check_matched 2
	# Both directions, the default proposal: AES-128-CBC, HMAC-SHA1.
	atf_check -o match:"^$A $B esp mode=transport spi=[0-9]+\(0x[0-9a-f]{8}\) reqid=0\(0x00000000\) E=aes-cbc:[0-9a-f]{32} A=hmac-sha1:[0-9a-f]{40} state=mature hard=3600\(s\)\$" \
	    cat sadb.a
	atf_check -o match:"^$B $A esp mode=transport" cat sadb.a
	out=$(spi_of a "$A" "$B")
	in=$(spi_of a "$B" "$A")
	[ -n "$out" ] && [ -n "$in" ] && [ "$out" != "$in" ] ||
	    atf_fail "no distinct SPIs: out '$out' in '$in'"
	# The engine's view: one phase 1 and two SAs on each side.
	for s in a b; do
		eval "ctl=\$PAIR_CTL_$s"
		atf_check -o match:'^other .* idle +[0-9]+ +[-0-9]+ +1 +2 +-$' \
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

atf_init_test_cases() {
	atf_add_test_case psk_transport
}
