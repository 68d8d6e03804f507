# The BibTeX writers on full records (issue 16), through their consumers:
# a CSL-JSON fixture of every CSL item type, each with every variable the
# writers map, every name role, a dropping particle, a suffix, rich text
# and a date range (made below, one item per type), written with
# -t bibtex and -t biblatex:
#   - bibtex with plainnat and pdflatex take it with no error;
#   - biber --validate-datamodel takes it with no error (it warns where
#     a field is not in blx-dm.def for the entry type, and for biblatex's
#     non-standard types, which the data model gives no fields), and
#     biber and pdflatex with biblatex's reading style with no error;
#   - every item is an entry, and nothing is lost without a word: what
#     an entry has no field for is an annote line.
. tests/lib.sh
need bibtex
need pdflatex
need biber
PY=/usr/bin/python3
[ -x "$PY" ] || skip "$PY not installed"

"$PY" - >"$TMP/full.json" <<'PYEOF'
import json
types = """article article-journal article-magazine article-newspaper bill book
broadcast chapter classic collection dataset document entry entry-dictionary
entry-encyclopedia event figure graphic hearing interview legal_case
legislation manuscript map motion_picture musical_score pamphlet
paper-conference patent performance periodical personal_communication post
post-weblog regulation report review review-book software song speech standard
thesis treaty webpage""".split()
items = []
for i, t in enumerate(types):
    items.append({
        "id": "item%d" % i, "type": t,
        "title": "A <i>Title</i> of %s with <span class=\"nocase\">DNA</span>"
                 " and H<sub>2</sub>O" % t,
        "author": [{"family": "Beethoven", "given": "Ludwig",
                    "dropping-particle": "van"},
                   {"family": "Doe", "given": "Jane", "suffix": "Jr."}],
        "editor": [{"family": "Roe", "given": "Ann"}],
        "translator": [{"family": "Poe", "given": "Ed"}],
        "container-author": [{"family": "Coe", "given": "Cy"}],
        "collection-editor": [{"family": "Moe", "given": "Mo"}],
        "compiler": [{"family": "Loe", "given": "Lu"}],
        "container-title": "The Container", "container-title-short": "Cont.",
        "collection-title": "Series", "collection-number": "5",
        "publisher": "Pub", "publisher-place": "Paris",
        "volume": "3", "issue": "2", "page": "10-20", "edition": "2",
        "DOI": "10.1000/x_y", "ISBN": "978-3-16-148410-0",
        "ISSN": "1234-5679", "chapter-number": "4", "number": "TR-9",
        "genre": "Habilitation", "event-title": "Conf", "event-place": "Rome",
        "language": "en", "note": "A note", "title-short": "Short",
        "original-title": "Urtitel", "status": "in press",
        "URL": "https://example.org/a~b",
        "accessed": {"date-parts": [[2020, 4, 26]]},
        "original-date": {"date-parts": [[1905]]},
        "event-date": {"date-parts": [[2019, 5, 1], [2019, 5, 3]]},
        # plainnat labels run out of letters after 26 of one author-year
        "issued": {"date-parts": [[1900 + i], [1901 + i]]},
        "number-of-pages": "300", "number-of-volumes": "2",
        "version": "1.2", "archive": "Arch", "medium": "CD",
        "abstract": "An <b>abstract</b> with <sc>Small Caps</sc>."})
print(json.dumps(items, indent=1))
PYEOF
n=$(grep -c '"id"' "$TMP/full.json")
"$PAPERBIB" -q -f csl-json -t bibtex "$TMP/full.json" >"$TMP/full.bib" ||
	fail "paperbib -t bibtex failed on the fixture"
"$PAPERBIB" -q -f csl-json -t biblatex "$TMP/full.json" >"$TMP/fullx.bib" ||
	fail "paperbib -t biblatex failed on the fixture"
for b in full fullx; do
	[ "$(grep -c '^@' "$TMP/$b.bib")" -eq "$n" ] || fail "$b.bib: not $n entries"
	grep -q 'textit{Title}' "$TMP/$b.bib" || fail "$b.bib: no \\textit from <i>"
	grep -q 'van Beethoven, Ludwig and Doe, Jr., Jane' "$TMP/$b.bib" ||
		fail "$b.bib: names not as BibTeX reads them"
	grep -q '^archive: Arch' "$TMP/$b.bib" || fail "$b.bib: archive not in annote"
done
grep -q '  date       = {1900/1901},' "$TMP/fullx.bib" || fail "no EDTF date range"
grep -q '  bookauthor = {Coe, Cy},' "$TMP/fullx.bib" || fail "no bookauthor"
grep -q '  editoratype = {compiler},' "$TMP/fullx.bib" || fail "no editora compiler"

cd "$TMP" || fail "no $TMP"
cat >doc.tex <<'TEX'
\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage{natbib}
\usepackage{url}
\begin{document}
\nocite{*}
\bibliographystyle{plainnat}
\bibliography{full}
\end{document}
TEX
pdflatex -interaction=nonstopmode doc >step.out 2>&1
bibtex doc >bibtex.out 2>&1 || { cat bibtex.out; fail "bibtex (plainnat) failed on full.bib"; }
grep -i 'error' bibtex.out && fail "bibtex reported errors on full.bib"
for i in 1 2; do
	pdflatex -interaction=nonstopmode -halt-on-error doc >step.out 2>&1 ||
		{ tail -n 30 step.out; fail "pdflatex failed on full.bib's bibliography"; }
done
[ "$(grep -c '\\bibitem' doc.bbl)" -eq "$n" ] || fail "plainnat: not $n items"

biber --tool --validate-datamodel --output-file=fullx.tool.bib fullx.bib \
	>val.out 2>&1 || { cat val.out; fail "biber --tool failed on fullx.bib"; }
grep -E 'ERROR' val.out && fail "biber --validate-datamodel: errors on fullx.bib"
[ "$(grep -c '^@' fullx.tool.bib)" -eq "$n" ] || fail "biber --tool: not $n entries"
cat >docx.tex <<'TEX'
\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage[style=reading]{biblatex}
\addbibresource{fullx.bib}
\begin{document}
\nocite{*}
\printbibliography
\end{document}
TEX
for step in pdflatex biber pdflatex; do
	if [ "$step" = biber ]; then biber docx >step.out 2>&1; else
		pdflatex -interaction=nonstopmode -halt-on-error docx >step.out 2>&1; fi ||
		{ tail -n 30 step.out; fail "$step failed on fullx.bib"; }
done
grep -E 'ERROR' docx.blg && fail "biber errors on fullx.bib"
[ "$(grep -c '\\entry{' docx.bbl)" -eq "$n" ] || fail "biber: not $n entries"
echo "bibtex-full: $n CSL types: plainnat + pdflatex clean, biber --validate-datamodel and biber + pdflatex with no error"
