/* BibTeX and BibLaTeX reader.
 *
 * An entry is "@type{key, name = value, ...}" (or with parentheses); a
 * value is {braced}, "quoted", a number or a macro, joined with #.
 * @string defines macros, @comment and @preamble are skipped, and text
 * between entries is ignored, as BibTeX does. Each entry's fields are
 * collected raw, then mapped by the table below: LaTeX goes back to
 * Unicode through src/latex_decode.c, names through
 * pb_name_parse_inverted.
 *
 * Bad data is reported with the line and the entry's key, and the entry
 * is skipped up to the next line that starts with "@": an entry whose
 * braces never close ends there too, so one missing brace costs one
 * entry, not the rest of the file. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "latex_decode.h"
#include "paperbib/paperbib.h"
#include "readutil.h"

/* Entry types and the kind of work they are. */
static const struct bib_type {
	const char *name;
	pb_type type;
} bib_types[] = {
	{"inproceedings", PB_TYPE_PAPER_CONFERENCE},
	{"conference", PB_TYPE_PAPER_CONFERENCE},
	{"article", PB_TYPE_ARTICLE},
	{"periodical", PB_TYPE_ARTICLE},
	{"book", PB_TYPE_BOOK},
	{"mvbook", PB_TYPE_BOOK},
	{"booklet", PB_TYPE_BOOK},
	{"proceedings", PB_TYPE_BOOK},
	{"mvproceedings", PB_TYPE_BOOK},
	{"collection", PB_TYPE_BOOK},
	{"mvcollection", PB_TYPE_BOOK},
	{"inbook", PB_TYPE_CHAPTER},
	{"incollection", PB_TYPE_CHAPTER},
	{"bookinbook", PB_TYPE_CHAPTER},
	{"suppbook", PB_TYPE_CHAPTER},
	{"techreport", PB_TYPE_REPORT},
	{"report", PB_TYPE_REPORT},
	{"phdthesis", PB_TYPE_THESIS},
	{"mastersthesis", PB_TYPE_THESIS},
	{"thesis", PB_TYPE_THESIS},
	{"misc", PB_TYPE_MISC},
	{"online", PB_TYPE_MISC},
	{"electronic", PB_TYPE_MISC},
	{"www", PB_TYPE_MISC},
	{"unpublished", PB_TYPE_MISC},
	{"manual", PB_TYPE_MISC},
	{"software", PB_TYPE_MISC},
	{"dataset", PB_TYPE_MISC},
	{"patent", PB_TYPE_MISC},
};

/* What a field becomes. */
enum bib_kind {
	B_TEXT,      /* a string field, decoded; the first one counts */
	B_AUTHORS,   /* names separated by "and" */
	B_CONTAINER, /* the venue's name: booktitle, journal */
	B_EVENT,     /* eventtitle: name, short name and year */
	B_SERIES,    /* series: the event when it reads "Name (SHORT YEAR)",
	              * as bibutils writes it, else an extra field */
	B_YEAR,      /* year */
	B_MONTH,     /* month: a macro, a name or a number */
	B_DAY,       /* day (bibutils) */
	B_DATE,      /* biblatex date, ISO 8601 */
	B_URL,       /* url: the page, a second one the PDF */
	B_NOTE,      /* note, addendum: the code link and the rest */
	B_ANNOTE,    /* annote, annotation: "Label: value" lines, the rest */
	B_KEYWORDS,  /* keywords separated by , or ; */
	B_SKIP       /* reference managers' own bookkeeping */
};

/* Fields by name (lower case). Fields not listed are kept as extra
 * fields under their own name. */
static const struct bib_field {
	const char *name;
	enum bib_kind kind;
	pb_field field; /* for B_TEXT */
} bib_fields[] = {
	{"title", B_TEXT, PB_F_TITLE},
	{"author", B_AUTHORS, PB_F_COUNT},
	{"booktitle", B_CONTAINER, PB_F_COUNT},
	{"journal", B_CONTAINER, PB_F_COUNT},
	{"journaltitle", B_CONTAINER, PB_F_COUNT},
	{"eventtitle", B_EVENT, PB_F_COUNT},
	{"series", B_SERIES, PB_F_COUNT},
	{"year", B_YEAR, PB_F_COUNT},
	{"month", B_MONTH, PB_F_COUNT},
	{"day", B_DAY, PB_F_COUNT},
	{"date", B_DATE, PB_F_COUNT},
	{"publisher", B_TEXT, PB_F_VENUE_PUBLISHER},
	{"address", B_TEXT, PB_F_VENUE_LOCATION},
	{"location", B_TEXT, PB_F_VENUE_LOCATION},
	{"venue", B_TEXT, PB_F_VENUE_LOCATION},
	{"url", B_URL, PB_F_COUNT},
	{"abstract", B_TEXT, PB_F_ABSTRACT},
	{"keywords", B_KEYWORDS, PB_F_COUNT},
	{"note", B_NOTE, PB_F_COUNT},
	{"addendum", B_NOTE, PB_F_COUNT},
	{"annote", B_ANNOTE, PB_F_COUNT},
	{"annotation", B_ANNOTE, PB_F_COUNT},
	{"file", B_SKIP, PB_F_COUNT},
	{"timestamp", B_SKIP, PB_F_COUNT},
	{"owner", B_SKIP, PB_F_COUNT},
	{"bibsource", B_SKIP, PB_F_COUNT},
	{"biburl", B_SKIP, PB_F_COUNT},
	{"groups", B_SKIP, PB_F_COUNT},
	{"date-added", B_SKIP, PB_F_COUNT},
	{"date-modified", B_SKIP, PB_F_COUNT},
	{"urldate", B_SKIP, PB_F_COUNT},
	{"crossref", B_SKIP, PB_F_COUNT},
};

/* The labels of the lines that the writers put in annote for members
 * with no field of their own in the entry (formats/bibtex.c), spelt as
 * they spell them: read back into the member when it is empty. Any other
 * "Label: value" line there is an extra field the writer had no field
 * for, read back as that extra field. */
static const struct annote_label {
	const char *label;
	pb_field field; /* PB_F_COUNT: the venue, as its event title */
	int url;        /* the value must be a URL */
} annote_labels[] = {
	{"Venue", PB_F_COUNT, 0},
	{"Location", PB_F_VENUE_LOCATION, 0},
	{"Publisher", PB_F_VENUE_PUBLISHER, 0},
	{"Track", PB_F_VENUE_TRACK, 0},
	{"ID", PB_F_ID, 0},
	{"PDF", PB_F_PDF_URL, 1},
};

/* An annote line's label: an ASCII letter, then at most 39 of these, in
 * at most four words (extra fields are named so by every reader). */
static const char annote_label_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 _.-";
#define ANNOTE_LABEL_MAX 40
#define ANNOTE_LABEL_WORDS 4

/* BibTeX's predefined macros. */
static const struct bib_macro {
	const char *name;
	const char *value;
} builtin_macros[] = {
	{"jan", "January"},  {"feb", "February"}, {"mar", "March"},
	{"apr", "April"},    {"may", "May"},      {"jun", "June"},
	{"jul", "July"},     {"aug", "August"},   {"sep", "September"},
	{"oct", "October"},  {"nov", "November"}, {"dec", "December"},
};

/* Characters of identifiers: entry types, field and macro names. */
static const char ident_chars[] = "-_:.+/'!?*&$^";
/* The word between two names of a name list. */
#define NAME_SEP "and"

/* One field as read: the name (lower case) and the raw LaTeX value. */
typedef struct raw_field {
	char *name;
	char *value;
	unsigned long line;
} raw_field;

typedef struct macro {
	char *name; /* lower case */
	char *value;
} macro;

typedef struct bstate {
	/* the line being scanned */
	const char *line;
	size_t len, pos;
	int have;            /* line is valid */
	int done;            /* the end of the input, or an error */
	int err;             /* PB_EIO or PB_ENOMEM */
	unsigned long lineno;
	/* the entry being read */
	pb_buf key;
	unsigned long entry_line;
	raw_field *fields;
	size_t n_fields, cap_fields;
	pb_buf ident, value, tmp;
	macro *macros;
	size_t n_macros, cap_macros;
} bstate;

/* Why an entry could not be read (a message), or NULL. */
typedef const char *fail;

/* ---- the character source ---------------------------------------------- */

/* The next character, '\n' between lines, -1 at the end. */
static int peekc(pb_reader *r, bstate *st)
{
	if (st->done)
		return -1;
	if (!st->have) {
		size_t len;
		int rc = pb_lines_next(r->lines, &st->line, &len);
		if (rc != PB_OK) {
			st->done = 1;
			if (rc != PB_EOF)
				st->err = rc;
			return -1;
		}
		st->len = len;
		st->pos = 0;
		st->have = 1;
		st->lineno = pb_lines_lineno(r->lines);
	}
	return st->pos < st->len ? (unsigned char)st->line[st->pos] : '\n';
}

static void advance(bstate *st)
{
	if (st->pos < st->len)
		st->pos++;
	else
		st->have = 0;
}

static int nextc(pb_reader *r, bstate *st)
{
	int c = peekc(r, st);
	if (c >= 0)
		advance(st);
	return c;
}

static void skip_space(pb_reader *r, bstate *st)
{
	int c;
	while ((c = peekc(r, st)) >= 0 && isspace(c))
		advance(st);
}

/* Does the current line, at its start, open an entry ("@type{")? Used to
 * end an entry whose braces never close. */
static int at_entry_line(pb_reader *r, bstate *st)
{
	if (peekc(r, st) < 0 || st->pos != 0)
		return 0;
	size_t i = 0;
	while (i < st->len && isspace((unsigned char)st->line[i]))
		i++;
	if (i >= st->len || st->line[i] != '@')
		return 0;
	size_t j = ++i;
	while (j < st->len && isalpha((unsigned char)st->line[j]))
		j++;
	while (j < st->len && isspace((unsigned char)st->line[j]))
		j++;
	return j > i && j < st->len && (st->line[j] == '{' || st->line[j] == '(');
}

/* Skips to the next line that starts with "@" (after spaces). */
static void resync(pb_reader *r, bstate *st)
{
	if (at_entry_line(r, st))
		return;
	st->have = 0;
	while (peekc(r, st) >= 0) {
		const char *p = st->line;
		while (p < st->line + st->len && isspace((unsigned char)*p))
			p++;
		if (p < st->line + st->len && *p == '@') {
			st->pos = (size_t)(p - st->line);
			return;
		}
		st->have = 0;
	}
}

/* ---- tokens ----------------------------------------------------------- */

static int is_ident(int c)
{
	return c >= 0 && (isalnum(c) || c >= 0x80 || strchr(ident_chars, c));
}

/* An identifier into st->ident, lower-cased. Empty when there is none. */
static int read_ident(pb_reader *r, bstate *st)
{
	pb_buf_reset(&st->ident);
	int c;
	while (is_ident(c = peekc(r, st)) && c != '\0') {
		if (pb_buf_putc(&st->ident, (char)tolower(c)))
			return PB_ENOMEM;
		advance(st);
	}
	return pb_buf_cstr(&st->ident) ? PB_OK : PB_ENOMEM;
}

/* A {braced} or "quoted" value (the opener consumed) appended to out.
 * Returns NULL or why it failed. */
static fail read_delimited(pb_reader *r, bstate *st, int quote, pb_buf *out)
{
	int depth = 0;
	for (;;) {
		int c = nextc(r, st);
		if (c < 0)
			return "unterminated entry: the file ends inside a value";
		if (c == '\n' && at_entry_line(r, st))
			return "unterminated entry: a new entry starts inside a value";
		if (c == '\\') { /* \{ and \" do not count */
			int d = peekc(r, st);
			if (pb_buf_putc(out, '\\'))
				return "out of memory";
			if (d == '{' || d == '}' || d == '"') {
				advance(st);
				if (pb_buf_putc(out, (char)d))
					return "out of memory";
			}
			continue;
		}
		if (c == '{') {
			depth++;
		} else if (c == '}') {
			if (depth == 0) {
				if (quote)
					return "a '}' without its '{' inside a quoted value";
				return NULL;
			}
			depth--;
		} else if (c == '"' && quote && depth == 0) {
			return NULL;
		}
		if (pb_buf_putc(out, (char)c))
			return "out of memory";
	}
}

static const char *find_macro(const bstate *st, const char *name)
{
	for (size_t i = st->n_macros; i > 0; i--)
		if (strcmp(st->macros[i - 1].name, name) == 0)
			return st->macros[i - 1].value;
	for (size_t i = 0; i < sizeof builtin_macros / sizeof builtin_macros[0];
	     i++)
		if (strcmp(builtin_macros[i].name, name) == 0)
			return builtin_macros[i].value;
	return NULL;
}

/* A value: parts joined by #, into st->value. */
static fail read_value(pb_reader *r, bstate *st)
{
	pb_buf_reset(&st->value);
	for (;;) {
		skip_space(r, st);
		int c = peekc(r, st);
		fail f = NULL;
		if (c == '{' || c == '"') {
			advance(st);
			f = read_delimited(r, st, c == '"', &st->value);
		} else if (c >= 0 && isdigit(c)) {
			while ((c = peekc(r, st)) >= 0 && isdigit(c)) {
				if (pb_buf_putc(&st->value, (char)c))
					return "out of memory";
				advance(st);
			}
		} else if (is_ident(c)) {
			unsigned long line = st->lineno;
			if (read_ident(r, st))
				return "out of memory";
			const char *v = find_macro(st, st->ident.data);
			if (v) {
				if (pb_buf_puts(&st->value, v))
					return "out of memory";
			} else {
				pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, line, 0,
				              "entry '%s': unknown macro '%s' (taken as "
				              "empty)",
				              pb_buf_cstr(&st->key), st->ident.data);
			}
		} else {
			return c < 0 ? "the file ends before a value"
			             : "a value must be {braced}, \"quoted\", a number "
			               "or a macro";
		}
		if (f)
			return f;
		skip_space(r, st);
		if (peekc(r, st) != '#')
			break;
		advance(st);
	}
	return pb_buf_cstr(&st->value) ? NULL : "out of memory";
}

/* Skips a balanced {...} or (...) (the opener consumed): @comment and
 * @preamble. */
static fail skip_group(pb_reader *r, bstate *st, int close)
{
	int depth = 0;
	for (;;) {
		int c = nextc(r, st);
		if (c < 0)
			return "the file ends inside it";
		if (c == '\n' && at_entry_line(r, st))
			return "a new entry starts inside it";
		if (c == '{')
			depth++;
		else if (c == '}' && depth > 0)
			depth--;
		else if (c == close && depth == 0)
			return NULL;
	}
}

/* ---- entries ---------------------------------------------------------- */

static void clear_fields(bstate *st)
{
	for (size_t i = 0; i < st->n_fields; i++) {
		free(st->fields[i].name);
		free(st->fields[i].value);
	}
	st->n_fields = 0;
}

static int add_field(bstate *st, const char *name, const char *value,
                     unsigned long line)
{
	if (st->n_fields == st->cap_fields) {
		size_t cap = st->cap_fields ? st->cap_fields * 2 : 16;
		raw_field *f = realloc(st->fields, cap * sizeof *f);
		if (!f)
			return PB_ENOMEM;
		st->fields = f;
		st->cap_fields = cap;
	}
	raw_field *f = &st->fields[st->n_fields];
	f->name = pb_strdup(name);
	f->value = pb_strdup(value);
	f->line = line;
	if (!f->name || !f->value) {
		free(f->name);
		free(f->value);
		return PB_ENOMEM;
	}
	st->n_fields++;
	return PB_OK;
}

static int add_macro(bstate *st, const char *name, const char *value)
{
	if (st->n_macros == st->cap_macros) {
		size_t cap = st->cap_macros ? st->cap_macros * 2 : 16;
		macro *m = realloc(st->macros, cap * sizeof *m);
		if (!m)
			return PB_ENOMEM;
		st->macros = m;
		st->cap_macros = cap;
	}
	macro *m = &st->macros[st->n_macros];
	m->name = pb_strdup(name);
	m->value = pb_strdup(value);
	if (!m->name || !m->value) {
		free(m->name);
		free(m->value);
		return PB_ENOMEM;
	}
	st->n_macros++;
	return PB_OK;
}

/* @string{name = value}: the opener consumed. */
static fail read_string(pb_reader *r, bstate *st, int close)
{
	skip_space(r, st);
	if (read_ident(r, st))
		return "out of memory";
	if (st->ident.len == 0)
		return "@string needs a name";
	char *name = pb_strdup(st->ident.data);
	if (!name)
		return "out of memory";
	pb_buf_reset(&st->key);
	if (pb_buf_printf(&st->key, "@string %s", name)) {
		free(name);
		return "out of memory";
	}
	skip_space(r, st);
	fail f = NULL;
	if (nextc(r, st) != '=')
		f = "'=' expected after the @string name";
	if (!f)
		f = read_value(r, st);
	if (!f) {
		skip_space(r, st);
		if (nextc(r, st) != close)
			f = "@string not closed after its value";
	}
	if (!f && add_macro(st, name, st->value.data))
		f = "out of memory";
	free(name);
	return f;
}

/* The fields of an entry, after its key, up to the closer. */
static fail read_fields(pb_reader *r, bstate *st, int close)
{
	for (;;) {
		skip_space(r, st);
		int c = peekc(r, st);
		if (c == close) {
			advance(st);
			return NULL;
		}
		if (c < 0)
			return "unterminated entry: the file ends inside it";
		unsigned long line = st->lineno;
		if (read_ident(r, st))
			return "out of memory";
		if (st->ident.len == 0)
			return "a field name expected";
		char *name = pb_strdup(st->ident.data);
		if (!name)
			return "out of memory";
		skip_space(r, st);
		fail f = NULL;
		if (nextc(r, st) != '=')
			f = "'=' expected after the field name";
		if (!f)
			f = read_value(r, st);
		if (!f && add_field(st, name, st->value.data, line))
			f = "out of memory";
		free(name);
		if (f)
			return f;
		skip_space(r, st);
		c = peekc(r, st);
		if (c == ',') {
			advance(st);
		} else if (c != close) {
			return c < 0 ? "unterminated entry: the file ends inside it"
			             : "',' or the end of the entry expected after "
			               "a field";
		}
	}
}

/* The key, up to the first comma (or the closer of an empty entry). */
static fail read_key(pb_reader *r, bstate *st, int close)
{
	pb_buf_reset(&st->key);
	skip_space(r, st);
	int c;
	while ((c = peekc(r, st)) >= 0 && c != ',' && c != close && !isspace(c)) {
		if (c == '{' || c == '}' || c == '=')
			return "a citation key expected";
		if (pb_buf_putc(&st->key, (char)c))
			return "out of memory";
		advance(st);
	}
	skip_space(r, st);
	c = peekc(r, st);
	if (c == ',')
		advance(st);
	else if (c != close)
		return "',' expected after the citation key";
	return pb_buf_cstr(&st->key) ? NULL : "out of memory";
}

/* ---- from fields to the record ------------------------------------------ */

static const struct bib_field *field_spec(const char *name)
{
	for (size_t i = 0; i < sizeof bib_fields / sizeof bib_fields[0]; i++)
		if (strcmp(bib_fields[i].name, name) == 0)
			return &bib_fields[i];
	return NULL;
}

static int decode(bstate *st, const char *latex)
{
	pb_buf_reset(&st->tmp);
	return pb_latex_decode(&st->tmp, latex, strlen(latex));
}

/* Is s[i] the start of a word "and" between names (brace depth 0)? */
static int name_sep(const char *s, size_t i)
{
	return i > 0 && isspace((unsigned char)s[i - 1]) &&
	       strncasecmp(s + i, NAME_SEP, 3) == 0 &&
	       isspace((unsigned char)s[i + 3]);
}

static int add_name(pb_reader *r, bstate *st, pb_record *rec, const char *s,
                    size_t n, unsigned long line)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0 || (n == 6 && strncmp(s, "others", 6) == 0))
		return PB_OK;
	/* {Organisation}: braced as a whole, a literal name */
	int literal = s[0] == '{' && s[n - 1] == '}';
	for (size_t i = 0, depth = 0; literal && i < n; i++) {
		if (s[i] == '{')
			depth++;
		else if (s[i] == '}' && --depth == 0 && i + 1 < n)
			literal = 0;
	}
	pb_buf_reset(&st->tmp);
	if (pb_latex_decode(&st->tmp, literal ? s + 1 : s, literal ? n - 2 : n))
		return PB_ENOMEM;
	pb_name name;
	if (literal) {
		/* the literal is borrowed from st->tmp: the record copies it */
		pb_name_init(&name);
		name.literal = (char *)pb_buf_cstr(&st->tmp);
		return pb_record_add_author(rec, &name);
	}
	int rc = pb_name_parse_inverted(&name, st->tmp.data);
	if (rc == PB_OK)
		rc = pb_record_take_author(rec, &name);
	else if (rc == PB_EDATA) {
		pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, line, 0,
		              "entry '%s': cannot read the name '%s'; skipped",
		              pb_buf_cstr(&st->key), st->tmp.data);
		rc = PB_OK;
	}
	pb_name_clear(&name);
	return rc;
}

/* Splits an author list on "and" outside braces. */
static int add_names(pb_reader *r, bstate *st, pb_record *rec,
                     const char *s, unsigned long line)
{
	size_t start = 0, depth = 0, i = 0;
	for (; s[i]; i++) {
		if (s[i] == '{') {
			depth++;
		} else if (s[i] == '}' && depth > 0) {
			depth--;
		} else if (depth == 0 && name_sep(s, i)) {
			if (add_name(r, st, rec, s + start, i - start, line))
				return PB_ENOMEM;
			start = i + 3;
			i += 2;
		}
	}
	return add_name(r, st, rec, s + start, i - start, line);
}

static int looks_like_pdf(const char *url)
{
	size_t n = strlen(url);
	return (n > 4 && strcasecmp(url + n - 4, ".pdf") == 0) ||
	       strstr(url, "/pdf") != NULL;
}

/* "Name (SHORT YEAR)": ends with a year and a parenthesis. */
static int event_like(const char *s)
{
	size_t n = strlen(s);
	return n > 7 && s[n - 1] == ')' && strchr(s, '(') &&
	       isdigit((unsigned char)s[n - 2]) &&
	       isdigit((unsigned char)s[n - 5]) && s[n - 6] == ' ';
}

/* The length of the label of an annote line as the writers write it
 * ("Label: value" on a line of its own, braces balanced), or 0. */
static size_t annote_label_len(const char *s, size_t n)
{
	size_t k = 0;
	int words = 1;
	if (n == 0 || !isalpha((unsigned char)s[0]))
		return 0;
	while (k < n && k < ANNOTE_LABEL_MAX && s[k] != ':') {
		if (!strchr(annote_label_chars, s[k]))
			return 0;
		words += s[k] == ' ';
		k++;
	}
	if (k == n || s[k] != ':' || s[k - 1] == ' ' ||
	    words > ANNOTE_LABEL_WORDS || k + 2 >= n || s[k + 1] != ' ' ||
	    isspace((unsigned char)s[k + 2]))
		return 0;
	int depth = 0;
	for (size_t i = k; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		else if (s[i] == '{')
			depth++;
		else if (s[i] == '}' && --depth < 0)
			return 0;
	}
	return depth == 0 ? k : 0;
}

/* One line of an annote, raw: the line at *p (up to a new line), trimmed,
 * in *s and *n; *p moves past it. */
static void next_line(const char **p, const char **s, size_t *n)
{
	*s = *p;
	*n = strcspn(*p, "\n");
	*p += *n + ((*p)[*n] == '\n');
	while (*n && isspace((unsigned char)**s))
		(*s)++, (*n)--;
	while (*n && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* A "Label: value" line of an annote: the member it names when the
 * writers put that member there and it is still empty, else an extra
 * field of that label. */
static int annote_item(pb_record *rec, const char *label, const char *val)
{
	pb_venue *v = &rec->venue;
	for (size_t i = 0; i < sizeof annote_labels / sizeof annote_labels[0];
	     i++) {
		const struct annote_label *l = &annote_labels[i];
		if (strcmp(l->label, label) != 0)
			continue;
		if (l->field == PB_F_COUNT && !v->name && !v->short_name)
			return pb_read_event(rec, val);
		if (l->field != PB_F_COUNT && !pb_record_get(rec, l->field) &&
		    (!l->url || strstr(val, "://")))
			return pb_record_set(rec, l->field, val);
		break;
	}
	return pb_record_add_extra(rec, label, val);
}

/* annote and annotation: the annotation, and then the lines the writers
 * add for what had no field ("Track: Talk", "background: ..."). BibTeX
 * takes a new line inside a value as a space, and so does the decoder,
 * so the raw value is split at its lines: those at its end that are all
 * "Label: value" lines are read one by one, and whatever comes before
 * them is the annotation, kept as the extra field it came from. */
static int read_annote(bstate *st, pb_record *rec, const raw_field *f)
{
	const char *p = f->value, *s;
	size_t n, lines = 0, labelled = 0;
	while (*p) {
		next_line(&p, &s, &n);
		if (n == 0)
			continue;
		lines++;
		labelled = annote_label_len(s, n) ? labelled + 1 : 0;
	}
	pb_buf label = PB_BUF_INIT;
	int rc = PB_OK;
	size_t i = 0;
	const char *items = f->value;
	/* the annotation: the lines before the labelled ones */
	for (p = f->value; *p && i < lines - labelled; items = p) {
		next_line(&p, &s, &n);
		i += n > 0;
	}
	if (items > f->value) {
		pb_buf_reset(&st->tmp);
		rc = pb_latex_decode(&st->tmp, f->value, (size_t)(items - f->value));
		if (rc == PB_OK && st->tmp.len)
			rc = pb_record_add_extra(rec, f->name, st->tmp.data);
	}
	for (p = items; *p && rc == PB_OK;) {
		next_line(&p, &s, &n);
		size_t k = n ? annote_label_len(s, n) : 0;
		if (!k)
			continue;
		pb_buf_reset(&label);
		pb_buf_reset(&st->tmp);
		if (pb_buf_append(&label, s, k) || !pb_buf_cstr(&label) ||
		    pb_latex_decode(&st->tmp, s + k + 2, n - k - 2)) {
			rc = PB_ENOMEM;
			break;
		}
		if (st->tmp.len)
			rc = annote_item(rec, label.data, st->tmp.data);
	}
	pb_buf_free(&label);
	return rc;
}

/* Builds rec from the fields collected for the entry. */
static int build(pb_reader *r, bstate *st, const char *type, pb_record *rec)
{
	pb_venue *v = &rec->venue;
	int rc = PB_OK;
	const char *event = NULL, *year = NULL, *date = NULL;
	int month = 0;
	long day = 0;
	rec->type = PB_TYPE_MISC;
	size_t t;
	for (t = 0; t < sizeof bib_types / sizeof bib_types[0]; t++)
		if (strcmp(bib_types[t].name, type) == 0) {
			rec->type = bib_types[t].type;
			break;
		}
	if (t == sizeof bib_types / sizeof bib_types[0])
		pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, st->entry_line, 0,
		              "entry '%s': unknown entry type '@%s', read as misc",
		              st->key.data, type);
	if ((st->key.len && pb_read_key_ok(st->key.data) &&
	     pb_record_set(rec, PB_F_KEY, st->key.data)) ||
	    pb_record_set(rec, PB_F_FILE, r->name))
		return PB_ENOMEM;
	rec->line = st->entry_line;
	for (size_t i = 0; i < st->n_fields && rc == PB_OK; i++) {
		const raw_field *f = &st->fields[i];
		const struct bib_field *spec = field_spec(f->name);
		if (spec && spec->kind == B_SKIP)
			continue;
		if (spec && spec->kind == B_AUTHORS) {
			rc = add_names(r, st, rec, f->value, f->line);
			continue;
		}
		if (spec && spec->kind == B_ANNOTE) {
			rc = read_annote(st, rec, f);
			continue;
		}
		if ((rc = (spec && spec->kind == B_URL)
		              ? (pb_buf_reset(&st->tmp),
		                 pb_latex_decode_url(&st->tmp, f->value,
		                                     strlen(f->value)))
		              : decode(st, f->value)))
			break;
		const char *val = st->tmp.data;
		if (!*val)
			continue;
		if (!spec) {
			rc = pb_record_add_extra(rec, f->name, val);
			continue;
		}
		switch (spec->kind) {
		case B_TEXT:
			if (!pb_record_get(rec, spec->field))
				rc = pb_record_set(rec, spec->field, val);
			break;
		case B_CONTAINER:
			if (!v->name)
				rc = pb_record_set(rec, PB_F_VENUE_NAME, val);
			break;
		case B_EVENT:
			event = event ? event : f->value;
			break;
		case B_SERIES:
			if (event_like(val))
				event = event ? event : f->value;
			else
				rc = pb_record_add_extra(rec, f->name, val);
			break;
		case B_YEAR:
			year = year ? year : f->value;
			break;
		case B_MONTH:
			month = pb_read_month(val);
			break;
		case B_DAY:
			day = strtol(val, NULL, 10);
			break;
		case B_DATE:
			date = date ? date : f->value;
			break;
		case B_URL:
			if (!rec->url)
				rc = pb_record_set(rec, PB_F_URL, val);
			else if (!rec->pdf_url && looks_like_pdf(val))
				rc = pb_record_set(rec, PB_F_PDF_URL, val);
			else
				rc = pb_record_add_extra(rec, "url", val);
			break;
		case B_NOTE:
			rc = pb_read_note(rec, val);
			break;
		case B_KEYWORDS:
			rc = pb_read_keywords(rec, val);
			break;
		case B_AUTHORS:
		case B_ANNOTE:
		case B_SKIP:
			break;
		}
	}
	/* date wins over year, month and day */
	if (rc == PB_OK && date && (rc = decode(st, date)) == PB_OK) {
		int k = pb_read_date(rec, st->tmp.data);
		if (k < 0)
			rc = k;
		else if (k == 0)
			pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name,
			              st->entry_line, 0,
			              "entry '%s': date '%s' is not YYYY-MM-DD",
			              st->key.data, st->tmp.data);
	}
	if (rc == PB_OK && year && !v->year &&
	    (rc = decode(st, year)) == PB_OK) {
		char *end;
		long y = strtol(st->tmp.data, &end, 10);
		int k = *end == '\0' && end != st->tmp.data
		            ? pb_read_date_parts(rec, y, month, day)
		            : 0;
		if (k < 0)
			rc = k;
		else if (k == 0)
			rc = pb_record_set(rec, PB_F_VENUE_YEAR, st->tmp.data);
	}
	if (rc == PB_OK && event && (rc = decode(st, event)) == PB_OK)
		rc = pb_read_event(rec, st->tmp.data);
	if (rc == PB_OK && !rec->title)
		pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, st->entry_line, 0,
		              "entry '%s' has no title", st->key.data);
	return rc;
}

/* ---- the reader --------------------------------------------------------- */

/* Reads one @-item after the '@'. Returns PB_OK with *got set when rec
 * holds an entry, PB_OK without for items that give no record, or
 * PB_ENOMEM. Problems are reported and the item skipped. */
static int read_item(pb_reader *r, bstate *st, pb_record *rec, int *got)
{
	*got = 0;
	st->entry_line = st->lineno;
	pb_buf_reset(&st->key);
	clear_fields(st);
	skip_space(r, st);
	if (read_ident(r, st))
		return PB_ENOMEM;
	char type[32];
	snprintf(type, sizeof type, "%s", st->ident.data);
	skip_space(r, st);
	int open = peekc(r, st);
	if (type[0] == '\0' || (open != '{' && open != '(')) {
		/* "@" in text between entries: BibTeX skips it too */
		return PB_OK;
	}
	advance(st);
	int close = open == '{' ? '}' : ')';
	fail f;
	if (strcmp(type, "comment") == 0 || strcmp(type, "preamble") == 0) {
		f = skip_group(r, st, close);
		if (f)
			pb_diag_emitf(r->diag, PB_DIAG_ERROR, r->name, st->entry_line, 0,
			              "@%s: %s (line %lu); skipped", type, f,
			              st->lineno);
	} else if (strcmp(type, "string") == 0) {
		f = read_string(r, st, close);
	} else {
		f = read_key(r, st, close);
		if (!f && peekc(r, st) != close)
			f = read_fields(r, st, close);
		else if (!f)
			advance(st);
		if (!f) {
			int rc = build(r, st, type, rec);
			if (rc)
				return rc;
			*got = 1;
		}
	}
	if (f && strcmp(f, "out of memory") == 0)
		return PB_ENOMEM;
	if (f && strcmp(type, "comment") != 0 && strcmp(type, "preamble") != 0)
		pb_diag_emitf(r->diag, PB_DIAG_ERROR, r->name, st->entry_line, 0,
		              "entry '%s' (@%s): %s at line %lu; entry skipped",
		              pb_buf_cstr(&st->key), type, f, st->lineno);
	if (f)
		resync(r, st);
	return PB_OK;
}

static int bibtex_next(pb_reader *r, pb_record *out)
{
	bstate *st = r->state;
	for (;;) {
		int c = peekc(r, st);
		if (c < 0)
			return st->err ? st->err : PB_EOF;
		/* between entries everything but '@' is ignored */
		const char *at = st->pos < st->len
		                     ? memchr(st->line + st->pos, '@',
		                              st->len - st->pos)
		                     : NULL;
		if (!at) {
			st->have = 0;
			continue;
		}
		st->pos = (size_t)(at - st->line) + 1;
		int got;
		int rc = read_item(r, st, out, &got);
		if (rc)
			return rc;
		if (got)
			return PB_OK;
		pb_record_reset(out);
	}
}

static int bibtex_open(pb_reader *r)
{
	bstate *st = calloc(1, sizeof *st);
	if (!st)
		return PB_ENOMEM;
	r->state = st;
	return PB_OK;
}

static void bibtex_free(pb_reader *r)
{
	bstate *st = r->state;
	if (!st)
		return;
	clear_fields(st);
	free(st->fields);
	for (size_t i = 0; i < st->n_macros; i++) {
		free(st->macros[i].name);
		free(st->macros[i].value);
	}
	free(st->macros);
	pb_buf_free(&st->key);
	pb_buf_free(&st->ident);
	pb_buf_free(&st->value);
	pb_buf_free(&st->tmp);
	free(st);
	r->state = NULL;
}

/* "@type{" at the start of a line: certain for a known type. */
static int bibtex_probe(const char *head, size_t len)
{
	int best = 0;
	const char *p = head, *end = head + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		while (p < e && isspace((unsigned char)*p))
			p++;
		if (p < e && *p == '@') {
			const char *q = ++p;
			while (q < e && isalpha((unsigned char)*q))
				q++;
			size_t n = (size_t)(q - p);
			while (q < e && isspace((unsigned char)*q))
				q++;
			if (n && q < e && (*q == '{' || *q == '(')) {
				best = 70;
				for (size_t i = 0; i < sizeof bib_types / sizeof bib_types[0];
				     i++)
					if (strlen(bib_types[i].name) == n &&
					    strncasecmp(bib_types[i].name, p, n) == 0)
						return 95;
				if ((n == 6 && strncasecmp(p, "string", 6) == 0) ||
				    (n == 7 && strncasecmp(p, "comment", 7) == 0) ||
				    (n == 8 && strncasecmp(p, "preamble", 8) == 0))
					return 95;
			}
		}
		p = nl ? nl + 1 : end;
	}
	return best;
}

const pb_input_format pb_bibtex_input = {
	.name = "bibtex",
	.origin = PB_ORIGIN_BIBTEX,
	.extensions = "bib|bibtex|biblatex",
	.description = "BibTeX and BibLaTeX: @string, # concatenation, LaTeX "
	               "accents back to Unicode",
	.probe = bibtex_probe,
	.open = bibtex_open,
	.next = bibtex_next,
	.free = bibtex_free,
};
