#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *test_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	pb_buf b = PB_BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		ck_assert_int_eq(pb_buf_append(&b, chunk, n), PB_OK);
	fclose(f);
	if (len)
		*len = b.len;
	pb_buf_cstr(&b);
	return b.data;
}

static void collect(void *ctx, const pb_diag *d)
{
	test_records *t = ctx;
	if (d->level == PB_DIAG_WARNING)
		t->warnings++;
	if (d->level == PB_DIAG_ERROR)
		t->errors++;
	pb_buf_printf(&t->diags, "%lu:%lu: %s: %s\n", d->line, d->col,
	              d->level == PB_DIAG_NOTE      ? "note"
	              : d->level == PB_DIAG_WARNING ? "warning"
	                                            : "error",
	              d->message);
}

void test_read(test_records *out, const char *text, size_t len,
               const pb_input_format *fmt, const pb_config *cfg)
{
	memset(out, 0, sizeof *out);
	/* fmemopen cannot open an empty buffer */
	FILE *in = len ? fmemopen((void *)text, len, "rb") : fopen("/dev/null", "rb");
	ck_assert_ptr_nonnull(in);
	pb_diag_sink sink = {collect, out};
	int rc;
	pb_reader *r = pb_reader_open(in, "test.txt", fmt ? fmt : &pb_paperlist_format,
	                              cfg, &sink, &rc);
	ck_assert_ptr_nonnull(r);
	size_t cap = 0;
	for (;;) {
		if (out->n == cap) {
			cap = cap ? cap * 2 : 64;
			out->recs = realloc(out->recs, cap * sizeof *out->recs);
			ck_assert_ptr_nonnull(out->recs);
		}
		pb_record_init(&out->recs[out->n]);
		rc = pb_reader_next(r, &out->recs[out->n]);
		if (rc != PB_OK)
			break;
		out->n++;
	}
	ck_assert_int_eq(rc, PB_EOF);
	pb_reader_free(r);
	fclose(in);
	pb_record_clear(&out->recs[out->n]);
}

void test_records_free(test_records *t)
{
	for (size_t i = 0; i < t->n; i++)
		pb_record_clear(&t->recs[i]);
	free(t->recs);
	pb_buf_free(&t->diags);
}

static void field(pb_buf *out, const char *name, const char *v)
{
	pb_buf_printf(out, "%s=%s\n", name, v ? v : "(null)");
}

void test_dump(pb_buf *out, const pb_record *r, int venue)
{
	field(out, "title", r->title);
	for (size_t i = 0; i < r->n_authors; i++) {
		const pb_name *a = &r->authors[i];
		pb_buf_printf(out, "author=%s|%s|%s|%s|%s\n", a->given ? a->given : "",
		              a->family ? a->family : "", a->particle ? a->particle : "",
		              a->suffix ? a->suffix : "", a->literal ? a->literal : "");
	}
	field(out, "url", r->url);
	field(out, "pdf", r->pdf_url);
	field(out, "code", r->code_url);
	field(out, "id", r->id);
	field(out, "abstract", r->abstract);
	for (size_t i = 0; i < r->n_keywords; i++)
		field(out, "keyword", r->keywords[i]);
	for (size_t i = 0; i < r->n_extra; i++)
		pb_buf_printf(out, "extra=%s:%s\n", r->extra[i].key, r->extra[i].value);
	for (size_t i = 0; i < r->n_vars; i++)
		pb_buf_printf(out, "var=%s:%s\n", r->vars[i].name, r->vars[i].value);
	for (size_t i = 0; i < r->n_people; i++) {
		const pb_name *a = &r->people[i].name;
		pb_buf_printf(out, "%s=%s|%s|%s|%s|%s\n", r->people[i].role,
		              a->given ? a->given : "", a->family ? a->family : "",
		              a->particle ? a->particle : "", a->suffix ? a->suffix : "",
		              a->literal ? a->literal : "");
	}
	if (venue) {
		field(out, "venue.name", r->venue.name);
		field(out, "venue.short", r->venue.short_name);
		field(out, "venue.year", r->venue.year);
	}
}

void test_probe(const pb_input_format *fmt, const test_probe_case *c)
{
	int score = fmt->probe(c->head, strlen(c->head));
	ck_assert_msg(score >= c->min && score <= c->max,
	              "%s probe of '%s': %d, want %d..%d", fmt->name, c->head, score,
	              c->min, c->max);
}

void test_diagnosed(const pb_input_format *fmt, const test_diag_case *c)
{
	test_records t;
	test_read(&t, c->text, strlen(c->text), fmt, NULL);
	const char *d = pb_buf_cstr(&t.diags);
	ck_assert_msg(t.n == c->records, "%zu records: %s", t.n, d);
	ck_assert_msg(t.warnings == c->warnings && t.errors == c->errors,
	              "diagnostics: %s", d);
	ck_assert_msg(strstr(d, c->message), "no '%s' in: %s", c->message, d);
	test_records_free(&t);
}

int test_write_to(FILE *f, const pb_format *fmt, const pb_config *cfg,
                  const pb_diag_sink *diag, const pb_record *const *recs,
                  size_t n)
{
	pb_writer *w = pb_writer_new(fmt, f, cfg, diag);
	ck_assert_ptr_nonnull(w);
	int rc = pb_writer_begin(w);
	for (size_t i = 0; rc == PB_OK && i < n; i++)
		rc = pb_writer_write(w, recs[i]);
	if (rc == PB_OK)
		rc = pb_writer_end(w);
	pb_writer_free(w);
	return rc;
}

char *test_write(const pb_format *fmt, const pb_config *cfg,
                 const pb_diag_sink *diag, const pb_record *const *recs,
                 size_t n, int *status, size_t *len)
{
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);
	ck_assert_ptr_nonnull(f);
	*status = test_write_to(f, fmt, cfg, diag, recs, n);
	ck_assert_int_eq(fclose(f), 0);
	if (len)
		*len = size;
	return out;
}

const pb_record **test_pointers(const pb_record *recs, size_t n)
{
	const pb_record **p = calloc(n ? n : 1, sizeof *p);
	ck_assert_ptr_nonnull(p);
	for (size_t i = 0; i < n; i++)
		p[i] = &recs[i];
	return p;
}

size_t test_occurrences(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}
