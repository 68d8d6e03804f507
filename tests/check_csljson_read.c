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
	 "author=Ludwig|Beethoven|||"},
	{"\"author\": [{\"family\": \"Beethoven\", \"given\": \"Ludwig\", "
	 "\"dropping-particle\": \"van\"}]",
	 "dropping=van"},
	{"\"author\": [{\"family\": \"Gogh\", \"given\": \"Vincent\", "
	 "\"dropping-particle\": \"d'\", \"non-dropping-particle\": \"van\"}]",
	 "author=Vincent|van Gogh|van||"},
	{"\"author\": [{\"family\": \"King\", \"given\": \"Martin\", "
	 "\"suffix\": \"Jr.\"}]",
	 "author=Martin|King||Jr.|"},
	{"\"author\": [{\"literal\": \"OpenAI\"}]", "author=||||OpenAI"},
	{"\"author\": [{\"given\": \"Plato\"}]", "author=Plato||||"},
	{"\"container-title\": \"Proc\"", "venue.name=Proc"},
	{"\"container-title-short\": \"PR\"", "venue.short=PR"},
	{"\"event-title\": \"Conf on X (CX 2019)\"",
	 "var=event-title:Conf on X (CX 2019):0"},
	{"\"event\": \"Conf on X (CX 2019)\"", "var=event:Conf on X (CX 2019):0"},
	{"\"event-place\": \"Here\"", "var=event-place:Here:0"},
	{"\"event-place\": \"Here\"", "venue.location=(null)"},
	{"\"publisher-place\": \"There\"", "venue.location=There"},
	{"\"publisher\": \"P\"", "venue.publisher=P"},
	{"\"issued\": {\"date-parts\": [[2020, 4, 26]]}", "venue.date=2020-04-26"},
	{"\"issued\": {\"date-parts\": [[\"2020\", \"4\"]]}", "venue.date=2020-04"},
	{"\"issued\": {\"date-parts\": [[2020]]}", "venue.year=2020"},
	{"\"issued\": {\"raw\": \"2018-03-02\"}", "var=issued:raw:2018-03-02:0"},
	{"\"issued\": {\"raw\": \"2018-03-02\"}", "venue.year=2018"},
	{"\"issued\": \"2017-11\"", "venue.date=2017-11"},
	{"\"issued\": {\"literal\": \"Spring 2001\"}",
	 "var=issued:literal:Spring 2001:0"},
	{"\"issued\": {\"date-parts\": [[1984], [1986]]}", "var=issued:1984/1986:0"},
	{"\"issued\": {\"date-parts\": [[1984], [1986]]}", "venue.year=1984"},
	{"\"issued\": {\"date-parts\": [[2000, 3, 1], [2000, 4, 2]]}",
	 "var=issued:2000-03-01/2000-04-02:0"},
	{"\"issued\": {\"date-parts\": [[2000]], \"season\": 2}",
	 "var=issued:2000-22:0"},
	{"\"issued\": {\"date-parts\": [[2000]], \"season\": \"Winter\"}",
	 "var=issued:2000-24:0"},
	{"\"issued\": {\"date-parts\": [[2000]], \"season\": \"3\"}",
	 "var=issued:2000-23:0"},
	{"\"issued\": {\"date-parts\": [[2000, 13]]}", "var=issued:2000-21:0"},
	{"\"issued\": {\"date-parts\": [[2000, 22]]}", "var=issued:2000-22:0"},
	{"\"issued\": {\"date-parts\": [[1900]], \"circa\": true}",
	 "var=issued:1900~:0"},
	{"\"issued\": {\"date-parts\": [[1900]], \"circa\": 1}",
	 "var=issued:1900~:0"},
	{"\"issued\": {\"date-parts\": [[-44, 3, 15]]}", "var=issued:-0044-03-15:0"},
	{"\"issued\": {\"date-parts\": [[800]]}", "var=issued:0800:0"},
	{"\"issued\": {\"date-parts\": [[2000, 2, 30]]}", "venue.date=2000-02-30"},
	{"\"accessed\": {\"date-parts\": [[2024, 1, 2]]}",
	 "var=accessed:2024-01-02:0"},
	{"\"original-date\": {\"literal\": \"Han dynasty\"}",
	 "var=original-date:literal:Han dynasty:0"},
	{"\"event-date\": {\"raw\": \"May 2001\"}", "var=event-date:raw:May 2001:0"},
	{"\"submitted\": \"2001-05\"", "var=submitted:2001-05:0"},
	{"\"available-date\": \"05/2001\"", "var=available-date:raw:05/2001:0"},
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
	{"\"DOI\": \"10.1/x\"", "var=DOI:10.1/x:0"},
	{"\"volume\": 3", "var=volume:3:1"},
	{"\"volume\": \"3\"", "var=volume:3:0"},
	{"\"volume\": 2.5", "var=volume:2.5:1"},
	{"\"page\": \"1-2\"", "var=page:1-2:0"},
	{"\"language\": \"en\"", "var=language:en:0"},
	{"\"title-short\": \"T\"", "var=title-short:T:0"},
	{"\"collection-number\": 4", "var=collection-number:4:1"},
	{"\"archive_location\": \"Box 3\"", "var=archive_location:Box 3:0"},
	{"\"editor\": [{\"family\": \"Knuth\", \"given\": \"D.\"}]",
	 "editor=D.|Knuth|||"},
	{"\"container-author\": [{\"literal\": \"WHO\"}]",
	 "container-author=||||WHO"},
	{"\"translator\": [{\"family\": \"Schaar\", \"given\": \"M\", "
	 "\"non-dropping-particle\": \"van der\"}]",
	 "translator=M|van der Schaar|van der||"},
	{"\"recipient\": [{\"given\": \"A\", \"family\": \"B\", "
	 "\"dropping-particle\": \"de\", \"suffix\": \"Jr.\"}]",
	 "recipient=A|B||Jr.|"},
	{"\"recipient\": [{\"given\": \"A\", \"family\": \"B\", "
	 "\"dropping-particle\": \"de\", \"suffix\": \"Jr.\"}]",
	 "person-dropping=de"},
	{"\"journalAbbreviation\": \"J. X\"", "extra=journalAbbreviation:J. X"},
	{"\"author\": [{\"family\": \"Mao\", \"static-ordering\": true}, "
	 "{\"family\": \"Doe\"}]",
	 "extra=csl-name-members:author:[{\"static-ordering\":true},{}]"},
	{"\"editor\": [{\"family\": \"Doe\"}]", "editor=|Doe|||"},
	{"\"custom-number\": 7", "extra=custom-number:7"},
	{"\"categories\": [\"a\", \"b\"]", "extra=categories:[\"a\",\"b\"]"},
	{"\"custom\": {\"k\": 1}", "extra=custom:{\"k\":1}"},
	{"\"id\": \"abc\", \"citation-key\": \"def\"", "extra=id:abc"},
	{"\"id\": \"abc\"", "key=abc"},
	{"\"id\": \"abc\", \"citation-key\": \"def\"", "key=def"},
	{"\"id\": \"has space\"", "key=(null)"},
	{"\"id\": \"has space\"", "extra=id:has space"},
	/* note lines: one naming a variable the item has stays a line, a
	 * label with nothing after it is text, names may lack a side */
	{"\"publisher\": \"IEEE\", \"note\": \"Publisher: Springer\"",
	 "note=Publisher: Springer"},
	{"\"publisher\": \"IEEE\", \"note\": \"Publisher: Springer\"",
	 "venue.publisher=IEEE"},
	{"\"note\": \"DOI: 10.1/b\", \"DOI\": \"10.1/a\"",
	 "note=DOI: 10.1/b"},
	{"\"note\": \"DOI: 10.1/b\", \"DOI\": \"10.1/a\"",
	 "var=DOI:10.1/a:0"},
	{"\"note\": \"Publisher: \\nmore\"", "note=Publisher:\nmore"},
	{"\"note\": \"x\\nDOI: \"", "note=x\nDOI:"},
	{"\"note\": \"DOI:  \\nmore\"", "note=DOI:\nmore"},
	{"\"note\": \"translator: Doe ||\"", "translator=|Doe|||"},
	{"\"note\": \"translator: || Madonna\"", "translator=Madonna||||"},
	{"\"note\": \"translator: van der Schaar || Mihaela\"",
	 "translator=Mihaela|van der Schaar|van der||"},
	{"\"note\": \"translator: Plato\"", "translator=||||Plato"},
	{"\"note\": \"translator: ||\"", "note=translator: ||"},
	{"\"issued\": {\"date-parts\": [[12000, 3, 1]]}",
	 "var=issued:12000-03-01:0"},
	{"\"id\": 17", "key=17"},
	{"\"type\": \"paper-conference\"", "type=0"},
	{"\"type\": \"article-journal\"", "type=1"},
	{"\"type\": \"article-magazine\"", "type=8"},
	{"\"type\": \"article\"", "type=7"},
	{"\"type\": \"legal_case\"", "type=23"},
	{"\"type\": \"chapter\"", "type=3"},
	{"\"type\": \"webpage\"", "type=44"},
	{"\"type\": \"no-such-type\"", "type=6"},
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
	for (size_t i = 0; i < r->n_authors; i++)
		if (r->authors[i].dropping)
			pb_buf_printf(&dump, "dropping=%s\n", r->authors[i].dropping);
	for (size_t i = 0; i < r->n_people; i++)
		if (r->people[i].name.dropping)
			pb_buf_printf(&dump, "person-dropping=%s\n",
			              r->people[i].name.dropping);
	for (size_t i = 0; i < r->n_vars; i++)
		pb_buf_printf(&dump, "var=%s:%s:%u\n", r->vars[i].name,
		              r->vars[i].value, r->vars[i].flags);
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
	{"[{\"title\": \"a\"}\n {\"title\": \"b\"}]", 1, 0, 1,
	 "2:2: error: not valid JSON: ']' expected near '{'"},
	{"[{\"title\": \"a\"},\n  {\"title\": \"b\",]}", 1, 0, 1,
	 "2:17: error: not valid JSON: string or '}' expected near ']'"},
	{"[{\"title\": \"a\"},]", 1, 0, 1,
	 "1:17: error: not valid JSON: unexpected token near ']'"},
	{"[{\"title\": \"a\"}", 1, 0, 1,
	 "1:15: error: not valid JSON: ']' expected near end of file"},
	{"[{\"title\": \"a\"}] x", 1, 0, 1,
	 "1:18: error: not valid JSON: end of file expected near 'x'"},
	{"[{\"title\": \"a\"} \"x\"]", 1, 0, 1,
	 "1:19: error: not valid JSON: ']' expected near '\"x\"'"},
	{"[{\"title\": \"\u00e9\"},\n  tru]", 1, 0, 1,
	 "2:5: error: not valid JSON: invalid token near 'tru'"},
	{"[{\"title\": \"a\"}, {\"title\": \"b\\u00\"}]", 1, 0, 1,
	 "1:34: error: not valid JSON: invalid escape near '\"b\\u00\"'"},
	{"[{\"title\": \"a\"},\n[1, {\"x\": [2]}],\n{\"title\": \"b\"}]", 2, 0, 1,
	 "2:0: error: item 2 is not an object; skipped"},
	{"[{\"title\": \"no type\", \"type\": \"novel\"}]", 1, 1, 0,
	 "unknown type 'novel'; read as document"},
	{"[{\"title\": \"t\", \"issued\": {\"season\": 1}}]", 1, 1, 0,
	 "'issued' holds no date; skipped"},
	{"[{\"title\": \"t\", \"volume\": {\"a\": 1}}]", 1, 1, 0,
	 "'volume' is not a string or a number; skipped"},
	{"\"a string\"", 0, 0, 1, "1:10: error: not valid JSON"},
	{"[{\"author\": \"Smith\", \"title\": \"t\"}]", 1, 1, 0,
	 "'author' is not an array"},
	{"[{\"author\": [{\"x\": 1}], \"title\": \"t\"}]", 1, 1, 0,
	 "a name in 'author' has no family, given or literal name"},
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
