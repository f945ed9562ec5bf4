#!/bin/sh
#
# Benchmark of the IKE engine: main mode + quick mode handshakes per
# second between two oakleyd on this machine, each on its own pfkeyemud,
# every handshake a distinct phase 1 (BENCH_IKE_PEERS peers, default 100,
# each pair of peers on its own pair of loopback addresses, all started
# at once by one burst of ACQUIREs; pre-shared key, AES-128/SHA1, group
# 2, ESP AES-128/HMAC-SHA1).  Three rounds, the best counts; between
# rounds "oakleyctl terminate" removes every phase 1 and SA.
#
# Reference, measured in the same run: OpenSSL's Diffie-Hellman
# operations per second for group 2 (benchtool dh).  A handshake needs
# four (a key and a derivation on each side), so the figure printed last,
# DH operations' worth of time per handshake, is at least 4 on one core;
# two daemons on two cores can go lower.  Nothing here judges the figures.

TOPDIR=@TOPDIR@
OAKLEY_TOPDIR=$TOPDIR
. "$TOPDIR/regress/lib/pair.subr"
BENCHTOOL=$TOPDIR/regress/bench/benchtool
PEERS=${BENCH_IKE_PEERS:-100}
ROUNDS=3

atf_fail() {
	echo "bench_ike: $*" >&2
	exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/oakley-bench.XXXXXX")
cleanup() {
	cd "$work" && pair_stop
	cd / && rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cd "$work" || exit 1

[ "$(id -u)" -eq 0 ] || PAIR_PORT=$((20000 + $$ % 20000))
pair_init
net="127.254.$(($$ % 256))"

# side SELF_BASE OTHER_BASE: SIDE/oakleyd.conf with PEERS peers.
bench_conf() {
	local side="$1" self="$2" other="$3" dir k

	dir="$(pwd)/${side}"
	{
		echo "pfkey \"unix:${dir}/emu.sock\";"
		echo "control-socket \"${dir}/ctl.sock\";"
		echo "pidfile \"${dir}/oakleyd.pid\";"
		echo "plugin-dir \"${dir}\";"
		echo "log-level notice;"
		k=1
		while [ "$k" -le "$PEERS" ]; do
			echo "listen ${net}.$((self + k)) port ${PAIR_PORT};"
			k=$((k + 1))
		done
		k=1
		while [ "$k" -le "$PEERS" ]; do
			cat <<EOC
peer p$k {
	address ${net}.$((other + k)) port ${PAIR_PORT};
	local-address ${net}.$((self + k));
	auth psk "bench secret $k";
	retransmit interval 2s count 3;
	phase1 encryption aes128 hash sha1 group modp1024;
	phase2 encryption aes128 auth hmac-sha1;
	policy local ${net}.$((self + k)) remote ${net}.$((other + k)) transport require;
}
EOC
			k=$((k + 1))
		done
	} > "${side}/oakleyd.conf"
}

count_mature() {
	pair_sadb "$1" | grep -c 'state=mature'
}

# Until side $1 holds $2 mature SAs; bounded (60 s).
wait_mature() {
	local i=0

	while [ "$(count_mature "$1")" -lt "$2" ]; do
		i=$((i + 1))
		[ "$i" -le 6000 ] || atf_fail "side $1 never reached $2 SAs"
		sleep 0.01
	done
}

wait_empty() {
	local i=0

	until pair_sadb "$1" | grep -q '^No SAD entries'; do
		i=$((i + 1))
		[ "$i" -le 6000 ] || atf_fail "side $1 keeps its SAs"
		sleep 0.01
	done
}

bench_conf a 10 130
bench_conf b 130 10
pair_start

best=""
round=1
while [ "$round" -le "$ROUNDS" ]; do
	k=1
	: > burst
	while [ "$k" -le "$PEERS" ]; do
		echo "out ${net}.$((10 + k)) ${net}.$((130 + k)) tcp 40000 80 100" \
		    >> burst
		k=$((k + 1))
	done
	t0=$("$BENCHTOOL" now)
	pair_traffic a < burst > /dev/null
	wait_mature b $((2 * PEERS))
	wait_mature a $((2 * PEERS))
	t1=$("$BENCHTOOL" now)
	rate=$(echo "$PEERS $t0 $t1" | awk '{ printf "%.1f", $1 / ($3 - $2) }')
	echo "round $round: $PEERS handshakes in $(echo "$t0 $t1" |
	    awk '{ printf "%.3f", $2 - $1 }') s: $rate handshakes/s"
	if [ -z "$best" ] || awk -v a="$rate" -v b="$best" \
	    'BEGIN { exit !(a > b) }'; then
		best=$rate
	fi
	k=1
	while [ "$k" -le "$PEERS" ]; do
		pair_ctl a terminate "p$k" > /dev/null
		k=$((k + 1))
	done
	wait_empty a
	wait_empty b
	round=$((round + 1))
done

dh=$("$BENCHTOOL" dh 1 | awk '{ print $2 }')
echo "oakleyd <-> oakleyd: $best handshakes/s (main + quick mode, distinct phase 1s, best of $ROUNDS)"
echo "reference: OpenSSL DH group 2: $dh operations/s (one keygen or one derivation)"
echo "$best $dh" | awk '{ printf "ratio: one handshake costs the time of %.1f DH operations (4 per handshake are DH)\n", $2 / $1 }'
if command -v charon >/dev/null 2>&1 || [ -x /usr/lib/ipsec/charon ]; then
	echo "charon <-> charon: not measured (needs network namespaces and a kernel ESP; see regress/lib/charon.subr)"
fi
