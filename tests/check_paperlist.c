/* The paper-list reader on the reference list and on the variants that
 * lists copied from other pages show (issues 2 and 3). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static char *example;
static size_t example_len;
static test_records base; /* the reference list, read once */
static pb_buf base_dump[64];

static void load(void)
{
	example = test_slurp(TEST_EXAMPLE, &example_len);
	test_read(&base, example, example_len, NULL, NULL);
	for (size_t i = 0; i < base.n && i < 64; i++) {
		pb_buf_reset(&base_dump[i]);
		test_dump(&base_dump[i], &base.recs[i], 1);
	}
}

static void unload(void)
{
	test_records_free(&base);
	for (size_t i = 0; i < 64; i++)
		pb_buf_free(&base_dump[i]);
	free(example);
}

static const pb_record *find(const char *title)
{
	for (size_t i = 0; i < base.n; i++)
		if (base.recs[i].title && strcmp(base.recs[i].title, title) == 0)
			return &base.recs[i];
	ck_abort_msg("no record titled '%s'", title);
	return NULL;
}

START_TEST(reference_has_48_records)
{
	ck_assert_uint_eq(base.n, 48);
	ck_assert_uint_eq(base.warnings, 0);
	ck_assert_str_eq(base.recs[0].title,
	                 "CATER: A diagnostic dataset for Compositional Actions & "
	                 "TEmporal Reasoning");
	ck_assert_str_eq(base.recs[47].title,
	                 "Federated Learning with Matched Averaging");
	ck_assert_uint_eq(base.recs[0].line, 16);
	ck_assert_str_eq(base.recs[0].file, "test.txt");
	/* nothing from the header or the footer */
	for (size_t i = 0; i < base.n; i++) {
		ck_assert_ptr_nonnull(base.recs[i].title);
		ck_assert_ptr_null(strstr(base.recs[i].title, "ICLR"));
		ck_assert_ptr_nonnull(base.recs[i].url);
		ck_assert_uint_gt(base.recs[i].n_authors, 0);
		ck_assert_ptr_nonnull(base.recs[i].abstract);
		ck_assert_uint_eq(base.recs[i].n_extra, 0);
	}
	const pb_record *last = &base.recs[47];
	ck_assert_uint_eq(last->n_keywords, 1);
	ck_assert_str_eq(last->keywords[0], "federated learning");
	ck_assert_ptr_null(strstr(last->abstract, "点赞"));
}
END_TEST

START_TEST(titles_lose_markdown_bold)
{
	const pb_record *r = find("Neural Network Branching for Neural Network Verification");
	ck_assert_uint_eq(r->n_authors, 2);
	ck_assert_str_eq(r->authors[1].given, "M. Pawan");
	ck_assert_str_eq(r->authors[1].family, "Kumar");
}
END_TEST

START_TEST(author_markers_are_stripped)
{
	const pb_record *r = find("GenDICE: Generalized Offline Estimation of Stationary Values");
	ck_assert_uint_eq(r->n_authors, 4);
	ck_assert_str_eq(r->authors[0].given, "Ruiyi");
	ck_assert_str_eq(r->authors[0].family, "Zhang");
	ck_assert_str_eq(r->authors[1].family, "Dai");
	r = find("Learning Hierarchical Discrete Linguistic Units from Visually-Grounded Speech");
	ck_assert_str_eq(r->authors[0].family, "Harwath");
	ck_assert_str_eq(r->authors[1].given, "Wei-Ning");
	ck_assert_str_eq(r->authors[1].family, "Hsu");
}
END_TEST

/* "et al." ends a list of names that goes on: the name "others" after
 * the authors given, never an author "al., et"; alone it is nothing. */
START_TEST(et_al_goes_on)
{
	static const char text[] = "Paper One Title\n"
	                           "Author: Alice Smith, Bob Jones, et al.\n"
	                           "link: https://arxiv.org/abs/1903.03894\n\n"
	                           "Paper Two Title\n"
	                           "Author: Carl Li, ET AL\n"
	                           "link: https://arxiv.org/abs/1903.03895\n\n"
	                           "Paper Three Title\n"
	                           "Author: et al.\n"
	                           "link: https://arxiv.org/abs/1903.03896\n";
	test_records got;
	test_read(&got, text, sizeof text - 1, NULL, NULL);
	ck_assert_uint_eq(got.n, 3);
	ck_assert_uint_eq(got.recs[0].n_authors, 3);
	ck_assert_str_eq(got.recs[0].authors[1].family, "Jones");
	ck_assert_str_eq(got.recs[0].authors[2].literal, "others");
	ck_assert_uint_eq(got.recs[1].n_authors, 2);
	ck_assert_str_eq(got.recs[1].authors[1].literal, "others");
	ck_assert_uint_eq(got.recs[2].n_authors, 0);
	test_records_free(&got);
}
END_TEST

START_TEST(links_give_pdf_id_and_forum)
{
	const pb_record *r = find("Reformer: The Efficient Transformer");
	ck_assert_str_eq(r->pdf_url, "https://openreview.net/pdf?id=rkgNKkHtvB");
	ck_assert_str_eq(r->id, "rkgNKkHtvB");
	ck_assert_str_eq(r->url, "https://openreview.net/forum?id=rkgNKkHtvB");
	ck_assert_str_eq(r->code_url,
	                 "https://github.com/google/trax/tree/master/trax/models/reformer");
	ck_assert_uint_eq(r->n_keywords, 3);
	ck_assert_str_eq(r->keywords[0], "attention");
	ck_assert_str_eq(r->keywords[1], "locality sensitive hashing");
	ck_assert_str_eq(r->keywords[2], "reversible layers");
}
END_TEST

START_TEST(none_means_absent)
{
	const pb_record *r = find("BackPACK: Packing more into Backprop");
	ck_assert_uint_eq(r->n_keywords, 0);
	ck_assert_str_eq(r->code_url, "https://toiaydcdyywlhzvlob.github.io/backpack/");
	r = &base.recs[0];
	ck_assert_ptr_null(r->code_url);
	ck_assert_uint_eq(r->n_keywords, 2);
}
END_TEST

START_TEST(abstracts_whole)
{
	/* starts on the line after "Abstract:" */
	const pb_record *r = find("Mirror-Generative Neural Machine Translation");
	ck_assert_msg(strncmp(r->abstract, "Training neural machine translation", 35) == 0,
	              "%s", r->abstract);
	/* hard-wrapped over ten lines, joined with spaces */
	r = find("Reformer: The Efficient Transformer");
	ck_assert_msg(strncmp(r->abstract, "Large Transformer models routinely achieve "
	                                   "state-of-the-art results on a number of tasks "
	                                   "but training", 100) == 0, "%s", r->abstract);
	ck_assert_ptr_nonnull(strstr(r->abstract, "instead of N times, where N is the number of layers. The resulting model"));
	ck_assert_ptr_nonnull(strstr(r->abstract, "much faster on long sequences."));
	ck_assert_ptr_null(strchr(r->abstract, '\n'));
	/* a second paragraph on the next line */
	r = find("Comparing Fine-tuning and Rewinding in Neural Network Pruning");
	ck_assert_ptr_nonnull(strstr(r->abstract, " In this paper, we explore an alternative to fine-tuning: rewinding."));
	/* a blank line between the abstract and the keywords */
	r = find("Mogrifier LSTM");
	ck_assert_uint_eq(r->n_keywords, 2);
	ck_assert_str_eq(r->authors[1].family, "Kočiský");
}
END_TEST

START_TEST(venue_detected_from_header)
{
	for (size_t i = 0; i < base.n; i++) {
		ck_assert_str_eq(base.recs[i].venue.short_name, "ICLR");
		ck_assert_str_eq(base.recs[i].venue.year, "2020");
		ck_assert_str_eq(base.recs[i].venue.name,
		                 "International Conference on Learning Representations");
	}
	ck_assert_ptr_nonnull(strstr(base.diags.data, "1:0: note: venue detected: ICLR 2020"));
}
END_TEST

/* ---- variants that must give the same 48 records ---------------------- */

typedef struct line_ctx {
	size_t index;      /* line number, 0-based */
	int title;         /* the line is a record's title */
	size_t record;     /* records started so far (title lines seen) */
} line_ctx;

typedef void (*line_fn)(pb_buf *out, const char *line, size_t n, const line_ctx *c);

static int starts(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);
	return n >= k && memcmp(s, prefix, k) == 0;
}

static const char *const label_names[] = {"Author:", "link:", "Code:", "Abstract:", "Keyword:"};

static int label_of(const char *s, size_t n)
{
	for (int i = 0; i < 5; i++)
		if (starts(s, n, label_names[i]))
			return i;
	return -1;
}

/* Rewrites the example line by line, each line through fn. */
static char *rewrite(line_fn fn, size_t *len)
{
	pb_buf out = PB_BUF_INIT;
	line_ctx c = {0, 0, 0};
	const char *p = example, *end = example + example_len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *next = nl ? nl + 1 : end;
		c.title = starts(next, (size_t)(end - next), "Author:");
		if (c.title)
			c.record++;
		fn(&out, p, n, &c);
		c.index++;
		p = next;
	}
	*len = out.len;
	return pb_buf_detach(&out);
}

static void put_line(pb_buf *out, const char *s, size_t n)
{
	pb_buf_append(out, s, n);
	pb_buf_putc(out, '\n');
}

/* Replaces the label of a field line by `label` (which includes the colon). */
static void relabel(pb_buf *out, const char *s, size_t n, const char *label)
{
	const char *colon = memchr(s, ':', n);
	pb_buf_puts(out, label);
	put_line(out, colon + 1, n - (size_t)(colon + 1 - s));
}

static void v_fullwidth(pb_buf *out, const char *s, size_t n, const line_ctx *c)
{
	(void)c;
	int l = label_of(s, n);
	if (l < 0)
		return put_line(out, s, n);
	const char *colon = memchr(s, ':', n);
	pb_buf_append(out, s, (size_t)(colon - s));
	pb_buf_puts(out, "：");
	put_line(out, colon + 1, n - (size_t)(colon + 1 - s));
}

static void v_upper(pb_buf *out, const char *s, size_t n, const line_ctx *c)
{
	static const char *const up[] = {"AUTHOR:", "LINK:", "CODE:", "ABSTRACT:", "KEYWORD:"};
	static const char *const cap[] = {"author:", "Link:", "code:", "abstract:", "keyword:"};
	int l = label_of(s, n);
	if (l < 0)
		return put_line(out, s, n);
	relabel(out, s, n, c->record % 2 ? up[l] : cap[l]);
}

static void v_alias(pb_buf *out, const char *s, size_t n, const line_ctx *c)
{
	static const char *const links[] = {"URL:", "Paper:", "PDF:", "Links:"};
	static const char *const alias[] = {"Authors:", NULL, "Github:", "Abstract:", "Keywords:"};
	int l = label_of(s, n);
	if (l < 0)
		return put_line(out, s, n);
	relabel(out, s, n, l == 1 ? links[c->record % 4] : alias[l]);
}

static void v_chinese(pb_buf *out, const char *s, size_t n, const line_ctx *c)
{
	static const char *const zh[] = {"作者：", "链接：", "代码：", "摘要：", "关键词："};
	(void)c;
	int l = label_of(s, n);
	if (l < 0)
		return put_line(out, s, n);
	relabel(out, s, n, zh[l]);
}

static void v_space_colon(pb_buf *out, const char *s, size_t n, const line_ctx *c)
{
	(void)c;
	int l = label_of(s, n);
	if (l < 0)
		return put_line(out, s, n);
	const char *colon = memchr(s, ':', n);
	pb_buf_append(out, s, (size_t)(colon - s));
	pb_buf_puts(out, " :");
	put_line(out, colon + 1, n - (size_t)(colon + 1 - s));
}

static void v_titles(pb_buf *out, const char *s, size_t n, const line_ctx *c)
{
	if (!c->title)
		return put_line(out, s, n);
	int len = (int)n;
	switch (c->record % 6) {
	case 0: pb_buf_printf(out, "**%.*s**\n", len, s); break;
	case 1: pb_buf_printf(out, "%zu. %.*s\n", c->record, len, s); break;
	case 2: pb_buf_printf(out, "%zu) %.*s\n", c->record, len, s); break;
	case 3: pb_buf_printf(out, "[%zu] %.*s\n", c->record, len, s); break;
	case 4: pb_buf_printf(out, "### %.*s\n", len, s); break;
	default: pb_buf_printf(out, "   %.*s   \n", len, s); break;
	}
}

static void v_blank_lines(pb_buf *out, const char *s, size_t n, const line_ctx *c)
{
	if (label_of(s, n) >= 0)
		pb_buf_puts(out, "\n");
	put_line(out, s, n);
	if (c->title)
		pb_buf_puts(out, "\n\n");
}

static void v_junk(pb_buf *out, const char *s, size_t n, const line_ctx *c)
{
	if (c->title && c->record > 1)
		pb_buf_puts(out, "点赞\n  • 6\nhttps://blog.example.com/share?id=42\n\n");
	put_line(out, s, n);
}

/* Author and link swapped; Keyword moved before the abstract. */
static pb_buf held;
static void v_order(pb_buf *out, const char *s, size_t n, const line_ctx *c)
{
	(void)c;
	int l = label_of(s, n);
	if (l == 0) { /* hold Author until after link */
		pb_buf_reset(&held);
		put_line(&held, s, n);
		return;
	}
	put_line(out, s, n);
	if (l == 1)
		pb_buf_append(out, held.data, held.len);
}

static void v_no_none_lines(pb_buf *out, const char *s, size_t n, const line_ctx *c)
{
	(void)c;
	if ((starts(s, n, "Code: None") && n == 10) ||
	    (starts(s, n, "Keyword: None") && n == 13))
		return;
	put_line(out, s, n);
}

/* Author lines with other separators and markers after names. */
static void v_author_seps(pb_buf *out, const char *s, size_t n, const line_ctx *c)
{
	static const char *const seps[] = {"; ", " and ", "，", "、", ";"};
	static const char *const marks[] = {"*", "†", "‡", "§", "1", "²", "*†"};
	if (label_of(s, n) != 0)
		return put_line(out, s, n);
	const char *sep = seps[c->record % 5];
	const char *mark = marks[c->record % 7];
	const char *p = s, *end = s + n;
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *stop = comma ? comma : end;
		pb_buf_append(out, p, (size_t)(stop - p));
		if (c->record % 3 == 0)
			pb_buf_puts(out, mark);
		if (!comma)
			break;
		pb_buf_puts(out, sep);
		p = comma + 1;
		while (p < end && *p == ' ')
			p++;
	}
	pb_buf_putc(out, '\n');
}

static int in_records;
static void v_records_only(pb_buf *out, const char *s, size_t n, const line_ctx *c)
{
	if (c->title)
		in_records = 1;
	if (in_records && c->record <= 48 && !starts(s, n, "  • 6"))
		put_line(out, s, n);
	if (starts(s, n, "Keyword: federated learning"))
		in_records = 0;
}

static void v_same(pb_buf *out, const char *s, size_t n, const line_ctx *c)
{
	(void)c;
	put_line(out, s, n);
}

typedef struct variant {
	const char *name;
	line_fn fn;
	int venue; /* compare the venue too */
	char *(*whole)(size_t *len); /* a whole-text transformation instead */
} variant;

static char *w_crlf(size_t *len)
{
	pb_buf b = PB_BUF_INIT;
	for (size_t i = 0; i < example_len; i++) {
		if (example[i] == '\n')
			pb_buf_putc(&b, '\r');
		pb_buf_putc(&b, example[i]);
	}
	*len = b.len;
	return pb_buf_detach(&b);
}

static char *w_cr(size_t *len)
{
	char *s = malloc(example_len + 1);
	for (size_t i = 0; i < example_len; i++)
		s[i] = example[i] == '\n' ? '\r' : example[i];
	*len = example_len;
	return s;
}

static char *w_bom(size_t *len)
{
	pb_buf b = PB_BUF_INIT;
	pb_buf_puts(&b, "\xEF\xBB\xBF");
	pb_buf_append(&b, example, example_len);
	*len = b.len;
	return pb_buf_detach(&b);
}

/* The records only, and the last line without its newline. */
static char *w_no_final_newline(size_t *len)
{
	in_records = 0;
	char *s = rewrite(v_records_only, len);
	while (*len && s[*len - 1] == '\n')
		(*len)--;
	return s;
}

static const variant variants[] = {
	{"crlf", NULL, 1, w_crlf},
	{"cr", NULL, 1, w_cr},
	{"bom", NULL, 1, w_bom},
	{"no final newline", NULL, 0, w_no_final_newline},
	{"full-width colons", v_fullwidth, 1, NULL},
	{"label case", v_upper, 1, NULL},
	{"label aliases", v_alias, 1, NULL},
	{"chinese labels", v_chinese, 1, NULL},
	{"space before colon", v_space_colon, 1, NULL},
	{"title decorations", v_titles, 1, NULL},
	{"blank lines", v_blank_lines, 1, NULL},
	{"junk between records", v_junk, 1, NULL},
	{"field order", v_order, 1, NULL},
	{"no Code or Keyword lines", v_no_none_lines, 1, NULL},
	{"author separators and markers", v_author_seps, 1, NULL},
	{"records only", v_records_only, 0, NULL},
	{"unchanged", v_same, 1, NULL},
};

START_TEST(variant_gives_same_records)
{
	const variant *v = &variants[_i];
	size_t len;
	in_records = 0;
	char *text = v->whole ? v->whole(&len) : rewrite(v->fn, &len);
	test_records got;
	test_read(&got, text, len, NULL, NULL);
	ck_assert_msg(got.n == 48, "%s: %zu records\n%s", v->name, got.n,
	              got.diags.data ? got.diags.data : "");
	ck_assert_msg(got.warnings == 0, "%s: warnings\n%s", v->name, got.diags.data);
	pb_buf d = PB_BUF_INIT;
	for (size_t i = 0; i < got.n; i++) {
		pb_buf_reset(&d);
		test_dump(&d, &got.recs[i], v->venue);
		pb_buf want = PB_BUF_INIT;
		test_dump(&want, &base.recs[i], v->venue);
		ck_assert_msg(strcmp(pb_buf_cstr(&d), pb_buf_cstr(&want)) == 0,
		              "%s: record %zu differs:\n--- want\n%s--- got\n%s", v->name,
		              i + 1, want.data, d.data);
		pb_buf_free(&want);
	}
	pb_buf_free(&d);
	test_records_free(&got);
	free(text);
}
END_TEST

/* ---- bad input ----------------------------------------------------------- */

START_TEST(missing_lines_are_warned)
{
	static const char text[] =
	    "A Title Without Authors\n"
	    "link: https://openreview.net/pdf?id=AAA\n"
	    "Keyword: none of them\n"
	    "\n"
	    "A Title Without Link\n"
	    "Author: Ada Lovelace\n"
	    "Abstract: Some text.\n"
	    "\n"
	    "Author: Orphan Author\n"
	    "link: https://openreview.net/pdf?id=BBB\n";
	test_records got;
	test_read(&got, text, sizeof text - 1, NULL, NULL);
	ck_assert_uint_eq(got.n, 2);
	ck_assert_str_eq(got.recs[0].title, "A Title Without Authors");
	ck_assert_uint_eq(got.recs[0].n_authors, 0);
	ck_assert_str_eq(got.recs[1].title, "A Title Without Link");
	ck_assert_uint_eq(got.recs[1].n_authors, 1);
	ck_assert_uint_eq(got.warnings, 3);
	const char *d = got.diags.data;
	ck_assert_msg(strstr(d, "1:0: warning: 'A Title Without Authors' has no Author line"), "%s", d);
	ck_assert_msg(strstr(d, "5:0: warning: 'A Title Without Link' has no link"), "%s", d);
	ck_assert_msg(strstr(d, "9:0: warning: fields without a title line before them; skipped"), "%s", d);
	test_records_free(&got);
}
END_TEST

START_TEST(invalid_utf8_is_replaced_and_kept)
{
	static const char text[] =
	    "Caf\xC3 Title\n"
	    "Author: G\xE1" "bor Melis\n"
	    "link: https://openreview.net/pdf?id=X\n"
	    "Abstract: nul\0byte\n";
	test_records got;
	test_read(&got, text, sizeof text - 1, NULL, NULL);
	ck_assert_uint_eq(got.n, 1);
	ck_assert_str_eq(got.recs[0].title, "Caf\xEF\xBF\xBD Title");
	ck_assert_str_eq(got.recs[0].authors[0].given, "G\xEF\xBF\xBD" "bor");
	ck_assert_str_eq(got.recs[0].abstract, "nul\xEF\xBF\xBD" "byte");
	ck_assert_uint_eq(got.warnings, 3);
	const char *d = got.diags.data;
	ck_assert_msg(strstr(d, "1:4: warning: invalid UTF-8 byte 0xC3 replaced by U+FFFD"), "%s", d);
	ck_assert_msg(strstr(d, "2:10: warning: invalid UTF-8 byte 0xE1 replaced by U+FFFD"), "%s", d);
	ck_assert_msg(strstr(d, "4:14: warning: NUL byte replaced by U+FFFD"), "%s", d);
	test_records_free(&got);

	/* with strict, the same problems are errors */
	pb_config *cfg = pb_config_new();
	ck_assert_int_eq(pb_config_set(cfg, "input", "strict", "yes", NULL, NULL), PB_OK);
	test_read(&got, text, sizeof text - 1, NULL, cfg);
	ck_assert_uint_eq(got.errors, 3);
	test_records_free(&got);
	pb_config_free(cfg);
}
END_TEST

START_TEST(extra_fields_and_other_links)
{
	static const char text[] =
	    "1. Attention Is All You Need\n"
	    "Authors: Ashish Vaswani, Martin Luther King, Jr., Noam Shazeer, Sammy Davis, Jr\n"
	    "PDF: https://arxiv.org/pdf/1706.03762.pdf\n"
	    "Venue: NeurIPS 2017\n"
	    "Keywords: attention；transformer、 None\n"
	    "\n"
	    "[2] A Page Link\n"
	    "URL: https://example.org/paper.html extra words\n"
	    "Code: N/A\n"
	    "Abstract:\n"
	    "\n"
	    "Starts after a blank line.\n"
	    "\n"
	    "Second paragraph.\n"
	    "Keyword: x\n";
	test_records got;
	test_read(&got, text, sizeof text - 1, NULL, NULL);
	ck_assert_uint_eq(got.n, 2);
	const pb_record *r = &got.recs[0];
	ck_assert_str_eq(r->title, "Attention Is All You Need");
	ck_assert_uint_eq(r->n_authors, 4);
	ck_assert_str_eq(r->authors[1].given, "Martin Luther");
	ck_assert_str_eq(r->authors[1].family, "King");
	ck_assert_str_eq(r->authors[1].suffix, "Jr.");
	ck_assert_str_eq(r->authors[2].family, "Shazeer");
	ck_assert_str_eq(r->authors[3].family, "Davis");
	ck_assert_str_eq(r->authors[3].suffix, "Jr");
	ck_assert_str_eq(r->url, "https://arxiv.org/abs/1706.03762");
	ck_assert_str_eq(r->pdf_url, "https://arxiv.org/pdf/1706.03762.pdf");
	ck_assert_str_eq(r->id, "1706.03762");
	ck_assert_uint_eq(r->n_extra, 1);
	ck_assert_str_eq(r->extra[0].key, "venue");
	ck_assert_str_eq(r->extra[0].value, "NeurIPS 2017");
	ck_assert_uint_eq(r->n_keywords, 2);
	ck_assert_str_eq(r->keywords[1], "transformer");
	r = &got.recs[1];
	ck_assert_str_eq(r->title, "A Page Link");
	ck_assert_str_eq(r->url, "https://example.org/paper.html");
	ck_assert_ptr_null(r->pdf_url);
	ck_assert_ptr_null(r->code_url);
	ck_assert_str_eq(r->abstract, "Starts after a blank line. Second paragraph.");
	test_records_free(&got);
}
END_TEST

START_TEST(empty_and_header_only_inputs_have_no_records)
{
	test_records got;
	test_read(&got, "", 0, NULL, NULL);
	ck_assert_uint_eq(got.n, 0);
	test_records_free(&got);
	static const char header[] = "Just a blog post\n\nwith no records at all.\n";
	test_read(&got, header, sizeof header - 1, NULL, NULL);
	ck_assert_uint_eq(got.n, 0);
	ck_assert_uint_eq(got.warnings, 0);
	test_records_free(&got);
}
END_TEST

START_TEST(mathjax_can_be_turned_off)
{
	pb_config *cfg = pb_config_new();
	ck_assert_int_eq(pb_config_set(cfg, "input", "mathjax", "no", NULL, NULL), PB_OK);
	test_records got;
	test_read(&got, example, example_len, NULL, cfg);
	ck_assert_uint_eq(got.n, 48);
	const pb_record *on = find("Reformer: The Efficient Transformer");
	const pb_record *off = NULL;
	for (size_t i = 0; i < got.n; i++)
		if (strcmp(got.recs[i].title, on->title) == 0)
			off = &got.recs[i];
	ck_assert_ptr_nonnull(strstr(off->abstract, "O( L 2 L^2 L2)"));
	ck_assert_ptr_null(strstr(on->abstract, "O( L 2 L^2 L2)"));
	ck_assert_ptr_nonnull(strstr(on->abstract, "O($L^2$)"));
	test_records_free(&got);
	pb_config_free(cfg);
}
END_TEST

/* LaTeX the writers' allow-list refuses (PB_LATEX_UNTRUSTED) is warned
 * about once per record, at the line of the first field holding it:
 * title, authors, abstract, keywords or an extra field. URLs are not
 * LaTeX, and allowed LaTeX (the reference list's) is no warning. */
static const test_diag_case refused_latex[] = {
	{"Evil $\\input{/etc/hostname}$ Title\nAuthor: A B\n"
	 "link: https://x.org/a\n",
	 1, 1, 0,
	 "1:0: warning: LaTeX command \\input is not allowed in a paper "
	 "list; written as text"},
	{"A Title\nAuthor: Ann \\def\\x{y}\\x Bee\nlink: https://x.org/a\n"
	 "Abstract: $\\input{/etc/hostname}$ and \\write18\n",
	 1, 1, 0, "2:0: warning: LaTeX command \\def is not allowed"},
	{"A Title\nAuthor: Ann Bee\nlink: https://x.org/a\n"
	 "Abstract:\nSome text with\n\\csname input\\endcsname{x} in it.\n",
	 1, 1, 0, "4:0: warning: LaTeX command \\csname is not allowed"},
	{"A Title\nAuthor: Ann Bee\nlink: https://x.org/a\n"
	 "Keyword: safe, \\catcode`\\^=7\n",
	 1, 1, 0, "4:0: warning: LaTeX command \\catcode is not allowed"},
	{"A Title\nAuthor: Ann Bee\nlink: https://x.org/a\n"
	 "Venue: \\usepackage{x}\n",
	 1, 1, 0, "4:0: warning: LaTeX command \\usepackage is not allowed"},
	{"A Title\nAuthor: Ann Bee\nlink: https://x.org/a\n"
	 "Abstract: math $x^^5cinput{m}$\n",
	 1, 1, 0, "4:0: warning: LaTeX notation ^^ is not allowed"},
	{"A Title\nAuthor: Ann Bee\nlink: https://x.org/a\n"
	 "Abstract: \\@input{m}\n",
	 1, 1, 0, "4:0: warning: LaTeX command \\@ is not allowed"},
	{"One $\\input{a}$\nAuthor: Ann Bee\nlink: https://x.org/a\n\n"
	 "Two\nAuthor: Cy Dee\nlink: https://x.org/b\n"
	 "Abstract: \\include{b}\n",
	 2, 2, 0, "8:0: warning: LaTeX command \\include is not allowed"},
	{"Fine $\\mathcal{O}(\\frac{1}{T})$ Title\nAuthor: Ann Bee\n"
	 "link: https://x.org/a\\input\nCode: https://x.org/\\input{c}\n"
	 "Abstract: \\texttt{FedAvg}, {\\it negative}, $\\Omega (\\eta)$, "
	 "50 % 50\\% 50%, x^^5c in text\n",
	 1, 0, 0, ""},
};

START_TEST(refused_latex_warned_once)
{
	test_diagnosed(NULL, &refused_latex[_i]);
}
END_TEST

/* One Author: line per author, "Family, Given | Affiliation", then
 * "keyword: a; b; c" (issue 15, shape 7): consecutive Author: lines add
 * authors to one record, the affiliation is dropped, and a record without
 * authors or keywords takes none from its neighbours. */
static const char *const author_lines_want[] = {
	"title=A Study of Things\nauthor=Jane|Smith|||\nauthor=Wei|Zhang|||\n"
	"author=Anna|van der Berg|van der||\n"
	"url=https://openreview.net/forum?id=S7a\n"
	"pdf=https://openreview.net/pdf?id=S7a\ncode=(null)\nid=S7a\n"
	"abstract=(null)\nkeyword=graphs\nkeyword=learning\nkeyword=things\n",
	"title=Second Paper Without Keywords\nauthor=Ann|Lee|||\n"
	"url=https://openreview.net/forum?id=S7b\n"
	"pdf=https://openreview.net/pdf?id=S7b\ncode=(null)\nid=S7b\n"
	"abstract=(null)\n",
	"title=Third Paper Without Authors\n"
	"url=https://openreview.net/forum?id=S7c\n"
	"pdf=https://openreview.net/pdf?id=S7c\ncode=(null)\nid=S7c\n"
	"abstract=(null)\nkeyword=robustness\nkeyword=tokens\n",
	/* a line without a comma is a display name; one with two, a list */
	"title=Fourth Paper With Plain Names\nauthor=Bo|Chen|||\n"
	"author=Carl|Dunn|||\nauthor=Dana|Evans|||\nauthor=Eve|Fox|||\n"
	"url=https://openreview.net/forum?id=S7d\n"
	"pdf=https://openreview.net/pdf?id=S7d\ncode=(null)\nid=S7d\n"
	"abstract=(null)\nkeyword=x\n",
};

START_TEST(one_author_line_per_author)
{
	size_t len;
	char *text = test_slurp("data/list-authors.txt", &len);
	test_records got;
	test_read(&got, text, len, NULL, NULL);
	const char *d = pb_buf_cstr(&got.diags);
	ck_assert_msg(got.n == 4, "%zu records: %s", got.n, d);
	for (size_t i = 0; i < got.n; i++) {
		pb_buf dump = PB_BUF_INIT;
		test_dump(&dump, &got.recs[i], 0);
		ck_assert_msg(strcmp(pb_buf_cstr(&dump), author_lines_want[i]) == 0,
		              "record %zu differs:\n--- want\n%s--- got\n%s", i,
		              author_lines_want[i], dump.data);
		pb_buf_free(&dump);
	}
	/* the only warning: the record that has no Author line */
	ck_assert_msg(got.warnings == 1 && strstr(d, "14:0: warning: 'Third Paper "
	                                             "Without Authors' has no Author line"),
	              "%s", d);
	test_records_free(&got);
	free(text);
}
END_TEST

/* Accepted-paper lists pasted from a conference site (issue 15, shape
 * 10): "117<TAB>Jane Smith, Wei Zhang. A Study of Things", one record a
 * line; a label line below one is its field; a numbered line without
 * authors is named and takes nothing from its neighbours. */
static const char *const accepted_want[] = {
	"line=4\ntitle=A Study of Things\nauthor=Jane|Smith|||\nauthor=Wei|Zhang|||\n"
	"url=(null)\npdf=(null)\ncode=(null)\nid=(null)\nabstract=(null)\n",
	/* initials do not end the authors; a final period is no title's */
	"line=5\ntitle=Rings: A Survey of Circular Things\nauthor=J. R.|Tolkien|||\n"
	"author=A.-B.|Chen|||\n"
	"url=(null)\npdf=(null)\ncode=(null)\nid=(null)\nabstract=(null)\n",
	"line=7\ntitle=Learning to Learn. Quickly\nauthor=Ann|Lee|||\n"
	"author=Bo|Chen|||\nurl=https://arxiv.org/abs/2101.00120\npdf=(null)\n"
	"code=(null)\nid=(null)\nabstract=(null)\n",
	/* no link: not the one above */
	"line=9\ntitle=The Last Paper Has No Link\nauthor=Carl|Dunn|||\n"
	"url=(null)\npdf=(null)\ncode=(null)\nid=(null)\nabstract=(null)\n",
};

START_TEST(numbered_accepted_papers)
{
	size_t len;
	char *text = test_slurp("data/list-accepted.txt", &len);
	test_records got;
	test_read(&got, text, len, NULL, NULL);
	const char *d = pb_buf_cstr(&got.diags);
	ck_assert_msg(got.n == 4, "%zu records: %s", got.n, d);
	for (size_t i = 0; i < got.n; i++) {
		pb_buf dump = PB_BUF_INIT;
		pb_buf_printf(&dump, "line=%lu\n", got.recs[i].line);
		test_dump(&dump, &got.recs[i], 0);
		ck_assert_msg(strcmp(pb_buf_cstr(&dump), accepted_want[i]) == 0,
		              "record %zu differs:\n--- want\n%s--- got\n%s", i,
		              accepted_want[i], dump.data);
		pb_buf_free(&dump);
	}
	ck_assert_msg(got.warnings == 1 &&
	                  strstr(d, "6:0: warning: numbered line is not 'authors. "
	                            "title'; ignored"),
	              "%s", d);
	test_records_free(&got);
	free(text);
}
END_TEST

/* Numbered lines choose this reader even with Markdown around them. */
static const test_probe_case numbered_probes[] = {
	{"# Accepted\n\n[Home](https://a.org) [CfP](https://a.org/c) "
	 "[Dates](https://a.org/d)\n\n1\tAnn Lee. A Title Here\n"
	 "2\tBo Chen, Carl Dunn. Another Title\n",
	 80, 80},
	/* one numbered line is not a list of them */
	{"1\tAnn Lee. A Title Here\n", 1, 1},
	{"Title\nAuthor: Ann Lee\n", 50, 50},
};

START_TEST(numbered_lines_are_probed)
{
	test_probe(&pb_paperlist_format, &numbered_probes[_i]);
}
END_TEST

Suite *paperlist_suite(void);
Suite *paperlist_suite(void)
{
	Suite *s = suite_create("paperlist");
	TCase *t = tcase_create("reference");
	tcase_add_unchecked_fixture(t, load, unload);
	tcase_add_test(t, reference_has_48_records);
	tcase_add_test(t, titles_lose_markdown_bold);
	tcase_add_test(t, author_markers_are_stripped);
	tcase_add_test(t, et_al_goes_on);
	tcase_add_test(t, links_give_pdf_id_and_forum);
	tcase_add_test(t, none_means_absent);
	tcase_add_test(t, abstracts_whole);
	tcase_add_test(t, venue_detected_from_header);
	tcase_add_test(t, mathjax_can_be_turned_off);
	tcase_add_loop_test(t, variant_gives_same_records, 0,
	                    (int)(sizeof variants / sizeof variants[0]));
	suite_add_tcase(s, t);
	TCase *bad = tcase_create("bad input");
	tcase_add_test(bad, missing_lines_are_warned);
	tcase_add_test(bad, invalid_utf8_is_replaced_and_kept);
	tcase_add_test(bad, extra_fields_and_other_links);
	tcase_add_test(bad, empty_and_header_only_inputs_have_no_records);
	tcase_add_test(bad, one_author_line_per_author);
	tcase_add_test(bad, numbered_accepted_papers);
	tcase_add_loop_test(bad, numbered_lines_are_probed, 0,
	                    TEST_COUNT(numbered_probes));
	tcase_add_loop_test(bad, refused_latex_warned_once, 0,
	                    TEST_COUNT(refused_latex));
	suite_add_tcase(s, bad);
	return s;
}
