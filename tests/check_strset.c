/* The hashed string set behind de-duplication and unique keys. */
#include <check.h>
#include <stdio.h>

#include "strset.h"
#include "testutil.h"

START_TEST(add_and_find)
{
	pb_strset set = PB_STRSET_INIT;
	ck_assert_int_eq(pb_strset_has(&set, "x"), 0);
	ck_assert_int_eq(pb_strset_add(&set, "kitaev2020reformer"), 1);
	ck_assert_int_eq(pb_strset_add(&set, "kitaev2020reformer"), 0);
	ck_assert_int_eq(pb_strset_add(&set, "kitaev2020reformera"), 1);
	ck_assert_int_eq(pb_strset_add(&set, ""), 1);
	ck_assert_int_eq(pb_strset_add(&set, ""), 0);
	ck_assert_int_eq(pb_strset_addn(&set, "kitaev2020reformerXYZ", 18), 0);
	ck_assert(pb_strset_has(&set, "kitaev2020reformera"));
	ck_assert(!pb_strset_has(&set, "kitaev2020reformerb"));
	ck_assert_uint_eq(set.n, 3);
	pb_strset_free(&set);
}
END_TEST

/* Growing through many rehashes keeps every member and nothing else. */
START_TEST(many)
{
	pb_strset set = PB_STRSET_INIT;
	char s[64];
	for (int i = 0; i < 200000; i++) {
		snprintf(s, sizeof s, "https://openreview.net/forum?id=%d", i);
		ck_assert_int_eq(pb_strset_add(&set, s), 1);
	}
	for (int i = 0; i < 200000; i += 7) {
		snprintf(s, sizeof s, "https://openreview.net/forum?id=%d", i);
		ck_assert_int_eq(pb_strset_add(&set, s), 0);
	}
	ck_assert_uint_eq(set.n, 200000);
	ck_assert_uint_le(set.n * 4, set.cap * 3);
	ck_assert(!pb_strset_has(&set, "https://openreview.net/forum?id=200000"));
	pb_strset_free(&set);
}
END_TEST

Suite *strset_suite(void);
Suite *strset_suite(void)
{
	Suite *s = suite_create("strset");
	TCase *t = tcase_create("strset");
	tcase_add_test(t, add_and_find);
	tcase_add_test(t, many);
	suite_add_tcase(s, t);
	return s;
}
