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


/* Duplicates by identity ([input] duplicates): an input in one format,
 * the policy, and what comes out. */
static const struct dup_case {
	const char *format, *policy, *text;
	unsigned long records, dropped, kept;
	const char *diag; /* expected in the messages, or NULL for none */
} dup_cases[] = {
	/* one title, two OpenReview ids: two papers, one warning */
	{"paperlist", "auto",
	 "Same Title\nAuthor: A B\nlink: https://openreview.net/pdf?id=aaa\n\n"
	 "Same Title\nAuthor: C D\nlink: https://openreview.net/forum?id=bbb\n",
	 2, 0, 0,
	 "list.txt:5:0: same title as the record at list.txt:1, but a different "
	 "identifier (openreview:bbb)"},
	/* one OpenReview id in its pdf and forum forms, http and https */
	{"paperlist", "auto",
	 "One\nAuthor: A B\nlink: https://openreview.net/pdf?id=aaa\n\n"
	 "One, retitled\nAuthor: A B\nlink: http://openreview.net/forum?id=aaa\n",
	 1, 1, 0, "list.txt:5:0: duplicate of an earlier record (same URL): 'One, retitled'"},
	/* one arXiv id, abs and pdf with a version */
	{"paperlist", "auto",
	 "# Oral\n\nA\nAuthor: A B\nlink: https://arxiv.org/abs/2101.00042v2\n\n"
	 "# Poster\n\nA\nAuthor: A B\nlink: https://arxiv.org/pdf/2101.00042.pdf\n",
	 1, 1, 0, "(same URL): 'A'; kept once (the record at list.txt:3)"},
	/* no identifiers: title and authors decide */
	{"paperlist", "auto",
	 "No Link\nAuthor: Ann Lee\n\nNo link\nAuthor: Bo Chen\n", 2, 0, 0,
	 "list.txt:4:0: same title as the record at list.txt:1, but different authors"},
	{"paperlist", "auto",
	 "No Link\nAuthor: Ann Lee, Bo Chen\n\nNo link!\nAuthor: A. Lee, B. Chen\n",
	 1, 1, 0, "(same title and authors)"},
	/* a site's root is no identifier */
	{"paperlist", "auto",
	 "First\nAuthor: A B\nlink: https://www.example-journal.org/\n\n"
	 "Second\nAuthor: C D\nlink: http://example-journal.org\n",
	 2, 0, 0, NULL},
	/* a shared page identifies a paper only with its title */
	{"paperlist", "auto",
	 "First\nAuthor: A B\nlink: https://example.org/issue/5\n\n"
	 "Second\nAuthor: C D\nlink: https://example.org/issue/5/\n\n"
	 "First\nAuthor: A B\nlink: http://www.example.org/issue/5#top\n",
	 2, 1, 0, "list.txt:9:0: duplicate of an earlier record (same URL): 'First'"},
	/* a list names one paper twice: the same title and code link, the
	 * paper link only the second time, which the warning names */
	{"paperlist", "auto",
	 "BiFormer\nCode: https://github.com/x/BiFormer\n\n"
	 "BiFormer\nlink: https://arxiv.org/abs/2303.08810\nCode: https://github.com/x/BiFormer\n",
	 1, 1, 0,
	 "list.txt:4:0: duplicate of an earlier record (same title and code link): "
	 "'BiFormer'; kept once (the record at list.txt:1); not kept from this one: "
	 "https://arxiv.org/abs/2303.08810\n"},
	/* an OpenReview id and an arXiv id: two schemes, no conflict */
	{"paperlist", "auto",
	 "GraphSAINT\nAuthor: Hanqing Zeng, Hongkuan Zhou\n"
	 "link: https://openreview.net/pdf?id=BJe8pkHFwS\n\n"
	 "GraphSAINT.\nAuthor: Hanqing Zeng, Hongkuan Zhou\n"
	 "link: https://arxiv.org/abs/1907.04931\n",
	 1, 1, 0,
	 "list.txt:5:0: duplicate of an earlier record (same title, no identifier or "
	 "authors in conflict): 'GraphSAINT.'; kept once (the record at list.txt:1); "
	 "not kept from this one: https://arxiv.org/abs/1907.04931\n"},
	/* the same family names (Zhitao Ying, Rex Ying); a web page and an
	 * arXiv id */
	{"paperlist", "auto",
	 "GNNExplainer\nAuthor: Zhitao Ying, Jure Leskovec\n"
	 "link: http://papers.nips.cc/paper/by-source-2019-4956\n\n"
	 "GNNExplainer\nAuthor: Rex Ying, Jure Leskovec\n"
	 "link: https://arxiv.org/abs/1903.03894\n",
	 1, 1, 0,
	 "(same title, no identifier or authors in conflict): 'GNNExplainer'; kept once "
	 "(the record at list.txt:1); not kept from this one: https://arxiv.org/abs/1903.03894"},
	/* two arXiv ids, the same authors: two papers */
	{"paperlist", "auto",
	 "One Title\nAuthor: Ann Lee\nlink: https://arxiv.org/abs/1901.00001\n\n"
	 "One Title\nAuthor: Ann Lee\nlink: https://arxiv.org/abs/1901.00009\n",
	 2, 0, 0,
	 "list.txt:5:0: same title as the record at list.txt:1, but a different "
	 "identifier (arxiv:1901.00009)"},
	/* other authors, ids of two schemes: two papers */
	{"paperlist", "auto",
	 "One Title\nAuthor: Ann Lee\nlink: https://arxiv.org/abs/1901.00001\n\n"
	 "One Title\nAuthor: Carla Diaz\nlink: https://openreview.net/forum?id=xyz\n",
	 2, 0, 0,
	 "list.txt:5:0: same title as the record at list.txt:1, but different authors"},
	/* an arXiv id merged into the first record is its arXiv id: a third
	 * record with another one is another paper */
	{"paperlist", "auto",
	 "T\nlink: https://openreview.net/forum?id=xyz\n\n"
	 "T\nlink: https://arxiv.org/abs/1901.00001\n\n"
	 "T\nlink: https://arxiv.org/abs/1901.00009\n",
	 2, 1, 0,
	 "list.txt:7:0: same title as the record at list.txt:1, but a different "
	 "identifier (arxiv:1901.00009)"},
	/* authors merged in likewise: a third record by others is another */
	{"paperlist", "auto",
	 "T\nlink: https://openreview.net/forum?id=xyz\n\n"
	 "T\nAuthor: Ann Lee\n\n"
	 "T\nAuthor: Bo Chen\n",
	 2, 1, 0,
	 "list.txt:7:0: same title as the record at list.txt:1, but different authors"},
	/* a link that identifies nothing is compared as it is written (no
	 * scheme, www. or trailing slash) with those of the same title */
	{"paperlist", "auto",
	 "T\nlink: https://arxiv.org/abs/1901.00001\n\n"
	 "T\nlink: https://example.com/home\n",
	 1, 1, 0, "kept once (the record at list.txt:1); not kept from this one: "
	 "https://example.com/home\n"},
	{"paperlist", "auto",
	 "T\nlink: https://example.com/home\n\n"
	 "T\nlink: http://www.example.com/home/\nCode: https://github.com/a/b\n",
	 1, 1, 0, "kept once (the record at list.txt:1); not kept from this one: "
	 "https://github.com/a/b\n"},
	/* a code link of one word (an organisation's page) with the title */
	{"paperlist", "auto",
	 "T\nCode: https://github.com/HDETR\n\n"
	 "T\nAuthor: Ann Lee\nlink: https://arxiv.org/abs/2207.13080\n"
	 "Code: https://github.com/HDETR/\n",
	 1, 1, 0, "(same title and code link): 'T'; kept once (the record at list.txt:1); "
	 "not kept from this one: https://arxiv.org/abs/2207.13080\n"},
	/* a bibliography keeps its repeated title as before */
	{"bibtex", "auto",
	 "@article{a, title={T}, doi={10.1/a}}\n@article{b, title={T}}\n",
	 2, 0, 0,
	 "entry 'b': same title as entry 'a' at list.txt:1, but only one of them has "
	 "an identifier"},
	/* keep: everything, nothing said */
	{"paperlist", "keep",
	 "One\nAuthor: A B\nlink: https://openreview.net/pdf?id=aaa\n\n"
	 "One\nAuthor: A B\nlink: https://openreview.net/pdf?id=aaa\n",
	 2, 0, 0, NULL},
	/* BibTeX: other keys are kept and reported with both keys */
	{"bibtex", "auto",
	 "@article{a, title={T}, author={Lee, Ann}, doi={10.1/XY}}\n"
	 "@article{b, title={U}, author={Lee, Ann}, doi={https://doi.org/10.1/xy}}\n",
	 2, 0, 1,
	 "list.txt:2:0: entry 'b': duplicate of an earlier record (same DOI): 'U'; kept both"},
	{"bibtex", "auto",
	 "@article{a, title={T}, author={Lee, Ann}}\n"
	 "@article{b, title={T}, author={Lee, Ann}}\n",
	 2, 0, 1,
	 "entry 'b': duplicate of entry 'a' at list.txt:1 (same title and authors)"},
	/* the same key too: one entry */
	{"bibtex", "auto",
	 "@article{a, title={T}, eprint={2101.00042}}\n"
	 "@article{a, title={T}, url={https://arxiv.org/abs/2101.00042}}\n",
	 1, 1, 0, "(same URL): 'T'; kept once (entry 'a' at list.txt:1)"},
	/* drop: from bibliographies too, naming the key dropped */
	{"bibtex", "drop",
	 "@article{a, title={T}, author={Lee, Ann}}\n"
	 "@article{b, title={T}, author={Lee, Ann}}\n",
	 1, 1, 0, "kept once, as entry 'a' at list.txt:1: entry 'b' dropped"},
	/* RIS records sharing a placeholder URL */
	{"ris", "auto",
	 "TY  - JOUR\nTI  - One\nUR  - https://www.example-journal.org/\nER  - \n\n"
	 "TY  - JOUR\nTI  - Two\nUR  - https://www.example-journal.org/\nER  - \n",
	 2, 0, 0, NULL},
	/* CSL-JSON: DOIs compare without case */
	{"csl-json", "auto",
	 "[{\"id\": \"x\", \"type\": \"article\", \"title\": \"T\", \"DOI\": \"10.5/AB\"},"
	 " {\"id\": \"y\", \"type\": \"article\", \"title\": \"T\", \"DOI\": \"10.5/ab\"}]",
	 2, 0, 1, "entry 'y': duplicate of entry 'x' at list.txt:1 (same DOI)"},
};

START_TEST(duplicates_by_identity)
{
	const struct dup_case *c = &dup_cases[_i];
	pb_buf diags = PB_BUF_INIT;
	pb_config *cfg = pb_config_new();
	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(pb_config_set(cfg, "input", "duplicates", c->policy, "test", NULL),
	                 PB_OK);
	pb_diag_sink sink = {record_diag, &diags};
	FILE *in = fmemopen((void *)c->text, strlen(c->text), "r");
	char *out = NULL;
	size_t out_len = 0;
	FILE *f = open_memstream(&out, &out_len);
	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(f);
	int rc;
	pb_pipeline *p = pb_pipeline_new(cfg, &sink, &rc);
	ck_assert_ptr_nonnull(p);
	pb_writer *w = pb_writer_new(pb_format_find("csl-json"), f, cfg, &sink);
	ck_assert_int_eq(pb_pipeline_add_writer(p, w), PB_OK);
	pb_reader *r = pb_reader_open(in, "list.txt", pb_input_format_find(c->format),
	                              cfg, &sink, &rc);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(pb_pipeline_run(p, r), PB_OK);
	ck_assert_int_eq(pb_pipeline_finish(p), PB_OK);
	pb_stats st;
	pb_pipeline_stats(p, &st);
	const char *d = pb_buf_cstr(&diags);
	ck_assert_msg(st.records == c->records && st.duplicates == c->dropped &&
	                  st.kept_duplicates == c->kept,
	              "case %d: %lu records, %lu dropped, %lu kept: %s", _i, st.records,
	              st.duplicates, st.kept_duplicates, d);
	if (c->diag)
		ck_assert_msg(strstr(d, c->diag), "case %d lacks '%s':\n%s", _i, c->diag, d);
	else
		ck_assert_msg(!strstr(d, "duplicate") && !strstr(d, "same title"),
		              "case %d: %s", _i, d);
	pb_reader_free(r);
	pb_pipeline_free(p);
	pb_writer_free(w);
	fclose(in);
	fclose(f);
	free(out);
	pb_buf_free(&diags);
	pb_config_free(cfg);
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
	TCase *dup = tcase_create("duplicates");
	tcase_add_loop_test(dup, duplicates_by_identity, 0, TEST_COUNT(dup_cases));
	suite_add_tcase(s, dup);
	return s;
}
