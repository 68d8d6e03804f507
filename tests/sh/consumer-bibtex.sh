# BibTeX consumers: bibtex (plain, plainnat) on the reference list, then
# pdflatex + bibtex (plainnat, hyperref) on it and on the stress record of
# tests/data/bib-stress.txt, which must also come back from pandoc's BibTeX
# reader with the same title, names and URL. Links with ~, dashes, quotes,
# % and hostile LaTeX (tests/data/thin-urls.txt) come back as they were
# from bibtex's .bbl and from Zotero's BibTeX import (tests/zotero_bibtex.py);
# a record in Chinese between two others (tests/data/thin-cjk.txt) costs
# pdflatex only its own characters; summaries in Chinese kept as extra
# fields (tests/data/annote-cjk.txt) go to annote, which plainnat does not
# print, and cost it nothing.
. tests/lib.sh
need bibtex
need pdflatex
need pandoc
need python3
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

"$PAPERBIB" -q -t bibtex -c "$EXAMPLE_INI" "$EXAMPLE" >"$TMP/refs.bib" ||
	fail "paperbib -t bibtex failed on $EXAMPLE"
"$PAPERBIB" -q -t bibtex -c tests/data/bib-stress.ini tests/data/bib-stress.txt \
	>"$TMP/stress.bib" || fail "paperbib -t bibtex failed on the stress list"
"$PAPERBIB" -q -t bibtex --set venue.year=2019 tests/data/thin-urls.txt >"$TMP/urls.bib" ||
	fail "paperbib -t bibtex failed on tests/data/thin-urls.txt"
"$PAPERBIB" -t bibtex tests/data/thin-cjk.txt >"$TMP/cjk.bib" 2>"$TMP/cjk.err" ||
	fail "paperbib -t bibtex failed on tests/data/thin-cjk.txt"
[ "$(grep -c 'warning: anon2021: author, title: .*-t biblatex .*XeLaTeX or LuaLaTeX' "$TMP/cjk.err")" -eq 1 ] ||
	{ cat "$TMP/cjk.err"; fail "no single warning naming the record, its fields and -t biblatex"; }
"$PAPERBIB" -t bibtex tests/data/annote-cjk.txt >"$TMP/annote.bib" 2>"$TMP/annote.err" ||
	fail "paperbib -t bibtex failed on tests/data/annote-cjk.txt"
grep 'no LaTeX form' "$TMP/annote.err" &&
	fail "characters only in annote, which no standard style prints, were reported"
[ "$(grep -c '^  annote     = {background: ' "$TMP/annote.bib")" -eq 2 ] &&
	[ "$(grep -c '^  note ' "$TMP/annote.bib")" -eq 1 ] &&
	grep -q '^  note       = {Code: \\url{https://github.com/example/sparse}},$' "$TMP/annote.bib" ||
	{ cat "$TMP/annote.bib"; fail "the summaries are not in annote, or the code link is not alone in note"; }
LC_ALL=C grep -q '[^ -~]' "$TMP/refs.bib" "$TMP/stress.bib" "$TMP/urls.bib" &&
	fail "encoding = latex wrote non-ASCII bytes"

ROOT=$(pwd)
cd "$TMP" || fail "no $TMP"

# bibtex alone, every entry cited.
for style in plain plainnat; do
	printf '\\citation{*}\n\\bibdata{refs}\n\\bibstyle{%s}\n' "$style" >"$style.aux"
	bibtex "$style" >"$style.out" 2>&1 || { cat "$style.out"; fail "bibtex $style failed"; }
	grep -q 'Warning--' "$style.blg" && { grep 'Warning--' "$style.blg"; fail "bibtex $style warned"; }
	n=$(grep -c '^\\bibitem' "$style.bbl")
	[ "$n" -eq 48 ] || fail "bibtex $style: $n entries in the .bbl, expected 48"
done

# pdflatex + bibtex: LaTeX reads every field plainnat prints.
latex_run() { # name bibfile
	cat >"$1.tex" <<TEX
\\documentclass{article}
\\usepackage[T1]{fontenc}
\\usepackage{natbib}
\\usepackage{hyperref}
\\begin{document}
\\nocite{*}
\\bibliographystyle{plainnat}
\\bibliography{$2}
\\end{document}
TEX
	for step in pdflatex bibtex pdflatex pdflatex; do
		if [ "$step" = bibtex ]; then
			bibtex "$1" >"$1.step" 2>&1
		else
			pdflatex -interaction=nonstopmode -halt-on-error "$1" >"$1.step" 2>&1
		fi || { tail -n 30 "$1.step"; fail "$step $1 failed"; }
	done
	grep -q 'Warning--' "$1.blg" && { grep 'Warning--' "$1.blg"; fail "bibtex $1 warned"; }
	grep -E 'Missing character|undefined|^!' "$1.log" && fail "$1.log has problems"
	return 0
}
latex_run refsdoc refs
latex_run stressdoc stress
latex_run urlsdoc urls
# the summaries in Chinese never reach LaTeX; the code link, in note, does
latex_run annotedoc annote
LC_ALL=C grep -q '[^ -~]' annotedoc.bbl && { cat annotedoc.bbl; fail "plainnat printed annote"; }
grep -q 'github.com/example/sparse' annotedoc.bbl || fail "plainnat did not print the code link in note"
"$PY" "$ROOT/tests/zotero_bibtex.py" "$ROOT/tests/data/annote-cjk.txt" annote.bib annotedoc.bbl ||
	fail "Zotero's BibTeX import does not keep the summaries (annote) or the code link (note)"
"$PY" "$ROOT/tests/zotero_bibtex.py" "$ROOT/tests/data/thin-urls.txt" urls.bib urlsdoc.bbl ||
	fail "a URL does not come back from Zotero's BibTeX import or from bibtex"

# Characters pdflatex cannot typeset: every style reads the entry with no
# warning and writes valid UTF-8, and pdflatex, which reports each such
# character, still typesets the entries around it.
for style in plain plainnat abbrvnat; do
	printf '\\citation{*}\n\\bibdata{cjk}\n\\bibstyle{%s}\n' "$style" >"cjk-$style.aux"
	bibtex "cjk-$style" >"cjk-$style.out" 2>&1 || { cat "cjk-$style.out"; fail "bibtex $style failed on cjk.bib"; }
	grep -q 'Warning--' "cjk-$style.blg" && { grep 'Warning--' "cjk-$style.blg"; fail "bibtex $style warned on cjk.bib"; }
	iconv -f UTF-8 -t UTF-8 "cjk-$style.bbl" >/dev/null || fail "bibtex $style split a UTF-8 character"
done
if command -v pdftotext >/dev/null 2>&1; then
	cat >cjkdoc.tex <<TEX
\\documentclass{article}
\\usepackage[T1]{fontenc}
\\usepackage{natbib}
\\begin{document}
\\nocite{*}
\\bibliographystyle{abbrvnat}
\\bibliography{cjk}
\\end{document}
TEX
	pdflatex -interaction=nonstopmode cjkdoc >/dev/null 2>&1
	bibtex cjkdoc >/dev/null 2>&1 || fail "bibtex cjkdoc failed"
	pdflatex -interaction=nonstopmode cjkdoc >/dev/null 2>&1
	pdflatex -interaction=nonstopmode cjkdoc >/dev/null 2>&1
	grep '^!' cjkdoc.log | grep -v '^! LaTeX Error: Unicode character ' && fail "pdflatex: other errors than the characters"
	pdftotext -layout cjkdoc.pdf cjkdoc.txt || fail "pdflatex wrote no PDF for cjk.bib"
	tr -s '[:space:]' ' ' <cjkdoc.txt >cjkdoc.one
	grep -q 'Sparse alpha networks' cjkdoc.one && grep -q 'Dense omega networks' cjkdoc.one ||
		{ cat cjkdoc.txt; fail "the entries around the Chinese one are not in the PDF"; }
fi

# pandoc reads the stress record back.
pandoc -f bibtex -t csljson stress.bib >stress.json || fail "pandoc could not read stress.bib"
"$PY" "$ROOT/tests/stress_roundtrip.py" stress.json || fail "pandoc round trip differs"
echo "bibtex: 48 entries with plain and plainnat, pdflatex clean, stress record round-trips, links read back by Zotero, CJK contained, annote not printed"
