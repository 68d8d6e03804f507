/* The pipeline's read-ahead: reading on a second thread changes nothing a
 * user sees. The same input runs with [input] read_ahead = yes and no,
 * and the output, every message in its order, the status and errno must
 * match, also when writing or reading fails half-way. */
#define _GNU_SOURCE /* fopencookie */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* A list of n records that makes every part of the pipeline talk: a
 * record without a link (reader warning), one that repeats an earlier
 * title (pipeline warning), an invalid byte (line-source warning with
 * its column), a MathJax formula (reader note). */
static char *make_list(int n, size_t *len)
{
	pb_buf b = PB_BUF_INIT;
	ck_assert_int_eq(pb_buf_puts(&b, "Accepted talks, ICLR 2020\n\n"), PB_OK);
	for (int i = 0; i < n; i++) {
		if (i % 11 == 10)
			ck_assert_int_eq(pb_buf_printf(&b, "Paper number %d\n", i - 1), PB_OK);
		else
			ck_assert_int_eq(pb_buf_printf(&b, "Paper number %d\n", i), PB_OK);
		ck_assert_int_eq(pb_buf_printf(&b, "Author: Ana Oord, Björn de Vries%d\n", i),
		                 PB_OK);
		if (i % 7 != 3)
			ck_assert_int_eq(pb_buf_printf(&b, "link: https://openreview.net/pdf?id=p%d\n",
			                               i),
			                 PB_OK);
		ck_assert_int_eq(pb_buf_puts(&b, i % 13 == 5 ? "Abstract: a bad \xff byte"
		                                              : "Abstract: plain text"),
		                 PB_OK);
		if (i % 5 == 2)
			ck_assert_int_eq(pb_buf_puts(&b, " at a rate of O ( 1 T ) "
			                                 "\\mathcal{O}(\\frac{1}{T}) O(T1) here"),
			                 PB_OK);
		ck_assert_int_eq(pb_buf_puts(&b, "\n\n"), PB_OK);
	}
	*len = b.len;
	return pb_buf_detach(&b);
}

/* Every message as one line, in order. */
static void record_diag(void *ctx, const pb_diag *d)
{
	pb_buf *b = ctx;
	ck_assert_int_eq(pb_buf_printf(b, "%d %s:%lu:%lu: %s\n", (int)d->level,
	                               d->file ? d->file : "-", d->line, d->col,
	                               d->message),
	                 PB_OK);
}

/* Where reading stops: fail_at bytes are read, then the read fails with
 * EIO (never when fail_at is past the end). */
typedef struct source {
	const char *text;
	size_t len, pos, fail_at;
} source;

static ssize_t source_read(void *cookie, char *buf, size_t size)
{
	source *s = cookie;
	if (s->pos >= s->fail_at) {
		errno = EIO;
		return -1;
	}
	size_t n = s->len - s->pos;
	if (n > size)
		n = size;
	if (n > s->fail_at - s->pos)
		n = s->fail_at - s->pos;
	memcpy(buf, s->text + s->pos, n);
	s->pos += n;
	return (ssize_t)n;
}

/* What one run gave. */
typedef struct outcome {
	int run, finish, error; /* pb_pipeline_run, _finish, errno after run */
	pb_stats stats;
	char *out;
	size_t out_len;
	pb_buf diags;
} outcome;

/* Converts text to format through the whole pipeline. The output goes
 * to memory, or to a stream of out_room bytes whose writes fail beyond
 * it (when out_room > 0). */
static void convert(outcome *o, const char *text, size_t len, size_t fail_at,
                    const char *format, size_t out_room, int read_ahead)
{
	memset(o, 0, sizeof *o);
	pb_config *cfg = pb_config_new();
	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(pb_config_set(cfg, "input", "read_ahead",
	                               read_ahead ? "yes" : "no", "test", NULL),
	                 PB_OK);
	pb_diag_sink sink = {record_diag, &o->diags};
	source src = {text, len, 0, fail_at};
	cookie_io_functions_t io = {source_read, NULL, NULL, NULL};
	FILE *in = fopencookie(&src, "r", io);
	ck_assert_ptr_nonnull(in);
	char *room = NULL;
	FILE *f = out_room ? fmemopen(room = malloc(out_room), out_room, "w")
	                   : open_memstream(&o->out, &o->out_len);
	ck_assert_ptr_nonnull(f);
	if (out_room)
		setvbuf(f, NULL, _IONBF, 0); /* fail at once, not at fclose */
	int rc;
	pb_pipeline *p = pb_pipeline_new(cfg, &sink, &rc);
	ck_assert_ptr_nonnull(p);
	pb_writer *w = pb_writer_new(pb_format_find(format), f, cfg, &sink);
	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(pb_pipeline_add_writer(p, w), PB_OK);
	pb_reader *r = pb_reader_open(in, "list.txt", &pb_paperlist_format, cfg,
	                              &sink, &rc);
	ck_assert_ptr_nonnull(r);
	errno = 0;
	o->run = pb_pipeline_run(p, r);
	o->error = errno;
	o->finish = o->run ? o->run : pb_pipeline_finish(p);
	pb_pipeline_stats(p, &o->stats);
	pb_reader_free(r);
	pb_pipeline_free(p);
	pb_writer_free(w);
	fclose(in);
	fclose(f);
	free(room);
	pb_config_free(cfg);
}

static void outcome_free(outcome *o)
{
	free(o->out);
	pb_buf_free(&o->diags);
}

/* Both modes of one case give the same outcome; returns the threaded
 * one's status for the caller's checks. */
static int same_both_ways(const char *text, size_t len, size_t fail_at,
                          const char *format, size_t out_room,
                          size_t *diag_lines)
{
	outcome one, two;
	convert(&one, text, len, fail_at, format, out_room, 0);
	convert(&two, text, len, fail_at, format, out_room, 1);
	ck_assert_int_eq(two.run, one.run);
	ck_assert_int_eq(two.finish, one.finish);
	if (one.run == PB_EIO && !out_room)
		ck_assert_int_eq(two.error, one.error);
	ck_assert_uint_eq(two.stats.records, one.stats.records);
	ck_assert_uint_eq(two.stats.duplicates, one.stats.duplicates);
	ck_assert_uint_eq(two.out_len, one.out_len);
	ck_assert(one.out_len == 0 || memcmp(two.out, one.out, one.out_len) == 0);
	const char *a = pb_buf_cstr(&one.diags), *b = pb_buf_cstr(&two.diags);
	size_t k = 0;
	while (a[k] && a[k] == b[k])
		k++;
	while (k && a[k - 1] != '\n')
		k--; /* the start of the first line that differs */
	ck_assert_msg(strcmp(a, b) == 0, "messages differ: \"%.80s\" vs \"%.80s\"",
	              a + k, b + k);
	size_t lines = 0;
	for (const char *s = pb_buf_cstr(&one.diags); *s; s++)
		lines += *s == '\n';
	*diag_lines = lines;
	int rc = two.finish;
	outcome_free(&one);
	outcome_free(&two);
	return rc;
}

/* Lists shorter than a batch, about one ring, and many rings long. */
static const int sizes[] = {1, 15, 16, 17, 63, 64, 65, 300, 2000};

START_TEST(same_output_and_messages)
{
	size_t len, lines;
	char *text = make_list(sizes[_i], &len);
	static const char *const formats[] = {"bibtex", "csl-json", "ris", "opml"};
	for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
		ck_assert_int_eq(same_both_ways(text, len, (size_t)-1, formats[f], 0,
		                                &lines),
		                 PB_OK);
		/* the list made the pipeline talk, or the test proves little */
		ck_assert_uint_gt(lines, sizes[_i] >= 14 ? 4 : 0);
	}
	free(text);
}
END_TEST

/* The input fails to read after some records: the same records are
 * written, the same messages are given, and errno still tells why. */
START_TEST(read_error_half_way)
{
	size_t len, lines;
	char *text = make_list(500, &len);
	size_t at[] = {0, 1, 100, len / 3, len / 2, len - 1};
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
		outcome o;
		convert(&o, text, len, at[i], "ris", 0, 1);
		ck_assert_int_eq(o.run, PB_EIO);
		ck_assert_int_eq(o.error, EIO);
		outcome_free(&o);
		ck_assert_int_eq(same_both_ways(text, len, at[i], "ris", 0, &lines),
		                 PB_EIO);
	}
	free(text);
}
END_TEST

/* Writing fails half-way (a full disk): the run stops with PB_EIO, and
 * the records read ahead leave no message behind. */
START_TEST(write_error_half_way)
{
	size_t len, lines;
	char *text = make_list(2000, &len);
	size_t room[] = {1, 4096, 100000};
	for (size_t i = 0; i < sizeof room / sizeof room[0]; i++) {
		lines = 0;
		ck_assert_int_eq(same_both_ways(text, len, (size_t)-1, "bibtex", room[i],
		                                &lines),
		                 PB_EIO);
		/* fewer messages than the whole list gives: reading stopped */
		size_t all;
		ck_assert_int_eq(same_both_ways(text, len, (size_t)-1, "bibtex", 0, &all),
		                 PB_OK);
		ck_assert_uint_lt(lines, all);
	}
	free(text);
}
END_TEST

Suite *pipeline_suite(void);
Suite *pipeline_suite(void)
{
	Suite *s = suite_create("pipeline");
	TCase *tc = tcase_create("read_ahead");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, same_output_and_messages, 0, TEST_COUNT(sizes));
	tcase_add_test(tc, read_error_half_way);
	tcase_add_test(tc, write_error_half_way);
	suite_add_tcase(s, tc);
	return s;
}
