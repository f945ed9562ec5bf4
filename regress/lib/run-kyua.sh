#!/bin/sh
#
# Run the whole suite with Kyua, print the failures in full and a closing
# line "N passed, N failed, N skipped"; exit non-zero on any failure.
# Used by `make check`.

set -u

results=$(mktemp -d "${TMPDIR:-/tmp}/oakley-kyua.XXXXXX")
trap 'rm -rf "$results"' EXIT INT TERM

kyua test --results-file="$results/store.db" -k regress/Kyuafile \
    > "$results/log" 2>&1
status=$?
cat "$results/log"

if [ "$status" -ne 0 ]; then
	kyua report --results-file="$results/store.db" --verbose \
	    --results-filter=broken,failed
fi

count() {
	grep -c -- "->  $1" "$results/log"
}
passed=$(count passed)
failed=$(( $(count failed) + $(count broken) ))
skipped=$(count skipped)
xfail=$(count expected_failure)
echo "kyua: $passed passed, $failed failed, $skipped skipped"
[ "$xfail" -gt 0 ] && echo "kyua: $xfail expected failures"
if [ "$skipped" -gt 0 ]; then
	kyua report --results-file="$results/store.db" --verbose \
	    --results-filter=skipped | grep -E '^(===>|Skipped|  *Reason)' || true
fi
exit "$status"
