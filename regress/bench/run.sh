#!/bin/sh
#
# Run every benchmark program built under regress/bench (bench_*) and
# print what it reports.  Each benchmark measures its own reference in
# the same run and prints a ratio; nothing here judges the figures.
# bench_dh (DH operations per second, ours and OpenSSL's) runs before
# bench_ike (oakleyd <-> oakleyd handshakes per second), which takes its
# DH reference from bench_dh's results.  Then the handshake reference,
# charon <-> charon (charon_pair.sh; it prints why when it skips), and a
# summary of the handshakes beside the DH operations per second.  The
# benchmarks append "KEY VALUE" lines to $BENCH_RESULTS, which the
# summary reads.
# Exits non-zero if no benchmark is built or one of them fails.

cd "$(dirname "$0")/../.." || exit 1

BENCH_RESULTS=$(mktemp "${TMPDIR:-/tmp}/oakley-bench-results.XXXXXX") ||
    exit 1
export BENCH_RESULTS
trap 'rm -f "$BENCH_RESULTS"' EXIT
trap 'exit 1' INT TERM

found=0
status=0
for prog in regress/bench/bench_*; do
	case "$prog" in
	*.c|*.h|*.sh|*.o)
		continue
		;;
	esac
	[ -f "$prog" ] && [ -x "$prog" ] || continue
	found=1
	echo "== $prog"
	if ! "$prog"; then
		echo "$prog: failed" >&2
		status=1
	fi
done
if [ "$found" -eq 0 ]; then
	echo "run.sh: no benchmark built; run 'make bench'" >&2
	exit 1
fi

echo "== regress/bench/charon_pair.sh"
if ! sh regress/bench/charon_pair.sh; then
	echo "regress/bench/charon_pair.sh: failed" >&2
	status=1
fi

# The value of KEY in $BENCH_RESULTS, or "-".
result()
{
	awk -v k="$1" '$1 == k { v = $2 } END { print (v == "") ? "-" : v }' \
	    "$BENCH_RESULTS"
}

ratio()
{
	echo "$1 $2" | awk '{
	    if ($1 == "-" || $2 == "-" || $2 == 0) print "-"
	    else printf "%.2f\n", $1 / $2 }'
}

echo "== summary: IKEv1 main + quick mode handshakes/s, distinct phase 1s," \
    "beside DH ops/s (one op = keygen + derive)"
printf '  %-8s %18s %16s %10s   %12s %12s\n' group "oakleyd<->oakleyd" \
    "charon<->charon" "ratio o/c" "DH dh.h" "DH OpenSSL"
for group in modp1024 modp2048; do
	ours=$(result "handshake.oakleyd.$group")
	theirs=$(result "handshake.charon.$group")
	[ "$ours" != - ] || ours="(not run)"
	printf '  %-8s %18s %16s %10s   %12s %12s\n' "$group" "$ours" \
	    "$theirs" "$(ratio "$(result "handshake.oakleyd.$group")" \
	    "$theirs")" "$(result "dh.$group.ours")" \
	    "$(result "dh.$group.openssl")"
done
exit "$status"
