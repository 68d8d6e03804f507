/* Tests of the CSL-JSON writer (formats/csljson.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "paperbib/paperbib.h"
#include "utf8.h"
#include "testutil.h"

extern const pb_format pb_csljson_format;
Suite *csljson_suite(void);

/* Diagnostics collected by the sink, one per line. */
static char diag_text[4096];

static void collect(void *ctx, const pb_diag *d)
{
	(void)ctx;
	size_t n = strlen(diag_text);
	snprintf(diag_text + n, sizeof diag_text - n, "%s:%lu: %s\n",
	         d->file ? d->file : "-", d->line, d->message);
}

static const pb_diag_sink sink = {collect, NULL};

/* The writer's whole output for records[0..n), or NULL when a hook failed
 * (the status in *status). */
static char *render_status(const pb_config *cfg, const pb_record *records,
                           size_t n, int *status)
{
	const pb_record **p = test_pointers(records, n);
	char *text = test_write(&pb_csljson_format, cfg, &sink, p, n, status, NULL);
	free(p);
	if (*status) {
		free(text);
		return NULL;
	}
	return text;
}

static char *render(const pb_config *cfg, const pb_record *records, size_t n)
{
	int rc;
	char *text = render_status(cfg, records, n, &rc);
	ck_assert_int_eq(rc, PB_OK);
	return text;
}

static void set(pb_record *r, pb_field f, const char *v)
{
	ck_assert_int_eq(pb_record_set(r, f, v), PB_OK);
}

static void add_name(pb_record *r, const char *given, const char *family,
                     const char *particle, const char *suffix,
                     const char *literal)
{
	pb_name n = {(char *)given, (char *)family, (char *)particle,
	             (char *)suffix, (char *)literal, NULL};
	ck_assert_int_eq(pb_record_add_author(r, &n), PB_OK);
}

/* A record with every field the writer reads. */
static void full_record(pb_record *r)
{
	pb_record_init(r);
	set(r, PB_F_TITLE, "Reformer: The Efficient Transformer");
	add_name(r, "Mihaela", "van der Schaar", "van der", NULL, NULL);
	add_name(r, "Martin Luther", "King", NULL, "Jr.", NULL);
	add_name(r, NULL, NULL, NULL, NULL, "OpenAI");
	add_name(r, "Mikołaj", "Bińkowski", NULL, NULL, NULL);
	set(r, PB_F_VENUE_NAME,
	    "International Conference on Learning Representations");
	set(r, PB_F_VENUE_SHORT, "ICLR");
	set(r, PB_F_VENUE_YEAR, "2020");
	set(r, PB_F_VENUE_DATE, "2020-04-26");
	set(r, PB_F_VENUE_PUBLISHER, "OpenReview.net");
	set(r, PB_F_VENUE_LOCATION, "Addis Ababa, Ethiopia");
	set(r, PB_F_VENUE_TRACK, "Talk");
	set(r, PB_F_URL, "https://openreview.net/forum?id=rkgNKkHtvB");
	set(r, PB_F_PDF_URL, "https://openreview.net/pdf?id=rkgNKkHtvB");
	set(r, PB_F_CODE_URL, "https://github.com/google/trax");
	set(r, PB_F_ID, "rkgNKkHtvB");
	set(r, PB_F_ABSTRACT, "Large \"Transformer\" models.");
	ck_assert_int_eq(pb_record_add_keyword(r, "attention"), PB_OK);
	ck_assert_int_eq(pb_record_add_keyword(r, "locality sensitive hashing"),
	                 PB_OK);
	ck_assert_int_eq(pb_record_add_extra(r, "Venue", "ICML"), PB_OK);
	set(r, PB_F_NOTE, "Best paper");
	set(r, PB_F_KEY, "kitaev2020reformer");
	set(r, PB_F_FILE, "talks.txt");
	r->line = 7;
}

static const char full_json[] =
	"[\n"
	"  {\n"
	"    \"id\": \"kitaev2020reformer\",\n"
	"    \"citation-key\": \"kitaev2020reformer\",\n"
	"    \"type\": \"paper-conference\",\n"
	"    \"title\": \"Reformer: The Efficient Transformer\",\n"
	"    \"author\": [\n"
	"      {\n"
	"        \"family\": \"Schaar\",\n"
	"        \"given\": \"Mihaela\",\n"
	"        \"non-dropping-particle\": \"van der\"\n"
	"      },\n"
	"      {\n"
	"        \"family\": \"King\",\n"
	"        \"given\": \"Martin Luther\",\n"
	"        \"suffix\": \"Jr.\"\n"
	"      },\n"
	"      {\n"
	"        \"literal\": \"OpenAI\"\n"
	"      },\n"
	"      {\n"
	"        \"family\": \"Bińkowski\",\n"
	"        \"given\": \"Mikołaj\"\n"
	"      }\n"
	"    ],\n"
	"    \"container-title\": \"International Conference on Learning "
	"Representations\",\n"
	"    \"container-title-short\": \"ICLR\",\n"
	"    \"event-title\": \"International Conference on Learning "
	"Representations (ICLR 2020)\",\n"
	"    \"event-place\": \"Addis Ababa, Ethiopia\",\n"
	"    \"publisher\": \"OpenReview.net\",\n"
	"    \"publisher-place\": \"Addis Ababa, Ethiopia\",\n"
	"    \"issued\": {\n"
	"      \"date-parts\": [\n"
	"        [\n"
	"          2020,\n"
	"          4,\n"
	"          26\n"
	"        ]\n"
	"      ]\n"
	"    },\n"
	"    \"URL\": \"https://openreview.net/forum?id=rkgNKkHtvB\",\n"
	"    \"abstract\": \"Large \\\"Transformer\\\" models.\",\n"
	"    \"keyword\": \"attention, locality sensitive hashing\",\n"
	"    \"note\": \"Citation Key: kitaev2020reformer\\n"
	"Code: https://github.com/google/trax\\n"
	"PDF: https://openreview.net/pdf?id=rkgNKkHtvB\\n"
	"Track: Talk\\n"
	"Venue: ICML\\n"
	"Best paper\"\n"
	"  }\n"
	"]\n";

START_TEST(test_full_record)
{
	pb_record r;
	full_record(&r);
	diag_text[0] = '\0';
	char *got = render(NULL, &r, 1);
	ck_assert_str_eq(got, full_json);
	/* the track and the extra field have no variable */
	ck_assert_str_eq(diag_text,
	                 "talks.txt:7: csl-json: no CSL variable for 'track'; "
	                 "written to note as \"Track: ...\"\n"
	                 "talks.txt:7: csl-json: no CSL variable for 'Venue'; "
	                 "written to note as \"Venue: ...\"\n");
	free(got);

	/* The same through a configuration holding only defaults. */
	pb_config *cfg = pb_config_new();
	ck_assert_ptr_nonnull(cfg);
	got = render(cfg, &r, 1);
	ck_assert_str_eq(got, full_json);
	free(got);
	pb_config_free(cfg);
	pb_record_clear(&r);
}
END_TEST

START_TEST(test_empty)
{
	char *got = render(NULL, NULL, 0);
	ck_assert_str_eq(got, "[]\n");
	free(got);
}
END_TEST

START_TEST(test_absent_fields_omitted)
{
	pb_record r;
	pb_record_init(&r);
	set(&r, PB_F_TITLE, "Only a title");
	char *got = render(NULL, &r, 1);
	ck_assert_str_eq(got, "[\n"
	                      "  {\n"
	                      "    \"id\": \"item-1\",\n"
	                      "    \"type\": \"paper-conference\",\n"
	                      "    \"title\": \"Only a title\"\n"
	                      "  }\n"
	                      "]\n");
	free(got);
	pb_record_clear(&r);
}
END_TEST

START_TEST(test_two_records_deterministic)
{
	pb_record r[2];
	full_record(&r[0]);
	pb_record_init(&r[1]);
	set(&r[1], PB_F_TITLE, "Second");
	set(&r[1], PB_F_KEY, "second2020");
	char *a = render(NULL, r, 2);
	char *b = render(NULL, r, 2);
	ck_assert_str_eq(a, b);
	/* Items are separated by a comma and a new line; no trailing comma. */
	const char *sep = strstr(a, "\n  },\n  {\n    \"id\": \"second2020\",");
	ck_assert_ptr_nonnull(sep);
	const char *tail = "\"\n  }\n]\n";
	ck_assert_str_eq(a + strlen(a) - strlen(tail), tail);
	free(a);
	free(b);
	pb_record_clear(&r[0]);
	pb_record_clear(&r[1]);
}
END_TEST

/* Input text and what must stand between the quotes of "title". */
static const struct {
	const char *in;
	const char *out;
} escapes[] = {
	{"a\x01" "b", "a\\u0001b"},
	{"a\x02" "b", "a\\u0002b"},
	{"a\x03" "b", "a\\u0003b"},
	{"a\x04" "b", "a\\u0004b"},
	{"a\x05" "b", "a\\u0005b"},
	{"a\x06" "b", "a\\u0006b"},
	{"a\x07" "b", "a\\u0007b"},
	{"a\x08" "b", "a\\u0008b"},
	{"a\x09" "b", "a\\tb"},
	{"a\x0a" "b", "a\\nb"},
	{"a\x0b" "b", "a\\u000bb"},
	{"a\x0c" "b", "a\\u000cb"},
	{"a\x0d" "b", "a\\u000db"},
	{"a\x0e" "b", "a\\u000eb"},
	{"a\x0f" "b", "a\\u000fb"},
	{"a\x10" "b", "a\\u0010b"},
	{"a\x11" "b", "a\\u0011b"},
	{"a\x12" "b", "a\\u0012b"},
	{"a\x13" "b", "a\\u0013b"},
	{"a\x14" "b", "a\\u0014b"},
	{"a\x15" "b", "a\\u0015b"},
	{"a\x16" "b", "a\\u0016b"},
	{"a\x17" "b", "a\\u0017b"},
	{"a\x18" "b", "a\\u0018b"},
	{"a\x19" "b", "a\\u0019b"},
	{"a\x1a" "b", "a\\u001ab"},
	{"a\x1b" "b", "a\\u001bb"},
	{"a\x1c" "b", "a\\u001cb"},
	{"a\x1d" "b", "a\\u001db"},
	{"a\x1e" "b", "a\\u001eb"},
	{"a\x1f" "b", "a\\u001fb"},
	{"say \"hi\"", "say \\\"hi\\\""},
	{"C:\\path\\", "C:\\\\path\\\\"},
	{"a/b\x7f", "a/b\x7f"},
	{"Bińkowski Kočiský Ærø", "Bińkowski Kočiský Ærø"},
	{"作者：注意力 — “quotes” 😀", "作者：注意力 — “quotes” 😀"},
	{"line\xE2\x80\xA8" "sep\xE2\x80\xA9" "end", "line\\u2028sep\\u2029end"},
	{"bad\xff" "byte", "bad\xEF\xBF\xBD" "byte"},
	{"cut\xE2\x80", "cut\xEF\xBF\xBD\xEF\xBF\xBD"},
	{"\n\n", "\\n\\n"},
};

START_TEST(test_escape)
{
	pb_record r;
	pb_record_init(&r);
	set(&r, PB_F_TITLE, escapes[_i].in);
	set(&r, PB_F_KEY, "k");
	diag_text[0] = '\0';
	char *got = render(NULL, &r, 1);
	char want[256];
	snprintf(want, sizeof want,
	         "[\n  {\n    \"id\": \"k\",\n    \"citation-key\": \"k\",\n"
	         "    \"type\": \"paper-conference\",\n    \"title\": \"%s\",\n"
	         "    \"note\": \"Citation Key: k\"\n  }\n]\n",
	         escapes[_i].out);
	ck_assert_str_eq(got, want);
	/* Replacing bytes that are not UTF-8 is reported. */
	if (strstr(escapes[_i].out, "\xEF\xBF\xBD") &&
	    !strstr(escapes[_i].in, "\xEF\xBF\xBD"))
		ck_assert_ptr_nonnull(strstr(diag_text, "invalid UTF-8"));
	else
		ck_assert_str_eq(diag_text, "");
	free(got);
	pb_record_clear(&r);
}
END_TEST

/* The venue's date and year and the "issued" they give. */
static const struct {
	const char *date;
	const char *year;
	const char *issued; /* NULL: no "issued" at all */
	int warns;
} dates[] = {
	{"2020-04-26", "2020", "[\n          2020,\n          4,\n          26\n        ]", 0},
	{"2020-04", NULL, "[\n          2020,\n          4\n        ]", 0},
	{"2019", "2020", "[\n          2019\n        ]", 0},
	{NULL, "2020", "[\n          2020\n        ]", 0},
	{NULL, "0999", "[\n          999\n        ]", 0},
	{NULL, "7", "[\n          7\n        ]", 0},
	{"April 2020", "2020", "[\n          2020\n        ]", 1},
	{"2020-13-01", "2020", "[\n          2020\n        ]", 1},
	{"2020-04-00", "2020", "[\n          2020\n        ]", 1},
	{"2020-4-26", "2020", "[\n          2020\n        ]", 1},
	{NULL, NULL, NULL, 0},
	{"bad", NULL, NULL, 1},
};

START_TEST(test_issued)
{
	pb_record r;
	pb_record_init(&r);
	set(&r, PB_F_VENUE_DATE, dates[_i].date);
	set(&r, PB_F_VENUE_YEAR, dates[_i].year);
	diag_text[0] = '\0';
	char *got = render(NULL, &r, 1);
	if (!dates[_i].issued) {
		ck_assert_ptr_null(strstr(got, "issued"));
	} else {
		char want[256];
		snprintf(want, sizeof want,
		         "    \"issued\": {\n      \"date-parts\": [\n        %s\n"
		         "      ]\n    }",
		         dates[_i].issued);
		ck_assert_ptr_nonnull(strstr(got, want));
	}
	if (dates[_i].warns) {
		/* the date issued cannot hold goes to note */
		char line[128];
		snprintf(line, sizeof line, "\"note\": \"Date: %s\"",
		         dates[_i].date);
		ck_assert_ptr_nonnull(strstr(diag_text, "is not YYYY"));
		ck_assert_msg(strstr(got, line) != NULL, "no %s in %s", line, got);
	} else
		ck_assert_str_eq(diag_text, "");
	free(got);
	pb_record_clear(&r);
}
END_TEST

/* A year that is not a number of at most 4 digits is kept as text: a
 * longer one would overflow a JSON reader's integers (the fuzzer found
 * 18446744073709551615 written for a year of 101 digits). */
static const char *const literal_years[] = {
	"forthcoming", "2020a", "-44", "12345", "18446744073709551616",
	"33333333333333333333333333333333333333333333333319991999",
};

START_TEST(test_year_literal)
{
	pb_record r;
	pb_record_init(&r);
	set(&r, PB_F_VENUE_YEAR, literal_years[_i]);
	char *got = render(NULL, &r, 1);
	char want[256];
	snprintf(want, sizeof want,
	         "    \"issued\": {\n      \"literal\": \"%s\"\n    }\n",
	         literal_years[_i]);
	ck_assert_ptr_nonnull(strstr(got, want));
	ck_assert_ptr_null(strstr(got, "date-parts"));
	free(got);
	pb_record_clear(&r);
}
END_TEST

/* Without a forum page the PDF is the URL, and not repeated in note. */
START_TEST(test_pdf_as_url)
{
	pb_record r;
	pb_record_init(&r);
	set(&r, PB_F_PDF_URL, "https://example.org/a.pdf");
	char *got = render(NULL, &r, 1);
	ck_assert_ptr_nonnull(
		strstr(got, "    \"URL\": \"https://example.org/a.pdf\"\n"));
	ck_assert_ptr_null(strstr(got, "note"));
	free(got);
	pb_record_clear(&r);
}
END_TEST

/* Only a short name: it is the container title; no container-title-short. */
START_TEST(test_short_venue_only)
{
	pb_record r;
	pb_record_init(&r);
	set(&r, PB_F_VENUE_SHORT, "ICLR");
	set(&r, PB_F_VENUE_YEAR, "2020");
	char *got = render(NULL, &r, 1);
	ck_assert_ptr_nonnull(strstr(got, "    \"container-title\": \"ICLR\",\n"));
	ck_assert_ptr_nonnull(strstr(got, "    \"event-title\": \"ICLR 2020\",\n"));
	ck_assert_ptr_null(strstr(got, "container-title-short"));
	free(got);
	pb_record_clear(&r);
}
END_TEST

/* A journal article has a container but no event. */
START_TEST(test_article_has_no_event)
{
	pb_record r;
	pb_record_init(&r);
	r.type = PB_TYPE_ARTICLE;
	set(&r, PB_F_VENUE_NAME, "Journal of Tests");
	set(&r, PB_F_VENUE_LOCATION, "Berlin");
	char *got = render(NULL, &r, 1);
	ck_assert_ptr_nonnull(strstr(got, "    \"type\": \"article-journal\",\n"));
	ck_assert_ptr_nonnull(strstr(got, "    \"container-title\": \"Journal of Tests\",\n"));
	ck_assert_ptr_nonnull(strstr(got, "    \"publisher-place\": \"Berlin\"\n"));
	ck_assert_ptr_null(strstr(got, "event"));
	free(got);
	pb_record_clear(&r);
}
END_TEST

START_TEST(test_options)
{
	pb_config *cfg = pb_config_new();
	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(pb_config_set(cfg, "csl-json", "particles", "family",
	                               "test", &sink),
	                 PB_OK);
	ck_assert_int_eq(pb_config_set(cfg, "csl-json", "citation_key_note",
	                               "no", "test", &sink),
	                 PB_OK);
	pb_record r;
	full_record(&r);
	char *got = render(cfg, &r, 1);
	ck_assert_ptr_nonnull(strstr(got, "      {\n"
	                                  "        \"family\": \"van der Schaar\",\n"
	                                  "        \"given\": \"Mihaela\"\n"
	                                  "      },\n"));
	ck_assert_ptr_null(strstr(got, "non-dropping-particle"));
	ck_assert_ptr_null(strstr(got, "Citation Key"));
	ck_assert_ptr_nonnull(
		strstr(got, "    \"note\": \"Code: https://github.com/google/trax\\n"));
	free(got);
	pb_record_clear(&r);

	ck_assert_int_eq(pb_config_set(cfg, "csl-json", "particles", "drop",
	                               "test", &sink),
	                 PB_ECONFIG);
	pb_config_free(cfg);
}
END_TEST

/* A stream that cannot be written: every hook reports PB_EIO. */
START_TEST(test_write_error)
{
	FILE *f = fopen("/dev/null", "r");
	ck_assert_ptr_nonnull(f);
	pb_writer *w = pb_writer_new(&pb_csljson_format, f, NULL, &sink);
	ck_assert_int_eq(pb_writer_begin(w), PB_EIO);
	pb_record r;
	full_record(&r);
	ck_assert_int_eq(pb_writer_write(w, &r), PB_EIO);
	ck_assert_int_eq(pb_writer_end(w), PB_EIO);
	pb_writer_free(w);
	fclose(f);

	/* Buffered output to a full disk fails at the latest at the end. */
	f = fopen("/dev/full", "w");
	if (f) {
		w = pb_writer_new(&pb_csljson_format, f, NULL, &sink);
		int rc = pb_writer_begin(w);
		if (!rc)
			rc = pb_writer_write(w, &r);
		if (!rc)
			rc = pb_writer_end(w);
		ck_assert_int_eq(rc, PB_EIO);
		pb_writer_free(w);
		fclose(f);
	}
	pb_record_clear(&r);
}
END_TEST

START_TEST(test_format_entry)
{
	ck_assert_ptr_eq(pb_format_find("csl-json"), &pb_csljson_format);
	ck_assert_str_eq(pb_csljson_format.extension, "json");
	for (const pb_option_spec *o = pb_csljson_format.options; o->key; o++)
		ck_assert_ptr_eq(pb_config_spec("csl-json", o->key), o);
}
END_TEST

/* JSON escaping one byte at a time, as the writer did before it scanned
 * eight bytes at once: the oracle for test_escape_everywhere. */
static void json_reference(pb_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	pb_buf_putc(b, '"');
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = p[i] >= 0x80 ? pb_utf8_decode(p + i, n - i, &cp) : 1;
		if (p[i] == '"' || p[i] == '\\')
			pb_buf_printf(b, "\\%c", p[i]);
		else if (p[i] == '\n')
			pb_buf_puts(b, "\\n");
		else if (p[i] == '\t')
			pb_buf_puts(b, "\\t");
		else if (p[i] < 0x20)
			pb_buf_printf(b, "\\u%04x", p[i]);
		else if (p[i] < 0x80)
			pb_buf_putc(b, (char)p[i]);
		else if (k == 0)
			pb_buf_puts(b, "\xEF\xBF\xBD");
		else if (cp == 0x2028 || cp == 0x2029)
			pb_buf_printf(b, "\\u%04x", (unsigned)cp);
		else
			pb_buf_append(b, s + i, k);
		i += k ? k : 1;
	}
	pb_buf_putc(b, '"');
}

/* Each byte or sequence that needs attention, at every offset of a
 * title from 0 to 40 bytes long: in the eight-byte rounds, across their
 * edges and in the padded tail, alone and twice. */
START_TEST(test_escape_everywhere)
{
	static const char *const specials[] = {
	    "\"", "\\", "\n", "\t", "\x01", "\x1f", "\x7f", "\xc3\xa9",
	    "\xe2\x80\x94", "\xe2\x80\xa8", "\xe2\x80\xa9", "\xf0\x9f\x98\x80",
	    "\xff", "\xc3", "\xe2\x80", "\xed\xa0\x80", "\xc0\xaf", "\x80",
	};
	for (size_t k = 0; k < sizeof specials / sizeof *specials; k++) {
		for (size_t len = 1; len <= 40; len++) {
			for (size_t at = 0; at < len; at++) {
				char title[128];
				size_t sl = strlen(specials[k]);
				memset(title, 'a', len + sl);
				memcpy(title + at, specials[k], sl);
				memcpy(title + at + sl, "b", 1);
				title[len + sl] = '\0';
				if (at % 3 == 0) /* twice */
					memcpy(title + len, specials[k], sl);
				pb_record *r = pb_record_new();
				set(r, PB_F_TITLE, title);
				set(r, PB_F_KEY, "k");
				char *out = render(NULL, r, 1);
				pb_buf want = PB_BUF_INIT;
				pb_buf_puts(&want, "\"title\": ");
				json_reference(&want, title);
				pb_buf_puts(&want, ",\n");
				ck_assert_ptr_nonnull(strstr(out, want.data));
				pb_buf_free(&want);
				free(out);
				pb_record_free(r);
			}
		}
	}
}
END_TEST

/* Nothing lost (issue 14): a record with every member set gives CSL-JSON
 * in which each value is somewhere, in its variable or in note; extra
 * fields that are CSL variables go to them (each variable once); what has
 * no variable is named in one warning per field name across two records,
 * whatever the case of its name. */
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
	    {PB_F_VENUE_SHORT, "VSHORT"},
	    {PB_F_VENUE_YEAR, "2021"},
	    {PB_F_VENUE_DATE, "Spring 2021"},
	    {PB_F_VENUE_PUBLISHER, "Publisher P"},
	    {PB_F_VENUE_LOCATION, "Location L"},
	    {PB_F_VENUE_TRACK, "Track K"},
	    {PB_F_URL, "https://example.org/page"},
	    {PB_F_PDF_URL, "https://example.org/paper.pdf"},
	    {PB_F_CODE_URL, "https://github.com/o/r"},
	    {PB_F_ID, "2101.00042"},
	    {PB_F_ABSTRACT, "Abstract A"},
	    {PB_F_NOTE, "Note line one\nNote line two"},
	    {PB_F_KEY, "key2021title"},
	};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		set(r, fields[i].f, fields[i].v);
	add_name(r, "Given G", "Family F", NULL, "Jr.", NULL);
	add_name(r, NULL, NULL, NULL, NULL, "Literal Org");
	ck_assert_int_eq(pb_record_add_keyword(r, "keyword one"), PB_OK);
	ck_assert_int_eq(pb_record_add_keyword(r, "keyword two"), PB_OK);
	ck_assert_int_eq(pb_record_add_extra(r, "doi", "10.1000/xyz"), PB_OK);
	ck_assert_int_eq(pb_record_add_extra(r, "pages", "10-20"), PB_OK);
	ck_assert_int_eq(pb_record_add_extra(r, "page", "11"), PB_OK);
	ck_assert_int_eq(pb_record_add_extra(r, extra_case, "Funded by F"),
	                 PB_OK);
	ck_assert_int_eq(pb_record_add_extra(r, "Remark", "Remark R"), PB_OK);
}

START_TEST(test_nothing_lost)
{
	pb_record recs[2];
	every_member(&recs[0], PB_TYPE_PAPER_CONFERENCE, "Funding");
	every_member(&recs[1], PB_TYPE_ARTICLE, "FUNDING");
	diag_text[0] = '\0';
	char *got = render(NULL, recs, 2);
	static const char *const parts[] = {
	    "\"id\": \"key2021title\"", "\"citation-key\": \"key2021title\"",
	    "\"type\": \"paper-conference\"", "\"type\": \"article-journal\"",
	    "\"title\": \"Title T\"", "\"family\": \"Family F\"",
	    "\"given\": \"Given G\"", "\"suffix\": \"Jr.\"",
	    "\"literal\": \"Literal Org\"",
	    "\"container-title\": \"Venue Name V\"",
	    "\"container-title-short\": \"VSHORT\"",
	    "\"event-title\": \"Venue Name V (VSHORT 2021)\"",
	    "\"publisher\": \"Publisher P\"",
	    "\"publisher-place\": \"Location L\"", "\"event-place\": \"Location L\"",
	    "\"date-parts\": [\n        [\n          2021\n        ]",
	    "\"URL\": \"https://example.org/page\"",
	    "\"abstract\": \"Abstract A\"",
	    "\"keyword\": \"keyword one, keyword two\"",
	    "\"DOI\": \"10.1000/xyz\"", "\"page\": \"10-20\"",
	    "\"note\": \"Citation Key: key2021title\\n"
	    "Code: https://github.com/o/r\\n"
	    "PDF: https://example.org/paper.pdf\\n"
	    "Date: Spring 2021\\nTrack: Track K\\nID: 2101.00042\\n"
	    "page: 11\\nFunding: Funded by F\\nRemark: Remark R\\n"
	    "Note line one\\nNote line two\"",
	    "FUNDING: Funded by F",
	};
	for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
		ck_assert_msg(strstr(got, parts[i]), "no %s in:\n%s", parts[i], got);
	ck_assert_uint_eq(test_occurrences(got, "\"DOI\""), 2);
	ck_assert_uint_eq(test_occurrences(got, "\"page\""), 2);
	/* one warning per field name */
	static const char *const named[] = {"'date'", "'track'", "'id'",
	                                    "'page'", "'Funding'", "'Remark'"};
	for (size_t i = 0; i < sizeof named / sizeof *named; i++)
		ck_assert_msg(test_occurrences(diag_text, named[i]) +
		                      test_occurrences(diag_text, "is not YYYY") * (i == 0) ==
		                  1,
		              "%s not named once in:\n%s", named[i], diag_text);
	ck_assert_uint_eq(test_occurrences(diag_text, "\n"), 6);
	free(got);
	pb_record_clear(&recs[0]);
	pb_record_clear(&recs[1]);
}
END_TEST

/* An arXiv paper as Zotero's arXiv import and citation-js give it:
 * arXiv's DOI, arXiv as the repository (publisher) of a preprint, the
 * year of its id when nothing else dates it; a DOI of its own and a
 * venue win. */
START_TEST(test_arxiv)
{
	pb_record r;
	pb_record_init(&r);
	set(&r, PB_F_TITLE, "A preprint");
	set(&r, PB_F_URL, "https://arxiv.org/pdf/hep-th/9901001v2");
	char *out = render(NULL, &r, 1);
	ck_assert_ptr_nonnull(strstr(out, "\"publisher\": \"arXiv\""));
	ck_assert_ptr_nonnull(strstr(out, "\"DOI\": \"10.48550/arXiv.hep-th/9901001\""));
	ck_assert_ptr_nonnull(strstr(out, "\"date-parts\": [\n        [\n          1999\n"));
	free(out);
	set(&r, PB_F_VENUE_NAME, "Conference on Things");
	set(&r, PB_F_VENUE_DATE, "2001-05-02");
	ck_assert_int_eq(pb_record_add_extra(&r, "DOI", "10.1234/things.42"), PB_OK);
	out = render(NULL, &r, 1);
	ck_assert_ptr_nonnull(strstr(out, "\"DOI\": \"10.1234/things.42\""));
	ck_assert_ptr_null(strstr(out, "10.48550"));
	ck_assert_ptr_null(strstr(out, "\"publisher\""));
	ck_assert_ptr_null(strstr(out, "1999"));
	free(out);
	pb_record_clear(&r);
}
END_TEST

/* ---- every variable, role and date form (issue 16) ------------------- */

static void var(pb_record *r, const char *name, const char *v, unsigned fl)
{
	ck_assert_int_eq(pb_record_set_varn(r, name, v, strlen(v), fl), PB_OK);
}

static void person(pb_record *r, const char *role, const char *given,
                   const char *family, const char *dropping,
                   const char *literal)
{
	pb_name n = {(char *)given, (char *)family, NULL, NULL, (char *)literal,
	             (char *)dropping};
	ck_assert_int_eq(pb_record_add_person(r, role, &n), PB_OK);
}

static void issued(pb_record *r, const char *d)
{
	ck_assert_int_eq(pb_record_set_issued(r, d), PB_OK);
}

static void fill_numbers(pb_record *r)
{
	var(r, "volume", "3", PB_VAR_NUMBER);
	var(r, "issue", "3", 0);
	var(r, "page", "1-2", PB_VAR_NUMBER); /* no JSON number: a string */
	var(r, "DOI", "10.1/x", 0);
	var(r, "title-short", "T", 0);
}
static void fill_range(pb_record *r) { issued(r, "1984/1986"); }
static void fill_season(pb_record *r) { issued(r, "2000-22~"); }
static void fill_literal(pb_record *r) { issued(r, "literal:Han dynasty"); }
static void fill_raw(pb_record *r) { issued(r, "raw:May 2001"); }
static void fill_bc(pb_record *r) { issued(r, "-0044-03-15"); }
static void fill_months(pb_record *r) { issued(r, "2000-03-01/2000-04"); }
static void fill_accessed(pb_record *r)
{
	var(r, "accessed", "2024-01-02", 0);
	var(r, "original-date", "1905~", 0);
}
static void fill_people(pb_record *r)
{
	add_name(r, "A", "Author", NULL, NULL, NULL);
	add_name(r, NULL, NULL, NULL, NULL, "others");
	person(r, "translator", "T", "Trans", NULL, NULL);
	person(r, "editor", "Ludwig", "Beethoven", "van", NULL);
	person(r, "editor", NULL, NULL, NULL, "WHO");
	set(r, PB_F_VENUE_NAME, "Proc");
}
/* read from CSL-JSON: written as read */
static void fill_csl(pb_record *r)
{
	r->origin = PB_ORIGIN_CSLJSON;
	r->type = PB_TYPE_ARTICLE;
	set(r, PB_F_KEY, "key1");
	set(r, PB_F_VENUE_SHORT, "J. X");
	set(r, PB_F_PDF_URL, "https://x.org/a.pdf");
	var(r, "event-title", "An event", 0);
	ck_assert_int_eq(pb_record_add_extra(r, "id", "ITEM 1"), PB_OK);
	ck_assert_int_eq(pb_record_add_extra(r, "journalAbbreviation", "J."),
	                 PB_OK);
	ck_assert_int_eq(pb_record_add_extra(r, "custom", "{\"a\":[1,\"b\"]}"),
	                 PB_OK);
	ck_assert_int_eq(pb_record_add_extra(r, "x-text", "[not json"), PB_OK);
}
/* name members no part holds, kept by the reader */
static void fill_members(pb_record *r)
{
	r->origin = PB_ORIGIN_CSLJSON;
	add_name(r, "Zedong", "Mao", NULL, NULL, NULL);
	add_name(r, "Jane", "Doe", NULL, NULL, NULL);
	ck_assert_int_eq(pb_record_add_extra(r, "csl-name-members:author",
	                                     "[{\"static-ordering\":true},{}]"),
	                 PB_OK);
}
/* more own members than a 64-bit mask holds: every one written */
static void fill_many(pb_record *r)
{
	r->origin = PB_ORIGIN_CSLJSON;
	char k[16], v[16];
	for (int i = 0; i < 70; i++) {
		snprintf(k, sizeof k, "x-%02d", i);
		snprintf(v, sizeof v, "v%d", i);
		ck_assert_int_eq(pb_record_add_extra(r, k, v), PB_OK);
	}
}
/* the same from a paper list: derived as before */
static void fill_list(pb_record *r)
{
	set(r, PB_F_VENUE_SHORT, "J. X");
	set(r, PB_F_PDF_URL, "https://x.org/a.pdf");
}

static const struct full_case {
	void (*fill)(pb_record *r);
	const char *want;   /* in the output with line ends and indents cut */
	const char *absent; /* not in it, or NULL */
} full_cases[] = {
	{fill_numbers, "\"volume\": 3,", NULL},
	{fill_numbers, "\"issue\": \"3\",", NULL},
	{fill_numbers, "\"page\": \"1-2\",", NULL},
	{fill_numbers,
	 "\"title-short\": \"T\",\"issue\": \"3\",\"page\": \"1-2\","
	 "\"volume\": 3,\"DOI\": \"10.1/x\"",
	 NULL},
	{fill_range, "\"issued\": {\"date-parts\": [[1984],[1986]]}", NULL},
	{fill_season,
	 "\"issued\": {\"date-parts\": [[2000]],\"season\": 2,\"circa\": true}",
	 NULL},
	{fill_literal, "\"issued\": {\"literal\": \"Han dynasty\"}", NULL},
	{fill_raw, "\"issued\": {\"raw\": \"May 2001\"}", NULL},
	{fill_bc, "\"issued\": {\"date-parts\": [[-44,3,15]]}", NULL},
	{fill_months, "\"issued\": {\"date-parts\": [[2000,3,1],[2000,4]]}",
	 NULL},
	{fill_accessed, "\"accessed\": {\"date-parts\": [[2024,1,2]]}", NULL},
	{fill_accessed,
	 "\"original-date\": {\"date-parts\": [[1905]],\"circa\": true}", NULL},
	{fill_people,
	 "\"author\": [{\"family\": \"Author\",\"given\": \"A\"}],"
	 "\"editor\": [{\"family\": \"Beethoven\",\"given\": \"Ludwig\","
	 "\"dropping-particle\": \"van\"},{\"literal\": \"WHO\"}],"
	 "\"translator\": [{\"family\": \"Trans\",\"given\": \"T\"}],"
	 "\"container-title\": \"Proc\"",
	 "others"},
	{fill_csl, "\"id\": \"ITEM 1\",\"citation-key\": \"key1\"", NULL},
	{fill_csl, "\"container-title-short\": \"J. X\",\"event-title\": \"An event\"",
	 "\"container-title\":"},
	{fill_csl, "\"note\": \"Citation Key: key1\\nPDF: https://x.org/a.pdf\"",
	 "\"URL\""},
	{fill_csl,
	 "\"journalAbbreviation\": \"J.\",\"custom\": {\"a\": [1,\"b\"]},"
	 "\"x-text\": \"[not json\"}",
	 "\"ITEM 1\\n"},
	{fill_members,
	 "\"author\": [{\"family\": \"Mao\",\"given\": \"Zedong\","
	 "\"static-ordering\": true},{\"family\": \"Doe\",\"given\": \"Jane\"}]",
	 "csl-name-members"},
	{fill_many, "\"x-63\": \"v63\",\"x-64\": \"v64\"", NULL},
	{fill_many, "\"x-69\": \"v69\"}", "\"note\": \"Citation"},
	{fill_list, "\"container-title\": \"J. X\"", "\"container-title-short\""},
	{fill_list, "\"URL\": \"https://x.org/a.pdf\"", "PDF:"},
};

/* The output without its line ends and indents. */
static void cut_layout(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		if (*p == '\n') {
			while (p[1] == ' ')
				p++;
			continue;
		}
		*o++ = *p;
	}
	*o = '\0';
}

START_TEST(test_full_variables)
{
	pb_record r;
	pb_record_init(&r);
	set(&r, PB_F_TITLE, "T");
	full_cases[_i].fill(&r);
	char *out = render(NULL, &r, 1);
	cut_layout(out);
	ck_assert_msg(strstr(out, full_cases[_i].want), "no %s in %s",
	              full_cases[_i].want, out);
	ck_assert_msg(!full_cases[_i].absent || !strstr(out, full_cases[_i].absent),
	              "%s in %s", full_cases[_i].absent, out);
	free(out);
	pb_record_clear(&r);
}
END_TEST

Suite *csljson_suite(void)
{
	Suite *s = suite_create("csljson");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_full_record);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_arxiv);
	tcase_add_test(tc, test_absent_fields_omitted);
	tcase_add_test(tc, test_two_records_deterministic);
	tcase_add_loop_test(tc, test_escape, 0,
	                    (int)(sizeof escapes / sizeof escapes[0]));
	tcase_add_loop_test(tc, test_issued, 0,
	                    (int)(sizeof dates / sizeof dates[0]));
	tcase_add_loop_test(tc, test_year_literal, 0,
	                    (int)(sizeof literal_years / sizeof literal_years[0]));
	tcase_add_test(tc, test_article_has_no_event);
	tcase_add_test(tc, test_pdf_as_url);
	tcase_add_test(tc, test_short_venue_only);
	tcase_add_test(tc, test_options);
	tcase_add_test(tc, test_write_error);
	tcase_add_test(tc, test_format_entry);
	tcase_add_test(tc, test_escape_everywhere);
	tcase_add_test(tc, test_nothing_lost);
	tcase_add_loop_test(tc, test_full_variables, 0,
	                    (int)(sizeof full_cases / sizeof full_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}
