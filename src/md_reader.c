/* Markdown paper lists, stage 3: the input format. The document is read
 * whole (its structure decides where records end), parsed into units
 * (md_units.c), and its records stream out one unit at a time
 * (md_fields.c). */
#include <stdlib.h>
#include <string.h>

#include "latex.h"
#include "md.h"

/* The shapes named when no entry is found. */
#define MD_SHAPES                                                             \
	"headings or bold titles followed by fields (Paper:, Code:, Authors:), " \
	"numbered or bulleted items with a title and links, tables with a "      \
	"Title or Paper column, title lines followed by author lines, "          \
	"formatted references (Smith, J. (2019). Title. Journal.)"

typedef struct md_state {
	md_doc doc;
	size_t next;            /* the next unit to read */
	unsigned long records;  /* records given so far */
	/* the run of records of one shape, reported with -v */
	int run_shape;
	unsigned long run_first, run_last;
	unsigned long run_line, run_end;
	int done;
	pb_latex_escaper *latex; /* scratch space for check_latex */
} md_state;

/* A list is text from the web: LaTeX in it passes into BibTeX only
 * through an allow-list (PB_LATEX_UNTRUSTED). As the line reader does,
 * the first thing refused in a record's text fields is named in one
 * warning, at the line of the block that holds it (else the unit's). */
static int check_latex(pb_reader *r, md_state *st, const md_unit *u,
                       const pb_record *rec)
{
	const char *texts[] = {rec->title, rec->abstract};
	char cmd[32];
	int rc = 0;
	for (size_t i = 0; i < sizeof texts / sizeof texts[0] && !rc; i++)
		rc = texts[i] ? pb_latex_escaper_refused(st->latex, texts[i], cmd, sizeof cmd) : 0;
	for (size_t i = 0; i < rec->n_authors && !rc; i++) {
		const pb_name *a = &rec->authors[i];
		const char *parts[] = {a->given, a->family, a->suffix, a->literal};
		for (size_t k = 0; k < 4 && !rc; k++)
			rc = parts[k] ? pb_latex_escaper_refused(st->latex, parts[k], cmd, sizeof cmd) : 0;
	}
	for (size_t i = 0; i < rec->n_keywords && !rc; i++)
		rc = pb_latex_escaper_refused(st->latex, rec->keywords[i], cmd, sizeof cmd);
	/* extra fields that are text, not links */
	for (size_t i = 0; i < rec->n_extra && !rc; i++)
		if (strncmp(rec->extra[i].value, "http", 4) != 0)
			rc = pb_latex_escaper_refused(st->latex, rec->extra[i].value, cmd,
			                              sizeof cmd);
	if (rc <= 0)
		return rc;
	unsigned long line = u->line;
	for (size_t i = 0; i < u->n_blocks; i++)
		if (u->blocks[i].text.data && strstr(u->blocks[i].text.data, cmd)) {
			line = u->blocks[i].line;
			break;
		}
	pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, line, 0,
	              "LaTeX %s%s is not allowed in a paper list; written as text",
	              cmd[0] == '^' ? "notation " : "command ", cmd);
	return PB_OK;
}

static void report_run(pb_reader *r, md_state *st)
{
	if (st->run_shape < 0)
		return;
	pb_diag_emitf(r->diag, PB_DIAG_NOTE, r->name, st->run_line, 0,
	              "entries %lu\xE2\x80\x93%lu: %s, lines %lu\xE2\x80\x93%lu",
	              st->run_first, st->run_last, md_shape_name((md_shape)st->run_shape),
	              st->run_line, st->run_end);
	st->run_shape = -1;
}

static int md_open(pb_reader *r)
{
	md_state *st = calloc(1, sizeof *st);
	if (!st)
		return PB_ENOMEM;
	st->run_shape = -1;
	r->state = st;
	if (!(st->latex = pb_latex_escaper_new(NULL)))
		return PB_ENOMEM;
	/* pb_lines gives valid UTF-8 with its line ends normalised */
	pb_buf text = {0};
	const char *line;
	size_t n;
	int rc;
	while ((rc = pb_lines_next(r->lines, &line, &n)) == PB_OK)
		if (pb_buf_append(&text, line, n) || pb_buf_putc(&text, '\n')) {
			rc = PB_ENOMEM;
			break;
		}
	if (rc == PB_EOF)
		rc = pb_buf_cstr(&text) ? PB_OK : PB_ENOMEM;
	if (rc == PB_OK)
		rc = md_doc_parse(&st->doc, text.data, text.len);
	pb_buf_free(&text);
	if (rc == PB_OK && st->doc.venue_line) {
		pb_venue *v = &st->doc.venue;
		pb_diag_emitf(r->diag, PB_DIAG_NOTE, r->name, st->doc.venue_line, 0,
		              "venue detected: %s%s%s%s%s",
		              v->short_name ? v->short_name : "", v->year ? " " : "",
		              v->year ? v->year : "", v->name ? ", " : "",
		              v->name ? v->name : "");
	}
	return rc;
}

static int md_next(pb_reader *r, pb_record *out)
{
	md_state *st = r->state;
	while (st->next < st->doc.n_units) {
		const md_unit *u = &st->doc.units[st->next++];
		int titled, fields;
		pb_record_reset(out);
		int rc = md_unit_record(u, out, r->name, r->diag, &titled, &fields);
		if (rc)
			return rc;
		if (!fields)
			continue; /* a section heading, a bold line of the page */
		if (!titled) {
			pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, u->line, 0,
			              "an entry without a title (lines %lu-%lu); skipped",
			              u->line, u->end_line);
			continue;
		}
		out->line = u->line;
		if (check_latex(r, st, u, out) < 0)
			return PB_ENOMEM;
		const pb_venue *v = &st->doc.venue;
		int own = out->venue.name || out->venue.short_name || out->venue.year;
		if (pb_record_set(out, PB_F_FILE, r->name) ||
		    (!own && (pb_record_set(out, PB_F_VENUE_NAME, v->name) ||
		              pb_record_set(out, PB_F_VENUE_SHORT, v->short_name) ||
		              pb_record_set(out, PB_F_VENUE_YEAR, v->year) ||
		              pb_record_set(out, PB_F_VENUE_PUBLISHER, v->publisher))))
			return PB_ENOMEM;
		st->records++;
		if ((int)u->shape != st->run_shape) {
			report_run(r, st);
			st->run_shape = (int)u->shape;
			st->run_first = st->records;
			st->run_line = u->line;
		}
		st->run_last = st->records;
		st->run_end = u->end_line;
		return PB_OK;
	}
	if (!st->done) {
		st->done = 1;
		report_run(r, st);
		if (!st->records)
			pb_diag_emitf(r->diag, PB_DIAG_ERROR, r->name, 0, 0,
			              "no paper entries found in this Markdown; the reader "
			              "looks for " MD_SHAPES);
	}
	pb_record_reset(out);
	return PB_EOF;
}

static void md_free(pb_reader *r)
{
	md_state *st = r->state;
	if (!st)
		return;
	md_doc_clear(&st->doc);
	pb_latex_escaper_free(st->latex);
	free(st);
	r->state = NULL;
}

/* ---- detection ------------------------------------------------------- */

static int starts(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);
	return n >= k && memcmp(s, lit, k) == 0;
}

/* The first "](" in s[0, n), or NULL. */
static const char *find_link_mid(const char *s, size_t n)
{
	for (const char *q = s; n >= 2 && (q = memchr(q, ']', n - (size_t)(q - s) - 1));
	     q++)
		if (q[1] == '(')
			return q;
	return NULL;
}

static const char *skip_sp(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

/* A table's delimiter row: "|---|:---:|" or "--- | ---". */
static int delimiter_row(const char *s, size_t n)
{
	size_t dashes = 0, pipes = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '-')
			dashes++;
		else if (s[i] == '|')
			pipes++;
		else if (s[i] != ':' && s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	}
	return dashes >= 3 && pipes >= 1;
}

/* Markdown structure in the head of a file. Plain labelled lists (the
 * line reader's) may carry "**Title**" lines and "- Author:" bullets, so
 * those alone are no evidence: headings with a number or a link, bold
 * titles followed by bullets, numbered items with bold titles, tables,
 * links and front matter are. A page of title and author lines (award
 * pages) is taken when no labelled field is there. */
static int md_probe(const char *head, size_t len)
{
	const char *p = head, *end = head + len;
	int strong = 0, links = 0, table = 0, pairs = 0, refs = 0;
	const char *prev = NULL;
	size_t prev_n = 0;
	int prev_bold = 0, blank_after_bold = 0;
	if (starts(head, len, "---\n") || starts(head, len, "---\r\n"))
		strong += 2;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *t = skip_sp(p, p + n);
		size_t tn = (size_t)(p + n - t);
		while (tn && (t[tn - 1] == '\r' || t[tn - 1] == ' '))
			tn--;
		if (tn == 0) {
			blank_after_bold = prev_bold;
			p += n + 1;
			continue;
		}
		if (*t == '#') {
			const char *h = t;
			while (h < t + tn && *h == '#')
				h++;
			h = skip_sp(h, t + tn);
			if (h > t && h < t + tn &&
			    (*h == '[' || *h == '<' || (*h >= '0' && *h <= '9') ||
			     find_link_mid(h, (size_t)(t + tn - h))))
				strong++;
		}
		if (tn > 4 && *t >= '0' && *t <= '9') {
			const char *d = t;
			while (d < t + tn && *d >= '0' && *d <= '9')
				d++;
			if (d + 3 < t + tn && *d == '.' && d[1] == ' ' && d[2] == '*' && d[3] == '*')
				strong++;
		}
		if ((*t == '-' || *t == '*' || *t == '+') && tn > 2 && t[1] == ' ' &&
		    (prev_bold || blank_after_bold))
			strong++;
		/* "**Title: Subtitle**" alone on its line; "**Code:**" is a label */
		int bold = tn > 4 && starts(t, tn, "**") && t[tn - 1] == '*' &&
		           t[tn - 2] == '*' && t[tn - 3] != ':';
		if (prev && *t == '|' && delimiter_row(t, tn) && memchr(prev, '|', prev_n))
			table = 1;
		for (const char *l = t; (l = find_link_mid(l, (size_t)(t + tn - l)));
		     l += 2)
			if (l + 3 < t + tn && (starts(l + 2, (size_t)(t + tn - l - 2), "http") ||
			                       l[2] == '#'))
				links++;
		if (md_is_reference(t, tn, NULL, 0))
			refs++;
		if (prev && md_is_title_line(prev, prev_n) && md_is_author_line(t, tn) &&
		    !md_label_at(t, tn, &(size_t){0}, 0))
			pairs++;
		prev_bold = bold;
		blank_after_bold = 0;
		prev = t;
		prev_n = tn;
		p += n + 1;
	}
	if (table || strong >= 2 || (strong && links) || links >= 3)
		return 75;
	/* a bibliography: references are no labelled list's lines */
	if (refs >= 2)
		return 60;
	if (pairs >= 2)
		return 40;
	return strong || links ? 30 : 0;
}

const pb_input_format pb_markdown_format = {
	.name = "markdown",
	.origin = PB_ORIGIN_LIST,
	.extensions = "md|markdown",
	.description = "paper list in Markdown (GitHub README, blog source) or "
	               "a page of titles and author lines: headings, bold "
	               "titles, list items or table rows, one paper each",
	.probe = md_probe,
	.open = md_open,
	.next = md_next,
	.free = md_free,
};
