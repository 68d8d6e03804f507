/* The RIS writer on records built by hand: the full layout, dates, line
 * ends, and values that try to break out of their line. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "paperbib/paperbib.h"
#include "utf8.h"
#include "venue.h"
#include "testutil.h"

extern const pb_format pb_ris_format;
Suite *ris_suite(void);

/* Runs the writer over n records; returns the output (malloc'd) and the
 * status of the last call in *status. */
static char *render(pb_record *const *recs, size_t n, const pb_config *cfg,
                    int *status)
{
	size_t len;
	char *out = test_write(&pb_ris_format, cfg, NULL,
	                       (const pb_record *const *)recs, n, status, &len);
	ck_assert_uint_eq(strlen(out), len); /* no NUL bytes in the output */
	return out;
}

static char *render_one(pb_record *r, const pb_config *cfg)
{
	int rc;
	char *out = render(&r, 1, cfg, &rc);
	ck_assert_int_eq(rc, PB_OK);
	return out;
}

static void add_name(pb_record *r, const char *given, const char *family,
                     const char *particle, const char *suffix,
                     const char *literal)
{
	pb_name n = {(char *)given, (char *)family, (char *)particle,
	             (char *)suffix, (char *)literal, NULL};
	ck_assert_int_eq(pb_record_add_author(r, &n), PB_OK);
}

static void set_venue(pb_record *r)
{
	static const struct {
		pb_field f;
		const char *value;
	} venue[] = {
		{PB_F_VENUE_NAME,
		 "International Conference on Learning Representations"},
		{PB_F_VENUE_SHORT, "ICLR"},
		{PB_F_VENUE_YEAR, "2020"},
		{PB_F_VENUE_DATE, "2020-04-26"},
		{PB_F_VENUE_PUBLISHER, "OpenReview.net"},
		{PB_F_VENUE_LOCATION, "Addis Ababa, Ethiopia"},
		{PB_F_VENUE_TRACK, "Talk"},
	};
	for (size_t i = 0; i < sizeof venue / sizeof venue[0]; i++)
		ck_assert_int_eq(pb_record_set(r, venue[i].f, venue[i].value), PB_OK);
}

static pb_record *full_record(void)
{
	pb_record *r = pb_record_new();
	ck_assert_ptr_nonnull(r);
	pb_record_set(r, PB_F_TITLE, "Reformer: The Efficient Transformer");
	add_name(r, "Nikita", "Kitaev", NULL, NULL, NULL);
	add_name(r, "Mihaela", "van der Schaar", "van der", NULL, NULL);
	add_name(r, "Martin Luther", "King", NULL, "Jr.", NULL);
	add_name(r, NULL, NULL, NULL, NULL, "OpenAI");
	add_name(r, "Paweł", "Bińkowski", NULL, NULL, NULL);
	set_venue(r);
	pb_record_set(r, PB_F_URL,
	              "https://openreview.net/forum?id=rkgNKkHtvB");
	pb_record_set(r, PB_F_PDF_URL,
	              "https://openreview.net/pdf?id=rkgNKkHtvB");
	pb_record_set(r, PB_F_CODE_URL, "https://github.com/google/trax");
	pb_record_set(r, PB_F_ID, "rkgNKkHtvB");
	pb_record_set(r, PB_F_ABSTRACT,
	              "Large Transformer models, $O(L^2)$ 50%.");
	pb_record_add_keyword(r, "attention");
	pb_record_add_keyword(r, "locality sensitive hashing");
	pb_record_set(r, PB_F_NOTE, "Oral talk");
	pb_record_add_extra(r, "Venue", "ICLR");
	pb_record_set(r, PB_F_KEY, "kitaev2020reformer");
	return r;
}

static const char full_expected[] =
    "TY  - CONF\n"
    "TI  - Reformer: The Efficient Transformer\n"
    "AU  - Kitaev, Nikita\n"
    "AU  - van der Schaar, Mihaela\n"
    "AU  - King, Martin Luther, Jr.\n"
    "AU  - OpenAI\n"
    "AU  - Bińkowski, Paweł\n"
    "T2  - International Conference on Learning Representations (ICLR 2020)\n"
    "C3  - International Conference on Learning Representations\n"
    "BT  - International Conference on Learning Representations\n"
    "PY  - 2020\n"
    "DA  - 2020/04/26/\n"
    "PB  - OpenReview.net\n"
    "CY  - Addis Ababa, Ethiopia\n"
    "UR  - https://openreview.net/forum?id=rkgNKkHtvB\n"
    "L1  - https://openreview.net/pdf?id=rkgNKkHtvB\n"
    "KW  - attention\n"
    "KW  - locality sensitive hashing\n"
    "AB  - Large Transformer models, $O(L^2)$ 50%.\n"
    "N1  - Code: https://github.com/google/trax\n"
    "N1  - Track: Talk\n"
    "N1  - Venue: ICLR\n"
    "N1  - Oral talk\n"
    "ID  - kitaev2020reformer\n"
    "ER  - \n";

START_TEST(test_full_record)
{
	pb_record *r = full_record();
	char *out = render_one(r, NULL);
	ck_assert_str_eq(out, full_expected);
	free(out);
	pb_record_free(r);
}
END_TEST

START_TEST(test_minimal_record)
{
	/* No venue, no links: only what is there, and no empty tags. */
	pb_record *r = pb_record_new();
	pb_record_set(r, PB_F_TITLE, "A title");
	add_name(r, NULL, "Plato", NULL, NULL, NULL);
	add_name(r, "  ", "Doe", NULL, " ", NULL); /* blank parts dropped */
	pb_record_add_keyword(r, " \t ");
	char *out = render_one(r, NULL);
	ck_assert_str_eq(out, "TY  - CONF\n"
	                      "TI  - A title\n"
	                      "AU  - Plato\n"
	                      "AU  - Doe\n"
	                      "ER  - \n");
	free(out);
	pb_record_free(r);
}
END_TEST

/* An arXiv paper as Zotero's arXiv import gives it: arXiv's DOI, arXiv
 * as the repository of a preprint (no venue), the year of its id when
 * nothing else dates it; a DOI of its own and a venue win. */
START_TEST(test_arxiv)
{
	pb_record *r = pb_record_new();
	pb_record_set(r, PB_F_TITLE, "A preprint");
	pb_record_set(r, PB_F_URL, "https://arxiv.org/abs/2101.00042v3");
	char *out = render_one(r, NULL);
	ck_assert_str_eq(out, "TY  - CONF\n"
	                      "TI  - A preprint\n"
	                      "PY  - 2021\n"
	                      "PB  - arXiv\n"
	                      "DO  - 10.48550/arXiv.2101.00042\n"
	                      "UR  - https://arxiv.org/abs/2101.00042v3\n"
	                      "ER  - \n");
	free(out);
	pb_record_set(r, PB_F_VENUE_NAME, "Conference on Things");
	pb_record_set(r, PB_F_VENUE_YEAR, "2022");
	pb_record_add_extra(r, "doi", "10.1234/things.42");
	out = render_one(r, NULL);
	ck_assert_ptr_nonnull(strstr(out, "PY  - 2022\n"));
	ck_assert_ptr_nonnull(strstr(out, "DO  - 10.1234/things.42\n"));
	ck_assert_ptr_null(strstr(out, "10.48550"));
	ck_assert_ptr_null(strstr(out, "PB  - "));
	free(out);
	pb_record_free(r);
}
END_TEST

START_TEST(test_two_records_lf)
{
	/* A blank line between records, none before or after; no BOM. */
	pb_record *a = full_record(), *b = pb_record_new();
	pb_record_set(b, PB_F_TITLE, "Second");
	pb_record *recs[] = {a, b};
	int rc;
	char *out = render(recs, 2, NULL, &rc);
	ck_assert_int_eq(rc, PB_OK);
	size_t n = strlen(full_expected);
	ck_assert_int_eq(strncmp(out, full_expected, n), 0);
	ck_assert_str_eq(out + n, "\nTY  - CONF\nTI  - Second\nER  - \n");
	ck_assert_ptr_null(strchr(out, '\r'));
	free(out);
	pb_record_free(a);
	pb_record_free(b);
}
END_TEST

START_TEST(test_crlf)
{
	pb_config *cfg = pb_config_new();
	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(
	    pb_config_set(cfg, "ris", "newline", "crlf", "test", NULL), PB_OK);
	pb_record *a = full_record(), *b = full_record();
	pb_record *recs[] = {a, b};
	int rc;
	char *out = render(recs, 2, cfg, &rc);
	ck_assert_int_eq(rc, PB_OK);
	/* The LF output with every LF turned into CRLF. */
	size_t lines = 0;
	for (const char *p = out; *p; p++) {
		if (*p == '\n') {
			ck_assert(p > out && p[-1] == '\r');
			lines++;
		} else if (*p == '\r') {
			ck_assert_int_eq(p[1], '\n');
		}
	}
	ck_assert_uint_eq(lines, 2 * 25 + 1);
	ck_assert_ptr_nonnull(strstr(out, "ER  - \r\n\r\nTY  - CONF\r\n"));
	ck_assert_int_eq(strncmp(out, "TY  - CONF\r\nTI  - Reformer", 26), 0);
	free(out);
	pb_record_free(a);
	pb_record_free(b);
	/* A line end the format does not know is refused by the config. */
	ck_assert_int_eq(
	    pb_config_set(cfg, "ris", "newline", "cr", "test", NULL),
	    PB_ECONFIG);
	pb_config_free(cfg);
}
END_TEST

/* Venue dates and years: what PY and DA say. */
static const struct date_case {
	const char *year, *date;
	const char *py, *da; /* expected lines, "" when absent */
	const char *n1;      /* a date DA cannot hold goes to N1 */
} date_cases[] = {
    {"2020", "2020-04-26", "PY  - 2020\n", "DA  - 2020/04/26/\n", NULL},
    {"2020", "2020-04", "PY  - 2020\n", "DA  - 2020/04//\n", NULL},
    {"2020", "2020", "PY  - 2020\n", "DA  - 2020///\n", NULL},
    {"2020", NULL, "PY  - 2020\n", "DA  - 2020///\n", NULL},
    {NULL, "2019-12-01", "PY  - 2019\n", "DA  - 2019/12/01/\n", NULL},
    {"2020", "April 2020", "PY  - 2020\n", "DA  - 2020///\n",
     "N1  - Date: April 2020\n"},
    {"2020", "2020-4-26", "PY  - 2020\n", "DA  - 2020///\n",
     "N1  - Date: 2020-4-26\n"},
    {NULL, NULL, "", "", NULL},
};

START_TEST(test_dates)
{
	const struct date_case *c = &date_cases[_i];
	pb_record *r = pb_record_new();
	pb_record_set(r, PB_F_TITLE, "T");
	pb_record_set(r, PB_F_VENUE_YEAR, c->year);
	pb_record_set(r, PB_F_VENUE_DATE, c->date);
	char *out = render_one(r, NULL);
	char want[128];
	snprintf(want, sizeof want, "TY  - CONF\nTI  - T\n%s%s%sER  - \n", c->py,
	         c->da, c->n1 ? c->n1 : "");
	ck_assert_str_eq(out, want);
	free(out);
	pb_record_free(r);
}
END_TEST

/* Values that try to end the record or start tags of their own. Each is
 * put into every kind of field; the expected folding is the same. */
static const struct inject_case {
	const char *value;
	const char *folded;
} inject_cases[] = {
    {"Title\nER  - \nTY  - JOUR", "Title ER - TY - JOUR"},
    {"Title\r\nER  - ", "Title ER -"},
    {"\nTY  - BOOK\nTI  - Other", "TY - BOOK TI - Other"},
    {"a\tb\t\tc", "a b c"},
    {"a\rb", "a b"},
    {"a\vb\fc", "a b c"},
    {"a\x1b[31mb", "a [31mb"},
    {"a\x7f"
     "b",
     "a b"},
    {"a\xc2\x85"
     "b",
     "a b"}, /* U+0085 NEXT LINE */
    {"a\xe2\x80\xa8"
     "b",
     "a b"}, /* U+2028 LINE SEPARATOR */
    {"a\xe2\x80\xa9"
     "b",
     "a b"},                         /* U+2029 PARAGRAPH SEPARATOR */
    {"a\xff\nb", "a\xef\xbf\xbd b"}, /* invalid UTF-8 */
    {"  lead and trail \n", "lead and trail"},
    {"ER  - ", "ER -"},
    /* folding copies runs of text and UTF-8 at once: every edge */
    {"caf\xc3\xa9  \xc3\xa9t\xc3\xa9\t\xe2\x80\x94", "caf\xc3\xa9 \xc3\xa9t\xc3\xa9 \xe2\x80\x94"},
    {"\xff" "a", "\xef\xbf\xbd" "a"},
    {" \xff \xff ", "\xef\xbf\xbd \xef\xbf\xbd"},
    {"a\xff\xff" "b", "a\xef\xbf\xbd\xef\xbf\xbd" "b"},
    {"cut\xe2\x80", "cut\xef\xbf\xbd\xef\xbf\xbd"},
    {"\xc2\x85" "a\xc2\x85", "a"},
    {"\xe2\x80\xa8\xc3\xa9\xe2\x80\xa9\xc3\xa9\xc2\xa0", "\xc3\xa9 \xc3\xa9\xc2\xa0"},
    {"\x7f\x01" "x" "\x1f", "x"},
    /* a single space between words is copied with its run */
    {"a b \xe2\x80\xa8" "c d", "a b c d"},
    {"w x \xc2\x85", "w x"},
    {"a  b c \n d", "a b c d"},
    {"a b\x01 c", "a b c"},
    {"a \xc3\xa9 b \xff c ", "a \xc3\xa9 b \xef\xbf\xbd c"},
};

static int is_tag_line(const char *line, size_t len)
{
	return len >= 6 && line[0] >= 'A' && line[0] <= 'Z' &&
	       ((line[1] >= 'A' && line[1] <= 'Z') ||
	        (line[1] >= '0' && line[1] <= '9')) &&
	       memcmp(line + 2, "  - ", 4) == 0;
}

/* Every line is a tag line except the blank ones between records; TY
 * starts and ER ends each record; returns the number of records. */
static int check_lines(const char *out)
{
	int records = 0, in = 0;
	for (const char *p = out; *p;) {
		const char *nl = strchr(p, '\n');
		ck_assert_ptr_nonnull(nl);
		size_t len = (size_t)(nl - p);
		if (len == 0) {
			ck_assert(!in);
		} else {
			ck_assert_msg(is_tag_line(p, len),
			              "not a tag line: %.*s", (int)len, p);
			if (strncmp(p, "TY  - ", 6) == 0) {
				ck_assert(!in);
				in = 1;
				records++;
			} else if (strncmp(p, "ER  - ", 6) == 0) {
				ck_assert(in);
				ck_assert_uint_eq(len, 6);
				in = 0;
			} else {
				ck_assert(in);
			}
		}
		p = nl + 1;
	}
	ck_assert(!in);
	return records;
}

START_TEST(test_injection)
{
	const struct inject_case *c = &inject_cases[_i];
	pb_record *r = pb_record_new();
	static const pb_field fields[] = {
	    PB_F_TITLE,
	    PB_F_URL,
	    PB_F_PDF_URL,
	    PB_F_CODE_URL,
	    PB_F_ABSTRACT,
	    PB_F_NOTE,
	    PB_F_KEY,
	    PB_F_VENUE_NAME,
	    PB_F_VENUE_PUBLISHER,
	    PB_F_VENUE_LOCATION,
	};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		ck_assert_int_eq(pb_record_set(r, fields[i], c->value), PB_OK);
	add_name(r, c->value, c->value, NULL, NULL, NULL);
	add_name(r, NULL, NULL, NULL, NULL, c->value);
	pb_record_add_keyword(r, c->value);
	pb_record_add_extra(r, "X", c->value);

	char *out = render_one(r, NULL);
	ck_assert_int_eq(check_lines(out), 1);
	const char *f = c->folded;
	char want[512];
	/* The line each field must give: prefix, the folded value, and for
	 * a split name ", " and the value again. */
	static const struct {
		const char *prefix;
		int twice;
	} lines[] = {
	    {"TI  - ", 0},       {"AU  - ", 1}, {"AU  - ", 0},    {"T2  - ", 0},
	    {"C3  - ", 0},       {"BT  - ", 0}, {"PB  - ", 0},    {"CY  - ", 0},
	    {"UR  - ", 0},       {"L1  - ", 0}, {"KW  - ", 0},    {"AB  - ", 0},
	    {"N1  - Code: ", 0}, {"N1  - X: ", 0}, {"ID  - ", 0},
	};
	/* The note is written one N1 line per line of it (check_lines has
	 * seen that each is a tag line of its own). */
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
		snprintf(want, sizeof want, "%s%s%s%s\n", lines[i].prefix, f,
		         lines[i].twice ? ", " : "", lines[i].twice ? f : "");
		ck_assert_msg(strstr(out, want) != NULL, "missing %s in:\n%s",
		              want, out);
	}
	ck_assert_str_eq(out + strlen(out) - 8, "\nER  - \n");
	free(out);
	pb_record_free(r);
}
END_TEST

/* Name parts fold one by one, straight into the line: a part that folds
 * to nothing takes its ", " with it, and a name of white space only
 * writes no AU line at all. */
START_TEST(test_name_parts_fold)
{
	pb_record *r = pb_record_new();
	ck_assert_ptr_nonnull(r);
	pb_record_set(r, PB_F_TITLE, "T");
	add_name(r, "Ann", "  ", NULL, NULL, NULL);
	add_name(r, " ", "\t", NULL, "\n", NULL);
	add_name(r, "\n", "Doe", NULL, "Jr.", NULL);
	add_name(r, NULL, NULL, NULL, NULL, " \x01 ");
	add_name(r, "B\xc3\xa9" "a", " Le\tGuin ", NULL, NULL, NULL);
	char *out = render_one(r, NULL);
	ck_assert_str_eq(out, "TY  - CONF\n"
	                      "TI  - T\n"
	                      "AU  - Ann\n"
	                      "AU  - Doe, Jr.\n"
	                      "AU  - Le Guin, B\xc3\xa9" "a\n"
	                      "ER  - \n");
	free(out);
	pb_record_free(r);
}
END_TEST

START_TEST(test_write_error)
{
	FILE *f = fopen("/dev/null", "r"); /* writes to it fail */
	ck_assert_ptr_nonnull(f);
	pb_writer *w = pb_writer_new(&pb_ris_format, f, NULL, NULL);
	pb_record *r = full_record();
	ck_assert_int_eq(pb_writer_begin(w), PB_OK);
	ck_assert_int_eq(pb_writer_write(w, r), PB_EIO);
	pb_writer_free(w);
	fclose(f);
	pb_record_free(r);
}
END_TEST

START_TEST(test_registered)
{
	const pb_format *f = pb_format_find("ris");
	ck_assert_ptr_eq(f, &pb_ris_format);
	ck_assert_str_eq(f->extension, "ris");
	const pb_option_spec *o = pb_config_spec("ris", "newline");
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(o->def, "lf");
}
END_TEST

/* The reference list through the real reader and pipeline: the RIS is
 * parsed back and every tag of every record compared with the record the
 * writer was given (captured by a format that wraps the RIS writer). */

static pb_record *seen;
static size_t n_seen, cap_seen;

static int tee_record(pb_writer *w, const pb_record *r)
{
	if (n_seen == cap_seen) {
		cap_seen = cap_seen ? 2 * cap_seen : 64;
		seen = realloc(seen, cap_seen * sizeof *seen);
		ck_assert_ptr_nonnull(seen);
	}
	ck_assert_int_eq(pb_record_copy(&seen[n_seen++], r), PB_OK);
	return pb_ris_format.record(w, r);
}

static int tee_begin(pb_writer *w)
{
	return pb_ris_format.begin(w);
}

static void tee_free(pb_writer *w)
{
	pb_ris_format.free(w);
}

static const pb_format tee_format = {
    .name = "ris",
    .extension = "ris",
    .description = "RIS, with the records kept for the test",
    .begin = tee_begin,
    .record = tee_record,
    .free = tee_free,
};

/* The test's own folding: control bytes, U+0085, U+2028 and U+2029 to
 * spaces, runs of spaces to one, trimmed. Appends to out (size 4096+). */
static void fold(char *out, const char *s)
{
	char *o = out + strlen(out);
	const char *start = o;
	int space = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		size_t skip = 0;
		if (*p < 0x20 || *p == 0x7F || *p == ' ')
			skip = 1;
		else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			skip = 2;
		else if (p[0] == 0xE2 && p[1] == 0x80 &&
		         (p[2] == 0xA8 || p[2] == 0xA9))
			skip = 3;
		if (skip) {
			space = 1;
			p += skip - 1;
			continue;
		}
		if (space && o > start)
			*o++ = ' ';
		space = 0;
		*o++ = (char)*p;
	}
	*o = '\0';
}

struct tagval {
	char tag[3];
	char *value;
};

struct taglist {
	struct tagval *v;
	size_t n, cap;
};

static void push(struct taglist *l, const char *tag, const char *value)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		ck_assert_ptr_nonnull(l->v);
	}
	memcpy(l->v[l->n].tag, tag, 3);
	l->v[l->n].value = strdup(value);
	l->n++;
}

/* Pushes tag with the folded value, when that is not empty. */
static void expect(struct taglist *l, const char *tag, const char *prefix,
                   const char *value)
{
	static char buf[1 << 16];
	if (!value)
		return;
	strcpy(buf, prefix);
	size_t before = strlen(buf);
	fold(buf, value);
	if (strlen(buf) > before)
		push(l, tag, buf);
}

static void taglist_clear(struct taglist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].value);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* What the RIS of r must be, tag by tag, from the issue's mapping. */
static void expected_tags(const pb_record *r, struct taglist *l)
{
	static char name[4096], venue[4096];
	push(l, "TY", "CONF");
	expect(l, "TI", "", r->title);
	for (size_t i = 0; i < r->n_authors; i++) {
		const pb_name *a = &r->authors[i];
		name[0] = '\0';
		if (a->literal) {
			fold(name, a->literal);
		} else {
			const char *parts[] = {a->family, a->given, a->suffix};
			for (size_t k = 0; k < 3; k++) {
				if (!parts[k])
					continue;
				size_t before = strlen(name);
				if (before)
					strcat(name, ", ");
				fold(name, parts[k]);
				if (strlen(name) == before + (before ? 2 : 0))
					name[before] = '\0';
			}
		}
		expect(l, "AU", "", name);
	}
	pb_buf b = PB_BUF_INIT;
	ck_assert_int_eq(pb_venue_event_title(&r->venue, &b), PB_OK);
	snprintf(venue, sizeof venue, "%s", pb_buf_cstr(&b));
	expect(l, "T2", "", venue);
	pb_buf_reset(&b);
	ck_assert_int_eq(pb_venue_proceedings_title(&r->venue, &b), PB_OK);
	snprintf(venue, sizeof venue, "%s", pb_buf_cstr(&b));
	pb_buf_free(&b);
	expect(l, "C3", "", venue);
	expect(l, "BT", "", venue);
	expect(l, "PY", "", r->venue.year);
	if (r->venue.date && strlen(r->venue.date) == 10) {
		char da[16];
		snprintf(da, sizeof da, "%.4s/%.2s/%.2s/", r->venue.date,
		         r->venue.date + 5, r->venue.date + 8);
		expect(l, "DA", "", da);
	}
	expect(l, "PB", "", r->venue.publisher);
	expect(l, "CY", "", r->venue.location);
	expect(l, "UR", "", r->url);
	expect(l, "L1", "", r->pdf_url);
	for (size_t i = 0; i < r->n_keywords; i++)
		expect(l, "KW", "", r->keywords[i]);
	expect(l, "AB", "", r->abstract);
	expect(l, "N1", "Code: ", r->code_url);
	expect(l, "N1", "Track: ", r->venue.track);
	for (size_t i = 0; i < r->n_extra; i++) {
		snprintf(name, sizeof name, "%s: ", r->extra[i].key);
		expect(l, "N1", name, r->extra[i].value);
	}
	expect(l, "N1", "", r->note);
	expect(l, "ID", "", r->key);
	push(l, "ER", "");
}

/* Splits RIS text into records of tags; every line must be a tag line
 * or the blank line between records. Returns the number of records. */
static size_t parse_ris(char *text, struct taglist **out)
{
	size_t n = 0, cap = 0;
	struct taglist *recs = NULL;
	int in = 0;
	for (char *line = text; *line;) {
		char *nl = strchr(line, '\n');
		ck_assert_ptr_nonnull(nl);
		*nl = '\0';
		size_t len = (size_t)(nl - line);
		if (len == 0) {
			ck_assert_msg(!in, "blank line inside record %zu", n);
		} else {
			ck_assert_msg(is_tag_line(line, len),
			              "not a tag line: %s", line);
			if (strncmp(line, "TY", 2) == 0) {
				ck_assert(!in);
				if (n == cap) {
					cap = cap ? 2 * cap : 64;
					recs =
					    realloc(recs, cap * sizeof *recs);
					ck_assert_ptr_nonnull(recs);
				}
				memset(&recs[n++], 0, sizeof *recs);
				in = 1;
			}
			ck_assert_msg(in, "tag outside a record: %s", line);
			char tag[3] = {line[0], line[1], '\0'};
			push(&recs[n - 1], tag, line + 6);
			if (strcmp(tag, "ER") == 0)
				in = 0;
		}
		line = nl + 1;
	}
	ck_assert(!in);
	*out = recs;
	return n;
}

/* Nothing lost (issue 14): a record with every member set gives RIS in
 * which each value is somewhere, in its tag or in N1; a member or extra
 * field with no tag is named in one warning per field name across two
 * records, whatever the case of its name. */
static char lost_diags[4096];

static void collect_lost(void *ctx, const pb_diag *d)
{
	(void)ctx;
	size_t n = strlen(lost_diags);
	snprintf(lost_diags + n, sizeof lost_diags - n, "%s\n", d->message);
}

static pb_record *every_member(pb_type type, const char *extra_case)
{
	pb_record *r = pb_record_new();
	ck_assert_ptr_nonnull(r);
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
		ck_assert_int_eq(pb_record_set(r, fields[i].f, fields[i].v), PB_OK);
	add_name(r, "Given G", "Family F", NULL, "Jr.", NULL);
	add_name(r, NULL, NULL, NULL, NULL, "Literal Org");
	ck_assert_int_eq(pb_record_add_keyword(r, "keyword one"), PB_OK);
	ck_assert_int_eq(pb_record_add_keyword(r, "keyword two"), PB_OK);
	ck_assert_int_eq(pb_record_add_extra(r, "DOI", "10.1000/xyz"), PB_OK);
	ck_assert_int_eq(pb_record_add_extra(r, "pages", "10-20"), PB_OK);
	ck_assert_int_eq(pb_record_add_extra(r, extra_case, "Funded by F"),
	                 PB_OK);
	ck_assert_int_eq(pb_record_add_extra(r, "Remark", "Remark R"), PB_OK);
	return r;
}

START_TEST(test_nothing_lost)
{
	pb_record *recs[] = {every_member(PB_TYPE_PAPER_CONFERENCE, "Funding"),
	                     every_member(PB_TYPE_ARTICLE, "FUNDING")};
	pb_diag_sink sink = {collect_lost, NULL};
	lost_diags[0] = '\0';
	int rc;
	size_t len;
	char *out = test_write(&pb_ris_format, NULL, &sink,
	                       (const pb_record *const *)recs, 2, &rc, &len);
	ck_assert_int_eq(rc, PB_OK);
	static const char *const lines[] = {
	    "TY  - CONF\n", "TY  - JOUR\n", "TI  - Title T\n",
	    "AU  - Family F, Given G, Jr.\n", "AU  - Literal Org\n",
	    /* CONF: the event title holds the short name and year */
	    "T2  - Venue Name V (VSHORT 2021)\n", "C3  - Venue Name V\n",
	    /* JOUR: the journal and its abbreviation */
	    "T2  - Venue Name V\n", "J2  - VSHORT\n", "PY  - 2021\n",
	    "N1  - Date: Spring 2021\n", "PB  - Publisher P\n",
	    "CY  - Location L\n", "N1  - Track: Track K\n",
	    "UR  - https://example.org/page\n",
	    "L1  - https://example.org/paper.pdf\n",
	    "N1  - Code: https://github.com/o/r\n", "N1  - ID: 2101.00042\n",
	    "AB  - Abstract A\n", "KW  - keyword one\n", "KW  - keyword two\n",
	    "N1  - Note line one\n", "N1  - Note line two\n",
	    "DO  - 10.1000/xyz\n", "SP  - 10\n", "EP  - 20\n",
	    "N1  - Funding: Funded by F\n", "N1  - FUNDING: Funded by F\n",
	    "N1  - Remark: Remark R\n", "ID  - key2021title\n",
	};
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
		ck_assert_msg(strstr(out, lines[i]), "no %s in:\n%s", lines[i], out);
	/* one warning per field name: date, track, id, funding, remark */
	static const char *const named[] = {"'date'", "'track'", "'id'",
	                                    "'Funding'", "'Remark'"};
	for (size_t i = 0; i < sizeof named / sizeof *named; i++)
		ck_assert_msg(test_occurrences(lost_diags, named[i]) == 1,
		              "%s not named once in:\n%s", named[i], lost_diags);
	ck_assert_uint_eq(test_occurrences(lost_diags, "\n"), 5);
	ck_assert_ptr_nonnull(strstr(lost_diags, "ris: no RIS tag for 'track'; "
	                                         "written to N1 as \"Track: ...\""));
	/* with its value in a link, the id needs no N1 line */
	pb_record_set(recs[0], PB_F_ID, "paper");
	free(out);
	out = test_write(&pb_ris_format, NULL, NULL,
	                 (const pb_record *const *)recs, 1, &rc, &len);
	ck_assert_ptr_null(strstr(out, "ID: "));
	free(out);
	pb_record_free(recs[0]);
	pb_record_free(recs[1]);
}
END_TEST

START_TEST(test_example_fields)
{
	pb_config *cfg = pb_config_new();
	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(pb_config_load(cfg, "../examples/iclr2020.ini", NULL),
	                 PB_OK);
	FILE *in = fopen("../examples/iclr2020-talks.txt", "rb");
	ck_assert_msg(in != NULL, "run from tests/: ../examples missing");
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	int rc;
	pb_pipeline *p = pb_pipeline_new(cfg, NULL, &rc);
	ck_assert_ptr_nonnull(p);
	pb_writer *w = pb_writer_new(&tee_format, f, cfg, NULL);
	ck_assert_int_eq(pb_pipeline_add_writer(p, w), PB_OK);
	pb_reader *r =
	    pb_reader_open(in, "iclr2020-talks.txt", NULL, cfg, NULL, &rc);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(pb_pipeline_run(p, r), PB_OK);
	ck_assert_int_eq(pb_pipeline_finish(p), PB_OK);
	pb_reader_free(r);
	pb_pipeline_free(p);
	pb_writer_free(w);
	fclose(in);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_uint_eq(strlen(out), len);
	ck_assert_int_eq(strncmp(out, "TY  - CONF\n", 11), 0); /* no BOM */

	struct taglist *got;
	size_t n = parse_ris(out, &got);
	ck_assert_uint_eq(n, 48);
	ck_assert_uint_eq(n_seen, 48);
	for (size_t i = 0; i < n; i++) {
		/* Every talk has a title, authors and a year; check that the
		 * comparison below is not between empty records. */
		ck_assert_ptr_nonnull(seen[i].title);
		ck_assert_uint_gt(seen[i].n_authors, 0);
		ck_assert_ptr_nonnull(seen[i].venue.year);
		struct taglist want = {0};
		expected_tags(&seen[i], &want);
		for (size_t k = 0; k < want.n && k < got[i].n; k++) {
			ck_assert_msg(
			    strcmp(want.v[k].tag, got[i].v[k].tag) == 0 &&
			        strcmp(want.v[k].value, got[i].v[k].value) == 0,
			    "record %zu, line %zu: want %s  - %s, got %s  - %s",
			    i + 1, k + 1, want.v[k].tag, want.v[k].value,
			    got[i].v[k].tag, got[i].v[k].value);
		}
		ck_assert_uint_eq(want.n, got[i].n);
		taglist_clear(&want);
		taglist_clear(&got[i]);
	}
	/* The venue of the example, spelled out once. */
	ck_assert_str_eq(
	    seen[0].venue.name,
	    "International Conference on Learning Representations");
	for (size_t i = 0; i < n_seen; i++)
		pb_record_clear(&seen[i]);
	free(seen);
	seen = NULL;
	n_seen = cap_seen = 0;
	free(got);
	free(out);
	pb_config_free(cfg);
}
END_TEST

/* RIS folding one character at a time, as the writer did before it
 * scanned eight bytes at once: breaks and white space fold to one space
 * between text, none at the ends; invalid UTF-8 is U+FFFD. */
static void fold_reference(pb_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), start = b->len;
	int space = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp = p[i];
		size_t k = p[i] >= 0x80 ? pb_utf8_decode(p + i, n - i, &cp) : 1;
		int brk = k && (cp <= 0x20 || (cp >= 0x7F && cp <= 0x9F) ||
		                cp == 0x2028 || cp == 0x2029);
		if (brk) {
			space = 1;
		} else {
			if (space && b->len > start)
				pb_buf_putc(b, ' ');
			space = 0;
			if (k)
				pb_buf_append(b, s + i, k);
			else
				pb_buf_puts(b, "\xEF\xBF\xBD");
		}
		i += k ? k : 1;
	}
}

/* Each byte or sequence that folds or needs decoding, at every offset of
 * a title from 1 to 40 bytes long, next to spaces and alone: the
 * eight-byte scan, its edges, its padded tail and the fallback. */
START_TEST(test_fold_everywhere)
{
	static const char *const specials[] = {
	    " ", "  ", "   ", "\t", "\n", " \n ", "\x01", "\x7f", " \x7f",
	    "\xc2\x85", " \xc2\x9f ", "\xc2\xa0", "\xe2\x80\xa8", " \xe2\x80\xa9",
	    "\xc3\xa9", "\xe2\x80\x94", "\xf0\x9f\x98\x80", "\xff", " \xff ",
	    "\xc3", "\xe2\x80", "\x80", " \x80",
	};
	for (size_t k = 0; k < sizeof specials / sizeof *specials; k++) {
		for (size_t len = 1; len <= 40; len++) {
			for (size_t at = 0; at < len; at++) {
				char title[128];
				size_t sl = strlen(specials[k]);
				memset(title, 'a', len + sl);
				for (size_t j = 3; j < len; j += 5)
					title[j] = ' '; /* words */
				memcpy(title + at, specials[k], sl);
				title[len + sl] = '\0';
				if (at % 2)
					title[len + sl - 1] = ' '; /* a space at the end */
				pb_record *r = pb_record_new();
				ck_assert_int_eq(pb_record_set(r, PB_F_TITLE, title),
				                 PB_OK);
				char *out = render_one(r, NULL);
				pb_buf want = PB_BUF_INIT;
				pb_buf_puts(&want, "\nTI  - ");
				fold_reference(&want, title);
				pb_buf_putc(&want, '\n');
				ck_assert_msg(strstr(out, want.data), "title \"%s\": %s",
				              title, out);
				pb_buf_free(&want);
				free(out);
				pb_record_free(r);
			}
		}
	}
}
END_TEST

/* The full record: for every type, a record with every CSL variable and
 * every name role is written, read back by the RIS reader and compared
 * field by field: what a tag holds comes back from it, the rest from N1
 * (the type where TY cannot say it, "name: value", "role: Family ||
 * Given"). */
extern const pb_input_format pb_ris_input;

static void dump_full(pb_buf *out, const pb_record *r)
{
	pb_buf d = PB_BUF_INIT;
	test_dump(&d, r, 1);
	pb_buf_printf(&d, "type=%s\nvenue.date=%s\nvenue.location=%s\n"
	              "venue.publisher=%s\nnote=%s\nkey=%s\n",
	              pb_type_name(r->type),
	              r->venue.date ? r->venue.date : "(null)",
	              r->venue.location ? r->venue.location : "(null)",
	              r->venue.publisher ? r->venue.publisher : "(null)",
	              r->note ? r->note : "(null)", r->key ? r->key : "(null)");
	/* sorted: the order of variables is no field */
	char *lines[512];
	size_t n = 0;
	pb_buf_cstr(&d);
	for (char *p = strtok(d.data, "\n"); p && n < 512;
	     p = strtok(NULL, "\n"))
		lines[n++] = p;
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && strcmp(lines[k - 1], lines[k]) > 0; k--) {
			char *t = lines[k];
			lines[k] = lines[k - 1];
			lines[k - 1] = t;
		}
	for (size_t i = 0; i < n; i++)
		pb_buf_printf(out, "%s\n", lines[i]);
	pb_buf_cstr(out);
	pb_buf_free(&d);
}

/* A value for a variable that the reader takes as that variable. */
static const char *full_value(const pb_csl_var *v, char *buf, size_t size)
{
	static const struct {
		const char *name, *value;
	} special[] = {
	    {"ISBN", "978-0-12-345678-9"}, {"ISSN", "1234-5678"},
	    {"page", "10-20"},             {"DOI", "10.1000/xyz.42"},
	};
	for (size_t i = 0; i < sizeof special / sizeof *special; i++)
		if (strcmp(v->name, special[i].name) == 0)
			return special[i].value;
	if (v->kind == PB_CSL_DATE)
		return "2001-02-03";
	if (v->kind == PB_CSL_NUMBER)
		snprintf(buf, size, "%u", (unsigned)(strlen(v->name) + 3));
	else
		snprintf(buf, size, "Value of %s", v->name);
	return buf;
}

static pb_record *full_csl_record(pb_type type)
{
	pb_record *r = pb_record_new();
	ck_assert_ptr_nonnull(r);
	r->type = type;
	pb_record_set(r, PB_F_TITLE, "The full record");
	add_name(r, "Ann", "Author", NULL, NULL, NULL);
	pb_record_set(r, PB_F_VENUE_NAME, "Container of Tests");
	pb_record_set(r, PB_F_VENUE_SHORT, "CT");
	pb_record_set(r, PB_F_VENUE_PUBLISHER, "Publisher P");
	pb_record_set(r, PB_F_VENUE_LOCATION, "Place L");
	pb_record_set(r, PB_F_URL, "https://example.org/full");
	pb_record_set(r, PB_F_ABSTRACT, "An abstract.");
	pb_record_set(r, PB_F_NOTE, "A note of the user");
	pb_record_set(r, PB_F_KEY, "author1984full");
	pb_record_add_keyword(r, "one, two");
	ck_assert_int_eq(pb_record_set_issued(r, "1984/1986"), PB_OK);
	char buf[64];
	for (size_t i = 0; i < pb_csl_n_vars; i++) {
		const pb_csl_var *v = &pb_csl_vars[i];
		if (v->home == PB_CSL_IN_VARS && strcmp(v->name, "issued") != 0)
			ck_assert_int_eq(
			    pb_record_set_var(r, v->name, full_value(v, buf, sizeof buf)),
			    PB_OK);
		if (v->home == PB_CSL_IN_PEOPLE) {
			char family[64];
			snprintf(family, sizeof family, "Fam%s", v->name);
			pb_name n = {(char *)"Given", family, NULL, NULL, NULL, NULL};
			ck_assert_int_eq(pb_record_add_person(r, v->name, &n), PB_OK);
		}
	}
	pb_name org = {NULL, NULL, NULL, NULL, (char *)"An Organisation", NULL};
	ck_assert_int_eq(pb_record_add_person(r, "editor", &org), PB_OK);
	pb_name jr = {(char *)"Martin", (char *)"King", NULL, (char *)"Jr.", NULL,
	              NULL};
	ck_assert_int_eq(pb_record_add_person(r, "translator", &jr), PB_OK);
	return r;
}

START_TEST(test_full_csl_round_trip)
{
	pb_type type = (pb_type)_i;
	pb_record *r = full_csl_record(type);
	int rc;
	size_t len;
	char *out = test_write(&pb_ris_format, NULL, NULL,
	                       (const pb_record *const *)&r, 1, &rc, &len);
	ck_assert_int_eq(rc, PB_OK);
	ck_assert_int_eq(check_lines(out), 1);
	test_records t;
	test_read(&t, out, len, &pb_ris_input, NULL);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_uint_eq(t.warnings + t.errors, 0);
	t.recs[0].origin = r->origin;
	pb_buf want = PB_BUF_INIT, got = PB_BUF_INIT;
	dump_full(&want, r);
	dump_full(&got, &t.recs[0]);
	if (strcmp(want.data, got.data) != 0) {
		/* the first line that differs, and the RIS on stderr */
		const char *w = want.data, *g = got.data;
		while (*w && *w == *g)
			w++, g++;
		while (w > want.data && w[-1] != '\n')
			w--, g--;
		fprintf(stderr, "%s", out);
		ck_abort_msg("%s: wanted %.80s, read back %.80s", pb_type_name(type),
		             w, g);
	}
	pb_buf_free(&want);
	pb_buf_free(&got);
	test_records_free(&t);
	free(out);
	pb_record_free(r);
}
END_TEST

/* The tags of the full record, by type, as Zotero's RIS export writes
 * them, and what goes to N1. */
static const struct full_case {
	pb_type type;
	const char *line;
} full_cases[] = {
    {PB_TYPE_ARTICLE, "TY  - JOUR\n"},
    {PB_TYPE_ARTICLE, "T2  - Container of Tests\n"},
    {PB_TYPE_ARTICLE, "J2  - CT\n"},
    {PB_TYPE_ARTICLE, "PY  - 1984\n"},
    {PB_TYPE_ARTICLE, "DA  - 1984///\n"},
    {PB_TYPE_ARTICLE, "N1  - issued: 1984/1986\n"},
    {PB_TYPE_ARTICLE, "A2  - Fameditor, Given\n"},
    {PB_TYPE_ARTICLE, "A2  - An Organisation\n"},
    {PB_TYPE_ARTICLE, "A3  - Famcollection-editor, Given\n"},
    {PB_TYPE_ARTICLE, "A4  - Famtranslator, Given\n"},
    {PB_TYPE_ARTICLE, "A4  - King, Martin, Jr.\n"},
    {PB_TYPE_ARTICLE, "T3  - Value of collection-title\n"},
    {PB_TYPE_ARTICLE, "VL  - 9\n"},
    {PB_TYPE_ARTICLE, "IS  - 8\n"},
    {PB_TYPE_ARTICLE, "SP  - 10\nEP  - 20\n"},
    {PB_TYPE_ARTICLE, "SN  - 978-0-12-345678-9\nSN  - 1234-5678\n"},
    {PB_TYPE_ARTICLE, "ET  - 10\n"},
    {PB_TYPE_ARTICLE, "LA  - Value of language\n"},
    {PB_TYPE_ARTICLE, "Y2  - 2001/02/03/\n"},
    {PB_TYPE_ARTICLE, "DO  - 10.1000/xyz.42\n"},
    {PB_TYPE_ARTICLE, "N1  - original-date: 2001-02-03\n"},
    {PB_TYPE_ARTICLE, "N1  - event-place: Value of event-place\n"},
    {PB_TYPE_ARTICLE, "N1  - container-author: Famcontainer-author || Given\n"},
    {PB_TYPE_ARTICLE, "N1  - A note of the user\n"},
    {PB_TYPE_PAPER_CONFERENCE, "TY  - CONF\n"},
    {PB_TYPE_PAPER_CONFERENCE, "T2  - Value of event-title\n"},
    {PB_TYPE_PAPER_CONFERENCE, "C3  - Container of Tests\n"},
    {PB_TYPE_PAPER_CONFERENCE, "N1  - container-title-short: CT\n"},
    {PB_TYPE_PAPER_CONFERENCE, "A4  - Famcontributor, Given\n"},
    {PB_TYPE_BOOK, "TY  - BOOK\n"},
    {PB_TYPE_BOOK, "T2  - Value of collection-title\n"},
    {PB_TYPE_BOOK, "A2  - Famcollection-editor, Given\n"},
    {PB_TYPE_BOOK, "A3  - Fameditor, Given\n"},
    {PB_TYPE_BOOK, "SP  - 18\n"},
    {PB_TYPE_BOOK, "M1  - 20\n"},
    {PB_TYPE_BOOK, "N1  - container-title: Container of Tests\n"},
    {PB_TYPE_BOOK, "N1  - page: 10-20\n"},
    {PB_TYPE_CHAPTER, "TY  - CHAP\n"},
    {PB_TYPE_CHAPTER, "C2  - Famcontainer-author, Given\n"},
    {PB_TYPE_CHAPTER, "IS  - 20\n"},
    {PB_TYPE_SONG, "TY  - SOUND\n"},
    {PB_TYPE_SONG, "AU  - Famcomposer, Given\n"},
    {PB_TYPE_SONG, "N1  - author: Author || Ann\n"},
    {PB_TYPE_PATENT, "TY  - PAT\n"},
    {PB_TYPE_PATENT, "SN  - 9\n"},
    {PB_TYPE_PATENT, "C1  - 2001/02/03/\n"},
    {PB_TYPE_REVIEW, "TY  - JOUR\n"},
    {PB_TYPE_REVIEW, "N1  - type: review\n"},
    {PB_TYPE_WEBPAGE, "TY  - ELEC\n"},
    {PB_TYPE_WEBPAGE, "M3  - Value of genre\n"},
    {PB_TYPE_WEBPAGE, "N1  - volume: 9\n"},
};

START_TEST(test_full_csl_tags)
{
	const struct full_case *c = &full_cases[_i];
	pb_record *r = full_csl_record(c->type);
	char *out = render_one(r, NULL);
	ck_assert_msg(strstr(out, c->line), "%s: no %s in:\n%s",
	              pb_type_name(c->type), c->line, out);
	free(out);
	pb_record_free(r);
}
END_TEST

/* A RIS file's own tags, kept as extra fields, are written back as those
 * tags; from another format they go to N1. */
START_TEST(test_own_tags)
{
	pb_record *r = pb_record_new();
	pb_record_set(r, PB_F_TITLE, "T");
	pb_record_add_extra(r, "C7", "101427");
	pb_record_add_extra(r, "Funding", "F");
	r->origin = PB_ORIGIN_RIS;
	char *out = render_one(r, NULL);
	ck_assert_ptr_nonnull(strstr(out, "\nC7  - 101427\n"));
	ck_assert_ptr_nonnull(strstr(out, "\nN1  - Funding: F\n"));
	free(out);
	r->origin = PB_ORIGIN_CSLJSON;
	out = render_one(r, NULL);
	ck_assert_ptr_nonnull(strstr(out, "\nN1  - C7: 101427\n"));
	free(out);
	pb_record_free(r);
}
END_TEST

/* A RIS file's second value of a tag, kept as an extra field, is written
 * after the tag's own value, so that reading the RIS back takes the same
 * value as the value: a second DOI after the DOI, a second UR after the
 * URL. */
START_TEST(test_own_tags_after_value)
{
	pb_record *r = pb_record_new();
	r->type = PB_TYPE_ARTICLE;
	r->origin = PB_ORIGIN_RIS;
	pb_record_set(r, PB_F_TITLE, "T");
	pb_record_set(r, PB_F_URL, "https://a/1");
	pb_record_set_var(r, "DOI", "10.1/a");
	pb_record_set_var(r, "volume", "3");
	pb_record_add_extra(r, "DO", "10.2/b");
	pb_record_add_extra(r, "UR", "https://a/2");
	pb_record_add_extra(r, "VL", "4");
	char *out = render_one(r, NULL);
	ck_assert_msg(strstr(out, "\nDO  - 10.1/a\nDO  - 10.2/b\n"), "%s", out);
	ck_assert_msg(strstr(out, "\nUR  - https://a/1\nUR  - https://a/2\n"),
	              "%s", out);
	ck_assert_msg(strstr(out, "\nVL  - 4\n") > strstr(out, "\nVL  - 3\n"),
	              "%s", out);
	test_records t;
	test_read(&t, out, strlen(out), &pb_ris_input, NULL);
	ck_assert_str_eq(pb_record_var(&t.recs[0], "DOI"), "10.1/a");
	ck_assert_str_eq(t.recs[0].url, "https://a/1");
	ck_assert_str_eq(pb_record_get_extra(&t.recs[0], "DO"), "10.2/b");
	test_records_free(&t);
	free(out);
	pb_record_free(r);
}
END_TEST

/* Names of a role with no tag, in N1 as "Family || Given": a name with
 * only a given or only a family part leaves the other side empty, and
 * reads back as it was. */
START_TEST(test_note_names_one_part)
{
	pb_record *r = pb_record_new();
	r->type = PB_TYPE_BOOK;
	pb_record_set(r, PB_F_TITLE, "T");
	pb_name given = {(char *)"Madonna", NULL, NULL, NULL, NULL, NULL};
	pb_name family = {NULL, (char *)"Doe", NULL, NULL, NULL, NULL};
	pb_name both = {(char *)"Jane", (char *)"Roe", NULL, NULL, NULL, NULL};
	ck_assert_int_eq(pb_record_add_person(r, "original-author", &given),
	                 PB_OK);
	ck_assert_int_eq(pb_record_add_person(r, "original-author", &family),
	                 PB_OK);
	ck_assert_int_eq(pb_record_add_person(r, "original-author", &both),
	                 PB_OK);
	char *out = render_one(r, NULL);
	ck_assert_msg(strstr(out, "N1  - original-author: || Madonna\n"), "%s",
	              out);
	ck_assert_msg(strstr(out, "N1  - original-author: Doe ||\n"), "%s",
	              out);
	ck_assert_msg(strstr(out, "N1  - original-author: Roe || Jane\n"), "%s",
	              out);
	test_records t;
	test_read(&t, out, strlen(out), &pb_ris_input, NULL);
	ck_assert_uint_eq(t.warnings, 0);
	pb_buf got = PB_BUF_INIT;
	test_dump(&got, &t.recs[0], 0);
	ck_assert_ptr_nonnull(
	    strstr(got.data, "original-author=Madonna||||\n"));
	ck_assert_ptr_nonnull(strstr(got.data, "original-author=|Doe|||\n"));
	ck_assert_ptr_nonnull(
	    strstr(got.data, "original-author=Jane|Roe|||\n"));
	ck_assert_ptr_null(t.recs[0].note);
	pb_buf_free(&got);
	test_records_free(&t);
	free(out);
	pb_record_free(r);
}
END_TEST

/* CSL's dropping particle follows the given name, in AU as in N1
 * ("Beethoven, Ludwig van", Zotero's convention), and reads back as the
 * dropping particle. */
START_TEST(test_dropping_particle)
{
	pb_record *r = pb_record_new();
	r->type = PB_TYPE_ARTICLE;
	pb_record_set(r, PB_F_TITLE, "T");
	pb_name lvb = {(char *)"Ludwig", (char *)"Beethoven", NULL, NULL, NULL,
	               (char *)"van"};
	pb_name cdg = {
	    (char *)"Charles", (char *)"Gaulle", NULL, (char *)"Jr.", NULL,
	    (char *)"de"};
	ck_assert_int_eq(pb_record_add_author(r, &lvb), PB_OK);
	ck_assert_int_eq(pb_record_add_author(r, &cdg), PB_OK);
	ck_assert_int_eq(pb_record_add_person(r, "original-author", &lvb),
	                 PB_OK);
	char *out = render_one(r, NULL);
	ck_assert_msg(strstr(out, "AU  - Beethoven, Ludwig van\n"), "%s", out);
	ck_assert_msg(strstr(out, "AU  - Gaulle, Charles de, Jr.\n"), "%s",
	              out);
	ck_assert_msg(
	    strstr(out, "N1  - original-author: Beethoven || Ludwig van\n"),
	    "%s", out);
	test_records t;
	test_read(&t, out, strlen(out), &pb_ris_input, NULL);
	ck_assert_uint_eq(t.recs[0].n_authors, 2);
	ck_assert_str_eq(t.recs[0].authors[0].given, "Ludwig");
	ck_assert_str_eq(t.recs[0].authors[0].dropping, "van");
	ck_assert_str_eq(t.recs[0].authors[1].given, "Charles");
	ck_assert_str_eq(t.recs[0].authors[1].dropping, "de");
	ck_assert_str_eq(t.recs[0].authors[1].suffix, "Jr.");
	ck_assert_uint_eq(t.recs[0].n_people, 1);
	ck_assert_str_eq(t.recs[0].people[0].name.given, "Ludwig");
	ck_assert_str_eq(t.recs[0].people[0].name.dropping, "van");
	test_records_free(&t);
	free(out);
	pb_record_free(r);
}
END_TEST

/* Literal and raw dates in N1: a literal that would read back as a date
 * and a raw date keep the record's "literal:" or "raw:" form, so that
 * they read back as they were; a literal that reads back as one is its
 * text. */
static const struct {
	const char *var, *value, *line;
} note_date_cases[] = {
    {"issued", "raw:05/2001", "N1  - issued: raw:05/2001\n"},
    {"issued", "literal:2020/21", "N1  - issued: literal:2020/21\n"},
    {"issued", "literal:Han dynasty", "N1  - issued: Han dynasty\n"},
    {"issued", "raw:Spring of 2001", "N1  - issued: raw:Spring of 2001\n"},
    {"issued", "1984/1986", "N1  - issued: 1984/1986\n"},
    {"original-date", "literal:2020/21",
     "N1  - original-date: literal:2020/21\n"},
    {"original-date", "raw:05/2001", "N1  - original-date: raw:05/2001\n"},
    {"original-date", "literal:Han dynasty",
     "N1  - original-date: Han dynasty\n"},
    {"event-date", "literal:1999/2000",
     "N1  - event-date: literal:1999/2000\n"},
};

START_TEST(test_note_dates)
{
	pb_record *r = pb_record_new();
	r->type = PB_TYPE_BOOK;
	pb_record_set(r, PB_F_TITLE, "T");
	const char *var = note_date_cases[_i].var;
	if (strcmp(var, "issued") == 0)
		ck_assert_int_eq(
		    pb_record_set_issued(r, note_date_cases[_i].value), PB_OK);
	else
		pb_record_set_var(r, var, note_date_cases[_i].value);
	char *out = render_one(r, NULL);
	ck_assert_msg(strstr(out, note_date_cases[_i].line), "%s", out);
	test_records t;
	test_read(&t, out, strlen(out), &pb_ris_input, NULL);
	/* the same date: "Han dynasty" is "literal:Han dynasty" */
	pb_date want, got;
	const char *back = pb_record_var(&t.recs[0], var);
	ck_assert_ptr_nonnull(back);
	pb_date_parse(pb_record_var(r, var), &want);
	pb_date_parse(back, &got);
	ck_assert_int_eq(got.raw, want.raw);
	if (want.text)
		ck_assert_str_eq(got.text ? got.text : "(date)", want.text);
	else
		ck_assert_str_eq(back, pb_record_var(r, var));
	test_records_free(&t);
	free(out);
	pb_record_free(r);
}
END_TEST

/* Pages: a plain range splits into SP and EP; anything else stays whole
 * in SP, so that it reads back as it was. */
static const struct {
	const char *page, *lines;
} page_cases[] = {
    {"10-20", "SP  - 10\nEP  - 20\n"},
    {"e1234", "SP  - e1234\n"},
    {"10\xE2\x80\x93" "20", "SP  - 10\xE2\x80\x93" "20\n"},
    {"10-20, 30-40", "SP  - 10-20, 30-40\n"},
    {"S10-S20", "SP  - S10\nEP  - S20\n"},
};

START_TEST(test_pages)
{
	pb_record *r = pb_record_new();
	r->type = PB_TYPE_ARTICLE;
	pb_record_set(r, PB_F_TITLE, "T");
	pb_record_set_var(r, "page", page_cases[_i].page);
	char *out = render_one(r, NULL);
	ck_assert_msg(strstr(out, page_cases[_i].lines), "%s", out);
	test_records t;
	test_read(&t, out, strlen(out), &pb_ris_input, NULL);
	ck_assert_str_eq(pb_record_var(&t.recs[0], "page"), page_cases[_i].page);
	test_records_free(&t);
	free(out);
	pb_record_free(r);
}
END_TEST

Suite *ris_suite(void)
{
	Suite *s = suite_create("ris");
	TCase *tc = tcase_create("layout");
	tcase_add_test(tc, test_full_record);
	tcase_add_test(tc, test_minimal_record);
	tcase_add_test(tc, test_arxiv);
	tcase_add_test(tc, test_two_records_lf);
	tcase_add_test(tc, test_crlf);
	tcase_add_loop_test(tc, test_dates, 0,
	                    sizeof date_cases / sizeof *date_cases);
	tcase_add_test(tc, test_name_parts_fold);
	tcase_add_test(tc, test_write_error);
	tcase_add_test(tc, test_registered);
	tcase_add_test(tc, test_fold_everywhere);
	tcase_add_test(tc, test_nothing_lost);
	tcase_add_test(tc, test_own_tags);
	tcase_add_test(tc, test_own_tags_after_value);
	tcase_add_test(tc, test_note_names_one_part);
	tcase_add_test(tc, test_dropping_particle);
	tcase_add_loop_test(tc, test_note_dates, 0,
	                    TEST_COUNT(note_date_cases));
	tcase_add_loop_test(tc, test_pages, 0, TEST_COUNT(page_cases));
	suite_add_tcase(s, tc);
	tc = tcase_create("full");
	tcase_add_loop_test(tc, test_full_csl_round_trip, 0, PB_TYPE_COUNT);
	tcase_add_loop_test(tc, test_full_csl_tags, 0, TEST_COUNT(full_cases));
	suite_add_tcase(s, tc);
	tc = tcase_create("injection");
	tcase_add_loop_test(tc, test_injection, 0,
	                    sizeof inject_cases / sizeof *inject_cases);
	suite_add_tcase(s, tc);
	tc = tcase_create("example");
	tcase_add_test(tc, test_example_fields);
	suite_add_tcase(s, tc);
	return s;
}
