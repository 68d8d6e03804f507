# Without an INI file and without a venue in the list, every writer still
# writes output its consumers accept (issue 2).
. tests/lib.sh
need xmllint
need ris2xml
need bibtex
PY=/usr/bin/python3
"$PY" -c 'import jsonschema' 2>/dev/null || skip "python3-jsonschema not installed"
SCHEMA=../shared/schemas/csl-data.json
[ -f "$SCHEMA" ] || fail "$SCHEMA not found: shared/ must sit beside the clone"

# the records only: no header naming the venue
sed -n '16,$p' "$EXAMPLE" >"$TMP/list.txt"
mkdir "$TMP/o"
expect_exit 0 "$PAPERBIB" -q -O "$TMP/o" "$TMP/list.txt"

"$PY" - "$SCHEMA" "$TMP/o/list.json" <<'PYEOF' || fail "CSL-JSON without venue is not valid"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
items = json.load(open(sys.argv[2], encoding="utf-8"))
jsonschema.Draft7Validator(schema).validate(items)
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
