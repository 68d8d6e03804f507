# Records that lack what a conference paper has (issue 14, section 3):
# 40 papers with only a title and an arXiv link (tests/data/thin-arxiv.txt),
# and records with authors but no venue, a title and a page, with and
# without a venue that has no year (tests/data/thin-mixed.txt). Their
# BibTeX must go through bibtex with plain, plainnat and abbrvnat with no
# warning (but plainnat's and abbrvnat's "empty year" for a record with no
# date at all: a year cannot be made up), and pdflatex with no error;
# their BibLaTeX through biber (its data model check for the arXiv papers,
# which all have a date) and pdflatex.
. tests/lib.sh
need bibtex
need pdflatex
need biber

THIN=tests/data/thin-arxiv.txt
MIXED=tests/data/thin-mixed.txt
"$PAPERBIB" -q -t bibtex "$THIN" >"$TMP/thin.bib" || fail "paperbib -t bibtex failed on $THIN"
"$PAPERBIB" -q -t bibtex "$MIXED" >"$TMP/mixed.bib" || fail "paperbib -t bibtex failed on $MIXED"
"$PAPERBIB" -q -t bibtex --set "venue.name=Workshop on Thin Records" "$MIXED" \
	>"$TMP/venue.bib" || fail "paperbib -t bibtex failed on $MIXED with a venue"
"$PAPERBIB" -q -t biblatex "$THIN" >"$TMP/thinx.bib" || fail "paperbib -t biblatex failed on $THIN"
"$PAPERBIB" -q -t biblatex "$MIXED" >"$TMP/mixedx.bib" || fail "paperbib -t biblatex failed on $MIXED"

# What the entries hold: @misc with the arXiv id's year and a key.
n=$(grep -c '^@misc{' "$TMP/thin.bib")
[ "$n" -eq 40 ] || fail "$n @misc entries of 40 thin records"
[ "$(grep -c '^  year       = {' "$TMP/thin.bib")" -eq 40 ] || fail "a thin record has no year"
[ "$(grep -c '^  key        = {' "$TMP/thin.bib")" -eq 40 ] || fail "a thin record has no key"
grep -q '^  year       = {2017},' "$TMP/thin.bib" || fail "1706.03762 did not give 2017"
grep -q '^  year       = {1997},' "$TMP/thin.bib" || fail "hep-th/9711200 did not give 1997"
[ "$(grep -c '^@online{' "$TMP/thinx.bib")" -eq 40 ] || fail "thin records are not @online in BibLaTeX"

ROOT=$(pwd)
cd "$TMP" || fail "no $TMP"

# bibtex alone, every entry cited, with each style.
for bib in thin mixed venue; do
	for style in plain plainnat abbrvnat; do
		printf '\\citation{*}\n\\bibdata{%s}\n\\bibstyle{%s}\n' "$bib" "$style" >"$bib-$style.aux"
		bibtex "$bib-$style" >"$bib-$style.out" 2>&1 ||
			{ cat "$bib-$style.out"; fail "bibtex $style failed on $bib.bib"; }
		# A record with no date at all has no year to give: plainnat and
		# abbrvnat say so (plain does not), and that is their only warning.
		grep 'Warning--' "$bib-$style.blg" | grep -v '^Warning--empty year in ' &&
			fail "bibtex $style warned on $bib.bib"
		w=$(grep -c '^Warning--empty year in ' "$bib-$style.blg")
		want=0
		[ "$style" = plain ] || want=$(($(grep -c '^@' "$bib.bib") - $(grep -c '^  year ' "$bib.bib")))
		[ "$bib" = thin ] && want=0
		[ "$w" -eq "$want" ] || fail "bibtex $style on $bib.bib: $w empty-year warnings, expected $want"
		grep -q '^\\bibitem\[[0-9]' "$bib-$style.bbl" && fail "$style: a label made from the citation key"
	done
done
[ "$(grep -c '^\\bibitem' thin-plainnat.bbl)" -eq 40 ] || fail "plainnat: not 40 entries"

# pdflatex + bibtex: natbib for plainnat and abbrvnat, plain without.
latex_run() { # name bibfile style
	pkg='\usepackage{natbib}'
	[ "$3" = plain ] && pkg=''
	cat >"$1.tex" <<TEX
\\documentclass{article}
\\usepackage[T1]{fontenc}
$pkg
\\usepackage{hyperref}
\\begin{document}
\\nocite{*}
\\bibliographystyle{$3}
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
	grep 'Warning--' "$1.blg" | grep -v '^Warning--empty year in ' && fail "bibtex $1 warned"
	grep -E 'Missing character|undefined|^!' "$1.log" && fail "$1.log has problems"
	return 0
}
for style in plain plainnat abbrvnat; do
	latex_run "thin-$style-doc" thin "$style"
done
latex_run mixed-doc mixed plainnat
latex_run venue-doc venue abbrvnat

# biber: the data model holds for the arXiv papers (each has a date); every
# record, with or without one, goes through biber and pdflatex.
biber --tool --validate-datamodel --output-file=thinx.tool.bib thinx.bib >thinx.val 2>&1 ||
	{ cat thinx.val; fail "biber --tool failed on thinx.bib"; }
grep -E 'WARN|ERROR' thinx.val && fail "biber --validate-datamodel complained about thinx.bib"
for bib in thinx mixedx; do
	cat >"$bib-doc.tex" <<TEX
\\documentclass{article}
\\usepackage[T1]{fontenc}
\\usepackage[style=authoryear]{biblatex}
\\addbibresource{$bib.bib}
\\begin{document}
\\nocite{*}
\\printbibliography
\\end{document}
TEX
	for step in pdflatex biber pdflatex pdflatex; do
		if [ "$step" = biber ]; then
			biber "$bib-doc" >"$bib-doc.step" 2>&1
		else
			pdflatex -interaction=nonstopmode -halt-on-error "$bib-doc" >"$bib-doc.step" 2>&1
		fi || { tail -n 30 "$bib-doc.step"; fail "$step $bib-doc failed"; }
	done
	grep -E 'WARN|ERROR' "$bib-doc.blg" && fail "biber warned on $bib.bib"
	grep -E 'Missing character|undefined|^!' "$bib-doc.log" && fail "$bib-doc.log has problems"
done
[ "$(grep -c '\\entry{' thinx-doc.bbl)" -eq 40 ] || fail "biber: not 40 entries"
cd "$ROOT" || exit 1
echo "thin records: bibtex (plain, plainnat, abbrvnat) with no warning, biber, pdflatex clean"
