#! /usr/bin/env atf-sh
#
# oakleyd against oakleyd with RSA signatures over X.509 certificates
# (regress/lib/pair.subr): a throwaway CA and a certificate per side are
# made with openssl(1) in the test's work directory.  Main mode carries
# CR, CERT and SIG; each side checks the other's chain against its CA,
# the ID against the certificate and the signature.

TOPDIR=@TOPDIR@
OAKLEY_TOPDIR=$TOPDIR
. "$TOPDIR/regress/lib/pair.subr"
LC_ALL=C
export LC_ALL

need_root_openssl() {
	pair_need_root
	command -v openssl >/dev/null || atf_skip "openssl(1) is missing"
}

# make_ca NAME: NAME.key, NAME.pem, a self-signed CA.
make_ca() {
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" \
	    -out "$1.pem" -days 2 -subj "/C=US/O=Oakley Test/CN=$1" \
	    2>/dev/null || atf_fail "openssl: cannot make the CA $1"
}

# make_cert NAME CA [SAN]: NAME.key, NAME.pem signed by CA.
make_cert() {
	openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" \
	    -subj "/C=US/O=Oakley Test/CN=$1" 2>/dev/null ||
	    atf_fail "openssl: cannot make the request for $1"
	printf 'subjectAltName=%s\n' "${3:-DNS:$1.example.com}" > "$1.ext"
	openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" \
	    -CAcreateserial -out "$1.pem" -days 2 -extfile "$1.ext" \
	    2>/dev/null || atf_fail "openssl: cannot sign $1"
}

# rsa_auth NAME CA: the auth statement for a side.
rsa_auth() {
	echo "auth rsa { cert \"$PWD/$1.pem\"; key \"$PWD/$1.key\"; ca \"$PWD/$2.pem\"; }"
}

transport_body() {
	echo "	policy local @SELF@ remote @OTHER@ transport require;"
}

start_and_trigger() {
	pair_start
	A=$(pair_addr a)
	B=$(pair_addr b)
	pair_acquire
}

atf_test_case rsa_transport cleanup
rsa_transport_head() {
	atf_set "descr" "RSA signatures: both certificates from one CA," \
	    "each side names the other's subject as remote-id; the pair is" \
	    "in both SADBs"
	atf_set "require.user" "root"
}
rsa_transport_body() {
	need_root_openssl
	make_ca ca
	make_cert side-a ca
	make_cert side-b ca
	pair_init
	PAIR_AUTH=$(rsa_auth side-a ca)
	{ echo '	remote-id asn1dn "C=US, O=Oakley Test, CN=side-b";'
	  transport_body; } | pair_conf a
	PAIR_AUTH=$(rsa_auth side-b ca)
	{ echo '	remote-id asn1dn "C=US, O=Oakley Test, CN=side-a";'
	  transport_body; } | pair_conf b
	start_and_trigger
	pair_wait_sas a 2
	pair_wait_sas b 2
	pair_check_matched 2
	atf_check -o match:'established \(initiator aes128-cbc-sha1, group 2, RSA signatures, lifetime 28800 s\), remote ID C=US, O=Oakley Test, CN=side-b$' \
	    cat a/oakleyd.log
	atf_check -o match:'established \(responder aes128-cbc-sha1, group 2, RSA signatures, lifetime 28800 s\), remote ID C=US, O=Oakley Test, CN=side-a$' \
	    cat b/oakleyd.log
}
rsa_transport_cleanup() {
	pair_stop
}

atf_test_case rsa_tunnel_pfs cleanup
rsa_tunnel_pfs_head() {
	atf_set "descr" "RSA signatures, tunnel mode between two test" \
	    "networks, quick mode with PFS (group 2): the pair is in both" \
	    "SADBs as tunnel-mode SAs marked PFS, the next packet uses one"
	atf_set "require.user" "root"
}
rsa_tunnel_pfs_body() {
	need_root_openssl
	make_ca ca
	make_cert side-a ca
	make_cert side-b ca
	pair_init
	PAIR_AUTH=$(rsa_auth side-a ca)
	{ echo '	remote-id asn1dn "C=US, O=Oakley Test, CN=side-b";'
	  echo '	phase2 encryption aes256 auth hmac-sha256 pfs modp1024;'
	  echo '	policy local 198.51.100.0/24 remote 203.0.113.0/24 tunnel require;'
	} | pair_conf a
	PAIR_AUTH=$(rsa_auth side-b ca)
	{ echo '	remote-id asn1dn "C=US, O=Oakley Test, CN=side-a";'
	  echo '	phase2 encryption aes256 auth hmac-sha256 pfs modp1024;'
	  echo '	policy local 203.0.113.0/24 remote 198.51.100.0/24 tunnel require;'
	} | pair_conf b
	pair_start
	A=$(pair_addr a)
	B=$(pair_addr b)
	pair_acquire a 198.51.100.5 203.0.113.7 udp 1000 53
	pair_wait_sas a 2
	pair_wait_sas b 2
	pair_check_matched 2
	atf_check -o inline:"2\n" grep -c ' esp mode=tunnel ' sadb.a
	atf_check -o match:"^$A $B esp mode=tunnel " cat sadb.a
	atf_check -o match:"^$B $A esp mode=tunnel " cat sadb.a
	atf_check -o match:'established \(initiator aes128-cbc-sha1, group 2, RSA signatures, lifetime 28800 s\), remote ID C=US, O=Oakley Test, CN=side-b$' \
	    cat a/oakleyd.log
	atf_check -o match:'SAs installed: .*, PFS\)$' cat a/oakleyd.log
	atf_check -o match:'SAs installed: .*, PFS\)$' cat b/oakleyd.log
	$PAIR_D_a > raw.a
	atf_check -o inline:"2\n" grep -c 'flags=0x00000001 state=mature' raw.a
	atf_check -o inline:"2\n" grep -c 'E: aes-cbc' raw.a
	atf_check -o inline:"2\n" grep -c 'A: hmac-sha2-256' raw.a
	out=$(pair_spi a "$A" "$B")
	atf_check -s exit:0 -o inline:"esp spi=$(printf '%u' "$out")\n" \
	    $PAIR_TRAFFIC_a out 198.51.100.9 203.0.113.200 tcp 1000 22 60
}
rsa_tunnel_pfs_cleanup() {
	pair_stop
}

atf_test_case rsa_fqdn_id cleanup
rsa_fqdn_id_head() {
	atf_set "descr" "RSA signatures with FQDN identities: the ID must be" \
	    "a subjectAltName of the certificate"
	atf_set "require.user" "root"
}
rsa_fqdn_id_body() {
	need_root_openssl
	make_ca ca
	make_cert side-a ca DNS:a.example.com
	make_cert side-b ca DNS:b.example.com
	pair_init
	PAIR_AUTH=$(rsa_auth side-a ca)
	{ echo '	local-id fqdn "a.example.com";'
	  echo '	remote-id fqdn "b.example.com";'
	  transport_body; } | pair_conf a
	PAIR_AUTH=$(rsa_auth side-b ca)
	{ echo '	local-id fqdn "b.example.com";'
	  echo '	remote-id fqdn "a.example.com";'
	  transport_body; } | pair_conf b
	start_and_trigger
	pair_wait_sas a 2
	pair_wait_sas b 2
	pair_check_matched 2
}
rsa_fqdn_id_cleanup() {
	pair_stop
}

atf_test_case rsa_untrusted cleanup
rsa_untrusted_head() {
	atf_set "descr" "Side b's certificate comes from another CA: side a" \
	    "refuses it in MM6, no SA is installed anywhere"
	atf_set "require.user" "root"
}
rsa_untrusted_body() {
	need_root_openssl
	make_ca ca
	make_ca rogue
	make_cert side-a ca
	make_cert side-b rogue
	pair_init
	PAIR_RETRANSMIT="interval 1s count 1"
	PAIR_AUTH=$(rsa_auth side-a ca)
	transport_body | pair_conf a
	PAIR_AUTH=$(rsa_auth side-b ca)
	transport_body | pair_conf b
	start_and_trigger
	pair_wait_log a "peer other: its certificate does not verify: unable to get local issuer certificate"
	pair_wait_log a "failed: authentication of the responder failed"
	pair_wait_log a "negotiation failed"
	atf_check -o inline:"No SAD entries.\n" $PAIR_D_a
	atf_check -o inline:"No SAD entries.\n" $PAIR_D_b
}
rsa_untrusted_cleanup() {
	pair_stop
}

atf_test_case rsa_wrong_id cleanup
rsa_wrong_id_head() {
	atf_set "descr" "Side b expects another subject than side a's" \
	    "certificate carries: side b refuses MM5"
	atf_set "require.user" "root"
}
rsa_wrong_id_body() {
	need_root_openssl
	make_ca ca
	make_cert side-a ca
	make_cert side-b ca
	pair_init
	PAIR_RETRANSMIT="interval 1s count 1"
	PAIR_AUTH=$(rsa_auth side-a ca)
	transport_body | pair_conf a
	PAIR_AUTH=$(rsa_auth side-b ca)
	{ echo '	remote-id asn1dn "C=US, O=Oakley Test, CN=somebody-else";'
	  transport_body; } | pair_conf b
	start_and_trigger
	pair_wait_log b "failed: the initiator's identity C=US, O=Oakley Test, CN=side-a is not the one configured"
	pair_wait_log a "negotiation failed"
	atf_check -o inline:"No SAD entries.\n" $PAIR_D_a
	atf_check -o inline:"No SAD entries.\n" $PAIR_D_b
}
rsa_wrong_id_cleanup() {
	pair_stop
}

atf_test_case rsa_id_not_in_cert cleanup
rsa_id_not_in_cert_head() {
	atf_set "descr" "Side a claims an FQDN its certificate does not" \
	    "carry: side b refuses it"
	atf_set "require.user" "root"
}
rsa_id_not_in_cert_body() {
	need_root_openssl
	make_ca ca
	make_cert side-a ca DNS:a.example.com
	make_cert side-b ca
	pair_init
	PAIR_RETRANSMIT="interval 1s count 1"
	PAIR_AUTH=$(rsa_auth side-a ca)
	{ echo '	local-id fqdn "c.example.com";'; transport_body; } |
	    pair_conf a
	PAIR_AUTH=$(rsa_auth side-b ca)
	transport_body | pair_conf b
	start_and_trigger
	pair_wait_log b "peer other: its ID c\.example\.com is not the identity of its certificate C=US, O=Oakley Test, CN=side-a"
	pair_wait_log a "negotiation failed"
	atf_check -o inline:"No SAD entries.\n" $PAIR_D_b
}
rsa_id_not_in_cert_cleanup() {
	pair_stop
}

atf_init_test_cases() {
	atf_add_test_case rsa_transport
	atf_add_test_case rsa_tunnel_pfs
	atf_add_test_case rsa_fqdn_id
	atf_add_test_case rsa_untrusted
	atf_add_test_case rsa_wrong_id
	atf_add_test_case rsa_id_not_in_cert
}
