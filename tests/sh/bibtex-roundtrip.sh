# BibTeX and BibLaTeX round trips (issue 16): TeX Live's xampl.bib and
# biblatex-examples.bib, read from the installed TeX Live (never copied
# here), through paperbib -f bibtex -t bibtex and -t biblatex, keep every
# standard field of every entry: at least 98% of them (btxdoc's fields
# for bibtex, biblatex's data model for biblatex) are in the entry of the
# same key, under their name or the dialect's (tests/bibtex_fields.py).
# Measured 2026-12-06: xampl 99.1% both; biblatex-examples 99.2% (bibtex)
# and 99.4% (biblatex). What is lost: a PhD thesis's type in BibTeX
# (@phdthesis says it), the file field (the reader skips it), in BibLaTeX
# what biber's data model has no field for in the entry type (annote).
. tests/lib.sh
PY=/usr/bin/python3
[ -x "$PY" ] || skip "$PY not installed"
if ! command -v kpsewhich >/dev/null 2>&1; then
	[ -n "${CI:-}" ] && fail "kpsewhich not installed (TeX Live is needed in CI)"
	skip "kpsewhich not installed (TeX Live)"
fi
for d in bibtex biblatex; do
	set --
	for f in xampl biblatex-examples; do
		bib=$(kpsewhich "$f.bib") || fail "kpsewhich finds no $f.bib"
		"$PAPERBIB" -q -f bibtex -t "$d" "$bib" >"$TMP/$f.$d.bib" 2>"$TMP/err" ||
			{ cat "$TMP/err"; fail "paperbib -t $d failed on $f.bib"; }
		set -- "$@" "$bib" "$TMP/$f.$d.bib"
	done
	"$PY" tests/bibtex_fields.py --dialect "$d" --min 98 "$@" >"$TMP/out" ||
		{ cat "$TMP/out"; fail "-t $d keeps under 98% of the standard fields"; }
	tail -1 "$TMP/out"
	# and again: what was written reads back to the same output
	for f in xampl biblatex-examples; do
		"$PAPERBIB" -q -f bibtex -t "$d" "$TMP/$f.$d.bib" >"$TMP/$f.$d.2.bib" 2>/dev/null ||
			fail "paperbib -t $d failed on its own $f output"
		"$PY" tests/bibtex_fields.py --dialect "$d" --min 98 \
			"$TMP/$f.$d.bib" "$TMP/$f.$d.2.bib" >"$TMP/out2" ||
			{ cat "$TMP/out2"; fail "-t $d twice loses fields of $f"; }
	done
done
