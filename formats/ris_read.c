/* RIS reader: what paperbib's RIS writer writes, and what Zotero,
 * EndNote, Mendeley, bibutils and publishers' sites write.
 *
 * A record is "TY  - TYPE", tag lines "XX  - value", then "ER  - ". A line
 * that is not a tag line continues the value before it (some tools wrap
 * long abstracts). The tags of a record are collected, then mapped by the
 * table below. A record missing its ER ends at the next TY or at the end
 * of the input, with a warning. Line ends and a BOM are the line
 * source's business. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "paperbib/paperbib.h"
#include "readutil.h"

/* TY values and the kind of work. Anything else is PB_TYPE_MISC. */
static const struct ris_type {
	const char *ty;
	pb_type type;
} ris_types[] = {
	{"CONF", PB_TYPE_PAPER_CONFERENCE}, {"CPAPER", PB_TYPE_PAPER_CONFERENCE},
	{"JOUR", PB_TYPE_ARTICLE},          {"JFULL", PB_TYPE_ARTICLE},
	{"MGZN", PB_TYPE_ARTICLE},          {"NEWS", PB_TYPE_ARTICLE},
	{"EJOUR", PB_TYPE_ARTICLE},         {"BOOK", PB_TYPE_BOOK},
	{"EBOOK", PB_TYPE_BOOK},            {"EDBOOK", PB_TYPE_BOOK},
	{"CHAP", PB_TYPE_CHAPTER},          {"ECHAP", PB_TYPE_CHAPTER},
	{"RPRT", PB_TYPE_REPORT},           {"THES", PB_TYPE_THESIS},
};

/* What a tag's value becomes. */
enum ris_kind {
	R_FIELD,     /* a string field; the first value counts */
	R_AUTHOR,    /* one name, "Family, Given[, Suffix]" */
	R_SECONDARY, /* T2: the event of a CONF, else the container */
	R_CONTAINER, /* C3, BT, JO, JF: the venue's name */
	R_YEAR,      /* PY, Y1: "2020", "2020///", "2020/04/26/" */
	R_DATE,      /* DA: "2020/04/26/" */
	R_URL,       /* UR: the page; a second one the PDF */
	R_KEYWORD,   /* one keyword */
	R_NOTE,      /* N1: "Code: URL" and the rest */
	R_PAGES,     /* SP, EP */
	R_EXTRA,     /* kept as an extra field, under label */
	R_TYPE,      /* TY */
	R_END        /* ER */
};

/* Tags read, with the priority of container titles (higher wins:
 * proceedings title C3 over BT over a journal name). Tags not listed are
 * kept as extra fields under the tag. */
static const struct ris_tag {
	char tag[3];
	enum ris_kind kind;
	pb_field field;    /* R_FIELD */
	const char *label; /* R_EXTRA */
	int priority;      /* R_CONTAINER */
} ris_tags[] = {
	{"TY", R_TYPE, PB_F_COUNT, NULL, 0},
	{"ER", R_END, PB_F_COUNT, NULL, 0},
	{"TI", R_FIELD, PB_F_TITLE, NULL, 0},
	{"T1", R_FIELD, PB_F_TITLE, NULL, 0},
	{"CT", R_FIELD, PB_F_TITLE, NULL, 0},
	{"AU", R_AUTHOR, PB_F_COUNT, NULL, 0},
	{"A1", R_AUTHOR, PB_F_COUNT, NULL, 0},
	{"A2", R_EXTRA, PB_F_COUNT, "editor", 0},
	{"ED", R_EXTRA, PB_F_COUNT, "editor", 0},
	{"A3", R_EXTRA, PB_F_COUNT, "series editor", 0},
	{"A4", R_EXTRA, PB_F_COUNT, "translator", 0},
	{"T2", R_SECONDARY, PB_F_COUNT, NULL, 1},
	{"C3", R_CONTAINER, PB_F_COUNT, NULL, 4},
	{"BT", R_CONTAINER, PB_F_COUNT, NULL, 3},
	{"JF", R_CONTAINER, PB_F_COUNT, NULL, 2},
	{"JO", R_CONTAINER, PB_F_COUNT, NULL, 2},
	{"JA", R_FIELD, PB_F_VENUE_SHORT, NULL, 0},
	{"J2", R_FIELD, PB_F_VENUE_SHORT, NULL, 0},
	{"T3", R_EXTRA, PB_F_COUNT, "series", 0},
	{"PY", R_YEAR, PB_F_COUNT, NULL, 0},
	{"Y1", R_YEAR, PB_F_COUNT, NULL, 0},
	{"DA", R_DATE, PB_F_COUNT, NULL, 0},
	{"PB", R_FIELD, PB_F_VENUE_PUBLISHER, NULL, 0},
	{"CY", R_FIELD, PB_F_VENUE_LOCATION, NULL, 0},
	{"UR", R_URL, PB_F_COUNT, NULL, 0},
	{"L2", R_URL, PB_F_COUNT, NULL, 0},
	{"LK", R_URL, PB_F_COUNT, NULL, 0},
	{"L1", R_FIELD, PB_F_PDF_URL, NULL, 0},
	{"L3", R_EXTRA, PB_F_COUNT, "related", 0},
	{"L4", R_EXTRA, PB_F_COUNT, "figure", 0},
	{"KW", R_KEYWORD, PB_F_COUNT, NULL, 0},
	{"AB", R_FIELD, PB_F_ABSTRACT, NULL, 0},
	{"N2", R_FIELD, PB_F_ABSTRACT, NULL, 0},
	{"N1", R_NOTE, PB_F_COUNT, NULL, 0},
	{"ID", R_FIELD, PB_F_KEY, NULL, 0},
	{"SP", R_PAGES, PB_F_COUNT, NULL, 0},
	{"EP", R_PAGES, PB_F_COUNT, NULL, 0},
	{"VL", R_EXTRA, PB_F_COUNT, "volume", 0},
	{"IS", R_EXTRA, PB_F_COUNT, "issue", 0},
	{"DO", R_EXTRA, PB_F_COUNT, "DOI", 0},
	{"SN", R_EXTRA, PB_F_COUNT, "ISSN", 0},
};

typedef struct ris_line {
	char tag[3];
	size_t off, len; /* the value in arena */
	unsigned long line;
} ris_line;

typedef struct rstate {
	int in_record;
	unsigned long start; /* line of TY */
	ris_line *tags;
	size_t n, cap;
	pb_buf arena; /* values of the record's tags */
	pb_buf pages;
	int eof;
	int warned_outside;
} rstate;

static const struct ris_tag *tag_spec(const char *tag)
{
	for (size_t i = 0; i < sizeof ris_tags / sizeof ris_tags[0]; i++)
		if (memcmp(ris_tags[i].tag, tag, 2) == 0)
			return &ris_tags[i];
	return NULL;
}

/* "XX  - value": a capital and a capital or digit, spaces, a hyphen,
 * then a space or the end. Sets the value (trimmed). */
static int tag_line(const char *s, size_t n, const char **value, size_t *vlen)
{
	if (n < 3 || !isupper((unsigned char)s[0]) ||
	    !(isupper((unsigned char)s[1]) || isdigit((unsigned char)s[1])))
		return 0;
	size_t i = 2;
	while (i < n && s[i] == ' ')
		i++;
	if (i == 2 || i > 4 || i >= n || s[i] != '-')
		return 0;
	i++;
	if (i < n && s[i] != ' ')
		return 0;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	while (n > i && isspace((unsigned char)s[n - 1]))
		n--;
	*value = s + i;
	*vlen = n - i;
	return 1;
}

static const char *value_of(const rstate *st, const ris_line *t)
{
	return st->arena.data + t->off;
}

static int looks_like_pdf(const char *url)
{
	size_t n = strlen(url);
	return (n > 4 && strcmp(url + n - 4, ".pdf") == 0) ||
	       strstr(url, "/pdf") != NULL;
}

/* Builds out from the tags collected. */
static int build(pb_reader *r, rstate *st, pb_record *out)
{
	pb_venue *v = &out->venue;
	int rc = PB_OK;
	int container_prio = 0;
	const char *event = NULL;
	pb_buf_reset(&st->pages);
	out->line = st->start;
	if (pb_record_set(out, PB_F_FILE, r->name))
		return PB_ENOMEM;
	/* the type first: T2 depends on it */
	out->type = PB_TYPE_MISC;
	for (size_t i = 0; i < st->n; i++)
		if (memcmp(st->tags[i].tag, "TY", 2) == 0) {
			const char *ty = value_of(st, &st->tags[i]);
			for (size_t k = 0; k < sizeof ris_types / sizeof ris_types[0]; k++)
				if (strcmp(ris_types[k].ty, ty) == 0)
					out->type = ris_types[k].type;
			break;
		}
	for (size_t i = 0; i < st->n && rc == PB_OK; i++) {
		const ris_line *t = &st->tags[i];
		const char *val = value_of(st, t);
		const struct ris_tag *spec = tag_spec(t->tag);
		if (!*val)
			continue;
		if (!spec) {
			rc = pb_record_add_extra(out, t->tag, val);
			continue;
		}
		switch (spec->kind) {
		case R_FIELD:
			if (spec->field == PB_F_KEY && !pb_read_key_ok(val))
				break;
			if (!pb_record_get(out, spec->field))
				rc = pb_record_set(out, spec->field, val);
			break;
		case R_AUTHOR: {
			pb_name name;
			int prc = pb_name_parse_inverted(&name, val);
			if (prc == PB_OK)
				rc = pb_record_take_author(out, &name);
			else if (prc == PB_EDATA)
				pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, t->line,
				              0, "cannot read the name '%s'; skipped", val);
			else
				rc = prc;
			pb_name_clear(&name);
			break;
		}
		case R_SECONDARY:
		case R_CONTAINER:
			/* T2 is the event of a conference paper, else the
			 * journal or book */
			if (spec->kind == R_SECONDARY &&
			    out->type == PB_TYPE_PAPER_CONFERENCE) {
				event = event ? event : val;
			} else if (spec->priority > container_prio) {
				container_prio = spec->priority;
				rc = pb_record_set(out, PB_F_VENUE_NAME, val);
			}
			break;
		case R_YEAR:
		case R_DATE:
			/* DA is the date; PY may carry one too ("2020/04/26/") */
			if (spec->kind == R_DATE || !v->date) {
				int k = pb_read_date(out, val);
				if (k < 0)
					rc = k;
				else if (k == 0 && !v->year)
					rc = pb_record_set(out, PB_F_VENUE_YEAR, val);
			}
			break;
		case R_URL:
			if (!out->url)
				rc = pb_record_set(out, PB_F_URL, val);
			else if (!out->pdf_url && looks_like_pdf(val))
				rc = pb_record_set(out, PB_F_PDF_URL, val);
			else if (strcmp(out->url, val) != 0)
				rc = pb_record_add_extra(out, "URL", val);
			break;
		case R_KEYWORD:
			rc = pb_record_add_keyword(out, val);
			break;
		case R_NOTE:
			rc = pb_read_note(out, val);
			break;
		case R_PAGES:
			if (st->pages.len && pb_buf_puts(&st->pages, "\xE2\x80\x93"))
				rc = PB_ENOMEM;
			else
				rc = pb_buf_puts(&st->pages, val);
			break;
		case R_EXTRA:
			rc = pb_record_add_extra(out, spec->label, val);
			break;
		case R_TYPE:
		case R_END:
			break;
		}
	}
	if (rc == PB_OK && st->pages.len)
		rc = pb_record_add_extra(out, "pages", pb_buf_cstr(&st->pages));
	if (rc == PB_OK && event)
		rc = pb_read_event(out, event);
	if (rc == PB_OK && !out->title)
		pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, st->start, 0,
		              "record has no title (no TI or T1)");
	return rc;
}

static int add_tag(rstate *st, const char *tag, const char *v, size_t n,
                   unsigned long line)
{
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 32;
		ris_line *t = realloc(st->tags, cap * sizeof *t);
		if (!t)
			return PB_ENOMEM;
		st->tags = t;
		st->cap = cap;
	}
	ris_line *t = &st->tags[st->n++];
	memcpy(t->tag, tag, 2);
	t->tag[2] = '\0';
	t->off = st->arena.len;
	t->len = n;
	t->line = line;
	if (pb_buf_append(&st->arena, v, n) || pb_buf_putc(&st->arena, '\0'))
		return PB_ENOMEM;
	return PB_OK;
}

/* A wrapped line: appended to the last value with a space. The last
 * value is the last string in the arena. */
static int continue_tag(rstate *st, const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (!n || !st->n)
		return PB_OK;
	ris_line *t = &st->tags[st->n - 1];
	st->arena.len--; /* the NUL */
	if ((t->len && pb_buf_putc(&st->arena, ' ')) ||
	    pb_buf_append(&st->arena, s, n) || pb_buf_putc(&st->arena, '\0'))
		return PB_ENOMEM;
	t->len = st->arena.len - 1 - t->off;
	return PB_OK;
}

static void start_record(rstate *st, unsigned long line)
{
	st->in_record = 1;
	st->start = line;
	st->n = 0;
	pb_buf_reset(&st->arena);
}

static int ris_next(pb_reader *r, pb_record *out)
{
	rstate *st = r->state;
	while (!st->eof) {
		const char *line, *v;
		size_t n, vlen;
		int rc = pb_lines_next(r->lines, &line, &n);
		if (rc == PB_EOF) {
			st->eof = 1;
			if (!st->in_record)
				break;
			pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, st->start, 0,
			              "record has no ER line before the end of the "
			              "file; read as if it had");
			st->in_record = 0;
			return build(r, st, out);
		}
		if (rc)
			return rc;
		unsigned long no = pb_lines_lineno(r->lines);
		if (!tag_line(line, n, &v, &vlen)) {
			if (st->in_record && (rc = continue_tag(st, line, n)))
				return rc;
			continue;
		}
		if (memcmp(line, "TY", 2) == 0) {
			if (st->in_record) {
				/* The record before has no ER: it ends here. Its
				 * tags are built first, then this TY starts anew. */
				pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, st->start,
				              0, "record has no ER line before the next "
				                 "TY at line %lu; read as if it had", no);
				rc = build(r, st, out);
				start_record(st, no);
				if (rc == PB_OK)
					rc = add_tag(st, "TY", v, vlen, no);
				return rc;
			}
			start_record(st, no);
			if ((rc = add_tag(st, "TY", v, vlen, no)))
				return rc;
			continue;
		}
		if (!st->in_record) {
			if (!st->warned_outside) {
				st->warned_outside = 1;
				pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, no, 0,
				              "'%.2s' tag outside a record (no TY line "
				              "before it); ignored", line);
			}
			continue;
		}
		if (memcmp(line, "ER", 2) == 0) {
			st->in_record = 0;
			return build(r, st, out);
		}
		if ((rc = add_tag(st, line, v, vlen, no)))
			return rc;
	}
	return PB_EOF;
}

static int ris_open(pb_reader *r)
{
	rstate *st = calloc(1, sizeof *st);
	if (!st)
		return PB_ENOMEM;
	r->state = st;
	return PB_OK;
}

static void ris_free(pb_reader *r)
{
	rstate *st = r->state;
	if (!st)
		return;
	free(st->tags);
	pb_buf_free(&st->arena);
	pb_buf_free(&st->pages);
	free(st);
	r->state = NULL;
}

/* "TY  - " at the start of a line is RIS; other tag lines alone are
 * likely RIS. */
static int ris_probe(const char *head, size_t len)
{
	int tags = 0;
	const char *p = head, *end = head + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *v;
		size_t vlen;
		if (n && p[n - 1] == '\r')
			n--;
		if (tag_line(p, n, &v, &vlen)) {
			if (memcmp(p, "TY", 2) == 0)
				return 95;
			tags++;
		}
		p += n + 1;
		if (nl && p < end && *p == '\n')
			p++;
	}
	return tags >= 3 ? 60 : 0;
}

const pb_input_format pb_ris_input = {
	.name = "ris",
	.origin = PB_ORIGIN_RIS,
	.extensions = "ris",
	.description = "RIS (Zotero, EndNote, Mendeley, bibutils): TY ... ER "
	               "records",
	.probe = ris_probe,
	.open = ris_open,
	.next = ris_next,
	.free = ris_free,
};
