# The stress record (tests/data/bib-stress.txt) as pandoc reads it back
# from our BibTeX or BibLaTeX, in CSL-JSON: the same title, names and URL.
# Used by tests/sh/consumer-bibtex.sh and consumer-biblatex.sh.
import json, re, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))[0]
want_title = ("Stress & escapes: 100% of #1 under_score ~tilde^hat \\ back "
              "<less> {braces} on Kullback\u2013Leibler")
want_authors = [
    ("van der", "Schaar", "Mihaela", None), (None, "King", "Martin Luther", "Jr."),
    (None, "Melis", "G\u00e1bor", None), (None, "Ko\u010disk\u00fd", "Tom\u00e1\u0161", None),
    (None, "Bi\u0144kowski", "Miko\u0142aj", None), (None, "Marinier", "Rapha\u00ebl", None),
    (None, "\u00dds\u00e9-\u0160imi\u0107", "Zo\u00eb", None),
]
got_authors = [(a.get("dropping-particle") or a.get("non-dropping-particle"),
                a.get("family"), a.get("given"), a.get("suffix")) for a in d["author"]]
want_url = "https://example.org/~stress/paper_v2%7Efinal?id=St1&x=a_b#top"

def unreserved(url):
    """RFC 3986, 6.2.2.2: %7E and ~ are the same URL (the writers encode ~
    for Zotero)."""
    return url and re.sub(r"%(2[DdEe]|5[Ff]|7[Ee]|[3-7][0-9A-Fa-f])",
                          lambda m: chr(int(m.group(1), 16))
                          if re.match(r"[A-Za-z0-9._~-]", chr(int(m.group(1), 16)))
                          else m.group(0), url)


ok = True
for what, got, want in (("title", d.get("title"), want_title),
                        ("authors", got_authors, want_authors),
                        ("URL", unreserved(d.get("URL")), unreserved(want_url))):
    if got != want:
        print("%s: got %r, want %r" % (what, got, want))
        ok = False
sys.exit(0 if ok else 1)
