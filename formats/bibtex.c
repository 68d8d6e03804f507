/* BibTeX and BibLaTeX writers: two dialects of one entry format.
 *
 * An entry is "@inproceedings{key," then one "  field      = {value},"
 * line per present value, in the fixed order of the dialect's table
 * below, then "}"; a blank line between entries. Every value goes through
 * src/latex.c, so braces balance and LaTeX specials are escaped; titles
 * get case protection. BibTeX writes ASCII by default (encoding = latex),
 * BibLaTeX UTF-8 with math symbols as LaTeX (encoding = utf8).
 *
 * Zotero's BibTeX import reads booktitle as the proceedings title and
 * eventtitle as the conference name, so both dialects write both;
 * BibTeX styles ignore eventtitle. Zotero drops fields it does not know,
 * which is why the code link goes to note (a child note there) unless
 * [biblatex] code = addendum asks otherwise. Each entry is built in one
 * buffer and written with one fwrite. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "latex.h"
#include "paperbib/paperbib.h"
#include "venue.h"

/* Proper nouns and names that titles in machine learning keep
 * capitalised; words with inner capitals (PyTorch, ImageNet, BERT) are
 * braced without being listed. */
#define DEFAULT_PROTECT                                                    \
	"Bayes, Bayesian, Gaussian, Markov, Markovian, Monte Carlo, "          \
	"Transformer, Wasserstein, Lipschitz, Hessian, Jacobian, Nash, "       \
	"Atari, Boltzmann, Dirichlet, Euclidean, Riemannian, Hamiltonian, "    \
	"Lagrangian, Laplacian, Langevin, Newton, Nesterov, Hilbert, Banach, " \
	"Fourier, Poisson, Bernoulli, Kullback, Leibler, Shannon, Gumbel, "    \
	"Stein, Kalman, Hebbian, Hopfield, Turing, Bellman, Gibbs, "           \
	"Metropolis, Hastings, Wiener, Brownian, Cauchy, Fisher, Kronecker, "  \
	"Sobolev, Stackelberg, Pareto, Nystr\xc3\xb6m, Wikipedia, English, "   \
	"Chinese, German, French, Japanese, StarCraft, Minecraft, Python, "    \
	"Hindi, Arabic"

static const pb_option_spec bibtex_options[] = {
	{"encoding", PB_OPT_CHOICE, "latex", "latex|utf8",
	 "latex: ASCII, other characters as LaTeX; utf8: UTF-8 text"},
	{"protect", PB_OPT_LIST, DEFAULT_PROTECT, NULL,
	 "words and phrases braced in titles so styles keep their capitals"},
	{"code", PB_OPT_CHOICE, "note", "note|none",
	 "where the code link goes: note = {Code: \\url{...}}, or nowhere"},
	{"abstract", PB_OPT_BOOL, "yes", NULL, "write the abstract"},
	{NULL, 0, NULL, NULL, NULL},
};

static const pb_option_spec biblatex_options[] = {
	{"encoding", PB_OPT_CHOICE, "utf8", "utf8|latex",
	 "utf8: UTF-8 text, math symbols as LaTeX; latex: ASCII only"},
	{"protect", PB_OPT_LIST, DEFAULT_PROTECT, NULL,
	 "words and phrases braced in titles so styles keep their capitals"},
	{"code", PB_OPT_CHOICE, "note", "note|addendum|none",
	 "where the code link goes: note, addendum (Zotero drops it), or "
	 "nowhere"},
	{"abstract", PB_OPT_BOOL, "yes", NULL, "write the abstract"},
	{NULL, 0, NULL, NULL, NULL},
};

/* Where a field's value comes from. */
enum source {
	S_AUTHORS,     /* "Family, Given and ..." */
	S_TITLE,       /* the title, case-protected */
	S_CONTAINER,   /* pb_venue_proceedings_title(), case-protected */
	S_EVENT,       /* pb_venue_event_title(), case-protected */
	S_YEAR,        /* the venue's year, else the year of its date */
	S_MONTH,       /* the month of the venue's date, as a macro: apr */
	S_DATE,        /* the venue's date, else its year */
	S_TEXT,        /* a string field as text */
	S_URL,         /* the forum page, else the PDF */
	S_NOTE,        /* the note, and the code link when code = note */
	S_ADDENDUM,    /* the code link when code = addendum */
	S_KEYWORDS     /* "a, b, c" */
};

typedef struct field_map {
	const char *name;
	enum source src;
	pb_field field; /* for S_TEXT */
} field_map;

/* Field order of each dialect. The venue's location is the place of the
 * conference: address in BibTeX (btxdoc), venue in BibLaTeX (location
 * would be the publisher's). */
static const field_map bibtex_fields[] = {
	{"author", S_AUTHORS, 0},
	{"title", S_TITLE, 0},
	{"booktitle", S_CONTAINER, 0},
	{"eventtitle", S_EVENT, 0},
	{"year", S_YEAR, 0},
	{"month", S_MONTH, 0},
	{"address", S_TEXT, PB_F_VENUE_LOCATION},
	{"publisher", S_TEXT, PB_F_VENUE_PUBLISHER},
	{"url", S_URL, 0},
	{"note", S_NOTE, 0},
	{"abstract", S_TEXT, PB_F_ABSTRACT},
	{"keywords", S_KEYWORDS, 0},
	{NULL, 0, 0},
};

static const field_map biblatex_fields[] = {
	{"author", S_AUTHORS, 0},
	{"title", S_TITLE, 0},
	{"booktitle", S_CONTAINER, 0},
	{"eventtitle", S_EVENT, 0},
	{"venue", S_TEXT, PB_F_VENUE_LOCATION},
	{"date", S_DATE, 0},
	{"publisher", S_TEXT, PB_F_VENUE_PUBLISHER},
	{"url", S_URL, 0},
	{"note", S_NOTE, 0},
	{"addendum", S_ADDENDUM, 0},
	{"abstract", S_TEXT, PB_F_ABSTRACT},
	{"keywords", S_KEYWORDS, 0},
	{NULL, 0, 0},
};

/* Entry types, and the field that names the container (booktitle of a
 * conference paper, journal of an article); NULL when there is none. */
typedef struct entry_type {
	const char *type;
	const char *container;
} entry_type;

static const entry_type bibtex_types[] = {
	[PB_TYPE_PAPER_CONFERENCE] = {"inproceedings", "booktitle"},
	[PB_TYPE_ARTICLE] = {"article", "journal"},
	[PB_TYPE_BOOK] = {"book", NULL},
	[PB_TYPE_CHAPTER] = {"incollection", "booktitle"},
	[PB_TYPE_REPORT] = {"techreport", NULL},
	[PB_TYPE_THESIS] = {"phdthesis", NULL},
	[PB_TYPE_MISC] = {"misc", NULL},
};

static const entry_type biblatex_types[] = {
	[PB_TYPE_PAPER_CONFERENCE] = {"inproceedings", "booktitle"},
	[PB_TYPE_ARTICLE] = {"article", "journaltitle"},
	[PB_TYPE_BOOK] = {"book", NULL},
	[PB_TYPE_CHAPTER] = {"incollection", "booktitle"},
	[PB_TYPE_REPORT] = {"report", NULL},
	[PB_TYPE_THESIS] = {"thesis", NULL},
	[PB_TYPE_MISC] = {"misc", NULL},
};

/* BibTeX's month macros, January first. */
static const char *const months[12] = {
	"jan", "feb", "mar", "apr", "may", "jun",
	"jul", "aug", "sep", "oct", "nov", "dec",
};

/* Field names are padded to this width, so the '=' signs line up. */
#define NAME_WIDTH 10

/* Characters that would end or break a citation key. */
static const char bad_key_chars[] = ",{}()=\"#%'\\";

typedef struct dialect {
	const char *section; /* the INI section: the format's name */
	const field_map *fields;
	const entry_type *types;
} dialect;

static const dialect bibtex_dialect = {"bibtex", bibtex_fields, bibtex_types};
static const dialect biblatex_dialect = {"biblatex", biblatex_fields,
                                         biblatex_types};

/* A venue title escaped, for the venue strings in m's key: the records
 * of a list mostly share their venue, so its title is built and its case
 * protection (the dearest escaping) runs once. */
typedef struct memo {
	pb_memo m;              /* key: the venue's strings; val: escaped */
	pb_latex_report report; /* what escaping reported */
} memo;

/* Options read once, in begin. */
typedef struct bib_state {
	const dialect *d;
	unsigned flags;        /* PB_LATEX_ASCII or 0 */
	pb_latex_escaper *esc; /* holds the protect list, parsed once */
	const char *code;      /* "note", "addendum" or "none" */
	int abstract;
	pb_buf entry, value, tmp;
	memo container, event; /* for S_CONTAINER and S_EVENT */
} bib_state;

static const dialect *dialect_of(const pb_writer *w);

static int bib_begin(pb_writer *w)
{
	if (w->state)
		return PB_OK;
	bib_state *st = calloc(1, sizeof *st);
	if (!st)
		return PB_ENOMEM;
	st->d = dialect_of(w);
	const char *sec = st->d->section;
	const char *enc = pb_config_get(w->config, sec, "encoding");
	st->flags = enc && strcmp(enc, "latex") == 0 ? PB_LATEX_ASCII : 0;
	st->esc = pb_latex_escaper_new(pb_config_get(w->config, sec, "protect"));
	if (!st->esc) {
		free(st);
		return PB_ENOMEM;
	}
	st->code = pb_config_get(w->config, sec, "code");
	if (!st->code)
		st->code = "note";
	st->abstract = pb_config_get_bool(w->config, sec, "abstract", 1);
	w->state = st;
	return PB_OK;
}

static void bib_free(pb_writer *w)
{
	bib_state *st = w->state;
	if (!st)
		return;
	pb_buf_free(&st->entry);
	pb_buf_free(&st->value);
	pb_buf_free(&st->tmp);
	pb_memo_free(&st->container.m);
	pb_memo_free(&st->event.m);
	pb_latex_escaper_free(st->esc);
	free(st);
	w->state = NULL;
}

/* Tracks unmapped characters over a whole entry. */
typedef struct ctx {
	bib_state *st;
	const pb_record *r;
	pb_latex_report report;
} ctx;

/* Only a BibTeX file's LaTeX is the user's own (see pb_origin). */
static unsigned trust(const pb_record *r)
{
	return r->origin == PB_ORIGIN_BIBTEX ? 0 : PB_LATEX_UNTRUSTED;
}

static int text(ctx *c, pb_buf *out, const char *s, unsigned extra)
{
	return pb_latex_escape(c->st->esc, out, s,
	                       c->st->flags | trust(c->r) | extra, &c->report);
}

/* text(title(v), PB_LATEX_TITLE) through the memo m: the same output
 * and report as building and escaping the title again, which happens
 * only when the venue's strings differ from the last record's. */
static int memo_title(ctx *c, memo *m, pb_buf *out, const pb_venue *v,
                      int (*title)(const pb_venue *, pb_buf *))
{
	unsigned flags = c->st->flags | trust(c->r) | PB_LATEX_TITLE;
	const char *key[] = {v->name, v->short_name, v->year,
	                     flags & PB_LATEX_UNTRUSTED ? "untrusted" : ""};
	if (!pb_memo_hit(&m->m, key, 4)) {
		pb_buf *t = &c->st->tmp;
		pb_latex_report rep = {0, 0};
		pb_buf_reset(t);
		if (pb_memo_set(&m->m, key, 4) || title(v, t) || !pb_buf_cstr(t) ||
		    pb_latex_escape(c->st->esc, &m->m.val, t->data, flags, &rep)) {
			pb_memo_invalidate(&m->m);
			return PB_ENOMEM;
		}
		m->report = rep;
	}
	if (m->report.unmapped > 0) {
		if (c->report.unmapped == 0)
			c->report.first = m->report.first;
		c->report.unmapped += m->report.unmapped;
	}
	return pb_buf_append(out, m->m.val.data, m->m.val.len);
}

/* A name part is braced when BibTeX would split it: a comma, or the word
 * "and". */
static int needs_braces(const char *s)
{
	if (strchr(s, ','))
		return 1;
	for (const char *p = strstr(s, "and"); p; p = strstr(p + 1, "and"))
		if ((p == s || p[-1] == ' ') && (p[3] == ' ' || p[3] == '\0'))
			return 1;
	return 0;
}

static int name_part(ctx *c, pb_buf *out, const char *s)
{
	int brace = needs_braces(s);
	if ((brace && pb_buf_putc(out, '{')) || text(c, out, s, 0) ||
	    (brace && pb_buf_putc(out, '}')))
		return PB_ENOMEM;
	return PB_OK;
}

static int authors(ctx *c, pb_buf *out)
{
	const pb_record *r = c->r;
	int first = 1;
	for (size_t i = 0; i < r->n_authors; i++) {
		const pb_name *n = &r->authors[i];
		const char *lit = n->literal;
		if (!lit && !n->family)
			lit = n->given; /* a lone given name cannot be split */
		if (!lit && !n->family)
			continue;
		if (!first && pb_buf_puts(out, " and "))
			return PB_ENOMEM;
		first = 0;
		int rc;
		if (lit) {
			/* An organisation: braced, never split or inverted. */
			rc = pb_buf_putc(out, '{') || text(c, out, lit, 0) ||
			     pb_buf_putc(out, '}');
		} else {
			rc = name_part(c, out, n->family) ||
			     (n->suffix && (pb_buf_puts(out, ", ") ||
			                    name_part(c, out, n->suffix))) ||
			     (n->given && (pb_buf_puts(out, ", ") ||
			                   name_part(c, out, n->given)));
		}
		if (rc)
			return PB_ENOMEM;
	}
	return PB_OK;
}

static const char *year_of(const pb_venue *v, char buf[5])
{
	if (v->year)
		return v->year;
	if (v->date && strlen(v->date) >= 4) {
		memcpy(buf, v->date, 4);
		buf[4] = '\0';
		return buf;
	}
	return NULL;
}

/* The month macro of "YYYY-MM[-DD]", or NULL. */
static const char *month_of(const pb_venue *v)
{
	const char *d = v->date;
	if (!d || strlen(d) < 7 || d[4] != '-')
		return NULL;
	int m = (d[5] - '0') * 10 + (d[6] - '0');
	return m >= 1 && m <= 12 ? months[m - 1] : NULL;
}

static int code_link(ctx *c, pb_buf *out)
{
	return pb_buf_puts(out, "Code: \\url{") ||
	       pb_latex_url(out, c->r->code_url, 1) || pb_buf_putc(out, '}');
}

/* The value of one field into out (left empty when absent); *bare is set
 * when the value is a macro written without braces. */
static int value(ctx *c, const field_map *f, pb_buf *out, int *bare)
{
	const pb_record *r = c->r;
	const pb_venue *v = &r->venue;
	bib_state *st = c->st;
	char ybuf[5];
	const char *s;
	*bare = 0;
	switch (f->src) {
	case S_AUTHORS:
		return authors(c, out);
	case S_TITLE:
		return r->title ? text(c, out, r->title, PB_LATEX_TITLE) : PB_OK;
	case S_CONTAINER:
		return memo_title(c, &st->container, out, v,
		                  pb_venue_proceedings_title);
	case S_EVENT:
		return memo_title(c, &st->event, out, v, pb_venue_event_title);
	case S_YEAR:
		s = year_of(v, ybuf);
		return s ? text(c, out, s, 0) : PB_OK;
	case S_MONTH:
		*bare = 1;
		s = month_of(v);
		return s ? pb_buf_puts(out, s) : PB_OK;
	case S_DATE:
		s = v->date ? v->date : year_of(v, ybuf);
		return s ? text(c, out, s, 0) : PB_OK;
	case S_TEXT:
		if (f->field == PB_F_ABSTRACT && !st->abstract)
			return PB_OK;
		s = pb_record_get(r, f->field);
		return s ? text(c, out, s, 0) : PB_OK;
	case S_URL:
		s = r->url ? r->url : r->pdf_url;
		return s ? pb_latex_url(out, s, 0) : PB_OK;
	case S_NOTE:
		if (r->note && text(c, out, r->note, 0))
			return PB_ENOMEM;
		if (!r->code_url || strcmp(st->code, "note") != 0)
			return PB_OK;
		if (out->len > 0) {
			char last = out->data[out->len - 1];
			if (pb_buf_puts(out, strchr(".!?", last) ? " " : ". "))
				return PB_ENOMEM;
		}
		return code_link(c, out);
	case S_ADDENDUM:
		if (!r->code_url || strcmp(st->code, "addendum") != 0)
			return PB_OK;
		return code_link(c, out);
	case S_KEYWORDS:
		for (size_t i = 0; i < r->n_keywords; i++) {
			size_t before = out->len;
			if (before > 0 && pb_buf_puts(out, ", "))
				return PB_ENOMEM;
			size_t mark = out->len;
			if (text(c, out, r->keywords[i], 0))
				return PB_ENOMEM;
			if (out->len == mark) /* nothing but spaces */
				out->len = before;
		}
		if (out->data)
			out->data[out->len] = '\0';
		return PB_OK;
	}
	return PB_OK;
}

/* "  name       = {value},\n" (no braces when bare), with appends: the
 * value can be a whole abstract, which printf would format twice. */
static int field_line(pb_buf *e, const char *name, const pb_buf *value,
                      int bare)
{
	static const char pad[NAME_WIDTH + 1] = "          ";
	size_t len = strlen(name);
	if (pb_buf_reserve(e, 2 + NAME_WIDTH + len + 4 + value->len + 3))
		return PB_ENOMEM;
	return pb_buf_append(e, "  ", 2) || pb_buf_append(e, name, len) ||
	       (len < NAME_WIDTH && pb_buf_append(e, pad, NAME_WIDTH - len)) ||
	       pb_buf_append(e, bare ? " = " : " = {", bare ? 3 : 4) ||
	       pb_buf_append(e, value->data, value->len) ||
	       pb_buf_append(e, bare ? ",\n" : "},\n", bare ? 2 : 3);
}

static int key_ok(const char *key)
{
	if (!key || !*key)
		return 0;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		if (*p <= 0x20 || *p == 0x7F || strchr(bad_key_chars, *p))
			return 0;
	return 1;
}

static int bib_record(pb_writer *w, const pb_record *r)
{
	int rc = bib_begin(w);
	if (rc)
		return rc;
	bib_state *st = w->state;
	if (!key_ok(r->key)) {
		pb_diag_emitf(w->diag, PB_DIAG_ERROR, r->file, r->line, 0,
		              "%s: citation key \"%s\" cannot be written in %s "
		              "(empty, or holds a space or one of %s)",
		              st->d->section, r->key ? r->key : "",
		              st->d->section, bad_key_chars);
		return PB_EDATA;
	}
	unsigned t = (unsigned)r->type <= PB_TYPE_MISC ? (unsigned)r->type
	                                                : PB_TYPE_MISC;
	const entry_type *et = &st->d->types[t];
	ctx c = {st, r, {0, 0}};
	pb_buf *e = &st->entry;
	pb_buf_reset(e);
	if ((w->count > 0 && pb_buf_putc(e, '\n')) || pb_buf_putc(e, '@') ||
	    pb_buf_puts(e, et->type) || pb_buf_putc(e, '{') ||
	    pb_buf_puts(e, r->key) || pb_buf_puts(e, ",\n"))
		return PB_ENOMEM;
	for (const field_map *f = st->d->fields; f->name; f++) {
		const char *name = f->name;
		if (f->src == S_CONTAINER) {
			if (!et->container)
				continue;
			name = et->container;
		} else if (f->src == S_EVENT &&
		           r->type != PB_TYPE_PAPER_CONFERENCE) {
			continue;
		}
		int bare;
		pb_buf_reset(&st->value);
		if (value(&c, f, &st->value, &bare))
			return PB_ENOMEM;
		if (st->value.len == 0)
			continue;
		if (field_line(e, name, &st->value, bare))
			return PB_ENOMEM;
	}
	if (pb_buf_puts(e, "}\n"))
		return PB_ENOMEM;
	if (c.report.unmapped > 0) {
		char ch[5] = {0};
		pb_buf tmp = PB_BUF_INIT;
		if (pb_buf_put_utf8(&tmp, c.report.first) == PB_OK)
			memcpy(ch, tmp.data, tmp.len < 4 ? tmp.len : 4);
		pb_buf_free(&tmp);
		pb_diag_emitf(w->diag, PB_DIAG_WARNING, r->file, r->line, 0,
		              "%s: %lu character%s with no LaTeX form (first "
		              "U+%04lX '%s') written as UTF-8; use [%s] encoding "
		              "= utf8 or fix the input",
		              r->key, c.report.unmapped,
		              c.report.unmapped == 1 ? "" : "s",
		              (unsigned long)c.report.first, ch, st->d->section);
	}
	if (fwrite(e->data, 1, e->len, w->out) != e->len)
		return PB_EIO;
	return PB_OK;
}

const pb_format pb_bibtex_format = {
	.name = "bibtex",
	.extension = "bib",
	.description = "BibTeX for bibtex and pdflatex (ASCII with LaTeX "
	               "accents), Zotero, JabRef",
	.options = bibtex_options,
	.begin = bib_begin,
	.record = bib_record,
	.end = NULL,
	.free = bib_free,
};

const pb_format pb_biblatex_format = {
	.name = "biblatex",
	.extension = "bib",
	.description = "BibLaTeX for biber (UTF-8, date, eventtitle), Zotero",
	.options = biblatex_options,
	.begin = bib_begin,
	.record = bib_record,
	.end = NULL,
	.free = bib_free,
};

static const dialect *dialect_of(const pb_writer *w)
{
	return w->format == &pb_biblatex_format ? &biblatex_dialect
	                                        : &bibtex_dialect;
}
