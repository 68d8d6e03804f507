# RIS exports in the shapes of Web of Science, Scopus, Ovid, Google
# Scholar and Zotero (tests/data/ris-*.ris) through paperbib's RIS reader
# and writer: RIS -> RIS gives the same RIS again (every field kept), and
# bibutils' ris2xml reads the output: every record, each volume as a MODS
# volume, each DOI as a MODS DOI, each title as it is.
. tests/lib.sh
need ris2xml
need xmllint

"$PAPERBIB" -q -t ris tests/data/ris-*.ris >"$TMP/a.ris" 2>"$TMP/err" ||
	{ cat "$TMP/err"; fail "paperbib -t ris failed"; }
"$PAPERBIB" -q -t ris "$TMP/a.ris" >"$TMP/b.ris" 2>"$TMP/err" ||
	{ cat "$TMP/err"; fail "reading back the RIS failed"; }
diff -u "$TMP/a.ris" "$TMP/b.ris" || fail "RIS -> RIS changed the RIS"

n=$(grep -c '^TY  - ' "$TMP/a.ris")
[ "$n" -eq 18 ] || fail "$n records, not 18"
ris2xml "$TMP/a.ris" >"$TMP/mods.xml" 2>"$TMP/ris2xml.err" ||
	{ cat "$TMP/ris2xml.err"; fail "ris2xml failed"; }
tail -n 1 "$TMP/ris2xml.err" | grep -qxF "ris2xml: Processed 18 references." ||
	{ cat "$TMP/ris2xml.err"; fail "ris2xml did not read 18 references"; }
xmllint --noout "$TMP/mods.xml" || fail "ris2xml wrote malformed XML"
x() { xmllint --xpath "$1" "$TMP/mods.xml"; }
M='/*[local-name()="modsCollection"]/*[local-name()="mods"]'
[ "$(x "count($M)")" -eq 18 ] || fail "MODS has $(x "count($M)") records"

# each volume and DOI written is one in MODS, with its value
for tag in VL DO; do
	sed -n "s/^$tag  - //p" "$TMP/a.ris" | sort >"$TMP/want.$tag"
	[ -s "$TMP/want.$tag" ] || fail "no $tag written"
done
x "//*[local-name()='detail'][@type='volume']/*[local-name()='number']/text()" |
	sort >"$TMP/got.VL"
x "//*[local-name()='identifier'][@type='doi']/text()" | sort >"$TMP/got.DO"
diff -u "$TMP/want.VL" "$TMP/got.VL" || fail "bibutils read other volumes"
diff -u "$TMP/want.DO" "$TMP/got.DO" || fail "bibutils read other DOIs"
echo "RIS -> RIS unchanged; bibutils read 18 records, $(wc -l <"$TMP/want.VL") volumes, $(wc -l <"$TMP/want.DO") DOIs"
