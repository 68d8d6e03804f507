/* The CSL-JSON reader: variables, names with particles and literals,
 * dates in every form, keys, and documents that are not CSL-JSON. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "paperbib/paperbib.h"
#include "testutil.h"

extern const pb_input_format pb_csljson_input;
Suite *csljson_read_suite(void);

/* One item's members (inside {}) and a line test_dump (or the extra
 * lines below) must print for it. */
static const struct {
	const char *members;
	const char *dump;
} item_cases[] = {
	{"\"title\": \"T\"", "title=T"},
	{"\"author\": [{\"family\": \"Schaar\", \"given\": \"Mihaela\", "
	 "\"non-dropping-particle\": \"van der\"}]",
	 "author=Mihaela|van der Schaar|van der||"},
	{"\"author\": [{\"family\": \"van der Schaar\", \"given\": \"M\", "
	 "\"non-dropping-particle\": \"van der\"}]",
	 "author=M|van der Schaar|van der||"},
	{"\"author\": [{\"family\": \"Beethoven\", \"given\": \"Ludwig\", "
	 "\"dropping-particle\": \"van\"}]",
	 "author=Ludwig|van Beethoven|van||"},
	{"\"author\": [{\"family\": \"King\", \"given\": \"Martin\", "
	 "\"suffix\": \"Jr.\"}]",
	 "author=Martin|King||Jr.|"},
	{"\"author\": [{\"literal\": \"OpenAI\"}]", "author=||||OpenAI"},
	{"\"author\": [{\"given\": \"Plato\"}]", "author=Plato||||"},
	{"\"container-title\": \"Proc\"", "venue.name=Proc"},
	{"\"container-title-short\": \"PR\"", "venue.short=PR"},
	{"\"event-title\": \"Conf on X (CX 2019)\"", "venue.short=CX"},
	{"\"event\": \"Conf on X (CX 2019)\"", "venue.year=2019"},
	{"\"event-place\": \"Here\"", "venue.location=Here"},
	{"\"publisher-place\": \"There\"", "venue.location=There"},
	{"\"publisher\": \"P\"", "venue.publisher=P"},
	{"\"issued\": {\"date-parts\": [[2020, 4, 26]]}", "venue.date=2020-04-26"},
	{"\"issued\": {\"date-parts\": [[\"2020\", \"4\"]]}", "venue.date=2020-04"},
	{"\"issued\": {\"date-parts\": [[2020]]}", "venue.year=2020"},
	{"\"issued\": {\"raw\": \"2018-03-02\"}", "venue.date=2018-03-02"},
	{"\"issued\": \"2017-11\"", "venue.date=2017-11"},
	{"\"issued\": {\"literal\": \"Spring 2001\"}", "venue.year=Spring 2001"},
	{"\"URL\": \"https://x/y\"", "url=https://x/y"},
	{"\"abstract\": \"Ab \\\"q\\\" \\u00e9\"", "abstract=Ab \"q\" \xC3\xA9"},
	{"\"keyword\": \"a, b; c\"", "keyword=c"},
	{"\"keyword\": [\"one, two\"]", "keyword=one, two"},
	{"\"note\": \"Code: https://g/c\\nPDF: https://x/p.pdf\\nMine.\"",
	 "code=https://g/c"},
	{"\"note\": \"Code: https://g/c\\nPDF: https://x/p.pdf\\nMine.\"",
	 "pdf=https://x/p.pdf"},
	{"\"note\": \"Citation Key: k1 Code: https://g/c PDF: https://x/p\"",
	 "key=k1"},
	{"\"note\": \"Code: https://g/c\\nMine.\"", "note=Mine."},
	{"\"DOI\": \"10.1/x\"", "extra=DOI:10.1/x"},
	{"\"volume\": 3", "extra=volume:3"},
	{"\"page\": \"1-2\"", "extra=pages:1-2"},
	{"\"language\": \"en\"", "extra=language:en"},
	{"\"id\": \"abc\"", "key=abc"},
	{"\"id\": \"abc\", \"citation-key\": \"def\"", "key=def"},
	{"\"id\": \"has space\"", "key=(null)"},
	{"\"id\": 17", "key=17"},
	{"\"type\": \"paper-conference\"", "type=0"},
	{"\"type\": \"article-journal\"", "type=1"},
	{"\"type\": \"article-magazine\"", "type=1"},
	{"\"type\": \"chapter\"", "type=3"},
	{"\"type\": \"webpage\"", "type=6"},
};

START_TEST(test_items)
{
	pb_buf in = PB_BUF_INIT, dump = PB_BUF_INIT, line = PB_BUF_INIT;
	pb_buf_printf(&in, "[{%s}]", item_cases[_i].members);
	test_records t;
	test_read(&t, in.data, in.len, &pb_csljson_input, NULL);
	ck_assert_msg(t.n == 1, "%zu records: %s", t.n, pb_buf_cstr(&t.diags));
	const pb_record *r = &t.recs[0];
	test_dump(&dump, r, 1);
	pb_buf_printf(&dump, "venue.date=%s\nvenue.location=%s\n"
	              "venue.publisher=%s\nnote=%s\nkey=%s\ntype=%d\n",
	              r->venue.date ? r->venue.date : "(null)",
	              r->venue.location ? r->venue.location : "(null)",
	              r->venue.publisher ? r->venue.publisher : "(null)",
	              r->note ? r->note : "(null)", r->key ? r->key : "(null)",
	              (int)r->type);
	pb_buf_printf(&line, "%s\n", item_cases[_i].dump);
	ck_assert_msg(strstr(dump.data, line.data), "no '%s' in:\n%s",
	              item_cases[_i].dump, dump.data);
	test_records_free(&t);
	pb_buf_free(&in);
	pb_buf_free(&dump);
	pb_buf_free(&line);
}
END_TEST

/* Whole documents: records, warnings, errors and a message. */
static const test_diag_case doc_cases[] = {
	{"[]", 0, 0, 0, ""},
	{"  \n[\n]\n", 0, 0, 0, ""},
	{"{\"title\": \"one object\"}", 1, 0, 0, ""},
	{"[{\"title\": \"a\"},\n 5,\n {\"title\": \"b\"}]", 2, 0, 1,
	 "2:0: error: item 2 is not an object; skipped"},
	{"[{\"title\": \"a\"}\n {\"title\": \"b\"}]", 0, 0, 1,
	 "2:2: error: not valid JSON"},
	{"\"a string\"", 0, 0, 1, "1:10: error: not valid JSON"},
	{"[{\"author\": \"Smith\", \"title\": \"t\"}]", 1, 1, 0,
	 "'author' is not an array"},
	{"[{\"author\": [{\"x\": 1}], \"title\": \"t\"}]", 1, 1, 0,
	 "an author has no family, given or literal name"},
	{"[{\"URL\": \"u\"}]", 1, 1, 0, "item has no title"},
	{"[{\"title\": \"with \\\"]\\\" and [{ inside\"},\n\n{\"title\": \"b\"},\n"
	 "7]",
	 2, 0, 1, "4:0: error: item 3 is not an object"},
};

START_TEST(test_documents)
{
	test_diagnosed(&pb_csljson_input, &doc_cases[_i]);
}
END_TEST

static const test_probe_case probe_cases[] = {
	{"[\n  {\n    \"id\": \"x\"", 90, 100},
	{"[]", 60, 89},
	{"{\"title\": \"x\"}", 50, 70},
	{"@article{x,", 0, 0},
	{"TY  - CONF", 0, 0},
	{"[3] A numbered title\nAuthor: A B\n", 0, 0},
};

START_TEST(test_probe_scores)
{
	test_probe(&pb_csljson_input, &probe_cases[_i]);
}
END_TEST


Suite *csljson_read_suite(void)
{
	Suite *s = suite_create("csljson_read");
	TCase *tc = tcase_create("csljson_read");
	tcase_add_loop_test(tc, test_items, 0, TEST_COUNT(item_cases));
	tcase_add_loop_test(tc, test_documents, 0, TEST_COUNT(doc_cases));
	tcase_add_loop_test(tc, test_probe_scores, 0, TEST_COUNT(probe_cases));
	suite_add_tcase(s, tc);
	return s;
}
