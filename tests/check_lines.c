/* The line source: line ends, BOM, long lines, lines across buffer
 * refills, the last line without its newline, bad bytes. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* Reads text through pb_lines (peeking first when peek is set) and
 * returns the lines joined with '|'. */
static char *lines_of(const char *text, size_t len, int peek, unsigned long *bad)
{
	FILE *in = len ? fmemopen((void *)text, len, "rb") : fopen("/dev/null", "rb");
	ck_assert_ptr_nonnull(in);
	pb_lines *l = pb_lines_new(in, "t", NULL, 0);
	if (peek) {
		const char *h;
		size_t n;
		ck_assert_int_eq(pb_lines_peek(l, 4096, &h, &n), PB_OK);
	}
	pb_buf out = PB_BUF_INIT;
	const char *line;
	size_t n;
	int rc;
	unsigned long count = 0;
	while ((rc = pb_lines_next(l, &line, &n)) == PB_OK) {
		ck_assert_uint_eq(strlen(line), n);
		if (count++)
			pb_buf_putc(&out, '|');
		pb_buf_append(&out, line, n);
		ck_assert_uint_eq(pb_lines_lineno(l), count);
	}
	ck_assert_int_eq(rc, PB_EOF);
	if (bad)
		*bad = pb_lines_bad_bytes(l);
	pb_lines_free(l);
	fclose(in);
	pb_buf_cstr(&out);
	return out.data;
}

typedef struct line_case {
	const char *text;
	size_t len;
	const char *want;
} line_case;

#define T(s) s, sizeof s - 1
static const line_case cases[] = {
	{T("a\nb\n"), "a|b"},
	{T("a\nb"), "a|b"},
	{T("a\nbcdef"), "a|bcdef"},
	{T("title\nAuthor: A B\nlink: https://x.org/a.pdf"), "title|Author: A B|link: https://x.org/a.pdf"},
	{T("a\r\nb\r\n"), "a|b"},
	{T("a\rb\r"), "a|b"},
	{T("a\r\n\r\nb"), "a||b"},
	{T("a\r\r\nb"), "a||b"},
	{T("\xEF\xBB\xBFtitle\nx"), "title|x"},
	{T("\n\n"), "|"},
	{T("x"), "x"},
	{T(""), ""},
	{T("caf\xC3\xA9\n"), "caf\xC3\xA9"},
	{T("a\xFF" "b\n"), "a\xEF\xBF\xBD" "b"},
	{T("a\0b\n"), "a\xEF\xBF\xBD" "b"},
	{T("\xE2\x82\n"), "\xEF\xBF\xBD\xEF\xBF\xBD"},
};

START_TEST(line_ends_and_bytes)
{
	for (int peek = 0; peek < 2; peek++) {
		char *got = lines_of(cases[_i].text, cases[_i].len, peek, NULL);
		ck_assert_msg(strcmp(got ? got : "", cases[_i].want) == 0,
		              "case %d peek %d: got '%s'", _i, peek, got ? got : "");
		free(got);
	}
}
END_TEST

/* Lines that cross the 64 KB buffer, a CRLF split between two reads, a
 * line longer than the buffer, and a short last line without newline. */
START_TEST(refills)
{
	size_t sizes[] = {65535, 65534, 65536, 65537, 200000};
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		for (int peek = 0; peek < 2; peek++) {
			pb_buf text = PB_BUF_INIT, want = PB_BUF_INIT;
			pb_buf_puts(&text, "first\r\n");
			for (size_t i = 0; i < sizes[s]; i++)
				pb_buf_putc(&text, (char)('a' + i % 26));
			pb_buf_puts(&text, "\r\nsecond\r\nlast");
			pb_buf_puts(&want, "first|");
			pb_buf_append(&want, text.data + 7, sizes[s]);
			pb_buf_puts(&want, "|second|last");
			char *got = lines_of(text.data, text.len, peek, NULL);
			ck_assert_msg(strcmp(got, want.data) == 0, "size %zu peek %d",
			              sizes[s], peek);
			free(got);
			pb_buf_free(&text);
			pb_buf_free(&want);
		}
	}
	/* a CRLF on every possible split around the first refill */
	for (size_t at = 65530; at < 65540; at++) {
		pb_buf text = PB_BUF_INIT;
		for (size_t i = 0; i < at; i++)
			pb_buf_putc(&text, 'x');
		pb_buf_puts(&text, "\r\ny\r\nz");
		char *got = lines_of(text.data, text.len, 0, NULL);
		ck_assert_uint_eq(strlen(got), at + 4);
		ck_assert_str_eq(got + at, "|y|z");
		free(got);
		pb_buf_free(&text);
	}
}
END_TEST

START_TEST(bad_bytes_are_counted)
{
	unsigned long bad;
	char *got = lines_of("\xFF\xFE\n\0\n", 5, 0, &bad);
	ck_assert_uint_eq(bad, 3);
	free(got);
}
END_TEST

Suite *lines_suite(void);
Suite *lines_suite(void)
{
	Suite *s = suite_create("lines");
	TCase *t = tcase_create("lines");
	tcase_add_loop_test(t, line_ends_and_bytes, 0, (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(t, refills);
	tcase_add_test(t, bad_bytes_are_counted);
	suite_add_tcase(s, t);
	return s;
}
