/* The RIS reader: each tag it knows, table-driven, then records without
 * ER, wrapped lines, CRLF and a BOM, and detection. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "paperbib/paperbib.h"
#include "testutil.h"

extern const pb_input_format pb_ris_input;
Suite *ris_read_suite(void);

/* Tag lines after "TY  - CONF" and what test_dump shows of them (venue
 * included), or an extra field. */
static const struct {
	const char *lines;
	const char *dump; /* a line that test_dump must print */
} tag_cases[] = {
	{"TI  - A title", "title=A title"},
	{"T1  - Old title", "title=Old title"},
	{"AU  - van der Schaar, Mihaela", "author=Mihaela|van der Schaar|van der||"},
	{"A1  - King, Martin Luther, Jr.", "author=Martin Luther|King||Jr.|"},
	{"AU  - OpenAI", "author=||||OpenAI"},
	{"A2  - Editor, Ed", "extra=editor:Editor, Ed"},
	{"A3  - Series, Ed", "extra=series editor:Series, Ed"},
	{"A4  - Trans, Lator", "extra=translator:Trans, Lator"},
	{"T2  - Conference on Tests (CT 2021)", "venue.short=CT"},
	{"T2  - Conference on Tests (CT 2021)", "venue.year=2021"},
	{"T2  - Conference on Tests (CT 2021)", "venue.name=Conference on Tests"},
	{"T2  - Event (EV 2021)\nC3  - Proceedings of Tests",
	 "venue.name=Proceedings of Tests"},
	{"BT  - Book title", "venue.name=Book title"},
	{"JO  - J. Tests", "venue.name=J. Tests"},
	{"JF  - Journal of Tests", "venue.name=Journal of Tests"},
	{"PY  - 2020///", "venue.year=2020"},
	{"Y1  - 2019/05/01/", "venue.year=2019"},
	{"DA  - 2020/04/26/", "venue.year=2020"},
	{"UR  - https://a/forum", "url=https://a/forum"},
	{"UR  - https://a/forum\nUR  - https://a/pdf?id=1", "pdf=https://a/pdf?id=1"},
	{"L1  - https://a/x.pdf", "pdf=https://a/x.pdf"},
	{"L2  - https://a/page", "url=https://a/page"},
	{"L3  - https://a/rel", "extra=related:https://a/rel"},
	{"L4  - https://a/fig.png", "extra=figure:https://a/fig.png"},
	{"KW  - attention", "keyword=attention"},
	{"KW  - one, two", "keyword=one, two"},
	{"AB  - The abstract.", "abstract=The abstract."},
	{"N2  - Old abstract.", "abstract=Old abstract."},
	{"N1  - Code: https://github.com/a/b", "code=https://github.com/a/b"},
	{"SP  - 10\nEP  - 20", "extra=pages:10\xE2\x80\x93" "20"},
	{"VL  - 3", "extra=volume:3"},
	{"IS  - 4", "extra=issue:4"},
	{"DO  - 10.1/x", "extra=DOI:10.1/x"},
	{"SN  - 1234-5678", "extra=ISSN:1234-5678"},
	{"M3  - whatever", "extra=M3:whatever"},
	{"AB  - Wrapped\n   over lines", "abstract=Wrapped over lines"},
};

START_TEST(test_tags)
{
	pb_buf in = PB_BUF_INIT, dump = PB_BUF_INIT;
	pb_buf_printf(&in, "TY  - CONF\n%s\nER  - \n", tag_cases[_i].lines);
	test_records t;
	test_read(&t, in.data, in.len, &pb_ris_input, NULL);
	ck_assert_uint_eq(t.n, 1);
	test_dump(&dump, &t.recs[0], 1);
	pb_buf_printf(&dump, "venue.date=%s\n",
	              t.recs[0].venue.date ? t.recs[0].venue.date : "(null)");
	pb_buf_cstr(&dump);
	pb_buf line = PB_BUF_INIT;
	pb_buf_printf(&line, "%s\n", tag_cases[_i].dump);
	ck_assert_msg(strstr(dump.data, line.data), "no '%s' in:\n%s",
	              tag_cases[_i].dump, dump.data);
	test_records_free(&t);
	pb_buf_free(&in);
	pb_buf_free(&dump);
	pb_buf_free(&line);
}
END_TEST

START_TEST(test_types_dates_keys)
{
	static const char ris[] =
	    "\xEF\xBB\xBFTY  - JOUR\r\nTI  - A\r\nDA  - 2020/04//\r\n"
	    "ID  - good:key-1\r\nER  - \r\n\r\n"
	    "TY  - CPAPER\r\nTI  - B\r\nID  - bad key\r\nPY  - 2021\r\nER  -\r\n"
	    "TY  - THES\nTI  - C\nER  - \n"
	    "TY  - ELEC\nTI  - D\nER  - \n";
	test_records t;
	test_read(&t, ris, sizeof ris - 1, &pb_ris_input, NULL);
	ck_assert_uint_eq(t.n, 4);
	ck_assert_uint_eq(t.warnings + t.errors, 0);
	ck_assert_int_eq(t.recs[0].type, PB_TYPE_ARTICLE);
	ck_assert_str_eq(t.recs[0].title, "A");
	ck_assert_str_eq(t.recs[0].venue.date, "2020-04");
	ck_assert_str_eq(t.recs[0].key, "good:key-1");
	ck_assert_int_eq(t.recs[1].type, PB_TYPE_PAPER_CONFERENCE);
	ck_assert_ptr_null(t.recs[1].key); /* not a key any format takes */
	ck_assert_str_eq(t.recs[1].venue.year, "2021");
	ck_assert_ptr_null(t.recs[1].venue.date);
	ck_assert_int_eq(t.recs[2].type, PB_TYPE_THESIS);
	ck_assert_int_eq(t.recs[3].type, PB_TYPE_MISC);
	ck_assert_uint_eq(t.recs[1].line, 7);
	test_records_free(&t);
}
END_TEST

START_TEST(test_missing_er)
{
	static const char ris[] = "Junk before the first record\n"
	                          "TY  - CONF\nTI  - One\n"
	                          "TY  - CONF\nTI  - Two\nER  - \n"
	                          "KW  - outside\n"
	                          "TY  - CONF\nTI  - Three\n";
	test_records t;
	test_read(&t, ris, sizeof ris - 1, &pb_ris_input, NULL);
	ck_assert_uint_eq(t.n, 3);
	ck_assert_str_eq(t.recs[0].title, "One");
	ck_assert_str_eq(t.recs[1].title, "Two");
	ck_assert_str_eq(t.recs[2].title, "Three");
	ck_assert_uint_eq(t.warnings, 3);
	const char *d = pb_buf_cstr(&t.diags);
	ck_assert_ptr_nonnull(strstr(d, "2:0: warning: record has no ER line "
	                                "before the next TY at line 4"));
	ck_assert_ptr_nonnull(strstr(d, "7:0: warning: 'KW' tag outside a "
	                                "record"));
	ck_assert_ptr_nonnull(strstr(d, "8:0: warning: record has no ER line "
	                                "before the end of the file"));
	test_records_free(&t);
}
END_TEST

static const test_probe_case probe_cases[] = {
	{"TY  - CONF\nTI  - x\n", 90, 100},
	{"\xEF\xBB\xBFTY  - JOUR\r\n", 90, 100},
	{"\n\nTY  - BOOK\n", 90, 100},
	{"TI  - x\nAU  - y\nPY  - 2000\n", 50, 89},
	{"@article{x,\n", 0, 0},
	{"Title\nAuthor: A B\n", 0, 0},
	{"TYPE - x\n", 0, 0},
};

START_TEST(test_probe_scores)
{
	test_probe(&pb_ris_input, &probe_cases[_i]);
}
END_TEST


Suite *ris_read_suite(void)
{
	Suite *s = suite_create("ris_read");
	TCase *tc = tcase_create("ris_read");
	tcase_add_loop_test(tc, test_tags, 0, TEST_COUNT(tag_cases));
	tcase_add_test(tc, test_types_dates_keys);
	tcase_add_test(tc, test_missing_er);
	tcase_add_loop_test(tc, test_probe_scores, 0, TEST_COUNT(probe_cases));
	suite_add_tcase(s, tc);
	return s;
}
