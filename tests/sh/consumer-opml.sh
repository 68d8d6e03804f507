# Consumer test of the OPML writer: the example's output, ungrouped and
# grouped by keyword, is well-formed XML with 48 paper outlines, every
# outline has text, every link has an absolute http(s) url; pandoc reads it
# and shows all 48 titles. A full disk is an I/O error (exit 3).
. tests/lib.sh
need xmllint
need pandoc

# xp FILE EXPR: the string value of an XPath expression.
xp() { xmllint --xpath "string($2)" "$1"; }

# check FILE: what must hold whatever the grouping.
check() {
	xmllint --noout "$1" || fail "$1: xmllint --noout failed"
	[ "$(xp "$1" 'name(/*)')" = opml ] || fail "$1: root is not <opml>"
	[ "$(xp "$1" '/opml/@version')" = 2.0 ] || fail "$1: not OPML 2.0"
	[ "$(xp "$1" '/opml/head/title')" = "ICLR 2020 — reading list" ] ||
		fail "$1: head title is '$(xp "$1" '/opml/head/title')'"
	[ "$(xp "$1" '/opml/head/docs')" = http://opml.org/spec2.opml ] ||
		fail "$1: no <docs>"
	[ "$(xp "$1" 'count(/opml/head/dateCreated)')" = 0 ] ||
		fail "$1: dateCreated written without [opml] date = yes"
	n=$(xp "$1" 'count(//outline[not(@text) or normalize-space(@text) = ""])')
	[ "$n" = 0 ] || fail "$1: $n outlines without text"
	n=$(xp "$1" 'count(//outline[@type = "link"][not(starts-with(@url, "https://") or starts-with(@url, "http://")) or contains(@url, " ")])')
	[ "$n" = 0 ] || fail "$1: $n links without an absolute http(s) url"
	# PDF links for all 48 papers, code links for some
	n=$(xp "$1" 'count(//outline[@text = "PDF"][@type = "link"][starts-with(@url, "https://openreview.net/pdf?id=")])')
	[ "$n" -ge 48 ] || fail "$1: $n PDF links, expected at least 48"
	n=$(xp "$1" 'count(//outline[@text = "Code"][@type = "link"])')
	[ "$n" -gt 0 ] || fail "$1: no code links"
}

# Ungrouped: the papers are the body's outlines, in input order.
expect_exit 0 "$PAPERBIB" -q -t opml -c "$EXAMPLE_INI" "$EXAMPLE"
[ -s "$TMP/err" ] && { cat "$TMP/err"; fail "paperbib -q wrote to stderr"; }
mv "$TMP/out" "$TMP/none.opml"
check "$TMP/none.opml"
n=$(xp "$TMP/none.opml" 'count(/opml/body/outline[@type = "link"][starts-with(@url, "https://openreview.net/forum?id=")][@_note])')
[ "$n" = 48 ] || fail "$n paper outlines, expected 48"
[ "$(xp "$TMP/none.opml" 'count(/opml/body/outline)')" = 48 ] ||
	fail "body holds other outlines than the 48 papers"
[ "$(xp "$TMP/none.opml" '/opml/body/outline[1]/@text')" = \
	"CATER: A diagnostic dataset for Compositional Actions & TEmporal Reasoning" ] ||
	fail "first paper is not the first of the list"
xp "$TMP/none.opml" '/opml/body/outline[1]/@_note' | grep -qx "Rohit Girdhar, Deva Ramanan" ||
	fail "first paper's _note does not start with its authors"

# Grouped by keyword: folders hold the papers; still 48 distinct papers.
expect_exit 0 "$PAPERBIB" -q -t opml -c "$EXAMPLE_INI" --set opml.group_by=keyword "$EXAMPLE"
mv "$TMP/out" "$TMP/kw.opml"
check "$TMP/kw.opml"
[ "$(xp "$TMP/kw.opml" 'count(/opml/body/outline[@type])')" = 0 ] ||
	fail "keyword folders must not be links"
[ "$(xp "$TMP/kw.opml" '/opml/body/outline[last()]/@text')" = "No keywords" ] ||
	fail "last folder is not 'No keywords'"
: >"$TMP/urls"
i=1
nf=$(xp "$TMP/kw.opml" 'count(/opml/body/outline)')
while [ "$i" -le "$nf" ]; do
	xmllint --xpath "/opml/body/outline[$i]/outline/@url" "$TMP/kw.opml" |
		tr ' ' '\n' | sed -n 's/^url="\(.*\)"$/\1/p' >>"$TMP/urls"
	i=$((i + 1))
done
n=$(sort -u "$TMP/urls" | wc -l)
[ "$n" -eq 48 ] || fail "$n distinct papers in the keyword folders, expected 48"
# folders in case-insensitive alphabetical order (the last excepted)
xmllint --xpath '/opml/body/outline/@text' "$TMP/kw.opml" |
	sed 's/^ text="//; s/"$//; s/" text="/\n/g' | sed '$d' >"$TMP/folders"
[ "$(wc -l <"$TMP/folders")" -eq $((nf - 1)) ] || fail "could not list the folders"
LC_ALL=C sort -f -c "$TMP/folders" || fail "keyword folders are not in alphabetical order"

# pandoc reads both and shows every title.
for f in none kw; do
	expect_exit 0 pandoc -f opml -t plain --wrap=none "$TMP/$f.opml"
	mv "$TMP/out" "$TMP/$f.txt"
	i=1
	while [ "$i" -le 48 ]; do
		t=$(xp "$TMP/none.opml" "/opml/body/outline[$i]/@text")
		grep -qF -- "$t" "$TMP/$f.txt" || fail "pandoc ($f) does not show: $t"
		i=$((i + 1))
	done
done

# A full disk is an I/O error, whatever the grouping.
if [ -w /dev/full ]; then
	for g in none keyword; do
		expect_exit 3 sh -c '"$1" -q -t opml -c "$2" --set opml.group_by="$3" "$4" >/dev/full' \
			sh "$PAPERBIB" "$EXAMPLE_INI" $g "$EXAMPLE"
	done
fi
echo "OPML valid; 48 papers ungrouped and by keyword; pandoc shows all 48 titles"
