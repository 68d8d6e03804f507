/* The BibTeX and BibLaTeX writers on records built by hand: the full
 * layout of both dialects, keys, names, options and diagnostics. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "latex.h"
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
	             (char *)suffix, (char *)literal, NULL};
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
	"  date       = {2020-04-26},\n"
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

/* Characters with no LaTeX form (CJK) under encoding = latex: written as
 * UTF-8 in braces, one warning for the record that names its key and
 * fields and points to BibLaTeX with XeLaTeX or LuaLaTeX. */
START_TEST(unmapped_warns)
{
	pb_config *cfg = pb_config_new();
	pb_record *r = full_record();
	pb_record_set(r, PB_F_TITLE, "Learning \xe4\xb8\xad\xe6\x96\x87 Text");
	add_name(r, "\xe4\xbc\x9f", "\xe7\x8e\x8b", NULL, NULL, NULL);
	seen d = {0, 0, ""};
	char *out = render_one(&pb_bibtex_format, r, cfg, &d);
	ck_assert_ptr_nonnull(
		strstr(out, "Learning {\xe4\xb8\xad\xe6\x96\x87} Text"));
	ck_assert_ptr_nonnull(
		strstr(out, " and {\xe7\x8e\x8b}, {\xe4\xbc\x9f}},\n"));
	ck_assert_int_eq(d.warnings, 1);
	ck_assert_ptr_nonnull(strstr(d.last, "melis2020mogrifier: author, title:"));
	ck_assert_ptr_nonnull(strstr(d.last, "4 characters"));
	ck_assert_ptr_nonnull(strstr(d.last, "U+738B"));
	ck_assert_ptr_nonnull(strstr(d.last, "-t biblatex"));
	ck_assert_ptr_nonnull(strstr(d.last, "XeLaTeX or LuaLaTeX"));
	free(out);
	/* UTF-8 output has nothing to warn about, nor to brace. */
	ck_assert_int_eq(pb_config_set(cfg, "bibtex", "encoding", "utf8", "test",
	                               NULL),
	                 PB_OK);
	d.warnings = 0;
	out = render_one(&pb_bibtex_format, r, cfg, &d);
	ck_assert_int_eq(d.warnings, 0);
	ck_assert_ptr_nonnull(strstr(out, "Melis, G\xc3\xa1" "bor"));
	ck_assert_ptr_nonnull(strstr(out, "Learning \xe4\xb8\xad\xe6\x96\x87 Text"));
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
 * code link share one note field; entries are separated by blank lines.
 * Neither has an author: @misc, with a key for natbib's label, the venue
 * in howpublished. */
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
	                 "@misc{anon,\n"
	                 "  key        = {Only},\n"
	                 "  title      = {Only a Title},\n"
	                 "}\n"
	                 "\n"
	                 "@misc{second,\n"
	                 "  key        = {Second},\n"
	                 "  title      = {Second},\n"
	                 "  howpublished = {{ICLR}},\n"
	                 "  year       = {2021},\n"
	                 "  month      = may,\n"
	                 "  url        = {https://p.org/x.pdf},\n"
	                 "  note       = {Oral\n"
	                 "Code: \\url{https://c.org/x}},\n"
	                 "}\n");
	ck_assert_int_eq(d.warnings + d.errors, 0);
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
		pb_record_set(recs[i], PB_F_VENUE_YEAR, "2020");
		add_name(recs[i], "Ann", "Lee", NULL, NULL, NULL);
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
	                 "  author     = {Lee, Ann},\n"
	                 "  title      = {First},\n"
	                 "  booktitle  = {Alpha {\xe4\xb8\xad} Meeting},\n"
	                 "  eventtitle = {Alpha {\xe4\xb8\xad} Meeting},\n"
	                 "  year       = {2020},\n"
	                 "}\n"
	                 "\n"
	                 "@inproceedings{b2,\n"
	                 "  author     = {Lee, Ann},\n"
	                 "  title      = {Second},\n"
	                 "  booktitle  = {Beta Meeting},\n"
	                 "  eventtitle = {Beta Meeting},\n"
	                 "  year       = {2020},\n"
	                 "}\n"
	                 "\n"
	                 "@inproceedings{a3,\n"
	                 "  author     = {Lee, Ann},\n"
	                 "  title      = {Third {\xe6\x96\x87}},\n"
	                 "  booktitle  = {Alpha {\xe4\xb8\xad} Meeting},\n"
	                 "  eventtitle = {Alpha {\xe4\xb8\xad} Meeting},\n"
	                 "  year       = {2020},\n"
	                 "}\n");
	ck_assert_int_eq(d.warnings, 2);
	ck_assert_ptr_nonnull(
		strstr(d.last, "a3: title, booktitle, eventtitle: 3 characters"));
	ck_assert_ptr_nonnull(strstr(d.last, "U+6587"));
	free(out);
	for (int i = 0; i < 3; i++)
		pb_record_free(recs[i]);
	pb_config_free(cfg);
}
END_TEST

/* Incomplete records: the entry type, the year and the key of each. */
typedef struct thin_case {
	int authors, venue;
	const char *year, *date, *url;
	const char *bibtex_head, *biblatex_head; /* the entry's start */
	const char *bibtex_has, *biblatex_has;   /* a line it holds, or NULL */
} thin_case;

static const thin_case thin_cases[] = {
	/* a title and an arXiv link: the id's year; a key, no author */
	{0, 0, NULL, NULL, "https://arxiv.org/abs/2101.00042",
	 "@misc{k,\n  key        = {Sparse},\n  title      = {Sparse Models},\n",
	 "@online{k,\n  title      = {Sparse Models},\n  date       = {2021},\n",
	 "  year       = {2021},\n  eprint     = {2101.00042},\n"
	 "  archivePrefix = {arXiv},\n",
	 "  eprint     = {2101.00042},\n  eprinttype = {arxiv},\n"},
	/* everything: a conference paper */
	{1, 1, "2020", NULL, "https://x.org/p", "@inproceedings{k,\n  author",
	 "@inproceedings{k,\n  author", "  booktitle  = {Venue Conference},\n",
	 "  booktitle  = {Venue Conference},\n"},
	/* authors and a venue but no year: BibTeX's @inproceedings needs one */
	{1, 1, NULL, NULL, "https://x.org/p", "@misc{k,\n  author",
	 "@inproceedings{k,\n  author",
	 "  howpublished = {Venue Conference ({VC})},\n",
	 "  booktitle  = {Venue Conference},\n"},
	/* a venue and a year but no author */
	{0, 1, "2020", NULL, NULL,
	 "@misc{k,\n  key        = {Sparse},\n  title      = {Sparse Models},\n"
	 "  howpublished = {Venue Conference ({VC} 2020)},\n  year       = "
	 "{2020},\n",
	 "@misc{k,\n  title      = {Sparse Models},\n  howpublished = {Venue "
	 "Conference ({VC} 2020)},\n",
	 NULL, "  date       = {2020},\n"},
	/* authors and a date, no venue */
	{1, 0, NULL, "2019-03-02", NULL, "@misc{k,\n  author",
	 "@misc{k,\n  author", "  year       = {2019},\n  month      = mar,\n"
	 "  date       = {2019-03-02},\n",
	 "  date       = {2019-03-02},\n"},
	/* nothing but a title */
	{0, 0, NULL, NULL, NULL,
	 "@misc{k,\n  key        = {Sparse},\n  title      = {Sparse Models},\n}\n",
	 "@misc{k,\n  title      = {Sparse Models},\n}\n", NULL, NULL},
};

START_TEST(thin_records)
{
	const thin_case *t = &thin_cases[_i];
	pb_config *cfg = pb_config_new();
	pb_record *r = pb_record_new();
	pb_record_set(r, PB_F_TITLE, "Sparse Models");
	pb_record_set(r, PB_F_KEY, "k");
	if (t->authors)
		add_name(r, "Ann", "Lee", NULL, NULL, NULL);
	if (t->venue) {
		pb_record_set(r, PB_F_VENUE_NAME, "Venue Conference");
		pb_record_set(r, PB_F_VENUE_SHORT, "VC");
	}
	pb_record_set(r, PB_F_VENUE_YEAR, t->year);
	pb_record_set(r, PB_F_VENUE_DATE, t->date);
	pb_record_set(r, PB_F_URL, t->url);
	seen d = {0, 0, ""};
	for (int blx = 0; blx < 2; blx++) {
		char *out = render_one(blx ? &pb_biblatex_format : &pb_bibtex_format,
		                       r, cfg, &d);
		const char *head = blx ? t->biblatex_head : t->bibtex_head;
		const char *has = blx ? t->biblatex_has : t->bibtex_has;
		if (strncmp(out, head, strlen(head)) != 0)
			ck_abort_msg("case %d %s:\n%s", _i, blx ? "biblatex" : "bibtex",
			             out);
		if (has && !strstr(out, has))
			ck_abort_msg("case %d %s lacks %s:\n%s", _i,
			             blx ? "biblatex" : "bibtex", has, out);
		/* a key only in BibTeX, only without an author */
		ck_assert_int_eq(strstr(out, "  key ") != NULL, !blx && !t->authors);
		free(out);
	}
	ck_assert_int_eq(d.warnings + d.errors, 0);
	pb_record_free(r);
	pb_config_free(cfg);
}
END_TEST

/* The key of an entry with no author: a short part before a colon, else
 * the first word that is not an article or a preposition. */
static const char *const key_titles[][2] = {
	{"CATER: A diagnostic dataset", "CATER"},
	{"You Only Look Once: Unified, Real-Time Object Detection",
	 "You Only Look Once"},
	{"The Lottery Ticket Hypothesis", "Lottery"},
	{"On the Convergence of FedAvg: a long subtitle here", "Convergence"},
	{"Towards", "Towards"},
	{"R&D at Scale", "R\\&D"},
};

START_TEST(key_from_title)
{
	pb_config *cfg = pb_config_new();
	pb_record *r = pb_record_new();
	pb_record_set(r, PB_F_TITLE, key_titles[_i][0]);
	pb_record_set(r, PB_F_KEY, "k");
	seen d = {0, 0, ""};
	char *out = render_one(&pb_bibtex_format, r, cfg, &d);
	char want[128];
	snprintf(want, sizeof want, "@misc{k,\n  key        = {%s},\n",
	         key_titles[_i][1]);
	if (strncmp(out, want, strlen(want)) != 0)
		ck_abort_msg("%s:\n%s", key_titles[_i][0], out);
	free(out);
	pb_record_free(r);
	pb_config_free(cfg);
}
END_TEST

/* Nothing lost: extra fields with a field of their own in the entry type
 * are written as fields, the others go to annote as "Name: value", as do
 * the track, an id and a PDF not found in the links, and a publisher
 * that biblatex's @article has no field for. Each label is named in one
 * warning per run, however many records use it. */
START_TEST(nothing_lost)
{
	pb_config *cfg = pb_config_new();
	pb_record *r = pb_record_new();
	r->type = PB_TYPE_ARTICLE;
	pb_record_set(r, PB_F_TITLE, "Sparse Models");
	pb_record_set(r, PB_F_KEY, "k");
	add_name(r, "Ann", "Lee", NULL, NULL, NULL);
	pb_record_set(r, PB_F_VENUE_NAME, "Journal of Tests");
	pb_record_set(r, PB_F_VENUE_YEAR, "2020");
	pb_record_set(r, PB_F_VENUE_PUBLISHER, "Pub");
	pb_record_set(r, PB_F_VENUE_TRACK, "Oral");
	pb_record_set(r, PB_F_ID, "XYZ");
	pb_record_set(r, PB_F_URL, "https://x.org/p");
	pb_record_set(r, PB_F_PDF_URL, "https://other.org/p.pdf");
	pb_record_add_extra(r, "DOI", "10.1000/x_y");
	pb_record_add_extra(r, "volume", "3");
	pb_record_add_extra(r, "editor", "Ann Lee");
	pb_record_add_extra(r, "editor", "Bo Li");
	pb_record_add_extra(r, "Slides", "https://s.org/a~b");
	pb_record_add_extra(r, "Award", "Best paper");
	pb_record *recs[] = {r, r};
	seen d = {0, 0, ""};
	int rc;
	char *out = render(&pb_bibtex_format, recs, 2, cfg, &d, &rc);
	ck_assert_int_eq(rc, PB_OK);
	static const char *const bibtex_has[] = {
		"@article{k,\n",
		"  journal    = {Journal of Tests},\n",
		"  publisher  = {Pub},\n",
		"  doi        = {10.1000/x\\_y},\n",
		"  volume     = {3},\n",
		"  annote     = {Track: Oral\nID: XYZ\neditor: Ann Lee\neditor: Bo "
		"Li\nAward: Best paper\nPDF: \\url{https://other.org/p.pdf}\nSlides: "
		"\\url{https://s.org/a\\%7Eb}},\n",
	};
	for (size_t i = 0; i < sizeof bibtex_has / sizeof bibtex_has[0]; i++)
		if (!strstr(out, bibtex_has[i]))
			ck_abort_msg("bibtex lacks %s:\n%s", bibtex_has[i], out);
	/* Track, ID, editor, Award, PDF, Slides: once each for two records */
	ck_assert_int_eq(d.warnings, 6);
	ck_assert_ptr_nonnull(strstr(d.last, "\"Slides\""));
	ck_assert_ptr_nonnull(strstr(d.last, "written to annote"));
	ck_assert_ptr_null(strstr(out, "  note"));
	free(out);
	d.warnings = 0;
	out = render(&pb_biblatex_format, recs, 2, cfg, &d, &rc);
	ck_assert_int_eq(rc, PB_OK);
	static const char *const biblatex_has[] = {
		"@article{k,\n",
		"  journaltitle = {Journal of Tests},\n",
		"  editor     = {Ann Lee and Bo Li},\n",
		"  doi        = {10.1000/x_y},\n",
		"  annote     = {Publisher: Pub\nTrack: Oral\nID: XYZ\nAward: Best "
		"paper\nPDF: \\url{https://other.org/p.pdf}\nSlides: "
		"\\url{https://s.org/a\\%7Eb}},\n",
	};
	for (size_t i = 0; i < sizeof biblatex_has / sizeof biblatex_has[0]; i++)
		if (!strstr(out, biblatex_has[i]))
			ck_abort_msg("biblatex lacks %s:\n%s", biblatex_has[i], out);
	ck_assert_ptr_null(strstr(out, "  publisher"));
	/* Publisher, Track, ID, Award, PDF, Slides */
	ck_assert_int_eq(d.warnings, 6);
	free(out);
	pb_record_free(r);
	pb_config_free(cfg);
}
END_TEST

/* A PDF that is another form of the url is not lost: no note. */
static const char *const pdf_forms[][2] = {
	{"https://openreview.net/forum?id=B1x", "https://openreview.net/pdf?id=B1x"},
	{"https://arxiv.org/abs/2101.00042", "https://arxiv.org/pdf/2101.00042v2"},
	{"https://aclanthology.org/P19-1001", "https://aclanthology.org/P19-1001.pdf"},
};

START_TEST(pdf_derived)
{
	pb_config *cfg = pb_config_new();
	pb_record *r = full_record();
	pb_record_set(r, PB_F_CODE_URL, NULL);
	pb_record_set(r, PB_F_URL, pdf_forms[_i][0]);
	pb_record_set(r, PB_F_PDF_URL, pdf_forms[_i][1]);
	pb_record_set(r, PB_F_ID, NULL);
	seen d = {0, 0, ""};
	char *out = render_one(&pb_bibtex_format, r, cfg, &d);
	ck_assert_ptr_null(strstr(out, "note"));
	ck_assert_int_eq(d.warnings, 0);
	free(out);
	pb_record_free(r);
	pb_config_free(cfg);
}
END_TEST

/* URLs are data: percent-encoded where RFC 3986 allows no character, where
 * LaTeX would read a command, a group, a comment or math, and where
 * Zotero's BibTeX import changes the text (~, --, TEL, '', !!, ?!), in an
 * equivalent form. In \url{} inside text, % and # are escaped. */
START_TEST(urls_are_data)
{
	pb_config *cfg = pb_config_new();
	pb_record *r = full_record();
	static const char hostile[] =
		"https://x.org/~u/a--b/TEL/it''s!!?!x$\\input{/etc/passwd}$ "
		"sp%zz%7e#f#g^`|\"<>\xc3\xa9";
	static const char field[] =
		"https://x.org/%7Eu/a-%2Db/%54EL/it'%27s!%21?%21x%24%5Cinput%7B/etc/"
		"passwd%7D%24%20sp%25zz%7e#f%23g%5E%60%7C%22%3C%3E%C3%A9";
	pb_record_set(r, PB_F_URL, hostile);
	pb_record_set(r, PB_F_CODE_URL, hostile);
	seen d = {0, 0, ""};
	for (int blx = 0; blx < 2; blx++) {
		char *out = render_one(blx ? &pb_biblatex_format : &pb_bibtex_format,
		                       r, cfg, &d);
		char want[512];
		snprintf(want, sizeof want, "  url        = {%s},\n", field);
		if (!strstr(out, want))
			ck_abort_msg("no %s in\n%s", want, out);
		ck_assert_ptr_nonnull(strstr(
			out, "Code: \\url{https://x.org/\\%7Eu/a-\\%2Db/\\%54EL/it'\\%27s!"
			     "\\%21?\\%21x\\%24\\%5Cinput\\%7B/etc/passwd\\%7D\\%24\\%20sp"
			     "\\%25zz\\%7e\\#f\\%23g\\%5E\\%60\\%7C\\%22\\%3C\\%3E\\%C3\\%A9}"));
		ck_assert_ptr_null(strstr(out, "\\input"));
		free(out);
	}
	pb_record_free(r);
	pb_config_free(cfg);
}
END_TEST

/* What has no field goes to annote, which no standard style prints: the
 * record's note and the code link stay in note, printed. The track and
 * the extra fields (here a summary in Chinese) are annote lines, after
 * the record's own annotation; annote's characters with no LaTeX form are
 * braced but not reported (no style prints them), the title's still are. */
/* A list of names that goes on ("et al." in a paper list, read as the
 * name "others") is BibTeX's "and others", which styles print as "et
 * al."; "others" anywhere else is a name like any other. */
START_TEST(and_others)
{
	static const pb_format *const fmts[] = {&pb_bibtex_format, &pb_biblatex_format};
	for (size_t f = 0; f < 2; f++) {
		seen d = {0, 0, {0}};
		pb_record *r = pb_record_new();
		pb_record_set(r, PB_F_KEY, "smith2020title");
		pb_record_set(r, PB_F_TITLE, "A Title");
		add_name(r, "Alice", "Smith", NULL, NULL, NULL);
		add_name(r, NULL, NULL, NULL, NULL, "others");
		char *out = render_one(fmts[f], r, NULL, &d);
		ck_assert_ptr_nonnull(strstr(out, "{Smith, Alice and others}"));
		free(out);
		add_name(r, "Bob", "Jones", NULL, NULL, NULL);
		out = render_one(fmts[f], r, NULL, &d);
		ck_assert_ptr_nonnull(strstr(out, "{Smith, Alice and {others} and Jones, Bob}"));
		free(out);
		pb_record_free(r);
	}
}
END_TEST

/* Two fuzz findings (tests/fuzz/corpus/bibtex): a character with no
 * LaTeX form right after a BibTeX file's backslash is not braced (the
 * brace would be "\{", unbalanced); a long year is written whole, not cut
 * inside a UTF-8 sequence. */
START_TEST(unmapped_after_backslash_and_long_year)
{
	seen d = {0, 0, {0}};
	pb_record *r = pb_record_new();
	r->origin = PB_ORIGIN_BIBTEX;
	pb_record_set(r, PB_F_KEY, "k");
	pb_record_set(r, PB_F_TITLE, "{$\\\xe4\xb8\xad" "alpha$}-nets");
	pb_record_set(r, PB_F_VENUE_YEAR, "20e backpropagation \xe4\xb8\xad");
	char *out = render_one(&pb_bibtex_format, r, NULL, &d);
	ck_assert_ptr_nonnull(strstr(out, "$\\\xe4\xb8\xad" "alpha$"));
	/* whole; a full record's text keeps its characters unbraced */
	ck_assert_ptr_nonnull(strstr(out, "year       = {20e backpropagation \xe4\xb8\xad}"));
	free(out);
	/* an extra field's name is text in annote ("is{ued" from CSL-JSON) */
	r->origin = PB_ORIGIN_CSLJSON;
	pb_record_add_extra(r, "is{ued", "(018-03-02");
	out = render_one(&pb_bibtex_format, r, NULL, &d);
	ck_assert_ptr_nonnull(strstr(out, "annote     = {is\\textbraceleft{}ued: (018-03-02}"));
	free(out);
	pb_record_free(r);
}
END_TEST

START_TEST(annote_not_note)
{
	pb_config *cfg = pb_config_new();
	pb_record *r = full_record();
	pb_record_set(r, PB_F_VENUE_TRACK, "Talk");
	pb_record_set(r, PB_F_NOTE, "Best paper award.");
	pb_record_add_extra(r, "background", "\xe8\x83\x8c\xe6\x99\xaf text");
	pb_record_add_extra(r, "Slides", "https://s.org/x");
	static const char note[] =
		"  note       = {Best paper award.\n"
		"Code: \\url{https://github.com/x/y\\%20z\\#readme}},\n";
	for (int blx = 0; blx < 2; blx++) {
		seen d = {0, 0, ""};
		int rc;
		pb_record *recs[] = {r};
		char *out = render(blx ? &pb_biblatex_format : &pb_bibtex_format,
		                   recs, 1, cfg, &d, &rc);
		ck_assert_int_eq(rc, PB_OK);
		const char *annote =
			blx ? "  annote     = {Track: Talk\n"
			      "background: \xe8\x83\x8c\xe6\x99\xaf text\n"
			      "Slides: \\url{https://s.org/x}},\n  abstract   = {"
			    : "  annote     = {Track: Talk\n"
			      "background: {\xe8\x83\x8c\xe6\x99\xaf} text\n"
			      "Slides: \\url{https://s.org/x}},\n  abstract   = {";
		if (!strstr(out, note) || !strstr(out, annote))
			ck_abort_msg("%s: no\n%s\nor no\n%s\nin\n%s",
			             blx ? "biblatex" : "bibtex", note, annote, out);
		ck_assert_ptr_null(strstr(out, "annotation"));
		/* Track, background, Slides; no word of unmapped characters */
		ck_assert_int_eq(d.warnings, 3);
		ck_assert_ptr_nonnull(strstr(d.last, "written to annote"));
		free(out);
	}
	/* the record's annotation comes first, in one annote field */
	pb_record_add_extra(r, "annotation", "Read twice.");
	pb_record_set(r, PB_F_TITLE, "\xe4\xb8\xad Title");
	for (int blx = 0; blx < 2; blx++) {
		seen d = {0, 0, ""};
		char *out = render_one(blx ? &pb_biblatex_format : &pb_bibtex_format,
		                       r, cfg, &d);
		if (!strstr(out, "  annote     = {Read twice.\nTrack: Talk\n"))
			ck_abort_msg("no annotation first in\n%s", out);
		ck_assert_ptr_null(strstr(out, "annotation"));
		ck_assert_ptr_null(strstr(strstr(out, "annote") + 1, "annote"));
		if (!blx) /* the title's character is reported, and only it */
			ck_assert_ptr_nonnull(strstr(
				d.last, "melis2020mogrifier: title: 1 character with"));
		free(out);
	}
	pb_record_free(r);
	pb_config_free(cfg);
}
END_TEST

/* ---- full records (issue 16): CSL types, variables, roles, dates ---- */

/* A record with what every entry type needs, of the given origin. */
static pb_record *csl_record(pb_type type, pb_origin origin)
{
	pb_record *r = pb_record_new();
	ck_assert_ptr_nonnull(r);
	r->type = type;
	r->origin = origin;
	pb_record_set(r, PB_F_TITLE, "A Title");
	add_name(r, "Jane", "Doe", NULL, NULL, NULL);
	pb_record_set(r, PB_F_VENUE_NAME, "The Container");
	pb_record_set(r, PB_F_VENUE_PUBLISHER, "Pub");
	ck_assert_int_eq(pb_record_set_issued(r, "2001"), PB_OK);
	pb_record_set(r, PB_F_KEY, "k");
	return r;
}

/* "  name       = {value},\n" as the writers pad it. */
static int has_field(const char *out, const char *name, const char *value)
{
	char line[512];
	snprintf(line, sizeof line, "\n  %-10s = {%s},\n", name, value);
	return strstr(out, line) != NULL;
}

/* Is "label: value" a line of annote? */
static int in_annote(const char *out, const char *item)
{
	const char *a = strstr(out, "\n  annote     = {");
	if (!a)
		return 0;
	const char *p = strstr(a, item);
	return p && (p[-1] == '{' || p[-1] == '\n');
}

static char *write_full(int blx, pb_record *r, seen *d)
{
	return render_one(blx ? &pb_biblatex_format : &pb_bibtex_format, r, NULL,
	                  d);
}

static const struct type_case {
	pb_type type;
	const char *genre;
	int container_author;
	const char *bibtex, *biblatex;
} type_cases[] = {
	{PB_TYPE_ARTICLE, NULL, 0, "article", "article"},
	{PB_TYPE_PAPER_CONFERENCE, NULL, 0, "inproceedings", "inproceedings"},
	{PB_TYPE_CHAPTER, NULL, 0, "incollection", "incollection"},
	{PB_TYPE_CHAPTER, NULL, 1, "inbook", "inbook"},
	{PB_TYPE_BOOK, NULL, 0, "book", "book"},
	{PB_TYPE_REPORT, NULL, 0, "techreport", "report"},
	{PB_TYPE_THESIS, NULL, 0, "phdthesis", "thesis"},
	{PB_TYPE_THESIS, "PhD thesis", 0, "phdthesis", "thesis"},
	{PB_TYPE_THESIS, "Master\xE2\x80\x99s thesis", 0, "mastersthesis",
	 "thesis"},
	{PB_TYPE_WEBPAGE, NULL, 0, "misc", "online"},
	{PB_TYPE_POST_WEBLOG, NULL, 0, "misc", "online"},
	{PB_TYPE_DATASET, NULL, 0, "misc", "dataset"},
	{PB_TYPE_SOFTWARE, NULL, 0, "misc", "software"},
	{PB_TYPE_PATENT, NULL, 0, "misc", "patent"},
	{PB_TYPE_MANUSCRIPT, NULL, 0, "unpublished", "unpublished"},
	{PB_TYPE_PAMPHLET, NULL, 0, "booklet", "booklet"},
	{PB_TYPE_ENTRY_ENCYCLOPEDIA, NULL, 0, "incollection", "inreference"},
	{PB_TYPE_ARTICLE_MAGAZINE, NULL, 0, "article", "article"},
	{PB_TYPE_ARTICLE_NEWSPAPER, NULL, 0, "article", "article"},
	{PB_TYPE_REVIEW, NULL, 0, "article", "review"},
	{PB_TYPE_COLLECTION, NULL, 0, "book", "collection"},
	{PB_TYPE_LEGISLATION, NULL, 0, "misc", "legislation"},
	{PB_TYPE_LEGAL_CASE, NULL, 0, "misc", "jurisdiction"},
	{PB_TYPE_TREATY, NULL, 0, "misc", "legal"},
	{PB_TYPE_MOTION_PICTURE, NULL, 0, "misc", "movie"},
	{PB_TYPE_SONG, NULL, 0, "misc", "audio"},
	{PB_TYPE_GRAPHIC, NULL, 0, "misc", "artwork"},
	{PB_TYPE_PERFORMANCE, NULL, 0, "misc", "performance"},
	{PB_TYPE_PERSONAL_COMMUNICATION, NULL, 0, "misc", "letter"},
	{PB_TYPE_STANDARD, NULL, 0, "misc", "standard"},
	{PB_TYPE_PERIODICAL, NULL, 0, "misc", "periodical"},
	{PB_TYPE_MISC, NULL, 0, "misc", "misc"},
};

START_TEST(csl_types)
{
	const struct type_case *t = &type_cases[_i];
	pb_record *r = csl_record(t->type, PB_ORIGIN_BIBTEX);
	if (t->genre)
		pb_record_set_var(r, "genre", t->genre);
	if (t->container_author) {
		pb_name n = {"Jane", "Doe", NULL, NULL, NULL, NULL};
		pb_record_add_person(r, "container-author", &n);
	}
	for (int blx = 0; blx < 2; blx++) {
		seen d = {0, 0, ""};
		char *out = write_full(blx, r, &d);
		char want[64];
		snprintf(want, sizeof want, "@%s{k,\n", blx ? t->biblatex : t->bibtex);
		if (strncmp(out, want, strlen(want)) != 0)
			ck_abort_msg("%s: %s: want %s in\n%s", pb_type_name(t->type),
			             blx ? "biblatex" : "bibtex", want, out);
		free(out);
	}
	pb_record_free(r);
}
END_TEST

/* CSL variables: their field in each dialect, or an annote line (NULL
 * field: "var: value" in annote). A report, whose entry has type. */
static const struct var_case {
	pb_type type; /* an entry type whose biblatex fields hold it */
	const char *var, *value;
	const char *bibtex, *bibtex_value;
	const char *biblatex, *biblatex_value;
} var_cases[] = {
	{PB_TYPE_BOOK, "volume", "12", "volume", "12", "volume", "12"},
	{PB_TYPE_ARTICLE, "issue", "3", "number", "3", "number", "3"},
	/* what biber's data model lacks for the type is written all the same */
	{PB_TYPE_REPORT, "volume", "4", "volume", "4", "volume", "4"},
	{PB_TYPE_REPORT, "number", "TR-7", "number", "TR-7", "number", "TR-7"},
	{PB_TYPE_BOOK, "collection-number", "7", "number", "7", "number", "7"},
	{PB_TYPE_REPORT, "page", "10-20", "pages", "10--20", "pages", "10--20"},
	{PB_TYPE_REPORT, "page", "S1-S9, 30", "pages", "S1--S9, 30", "pages", "S1--S9, 30"},
	{PB_TYPE_REPORT, "DOI", "10.1/x_y", "doi", "10.1/x\\_y", "doi", "10.1/x_y"},
	{PB_TYPE_BOOK, "ISBN", "978-3-16-148410-0", "isbn", "978-3-16-148410-0", "isbn",
	 "978-3-16-148410-0"},
	{PB_TYPE_ARTICLE, "ISSN", "1234-5679", "issn", "1234-5679", "issn", "1234-5679"},
	{PB_TYPE_BOOK, "edition", "2", "edition", "2", "edition", "2"},
	{PB_TYPE_BOOK, "collection-title", "Lecture Notes", "series", "Lecture Notes",
	 "series", "Lecture Notes"},
	{PB_TYPE_BOOK, "chapter-number", "4", "chapter", "4", "chapter", "4"},
	{PB_TYPE_PAPER_CONFERENCE, "event-title", "Workshop", "eventtitle", "Workshop", "eventtitle",
	 "Workshop"},
	{PB_TYPE_PAPER_CONFERENCE, "event-place", "Paris", NULL, "event-place: Paris", "venue", "Paris"},
	{PB_TYPE_REPORT, "genre", "Habilitation", "type", "Habilitation", "type",
	 "Habilitation"},
	{PB_TYPE_REPORT, "genre", "technical report", NULL, NULL, "type", "techreport"},
	{PB_TYPE_REPORT, "accessed", "2020-04-26", "urldate", "2020-04-26", "urldate",
	 "2020-04-26"},
	{PB_TYPE_REPORT, "original-date", "1905", NULL, "original-date: 1905", "origdate",
	 "1905"},
	{PB_TYPE_PAPER_CONFERENCE, "event-date", "2020-04-26/2020-04-30", NULL,
	 "event-date: 2020-04-26/2020-04-30", "eventdate",
	 "2020-04-26/2020-04-30"},
	{PB_TYPE_REPORT, "title-short", "Short", "shorttitle", "Short", "shorttitle", "Short"},
	{PB_TYPE_BOOK, "original-title", "Urtitel", NULL, "original-title: Urtitel",
	 "origtitle", "Urtitel"},
	{PB_TYPE_REPORT, "language", "en", "language", "en", "language", "en"},
	{PB_TYPE_REPORT, "number-of-pages", "300", NULL, "number-of-pages: 300", "pagetotal",
	 "300"},
	{PB_TYPE_BOOK, "number-of-volumes", "3", NULL, "number-of-volumes: 3", "volumes", "3"},
	{PB_TYPE_REPORT, "version", "1.2", NULL, "version: 1.2", "version", "1.2"},
	{PB_TYPE_REPORT, "status", "in press", NULL, "status: in press", "pubstate",
	 "in press"},
	{PB_TYPE_BOOK, "archive", "Bodleian", NULL, "archive: Bodleian", NULL,
	 "archive: Bodleian"},
	{PB_TYPE_BOOK, "medium", "CD", NULL, "medium: CD", NULL, "medium: CD"},
};

START_TEST(csl_vars)
{
	const struct var_case *v = &var_cases[_i];
	pb_record *r = csl_record(v->type, PB_ORIGIN_CSLJSON);
	ck_assert_int_eq(pb_record_set_var(r, v->var, v->value), PB_OK);
	for (int blx = 0; blx < 2; blx++) {
		seen d = {0, 0, ""};
		char *out = write_full(blx, r, &d);
		const char *f = blx ? v->biblatex : v->bibtex;
		const char *val = blx ? v->biblatex_value : v->bibtex_value;
		int ok = f ? has_field(out, f, val)
		       : val ? in_annote(out, val) && d.warnings >= 1
		             : !strstr(out, "Habilitation") && !strstr(out, "  type");
		if (!ok)
			ck_abort_msg("%s = %s: %s: want %s = %s in\n%s", v->var, v->value,
			             blx ? "biblatex" : "bibtex", f ? f : "annote",
			             val ? val : "nothing", out);
		free(out);
	}
	pb_record_free(r);
}
END_TEST

/* Name roles: field or annote ("role: Family || Given"). A chapter. */
static const struct role_case {
	const char *role;
	const char *bibtex, *biblatex, *biblatex_type;
} role_cases[] = {
	{"editor", "editor", "editor", NULL},
	{"translator", NULL, "translator", NULL},
	{"container-author", NULL, "bookauthor", NULL},
	{"compiler", NULL, "editora", "compiler"},
	{"director", NULL, "editora", "director"},
	{"collection-editor", NULL, NULL, NULL},
	{"original-author", NULL, NULL, NULL},
	{"reviewed-author", NULL, NULL, NULL},
	{"interviewer", NULL, NULL, NULL},
};

START_TEST(csl_roles)
{
	const struct role_case *c = &role_cases[_i];
	pb_record *r = csl_record(PB_TYPE_CHAPTER, PB_ORIGIN_CSLJSON);
	pb_name n = {"Ann", "Roe", NULL, NULL, NULL, NULL};
	pb_name b = {"Ludwig", "Beethoven", NULL, NULL, NULL, "van"};
	pb_name o = {NULL, NULL, NULL, NULL, "others", NULL};
	pb_name e = {"Ed", "Itor", NULL, NULL, NULL, NULL};
	if (strcmp(c->role, "editor") != 0) /* what biblatex's part needs */
		pb_record_add_person(r, "editor", &e);
	pb_record_add_person(r, c->role, &n);
	pb_record_add_person(r, c->role, &b);
	pb_record_add_person(r, c->role, &o);
	for (int blx = 0; blx < 2; blx++) {
		seen d = {0, 0, ""};
		char *out = write_full(blx, r, &d);
		const char *f = blx ? c->biblatex : c->bibtex;
		char item[128];
		snprintf(item, sizeof item, "%s: Roe \\textbar{}\\textbar{} Ann",
		         c->role);
		int ok = f ? has_field(out, f, "Roe, Ann and van Beethoven, Ludwig "
		                               "and others")
		           : in_annote(out, item) && d.warnings >= 1;
		if (ok && blx && c->biblatex_type)
			ok = has_field(out, "editoratype", c->biblatex_type);
		if (!ok)
			ck_abort_msg("%s: %s: want %s in\n%s", c->role,
			             blx ? "biblatex" : "bibtex", f ? f : item, out);
		free(out);
	}
	pb_record_free(r);
}
END_TEST

/* issued: BibTeX's year (and date when more than a year), biblatex's
 * date in EDTF as biber reads it; a literal date goes to annote. */
static const struct date_case {
	const char *issued;
	const char *year, *date; /* NULL: no such field */
} date_cases[] = {
	{"1984/1986", "1984", "1984/1986"},
	{"1984~", "1984", "1984~"},
	{"2000-22", "2000", "2000-22"},
	{"1999-03-02/1999-04", "1999", "1999-03-02/1999-04"},
	{"-44", NULL, "-0044"},
	{"2020-04-26", "2020", "2020-04-26"},
	{"literal:Han dynasty", NULL, NULL},
};

START_TEST(csl_dates)
{
	const struct date_case *t = &date_cases[_i];
	pb_record *r = csl_record(PB_TYPE_ARTICLE, PB_ORIGIN_CSLJSON);
	pb_record_set(r, PB_F_VENUE_YEAR, NULL);
	ck_assert_int_eq(pb_record_set_issued(r, t->issued), PB_OK);
	for (int blx = 0; blx < 2; blx++) {
		seen d = {0, 0, ""};
		char *out = write_full(blx, r, &d);
		int ok = t->date ? has_field(out, "date", t->date)
		                 : !strstr(out, "  date") &&
		                       in_annote(out, "issued: Han dynasty");
		if (ok && !blx && t->year)
			ok = has_field(out, "year", t->year);
		if (!ok)
			ck_abort_msg("%s: %s:\n%s", t->issued, blx ? "biblatex" : "bibtex",
			             out);
		free(out);
	}
	pb_record_free(r);
}
END_TEST

/* Rich text as LaTeX, by origin; a paper list's text as it always was. */
static const struct rich_case {
	pb_origin origin;
	const char *title, *want;
} rich_cases[] = {
	{PB_ORIGIN_CSLJSON, "<i>De Anima</i> and more",
	 "\\textit{De Anima} and more"},
	{PB_ORIGIN_CSLJSON, "a <b>bold</b> b", "a \\textbf{bold} b"},
	{PB_ORIGIN_CSLJSON, "<sc>Small</sc> caps", "\\textsc{Small} caps"},
	/* a full record's title gets no braces but its nocase spans */
	{PB_ORIGIN_CSLJSON, "H<sub>2</sub>O", "H\\textsubscript{2}O"},
	{PB_ORIGIN_CSLJSON, "x<sup>2</sup>", "x\\textsuperscript{2}"},
	{PB_ORIGIN_CSLJSON, "the <span class=\"nocase\">iPhone</span> story",
	 "the {iPhone} story"},
	{PB_ORIGIN_CSLJSON, "<i>a <b>b</b></i>", "\\textit{a \\textbf{b}}"},
	{PB_ORIGIN_CSLJSON, "a < b </i>", "a \\textless{} b \\textless{}/i\\textgreater{}"},
	{PB_ORIGIN_CSLJSON, "<i>open", "\\textit{open}"},
	{PB_ORIGIN_CSLJSON, "\\mkbibquote{x}", "\\textbackslash{}mkbibquote\\{x\\}"},
	{PB_ORIGIN_BIBTEX, "\\mkbibquote{x} & \\noopsort{a}y",
	 "\\mkbibquote{x} \\& \\noopsort{a}y"},
	{PB_ORIGIN_BIBTEX, "<i>De Anima</i>, \\\\ ok", "\\textit{De Anima}, \\\\ ok"},
	{PB_ORIGIN_LIST, "<i>x</i> y", "\\textless{}i\\textgreater{}x\\textless{}/i\\textgreater{} y"},
};

START_TEST(rich_text)
{
	const struct rich_case *t = &rich_cases[_i];
	pb_record *r = csl_record(PB_TYPE_ARTICLE, t->origin);
	pb_record_set(r, PB_F_TITLE, t->title);
	for (int blx = 0; blx < 2; blx++) {
		seen d = {0, 0, ""};
		char *out = write_full(blx, r, &d);
		if (!has_field(out, "title", t->want))
			ck_abort_msg("%s: want title = {%s} in\n%s", t->title, t->want,
			             out);
		free(out);
	}
	pb_record_free(r);
}
END_TEST

/* BibTeX's key field of an entry with no author is made of the title's
 * words, never of its rich-text tags (biblatex has no such field). */
START_TEST(key_untagged)
{
	static const char *const titles[] = {
		"A <span class=\"nocase\"><i>Nature</i></span> paper",
		"<i>Nature</i> paper",
		"<b>Nature</b>: <sc>a</sc> paper",
	};
	for (size_t k = 0; k < sizeof titles / sizeof titles[0]; k++) {
		pb_record *r = pb_record_new();
		ck_assert_ptr_nonnull(r);
		r->type = PB_TYPE_BOOK;
		r->origin = PB_ORIGIN_BIBTEX;
		pb_record_set(r, PB_F_TITLE, titles[k]);
		pb_record_set(r, PB_F_KEY, "k");
		seen d = {0, 0, ""};
		char *out = write_full(0, r, &d);
		ck_assert_msg(has_field(out, "key", "Nature"), "%s", out);
		free(out);
		pb_record_free(r);
	}
}
END_TEST

/* Rich text nested as deep as the BibTeX reader makes it is written
 * whole; deeper tags are dropped, never written as text. */
START_TEST(rich_deep)
{
	static const size_t depths[] = {33, PB_LATEX_MAX_DEPTH,
	                                PB_LATEX_MAX_DEPTH + 7};
	for (size_t k = 0; k < sizeof depths / sizeof depths[0]; k++) {
		size_t n = depths[k];
		pb_buf t = PB_BUF_INIT;
		for (size_t i = 0; i < n; i++)
			ck_assert_int_eq(pb_buf_puts(&t, i % 2 ? "<b>" : "<i>"), PB_OK);
		ck_assert_int_eq(pb_buf_puts(&t, "x"), PB_OK);
		for (size_t i = n; i-- > 0;)
			ck_assert_int_eq(pb_buf_puts(&t, i % 2 ? "</b>" : "</i>"),
			                 PB_OK);
		ck_assert_int_eq(pb_buf_puts(&t, " y"), PB_OK);
		for (int csl = 0; csl < 2; csl++) {
			pb_record *r = csl_record(PB_TYPE_ARTICLE,
			                          csl ? PB_ORIGIN_CSLJSON
			                              : PB_ORIGIN_BIBTEX);
			pb_record_set(r, PB_F_TITLE, pb_buf_cstr(&t));
			seen d = {0, 0, ""};
			char *out = write_full(0, r, &d);
			size_t cmds = 0;
			for (const char *p = out; (p = strstr(p, "\\text")); p++)
				cmds++;
			ck_assert_ptr_null(strstr(out, "textless"));
			ck_assert_ptr_null(strstr(out, "textgreater"));
			ck_assert_uint_eq(cmds, n < PB_LATEX_MAX_DEPTH
			                            ? n
			                            : PB_LATEX_MAX_DEPTH);
			ck_assert_ptr_nonnull(strstr(out, "x}"));
			ck_assert_ptr_nonnull(strstr(out, "} y},"));
			free(out);
			pb_record_free(r);
		}
		pb_buf_free(&t);
	}
}
END_TEST

/* A BibTeX file's own: subtitles apart in BibLaTeX, joined in BibTeX;
 * crossref, unknown fields and @preamble written back; the same extras
 * from CSL-JSON go to annote. */
START_TEST(bibtex_origin_extras)
{
	pb_record *r = csl_record(PB_TYPE_BOOK, PB_ORIGIN_BIBTEX);
	pb_record_set(r, PB_F_VENUE_NAME, NULL); /* a book has none */
	pb_record_set(r, PB_F_TITLE, "Main: Sub");
	pb_record_add_extra(r, "subtitle", "Sub");
	pb_record_add_extra(r, "crossref", "parent");
	pb_record_add_extra(r, "foo", "bar \\weird{x}");
	pb_record_add_extra(r, "@preamble", "\\newcommand{\\noopsort}[1]{}");
	for (int blx = 0; blx < 2; blx++) {
		seen d = {0, 0, ""};
		char *out = write_full(blx, r, &d);
		int ok = strncmp(out,
		                 "@preamble{{\\newcommand{\\noopsort}[1]{}}}\n\n@book{k,\n",
		                 48) == 0 &&
		         !strstr(strstr(out, "@book"), "preamble") &&
		         has_field(out, "crossref", "parent") &&
		         has_field(out, "foo", "bar \\weird{x}") &&
		         (blx ? has_field(out, "title", "Main") &&
		                    has_field(out, "subtitle", "Sub")
		              : has_field(out, "title", "Main: Sub") &&
		                    !strstr(out, "subtitle"));
		if (!ok)
			ck_abort_msg("%s:\n%s", blx ? "biblatex" : "bibtex", out);
		if (d.warnings)
			ck_abort_msg("%s: %s", blx ? "biblatex" : "bibtex", d.last);
		free(out);
	}
	r->origin = PB_ORIGIN_CSLJSON;
	seen d = {0, 0, ""};
	char *out = write_full(0, r, &d);
	if (!in_annote(out, "foo: bar") || strncmp(out, "@book{k,", 8) != 0 ||
	    strstr(out, "  foo"))
		ck_abort_msg("CSL-JSON extras:\n%s", out);
	free(out);
	pb_record_free(r);
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
	tc = tcase_create("incomplete");
	tcase_add_loop_test(tc, thin_records, 0,
	                    sizeof thin_cases / sizeof thin_cases[0]);
	tcase_add_loop_test(tc, key_from_title, 0,
	                    sizeof key_titles / sizeof key_titles[0]);
	suite_add_tcase(s, tc);
	tc = tcase_create("nothing lost");
	tcase_add_test(tc, nothing_lost);
	tcase_add_test(tc, annote_not_note);
	tcase_add_loop_test(tc, pdf_derived, 0,
	                    sizeof pdf_forms / sizeof pdf_forms[0]);
	tcase_add_test(tc, urls_are_data);
	suite_add_tcase(s, tc);
	tc = tcase_create("keys");
	tcase_add_loop_test(tc, key_unchanged, 0, sizeof keys / sizeof keys[0]);
	tcase_add_loop_test(tc, key_unwritable, 0,
	                    sizeof bad_keys / sizeof bad_keys[0]);
	suite_add_tcase(s, tc);
	tc = tcase_create("options");
	tcase_add_test(tc, unmapped_warns);
	tcase_add_test(tc, options);
	tcase_add_test(tc, and_others);
	tcase_add_test(tc, unmapped_after_backslash_and_long_year);
	suite_add_tcase(s, tc);
	tc = tcase_create("full record");
	tcase_add_loop_test(tc, csl_types, 0,
	                    sizeof type_cases / sizeof type_cases[0]);
	tcase_add_loop_test(tc, csl_vars, 0, sizeof var_cases / sizeof var_cases[0]);
	tcase_add_loop_test(tc, csl_roles, 0,
	                    sizeof role_cases / sizeof role_cases[0]);
	tcase_add_loop_test(tc, csl_dates, 0,
	                    sizeof date_cases / sizeof date_cases[0]);
	tcase_add_test(tc, rich_deep);
	tcase_add_test(tc, key_untagged);
	tcase_add_loop_test(tc, rich_text, 0,
	                    sizeof rich_cases / sizeof rich_cases[0]);
	tcase_add_test(tc, bibtex_origin_extras);
	suite_add_tcase(s, tc);
	return s;
}
