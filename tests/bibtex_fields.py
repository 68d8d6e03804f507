#!/usr/bin/env python3
"""Counts the fields of BibTeX entries kept by a conversion (issue 16).

usage: bibtex_fields.py --dialect bibtex|biblatex --min PCT IN.bib OUT.bib

Every field of every entry of IN that is standard for the dialect (btxdoc's
fields for bibtex; biblatex's data model for biblatex) must be in the entry
of the same key in OUT, under its own name or the name the dialect gives it
(journal as journaltitle, address as location, year and month in date, the
publisher's kin). Prints each field lost and the share kept; exits 1 under
--min. A tiny reader: @string, @preamble and @comment skipped, values raw.
"""
import re
import sys

BIBTEX = set("""address annote author booktitle chapter crossref edition editor
howpublished institution journal key month note number organization pages
publisher school series title type volume year""".split())
BIBLATEX = BIBTEX | set("""abstract addendum afterword annotation annotator
bookauthor bookpagination booksubtitle booktitle booktitleaddon chapter
commentator date doi edition editora editorb editorc editoratype editorbtype
editorctype eid entrysubtype eprint eprintclass eprinttype eventdate
eventtitle eventtitleaddon file foreword holder howpublished indextitle
institution introduction isan isbn ismn isrn issn issue issuesubtitle
issuetitle iswc journalsubtitle journaltitle label language library location
mainsubtitle maintitle maintitleaddon nameaddon origdate origlanguage
origlocation origpublisher origtitle pagetotal pagination part pubstate
reprinttitle shortauthor shorteditor shorthand shorthandintro shortjournal
shortseries shorttitle subtitle titleaddon translator url urldate venue
version volumes xdata gender langid langidopts options related relatedtype
relatedstring sortkey sortname sorttitle sortyear presort indexsorttitle
keywords execute ids xref entryset""".split()) - {"annote"}
# names a field may have in the output
SAME = {
    "journal": {"journal", "journaltitle"},
    "journaltitle": {"journal", "journaltitle"},
    "address": {"address", "location"},
    "location": {"address", "location"},
    "year": {"year", "date"},
    "month": {"month", "date"},
    "annotation": {"annotation", "annote"},
}
PUB = {"publisher", "institution", "school", "organization", "howpublished"}


def entries(text):
    out = {}
    i, n = 0, len(text)
    while True:
        m = re.compile(r"@\s*(\w+)\s*([{(])").search(text, i)
        if not m:
            return out
        kind = m.group(1).lower()
        close = "}" if m.group(2) == "{" else ")"
        j = m.end()
        if kind in ("string", "preamble", "comment"):
            depth = 1
            while j < n and depth:
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            i = j
            continue
        k = text.find(",", j)
        key = text[j:k].strip()
        j = k + 1
        fields = {}
        while j < n:
            while j < n and text[j] in " \t\r\n,":
                j += 1
            if j >= n or text[j] == close:
                j += 1
                break
            fm = re.compile(r"([^\s=,{}]+)\s*=\s*").match(text, j)
            if not fm:
                j += 1
                continue
            name = fm.group(1).lower()
            j = fm.end()
            start = j
            while j < n:
                c = text[j]
                if c == "{":
                    depth = 1
                    j += 1
                    while j < n and depth:
                        depth += {"{": 1, "}": -1}.get(text[j], 0)
                        j += 1
                elif c == '"':
                    j += 1
                    depth = 0
                    while j < n and (text[j] != '"' or depth):
                        depth += {"{": 1, "}": -1}.get(text[j], 0)
                        j += 1
                    j += 1
                else:
                    while j < n and text[j] not in ",#" + close and \
                            not text[j].isspace():
                        j += 1
                while j < n and text[j].isspace():
                    j += 1
                if j < n and text[j] == "#":
                    j += 1
                    while j < n and text[j].isspace():
                        j += 1
                    continue
                break
            fields[name] = text[start:j].strip()
        out[key.lower()] = (kind, fields)
        i = j


def main():
    args = sys.argv[1:]
    dialect, least = "bibtex", 0.0
    while args and args[0].startswith("--"):
        if args[0] == "--dialect":
            dialect = args[1]
        elif args[0] == "--min":
            least = float(args[1])
        args = args[2:]
    std = BIBTEX if dialect == "bibtex" else BIBLATEX
    total = kept = 0
    for inp, outp in zip(args[0::2], args[1::2]):
        a = entries(open(inp, encoding="utf-8", errors="replace").read())
        b = entries(open(outp, encoding="utf-8", errors="replace").read())
        for key, (kind, fields) in a.items():
            got = b.get(key, ("", {}))[1]
            for name in fields:
                if name not in std or fields[name] in ('""', "{}", ""):
                    continue
                total += 1
                names = SAME.get(name, {name})
                if name in PUB:
                    names = PUB
                if any(x in got for x in names):
                    kept += 1
                else:
                    print("lost: %s: %s.%s" % (inp.rsplit("/", 1)[-1], key,
                                               name))
    share = 100.0 * kept / total if total else 100.0
    print("%s: %d of %d standard fields kept (%.1f%%)" %
          (dialect, kept, total, share))
    return 0 if share >= least else 1


sys.exit(main())
