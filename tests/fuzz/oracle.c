/* The fuzzing harness and its oracles: every input is read with one
 * reader and written by every writer into memory, and each output must be
 * valid for its consumer, not merely produced without a crash:
 *   bibtex, biblatex  one entry per record, braces balanced in every field
 *                     (as BibTeX counts them and as LaTeX does)
 *   ris               only well-formed tag lines, one TY ... ER per record
 *   csl-json          parses as JSON (jansson), one item per record, every
 *                     string valid UTF-8
 *   opml              well-formed XML (libxml2), <opml> with one outline
 *                     per record in <body>
 * and every output is valid UTF-8 without NUL bytes. A broken oracle
 * prints what is wrong and aborts, which libFuzzer reports as a finding
 * and saves the input. */
#define _GNU_SOURCE /* fmemopen, open_memstream */
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"

enum { MAX_WRITERS = 16 };

typedef struct output {
	const pb_format *format;
	pb_writer *w;
	FILE *f;
	char *buf;
	size_t len;
} output;

static const char *current_format;

static void broken(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void broken(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "paperbib fuzz: %s output invalid: ",
	        current_format ? current_format : "?");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* Length of the valid UTF-8 sequence at s (shortest form, no surrogates,
 * at most U+10FFFF), 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	if (s[0] < 0x80)
		return 1;
	size_t k;
	unsigned long cp;
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		k = 2;
		cp = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		k = 3;
		cp = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		k = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < k)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return 0;
	return k;
}

/* Offset of the first invalid UTF-8 byte or NUL, or n when there is none. */
static size_t bad_text(const char *text, size_t n)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	while (i < n) {
		size_t k = s[i] ? utf8_seq(s + i, n - i) : 0;
		if (!k)
			return i;
		i += k;
	}
	return n;
}

/* --- BibTeX and BibLaTeX ------------------------------------------------ */

typedef struct cursor {
	const char *s;
	size_t n, i;
} cursor;

static int at_end(const cursor *c)
{
	return c->i >= c->n;
}

static void skip_space(cursor *c)
{
	while (!at_end(c) && strchr(" \t\r\n", c->s[c->i]))
		c->i++;
}

static int is_name_byte(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || (ch && strchr("_-:.+/", ch));
}

/* A braced value starting at '{': balanced as BibTeX counts braces (every
 * brace counts) and as LaTeX does (\{ and \} are characters, not groups);
 * a value never ends in a lone backslash, which would escape its closing
 * brace for LaTeX. */
static void braced(cursor *c, const char *what)
{
	size_t start = c->i;
	long depth = 0, tex = 0;
	do {
		if (at_end(c))
			broken("%s: unterminated value at offset %zu", what, start);
		char ch = c->s[c->i];
		if (ch == '\\' && c->i + 1 < c->n) {
			char next = c->s[c->i + 1];
			if (next == '{' || next == '}') {
				depth += next == '{' ? 1 : -1;
				if (depth <= 0)
					broken("%s: '\\}' closes the value at offset %zu",
					       what, c->i);
				c->i += 2;
				continue;
			}
			if (next == '\\') {
				c->i += 2;
				continue;
			}
		}
		if (ch == '{') {
			depth++;
			tex++;
		} else if (ch == '}') {
			depth--;
			tex--;
			if (tex < 0)
				broken("%s: '}' closes a LaTeX group never opened, "
				       "offset %zu", what, c->i);
		}
		c->i++;
	} while (depth > 0);
	if (tex != 0)
		broken("%s: LaTeX braces unbalanced in the value at offset %zu",
		       what, start);
}

/* A quoted value: braces balanced inside, ends at an unbraced '"'. */
static void quoted(cursor *c, const char *what)
{
	size_t start = c->i++;
	long depth = 0;
	for (;; c->i++) {
		if (at_end(c))
			broken("%s: unterminated quoted value at offset %zu", what,
			       start);
		char ch = c->s[c->i];
		if (ch == '{')
			depth++;
		else if (ch == '}' && --depth < 0)
			broken("%s: '}' without '{' at offset %zu", what, c->i);
		else if (ch == '"' && depth == 0)
			break;
	}
	c->i++;
}

/* One value, maybe concatenated with '#'. */
static void value(cursor *c, const char *what)
{
	for (;;) {
		skip_space(c);
		if (at_end(c))
			broken("%s: value missing at the end", what);
		if (c->s[c->i] == '{') {
			braced(c, what);
		} else if (c->s[c->i] == '"') {
			quoted(c, what);
		} else if (is_name_byte(c->s[c->i])) {
			while (!at_end(c) && is_name_byte(c->s[c->i]))
				c->i++;
		} else {
			broken("%s: value expected at offset %zu", what, c->i);
		}
		skip_space(c);
		if (at_end(c) || c->s[c->i] != '#')
			return;
		c->i++;
	}
}

/* One entry after its "@type": {key, field = value, ...}. */
static void entry(cursor *c, const char *type)
{
	char seen[64][32];
	size_t n_seen = 0;
	if (at_end(c) || c->s[c->i] != '{')
		broken("@%s: '{' expected at offset %zu", type, c->i);
	c->i++;
	size_t k = c->i;
	while (!at_end(c) && c->s[c->i] != ',') {
		unsigned char ch = (unsigned char)c->s[c->i];
		if (ch <= ' ' || ch >= 0x7F || strchr("{}\"#%'()=\\", ch))
			broken("@%s: byte 0x%02X in the citation key at offset %zu",
			       type, ch, c->i);
		c->i++;
	}
	if (at_end(c) || c->i == k)
		broken("@%s: empty or unterminated citation key at offset %zu",
		       type, k);
	c->i++;
	for (;;) {
		skip_space(c);
		if (at_end(c))
			broken("@%s: entry not closed", type);
		if (c->s[c->i] == '}') {
			c->i++;
			return;
		}
		size_t f = c->i;
		while (!at_end(c) && is_name_byte(c->s[c->i]))
			c->i++;
		if (c->i == f)
			broken("@%s: field name expected at offset %zu", type, f);
		char name[32];
		snprintf(name, sizeof name, "%.*s", (int)(c->i - f), c->s + f);
		for (size_t j = 0; j < n_seen; j++)
			if (strcmp(seen[j], name) == 0)
				broken("@%s: field %s twice in one entry", type, name);
		if (n_seen < 64)
			memcpy(seen[n_seen++], name, sizeof name);
		skip_space(c);
		if (at_end(c) || c->s[c->i] != '=')
			broken("@%s: '=' expected after %s", type, name);
		c->i++;
		value(c, name);
		if (!at_end(c) && c->s[c->i] == ',')
			c->i++;
		else if (at_end(c) || c->s[c->i] != '}')
			broken("@%s: ',' or '}' expected after field %s at offset %zu",
			       type, name, c->i);
	}
}

static void check_bibtex(const char *s, size_t n, unsigned long records)
{
	cursor c = {s, n, 0};
	unsigned long entries = 0;
	for (;;) {
		const char *at = memchr(s + c.i, '@', n - c.i);
		if (!at)
			break;
		c.i = (size_t)(at - s) + 1;
		size_t t = c.i;
		while (!at_end(&c) && is_name_byte(s[c.i]))
			c.i++;
		char type[32];
		snprintf(type, sizeof type, "%.*s", (int)(c.i - t), s + t);
		if (!type[0])
			broken("'@' outside an entry at offset %zu", t - 1);
		if (strcasecmp(type, "comment") == 0 ||
		    strcasecmp(type, "preamble") == 0 ||
		    strcasecmp(type, "string") == 0) {
			if (at_end(&c) || s[c.i] != '{')
				broken("@%s: '{' expected at offset %zu", type, c.i);
			braced(&c, type);
		} else {
			entry(&c, type);
			entries++;
		}
	}
	if (entries != records)
		broken("%lu entries for %lu records", entries, records);
}

/* --- RIS -------------------------------------------------------------- */

static void check_ris(const char *s, size_t n, unsigned long records)
{
	unsigned long open = 0, closed = 0, lineno = 0;
	int inside = 0;
	size_t i = 0;
	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (s + i)) : n - i;
		const char *l = s + i;
		i += len + (nl != NULL);
		lineno++;
		if (len && l[len - 1] == '\r')
			len--;
		if (!nl && len)
			broken("line %lu: no line end after the last line", lineno);
		for (size_t j = 0; j < len; j++)
			if ((unsigned char)l[j] < 0x20 && l[j] != '\t')
				broken("line %lu: control byte 0x%02X", lineno,
				       (unsigned char)l[j]);
		if (len == 0) {
			if (inside)
				broken("line %lu: blank line inside a record", lineno);
			continue;
		}
		if (len < 5 || !(l[0] >= 'A' && l[0] <= 'Z') ||
		    !((l[1] >= 'A' && l[1] <= 'Z') || (l[1] >= '0' && l[1] <= '9')) ||
		    memcmp(l + 2, "  -", 3) != 0 || (len > 5 && l[5] != ' '))
			broken("line %lu: not a tag line: '%.*s'", lineno,
			       (int)(len > 40 ? 40 : len), l);
		if (memcmp(l, "TY", 2) == 0) {
			if (inside)
				broken("line %lu: TY inside a record", lineno);
			if (len <= 6)
				broken("line %lu: TY without a type", lineno);
			inside = 1;
			open++;
		} else if (memcmp(l, "ER", 2) == 0) {
			if (!inside)
				broken("line %lu: ER without TY", lineno);
			inside = 0;
			closed++;
		} else if (!inside) {
			broken("line %lu: tag %.2s outside a record", lineno, l);
		}
	}
	if (inside)
		broken("last record has no ER");
	if (open != records)
		broken("%lu TY...ER records for %lu records", open, records);
	(void)closed;
}

/* --- CSL-JSON --------------------------------------------------------- */

static void json_strings(const json_t *j)
{
	if (json_is_string(j)) {
		const char *v = json_string_value(j);
		size_t n = json_string_length(j);
		if (bad_text(v, n) != n)
			broken("a string is not valid UTF-8 or holds NUL");
	} else if (json_is_array(j)) {
		for (size_t i = 0; i < json_array_size(j); i++)
			json_strings(json_array_get(j, i));
	} else if (json_is_object(j)) {
		for (void *it = json_object_iter((json_t *)j); it;
		     it = json_object_iter_next((json_t *)j, it)) {
			const char *key = json_object_iter_key(it);
			if (bad_text(key, strlen(key)) != strlen(key))
				broken("a key is not valid UTF-8");
			json_strings(json_object_iter_value(it));
		}
	}
}

static void check_csljson(const char *s, size_t n, unsigned long records)
{
	json_error_t err;
	json_t *root = json_loadb(s, n, JSON_REJECT_DUPLICATES, &err);
	if (!root)
		broken("not JSON: %s at line %d column %d", err.text, err.line,
		       err.column);
	if (!json_is_array(root))
		broken("the top level is not an array");
	if (json_array_size(root) != records)
		broken("%zu items for %lu records", json_array_size(root), records);
	for (size_t i = 0; i < json_array_size(root); i++) {
		const json_t *item = json_array_get(root, i);
		if (!json_is_object(item) || !json_is_string(json_object_get(item, "id")) ||
		    !json_is_string(json_object_get(item, "type")))
			broken("item %zu is not an object with string id and type", i);
	}
	json_strings(root);
	json_decref(root);
}

/* --- OPML ------------------------------------------------------------- */

static void quiet_xml(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void check_opml(const char *s, size_t n, unsigned long records)
{
	if (n > (size_t)0x7FFFFFFF)
		broken("too large for xmlReadMemory");
	xmlDocPtr doc = xmlReadMemory(s, (int)n, "fuzz.opml", NULL,
	                              XML_PARSE_NONET | XML_PARSE_NOERROR |
	                                  XML_PARSE_NOWARNING);
	if (!doc) {
		const xmlError *e = xmlGetLastError();
		broken("not well-formed XML: %s", e && e->message ? e->message : "?");
	}
	xmlNodePtr root = xmlDocGetRootElement(doc);
	if (!root || xmlStrcmp(root->name, (const xmlChar *)"opml") != 0)
		broken("the root element is not <opml>");
	xmlNodePtr body = NULL;
	for (xmlNodePtr c = root->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    xmlStrcmp(c->name, (const xmlChar *)"body") == 0)
			body = c;
	if (!body)
		broken("no <body>");
	unsigned long outlines = 0;
	for (xmlNodePtr c = body->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    xmlStrcmp(c->name, (const xmlChar *)"outline") == 0)
			outlines++;
	if (records && outlines != records)
		broken("%lu outlines in <body> for %lu records", outlines, records);
	xmlFreeDoc(doc);
}

/* --- the harness ------------------------------------------------------ */

static const struct {
	const char *format;
	void (*check)(const char *s, size_t n, unsigned long records);
} oracles[] = {
	{"bibtex", check_bibtex},
	{"biblatex", check_bibtex},
	{"ris", check_ris},
	{"csl-json", check_csljson},
	{"opml", check_opml},
};

/* Diagnostics are dropped, but their text is touched so that a bad
 * pointer in one shows. */
static void touch_diag(void *ctx, const pb_diag *d)
{
	size_t *total = ctx;
	*total += strlen(d->message) + (d->file ? strlen(d->file) : 0);
}

int pb_fuzz_one(const pb_input_format *fmt, const uint8_t *data, size_t size)
{
	static int initialised;
	if (!initialised) {
		xmlInitParser();
		xmlSetGenericErrorFunc(NULL, quiet_xml);
		initialised = 1;
	}
	/* fmemopen needs a buffer of at least one byte */
	char *copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	FILE *in = size ? fmemopen(copy, size, "r") : fopen("/dev/null", "r");
	if (!in) {
		free(copy);
		return 0;
	}
	size_t diag_bytes = 0;
	pb_diag_sink sink = {touch_diag, &diag_bytes};
	pb_config *cfg = pb_config_new();
	int rc = PB_ENOMEM;
	pb_pipeline *pipe = cfg ? pb_pipeline_new(cfg, &sink, &rc) : NULL;
	output outs[MAX_WRITERS];
	size_t n_outs = 0;
	memset(outs, 0, sizeof outs);
	for (const pb_format *const *f = pb_formats(); pipe && *f && n_outs < MAX_WRITERS;
	     f++) {
		output *o = &outs[n_outs++];
		o->format = *f;
		o->f = open_memstream(&o->buf, &o->len);
		if (!o->f || !(o->w = pb_writer_new(*f, o->f, cfg, &sink)) ||
		    pb_pipeline_add_writer(pipe, o->w))
			goto done;
	}
	pb_reader *r = pipe ? pb_reader_open(in, "fuzz", fmt, cfg, &sink, &rc) : NULL;
	if (!r)
		goto done;
	rc = pb_pipeline_run(pipe, r);
	pb_reader_free(r);
	if (rc == PB_OK)
		rc = pb_pipeline_finish(pipe);
	if (rc == PB_EIO)
		broken("PB_EIO with no I/O that can fail (an in-memory stream)");
	if (rc != PB_OK)
		goto done;
	pb_stats stats;
	pb_pipeline_stats(pipe, &stats);
	for (size_t i = 0; i < n_outs; i++) {
		output *o = &outs[i];
		pb_writer_free(o->w);
		o->w = NULL;
		if (fclose(o->f) != 0)
			broken("fclose of an in-memory stream failed");
		o->f = NULL;
		current_format = o->format->name;
		size_t bad = bad_text(o->buf, o->len);
		if (bad != o->len)
			broken("invalid UTF-8 or NUL at offset %zu", bad);
		for (size_t k = 0; k < sizeof oracles / sizeof oracles[0]; k++)
			if (strcmp(oracles[k].format, o->format->name) == 0)
				oracles[k].check(o->buf, o->len, stats.records);
		current_format = NULL;
	}
done:
	for (size_t i = 0; i < n_outs; i++) {
		pb_writer_free(outs[i].w);
		if (outs[i].f)
			fclose(outs[i].f);
		free(outs[i].buf);
	}
	pb_pipeline_free(pipe);
	pb_config_free(cfg);
	fclose(in);
	free(copy);
	return 0;
}
