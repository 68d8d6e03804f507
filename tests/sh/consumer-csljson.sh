# Consumer test of the CSL-JSON writer: the example's output validates
# against the official CSL data schema where it is available ($CSL_SCHEMA,
# else ../shared/schemas/csl-data.json; python3-jsonschema), else against
# the project's checker of the CSL data model (tests/csl-check.py), holds
# all 48 items, and pandoc --citeproc renders every one of them without a
# warning.
. tests/lib.sh
need pandoc
# Debian's python3 (with python3-jsonschema), not another python3 on PATH.
PY=/usr/bin/python3
[ -x "$PY" ] || skip "$PY not installed (scripts/deps.sh test installs it)"

expect_exit 0 "$PAPERBIB" -q -t csl-json -c "$EXAMPLE_INI" "$EXAMPLE"
mv "$TMP/out" "$TMP/refs.json"
[ -s "$TMP/err" ] && { cat "$TMP/err"; fail "paperbib -q wrote to stderr"; }

"$PY" tests/csl-check.py --auto "$TMP/refs.json" >"$TMP/valid.out" 2>&1
case $? in
0) VALIDATOR=$(head -n 1 "$TMP/valid.out"); echo "$VALIDATOR" ;;
77) skip "$(tail -n 1 "$TMP/valid.out")" ;;
*) cat "$TMP/valid.out"; fail "CSL-JSON of the example is not valid" ;;
esac

"$PY" - "$TMP/refs.json" >"$TMP/py.out" 2>&1 <<'EOF' ||
import json
import sys

with open(sys.argv[1], encoding="utf-8") as f:
    text = f.read()
items = json.loads(text)

problems = []
if len(items) != 48:
    problems.append("%d items, expected 48" % len(items))
ids = [it.get("id") for it in items]
if len(set(ids)) != len(ids):
    problems.append("ids are not unique")
for it in items:
    k = it.get("id")
    for var in ("citation-key", "title", "author", "container-title",
                "event-title", "publisher", "issued", "URL", "abstract"):
        if var not in it:
            problems.append("%s: no %s" % (k, var))
    if it.get("citation-key") != k:
        problems.append("%s: citation-key differs from id" % k)
    if it.get("type") != "paper-conference":
        problems.append("%s: type %s" % (k, it.get("type")))
    if it.get("issued") != {"date-parts": [[2020, 4, 26]]}:
        problems.append("%s: issued %s" % (k, it.get("issued")))
    if not it.get("URL", "").startswith("https://openreview.net/forum?id="):
        problems.append("%s: URL %s" % (k, it.get("URL")))
    if ("Citation Key: %s" % k) not in it.get("note", "").split("\n"):
        problems.append("%s: note lacks its Citation Key line" % k)
if not any("Code: https://" in it.get("note", "") for it in items):
    problems.append("no code link kept in any note")
if not any("keyword" in it for it in items):
    problems.append("no keyword in any item")
# The layout is the standard one: what a JSON tool pretty-prints.
if json.dumps(items, indent=2, ensure_ascii=False) + "\n" != text:
    problems.append("layout differs from json.dumps(indent=2)")
for p in problems[:20]:
    print(p)
sys.exit(1 if problems else 0)
EOF
	{ cat "$TMP/py.out"; fail "CSL-JSON of the example is not valid"; }

# pandoc renders every item (one div id="ref-ID" each), silently.
printf -- "---\nnocite: '@*'\n---\n" >"$TMP/doc.md"
expect_exit 0 pandoc -f markdown -t html --citeproc \
	--bibliography="$TMP/refs.json" "$TMP/doc.md"
[ -s "$TMP/err" ] && { cat "$TMP/err"; fail "pandoc --citeproc warned"; }
n=$(grep -c 'id="ref-' "$TMP/out")
[ "$n" -eq 48 ] || fail "pandoc rendered $n references, expected 48"
for id in $("$PY" -c 'import json,sys; print("\n".join(i["id"] for i in json.load(open(sys.argv[1]))))' "$TMP/refs.json"); do
	grep -qF "id=\"ref-$id\"" "$TMP/out" || fail "pandoc did not render $id"
done
echo "$VALIDATOR: 48 items valid; pandoc rendered all 48"
