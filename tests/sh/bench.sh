# The benchmark of issue 8 measures what it says: bench-gen (bench/gen.c)
# is deterministic, its seed changes the list, the first N records are the
# same whatever N is, and a list of N records is read as N records without
# a warning or a duplicate; bench/run.sh prints a row for every output
# format in both modes and fails when paperbib fails.
. tests/lib.sh
GEN=${PAPERBIB_BUILD:?PAPERBIB_BUILD must name the build folder}/bench-gen
[ -x "$GEN" ] || fail "$GEN is not built (make shtest builds it)"
need awk

"$GEN" 300 >"$TMP/a.txt" || fail "bench-gen 300 failed"
"$GEN" 300 >"$TMP/b.txt" || fail "bench-gen 300 failed"
cmp -s "$TMP/a.txt" "$TMP/b.txt" || fail "bench-gen 300 differs between runs"
"$GEN" 300 2020 >"$TMP/b.txt" || fail "bench-gen 300 2020 failed"
cmp -s "$TMP/a.txt" "$TMP/b.txt" || fail "the default seed is not 2020"
"$GEN" 300 7 >"$TMP/b.txt" || fail "bench-gen 300 7 failed"
cmp -s "$TMP/a.txt" "$TMP/b.txt" && fail "the seed does not change the list"

# every record counts: N records, no warning, no duplicate dropped
for n in 1 48 300; do
	"$GEN" "$n" >"$TMP/list.txt" || fail "bench-gen $n failed"
	expect_exit 0 "$PAPERBIB" --check "$TMP/list.txt"
	expect_err "$n record"
	expect_err ", 0 warnings"
	grep -q duplicate "$TMP/err" && fail "bench-gen $n: duplicates: $(cat "$TMP/err")"
	expect_exit 0 "$PAPERBIB" -q -t ris "$TMP/list.txt"
	got=$(grep -c '^TY  - ' "$TMP/out")
	[ "$got" -eq "$n" ] || fail "bench-gen $n: $got RIS records"
done

# the first 48 of 300 records are the 48 records of a list of 48
"$GEN" 48 >"$TMP/list.txt"
expect_exit 0 "$PAPERBIB" -q -t ris "$TMP/list.txt"
mv "$TMP/out" "$TMP/48.ris"
expect_exit 0 "$PAPERBIB" -q -t ris "$TMP/a.txt"
awk '{ print } /^ER  - / && ++n == 48 { exit }' "$TMP/out" >"$TMP/first.ris"
cmp -s "$TMP/48.ris" "$TMP/first.ris" ||
	fail "the first 48 of 300 records differ from a list of 48"

# run.sh: instrumented builds only check the generator (timing them
# would measure the instrumentation)
if [ -n "${PAPERBIB_INSTRUMENTED:-}" ]; then
	echo "bench/run.sh not run under $PAPERBIB_INSTRUMENTED"
	exit 0
fi
[ -x /usr/bin/time ] || fail "/usr/bin/time not installed (Debian package time)"
expect_exit 0 env SIZES=30 RUNS=1 BIBUTILS_MAX=0 PANDOC_MAX=0 CSL_READ_MB=1 \
	sh bench/run.sh "$PAPERBIB" "$GEN"
grep -q '^== N = 30 records' "$TMP/out" || fail "run.sh: no section for N = 30"
# the CSL-JSON reader's rows (issue 16), with a peak RSS
grep -q '^== CSL-JSON reader: 425 items' "$TMP/out" || fail "run.sh: no CSL-JSON reader section"
for what in "csl-json --check" "csl-json -> ris"; do
	grep -q "^paperbib $what  *425 .* [0-9.][0-9.]*  *[0-9-][0-9]*\$" "$TMP/out" ||
		{ cat "$TMP/out"; fail "run.sh: no row for the CSL-JSON reader ($what)"; }
done
for f in $("$PAPERBIB" --list-formats | awk '/^Output/ { o = 1; next }
                                          /^Input/ { o = 0 } o { print $1 }'); do
	for mode in "" " 1 thread"; do
		grep -q "^paperbib $f$mode  *30 " "$TMP/out" ||
			{ cat "$TMP/out"; fail "run.sh: no row for $f$mode"; }
	done
done
grep -q '^bibutils: skipped' "$TMP/out" || fail "run.sh: BIBUTILS_MAX=0 ran bibutils"

# a paperbib that fails makes the benchmark fail, not print a time
cat >"$TMP/failing" <<EOF
#!/bin/sh
case "\$*" in *--list-formats*|*--version*) exec "$PAPERBIB" "\$@" ;; esac
exit 1
EOF
chmod +x "$TMP/failing"
expect_exit 1 env SIZES=30 RUNS=1 BIBUTILS_MAX=0 PANDOC_MAX=0 CSL_READ_MB=0 \
	sh bench/run.sh "$TMP/failing" "$GEN"
expect_err "failed"
exit 0
