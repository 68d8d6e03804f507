/* The OPML writer against in-memory streams, checked by parsing its
 * output back with libxml2. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlwriter.h>
#include <libxml/xpath.h>

#include "paperbib/paperbib.h"
#include "readutil.h"
#include "testutil.h"

extern const pb_format pb_opml_format;
Suite *opml_suite(void);

/* A paper: title, authors ("|"-separated), url, pdf, code, keywords
 * ("|"-separated), track. NULL for absent. */
typedef struct paper {
	const char *title, *authors, *url, *pdf, *code, *keywords, *track;
} paper;

static void add_list(pb_record *r, const char *list, int authors)
{
	char *copy = strdup(list), *save = NULL;
	ck_assert_ptr_nonnull(copy);
	for (char *t = strtok_r(copy, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
		if (authors) {
			/* "Given Family", split at the last space */
			pb_name n;
			char *sp = strrchr(t, ' ');
			pb_name_init(&n);
			ck_assert_ptr_nonnull(sp);
			n.given = strndup(t, (size_t)(sp - t));
			n.family = strdup(sp + 1);
			ck_assert_ptr_nonnull(n.given);
			ck_assert_ptr_nonnull(n.family);
			ck_assert_int_eq(pb_record_add_author(r, &n), PB_OK);
			pb_name_clear(&n);
		} else {
			ck_assert_int_eq(pb_record_add_keyword(r, t), PB_OK);
		}
	}
	free(copy);
}

static void make_record(pb_record *r, const paper *p)
{
	pb_record_init(r);
	ck_assert_int_eq(pb_record_set(r, PB_F_TITLE, p->title), PB_OK);
	ck_assert_int_eq(pb_record_set(r, PB_F_URL, p->url), PB_OK);
	ck_assert_int_eq(pb_record_set(r, PB_F_PDF_URL, p->pdf), PB_OK);
	ck_assert_int_eq(pb_record_set(r, PB_F_CODE_URL, p->code), PB_OK);
	ck_assert_int_eq(pb_record_set(r, PB_F_VENUE_TRACK, p->track), PB_OK);
	ck_assert_int_eq(pb_record_set(r, PB_F_VENUE_NAME,
	                               "International Conference on Learning Representations"),
	                 PB_OK);
	ck_assert_int_eq(pb_record_set(r, PB_F_VENUE_SHORT, "ICLR"), PB_OK);
	ck_assert_int_eq(pb_record_set(r, PB_F_VENUE_YEAR, "2020"), PB_OK);
	if (p->authors)
		add_list(r, p->authors, 1);
	if (p->keywords)
		add_list(r, p->keywords, 0);
}

static pb_config *config_with(const char *key, const char *value)
{
	pb_config *cfg = pb_config_new();
	ck_assert_ptr_nonnull(cfg);
	if (key)
		ck_assert_int_eq(pb_config_set(cfg, "opml", key, value, "test", NULL),
		                 PB_OK);
	return cfg;
}

/* Writes recs to f; returns the status of the first failing step. */
static int write_all(FILE *f, const pb_config *cfg, const pb_record *recs,
                     size_t n)
{
	const pb_record **p = test_pointers(recs, n);
	int rc = test_write_to(f, &pb_opml_format, cfg, NULL, p, n);
	free(p);
	return rc;
}

/* The OPML for recs (malloc'd). */
static char *convert(const pb_config *cfg, const pb_record *recs, size_t n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(write_all(f, cfg, recs, n), PB_OK);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_uint_eq(strlen(text), len);
	return text;
}

static char *convert_papers(const pb_config *cfg, const paper *p, size_t n)
{
	pb_record *recs = calloc(n ? n : 1, sizeof *recs);
	ck_assert_ptr_nonnull(recs);
	for (size_t i = 0; i < n; i++)
		make_record(&recs[i], &p[i]);
	char *out = convert(cfg, recs, n);
	for (size_t i = 0; i < n; i++)
		pb_record_clear(&recs[i]);
	free(recs);
	return out;
}

/* string(expr) evaluated on the document text (malloc'd). Fails the
 * test unless text is well-formed XML. */
static char *xpath(const char *text, const char *expr)
{
	xmlDocPtr doc = xmlReadMemory(text, (int)strlen(text), "opml.xml", NULL,
	                              XML_PARSE_NONET | XML_PARSE_NOERROR |
	                                      XML_PARSE_NOWARNING);
	ck_assert_msg(doc != NULL, "not well-formed:\n%s", text);
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	ck_assert_ptr_nonnull(ctx);
	xmlXPathObjectPtr obj = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	ck_assert_msg(obj != NULL, "bad XPath %s", expr);
	xmlChar *s = xmlXPathCastToString(obj);
	char *out = strdup((const char *)s);
	xmlFree(s);
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return out;
}

static void assert_xpath(const char *text, const char *expr, const char *want)
{
	char *got = xpath(text, expr);
	ck_assert_msg(strcmp(got, want) == 0, "%s: got '%s', want '%s'\n%s",
	              expr, got, want, text);
	free(got);
}

static const paper reformer = {
	"Reformer: The Efficient Transformer",
	"Nikita Kitaev|Lukasz Kaiser|Anselm Levskaya",
	"https://openreview.net/forum?id=rkgNKkHtvB",
	"https://openreview.net/pdf?id=rkgNKkHtvB",
	"https://github.com/google/trax",
	"attention|locality sensitive hashing",
	"Talk",
};

START_TEST(test_paper_outline)
{
	pb_config *cfg = config_with(NULL, NULL);
	char *out = convert_papers(cfg, &reformer, 1);

	ck_assert_msg(strncmp(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                           "<opml version=\"2.0\">\n\t<head>\n",
	                      60) == 0,
	              "%s", out);
	assert_xpath(out, "/opml/head/title",
	             "ICLR 2020 \xe2\x80\x94 reading list");
	assert_xpath(out, "/opml/head/docs", "http://opml.org/spec2.opml");
	assert_xpath(out, "count(/opml/head/dateCreated)", "0");
	assert_xpath(out, "count(/opml/body/outline)", "1");
	assert_xpath(out, "/opml/body/outline/@text",
	             "Reformer: The Efficient Transformer");
	assert_xpath(out, "/opml/body/outline/@type", "link");
	assert_xpath(out, "/opml/body/outline/@url",
	             "https://openreview.net/forum?id=rkgNKkHtvB");
	assert_xpath(out, "/opml/body/outline/@category",
	             "/attention,/locality sensitive hashing");
	assert_xpath(out, "/opml/body/outline/@_note",
	             "Nikita Kitaev, Lukasz Kaiser, Anselm Levskaya\n\n"
	             "International Conference on Learning Representations (ICLR 2020)"
	             "\n\nTrack: Talk");
	assert_xpath(out, "count(/opml/body/outline/outline)", "2");
	assert_xpath(out, "/opml/body/outline/outline[1]/@text", "PDF");
	assert_xpath(out, "/opml/body/outline/outline[1]/@type", "link");
	assert_xpath(out, "/opml/body/outline/outline[1]/@url",
	             "https://openreview.net/pdf?id=rkgNKkHtvB");
	assert_xpath(out, "/opml/body/outline/outline[2]/@text", "Code");
	assert_xpath(out, "/opml/body/outline/outline[2]/@url",
	             "https://github.com/google/trax");
	/* newlines in _note survive as character references */
	ck_assert_ptr_nonnull(strstr(out, "Levskaya&#10;&#10;International"));
	free(out);
	pb_config_free(cfg);
}
END_TEST

START_TEST(test_minimal_record)
{
	/* no forum page: the PDF is the url and not repeated as a child;
	 * no authors, keywords or venue: no _note, no category */
	pb_record r;
	pb_record_init(&r);
	ck_assert_int_eq(pb_record_set(&r, PB_F_TITLE, "T"), PB_OK);
	ck_assert_int_eq(pb_record_set(&r, PB_F_PDF_URL, "http://x.org/a.pdf"), PB_OK);
	char *out = convert(NULL, &r, 1);
	assert_xpath(out, "/opml/head/title", "Reading list");
	assert_xpath(out, "/opml/body/outline/@url", "http://x.org/a.pdf");
	assert_xpath(out, "count(/opml/body/outline/outline)", "0");
	assert_xpath(out, "count(/opml/body/outline/@_note)", "0");
	assert_xpath(out, "count(/opml/body/outline/@category)", "0");
	free(out);
	pb_record_clear(&r);

	/* no title and no link: text stays, type does not */
	pb_record_init(&r);
	out = convert(NULL, &r, 1);
	assert_xpath(out, "/opml/body/outline/@text", "Untitled");
	assert_xpath(out, "count(/opml/body/outline/@type)", "0");
	free(out);
	pb_record_clear(&r);
}
END_TEST

START_TEST(test_no_records)
{
	char *out = convert(NULL, NULL, 0);
	assert_xpath(out, "count(/opml/head/title)", "1");
	assert_xpath(out, "count(/opml/body)", "1");
	assert_xpath(out, "count(//outline)", "0");
	free(out);
}
END_TEST

/* Escaping: each title must come back unchanged from the parsed output,
 * and the raw output must hold the expected spelling. */
static const struct {
	const char *title;
	const char *raw; /* what the text attribute holds in the file */
} escapes[] = {
	{"a < b", "text=\"a &lt; b\""},
	{"a > b", "text=\"a &gt; b\""},
	{"R&D", "text=\"R&amp;D\""},
	{"say \"hi\"", "text=\"say &quot;hi&quot;\""},
	{"it's", "text=\"it's\""},
	{"<&>\"'", "text=\"&lt;&amp;&gt;&quot;'\""},
	{"Bi\xc5\x84kowski \xe2\x80\x94 caf\xc3\xa9",
	 "text=\"Bi\xc5\x84kowski \xe2\x80\x94 caf\xc3\xa9\""},
	{"\xe5\x9b\xbe\xe7\xa5\x9e\xe7\xbb\x8f\xe7\xbd\x91\xe7\xbb\x9c \xf0\x9f\x98\x80",
	 "text=\"\xe5\x9b\xbe\xe7\xa5\x9e\xe7\xbb\x8f\xe7\xbd\x91\xe7\xbb\x9c \xf0\x9f\x98\x80\""},
	{"line\nbreak\ttab", "text=\"line&#10;break&#9;tab\""},
	{"]]> &amp;", "text=\"]]&gt; &amp;amp;\""},
};

START_TEST(test_escaping)
{
	const char *t = escapes[_i].title;
	paper p = {t, "Ann O'Neil|Jos\xc3\xa9 <B> & C", "https://x.org/?a=1&b=\"2\"",
	           NULL, NULL, t, NULL};
	pb_config *cfg = config_with("title", t);
	char *out = convert_papers(cfg, &p, 1);

	ck_assert_msg(strstr(out, escapes[_i].raw) != NULL, "no %s in\n%s",
	              escapes[_i].raw, out);
	assert_xpath(out, "/opml/head/title", t);
	assert_xpath(out, "/opml/body/outline/@text", t);
	assert_xpath(out, "/opml/body/outline/@url", "https://x.org/?a=1&b=\"2\"");
	ck_assert_ptr_nonnull(strstr(out, "url=\"https://x.org/?a=1&amp;b=&quot;2&quot;\""));
	char *note = xpath(out, "/opml/body/outline/@_note");
	ck_assert_ptr_nonnull(strstr(note, "Ann O'Neil, Jos\xc3\xa9 <B> & C\n\n"));
	free(note);
	free(out);
	pb_config_free(cfg);
}
END_TEST

START_TEST(test_bad_characters)
{
	/* control characters and invalid UTF-8 are not XML: replaced */
	paper p = {"a\x01" "b\xff" "c", NULL, "https://x.org/", NULL, NULL,
	           "k\x1f", NULL};
	char *out = convert_papers(NULL, &p, 1);
	assert_xpath(out, "/opml/body/outline/@text",
	             "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c");
	assert_xpath(out, "/opml/body/outline/@category", "/k\xef\xbf\xbd");
	free(out);
}
END_TEST

START_TEST(test_category_reserved)
{
	paper p = {"T", NULL, "https://x.org/", NULL, NULL, "TCP/IP|a,b", NULL};
	char *out = convert_papers(NULL, &p, 1);
	assert_xpath(out, "/opml/body/outline/@category", "/TCP IP,/a b");
	free(out);
}
END_TEST

/* The writer escapes attribute values itself and writes them raw: they
 * must come out as libxml2's own xmlTextWriterWriteAttribute writes them
 * in a UTF-8 document, for every byte it keeps. */
static const char *const attr_oracle[] = {
	" ", "plain", "\t\n\r tab, line, return", "\"&<>'", "&amp; &#10;",
	" !#$%()*+,-./0123456789:;=?@[\\]^_`{|}~\x7f",
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
	"caf\xc3\xa9 \xe2\x80\x94 \xe5\x9b\xbe \xf0\x9f\x98\x80 \xef\xbf\xbd",
	"\xc2\x85\xe2\x80\xa8\xe2\x80\xa9\xc2\xa0",
	"\xc3\xa9&\xc3\xa9\n\xc3\xa9",
};

/* What xmlTextWriterWriteAttribute makes of value: ` text="..."`. */
static char *libxml_attr(const char *value)
{
	xmlBufferPtr buf = xmlBufferCreate();
	ck_assert_ptr_nonnull(buf);
	xmlTextWriterPtr xw = xmlNewTextWriterMemory(buf, 0);
	ck_assert_ptr_nonnull(xw);
	ck_assert_int_ge(xmlTextWriterStartDocument(xw, NULL, "UTF-8", NULL), 0);
	ck_assert_int_ge(xmlTextWriterStartElement(xw, BAD_CAST "o"), 0);
	ck_assert_int_ge(xmlTextWriterWriteAttribute(xw, BAD_CAST "text",
	                                             BAD_CAST value), 0);
	ck_assert_int_ge(xmlTextWriterEndDocument(xw), 0);
	xmlFreeTextWriter(xw);
	const char *all = (const char *)xmlBufferContent(buf);
	const char *start = strstr(all, " text=\"");
	ck_assert_ptr_nonnull(start);
	const char *end = strstr(start, "\"/>");
	ck_assert_ptr_nonnull(end);
	char *attr = strndup(start, (size_t)(end - start + 1));
	ck_assert_ptr_nonnull(attr);
	xmlBufferFree(buf);
	return attr;
}

START_TEST(test_attr_oracle)
{
	const char *t = attr_oracle[_i];
	paper p = {t, NULL, "https://x.org/", NULL, NULL, NULL, NULL};
	char *out = convert_papers(NULL, &p, 1);
	char *want = libxml_attr(t);
	ck_assert_msg(strstr(out, want) != NULL, "no %s in\n%s", want, out);
	assert_xpath(out, "/opml/body/outline/@text", t);
	free(want);
	free(out);
}
END_TEST

/* Characters XML does not allow, at every place in a run. */
static const struct {
	const char *in, *out;
} not_xml[] = {
	{"\x01", "\xef\xbf\xbd"},
	{"\xff" "a", "\xef\xbf\xbd" "a"},
	{"a\xff", "a\xef\xbf\xbd"},
	{"a\x0b" "b\x0c" "c", "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c"},
	{"x\xef\xbf\xbe" "y\xef\xbf\xbf", "x\xef\xbf\xbd" "y\xef\xbf\xbd"},
	{"cut\xe2\x80", "cut\xef\xbf\xbd\xef\xbf\xbd"},
	{"\xc3\xa9\xc3", "\xc3\xa9\xef\xbf\xbd"},
	{"over\xc0\xaf" "long", "over\xef\xbf\xbd\xef\xbf\xbd" "long"},
	{"sur\xed\xa0\x80", "sur\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
	{"&\x01<", "&\xef\xbf\xbd<"},
};

START_TEST(test_not_xml)
{
	paper p = {not_xml[_i].in, NULL, "https://x.org/", NULL, NULL, NULL,
	           NULL};
	char *out = convert_papers(NULL, &p, 1);
	assert_xpath(out, "/opml/body/outline/@text", not_xml[_i].out);
	free(out);
}
END_TEST

static const paper grouped[] = {
	{"P1", NULL, "https://x.org/1", NULL, NULL, "beta", "Poster"},
	{"P2", NULL, "https://x.org/2", NULL, NULL, "Alpha|alpha", "Oral"},
	{"P3", NULL, "https://x.org/3", NULL, NULL, NULL, NULL},
	{"P4", NULL, "https://x.org/4", NULL, NULL, "\xc3\x89t\xc3\xa9|BETA|alpha", "Poster"},
};

/* group_by value, folder names in order ("|"-separated), then the papers
 * of each folder ("," within a folder, "|" between folders). */
static const struct {
	const char *group_by;
	const char *folders;
	const char *papers;
} groupings[] = {
	{"none", "", "P1|P2|P3|P4"},
	/* alphabetical, not first seen (beta, Alpha, Été); named as first
	 * spelt; a keyword repeated by P2 lists it once */
	{"keyword", "Alpha|beta|\xc3\x89t\xc3\xa9|No keywords", "P2,P4|P1,P4|P4|P3"},
	{"track", "Poster|Oral|No track", "P1,P4|P2|P3"},
};

/* The folder names or the papers of out, in the format of the table. */
static char *describe(const char *out, int papers)
{
	char expr[128], *buf = calloc(1, 4096);
	ck_assert_ptr_nonnull(buf);
	char *n = xpath(out, "count(/opml/body/outline)");
	int folders = atoi(n);
	free(n);
	for (int i = 1; i <= folders; i++) {
		snprintf(expr, sizeof expr, "/opml/body/outline[%d]/@text", i);
		char *name = xpath(out, expr);
		snprintf(expr, sizeof expr, "count(/opml/body/outline[%d]/outline)", i);
		char *cnt = xpath(out, expr);
		int kids = atoi(cnt);
		if (i > 1)
			strcat(buf, "|");
		if (!papers || kids == 0) {
			strcat(buf, name);
		} else {
			for (int k = 1; k <= kids; k++) {
				snprintf(expr, sizeof expr,
				         "/opml/body/outline[%d]/outline[%d]/@text", i, k);
				char *t = xpath(out, expr);
				if (k > 1)
					strcat(buf, ",");
				strcat(buf, t);
				free(t);
			}
		}
		free(name);
		free(cnt);
	}
	return buf;
}

START_TEST(test_grouping)
{
	pb_config *cfg = config_with("group_by", groupings[_i].group_by);
	char *out = convert_papers(cfg, grouped, sizeof grouped / sizeof grouped[0]);
	char *got = describe(out, 1);
	ck_assert_str_eq(got, groupings[_i].papers);
	free(got);
	if (groupings[_i].folders[0]) {
		got = describe(out, 0);
		ck_assert_str_eq(got, groupings[_i].folders);
		free(got);
		assert_xpath(out, "count(/opml/body/outline/@type)", "0");
	}
	free(out);
	pb_config_free(cfg);
}
END_TEST

START_TEST(test_grouping_empty)
{
	pb_config *cfg = config_with("group_by", "keyword");
	char *out = convert(cfg, NULL, 0);
	assert_xpath(out, "count(//outline)", "0");
	assert_xpath(out, "/opml/head/title", "Reading list");
	free(out);
	pb_config_free(cfg);
}
END_TEST

START_TEST(test_date)
{
	pb_config *cfg = config_with("date", "yes");
	ck_assert_int_eq(setenv("SOURCE_DATE_EPOCH", "1588000000", 1), 0);
	char *out = convert_papers(cfg, &reformer, 1);
	assert_xpath(out, "/opml/head/dateCreated", "Mon, 27 Apr 2020 15:06:40 GMT");
	free(out);

	/* now, when SOURCE_DATE_EPOCH is not set */
	ck_assert_int_eq(unsetenv("SOURCE_DATE_EPOCH"), 0);
	out = convert_papers(cfg, &reformer, 1);
	char *d = xpath(out, "/opml/head/dateCreated");
	ck_assert_uint_eq(strlen(d), strlen("Mon, 27 Apr 2020 15:06:40 GMT"));
	ck_assert_str_eq(d + strlen(d) - 4, " GMT");
	free(d);
	free(out);

	ck_assert_int_eq(setenv("SOURCE_DATE_EPOCH", "soon", 1), 0);
	FILE *f = tmpfile();
	ck_assert_ptr_nonnull(f);
	pb_record r;
	make_record(&r, &reformer);
	ck_assert_int_eq(write_all(f, cfg, &r, 1), PB_ECONFIG);
	ck_assert_int_eq(unsetenv("SOURCE_DATE_EPOCH"), 0);
	pb_record_clear(&r);
	fclose(f);
	pb_config_free(cfg);
}
END_TEST

START_TEST(test_title_from_config_venue)
{
	/* no records: the title comes from [venue] */
	pb_config *cfg = pb_config_new();
	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(pb_config_set(cfg, "venue", "short_name", "ICLR", "t", NULL), PB_OK);
	ck_assert_int_eq(pb_config_set(cfg, "venue", "year", "2020", "t", NULL), PB_OK);
	char *out = convert(cfg, NULL, 0);
	assert_xpath(out, "/opml/head/title", "ICLR 2020 \xe2\x80\x94 reading list");
	free(out);
	pb_config_free(cfg);
}
END_TEST

#if LIBXML_VERSION >= 21200
static void ignore_error(void *ctx, const xmlError *err)
#else
static void ignore_error(void *ctx, xmlErrorPtr err)
#endif
{
	(void)ctx;
	(void)err;
}

/* /dev/full: every write fails with ENOSPC, buffered or not, streaming
 * or grouped; the writer says PB_EIO and leaves libxml2's error handler
 * as it found it. */
static const struct {
	const char *group_by;
	int unbuffered;
	size_t records;
} full_cases[] = {
	{"none", 0, 1},
	{"none", 1, 1},
	{"none", 1, 200},
	{"keyword", 0, 3},
	{"keyword", 1, 3},
};

START_TEST(test_dev_full)
{
	FILE *f = fopen("/dev/full", "w");
	if (!f)
		return; /* no /dev/full on this system: nothing to test */
	if (full_cases[_i].unbuffered)
		ck_assert_int_eq(setvbuf(f, NULL, _IONBF, 0), 0);
	pb_config *cfg = config_with("group_by", full_cases[_i].group_by);
	size_t n = full_cases[_i].records;
	pb_record *recs = calloc(n, sizeof *recs);
	ck_assert_ptr_nonnull(recs);
	for (size_t i = 0; i < n; i++)
		make_record(&recs[i], &reformer);

	xmlSetStructuredErrorFunc(NULL, ignore_error);
	errno = 0;
	ck_assert_int_eq(write_all(f, cfg, recs, n), PB_EIO);
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_ptr_eq(xmlStructuredError, ignore_error);
	xmlSetStructuredErrorFunc(NULL, NULL);

	for (size_t i = 0; i < n; i++)
		pb_record_clear(&recs[i]);
	free(recs);
	fclose(f);
	pb_config_free(cfg);
}
END_TEST

/* The hooks themselves report a failed write (not only the stdio check
 * in pb_writer_write and pb_writer_end): unbuffered /dev/full. */
START_TEST(test_dev_full_hooks)
{
	FILE *f = fopen("/dev/full", "w");
	if (!f)
		return;
	ck_assert_int_eq(setvbuf(f, NULL, _IONBF, 0), 0);
	pb_config *cfg = config_with("group_by", _i ? "track" : "none");
	pb_record r;
	make_record(&r, &reformer);
	pb_writer *w = pb_writer_new(&pb_opml_format, f, cfg, NULL);
	ck_assert_ptr_nonnull(w);
	int rc = pb_opml_format.begin(w);
	for (int i = 0; !rc && i < 100; i++)
		rc = pb_opml_format.record(w, &r);
	if (!rc)
		rc = pb_opml_format.end(w);
	ck_assert_int_eq(rc, PB_EIO);
	pb_writer_free(w);
	pb_record_clear(&r);
	fclose(f);
	pb_config_free(cfg);
}
END_TEST

START_TEST(test_registered)
{
	const pb_format *f = pb_format_find("opml");
	ck_assert_ptr_eq(f, &pb_opml_format);
	ck_assert_str_eq(f->extension, "opml");
	ck_assert_ptr_nonnull(pb_config_spec("opml", "group_by"));
	ck_assert_ptr_nonnull(pb_config_spec("opml", "title"));
	ck_assert_ptr_nonnull(pb_config_spec("opml", "date"));
	pb_config *cfg = pb_config_new();
	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(pb_config_set(cfg, "opml", "group_by", "author", "t", NULL),
	                 PB_ECONFIG);
	ck_assert_str_eq(pb_config_get(cfg, "opml", "group_by"), "none");
	pb_config_free(cfg);
}
END_TEST

/* libxml2's own escaping of value as the attribute name="...". */
static char *libxml2_attribute(const char *name, const char *value)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr xw = xmlNewTextWriterMemory(buf, 0);
	ck_assert_ptr_nonnull(xw);
	/* UTF-8, as the writer declares: no character references */
	ck_assert_int_ge(xmlTextWriterStartDocument(xw, NULL, "UTF-8", NULL), 0);
	ck_assert_int_ge(xmlTextWriterStartElement(xw, BAD_CAST "x"), 0);
	ck_assert_int_ge(xmlTextWriterWriteAttribute(xw, BAD_CAST name,
	                                             BAD_CAST value), 0);
	ck_assert_int_ge(xmlTextWriterEndElement(xw), 0);
	xmlFreeTextWriter(xw);
	/* "<x name=\"...\"/>": keep " name=\"...\"" */
	const char *c = strstr((const char *)xmlBufferContent(buf), "<x ");
	ck_assert_ptr_nonnull(c);
	char *out = strdup(c + 2);
	out[strlen(out) - 2] = '\0';
	xmlBufferFree(buf);
	return out;
}

/* Bytes that attribute escaping writes as entities, and UTF-8 that joins
 * a run, at every offset of a title from 1 to 40 bytes long: the output
 * is what libxml2's own attribute escaping gives, and the attributes
 * gathered into one raw write come out as separate calls would write
 * them. */
START_TEST(test_attribute_escape_everywhere)
{
	static const char *const specials[] = {
	    "\"", "&", "<", ">", "\t", "\n", "\r", "\xc3\xa9", "\xe2\x80\x94",
	    "\xf0\x9f\x98\x80", "&amp;",
	};
	for (size_t k = 0; k < sizeof specials / sizeof *specials; k++) {
		for (size_t len = 1; len <= 40; len++) {
			for (size_t at = 0; at < len; at++) {
				char title[128];
				size_t sl = strlen(specials[k]);
				memset(title, 'a', len + sl);
				memcpy(title + at, specials[k], sl);
				title[len + sl] = '\0';
				pb_record *r = pb_record_new();
				ck_assert_int_eq(pb_record_set(r, PB_F_TITLE, title), PB_OK);
				ck_assert_int_eq(
				    pb_record_set(r, PB_F_URL, "https://x.org/?a=1&b=<2>"),
				    PB_OK);
				char *out = convert(NULL, r, 1);
				char *a = libxml2_attribute("text", title);
				char *b = libxml2_attribute("url", "https://x.org/?a=1&b=<2>");
				size_t la = strlen(a), lb = strlen(b);
				char *want = malloc(la + 13 + lb + 1);
				memcpy(want, a, la);
				memcpy(want + la, " type=\"link\"", 12);
				memcpy(want + la + 12, b, lb + 1);
				ck_assert_msg(strstr(out, want), "%s in %s", want, out);
				free(want);
				free(a);
				free(b);
				free(out);
				pb_record_free(r);
			}
		}
	}
}
END_TEST

/* Nothing lost (issue 14): a record with every member set gives an
 * outline in which each value is somewhere, in an attribute, a child
 * outline or _note; what has no place is named in one warning per field
 * name across two records, whatever the case of its name. */
static char lost_diags[4096];

static void collect_lost(void *ctx, const pb_diag *d)
{
	(void)ctx;
	size_t n = strlen(lost_diags);
	snprintf(lost_diags + n, sizeof lost_diags - n, "%s\n", d->message);
}

static void every_member(pb_record *r, pb_type type, const char *extra_case)
{
	pb_record_init(r);
	r->type = type;
	static const struct {
		pb_field f;
		const char *v;
	} fields[] = {
	    {PB_F_TITLE, "Title T"},
	    {PB_F_VENUE_NAME, "Venue Name V"},
	    {PB_F_VENUE_YEAR, "2021"},
	    {PB_F_VENUE_DATE, "2021-05-04"},
	    {PB_F_VENUE_PUBLISHER, "Publisher P"},
	    {PB_F_VENUE_LOCATION, "Location L"},
	    {PB_F_VENUE_TRACK, "Track K"},
	    {PB_F_URL, "https://example.org/page"},
	    {PB_F_PDF_URL, "https://example.org/paper.pdf"},
	    {PB_F_CODE_URL, "https://github.com/o/r"},
	    {PB_F_ID, "2101.00042"},
	    {PB_F_ABSTRACT, "Abstract A"},
	    {PB_F_NOTE, "Note N"},
	    {PB_F_KEY, "key2021title"},
	};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		ck_assert_int_eq(pb_record_set(r, fields[i].f, fields[i].v), PB_OK);
	pb_name n = {.given = "Given G", .family = "Family F", .suffix = "Jr."};
	ck_assert_int_eq(pb_record_add_author(r, &n), PB_OK);
	ck_assert_int_eq(pb_record_add_keyword(r, "keyword one"), PB_OK);
	ck_assert_int_eq(pb_record_add_extra(r, extra_case, "Funded by F"),
	                 PB_OK);
}

START_TEST(test_nothing_lost)
{
	pb_record recs[2];
	/* no short name: the event title is the name, without the year */
	every_member(&recs[0], PB_TYPE_ARTICLE, "Funding");
	every_member(&recs[1], PB_TYPE_ARTICLE, "FUNDING");
	const pb_record *p[] = {&recs[0], &recs[1]};
	pb_diag_sink sink = {collect_lost, NULL};
	lost_diags[0] = '\0';
	int rc;
	char *out = test_write(&pb_opml_format, NULL, &sink, p, 2, &rc, NULL);
	ck_assert_int_eq(rc, PB_OK);
	assert_xpath(out, "/opml/body/outline[1]/@text", "Title T");
	assert_xpath(out, "/opml/body/outline[1]/@url", "https://example.org/page");
	assert_xpath(out, "/opml/body/outline[1]/@category", "/keyword one");
	assert_xpath(out, "/opml/body/outline[1]/outline[1]/@url",
	             "https://example.org/paper.pdf");
	assert_xpath(out, "/opml/body/outline[1]/outline[2]/@url",
	             "https://github.com/o/r");
	assert_xpath(out, "/opml/body/outline[1]/@_note",
	             "Given G Family F Jr.\n\nVenue Name V\n\nAbstract A\n\n"
	             "Note N\n\nType: article-journal\nYear: 2021\n"
	             "Date: 2021-05-04\nPublisher: Publisher P\n"
	             "Location: Location L\nTrack: Track K\nID: 2101.00042\n"
	             "Citation Key: key2021title\nFunding: Funded by F");
	ck_assert_ptr_nonnull(strstr(out, "FUNDING: Funded by F"));
	static const char *const named[] = {
	    "'type'", "'year'", "'date'", "'publisher'", "'location'",
	    "'track'", "'id'", "'key'", "'Funding'"};
	for (size_t i = 0; i < sizeof named / sizeof *named; i++)
		ck_assert_msg(test_occurrences(lost_diags, named[i]) == 1,
		              "%s not named once in:\n%s", named[i], lost_diags);
	ck_assert_uint_eq(test_occurrences(lost_diags, "\n"), 9);
	ck_assert_ptr_nonnull(strstr(lost_diags,
	                             "opml: no outline attribute for 'track'; "
	                             "written to _note as \"Track: ...\""));
	free(out);

	/* What the outline holds stays out of _note: the year in the event
	 * title, the id in a link, the type of a paper, the track in the
	 * name of its folder. */
	pb_record_set(&recs[0], PB_F_VENUE_SHORT, "VS");
	pb_record_set(&recs[0], PB_F_ID, "paper");
	recs[0].type = PB_TYPE_PAPER_CONFERENCE;
	pb_config *cfg = config_with("group_by", "track");
	out = test_write(&pb_opml_format, cfg, NULL, p, 1, &rc, NULL);
	ck_assert_int_eq(rc, PB_OK);
	assert_xpath(out, "/opml/body/outline[1]/@text", "Track K");
	assert_xpath(out, "/opml/body/outline[1]/outline[1]/@_note",
	             "Given G Family F Jr.\n\nVenue Name V (VS 2021)\n\n"
	             "Abstract A\n\nNote N\n\nDate: 2021-05-04\n"
	             "Publisher: Publisher P\nLocation: Location L\n"
	             "Citation Key: key2021title\nFunding: Funded by F");
	free(out);
	pb_config_free(cfg);
	pb_record_clear(&recs[0]);
	pb_record_clear(&recs[1]);
}
END_TEST

/* CSL variables and names in other roles go into _note as Zotero's Extra
 * writes them, and pb_read_note reads them back; an issued range replaces
 * the Year and Date lines of its start. */
START_TEST(test_csl_variables_in_note)
{
	pb_record r;
	pb_record_init(&r);
	r.type = PB_TYPE_BOOK;
	pb_record_set(&r, PB_F_TITLE, "Title T");
	ck_assert_int_eq(pb_record_set_issued(&r, "1984/1986"), PB_OK);
	pb_record_set_var(&r, "volume", "12");
	pb_record_set_var(&r, "original-date", "literal:Han dynasty");
	pb_name ed = {.given = "Ludwig", .family = "Beethoven", .dropping = "van"};
	pb_name tr = {.literal = "OpenAI"};
	pb_record_add_person(&r, "editor", &ed);
	pb_record_add_person(&r, "translator", &tr);
	const pb_record *p[] = {&r};
	pb_diag_sink sink = {collect_lost, NULL};
	lost_diags[0] = '\0';
	int rc;
	char *out = test_write(&pb_opml_format, NULL, &sink, p, 1, &rc, NULL);
	ck_assert_int_eq(rc, PB_OK);
	assert_xpath(out, "/opml/body/outline[1]/@_note",
	             "Type: book\nissued: 1984/1986\nvolume: 12\n"
	             "original-date: Han dynasty\n"
	             "editor: van Beethoven || Ludwig\ntranslator: OpenAI");
	ck_assert_ptr_nonnull(strstr(lost_diags, "'editor'"));
	ck_assert_ptr_nonnull(strstr(lost_diags, "'original-date'"));
	free(out);

	pb_record back;
	pb_record_init(&back);
	ck_assert_int_eq(pb_read_note(&back, "issued: 1984/1986\nvolume: 12\n"
	                                     "translator: OpenAI"),
	                 PB_OK);
	ck_assert_str_eq(pb_record_var(&back, "issued"), "1984/1986");
	ck_assert_str_eq(pb_record_var(&back, "volume"), "12");
	ck_assert_str_eq(back.people[0].name.literal, "OpenAI");
	pb_record_clear(&back);
	pb_record_clear(&r);
}
END_TEST

Suite *opml_suite(void)
{
	Suite *s = suite_create("opml");
	TCase *tc = tcase_create("opml");
	tcase_add_test(tc, test_registered);
	tcase_add_test(tc, test_paper_outline);
	tcase_add_test(tc, test_nothing_lost);
	tcase_add_test(tc, test_csl_variables_in_note);
	tcase_add_test(tc, test_attribute_escape_everywhere);
	tcase_add_test(tc, test_minimal_record);
	tcase_add_test(tc, test_no_records);
	tcase_add_loop_test(tc, test_escaping, 0, sizeof escapes / sizeof escapes[0]);
	tcase_add_test(tc, test_bad_characters);
	tcase_add_loop_test(tc, test_attr_oracle, 0,
	                    sizeof attr_oracle / sizeof attr_oracle[0]);
	tcase_add_loop_test(tc, test_not_xml, 0,
	                    sizeof not_xml / sizeof not_xml[0]);
	tcase_add_test(tc, test_category_reserved);
	tcase_add_loop_test(tc, test_grouping, 0,
	                    sizeof groupings / sizeof groupings[0]);
	tcase_add_test(tc, test_grouping_empty);
	tcase_add_test(tc, test_date);
	tcase_add_test(tc, test_title_from_config_venue);
	tcase_add_loop_test(tc, test_dev_full, 0,
	                    sizeof full_cases / sizeof full_cases[0]);
	tcase_add_loop_test(tc, test_dev_full_hooks, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}
