# A BibTeX file that repeats a field, or whose date is long text, is
# written back as BibTeX that bibtex and the fuzz oracle accept: a field
# once in each entry (the repeat in annote), and valid UTF-8 (found by
# replaying the fuzz corpus after the full record of issue 16).
. tests/lib.sh
long=$(printf 'Ω%.0s' $(seq 1 300))
cat >"$TMP/in.bib" <<BIB
@inproceedings{a,
  author = {Girdhar, Rohit},
  title = {One},
  booktitle = {Proc},
  url = {https://example.org/first},
  url = {https://example.org/second},
  note = {first note},
  note = {second note},
  year = 2020,
}
@misc{b,
  title = {Two},
  date = {2021-05-03/202x$long},
}
BIB
for t in bibtex biblatex; do
	expect_exit 0 "$PAPERBIB" -f bibtex -t $t "$TMP/in.bib"
	n=$(grep -c '^  url ' "$TMP/out")
	[ "$n" = 1 ] || fail "$t: url written $n times"
	[ "$(grep -c '^  note ' "$TMP/out")" = 1 ] || fail "$t: note written twice"
	grep -q 'example.org/second' "$TMP/out" || fail "$t: the repeated url is lost"
	grep -q 'second note' "$TMP/out" || fail "$t: the repeated note is lost"
	iconv -f UTF-8 -t UTF-8 "$TMP/out" >/dev/null 2>&1 || fail "$t: invalid UTF-8"
done
echo "repeated fields and long dates written once and whole"
