#!/bin/sh
# Runs shell tests: each script exits 0 (pass), 77 (skip, with the reason
# on its output) or anything else (fail). Needs PAPERBIB, the binary.
# Prints "N passed, N failed, N skipped" last, and exits 1 on any failure.
: "${PAPERBIB:?PAPERBIB must name the paperbib binary}"
export PAPERBIB
pass=0 fail=0 skip=0 failed=""
for t in "$@"; do
	log=$(mktemp)
	sh "$t" >"$log" 2>&1
	rc=$?
	case $rc in
	0) pass=$((pass + 1)); echo "PASS: $t" ;;
	77) skip=$((skip + 1)); echo "SKIP: $t: $(tail -n 1 "$log")" ;;
	*) fail=$((fail + 1)); failed="$failed $t"; echo "FAIL: $t (exit $rc)"
	   sed 's/^/    /' "$log" | tail -n 40 ;;
	esac
	rm -f "$log"
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] || { echo "failed:$failed"; exit 1; }
# CI must never skip a consumer test: .ci/run installs every consumer.
if [ "$skip" -gt 0 ] && [ "${CI:-}" = true ]; then
	echo "skipped tests in CI"; exit 1
fi
exit 0
