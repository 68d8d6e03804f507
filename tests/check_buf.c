/* Growable buffers: the inline fast paths of pb_buf_append and
 * pb_buf_putc and their growing fallback, and pb_buf_printf formatting
 * into spare room or growing first. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

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

Suite *buf_suite(void)
{
	Suite *s = suite_create("buf");
	TCase *tc = tcase_create("buf");
	tcase_add_test(tc, test_append_across_growth);
	tcase_add_test(tc, test_append_exact_fit);
	tcase_add_loop_test(tc, test_printf_room, 0,
	                    sizeof printf_lengths / sizeof printf_lengths[0]);
	tcase_add_test(tc, test_printf_empty_buffer);
	suite_add_tcase(s, tc);
	return s;
}
