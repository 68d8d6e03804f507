/* The record model's setters: copies and moves. */
#include <check.h>
#include <stdlib.h>

#include "testutil.h"

/* take_author moves the parts (the same strings, no copies) and leaves
 * the name empty, so that clearing it afterwards frees nothing twice;
 * add_author copies. */
START_TEST(take_author_moves)
{
	pb_record r;
	pb_record_init(&r);
	for (int i = 0; i < 9; i++) { /* past the first growth of the array */
		pb_name n;
		ck_assert_int_eq(pb_name_parse(&n, "Mihaela van der Schaar"), PB_OK);
		const char *family = n.family, *particle = n.particle;
		ck_assert_int_eq(pb_record_take_author(&r, &n), PB_OK);
		ck_assert_ptr_eq(r.authors[i].family, family);
		ck_assert_ptr_eq(r.authors[i].particle, particle);
		ck_assert_ptr_null(n.given);
		ck_assert_ptr_null(n.family);
		ck_assert_ptr_null(n.particle);
		pb_name_clear(&n);
	}
	ck_assert_uint_eq(r.n_authors, 9);
	ck_assert_str_eq(r.authors[8].given, "Mihaela");
	ck_assert_str_eq(r.authors[8].family, "van der Schaar");

	pb_name c;
	ck_assert_int_eq(pb_name_parse(&c, "OpenAI"), PB_OK);
	ck_assert_int_eq(pb_record_add_author(&r, &c), PB_OK);
	ck_assert_ptr_ne(r.authors[9].literal, c.literal);
	ck_assert_str_eq(r.authors[9].literal, "OpenAI");
	pb_name_clear(&c);
	pb_record_clear(&r);
	ck_assert_uint_eq(r.n_authors, 0);
}
END_TEST

Suite *record_suite(void);
Suite *record_suite(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("authors");
	tcase_add_test(tc, take_author_moves);
	suite_add_tcase(s, tc);
	return s;
}
