#!/usr/bin/env python3
"""Reads a .bib file as Zotero's BibTeX import translator does, and checks
that the links of a paper list come back from it as the same URLs.

usage: zotero_bibtex.py LIST BIB [BBL...]

LIST is the paper list the .bib was written from: its "link:" and "Code:"
lines are the URLs expected, and its lines with a label of no field
("Background: ...", kept as extra fields) the text expected in a note.
BIB is read the way zotero/translators BibTeX.js reads a field
(getFieldValue, then unescapeBibTeX, then processField): url becomes the
item's URL, note and annote each a child note. The code link must come
from note (the field styles print), the other labelled lines from annote
(which they do not). Each .bbl (bibtex's \\url{...}, biber's \\verb url)
is checked too. Two URLs are the same when they are equal after
percent-decoding (RFC 3986: the writer percent-encodes characters, never
changes them).

The steps below follow BibTeX.js (zotero/translators, 2019 and later):
- getFieldValue: a braced value is read to its closing brace; a backslash
  keeps the next character as it is.
- unescapeBibTeX: accent forms are normalised; TeX markup becomes HTML;
  every entry of reversemappingTable is replaced, first as written, then
  with its braces removed; braces are removed; a backslash before one of
  #$%&~_^\\{} is dropped; runs of whitespace (JavaScript's \\s, which
  includes the no-break space) become one space.
Only the entries of reversemappingTable that plain text and URLs can meet
are listed: those without a backslash-letter command or a $...$ group
(which a URL written by paperbib never holds), in the table's order. Among
them "~" becomes a no-break space, which the whitespace step then turns
into a space: the damage to http://www.cs.cmu.edu/~user that this test
guards against.
"""
import re
import sys
from urllib.parse import unquote

REVERSE = [
    ("\\url", ""),
    ("\\href", ""),
    ("---", "\u2014"),
    ("--", "\u2013"),
    ("'''", "\u2034"),
    ("''", "\u201D"),
    ("``", "\u201C"),
    ("```", "\u2037"),
    ("!!", "\u203C"),
    ("?!", "\u2048"),
    ("!?", "\u2049"),
    ("{TEL}", "\u2121"),
    ("{\\~}", "\u223C"),
    ("~", "\u00A0"),
]


def map_tex_markup(tex):
    tex = re.sub(r"\\textit\{([^\}]+\})", r"<i>\1</i>", tex)
    tex = re.sub(r"\\textbf\{([^\}]+\})", r"<b>\1</b>", tex)
    tex = re.sub(r"\$[^\{\$]*_\{([^\}]+\})\$", r"<sub>\1</sub>", tex)
    tex = re.sub(r"\$[^\{]*_\{\\textrm\{([^\}]+\}\})", r"<sub>\1</sub>", tex)
    tex = re.sub(r"\$[^\{]*\^\{([^\}]+\}\$)", r"<sup>\1</sup>", tex)
    tex = re.sub(r"\$[^\{]*\^\{\\textrm\{([^\}]+\}\})", r"<sup>\1</sup>", tex)
    tex = re.sub(r"\\textsc\{([^\}]+)", r'<span style="small-caps">\1</span>', tex)
    return tex


def unescape_bibtex(value):
    if len(value) < 2:
        return value
    value = re.sub(r"{?(\\[`\"'^~=]){?\\?([A-Za-z])}", r"{\1\2}", value)
    value = re.sub(r"(\\[a-z]){(\\?[A-Za-z])}", r"{\1 \2}", value)
    value = map_tex_markup(value)
    for mapped, uni in REVERSE:
        while mapped in value:
            value = value.replace(mapped, uni, 1)
        bare = re.sub(r"[{}]", "", mapped)
        while bare and bare in value:
            value = value.replace(bare, uni, 1)
    value = re.sub(r"([^\\])[{}]+", r"\1", value)
    if value[:1] == "{":
        value = value[1:]
    for _ in range(2):
        value = re.sub(r"([^\\])\\([#$%&~_^\\{}])", r"\1\2", value)
    if value[:1] == "\\" and value[1:2] and value[1] in "#$%&~_^\\{}":
        value = value[1:]
    if value[-1:] == "\\" and len(value) > 1 and value[-2] in "#$%&~_^\\{}":
        value = value[:-1]
    value = value.replace("\\\\", "\\")
    return re.sub(r"\s+", " ", value)


def field_value(s, i):
    """getFieldValue from s[i] (the opening brace); (value, next index)."""
    value, depth, i = "", 1, i + 1
    while i < len(s):
        ch = s[i]
        if ch == "\\":
            value += s[i:i + 2]
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return value, i + 1
        value += ch
        i += 1
    raise SystemExit("unterminated value")


def entries(text):
    """Fields of each entry: {field: raw value}, in file order."""
    out = []
    for m in re.finditer(r"@(\w+)\{([^,]*),", text):
        fields, i = {}, m.end()
        while True:
            f = re.compile(r"\s*(\w+)\s*=\s*").match(text, i)
            if not f:
                break
            i = f.end()
            if text[i] == "{":
                raw, i = field_value(text, i)
            else:
                w = re.compile(r"[A-Za-z0-9-]+").match(text, i)
                raw, i = w.group(0), w.end()
            fields[f.group(1).lower()] = raw
            i = text.index(",", i) + 1 if text[i:].lstrip().startswith(",") else i
        out.append(fields)
    return out


# Labels of the paper list's own fields: any other label is an extra field.
LIST_LABELS = {"author", "authors", "link", "url", "paper", "pdf", "code",
               "github", "abstract", "keyword", "keywords"}


def same(a, b):
    return unquote(a) == unquote(b)


def main():
    lst, bib, bbls = sys.argv[1], sys.argv[2], sys.argv[3:]
    want_links, want_code, want_extras = [], [], []
    for line in open(lst, encoding="utf-8"):
        m = re.match(r"(link|Code):\s*(\S+)\s*$", line)
        if m:
            (want_links if m.group(1) == "link" else want_code).append(m.group(2))
            continue
        m = re.match(r"([A-Za-z][A-Za-z -]{0,30}):\s+(\S.*?)\s*$", line)
        if m and m.group(1).lower() not in LIST_LABELS:
            want_extras.append(f"{m.group(1).lower()}: {m.group(2)}")
    items = entries(open(bib, encoding="utf-8").read())
    bad = 0
    if len(items) != len(want_links):
        raise SystemExit(f"{len(items)} entries, {len(want_links)} links")
    got_code, annotes = [], ""
    for fields, link in zip(items, want_links):
        url = unescape_bibtex(fields.get("url", ""))
        if not same(url, link):
            print(f"Zotero url: {url!r}, expected {link!r}")
            bad += 1
        note = unescape_bibtex(fields.get("note", ""))
        got_code += re.findall(r"Code: (\S+)", note)
        annote = unescape_bibtex(fields.get("annote", ""))
        if "Code: " in annote:
            print(f"Zotero note from annote holds a code link: {annote!r}")
            bad += 1
        annotes += annote + "\n"
    for extra in want_extras:
        if extra not in annotes:
            print(f"no Zotero note from annote holds {extra!r}")
            bad += 1
    if len(got_code) != len(want_code):
        raise SystemExit(f"{len(got_code)} code links in notes, {len(want_code)} expected")
    for got, want in zip(got_code, want_code):
        if not same(got, want):
            print(f"Zotero code link: {got!r}, expected {want!r}")
            bad += 1
    for bbl in bbls:
        text = open(bbl, encoding="utf-8").read()
        urls = re.findall(r"\\verb{url}\s*\\verb (\S+)", text) or \
            re.findall(r"URL\s+\\url\{([^}]*)\}", text)
        if sorted(map(unquote, urls)) != sorted(map(unquote, want_links)):
            print(f"{bbl}: urls {urls} differ from {want_links}")
            bad += 1
    if bad:
        raise SystemExit(f"{bad} URLs or notes changed")
    print(f"{len(want_links)} urls, {len(want_code)} code links and "
          f"{len(want_extras)} extra fields read back exactly by Zotero's "
          f"BibTeX import" + (" and " + ", ".join(bbls) if bbls else ""))


main()
