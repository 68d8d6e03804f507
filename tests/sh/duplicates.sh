# Duplicates are decided by identity, not by title (issue 14): distinct
# papers with one title stay, a paper list given twice or a paper under
# two headings gives each paper once, bibliographies keep every entry
# and key, and a placeholder URL shared by many records is no identity.
. tests/lib.sh

# Two papers with one title and different OpenReview ids: two records,
# one warning naming both lines.
f=tests/data/dup-same-title.txt
expect_exit 0 "$PAPERBIB" -t csl-json "$f"
[ "$(grep -c '"citation-key"' "$TMP/out")" = 2 ] || fail "same title: not 2 records"
grep -q HkxBBBBBB2 "$TMP/out" || fail "same title: the second paper was lost"
expect_err "$f:7: warning: same title as the record at $f:3, but a different identifier (openreview:HkxBBBBBB2)"
[ "$(grep -c 'same title' "$TMP/err")" = 1 ] || fail "same title: not one warning"
expect_err "paperbib: 2 records, 1 warning"

# A paper list given twice: each paper once, the repeats counted.
expect_exit 0 "$PAPERBIB" -t csl-json "$EXAMPLE" "$EXAMPLE"
[ "$(grep -c '"citation-key"' "$TMP/out")" = 48 ] || fail "list twice: not 48 records"
expect_err "paperbib: 48 records, 48 warnings, 48 duplicates dropped"
grep -q 'same title' "$TMP/err" && fail "list twice: a repeat taken for another paper"

# The same arXiv paper (abs and pdf forms) under two headings: once.
f=tests/data/dup-headings.txt
expect_exit 0 "$PAPERBIB" -t csl-json "$f"
[ "$(grep -c '"citation-key"' "$TMP/out")" = 2 ] || fail "two headings: not 2 records"
expect_err "$f:15: warning: duplicate of an earlier record (same URL): 'Attention is all you need'; kept once (the record at $f:5)"
expect_err "1 duplicate dropped"

# No identifiers: other authors keep a repeated title, the same authors
# do not.
f=tests/data/dup-no-ids.txt
expect_exit 0 "$PAPERBIB" -t csl-json "$f"
[ "$(grep -c '"citation-key"' "$TMP/out")" = 2 ] || fail "no ids: not 2 records"
grep -q '"family": "Diaz"' "$TMP/out" || fail "no ids: the paper by other authors was lost"
expect_err "$f:6: warning: same title as the record at $f:3, but different authors"
expect_err "$f:9: warning: duplicate of an earlier record (same title and authors): 'A study of things.'"

# 48 RIS records sharing a placeholder URL (a journal's home page): 48.
awk 'BEGIN { for (i = 1; i <= 48; i++)
	printf "TY  - JOUR\nID  - rec%d\nTI  - Article number %d\nAU  - Lee, Ann\nUR  - https://www.example-journal.org/\nER  - \n\n", i, i }' \
	>"$TMP/placeholder.ris"
expect_exit 0 "$PAPERBIB" -t ris "$TMP/placeholder.ris"
[ "$(grep -c '^TY  - ' "$TMP/out")" = 48 ] || fail "placeholder URL: not 48 records"
grep -q duplicate "$TMP/err" && fail "placeholder URL: records taken for duplicates"
# the same with a specific-looking shared page: titles still tell them apart
sed 's|UR  - https://www.example-journal.org/|UR  - https://example-journal.org/issue/5|' \
	"$TMP/placeholder.ris" >"$TMP/issue.ris"
expect_exit 0 "$PAPERBIB" -t ris "$TMP/issue.ris"
[ "$(grep -c '^TY  - ' "$TMP/out")" = 48 ] || fail "shared issue page: not 48 records"

# [input] duplicates = keep and drop still work.
expect_exit 0 "$PAPERBIB" -t csl-json --set input.duplicates=keep tests/data/dup-headings.txt
[ "$(grep -c '"citation-key"' "$TMP/out")" = 3 ] || fail "keep: not 3 records"
[ -n "$(grep duplicate "$TMP/err")" ] && fail "keep: reported duplicates"

# Paper lists: a repeated title is the same paper unless the two records
# conflict (identifiers of one scheme that differ, or authors that differ);
# a link only the dropped one had is named in the warning.
# A bold title with bullet links, named twice: the same code link, the
# paper link only the second time.
f=tests/data/dup-bold-code.md
expect_exit 0 "$PAPERBIB" -t csl-json -f markdown "$f"
[ "$(grep -c '"citation-key"' "$TMP/out")" = 4 ] || fail "bold + code: not 4 records"
expect_err "$f:17: warning: duplicate of an earlier record (same title and code link): 'BiFormer: Vision Transformer with Bi-Level Routing Attention'; kept once (the record at $f:5); not kept from this one: https://arxiv.org/abs/2303.08810"
# one title, two arXiv ids: two papers
expect_err "$f:27: warning: same title as the record at $f:22, but a different identifier (arxiv:2303.02222)"
expect_err "paperbib: 4 records, 2 warnings, 1 duplicate dropped"

# A must-read list naming papers twice: an OpenReview id and an arXiv id
# (two schemes), a proceedings page and an arXiv id with the same family
# names (Zhitao Ying, Rex Ying), but two arXiv ids, or other authors, are
# two papers.
f=tests/data/dup-must-read.md
expect_exit 0 "$PAPERBIB" -t csl-json "$f"
[ "$(grep -c '"citation-key"' "$TMP/out")" = 6 ] || fail "must-read: not 6 records"
expect_err "$f:23: warning: duplicate of an earlier record (same title, no identifier or authors in conflict): 'GraphSAINT: Graph Sampling Based Inductive Learning Method'; kept once (the record at $f:5); not kept from this one: https://arxiv.org/abs/1907.04931, https://arxiv.org/pdf/1907.04931.pdf, https://github.com/GraphSAINT/GraphSAINT"
expect_err "$f:27: warning: duplicate of an earlier record (same title, no identifier or authors in conflict): 'GNNExplainer: Generating Explanations for Graph Neural Networks'; kept once (the record at $f:9); not kept from this one: https://arxiv.org/abs/1903.03894"
expect_err "$f:31: warning: same title as the record at $f:13, but a different identifier (arxiv:1901.00009)"
expect_err "$f:35: warning: same title as the record at $f:17, but different authors"
grep -q 'Diaz' "$TMP/out" || fail "must-read: the paper by other authors was lost"
expect_err "paperbib: 6 records, 4 warnings, 2 duplicates dropped"

# Two table rows, one paper: the same two links in other columns.
f=tests/data/dup-table.md
expect_exit 0 "$PAPERBIB" -t csl-json "$f"
[ "$(grep -c '"citation-key"' "$TMP/out")" = 3 ] || fail "table: not 3 records"
expect_err "$f:14: warning: duplicate of an earlier record"
expect_err "'Rethinking Graph Transformers with Spectral Attention'; kept once (the record at $f:7)"
grep -q 'not kept from this one' "$TMP/err" && fail "table: a link the kept record has named as lost"

# Bibliographies from TeX Live: every entry, every key unchanged.
command -v kpsewhich >/dev/null 2>&1 || skip "kpsewhich not installed (scripts/deps.sh test installs TeX Live)"
keys() { grep -io '^ *@[a-z]*[{(][^,]*,' "$1" | grep -iv '^ *@\(string\|preamble\|comment\)' |
	sed 's/^ *@[a-zA-Z]*[{(]//; s/,$//' | sort; }
for name in xampl.bib:36 biblatex-examples.bib:92; do
	bib=$(kpsewhich "${name%:*}") || fail "kpsewhich ${name%:*}: not found"
	count=${name#*:}
	expect_exit 0 "$PAPERBIB" -t bibtex "$bib"
	n=$(grep -vi '^@\(preamble\|string\|comment\)' "$TMP/out" | grep -c '^@')
	[ "$n" = "$count" ] || { grep duplicate "$TMP/err"; fail "${name%:*}: $n entries, expected $count"; }
	keys "$bib" >"$TMP/in.keys"
	keys "$TMP/out" >"$TMP/out.keys"
	[ "$(wc -l <"$TMP/in.keys")" = "$count" ] || fail "${name%:*}: test reads $(wc -l <"$TMP/in.keys") keys"
	cmp -s "$TMP/in.keys" "$TMP/out.keys" || { diff "$TMP/in.keys" "$TMP/out.keys" | head; fail "${name%:*}: keys changed"; }
	grep -q 'duplicates* dropped' "$TMP/err" && fail "${name%:*}: entries dropped"
done
# biblatex-examples.bib: baez/online kept and reported beside baez/article
expect_err "entry 'baez/online': duplicate of entry 'baez/article' at $bib:"
expect_err "(same arXiv id)"
# The same bibliography twice: the repeated keys are one entry each.
bib=$(kpsewhich xampl.bib)
expect_exit 0 "$PAPERBIB" -t bibtex "$bib" "$bib"
[ "$(grep -vi '^@\(preamble\|string\|comment\)' "$TMP/out" | grep -c '^@')" = 36 ] || fail "xampl.bib twice: not 36 entries"
expect_err "36 duplicates dropped"
echo "duplicates ok"
