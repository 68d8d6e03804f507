/* Known venues: lookup by short name or alias, detection in one line of
 * text, and the header of the reference list. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paperbib/paperbib.h"
#include "venue.h"

Suite *venue_suite(void);

typedef struct lookup_case {
	const char *in;
	const char *short_name; /* NULL: unknown */
	const char *publisher;
} lookup_case;

static const lookup_case lookups[] = {
    {"ICLR", "ICLR", "OpenReview.net"},
    {"iclr", "ICLR", "OpenReview.net"},
    {"NeurIPS", "NeurIPS", "Curran Associates, Inc."},
    {"NIPS", "NeurIPS", "Curran Associates, Inc."},
    {"nips", "NeurIPS", "Curran Associates, Inc."},
    {"ICML", "ICML", "PMLR"},
    {"ACL", "ACL", "Association for Computational Linguistics"},
    {"EMNLP", "EMNLP", "Association for Computational Linguistics"},
    {"NAACL", "NAACL", "Association for Computational Linguistics"},
    {"AAAI", "AAAI", "AAAI Press"},
    {"IJCAI", "IJCAI", "ijcai.org"},
    {"CVPR", "CVPR", "IEEE"},
    {"ICCV", "ICCV", "IEEE"},
    {"ECCV", "ECCV", "Springer"},
    {"KDD", "KDD", "ACM"},
    {"SIGKDD", "KDD", "ACM"},
    {"SIGIR", "SIGIR", "ACM"},
    {"WWW", "WWW", "ACM"},
    {"TheWebConf", "WWW", "ACM"},
    {"ACLU", NULL, NULL},
    {"ICLR2020", NULL, NULL},
    {"", NULL, NULL},
};

START_TEST(test_lookup)
{
	const lookup_case *c = &lookups[_i];
	const pb_known_venue *v = pb_venue_lookup(c->in);
	if (!c->short_name) {
		ck_assert_ptr_null(v);
		return;
	}
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v->short_name, c->short_name);
	ck_assert_ptr_nonnull(v->name);
	ck_assert_str_eq(v->publisher, c->publisher);
}
END_TEST

START_TEST(test_lookup_null)
{
	ck_assert_ptr_null(pb_venue_lookup(NULL));
	ck_assert_str_eq(
	    pb_venue_lookup("ICLR")->name,
	    "International Conference on Learning Representations");
}
END_TEST

typedef struct detect_case {
	const char *line;
	const char *short_name; /* NULL: no venue */
	const char *year;       /* NULL: no year */
} detect_case;

static const detect_case detects[] = {
    /* issue 3 */
    {"ICLR2020", "ICLR", "2020"},
    {"ICLR 2020", "ICLR", "2020"},
    {"NeurIPS 2019", "NeurIPS", "2019"},
    {"    2020年的ICLR会议将于今年的4月26日-4月30日在Millennium Hall举行。",
     "ICLR", "2020"},
    {"Eighth International Conference on Learning Representations", "ICLR",
     NULL},
    /* spellings and separators */
    {"ICLR'20", "ICLR", "2020"},
    {"ICLR’20 accepted papers", "ICLR", "2020"},
    {"NIPS'99", "NeurIPS", "1999"},
    {"NIPS 2017 papers", "NeurIPS", "2017"},
    {"NEURIPS-2019", "NeurIPS", "2019"},
    {"Accepted at (ICML 2021)!", "ICML", "2021"},
    {"2020-ICLR-accept-poster.pdf", "ICLR", "2020"},
    {"ICLR, 2020", "ICLR", "2020"},
    {"CVPR 2019 papers with code", "CVPR", "2019"},
    {"ICCV2019", "ICCV", "2019"},
    {"ECCV 2020", "ECCV", "2020"},
    {"ACL 2020 long papers", "ACL", "2020"},
    {"EMNLP 2019", "EMNLP", "2019"},
    {"NAACL 2019", "NAACL", "2019"},
    {"AAAI 2020", "AAAI", "2020"},
    {"IJCAI-19", "IJCAI", NULL},
    {"IJCAI 2019", "IJCAI", "2019"},
    {"KDD 2020", "KDD", "2020"},
    {"SIGKDD 2020", "KDD", "2020"},
    {"SIGIR 2020", "SIGIR", "2020"},
    {"WWW 2020", "WWW", "2020"},
    {"TheWebConf 2021", "WWW", "2021"},
    /* full names, with and without a year near them */
    {"International Conference on Learning Representations 2020", "ICLR",
     "2020"},
    {"Proceedings of the 2019 Conference on Empirical Methods in Natural "
     "Language Processing",
     "EMNLP", "2019"},
    {"Advances in Neural Information Processing Systems", "NeurIPS", NULL},
    {"Thirty-third Conference on Neural Information Processing Systems",
     "NeurIPS", NULL},
    {"Proceedings of the North American Chapter of the Association for "
     "Computational Linguistics",
     "NAACL", NULL},
    {"IEEE Conference on Computer Vision and Pattern Recognition", "CVPR",
     NULL},
    {"international conference on machine learning", "ICML", NULL},
    /* a full name starts a word: its first letter is tested first */
    {"Xinternational Conference on Machine Learning", NULL, NULL},
    {"(international conference on machine learning)", "ICML", NULL},
    {"see 2019: Knowledge Discovery and Data Mining", "KDD", "2019"},
    {"2020年ICLR会议(Eighth International Conference on Learning "
     "Representations)论文接受结果刚刚出来",
     "ICLR", "2020"},
    /* a year far from the name is not its year */
    {"ICLR was founded in 2013", "ICLR", NULL},
    {"ICLR accepted 678 papers in 2020", "ICLR", NULL},
    {"ICLR 12020", "ICLR", NULL},
    {"ICLR 1066", "ICLR", NULL},
    {"ICLR 2020 and NeurIPS 2019", "ICLR", "2020"},
    {"NeurIPS 2019 and ICLR 2020", "NeurIPS", "2019"},
    /* words that contain a short name, and lower case */
    {"the ACLU filed a brief in 2020", NULL, NULL},
    {"ACLs 2020", NULL, NULL},
    {"WWWW 2020", NULL, NULL},
    {"https://www.example.com/2020", NULL, NULL},
    {"iclr 2020", NULL, NULL},
    {"Neurips 2019", NULL, NULL},
    {"ICLRs", NULL, NULL},
    {"编辑: ShuYini", NULL, NULL},
    {"时间: 2020-02-21", NULL, NULL},
    {"", NULL, NULL},
};

START_TEST(test_detect)
{
	const detect_case *c = &detects[_i];
	pb_venue v;
	pb_venue_init(&v);
	int rc = pb_venue_detect(c->line, &v);
	if (!c->short_name) {
		ck_assert_int_eq(rc, 0);
		ck_assert_ptr_null(v.short_name);
		ck_assert_ptr_null(v.year);
		ck_assert_ptr_null(v.name);
		return;
	}
	ck_assert_msg(rc == 1, "no venue in \"%s\"", c->line);
	ck_assert_str_eq(v.short_name, c->short_name);
	const pb_known_venue *k = pb_venue_lookup(c->short_name);
	ck_assert_str_eq(v.name, k->name);
	ck_assert_str_eq(v.publisher, k->publisher);
	if (c->year)
		ck_assert_msg(v.year && strcmp(v.year, c->year) == 0,
		              "\"%s\": year %s", c->line,
		              v.year ? v.year : "none");
	else
		ck_assert_msg(!v.year, "\"%s\": year %s", c->line, v.year);
	ck_assert_ptr_null(v.date);
	ck_assert_ptr_null(v.location);
	pb_venue_clear(&v);
}
END_TEST

/* Only empty fields are filled, and another venue's line is not taken. */
START_TEST(test_detect_fills_empty)
{
	pb_venue v;
	pb_venue_init(&v);
	ck_assert_int_eq(pb_venue_detect("Eighth International Conference on "
	                                 "Learning Representations",
	                                 &v),
	                 1);
	ck_assert_ptr_null(v.year);
	ck_assert_int_eq(pb_venue_detect("NeurIPS 2019", &v), 0);
	ck_assert_ptr_null(v.year);
	ck_assert_int_eq(pb_venue_detect("ICLR 2020", &v), 1);
	ck_assert_str_eq(v.year, "2020");
	ck_assert_int_eq(pb_venue_detect("ICLR 2021", &v), 1);
	ck_assert_str_eq(v.year, "2020");
	pb_venue_clear(&v);

	pb_venue_init(&v);
	v.publisher = strdup("Our Press");
	v.short_name = strdup("nips");
	ck_assert_int_eq(pb_venue_detect("NeurIPS 2019", &v), 1);
	ck_assert_str_eq(v.publisher, "Our Press");
	ck_assert_str_eq(v.short_name, "nips");
	ck_assert_str_eq(v.year, "2019");
	pb_venue_clear(&v);

	pb_venue_init(&v);
	v.short_name = strdup("MyConf");
	ck_assert_int_eq(pb_venue_detect("ICLR 2020", &v), 0);
	ck_assert_ptr_null(v.year);
	pb_venue_clear(&v);
}
END_TEST

/* The reference list's header gives ICLR 2020, and no line of its records
 * names another venue. */
START_TEST(test_reference_header)
{
	FILE *f = fopen("../examples/iclr2020-talks.txt", "r");
	ck_assert_ptr_nonnull(f);
	char line[1 << 14];
	pb_venue v;
	pb_venue_init(&v);
	int lineno = 0, hits = 0;
	while (fgets(line, sizeof line, f) && ++lineno <= 15)
		if (pb_venue_detect(line, &v) == 1)
			hits++;
	fclose(f);
	ck_assert_int_ge(hits, 1);
	ck_assert_str_eq(v.short_name, "ICLR");
	ck_assert_str_eq(v.year, "2020");
	ck_assert_str_eq(
	    v.name, "International Conference on Learning Representations");
	ck_assert_str_eq(v.publisher, "OpenReview.net");
	pb_venue_clear(&v);
}
END_TEST

Suite *venue_suite(void)
{
	Suite *s = suite_create("venue");
	TCase *tc = tcase_create("venue");
	tcase_add_loop_test(tc, test_lookup, 0,
	                    sizeof lookups / sizeof lookups[0]);
	tcase_add_test(tc, test_lookup_null);
	tcase_add_loop_test(tc, test_detect, 0,
	                    sizeof detects / sizeof detects[0]);
	tcase_add_test(tc, test_detect_fills_empty);
	tcase_add_test(tc, test_reference_header);
	suite_add_tcase(s, tc);
	return s;
}
