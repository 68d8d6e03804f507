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

/* How put_folded sees each byte: T is copied as it is (in runs), S is a
 * space or a control character and folds into one space, U starts a
 * UTF-8 sequence (decoded: C1 controls, U+2028 and U+2029 fold too), E
 * ends the string. Only the U bytes pay for decoding. */
enum fold_class { F_END, F_TEXT, F_SPACE, F_UTF8 };
#define E F_END
#define T F_TEXT
#define S F_SPACE
#define U F_UTF8
static const unsigned char fold_classes[256] = {
    E, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, /* 0x00 */
    S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, /* 0x10 */
    S, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, /* 0x20 */
    T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, /* 0x30 */
    T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, /* 0x40 */
    T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, /* 0x50 */
    T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, /* 0x60 */
    T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, S, /* 0x70 */
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* 0x80 */
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* 0x90 */
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* 0xA0 */
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* 0xB0 */
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* 0xC0 */
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* 0xD0 */
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* 0xE0 */
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, /* 0xF0 */
};
#undef E
#undef T
#undef S
#undef U

/* "XX  - ": the start of every line but the tag. */
#define TAG_SEP "  - "
#define TAG_SEP_LEN 4
/* What an invalid UTF-8 byte becomes. */
#define REPLACEMENT "\xEF\xBF\xBD"

static const pb_option_spec ris_options[] = {
    {"newline", PB_OPT_CHOICE, "lf", "lf|crlf",
     "line ends: lf, or crlf for Windows programs that want them"},
    {NULL, PB_OPT_STRING, NULL, NULL, NULL},
};

typedef struct ris_state {
	const char *newline;
	size_t newline_len;
	pb_buf rec;      /* the record being built */
	pb_buf raw;      /* one value before folding (venue titles, extras) */
	unsigned long n; /* records written */
} ris_state;

/* Code points that would end or split a line in some reader: C0 and C1
 * controls, DEL, and U+2028/U+2029 (Zotero turns them into spaces). */
static int is_break(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 ||
	       cp == 0x2029;
}

/* Cuts b back to its first len bytes. */
static void truncate_to(pb_buf *b, size_t len)
{
	b->len = len;
	if (b->data)
		b->data[len] = '\0';
}

/* The length of the UTF-8 character at p when it is valid and no break,
 * else 0. p is NUL-terminated, which stops pb_utf8_decode at the end as
 * any byte that is no continuation byte does, so 4 is always safe. */
static size_t utf8_text(const unsigned char *p)
{
	uint32_t cp;
	size_t len = pb_utf8_decode(p, 4, &cp);
	return len && !is_break(cp) ? len : 0;
}

/* Appends s to out on one line: breaks and spaces become one space,
 * none at either end; invalid UTF-8 becomes U+FFFD. Runs of text bytes,
 * valid UTF-8 characters and single spaces between them are appended at
 * once. */
static int put_folded(pb_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t start = out->len;
	int space = 0;
	for (;;) {
		const unsigned char *run = p;
		for (;;) {
			size_t len;
			if (fold_classes[*p] == F_TEXT)
				p++;
			else if (*p == ' ' && p > run && fold_classes[p[1]] == F_TEXT)
				p += 2; /* one space between words folds to itself */
			else if (fold_classes[*p] == F_UTF8 &&
			         (len = utf8_text(p)) != 0)
				p += len;
			else
				break;
		}
		/* A run, or U+FFFD for a byte that is not UTF-8, is text. */
		int invalid = 0;
		if (fold_classes[*p] == F_UTF8) {
			uint32_t cp;
			invalid = pb_utf8_decode(p, 4, &cp) == 0;
		}
		if (p > run || invalid) {
			if (space && out->len > start &&
			    pb_buf_putc(out, ' ') != PB_OK)
				return PB_ENOMEM;
			space = 0;
		}
		if (p > run &&
		    pb_buf_append(out, (const char *)run, (size_t)(p - run)))
			return PB_ENOMEM;
		switch (fold_classes[*p]) {
		case F_END:
			return PB_OK;
		case F_UTF8:
			if (invalid) {
				if (pb_buf_append(out, REPLACEMENT, 3))
					return PB_ENOMEM;
				p++;
			} else { /* a break */
				uint32_t cp;
				space = 1;
				p += pb_utf8_decode(p, 4, &cp);
			}
			break;
		default: /* F_SPACE (F_TEXT ended no run) */
			space = 1;
			p++;
			break;
		}
	}
}

/* Starts a line: "TAG  - " and the label, if any. */
static int put_prefix(pb_buf *b, const char *tag, const char *label)
{
	if (pb_buf_append(b, tag, 2) || pb_buf_append(b, TAG_SEP, TAG_SEP_LEN) ||
	    (label && pb_buf_puts(b, label)))
		return PB_ENOMEM;
	return PB_OK;
}

/* Ends the line started at mark whose value began at body, or takes it
 * back when the value folded to nothing. */
static int end_line(ris_state *st, size_t mark, size_t body)
{
	if (st->rec.len == body) {
		truncate_to(&st->rec, mark);
		return PB_OK;
	}
	return pb_buf_append(&st->rec, st->newline, st->newline_len);
}

/* Writes "TAG  - value" when the folded value is not empty. The value is
 * folded straight into the record. */
static int put_line(ris_state *st, const char *tag, const char *label,
                    const char *value)
{
	if (!value)
		return PB_OK;
	size_t mark = st->rec.len;
	if (put_prefix(&st->rec, tag, label))
		return PB_ENOMEM;
	size_t body = st->rec.len;
	if (put_folded(&st->rec, value) != PB_OK)
		return PB_ENOMEM;
	return end_line(st, mark, body);
}

/* Appends ", part" (or just "part" when nothing follows start yet) when
 * part folds to something. */
static int put_name_part(pb_buf *out, size_t start, const char *part)
{
	if (!part)
		return PB_OK;
	size_t before = out->len;
	if (before > start && pb_buf_append(out, ", ", 2) != PB_OK)
		return PB_ENOMEM;
	size_t mark = out->len;
	if (put_folded(out, part) != PB_OK)
		return PB_ENOMEM;
	if (out->len == mark) /* nothing but white space */
		truncate_to(out, before);
	return PB_OK;
}

/* "Family, Given", "Family, Given, Suffix" (the RIS form, which Zotero
 * splits at the first comma), or the literal name as it is. The folded
 * parts joined by ", " fold to themselves, so they go straight into the
 * line. */
static int put_authors(ris_state *st, const char *tag, const pb_record *r)
{
	pb_buf *b = &st->rec;
	for (size_t i = 0; i < r->n_authors; i++) {
		const pb_name *a = &r->authors[i];
		size_t mark = b->len;
		if (put_prefix(b, tag, NULL))
			return PB_ENOMEM;
		size_t body = b->len;
		if (a->literal) {
			if (put_name_part(b, body, a->literal) != PB_OK)
				return PB_ENOMEM;
		} else if (put_name_part(b, body, a->family) ||
		           put_name_part(b, body, a->given) ||
		           put_name_part(b, body, a->suffix)) {
			return PB_ENOMEM;
		}
		if (end_line(st, mark, body) != PB_OK)
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
			if ((e->key && pb_buf_puts(&st->raw, e->key)) ||
			    pb_buf_append(&st->raw, ": ", 2) ||
			    pb_buf_puts(&st->raw, e->value) ||
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
	st->newline_len = strlen(st->newline);
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
	if ((st->n && pb_buf_append(&st->rec, st->newline, st->newline_len)) ||
	    put_prefix(&st->rec, "TY", ris_types[type]) ||
	    pb_buf_append(&st->rec, st->newline, st->newline_len))
		return PB_ENOMEM;
	for (size_t i = 0; i < sizeof ris_tags / sizeof *ris_tags; i++) {
		if (!(ris_tags[i].types & (1u << type)))
			continue;
		if (put_tag(st, &ris_tags[i], r) != PB_OK)
			return PB_ENOMEM;
	}
	if (put_prefix(&st->rec, "ER", NULL) ||
	    pb_buf_append(&st->rec, st->newline, st->newline_len))
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
