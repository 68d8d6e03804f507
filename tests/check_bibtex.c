/* The BibTeX and BibLaTeX writers on records built by hand: the full
 * layout of both dialects, keys, names, options and diagnostics. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "paperbib/paperbib.h"
#include "testutil.h"

extern const pb_format pb_bibtex_format;
extern const pb_format pb_biblatex_format;
Suite *bibtex_suite(void);

/* Diagnostics collected by a test. */
typedef struct seen {
	int warnings, errors;
	char last[1024];
} seen;

static void collect(void *ctx, const pb_diag *d)
{
	seen *s = ctx;
	if (d->level == PB_DIAG_WARNING)
		s->warnings++;
	if (d->level == PB_DIAG_ERROR)
		s->errors++;
	snprintf(s->last, sizeof s->last, "%s", d->message);
}

static char *render(const pb_format *fmt, pb_record *const *recs, size_t n,
                    const pb_config *cfg, seen *diags, int *status)
{
	pb_diag_sink sink = {collect, diags};
	return test_write(fmt, cfg, &sink, (const pb_record *const *)recs, n,
	                  status, NULL);
}

static char *render_one(const pb_format *fmt, pb_record *r,
                        const pb_config *cfg, seen *diags)
{
	int rc;
	char *out = render(fmt, &r, 1, cfg, diags, &rc);
	ck_assert_int_eq(rc, PB_OK);
	return out;
}

static void add_name(pb_record *r, const char *given, const char *family,
                     const char *particle, const char *suffix,
                     const char *literal)
{
	pb_name n = {(char *)given, (char *)family, (char *)particle,
	             (char *)suffix, (char *)literal};
	ck_assert_int_eq(pb_record_add_author(r, &n), PB_OK);
}

static pb_record *full_record(void)
{
	pb_record *r = pb_record_new();
	ck_assert_ptr_nonnull(r);
	pb_record_set(r, PB_F_TITLE, "Mogrifier LSTM & Bayesian Reasoning");
	add_name(r, "G\xc3\xa1" "bor", "Melis", NULL, NULL, NULL);
	add_name(r, "Mihaela", "van der Schaar", "van der", NULL, NULL);
	add_name(r, "Martin Luther", "King", NULL, "Jr.", NULL);
	add_name(r, NULL, NULL, NULL, NULL, "Google Brain, Inc.");
	pb_record_set(r, PB_F_VENUE_NAME,
	              "International Conference on Learning Representations");
	pb_record_set(r, PB_F_VENUE_SHORT, "ICLR");
	pb_record_set(r, PB_F_VENUE_YEAR, "2020");
	pb_record_set(r, PB_F_VENUE_DATE, "2020-04-26");
	pb_record_set(r, PB_F_VENUE_PUBLISHER, "OpenReview.net");
	pb_record_set(r, PB_F_VENUE_LOCATION, "Addis Ababa, Ethiopia");
	pb_record_set(r, PB_F_URL, "https://openreview.net/forum?id=B1eY_pVYvB");
	pb_record_set(r, PB_F_PDF_URL, "https://openreview.net/pdf?id=B1eY_pVYvB");
	pb_record_set(r, PB_F_CODE_URL, "https://github.com/x/y%20z#readme");
	pb_record_set(r, PB_F_ABSTRACT, "Rates of 71.5% with $\\eta$ \xe2\x80\x93 "
	                                "\xce\xb1 in Ko\xc4\x8d" "isk\xc3\xbd's work.");
	pb_record_add_keyword(r, "LSTM");
	pb_record_add_keyword(r, "R&D");
	pb_record_set(r, PB_F_KEY, "melis2020mogrifier");
	pb_record_set(r, PB_F_FILE, "list.txt");
	r->line = 12;
	return r;
}

static const char bibtex_full[] =
	"@inproceedings{melis2020mogrifier,\n"
	"  author     = {Melis, G{\\'a}bor and van der Schaar, Mihaela and King, "
	"Jr., Martin Luther and {Google Brain, Inc.}},\n"
	"  title      = {Mogrifier {LSTM} \\& {Bayesian} Reasoning},\n"
	"  booktitle  = {International Conference on Learning Representations},\n"
	"  eventtitle = {International Conference on Learning Representations "
	"({ICLR} 2020)},\n"
	"  year       = {2020},\n"
	"  month      = apr,\n"
	"  address    = {Addis Ababa, Ethiopia},\n"
	"  publisher  = {OpenReview.net},\n"
	"  url        = {https://openreview.net/forum?id=B1eY_pVYvB},\n"
	"  note       = {Code: \\url{https://github.com/x/y\\%20z\\#readme}},\n"
	"  abstract   = {Rates of 71.5\\% with $\\eta$ -- $\\alpha$ in "
	"Ko{\\v{c}}isk{\\'y}'s work.},\n"
	"  keywords   = {LSTM, R\\&D},\n"
	"}\n";

static const char biblatex_full[] =
	"@inproceedings{melis2020mogrifier,\n"
	"  author     = {Melis, G\xc3\xa1" "bor and van der Schaar, Mihaela and King, "
	"Jr., Martin Luther and {Google Brain, Inc.}},\n"
	"  title      = {Mogrifier {LSTM} \\& {Bayesian} Reasoning},\n"
	"  booktitle  = {International Conference on Learning Representations},\n"
	"  eventtitle = {International Conference on Learning Representations "
	"({ICLR} 2020)},\n"
	"  venue      = {Addis Ababa, Ethiopia},\n"
	"  date       = {2020-04-26},\n"
	"  publisher  = {OpenReview.net},\n"
	"  url        = {https://openreview.net/forum?id=B1eY_pVYvB},\n"
	"  note       = {Code: \\url{https://github.com/x/y\\%20z\\#readme}},\n"
	"  abstract   = {Rates of 71.5\\% with $\\eta$ \xe2\x80\x93 $\\alpha$ in "
	"Ko\xc4\x8d" "isk\xc3\xbd's work.},\n"
	"  keywords   = {LSTM, R\\&D},\n"
	"}\n";

START_TEST(bibtex_layout)
{
	pb_config *cfg = pb_config_new();
	pb_record *r = full_record();
	seen d = {0, 0, ""};
	char *out = render_one(&pb_bibtex_format, r, cfg, &d);
	ck_assert_str_eq(out, bibtex_full);
	ck_assert_int_eq(d.warnings + d.errors, 0);
	free(out);
	pb_record_free(r);
	pb_config_free(cfg);
}
END_TEST

START_TEST(biblatex_layout)
{
	pb_config *cfg = pb_config_new();
	pb_record *r = full_record();
	seen d = {0, 0, ""};
	char *out = render_one(&pb_biblatex_format, r, cfg, &d);
	ck_assert_str_eq(out, biblatex_full);
	ck_assert_int_eq(d.warnings + d.errors, 0);
	free(out);
	pb_record_free(r);
	pb_config_free(cfg);
}
END_TEST

/* Keys come from the citation key module and are written as they are. */
static const char *const keys[] = {
	"kitaev2020reformer", "kitaev2020reformera", "Kitaev:2020-reformer_v2",
	"x", "a.b/c+d",
};

START_TEST(key_unchanged)
{
	pb_config *cfg = pb_config_new();
	pb_record *r = full_record();
	pb_record_set(r, PB_F_KEY, keys[_i]);
	seen d = {0, 0, ""};
	for (int dialect = 0; dialect < 2; dialect++) {
		char *out = render_one(dialect ? &pb_biblatex_format
		                               : &pb_bibtex_format,
		                       r, cfg, &d);
		char want[128];
		snprintf(want, sizeof want, "@inproceedings{%s,\n", keys[_i]);
		ck_assert_int_eq(strncmp(out, want, strlen(want)), 0);
		free(out);
	}
	pb_record_free(r);
	pb_config_free(cfg);
}
END_TEST

static const char *const bad_keys[] = {NULL, "", "a b", "a,b", "a{b", "a}b",
                                       "a%b"};

START_TEST(key_unwritable)
{
	pb_config *cfg = pb_config_new();
	pb_record *r = full_record();
	pb_record_set(r, PB_F_KEY, bad_keys[_i]);
	seen d = {0, 0, ""};
	int rc;
	char *out = render(&pb_bibtex_format, &r, 1, cfg, &d, &rc);
	ck_assert_int_eq(rc, PB_EDATA);
	ck_assert_int_eq(d.errors, 1);
	ck_assert_ptr_nonnull(strstr(d.last, "citation key"));
	free(out);
	pb_record_free(r);
	pb_config_free(cfg);
}
END_TEST

START_TEST(unmapped_warns)
{
	pb_config *cfg = pb_config_new();
	pb_record *r = full_record();
	pb_record_set(r, PB_F_TITLE, "Learning \xe4\xb8\xad\xe6\x96\x87 Text");
	seen d = {0, 0, ""};
	char *out = render_one(&pb_bibtex_format, r, cfg, &d);
	ck_assert_ptr_nonnull(strstr(out, "Learning \xe4\xb8\xad\xe6\x96\x87 Text"));
	ck_assert_int_eq(d.warnings, 1);
	ck_assert_ptr_nonnull(strstr(d.last, "melis2020mogrifier"));
	ck_assert_ptr_nonnull(strstr(d.last, "U+4E2D"));
	free(out);
	/* UTF-8 output has nothing to warn about. */
	ck_assert_int_eq(pb_config_set(cfg, "bibtex", "encoding", "utf8", "test",
	                               NULL),
	                 PB_OK);
	d.warnings = 0;
	out = render_one(&pb_bibtex_format, r, cfg, &d);
	ck_assert_int_eq(d.warnings, 0);
	ck_assert_ptr_nonnull(strstr(out, "Melis, G\xc3\xa1" "bor"));
	free(out);
	pb_record_free(r);
	pb_config_free(cfg);
}
END_TEST

START_TEST(options)
{
	pb_config *cfg = pb_config_new();
	pb_record *r = full_record();
	seen d = {0, 0, ""};
	ck_assert_int_eq(pb_config_set(cfg, "bibtex", "code", "none", "t", NULL),
	                 PB_OK);
	ck_assert_int_eq(pb_config_set(cfg, "bibtex", "abstract", "no", "t", NULL),
	                 PB_OK);
	ck_assert_int_eq(pb_config_set(cfg, "bibtex", "protect", "Reasoning",
	                               "t", NULL),
	                 PB_OK);
	ck_assert_int_eq(pb_config_set(cfg, "biblatex", "code", "addendum", "t",
	                               NULL),
	                 PB_OK);
	ck_assert_int_eq(pb_config_set(cfg, "biblatex", "encoding", "latex", "t",
	                               NULL),
	                 PB_OK);
	char *out = render_one(&pb_bibtex_format, r, cfg, &d);
	ck_assert_ptr_null(strstr(out, "note"));
	ck_assert_ptr_null(strstr(out, "abstract"));
	ck_assert_ptr_nonnull(
		strstr(out, "{Mogrifier {LSTM} \\& Bayesian {Reasoning}}"));
	free(out);
	out = render_one(&pb_biblatex_format, r, cfg, &d);
	ck_assert_ptr_null(strstr(out, "  note"));
	ck_assert_ptr_nonnull(strstr(
		out, "  addendum   = {Code: \\url{https://github.com/x/y\\%20z\\#readme}},\n"));
	ck_assert_ptr_nonnull(strstr(out, "Melis, G{\\'a}bor"));
	free(out);
	pb_record_free(r);
	pb_config_free(cfg);
}
END_TEST

/* A sparse record: absent values leave no field behind; a note and the
 * code link share one note field; entries are separated by blank lines. */
START_TEST(sparse_and_several)
{
	pb_config *cfg = pb_config_new();
	pb_record *a = pb_record_new(), *b = pb_record_new();
	pb_record_set(a, PB_F_TITLE, "Only a Title");
	pb_record_set(a, PB_F_KEY, "anon");
	pb_record_set(b, PB_F_TITLE, "Second");
	pb_record_set(b, PB_F_KEY, "second");
	pb_record_set(b, PB_F_NOTE, "Oral");
	pb_record_set(b, PB_F_CODE_URL, "https://c.org/x");
	pb_record_set(b, PB_F_PDF_URL, "https://p.org/x.pdf");
	pb_record_set(b, PB_F_VENUE_SHORT, "ICLR");
	pb_record_set(b, PB_F_VENUE_DATE, "2021-05");
	pb_record *recs[] = {a, b};
	seen d = {0, 0, ""};
	int rc;
	char *out = render(&pb_bibtex_format, recs, 2, cfg, &d, &rc);
	ck_assert_int_eq(rc, PB_OK);
	ck_assert_str_eq(out,
	                 "@inproceedings{anon,\n"
	                 "  title      = {Only a Title},\n"
	                 "}\n"
	                 "\n"
	                 "@inproceedings{second,\n"
	                 "  title      = {Second},\n"
	                 "  booktitle  = {{ICLR}},\n"
	                 "  eventtitle = {{ICLR}},\n"
	                 "  year       = {2021},\n"
	                 "  month      = may,\n"
	                 "  url        = {https://p.org/x.pdf},\n"
	                 "  note       = {Oral. Code: \\url{https://c.org/x}},\n"
	                 "}\n");
	free(out);
	pb_record_free(a);
	pb_record_free(b);
	pb_config_free(cfg);
}
END_TEST

/* Venue titles are escaped once per venue and reused: records that
 * change venue get their own, and characters with no LaTeX form in a
 * reused title still count in each entry's warning, after those of the
 * fields before it. */
START_TEST(venue_titles_reused)
{
	pb_config *cfg = pb_config_new();
	pb_record *recs[3];
	static const char *const venues[] = {"Alpha \xe4\xb8\xad Meeting",
	                                     "Beta Meeting",
	                                     "Alpha \xe4\xb8\xad Meeting"};
	static const char *const ids[] = {"a1", "b2", "a3"};
	for (int i = 0; i < 3; i++) {
		recs[i] = pb_record_new();
		pb_record_set(recs[i], PB_F_KEY, ids[i]);
		pb_record_set(recs[i], PB_F_VENUE_NAME, venues[i]);
	}
	pb_record_set(recs[0], PB_F_TITLE, "First");
	pb_record_set(recs[1], PB_F_TITLE, "Second");
	pb_record_set(recs[2], PB_F_TITLE, "Third \xe6\x96\x87");
	seen d = {0, 0, ""};
	int rc;
	char *out = render(&pb_bibtex_format, recs, 3, cfg, &d, &rc);
	ck_assert_int_eq(rc, PB_OK);
	ck_assert_str_eq(out,
	                 "@inproceedings{a1,\n"
	                 "  title      = {First},\n"
	                 "  booktitle  = {Alpha \xe4\xb8\xad Meeting},\n"
	                 "  eventtitle = {Alpha \xe4\xb8\xad Meeting},\n"
	                 "}\n"
	                 "\n"
	                 "@inproceedings{b2,\n"
	                 "  title      = {Second},\n"
	                 "  booktitle  = {Beta Meeting},\n"
	                 "  eventtitle = {Beta Meeting},\n"
	                 "}\n"
	                 "\n"
	                 "@inproceedings{a3,\n"
	                 "  title      = {Third \xe6\x96\x87},\n"
	                 "  booktitle  = {Alpha \xe4\xb8\xad Meeting},\n"
	                 "  eventtitle = {Alpha \xe4\xb8\xad Meeting},\n"
	                 "}\n");
	ck_assert_int_eq(d.warnings, 2);
	ck_assert_ptr_nonnull(strstr(d.last, "a3: 3 characters"));
	ck_assert_ptr_nonnull(strstr(d.last, "U+6587"));
	free(out);
	for (int i = 0; i < 3; i++)
		pb_record_free(recs[i]);
	pb_config_free(cfg);
}
END_TEST

Suite *bibtex_suite(void)
{
	Suite *s = suite_create("bibtex");
	TCase *tc = tcase_create("layout");
	tcase_add_test(tc, bibtex_layout);
	tcase_add_test(tc, biblatex_layout);
	tcase_add_test(tc, sparse_and_several);
	tcase_add_test(tc, venue_titles_reused);
	suite_add_tcase(s, tc);
	tc = tcase_create("keys");
	tcase_add_loop_test(tc, key_unchanged, 0, sizeof keys / sizeof keys[0]);
	tcase_add_loop_test(tc, key_unwritable, 0,
	                    sizeof bad_keys / sizeof bad_keys[0]);
	suite_add_tcase(s, tc);
	tc = tcase_create("options");
	tcase_add_test(tc, unmapped_warns);
	tcase_add_test(tc, options);
	suite_add_tcase(s, tc);
	return s;
}
