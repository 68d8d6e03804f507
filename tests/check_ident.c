/* A paper's identifiers: arXiv ids, and the record fields they are
 * found in. */
#include <check.h>
#include <string.h>

#include "ident.h"
#include "testutil.h"

/* Text, and the arXiv id it names ("" for none). */
static const struct {
	const char *in, *id;
} arxiv_cases[] = {
	{"2101.00042", "2101.00042"},
	{"2101.00042v2", "2101.00042"},
	{"  2101.00042v12 ", "2101.00042"},
	{"arXiv:2101.00042", "2101.00042"},
	{"arXiv: 2101.00042v3 [cs.LG]", "2101.00042"},
	{"ARXIV:1412.6980", "1412.6980"},
	{"https://arxiv.org/abs/2101.00042", "2101.00042"},
	{"https://arxiv.org/abs/2101.00042v2", "2101.00042"},
	{"http://arxiv.org/pdf/2101.00042.pdf", "2101.00042"},
	{"https://arxiv.org/pdf/2101.00042v1.pdf", "2101.00042"},
	{"https://arxiv.org/pdf/2101.00042v1", "2101.00042"},
	{"arxiv.org/abs/1706.03762", "1706.03762"},
	{"https://www.arxiv.org/abs/1706.03762/", "1706.03762"},
	{"https://export.arxiv.org/abs/1706.03762?context=cs", "1706.03762"},
	{"https://arxiv.org/abs/hep-th/9901001", "hep-th/9901001"},
	{"https://arxiv.org/pdf/hep-th/9901001v2.pdf", "hep-th/9901001"},
	{"hep-th/9901001", "hep-th/9901001"},
	{"arXiv:math.GT/0309136", "math/0309136"},
	{"cs/0112017v1", "cs/0112017"},
	{"https://doi.org/10.48550/arXiv.2101.00042", "2101.00042"},
	{"10.48550/ARXIV.2101.00042", "2101.00042"},
	{"doi:10.48550/arXiv.1706.03762", "1706.03762"},
	{"0704.0001", "0704.0001"},
	/* not arXiv ids */
	{"", ""},
	{"2101.000421", ""},    /* six digits */
	{"2101.0004", ""},      /* four digits after 2015 */
	{"1412.69801", ""},     /* five digits before 2015 */
	{"0612.0001", ""},      /* before new-style ids began */
	{"2113.00042", ""},     /* month 13 */
	{"2101.00042 and more", ""},
	{"see 2101.00042", ""},
	{"foo/9901001", ""},    /* not an archive */
	{"hep-th/9913001", ""}, /* month 13 */
	{"hep-th/990100", ""},
	{"https://example.org/abs/2101.00042", ""},
	{"https://arxiv.org/list/cs.LG/recent", ""},
	{"https://arxiv.org/", ""},
	{"https://arxiv.org.evil.com/abs/2101.00042", ""},
	{"ftp://arxiv.org/abs/2101.00042", ""},
	{"10.1145/2101.00042", ""},
	{"rkgNKkHtvB", ""},
};

START_TEST(arxiv_id)
{
	char out[PB_IDENT_MAX];
	const char *in = arxiv_cases[_i].in, *want = arxiv_cases[_i].id;
	int found = pb_arxiv_id(in, out, sizeof out);
	ck_assert_msg(found == (*want != '\0'), "'%s': found %d", in, found);
	ck_assert_msg(strcmp(out, want) == 0, "'%s' gave '%s', not '%s'", in,
	              out, want);
}
END_TEST

/* A buffer too small for the id takes none. */
START_TEST(arxiv_id_small)
{
	char out[10];
	ck_assert_int_eq(pb_arxiv_id("2101.00042", out, sizeof out), 0);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(pb_arxiv_id("1412.6980", out, sizeof out), 1);
	ck_assert_str_eq(out, "1412.6980");
	ck_assert_int_eq(pb_arxiv_id(NULL, out, sizeof out), 0);
}
END_TEST

static const struct {
	const char *id;
	int year;
} year_cases[] = {
	{"2101.00042", 2021}, {"0704.0001", 2007},     {"1412.6980v9", 2014},
	{"hep-th/9901001", 1999}, {"cs/0112017", 2001}, {"math/0703001", 2007},
	{"arXiv:1706.03762", 2017}, {"https://arxiv.org/abs/9912.0001", 0},
	{"rkgNKkHtvB", 0},         {"", 0},
};

START_TEST(arxiv_year)
{
	ck_assert_int_eq(pb_arxiv_year(year_cases[_i].id), year_cases[_i].year);
}
END_TEST

/* Where a record keeps its arXiv id. */
START_TEST(record_arxiv)
{
	char out[PB_IDENT_MAX];
	pb_record r;
	pb_record_init(&r);
	ck_assert_int_eq(pb_record_arxiv_id(&r, out, sizeof out), 0);
	ck_assert_str_eq(out, "");

	/* the paper list's id from an arXiv link */
	pb_record_set(&r, PB_F_ID, "2101.00042v2");
	ck_assert_int_eq(pb_record_arxiv_id(&r, out, sizeof out), 1);
	ck_assert_str_eq(out, "2101.00042");

	/* an OpenReview id is not one; its links are searched next */
	pb_record_set(&r, PB_F_ID, "rkgNKkHtvB");
	ck_assert_int_eq(pb_record_arxiv_id(&r, out, sizeof out), 0);
	pb_record_set(&r, PB_F_PDF_URL, "https://arxiv.org/pdf/1706.03762v5.pdf");
	ck_assert_int_eq(pb_record_arxiv_id(&r, out, sizeof out), 1);
	ck_assert_str_eq(out, "1706.03762");
	pb_record_set(&r, PB_F_URL, "https://arxiv.org/abs/1412.6980");
	ck_assert_int_eq(pb_record_arxiv_id(&r, out, sizeof out), 1);
	ck_assert_str_eq(out, "1412.6980");
	pb_record_reset(&r);

	/* BibTeX's eprint, unless archivePrefix names another server */
	pb_record_add_extra(&r, "eprint", "hep-th/9901001");
	ck_assert_int_eq(pb_record_arxiv_id(&r, out, sizeof out), 1);
	ck_assert_str_eq(out, "hep-th/9901001");
	pb_record_add_extra(&r, "archivePrefix", "HAL");
	ck_assert_int_eq(pb_record_arxiv_id(&r, out, sizeof out), 0);
	pb_record_reset(&r);
	pb_record_add_extra(&r, "eprinttype", "arxiv");
	pb_record_add_extra(&r, "eprint", "2002.05709");
	ck_assert_int_eq(pb_record_arxiv_id(&r, out, sizeof out), 1);
	ck_assert_str_eq(out, "2002.05709");
	pb_record_reset(&r);

	/* other fields count only with "arXiv:", a link or arXiv's DOI */
	pb_record_add_extra(&r, "number", "2002.05709");
	ck_assert_int_eq(pb_record_arxiv_id(&r, out, sizeof out), 0);
	pb_record_add_extra(&r, "DOI", "10.48550/arXiv.2002.05709");
	ck_assert_int_eq(pb_record_arxiv_id(&r, out, sizeof out), 1);
	ck_assert_str_eq(out, "2002.05709");
	pb_record_reset(&r);

	/* journal = {arXiv preprint arXiv:...} */
	pb_record_set(&r, PB_F_VENUE_NAME, "arXiv preprint arXiv:1810.04805");
	ck_assert_int_eq(pb_record_arxiv_id(&r, out, sizeof out), 1);
	ck_assert_str_eq(out, "1810.04805");
	pb_record_clear(&r);
}
END_TEST


/* A link, and the identifier key it gives ("" for none). */
static const struct {
	const char *in, *key;
} url_cases[] = {
	{"https://openreview.net/pdf?id=rkgNKkHtvB", "openreview:rkgNKkHtvB"},
	{"http://openreview.net/forum?id=rkgNKkHtvB", "openreview:rkgNKkHtvB"},
	{"https://www.openreview.net/forum?id=rkgNKkHtvB&noteId=x", "openreview:rkgNKkHtvB"},
	{"https://openreview.net/group?id=ICLR.cc/2020", "openreview:ICLR.cc/2020"},
	{"https://arxiv.org/abs/2101.00042v2", "arxiv:2101.00042"},
	{"arxiv.org/pdf/2101.00042.pdf", "arxiv:2101.00042"},
	{"https://doi.org/10.1/x", "doi:10.1/x"},
	{"http://dx.doi.org/10.1/X", "doi:10.1/x"},
	{"https://doi.org/10.48550/arXiv.2101.00042", "arxiv:2101.00042"},
	{"https://doi.org/", ""},
	{"https://www.example.org/paper/42/", "url:example.org/paper/42"},
	{"http://EXAMPLE.org:80/paper/42#sec2", "url:example.org/paper/42"},
	{"https://example.org:8443/paper/42", "url:example.org:8443/paper/42"},
	{"https://example.org/view?pid=7", "url:example.org/view?pid=7"},
	{"https://example.org/p42", "url:example.org/p42"},
	{"www.example.org/a/b", "url:example.org/a/b"},
	/* no specific item */
	{"https://www.jstor.org/", ""},
	{"http://example.com", ""},
	{"https://www.example-journal.org/", ""},
	{"https://example.org/home", ""},
	{"https://example.org/index.html/", ""},
	{"ftp://example.org/paper/42", ""},
	{"not a link", ""},
	{"", ""},
};

START_TEST(url_ident)
{
	char out[PB_IDENT_MAX];
	const char *in = url_cases[_i].in, *want = url_cases[_i].key;
	int kind = pb_url_ident(in, out, sizeof out);
	ck_assert_msg(strcmp(out, want) == 0, "'%s' gave '%s', not '%s'", in, out,
	              want);
	ck_assert_int_eq(kind < 0, *want == '\0');
}
END_TEST

static const struct {
	const char *in, *doi;
} doi_cases[] = {
	{"10.1145/3368089.3409742", "10.1145/3368089.3409742"},
	{"  doi:10.1000/ABC.def ", "10.1000/abc.def"},
	{"DOI: 10.1000/xyz", "10.1000/xyz"},
	{"https://doi.org/10.1000/XYZ?x=1", "10.1000/xyz"},
	{"10.1000/", ""},
	{"10./x", ""},
	{"11.1000/x", ""},
	{"10.1000/x y", ""},
	{"see 10.1000/x", ""},
};

START_TEST(doi)
{
	char out[PB_IDENT_MAX];
	int found = pb_doi(doi_cases[_i].in, out, sizeof out);
	ck_assert_str_eq(out, doi_cases[_i].doi);
	ck_assert_int_eq(found, *doi_cases[_i].doi != '\0');
}
END_TEST

/* Every identifier of a record, each once, links first. */
START_TEST(record_idents)
{
	pb_record r;
	pb_idents ids;
	pb_record_init(&r);
	ck_assert_uint_eq(pb_record_idents(&r, &ids), 0);
	/* a paper list's OpenReview record: one identifier, from its link */
	pb_record_set(&r, PB_F_URL, "https://openreview.net/forum?id=abc");
	pb_record_set(&r, PB_F_PDF_URL, "https://openreview.net/pdf?id=abc");
	pb_record_set(&r, PB_F_ID, "abc");
	ck_assert_uint_eq(pb_record_idents(&r, &ids), 1);
	ck_assert_str_eq(ids.id[0].key, "openreview:abc");
	ck_assert_str_eq(pb_ident_label(ids.id[0].kind, ids.id[0].from_link), "URL");
	pb_record_reset(&r);
	/* BibTeX: DOI, eprint and a second url */
	pb_record_set(&r, PB_F_URL, "https://www.jstor.org/");
	pb_record_add_extra(&r, "doi", "10.1/AB");
	pb_record_add_extra(&r, "eprint", "2101.00042v1");
	pb_record_add_extra(&r, "url", "https://example.org/paper/1");
	pb_record_add_extra(&r, "DOI", "https://doi.org/10.1/ab");
	ck_assert_uint_eq(pb_record_idents(&r, &ids), 3);
	ck_assert_str_eq(ids.id[0].key, "url:example.org/paper/1");
	ck_assert_str_eq(ids.id[1].key, "doi:10.1/ab");
	ck_assert_str_eq(pb_ident_label(ids.id[1].kind, ids.id[1].from_link), "DOI");
	ck_assert_str_eq(ids.id[2].key, "arxiv:2101.00042");
	ck_assert_str_eq(pb_ident_label(ids.id[2].kind, ids.id[2].from_link), "arXiv id");
	pb_record_reset(&r);
	/* an id alone is an OpenReview id */
	pb_record_set(&r, PB_F_ID, "Sy2fzU9gl");
	ck_assert_uint_eq(pb_record_idents(&r, &ids), 1);
	ck_assert_str_eq(ids.id[0].key, "openreview:Sy2fzU9gl");
	ck_assert_str_eq(pb_ident_label(ids.id[0].kind, ids.id[0].from_link),
	                 "OpenReview id");
	pb_record_clear(&r);
}
END_TEST

Suite *ident_suite(void);
Suite *ident_suite(void)
{
	Suite *s = suite_create("ident");
	TCase *t = tcase_create("arxiv");
	tcase_add_loop_test(t, arxiv_id, 0,
	                    sizeof arxiv_cases / sizeof arxiv_cases[0]);
	tcase_add_test(t, arxiv_id_small);
	tcase_add_loop_test(t, arxiv_year, 0,
	                    sizeof year_cases / sizeof year_cases[0]);
	tcase_add_test(t, record_arxiv);
	suite_add_tcase(s, t);
	TCase *u = tcase_create("identifiers");
	tcase_add_loop_test(u, url_ident, 0, sizeof url_cases / sizeof url_cases[0]);
	tcase_add_loop_test(u, doi, 0, sizeof doi_cases / sizeof doi_cases[0]);
	tcase_add_test(u, record_idents);
	suite_add_tcase(s, u);
	return s;
}
