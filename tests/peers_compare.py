#!/usr/bin/env python3
"""Compares paperbib's CSL-JSON of a BibTeX file with pandoc's.

usage: peers_compare.py [--min PERCENT] PANDOC.json PAPERBIB.json ...

Pairs of files, items matched by id. Compared, where either side has it: title, the
names of every role, issued, container-title, page, volume, issue, DOI
and publisher. Text is compared after what the two CSL-JSON writers
spell differently but means the same: rich-text tags (pandoc writes
small caps as a styled span and drops nocase spans), quotes and dashes,
white space, and math that pandoc leaves as TeX and paperbib gives as
Unicode. Prints each difference, then the agreement over all pairs;
exits 1 under PERCENT (default 95).
"""
import json
import re
import sys
import unicodedata

FIELDS = ["title", "container-title", "page", "volume", "issue", "DOI",
          "publisher", "issued"]
ROLES = ["author", "editor", "translator", "container-author",
         "collection-editor", "compiler", "director", "organizer",
         "contributor", "illustrator"]


def text(v):
    if v is None:
        return None
    if isinstance(v, (int, float)):
        v = str(v)
    v = re.sub(r"<[^>]+>", "", v)           # rich text tags
    v = re.sub(r"\\[A-Za-z]+\s*", "", v)    # TeX left by pandoc
    v = re.sub(r"[\^_{}$]", "", v)
    v = unicodedata.normalize("NFKC", v)
    v = re.sub(r"[\u2018\u2019\u201c\u201d\"']", "'", v)
    v = re.sub(r"[\u2010-\u2015-]+", "-", v)
    v = re.sub(r"[^\w'\-]+", " ", v.lower()).strip()
    # Greek and other letters paperbib gives for TeX math: keep only ASCII
    # words so that "\alpha" (dropped above) and "α" compare equal
    v = " ".join(w for w in v.split() if w.isascii())
    return v


def date(v):
    if v is None:
        return None
    if isinstance(v, str):          # paperbib's EDTF-ish text
        return v
    if "literal" in v:
        return "literal:" + v["literal"]
    parts = v.get("date-parts", [])
    out = "/".join("-".join("%02d" % p if i else str(p)
                            for i, p in enumerate(dp)) for dp in parts)
    return out + ("~" if v.get("circa") else "")


def name(n):
    if "literal" in n:
        return text(n["literal"])
    fam = " ".join(x for x in (n.get("non-dropping-particle"),
                               n.get("dropping-particle"), n.get("family"))
                   if x)
    return text(fam + ", " + n.get("given", ""))


def names(item, role):
    ns = [name(n) for n in item.get(role, [])]
    return [n for n in ns if n != "others"] or None


def compare(pandoc_path, ours_path):
    """(fields compared, fields equal) of one pair of files."""
    pandoc = {i["id"]: i for i in json.load(open(pandoc_path, encoding="utf-8"))}
    ours = {i["id"]: i for i in json.load(open(ours_path, encoding="utf-8"))}
    total = same = 0
    for key in sorted(pandoc):
        p, o = pandoc[key], ours.get(key, {})
        checks = [(f, date(p.get(f)) if f == "issued" else text(p.get(f)),
                   date(o.get(f)) if f == "issued" else text(o.get(f)))
                  for f in FIELDS]
        checks += [(r, names(p, r), names(o, r)) for r in ROLES]
        for what, want, got in checks:
            if want is None and got is None:
                continue
            total += 1
            if want == got:
                same += 1
            else:
                print("%s %s: pandoc %r, paperbib %r" % (key, what, want, got))
    return total, same


def main():
    args = sys.argv[1:]
    bar = 95.0
    if len(args) >= 2 and args[0] == "--min":
        bar = float(args[1])
        args = args[2:]
    if not args or len(args) % 2:
        sys.exit(__doc__)
    total = same = 0
    for i in range(0, len(args), 2):
        t, s = compare(args[i], args[i + 1])
        print("%s: %d of %d fields agree" % (args[i + 1], s, t))
        total += t
        same += s
    pct = 100.0 * same / total if total else 0.0
    print("agreement: %d of %d fields, %.1f%%" % (same, total, pct))
    return 0 if pct >= bar else 1


if __name__ == "__main__":
    sys.exit(main())
