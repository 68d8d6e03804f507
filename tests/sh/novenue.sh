# Without an INI file and without a venue in the list, every writer still
# writes output its consumers accept (issue 2).
. tests/lib.sh
need xmllint
need ris2xml
need bibtex
PY=/usr/bin/python3
[ -x "$PY" ] || skip "$PY not installed (scripts/deps.sh test installs it)"

# the records only: no header naming the venue
sed -n '16,$p' "$EXAMPLE" >"$TMP/list.txt"
mkdir "$TMP/o"
expect_exit 0 "$PAPERBIB" -q -O "$TMP/o" "$TMP/list.txt"

# the official schema where available, else tests/csl-check.py
"$PY" tests/csl-check.py --auto "$TMP/o/list.json" >"$TMP/valid.out" 2>&1
case $? in
0) head -n 1 "$TMP/valid.out" ;;
77) skip "$(tail -n 1 "$TMP/valid.out")" ;;
*) cat "$TMP/valid.out"; fail "CSL-JSON without venue is not valid" ;;
esac
"$PY" - "$TMP/o/list.json" <<'PYEOF' || fail "CSL-JSON without venue: wrong items"
import json, sys
items = json.load(open(sys.argv[1], encoding="utf-8"))
assert len(items) == 48, len(items)
assert not any("issued" in i or "container-title" in i for i in items)
PYEOF

xmllint --noout "$TMP/o/list.opml" || fail "OPML without venue is not well-formed"
[ "$(xmllint --xpath 'string(/opml/head/title)' "$TMP/o/list.opml")" = "Reading list" ] ||
	fail "OPML title without venue"

ris2xml "$TMP/o/list.ris" >"$TMP/mods.xml" 2>"$TMP/ris.err" || fail "ris2xml failed"
grep -q "Processed 48 references" "$TMP/ris.err" || { cat "$TMP/ris.err"; fail "ris2xml did not read 48"; }

# bibtex: no year, no booktitle; plain warns about the missing year (as it
# must: the record has none), but reads every entry with no error.
cd "$TMP"
cp o/list.bib refs.bib
printf '\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n' >t.aux
bibtex t >bibtex.log 2>&1
grep -q "error message" bibtex.log && { cat bibtex.log; fail "bibtex errors without venue"; }
[ "$(grep -c '\\bibitem' t.bbl)" = 48 ] || fail "bibtex did not typeset 48 entries"
echo "no-venue outputs ok"
