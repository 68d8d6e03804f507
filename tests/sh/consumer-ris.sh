# bibutils reads the RIS of the reference list: ris2xml reports no
# problem and finds 48 references, each with the title, the number of
# authors and the year that the RIS gives it (read back from its MODS with
# xmllint), a conference paper with the proceedings as its book title.
. tests/lib.sh
need ris2xml
need xmllint

"$PAPERBIB" -q -t ris -c "$EXAMPLE_INI" "$EXAMPLE" >"$TMP/out.ris" 2>"$TMP/err" ||
	{ cat "$TMP/err"; fail "paperbib -t ris failed"; }
ris2xml "$TMP/out.ris" >"$TMP/mods.xml" 2>"$TMP/ris2xml.err" ||
	{ cat "$TMP/ris2xml.err"; fail "ris2xml failed"; }
# ris2xml's only message is its count; anything else is a complaint.
[ "$(cat "$TMP/ris2xml.err")" = "ris2xml: Processed 48 references." ] ||
	{ cat "$TMP/ris2xml.err"; fail "ris2xml did not read 48 references cleanly"; }
xmllint --noout "$TMP/mods.xml" || fail "ris2xml wrote malformed XML"

# What we wrote, one line per record: title, author count, year.
awk '
/^TY  - / { ti = ""; au = 0; py = "" }
/^TI  - / { ti = substr($0, 7) }
/^AU  - / { au++ }
/^PY  - / { py = substr($0, 7) }
/^ER  - / { printf "%s\t%d\t%s\n", ti, au, py }
' "$TMP/out.ris" >"$TMP/want"
[ "$(wc -l <"$TMP/want")" -eq 48 ] || fail "expected 48 records in the RIS"

# What bibutils read. It splits a title at its first ": " into title and
# subTitle; join them back.
M='/*[local-name()="modsCollection"]/*[local-name()="mods"]'
x() { xmllint --xpath "$1" "$TMP/mods.xml"; }
[ "$(x "count($M)")" -eq 48 ] || fail "MODS has $(x "count($M)") records, not 48"
i=1
: >"$TMP/got"
while [ $i -le 48 ]; do
	R="$M[$i]"
	t=$(x "string($R/*[local-name()='titleInfo'][1]/*[local-name()='title'])")
	s=$(x "string($R/*[local-name()='titleInfo'][1]/*[local-name()='subTitle'])")
	[ -n "$s" ] && t="$t: $s"
	n=$(x "count($R/*[local-name()='name'][.//*[local-name()='roleTerm']='author'])")
	y=$(x "substring($R/*[local-name()='originInfo']/*[local-name()='dateIssued'], 1, 4)")
	g=$(x "string($R/*[local-name()='relatedItem'][@type='host']/*[local-name()='genre'])")
	b=$(x "string($R/*[local-name()='relatedItem'][@type='host']/*[local-name()='titleInfo']/*[local-name()='title'])")
	[ "$g" = "conference publication" ] || fail "record $i: host genre is '$g'"
	[ "$b" = "International Conference on Learning Representations" ] ||
		fail "record $i: book title is '$b'"
	printf '%s\t%s\t%s\n' "$t" "$n" "$y" >>"$TMP/got"
	i=$((i + 1))
done
diff -u "$TMP/want" "$TMP/got" || fail "bibutils read titles, author counts or years differently"
echo "bibutils read 48 conference papers as written"
