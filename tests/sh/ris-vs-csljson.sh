# The RIS and the CSL-JSON of the reference list say the same thing, field
# by field, for all 48 records: the RIS is parsed back (every line a tag
# line, TY first, ER last) and each tag compared with the CSL item that
# another writer made from the same records. Uses the system python3
# (json module only).
. tests/lib.sh
PY=/usr/bin/python3
[ -x "$PY" ] || skip "$PY not installed"

"$PAPERBIB" -q -t ris -c "$EXAMPLE_INI" "$EXAMPLE" >"$TMP/out.ris" 2>"$TMP/err" ||
	{ cat "$TMP/err"; fail "paperbib -t ris failed"; }
"$PAPERBIB" -q -t csl-json -c "$EXAMPLE_INI" "$EXAMPLE" >"$TMP/out.json" 2>"$TMP/err" ||
	{ cat "$TMP/err"; fail "paperbib -t csl-json failed"; }

"$PY" - "$TMP/out.ris" "$TMP/out.json" <<'EOF' || fail "RIS and CSL-JSON disagree"
import json, re, sys

ris = open(sys.argv[1], "rb").read()
assert not ris.startswith(b"\xef\xbb\xbf"), "RIS starts with a BOM"
assert b"\r" not in ris, "CR in LF output"
text = ris.decode("utf-8")
items = json.load(open(sys.argv[2], encoding="utf-8"))

TAG = re.compile(r"^[A-Z][A-Z0-9]  - (.*)$")
records, cur = [], None
lines = text.split("\n")
assert lines[-1] == "", "output does not end with a line end"
for n, line in enumerate(lines[:-1], 1):
    if line == "":
        assert cur is None, "line %d: blank line inside a record" % n
        assert lines[n - 2].startswith("ER  - ") and lines[n].startswith("TY  - "), \
            "line %d: blank line not between records" % n
        continue
    assert TAG.match(line), "line %d is not a tag line: %r" % (n, line)
    tag, value = line[:2], line[6:]
    if tag == "TY":
        assert cur is None, "line %d: TY inside a record" % n
        cur = []
    assert cur is not None, "line %d: tag outside a record" % n
    cur.append((tag, value))
    if tag == "ER":
        assert value == "", "line %d: ER with a value" % n
        records.append(cur)
        cur = None
assert cur is None, "last record has no ER"
assert len(records) == 48, "%d RIS records" % len(records)
assert len(items) == 48, "%d CSL items" % len(items)

def fold(s):
    s = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029 ]+", " ", s)
    return s.strip()

def name(a):
    if "literal" in a:
        return fold(a["literal"])
    family = a.get("family", "")
    particle = a.get("non-dropping-particle")
    if particle and not family.startswith(particle + " "):
        family = particle + " " + family
    parts = [fold(p) for p in (family, a.get("given", ""), a.get("suffix", "")) if p]
    return ", ".join(p for p in parts if p)

bad = 0
for i, (rec, it) in enumerate(zip(records, items), 1):
    want = [("TY", "CONF")]
    add = lambda tag, v: want.append((tag, fold(v))) if v and fold(v) else None
    add("TI", it.get("title"))
    for a in it.get("author", []):
        add("AU", name(a))
    add("T2", it.get("event-title"))
    add("C3", it.get("container-title"))
    add("BT", it.get("container-title"))
    parts = it.get("issued", {}).get("date-parts", [[]])[0]
    if parts:
        add("PY", str(parts[0]))
        add("DA", "%04d/%s/%s/" % (parts[0],
            "%02d" % parts[1] if len(parts) > 1 else "",
            "%02d" % parts[2] if len(parts) > 2 else ""))
    add("PB", it.get("publisher"))
    add("CY", it.get("publisher-place"))
    add("UR", it.get("URL"))
    # CSL-JSON keeps the PDF and the code link in note lines.
    note = dict(l.split(": ", 1) for l in it.get("note", "").split("\n") if ": " in l)
    add("L1", note.get("PDF"))
    for k in (it.get("keyword") or "").split(", "):
        add("KW", k)
    add("AB", it.get("abstract"))
    if note.get("Code"):
        add("N1", "Code: " + note["Code"])
    # the other note lines (members with no tag, such as the track)
    for l in it.get("note", "").split("\n"):
        if l.split(": ", 1)[0] not in ("Citation Key", "Code", "PDF"):
            add("N1", l)
    add("ID", it.get("citation-key"))
    want.append(("ER", ""))
    if rec != want:
        bad += 1
        print("record %d differs:" % i)
        for k in range(max(len(rec), len(want))):
            g = rec[k] if k < len(rec) else None
            w = want[k] if k < len(want) else None
            if g != w:
                print("  line %d: RIS %r, CSL-JSON says %r" % (k + 1, g, w))
                break
sys.exit(1 if bad else 0)
EOF
echo "48 RIS records agree with the CSL-JSON items"
