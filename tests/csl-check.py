#!/usr/bin/python3
"""Checks CSL-JSON against the CSL data model (tests only).

Written from the CSL 1.0.2 specification
(https://docs.citationstyles.org/en/stable/specification.html), not from
the official JSON schema (csl-data.json), which a fresh clone does not
have. Standard library only.

    csl-check.py FILE...         the project's checker: every problem on
                                 stdout, exit 0 when there is none, 1 when
                                 there is one, 2 on a usage or JSON error
    csl-check.py --auto FILE...  the official schema when it is available
                                 ($CSL_SCHEMA, else ../shared/schemas/
                                 csl-data.json beside the repository),
                                 validated with python3-jsonschema; else
                                 this checker. The first line of output
                                 names which one ran. With CI=true a
                                 missing schema is an error: CI must never
                                 downgrade silently. Exit 77 when the
                                 schema is there but jsonschema is not.

What is checked, item by item (an item is one object of the top-level
array):
  - "type" is one of the item types of Appendix III, and "id" is a string
    or a number; both are required (CSL-JSON identifies and renders items
    by them).
  - every other key is a variable of Appendix IV or one of the fields that
    CSL-JSON adds to the model; an unknown key is an error, as the
    official schema has it (additionalProperties: false), so a misspelt
    variable ("DOI " or "containertitle") is caught instead of dropped by
    every processor.
  - standard variables are strings; number variables strings or numbers;
    date variables date objects; name variables arrays of name objects.
Stricter than the official schema where the data is clearly broken and no
processor can use it (an empty name object, a date-parts part that is no
integer, month 13 of a date that is no season, duplicate ids); more
lenient where the specification allows what the schema does not (a
number for "section" or "version", the 1.0.2 variables "license",
"part-number", "printing-number", "supplement-number",
"editor-translator").
"""
import json
import numbers
import os
import sys

# ---- Appendix III, Types ------------------------------------------------
ITEM_TYPES = frozenset("""
article article-journal article-magazine article-newspaper bill book
broadcast chapter classic collection dataset document entry
entry-dictionary entry-encyclopedia event figure graphic hearing interview
legal_case legislation manuscript map motion_picture musical_score pamphlet
paper-conference patent performance periodical personal_communication post
post-weblog regulation report review review-book software song speech
standard thesis treaty webpage
""".split())

# ---- Appendix IV, Variables ---------------------------------------------
# Number variables ("a subset of the standard variables"): a string or a
# number in CSL-JSON.
NUMBER_VARIABLES = frozenset("""
chapter-number citation-number collection-number edition
first-reference-note-number issue locator number number-of-pages
number-of-volumes page page-first part-number printing-number section
supplement-number version volume
""".split())

# Standard variables that are not number variables: strings.
STANDARD_VARIABLES = frozenset("""
abstract annote archive archive_collection archive_location archive-place
authority call-number citation-key citation-label collection-title
container-title container-title-short dimensions division DOI event
event-title event-place genre ISBN ISSN jurisdiction keyword language
license medium note original-publisher original-publisher-place
original-title part-title PMCID PMID publisher publisher-place references
reviewed-genre reviewed-title scale source status title title-short URL
volume-title volume-title-short year-suffix
""".split())

# Date variables: date objects (below).
DATE_VARIABLES = frozenset("""
accessed available-date event-date issued original-date submitted
""".split())

# Name variables: arrays of name objects (below).
NAME_VARIABLES = frozenset("""
author chair collection-editor compiler composer container-author
contributor curator director editor editorial-director editor-translator
executive-producer guest host illustrator interviewer narrator organizer
original-author performer producer recipient reviewed-author script-writer
series-creator translator
""".split())

# What CSL-JSON adds to the variables of the specification, as Zotero,
# citeproc-js and pandoc write it: the item's id and type (required), the
# Zotero fields journalAbbreviation and shortTitle, categories (tags),
# custom (free key/value data), and the CSL-JSON spellings of three number
# variables ("part", "printing", "supplement" for part-number,
# printing-number and supplement-number).
CSLJSON_STRINGS = frozenset(["journalAbbreviation", "shortTitle"])
CSLJSON_NUMBERS = frozenset(["part", "printing", "supplement"])

# Name objects ("Name-part Order" and "Name Particles" in the
# specification; comma-suffix, static-ordering and parse-names are the
# CSL-JSON flags of citeproc-js).
NAME_STRING_PARTS = frozenset([
    "family", "given", "dropping-particle", "non-dropping-particle",
    "suffix", "literal"])
NAME_FLAGS = frozenset(["comma-suffix", "static-ordering", "parse-names"])

# Date objects as CSL-JSON writes them ("Date" in the specification:
# dates, date ranges, seasons, circa, and literal dates; "raw" is a date
# string left for the processor to parse).
DATE_KEYS = frozenset(["date-parts", "season", "circa", "literal", "raw"])
# Months in date-parts: 1 to 12, and the seasons as citeproc-js (13-16)
# and EDTF (21-24) number them (the specification's season-01 to -04).
MONTHS = set(range(1, 13)) | set(range(13, 17)) | set(range(21, 25))


def is_number(v):
    # bool is an int in Python, but true is not a number in JSON
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def kind(v):
    return {dict: "an object", list: "an array", str: "a string",
            bool: "a boolean", type(None): "null"}.get(
                type(v), "a number" if is_number(v) else type(v).__name__)


def check_name(n, where, out):
    if not isinstance(n, dict):
        out.append("%s: a name must be an object, not %s" % (where, kind(n)))
        return
    for k, v in n.items():
        if k in NAME_STRING_PARTS:
            if not isinstance(v, str):
                out.append("%s.%s: must be a string, not %s"
                           % (where, k, kind(v)))
        elif k in NAME_FLAGS:
            if not (isinstance(v, (str, bool)) or is_number(v)):
                out.append("%s.%s: must be a string, number or boolean, "
                           "not %s" % (where, k, kind(v)))
        else:
            out.append("%s: unknown name part %r" % (where, k))
    if not any(isinstance(n.get(k), str) and n[k].strip()
               for k in ("family", "given", "literal")):
        out.append("%s: a name needs a family, given or literal part"
                   % where)


def date_part(v):
    """The integer value of a date part, or None."""
    if is_number(v):
        return int(v) if v == int(v) else None
    if isinstance(v, str):
        s = v.strip()
        if s[:1] == "-":
            s = s[1:]
        if s.isdigit() and s.isascii():
            return int(v)
    return None


def check_date(d, where, out):
    if not isinstance(d, dict):
        out.append("%s: a date must be an object, not %s" % (where, kind(d)))
        return
    for k in d:
        if k not in DATE_KEYS:
            out.append("%s: unknown date member %r" % (where, k))
    if not any(k in d for k in ("date-parts", "literal", "raw")):
        out.append("%s: a date needs date-parts, literal or raw" % where)
    for k in ("literal", "raw"):
        if k in d and not isinstance(d[k], str):
            out.append("%s.%s: must be a string, not %s"
                       % (where, k, kind(d[k])))
    if "season" in d and not (isinstance(d["season"], str)
                              or is_number(d["season"])):
        out.append("%s.season: must be a string or number, not %s"
                   % (where, kind(d["season"])))
    if "circa" in d and not (isinstance(d["circa"], (str, bool))
                             or is_number(d["circa"])):
        out.append("%s.circa: must be a string, number or boolean, not %s"
                   % (where, kind(d["circa"])))
    if "date-parts" not in d:
        return
    dp = d["date-parts"]
    # One date, or two for a range ("Date Ranges").
    if not isinstance(dp, list) or not 1 <= len(dp) <= 2:
        out.append("%s.date-parts: must be an array of one date, or two "
                   "for a range, not %s" % (where, json.dumps(dp)))
        return
    for i, parts in enumerate(dp):
        w = "%s.date-parts[%d]" % (where, i)
        # year, month, day: only the year is required
        if not isinstance(parts, list) or not 1 <= len(parts) <= 3:
            out.append("%s: must be [year], [year, month] or "
                       "[year, month, day], not %s" % (w, json.dumps(parts)))
            continue
        vals = [date_part(p) for p in parts]
        for j, (p, v) in enumerate(zip(parts, vals)):
            if v is None:
                out.append("%s[%d]: %s is not an integer"
                           % (w, j, json.dumps(p)))
        if len(vals) > 1 and vals[1] is not None and vals[1] not in MONTHS:
            out.append("%s[1]: month %d is not 1-12 or a season"
                       % (w, vals[1]))
        if len(vals) > 2 and vals[2] is not None and not 1 <= vals[2] <= 31:
            out.append("%s[2]: day %d is not 1-31" % (w, vals[2]))


def check_item(it, where, out):
    if not isinstance(it, dict):
        out.append("%s: an item must be an object, not %s" % (where, kind(it)))
        return
    for req in ("id", "type"):
        if req not in it:
            out.append("%s: no %r" % (where, req))
    for k, v in it.items():
        w = "%s.%s" % (where, k)
        if k == "id":
            if not (isinstance(v, str) or is_number(v)):
                out.append("%s: must be a string or number, not %s"
                           % (w, kind(v)))
        elif k == "type":
            if v not in ITEM_TYPES:
                out.append("%s: %s is not a CSL item type"
                           % (w, json.dumps(v)))
        elif k in NUMBER_VARIABLES or k in CSLJSON_NUMBERS:
            if not (isinstance(v, str) or is_number(v)):
                out.append("%s: a number variable must be a string or "
                           "number, not %s" % (w, kind(v)))
        elif k in STANDARD_VARIABLES or k in CSLJSON_STRINGS:
            if not isinstance(v, str):
                out.append("%s: must be a string, not %s" % (w, kind(v)))
        elif k in DATE_VARIABLES:
            check_date(v, w, out)
        elif k in NAME_VARIABLES:
            if not isinstance(v, list):
                out.append("%s: a name variable must be an array of names, "
                           "not %s" % (w, kind(v)))
            else:
                for i, n in enumerate(v):
                    check_name(n, "%s[%d]" % (w, i), out)
        elif k == "categories":
            if not (isinstance(v, list)
                    and all(isinstance(c, str) for c in v)):
                out.append("%s: must be an array of strings" % w)
        elif k == "custom":
            if not isinstance(v, dict):
                out.append("%s: must be an object, not %s" % (w, kind(v)))
        else:
            out.append("%s: unknown variable" % w)


def check(data):
    """Every problem of a CSL-JSON document (a list of items), as text."""
    out = []
    if not isinstance(data, list):
        return ["CSL-JSON must be an array of items, not %s" % kind(data)]
    seen = {}
    for i, it in enumerate(data):
        label = "item %d" % (i + 1)
        if isinstance(it, dict) and isinstance(it.get("id"), (str, int)):
            label += " (%s)" % it["id"]
            first = seen.setdefault(it["id"], i + 1)
            if first != i + 1:
                out.append("%s: id also used by item %d" % (label, first))
        check_item(it, label, out)
    return out


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def official_schema():
    """The official schema's path, or None."""
    env = os.environ.get("CSL_SCHEMA")
    if env:
        return env
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    p = os.path.join(os.path.dirname(root), "shared", "schemas",
                     "csl-data.json")
    return p if os.path.isfile(p) else None


def main(argv):
    auto = argv[:1] == ["--auto"]
    files = argv[1:] if auto else argv
    if not files:
        print("usage: csl-check.py [--auto] FILE...", file=sys.stderr)
        return 2
    schema_path = official_schema() if auto else None
    if auto and schema_path is None and os.environ.get("CI") == "true":
        print("CI: the official CSL schema is missing (set CSL_SCHEMA or "
              "put shared/ beside the clone)")
        return 1
    if schema_path:
        try:
            import jsonschema
        except ImportError:
            print("python3-jsonschema not installed (scripts/deps.sh test "
                  "installs it)")
            return 77
        if not os.path.isfile(schema_path):
            print("%s: no such file" % schema_path)
            return 1
        schema = load(schema_path)
        jsonschema.Draft7Validator.check_schema(schema)
        validator = jsonschema.Draft7Validator(schema)
        print("validating against the official schema %s" % schema_path)
    else:
        print("validating with tests/csl-check.py (CSL 1.0.2 data model%s)"
              % ("; official schema not found" if auto else ""))
    bad = 0
    for path in files:
        try:
            data = load(path)
        except (OSError, ValueError) as e:
            print("%s: %s" % (path, e))
            return 2
        if schema_path:
            errors = sorted(validator.iter_errors(data),
                            key=lambda e: list(e.absolute_path))
            problems = ["/".join(map(str, e.absolute_path)) + ": " + e.message
                        for e in errors]
        else:
            problems = check(data)
        for p in problems[:50]:
            print("%s: %s" % (path, p))
        if len(problems) > 50:
            print("%s: ... %d more" % (path, len(problems) - 50))
        bad += bool(problems)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
