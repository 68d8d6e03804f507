# BibLaTeX consumers: biber's data model check, pdflatex + biber with
# biblatex style=reading (which prints abstracts, keywords and notes) on
# the reference list (its track in annote, read by biber as the
# annotation) and on the stress record, and pandoc reading the
# stress record back with the same title, names and URL. Links with ~,
# dashes, quotes, % and hostile LaTeX (tests/data/thin-urls.txt) come back
# as they were from biber's .bbl and from Zotero's BibTeX import
# (tests/zotero_bibtex.py).
. tests/lib.sh
need biber
need pdflatex
need pandoc
need python3
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

"$PAPERBIB" -q -t biblatex -c "$EXAMPLE_INI" "$EXAMPLE" >"$TMP/refs.bib" ||
	fail "paperbib -t biblatex failed on $EXAMPLE"
"$PAPERBIB" -q -t biblatex -c tests/data/bib-stress.ini tests/data/bib-stress.txt \
	>"$TMP/stress.bib" || fail "paperbib -t biblatex failed on the stress list"
"$PAPERBIB" -q -t biblatex --set venue.year=2019 tests/data/thin-urls.txt >"$TMP/urls.bib" ||
	fail "paperbib -t biblatex failed on tests/data/thin-urls.txt"
grep -q 'Gábor' "$TMP/refs.bib" || fail "encoding = utf8 did not keep letters as UTF-8"

ROOT=$(pwd)
cd "$TMP" || fail "no $TMP"

for bib in refs stress urls; do
	biber --tool --validate-datamodel --output-file="$bib.tool.bib" "$bib.bib" \
		>"$bib.val" 2>&1 || { cat "$bib.val"; fail "biber --tool failed on $bib.bib"; }
	grep -E 'WARN|ERROR' "$bib.val" && fail "biber --validate-datamodel complained about $bib.bib"
done

latex_run() { # name bibfile
	cat >"$1.tex" <<TEX
\\documentclass{article}
\\usepackage[T1]{fontenc}
\\usepackage[style=reading]{biblatex}
\\addbibresource{$2.bib}
\\begin{document}
\\nocite{*}
\\printbibliography
\\end{document}
TEX
	for step in pdflatex biber pdflatex pdflatex; do
		if [ "$step" = biber ]; then
			biber "$1" >"$1.step" 2>&1
		else
			pdflatex -interaction=nonstopmode -halt-on-error "$1" >"$1.step" 2>&1
		fi || { tail -n 30 "$1.step"; fail "$step $1 failed"; }
	done
	grep -E 'WARN|ERROR' "$1.blg" && fail "biber warned on $2.bib"
	grep -E 'Missing character|undefined|^!' "$1.log" && fail "$1.log has problems"
	n=$(grep -c '\\entry{' "$1.bbl")
	echo "$1: $n entries"
}
latex_run refsdoc refs
[ "$(grep -c '\\entry{' refsdoc.bbl)" -eq 48 ] || fail "biber: expected 48 entries"
# What has no field (the track) is in annote, which biber reads as
# biblatex's annotation; note holds only the code links, which styles print.
[ "$(grep -c '\\field{annotation}{Track: Talk}' refsdoc.bbl)" -eq 48 ] ||
	fail "biber did not read annote as the annotation of each entry"
grep '\\field{note}' refsdoc.bbl | grep -v '\\field{note}{Code: ' &&
	fail "note holds more than the code link"
latex_run stressdoc stress
latex_run urlsdoc urls
"$PY" "$ROOT/tests/zotero_bibtex.py" "$ROOT/tests/data/thin-urls.txt" urls.bib urlsdoc.bbl ||
	fail "a URL does not come back from Zotero's BibTeX import or from biber"

pandoc -f biblatex -t csljson stress.bib >stress.json || fail "pandoc could not read stress.bib"
"$PY" "$ROOT/tests/stress_roundtrip.py" stress.json || fail "pandoc round trip differs"
echo "biblatex: datamodel valid, 48 entries, pdflatex clean, stress record round-trips"
