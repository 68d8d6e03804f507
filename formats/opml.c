/* OPML 2.0 reading list (http://opml.org/spec2.opml), written with
 * libxml2's xmlTextWriter.
 *
 * group_by = none writes each paper's outline as its record arrives. With
 * keyword or track the writer keeps a deep copy of every record (memory
 * grows with the whole input) plus one small index entry per (paper,
 * keyword) pair, and writes the folders in the end hook; a paper with n
 * keywords is written n times. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlerror.h>
#include <libxml/xmlwriter.h>

#include <strings.h>

#include "paperbib/paperbib.h"
#include "buf.h"
#include "strset.h"
#include "utf8.h"
#include "venue.h"

#define OPML_SECTION "opml"
#define OPML_DOCS "http://opml.org/spec2.opml"
#define OPML_INDENT "\t"
/* Head title built from the venue: "ICLR 2020 — reading list". */
#define TITLE_SUFFIX " \xe2\x80\x94 reading list"
#define TITLE_DEFAULT "Reading list"
/* Outline text of a paper without a title. */
#define UNTITLED "Untitled"
/* Characters with a meaning inside the category attribute (a comma
 * separates categories, a slash makes a hierarchy): a keyword that holds
 * one gets a space instead, so that it stays one flat tag. */
#define CATEGORY_RESERVED ",/"
/* Separates the parts of _note: a blank line. */
#define NOTE_SEPARATOR "\n\n"

/* How an attribute value is written, byte by byte: T is copied as it is
 * (in runs), N becomes the entity below, B (a control character XML
 * does not allow) becomes U+FFFD, U starts a UTF-8 sequence (decoded: an
 * invalid one, U+FFFE or U+FFFF becomes U+FFFD), E ends the string. This
 * is libxml2's attribute escaping (xmlBufAttrSerializeTxtContent for a
 * UTF-8 document) and our clean-up in one pass. */
enum attr_class { A_END, A_TEXT, A_ENTITY, A_BAD, A_UTF8 };
#define E A_END
#define T A_TEXT
#define N A_ENTITY
#define B A_BAD
#define U A_UTF8
static const unsigned char attr_classes[256] = {
	E, B, B, B, B, B, B, B, B, N, N, B, B, N, B, B, /* 0x00 \t \n \r */
	B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, /* 0x10 */
	T, T, N, T, T, T, N, T, T, T, T, T, T, T, T, T, /* 0x20 " & */
	T, T, T, T, T, T, T, T, T, T, T, T, N, T, N, T, /* 0x30 < > */
	T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, /* 0x40 */
	T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, /* 0x50 */
	T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, /* 0x60 */
	T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, /* 0x70 */
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
#undef N
#undef B
#undef U

/* The entities of the A_ENTITY bytes, as libxml2 writes them. */
static const char *const attr_entities[256] = {
	['\t'] = "&#9;",
	['\n'] = "&#10;",
	['\r'] = "&#13;",
	['"'] = "&quot;",
	['&'] = "&amp;",
	['<'] = "&lt;",
	['>'] = "&gt;",
};

/* What a character XML does not allow becomes. */
#define REPLACEMENT "\xEF\xBF\xBD"

static const pb_option_spec opml_options[] = {
	{"title", PB_OPT_STRING, NULL, NULL,
	 "head title (default: built from the venue, \"ICLR 2020 \xe2\x80\x94 reading list\")"},
	{"date", PB_OPT_BOOL, "no", NULL,
	 "write <dateCreated> (RFC 822; SOURCE_DATE_EPOCH is honoured)"},
	{"group_by", PB_OPT_CHOICE, "none", "none|keyword|track",
	 "folders: none (input order), keyword (alphabetical), track (first seen)"},
	{NULL, 0, NULL, NULL, NULL},
};

static size_t keyword_count(const pb_record *r);
static const char *keyword_item(const pb_record *r, size_t i);
static size_t track_count(const pb_record *r);
static const char *track_item(const pb_record *r, size_t i);

/* What [opml] group_by does. Folders hold the papers that carry an item;
 * names that differ only in ASCII case share one folder, named as the
 * first paper spells it. */
static const struct grouping {
	const char *name;
	size_t (*count)(const pb_record *r); /* NULL: no folders */
	const char *(*item)(const pb_record *r, size_t i);
	int alphabetical; /* folders by name (ASCII case-insensitive), else
	                   * in the order of their first paper */
	const char *rest; /* last folder: papers without any item */
} groupings[] = {
	{"none", NULL, NULL, 0, NULL},
	{"keyword", keyword_count, keyword_item, 1, "No keywords"},
	{"track", track_count, track_item, 0, "No track"},
};

static int note_authors(pb_writer *w, const pb_record *r, pb_buf *b);
static int note_venue(pb_writer *w, const pb_record *r, pb_buf *b);
static int note_abstract(pb_writer *w, const pb_record *r, pb_buf *b);
static int note_note(pb_writer *w, const pb_record *r, pb_buf *b);
static int note_fields(pb_writer *w, const pb_record *r, pb_buf *b);

/* The paragraphs of a paper's _note, in order; empty ones are left out. */
static int (*const note_parts[])(pb_writer *w, const pb_record *r,
                                 pb_buf *b) = {
	note_authors,  /* display order, comma-separated */
	note_venue,    /* pb_venue_event_title */
	note_abstract,
	note_note,
	note_fields,   /* "Label: value" lines: the members below, extras */
};

/* Members of a record that have no place in an outline, as lines of the
 * last paragraph of _note, in this order, after them the extra fields
 * ("key: value"). A member is written there only when its value is not
 * already in the outline (see placed()), and each is named in one
 * warning per run. The type is written when it is not a conference
 * paper, what a reading list of papers holds unless it says otherwise. */
enum opml_member { M_TYPE, M_FIELD };
static const struct note_field {
	const char *label;
	enum opml_member kind;
	pb_field field; /* M_FIELD */
	const char *name; /* in the warning */
} note_fields_table[] = {
	{"Type", M_TYPE, PB_F_COUNT, "type"},
	{"Year", M_FIELD, PB_F_VENUE_YEAR, "year"},
	{"Date", M_FIELD, PB_F_VENUE_DATE, "date"},
	{"Publisher", M_FIELD, PB_F_VENUE_PUBLISHER, "publisher"},
	{"Location", M_FIELD, PB_F_VENUE_LOCATION, "location"},
	{"Track", M_FIELD, PB_F_VENUE_TRACK, "track"},
	{"ID", M_FIELD, PB_F_ID, "id"},
	{"Citation Key", M_FIELD, PB_F_KEY, "key"},
};

/* Child outlines of a paper (type="link"), in order. */
static const struct child_link {
	pb_field field;
	const char *text;
} child_links[] = {
	{PB_F_PDF_URL, "PDF"},
	{PB_F_CODE_URL, "Code"},
};

/* RFC 822 names, independent of the locale. */
static const char *const day_names[] = {"Sun", "Mon", "Tue", "Wed",
                                        "Thu", "Fri", "Sat"};
static const char *const month_names[] = {"Jan", "Feb", "Mar", "Apr",
                                          "May", "Jun", "Jul", "Aug",
                                          "Sep", "Oct", "Nov", "Dec"};

typedef struct opml_state {
	xmlTextWriterPtr xw;
	FILE *out;
	int io_errno;    /* errno of the first failed write, 0 if none */
	const struct grouping *group;
	int started;     /* <opml>, <head> and <body> are written */
	pb_record *recs; /* copies kept for grouping */
	size_t n_recs, cap_recs;
	pb_buf text;  /* the head title cleaned for XML */
	pb_buf attrs; /* the attributes of an element, escaped */
	const char *first_attr; /* the name of the first of them */
	pb_buf note;  /* a _note or category being built */
	pb_buf name;  /* a name of a note line */
	pb_buf title; /* the head title */
	pb_strset warned; /* names (lower case) of fields put into _note */
	xmlStructuredErrorFunc saved_handler;
	void *saved_ctx;
} opml_state;

/* One (paper, folder name) pair, sorted to form the folders. */
typedef struct entry {
	const char *name;
	size_t rec;
	size_t pos;
} entry;

/* A run of entries with the same folder name. */
typedef struct folder {
	size_t start, end; /* entries[start..end) */
	size_t first_rec;
} folder;

static size_t keyword_count(const pb_record *r)
{
	return r->n_keywords;
}

static const char *keyword_item(const pb_record *r, size_t i)
{
	return r->keywords[i];
}

static size_t track_count(const pb_record *r)
{
	return r->venue.track ? 1 : 0;
}

static const char *track_item(const pb_record *r, size_t i)
{
	(void)i;
	return r->venue.track;
}

/* libxml2 reports errors on stderr unless told otherwise; a library must
 * not print, and a failed write comes back as PB_EIO anyway. */
#if LIBXML_VERSION >= 21200
static void quiet_handler(void *ctx, const xmlError *err)
#else
static void quiet_handler(void *ctx, xmlErrorPtr err)
#endif
{
	(void)ctx;
	(void)err;
}

static void quiet_begin(opml_state *s)
{
	s->saved_handler = xmlStructuredError;
	s->saved_ctx = xmlStructuredErrorContext;
	xmlSetStructuredErrorFunc(NULL, quiet_handler);
}

static void quiet_end(opml_state *s)
{
	xmlSetStructuredErrorFunc(s->saved_ctx, s->saved_handler);
}

/* The xmlOutputBuffer's sink: w->out, failing as soon as stdio does so
 * that no output is lost silently. */
static int io_write(void *ctx, const char *buf, int len)
{
	opml_state *s = ctx;
	if (len <= 0)
		return 0;
	if (fwrite(buf, 1, (size_t)len, s->out) != (size_t)len ||
	    ferror(s->out)) {
		if (!s->io_errno)
			s->io_errno = errno ? errno : EIO;
		return -1;
	}
	return len;
}

/* The status of a hook whose libxml2 calls returned rc. */
static int xml_status(opml_state *s, int rc)
{
	if (rc >= 0)
		return PB_OK;
	if (s->io_errno)
		errno = s->io_errno;
	return PB_EIO;
}

#define XC(call)                                  \
	do {                                      \
		if ((call) < 0)                   \
			return PB_EIO;            \
	} while (0)

static int is_xml_char(uint32_t cp)
{
	if (cp < 0x20)
		return cp == 0x9 || cp == 0xA || cp == 0xD;
	return cp != 0xFFFE && cp != 0xFFFF;
}

/* s as XML 1.0 may hold it: control characters and invalid UTF-8 become
 * U+FFFD, reported once per string. Returns s itself when it is clean,
 * else the cleaned copy in s->text; NULL when out of memory. */
static const char *xml_clean(pb_writer *w, const pb_record *r, const char *str)
{
	opml_state *s = w->state;
	const unsigned char *p = (const unsigned char *)str;
	size_t n = strlen(str), i = 0;
	int dirty = 0;

	pb_buf_reset(&s->text);
	while (i < n) {
		uint32_t cp;
		size_t len = pb_utf8_decode(p + i, n - i, &cp);
		int ok = len > 0 && is_xml_char(cp);
		if (!ok && !dirty) {
			if (pb_buf_append(&s->text, str, i))
				return NULL;
			dirty = 1;
			pb_diag_emitf(w->diag, PB_DIAG_WARNING,
			              r ? r->file : NULL, r ? r->line : 0, 0,
			              "character not allowed in XML replaced "
			              "by U+FFFD in OPML output");
		}
		if (len == 0)
			len = 1;
		if (dirty && (ok ? pb_buf_append(&s->text, str + i, len)
		                 : pb_buf_put_utf8(&s->text, 0xFFFD)))
			return NULL;
		i += len;
	}
	return dirty ? pb_buf_cstr(&s->text) : str;
}

static void warn_not_xml(pb_writer *w, const pb_record *r)
{
	pb_diag_emitf(w->diag, PB_DIAG_WARNING, r ? r->file : NULL,
	              r ? r->line : 0, 0,
	              "character not allowed in XML replaced by U+FFFD in "
	              "OPML output");
}

/* The bytes that end a run of plain attribute text, 8 at a time:
 * controls, '"', '&', '<', '>' and every byte of a UTF-8 sequence (most
 * of which then join the run after all, see attr_escape). */
static uint64_t attr_attention(uint64_t w)
{
	uint64_t w7 = w & PB_WORD_LOW7;
	uint64_t ok = pb_word_ge7(w7, 0x20) & pb_word_ne7(w7, '"') &
	              pb_word_ne7(w7, '&') & pb_word_ne7(w7, '<') &
	              pb_word_ne7(w7, '>');
	return (w | ~ok) & PB_WORD_HIGH;
}

/* str as the inside of an attribute value, appended to out: what
 * xml_clean and then libxml2's attribute escaping would make of it, in
 * one pass that copies runs of plain bytes at once. Warns once per
 * string as xml_clean does. */
static int attr_escape(pb_writer *w, const pb_record *r, const char *str,
                       pb_buf *out)
{
	const unsigned char *u = (const unsigned char *)str;
	size_t n = strlen(str), i = 0, run = 0;
	int warned = 0;
	while ((i = pb_scan(str, i, n, attr_attention)) < n) {
		size_t len = 0;
		if (u[i] >= 0x80 && (len = pb_utf8_len(u + i, u + n)) != 0 &&
		    !(len == 3 && u[i] == 0xEF && u[i + 1] == 0xBF &&
		      u[i + 2] >= 0xBE)) {
			i += len; /* text XML allows: the run goes on */
			continue;
		}
		if (pb_buf_append(out, str + run, i - run))
			return PB_ENOMEM;
		if (u[i] < 0x80 && attr_classes[u[i]] == A_ENTITY) {
			if (pb_buf_puts(out, attr_entities[u[i]]))
				return PB_ENOMEM;
			i++;
		} else { /* a control XML does not allow, U+FFFE, U+FFFF or
		          * not UTF-8 */
			if (!warned)
				warn_not_xml(w, r);
			warned = 1;
			if (pb_buf_append(out, REPLACEMENT, 3))
				return PB_ENOMEM;
			i += len ? len : 1;
		}
		run = i;
	}
	if (pb_buf_append(out, str + run, n - run))
		return PB_ENOMEM;
	return pb_buf_cstr(out) ? PB_OK : PB_ENOMEM;
}

/* The attributes of one element are gathered in s->attrs and written
 * with three libxml2 calls whatever their number: the first attribute's
 * name goes to xmlTextWriterStartAttribute, and the rest, name="value"
 * already escaped, is raw text inside it, which writes the same bytes as
 * a call pair per attribute. */
static void attrs_begin(opml_state *s)
{
	s->first_attr = NULL;
	pb_buf_reset(&s->attrs);
}

/* Adds name="value". The value is escaped here, which gives the bytes
 * xmlTextWriterWriteAttribute would for a UTF-8 document at a fraction
 * of the cost. */
static int write_attr(pb_writer *w, const pb_record *r, const char *name,
                      const char *value)
{
	opml_state *s = w->state;
	if (!s->first_attr)
		s->first_attr = name;
	else if (pb_buf_append(&s->attrs, "\" ", 2) ||
	         pb_buf_puts(&s->attrs, name) ||
	         pb_buf_append(&s->attrs, "=\"", 2))
		return PB_ENOMEM;
	return attr_escape(w, r, value, &s->attrs);
}

static int attrs_end(opml_state *s)
{
	if (!s->first_attr)
		return PB_OK;
	if (s->attrs.len > INT_MAX)
		return PB_EIO;
	XC(xmlTextWriterStartAttribute(s->xw, BAD_CAST s->first_attr));
	XC(xmlTextWriterWriteRawLen(s->xw, BAD_CAST pb_buf_cstr(&s->attrs),
	                            (int)s->attrs.len));
	XC(xmlTextWriterEndAttribute(s->xw));
	return PB_OK;
}

static int put_name(pb_buf *b, const pb_name *n)
{
	const char *parts[] = {n->given, n->family, n->suffix};
	int first = 1;

	if (n->literal)
		return pb_buf_puts(b, n->literal);
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		if (!parts[i])
			continue;
		if ((!first && pb_buf_putc(b, ' ')) || pb_buf_puts(b, parts[i]))
			return PB_ENOMEM;
		first = 0;
	}
	return PB_OK;
}

static int note_authors(pb_writer *w, const pb_record *r, pb_buf *b)
{
	(void)w;
	for (size_t i = 0; i < r->n_authors; i++)
		if ((i && pb_buf_puts(b, ", ")) || put_name(b, &r->authors[i]))
			return PB_ENOMEM;
	return PB_OK;
}

static int note_venue(pb_writer *w, const pb_record *r, pb_buf *b)
{
	(void)w;
	return pb_venue_event_title(&r->venue, b);
}

static int note_abstract(pb_writer *w, const pb_record *r, pb_buf *b)
{
	(void)w;
	return r->abstract ? pb_buf_puts(b, r->abstract) : PB_OK;
}

static int note_note(pb_writer *w, const pb_record *r, pb_buf *b)
{
	(void)w;
	return r->note ? pb_buf_puts(b, r->note) : PB_OK;
}

/* Names a field written to _note for want of a place, once per field name
 * (ASCII case-insensitive) and run. */
static int warn_note(pb_writer *w, const pb_record *r, const char *name,
                     const char *label)
{
	opml_state *s = w->state;
	char low[64];
	size_t n = strlen(name);
	if (n >= sizeof low)
		n = sizeof low - 1;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32
		                                                  : name[i]);
	int rc = pb_strset_addn(&s->warned, low, n);
	if (rc < 0)
		return PB_ENOMEM;
	if (rc == 1)
		pb_diag_emitf(w->diag, PB_DIAG_WARNING, r->file, r->line, 0,
		              "opml: no outline attribute for '%s'; written to "
		              "_note as \"%s: ...\"", name, label);
	return PB_OK;
}

/* Whether a member of note_fields_table is already in the outline. */
static int placed(const opml_state *s, const pb_record *r, pb_field f,
                  const char *value)
{
	switch (f) {
	case PB_F_VENUE_YEAR: /* in the event title, after the short name */
		return r->venue.short_name != NULL || pb_record_var(r, "issued");
	case PB_F_VENUE_DATE: /* the start of the issued variable's date */
		return pb_record_var(r, "issued") != NULL;
	case PB_F_VENUE_TRACK: /* the folder of group_by = track */
		return s->group->count == track_count;
	case PB_F_ID: /* an OpenReview or arXiv id is part of its links */
		return (r->url && strstr(r->url, value)) ||
		       (r->pdf_url && strstr(r->pdf_url, value)) ||
		       (r->code_url && strstr(r->code_url, value));
	default:
		return 0;
	}
}

static int note_line(pb_buf *b, const char *label, const char *value)
{
	if ((b->len && pb_buf_putc(b, '\n')) || pb_buf_puts(b, label) ||
	    pb_buf_append(b, ": ", 2) || pb_buf_puts(b, value))
		return PB_ENOMEM;
	return PB_OK;
}

/* The "Label: value" paragraph; b holds the note so far, so the lines
 * are built apart and appended. */
static int note_fields(pb_writer *w, const pb_record *r, pb_buf *b)
{
	opml_state *s = w->state;
	pb_buf *t = &s->text;
	pb_buf_reset(t);
	for (size_t i = 0;
	     i < sizeof note_fields_table / sizeof note_fields_table[0]; i++) {
		const struct note_field *f = &note_fields_table[i];
		const char *v;
		if (f->kind == M_TYPE)
			v = r->type == PB_TYPE_PAPER_CONFERENCE ? NULL
			                                        : pb_type_name(r->type);
		else
			v = pb_record_get(r, f->field);
		if (!v || (f->kind == M_FIELD && placed(s, r, f->field, v)))
			continue;
		if (warn_note(w, r, f->name, f->label) || note_line(t, f->label, v))
			return PB_ENOMEM;
	}
	/* CSL variables and names, as Zotero's Extra field writes them */
	for (size_t i = 0; i < r->n_vars; i++) {
		const pb_var *v = &r->vars[i];
		char date[64];
		const pb_csl_var *cv = pb_csl_var_find(v->name);
		const char *value = cv && cv->kind == PB_CSL_DATE
		                        ? pb_date_display(v->value, date, sizeof date)
		                        : v->value;
		if (warn_note(w, r, v->name, v->name) ||
		    note_line(t, v->name, value))
			return PB_ENOMEM;
	}
	for (size_t i = 0; i < r->n_people; i++) {
		const pb_person *p = &r->people[i];
		const pb_name *n = &p->name;
		pb_buf_reset(&s->name);
		if (n->literal ? pb_buf_puts(&s->name, n->literal)
		               : pb_buf_printf(&s->name, "%s%s%s || %s",
		                               n->dropping ? n->dropping : "",
		                               n->dropping ? " " : "",
		                               n->family ? n->family : "",
		                               n->given ? n->given : ""))
			return PB_ENOMEM;
		if (n->suffix && pb_buf_printf(&s->name, ", %s", n->suffix))
			return PB_ENOMEM;
		if (warn_note(w, r, p->role, p->role) ||
		    note_line(t, p->role, pb_buf_cstr(&s->name)))
			return PB_ENOMEM;
	}
	for (size_t i = 0; i < r->n_extra; i++) {
		const pb_extra *e = &r->extra[i];
		if (!e->key || !e->value || pb_extra_is_markup(e->key))
			continue;
		if (warn_note(w, r, e->key, e->key) ||
		    note_line(t, e->key, e->value))
			return PB_ENOMEM;
	}
	return t->len ? pb_buf_append(b, t->data, t->len) : PB_OK;
}

static int build_note(pb_writer *w, const pb_record *r, pb_buf *b)
{
	pb_buf_reset(b);
	for (size_t i = 0; i < sizeof note_parts / sizeof note_parts[0]; i++) {
		size_t before = b->len;
		if (before && pb_buf_puts(b, NOTE_SEPARATOR))
			return PB_ENOMEM;
		size_t mark = b->len;
		if (note_parts[i](w, r, b))
			return PB_ENOMEM;
		if (b->len == mark) /* empty part: drop its separator */
			b->len = before;
	}
	pb_buf_cstr(b);
	return PB_OK;
}

static int build_category(const pb_record *r, pb_buf *b)
{
	pb_buf_reset(b);
	for (size_t i = 0; i < r->n_keywords; i++) {
		if (pb_buf_puts(b, i ? ",/" : "/"))
			return PB_ENOMEM;
		for (const char *c = r->keywords[i]; *c;) {
			size_t run = strcspn(c, CATEGORY_RESERVED);
			if (pb_buf_append(b, c, run))
				return PB_ENOMEM;
			c += run;
			if (*c) {
				if (pb_buf_putc(b, ' '))
					return PB_ENOMEM;
				c++;
			}
		}
	}
	pb_buf_cstr(b);
	return PB_OK;
}

static int write_link(pb_writer *w, const pb_record *r, const char *text,
                      const char *url)
{
	opml_state *s = w->state;
	int rc;

	XC(xmlTextWriterStartElement(s->xw, BAD_CAST "outline"));
	attrs_begin(s);
	if ((rc = write_attr(w, r, "text", text)) ||
	    (rc = write_attr(w, r, "type", "link")) ||
	    (rc = write_attr(w, r, "url", url)) || (rc = attrs_end(s)))
		return rc;
	XC(xmlTextWriterEndElement(s->xw));
	return PB_OK;
}

static int write_paper(pb_writer *w, const pb_record *r)
{
	opml_state *s = w->state;
	const char *url = r->url ? r->url : r->pdf_url;
	int rc;

	XC(xmlTextWriterStartElement(s->xw, BAD_CAST "outline"));
	attrs_begin(s);
	if ((rc = write_attr(w, r, "text", r->title ? r->title : UNTITLED)))
		return rc;
	if (url && ((rc = write_attr(w, r, "type", "link")) ||
	            (rc = write_attr(w, r, "url", url))))
		return rc;
	if (r->n_keywords) {
		if (build_category(r, &s->note))
			return PB_ENOMEM;
		if ((rc = write_attr(w, r, "category", s->note.data)))
			return rc;
	}
	if (build_note(w, r, &s->note))
		return PB_ENOMEM;
	if (s->note.len && (rc = write_attr(w, r, "_note", s->note.data)))
		return rc;
	if ((rc = attrs_end(s)))
		return rc;
	for (size_t i = 0; i < sizeof child_links / sizeof child_links[0]; i++) {
		const char *link = pb_record_get(r, child_links[i].field);
		/* the PDF is the paper's own url when there is no forum page */
		if (!link || (url && strcmp(link, url) == 0))
			continue;
		if ((rc = write_link(w, r, child_links[i].text, link)))
			return rc;
	}
	XC(xmlTextWriterEndElement(s->xw));
	return PB_OK;
}

/* "ICLR 2020 — reading list" from a venue's short name (else its name)
 * and year; "" when the venue has no name. */
static int venue_title(pb_buf *b, const char *short_name, const char *name,
                       const char *year)
{
	const char *label = short_name ? short_name : name;
	if (!label)
		return PB_OK;
	if (pb_buf_puts(b, label) || (year && pb_buf_printf(b, " %s", year)) ||
	    pb_buf_puts(b, TITLE_SUFFIX))
		return PB_ENOMEM;
	return PB_OK;
}

static const char *opt(const pb_writer *w, const char *key)
{
	return w->config ? pb_config_get(w->config, OPML_SECTION, key) : NULL;
}

/* The head title: [opml] title, else from the venue of the first record
 * (or of [venue] when there is none), else TITLE_DEFAULT. */
static const char *head_title(pb_writer *w, const pb_record *first)
{
	opml_state *s = w->state;
	const char *t = opt(w, "title");
	int rc;

	if (t && *t)
		return t;
	pb_buf_reset(&s->title);
	if (first)
		rc = venue_title(&s->title, first->venue.short_name,
		                 first->venue.name, first->venue.year);
	else if (w->config)
		rc = venue_title(&s->title,
		                 pb_config_get(w->config, "venue", "short_name"),
		                 pb_config_get(w->config, "venue", "name"),
		                 pb_config_get(w->config, "venue", "year"));
	else
		rc = PB_OK;
	if (rc)
		return NULL;
	return s->title.len ? pb_buf_cstr(&s->title) : TITLE_DEFAULT;
}

/* Now as RFC 822 wants it ("Sat, 18 Jun 2005 12:11:52 GMT");
 * SOURCE_DATE_EPOCH, when set, stands for now (reproducible builds). */
static int rfc822_now(char *out, size_t size)
{
	const char *env = getenv("SOURCE_DATE_EPOCH");
	time_t now = time(NULL);
	struct tm tm;

	if (env && *env) {
		char *end;
		errno = 0;
		long long v = strtoll(env, &end, 10);
		if (errno || *end || v < 0)
			return PB_ECONFIG;
		now = (time_t)v;
	}
	if (!gmtime_r(&now, &tm))
		return PB_ECONFIG;
	snprintf(out, size, "%s, %02d %s %04d %02d:%02d:%02d GMT",
	         day_names[tm.tm_wday], tm.tm_mday, month_names[tm.tm_mon],
	         tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return PB_OK;
}

/* Writes <opml>, the <head> and opens <body>, once. */
static int start(pb_writer *w, const pb_record *first)
{
	opml_state *s = w->state;
	const char *title;
	int rc;

	if (s->started)
		return PB_OK;
	s->started = 1;
	if (!(title = head_title(w, first)))
		return PB_ENOMEM;
	XC(xmlTextWriterStartElement(s->xw, BAD_CAST "opml"));
	XC(xmlTextWriterWriteAttribute(s->xw, BAD_CAST "version", BAD_CAST "2.0"));
	XC(xmlTextWriterStartElement(s->xw, BAD_CAST "head"));
	if (!(title = xml_clean(w, NULL, title)))
		return PB_ENOMEM;
	XC(xmlTextWriterWriteElement(s->xw, BAD_CAST "title", BAD_CAST title));
	XC(xmlTextWriterWriteElement(s->xw, BAD_CAST "docs", BAD_CAST OPML_DOCS));
	if (w->config && pb_config_get_bool(w->config, OPML_SECTION, "date", 0)) {
		char date[64];
		if ((rc = rfc822_now(date, sizeof date))) {
			pb_diag_emitf(w->diag, PB_DIAG_ERROR, NULL, 0, 0,
			              "SOURCE_DATE_EPOCH is not a number of "
			              "seconds: %s", getenv("SOURCE_DATE_EPOCH"));
			return rc;
		}
		XC(xmlTextWriterWriteElement(s->xw, BAD_CAST "dateCreated",
		                             BAD_CAST date));
	}
	XC(xmlTextWriterEndElement(s->xw));
	XC(xmlTextWriterStartElement(s->xw, BAD_CAST "body"));
	return PB_OK;
}

/* ASCII case-insensitive order, then bytes, for a stable result. */
static int fold_cmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;
	for (;; p++, q++) {
		int x = (*p >= 'A' && *p <= 'Z') ? *p + 32 : *p;
		int y = (*q >= 'A' && *q <= 'Z') ? *q + 32 : *q;
		if (x != y || !x)
			return x - y;
	}
}

static int entry_cmp(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	int c = fold_cmp(x->name, y->name);
	if (c)
		return c;
	if (x->rec != y->rec)
		return x->rec < y->rec ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int folder_cmp(const void *a, const void *b)
{
	const folder *x = a, *y = b;
	if (x->first_rec != y->first_rec)
		return x->first_rec < y->first_rec ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

static int write_folder_start(pb_writer *w, const char *name)
{
	opml_state *s = w->state;
	int rc;
	XC(xmlTextWriterStartElement(s->xw, BAD_CAST "outline"));
	attrs_begin(s);
	if ((rc = write_attr(w, NULL, "text", name)))
		return rc;
	return attrs_end(s);
}

static int write_folders_of(pb_writer *w, const entry *e, const folder *f,
                            size_t n_f)
{
	opml_state *s = w->state;
	const struct grouping *g = s->group;
	int rc;

	for (size_t i = 0; i < n_f; i++) {
		if ((rc = write_folder_start(w, e[f[i].start].name)))
			return rc;
		for (size_t j = f[i].start; j < f[i].end; j++) {
			/* a paper that repeats a keyword is listed once */
			if (j > f[i].start && e[j].rec == e[j - 1].rec)
				continue;
			if ((rc = write_paper(w, &s->recs[e[j].rec])))
				return rc;
		}
		XC(xmlTextWriterEndElement(s->xw));
	}
	int rest = 0;
	for (size_t i = 0; i < s->n_recs; i++) {
		if (g->count(&s->recs[i]))
			continue;
		if (!rest++ && (rc = write_folder_start(w, g->rest)))
			return rc;
		if ((rc = write_paper(w, &s->recs[i])))
			return rc;
	}
	if (rest)
		XC(xmlTextWriterEndElement(s->xw));
	return PB_OK;
}

static int write_folders(pb_writer *w)
{
	opml_state *s = w->state;
	const struct grouping *g = s->group;
	size_t n_e = 0, n_f = 0;
	entry *e;
	folder *f;
	int rc;

	for (size_t i = 0; i < s->n_recs; i++)
		n_e += g->count(&s->recs[i]);
	e = calloc(n_e ? n_e : 1, sizeof *e);
	f = calloc(n_e ? n_e : 1, sizeof *f);
	if (!e || !f) {
		free(e);
		free(f);
		return PB_ENOMEM;
	}
	n_e = 0;
	for (size_t i = 0; i < s->n_recs; i++)
		for (size_t k = 0; k < g->count(&s->recs[i]); k++)
			e[n_e++] = (entry){g->item(&s->recs[i], k), i, k};
	qsort(e, n_e, sizeof *e, entry_cmp);
	for (size_t j = 0; j < n_e; j++) {
		if (j && fold_cmp(e[j].name, e[j - 1].name) == 0) {
			f[n_f - 1].end = j + 1;
			continue;
		}
		f[n_f++] = (folder){j, j + 1, e[j].rec};
	}
	if (!g->alphabetical)
		qsort(f, n_f, sizeof *f, folder_cmp);
	rc = write_folders_of(w, e, f, n_f);
	free(e);
	free(f);
	return rc;
}

static const struct grouping *find_grouping(const char *name)
{
	for (size_t i = 0; i < sizeof groupings / sizeof groupings[0]; i++)
		if (strcmp(groupings[i].name, name) == 0)
			return &groupings[i];
	return NULL;
}

static int opml_begin(pb_writer *w)
{
	const char *by = opt(w, "group_by");
	const struct grouping *g = find_grouping(by ? by : "none");
	opml_state *s;
	xmlOutputBufferPtr ob;
	int rc = PB_OK;

	if (!g) {
		pb_diag_emitf(w->diag, PB_DIAG_ERROR, NULL, 0, 0,
		              "[opml] group_by: unknown value '%s'", by);
		return PB_ECONFIG;
	}
	xmlInitParser();
	if (!(s = calloc(1, sizeof *s)))
		return PB_ENOMEM;
	w->state = s;
	s->out = w->out;
	s->group = g;
	quiet_begin(s);
	if (!(ob = xmlOutputBufferCreateIO(io_write, NULL, s, NULL))) {
		rc = PB_ENOMEM;
	} else if (!(s->xw = xmlNewTextWriter(ob))) {
		xmlOutputBufferClose(ob);
		rc = PB_ENOMEM;
	} else if (xmlTextWriterSetIndent(s->xw, 1) < 0 ||
	           xmlTextWriterSetIndentString(s->xw, BAD_CAST OPML_INDENT) < 0 ||
	           xmlTextWriterStartDocument(s->xw, NULL, "UTF-8", NULL) < 0) {
		rc = xml_status(s, -1);
	}
	quiet_end(s);
	return rc;
}

static int opml_record(pb_writer *w, const pb_record *r)
{
	opml_state *s = w->state;
	int rc;

	if (!s)
		return PB_EUSAGE;
	if (s->group->count) {
		if (s->n_recs == s->cap_recs) {
			size_t cap = s->cap_recs ? 2 * s->cap_recs : 64;
			pb_record *p = realloc(s->recs, cap * sizeof *p);
			if (!p)
				return PB_ENOMEM;
			s->recs = p;
			s->cap_recs = cap;
		}
		if (pb_record_copy(&s->recs[s->n_recs], r))
			return PB_ENOMEM;
		s->n_recs++;
		return PB_OK;
	}
	quiet_begin(s);
	rc = start(w, r);
	if (!rc)
		rc = write_paper(w, r);
	quiet_end(s);
	return rc == PB_EIO ? xml_status(s, -1) : rc;
}

static int opml_end(pb_writer *w)
{
	opml_state *s = w->state;
	int rc;

	if (!s)
		return PB_EUSAGE;
	quiet_begin(s);
	rc = start(w, s->n_recs ? &s->recs[0] : NULL);
	if (!rc && s->group->count)
		rc = write_folders(w);
	if (!rc && (xmlTextWriterEndDocument(s->xw) < 0 ||
	            xmlTextWriterFlush(s->xw) < 0))
		rc = PB_EIO;
	quiet_end(s);
	return rc == PB_EIO ? xml_status(s, -1) : rc;
}

static void opml_free(pb_writer *w)
{
	opml_state *s = w->state;

	if (!s)
		return;
	quiet_begin(s);
	if (s->xw)
		xmlFreeTextWriter(s->xw);
	quiet_end(s);
	for (size_t i = 0; i < s->n_recs; i++)
		pb_record_clear(&s->recs[i]);
	free(s->recs);
	pb_buf_free(&s->text);
	pb_buf_free(&s->attrs);
	pb_buf_free(&s->note);
	pb_buf_free(&s->name);
	pb_buf_free(&s->title);
	pb_strset_free(&s->warned);
	free(s);
	w->state = NULL;
}

const pb_format pb_opml_format = {
	.name = "opml",
	.extension = "opml",
	.description = "OPML 2.0 reading list (outliners, feed readers, pandoc)",
	.options = opml_options,
	.begin = opml_begin,
	.record = opml_record,
	.end = opml_end,
	.free = opml_free,
};
