/* CSL-JSON reader: an array of CSL items (csl-data.json), as paperbib's
 * writer, pandoc, citeproc-js, Zotero and Better BibTeX write them; a
 * single item object is taken too. The whole document is parsed with
 * jansson, then one item becomes one record per call. Variables go where
 * the table below says; names keep their particles and literals; dates
 * come from date-parts, raw, literal or an EDTF string. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "paperbib/paperbib.h"
#include "readutil.h"

/* CSL types with no pb_type of their own name (pb_type_from_name knows
 * paper-conference, article-journal, book, chapter, report, thesis). */
static const struct csl_type {
	const char *name;
	pb_type type;
} csl_types[] = {
	{"article", PB_TYPE_ARTICLE},
	{"article-magazine", PB_TYPE_ARTICLE},
	{"article-newspaper", PB_TYPE_ARTICLE},
	{"periodical", PB_TYPE_ARTICLE},
	{"entry-encyclopedia", PB_TYPE_CHAPTER},
	{"entry-dictionary", PB_TYPE_CHAPTER},
	{"classic", PB_TYPE_BOOK},
};

/* What a variable becomes. */
enum csl_kind {
	C_FIELD,    /* a string field; number values as text */
	C_KEY,      /* citation-key, else id when it can be a key */
	C_TYPE,     /* type */
	C_AUTHORS,  /* author: name objects */
	C_EVENT,    /* event-title (event in CSL 1.0.1): name, short, year */
	C_PLACE,    /* publisher-place: the location when event-place is absent */
	C_ISSUED,   /* issued: a date object or string */
	C_KEYWORDS, /* keyword: "a, b" (or an array of strings) */
	C_NOTE,     /* note: "Code: URL" lines and the rest */
	C_EXTRA,    /* kept as an extra field, under label */
	C_SKIP      /* id, when citation-key is there: see C_KEY */
};

/* Variables by name. Variables not listed are kept as extra fields under
 * their own name when their value is a string or a number. */
static const struct csl_var {
	const char *name;
	enum csl_kind kind;
	pb_field field;    /* C_FIELD */
	const char *label; /* C_EXTRA */
} csl_vars[] = {
	{"id", C_KEY, PB_F_COUNT, NULL},
	{"citation-key", C_KEY, PB_F_COUNT, NULL},
	{"type", C_TYPE, PB_F_COUNT, NULL},
	{"title", C_FIELD, PB_F_TITLE, NULL},
	{"author", C_AUTHORS, PB_F_COUNT, NULL},
	{"container-title", C_FIELD, PB_F_VENUE_NAME, NULL},
	{"container-title-short", C_FIELD, PB_F_VENUE_SHORT, NULL},
	{"event-title", C_EVENT, PB_F_COUNT, NULL},
	{"event", C_EVENT, PB_F_COUNT, NULL},
	{"event-place", C_FIELD, PB_F_VENUE_LOCATION, NULL},
	{"publisher-place", C_PLACE, PB_F_COUNT, NULL},
	{"publisher", C_FIELD, PB_F_VENUE_PUBLISHER, NULL},
	{"issued", C_ISSUED, PB_F_COUNT, NULL},
	{"URL", C_FIELD, PB_F_URL, NULL},
	{"abstract", C_FIELD, PB_F_ABSTRACT, NULL},
	{"keyword", C_KEYWORDS, PB_F_COUNT, NULL},
	{"note", C_NOTE, PB_F_COUNT, NULL},
	{"DOI", C_EXTRA, PB_F_COUNT, "DOI"},
	{"page", C_EXTRA, PB_F_COUNT, "pages"},
	{"volume", C_EXTRA, PB_F_COUNT, "volume"},
	{"issue", C_EXTRA, PB_F_COUNT, "issue"},
	{"ISBN", C_EXTRA, PB_F_COUNT, "ISBN"},
	{"ISSN", C_EXTRA, PB_F_COUNT, "ISSN"},
	{"editor", C_SKIP, PB_F_COUNT, NULL},
	{"accessed", C_SKIP, PB_F_COUNT, NULL},
	{"source", C_SKIP, PB_F_COUNT, NULL},
};

/* Read the input in pieces of this size. */
#define CHUNK 65536

typedef struct cstate {
	json_t *root;
	size_t index, count;
	unsigned long *lines; /* first line of each array element */
	pb_buf tmp;
} cstate;

static const struct csl_var *var_spec(const char *name)
{
	for (size_t i = 0; i < sizeof csl_vars / sizeof csl_vars[0]; i++)
		if (strcmp(csl_vars[i].name, name) == 0)
			return &csl_vars[i];
	return NULL;
}

/* A string or number value as text in st->tmp; NULL for other types or
 * an empty string. */
static const char *text_of(cstate *st, const json_t *v)
{
	pb_buf_reset(&st->tmp);
	int rc = PB_OK;
	if (json_is_string(v))
		rc = pb_buf_append(&st->tmp, json_string_value(v),
		                   json_string_length(v));
	else if (json_is_integer(v))
		rc = pb_buf_printf(&st->tmp, "%lld",
		                   (long long)json_integer_value(v));
	else if (json_is_real(v))
		rc = pb_buf_printf(&st->tmp, "%g", json_real_value(v));
	else
		return NULL;
	if (rc || !pb_buf_cstr(&st->tmp) || !st->tmp.len)
		return NULL;
	return st->tmp.data;
}

/* The string member name of o, or NULL when absent or empty. */
static const char *member(const json_t *o, const char *name)
{
	const json_t *v = json_object_get(o, name);
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;
	return s && *s ? s : NULL;
}

/* One name object: family with its particles in front (as the model keeps
 * it), given, suffix, or a literal. */
static int add_name(pb_reader *r, pb_record *rec, const json_t *o,
                    unsigned long line)
{
	if (!json_is_object(o)) {
		pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, line, 0,
		              "an author is not a name object; skipped");
		return PB_OK;
	}
	const char *literal = member(o, "literal");
	const char *family = member(o, "family");
	const char *given = member(o, "given");
	const char *ndp = member(o, "non-dropping-particle");
	const char *dp = member(o, "dropping-particle");
	const char *suffix = member(o, "suffix");
	pb_name n;
	pb_name_init(&n);
	pb_buf particle = PB_BUF_INIT, fam = PB_BUF_INIT;
	int rc = PB_OK;
	if (literal || (!family && !given)) {
		if (!literal) {
			pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, line, 0,
			              "an author has no family, given or literal "
			              "name; skipped");
			return PB_OK;
		}
		n.literal = (char *)literal;
	} else {
		if ((dp && pb_buf_puts(&particle, dp)) ||
		    (ndp && ((particle.len && pb_buf_putc(&particle, ' ')) ||
		             pb_buf_puts(&particle, ndp))))
			rc = PB_ENOMEM;
		size_t plen = particle.len;
		/* a family that already starts with its particle keeps it once */
		int has = family && plen && strncmp(family, particle.data, plen) == 0 &&
		          family[plen] == ' ';
		if (rc == PB_OK && family &&
		    ((plen && !has &&
		      (pb_buf_puts(&fam, particle.data) || pb_buf_putc(&fam, ' '))) ||
		     pb_buf_puts(&fam, family)))
			rc = PB_ENOMEM;
		if (fam.len)
			n.family = fam.data;
		if (plen && family)
			n.particle = particle.data;
		n.given = (char *)given;
		n.suffix = (char *)suffix;
	}
	/* n borrows its parts: the record copies them */
	if (rc == PB_OK)
		rc = pb_record_add_author(rec, &n);
	pb_buf_free(&particle);
	pb_buf_free(&fam);
	return rc;
}

/* issued: {"date-parts": [[Y, M, D]]} (numbers or numeric strings),
 * {"raw": "..."}, {"literal": "..."}, or an EDTF string. */
static int read_issued(pb_reader *r, cstate *st, pb_record *rec,
                       const json_t *v, unsigned long line)
{
	const char *s = NULL;
	if (json_is_string(v)) {
		s = json_string_value(v);
	} else if (json_is_object(v)) {
		const json_t *dp = json_array_get(json_object_get(v, "date-parts"), 0);
		if (json_is_array(dp) && json_array_size(dp) > 0) {
			long part[3] = {0, 0, 0};
			for (size_t i = 0; i < 3 && i < json_array_size(dp); i++) {
				const char *t = text_of(st, json_array_get(dp, i));
				part[i] = t ? strtol(t, NULL, 10) : 0;
			}
			int k = pb_read_date_parts(rec, part[0], part[1], part[2]);
			if (k != 0)
				return k < 0 ? k : PB_OK;
		}
		s = member(v, "raw");
		if (!s)
			s = member(v, "literal");
	}
	if (!s)
		return PB_OK;
	int k = pb_read_date(rec, s);
	if (k < 0)
		return k;
	if (k == 0) {
		/* "Spring 2020", "in press": kept as the year's text */
		if (!rec->venue.year && pb_record_set(rec, PB_F_VENUE_YEAR, s))
			return PB_ENOMEM;
		pb_diag_emitf(r->diag, PB_DIAG_NOTE, r->name, line, 0,
		              "issued '%s' is not a date; kept as text", s);
	}
	return PB_OK;
}

/* Builds rec from one item. */
static int build(pb_reader *r, cstate *st, const json_t *item,
                 unsigned long line, pb_record *rec)
{
	const char *key;
	json_t *v;
	const char *event = NULL, *place = NULL;
	int rc = PB_OK;
	rec->line = line;
	rec->type = PB_TYPE_MISC;
	if (pb_record_set(rec, PB_F_FILE, r->name))
		return PB_ENOMEM;
	/* citation-key before id, whatever their order */
	const char *ck = member(item, "citation-key");
	const char *id = text_of(st, json_object_get(item, "id"));
	if (!ck && pb_read_key_ok(id))
		ck = id;
	if (ck && pb_read_key_ok(ck) && pb_record_set(rec, PB_F_KEY, ck))
		return PB_ENOMEM;
	json_object_foreach((json_t *)item, key, v) {
		const struct csl_var *spec = var_spec(key);
		const char *text;
		if (rc != PB_OK)
			break;
		if (!spec) {
			if ((text = text_of(st, v)))
				rc = pb_record_add_extra(rec, key, text);
			continue;
		}
		switch (spec->kind) {
		case C_FIELD:
			if ((text = text_of(st, v)))
				rc = pb_record_set(rec, spec->field, text);
			break;
		case C_TYPE:
			if ((text = text_of(st, v)) &&
			    pb_type_from_name(text, &rec->type) != PB_OK)
				for (size_t i = 0; i < sizeof csl_types / sizeof csl_types[0];
				     i++)
					if (strcmp(csl_types[i].name, text) == 0)
						rec->type = csl_types[i].type;
			break;
		case C_AUTHORS:
			if (!json_is_array(v)) {
				pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, line, 0,
				              "'author' is not an array; skipped");
				break;
			}
			for (size_t i = 0; i < json_array_size(v) && rc == PB_OK; i++)
				rc = add_name(r, rec, json_array_get(v, i), line);
			break;
		case C_EVENT:
			event = json_is_string(v) ? json_string_value(v) : event;
			break;
		case C_PLACE:
			place = json_is_string(v) ? json_string_value(v) : place;
			break;
		case C_ISSUED:
			rc = read_issued(r, st, rec, v, line);
			break;
		case C_KEYWORDS:
			if (json_is_array(v)) {
				for (size_t i = 0; i < json_array_size(v) && rc == PB_OK; i++)
					if ((text = text_of(st, json_array_get(v, i))))
						rc = pb_record_add_keyword(rec, text);
			} else if ((text = text_of(st, v))) {
				rc = pb_read_keywords(rec, text);
			}
			break;
		case C_NOTE:
			if ((text = text_of(st, v)))
				rc = pb_read_note(rec, text);
			break;
		case C_EXTRA:
			if ((text = text_of(st, v)))
				rc = pb_record_add_extra(rec, spec->label, text);
			break;
		case C_KEY:
		case C_SKIP:
			break;
		}
	}
	if (rc == PB_OK && place && *place && !rec->venue.location)
		rc = pb_record_set(rec, PB_F_VENUE_LOCATION, place);
	if (rc == PB_OK && event)
		rc = pb_read_event(rec, event);
	if (rc == PB_OK && !rec->title)
		pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, line, 0,
		              "item has no title");
	return rc;
}

/* The first line of each element of the top-level array, found by a scan
 * that knows strings and nesting. */
static int element_lines(cstate *st, const char *s, size_t n)
{
	size_t cap = 0;
	unsigned long line = 1;
	int depth = 0, in_str = 0, want = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\n')
			line++;
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (depth == 1 && want && c != ' ' && c != '\t' && c != '\n' &&
		    c != '\r' && c != ']') {
			if (st->count == cap) {
				cap = cap ? cap * 2 : 64;
				unsigned long *l = realloc(st->lines, cap * sizeof *l);
				if (!l)
					return PB_ENOMEM;
				st->lines = l;
			}
			st->lines[st->count++] = line;
			want = 0;
		}
		if (c == '"')
			in_str = 1;
		else if (c == '[' || c == '{')
			want = ++depth == 1 && c == '[';
		else if (c == ']' || c == '}')
			depth--;
		else if (c == ',' && depth == 1)
			want = 1;
	}
	return PB_OK;
}

static int csljson_open(pb_reader *r)
{
	cstate *st = calloc(1, sizeof *st);
	if (!st)
		return PB_ENOMEM;
	r->state = st;
	pb_buf doc = PB_BUF_INIT;
	int rc = PB_OK;
	for (;;) {
		if (pb_buf_reserve(&doc, CHUNK)) {
			rc = PB_ENOMEM;
			break;
		}
		size_t got = pb_lines_read(r->lines, doc.data + doc.len, CHUNK);
		if (got == 0)
			break;
		doc.len += got;
	}
	if (rc == PB_OK && (rc = pb_lines_error(r->lines)) == PB_OK) {
		json_error_t err;
		st->root = json_loadb(doc.data ? doc.data : "", doc.len,
		                      JSON_ALLOW_NUL, &err);
		if (!st->root) {
			pb_diag_emitf(r->diag, PB_DIAG_ERROR, r->name,
			              err.line > 0 ? (unsigned long)err.line : 0,
			              err.column > 0 ? (unsigned long)err.column : 0,
			              "not valid JSON: %s", err.text);
		} else if (json_is_array(st->root)) {
			st->count = 0;
			/* an array parsed, so the document is not empty */
			rc = doc.data ? element_lines(st, doc.data, doc.len) : PB_OK;
			st->count = json_array_size(st->root);
		} else { /* without JSON_DECODE_ANY, an object */
			st->count = 1;
		}
	}
	pb_buf_free(&doc);
	return rc;
}

static int csljson_next(pb_reader *r, pb_record *out)
{
	cstate *st = r->state;
	while (st->root && st->index < st->count) {
		size_t i = st->index++;
		const json_t *item =
		    json_is_array(st->root) ? json_array_get(st->root, i) : st->root;
		unsigned long line = st->lines ? st->lines[i] : 1;
		if (!json_is_object(item)) {
			pb_diag_emitf(r->diag, PB_DIAG_ERROR, r->name, line, 0,
			              "item %zu is not an object; skipped", i + 1);
			continue;
		}
		return build(r, st, item, line, out);
	}
	return PB_EOF;
}

static void csljson_free(pb_reader *r)
{
	cstate *st = r->state;
	if (!st)
		return;
	json_decref(st->root);
	free(st->lines);
	pb_buf_free(&st->tmp);
	free(st);
	r->state = NULL;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A JSON array of objects: "[" then "{" first. */
static int csljson_probe(const char *head, size_t len)
{
	size_t i = 0;
	while (i < len && is_ws(head[i]))
		i++;
	if (i >= len || (head[i] != '[' && head[i] != '{'))
		return 0;
	int array = head[i] == '[';
	for (i++; i < len && is_ws(head[i]); i++)
		;
	if (i >= len)
		return array ? 60 : 20;
	if (array && head[i] == ']')
		return 80;
	if (array && head[i] == '{')
		return 90;
	return !array && head[i] == '"' ? 60 : 0;
}

const pb_input_format pb_csljson_input = {
	.name = "csl-json",
	.origin = PB_ORIGIN_CSLJSON,
	.extensions = "json|csljson",
	.description = "CSL-JSON (pandoc, citeproc-js, Zotero, Better BibTeX)",
	.probe = csljson_probe,
	.open = csljson_open,
	.next = csljson_next,
	.free = csljson_free,
};
