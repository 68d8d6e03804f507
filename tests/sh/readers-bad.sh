# Bad input to the readers: the problem is named with the file, the line
# and the entry, the entry is skipped, the rest is converted, and the
# exit status says there was an error (1) or only warnings (0).
. tests/lib.sh
PY=/usr/bin/python3
[ -x "$PY" ] || skip "$PY not installed"
D=tests/data

# BibTeX: an entry that never closes ends at the next "@" line
expect_exit 1 "$PAPERBIB" -t csl-json $D/read-bad.bib
expect_err "read-bad.bib:19: error: entry 'broken' (@article): unterminated entry: a new entry starts inside a value at line 23; entry skipped"
expect_err "read-bad.bib:25: warning: entry 'afterbroken': unknown macro 'nosuchmacro' (taken as empty)"
expect_err "2 records, 1 warning, 1 error"
"$PY" - "$TMP/out" <<'PYEOF' || fail "read-bad.bib read wrong"
import json, sys
items = json.load(open(sys.argv[1], encoding="utf-8"))
assert [i["id"] for i in items] == ["good1", "afterbroken"], items
g = items[0]
assert g["type"] == "paper-conference"
# braces that protect case are CSL's nocase spans, as pandoc makes them
assert g["title"] == "\u00dcber <span class=\"nocase\">CATER</span> & \u0141ukasz: 50% \u2013 <span class=\"nocase\">\u03b1</span>-nets", g["title"]
assert g["author"] == [
    {"family": "Schaar", "given": "Mihaela", "non-dropping-particle": "van der"},
    {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
    {"literal": "OpenAI"},
    {"family": "Ko\u010disk\u00fd", "given": "Tom\u00e1\u0161"}], g["author"]
# @string macro, # concatenation of a macro, a quoted and a braced part
assert g["container-title"] == "International Conference on Learning Representations (ICLR 2020)"
assert g["issued"] == {"date-parts": [[2020, 4]]}
assert g["keyword"] == "attention, memory, LSTM"
assert g["URL"] == "https://openreview.net/forum?id=a_b%20"
assert g["note"] == "Citation Key: good1\nCode: https://github.com/x/y_z", g["note"]
# a biblatex date range gives its start
assert items[1]["issued"] == {"date-parts": [[2021, 5, 3], [2021, 5, 7]]}, items[1]
assert "publisher" not in items[1]
PYEOF

# BibTeX: the file ends inside an entry
expect_exit 1 "$PAPERBIB" -t csl-json $D/read-unterminated.bib
expect_err "read-unterminated.bib:6: error: entry 'last' (@misc): unterminated entry: the file ends inside a value at line 8; entry skipped"
expect_err "1 record, 0 warnings, 1 error"

# RIS: records missing ER, with CRLF line ends and a BOM
{ printf '\357\273\277'; sed 's/$/\r/' $D/read-noer.ris; } >"$TMP/noer.ris"
for f in $D/read-noer.ris "$TMP/noer.ris"; do
	expect_exit 0 "$PAPERBIB" -t csl-json "$f"
	expect_err "noer.ris:1: warning: record has no ER line before the next TY at line 13; read as if it had"
	expect_err "noer.ris:28: warning: record has no ER line before the end of the file; read as if it had"
	expect_err "3 records, 2 warnings"
	# A2 of a journal article is its editor, a CSL name variable: no note
	grep -q "no CSL variable" "$TMP/err" && fail "$f: a field went to note"
	"$PY" - "$TMP/out" <<'PYEOF' || fail "$f read wrong"
import json, sys
items = json.load(open(sys.argv[1], encoding="utf-8"))
assert len(items) == 3, len(items)
a, c, b = items
assert a["type"] == "article-journal" and a["title"] == "A journal article with no ER"
assert a["author"] == [{"family": "Schaar", "given": "Mihaela", "non-dropping-particle": "van der"}]
assert a["container-title"] == "Journal of Tests"
assert a["issued"] == {"date-parts": [[2019, 7, 1]]}
assert a["abstract"] == "An abstract that a tool wrapped over two lines.", a["abstract"]
assert a["editor"] == [{"family": "Editor", "given": "Some"}], a
# extra fields that are CSL variables go to them
assert (a["volume"], a["DOI"], a["page"]) == ("3", "10.1000/xyz", "10-20"), a
assert c["id"] == "king2020conference" and c["type"] == "paper-conference"
assert c["author"] == [{"family": "King", "given": "Martin Luther", "suffix": "Jr."}, {"literal": "OpenAI"}]
assert c["container-title-short"] == "ICLR" and c["issued"] == {"date-parts": [[2020, 4, 26]]}
assert c["keyword"] == "attention, memory"
assert c["note"] == "Citation Key: king2020conference\nCode: https://github.com/x/y\nPDF: https://openreview.net/pdf?id=abc"
assert b["type"] == "book" and b["author"] == [{"literal": "Plato"}]
PYEOF
done

# CSL-JSON: not JSON at all is an error with its line and column
expect_exit 1 "$PAPERBIB" -t csl-json $D/read-invalid.json
expect_err "read-invalid.json:3:34: error: not valid JSON:"
# an element that is no item is skipped, the others are read
expect_exit 1 "$PAPERBIB" -t csl-json $D/read-items.json
expect_err "read-items.json:34: error: item 4 is not an object; skipped"
expect_err "4 records, 0 warnings, 1 error"
"$PY" - "$TMP/out" <<'PYEOF' || fail "read-items.json read wrong"
import json, sys
items = json.load(open(sys.argv[1], encoding="utf-8"))
assert [i["title"] for i in items] == ["Names with particles",
    "A raw date and an id that is no key", "A literal date", "An EDTF string date"]
p = items[0]
# the item's own id and citation key, each kept as it was
assert p["id"] == "item-1" and p["citation-key"] == "schaar2020particles", p
assert p["author"][0] == {"family": "Schaar", "given": "Mihaela", "non-dropping-particle": "van der"}
assert p["author"][1] == {"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"}
assert p["author"][3] == {"literal": "OpenAI"}
assert p["issued"] == {"date-parts": [[2020, 4, 26]]}
assert p["keyword"] == "attention, memory, graphs"
assert p["note"].endswith("\nA note of its own.") and p["DOI"] == "10.1000/xyz"
# a raw date stays raw, for the CSL processor to parse as it did
assert items[1]["issued"] == {"raw": "2019-07"}
# an id that cannot be a citation key is kept as the item's id; the key
# is made as for an item without one
assert items[1]["id"] == "http://zotero.org/users/1/items/ABC 2", items[1]
assert items[1]["citation-key"] == "2019raw", items[1]
assert items[2]["issued"] == {"literal": "Spring 2001"}
assert items[3]["issued"] == {"date-parts": [[2018, 3, 2]]}
PYEOF

# -f overrides detection: a BibTeX file read as RIS has no records
expect_exit 1 "$PAPERBIB" -f ris -t csl-json $D/read-unterminated.bib
expect_err "no records"
echo "bad input reported and skipped"
