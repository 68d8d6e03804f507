# A paper list from the web cannot reach into LaTeX (issue 14, section 4).
# Each injection attempt of tests/data/inject-payloads.txt goes into every
# field of one record: title, author, abstract, keywords and an extra
# field (list "text"), and the link: and Code: URLs, without spaces (list
# "url"). Each list is written with -t bibtex and -t biblatex and
# compiled with pdflatex: bibtex + plainnat (title, author, url and note
# printed), and biber + authoryear with the abstract and keywords printed
# too. Every payload tries to make TeX read marker.tex, which prints the
# marker word. The PDF (pdftotext) must hold every record's title (and,
# with biblatex, its abstract and keywords) and never the marker, and
# LaTeX must report no error. paperbib warns once for each record whose
# LaTeX was refused.
. tests/lib.sh
need pdflatex
need bibtex
need biber
need pdftotext

MARK=PBINJECTMARKER7731
PAYLOADS=tests/data/inject-payloads.txt
ROOT=$(pwd)
records=$(grep -vc '^#' "$PAYLOADS")
[ "$records" -gt 40 ] || fail "only $records payloads in $PAYLOADS"
# Records whose LaTeX the allow-list refuses: a backslash but that of the
# accent \^, or ^^ in math.
refusing=$(grep -v '^#' "$PAYLOADS" | sed 's/\\\^//g' |
	grep -c -e '\\' -e '\$.*\^\^.*\$')

# make_list KIND: one record of 8 lines per payload, after a header of 2
# that names the venue (every entry gets a booktitle and the year that
# plainnat's labels need). Sentinels are short words TeX never
# hyphenates: T<n> in the title, A<n> in the abstract, K<n> among the
# keywords. The second author differs (in letters: the reader strips
# digits from names), or plainnat would run out of letters (2020a ...
# 2020z) for one label and year.
make_list() {
	printf '%s\n\n' "Talks of ICLR2020, the Eighth International Conference on Learning Representations"
	n=0
	grep -v '^#' "$PAYLOADS" | while IFS= read -r p; do
		n=$((n + 1))
		w=$(awk -v n="$n" 'BEGIN { do { s = sprintf("%c", 97 + n % 26) s; n = int(n / 26) } while (n); print s }')
		if [ "$1" = text ]; then
			t=$p
			u=
		else
			t=payload
			u=/$(printf '%s' "$p" | tr -d ' \t')
		fi
		printf '%s\n' "T$n Title $t end" "Author: Ann $t Bee, Cy Dee$w" \
			"link: https://example.org/$n$u" "Code: https://github.com/pb/r$n$u" \
			"Abstract: A$n abstract $t end." "Keyword: K$n, $t" "Comment: $t" ""
	done
}
make_list text >"$TMP/text.txt"
make_list url >"$TMP/url.txt"

cd "$TMP" || fail "no $TMP"
# What every payload tries to read. \mbox: one word even in math, never
# hyphenated, so pdftotext gives it whole.
printf '\\mbox{%s}\n' "$MARK" >marker.tex

# convert LIST FORMAT WARNINGS: LIST-FORMAT.bib, with WARNINGS LaTeX
# warnings, each for a record of its own.
convert() {
	"$PAPERBIB" -t "$2" "$1.txt" >"$1-$2.bib" 2>"$1-$2.err" ||
		{ cat "$1-$2.err"; fail "paperbib -t $2 $1.txt failed"; }
	warned=$(grep 'is not allowed in a paper list; written as text' "$1-$2.err" |
		sed 's/^paperbib: [a-z]*\.txt:\([0-9]*\):.*/\1/')
	got=$(printf '%s\n' "$warned" | grep -c .)
	distinct=$(printf '%s\n' "$warned" | awk 'NF { print int(($1 - 3) / 8) }' | sort -u | grep -c .)
	[ "$got" -eq "$3" ] && [ "$distinct" -eq "$got" ] ||
		{ cat "$1-$2.err"; fail "-t $2 $1.txt: $got LaTeX warnings for $distinct records, expected $3, one per record"; }
}

# compile DOC BACKEND: pdflatex, bibtex or biber, pdflatex twice; then
# the marker must be nowhere, and every record's sentinels typeset
# (the prefixes after BACKEND).
compile() {
	doc=$1
	backend=$2
	shift 2
	for step in pdflatex "$backend" pdflatex pdflatex; do
		if [ "$step" = pdflatex ]; then
			pdflatex -interaction=nonstopmode "$doc" >"$doc.step" 2>&1
		else
			"$step" "$doc" >"$doc.step" 2>&1
		fi
	done
	[ -s "$doc.pdf" ] || { grep -A 3 '^!' "$doc.log" | head -n 20; fail "$doc: no PDF"; }
	pdftotext "$doc.pdf" "$doc.txt" || fail "pdftotext $doc.pdf failed"
	# Lines joined and hyphens dropped: a marker split at a line end is
	# still found.
	tr -d ' \n-' <"$doc.txt" | grep -q "$MARK" &&
		fail "$doc: the marker reached the PDF (an injection went through)"
	grep -n "$MARK" "$doc.log" && fail "$doc: TeX read the marker file"
	grep -A 3 '^!' "$doc.log" | head -n 20 >"$doc.errors"
	[ -s "$doc.errors" ] && { cat "$doc.errors"; fail "$doc: LaTeX errors"; }
	for prefix in "$@"; do
		i=1
		while [ "$i" -le "$records" ]; do
			grep -qw "$prefix$i" "$doc.txt" ||
				fail "$doc: $prefix$i (record $i) is not in the PDF"
			i=$((i + 1))
		done
	done
}

for list in text url; do
	want=$refusing
	[ "$list" = url ] && want=0 # URLs are not LaTeX
	convert "$list" bibtex "$want"
	cat >"bib-$list.tex" <<TEX
\\documentclass{article}
\\usepackage[T1]{fontenc}
\\usepackage{natbib}
\\usepackage{hyperref}
\\begin{document}
\\nocite{*}
\\bibliographystyle{plainnat}
\\bibliography{$list-bibtex}
\\end{document}
TEX
	compile "bib-$list" bibtex T

	convert "$list" biblatex "$want"
	cat >"blx-$list.tex" <<TEX
\\documentclass{article}
\\usepackage[T1]{fontenc}
\\usepackage[style=authoryear,backend=biber]{biblatex}
\\addbibresource{$list-biblatex.bib}
% The abstract and keywords, which standard styles leave out.
\\renewbibmacro*{finentry}{%
  \\newunit\\printfield{abstract}\\newunit\\printfield{keywords}\\finentry}
\\begin{document}
\\nocite{*}
\\printbibliography
\\end{document}
TEX
	compile "blx-$list" biber T A K
done

cd "$ROOT" || exit 1
echo "injection: $records payloads in every field and URL; the marker never reached a PDF (bibtex + plainnat, biber + biblatex)"
