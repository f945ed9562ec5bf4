#!/bin/sh
#
# Benchmark of the IKE engine: main mode + quick mode handshakes per
# second between two oakleyd on this machine, each on its own pfkeyemud.
# Every handshake is a distinct phase 1: N peers, each pair of peers on
# its own pair of loopback addresses, all started at once by one burst of
# ACQUIREs.  What is negotiated is what charon_pair.sh has the charons
# negotiate: pre-shared key, AES-128/SHA2-256 with the group, ESP
# AES-128/HMAC-SHA2-256, no PFS; for group 2 (modp1024, built in) with
# BENCH_IKE_PEERS peers (default 250) and for group 14 (modp2048, the
# dh2048 plugin loaded on both sides) with BENCH_IKE_PEERS_2048 (default
# 150).  Unlike charon_pair.sh: transport mode over loopback (no
# namespaces, no NAT-T).  The count stays below the responder's cap on
# half-open phase 1s (256), so the burst measures handshakes, not
# refusals and retransmissions.  Three rounds a group on the same two
# daemons, the best counts; between rounds "oakleyctl terminate" removes
# every phase 1 and SA.  Each wait is bounded (60 s).
#
# Reference, from the same run: the Diffie-Hellman operations per second
# OpenSSL does for the group, as bench_dh measured them ("dh.GROUP.openssl"
# in $BENCH_RESULTS; one operation = a key pair and a derivation, one
# side of one exchange).  Started alone, without those lines, bench_ike
# runs bench_dh for them.  A handshake needs two such operations (one a
# side), so "DH operations' worth of time per handshake" is at least 2 on
# one core; two daemons on two cores can go lower.  Nothing here judges
# the figures.  With BENCH_RESULTS set (run.sh), appends
# "handshake.oakleyd.GROUP RATE" there.

TOPDIR=@TOPDIR@
OAKLEY_TOPDIR=$TOPDIR
. "$TOPDIR/regress/lib/pair.subr"
BENCHTOOL=$TOPDIR/regress/bench/benchtool
BENCH_DH=$TOPDIR/regress/bench/bench_dh
ROUNDS=3
WAIT_STEPS=3000		# 0.02 s each: 60 s

atf_fail() {
	echo "bench_ike: $*" >&2
	exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/oakley-bench.XXXXXX") || exit 1
cleanup() {
	cd "$work" && pair_stop
	cd / && rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cd "$work" || exit 1

[ "$(id -u)" -eq 0 ] || PAIR_PORT=$((20000 + $$ % 20000))
pair_init
# Peer k of side a is 127.253.X.Y, of side b 127.254.X.Y (up to 1000).
block=$(($$ % 60 * 4))
addr() {
	echo "127.$1.$((block + ($2 - 1) / 250)).$((($2 - 1) % 250 + 1))"
}

# bench_conf SIDE SELF_NET OTHER_NET N GROUP: SIDE/oakleyd.conf.
bench_conf() {
	local side="$1" self="$2" other="$3" n="$4" group="$5" dir k

	dir="$(pwd)/${side}"
	{
		echo "pfkey \"unix:${dir}/emu.sock\";"
		echo "control-socket \"${dir}/ctl.sock\";"
		echo "pidfile \"${dir}/oakleyd.pid\";"
		echo "plugin-dir \"${TOPDIR}/plugins/dh2048\";"
		[ "$group" = modp1024 ] || echo "plugin dh2048;"
		echo "log-level notice;"
		k=1
		while [ "$k" -le "$n" ]; do
			echo "listen $(addr "$self" "$k") port ${PAIR_PORT};"
			k=$((k + 1))
		done
		k=1
		while [ "$k" -le "$n" ]; do
			cat <<EOC
peer p$k {
	address $(addr "$other" "$k") port ${PAIR_PORT};
	local-address $(addr "$self" "$k");
	auth psk "bench secret $k";
	retransmit interval 2s count 3;
	phase1 encryption aes128 hash sha256 group $group;
	phase2 encryption aes128 auth hmac-sha256;
	policy local $(addr "$self" "$k") remote $(addr "$other" "$k") transport require;
}
EOC
			k=$((k + 1))
		done
	} > "${side}/oakleyd.conf"
}

count_mature() {
	pair_sadb "$1" | grep -c 'state=mature'
}

# Until side $1 holds $2 mature SAs; bounded.
wait_mature() {
	local i=0

	while [ "$(count_mature "$1")" -lt "$2" ]; do
		i=$((i + 1))
		[ "$i" -le "$WAIT_STEPS" ] || atf_fail "side $1 never reached $2 SAs"
		sleep 0.02
	done
}

wait_empty() {
	local i=0

	until pair_sadb "$1" | grep -q '^No SAD entries'; do
		i=$((i + 1))
		[ "$i" -le "$WAIT_STEPS" ] || atf_fail "side $1 keeps its SAs"
		sleep 0.02
	done
}

# one_round N: the seconds N handshakes took.
one_round() {
	local n="$1" k t0 t1

	k=1
	: > burst
	while [ "$k" -le "$n" ]; do
		echo "out $(addr 253 "$k") $(addr 254 "$k") tcp 40000 80 100" >> burst
		k=$((k + 1))
	done
	t0=$("$BENCHTOOL" now)
	pair_traffic a < burst > /dev/null
	wait_mature b $((2 * n))
	wait_mature a $((2 * n))
	t1=$("$BENCHTOOL" now)
	k=1
	while [ "$k" -le "$n" ]; do
		pair_ctl a terminate "p$k" > /dev/null
		k=$((k + 1))
	done
	wait_empty a
	wait_empty b
	echo "$t0 $t1" | awk '{ printf "%.3f\n", $2 - $1 }'
}

# The value of key $1 in results file $2, or nothing.
result_in() {
	[ -f "$2" ] || return 0
	awk -v k="$1" '$1 == k { v = $2 } END { print v }' "$2"
}

# The OpenSSL DH reference for group $1: bench_dh's of this run (in
# $BENCH_RESULTS), else bench_dh run once here for both groups.
dh_reference() {
	local key="dh.$1.openssl" v

	v=$(result_in "$key" "${BENCH_RESULTS:-/nonexistent}")
	if [ -z "$v" ] && [ ! -f "$work/dh.results" ]; then
		BENCH_RESULTS="$work/dh.results" "$BENCH_DH" \
		    "$TOPDIR/plugins/dh2048" > /dev/null || return 1
	fi
	[ -n "$v" ] || v=$(result_in "$key" "$work/dh.results")
	echo "${v:--}"
}

# bench GROUP N: best of ROUNDS on a fresh pair of daemons.
bench() {
	local group="$1" n="$2" r=1 secs best="" rate dh

	rm -rf a b
	mkdir a b
	bench_conf a 253 254 "$n" "$group"
	bench_conf b 254 253 "$n" "$group"
	pair_start
	while [ "$r" -le "$ROUNDS" ]; do
		secs=$(one_round "$n") || return 1
		echo "    round $r: $n handshakes in $secs s"
		best=$(echo "${best:-$secs} $secs" | awk '{
		    print ($1 < $2) ? $1 : $2 }')
		r=$((r + 1))
	done
	pair_stop
	rate=$(echo "$n $best" | awk '{ printf "%.1f", $1 / $2 }')
	printf '  %-8s oakleyd<->oakleyd %8s handshakes/s   (%d in %s s)\n' \
	    "$group" "$rate" "$n" "$best"
	[ -z "${BENCH_RESULTS:-}" ] ||
	    echo "handshake.oakleyd.$group $rate" >> "${BENCH_RESULTS}"
	dh=$(dh_reference "$group") || return 1
	echo "$rate $dh" | awk -v g="$group" '$2 != "-" {
	    printf "  %-8s reference: OpenSSL DH %s ops/s; a handshake costs" \
	    " the time of %.2f DH ops (2 per handshake are DH)\n", g, $2,
	    $2 / $1 }'
}

echo "bench_ike: IKEv1 main + quick mode handshakes between two oakleyd," \
    "PSK, aes128-sha256-GROUP,"
echo "  ESP aes128-sha256 transport, no PFS; N distinct phase 1s at once," \
    "best of $ROUNDS"
status=0
bench modp1024 "${BENCH_IKE_PEERS:-250}" || status=1
if [ -f "$TOPDIR/plugins/dh2048/dh2048.so" ]; then
	bench modp2048 "${BENCH_IKE_PEERS_2048:-150}" || status=1
else
	echo "  modp2048 not measured: plugins/dh2048/dh2048.so is not built"
fi
exit "$status"
