/* Growable buffers: the inline fast paths of pb_buf_append and
 * pb_buf_putc and their growing fallback, and pb_buf_printf formatting
 * into spare room or growing first. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "utf8.h"

Suite *buf_suite(void);

/* Appends n bytes one call at a time with every helper, across several
 * growths, and checks contents, length and terminator after each. */
START_TEST(test_append_across_growth)
{
	pb_buf b = PB_BUF_INIT;
	char want[1000];
	size_t len = 0;
	for (int i = 0; len + 3 < sizeof want; i++) {
		char c = (char)('a' + i % 26);
		switch (i % 3) {
		case 0:
			ck_assert_int_eq(pb_buf_putc(&b, c), PB_OK);
			want[len++] = c;
			break;
		case 1:
			ck_assert_int_eq(pb_buf_append(&b, "xyz", 3), PB_OK);
			memcpy(want + len, "xyz", 3);
			len += 3;
			break;
		default:
			ck_assert_int_eq(pb_buf_puts(&b, "Q"), PB_OK);
			want[len++] = 'Q';
			break;
		}
		ck_assert_uint_eq(b.len, len);
		ck_assert_uint_gt(b.cap, b.len);
		ck_assert_int_eq(b.data[b.len], '\0');
		ck_assert_int_eq(memcmp(b.data, want, len), 0);
	}
	pb_buf_free(&b);
}
END_TEST

/* The last free byte before the terminator: the fast path must take the
 * append that fits exactly and grow for the one after. */
START_TEST(test_append_exact_fit)
{
	pb_buf b = PB_BUF_INIT;
	ck_assert_int_eq(pb_buf_reserve(&b, 10), PB_OK);
	size_t cap = b.cap;
	char fill[256];
	memset(fill, 'f', sizeof fill);
	ck_assert_uint_lt(cap, sizeof fill);
	ck_assert_int_eq(pb_buf_append(&b, fill, cap - 1), PB_OK);
	ck_assert_uint_eq(b.cap, cap); /* no growth: it fitted */
	ck_assert_int_eq(b.data[cap - 1], '\0');
	ck_assert_int_eq(pb_buf_putc(&b, 'z'), PB_OK);
	ck_assert_uint_gt(b.cap, cap);
	ck_assert_uint_eq(b.len, cap);
	ck_assert_int_eq(b.data[cap - 1], 'z');
	ck_assert_int_eq(b.data[cap], '\0');
	/* empty appends keep a NULL buffer NULL and a string a string */
	pb_buf e = PB_BUF_INIT;
	ck_assert_int_eq(pb_buf_append(&e, "", 0), PB_OK);
	ck_assert_uint_eq(e.len, 0);
	ck_assert_str_eq(pb_buf_cstr(&e), "");
	ck_assert_int_eq(pb_buf_append(&e, NULL, 0), PB_OK);
	ck_assert_str_eq(pb_buf_cstr(&e), "");
	pb_buf_free(&e);
	pb_buf_free(&b);
}
END_TEST

/* pb_buf_printf into spare room, exactly filling it, and too long for
 * it (the second vsnprintf after growing). */
static const size_t printf_lengths[] = {0, 1, 5, 62, 63, 64, 100, 1000};

START_TEST(test_printf_room)
{
	size_t n = printf_lengths[_i];
	pb_buf b = PB_BUF_INIT;
	ck_assert_int_eq(pb_buf_puts(&b, "ab"), PB_OK); /* cap 64 */
	char *arg = malloc(n + 1);
	ck_assert_ptr_nonnull(arg);
	memset(arg, 'x', n);
	arg[n] = '\0';
	ck_assert_int_eq(pb_buf_printf(&b, "<%s>%d", arg, 7), PB_OK);
	ck_assert_uint_eq(b.len, 2 + n + 3);
	ck_assert_uint_gt(b.cap, b.len);
	ck_assert_int_eq(strncmp(b.data, "ab<", 3), 0);
	ck_assert_int_eq(memcmp(b.data + 3, arg, n), 0);
	ck_assert_str_eq(b.data + 3 + n, ">7");
	ck_assert_int_eq(pb_buf_printf(&b, "%s", ""), PB_OK);
	ck_assert_uint_eq(b.len, 2 + n + 3);
	free(arg);
	pb_buf_free(&b);
}
END_TEST

START_TEST(test_printf_empty_buffer)
{
	pb_buf b = PB_BUF_INIT;
	ck_assert_int_eq(pb_buf_printf(&b, "%lu-%s", 42ul, "x"), PB_OK);
	ck_assert_str_eq(b.data, "42-x");
	ck_assert_uint_eq(b.len, 4);
	pb_buf_reset(&b);
	ck_assert_int_eq(pb_buf_printf(&b, "%s", ""), PB_OK);
	ck_assert_str_eq(pb_buf_cstr(&b), "");
	pb_buf_free(&b);
}
END_TEST

/* The word tests flag exactly the bytes they name, in every lane, for
 * all 256 byte values (the rest of the word holds other values, so a
 * carry between lanes would show). */
START_TEST(test_word_tests_exact)
{
	for (unsigned v = 0; v < 256; v++) {
		for (int lane = 0; lane < 8; lane++) {
			unsigned char bytes[8];
			for (int k = 0; k < 8; k++)
				bytes[k] = (unsigned char)(k == lane ? v : 0x7Fu - (unsigned)k);
			uint64_t w = pb_word_load(bytes);
			uint64_t w7 = w & PB_WORD_LOW7;
			uint64_t bit = 0x80ull << (8 * lane);
			unsigned low = v & 0x7F;
			ck_assert_int_eq((pb_word_ne7(w7, '"') & bit) != 0, low != '"');
			ck_assert_int_eq((pb_word_ge7(w7, 0x20) & bit) != 0, low >= 0x20);
			ck_assert_int_eq((pb_word_ge7(w7, 0x80) & bit) != 0, low >= 0x80);
			ck_assert_int_eq((pb_word_ge7(w7, 0x01) & bit) != 0, low >= 1);
		}
	}
}
END_TEST

static uint64_t flag_hash(uint64_t w)
{
	uint64_t ok = pb_word_ne7(w & PB_WORD_LOW7, '#');
	return ~ok & PB_WORD_HIGH;
}

/* pb_scan finds the first flagged byte in the two-word rounds, the
 * one-word rounds and the padded tail, and n when there is none. */
START_TEST(test_scan_positions)
{
	char s[64];
	for (size_t n = 0; n < 48; n++) {
		memset(s, 'x', sizeof s);
		ck_assert_uint_eq(pb_scan(s, 0, n, flag_hash), n);
		for (size_t k = 0; k < n; k++) {
			memset(s, 'x', sizeof s);
			s[k] = '#';
			s[n] = '#'; /* just past the end: never found */
			ck_assert_uint_eq(pb_scan(s, 0, n, flag_hash), k);
			for (size_t from = 0; from <= n; from++)
				ck_assert_uint_eq(pb_scan(s, from, n, flag_hash),
				                  from <= k ? k : n);
		}
	}
}
END_TEST

/* pb_utf8_len (its inline two- and three-byte path and the fallback)
 * agrees with pb_utf8_decode on every sequence of up to three bytes
 * that starts with a byte >= 0x80, whole and cut short. */
START_TEST(test_utf8_len_matches_decode)
{
	static const unsigned char tails[] = {0x00, 0x41, 0x7F, 0x80, 0x8F,
	                                      0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
	for (unsigned c = 0x80; c < 0x100; c++)
		for (size_t i = 0; i < sizeof tails; i++)
			for (size_t j = 0; j < sizeof tails; j++)
				for (size_t n = 1; n <= 4; n++) {
					unsigned char b[4] = {(unsigned char)c, tails[i],
					                      tails[j], 0x80};
					uint32_t cp;
					ck_assert_uint_eq(pb_utf8_len(b, b + n),
					                  pb_utf8_decode(b, n, &cp));
				}
}
END_TEST

/* A memo hits only for the very strings of its key: NULL and "" differ,
 * and so do a prefix and a longer string. */
START_TEST(test_memo)
{
	pb_memo m = PB_MEMO_INIT;
	const char *a[] = {"Learning", NULL, "2020"};
	const char *b[] = {"Learning", "", "2020"};
	const char *c[] = {"Learnin", NULL, "2020"};
	const char *d[] = {"Learning", NULL, "20201"};
	ck_assert_int_eq(pb_memo_hit(&m, a, 3), 0);
	ck_assert_int_eq(pb_memo_set(&m, a, 3), PB_OK);
	ck_assert_int_eq(pb_buf_puts(&m.val, "value"), PB_OK);
	ck_assert_int_eq(pb_memo_hit(&m, a, 3), 1);
	ck_assert_int_eq(pb_memo_hit(&m, a, 2), 0);
	ck_assert_int_eq(pb_memo_hit(&m, b, 3), 0);
	ck_assert_int_eq(pb_memo_hit(&m, c, 3), 0);
	ck_assert_int_eq(pb_memo_hit(&m, d, 3), 0);
	ck_assert_str_eq(m.val.data, "value");
	ck_assert_int_eq(pb_memo_set(&m, b, 3), PB_OK);
	ck_assert_uint_eq(m.val.len, 0);
	ck_assert_int_eq(pb_memo_hit(&m, b, 3), 1);
	ck_assert_int_eq(pb_memo_hit(&m, a, 3), 0);
	pb_memo_invalidate(&m);
	ck_assert_int_eq(pb_memo_hit(&m, b, 3), 0);
	pb_memo_free(&m);
}
END_TEST

Suite *buf_suite(void)
{
	Suite *s = suite_create("buf");
	TCase *tc = tcase_create("buf");
	tcase_add_test(tc, test_append_across_growth);
	tcase_add_test(tc, test_append_exact_fit);
	tcase_add_test(tc, test_word_tests_exact);
	tcase_add_test(tc, test_scan_positions);
	tcase_add_test(tc, test_utf8_len_matches_decode);
	tcase_add_test(tc, test_memo);
	tcase_add_loop_test(tc, test_printf_room, 0,
	                    sizeof printf_lengths / sizeof printf_lengths[0]);
	tcase_add_test(tc, test_printf_empty_buffer);
	suite_add_tcase(s, tc);
	return s;
}
