# The paper-list reader through the CLI (issue 3): duplicates, venue
# detection and its precedence, the summary line.
. tests/lib.sh

# The same list twice in one file: every record reported once as a
# duplicate and written once.
cat "$EXAMPLE" "$EXAMPLE" >"$TMP/twice.txt"
expect_exit 0 "$PAPERBIB" -t csl-json "$TMP/twice.txt"
[ "$(grep -c '"citation-key"' "$TMP/out")" = 48 ] || fail "twice: not 48 records"
[ "$(grep -c 'duplicate of an earlier record' "$TMP/err")" = 48 ] || fail "twice: not 48 duplicates reported"
expect_err "$TMP/twice.txt:427: warning: duplicate of an earlier record (same URL): 'CATER: A diagnostic dataset"
expect_err "paperbib: 48 records, 48 warnings, 48 duplicates dropped"

# [input] duplicates = keep: every record, none reported; with
# [citekey] unique = no the keys repeat too.
expect_exit 0 "$PAPERBIB" -t csl-json --set input.duplicates=keep "$TMP/twice.txt"
expect_err "paperbib: 96 records, 0 warnings"
[ "$(grep -c '"id": "kitaev2020reformer' "$TMP/out")" = 2 ] || fail "keep: keys not unique"
grep -q '"id": "kitaev2020reformera"' "$TMP/out" || fail "keep: second key not kitaev2020reformera"
expect_exit 0 "$PAPERBIB" -t csl-json --set input.duplicates=keep --set citekey.unique=no "$TMP/twice.txt"
[ "$(grep -c '"id": "kitaev2020reformer",' "$TMP/out")" = 2 ] || fail "unique=no: keys changed"

# -q: no warnings, no summary.
expect_exit 0 "$PAPERBIB" -q -t csl-json "$TMP/twice.txt"
[ -s "$TMP/err" ] && { cat "$TMP/err"; fail "-q printed something"; }

# Without an INI file the venue comes from the list's header; -v says so.
expect_exit 0 "$PAPERBIB" -v -t csl-json "$EXAMPLE"
expect_err "$EXAMPLE:1: note: venue detected: ICLR 2020, International Conference on Learning Representations"
grep -q '"event-title": "International Conference on Learning Representations (ICLR 2020)"' "$TMP/out" ||
	fail "detected venue not in the output"
grep -q '"publisher": "OpenReview.net"' "$TMP/out" || fail "detected publisher not in the output"

# The INI file and --set win over detection.
expect_exit 0 "$PAPERBIB" -t csl-json --set venue.short_name=NeurIPS --set venue.year=2019 \
	--set "venue.name=Neural Information Processing Systems" "$EXAMPLE"
grep -q '"event-title": "Neural Information Processing Systems (NeurIPS 2019)"' "$TMP/out" ||
	fail "--set did not win over detection"
printf '[venue]\nyear = 2021\n' >"$TMP/y.ini"
expect_exit 0 "$PAPERBIB" -t csl-json -c "$TMP/y.ini" "$EXAMPLE"
grep -q '"id": "kitaev2021reformer"' "$TMP/out" || fail "INI year did not win over detection"

# A list with records only (no header) has no venue, and still converts.
sed -n '16,$p' "$EXAMPLE" >"$TMP/records.txt"
expect_exit 0 "$PAPERBIB" -t csl-json "$TMP/records.txt"
grep -q '"event-title"' "$TMP/out" && fail "venue invented for a list without a header"
grep -q '"id": "kitaev2020reformer"' "$TMP/out" && fail "year invented"
expect_err "48 records, 0 warnings"

# --check writes nothing and exits 0 on a good list, 1 with an error.
expect_exit 0 "$PAPERBIB" --check "$EXAMPLE"
[ -s "$TMP/out" ] && fail "--check wrote output"
printf 'T\377\nAuthor: A B\nlink: https://x.org/a.pdf\n' >"$TMP/bad.txt"
expect_exit 1 "$PAPERBIB" --check --strict "$TMP/bad.txt"
expect_err "$TMP/bad.txt:1:2: error: invalid UTF-8 byte 0xFF replaced by U+FFFD"
expect_err "paperbib: 1 record, 0 warnings, 1 error"
echo "reader ok"
