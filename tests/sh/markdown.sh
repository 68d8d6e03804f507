# Markdown paper lists through the CLI (issue 15): detection, the -v report
# of the shapes recognised, and exit 1 with no output on clutter.
. tests/lib.sh
D=tests/data

# the reference list is still read by the line reader: same output as -f
"$PAPERBIB" -q -t csl-json "$EXAMPLE" >"$TMP/auto.json" || fail "reference list: exit $?"
"$PAPERBIB" -q -f paperlist -t csl-json "$EXAMPLE" >"$TMP/plain.json" || fail "-f paperlist: exit $?"
cmp -s "$TMP/auto.json" "$TMP/plain.json" || fail "the reference list is no longer read as a plain list"

# a bold-titled list pasted as .txt is read as Markdown, and -v says so
cp "$D/md-bold.md" "$TMP/pasted.txt"
expect_exit 0 "$PAPERBIB" -v -t csl-json "$TMP/pasted.txt"
expect_err "$TMP/pasted.txt:10: note: entries 1–4: bold title + bullet fields, lines 10–33"
[ "$(grep -c '"title"' "$TMP/out")" -eq 4 ] || fail "pasted.txt: $(grep -c '"title"' "$TMP/out") records, expected 4"

# the award page (plain text, no labels): title line + author line
expect_exit 0 "$PAPERBIB" -v -t csl-json "$D/md-award.txt"
expect_err "note: entries 1–2: title line + author line, lines 7–13"
grep -q 'Program Chairs' "$TMP/out" && fail "award page: a committee line became a record"

# -f markdown forces the reader
expect_exit 0 "$PAPERBIB" -q -f markdown -t ris "$D/md-table.md"
[ "$(grep -c '^TY  - ' "$TMP/out")" -eq 4 ] || fail "md-table: $(grep -c '^TY  - ' "$TMP/out") records, expected 4"

# clutter only: exit 1, no record, the shapes looked for named
expect_exit 1 "$PAPERBIB" -t bibtex "$D/md-clutter.md"
expect_err "$D/md-clutter.md: error: no paper entries found in this Markdown; the reader looks for headings or bold titles followed by fields"
[ -s "$TMP/out" ] && fail "clutter: wrote output"

# an entry without a title is a warning naming its line
printf '# Section\n\n- Paper: https://arxiv.org/abs/2301.00001\n\n**Entry One**\n\n- Paper: https://arxiv.org/abs/2301.00002\n\n**Entry Two**\n\n- Code: https://github.com/a/b\n' >"$TMP/untitled.md"
expect_exit 0 "$PAPERBIB" -t csl-json "$TMP/untitled.md"
expect_err "$TMP/untitled.md:1: warning: an entry without a title (lines 1-3); skipped"
grep -q '2301.00001' "$TMP/out" && fail "untitled: its link moved to another record"
# an accepted-paper list pasted from a conference site: numbered lines
# stay on the line reader, even with Markdown links around them
{ printf '# Accepted papers\n\n[Home](https://c.org) [Dates](https://c.org/d) [CfP](https://c.org/c)\n\n'
  cat "$D/list-accepted.txt"; } >"$TMP/accepted.md"
expect_exit 0 "$PAPERBIB" -t ris "$TMP/accepted.md"
[ "$(grep -c '^TY  - ' "$TMP/out")" -eq 4 ] || fail "accepted.md: $(grep -c '^TY  - ' "$TMP/out") records, expected 4"
expect_err "warning: numbered line is not 'authors. title'; ignored"
# the Markdown variant: a title line, then an italic author line
expect_exit 0 "$PAPERBIB" -v -t csl-json "$D/md-accepted.md"
expect_err "note: entries 1–4: title line + author line, lines 5–17"
grep -q '"Accepted Papers"' "$TMP/out" && fail "md-accepted: the page heading became a record"
# a bibliography pasted as text is read as formatted references
cp "$D/md-refs.txt" "$TMP/refs.txt"
expect_exit 0 "$PAPERBIB" -v -t bibtex "$TMP/refs.txt"
expect_err "$TMP/refs.txt:3: note: entries 1–3: formatted references, lines 3–5"
grep -q '^@article{smith2019study,' "$TMP/out" || fail "refs.txt: no @article for the first reference"
grep -q 'doi *= {10.1234/abcd}' "$TMP/out" || fail "refs.txt: the DOI is lost"
echo "markdown: detection, -v shapes, clutter exit 1"
