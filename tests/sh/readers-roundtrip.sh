# Round trips through every reader: the reference list is written in each
# format (with the example's INI file), read back by paperbib with the
# format detected from the content (no -f, no INI file), and written as
# CSL-JSON, which must equal the CSL-JSON written straight from the list,
# field by field, for every field the format carries.
#
# What a format cannot carry, and so is not compared for it:
#   bibtex    the PDF link (one url field: the forum page); typographic
#             apostrophes (encoding = latex writes ' for U+2019).
#   bibtex, biblatex
#             a one-symbol formula the list wrote as LaTeX ($\eta$) comes
#             back as its character (η): the writers write a Greek letter
#             of the text as $\eta$ too, and the reader cannot tell them
#             apart, so it gives the character.
#   biblatex  the list's location as the publisher's place: it is the
#             event's place, biblatex's venue (event-place).
#   bibtex, biblatex (read back)
#             the reader gives CSL rich text (nocase spans for braces,
#             <i>, <sup>; math with a character for every macro); the
#             comparison strips its tags and reads such math as text.
#   ris, csl-json
#             everything paperbib writes.
# BibTeX and BibLaTeX keep what has no field (here the track) in annote,
# not note: it comes back as the track, so the CSL-JSON written from it
# names the track once, as the CSL-JSON written from the list does.
# Uses the system python3 (json module only).
. tests/lib.sh
PY=/usr/bin/python3
[ -x "$PY" ] || skip "$PY not installed"

"$PAPERBIB" -q -t csl-json -c "$EXAMPLE_INI" "$EXAMPLE" >"$TMP/direct.json" 2>"$TMP/err" ||
	{ cat "$TMP/err"; fail "paperbib -t csl-json failed"; }

for fmt in bibtex biblatex ris csl-json; do
	# no telling extension: detection must go by the content
	"$PAPERBIB" -q -t "$fmt" -c "$EXAMPLE_INI" "$EXAMPLE" >"$TMP/$fmt.data" 2>"$TMP/err" ||
		{ cat "$TMP/err"; fail "paperbib -t $fmt failed"; }
	"$PAPERBIB" -t csl-json "$TMP/$fmt.data" >"$TMP/$fmt.back.json" 2>"$TMP/err" ||
		{ cat "$TMP/err"; fail "reading back $fmt failed"; }
	# BibTeX's annote gives the track back as the track, which CSL-JSON
	# has no variable for: the one warning, as from the list itself.
	case $fmt in
	bibtex | biblatex) want="48 records, 1 warning" ;;
	*) want="48 records, 0 warnings" ;;
	esac
	grep -qxF "paperbib: $want" "$TMP/err" ||
		{ cat "$TMP/err"; fail "reading back $fmt: not $want"; }
	case $fmt in
	bibtex | biblatex)
		grep -q "warning: csl-json: no CSL variable for 'track'" "$TMP/err" ||
			{ cat "$TMP/err"; fail "reading back $fmt: the track did not come back"; } ;;
	esac
	"$PY" - "$fmt" "$TMP/direct.json" "$TMP/$fmt.back.json" <<'PYEOF' || fail "$fmt round trip differs"
import json, re, sys

fmt, want_path, got_path = sys.argv[1:]
want = json.load(open(want_path, encoding="utf-8"))
got = json.load(open(got_path, encoding="utf-8"))
assert len(want) == len(got) == 48, (len(want), len(got))

GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "eta": "η", "ell": "ℓ",
         "Omega": "Ω", "times": "×"}

def lone_math(s):
    return re.sub(r"\$\\([A-Za-z]+)\$", lambda m: GREEK.get(m.group(1), m.group(0)), s)

RICH = re.compile(r'</?(?:i|b|sc|sup|sub)>|<span class="nocase">|</span>')

def plain(s):
    """CSL rich text without its tags: the BibTeX reader makes them
    (braces as nocase spans, $x^2$ as x<sup>2</sup>); the list has none."""
    return RICH.sub("", s) if isinstance(s, str) else s

def rich_math(s):
    """Math the BibTeX reader gives as rich text, as plain text: a formula
    whose every macro has a character ($\\Omega (\\eta)$, $50\\%$,
    $\\ell^4$) loses its spaces, ^, _ and braces (Ω(η), 50%, ℓ4);
    another ($\\mathcal{O}$) stays LaTeX. {\\it x} is x (<i>x</i>)."""
    def one(m):
        body = m.group(1)
        if any(n not in GREEK for n in re.findall(r"\\([A-Za-z]+)", body)):
            return m.group(0)
        body = re.sub(r"\\([A-Za-z]+)", lambda n: GREEK[n.group(1)], body)
        return re.sub(r"[\s^_{}]", "", body.replace("\\%", "%"))
    s = re.sub(r"\$([^$]+)\$", one, s)
    return re.sub(r"\{\\it ([^{}]*)\}", r"\1", s)

def expect(item):
    """What the format can carry of a directly written item."""
    it = dict(item)
    if fmt in ("bibtex", "biblatex"):
        if "abstract" in it:
            it["abstract"] = rich_math(lone_math(it["abstract"]))
        # no PDF link
        lines = [l for l in it.get("note", "").split("\n") if not l.startswith("PDF: ")]
        it["note"] = "\n".join(lines)
        if not it["note"]:
            del it["note"]
    if fmt == "biblatex" and it.get("publisher-place") == it.get("event-place"):
        # the list's location is the event's place: biblatex's venue,
        # apart from location (the publisher's place)
        it.pop("publisher-place", None)
    if fmt == "bibtex":
        if "abstract" in it:
            it["abstract"] = it["abstract"].replace("\u2019", "'")
    return it

bad = 0
fields = set()
for i, (w, g) in enumerate(zip(want, got), 1):
    w = expect(w)
    if fmt in ("bibtex", "biblatex"):
        g = {k: plain(v) for k, v in g.items()}
    for k in sorted(set(w) | set(g)):
        fields.add(k)
        if w.get(k) != g.get(k):
            bad += 1
            print("%s: item %d (%s), %s: expected %r, got %r"
                  % (fmt, i, w.get("id"), k, w.get(k), g.get(k)))
# the comparison covered the fields that matter
for k in ("title", "author", "container-title", "container-title-short",
          "event-title", "publisher", "publisher-place", "issued", "URL",
          "abstract", "keyword", "note", "citation-key"):
    assert k in fields or (fmt, k) == ("biblatex", "publisher-place"), \
        "no item has " + k
sys.exit(1 if bad else 0)
PYEOF
	echo "$fmt: 48 records read back equal"
done

# BibTeX and BibLaTeX read back and written again in their own format:
# the same data (the same CSL-JSON), annote stays annote and note keeps
# only the code link. The record read back is a bibliography's, so the
# event's short name, implied before by the list's venue, is written out
# (BibLaTeX's shortjournal, a BibTeX annote line) and the fields follow
# the full record's order: from then on, writing again changes nothing.
for fmt in bibtex biblatex; do
	"$PAPERBIB" -q -t "$fmt" "$TMP/$fmt.data" >"$TMP/$fmt.again" 2>"$TMP/err" ||
		{ cat "$TMP/err"; fail "writing $fmt read back as $fmt failed"; }
	"$PAPERBIB" -q -t "$fmt" "$TMP/$fmt.again" >"$TMP/$fmt.third" 2>"$TMP/err" ||
		{ cat "$TMP/err"; fail "writing $fmt a third time failed"; }
	cmp -s "$TMP/$fmt.again" "$TMP/$fmt.third" ||
		{ diff "$TMP/$fmt.again" "$TMP/$fmt.third" | head -20; fail "$fmt written again differs"; }
	for f in data again; do
		"$PAPERBIB" -q -t csl-json "$TMP/$fmt.$f" >"$TMP/$fmt.$f.json" ||
			fail "$fmt.$f to CSL-JSON failed"
	done
	cmp -s "$TMP/$fmt.data.json" "$TMP/$fmt.again.json" ||
		{ diff "$TMP/$fmt.data.json" "$TMP/$fmt.again.json" | head -20; fail "$fmt written again holds other data"; }
	grep -q 'Track: Talk},$' "$TMP/$fmt.again" || fail "$fmt: no track in annote"
	grep -q '^  note       = {Code: ' "$TMP/$fmt.again" || fail "$fmt: no code link in note"
done
echo "bibtex, biblatex: written again with the same data, then unchanged"
