#!/bin/sh
#
# Run every libFuzzer target for SECONDS each: usage run.sh [SECONDS].
#
# For each regress/fuzz/fuzz_NAME.c the program regress/fuzz/fuzz_NAME
# (built by `make fuzz-build`) runs on a scratch copy of its seed corpus
# regress/fuzz/corpus/NAME/, so the committed corpus is never written.
# Exits non-zero if a program is missing or any fuzzer reports a crash,
# leak or timeout; the crashing inputs are then kept and their directory
# printed.  Otherwise the scratch directory is removed.
#
# Seeds: the "real_*" ones were captured from real negotiations (oakleyd
# against oakleyd, against strongSwan's charon, Windows profiles) and
# the engine's "hand_*" ones framed from the ISAKMP target's hand-made
# seeds by capture_seeds.sh (run by hand as root; see its header), the
# others were written by hand.  fuzz_engine.c describes its input format.

set -u

seconds=${1:-60}
case $seconds in
''|*[!0-9]*)
	echo "usage: $0 [SECONDS]" >&2
	exit 2
	;;
esac

fuzzdir=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/oakley-fuzz.XXXXXX") || exit 2
keep=no
cleanup() {
	if [ "$keep" = no ]; then
		rm -rf "$scratch"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

status=0
count=0
for src in "$fuzzdir"/fuzz_*.c; do
	[ -e "$src" ] || continue
	prog=${src%.c}
	name=${prog##*/fuzz_}
	count=$((count + 1))
	if [ ! -x "$prog" ]; then
		echo "fuzz_$name: $prog not built (make fuzz-build)" >&2
		status=1
		continue
	fi
	work="$scratch/$name"
	mkdir -p "$work/corpus" "$work/artifacts"
	if [ -d "$fuzzdir/corpus/$name" ]; then
		cp -R "$fuzzdir/corpus/$name/." "$work/corpus/"
	fi
	echo "fuzz_$name: ${seconds}s, seeds: $(ls "$work/corpus" | wc -l)"
	"$prog" -max_total_time="$seconds" -print_final_stats=1 \
	    -artifact_prefix="$work/artifacts/" "$work/corpus" \
	    > "$work/log" 2>&1
	rc=$?
	if [ "$rc" -ne 0 ] || [ -n "$(ls "$work/artifacts")" ]; then
		echo "fuzz_$name: FAILED (exit $rc); last lines of the log:" >&2
		tail -n 40 "$work/log" >&2
		echo "fuzz_$name: inputs kept in $work/artifacts" >&2
		keep=yes
		status=1
		continue
	fi
	grep -E '^stat::number_of_executed_units' "$work/log" |
	    sed "s/^/fuzz_$name: /"
	echo "fuzz_$name: ok"
done

if [ "$count" -eq 0 ]; then
	echo "no fuzz targets in $fuzzdir" >&2
	exit 1
fi
exit "$status"
