/* CSL-JSON reader: an array of CSL items (csl-data.json), as paperbib's
 * writer, pandoc, citeproc-js, Zotero and Better BibTeX write them; a
 * single item object is taken too.
 *
 * The reader streams: a small scanner walks the top-level array (it knows
 * strings, escapes and nesting, and counts lines and columns), cuts out
 * one element at a time and hands only that element to jansson. Memory
 * grows with the largest item, never with the document. A syntax error
 * between items is named as jansson names one; an error inside an item is
 * jansson's own, moved to the item's place in the file. Items before a
 * syntax error have been read by then; nothing after it is.
 *
 * Every CSL variable goes where pb_csl_vars (include/paperbib/csl.h) says:
 * members, vars (a JSON number keeps PB_VAR_NUMBER), names of every role,
 * dates in the text form of pb_date_format. The table below lists the
 * members read in a way of their own; a member CSL does not know is kept
 * as an extra field under its own name (an object or array as its JSON
 * text), which the CSL-JSON writer writes back. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "paperbib/csl.h"
#include "paperbib/paperbib.h"
#include "readutil.h"

/* What a member becomes when pb_csl_vars alone does not say. */
enum csl_kind {
	C_ID,       /* id: the citation key when it can be one */
	C_KEY,      /* citation-key */
	C_TYPE,     /* type: pb_type_from_name */
	C_ISSUED,   /* issued: pb_record_set_issued */
	C_KEYWORDS, /* keyword: "a, b" (or an array of strings) */
	C_NOTE      /* note: "Code: URL" lines and the rest (pb_read_note) */
};

static const struct csl_member {
	const char *name;
	enum csl_kind kind;
} csl_members[] = {
	{"id", C_ID},
	{"citation-key", C_KEY},
	{"type", C_TYPE},
	{"issued", C_ISSUED},
	{"keyword", C_KEYWORDS},
	{"note", C_NOTE},
};

/* The parts of a name object, in the pb_name member they fill. */
enum name_part { NP_GIVEN, NP_FAMILY, NP_NDP, NP_DP, NP_SUFFIX, NP_LITERAL,
	         NP_COUNT };
static const char *const name_parts[NP_COUNT] = {
	[NP_GIVEN] = "given",
	[NP_FAMILY] = "family",
	[NP_NDP] = "non-dropping-particle",
	[NP_DP] = "dropping-particle",
	[NP_SUFFIX] = "suffix",
	[NP_LITERAL] = "literal",
};

/* CSL's seasons as months of date-parts: 13-16 (citeproc-js) and 21-24
 * (EDTF), both read as seasons 1-4. */
static const struct season_months {
	int first, last;
} season_months[] = {{13, 16}, {21, 24}};

/* The extra field that keeps a role's name members no name part holds
 * (formats/csljson.c reads it back under the same name). */
#define NAME_MEMBERS "csl-name-members:"

/* Read the input in pieces of this size. */
#define CHUNK 65536
/* A document that is neither an array nor an object is given to jansson
 * for its message, up to this many bytes. */
#define BAD_DOC_MAX 4096
/* What jansson reads as one word when it names a token. */
static const char word_chars[] = "abcdefghijklmnopqrstuvwxyz"
                                 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.";
/* Years a date part may hold (pb_date_format writes up to 6 digits). */
#define YEAR_MAX 999999L

/* Where the scanner is in the document. */
enum scan_state {
	S_START,      /* before the document's first byte that is not space */
	S_FIRST,      /* after '[': an element or ']' */
	S_ELEMENT,    /* after ',': an element */
	S_AFTER,      /* after an element: ',' or ']' */
	S_END,        /* after the document: only space */
	S_DONE        /* the end, or an error */
};

typedef struct cstate {
	pb_buf in;          /* bytes of the document from in.data[0] on */
	size_t pos;         /* the scanner's position in in */
	int eof;            /* nothing more to read */
	int array;          /* the document is an array (else one object) */
	enum scan_state state;
	unsigned long line;       /* line of pos (1-based) */
	size_t line_start;        /* offset in in of the line's first byte */
	unsigned long line_chars; /* characters of the line before line_start
	                           * (when the buffer was cut inside it) */
	size_t index;             /* elements seen */
	pb_buf tmp;
} cstate;

/* ---- the scanner ------------------------------------------------------ */

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Reads more of the document into st->in: 1 when bytes came, 0 at the
 * end, PB_ENOMEM or PB_EIO. */
static int fill(pb_reader *r, cstate *st)
{
	if (st->eof)
		return 0;
	if (pb_buf_reserve(&st->in, CHUNK))
		return PB_ENOMEM;
	size_t got = pb_lines_read(r->lines, st->in.data + st->in.len, CHUNK);
	st->in.len += got;
	st->in.data[st->in.len] = '\0';
	if (got == 0) {
		st->eof = 1;
		int rc = pb_lines_error(r->lines);
		return rc ? rc : 0;
	}
	return 1;
}

/* Drops the bytes before pos, which the scanner is done with. */
static void compact(cstate *st)
{
	if (st->pos == 0)
		return;
	if (st->line_start <= st->pos) {
		/* count the characters of the line that are dropped, for the
		 * columns of the rest of it */
		for (size_t i = st->line_start; i < st->pos; i++)
			st->line_chars +=
			    ((unsigned char)st->in.data[i] & 0xC0) != 0x80;
		st->line_start = 0;
	} else {
		st->line_start -= st->pos;
	}
	memmove(st->in.data, st->in.data + st->pos, st->in.len - st->pos);
	st->in.len -= st->pos;
	st->in.data[st->in.len] = '\0';
	st->pos = 0;
}

/* The column (in characters, as jansson counts) of the byte at offset
 * at of the current line, 1-based; past the end, the column of the last
 * character read (0 after a line end). */
static unsigned long column(const cstate *st, size_t at)
{
	unsigned long c = st->line_chars;
	size_t stop = at < st->in.len ? at + 1 : st->in.len;
	for (size_t i = st->line_start; i < stop; i++)
		c += ((unsigned char)st->in.data[i] & 0xC0) != 0x80;
	return c;
}

/* Moves pos by one byte, counting a line end. */
static void advance(cstate *st)
{
	if (st->in.data[st->pos++] == '\n') {
		st->line++;
		st->line_start = st->pos;
		st->line_chars = 0;
	}
}

/* Skips space: the next byte's value, or -1 at the end (or an error in
 * *rc). */
static int next_byte(pb_reader *r, cstate *st, int *rc)
{
	for (;;) {
		while (st->pos < st->in.len && is_ws(st->in.data[st->pos]))
			advance(st);
		if (st->pos < st->in.len)
			return (unsigned char)st->in.data[st->pos];
		compact(st);
		int k = fill(r, st);
		if (k <= 0) {
			*rc = k;
			return -1;
		}
	}
}

/* A syntax error at the top level, in jansson's words: "WHAT near 'TOKEN'"
 * at the column of the token's last character, or "near end of file". */
static void top_error(pb_reader *r, cstate *st, const char *what)
{
	st->state = S_DONE;
	if (st->pos >= st->in.len) {
		pb_diag_emitf(r->diag, PB_DIAG_ERROR, r->name, st->line,
		              column(st, st->in.len),
		              "not valid JSON: %s near end of file", what);
		return;
	}
	/* a token: a string, a word, or one character */
	size_t e = st->pos;
	const char *s = st->in.data;
	if (s[e] == '"') {
		for (e++; e < st->in.len && s[e] != '"'; e++)
			if (s[e] == '\\' && e + 1 < st->in.len)
				e++;
		if (e < st->in.len)
			e++;
	} else {
		while (e < st->in.len && s[e] && strchr(word_chars, s[e]))
			e++;
	}
	if (e == st->pos) {
		e++; /* one character */
		while (e < st->in.len && ((unsigned char)s[e] & 0xC0) == 0x80)
			e++;
	}
	pb_diag_emitf(r->diag, PB_DIAG_ERROR, r->name, st->line,
	              column(st, e - 1), "not valid JSON: %s near '%.*s'", what,
	              (int)(e - st->pos), s + st->pos);
}

/* Scans the element that starts at pos to its end: *end is its end in
 * st->in (the data may move: offsets only). A string, a container (up to
 * its closing bracket) or a scalar word. PB_OK (also when the document
 * ends inside it: jansson names that), PB_ENOMEM or PB_EIO. */
static int scan_element(pb_reader *r, cstate *st, size_t *end)
{
	size_t i = st->pos;
	int depth = 0, in_str = 0, started = 0;
	char first = st->in.data[i];
	for (;;) {
		const char *s = st->in.data;
		size_t n = st->in.len;
		while (i < n) {
			char c = s[i];
			if (in_str) {
				/* the run of plain string bytes, fast */
				while (i < n && s[i] != '"' && s[i] != '\\' && s[i] != '\n')
					i++;
				if (i >= n)
					break;
				c = s[i];
				if (c == '\\') {
					if (i + 1 >= n)
						break; /* the escaped byte is not read yet */
					i += 2;
					continue;
				}
				if (c == '"') {
					in_str = 0;
					i++;
					if (first == '"') {
						*end = i;
						return PB_OK;
					}
					continue;
				}
				/* a line end in a string: jansson refuses it */
			}
			if (c == '\n') {
				if (!in_str && !depth && started) {
					*end = i;
					return PB_OK;
				}
				st->line++;
				st->line_start = i + 1;
				st->line_chars = 0;
				i++;
				continue;
			}
			if (c == '"') {
				if (!depth && started && first != '"') {
					*end = i;
					return PB_OK;
				}
				in_str = 1;
			} else if (c == '[' || c == '{') {
				if (!depth && started) {
					*end = i;
					return PB_OK;
				}
				depth++;
			} else if (c == ']' || c == '}') {
				if (!depth) {
					*end = i; /* the end of a scalar (or nothing) */
					return PB_OK;
				}
				if (--depth == 0) {
					*end = i + 1;
					return PB_OK;
				}
			} else if (!depth && (c == ',' || is_ws(c)) && started) {
				*end = i;
				return PB_OK;
			}
			started = 1;
			i++;
		}
		/* more input, keeping the element from pos */
		size_t off = i - st->pos;
		compact(st);
		int k = fill(r, st);
		if (k < 0)
			return k;
		i = st->pos + off;
		if (k == 0) {
			*end = st->in.len;
			return PB_OK;
		}
	}
}

/* jansson's error in an element that starts at line, column col. */
static void element_error(pb_reader *r, cstate *st, const json_error_t *err,
                          unsigned long line, unsigned long col)
{
	unsigned long l = err->line > 0 ? line + (unsigned long)err->line - 1 : 0;
	unsigned long c = err->column > 0 ? (unsigned long)err->column : 0;
	if (err->line == 1 && col > 0)
		c += col - 1;
	st->state = S_DONE;
	pb_diag_emitf(r->diag, PB_DIAG_ERROR, r->name, l, c,
	              "not valid JSON: %s", err->text);
}

/* ---- values ----------------------------------------------------------- */

/* A string or number value as text in st->tmp; NULL for other types or
 * an empty string. A real is written in the fewest digits that read back
 * as the same number. */
static const char *text_of(cstate *st, const json_t *v)
{
	pb_buf_reset(&st->tmp);
	int rc = PB_OK;
	if (json_is_string(v)) {
		rc = pb_buf_append(&st->tmp, json_string_value(v),
		                   json_string_length(v));
	} else if (json_is_integer(v)) {
		rc = pb_buf_printf(&st->tmp, "%lld",
		                   (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		double d = json_real_value(v);
		for (int prec = 1; prec <= 17; prec++) {
			pb_buf_reset(&st->tmp);
			if ((rc = pb_buf_printf(&st->tmp, "%.*g", prec, d)) ||
			    strtod(st->tmp.data, NULL) == d)
				break;
		}
	} else {
		return NULL;
	}
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

/* One name object in role (author or another role): the non-dropping
 * particle in front of family (as the model keeps it) and in particle,
 * the dropping particle apart, given, suffix, or a literal. 1 when the
 * name was added, 0 when skipped, PB_ENOMEM. */
static int add_name(pb_reader *r, pb_record *rec, const char *role,
                    const json_t *o, unsigned long line)
{
	if (!json_is_object(o)) {
		pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, line, 0,
		              "a name in '%s' is not a name object; skipped", role);
		return PB_OK;
	}
	const char *p[NP_COUNT];
	for (int i = 0; i < NP_COUNT; i++)
		p[i] = member(o, name_parts[i]);
	pb_name n;
	pb_name_init(&n);
	pb_buf fam = PB_BUF_INIT;
	int rc = PB_OK;
	if (p[NP_LITERAL] || (!p[NP_FAMILY] && !p[NP_GIVEN])) {
		if (!p[NP_LITERAL]) {
			pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, line, 0,
			              "a name in '%s' has no family, given or literal "
			              "name; skipped", role);
			return PB_OK;
		}
		n.literal = (char *)p[NP_LITERAL];
	} else {
		const char *ndp = p[NP_NDP], *family = p[NP_FAMILY];
		size_t plen = ndp ? strlen(ndp) : 0;
		/* a family that already starts with its particle keeps it once */
		int has = family && plen && strncmp(family, ndp, plen) == 0 &&
		          family[plen] == ' ';
		if (family && plen && !has &&
		    (pb_buf_puts(&fam, ndp) || pb_buf_putc(&fam, ' ')))
			rc = PB_ENOMEM;
		if (rc == PB_OK && family && pb_buf_puts(&fam, family))
			rc = PB_ENOMEM;
		if (fam.len)
			n.family = fam.data;
		if (plen && family)
			n.particle = (char *)ndp;
		n.given = (char *)p[NP_GIVEN];
		n.suffix = (char *)p[NP_SUFFIX];
		n.dropping = (char *)p[NP_DP];
	}
	/* n borrows its parts: the record copies them */
	if (rc == PB_OK)
		rc = strcmp(role, "author") == 0 ? pb_record_add_author(rec, &n)
		                                 : pb_record_add_person(rec, role, &n);
	pb_buf_free(&fam);
	return rc == PB_EUSAGE ? 0 : rc == PB_OK ? 1 : rc;
}

/* Whether key is one of name_parts. */
static int name_part_key(const char *key)
{
	for (int i = 0; i < NP_COUNT; i++)
		if (strcmp(name_parts[i], key) == 0)
			return 1;
	return 0;
}

/* The names of a role, and the members of its name objects that a name
 * has no part for ("static-ordering", "comma-suffix", "parse-names"):
 * those are kept as the extra field NAME_MEMBERS + role, an array of
 * one object per name added, which the CSL-JSON writer merges back. */
static int add_names(pb_reader *r, pb_record *rec, const pb_csl_var *var,
                     const json_t *v, unsigned long line)
{
	json_t *flags = json_array();
	int rc = flags ? PB_OK : PB_ENOMEM, any = 0;
	for (size_t i = 0; i < json_array_size(v) && rc == PB_OK; i++) {
		const json_t *o = json_array_get(v, i);
		int k = add_name(r, rec, var->name, o, line);
		if (k <= 0) {
			rc = k;
			continue;
		}
		json_t *f = json_object();
		const char *key;
		json_t *m;
		if (!f || json_array_append_new(flags, f)) {
			rc = PB_ENOMEM;
			break;
		}
		json_object_foreach((json_t *)o, key, m) {
			if (name_part_key(key))
				continue;
			if (json_object_set(f, key, m)) {
				rc = PB_ENOMEM;
				break;
			}
			any = 1;
		}
	}
	if (rc == PB_OK && any) {
		char *dump = json_dumps(flags, JSON_COMPACT | JSON_PRESERVE_ORDER);
		pb_buf key = PB_BUF_INIT;
		rc = !dump || pb_buf_puts(&key, NAME_MEMBERS) ||
		             pb_buf_puts(&key, var->name)
		         ? PB_ENOMEM
		         : pb_record_add_extra(rec, key.data, dump);
		pb_buf_free(&key);
		free(dump);
	}
	json_decref(flags);
	return rc;
}

/* A date part (a number or a numeric string), 0 when absent or none. */
static long date_part(const json_t *a, size_t i)
{
	const json_t *v = json_array_get(a, i);
	long x = 0;
	if (json_is_integer(v)) {
		json_int_t k = json_integer_value(v);
		x = k > YEAR_MAX || k < -YEAR_MAX ? 0 : (long)k;
	} else if (json_is_real(v)) {
		double d = json_real_value(v);
		x = d > YEAR_MAX || d < -YEAR_MAX ? 0 : (long)d;
	} else if (json_is_string(v)) {
		char *end;
		const char *s = json_string_value(v);
		x = strtol(s, &end, 10);
		while (is_ws(*end))
			end++;
		if (*end || end == s || x > YEAR_MAX || x < -YEAR_MAX)
			x = 0;
	}
	return x;
}

/* The season of a month of date-parts, or 0. */
static int month_season(long m)
{
	for (size_t i = 0; i < sizeof season_months / sizeof season_months[0];
	     i++)
		if (m >= season_months[i].first && m <= season_months[i].last)
			return (int)(m - season_months[i].first + 1);
	return 0;
}

/* One end of date-parts: [Y, M, D]; 1 when it has a year. */
static int date_end(const json_t *a, pb_date *d, int end)
{
	long y = date_part(a, 0), m = date_part(a, 1), day = date_part(a, 2);
	if (!json_is_array(a) || y == 0)
		return 0;
	d->year[end] = (int)y;
	int season = month_season(m);
	if (season) {
		if (!end)
			d->season = season;
		return 1;
	}
	if (m < 1 || m > 12)
		return 1;
	d->month[end] = (int)m;
	if (day >= 1 && day <= 31)
		d->day[end] = (int)day;
	return 1;
}

/* A true value of circa: true, a number but 0, a string but "" and
 * "false"/"0". */
static int truthy(const json_t *v)
{
	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		return *s && strcmp(s, "false") != 0 && strcmp(s, "0") != 0;
	}
	return 0;
}

/* A date (an object, or an EDTF string as some tools write) in the text
 * form of pb_date_format, in out; 0 when v holds no date. */
static int date_text(const json_t *v, pb_buf *out)
{
	pb_date d;
	memset(&d, 0, sizeof d);
	char buf[64];
	pb_buf_reset(out);
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (!*s)
			return 0;
		pb_date_parse(s, &d);
		/* not EDTF with a year of four digits or more ("05/2001"
		 * would be a range from the year 5): for a reader to parse */
		if (d.text || strspn(s + (*s == '-'), "0123456789") < 4)
			return pb_buf_printf(out, "raw:%s", s) ? PB_ENOMEM : 1;
		return pb_date_format(&d, buf, sizeof buf) && !pb_buf_puts(out, buf)
		           ? 1
		           : 0;
	}
	if (!json_is_object(v))
		return 0;
	const json_t *dp = json_object_get(v, "date-parts");
	if (json_is_array(dp) && date_end(json_array_get(dp, 0), &d, 0)) {
		if (json_array_size(dp) > 1 &&
		    date_end(json_array_get(dp, 1), &d, 1))
			d.has_end = 1;
		const json_t *sv = json_object_get(v, "season");
		int season = 0;
		if (json_is_integer(sv))
			season = (int)json_integer_value(sv);
		else if (json_is_string(sv)) {
			const char *str = json_string_value(sv);
			char *end;
			long n = strtol(str, &end, 10);
			season = end != str && !*end && n >= 1 && n <= 4
			         ? (int)n : pb_season_from_name(str);
		}
		if (season >= 1 && season <= 4 && !d.month[0]) {
			d.season = season;
			d.day[0] = 0;
		}
		d.circa = truthy(json_object_get(v, "circa"));
		if (pb_date_format(&d, buf, sizeof buf))
			return pb_buf_puts(out, buf) ? PB_ENOMEM : 1;
	}
	const char *lit = member(v, "literal");
	if (lit)
		return pb_buf_printf(out, "literal:%s", lit) ? PB_ENOMEM : 1;
	const char *raw = member(v, "raw");
	if (raw)
		return pb_buf_printf(out, "raw:%s", raw) ? PB_ENOMEM : 1;
	return 0;
}

/* A date variable: issued through pb_record_set_issued, the others into
 * vars. */
static int read_date(pb_reader *r, pb_record *rec, const pb_csl_var *var,
                     const json_t *v, unsigned long line)
{
	pb_buf text = PB_BUF_INIT;
	int k = date_text(v, &text);
	int rc = k < 0 ? k : PB_OK;
	if (k > 0) {
		if (strcmp(var->name, "issued") == 0)
			rc = pb_record_set_issued(rec, text.data);
		else
			rc = pb_record_set_var(rec, var->name, text.data);
	}
	if (k == 0 || rc == PB_EDATA) {
		pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, line, 0,
		              "'%s' holds no date; skipped", var->name);
		rc = PB_OK;
	}
	pb_buf_free(&text);
	return rc;
}

/* A member CSL does not know, kept as an extra field: a string or a
 * number as text, anything else as its JSON text. */
static int keep_extra(cstate *st, pb_record *rec, const char *key,
                      const json_t *v)
{
	const char *text = text_of(st, v);
	if (text)
		return pb_record_add_extra(rec, key, text);
	if (json_is_string(v))
		return PB_OK; /* empty */
	char *dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY |
	                               JSON_PRESERVE_ORDER);
	if (!dump)
		return PB_ENOMEM;
	int rc = pb_record_add_extra(rec, key, dump);
	free(dump);
	return rc;
}

static const struct csl_member *special(const char *name)
{
	for (size_t i = 0; i < sizeof csl_members / sizeof csl_members[0]; i++)
		if (strcmp(csl_members[i].name, name) == 0)
			return &csl_members[i];
	return NULL;
}

/* Builds rec from one item. */
static int build(pb_reader *r, cstate *st, const json_t *item,
                 unsigned long line, pb_record *rec)
{
	const char *key;
	json_t *v;
	const json_t *note = NULL;
	int rc = PB_OK;
	rec->line = line;
	rec->type = PB_TYPE_MISC;
	if (pb_record_set(rec, PB_F_FILE, r->name))
		return PB_ENOMEM;
	/* citation-key before id, whatever their order; an id that is not
	 * the key (another one, or none fit to be a key) is kept for the
	 * CSL-JSON writer */
	const char *ck = member(item, "citation-key");
	if (ck && !pb_read_key_ok(ck))
		ck = NULL;
	const char *id = text_of(st, json_object_get(item, "id"));
	if (!ck && pb_read_key_ok(id))
		ck = id;
	if (id && (!ck || strcmp(ck, id) != 0) &&
	    pb_record_add_extra(rec, "id", id))
		return PB_ENOMEM;
	if (ck && pb_record_set(rec, PB_F_KEY, ck))
		return PB_ENOMEM;
	json_object_foreach((json_t *)item, key, v) {
		const struct csl_member *sp = special(key);
		const pb_csl_var *var = pb_csl_var_find(key);
		const char *text;
		if (rc != PB_OK)
			break;
		if (sp) {
			switch (sp->kind) {
			case C_TYPE:
				if ((text = text_of(st, v)) &&
				    pb_type_from_name(text, &rec->type) != PB_OK)
					pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name,
					              line, 0,
					              "unknown type '%s'; read as document",
					              text);
				break;
			case C_ISSUED:
				rc = read_date(r, rec, var, v, line);
				break;
			case C_KEYWORDS:
				if (json_is_array(v)) {
					for (size_t i = 0; i < json_array_size(v) && rc == PB_OK;
					     i++)
						if ((text = text_of(st, json_array_get(v, i))))
							rc = pb_record_add_keyword(rec, text);
				} else if ((text = text_of(st, v))) {
					rc = pb_read_keywords(rec, text);
				}
				break;
			case C_NOTE:
				note = v; /* read last, below */
				break;
			case C_ID:
			case C_KEY:
				break;
			}
			continue;
		}
		if (!var) {
			rc = keep_extra(st, rec, key, v);
			continue;
		}
		if (var->kind == PB_CSL_NAME) {
			if (!json_is_array(v)) {
				pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, line, 0,
				              "'%s' is not an array; skipped", key);
				continue;
			}
			rc = add_names(r, rec, var, v, line);
		} else if (var->kind == PB_CSL_DATE) {
			rc = read_date(r, rec, var, v, line);
		} else if (!(text = text_of(st, v))) {
			if (!json_is_string(v))
				pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, line, 0,
				              "'%s' is not a string or a number; skipped",
				              key);
		} else if (var->home == PB_CSL_IN_MEMBER && var->member != PB_F_COUNT) {
			rc = pb_record_set(rec, var->member, text);
		} else if (var->home == PB_CSL_IN_VARS) {
			rc = pb_record_set_varn(rec, var->name, text, strlen(text),
			                        json_is_number(v) ? PB_VAR_NUMBER : 0);
		}
	}
	/* after the members, whatever their order: a note line naming a
	 * variable the item has stays a line of the note */
	const char *text = note ? text_of(st, note) : NULL;
	if (rc == PB_OK && text)
		rc = pb_read_note(rec, text);
	if (rc == PB_OK && !rec->title)
		pb_diag_emitf(r->diag, PB_DIAG_WARNING, r->name, line, 0,
		              "item has no title");
	return rc == PB_EUSAGE ? PB_OK : rc;
}

/* ---- the reader ------------------------------------------------------- */

static int csljson_open(pb_reader *r)
{
	cstate *st = calloc(1, sizeof *st);
	if (!st)
		return PB_ENOMEM;
	r->state = st;
	st->line = 1;
	st->state = S_START;
	return PB_OK;
}

/* A document that is neither an array nor an object: jansson's message
 * on (the start of) it. */
static int bad_document(pb_reader *r, cstate *st)
{
	unsigned long line = st->line, col = column(st, st->pos);
	while (!st->eof && st->in.len - st->pos < BAD_DOC_MAX) {
		int k = fill(r, st);
		if (k < 0)
			return k;
	}
	json_error_t err;
	json_t *j = json_loadb(st->in.data ? st->in.data + st->pos : "",
	                       st->in.len - st->pos, JSON_ALLOW_NUL, &err);
	json_decref(j);
	st->state = S_DONE;
	if (!j)
		element_error(r, st, &err, line, col);
	return PB_OK;
}

/* The next element of the document in *item (NULL when done), with the
 * line it starts on. PB_OK, PB_ENOMEM or PB_EIO. */
static int next_element(pb_reader *r, cstate *st, json_t **item,
                        unsigned long *line)
{
	int rc = PB_OK, c;
	*item = NULL;
	while (st->state != S_DONE) {
		c = next_byte(r, st, &rc);
		if (rc)
			return rc;
		switch (st->state) {
		case S_START:
			if (c == '[') {
				st->array = 1;
				st->state = S_FIRST;
				advance(st);
				continue;
			}
			if (c != '{')
				return bad_document(r, st);
			break; /* one object: read as the only element */
		case S_FIRST:
			if (c == ']') {
				advance(st);
				st->state = S_END;
				continue;
			}
			if (c < 0) {
				top_error(r, st, "']' expected");
				return PB_OK;
			}
			break;
		case S_ELEMENT:
			if (c < 0) {
				top_error(r, st, "']' expected");
				return PB_OK;
			}
			if (c == ']') {
				top_error(r, st, "unexpected token");
				return PB_OK;
			}
			break;
		case S_AFTER:
			if (c == ',') {
				advance(st);
				st->state = S_ELEMENT;
			} else if (c == ']') {
				advance(st);
				st->state = S_END;
			} else {
				top_error(r, st, "']' expected");
				return PB_OK;
			}
			continue;
		case S_END:
			if (c < 0)
				st->state = S_DONE;
			else
				top_error(r, st, "end of file expected");
			return PB_OK;
		case S_DONE:
			return PB_OK;
		}
		/* an element at pos */
		compact(st);
		unsigned long l0 = st->line, col0 = column(st, st->pos);
		size_t end;
		if ((rc = scan_element(r, st, &end)))
			return rc;
		json_error_t err;
		size_t flags = JSON_ALLOW_NUL | (c == '{' ? 0 : JSON_DECODE_ANY);
		json_t *j = json_loadb(st->in.data + st->pos, end - st->pos, flags,
		                       &err);
		/* the scanner counted the element's lines already */
		st->pos = end;
		if (!j) {
			element_error(r, st, &err, l0, col0);
			return PB_OK;
		}
		st->index++;
		st->state = st->array ? S_AFTER : S_END;
		*item = j;
		*line = l0;
		return PB_OK;
	}
	return PB_OK;
}

static int csljson_next(pb_reader *r, pb_record *out)
{
	cstate *st = r->state;
	for (;;) {
		json_t *item;
		unsigned long line;
		int rc = next_element(r, st, &item, &line);
		if (rc)
			return rc;
		if (!item)
			return PB_EOF;
		if (!json_is_object(item)) {
			pb_diag_emitf(r->diag, PB_DIAG_ERROR, r->name, line, 0,
			              "item %zu is not an object; skipped", st->index);
			json_decref(item);
			continue;
		}
		rc = build(r, st, item, line, out);
		json_decref(item);
		return rc;
	}
}

static void csljson_free(pb_reader *r)
{
	cstate *st = r->state;
	if (!st)
		return;
	pb_buf_free(&st->in);
	pb_buf_free(&st->tmp);
	free(st);
	r->state = NULL;
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
