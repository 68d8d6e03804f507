# A BibTeX file written by paperbib and read and written again is the
# same file, in both dialects: tests/data/zotero-bibtex.bib (Zotero's
# BibTeX, with an @incollection before the @book it names in crossref,
# whose title must already be the chapter's booktitle in the first pass,
# and whose key must stay the book's).
. tests/lib.sh
for d in bibtex biblatex; do
	expect_exit 0 "$PAPERBIB" -q -f bibtex -t "$d" tests/data/zotero-bibtex.bib
	mv "$TMP/out" "$TMP/1.bib"
	expect_exit 0 "$PAPERBIB" -q -f bibtex -t "$d" "$TMP/1.bib"
	mv "$TMP/out" "$TMP/2.bib"
	diff "$TMP/1.bib" "$TMP/2.bib" ||
		fail "-t $d: zotero-bibtex.bib written twice differs"
done
grep -q '^  booktitle  = {Polar Shorelines},$' "$TMP/1.bib" ||
	fail "petrov2010chapter has no booktitle from its @book"
