#!/bin/sh
#
# Reference for the handshake benchmark: IKEv1 main + quick mode
# handshakes per second between two strongSwan charons on this machine,
# each in a network namespace (regress/lib/netns.subr, charon.subr).
#
# Charon A gets N connections c1..cN, each with an identity of its own
# (cI.bench.example), so each is a distinct phase 1 (charon would run
# quick modes of identical connections over one IKE SA); charon B has one
# connection accepting any identity.  All N start at once when A loads
# them (start_action = start); the time runs from that load until both
# charons have logged N CHILD SAs established.  PSK, ESP aes128-sha256,
# no PFS, so one DH per side and handshake; tunnel mode, with NAT-T
# (kernel-libipsec fakes a NAT, so every handshake also floats to 4500).
# Charon's per-IP half-open limit (block_threshold, 5) is lifted, and the
# link's ARP entry made first, or the burst would measure retransmissions.
#
# Each group runs BENCH_CHARON_ROUNDS times (default 2) on fresh charons;
# the best counts.  Prints handshakes per second; with BENCH_RESULTS set
# (run.sh), appends "handshake.charon.GROUP RATE" lines there.
#
#	charon_pair.sh [COUNT_MODP1024 [COUNT_MODP2048]]  (default 400 150)
#
# Needs Linux, root and charon with kernel-libipsec: otherwise it prints
# why it skips and exits 0.  Each wait is bounded (60 s); namespaces and
# charons are removed by PID on exit.

TOPDIR=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
. "$TOPDIR/regress/lib/netns.subr"
. "$TOPDIR/regress/lib/charon.subr"

N1024=${1:-400}
N2048=${2:-150}
ROUNDS=${BENCH_CHARON_ROUNDS:-2}
WAIT_STEPS=3000		# 0.02 s each: 60 s
PSK="bench key, not a secret"
A_OUT=192.0.2.1
B_OUT=192.0.2.2
# Only what the count needs: "CHILD_SA cI{J} established ...".
CHARON_LOG="default = 0
			dmn = 1
			ike = 1"

work=$(mktemp -d "${TMPDIR:-/tmp}/oakley-bench.XXXXXX") || exit 1
cd "$work" || exit 1
trap 'ns_cleanup; cd /; rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

require_root_netns
charon_require

printf 'block_threshold = 100000\n' > extra.conf

established()
{
	grep -c "CHILD_SA .* established" "charon-$1/charon.log" 2>/dev/null
}

all_up()
{
	[ "$(established A)" -ge "$1" ] && [ "$(established B)" -ge "$1" ]
}

now()
{
	date +%s.%N
}

# one_round GROUP COUNT ROUND: prints the seconds COUNT handshakes took.
one_round()
{
	local group="$1" n="$2" r="$3" i t0 t1 steps=0

	NS_PREFIX="oak-bench-$$-$r-$group-"
	ns_init "${NS_PREFIX}"
	ns_add a
	ns_add b
	ns_link a eth0 "$A_OUT/24" b eth0 "$B_OUT/24"
	ns_addr a lo 198.51.100.1/32
	ns_addr b lo 203.0.113.1/32
	rm -rf charon-A charon-B
	charon_start a A "$work/extra.conf"
	charon_start b B "$work/extra.conf"
	charon_peer B name=r local="$B_OUT" remote="$A_OUT" remote_id=%any \
	    local_ts=203.0.113.0/24 remote_ts=198.51.100.0/24 \
	    ike="aes128-sha256-$group" esp=aes128-sha256 psk="$PSK"
	{
		echo "connections {"
		i=1
		while [ "$i" -le "$n" ]; do
			charon_conn_block name="c$i" local="$A_OUT" \
			    local_id="c$i.bench.example" remote="$B_OUT" \
			    local_ts=198.51.100.0/24 remote_ts=203.0.113.0/24 \
			    ike="aes128-sha256-$group" esp=aes128-sha256 \
			    start_action=start
			i=$((i + 1))
		done
		echo "}"
		echo "secrets {"
		charon_secret_block name=c local="$A_OUT" local_id=%any \
		    remote="$B_OUT" psk="$PSK"
		echo "}"
	} > charon-A/swanctl/swanctl.conf
	ns_exec a ping -c 1 -W 2 "$B_OUT" > /dev/null ||
	    _ns_fail "no link between the namespaces"
	t0=$(now)
	charon_load A
	until all_up "$n"; do
		steps=$((steps + 1))
		if [ "$steps" -gt "$WAIT_STEPS" ]; then
			echo "charon_pair: $group: $(established A) and" \
			    "$(established B) of $n CHILD SAs in 60 s" >&2
			return 1
		fi
		sleep 0.02
	done
	t1=$(now)
	sed -n 's/.*Starting IKE charon daemon (\([^,]*\),.*/\1/p' \
	    charon-A/charon.log > "$work/version"
	ns_cleanup
	: > "${NS_STATE}"
	echo "$t0 $t1" | awk '{ printf "%.3f\n", $2 - $1 }'
}

# bench GROUP COUNT: best of ROUNDS.
bench()
{
	local group="$1" n="$2" r=1 secs best="" rate

	while [ "$r" -le "$ROUNDS" ]; do
		secs=$(one_round "$group" "$n" "$r") || return 1
		best=$(echo "${best:-$secs} $secs" | awk '{
		    print ($1 < $2) ? $1 : $2 }')
		r=$((r + 1))
	done
	rate=$(echo "$n $best" | awk '{ printf "%.1f", $1 / $2 }')
	printf '  %-8s charon<->charon %8s handshakes/s   (%d in %s s)\n' \
	    "$group" "$rate" "$n" "$best"
	[ -z "${BENCH_RESULTS}" ] ||
	    echo "handshake.charon.$group $rate" >> "${BENCH_RESULTS}"
}

echo "charon_pair: IKEv1 main + quick mode handshakes between two charons" \
    "($CHARON),"
echo "  PSK, aes128-sha256-GROUP, ESP aes128-sha256 tunnel, no PFS; N" \
    "distinct phase 1s at once, best of $ROUNDS"
status=0
bench modp1024 "$N1024" || status=1
bench modp2048 "$N2048" || status=1
[ ! -s "$work/version" ] || echo "  ($(cat "$work/version"))"
exit "$status"
