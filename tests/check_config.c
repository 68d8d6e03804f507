/* Configuration: INI files, --set, validation and messages. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

static void collect(void *ctx, const pb_diag *d)
{
	pb_buf *b = ctx;
	pb_buf_printf(b, "%s:%lu: %s\n", d->file ? d->file : "-", d->line, d->message);
}

/* Writes text to a temporary INI file and loads it; the messages go to
 * msgs. Returns the status. */
static int load_text(pb_config *cfg, const char *text, pb_buf *msgs, char *path)
{
	strcpy(path, "/tmp/paperbib-test-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	pb_diag_sink sink = {collect, msgs};
	int rc = pb_config_load(cfg, path, &sink);
	return rc;
}

START_TEST(example_ini_loads)
{
	pb_config *cfg = pb_config_new();
	pb_buf msgs = PB_BUF_INIT;
	pb_diag_sink sink = {collect, &msgs};
	ck_assert_int_eq(pb_config_load(cfg, "../examples/iclr2020.ini", &sink), PB_OK);
	ck_assert_uint_eq(msgs.len, 0);
	ck_assert_str_eq(pb_config_get(cfg, "venue", "name"),
	                 "International Conference on Learning Representations");
	ck_assert_str_eq(pb_config_get(cfg, "venue", "short_name"), "ICLR");
	ck_assert_str_eq(pb_config_get(cfg, "venue", "year"), "2020");
	ck_assert_str_eq(pb_config_get(cfg, "VENUE", "Publisher"), "OpenReview.net");
	ck_assert(pb_config_is_set(cfg, "venue", "year"));
	ck_assert(!pb_config_is_set(cfg, "input", "mathjax"));
	/* defaults */
	ck_assert_str_eq(pb_config_get(cfg, "citekey", "pattern"), PB_CITEKEY_DEFAULT_PATTERN);
	ck_assert_int_eq(pb_config_get_bool(cfg, "input", "mathjax", 0), 1);
	pb_buf_free(&msgs);
	pb_config_free(cfg);
}
END_TEST

typedef struct bad_ini {
	const char *text;
	const char *message; /* expected, after "FILE:" */
} bad_ini;

static const bad_ini bad_inis[] = {
	{"[venue]\nyear = soon\n", ":2: [venue] year: 'soon' is not a year (four digits)"},
	{"[venue]\nname = X\n\n[nonsense]\nkey = 1\n", ":4: unknown section [nonsense] (known: venue, input, citekey"},
	{"[venue]\nnmae = X\n", ":2: unknown key 'nmae' in [venue] (known: name, short_name, year, date, publisher, location, track)"},
	{"[venue]\ndate = 2020-02-30\n", ":2: [venue] date: '2020-02-30' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"},
	{"[input]\nmathjax = perhaps\n", ":2: [input] mathjax: 'perhaps' is not yes or no"},
	{"[citekey]\npattern = [auth][yaer]\n", ":2: [citekey] pattern: '[auth][yaer]' has an unknown or unclosed field"},
	{"[venue]\nthis line is not ini\n", ":2: syntax error: 'this line is not ini'"},
	{"year = 2020\n[venue]\n", ":1: key 'year' is outside any section"},
};

START_TEST(bad_ini_is_named)
{
	const bad_ini *b = &bad_inis[_i];
	pb_config *cfg = pb_config_new();
	pb_buf msgs = PB_BUF_INIT;
	char path[64];
	ck_assert_int_eq(load_text(cfg, b->text, &msgs, path), PB_ECONFIG);
	pb_buf want = PB_BUF_INIT;
	pb_buf_printf(&want, "%s%s", path, b->message);
	ck_assert_msg(strstr(pb_buf_cstr(&msgs), want.data) != NULL,
	              "want '%s' in:\n%s", want.data, msgs.data);
	unlink(path);
	pb_buf_free(&want);
	pb_buf_free(&msgs);
	pb_config_free(cfg);
}
END_TEST

START_TEST(missing_file_is_io_error)
{
	pb_config *cfg = pb_config_new();
	ck_assert_int_eq(pb_config_load(cfg, "/nonexistent/paperbib.ini", NULL), PB_EIO);
	pb_config_free(cfg);
}
END_TEST

START_TEST(set_overrides_ini)
{
	pb_config *cfg = pb_config_new();
	pb_buf msgs = PB_BUF_INIT;
	char path[64];
	ck_assert_int_eq(load_text(cfg, "[venue]\nyear = 2019\nname = A ; comment\n", &msgs, path), PB_OK);
	unlink(path);
	ck_assert_str_eq(pb_config_get(cfg, "venue", "name"), "A");
	pb_diag_sink sink = {collect, &msgs};
	ck_assert_int_eq(pb_config_assign(cfg, "venue.year=2020", &sink), PB_OK);
	ck_assert_str_eq(pb_config_get(cfg, "venue", "year"), "2020");
	ck_assert_int_eq(pb_config_assign(cfg, "venue.location=Addis Ababa, Ethiopia", &sink), PB_OK);
	ck_assert_str_eq(pb_config_get(cfg, "venue", "location"), "Addis Ababa, Ethiopia");
	ck_assert_uint_eq(msgs.len, 0);
	pb_buf_free(&msgs);
	pb_config_free(cfg);
}
END_TEST

typedef struct bad_set {
	const char *arg;
	const char *message;
} bad_set;

static const bad_set bad_sets[] = {
	{"venue", "--set 'venue': expected SECTION.KEY=VALUE, e.g. venue.year=2020"},
	{"venue.year", "--set 'venue.year': expected SECTION.KEY=VALUE"},
	{"year=2020", "--set 'year=2020': expected SECTION.KEY=VALUE"},
	{"venue.year=soon", "--set venue.year: [venue] year: 'soon' is not a year (four digits)"},
	{"nope.key=1", "--set nope.key: unknown section [nope]"},
	{"venue.colour=red", "--set venue.colour: unknown key 'colour' in [venue]"},
};

START_TEST(bad_set_is_named)
{
	pb_config *cfg = pb_config_new();
	pb_buf msgs = PB_BUF_INIT;
	pb_diag_sink sink = {collect, &msgs};
	ck_assert_int_eq(pb_config_assign(cfg, bad_sets[_i].arg, &sink), PB_ECONFIG);
	ck_assert_msg(strstr(pb_buf_cstr(&msgs), bad_sets[_i].message) != NULL,
	              "want '%s' in:\n%s", bad_sets[_i].message, msgs.data);
	pb_buf_free(&msgs);
	pb_config_free(cfg);
}
END_TEST

START_TEST(lists_are_trimmed)
{
	const char *cursor = " Bayesian, Monte Carlo ,,Gaussian,  ";
	const char *want[] = {"Bayesian", "Monte Carlo", "Gaussian"};
	size_t len, n = 0;
	const char *item;
	while ((item = pb_list_next(&cursor, &len))) {
		ck_assert_uint_lt(n, 3);
		ck_assert_uint_eq(len, strlen(want[n]));
		ck_assert(strncmp(item, want[n], len) == 0);
		n++;
	}
	ck_assert_uint_eq(n, 3);
}
END_TEST

START_TEST(venue_config_wins_over_detection)
{
	pb_config *cfg = pb_config_new();
	pb_config_set(cfg, "venue", "short_name", "NeurIPS", NULL, NULL);
	pb_config_set(cfg, "venue", "date", "2019-12-08", NULL, NULL);
	pb_record r;
	pb_record_init(&r);
	pb_record_set(&r, PB_F_VENUE_SHORT, "ICLR");
	pb_record_set(&r, PB_F_VENUE_NAME, "International Conference on Learning Representations");
	ck_assert_int_eq(pb_record_apply_config(&r, cfg), PB_OK);
	ck_assert_str_eq(r.venue.short_name, "NeurIPS");
	ck_assert_str_eq(r.venue.year, "2019"); /* from the date */
	ck_assert_str_eq(r.venue.name, "International Conference on Learning Representations");
	pb_record_clear(&r);
	pb_config_free(cfg);
}
END_TEST

Suite *config_suite(void);
Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *t = tcase_create("config");
	tcase_add_test(t, example_ini_loads);
	tcase_add_loop_test(t, bad_ini_is_named, 0, (int)(sizeof bad_inis / sizeof bad_inis[0]));
	tcase_add_test(t, missing_file_is_io_error);
	tcase_add_test(t, set_overrides_ini);
	tcase_add_loop_test(t, bad_set_is_named, 0, (int)(sizeof bad_sets / sizeof bad_sets[0]));
	tcase_add_test(t, lists_are_trimmed);
	tcase_add_test(t, venue_config_wins_over_detection);
	suite_add_tcase(s, t);
	return s;
}
