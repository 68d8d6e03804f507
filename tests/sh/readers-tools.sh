# Files written by other programs, made from the reference list in the
# test itself, are read back with the same titles, names and URLs:
#   pandoc -f csljson -t biblatex and -t bibtex of paperbib's CSL-JSON
#   (pandoc title-cases titles, so they are compared ignoring case; its
#   bibtex output has no url, so there the PDF link it keeps in note
#   stands for the URL);
#   bibutils: ris2xml of paperbib's RIS, then xml2ris and xml2bib (two
#   url/UR lines: the forum page and the PDF).
. tests/lib.sh
PY=/usr/bin/python3
[ -x "$PY" ] || skip "$PY not installed"
need pandoc
need ris2xml
need xml2ris
need xml2bib

"$PAPERBIB" -q -t csl-json -c "$EXAMPLE_INI" "$EXAMPLE" >"$TMP/direct.json" 2>"$TMP/err" &&
	"$PAPERBIB" -q -t ris -c "$EXAMPLE_INI" "$EXAMPLE" >"$TMP/direct.ris" 2>>"$TMP/err" ||
	{ cat "$TMP/err"; fail "paperbib failed"; }

pandoc -f csljson -t biblatex "$TMP/direct.json" -o "$TMP/pandoc-biblatex.bib" &&
	pandoc -f csljson -t bibtex "$TMP/direct.json" -o "$TMP/pandoc-bibtex.bib" ||
	fail "pandoc failed"
ris2xml "$TMP/direct.ris" >"$TMP/mods.xml" 2>"$TMP/err" || { cat "$TMP/err"; fail "ris2xml failed"; }
xml2ris "$TMP/mods.xml" >"$TMP/bibutils.ris" 2>"$TMP/err" || { cat "$TMP/err"; fail "xml2ris failed"; }
xml2bib "$TMP/mods.xml" >"$TMP/bibutils.bib" 2>"$TMP/err" || { cat "$TMP/err"; fail "xml2bib failed"; }

for src in pandoc-biblatex.bib pandoc-bibtex.bib bibutils.ris bibutils.bib; do
	"$PAPERBIB" -t csl-json "$TMP/$src" >"$TMP/$src.json" 2>"$TMP/err" ||
		{ cat "$TMP/err"; fail "reading $src failed"; }
	grep -q "48 records, 0 warnings" "$TMP/err" ||
		{ cat "$TMP/err"; fail "$src: not 48 records without warnings"; }
	"$PY" - "$src" "$TMP/direct.json" "$TMP/$src.json" <<'PYEOF' || fail "$src read back wrong"
import json, re, sys

src, want_path, got_path = sys.argv[1:]
want = json.load(open(want_path, encoding="utf-8"))
got = json.load(open(got_path, encoding="utf-8"))
assert len(want) == len(got) == 48, (len(want), len(got))

def names(item):
    out = []
    for a in item.get("author", []):
        if "literal" in a:
            out.append(a["literal"])
        else:
            fam = a.get("family", "")
            p = a.get("non-dropping-particle")
            out.append(((p + " ") if p else "") + fam + ", " + a.get("given", ""))
    return out

def note(item, label):
    for l in item.get("note", "").split("\n"):
        if l.startswith(label + ": "):
            return l[len(label) + 2:]
    return None

RICH = re.compile(r'</?(?:i|b|sc|sup|sub)>|<span class="nocase">|</span>')

def plain(s):
    """CSL rich text without its tags: paperbib's BibTeX reader makes
    them (pandoc's braced words as nocase spans); the list has none."""
    return RICH.sub("", s)

bad = 0
def check(i, what, w, g):
    global bad
    if w != g:
        bad += 1
        print("%s: item %d, %s: expected %r, got %r" % (src, i, what, w, g))

for i, (w, g) in enumerate(zip(want, got), 1):
    check(i, "title", w["title"].lower(), plain(g.get("title", "")).lower())
    check(i, "authors", names(w), names(g))
    if src == "pandoc-bibtex.bib":
        check(i, "URL (the PDF link)", note(w, "PDF"), g.get("URL"))
    else:
        check(i, "URL", w["URL"], g.get("URL"))
    if src.startswith("bibutils"):
        check(i, "PDF", note(w, "PDF"), note(g, "PDF"))
    check(i, "year", w["issued"]["date-parts"][0][0],
          g.get("issued", {}).get("date-parts", [[None]])[0][0])
sys.exit(1 if bad else 0)
PYEOF
	echo "$src: 48 records with the same titles, names and URLs"
done
