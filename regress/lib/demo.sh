#!/bin/sh
#
# `make demo`: two IKE peers on this machine.  Each side runs pfkeyemud
# (the emulated PF_KEY kernel) and oakleyd; they talk IKE over loopback
# (port 500 as root, else an unprivileged port).  One emulated packet on
# side a hits its "require" policy: the kernel sends ACQUIRE, the two
# oakleyd run main mode and quick mode, and both kernels end up holding
# the same pair of ESP SAs, printed side by side the way setkey -D does.
# Then everything is stopped (by PID) and the scratch directory removed.

set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/oakley-demo.XXXXXX")
OAKLEY_TOPDIR=$top
. "$top/regress/lib/pair.subr"

atf_fail() {
	echo "demo: $*" >&2
	exit 1
}

cleanup() {
	cd "$work" && pair_stop
	cd / && rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

cd "$work"
if [ "$(id -u)" -ne 0 ]; then
	PAIR_PORT=$((20000 + $$ % 20000))
fi
pair_init
A=$(pair_addr a)
B=$(pair_addr b)
for side in a b; do
	pair_conf "$side" "demo secret" <<'EOF'
	phase1 encryption aes256 hash sha256 group modp1024 lifetime 8h;
	phase2 encryption aes128 auth hmac-sha1 pfs none lifetime 1h;
	policy local @SELF@ remote @OTHER@ proto tcp transport require;
EOF
done
pair_start

echo "==> side a: oakleyd on $A, side b: oakleyd on $B (IKE port $PAIR_PORT),"
echo "    each with its own pfkeyemud; the policy on both sides:"
sed -n '/^peer/,/^}/p' a/oakleyd.conf | sed 's/auth psk ".*"/auth psk "..."/; s/^/    /'
echo
echo "==> a packet $A -> $B (tcp 40000 -> 443) leaves side a:"
printf '    %s\n' "$(pair_traffic a out "$A" "$B" tcp 40000 443 1400)"
pair_wait_sas a 2
pair_wait_sas b 2
echo
echo "==> what the two oakleyd logged:"
grep -E 'info: IKE: .*(starting main mode|established|SAs installed)' \
    a/oakleyd.log | sed 's/^oakleyd: info: IKE: /    a: /'
grep -E 'info: IKE: .*(established|SAs installed)' b/oakleyd.log |
    sed 's/^oakleyd: info: IKE: /    b: /'
echo
echo "==> the same packet again: it now leaves on the negotiated SA"
printf '    %s\n' "$(pair_traffic a out "$A" "$B" tcp 40000 443 1400)"
echo
echo "==> oakleyctl -D on side a (left) and side b (right), a -> b first"
# Each SA record as one line (fields joined by |), sorted so that a -> b
# comes first on both sides, then back to lines.
sadb_sorted() {
	pair_sadb "$1" | grep -v -e '^	last:' -e '^	allocated:' |
	    awk -v first="$A" '
		/^[^ \t]/ { if (r != "") print k "|" r; k = ($1 == first) ? 0 : 1; r = $0; next }
		{ r = r "|" $0 }
		END { if (r != "") print k "|" r }' |
	    sort -t '|' -k 1,1n | cut -d '|' -f 2- | tr '|' '\n' | expand -t 4
}
sadb_sorted a > a.sadb
sadb_sorted b > b.sadb
pr -m -t -w 150 a.sadb b.sadb | expand -t 8 | sed "s/ *$//"
echo
pair_check_matched 2
echo "==> both SADBs hold the same two SAs: a's outbound SPI is b's inbound"
echo "    one and the reverse, with identical algorithms and keys."
