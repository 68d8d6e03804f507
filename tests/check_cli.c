/* The command line's options, run as a user runs them: the binary named by
 * $PAPERBIB, its exit status, standard output and standard error. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

typedef struct cli_case {
	const char *args;   /* shell words after the binary; cwd is tests/ */
	int status;
	const char *out;    /* expected in stdout, or NULL */
	const char *err;    /* expected in stderr, or NULL */
	const char *no_err; /* must not be in stderr, or NULL */
} cli_case;

#define EX "../examples/iclr2020-talks.txt"
#define INI "../examples/iclr2020.ini"

static const cli_case cases[] = {
	{"--version", 0, "paperbib " PB_VERSION "\n", NULL, NULL},
	{"--help", 0, "Usage: paperbib [OPTION]... [FILE|-]...", NULL, NULL},
	{"--list-formats", 0, "  csl-json   .json  ", NULL, NULL},
	{"--list-formats", 0, "  paperlist ", NULL, NULL},
	{"-t csl-json " EX, 0, "\"id\": \"kitaev2020reformer\"", "paperbib: 48 records, 0 warnings\n", NULL},
	{"-q -t csl-json " EX, 0, "\"citation-key\": \"binkowski2020high\"", NULL, "records"},
	{"-v -t csl-json " EX, 0, NULL, EX ":1: note: venue detected: ICLR 2020", NULL},
	{"-t csl-json - < " EX, 0, "\"URL\": \"https://openreview.net/forum?id=rkgNKkHtvB\"", NULL, NULL},
	{"-t csl-json < " EX, 0, "\"title\": \"Mogrifier LSTM\"", "48 records", NULL},
	{"-t csl-json " EX " " EX, 0, NULL, "48 records, 48 warnings, 48 duplicates dropped", NULL},
	{"-t csl-json " EX " " EX, 0, NULL, "duplicate of an earlier record (same URL): 'CATER:", NULL},
	{"-t csl-json -c " INI " --set venue.year=2021 " EX, 0, "\"id\": \"kitaev2021reformer\"", NULL, NULL},
	{"-t csl-json --set citekey.pattern=[auth]-[title] " EX, 0, "\"id\": \"kitaev-reformer\"", NULL, NULL},
	{"-t nonsense " EX, 2, NULL, "paperbib: unknown output format 'nonsense' (see --list-formats)", NULL},
	{"-f nonsense " EX, 2, NULL, "paperbib: unknown input format 'nonsense'", NULL},
	{"-t csl-json,ris " EX, 2, NULL, "several formats need -O DIR", NULL},
	{"-o a.json -O dir " EX, 2, NULL, "-o and -O cannot be used together", NULL},
	{"--check -o a.json " EX, 2, NULL, "--check writes nothing", NULL},
	{"--bogus", 2, NULL, "Try 'paperbib --help'", NULL},
	{"--set venue.year=soon " EX, 2, NULL, "--set venue.year: [venue] year: 'soon' is not a year", "records"},
	{"-c /nonexistent.ini " EX, 3, NULL, "paperbib: /nonexistent.ini: error: cannot read configuration: No such file or directory", NULL},
	{"--check " EX, 0, "", "paperbib: 48 records, 0 warnings", NULL},
	{"--check /nonexistent.txt", 3, NULL, "paperbib: /nonexistent.txt: error: cannot read: No such file or directory", NULL},
	{"--check /dev/null", 1, NULL, "paperbib: /dev/null: error: no records found", NULL},
	{"-t csl-json /dev/null", 1, NULL, "no records found", NULL},
	{"-t csl-json " EX " > /dev/full", 3, NULL, "paperbib: error writing standard output: No space left on device", NULL},
	{"--strict --check data/bad-utf8.txt", 1, NULL, "data/bad-utf8.txt:1:4: error: invalid UTF-8 byte 0xFF replaced by U+FFFD", NULL},
	{"--check data/bad-utf8.txt", 0, NULL, "data/bad-utf8.txt:1:4: warning: invalid UTF-8 byte 0xFF", NULL},
};

/* Runs one case through sh; fills out and err. Returns the exit status. */
static int run(const char *args, pb_buf *out, pb_buf *err)
{
	const char *bin = getenv("PAPERBIB");
	ck_assert_msg(bin != NULL, "PAPERBIB is not set (run through make check)");
	char outp[] = "/tmp/pbcli-out-XXXXXX", errp[] = "/tmp/pbcli-err-XXXXXX";
	close(mkstemp(outp));
	close(mkstemp(errp));
	pb_buf cmd = PB_BUF_INIT;
	pb_buf_printf(&cmd, "'%s' %s > %s 2> %s", bin, args, outp, errp);
	/* a case may redirect stdout itself: the last redirection wins */
	if (strstr(args, "> /dev/full")) {
		pb_buf_reset(&cmd);
		pb_buf_printf(&cmd, "'%s' %s 2> %s", bin, args, errp);
	}
	int st = system(cmd.data);
	char *o = test_slurp(outp, NULL), *e = test_slurp(errp, NULL);
	pb_buf_puts(out, o ? o : "");
	pb_buf_puts(err, e ? e : "");
	free(o);
	free(e);
	unlink(outp);
	unlink(errp);
	pb_buf_free(&cmd);
	ck_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

START_TEST(cli_case_behaves)
{
	const cli_case *c = &cases[_i];
	pb_buf out = PB_BUF_INIT, err = PB_BUF_INIT;
	int st = run(c->args, &out, &err);
	const char *o = pb_buf_cstr(&out), *e = pb_buf_cstr(&err);
	ck_assert_msg(st == c->status, "%s: exit %d, want %d; stderr:\n%s", c->args, st,
	              c->status, e);
	if (c->out && !*c->out)
		ck_assert_msg(!*o, "%s: stdout should be empty:\n%.200s", c->args, o);
	else if (c->out)
		ck_assert_msg(strstr(o, c->out), "%s: stdout lacks '%s'", c->args, c->out);
	if (c->err)
		ck_assert_msg(strstr(e, c->err), "%s: stderr lacks '%s':\n%s", c->args, c->err, e);
	if (c->no_err)
		ck_assert_msg(!strstr(e, c->no_err), "%s: stderr has '%s':\n%s", c->args,
		              c->no_err, e);
	pb_buf_free(&out);
	pb_buf_free(&err);
}
END_TEST

Suite *cli_suite(void);
Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *t = tcase_create("options");
	tcase_set_timeout(t, 30);
	tcase_add_loop_test(t, cli_case_behaves, 0, (int)(sizeof cases / sizeof cases[0]));
	suite_add_tcase(s, t);
	return s;
}
