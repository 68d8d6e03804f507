/* CSL-JSON writer: one JSON array of CSL items, as pandoc/citeproc,
 * citeproc-js and Zotero read them (schema: csl-data.json, CSL 1.0.2).
 *
 * Every variable of the record is written: its members, vars (a number
 * the CSL-JSON reader flagged PB_VAR_NUMBER as a JSON number), names of
 * every role, dates in full (date-parts with a range, season, circa,
 * literal, raw). A record read from CSL-JSON is written as it was read:
 * its members as they are, nothing derived from its venue or its links,
 * and its extra fields (members CSL does not know) back under their own
 * names. For other records the venue gives the proceedings and event
 * titles, and what has no variable goes into note.
 *
 * Output is pretty-printed with two-space indents in the layout of
 * JSON.stringify(x, null, 2), members in the order of the tables below,
 * absent values left out. Each item is built in one buffer and written
 * with one fwrite. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <strings.h>

#include <jansson.h>

#include "buf.h"
#include "paperbib/csl.h"
#include "ident.h"
#include "paperbib/paperbib.h"
#include "strset.h"
#include "utf8.h"
#include "venue.h"

/* Where the value of an item's variable comes from. */
enum csl_source {
	SRC_ID,         /* the citation key, else "item-N" */
	SRC_FIELD,      /* a string field of the record */
	SRC_TYPE,       /* pb_type_name() */
	SRC_AUTHORS,    /* the name list */
	SRC_PEOPLE,     /* names of every other role, in pb_csl_vars order */
	SRC_PROC,       /* pb_venue_proceedings_title() */
	SRC_PROC_SHORT, /* the venue's short name when it has a full name */
	SRC_EVENT,      /* event-title, else pb_venue_event_title() */
	SRC_EVENT_PLACE, /* event-place, else the venue's location */
	SRC_ISSUED,     /* venue date, else year, else the arXiv id's year */
	SRC_PUBLISHER,  /* the venue's publisher, else arXiv for a preprint */
	SRC_DOI,        /* DOI, else arXiv's DOI of a record with an arXiv id */
	SRC_URL,        /* forum URL, else the PDF URL */
	SRC_KEYWORDS,   /* keywords joined with ", " */
	SRC_VARS,       /* vars with no slot above, in pb_csl_vars order, then
	                 * extra fields that are CSL variables (below) */
	SRC_NOTE,       /* labelled lines (below), members with no variable,
	                 * other extras, the record's note */
	SRC_OWN_EXTRAS  /* extras of a CSL-JSON record, under their names */
};

/* An item's members, in output order. A variable named here is written
 * in its place, not again by SRC_VARS. */
static const struct csl_var {
	const char *name;
	enum csl_source src;
	pb_field field; /* for SRC_FIELD */
} csl_vars[] = {
	{"id", SRC_ID, PB_F_KEY},
	{"citation-key", SRC_FIELD, PB_F_KEY},
	{"type", SRC_TYPE, PB_F_COUNT},
	{"title", SRC_FIELD, PB_F_TITLE},
	{"author", SRC_AUTHORS, PB_F_COUNT},
	{NULL, SRC_PEOPLE, PB_F_COUNT},
	{"container-title", SRC_PROC, PB_F_COUNT},
	{"container-title-short", SRC_PROC_SHORT, PB_F_COUNT},
	{"event-title", SRC_EVENT, PB_F_COUNT},
	{"event-place", SRC_EVENT_PLACE, PB_F_COUNT},
	{"publisher", SRC_PUBLISHER, PB_F_VENUE_PUBLISHER},
	{"publisher-place", SRC_FIELD, PB_F_VENUE_LOCATION},
	{"issued", SRC_ISSUED, PB_F_COUNT},
	{"URL", SRC_URL, PB_F_COUNT},
	{"abstract", SRC_FIELD, PB_F_ABSTRACT},
	{"keyword", SRC_KEYWORDS, PB_F_COUNT},
	{NULL, SRC_VARS, PB_F_COUNT},
	{"DOI", SRC_DOI, PB_F_COUNT},
	{"note", SRC_NOTE, PB_F_COUNT},
	{NULL, SRC_OWN_EXTRAS, PB_F_COUNT},
};

/* Extra fields (from a BibTeX, RIS or CSL-JSON input) that are CSL
 * variables, by name (ASCII case-insensitive): what the CSL-JSON and RIS
 * readers keep as extra fields, and the BibTeX names of the same. Each
 * variable is written once, from the first extra that gives it; the
 * others go into note. */
static const struct csl_extra_var {
	const char *key;
	const char *var;
} csl_extra_vars[] = {
	{"DOI", "DOI"},
	{"pages", "page"},
	{"page", "page"},
	{"volume", "volume"},
	{"issue", "issue"},
	{"ISBN", "ISBN"},
	{"ISSN", "ISSN"},
	{"edition", "edition"},
	{"series", "collection-title"},
	{"collection-title", "collection-title"},
	{"genre", "genre"},
	{"language", "language"},
	{"PMID", "PMID"},
	{"PMCID", "PMCID"},
};

/* Members with no CSL variable here, as "Label: value" lines of note,
 * after the labelled lines below: Zotero keeps them in Extra, and the
 * CSL-JSON reader reads them back into the record's note. A member is
 * written there only when no variable holds its value (see placed()),
 * and each is named in one warning per run. */
static const struct csl_note_field {
	const char *label;
	pb_field field;
	const char *name; /* in the warning */
} csl_note_fields[] = {
	{"Date", PB_F_VENUE_DATE, "date"},
	{"Track", PB_F_VENUE_TRACK, "track"},
	{"ID", PB_F_ID, "id"},
};

/* The parts of a name object, in output order. */
enum name_part { NP_FAMILY, NP_GIVEN, NP_DROPPING, NP_PARTICLE, NP_SUFFIX,
	         NP_LITERAL };
static const struct csl_name_part {
	const char *name;
	enum name_part part;
} csl_name_parts[] = {
	{"family", NP_FAMILY},
	{"given", NP_GIVEN},
	{"dropping-particle", NP_DROPPING},
	{"non-dropping-particle", NP_PARTICLE},
	{"suffix", NP_SUFFIX},
	{"literal", NP_LITERAL},
};

/* The members of a date object, in output order. */
enum date_member { DM_PARTS, DM_SEASON, DM_CIRCA, DM_LITERAL, DM_RAW };
static const struct csl_date_member {
	const char *name;
	enum date_member member;
} csl_date_members[] = {
	{"date-parts", DM_PARTS},
	{"season", DM_SEASON},
	{"circa", DM_CIRCA},
	{"literal", DM_LITERAL},
	{"raw", DM_RAW},
};

/* Lines of "note" ("Label: value"), before the extra fields and the
 * record's own note. Zotero's import puts note into Extra, where it reads
 * "Citation Key: ..." as the citation key. */
static const struct csl_note_line {
	const char *label;
	pb_field field;
	const char *option; /* a bool of [csl-json] that turns it off, or NULL */
} csl_note_lines[] = {
	{"Citation Key", PB_F_KEY, "citation_key_note"},
	{"Code", PB_F_CODE_URL, NULL},
	{"PDF", PB_F_PDF_URL, NULL},
};

/* JSON escapes for the characters that have a short one; every other
 * control character is written as \u00XX. */
static const struct json_escape {
	unsigned char c;
	const char *esc;
} json_escapes[] = {
	{'"', "\\\""},
	{'\\', "\\\\"},
	{'\n', "\\n"},
	{'\t', "\\t"},
};

/* What a byte that is not UTF-8 becomes. */
#define REPLACEMENT "\xEF\xBF\xBD"

/* Deepest nesting of a member: a date part, in
 * items / item / issued / date-parts / [ ] / part. */
#define MAX_DEPTH 5
/* The start of a member: a comma unless it is the first, a new line and
 * two spaces of indent per level; json_open cuts what it needs. */
static const char line_starts[] = ",\n          ";
_Static_assert(sizeof line_starts - 1 == 2 + 2 * MAX_DEPTH,
               "line_starts holds the indent of MAX_DEPTH");

#define SECTION "csl-json"

/* The extra field in which the CSL-JSON reader keeps a role's name
 * members that no name part holds ("static-ordering", "comma-suffix",
 * "parse-names"), one object per name: merged back into the names. */
#define NAME_MEMBERS "csl-name-members:"

static const pb_option_spec csljson_options[] = {
	{"citation_key_note", PB_OPT_BOOL, "yes", NULL,
	 "add a \"Citation Key: KEY\" line to note (Zotero reads it into "
	 "the item's citation key)"},
	{"particles", PB_OPT_CHOICE, "separate", "separate|family",
	 "separate: a name's particle goes into non-dropping-particle; "
	 "family: it stays in family (Zotero's import keeps only family and "
	 "given)"},
	{NULL, PB_OPT_STRING, NULL, NULL, NULL},
};

typedef struct csl_state {
	pb_buf out;        /* the item being built */
	pb_buf tmp;        /* a value being assembled */
	pb_memo proc, event; /* the venue titles of the last record */
	unsigned long n;   /* items written */
	int key_note;      /* citation_key_note */
	int particles_sep; /* particles = separate */
	pb_strset warned; /* names (lower case) of fields put into note */
	pb_writer *w;     /* for diagnostics */
	/* the record's arXiv id, "" when it has none: an arXiv paper is
	 * written as Zotero's arXiv import and citation-js give it, with
	 * arXiv's DOI (10.48550/arXiv.ID), arXiv as the repository of a
	 * preprint (CSL's publisher, Zotero's repository) and the year of
	 * its id when nothing else dates it */
	char arxiv[PB_IDENT_MAX];
	/* the record was not read from CSL-JSON: its venue gives the
	 * proceedings and event titles, its links an arXiv DOI */
	int derive;
} csl_state;

/* ---- JSON emission ---------------------------------------------------- */

static const char *short_escape(unsigned char c)
{
	for (size_t i = 0; i < sizeof json_escapes / sizeof json_escapes[0]; i++)
		if (json_escapes[i].c == c)
			return json_escapes[i].esc;
	return NULL;
}

/* The bytes that end a run of plain text, 8 at a time: controls, '"',
 * '\\' and every byte of a UTF-8 sequence (most of which then join the
 * run after all, see json_string). */
static uint64_t json_attention(uint64_t w)
{
	uint64_t w7 = w & PB_WORD_LOW7;
	uint64_t ok = pb_word_ge7(w7, 0x20) & pb_word_ne7(w7, '"') &
	              pb_word_ne7(w7, '\\');
	return (w | ~ok) & PB_WORD_HIGH;
}

/* Appends s as a JSON string. Runs of bytes that need no escape, valid
 * UTF-8 included, are copied with one memcpy into reserved room: the
 * string's length, and at each escape (six bytes at most) room for the
 * rest again, so that a huge value does not reserve six times its size
 * up front. U+2028 and U+2029 are
 * escaped (JavaScript before ES2019 ends a line there); bytes that are
 * not UTF-8 become U+FFFD, counted in *bad. */
static int put_str(pb_buf *b, const char *s, unsigned long *bad)
{
	size_t n = strlen(s);
	if (pb_buf_reserve(b, n + 2))
		return PB_ENOMEM;
	const unsigned char *u = (const unsigned char *)s;
	char *o = b->data + b->len;
	size_t run = 0, i = 0;
	*o++ = '"';
	while ((i = pb_scan(s, i, n, json_attention)) < n) {
		size_t len = 0;
		if (u[i] >= 0x80 && (len = pb_utf8_len(u + i, u + n)) != 0 &&
		    !(len == 3 && u[i] == 0xE2 && u[i + 1] == 0x80 &&
		      (u[i + 2] == 0xA8 || u[i + 2] == 0xA9))) {
			i += len; /* plain text: the run goes on */
			continue;
		}
		memcpy(o, s + run, i - run);
		o += i - run;
		b->len = (size_t)(o - b->data);
		if (pb_buf_reserve(b, 6 + (n - i) + 2))
			return PB_ENOMEM;
		o = b->data + b->len;
		const char *esc;
		char ubuf[8];
		size_t skip = 1;
		if (u[i] >= 0x80) {
			if (len) { /* U+2028 or U+2029 */
				esc = u[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
				skip = 3;
			} else {
				esc = REPLACEMENT;
				if (bad)
					(*bad)++;
			}
		} else if (!(esc = short_escape(u[i]))) {
			snprintf(ubuf, sizeof ubuf, "\\u%04x", (unsigned)u[i]);
			esc = ubuf;
		}
		size_t k = strlen(esc);
		memcpy(o, esc, k);
		o += k;
		i += skip;
		run = i;
	}
	memcpy(o, s + run, n - run);
	o += n - run;
	*o++ = '"';
	*o = '\0';
	b->len = (size_t)(o - b->data);
	return PB_OK;
}

/* A new line indented to depth (two spaces a level). */
static int newline(pb_buf *b, int depth)
{
	return pb_buf_append(b, line_starts + 1, 1 + (size_t)depth * 2);
}

/* Starts a member or array element at depth: a comma unless it is the
 * first, a new line, and the member's name when name is non-NULL. Names
 * are our own constants, which need no escape. */
static int json_open(pb_buf *b, int depth, int *first, const char *name)
{
	size_t comma = *first ? 0 : 1, len = comma + 1 + (size_t)depth * 2;
	size_t name_len = name ? strlen(name) : 0;
	*first = 0;
	if (pb_buf_reserve(b, sizeof line_starts + name_len + 4))
		return PB_ENOMEM;
	/* A whole line_starts is copied at once (a fixed size needs no
	 * call) and cut to the length wanted: this runs for every member. */
	char *o = b->data + b->len;
	memcpy(o, line_starts + 1 - comma, sizeof line_starts - 1);
	o += len;
	if (name) {
		*o++ = '"';
		memcpy(o, name, name_len);
		o += name_len;
		memcpy(o, "\": ", 3);
		o += 3;
	}
	*o = '\0';
	b->len = (size_t)(o - b->data);
	return PB_OK;
}

/* Appends v in decimal. */
static int json_ulong(pb_buf *b, unsigned long v)
{
	char digits[3 * sizeof v];
	char *d = digits + sizeof digits;
	do
		*--d = (char)('0' + v % 10);
	while (v /= 10);
	return pb_buf_append(b, d, (size_t)(digits + sizeof digits - d));
}

/* Closes an object or array opened at depth with a non-empty body. */
static int json_close(pb_buf *b, int depth, char bracket)
{
	if (newline(b, depth) || pb_buf_putc(b, bracket))
		return PB_ENOMEM;
	return PB_OK;
}

/* ---- values ----------------------------------------------------------- */

static const char *name_part(const csl_state *st, const pb_name *n,
                             enum name_part part)
{
	if (n->literal)
		return part == NP_LITERAL ? n->literal : NULL;
	switch (part) {
	case NP_FAMILY:
		return st->particles_sep ? pb_name_family_core(n) : n->family;
	case NP_GIVEN:
		return n->given;
	case NP_PARTICLE:
		return st->particles_sep && n->family ? n->particle : NULL;
	case NP_DROPPING:
		return n->dropping;
	case NP_SUFFIX:
		return n->suffix;
	case NP_LITERAL:
		break;
	}
	return NULL;
}

/* A JSON value at depth in the layout of the rest: 1, or PB_ENOMEM. */
static int put_json(csl_state *st, const json_t *j, int depth)
{
	char *dump = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	                               JSON_ENCODE_ANY);
	if (!dump)
		return PB_ENOMEM;
	int rc = PB_OK;
	for (const char *p = dump; *p && rc == PB_OK; p++)
		rc = *p == '\n' ? newline(&st->out, depth) : pb_buf_putc(&st->out, *p);
	free(dump);
	return rc ? rc : 1;
}

/* A name that is written: "et al." (the literal "others", see
 * pb_read_is_et_al) has no form in CSL-JSON. */
static int has_name(const pb_name *n)
{
	if (n->literal)
		return strcmp(n->literal, "others") != 0;
	return n->family || n->given;
}

/* The names of role, in authors or people: the i-th or NULL past them. */
static const pb_name *nth_name(const pb_record *r, const char *role,
                               size_t *i)
{
	if (!role) {
		return *i < r->n_authors ? &r->authors[(*i)++] : NULL;
	}
	while (*i < r->n_people) {
		const pb_person *p = &r->people[(*i)++];
		if (strcmp(p->role, role) == 0)
			return &p->name;
	}
	return NULL;
}

/* "author": [ {...}, ... ] at depth 2, or another role's names (role
 * non-NULL). */
static int put_names(csl_state *st, const pb_record *r, int *first,
                     const char *var, const char *role, unsigned long *bad)
{
	pb_buf *b = &st->out;
	int any = 0;
	const pb_name *n;
	size_t i = 0;
	while (!any && (n = nth_name(r, role, &i)))
		any = has_name(n);
	if (!any)
		return PB_OK;
	if (json_open(b, 2, first, var) || pb_buf_putc(b, '['))
		return PB_ENOMEM;
	/* a CSL-JSON record's name members that no part holds, kept by the
	 * reader as the extra field named after the role */
	json_t *flags = NULL;
	const char *kept = NULL;
	char kname[64];
	if (!st->derive &&
	    (size_t)snprintf(kname, sizeof kname, "%s%s", NAME_MEMBERS, var) <
	        sizeof kname)
		kept = pb_record_get_extra(r, kname);
	if (kept && *kept == '[')
		flags = json_loads(kept, 0, NULL);
	int first_name = 1, rc = PB_OK;
	size_t index = 0;
	i = 0;
	while (rc == PB_OK && (n = nth_name(r, role, &i))) {
		json_t *f = json_array_get(flags, index++);
		if (!has_name(n))
			continue;
		if (json_open(b, 3, &first_name, NULL) || pb_buf_putc(b, '{')) {
			rc = PB_ENOMEM;
			break;
		}
		int first_part = 1;
		for (size_t k = 0; rc == PB_OK &&
		                   k < sizeof csl_name_parts / sizeof csl_name_parts[0];
		     k++) {
			const char *v = name_part(st, n, csl_name_parts[k].part);
			if (!v || !*v)
				continue;
			if (json_open(b, 4, &first_part, csl_name_parts[k].name) ||
			    put_str(b, v, bad))
				rc = PB_ENOMEM;
		}
		const char *key;
		json_t *m;
		if (json_is_object(f))
			json_object_foreach(f, key, m) {
				if (rc != PB_OK)
					break;
				if (json_open(b, 4, &first_part, NULL) || put_str(b, key, bad) ||
				    pb_buf_append(b, ": ", 2) || put_json(st, m, 4) < 0)
					rc = PB_ENOMEM;
			}
		if (rc == PB_OK && json_close(b, 3, '}'))
			rc = PB_ENOMEM;
	}
	json_decref(flags);
	return rc ? rc : json_close(b, 2, ']');
}

/* Every role but author that r has names in, in pb_csl_vars order. */
static int put_people(csl_state *st, const pb_record *r, int *first,
                      unsigned long *bad)
{
	if (!r->n_people)
		return PB_OK;
	for (size_t k = 0; k < pb_csl_n_vars; k++) {
		const pb_csl_var *v = &pb_csl_vars[k];
		if (v->home != PB_CSL_IN_PEOPLE || !pb_record_count_people(r, v->name))
			continue;
		if (put_names(st, r, first, v->name, v->name, bad))
			return PB_ENOMEM;
	}
	return PB_OK;
}

/* One end of a date: [Y, M, D] at depth 4. */
static int put_date_end(pb_buf *b, const pb_date *d, int end, int *first)
{
	int parts[3] = {d->year[end], d->month[end], d->day[end]};
	int n = parts[1] ? (parts[2] ? 3 : 2) : 1;
	if (!end && d->season)
		n = 1; /* the season is a member of its own */
	int f = 1;
	char num[16];
	if (json_open(b, 4, first, NULL) || pb_buf_putc(b, '['))
		return PB_ENOMEM;
	for (int i = 0; i < n; i++) {
		int k = snprintf(num, sizeof num, "%d", parts[i]);
		if (json_open(b, 5, &f, NULL) || pb_buf_append(b, num, (size_t)k))
			return PB_ENOMEM;
	}
	return json_close(b, 4, ']');
}

/* A date in the text form of pb_date_format as a CSL date object at
 * depth 2: date-parts with a range, season, circa, or literal or raw. */
static int put_date(csl_state *st, int *first, const char *var,
                    const char *text, unsigned long *bad)
{
	pb_buf *b = &st->out;
	pb_date d;
	pb_date_parse(text, &d);
	if (json_open(b, 2, first, var) || pb_buf_putc(b, '{'))
		return PB_ENOMEM;
	int f = 1;
	for (size_t i = 0;
	     i < sizeof csl_date_members / sizeof csl_date_members[0]; i++) {
		const struct csl_date_member *m = &csl_date_members[i];
		int rc = PB_OK;
		if (m->member == DM_PARTS && !d.text) {
			int f2 = 1;
			rc = json_open(b, 3, &f, m->name) || pb_buf_putc(b, '[') ||
			     put_date_end(b, &d, 0, &f2) ||
			     (d.has_end && d.year[1] && put_date_end(b, &d, 1, &f2)) ||
			     json_close(b, 3, ']');
		} else if (m->member == DM_SEASON && !d.text && d.season) {
			rc = json_open(b, 3, &f, m->name) ||
			     json_ulong(b, (unsigned long)d.season);
		} else if (m->member == DM_CIRCA && !d.text && d.circa) {
			rc = json_open(b, 3, &f, m->name) || pb_buf_puts(b, "true");
		} else if ((m->member == DM_LITERAL && d.text && !d.raw) ||
		           (m->member == DM_RAW && d.text && d.raw)) {
			rc = json_open(b, 3, &f, m->name) || put_str(b, d.text, bad);
		}
		if (rc)
			return PB_ENOMEM;
	}
	return json_close(b, 2, '}');
}

/* Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" into parts[]; returns how many
 * parts (1 to 3), or 0 when s is not such a date. */
static int parse_date(const char *s, unsigned long parts[3])
{
	static const unsigned long max[3] = {9999, 12, 31};
	static const int width[3] = {4, 2, 2};
	int n = 0;
	while (n < 3) {
		unsigned long v = 0;
		for (int i = 0; i < width[n]; i++) {
			if (s[i] < '0' || s[i] > '9')
				return 0;
			v = v * 10 + (unsigned long)(s[i] - '0');
		}
		if (v > max[n] || (n > 0 && v == 0))
			return 0;
		parts[n++] = v;
		s += width[n - 1];
		if (*s == '\0')
			return n;
		if (*s != '-')
			return 0;
		s++;
	}
	return 0;
}

/* A year of 1 to 4 digits into parts[0]: 1, or 0 when year is anything
 * else. A longer number would not fit a JSON reader's integer (jansson
 * refuses one past 2^63, JavaScript rounds one past 2^53). */
static int parse_year(const char *year, unsigned long parts[3])
{
	size_t n = strspn(year, "0123456789");
	if (n == 0 || n > 4 || year[n] != '\0')
		return 0;
	parts[0] = strtoul(year, NULL, 10);
	return 1;
}

/* "issued": {"date-parts": [[Y, M, D]]}; a year that is no such number
 * goes into "literal". */
static int put_issued(pb_writer *w, csl_state *st, const pb_record *r,
                      int *first, const char *var, unsigned long *bad)
{
	pb_buf *b = &st->out;
	unsigned long parts[3];
	int n = 0;
	const pb_venue *v = &r->venue;
	(void)w;
	const char *full = pb_record_var(r, "issued");
	if (full)
		return put_date(st, first, var, full, bad);
	if (v->date)
		n = parse_date(v->date, parts); /* else the date goes to note */
	if (!n && v->year)
		n = parse_year(v->year, parts);
	if (!n && !v->year && !v->date && st->derive && st->arxiv[0] &&
	    (parts[0] = (unsigned long)pb_arxiv_year(st->arxiv)) > 0)
		n = 1;
	if (!n && !v->year)
		return PB_OK;
	if (json_open(b, 2, first, var) || pb_buf_putc(b, '{'))
		return PB_ENOMEM;
	int f1 = 1;
	if (!n) {
		if (json_open(b, 3, &f1, "literal") ||
		    put_str(b, v->year, bad))
			return PB_ENOMEM;
		return json_close(b, 2, '}');
	}
	int f2 = 1, f3 = 1;
	if (json_open(b, 3, &f1, "date-parts") || pb_buf_putc(b, '[') ||
	    json_open(b, 4, &f2, NULL) || pb_buf_putc(b, '['))
		return PB_ENOMEM;
	for (int i = 0; i < n; i++)
		if (json_open(b, 5, &f3, NULL) || json_ulong(b, parts[i]))
			return PB_ENOMEM;
	if (json_close(b, 4, ']') || json_close(b, 3, ']') ||
	    json_close(b, 2, '}'))
		return PB_ENOMEM;
	return PB_OK;
}

/* "Label: value" on a line of its own; label and value are never NULL
 * (pb_record_add_extra copies both). */
static int note_line(pb_buf *t, const char *label, const char *value)
{
	if ((t->len && pb_buf_putc(t, '\n')) || pb_buf_puts(t, label) ||
	    pb_buf_append(t, ": ", 2) || pb_buf_puts(t, value))
		return PB_ENOMEM;
	return PB_OK;
}

/* 1 the first time a field name (ASCII case-insensitive) is seen in a
 * run, 0 after; PB_ENOMEM. */
static int first_time(csl_state *st, const char *name)
{
	char low[64];
	size_t n = strlen(name);
	if (n >= sizeof low)
		n = sizeof low - 1;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32
		                                                  : name[i]);
	return pb_strset_addn(&st->warned, low, n);
}

/* Names a field written to note for want of a variable, once per field
 * name and run. */
static int warn_note(csl_state *st, const pb_record *r, const char *name,
                     const char *label, const char *value)
{
	int rc = first_time(st, name);
	if (rc < 0)
		return PB_ENOMEM;
	if (rc == 0)
		return PB_OK;
	if (strcmp(name, "date") == 0)
		pb_diag_emitf(st->w->diag, PB_DIAG_WARNING, r->file, r->line, 0,
		              "csl-json: venue date \"%s\" is not YYYY, YYYY-MM "
		              "or YYYY-MM-DD; issued has the year, and note the "
		              "date (\"Date: ...\")", value);
	else if (pb_csl_var_find(name))
		/* a value beside the one the item has (a note line, a tag
		 * given twice) */
		pb_diag_emitf(st->w->diag, PB_DIAG_WARNING, r->file, r->line, 0,
		              "csl-json: a second value for '%s'; written to "
		              "note as \"%s: ...\"", name, label);
	else
		pb_diag_emitf(st->w->diag, PB_DIAG_WARNING, r->file, r->line, 0,
		              "csl-json: no CSL variable for '%s'; written to "
		              "note as \"%s: ...\"", name, label);
	return PB_OK;
}

/* Whether a member of csl_note_fields is already in a variable. */
static int placed(const pb_record *r, pb_field f, const char *value)
{
	unsigned long parts[3];
	switch (f) {
	case PB_F_VENUE_DATE: /* issued */
		return parse_date(value, parts) != 0;
	case PB_F_ID: /* an OpenReview or arXiv id is part of its links */
		return (r->url && strstr(r->url, value)) ||
		       (r->pdf_url && strstr(r->pdf_url, value)) ||
		       (r->code_url && strstr(r->code_url, value));
	default:
		return 0;
	}
}

/* The index in csl_extra_vars of an extra field that is a CSL variable,
 * or -1. */
static int extra_var(const char *key)
{
	for (size_t i = 0;
	     key && i < sizeof csl_extra_vars / sizeof csl_extra_vars[0]; i++)
		if (strcasecmp(csl_extra_vars[i].key, key) == 0)
			return (int)i;
	return -1;
}

/* The index in csl_extra_vars of the variable extra i of r gives: a
 * variable the record does not hold otherwise, with a value; else -1. */
static int gives_var(const pb_record *r, size_t i)
{
	int k = extra_var(r->extra[i].key);
	if (k < 0 || !r->extra[i].value || !*r->extra[i].value ||
	    pb_record_var(r, csl_extra_vars[k].var))
		return -1;
	return k;
}

/* Whether extra i of r is written as a member of the item. A record
 * read from CSL-JSON writes its extras under their own names, all but
 * "id" (written as the item's id) and names the writer writes itself.
 * Another record writes the first extra that gives a variable (two
 * names of one variable: "pages", "page"); a later one goes to note. */
static int extra_written(const pb_record *r, size_t i)
{
	const char *key = r->extra[i].key;
	if (r->origin == PB_ORIGIN_CSLJSON)
		return !pb_csl_var_find(key) && r->extra[i].value &&
		       strncmp(key, NAME_MEMBERS, strlen(NAME_MEMBERS)) != 0;
	int k = gives_var(r, i);
	if (k < 0)
		return 0;
	for (size_t j = 0; j < i; j++) {
		int kj = gives_var(r, j);
		if (kj >= 0 &&
		    strcmp(csl_extra_vars[kj].var, csl_extra_vars[k].var) == 0)
			return 0;
	}
	return 1;
}

/* The extras that are CSL variables, each "var": "value" at depth 2. */
static int put_extras(csl_state *st, const pb_record *r, int *first,
                      unsigned long *bad)
{
	if (r->origin == PB_ORIGIN_CSLJSON)
		return PB_OK; /* SRC_OWN_EXTRAS */
	for (size_t i = 0; i < r->n_extra; i++) {
		if (!extra_written(r, i))
			continue;
		const char *var = csl_extra_vars[extra_var(r->extra[i].key)].var;
		if (json_open(&st->out, 2, first, var) ||
		    put_str(&st->out, r->extra[i].value, bad))
			return PB_ENOMEM;
	}
	return PB_OK;
}

/* Whether a variable has a slot of its own in csl_vars. */
static int has_slot(const char *name)
{
	for (size_t i = 0; i < sizeof csl_vars / sizeof csl_vars[0]; i++)
		if (csl_vars[i].name && strcmp(csl_vars[i].name, name) == 0)
			return 1;
	return 0;
}

/* Whether s is a number as JSON writes one. */
static int is_json_number(const char *s)
{
	const char *p = s + (*s == '-');
	size_t n = strspn(p, "0123456789");
	if (n == 0 || (n > 1 && *p == '0'))
		return 0;
	p += n;
	if (*p == '.') {
		if (!(n = strspn(++p, "0123456789")))
			return 0;
		p += n;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		p += *p == '+' || *p == '-';
		if (!(n = strspn(p, "0123456789")))
			return 0;
		p += n;
	}
	return *p == '\0';
}

/* The vars with no slot of their own in csl_vars, each at depth 2, in
 * pb_csl_vars order: text as a string, a number read from a JSON number
 * as one, a date as a date object. */
static int put_vars(csl_state *st, const pb_record *r, int *first,
                    unsigned long *bad)
{
	if (!r->n_vars)
		return PB_OK;
	for (size_t k = 0; k < pb_csl_n_vars; k++) {
		const pb_csl_var *cv = &pb_csl_vars[k];
		if (cv->home != PB_CSL_IN_VARS || has_slot(cv->name))
			continue;
		for (size_t i = 0; i < r->n_vars; i++) {
			const pb_var *v = &r->vars[i];
			if (strcmp(v->name, cv->name) != 0 || !v->value || !*v->value)
				continue;
			int rc;
			if (cv->kind == PB_CSL_DATE)
				rc = put_date(st, first, v->name, v->value, bad);
			else if ((v->flags & PB_VAR_NUMBER) && is_json_number(v->value))
				rc = json_open(&st->out, 2, first, v->name) ||
				     pb_buf_puts(&st->out, v->value);
			else
				rc = json_open(&st->out, 2, first, v->name) ||
				     put_str(&st->out, v->value, bad);
			if (rc)
				return PB_ENOMEM;
			break;
		}
	}
	return PB_OK;
}

/* A JSON value (an object or an array) that the reader kept as text,
 * at depth 2 in the layout of the rest, or 0 when text is no such
 * value. */
static int put_json_text(csl_state *st, const char *text)
{
	if (*text != '{' && *text != '[')
		return 0;
	json_t *j = json_loads(text, JSON_ALLOW_NUL, NULL);
	if (!j)
		return 0;
	int rc = put_json(st, j, 2);
	json_decref(j);
	return rc;
}

/* The extra fields of a record read from CSL-JSON, under their own
 * names (see extra_written): text as a string, an object or array as the
 * JSON it was. */
static int put_own_extras(csl_state *st, const pb_record *r, int *first,
                          unsigned long *bad)
{
	if (r->origin != PB_ORIGIN_CSLJSON)
		return PB_OK;
	for (size_t i = 0; i < r->n_extra; i++) {
		if (!extra_written(r, i))
			continue;
		const pb_extra *e = &r->extra[i];
		if (json_open(&st->out, 2, first, NULL) ||
		    put_str(&st->out, e->key, bad) ||
		    pb_buf_append(&st->out, ": ", 2))
			return PB_ENOMEM;
		int k = put_json_text(st, e->value);
		if (k < 0 || (k == 0 && put_str(&st->out, e->value, bad)))
			return PB_ENOMEM;
	}
	return PB_OK;
}

/* A venue title through the memo m: built again only when the venue's
 * strings differ from the last record's. NULL when out of memory. */
static const char *venue_title(pb_memo *m, const pb_venue *v,
                               int (*title)(const pb_venue *, pb_buf *))
{
	const char *key[] = {v->name, v->short_name, v->year};
	if (!pb_memo_hit(m, key, 3) &&
	    (pb_memo_set(m, key, 3) || title(v, &m->val) ||
	     !pb_buf_cstr(&m->val))) {
		pb_memo_invalidate(m);
		return NULL;
	}
	return m->val.data;
}

/* Assembles the text of a string-valued variable: *out is the record's
 * own string when the value is one, else the value built in st->tmp;
 * NULL when the record has no value (or an empty one). */
static int text_value(csl_state *st, const pb_record *r,
                      const struct csl_var *v, const char **out)
{
	pb_buf *t = &st->tmp;
	const char *s = NULL;
	int rc = PB_OK;
	*out = NULL;
	pb_buf_reset(t);
	switch (v->src) {
	case SRC_ID:
		if (r->origin == PB_ORIGIN_CSLJSON &&
		    (s = pb_record_get_extra(r, "id")))
			break;
		if (r->key)
			s = r->key;
		else
			rc = pb_buf_printf(t, "item-%lu", st->n + 1);
		break;
	case SRC_FIELD:
		s = pb_record_get(r, v->field);
		break;
	case SRC_TYPE:
		s = pb_type_name(r->type);
		break;
	case SRC_PUBLISHER:
		s = r->venue.publisher;
		if (!s && !r->venue.name && st->derive && st->arxiv[0])
			s = "arXiv";
		break;
	case SRC_DOI:
		s = pb_record_var(r, "DOI");
		if (!s && st->derive && st->arxiv[0] &&
		    !pb_record_get_extra(r, "DOI") &&
		    pb_buf_printf(t, "10.48550/arXiv.%s", st->arxiv))
			return PB_ENOMEM;
		break;
	case SRC_PROC:
		if (!st->derive)
			s = r->venue.name;
		else if (!(s = venue_title(&st->proc, &r->venue,
		                           pb_venue_proceedings_title)))
			return PB_ENOMEM;
		break;
	case SRC_PROC_SHORT:
		if (r->venue.name || !st->derive)
			s = r->venue.short_name;
		break;
	case SRC_EVENT:
		s = pb_record_var(r, "event-title");
		if (!s && st->derive && r->type == PB_TYPE_PAPER_CONFERENCE &&
		    !(s = venue_title(&st->event, &r->venue, pb_venue_event_title)))
			return PB_ENOMEM;
		break;
	case SRC_EVENT_PLACE:
		s = pb_record_var(r, "event-place");
		if (!s && st->derive && r->type == PB_TYPE_PAPER_CONFERENCE)
			s = r->venue.location;
		break;
	case SRC_URL:
		s = r->url ? r->url : st->derive ? r->pdf_url : NULL;
		break;
	case SRC_KEYWORDS:
		for (size_t i = 0; i < r->n_keywords; i++)
			if ((i && pb_buf_puts(t, ", ")) ||
			    pb_buf_puts(t, r->keywords[i]))
				return PB_ENOMEM;
		break;
	case SRC_NOTE:
		for (size_t i = 0;
		     i < sizeof csl_note_lines / sizeof csl_note_lines[0]; i++) {
			const struct csl_note_line *l = &csl_note_lines[i];
			const char *val = pb_record_get(r, l->field);
			/* The PDF is already the item's URL when there is no
			 * forum page. */
			if (!val || (l->field == PB_F_PDF_URL && !r->url && st->derive))
				continue;
			if (l->field == PB_F_KEY && !st->key_note)
				continue;
			if (note_line(t, l->label, val))
				return PB_ENOMEM;
		}
		for (size_t i = 0;
		     i < sizeof csl_note_fields / sizeof csl_note_fields[0]; i++) {
			const struct csl_note_field *f = &csl_note_fields[i];
			const char *val = pb_record_get(r, f->field);
			if (!val || placed(r, f->field, val))
				continue;
			if (warn_note(st, r, f->name, f->label, val) ||
			    note_line(t, f->label, val))
				return PB_ENOMEM;
		}
		/* a CSL-JSON record's extras are its own members, and its id */
		for (size_t i = 0; i < r->n_extra && st->derive; i++) {
			const pb_extra *e = &r->extra[i];
			if (extra_written(r, i) || pb_extra_is_markup(e->key))
				continue;
			if (warn_note(st, r, e->key, e->key, e->value) ||
			    note_line(t, e->key, e->value))
				return PB_ENOMEM;
		}
		if (r->note && ((t->len && pb_buf_putc(t, '\n')) ||
		                pb_buf_puts(t, r->note)))
			return PB_ENOMEM;
		break;
	case SRC_AUTHORS:
	case SRC_PEOPLE:
	case SRC_ISSUED:
	case SRC_VARS:
	case SRC_OWN_EXTRAS:
		break;
	}
	if (s)
		*out = *s ? s : NULL;
	else if (t->len)
		*out = t->data;
	return rc;
}

/* ---- the writer ------------------------------------------------------- */

/* A [csl-json] value; the table's default when the writer has no
 * configuration. */
static const char *option(const pb_writer *w, const char *key)
{
	if (w->config)
		return pb_config_get(w->config, SECTION, key);
	for (const pb_option_spec *o = csljson_options; o->key; o++)
		if (strcmp(o->key, key) == 0)
			return o->def;
	return NULL;
}

static csl_state *state(pb_writer *w)
{
	if (w->state)
		return w->state;
	csl_state *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	const char *p = option(w, "particles");
	st->particles_sep = !p || strcmp(p, "family") != 0;
	st->key_note = w->config ? pb_config_get_bool(w->config, SECTION,
	                                              "citation_key_note", 1)
	                         : 1;
	w->state = st;
	return st;
}

static int write_all(FILE *out, const char *s, size_t n)
{
	return fwrite(s, 1, n, out) == n ? PB_OK : PB_EIO;
}

static int csljson_begin(pb_writer *w)
{
	if (!state(w))
		return PB_ENOMEM;
	return write_all(w->out, "[", 1);
}

static int csljson_record(pb_writer *w, const pb_record *r)
{
	csl_state *st = state(w);
	if (!st)
		return PB_ENOMEM;
	st->w = w;
	st->derive = r->origin != PB_ORIGIN_CSLJSON;
	st->arxiv[0] = '\0';
	if (st->derive)
		pb_record_arxiv_id(r, st->arxiv, sizeof st->arxiv);
	pb_buf *b = &st->out;
	unsigned long bad = 0;
	int first = 1;
	pb_buf_reset(b);
	if (pb_buf_puts(b, st->n ? ",\n  {" : "\n  {"))
		return PB_ENOMEM;
	for (size_t i = 0; i < sizeof csl_vars / sizeof csl_vars[0]; i++) {
		const struct csl_var *v = &csl_vars[i];
		int rc;
		if (v->src == SRC_AUTHORS) {
			rc = put_names(st, r, &first, v->name, NULL, &bad);
		} else if (v->src == SRC_PEOPLE) {
			rc = put_people(st, r, &first, &bad);
		} else if (v->src == SRC_ISSUED) {
			rc = put_issued(w, st, r, &first, v->name, &bad);
		} else if (v->src == SRC_VARS) {
			rc = put_vars(st, r, &first, &bad);
			if (!rc)
				rc = put_extras(st, r, &first, &bad);
		} else if (v->src == SRC_OWN_EXTRAS) {
			rc = put_own_extras(st, r, &first, &bad);
		} else {
			const char *s;
			rc = text_value(st, r, v, &s);
			if (!rc && s)
				rc = json_open(b, 2, &first, v->name) ||
				     put_str(b, s, &bad);
		}
		if (rc)
			return PB_ENOMEM;
	}
	if (json_close(b, 1, '}'))
		return PB_ENOMEM;
	if (bad)
		pb_diag_emitf(w->diag, PB_DIAG_WARNING, r->file, r->line, 0,
		              "csl-json: %lu invalid UTF-8 byte%s replaced by "
		              "U+FFFD", bad, bad == 1 ? "" : "s");
	if (write_all(w->out, b->data, b->len))
		return PB_EIO;
	st->n++;
	return PB_OK;
}

static int csljson_end(pb_writer *w)
{
	csl_state *st = state(w);
	if (!st)
		return PB_ENOMEM;
	const char *close = st->n ? "\n]\n" : "]\n";
	return write_all(w->out, close, strlen(close));
}

static void csljson_free(pb_writer *w)
{
	csl_state *st = w->state;
	if (!st)
		return;
	pb_buf_free(&st->out);
	pb_buf_free(&st->tmp);
	pb_strset_free(&st->warned);
	pb_memo_free(&st->proc);
	pb_memo_free(&st->event);
	free(st);
	w->state = NULL;
}

const pb_format pb_csljson_format = {
	.name = "csl-json",
	.extension = "json",
	.description = "CSL-JSON (pandoc --citeproc, citeproc-js, Zotero)",
	.options = csljson_options,
	.begin = csljson_begin,
	.record = csljson_record,
	.end = csljson_end,
	.free = csljson_free,
};
