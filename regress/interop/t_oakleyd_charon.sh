#! /usr/bin/env atf-sh
#
# oakleyd against strongSwan's charon (IKEv1), each in a network
# namespace of its own, laid out as the end of regress/lib/charon.subr
# describes:
#
#   namespace o: eth0 192.0.2.1             namespace c: eth0 192.0.2.2
#     oakleyd, IKE on 192.0.2.1:500/4500       charon (kernel-libipsec),
#     its PF_KEY: unix:$EMU_SOCK              lo 203.0.113.1/32
#   pfkeyemud outside the namespaces (a unix socket is reached by path)
#   tunnel mode: 198.51.100.0/24 (oakleyd's side) <-> 203.0.113.0/24
#
# Each case negotiates main mode with a pre-shared key and quick mode ESP
# in tunnel mode, oakleyd initiating (a pfkeyemuctl traffic command makes
# the ACQUIRE) or responding (swanctl --initiate), and checks that both
# sides agree: the IKE SA's algorithms, the CHILD SA's SPIs (charon's
# inbound SPI is oakleyd's outbound one and the other way round), the
# algorithms and the keys (charon's from its log, charon_log_keys;
# oakleyd's from pfkeyemud, oakleyctl -D), and "oakleyctl show peers"
# counts the phase 1 and the two SAs.  The delete_* cases end the SAs
# from either side with informational DELETEs, qm_responder_rekey has
# oakleyd answer charon's quick mode (a CHILD SA rekey) and the dpd_*
# cases run dead peer detection (RFC 3706) each way.
#
# charon's kernel-libipsec fakes a NAT, so every case runs NAT-T (RFC
# 3947, port 4500, UDP-encapsulated tunnel mode: esp-udp SAs with ports
# 4500 in oakleyd's SADB), whichever side initiates.

TOPDIR=@TOPDIR@
OAKLEY_TOPDIR=$TOPDIR
. "$TOPDIR/regress/lib/netns.subr"
. "$TOPDIR/regress/lib/charon.subr"
. "$TOPDIR/regress/lib/sadb.subr"
. "$TOPDIR/regress/lib/emu.subr"
OAKLEYD=$TOPDIR/daemon/oakleyd
OAKLEYCTL=$TOPDIR/daemon/oakleyctl/oakleyctl

O_ADDR=192.0.2.1
C_ADDR=192.0.2.2
O_NET=198.51.100.0/24
O_IN=198.51.100.1
C_NET=203.0.113.0/24
C_IN=203.0.113.1
PSK="interop test key, not a secret"

# Plugins oakleyd loads from ./plugins (copies: the plugin host wants
# files owned by root and not writable by others).
od_plugins()
{
	local p

	mkdir -p plugins
	for p in "$@"; do
		[ -f "$TOPDIR/plugins/$p/$p.so" ] ||
		    atf_skip "plugins/$p/$p.so is not built"
		cp "$TOPDIR/plugins/$p/$p.so" plugins/
		chmod 644 "plugins/$p.so"
	done
}

# od_conf PHASE1 PHASE2 PLUGIN...: oakleyd.conf for the peer charon.
od_conf()
{
	local p1="$1" p2="$2" p

	shift 2
	{
		cat <<EOF
pfkey "unix:$EMU_SOCK";
control-socket "$PWD/ctl.sock";
pidfile "$PWD/oakleyd.pid";
plugin-dir "$PWD/plugins";
log-level debug;
listen $O_ADDR port 500 natt-port 4500;
EOF
		for p in "$@"; do
			case $p in
			# charon's kernel-libipsec fakes a NAT on its side:
			# oakleyd, initiating, must accept a responder
			# behind a NAT.
			natt)	echo "plugin natt {"
				echo "	assume-udp-encapsulation-context-on-send-rule 1;"
				echo "}" ;;
			*)	echo "plugin $p;" ;;
			esac
		done
		cat <<EOF
peer charon {
	address $C_ADDR;
	local-address $O_ADDR;
	auth psk "$PSK";
	phase1 $p1;
	phase2 $p2;
	retransmit interval 1s count 4;
	policy local $O_NET remote $C_NET tunnel require;
	${OD_PEER_EXTRA:-}
}
EOF
	} > oakleyd.conf
}

_od_ready()
{
	[ -s oakleyd.pid ] && [ -S ctl.sock ]
}

# od_start: oakleyd in namespace o (ns_cleanup stops it by PID).
od_start()
{
	ns_bg o oakleyd "$OAKLEYD" -d -f "$PWD/oakleyd.conf"
	if ! wait_for 10 _od_ready; then
		cat oakleyd.err >&2
		atf_fail "oakleyd did not start in namespace o"
	fi
}

od_ctl()
{
	"$OAKLEYCTL" -S "$PWD/ctl.sock" "$@"
}

od_sadb()
{
	"$OAKLEYCTL" -s "unix:$EMU_SOCK" -D
}

# setup IKE ESP OD_PHASE1 OD_PHASE2 PLUGIN...: namespaces, pfkeyemud,
# oakleyd and charon with connection "t".
setup()
{
	local ike="$1" esp="$2" p1="$3" p2="$4"

	shift 4
	require_root_netns
	charon_require
	[ -x "$EMUD" ] && [ -x "$OAKLEYD" ] && [ -x "$OAKLEYCTL" ] ||
	    atf_skip "pfkeyemud, oakleyd or oakleyctl is not built"
	ns_add o
	ns_add c
	ns_link o eth0 "$O_ADDR/24" c eth0 "$C_ADDR/24"
	ns_addr c lo "$C_IN/32"
	emu_start
	od_plugins "$@"
	od_conf "$p1" "$p2" "$@"
	od_start
	charon_start c C
	charon_peer C name=t local="$C_ADDR" remote="$O_ADDR" \
	    local_ts="$C_NET" remote_ts="$O_NET" ike="$ike" esp="$esp" \
	    psk="$PSK" ${CHARON_EXTRA:-}
}

# negotiate od|odctl|charon: the side named initiates CHILD SA t (od by
# an ACQUIRE, odctl by "oakleyctl initiate"); charon installs it and
# oakleyd holds the pair in pfkeyemud.
negotiate()
{
	case $1 in
	od)	atf_check -s exit:0 -o match:'^acquire seq=[0-9]+$' \
		    "$EMUCTL" -t "$EMU_TRAFFIC" out "$O_IN" "$C_IN" tcp \
		    40000 80 100 ;;
	odctl)	atf_check -s exit:0 -o match:'negotiation started' \
		    "$OAKLEYCTL" -S "$PWD/ctl.sock" initiate charon ;;
	charon)	charon_initiate C t 20 || {
			show_logs
			cat charon-C/initiate.out >&2
			atf_fail "charon could not initiate CHILD SA t"
		} ;;
	esac
	charon_child_wait C t 20 || {
		show_logs
		atf_fail "charon has no CHILD SA t installed"
	}
	wait_for 10 od_mature 2 || {
		show_logs
		od_sadb >&2
		atf_fail "oakleyd's SADB does not hold 2 mature SAs"
	}
}

od_mature()
{
	[ "$(od_sadb | grep -c 'state=mature')" -eq "$1" ]
}

show_logs()
{
	echo "=== oakleyd" >&2
	tail -n 60 oakleyd.err >&2
	echo "=== charon" >&2
	grep -v '\[CHD\]\|vici' charon-C/charon.log | tail -n 60 >&2
}

ike()
{
	charon_sa_field C ike "$1" t
}

child()
{
	charon_sa_field C child "$1" t
}

# check_ike INITIATOR ENCR KEYSIZE INTEG PRF DH OD_SUITE OD_GROUP: the
# phase 1 as charon lists it and as oakleyd logged it.
check_ike()
{
	local role

	atf_check_equal ESTABLISHED "$(ike state)"
	atf_check_equal 1 "$(ike version)"
	if [ "$1" != charon ]; then
		atf_check_equal no "$(ike initiator)"
		role=initiator
	else
		atf_check_equal yes "$(ike initiator)"
		role=responder
	fi
	atf_check_equal "$C_ADDR" "$(ike local-host)"
	atf_check_equal "$O_ADDR" "$(ike remote-host)"
	atf_check_equal "$O_ADDR" "$(ike remote-id)"
	atf_check_equal "$2" "$(ike encr-alg)"
	atf_check_equal "$3" "$(ike encr-keysize)"
	atf_check_equal "$4" "$(ike integ-alg)"
	atf_check_equal "$5" "$(ike prf-alg)"
	atf_check_equal "$6" "$(ike dh-group)"
	atf_check -o match:"phase 1 #[0-9]+ with charon .*: established \($role $7, group $8, pre-shared key," \
	    cat oakleyd.err
	# charon's faked NAT: oakleyd, either role, moved to port 4500.
	atf_check -o match:'plugin natt: peer charon:? moved to the NAT-T port' \
	    cat oakleyd.err
	atf_check_equal 4500 "$(ike remote-port)"
}

# check_child ENCR KEYSIZE INTEG DH ENC-KEYLEN AUTH-KEYLEN: the CHILD SA
# as charon lists it, then charon's two SAs (SPIs, addresses, mode,
# algorithms, the keys from its log) against oakleyd's two in pfkeyemud.
check_child()
{
	local spi_in spi_out

	atf_check_equal INSTALLED "$(child state)"
	atf_check_equal TUNNEL "$(child mode)"
	atf_check_equal ESP "$(child protocol)"
	atf_check_equal "$C_NET" "$(child local-ts)"
	atf_check_equal "$O_NET" "$(child remote-ts)"
	atf_check_equal "$1" "$(child encr-alg)"
	atf_check_equal "$2" "$(child encr-keysize)"
	atf_check_equal "$3" "$(child integ-alg)"
	atf_check_equal "$4" "$(child dh-group)"
	spi_in=$(child spi-in)
	spi_out=$(child spi-out)
	[ "$spi_in" != "$spi_out" ] || atf_fail "SPI in = SPI out: $spi_in"
	# Cross-matched: charon's inbound SPI is oakleyd's outbound one.
	atf_check -o match:"SAs installed: in 0x0*$spi_out, out 0x0*$spi_in " \
	    cat oakleyd.err

	charon_child_sas C t | sort > charon.sas
	od_sadb > sadb.txt
	sadb_sas sadb.txt | sort > oakleyd.sas
	cat charon.sas
	atf_check_equal 2 "$(wc -l < charon.sas)"
	atf_check -o file:charon.sas cat oakleyd.sas
	# NAT-T: both of oakleyd's SAs UDP-encapsulated, port 4500 each end.
	atf_check -o inline:"2\n" grep -c \
	    '^192\.0\.2\.[12]\[4500\] 192\.0\.2\.[12]\[4500\]$' sadb.txt
	sa_keys_check charon.sas "$5" "$6" || atf_fail "wrong keys"
}

# check_peers ACQUIRES [PHASE1 PHASE2]: the row of oakleyctl show peers
# for charon (by default one phase 1 and two phase-2 SAs).
check_peers()
{
	od_ctl show peers > peers.txt
	cat peers.txt
	awk -v acq="$1" -v p1="${2:-1}" -v p2="${3:-2}" -v addr="$C_ADDR" '
	NR == 1 {
		for (i = 1; i <= NF; i++)
			col[$i] = i
		next
	}
	$1 == "charon" {
		seen = 1
		if ($col["ADDRESS"] != addr || $col["ACQUIRES"] != acq ||
		    $col["PHASE1"] != p1 || $col["PHASE2"] != p2)
			bad = 1
	}
	END { exit !(seen && !bad) }' peers.txt ||
	    atf_fail "show peers: charon's row is not $1 ACQUIREs," \
	    "${2:-1} phase 1 and ${3:-2} phase-2 SAs"
}

cleanup_all()
{
	ns_cleanup
	emu_stop
}

# The cases: NAME INITIATOR CHARON-IKE CHARON-ESP OD-PHASE1 OD-PHASE2
# PLUGINS, then what both must agree on.
run_aes128_sha256()
{
	setup aes128-sha256-modp1024 aes128-sha256 \
	    "encryption aes128 hash sha256 group modp1024" \
	    "encryption aes128 auth hmac-sha256" natt
	negotiate "$1"
	check_ike "$1" AES_CBC 128 HMAC_SHA2_256_128 PRF_HMAC_SHA2_256 \
	    MODP_1024 aes128-cbc-sha256 2
	check_child AES_CBC 128 HMAC_SHA2_256_128 - 32 64
}

run_3des_sha1()
{
	setup 3des-sha1-modp1024 3des-sha1 \
	    "encryption 3des hash sha1 group modp1024" \
	    "encryption 3des auth hmac-sha1" natt
	negotiate "$1"
	check_ike "$1" 3DES_CBC - HMAC_SHA1_96 PRF_HMAC_SHA1 MODP_1024 \
	    3des-cbc-sha1 2
	check_child 3DES_CBC - HMAC_SHA1_96 - 48 40
}

run_modp2048_pfs()
{
	setup aes128-sha256-modp2048 aes128-sha256-modp2048 \
	    "encryption aes128 hash sha256 group modp2048" \
	    "encryption aes128 auth hmac-sha256 pfs modp2048" natt dh2048
	negotiate "$1"
	check_ike "$1" AES_CBC 128 HMAC_SHA2_256_128 PRF_HMAC_SHA2_256 \
	    MODP_2048 aes128-cbc-sha256 14
	check_child AES_CBC 128 HMAC_SHA2_256_128 MODP_2048 32 64
	atf_check -o match:'SAs installed: .*, PFS\)$' cat oakleyd.err
}

# RFC 5903 groups (plugin dh_ecp): ECP_256 in main mode, ECP_384 for PFS;
# the KE payloads (x || y) and secrets (x alone) as both sides size them.
run_ecp_pfs()
{
	setup aes128-sha256-ecp256 aes128-sha256-ecp384 \
	    "encryption aes128 hash sha256 group ecp256" \
	    "encryption aes128 auth hmac-sha256 pfs ecp384" natt dh_ecp
	negotiate "$1"
	check_ike "$1" AES_CBC 128 HMAC_SHA2_256_128 PRF_HMAC_SHA2_256 \
	    ECP_256 aes128-cbc-sha256 19
	check_child AES_CBC 128 HMAC_SHA2_256_128 ECP_384 32 64
	atf_check -o match:'SAs installed: .*, PFS\)$' cat oakleyd.err
	atf_check -o match:'DH group 19 \(ecp256\): 64-byte KE, 32-byte g\^xy$' \
	    cat oakleyd.err
	atf_check -o match:'PFS with DH group 20 \(ecp384\): 96-byte KE, 48-byte g\^xy$' \
	    cat oakleyd.err
}

# AES-GCM in quick mode (RFC 4106): ESP transform 20 with a Key Length
# and no Authentication Algorithm, PFS with group 2; the keys are 20
# bytes (the AES-128 key and the 4-byte salt) and there is no auth key.
run_aes128gcm16()
{
	setup aes128-sha256-modp1024 aes128gcm16-modp1024 \
	    "encryption aes128 hash sha256 group modp1024" \
	    "encryption aes128gcm16 pfs modp1024" natt
	negotiate "$1"
	check_ike "$1" AES_CBC 128 HMAC_SHA2_256_128 PRF_HMAC_SHA2_256 \
	    MODP_1024 aes128-cbc-sha256 2
	check_child AES_GCM_16 128 - MODP_1024 40 0
	atf_check -o match:'SAs installed: .* \(aes-gcm-16, none, [0-9]+ s, PFS\)$' \
	    cat oakleyd.err
	atf_check -o inline:"2\n" grep -c ' enc=aes-gcm-16 .* auth=none auth-key=-$' \
	    oakleyd.sas
}

atf_test_case od_init_aes128_sha256 cleanup
od_init_aes128_sha256_head()
{
	atf_set descr "oakleyd initiates (ACQUIRE): main mode" \
	    "aes128-sha256-modp1024, quick mode ESP aes128-sha256, tunnel;" \
	    "both hold the same SAs; show peers counts them"
	atf_set require.user root
	atf_set timeout 120
}
od_init_aes128_sha256_body()
{
	run_aes128_sha256 od
	check_peers 1
}
od_init_aes128_sha256_cleanup()
{
	cleanup_all
}

atf_test_case od_resp_aes128_sha256 cleanup
od_resp_aes128_sha256_head()
{
	atf_set descr "charon initiates (swanctl --initiate): main mode" \
	    "aes128-sha256-modp1024, quick mode ESP aes128-sha256, tunnel"
	atf_set require.user root
	atf_set timeout 120
}
od_resp_aes128_sha256_body()
{
	run_aes128_sha256 charon
	check_peers 0
}
od_resp_aes128_sha256_cleanup()
{
	cleanup_all
}

atf_test_case od_init_3des_sha1 cleanup
od_init_3des_sha1_head()
{
	atf_set descr "oakleyd initiates: main mode 3des-sha1-modp1024," \
	    "quick mode ESP 3des-sha1, tunnel"
	atf_set require.user root
	atf_set timeout 120
}
od_init_3des_sha1_body()
{
	run_3des_sha1 od
	check_peers 1
}
od_init_3des_sha1_cleanup()
{
	cleanup_all
}

atf_test_case od_resp_3des_sha1 cleanup
od_resp_3des_sha1_head()
{
	atf_set descr "charon initiates: main mode 3des-sha1-modp1024," \
	    "quick mode ESP 3des-sha1, tunnel"
	atf_set require.user root
	atf_set timeout 120
}
od_resp_3des_sha1_body()
{
	run_3des_sha1 charon
	check_peers 0
}
od_resp_3des_sha1_cleanup()
{
	cleanup_all
}

atf_test_case od_init_modp2048_pfs cleanup
od_init_modp2048_pfs_head()
{
	atf_set descr "oakleyd (plugin dh2048) initiates: modp2048 in main" \
	    "mode and as the quick-mode PFS group"
	atf_set require.user root
	atf_set timeout 120
}
od_init_modp2048_pfs_body()
{
	run_modp2048_pfs od
	check_peers 1
}
od_init_modp2048_pfs_cleanup()
{
	cleanup_all
}

atf_test_case od_resp_modp2048_pfs cleanup
od_resp_modp2048_pfs_head()
{
	atf_set descr "charon initiates to oakleyd (plugin dh2048): modp2048" \
	    "in main mode and as the quick-mode PFS group"
	atf_set require.user root
	atf_set timeout 120
}
od_resp_modp2048_pfs_body()
{
	run_modp2048_pfs charon
	check_peers 0
}
od_resp_modp2048_pfs_cleanup()
{
	cleanup_all
}

atf_test_case od_init_ecp_pfs cleanup
od_init_ecp_pfs_head()
{
	atf_set descr "oakleyd (plugin dh_ecp) initiates: ecp256 in main" \
	    "mode, ecp384 as the quick-mode PFS group"
	atf_set require.user root
	atf_set timeout 120
}
od_init_ecp_pfs_body()
{
	run_ecp_pfs od
	check_peers 1
}
od_init_ecp_pfs_cleanup()
{
	cleanup_all
}

atf_test_case od_init_aes128gcm16 cleanup
od_init_aes128gcm16_head()
{
	atf_set descr "oakleyd initiates: quick mode ESP AES-128-GCM-16" \
	    "with PFS (modp1024), tunnel; charon and pfkeyemud hold the" \
	    "same SAs, keys of key and salt, no auth key"
	atf_set require.user root
	atf_set timeout 120
}
od_init_aes128gcm16_body()
{
	run_aes128gcm16 od
	check_peers 1
}
od_init_aes128gcm16_cleanup()
{
	cleanup_all
}

atf_test_case od_resp_ecp_pfs cleanup
od_resp_ecp_pfs_head()
{
	atf_set descr "charon initiates to oakleyd (plugin dh_ecp): ecp256" \
	    "in main mode, ecp384 as the quick-mode PFS group"
	atf_set require.user root
	atf_set timeout 120
}
od_resp_ecp_pfs_body()
{
	run_ecp_pfs charon
	check_peers 0
}
od_resp_ecp_pfs_cleanup()
{
	cleanup_all
}

atf_test_case od_resp_aes128gcm16 cleanup
od_resp_aes128gcm16_head()
{
	atf_set descr "charon initiates: oakleyd answers a quick mode" \
	    "ESP AES-128-GCM-16 with PFS (modp1024), tunnel"
	atf_set require.user root
	atf_set timeout 120
}
od_resp_aes128gcm16_body()
{
	run_aes128gcm16 charon
	check_peers 0
}
od_resp_aes128gcm16_cleanup()
{
	cleanup_all
}

od_empty()
{
	od_sadb | grep -q '^No SAD entries\.$'
}

atf_test_case delete_from_od cleanup
delete_from_od_head()
{
	atf_set descr "oakleyctl terminate: oakleyd's DELETEs remove the" \
	    "CHILD SA and the IKE SA in charon, and its own SAs"
	atf_set require.user root
	atf_set timeout 120
}
delete_from_od_body()
{
	run_aes128_sha256 od
	atf_check -o ignore -e ignore "$OAKLEYCTL" -S "$PWD/ctl.sock" terminate charon
	charon_wait_no_sa C 10 || {
		show_logs
		charon_sas C >&2
		atf_fail "charon still holds an SA"
	}
	wait_for 10 od_empty || atf_fail "oakleyd's SADB is not empty"
	grep -q 'received DELETE for IKE_SA t\[1\]' charon-C/charon.log ||
	    atf_fail "charon did not log the DELETE of its IKE SA"
	check_peers 1 0 0
}
delete_from_od_cleanup()
{
	cleanup_all
}

atf_test_case delete_from_charon cleanup
delete_from_charon_head()
{
	atf_set descr "swanctl --terminate: charon's DELETEs remove" \
	    "oakleyd's SAs and phase 1"
	atf_set require.user root
	atf_set timeout 120
}
delete_from_charon_body()
{
	run_aes128_sha256 od
	child spi-in > spi.in
	charon_terminate C t 10 || {
		cat charon-C/terminate.out >&2
		atf_fail "swanctl --terminate failed"
	}
	wait_for 10 od_empty || {
		show_logs
		od_sadb >&2
		atf_fail "oakleyd's SADB is not empty"
	}
	atf_check -o match:"peer charon deleted SA 0x0*$(cat spi.in): pair in" \
	    cat oakleyd.err
	atf_check -o match:"peer charon deleted its ISAKMP SA" cat oakleyd.err
	check_peers 1 0 0
}
delete_from_charon_cleanup()
{
	cleanup_all
}

# The CHILD SA of charon's with that uniqueid, as "sa" lines like
# charon_child_sas (which takes the first CHILD SA of a name).
child_spis_of()
{
	charon_sas C | awk -v id="uniqueid=$1" '
	$1 == "child" && $4 == id {
		for (i = 2; i <= NF; i++) {
			p = index($i, "=")
			v[substr($i, 1, p - 1)] = substr($i, p + 1)
		}
		print v["spi-in"], v["spi-out"], v["state"]
	}'
}

_charon_has_child()
{
	[ "$(child_spis_of "$1" | awk '{ print $3 }')" = INSTALLED ]
}

atf_test_case qm_responder_rekey cleanup
qm_responder_rekey_head()
{
	atf_set descr "oakleyd answers charon's quick mode: charon rekeys" \
	    "the CHILD SA on oakleyd's phase 1; the new SAs match"
	atf_set require.user root
	atf_set timeout 120
}
qm_responder_rekey_body()
{
	run_aes128_sha256 od
	charon_swanctl C --rekey --child t > rekey.out 2>&1 ||
	    { cat rekey.out >&2; atf_fail "swanctl --rekey failed"; }
	wait_for 20 _charon_has_child 2 || {
		show_logs
		atf_fail "charon has no new CHILD SA"
	}
	wait_for 10 od_mature 4 || {
		show_logs
		atf_fail "oakleyd's SADB does not hold the old and the new pair"
	}
	set -- $(child_spis_of 2)
	atf_check -o match:"responding for policy 1 \(tunnel mode, SPI in 0x0*$2, out 0x0*$1\)" \
	    cat oakleyd.err
	atf_check -o match:"SAs installed: in 0x0*$2, out 0x0*$1 " \
	    cat oakleyd.err
	# Both SAs' keys: charon's log against pfkeyemud.
	charon_log_keys C "$1" "$2" | sort > charon.keys
	od_sadb > sadb.txt
	sadb_sas sadb.txt "$1" "$2" |
	    sed 's/.* spi=\([^ ]*\) .* enc-key=\([^ ]*\) .* auth-key=\([^ ]*\)$/spi=\1 enc-key=\2 auth-key=\3/' |
	    sort > oakleyd.keys
	cat charon.keys
	atf_check_equal 2 "$(grep -c 'enc-key=[0-9a-f]\{32\} auth-key=[0-9a-f]\{64\}$' charon.keys)"
	atf_check -o file:charon.keys cat oakleyd.keys
	check_peers 1 1 4
}
qm_responder_rekey_cleanup()
{
	cleanup_all
}

_od_log_count()
{
	[ "$(grep -c -- "$1" oakleyd.err)" -ge "$2" ]
}

atf_test_case dpd_from_od cleanup
dpd_from_od_head()
{
	atf_set descr "oakleyd's DPD (RFC 3706): charon answers each" \
	    "R-U-THERE; once charon is cut off, oakleyd finds it dead" \
	    "and removes its SAs"
	atf_set require.user root
	atf_set timeout 120
}
dpd_from_od_body()
{
	OD_PEER_EXTRA="dpd interval 1s retries 3;"
	run_aes128_sha256 od
	wait_for 10 _od_log_count 'R-U-THERE-ACK [0-9]* from charon' 2 || {
		show_logs
		atf_fail "charon does not answer oakleyd's R-U-THERE"
	}
	# charon silenced (stopped, it would send DELETEs first).
	atf_check ip -n "$(ns_name c)" link set eth0 down
	wait_for 20 od_empty || {
		show_logs
		atf_fail "oakleyd kept the SAs of a dead peer"
	}
	atf_check -o match:'peer charon is dead \(3 R-U-THERE unanswered\)' \
	    cat oakleyd.err
	check_peers 1 0 0
}
dpd_from_od_cleanup()
{
	cleanup_all
}

atf_test_case dpd_from_charon cleanup
dpd_from_charon_head()
{
	atf_set descr "charon's DPD: oakleyd answers each R-U-THERE with" \
	    "R-U-THERE-ACK"
	atf_set require.user root
	atf_set timeout 120
}
dpd_from_charon_body()
{
	CHARON_EXTRA="dpd_delay=1s"
	run_aes128_sha256 od
	wait_for 10 _od_log_count 'sending R-U-THERE-ACK to charon' 2 || {
		show_logs
		atf_fail "oakleyd does not answer charon's R-U-THERE"
	}
	wait_for 5 _charon_acks 2 || {
		show_logs
		atf_fail "charon did not read 2 R-U-THERE-ACKs"
	}
	atf_check_equal ESTABLISHED "$(ike state)"
}
dpd_from_charon_cleanup()
{
	cleanup_all
}

_charon_acks()
{
	[ "$(charon_dpd_acks C)" -ge "$1" ]
}

atf_test_case od_ctl_initiate cleanup
od_ctl_initiate_head()
{
	atf_set descr "oakleyctl initiate: oakleyd starts main and quick" \
	    "mode without an ACQUIRE (3des-sha1)"
	atf_set require.user root
	atf_set timeout 120
}
od_ctl_initiate_body()
{
	run_3des_sha1 odctl
	atf_check -o match:'phase 1 #1 with charon .*: starting main mode' \
	    cat oakleyd.err
	atf_check -o not-match:'ACQUIRE' cat oakleyd.err
	check_peers 0
}
od_ctl_initiate_cleanup()
{
	cleanup_all
}

atf_test_case proposal_choice cleanup
proposal_choice_head()
{
	atf_set descr "oakleyd offers aes128-sha256 then 3des-sha1 in both" \
	    "phases; charon, configured for 3des-sha1 only, picks the" \
	    "second and both use it"
	atf_set require.user root
	atf_set timeout 120
}
proposal_choice_body()
{
	OD_PEER_EXTRA="phase1 encryption 3des hash sha1 group modp1024;
	    phase2 encryption 3des auth hmac-sha1;"
	setup 3des-sha1-modp1024 3des-sha1 \
	    "encryption aes128 hash sha256 group modp1024" \
	    "encryption aes128 auth hmac-sha256" natt
	negotiate od
	atf_check -o match:'received proposals: IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_1024, IKE:3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024$' \
	    cat charon-C/charon.log
	atf_check -o match:'received proposals: ESP:AES_CBC_128/HMAC_SHA2_256_128/NO_EXT_SEQ, ESP:3DES_CBC/HMAC_SHA1_96/NO_EXT_SEQ$' \
	    cat charon-C/charon.log
	check_ike od 3DES_CBC - HMAC_SHA1_96 PRF_HMAC_SHA1 MODP_1024 \
	    3des-cbc-sha1 2
	check_child 3DES_CBC - HMAC_SHA1_96 - 48 40
	check_peers 1
}
proposal_choice_cleanup()
{
	cleanup_all
}

atf_init_test_cases()
{
	atf_add_test_case od_init_aes128_sha256
	atf_add_test_case od_resp_aes128_sha256
	atf_add_test_case od_init_3des_sha1
	atf_add_test_case od_resp_3des_sha1
	atf_add_test_case od_init_modp2048_pfs
	atf_add_test_case od_resp_modp2048_pfs
	atf_add_test_case od_init_ecp_pfs
	atf_add_test_case od_resp_ecp_pfs
	atf_add_test_case od_init_aes128gcm16
	atf_add_test_case od_resp_aes128gcm16
	atf_add_test_case od_ctl_initiate
	atf_add_test_case proposal_choice
	atf_add_test_case delete_from_od
	atf_add_test_case delete_from_charon
	atf_add_test_case qm_responder_rekey
	atf_add_test_case dpd_from_od
	atf_add_test_case dpd_from_charon
}
