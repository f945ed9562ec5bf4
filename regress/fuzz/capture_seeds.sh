#!/bin/sh
#
# Regenerate the seeds "real_*" of the fuzz targets from real
# negotiations, and the engine target's "hand_*" seeds from the ISAKMP
# target's hand-made ones:
#
#	sh regress/fuzz/capture_seeds.sh [-k] [DIR]
#
# Run by hand, as root, after "make all"; not by CI.  The seeds it writes
# are committed.  DIR defaults to regress/fuzz/corpus; -k keeps the
# scratch directory (pcaps, logs; charon's hold IKE keys: delete it
# after looking); CAPTURE_RUNS="od charon_r" makes only those runs.
#
# Runs, each captured with tcpdump inside network namespaces made here
# for it (addresses from 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24
# only), at most 400 packets and 90 s each:
#
#   od        oakleyd against oakleyd (regress/lib/pair.subr, both on the
#             loopback of one namespace): PSK, transport mode, DPD every
#             second, then "oakleyctl terminate" (DELETEs)
#   natt      the same with the natt plugin on both (NAT-T vendor IDs,
#             NAT-D payloads; no NAT, so port 500 throughout)
#   winxp     side a a Windows XP (compat_legacy, send-vendor-id winxp:
#             the MS NT5 ISAKMPOAKLEY vendor ID), 3DES; side b "profile
#             auto" (as regress/ike/t_oakleyd_profile.sh does)
#   win7      side a a Windows 7 (compat_modern, send-vendor-id win7,
#             dh2048: AES-256, group 14)
#   charon_i  oakleyd initiating to strongSwan's charon (the set-up of
#             regress/interop/t_oakleyd_charon.sh), aes128-sha256-modp1024,
#             DPD both ways, then charon deletes the SAs
#   charon_r  charon initiating to oakleyd, the same otherwise
#
# charon's kernel-libipsec forces NAT-T: both sides move to port 4500,
# where the 4-byte non-ESP marker is stripped here (the targets' input
# starts at the ISAKMP header); ESP and keepalives are left out.
#
# ISAKMP seeds: each datagram of a run (retransmissions left out) becomes
# DIR/isakmp/real_RUN_MSG, MSG being mm1..mm6, qm1..qm3 (by message ID)
# or info1..info8 (in order; later ones are left out), with "_natd" when
# it carries NAT-D payloads and "_enc" when it is encrypted.
#
# Decrypted bodies, real_charon_{i,r}_MSG[_WHAT]_plain: charon's log (a
# throwaway test charon with "ike = 4" for these runs only) gives the
# phase 1's encryption key Ka; with it, the KE payloads and message IDs
# of the capture this script decrypts each encrypted message offline
# (openssl enc, the IVs of RFC 2409 appendix B): the header as captured
# and the decrypted payloads with their padding, which is what the engine
# decodes (WHAT: _dpd, _dpd_ack, _delete... for informationals).  The
# key never leaves the scratch directory, which is removed at the end.
# oakleyd logs no keys, so the other runs give encrypted messages only.
#
# Engine seeds (DIR/engine/, in fuzz_engine.c's format): each real MM1
# alone; real_RUN_initiator, what the initiator of an oakleyd run sent in
# order (MM1; MM3, MM5, QM1, QM3 with the responder cookie echoed, the
# encrypted ones undecryptable for the engine); real_charon_r_sequence,
# charon's MM1, its MM3 without the NAT-D payloads (the engine's world
# has no natt plugin), then its MM5, QM1, QM3 and informationals as
# plaintexts for the harness to protect (HASH zeroed, padding cut): the
# MM5 establishes the phase 1 for real; real_charon_i_sequence, charon's
# informationals under the harness's established phase 1; hand_NAME, the
# ISAKMP target's hand-made decrypted quick modes and informationals
# likewise.
#
# Only the captures need root: without it (or without Linux, tcpdump,
# openssl, the built programs) the hand_* seeds are still written and the
# script says why it captured nothing, exiting 0.  Without charon (Debian
# strongswan-charon, strongswan-swanctl, libcharon-extra-plugins) the
# charon runs are skipped.  Each run replaces the seeds of its name.

LC_ALL=C
export LC_ALL

keep=no
if [ "${1:-}" = -k ]; then
	keep=yes
	shift
fi
fuzzdir=$(cd "$(dirname "$0")" && pwd)
TOPDIR=$(cd "$fuzzdir/../.." && pwd)
OAKLEY_TOPDIR=$TOPDIR
outdir=${1:-$fuzzdir/corpus}
case $outdir in
/*) ;;
*) outdir=$(pwd)/$outdir ;;
esac

say()
{
	echo "capture_seeds: $*" >&2
}

skip()
{
	say "skipped: $*"
	exit 0
}

# The helpers' atf_* calls, outside atf.
atf_fail()
{
	say "failed: $*"
	exit 1
}
atf_skip()
{
	skip "$*"
}

NS_PREFIX="oak-seeds-$$-"
. "$TOPDIR/regress/lib/netns.subr"
. "$TOPDIR/regress/lib/charon.subr"
. "$TOPDIR/regress/lib/emu.subr"
. "$TOPDIR/regress/lib/pair.subr"

# Why the captures cannot run here (nothing: they can).
capture_blocker()
{
	local p f

	[ "$(uname -s)" = Linux ] || {
		echo "network namespaces are Linux-only"
		return
	}
	[ "$(id -u)" -eq 0 ] || {
		echo "they need root (namespaces, port 500, tcpdump)"
		return
	}
	for p in ip tcpdump timeout openssl; do
		command -v "$p" >/dev/null 2>&1 || {
			echo "$p is not installed"
			return
		}
	done
	for f in daemon/oakleyd daemon/oakleyctl/oakleyctl \
	    pfkey/emu/pfkeyemud pfkey/emu/pfkeyemuctl plugins/natt/natt.so \
	    plugins/compat_legacy/compat_legacy.so \
	    plugins/compat_modern/compat_modern.so \
	    plugins/dh2048/dh2048.so; do
		[ -f "$TOPDIR/$f" ] || {
			echo "$f is not built (make all)"
			return
		}
	done
}

cleanup()
{
	local d

	(
		cd "$work" || exit 0
		ns_cleanup
		for d in */; do
			[ -f "$d/emu.env" ] && (cd "$d" && emu_stop)
		done
	) 2>/dev/null
	if [ "$keep" = no ]; then
		rm -rf "$work"
	else
		say "scratch directory kept: $work (charon logs hold keys)"
	fi
}

CAP_COUNT=400
CAP_SECS=90

# ---- Bytes ----

# The file's bytes as lower-case hex, one line.
bin2hex()
{
	od -An -v -tx1 "$1" | tr -d ' \n'
}

# hex2bin HEX FILE
hex2bin()
{
	# shellcheck disable=SC2059
	printf "$(printf '%s' "$1" | awk '
	BEGIN { d = "0123456789abcdef" }
	{
		for (i = 1; i < length($0); i += 2) {
			v = (index(d, substr($0, i, 1)) - 1) * 16
			v += index(d, substr($0, i + 1, 1)) - 1
			printf "\\%03o", v
		}
	}')" > "$2"
}

# seed TARGET NAME HEX: write DIR/TARGET/NAME.
seed()
{
	mkdir -p "$outdir/$1"
	hex2bin "$3" "$outdir/$1/$2"
	echo "$1/$2 $(( ${#3} / 2 )) bytes"
}

# The UDP datagrams of a capture (IPv4), one line each: SRC SPORT DPORT
# HEX (the payload), in order.
datagrams()
{
	tcpdump -r "$1" -nn -x udp 2>/dev/null | awk "$AWK_ISAKMP"'
	function flush(   ihl, src, sport, dport) {
		if (hex == "")
			return
		ihl = hv(substr(hex, 2, 1)) * 4
		src = hv(substr(hex, 25, 2)) "." hv(substr(hex, 27, 2)) "." \
		    hv(substr(hex, 29, 2)) "." hv(substr(hex, 31, 2))
		sport = hv(substr(hex, ihl * 2 + 1, 4))
		dport = hv(substr(hex, ihl * 2 + 5, 4))
		print src, sport, dport, substr(hex, ihl * 2 + 17)
		hex = ""
	}
	/^[^ \t]/ { flush(); next }
	/^[ \t]+0x[0-9a-f]+:/ {
		for (i = 2; i <= NF; i++)
			hex = hex $i
	}
	END { flush() }'
}

# ---- Naming and decryption ----

# AWK functions over ISAKMP messages in hex.  walk(h) lists the payloads
# of h: NP of them, type PT[i], offset PO[i] (of its generic header, in
# hex digits from 1), length PL[i] (bytes); PEND, the offset after the
# last; FORMED, whether the chain ended inside h.
AWK_ISAKMP='
function hv(s,   i, v) {
	v = 0
	for (i = 1; i <= length(s); i++)
		v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	return v
}
function walk(h,   np, off, len) {
	np = hv(substr(h, 33, 2))
	off = 57
	NP = 0
	FORMED = 0
	while (np != 0) {
		if (off + 8 > length(h) + 1)
			break
		len = hv(substr(h, off + 4, 4))
		if (len < 4)
			break
		PT[++NP] = np
		PO[NP] = off
		PL[NP] = len
		np = hv(substr(h, off, 2))
		off += len * 2
	}
	PEND = off
	FORMED = np == 0 && off - 1 <= length(h)
}
# Is there a payload of type t (in the clear)?
function has(h, t,   i) {
	walk(h)
	for (i = 1; i <= NP; i++)
		if (PT[i] == t)
			return 1
	return 0
}
# The message without what follows its last payload (padding).
function unpad(h) {
	walk(h)
	return FORMED ? substr(h, 1, PEND - 1) : h
}
# The message without its NAT-D payloads (20, or 130 of the drafts).
function drop_natd(h,   i, n, t, b, out) {
	walk(h)
	n = 0
	for (i = 1; i <= NP; i++)
		if (PT[i] != 20 && PT[i] != 130) {
			t[++n] = PT[i]
			b[n] = substr(h, PO[i] + 4, PL[i] * 2 - 4)
		}
	out = ""
	for (i = 1; i <= n; i++)
		out = out sprintf("%02x", i < n ? t[i + 1] : 0) "00" b[i]
	return substr(h, 1, 32) sprintf("%02x", n > 0 ? t[1] : 0) \
	    substr(h, 35, 14) sprintf("%08x", 28 + length(out) / 2) out
}
# The message with the body of each HASH payload made zero.
function zero_hash(h,   i, j, z) {
	walk(h)
	for (i = 1; i <= NP; i++) {
		if (PT[i] != 8)
			continue
		z = ""
		for (j = 8; j < PL[i] * 2; j++)
			z = z "0"
		h = substr(h, 1, PO[i] + 7) z substr(h, PO[i] + PL[i] * 2)
	}
	return h
}
# The body of the first payload of type t ("" if none).
function body_of(h, t,   i) {
	walk(h)
	for (i = 1; i <= NP; i++)
		if (PT[i] == t)
			return substr(h, PO[i] + 8, PL[i] * 2 - 8)
	return ""
}
# 1 if the payloads of a decrypted message end inside it, before at most
# 255 bytes of padding: the key and IV were right.
function well_formed(h) {
	walk(h)
	return FORMED && length(h) - (PEND - 1) <= 510
}
# What an informational (in the clear or decrypted) holds, for its name.
function info_tag(h,   i, t, n) {
	walk(h)
	t = ""
	for (i = 1; i <= NP; i++) {
		if (PT[i] == 11) {
			n = hv(substr(h, PO[i] + 20, 4))
			t = t (n == 36136 ? "_dpd" : n == 36137 ? "_dpd_ack" : \
			    n == 24578 ? "_initial_contact" : "_notify" n)
		} else if (PT[i] == 12)
			t = t (hv(substr(h, PO[i] + 16, 2)) == 1 ? \
			    "_delete_isakmp" : "_delete")
	}
	return t
}
'

# name_run RUN < datagrams: "NAME SRC HEX" per message kept: the marker
# stripped on port 4500, ESP, keepalives and copies left out.
name_run()
{
	awk -v run="$1" "$AWK_ISAKMP"'
	{
		h = $4
		if ($2 == 4500 || $3 == 4500) {
			if (substr(h, 1, 8) != "00000000")
				next
			h = substr(h, 9)
		}
		if (length(h) < 56 || seen[h]++)
			next
		cky = substr(h, 1, 16)
		ex = hv(substr(h, 37, 2))
		enc = hv(substr(h, 39, 2)) % 2
		if (ex == 2)
			m = "mm" (++mm[cky])
		else if (ex == 32)
			m = "qm" (++qm[cky substr(h, 41, 8)])
		else if (ex == 5 && info < 8)
			m = "info" (++info)
		else if (ex == 5)
			next		# more DPD: enough
		else
			m = "x" ex "_" (++other)
		if (!enc && (has(h, 20) || has(h, 130)))
			m = m "_natd"
		if (enc)
			m = m "_enc"
		print "real_" run "_" m, $1, h
	}'
}

# The hash (openssl dgst name) of hex data, hex.
digest_hex()
{
	hex2bin "$2" "$work/dg.bin"
	openssl dgst -"$1" -binary "$work/dg.bin" | od -An -v -tx1 |
	    tr -d ' \n'
}

# cbc_decrypt CIPHER KEY IV HEX: the plaintext, hex.
cbc_decrypt()
{
	hex2bin "$4" "$work/ct.bin"
	openssl enc -d -"$1" -nopad -K "$2" -iv "$3" -in "$work/ct.bin" |
	    od -An -v -tx1 | tr -d ' \n'
}

# decrypt_run NAMED KEY CIPHER HASH BLOCK: each encrypted message of the
# named list (name_run's output) decrypted, "NAME SRC HEX ENCNAME":
# NAME ends in _plain, after what an informational holds (_dpd,
# _delete...); ENCNAME is the encrypted message's.  RFC 2409 appendix
# B: the phase-1 IV is hash(g^xi | g^xr), then the last cipher block of
# the previous message; an exchange under the phase 1 starts with
# hash(last phase-1 block | message ID) and goes on from each message's
# last block.
decrypt_run()
{
	local named="$1" key="$2" cipher="$3" hash="$4" block="$5"
	local name src h gxi="" gxr="" iv="" p1last="" hdr body
	local pt msgid ivs ex ke cur last tag

	ivs="$work/ivs"
	: > "$ivs"
	while read -r name src h; do
		ex=$(printf '%s' "$h" | cut -c 37-38)
		case $name in
		*_mm3*|*_mm4*)
			# KE is payload 4; its body, from the message.
			ke=$(printf '%s\n' "$h" |
			    awk "$AWK_ISAKMP"'{ print body_of($0, 4) }')
			case $name in
			*_mm3*)	gxi=$ke ;;
			*)	gxr=$ke ;;
			esac
			continue ;;
		esac
		case $name in
		*_enc) ;;
		*) continue ;;
		esac
		hdr=$(printf '%s' "$h" | cut -c 1-56)
		body=$(printf '%s' "$h" | cut -c 57-)
		msgid=$(printf '%s' "$h" | cut -c 41-48)
		if [ "$ex" = 02 ]; then
			if [ -z "$iv" ]; then
				iv=$(digest_hex "$hash" "$gxi$gxr" |
				    cut -c 1-$((block * 2)))
			fi
			cur=$iv
		else
			cur=$(awk -v m="$msgid" '$1 == m { print $2 }' "$ivs" |
			    tail -n 1)
			[ -n "$cur" ] || cur=$(digest_hex "$hash" \
			    "$p1last$msgid" | cut -c 1-$((block * 2)))
		fi
		pt=$(cbc_decrypt "$cipher" "$key" "$cur" "$body") || continue
		if [ "$(printf '%s\n' "$hdr$pt" |
		    awk "$AWK_ISAKMP"'{ print well_formed($0) }')" != 1 ]; then
			say "$name does not decrypt to a message; left out"
			continue
		fi
		tag=""
		[ "$ex" != 05 ] || tag=$(printf '%s\n' "$hdr$pt" |
		    awk "$AWK_ISAKMP"'{ print info_tag($0) }')
		echo "${name%_enc}${tag}_plain $src $hdr$pt $name"
		last=$(printf '%s' "$body" | awk -v b="$block" \
		    '{ print substr($0, length($0) - b * 2 + 1) }')
		if [ "$ex" = 02 ]; then
			iv=$last
			p1last=$last
		else
			echo "$msgid $last" >> "$ivs"
		fi
	done < "$named"
}

# ---- Captures ----

# capture NSHOST IF TAG: start tcpdump for IKE (500, 4500) on IF.
capture()
{
	ns_capture "$1" "$3" "$2" "$CAP_COUNT" "$CAP_SECS" \
	    udp port 500 or udp port 4500
}

capture_end()
{
	# Let the last datagrams reach the file, then stop tcpdump.
	sleep 1
	ns_bg_stop "$1.tcpdump"
}

# A run failed: what it started goes, the next run starts afresh.
run_failed()
{
	say "run $1 failed"
	(
		cd "$work/$1" || exit 0
		ns_cleanup
		[ ! -f emu.env ] || emu_stop
	) 2>/dev/null
}

# ---- oakleyd against oakleyd ----

OD_A=192.0.2.10
OD_B=192.0.2.11

# Inside the pair's namespace (this script again, "--pair RUN DIR").
pair_inside()
{
	local run="$1" ga="" gb="" body_a body_b policy s p

	cd "$2" || exit 1
	pair_init
	PAIR_A_ADDR=$OD_A
	PAIR_B_ADDR=$OD_B
	printf 'PAIR_PORT=500\nPAIR_A_ADDR=%s\nPAIR_B_ADDR=%s\n' \
	    "$OD_A" "$OD_B" > pair.env
	for s in a b; do
		for p in natt compat_legacy compat_modern dh2048; do
			cp "$TOPDIR/plugins/$p/$p.so" "$s/"
			chmod 644 "$s/$p.so"
		done
	done
	policy="	policy local @SELF@ remote @OTHER@ transport require;"
	body_a="	dpd interval 1s retries 2;
$policy"
	body_b=$body_a
	case $run in
	natt)	ga="plugin natt;"
		gb="plugin natt;" ;;
	winxp)	ga="plugin compat_legacy { send-vendor-id winxp; }"
		gb="plugin dh2048; plugin compat_legacy; plugin compat_modern;"
		body_a="	profile legacy;
	phase1 encryption 3des hash sha1 group modp1024;
	phase2 encryption 3des auth hmac-sha1;
$policy"
		body_b="	profile auto;
$policy" ;;
	win7)	ga="plugin dh2048;
plugin compat_modern { send-vendor-id win7; }"
		gb="plugin dh2048; plugin compat_legacy; plugin compat_modern;"
		body_a="	profile modern;
	phase2 encryption aes256 auth hmac-sha256;
$policy"
		body_b="	profile auto;
$policy" ;;
	esac
	PAIR_GLOBAL=$ga
	printf '%s\n' "$body_a" | pair_conf a
	PAIR_GLOBAL=$gb
	printf '%s\n' "$body_b" | pair_conf b
	trap pair_stop EXIT
	pair_start
	pair_traffic a out "$OD_A" "$OD_B" tcp 40000 80 100 > acquire.out
	pair_wait_sas a 2
	pair_wait_sas b 2
	case $run in
	od|natt)
		pair_wait_log a "R-U-THERE-ACK [0-9]+ from other"
		pair_ctl a terminate other > terminate.out
		pair_wait_log b "peer other deleted its ISAKMP SA" ;;
	esac
	pair_stop
}

run_pair()
{
	local run="$1" d

	d="$work/$run"
	mkdir -p "$d"
	(
		cd "$d" || exit 1
		ns_add p
		ns_addr p lo "$OD_A/32"
		ns_addr p lo "$OD_B/32"
		capture p lo cap
		ns_exec p sh "$fuzzdir/capture_seeds.sh" --pair "$run" "$d" \
		    > pair.out 2>&1 || {
			tail -n 30 pair.out a/oakleyd.log b/oakleyd.log >&2
			exit 1
		}
		capture_end cap
		ns_cleanup
	) || { run_failed "$run"; return 1; }
	datagrams "$d/cap.pcap" | name_run "$run" > "$d/named"
	say "run $run: $(wc -l < "$d/named") messages"
}

# ---- oakleyd against charon ----

O_ADDR=192.0.2.1
C_ADDR=192.0.2.2
O_NET=198.51.100.0/24
O_IN=198.51.100.1
C_NET=203.0.113.0/24
C_IN=203.0.113.1
C_PSK="interop test key, not a secret"

run_charon()
{
	local run="$1" who="$2" d

	d="$work/$run"
	mkdir -p "$d/plugins"
	(
		cd "$d" || exit 1
		ns_add o
		ns_add c
		ns_link o eth0 "$O_ADDR/24" c eth0 "$C_ADDR/24"
		ns_addr c lo "$C_IN/32"
		emu_start
		cp "$TOPDIR/plugins/natt/natt.so" plugins/
		chmod 644 plugins/natt.so
		cat > oakleyd.conf <<EOF
pfkey "unix:$EMU_SOCK";
control-socket "$d/ctl.sock";
pidfile "$d/oakleyd.pid";
plugin-dir "$d/plugins";
log-level debug;
listen $O_ADDR port 500 natt-port 4500;
plugin natt {
	assume-udp-encapsulation-context-on-send-rule 1;
}
peer charon {
	address $C_ADDR;
	local-address $O_ADDR;
	auth psk "$C_PSK";
	phase1 encryption aes128 hash sha256 group modp1024;
	phase2 encryption aes128 auth hmac-sha256;
	retransmit interval 1s count 4;
	dpd interval 2s retries 3;
	policy local $O_NET remote $C_NET tunnel require;
}
EOF
		capture o eth0 cap
		ns_bg o oakleyd "$TOPDIR/daemon/oakleyd" -d -f "$d/oakleyd.conf"
		wait_for 10 test -S ctl.sock || atf_fail "oakleyd did not start"
		# The IKE keys at level 4 (this charon's log only).
		CHARON_LOG="default = 1
			ike = 4
			cfg = 1
			chd = 1
			knl = 1
			net = 1
			enc = 1"
		charon_start c C
		charon_peer C name=t local="$C_ADDR" remote="$O_ADDR" \
		    local_ts="$C_NET" remote_ts="$O_NET" \
		    ike=aes128-sha256-modp1024 esp=aes128-sha256 \
		    psk="$C_PSK" dpd_delay=2s
		if [ "$who" = od ]; then
			"$EMUCTL" -t "$EMU_TRAFFIC" out "$O_IN" "$C_IN" tcp \
			    40000 80 100 > acquire.out
		else
			charon_initiate C t 20 ||
			    atf_fail "charon could not initiate"
		fi
		charon_child_wait C t 20 || atf_fail "no CHILD SA at charon"
		# A DPD round or two each way, then charon deletes everything.
		sleep 3
		charon_terminate C t 10 || atf_fail "charon could not terminate"
		sleep 2
		capture_end cap
		cp charon-C/charon.log charon.log
		charon_stop C
		ns_cleanup
		emu_stop
	) || { run_failed "$run"; return 1; }
	datagrams "$d/cap.pcap" | name_run "$run" > "$d/named"
	say "run $run: $(wc -l < "$d/named") messages"
}

# The phase 1's encryption key from charon's log: "encryption key Ka"
# (charon's keymat_v1 at level 4) as one hex string.
charon_key()
{
	awk '
	/encryption key Ka/ { on = 1; key = ""; next }
	on && /^[0-9:]+ [0-9]+\[IKE\] +[0-9]+: / {
		# Up to 16 bytes a line, then the same as text.
		for (i = 4; i < 20 && i <= NF && $i ~ /^[0-9A-F][0-9A-F]$/; i++)
			key = key tolower($i)
		next
	}
	on { on = 0; print key; exit }' "$1"
}

# ---- Seeds from the runs ----

# The seeds of an earlier capture of RUN (or of the hand_* seeds) go.
forget()
{
	rm -f "$outdir/isakmp/$1"* "$outdir/engine/$1"*
}

seeds_isakmp()
{
	local name src h

	while read -r name src h; do
		seed isakmp "$name" "$h"
	done < "$1"
}

# An engine record (fuzz_engine.c): CTL and the message (hex).
record()
{
	printf '%02x%04x%s' "$1" $(( ${#2} / 2 )) "$2"
}

# seeds_engine_sequence RUN: each MM1 alone, and what the initiator sent
# in order (MM1; MM3, MM5, QM1, QM3 with the responder cookie echoed).
seeds_engine_sequence()
{
	local run="$1" seq="00" name src h

	while read -r name src h; do
		case $name in
		*_mm1)	seed engine "$name" "00$(record 0 "$h")"
			seq="$seq$(record 0 "$h")" ;;
		*_mm3*|*_mm5*|*_qm1*|*_qm3*)
			seq="$seq$(record 4 "$h")" ;;
		esac
	done < "$work/$run/named"
	[ "$seq" = 00 ] || seed engine "real_${run}_initiator" "$seq"
}

# A plaintext for the harness to protect: padding cut, HASH bodies zero.
for_protect()
{
	printf '%s\n' "$1" | awk "$AWK_ISAKMP"'{ print zero_hash(unpad($0)) }'
}

# seeds_engine_charon RUN: charon_r (charon initiates): charon's MM1 as
# sent, its MM3 without the NAT-D payloads (the world has no natt
# plugin), its MM5, QM1, QM3 and informationals as plaintexts to protect
# under the newest phase 1, which that MM5 establishes;
# charon_i (oakleyd initiates): charon's informationals under the
# harness's established phase 1.  Each MM1 alone too.
seeds_engine_charon()
{
	local run="$1" seq ctl name src h plain

	case $run in
	charon_r) seq="00" ctl=5 ;;
	*) seq="01" ctl=3 ;;
	esac
	while read -r name src h; do
		case $name in
		*_mm1) seed engine "$name" "00$(record 0 "$h")" ;;
		esac
		[ "$src" = "$C_ADDR" ] || continue
		case $run:$name in
		charon_r:*_mm1)
			seq="$seq$(record 0 "$h")"
			continue ;;
		charon_r:*_mm3*)
			h=$(printf '%s\n' "$h" |
			    awk "$AWK_ISAKMP"'{ print drop_natd($0) }')
			seq="$seq$(record 4 "$h")"
			continue ;;
		charon_r:*_enc|*_info*_enc) ;;
		*) continue ;;
		esac
		plain=$(awk -v n="$name" '$4 == n { print $3 }' \
		    "$work/$run/plain")
		[ -n "$plain" ] || continue
		seq="$seq$(record "$ctl" "$(for_protect "$plain")")"
	done < "$work/$run/named"
	seed engine "real_${run}_sequence" "$seq"
}

# Is RUN among $CAPTURE_RUNS (default: all)?
wanted()
{
	case " ${CAPTURE_RUNS:-od natt winxp win7 charon_i charon_r} " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

# The hand-made decrypted quick-mode and informational seeds of the
# ISAKMP target (not real_*) as engine seeds under the established phase
# 1 of the harness, to be protected (their HASH filled in): engine/hand_*.
seeds_engine_hand()
{
	local f h

	forget hand_
	for f in "$fuzzdir"/corpus/isakmp/qm*_* \
	    "$fuzzdir"/corpus/isakmp/info_*; do
		[ -f "$f" ] || continue
		h=$(bin2hex "$f")
		h=$(for_protect "$h")
		seed engine "hand_${f##*/}" "01$(record 3 "$h")"
	done
}

main()
{
	local r name src h key blocker

	work=$(mktemp -d "${TMPDIR:-/tmp}/oakley-seeds.XXXXXX") || exit 1
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	cd "$work" || exit 1
	mkdir -p "$outdir/isakmp" "$outdir/engine"
	seeds_engine_hand
	blocker=$(capture_blocker)
	[ -z "$blocker" ] || skip "no captures: $blocker"
	require_root_netns
	for r in od natt winxp win7; do
		wanted "$r" || continue
		run_pair "$r" || continue
		forget "real_${r}_"
		seeds_isakmp "$work/$r/named"
		seeds_engine_sequence "$r"
	done
	if (charon_require) > "$work/charon_require.out" 2>&1 &&
	    ! grep -q skipped "$work/charon_require.out"; then
		for r in charon_i charon_r; do
			wanted "$r" || continue
			case $r in
			charon_i) run_charon "$r" od || continue ;;
			*) run_charon "$r" charon || continue ;;
			esac
			forget "real_${r}_"
			seeds_isakmp "$work/$r/named"
			key=$(charon_key "$work/$r/charon.log")
			if [ -z "$key" ]; then
				say "run $r: no key in charon's log:" \
				    "nothing decrypted"
				continue
			fi
			decrypt_run "$work/$r/named" "$key" aes-128-cbc sha256 \
			    16 > "$work/$r/plain"
			while read -r name src h _; do
				seed isakmp "$name" "$h"
			done < "$work/$r/plain"
			seeds_engine_charon "$r"
		done
	else
		say "charon runs skipped: $(cat "$work/charon_require.out")"
	fi
}

if [ "${1:-}" = --pair ]; then
	# This script again, inside the pair's namespace (run_pair).
	pair_inside "$2" "$3"
	exit $?
fi
main
