# Tests of tests/csl-check.py, the CSL-JSON checker that stands in for the
# official schema on a clone without ../shared/: it accepts paperbib's
# golden CSL-JSON, CSL-JSON as Zotero and pandoc write it (pandoc's own
# output of TeX Live's xampl.bib when pandoc is there), and rejects each
# bad item of tests/data/csl-bad-*.json with the message of its table row.
# Where the official schema is available, the two agree on every item of
# the golden and pandoc files.
. tests/lib.sh
PY=/usr/bin/python3
[ -x "$PY" ] || skip "$PY not installed (scripts/deps.sh test installs it)"
CHECK=tests/csl-check.py

# Valid CSL-JSON: every golden file, and items in the forms Zotero's and
# citeproc-js' CSL-JSON use (numbers as strings and numbers, a date range,
# a season, circa, raw and literal dates, every name form, custom).
for f in tests/golden/*.json; do
	"$PY" "$CHECK" "$f" >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "$f rejected"; }
done
cat >"$TMP/good.json" <<'EOF'
[
  {"id": "http://zotero.org/users/1/items/ABCD2345", "type": "article-journal",
   "title": "A title", "container-title": "Journal", "journalAbbreviation": "J.",
   "shortTitle": "Title", "title-short": "Title", "page": "1-10", "volume": "3",
   "issue": 2, "language": "en", "source": "Zotero", "DOI": "10.1000/x",
   "ISSN": "1234-5678", "URL": "https://example.org/a", "note": "Key: value",
   "author": [{"family": "van der Schaar", "given": "Mihaela"},
              {"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"},
              {"family": "Schaar", "given": "M.", "non-dropping-particle": "van der"},
              {"family": "King", "given": "Martin Luther", "suffix": "Jr.",
               "comma-suffix": true},
              {"literal": "OpenAI"},
              {"family": "Mao", "given": "Zedong", "static-ordering": 1},
              {"family": "Plato", "parse-names": "false"}],
   "editor": [{"family": "Knuth", "given": "Donald E."}],
   "issued": {"date-parts": [["2020", "4", "26"]]},
   "accessed": {"date-parts": [[2024, 1, 2]]},
   "event-date": {"date-parts": [[2020, 4, 26], [2020, 4, 30]]},
   "original-date": {"date-parts": [[-50]], "circa": true},
   "submitted": {"date-parts": [[2019, 21]], "season": 1},
   "available-date": {"raw": "2019-07"},
   "categories": ["tag one", "tag two"],
   "custom": {"short_id": "xyz", "other-ids": ["x"]}},
  {"id": 7, "type": "book", "title": "A book", "edition": 2,
   "number-of-pages": "320", "publisher": "P", "publisher-place": "Q",
   "issued": {"literal": "Spring 2001"}, "part-number": 1, "section": 4,
   "version": "2.0.9", "citation-key": "book7", "license": "CC-BY"}
]
EOF
"$PY" "$CHECK" "$TMP/good.json" >"$TMP/out" 2>&1 ||
	{ cat "$TMP/out"; fail "valid CSL-JSON rejected"; }

# Bad items: fixture, then a part of the message it must give.
while IFS='|' read -r name want; do
	f=tests/data/csl-bad-$name.json
	[ -f "$f" ] || fail "no $f"
	"$PY" "$CHECK" "$f" >"$TMP/out" 2>&1
	rc=$?
	[ "$rc" -eq 1 ] || { cat "$TMP/out"; fail "$f: exit $rc, expected 1"; }
	grep -qF -- "$want" "$TMP/out" || { cat "$TMP/out"; fail "$f: no \"$want\""; }
	echo "rejected $name"
done <<'EOF'
unknown-type|"conference-paper" is not a CSL item type
no-id|item 1: no 'id'
no-type|item 1 (a): no 'type'
id-object|id: must be a string or number, not an object
title-number|title: must be a string, not a number
url-array|URL: must be a string, not an array
keyword-array|keyword: must be a string, not an array
volume-object|volume: a number variable must be a string or number, not an object
unknown-variable|containertitle: unknown variable
author-string|author: a name variable must be an array of names, not a string
name-family-number|author[0].family: must be a string, not a number
name-empty|author[0]: a name needs a family, given or literal part
name-unknown-part|author[0]: unknown name part 'first'
issued-string|issued: a date must be an object, not a string
date-parts-flat|issued.date-parts: must be an array of one date, or two for a range
date-parts-empty|issued.date-parts: must be an array of one date, or two for a range, not []
date-parts-four|issued.date-parts[0]: must be [year], [year, month] or [year, month, day]
date-parts-word|issued.date-parts[0][0]: "spring" is not an integer
date-month|month 19 is not 1-12 or a season
date-day|day 32 is not 1-31
date-unknown-key|issued: unknown date member 'year'
date-literal-number|issued.literal: must be a string, not a number
categories-string|categories: must be an array of strings
duplicate-id|item 2 (a): id also used by item 1
not-array|CSL-JSON must be an array of items, not an object
item-string|item 1: an item must be an object, not a string
EOF
# every fixture has its row
n=$(ls tests/data/csl-bad-*.json | wc -l)
[ "$n" -eq 26 ] || fail "$n csl-bad fixtures, 26 in the table"

# Not JSON at all: exit 2, not a verdict.
printf '[{"id": ' >"$TMP/broken.json"
"$PY" "$CHECK" "$TMP/broken.json" >"$TMP/out" 2>&1
[ $? -eq 2 ] || { cat "$TMP/out"; fail "broken JSON: not exit 2"; }

# --auto: the official schema when present, else the checker, named on the
# first line; in CI a missing schema is an error.
CSL_SCHEMA= CI= "$PY" "$CHECK" --auto tests/golden/iclr2020.csl-json.json >"$TMP/out" 2>&1 ||
	{ cat "$TMP/out"; fail "--auto rejected the golden file"; }
if [ ! -f ../shared/schemas/csl-data.json ]; then
	grep -q 'csl-check.py.*official schema not found' "$TMP/out" ||
		{ cat "$TMP/out"; fail "--auto does not say it used the checker"; }
	CSL_SCHEMA= CI=true "$PY" "$CHECK" --auto tests/golden/iclr2020.csl-json.json >"$TMP/out" 2>&1 &&
		{ cat "$TMP/out"; fail "--auto with CI=true and no schema passed"; }
	grep -q 'CI: the official CSL schema is missing' "$TMP/out" ||
		{ cat "$TMP/out"; fail "--auto in CI: no message"; }
fi

# pandoc's CSL-JSON of xampl.bib. pandoc 2.17 departs from CSL in two
# ways, which the official schema rejects too: @misc becomes "type": ""
# and a year it cannot parse an empty date-parts. Apart from those the
# checker must accept every item; with them repaired, the whole file.
if command -v pandoc >/dev/null 2>&1 && command -v kpsewhich >/dev/null 2>&1 &&
	xampl=$(kpsewhich xampl.bib) && [ -n "$xampl" ]; then
	pandoc -f bibtex -t csljson "$xampl" >"$TMP/xampl.json" 2>"$TMP/err" ||
		{ cat "$TMP/err"; fail "pandoc could not read $xampl"; }
	"$PY" "$CHECK" "$TMP/xampl.json" >"$TMP/out" 2>&1
	grep -v -e '^validating' -e '\.type: "" is not a CSL item type$' \
		-e 'issued\.date-parts: must be an array of one date, or two for a range, not \[\]$' \
		"$TMP/out" && fail "pandoc's CSL-JSON of xampl.bib rejected"
	"$PY" - "$TMP/xampl.json" "$TMP/fixed.json" <<'PYEOF' || fail "repairing pandoc's output"
import json, sys
items = json.load(open(sys.argv[1], encoding="utf-8"))
assert len(items) == 36, len(items)
for it in items:
    if it.get("type") == "":
        it["type"] = "document"
    if it.get("issued") == {"date-parts": []}:
        del it["issued"]
json.dump(items, open(sys.argv[2], "w", encoding="utf-8"))
PYEOF
	"$PY" "$CHECK" "$TMP/fixed.json" >"$TMP/out" 2>&1 ||
		{ cat "$TMP/out"; fail "pandoc's CSL-JSON of xampl.bib rejected"; }
	echo "pandoc's CSL-JSON of xampl.bib accepted (36 items)"
else
	echo "SKIP part: pandoc or xampl.bib not installed (scripts/deps.sh test installs them)"
	[ "${CI:-}" = true ] && fail "pandoc or xampl.bib missing in CI"
fi

# With the official schema, the checker agrees with it item by item.
SCHEMA=${CSL_SCHEMA:-../shared/schemas/csl-data.json}
if [ -f "$SCHEMA" ] && "$PY" -c 'import jsonschema' 2>/dev/null; then
	set -- tests/golden/*.json tests/data/read-items.json
	[ -f "$TMP/xampl.json" ] && set -- "$@" "$TMP/xampl.json"
	"$PY" - "$SCHEMA" "$@" <<'PYEOF' || fail "checker and schema disagree"
import importlib.util, json, sys
import jsonschema
spec = importlib.util.spec_from_file_location("csl_check", "tests/csl-check.py")
cc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cc)
schema = json.load(open(sys.argv[1], encoding="utf-8"))
item_schema = dict(schema["items"], definitions=schema["definitions"])
v = jsonschema.Draft7Validator(item_schema)
bad = 0
for path in sys.argv[2:]:
    for i, it in enumerate(json.load(open(path, encoding="utf-8"))):
        ours = cc.check([it])
        theirs = list(v.iter_errors(it))
        if bool(ours) != bool(theirs):
            bad += 1
            print(path, i + 1, ours, [e.message for e in theirs])
sys.exit(1 if bad else 0)
PYEOF
	echo "checker agrees with $SCHEMA"
fi
echo "csl-check.py: valid CSL-JSON accepted, 26 bad cases rejected"
