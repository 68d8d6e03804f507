/* The record model's setters and its storage: copies, moves, reuse. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* take_author empties the name, so that clearing it afterwards frees
 * nothing twice, and the record keeps copies of its parts; add_author
 * copies and leaves the name alone. */
START_TEST(take_author_empties_name)
{
	pb_record r;
	pb_record_init(&r);
	for (int i = 0; i < 9; i++) { /* past the first growth of the array */
		pb_name n;
		ck_assert_int_eq(pb_name_parse(&n, "Mihaela van der Schaar"), PB_OK);
		ck_assert_int_eq(pb_record_take_author(&r, &n), PB_OK);
		ck_assert_ptr_null(n.given);
		ck_assert_ptr_null(n.family);
		ck_assert_ptr_null(n.particle);
		pb_name_clear(&n);
	}
	ck_assert_uint_eq(r.n_authors, 9);
	ck_assert_str_eq(r.authors[8].given, "Mihaela");
	ck_assert_str_eq(r.authors[8].family, "van der Schaar");
	ck_assert_str_eq(r.authors[8].particle, "van der");

	pb_name c;
	ck_assert_int_eq(pb_name_parse(&c, "OpenAI"), PB_OK);
	ck_assert_int_eq(pb_record_add_author(&r, &c), PB_OK);
	ck_assert_ptr_ne(r.authors[9].literal, c.literal);
	ck_assert_str_eq(r.authors[9].literal, "OpenAI");
	ck_assert_str_eq(c.literal, "OpenAI");
	pb_name_clear(&c);

	pb_record_pop_author(&r);
	ck_assert_uint_eq(r.n_authors, 9);
	pb_record_clear(&r);
	ck_assert_uint_eq(r.n_authors, 0);
	pb_record_pop_author(&r); /* nothing to remove */
	ck_assert_uint_eq(r.n_authors, 0);
}
END_TEST

/* Strings keep their place while the storage grows past many blocks. */
START_TEST(strings_stay_put)
{
	pb_record r;
	pb_record_init(&r);
	char word[32];
	const char *first[2000];
	for (int i = 0; i < 2000; i++) {
		snprintf(word, sizeof word, "keyword %d", i);
		ck_assert_int_eq(pb_record_add_keyword(&r, word), PB_OK);
		first[i] = r.keywords[i];
	}
	char big[20000];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	ck_assert_int_eq(pb_record_set(&r, PB_F_ABSTRACT, big), PB_OK);
	for (int i = 0; i < 2000; i++) {
		snprintf(word, sizeof word, "keyword %d", i);
		ck_assert_ptr_eq(r.keywords[i], first[i]);
		ck_assert_str_eq(r.keywords[i], word);
	}
	ck_assert_str_eq(r.abstract, big);
	ck_assert_ptr_ne(r.abstract, big);
	pb_record_clear(&r);
	ck_assert_ptr_null(r.blocks);
	ck_assert_ptr_null(r.keywords);
}
END_TEST

#define URL "https://openreview.net/forum?id=x"

static void fill(pb_record *r, const char *title)
{
	pb_name n;
	ck_assert_int_eq(pb_record_set(r, PB_F_TITLE, title), PB_OK);
	ck_assert_int_eq(pb_record_set(r, PB_F_URL, URL), PB_OK);
	ck_assert_int_eq(pb_name_parse(&n, "Kristina Toutanova"), PB_OK);
	ck_assert_int_eq(pb_record_take_author(r, &n), PB_OK);
	ck_assert_int_eq(pb_record_add_keyword(r, "transformers"), PB_OK);
	ck_assert_int_eq(pb_record_add_extra(r, "Venue", "ICML"), PB_OK);
}

/* A reset record keeps its block and short arrays and fills them again
 * without allocating; a long record's memory is not kept. */
START_TEST(reset_reuses_storage)
{
	pb_record r;
	pb_record_init(&r);
	fill(&r, "Reformer");
	r.line = 12;
	r.type = PB_TYPE_BOOK;
	struct pb_block *block = r.blocks;
	pb_name *authors = r.authors;
	ck_assert_ptr_nonnull(block);
	pb_record_reset(&r);
	ck_assert_ptr_null(r.title);
	ck_assert_ptr_null(r.url);
	ck_assert_uint_eq(r.n_authors, 0);
	ck_assert_uint_eq(r.n_keywords, 0);
	ck_assert_uint_eq(r.n_extra, 0);
	ck_assert_uint_eq(r.line, 0);
	ck_assert_int_eq(r.type, PB_TYPE_PAPER_CONFERENCE);
	ck_assert_ptr_eq(r.blocks, block);
	ck_assert_ptr_eq(r.authors, authors);
	fill(&r, "ALBERT");
	ck_assert_ptr_eq(r.blocks, block);
	ck_assert_ptr_eq(r.authors, authors);
	ck_assert_str_eq(r.title, "ALBERT");
	ck_assert_str_eq(r.authors[0].family, "Toutanova");
	ck_assert_str_eq(pb_record_get_extra(&r, "venue"), "ICML");

	/* 1,000 keywords, then a 1 MB abstract in a block of its own, the
	 * newest: the reset frees both the long array and the big block */
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(pb_record_add_keyword(&r, "many"), PB_OK);
	size_t n = 1 << 20;
	char *huge = malloc(n + 1);
	ck_assert_ptr_nonnull(huge);
	memset(huge, 'x', n);
	huge[n] = '\0';
	ck_assert_int_eq(pb_record_set(&r, PB_F_ABSTRACT, huge), PB_OK);
	free(huge);
	ck_assert_uint_eq(r.block_used, n + 1);
	pb_record_reset(&r);
	ck_assert_ptr_null(r.blocks);
	ck_assert_ptr_null(r.keywords);
	ck_assert_ptr_eq(r.authors, authors);
	fill(&r, "ELECTRA");
	ck_assert_str_eq(r.title, "ELECTRA");

	/* a string after a big block goes to a small block again (not twice
	 * the big one), which the reset keeps */
	huge = malloc(n + 1);
	ck_assert_ptr_nonnull(huge);
	memset(huge, 'y', n);
	huge[n] = '\0';
	ck_assert_int_eq(pb_record_set(&r, PB_F_ABSTRACT, huge), PB_OK);
	free(huge);
	ck_assert_int_eq(pb_record_set(&r, PB_F_NOTE, "after"), PB_OK);
	ck_assert_uint_eq(r.block_used, strlen("after") + 1);
	block = r.blocks;
	pb_record_reset(&r);
	ck_assert_ptr_eq(r.blocks, block);
	pb_record_clear(&r);
}
END_TEST

/* Setting a field again replaces it; NULL and "" leave it absent. */
START_TEST(set_replaces)
{
	pb_record r;
	pb_record_init(&r);
	fill(&r, "Reformer");
	ck_assert_int_eq(pb_record_set(&r, PB_F_NOTE, "first"), PB_OK);
	ck_assert_int_eq(pb_record_setn(&r, PB_F_NOTE, "second note", 6), PB_OK);
	ck_assert_str_eq(r.note, "second");
	ck_assert_int_eq(pb_record_set(&r, PB_F_NOTE, ""), PB_OK);
	ck_assert_ptr_null(r.note);
	ck_assert_int_eq(pb_record_set(&r, PB_F_TITLE, NULL), PB_OK);
	ck_assert_ptr_null(pb_record_get(&r, PB_F_TITLE));
	ck_assert_int_eq(pb_record_set(&r, PB_F_VENUE_DATE, "2020-04-26"), PB_OK);
	ck_assert_str_eq(pb_record_get(&r, PB_F_VENUE_DATE), "2020-04-26");
	ck_assert_ptr_eq(pb_record_slot(&r, PB_F_VENUE_DATE), &r.venue.date);
	ck_assert_str_eq(r.url, URL);
	pb_record_clear(&r);
}
END_TEST

/* move hands the record over and gives the source the destination's
 * emptied storage. */
START_TEST(move_swaps_storage)
{
	pb_record a, b;
	pb_record_init(&a);
	pb_record_init(&b);
	fill(&a, "Reformer");
	fill(&b, "ALBERT");
	struct pb_block *ablock = a.blocks, *bblock = b.blocks;
	pb_record_move(&a, &b);
	ck_assert_str_eq(a.title, "ALBERT");
	ck_assert_ptr_eq(a.blocks, bblock);
	ck_assert_ptr_null(b.title);
	ck_assert_uint_eq(b.n_authors, 0);
	ck_assert_ptr_eq(b.blocks, ablock);
	fill(&b, "ELECTRA");
	ck_assert_ptr_eq(b.blocks, ablock);
	ck_assert_str_eq(a.title, "ALBERT");
	ck_assert_str_eq(b.title, "ELECTRA");
	pb_record_clear(&a);
	pb_record_clear(&b);
}
END_TEST

/* A copy takes one block the size of its strings, and shares nothing. */
START_TEST(copy_is_one_block)
{
	pb_record a, b;
	pb_record_init(&a);
	fill(&a, "Reformer");
	a.line = 7;
	ck_assert_int_eq(pb_record_set(&a, PB_F_NOTE, "a note"), PB_OK);
	ck_assert_int_eq(pb_record_copy(&b, &a), PB_OK);
	ck_assert_uint_eq(b.line, 7);
	ck_assert_str_eq(b.title, "Reformer");
	ck_assert_ptr_ne(b.title, a.title);
	ck_assert_str_eq(b.note, "a note");
	ck_assert_str_eq(b.authors[0].given, "Kristina");
	ck_assert_str_eq(b.keywords[0], "transformers");
	ck_assert_str_eq(b.extra[0].value, "ICML");
	size_t size = strlen("Reformer") + strlen(URL) +
	              strlen("a note") + strlen("Kristina") + strlen("Toutanova") +
	              strlen("transformers") + strlen("Venue") + strlen("ICML") + 8;
	ck_assert_uint_eq(b.block_used, size);
	struct pb_block *block = b.blocks;
	ck_assert_int_eq(pb_record_set(&b, PB_F_ID, "x"), PB_OK);
	ck_assert_ptr_ne(b.blocks, block); /* the first block was full */
	pb_record_clear(&a);
	ck_assert_str_eq(b.title, "Reformer");
	pb_record_clear(&b);
}
END_TEST

Suite *record_suite(void);
Suite *record_suite(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("authors");
	tcase_add_test(tc, take_author_empties_name);
	suite_add_tcase(s, tc);
	tc = tcase_create("storage");
	tcase_add_test(tc, strings_stay_put);
	tcase_add_test(tc, reset_reuses_storage);
	tcase_add_test(tc, set_replaces);
	tcase_add_test(tc, move_swaps_storage);
	tcase_add_test(tc, copy_is_one_block);
	suite_add_tcase(s, tc);
	return s;
}
