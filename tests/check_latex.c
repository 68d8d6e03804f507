/* The Unicode to LaTeX table and the escaping of BibTeX field values. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "latex.h"
#include "paperbib/paperbib.h"

Suite *latex_suite(void);

/* Braces as BibTeX counts them: every { and }, escaped or not. The depth
 * never goes below zero and ends at zero. */
static int bibtex_balanced(const char *s)
{
	long depth = 0;
	for (; *s; s++) {
		if (*s == '{')
			depth++;
		else if (*s == '}' && --depth < 0)
			return 0;
	}
	return depth == 0;
}

static char *escape(const char *in, unsigned flags, const char *protect,
                    pb_latex_report *rep)
{
	pb_buf b = PB_BUF_INIT;
	ck_assert_int_eq(pb_latex_text(&b, in, flags, protect, rep), PB_OK);
	char *s = pb_strdup(pb_buf_cstr(&b));
	pb_buf_free(&b);
	return s;
}

START_TEST(table_sorted_and_found)
{
	size_t n;
	const pb_latex_char *t = pb_latex_table(&n);
	ck_assert_uint_gt(n, 300);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			ck_assert_uint_lt(t[i - 1].cp, t[i].cp);
		ck_assert_uint_ge(t[i].cp, 0x80);
		ck_assert_ptr_eq(pb_latex_lookup(t[i].cp), &t[i]);
		ck_assert(bibtex_balanced(t[i].latex));
	}
	ck_assert_ptr_null(pb_latex_lookup(0x4E2D));
	ck_assert_ptr_null(pb_latex_lookup('a'));
	ck_assert_ptr_null(pb_latex_lookup(0x10FFFF));
}
END_TEST

static const struct {
	uint32_t cp;
	const char *latex;
	int math;
} lookups[] = {
	{0x00E1, "\\'a", 0},   {0x010D, "\\v{c}", 0},  {0x0142, "\\l", 0},
	{0x0144, "\\'n", 0},   {0x00EB, "\\\"e", 0},   {0x00ED, "\\'{\\i}", 0},
	{0x00DF, "\\ss", 0},   {0x2013, "--", 0},      {0x2014, "---", 0},
	{0x201C, "``", 0},     {0x2019, "'", 0},       {0x00A0, "~", 0},
	{0x03A9, "\\Omega", 1}, {0x03B7, "\\eta", 1},  {0x00D7, "\\times", 1},
	{0x2113, "\\ell", 1},  {0x2264, "\\leq", 1},
};

START_TEST(lookup_entries)
{
	const pb_latex_char *c = pb_latex_lookup(lookups[_i].cp);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->latex, lookups[_i].latex);
	ck_assert_int_eq(c->math, lookups[_i].math);
}
END_TEST

#define A PB_LATEX_ASCII
#define T PB_LATEX_TITLE

static const struct {
	const char *in;
	unsigned flags;
	const char *out;
} cases[] = {
	/* Specials in text. */
	{"Actions & Reasoning", A, "Actions \\& Reasoning"},
	{"71.5% accuracy", A, "71.5\\% accuracy"},
	{"#1 a_b", A, "\\#1 a\\_b"},
	{"~5 x^2 <a> b|c", A,
	 "\\textasciitilde{}5 x\\textasciicircum{}2 \\textless{}a\\textgreater{} "
	 "b\\textbar{}c"},
	{"a \\ b", A, "a \\textbackslash{} b"},
	{"C:\\Users\\x", A, "C:\\textbackslash{}Users\\textbackslash{}x"},
	{"costs $5 and $10", A, "costs \\$5 and \\$10"},
	/* Braces: pairs escaped, strays made invisible to BibTeX. */
	{"set {1, 2}", A, "set \\{1, 2\\}"},
	{"a { b", A, "a \\textbraceleft{} b"},
	{"a } b { c", A, "a \\textbraceright{} b \\textbraceleft{} c"},
	{"a \\{ b", A, "a \\textbraceleft{} b"},
	/* LaTeX that is LaTeX passes through. */
	{"$\\mathcal{O}(\\frac{1}{T})$ rate", A, "$\\mathcal{O}(\\frac{1}{T})$ rate"},
	{"roughly $50\\%$ less", A, "roughly $50\\%$ less"},
	{"$\\ell^4$-norm", A, "$\\ell^4$-norm"},
	{"(\\texttt{FedAvg}) runs", A, "(\\texttt{FedAvg}) runs"},
	{"as {\\it negative diversity} in", A, "as {\\it negative diversity} in"},
	{"G\\'abor 50\\% \\& co", A, "G\\'abor 50\\% \\& co"},
	{"$a % b$", A, "$a \\% b$"},
	{"$\\{x$", A, "$\\lbrace x$"},
	{"$f(x}$", A, "$f(x\\rbrace $"},
	/* Non-ASCII. */
	{"G\xc3\xa1" "bor Ko\xc4\x8d" "isk\xc3\xbd", A,
	 "G{\\'a}bor Ko{\\v{c}}isk{\\'y}"},
	{"Miko\xc5\x82" "aj Bi\xc5\x84kowski", A, "Miko{\\l}aj Bi{\\'n}kowski"},
	{"Kullback\xe2\x80\x93Leibler", A, "Kullback--Leibler"},
	{"\xe2\x80\x9cquoted\xe2\x80\x9d Shannon\xe2\x80\x99s", A,
	 "``quoted'' Shannon's"},
	{"rate \xce\xb7 and \xce\xa9 40\xc3\x97", A,
	 "rate $\\eta$ and $\\Omega$ 40$\\times$"},
	{"$\xce\xb7 x$", A, "$\\eta x$"},
	{"e\xcc\x81t\xc3\xa9", A, "{\\'{e}}t{\\'e}"},
	/* UTF-8: letters stay, math becomes LaTeX. */
	{"G\xc3\xa1" "bor \xe2\x80\x93 \xce\xb1", 0, "G\xc3\xa1" "bor \xe2\x80\x93 $\\alpha$"},
	/* White space. */
	{"  a\n\tb  \r\n c ", A, "a b c"},
	/* Titles. */
	{"CATER: A diagnostic dataset for Compositional Actions & TEmporal "
	 "Reasoning",
	 A | T,
	 "{CATER}: A diagnostic dataset for Compositional Actions \\& "
	 "{TEmporal} Reasoning"},
	{"On the Convergence of FedAvg on Non-IID Data", A | T,
	 "On the Convergence of {FedAvg} on Non-{IID} Data"},
	{"Meta-Q-Learning", A | T, "Meta-{Q}-Learning"},
	{"A Theory of 3D Vision", A | T, "A Theory of {3D} Vision"},
	{"Cyclical Stochastic Gradient MCMC for Bayesian Deep Learning", A | T,
	 "Cyclical Stochastic Gradient {MCMC} for {Bayesian} Deep Learning"},
	{"Parallelizing Monte Carlo Tree Search", A | T,
	 "Parallelizing {Monte Carlo} Tree Search"},
	{"The Efficient Transformer and Transformers", A | T,
	 "The Efficient {Transformer} and {Transformer}s"},
	{"Bayesianism is not Bayesian", A | T, "Bayesianism is not {Bayesian}"},
	{"Bounds in $\\Omega(n)$ time", A | T, "Bounds in {$\\Omega(n)$} time"},
	{"\xce\xb1-Rank", A | T, "{$\\alpha$}-Rank"},
	{"Learning\xe2\x80\x94" "A Study", A | T, "Learning---A Study"},
	{"Typesetting with \\LaTeX", A | T, "Typesetting with {\\LaTeX}"},
	{"Ko\xc4\x8disk\xc3\xbd\xe2\x80\x99s TEmporal", A | T,
	 "Ko{\\v{c}}isk{\\'y}'s {TEmporal}"},
};

START_TEST(escape_cases)
{
	char *got = escape(cases[_i].in, cases[_i].flags,
	                   "Bayesian, Monte Carlo, Transformer", NULL);
	ck_assert_str_eq(got, cases[_i].out);
	ck_assert(bibtex_balanced(got));
	free(got);
}
END_TEST

/* Every ASCII-only input, however its braces and dollars fall, comes out
 * balanced for BibTeX. */
START_TEST(always_balanced)
{
	static const char alphabet[] = "{}$\\a %_";
	static const unsigned flag_sets[] = {PB_LATEX_ASCII,
	                                     PB_LATEX_ASCII | PB_LATEX_TITLE};
	char in[6];
	for (unsigned long x = 0; x < 8UL * 8 * 8 * 8 * 8; x++) {
		unsigned long y = x;
		for (int k = 0; k < 5; k++, y /= 8)
			in[k] = alphabet[y % 8];
		in[5] = '\0';
		for (size_t f = 0; f < 2; f++) {
			unsigned flags = flag_sets[f];
			char *got = escape(in, flags, NULL, NULL);
			if (!bibtex_balanced(got))
				ck_abort_msg("unbalanced: \"%s\" -> \"%s\"", in, got);
			free(got);
		}
	}
}
END_TEST

START_TEST(unmapped_reported)
{
	pb_latex_report rep = {0, 0};
	char *got = escape("a \xe4\xb8\xad b \xe6\x96\x87", A, NULL, &rep);
	ck_assert_str_eq(got, "a \xe4\xb8\xad b \xe6\x96\x87");
	ck_assert_uint_eq(rep.unmapped, 2);
	ck_assert_uint_eq(rep.first, 0x4E2D);
	free(got);
	pb_latex_report rep2 = {0, 0};
	got = escape("a \xe4\xb8\xad", 0, NULL, &rep2);
	ck_assert_uint_eq(rep2.unmapped, 0);
	free(got);
}
END_TEST

static const struct {
	const char *in;
	int in_text;
	const char *out;
} urls[] = {
	{"https://e.org/~u/a_b?x=1&y=2#top", 0, "https://e.org/~u/a_b?x=1&y=2#top"},
	{"https://e.org/a%7Eb", 0, "https://e.org/a%7Eb"},
	{"https://e.org/a%7Eb#c", 1, "https://e.org/a\\%7Eb\\#c"},
	{"https://e.org/{a}\\b c", 0, "https://e.org/%7Ba%7D%5Cb%20c"},
	{"https://e.org/{a}", 1, "https://e.org/\\%7Ba\\%7D"},
	{"https://e.org/\xc3\xa9", 0, "https://e.org/%C3%A9"},
};

START_TEST(url_cases)
{
	pb_buf b = PB_BUF_INIT;
	ck_assert_int_eq(pb_latex_url(&b, urls[_i].in, urls[_i].in_text), PB_OK);
	ck_assert_str_eq(pb_buf_cstr(&b), urls[_i].out);
	pb_buf_free(&b);
}
END_TEST

Suite *latex_suite(void)
{
	Suite *s = suite_create("latex");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, table_sorted_and_found);
	tcase_add_loop_test(tc, lookup_entries, 0,
	                    sizeof lookups / sizeof lookups[0]);
	suite_add_tcase(s, tc);
	tc = tcase_create("escape");
	tcase_add_loop_test(tc, escape_cases, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(tc, always_balanced);
	tcase_add_test(tc, unmapped_reported);
	tcase_add_loop_test(tc, url_cases, 0, sizeof urls / sizeof urls[0]);
	suite_add_tcase(s, tc);
	return s;
}
