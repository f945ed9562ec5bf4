#! /usr/bin/env atf-sh
#
# "profile auto" end to end, oakleyd against oakleyd on loopback
# (regress/lib/pair.subr).  Side a plays a Windows host: a compat plugin
# sends the MS NT5 ISAKMPOAKLEY vendor ID of a release and a's peer uses
# that release's profile.  Side b loads both compat plugins and says
# "profile auto" for a: after the negotiation "oakleyctl show peers" on b
# names the profile the vendor ID chose and why, and what b negotiated
# (algorithms, lifetimes, idle timeout) is that profile's, not b's own
# configuration's.  Side a offers more than the profile allows, in an
# order b's plain configuration would answer differently, so only the
# applied profile explains b's choice.

TOPDIR=@TOPDIR@
OAKLEY_TOPDIR=$TOPDIR
. "$TOPDIR/regress/lib/pair.subr"
LC_ALL=C
export LC_ALL

IKETOOL=$TOPDIR/regress/ike/iketool

# The plugins into each side's plugin directory (its own directory).
copy_plugins() {
	local s p

	for s in a b; do
		for p in compat_legacy compat_modern dh2048; do
			cp "$TOPDIR/plugins/$p/$p.so" "$s/" ||
			    atf_fail "plugin $p is not built"
			chmod 644 "$s/$p.so"
		done
	done
}

# Side b: "profile auto" for a, nothing else about proposals.
auto_body() {
	cat <<'EOF'
	profile auto;
	policy local @SELF@ remote @OTHER@ transport require;
EOF
}

# profile_pair A_GLOBAL A_BODY: side a with its plugins and peer body
# (from stdin of pair_conf), side b with compat_legacy, compat_modern
# and dh2048, profile auto; both started.
profile_pair() {
	pair_need_root
	pair_init
	copy_plugins
	PAIR_GLOBAL="$1"
	printf '%s\n' "$2" | pair_conf a
	PAIR_GLOBAL="plugin dh2048; plugin compat_legacy; plugin compat_modern;"
	auto_body | pair_conf b
	PAIR_GLOBAL=""
	pair_start
	A=$(pair_addr a)
	B=$(pair_addr b)
}

# The PROFILE column of side $1's peer "other", then its whole row (the
# FLAGS, last, hold spaces).
peer_row() {
	pair_ctl "$1" show peers | awk '$1 == "other" { print $3; print }'
}

# check_auto PROFILE EVIDENCE_REGEX VERSION: side b's "show peers" says
# auto:PROFILE, with the evidence and the Windows version among the flags.
check_auto() {
	peer_row b > row
	atf_check -o inline:"auto:$1\n" sed -n 1p row
	atf_check -o match:"[ ,]profile=\"$1\"" \
	    -o match:"profile\\.evidence=\"$2\"" \
	    -o match:"windows\\.version=$3" sed -n 2p row
}

atf_test_case auto_legacy cleanup
auto_legacy_head() {
	atf_set "descr" "A Windows XP vendor ID makes side b apply profile" \
	    "legacy: show peers says auto:legacy with the evidence; b chose" \
	    "3DES/SHA1 in both phases and imposed 3600 s / 100000 KB and" \
	    "the 300 s idle timeout"
	atf_set "require.user" "root"
}
auto_legacy_body() {
	profile_pair "plugin compat_legacy { send-vendor-id winxp; }" "
	profile legacy;
	phase1 encryption aes128 hash sha1 group modp1024;
	phase1 encryption 3des hash sha1 group modp1024;
	phase2 encryption aes128 auth hmac-sha1 lifetime 8h;
	phase2 encryption 3des auth hmac-sha1 lifetime 8h;
	policy local @SELF@ remote @OTHER@ transport require;"
	pair_establish
	check_auto legacy 'MS NT5 ISAKMPOAKLEY v3 \(Windows XP\) -> legacy' 3
	atf_check -o match:'peer other: MS NT5 ISAKMPOAKLEY v3 \(Windows XP\) -> legacy' \
	    cat b/oakleyd.log
	# Main mode: legacy's 3DES/SHA1/group 2, 480 minutes (b's own
	# configuration would take a's first proposal, AES-128).
	atf_check -o match:'established \(responder 3des-cbc-sha1, group 2, pre-shared key, lifetime 28800 s\)' \
	    cat b/oakleyd.log
	# Quick mode: 3DES/HMAC-SHA1, 1 h and 100,000 KB told to a.
	atf_check -o match:'RESPONDER-LIFETIME 3600 s, 100000 KB' \
	    cat b/oakleyd.log
	atf_check -o match:'SAs installed: .* \(3des-cbc, hmac-sha1, 3600 s, idle 300 s\)$' \
	    cat b/oakleyd.log
	atf_check -o inline:"2\n" grep -Ec ' E=3des-cbc:[0-9a-f]{48} A=hmac-sha1:[0-9a-f]{40} state=mature' sadb.b
	pair_check_hard 2 3600 102400000 a b
}
auto_legacy_cleanup() {
	pair_stop
}

atf_test_case auto_modern cleanup
auto_modern_head() {
	atf_set "descr" "A Windows 7 vendor ID makes side b apply profile" \
	    "modern: show peers says auto:modern; b accepts the one main" \
	    "mode proposal, AES-256/SHA2-256 with group 14 (b's own" \
	    "configuration would refuse it), chooses AES-256/HMAC-SHA2-256" \
	    "in quick mode, 3600 s / 100000 KB"
	atf_set "require.user" "root"
}
auto_modern_body() {
	profile_pair "plugin dh2048; plugin compat_modern { send-vendor-id win7; }" "
	profile modern;
	phase2 encryption 3des auth hmac-sha1 lifetime 8h;
	phase2 encryption aes256 auth hmac-sha256 lifetime 8h;
	policy local @SELF@ remote @OTHER@ transport require;"
	pair_establish
	check_auto modern 'MS NT5 ISAKMPOAKLEY v7 \(Windows 7\) -> modern' 7
	atf_check -o match:'established \(responder aes256-cbc-sha256, group 14, pre-shared key, lifetime 28800 s\)' \
	    cat b/oakleyd.log
	atf_check -o match:'SAs installed: .* \(aes-cbc, hmac-sha2-256, 3600 s, idle 300 s\)$' \
	    cat b/oakleyd.log
	atf_check -o inline:"2\n" grep -Ec ' E=aes-cbc:[0-9a-f]{64} A=hmac-sha2-256:[0-9a-f]{64} state=mature' sadb.b
	pair_check_hard 2 3600 102400000 a b
}
auto_modern_cleanup() {
	pair_stop
}

atf_test_case auto_initiator cleanup
auto_initiator_head() {
	atf_set "descr" "Side b with profile auto initiates: it learns the" \
	    "profile from a's MM2 (Windows XP) and offers legacy's quick" \
	    "mode, 3DES/HMAC-SHA1, which is all a accepts"
	atf_set "require.user" "root"
}
auto_initiator_body() {
	pair_need_root
	pair_init
	copy_plugins
	PAIR_GLOBAL="plugin compat_legacy { send-vendor-id winxp; }"
	printf '\tprofile legacy;\n\tpolicy local @SELF@ remote @OTHER@ transport require;\n' |
	    pair_conf a
	# b's main mode offers AES-128 and 3DES; its quick mode is left to
	# the profile (the default, AES-128, is not what a accepts).
	PAIR_GLOBAL="plugin compat_legacy; plugin compat_modern;"
	printf '\tprofile auto;\n\tphase1 encryption aes128 hash sha1 group modp1024;\n\tphase1 encryption 3des hash sha1 group modp1024;\n\tpolicy local @SELF@ remote @OTHER@ transport require;\n' |
	    pair_conf b
	PAIR_GLOBAL=""
	pair_start
	A=$(pair_addr a)
	B=$(pair_addr b)
	pair_acquire b "$B" "$A" tcp 40000 80
	pair_wait_sas b 2
	pair_wait_sas a 2
	pair_check_matched 2
	peer_row b > row
	atf_check -o inline:'auto:legacy\n' sed -n 1p row
	atf_check -o match:'established \(initiator 3des-cbc-sha1, group 2,' \
	    cat b/oakleyd.log
	atf_check -o inline:"2\n" grep -Ec ' E=3des-cbc:[0-9a-f]{48} A=hmac-sha1:[0-9a-f]{40} state=mature' sadb.b
	atf_check -o match:'SAs installed: .* \(3des-cbc, hmac-sha1, 3600 s, idle 300 s\)$' \
	    cat b/oakleyd.log
	pair_sadb b > raw.b
	atf_check -o inline:"2\n" grep -c 'hard: 102400000(bytes)' raw.b
}
auto_initiator_cleanup() {
	pair_stop
}

atf_test_case auto_not_windows cleanup
auto_not_windows_head() {
	atf_set "descr" "A peer without the MS vendor ID: side b records" \
	    "profile default with that evidence and negotiates with its own" \
	    "configuration (AES-128, no byte lifetime, no idle timeout)"
	atf_set "require.user" "root"
}
auto_not_windows_body() {
	profile_pair "" "
	phase1 encryption aes128 hash sha1 group modp1024;
	phase1 encryption 3des hash sha1 group modp1024;
	policy local @SELF@ remote @OTHER@ transport require;"
	pair_establish
	peer_row b > row
	atf_check -o inline:'auto:default\n' sed -n 1p row
	atf_check -o match:'profile\.evidence="no MS NT5 ISAKMPOAKLEY vendor ID -> default"' \
	    sed -n 2p row
	atf_check -o match:'established \(responder aes128-cbc-sha1, group 2,' \
	    cat b/oakleyd.log
	atf_check -o match:'SAs installed: .* \(aes-cbc, hmac-sha1, 3600 s\)$' \
	    cat b/oakleyd.log
	pair_sadb b > raw.b
	atf_check -o inline:"2\n" grep -c 'hard: 0(bytes)' raw.b
}
auto_not_windows_cleanup() {
	pair_stop
}

# ms_status_run PLUGINS BODY: side a alone, iketool on b's address
# answers a's MM1 with an unprotected Windows status notify (12345,
# error code 13801) and counts what a sends after it (answer.out).
ms_status_run() {
	pair_need_root
	pair_init
	copy_plugins
	PAIR_GLOBAL="$1"
	printf '%s\n' "$2" | pair_conf a
	PAIR_GLOBAL=""
	pair_emu_start a
	pair_od_start a
	A=$(pair_addr a)
	B=$(pair_addr b)
	"$IKETOOL" answer -b "$B" -p "$PAIR_PORT" -N 12345 -d 13801 \
	    -w 2500 > answer.out &
	echo $! > iketool.bgpid
	pair_acquire
	wait "$(cat iketool.bgpid)"
	rm -f iketool.bgpid
	cat answer.out
}

ms_status_cleanup() {
	[ ! -f iketool.bgpid ] || kill "$(cat iketool.bgpid)" 2>/dev/null
	pair_stop
}

atf_test_case ms_status_quirk cleanup
ms_status_quirk_head() {
	atf_set "descr" "Profile legacy (quirk MS_STATUS): an unprotected" \
	    "Windows status notify answering side a's MM1 is logged with its" \
	    "error code and ignored; a keeps retransmitting its MM1"
	atf_set "require.user" "root"
}
ms_status_quirk_body() {
	ms_status_run "plugin compat_legacy;" "
	profile legacy;
	policy local @SELF@ remote @OTHER@ transport require;"
	atf_check -o match:'^answered icookie=[0-9a-f]{16} type=12345$' \
	    -o match:'^then received [1-9]' cat answer.out
	atf_check -o match:'unprotected Windows status notify from other: error code 13801; ignored' \
	    -o match:'retransmitting main mode message' \
	    -o not-match:'unprotected UNKNOWN' cat a/oakleyd.log
}
ms_status_quirk_cleanup() {
	ms_status_cleanup
}

atf_test_case ms_status_plain cleanup
ms_status_plain_head() {
	atf_set "descr" "Without a profile the same notify is an error" \
	    "answering side a's MM1: that main mode ends at once"
	atf_set "require.user" "root"
}
ms_status_plain_body() {
	ms_status_run "" "
	policy local @SELF@ remote @OTHER@ transport require;"
	atf_check -o match:'^then received 0$' cat answer.out
	atf_check -o not-match:'Windows status notify' \
	    -o not-match:'retransmitting' cat a/oakleyd.log
	pair_wait_log a "negotiation failed"
}
ms_status_plain_cleanup() {
	ms_status_cleanup
}

atf_init_test_cases() {
	atf_add_test_case ms_status_quirk
	atf_add_test_case ms_status_plain
	atf_add_test_case auto_legacy
	atf_add_test_case auto_modern
	atf_add_test_case auto_initiator
	atf_add_test_case auto_not_windows
}
