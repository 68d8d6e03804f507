# [ris] newline: LF by default, CRLF when asked (INI or --set), the same
# records either way; an unknown value is a configuration error that names
# the key.
. tests/lib.sh

expect_exit 0 "$PAPERBIB" -q -t ris -c "$EXAMPLE_INI" "$EXAMPLE"
mv "$TMP/out" "$TMP/lf.ris"
head -c 11 "$TMP/lf.ris" | od -c | grep -q 'T   Y' || fail "LF output does not start with TY (a BOM?)"
! grep -q "$(printf '\r')" "$TMP/lf.ris" || fail "CR in the default output"

expect_exit 0 "$PAPERBIB" -q -t ris -c "$EXAMPLE_INI" --set ris.newline=crlf "$EXAMPLE"
mv "$TMP/out" "$TMP/crlf.ris"
# Every line ends in CRLF, and without the CRs it is the LF output.
[ "$(grep -c "$(printf '\r')\$" "$TMP/crlf.ris")" -eq "$(wc -l <"$TMP/crlf.ris")" ] ||
	fail "a line of the CRLF output ends without CR"
tr -d '\r' <"$TMP/crlf.ris" | cmp -s - "$TMP/lf.ris" || fail "CRLF output differs from LF output beyond line ends"

printf '[ris]\nnewline = crlf\n' >"$TMP/crlf.ini"
expect_exit 0 "$PAPERBIB" -q -t ris -c "$TMP/crlf.ini" --set venue.year=2020 "$EXAMPLE"
grep -q "^ER  - $(printf '\r')\$" "$TMP/out" || fail "[ris] newline = crlf in an INI file is not used"

expect_exit 2 "$PAPERBIB" -q -t ris --set ris.newline=cr "$EXAMPLE"
expect_err "newline"
[ ! -s "$TMP/out" ] || fail "output written despite a configuration error"
echo "newline = lf | crlf work"
