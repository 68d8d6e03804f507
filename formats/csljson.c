/* CSL-JSON writer: one JSON array of CSL items, as pandoc/citeproc,
 * citeproc-js and Zotero read them (schema: csl-data.json, CSL 1.0.2).
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

#include "buf.h"
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
	SRC_PROC,       /* pb_venue_proceedings_title() */
	SRC_PROC_SHORT, /* the venue's short name when it has a full name */
	SRC_EVENT,      /* pb_venue_event_title() */
	SRC_ISSUED,     /* venue date, else year, else the arXiv id's year */
	SRC_PUBLISHER,  /* the venue's publisher, else arXiv for a preprint */
	SRC_ARXIV_DOI,  /* arXiv's DOI of a record with an arXiv id and no DOI */
	SRC_URL,        /* forum URL, else the PDF URL */
	SRC_KEYWORDS,   /* keywords joined with ", " */
	SRC_EXTRAS,     /* extra fields that are CSL variables (below) */
	SRC_NOTE        /* labelled lines (below), members with no variable,
	                 * other extras, the record's note */
};

/* An item's members, in output order. */
static const struct csl_var {
	const char *name;
	enum csl_source src;
	pb_field field; /* for SRC_FIELD */
	int event;      /* only for a conference paper */
} csl_vars[] = {
	{"id", SRC_ID, PB_F_KEY, 0},
	{"citation-key", SRC_FIELD, PB_F_KEY, 0},
	{"type", SRC_TYPE, PB_F_COUNT, 0},
	{"title", SRC_FIELD, PB_F_TITLE, 0},
	{"author", SRC_AUTHORS, PB_F_COUNT, 0},
	{"container-title", SRC_PROC, PB_F_COUNT, 0},
	{"container-title-short", SRC_PROC_SHORT, PB_F_COUNT, 0},
	{"event-title", SRC_EVENT, PB_F_COUNT, 1},
	{"event-place", SRC_FIELD, PB_F_VENUE_LOCATION, 1},
	{"publisher", SRC_PUBLISHER, PB_F_VENUE_PUBLISHER, 0},
	{"publisher-place", SRC_FIELD, PB_F_VENUE_LOCATION, 0},
	{"issued", SRC_ISSUED, PB_F_COUNT, 0},
	{"URL", SRC_URL, PB_F_COUNT, 0},
	{"abstract", SRC_FIELD, PB_F_ABSTRACT, 0},
	{"keyword", SRC_KEYWORDS, PB_F_COUNT, 0},
	{NULL, SRC_EXTRAS, PB_F_COUNT, 0},
	{"DOI", SRC_ARXIV_DOI, PB_F_COUNT, 0},
	{"note", SRC_NOTE, PB_F_COUNT, 0},
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
enum name_part { NP_FAMILY, NP_GIVEN, NP_PARTICLE, NP_SUFFIX, NP_LITERAL };
static const struct csl_name_part {
	const char *name;
	enum name_part part;
} csl_name_parts[] = {
	{"family", NP_FAMILY},
	{"given", NP_GIVEN},
	{"non-dropping-particle", NP_PARTICLE},
	{"suffix", NP_SUFFIX},
	{"literal", NP_LITERAL},
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
static int json_string(pb_buf *b, const char *s, unsigned long *bad)
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
	case NP_SUFFIX:
		return n->suffix;
	case NP_LITERAL:
		break;
	}
	return NULL;
}

static int has_name(const pb_name *n)
{
	return n->literal || n->family || n->given;
}

/* "author": [ {...}, ... ] at depth 2. */
static int put_authors(csl_state *st, const pb_record *r, int *first,
                       const char *var, unsigned long *bad)
{
	pb_buf *b = &st->out;
	int any = 0;
	for (size_t i = 0; i < r->n_authors; i++)
		any |= has_name(&r->authors[i]);
	if (!any)
		return PB_OK;
	if (json_open(b, 2, first, var) || pb_buf_putc(b, '['))
		return PB_ENOMEM;
	int first_name = 1;
	for (size_t i = 0; i < r->n_authors; i++) {
		const pb_name *n = &r->authors[i];
		if (!has_name(n))
			continue;
		if (json_open(b, 3, &first_name, NULL) || pb_buf_putc(b, '{'))
			return PB_ENOMEM;
		int first_part = 1;
		for (size_t k = 0;
		     k < sizeof csl_name_parts / sizeof csl_name_parts[0]; k++) {
			const char *v = name_part(st, n, csl_name_parts[k].part);
			if (!v || !*v)
				continue;
			if (json_open(b, 4, &first_part, csl_name_parts[k].name) ||
			    json_string(b, v, bad))
				return PB_ENOMEM;
		}
		if (json_close(b, 3, '}'))
			return PB_ENOMEM;
	}
	return json_close(b, 2, ']');
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
	if (v->date)
		n = parse_date(v->date, parts); /* else the date goes to note */
	if (!n && v->year)
		n = parse_year(v->year, parts);
	if (!n && !v->year && !v->date && st->arxiv[0] &&
	    (parts[0] = (unsigned long)pb_arxiv_year(st->arxiv)) > 0)
		n = 1;
	if (!n && !v->year)
		return PB_OK;
	if (json_open(b, 2, first, var) || pb_buf_putc(b, '{'))
		return PB_ENOMEM;
	int f1 = 1;
	if (!n) {
		if (json_open(b, 3, &f1, "literal") ||
		    json_string(b, v->year, bad))
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

/* The variables the extras of r give, as a mask of csl_extra_vars: bit i
 * set when extra i of r is written as its variable (the first extra that
 * gives a variable; a later one goes to note). Extras past the 64th are
 * not looked at and go to note. */
static unsigned long long extras_written(const pb_record *r)
{
	unsigned long long mask = 0;
	char seen[sizeof csl_extra_vars / sizeof csl_extra_vars[0]] = {0};
	for (size_t i = 0; i < r->n_extra && i < 64; i++) {
		int k = extra_var(r->extra[i].key);
		if (k < 0 || !r->extra[i].value || !*r->extra[i].value)
			continue;
		/* two names of one variable ("pages", "page") */
		for (size_t j = 0; j < sizeof seen; j++)
			if (seen[j] &&
			    strcmp(csl_extra_vars[j].var, csl_extra_vars[k].var) == 0) {
				k = -1;
				break;
			}
		if (k < 0)
			continue;
		seen[k] = 1;
		mask |= 1ull << i;
	}
	return mask;
}

/* The extras that are CSL variables, each "var": "value" at depth 2. */
static int put_extras(csl_state *st, const pb_record *r, int *first,
                      unsigned long *bad)
{
	unsigned long long mask = extras_written(r);
	for (size_t i = 0; i < r->n_extra && i < 64; i++) {
		if (!(mask & (1ull << i)))
			continue;
		const char *var = csl_extra_vars[extra_var(r->extra[i].key)].var;
		if (json_open(&st->out, 2, first, var) ||
		    json_string(&st->out, r->extra[i].value, bad))
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
		if (!s && !r->venue.name && st->arxiv[0])
			s = "arXiv";
		break;
	case SRC_ARXIV_DOI:
		if (st->arxiv[0] && !pb_record_get_extra(r, "DOI") &&
		    pb_buf_printf(t, "10.48550/arXiv.%s", st->arxiv))
			return PB_ENOMEM;
		break;
	case SRC_PROC:
		if (!(s = venue_title(&st->proc, &r->venue,
		                      pb_venue_proceedings_title)))
			return PB_ENOMEM;
		break;
	case SRC_PROC_SHORT:
		if (r->venue.name)
			s = r->venue.short_name;
		break;
	case SRC_EVENT:
		if (!(s = venue_title(&st->event, &r->venue,
		                      pb_venue_event_title)))
			return PB_ENOMEM;
		break;
	case SRC_URL:
		s = r->url ? r->url : r->pdf_url;
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
			if (!val || (l->field == PB_F_PDF_URL && !r->url))
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
		unsigned long long mask = extras_written(r);
		for (size_t i = 0; i < r->n_extra; i++) {
			const pb_extra *e = &r->extra[i];
			if (i < 64 && (mask & (1ull << i)))
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
	case SRC_ISSUED:
	case SRC_EXTRAS:
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
		if (v->event && r->type != PB_TYPE_PAPER_CONFERENCE)
			continue;
		if (v->src == SRC_AUTHORS) {
			rc = put_authors(st, r, &first, v->name, &bad);
		} else if (v->src == SRC_ISSUED) {
			rc = put_issued(w, st, r, &first, v->name, &bad);
		} else if (v->src == SRC_EXTRAS) {
			rc = put_extras(st, r, &first, &bad);
		} else {
			const char *s;
			rc = text_value(st, r, v, &s);
			if (!rc && s)
				rc = json_open(b, 2, &first, v->name) ||
				     json_string(b, s, &bad);
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
