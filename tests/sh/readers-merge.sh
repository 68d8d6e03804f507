# Several inputs of different formats in one call (issue 9): merged in
# order, each read by the reader its content calls for, duplicates
# reported and kept once.
. tests/lib.sh
"$PAPERBIB" -q -c "$EXAMPLE_INI" -t bibtex "$EXAMPLE" >"$TMP/all.bib" || fail "to bibtex"
"$PAPERBIB" -q -c "$EXAMPLE_INI" -t ris "$EXAMPLE" >"$TMP/all.ris" || fail "to ris"
"$PAPERBIB" -q -c "$EXAMPLE_INI" -t csl-json "$EXAMPLE" >"$TMP/direct.json" || fail "to csl-json"

# The first 24 papers as BibTeX, the other 24 as RIS: 48 in input order.
awk '/^@inproceedings/ {n++} n <= 24' "$TMP/all.bib" >"$TMP/first.bib"
awk '/^TY  - / {n++} n > 24' "$TMP/all.ris" >"$TMP/second.ris"
expect_exit 0 "$PAPERBIB" -t csl-json "$TMP/first.bib" "$TMP/second.ris"
# the one warning: the track, read back from BibTeX's annote (CSL-JSON
# has no variable for it)
expect_err "paperbib: 48 records, 1 warning"
grep '"citation-key"' "$TMP/out" >"$TMP/merged.keys"
grep '"citation-key"' "$TMP/direct.json" >"$TMP/direct.keys"
cmp -s "$TMP/merged.keys" "$TMP/direct.keys" || {
	diff "$TMP/direct.keys" "$TMP/merged.keys" | head
	fail "merged BibTeX + RIS is not the list in order"
}

# The same papers three ways: each kept once, the repeats reported with
# their file and line.
expect_exit 0 "$PAPERBIB" -t csl-json "$TMP/all.bib" "$TMP/all.ris" "$EXAMPLE"
[ "$(grep -c '"citation-key"' "$TMP/out")" = 48 ] || fail "three copies: not 48 records"
expect_err "paperbib: 48 records, 97 warnings, 96 duplicates dropped"
expect_err "$TMP/all.ris:1: warning: duplicate of an earlier record (same URL): 'CATER: A diagnostic dataset"
expect_err "$EXAMPLE:16: warning: duplicate of an earlier record (same URL): 'CATER: A diagnostic dataset"
echo "merge ok"
