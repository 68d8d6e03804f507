# CSL-JSON read and written in full (issue 16):
#  - tests/data/csl-full.json holds every CSL 1.0.2 variable (standard,
#    number, date and name), every name form (particles dropping and
#    not, suffix, literal), every date form (date-parts, ranges, season,
#    circa, BC, literal, raw), every item type, the members Zotero adds,
#    and items in the forms of the CSL test suite's inputs (name members
#    such as static-ordering, string date parts, a season's name);
#    read and written again, every variable of every item comes back equal
#    (the two normalisations below), and writing that again changes
#    nothing;
#  - the output validates against the official schema (or the project's
#    checker, tests/csl-check.py);
#  - the reader streams: peak memory does not grow with the document, and
#    an error past many items names its own line.
# PAPERBIB_INSTRUMENTED=asan|tsan|valgrind shrinks the memory test's
# input and drops the bound, which instrumentation distorts.
. tests/lib.sh
PY=/usr/bin/python3
[ -x "$PY" ] || skip "$PY not installed (scripts/deps.sh test installs it)"
IN=tests/data/csl-full.json

# the round trip, with the default options and without the note line
expect_exit 0 "$PAPERBIB" -t csl-json "$IN"
mv "$TMP/out" "$TMP/rt.json"
expect_err "paperbib: 60 records, 0 warnings"
expect_exit 0 "$PAPERBIB" -t csl-json --set csl-json.citation_key_note=no "$IN"
mv "$TMP/out" "$TMP/rt-nonote.json"
"$PY" - "$IN" "$TMP/rt.json" "$TMP/rt-nonote.json" <<'PYEOF' || fail "CSL-JSON round trip lost variables"
import json, sys
src = json.load(open(sys.argv[1], encoding="utf-8"))

SEASONS = {"Spring": 1, "Summer": 2, "Autumn": 3, "Winter": 4}

def norm(v):
    """What the writer writes in one form of several: date parts as
    numbers ("2020" -> 2020), a season as its number, circa as true, no
    empty date-parts beside a literal."""
    if isinstance(v, dict) and "date-parts" in v:
        v = dict(v)
        v["date-parts"] = [[int(p) for p in end] for end in v["date-parts"]]
        if not v["date-parts"]:
            del v["date-parts"]
        if "season" in v:
            v["season"] = SEASONS.get(v["season"], v["season"])
            v["season"] = int(v["season"])
        if "circa" in v:
            v["circa"] = v["circa"] not in (False, 0, "", "0", "false")
    return v

def compare(path, note_line):
    out = json.load(open(path, encoding="utf-8"))
    assert len(out) == len(src), (len(out), len(src))
    total = equal = 0
    for a, b in zip(src, out):
        for k, v in a.items():
            total += 1
            got = b.get(k)
            if k == "note" and note_line and got:
                # the citation key's line, for Zotero (citation_key_note)
                got = "\n".join(l for l in got.split("\n")
                                if l != "Citation Key: " + a["id"])
            if norm(v) == norm(got):
                equal += 1
            else:
                print("%s: %s: %r -> %r" % (a["id"], k, v, got))
        # nothing else is added but the citation key (and its note line)
        added = set(b) - set(a) - {"citation-key", "note"}
        if added:
            print("%s: added %s" % (a["id"], sorted(added)))
            total += len(added)
    print("%s: %d of %d variables equal (%.2f%%)" % (path, equal, total,
                                                     100.0 * equal / total))
    return equal == total

ok = compare(sys.argv[2], True) and compare(sys.argv[3], False)
# every variable of the schema and of CSL 1.0.2 was there to compare
every = set().union(*src)
for k in ("editor-translator", "part-number", "original-date", "event-date",
          "collection-editor", "container-author", "reviewed-author",
          "dropping-particle"):
    assert k in every or any(k in json.dumps(i) for i in src), k
sys.exit(0 if ok else 1)
PYEOF

# written again: the same bytes
expect_exit 0 "$PAPERBIB" -t csl-json "$TMP/rt.json"
cmp -s "$TMP/rt.json" "$TMP/out" ||
	{ diff "$TMP/rt.json" "$TMP/out" | head -20; fail "a second round trip changed the output"; }

# valid: the official schema has no license and no part-, printing- and
# supplement-number or editor-translator (CSL 1.0.2), nor citeproc-js'
# multi, which the input had: checked without them there, and with them
# by the project's checker
"$PY" - "$TMP/rt.json" "$TMP/schema.json" "$TMP/checker.json" <<'PYEOF' || fail "could not filter"
import json, sys
items = json.load(open(sys.argv[1], encoding="utf-8"))
for i in items:
    for k in ("license", "part-number", "printing-number",
              "supplement-number", "editor-translator", "multi"):
        i.pop(k, None)
json.dump(items, open(sys.argv[2], "w", encoding="utf-8"), indent=2, ensure_ascii=False)
# tests/csl-check.py knows the CSL 1.0.2 variables and the schema's
# volume-title-short, but not citeproc-js' multi
items = json.load(open(sys.argv[1], encoding="utf-8"))
for i in items:
    i.pop("multi", None)
json.dump(items, open(sys.argv[3], "w", encoding="utf-8"), indent=2, ensure_ascii=False)
PYEOF
"$PY" tests/csl-check.py --auto "$TMP/schema.json" >"$TMP/valid.out" 2>&1
case $? in
0) head -n 1 "$TMP/valid.out" ;;
77) tail -n 1 "$TMP/valid.out" ;;
*) cat "$TMP/valid.out"; fail "the round trip's output is not valid CSL-JSON" ;;
esac
"$PY" tests/csl-check.py "$TMP/checker.json" >"$TMP/valid.out" 2>&1 ||
	{ cat "$TMP/valid.out"; fail "tests/csl-check.py refused the round trip's output"; }

# streaming: the peak memory of a document does not grow with it. The
# growth of peak RSS between a document and one eight times as large
# (so that the program's fixed cost does not count) stays under 8 MB.
[ -x /usr/bin/time ] || skip "/usr/bin/time not installed (Debian package time)"
GEN=${PAPERBIB_BUILD:-}/bench-gen
[ -x "$GEN" ] || skip "no bench-gen in PAPERBIB_BUILD (make shtest builds it)"
big=8000
case ${PAPERBIB_INSTRUMENTED:-} in asan|tsan) big=800 ;; valgrind) big=160 ;; esac
"$GEN" "$big" | "$PAPERBIB" -q -t csl-json >"$TMP/big.json" || fail "bench-gen to CSL-JSON failed"
awk -v n=$((big / 8)) '/^  \{$/ && ++k > n { exit } { print }' "$TMP/big.json" |
	sed '$ s/,$//' >"$TMP/small.json"
echo "]" >>"$TMP/small.json"
rss() {
	/usr/bin/time -o "$TMP/rss" -f %M "$PAPERBIB" -q -t ris "$1" \
		>/dev/null 2>"$TMP/err" || { cat "$TMP/err"; fail "paperbib failed on $1"; }
	cat "$TMP/rss"
}
s=$(rss "$TMP/small.json")
b=$(rss "$TMP/big.json")
echo "peak RSS: $s KB for $(wc -c <"$TMP/small.json") bytes, $b KB for $(wc -c <"$TMP/big.json") bytes"
if [ -z "${PAPERBIB_INSTRUMENTED:-}" ]; then
	[ $((b - s)) -lt 8192 ] || fail "peak RSS grew by $((b - s)) KB: the reader holds the document"
fi

# an error after thousands of items is named at its own line and column,
# after the items before it were read
n=$(grep -c '^  {$' "$TMP/big.json")
lines=$(wc -l <"$TMP/big.json")
sed '$ d' "$TMP/big.json" >"$TMP/broken.json"
printf '  , x\n]\n' >>"$TMP/broken.json"
expect_exit 1 "$PAPERBIB" -q -t csl-json "$TMP/broken.json"
expect_err "broken.json:$lines:5: error: not valid JSON: invalid token near 'x'"
got=$(grep -c '^  {$' "$TMP/out")
[ "$got" -eq "$n" ] || fail "$got items before the error, expected $n"
echo "every variable kept; valid; streamed"
