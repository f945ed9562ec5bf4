#!/bin/sh
#
# Run every benchmark program built under regress/bench (bench_*) and
# print what it reports.  Each benchmark measures its own reference in
# the same run and prints a ratio; nothing here judges the figures.
# Exits non-zero if no benchmark is built or one of them fails.

cd "$(dirname "$0")/../.." || exit 1

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
exit "$status"
