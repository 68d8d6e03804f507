# BibTeX consumers: bibtex (plain, plainnat) on the reference list, then
# pdflatex + bibtex (plainnat, hyperref) on it and on the stress record of
# tests/data/bib-stress.txt, which must also come back from pandoc's BibTeX
# reader with the same title, names and URL.
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
LC_ALL=C grep -q '[^ -~]' "$TMP/refs.bib" "$TMP/stress.bib" &&
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

# pandoc reads the stress record back.
pandoc -f bibtex -t csljson stress.bib >stress.json || fail "pandoc could not read stress.bib"
"$PY" "$ROOT/tests/stress_roundtrip.py" stress.json || fail "pandoc round trip differs"
echo "bibtex: 48 entries with plain and plainnat, pdflatex clean, stress record round-trips"
