/* The CSL data model: variables, roles, dates in text form, and the
 * record's vars and people. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "paperbib/paperbib.h"
#include "readutil.h"

/* Every type has its CSL name and is found by it. */
START_TEST(every_type_named)
{
	pb_type t = (pb_type)_i;
	const char *name = pb_type_name(t);
	pb_type back;
	ck_assert_ptr_nonnull(name);
	ck_assert_int_eq(pb_type_from_name(name, &back), PB_OK);
	ck_assert_int_eq(back, t);
}
END_TEST

/* Every variable of the schema is in the table, once. */
START_TEST(variables_once)
{
	static const char *const some[] = {
	    "DOI", "page", "volume", "issue", "ISBN", "ISSN", "event-title",
	    "original-date", "container-author", "collection-editor", "editor",
	    "translator", "reviewed-author", "issued", "accessed", "title-short"};
	for (size_t i = 0; i < sizeof some / sizeof some[0]; i++)
		ck_assert_msg(pb_csl_var_find(some[i]), "%s missing", some[i]);
	for (size_t i = 0; i < pb_csl_n_vars; i++)
		for (size_t j = i + 1; j < pb_csl_n_vars; j++)
			ck_assert_str_ne(pb_csl_vars[i].name, pb_csl_vars[j].name);
	ck_assert_ptr_null(pb_csl_var_find("Doi"));
	ck_assert_ptr_eq(pb_csl_var_findn("pagexx", 4), pb_csl_var_find("page"));
}
END_TEST

/* Text forms of dates: parsed and written back unchanged. */
static const struct date_case {
	const char *text;
	int year0, month0, day0, has_end, year1, season, circa, literal;
} date_cases[] = {
    {"2020-04-26", 2020, 4, 26, 0, 0, 0, 0, 0},
    {"2020-04", 2020, 4, 0, 0, 0, 0, 0, 0},
    {"1984/1986", 1984, 0, 0, 1, 1986, 0, 0, 0},
    {"1984-05-02/1986-07", 1984, 5, 2, 1, 1986, 0, 0, 0},
    {"2000-21", 2000, 0, 0, 0, 0, 1, 0, 0},
    {"2000-24~", 2000, 0, 0, 0, 0, 4, 1, 0},
    {"1990~", 1990, 0, 0, 0, 0, 0, 1, 0},
    {"-0044", -44, 0, 0, 0, 0, 0, 0, 0},
    {"-0100/-0044", -100, 0, 0, 1, -44, 0, 0, 0},
    {"literal:Han dynasty", 0, 0, 0, 0, 0, 0, 0, 1},
    {"raw:May 5, 2001", 0, 0, 0, 0, 0, 0, 0, 1},
};

START_TEST(date_round_trip)
{
	const struct date_case *c = &date_cases[_i];
	pb_date d;
	char buf[64];
	ck_assert_int_eq(pb_date_parse(c->text, &d), PB_OK);
	ck_assert_int_eq(d.year[0], c->year0);
	ck_assert_int_eq(d.month[0], c->month0);
	ck_assert_int_eq(d.day[0], c->day0);
	ck_assert_int_eq(d.has_end, c->has_end);
	ck_assert_int_eq(d.year[1], c->year1);
	ck_assert_int_eq(d.season, c->season);
	ck_assert_int_eq(d.circa, c->circa);
	ck_assert_int_eq(d.text != NULL, c->literal);
	ck_assert_uint_gt(pb_date_format(&d, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, c->text);
}
END_TEST

/* What is not a date in the text form is a literal. */
START_TEST(date_not_edtf_is_literal)
{
	static const char *const texts[] = {"MAY", "2020-13", "2020-04-32",
	                                    "0000", "2020/", "20x0", ""};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		pb_date d;
		pb_date_parse(texts[i], &d);
		ck_assert_msg(d.text == texts[i], "%s parsed", texts[i]);
	}
	char buf[64];
	ck_assert_str_eq(pb_date_display("raw:May 2001", buf, sizeof buf),
	                 "May 2001");
	ck_assert_str_eq(pb_date_display("1984/1986~", buf, sizeof buf),
	                 "1984/1986~");
	ck_assert_int_eq(pb_season_from_name("fall"), 3);
	ck_assert_str_eq(pb_season_name(1), "Spring");
	ck_assert_ptr_null(pb_season_name(5));
}
END_TEST

START_TEST(vars_set_replace_remove)
{
	pb_record r;
	pb_record_init(&r);
	ck_assert_int_eq(pb_record_set_var(&r, "volume", "12"), PB_OK);
	ck_assert_int_eq(pb_record_set_varn(&r, "page", "45-67xx", 5,
	                                    PB_VAR_NUMBER),
	                 PB_OK);
	ck_assert_int_eq(pb_record_set_var(&r, "volume", "13"), PB_OK);
	ck_assert_uint_eq(r.n_vars, 2);
	ck_assert_str_eq(pb_record_var(&r, "volume"), "13");
	ck_assert_str_eq(pb_record_var(&r, "page"), "45-67");
	ck_assert_uint_eq(r.vars[1].flags, PB_VAR_NUMBER);
	/* members and unknown names are not vars */
	ck_assert_int_eq(pb_record_set_var(&r, "title", "x"), PB_EUSAGE);
	ck_assert_int_eq(pb_record_set_var(&r, "pages", "x"), PB_EUSAGE);
	ck_assert_int_eq(pb_record_set_var(&r, "volume", NULL), PB_OK);
	ck_assert_uint_eq(r.n_vars, 1);
	ck_assert_ptr_null(pb_record_var(&r, "volume"));

	pb_name n = {.given = "Ludwig", .family = "Beethoven", .dropping = "van"};
	ck_assert_int_eq(pb_record_add_person(&r, "editor", &n), PB_OK);
	ck_assert_int_eq(pb_record_add_person(&r, "author", &n), PB_EUSAGE);
	ck_assert_int_eq(pb_record_add_person(&r, "boss", &n), PB_EUSAGE);
	ck_assert_uint_eq(pb_record_count_people(&r, "editor"), 1);

	pb_record c;
	ck_assert_int_eq(pb_record_copy(&c, &r), PB_OK);
	ck_assert_str_eq(pb_record_var(&c, "page"), "45-67");
	ck_assert_str_eq(c.people[0].name.dropping, "van");
	ck_assert_str_eq(c.people[0].role, "editor");
	pb_record_reset(&r);
	ck_assert_uint_eq(r.n_vars + r.n_people, 0);
	pb_record_clear(&r);
	pb_record_clear(&c);
}
END_TEST

/* issued: a plain date in the venue, more than that in vars too. */
static const struct issued_case {
	const char *date, *year, *vdate, *var;
} issued_cases[] = {
    {"2020", "2020", NULL, NULL},
    {"2020-04-26", "2020", "2020-04-26", NULL},
    {"1984/1986", "1984", NULL, "1984/1986"},
    {"2000-22", "2000", NULL, "2000-22"},
    {"1990~", "1990", NULL, "1990~"},
    {"-0044", "-44", NULL, "-0044"},
    {"literal:1999 or so", "1999", NULL, "literal:1999 or so"},
    {"literal:Han dynasty", NULL, NULL, "literal:Han dynasty"},
};

START_TEST(issued_forms)
{
	const struct issued_case *c = &issued_cases[_i];
	pb_record r;
	pb_record_init(&r);
	ck_assert_int_eq(pb_record_set_issued(&r, c->date), PB_OK);
	ck_assert_pstr_eq(r.venue.year, c->year);
	ck_assert_pstr_eq(r.venue.date, c->vdate);
	ck_assert_pstr_eq(pb_record_var(&r, "issued"), c->var);
	pb_record_clear(&r);
}
END_TEST

/* Note lines in Zotero's Extra style set variables and names. */
START_TEST(note_lines_set_variables)
{
	pb_record r;
	pb_record_init(&r);
	ck_assert_int_eq(pb_read_note(&r, "original-date: 1905\n"
	                                  "Event Place: Paris\n"
	                                  "translator: Smith || Anna\n"
	                                  "editor: OpenAI\n"
	                                  "accessed: last week\n"
	                                  "container-title-short: ICLR\n"
	                                  "Remember: this\n"
	                                  "title: not a var line"),
	                 PB_OK);
	ck_assert_str_eq(pb_record_var(&r, "original-date"), "1905");
	ck_assert_str_eq(pb_record_var(&r, "event-place"), "Paris");
	ck_assert_str_eq(r.venue.short_name, "ICLR"); /* a venue member */
	ck_assert_str_eq(pb_record_var(&r, "accessed"), "literal:last week");
	ck_assert_uint_eq(r.n_people, 2);
	ck_assert_str_eq(r.people[0].name.family, "Smith");
	ck_assert_str_eq(r.people[0].name.given, "Anna");
	ck_assert_str_eq(r.people[1].name.literal, "OpenAI");
	ck_assert_str_eq(r.note, "Remember: this\ntitle: not a var line");
	pb_record_clear(&r);
}
END_TEST

/* A paper list's extra fields that name variables become variables. */
START_TEST(list_extras_become_vars)
{
	pb_record r;
	pb_record_init(&r);
	pb_record_add_extra(&r, "Venue", "ICML");
	pb_record_add_extra(&r, "doi", "10.1/x");
	pb_record_add_extra(&r, "Pages", "1-10");
	pb_record_add_extra(&r, "pages", "11-20");
	pb_record_add_extra(&r, "ISBN", "978-3-16-148410-0");
	pb_record_add_extra(&r, "issued", "2020");
	ck_assert_int_eq(pb_read_list_vars(&r), PB_OK);
	ck_assert_str_eq(pb_record_var(&r, "DOI"), "10.1/x");
	ck_assert_str_eq(pb_record_var(&r, "page"), "1-10");
	ck_assert_str_eq(pb_record_var(&r, "ISBN"), "978-3-16-148410-0");
	ck_assert_uint_eq(r.n_extra, 3); /* Venue, the second pages, issued */
	ck_assert_str_eq(r.extra[0].key, "Venue");
	ck_assert_str_eq(r.extra[1].value, "11-20");
	ck_assert_str_eq(r.extra[2].key, "issued");
	pb_record_clear(&r);
}
END_TEST

Suite *csl_suite(void);
Suite *csl_suite(void)
{
	Suite *s = suite_create("csl");
	TCase *tc = tcase_create("model");
	tcase_add_loop_test(tc, every_type_named, 0, PB_TYPE_COUNT);
	tcase_add_test(tc, variables_once);
	tcase_add_loop_test(tc, date_round_trip, 0,
	                    sizeof date_cases / sizeof date_cases[0]);
	tcase_add_test(tc, date_not_edtf_is_literal);
	tcase_add_test(tc, vars_set_replace_remove);
	tcase_add_loop_test(tc, issued_forms, 0,
	                    sizeof issued_cases / sizeof issued_cases[0]);
	tcase_add_test(tc, note_lines_set_variables);
	tcase_add_test(tc, list_extras_become_vars);
	suite_add_tcase(s, tc);
	return s;
}
