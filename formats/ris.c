/* RIS writer: records as Zotero, EndNote, Mendeley, citation-js and
 * bibutils import them.
 *
 * A record is "TY  - CONF" first and "ER  - " last, one "XX  - value"
 * line per value in the order of the table below, absent values left out,
 * a blank line between records. UTF-8 without a BOM; LF line ends unless
 * [ris] newline = crlf. Every value is folded onto its one line (control
 * characters and line separators become spaces, runs of white space one
 * space), so no value can start a tag of its own: a title holding
 * "\nER  - " stays inside TI. Each record is built in one buffer and
 * written with one fwrite. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "paperbib/paperbib.h"
#include "utf8.h"
#include "venue.h"

/* The TY of each kind of work, as Zotero's RIS import maps it back:
 * CONF is conferencePaper (CPAPER would be too, but bibutils reads
 * CPAPER as a generic work), JOUR journalArticle, CHAP bookSection, ... */
static const char *const ris_types[] = {
    [PB_TYPE_PAPER_CONFERENCE] = "CONF",
    [PB_TYPE_ARTICLE] = "JOUR",
    [PB_TYPE_BOOK] = "BOOK",
    [PB_TYPE_CHAPTER] = "CHAP",
    [PB_TYPE_REPORT] = "RPRT",
    [PB_TYPE_THESIS] = "THES",
    [PB_TYPE_MISC] = "GEN",
};

/* Where the value of a tag comes from. */
enum ris_source {
	SRC_FIELD,       /* a string field of the record */
	SRC_LABELLED,    /* a string field, after the tag's label */
	SRC_AUTHORS,     /* one line per author: "Family, Given[, Suffix]" */
	SRC_EVENT,       /* pb_venue_event_title() */
	SRC_PROCEEDINGS, /* pb_venue_proceedings_title() */
	SRC_YEAR,        /* the venue's year, else the year of its date */
	SRC_DATE,        /* "YYYY/MM/DD/", "YYYY/MM//" or "YYYY///" */
	SRC_KEYWORDS,    /* one line per keyword */
	SRC_EXTRAS       /* one line per extra field: "Key: value" */
};

/* Which kinds of work a tag is written for. */
#define T_CONF      (1u << PB_TYPE_PAPER_CONFERENCE)
#define T_CONTAINED ((1u << PB_TYPE_ARTICLE) | (1u << PB_TYPE_CHAPTER))
#define T_ALL       0xFFFFu

/* A record's tags after TY, in output order; ER ends it.
 *
 * The venue, where Zotero and bibutils read RIS differently:
 *  - T2: Zotero reads T2 of a CONF as conferenceName (its own export
 *    writes it there); bibutils has no conference name and reads T2 of a
 *    CONF as the series title, where the event title "International
 *    Conference on Learning Representations (ICLR 2020)" is still a fair
 *    series (ACM writes "ICLR '20" there). No other tag gives Zotero the
 *    conference name without giving bibutils a wrong book title (JO).
 *  - C3: Zotero's proceedingsTitle, and what its own export writes;
 *    bibutils reads C3 as a note, which repeats the proceedings name.
 *  - BT: the only tag bibutils reads as the book title of a CONF
 *    (MODS host title, BibTeX booktitle). Zotero reads BT as a fallback
 *    publicationTitle, the base field of proceedingsTitle, so giving it
 *    the same value as C3 changes nothing there and never lands in
 *    Zotero's "no corresponding field" note.
 *  - CY: bibutils' place; Zotero's own export writes the place of a
 *    conference paper as C1 (which bibutils reads as a note), and its
 *    import reads CY as the place too (for ProCite and Springer files).
 *  - DA before PY in Zotero; bibutils reads both. ID is ignored by
 *    Zotero and is the MODS ID (citation key) in bibutils.
 * Every tag here has a place in Zotero's conferencePaper. */
static const struct ris_tag {
	char tag[3];
	enum ris_source src;
	pb_field field;    /* for SRC_FIELD and SRC_LABELLED */
	const char *label; /* for SRC_LABELLED */
	unsigned types;    /* T_* */
} ris_tags[] = {
    {"TI", SRC_FIELD, PB_F_TITLE, NULL, T_ALL},
    {"AU", SRC_AUTHORS, PB_F_COUNT, NULL, T_ALL},
    {"T2", SRC_EVENT, PB_F_COUNT, NULL, T_CONF},
    {"C3", SRC_PROCEEDINGS, PB_F_COUNT, NULL, T_CONF},
    {"BT", SRC_PROCEEDINGS, PB_F_COUNT, NULL, T_CONF},
    {"T2", SRC_PROCEEDINGS, PB_F_COUNT, NULL, T_CONTAINED},
    {"PY", SRC_YEAR, PB_F_COUNT, NULL, T_ALL},
    {"DA", SRC_DATE, PB_F_COUNT, NULL, T_ALL},
    {"PB", SRC_FIELD, PB_F_VENUE_PUBLISHER, NULL, T_ALL},
    {"CY", SRC_FIELD, PB_F_VENUE_LOCATION, NULL, T_ALL},
    {"UR", SRC_FIELD, PB_F_URL, NULL, T_ALL},
    {"L1", SRC_FIELD, PB_F_PDF_URL, NULL, T_ALL},
    {"KW", SRC_KEYWORDS, PB_F_COUNT, NULL, T_ALL},
    {"AB", SRC_FIELD, PB_F_ABSTRACT, NULL, T_ALL},
    {"N1", SRC_LABELLED, PB_F_CODE_URL, "Code: ", T_ALL},
    {"N1", SRC_FIELD, PB_F_NOTE, NULL, T_ALL},
    {"N1", SRC_EXTRAS, PB_F_COUNT, NULL, T_ALL},
    {"ID", SRC_FIELD, PB_F_KEY, NULL, T_ALL},
};

/* Line ends for [ris] newline. */
static const struct ris_newline {
	const char *name;
	const char *chars;
} ris_newlines[] = {
    {"lf", "\n"},
    {"crlf", "\r\n"},
};

static const pb_option_spec ris_options[] = {
    {"newline", PB_OPT_CHOICE, "lf", "lf|crlf",
     "line ends: lf, or crlf for Windows programs that want them"},
    {NULL, PB_OPT_STRING, NULL, NULL, NULL},
};

typedef struct ris_state {
	const char *newline;
	pb_buf rec;      /* the record being built */
	pb_buf val;      /* one value, folded */
	pb_buf raw;      /* one value before folding (venue titles, names) */
	unsigned long n; /* records written */
} ris_state;

/* Code points that would end or split a line in some reader: C0 and C1
 * controls, DEL, and U+2028/U+2029 (Zotero turns them into spaces). */
static int is_break(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 ||
	       cp == 0x2029;
}

/* Appends s to out on one line: breaks and spaces become one space,
 * none at either end; invalid UTF-8 becomes U+FFFD. */
static int put_folded(pb_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	size_t start = out->len;
	int space = 0;
	while (n) {
		uint32_t cp;
		size_t len = pb_utf8_decode(p, n, &cp);
		if (len == 0)
			len = 1;
		if (cp == ' ' || is_break(cp)) {
			space = 1;
		} else {
			if (space && out->len > start &&
			    pb_buf_putc(out, ' ') != PB_OK)
				return PB_ENOMEM;
			space = 0;
			int rc = cp == 0xFFFD
			             ? pb_buf_put_utf8(out, cp)
			             : pb_buf_append(out, (const char *)p, len);
			if (rc != PB_OK)
				return PB_ENOMEM;
		}
		p += len;
		n -= len;
	}
	return PB_OK;
}

/* Writes "TAG  - value" when the folded value is not empty. */
static int put_line(ris_state *st, const char *tag, const char *label,
                    const char *value)
{
	if (!value)
		return PB_OK;
	pb_buf_reset(&st->val);
	if (put_folded(&st->val, value) != PB_OK)
		return PB_ENOMEM;
	if (st->val.len == 0)
		return PB_OK;
	if (pb_buf_printf(&st->rec, "%s  - %s", tag, label ? label : "") ||
	    pb_buf_append(&st->rec, st->val.data, st->val.len) ||
	    pb_buf_puts(&st->rec, st->newline))
		return PB_ENOMEM;
	return PB_OK;
}

/* Appends ", part" (or just "part" at the start) when part folds to
 * something. */
static int put_name_part(pb_buf *out, const char *part)
{
	if (!part)
		return PB_OK;
	size_t before = out->len;
	if (before && pb_buf_puts(out, ", ") != PB_OK)
		return PB_ENOMEM;
	size_t mark = out->len;
	if (put_folded(out, part) != PB_OK)
		return PB_ENOMEM;
	if (out->len == mark) { /* nothing but white space */
		out->len = before;
		if (out->data)
			out->data[before] = '\0';
	}
	return PB_OK;
}

/* "Family, Given", "Family, Given, Suffix" (the RIS form, which Zotero
 * splits at the first comma), or the literal name as it is. */
static int put_authors(ris_state *st, const char *tag, const pb_record *r)
{
	for (size_t i = 0; i < r->n_authors; i++) {
		const pb_name *a = &r->authors[i];
		pb_buf_reset(&st->raw);
		if (a->literal) {
			if (put_name_part(&st->raw, a->literal) != PB_OK)
				return PB_ENOMEM;
		} else if (put_name_part(&st->raw, a->family) ||
		           put_name_part(&st->raw, a->given) ||
		           put_name_part(&st->raw, a->suffix)) {
			return PB_ENOMEM;
		}
		if (put_line(st, tag, NULL, pb_buf_cstr(&st->raw)) != PB_OK)
			return PB_ENOMEM;
	}
	return PB_OK;
}

/* Counts the ASCII digits at s. */
static size_t digits(const char *s)
{
	size_t n = 0;
	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

/* The year of the record: the venue's year, else the year of its date. */
static int put_year(ris_state *st, const char *tag, const pb_venue *v)
{
	if (v->year)
		return put_line(st, tag, NULL, v->year);
	if (v->date && digits(v->date) == 4) {
		char year[5];
		memcpy(year, v->date, 4);
		year[4] = '\0';
		return put_line(st, tag, NULL, year);
	}
	return PB_OK;
}

/* DA as the RIS spec writes it, "YYYY/MM/DD/other": the venue's ISO date
 * ("2020-04-26" becomes "2020/04/26/", "2020-04" becomes "2020/04//"),
 * else the year alone ("2020///"). */
static int put_date(ris_state *st, const char *tag, const pb_venue *v)
{
	const char *d = v->date;
	char out[16];
	if (d && digits(d) == 4 &&
	    (d[4] == '\0' ||
	     (d[4] == '-' && digits(d + 5) == 2 &&
	      (d[7] == '\0' ||
	       (d[7] == '-' && digits(d + 8) == 2 && d[10] == '\0'))))) {
		size_t len = strlen(d);
		snprintf(out, sizeof out, "%.4s/%.2s/%.2s/", d,
		         len >= 7 ? d + 5 : "", len >= 10 ? d + 8 : "");
		return put_line(st, tag, NULL, out);
	}
	if (v->year && digits(v->year) == 4 && v->year[4] == '\0') {
		snprintf(out, sizeof out, "%s///", v->year);
		return put_line(st, tag, NULL, out);
	}
	return PB_OK;
}

static int put_venue_title(ris_state *st, const char *tag, const pb_venue *v,
                           int (*title)(const pb_venue *, pb_buf *))
{
	pb_buf_reset(&st->raw);
	if (title(v, &st->raw) != PB_OK)
		return PB_ENOMEM;
	return put_line(st, tag, NULL, pb_buf_cstr(&st->raw));
}

static int put_tag(ris_state *st, const struct ris_tag *t, const pb_record *r)
{
	switch (t->src) {
	case SRC_FIELD:
		return put_line(st, t->tag, NULL, pb_record_get(r, t->field));
	case SRC_LABELLED:
		return put_line(st, t->tag, t->label,
		                pb_record_get(r, t->field));
	case SRC_AUTHORS: return put_authors(st, t->tag, r);
	case SRC_EVENT:
		return put_venue_title(st, t->tag, &r->venue,
		                       pb_venue_event_title);
	case SRC_PROCEEDINGS:
		return put_venue_title(st, t->tag, &r->venue,
		                       pb_venue_proceedings_title);
	case SRC_YEAR: return put_year(st, t->tag, &r->venue);
	case SRC_DATE: return put_date(st, t->tag, &r->venue);
	case SRC_KEYWORDS:
		for (size_t i = 0; i < r->n_keywords; i++)
			if (put_line(st, t->tag, NULL, r->keywords[i]) != PB_OK)
				return PB_ENOMEM;
		return PB_OK;
	case SRC_EXTRAS:
		for (size_t i = 0; i < r->n_extra; i++) {
			const pb_extra *e = &r->extra[i];
			if (!e->value)
				continue;
			pb_buf_reset(&st->raw);
			if (pb_buf_printf(&st->raw, "%s: %s",
			                  e->key ? e->key : "", e->value) ||
			    put_line(st, t->tag, NULL, pb_buf_cstr(&st->raw)))
				return PB_ENOMEM;
		}
		return PB_OK;
	}
	return PB_OK;
}

static int ris_begin(pb_writer *w)
{
	if (w->state)
		return PB_OK;
	ris_state *st = calloc(1, sizeof *st);
	if (!st)
		return PB_ENOMEM;
	const char *nl =
	    w->config ? pb_config_get(w->config, "ris", "newline") : NULL;
	st->newline = ris_newlines[0].chars;
	for (size_t i = 0; nl && i < sizeof ris_newlines / sizeof *ris_newlines;
	     i++)
		if (strcmp(nl, ris_newlines[i].name) == 0)
			st->newline = ris_newlines[i].chars;
	w->state = st;
	return PB_OK;
}

static int ris_record(pb_writer *w, const pb_record *r)
{
	int rc = ris_begin(w);
	if (rc != PB_OK)
		return rc;
	ris_state *st = w->state;
	pb_type type = (unsigned)r->type < sizeof ris_types / sizeof *ris_types
	                   ? r->type
	                   : PB_TYPE_MISC;
	pb_buf_reset(&st->rec);
	if ((st->n && pb_buf_puts(&st->rec, st->newline)) ||
	    pb_buf_printf(&st->rec, "TY  - %s%s", ris_types[type], st->newline))
		return PB_ENOMEM;
	for (size_t i = 0; i < sizeof ris_tags / sizeof *ris_tags; i++) {
		if (!(ris_tags[i].types & (1u << type)))
			continue;
		if (put_tag(st, &ris_tags[i], r) != PB_OK)
			return PB_ENOMEM;
	}
	if (pb_buf_printf(&st->rec, "ER  - %s", st->newline))
		return PB_ENOMEM;
	if (!r->title)
		pb_diag_emitf(w->diag, PB_DIAG_WARNING, r->file, r->line, 0,
		              "record has no title; its RIS entry has no TI");
	if (fwrite(st->rec.data, 1, st->rec.len, w->out) != st->rec.len)
		return PB_EIO;
	st->n++;
	return PB_OK;
}

static void ris_free(pb_writer *w)
{
	ris_state *st = w->state;
	if (!st)
		return;
	pb_buf_free(&st->rec);
	pb_buf_free(&st->val);
	pb_buf_free(&st->raw);
	free(st);
	w->state = NULL;
}

const pb_format pb_ris_format = {
    .name = "ris",
    .extension = "ris",
    .description = "RIS, for Zotero, EndNote, Mendeley and bibutils",
    .options = ris_options,
    .begin = ris_begin,
    .record = ris_record,
    .end = NULL,
    .free = ris_free,
};
