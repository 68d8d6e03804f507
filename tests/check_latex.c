/* The Unicode to LaTeX table and the escaping of BibTeX field values. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "latex.h"
#include "latex_decode.h"
#include "paperbib/paperbib.h"
#include "testutil.h"

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

/* Where runs of bytes copied as they are stop: white space, a letter
 * before a combining accent, the edges of protected spans, math (which
 * keeps what text escapes); and how the protect list is parsed (empty
 * items, repeats, phrases sharing a first byte, non-ASCII). Each is
 * checked with pb_latex_text and with one escaper used for all. */
static const struct {
	const char *in;
	unsigned flags;
	const char *protect;
	const char *out;
} runs[] = {
	{"a  b\t\tc \n d \x01 e\x7f" "f", A, NULL, "a b c d e f"},
	{"Cafe\xcc\x81 au lait", A, NULL, "Caf{\\'{e}} au lait"},
	{"Cafe\xcc\x81 au lait", 0, NULL, "Cafe\xcc\x81 au lait"},
	{"Deep Bayesian Nets and xBayesian", A | T, "Bayesian, Monte Carlo",
	 "Deep {Bayesian} Nets and {xBayesian}"},
	{"Bayesian\xc3\xa9 Bayesians Bayesian-Nets", A | T, "Bayesian",
	 "Bayesian{\\'e} {Bayesian}s {Bayesian}-Nets"},
	{"Monte Carlo e\xcc\x81 Monte  Carlo", A | T, "Bayesian, Monte Carlo",
	 "{Monte Carlo} {\\'{e}} Monte Carlo"},
	{"$a<b_c$ & a<b_c ~ |x| ^", A, NULL,
	 "$a<b_c$ \\& a\\textless{}b\\_c \\textasciitilde{} \\textbar{}x"
	 "\\textbar{} \\textasciicircum{}"},
	{"$a % b & c # d$ 50% & #1", A, NULL,
	 "$a \\% b \\& c \\# d$ 50\\% \\& \\#1"},
	{"Monte Carlo and Monte and Nystr\xc3\xb6m Markov Markovian", A | T,
	 " , Monte Carlo,, Monte,Nystr\xc3\xb6m , Markov,Markov",
	 "{Monte Carlo} and {Monte} and {Nystr{\\\"o}m} {Markov} Markovian"},
	{"Monte Carlo and Bayesian", A | T, "", "Monte Carlo and Bayesian"},
	{"Monte Carlo and Bayesian", A | T, " , ,", "Monte Carlo and Bayesian"},
	{"{\\it Bayesian} Bayesian {TEmporal} $\\Omega$", A | T, "Bayesian",
	 "{\\it Bayesian} {Bayesian} \\{TEmporal\\} {$\\Omega$}"},
	{"  padded {x}  \n\t", A, NULL, "padded \\{x\\}"},
};

START_TEST(run_edges)
{
	char *got = escape(runs[_i].in, runs[_i].flags, runs[_i].protect, NULL);
	ck_assert_str_eq(got, runs[_i].out);
	free(got);
	pb_latex_escaper *esc = pb_latex_escaper_new(runs[_i].protect);
	ck_assert_ptr_nonnull(esc);
	for (int k = 0; k < 2; k++) {
		pb_buf b = PB_BUF_INIT;
		ck_assert_int_eq(pb_latex_escape(esc, &b, runs[_i].in,
		                                 runs[_i].flags, NULL),
		                 PB_OK);
		ck_assert_str_eq(pb_buf_cstr(&b), runs[_i].out);
		pb_buf_free(&b);
	}
	pb_latex_escaper_free(esc);
}
END_TEST

/* One escaper for many texts, short after long, and a text longer than
 * its scratch space: the same output as pb_latex_text each time, and
 * the same report. */
START_TEST(escaper_reused)
{
	static const char prot[] = "Bayesian, Monte Carlo, Transformer";
	pb_latex_escaper *esc = pb_latex_escaper_new(prot);
	ck_assert_ptr_nonnull(esc);
	pb_buf longer = PB_BUF_INIT;
	for (int k = 0; k < 2000; k++)
		ck_assert_int_eq(pb_buf_puts(&longer, "Bayesian {x} $\\eta$ & "
		                                      "\xe4\xb8\xad\tBackPACK "),
		                 PB_OK);
	const char *texts[sizeof cases / sizeof cases[0] + 2];
	unsigned flags[sizeof cases / sizeof cases[0] + 2];
	size_t n = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++, n++) {
		texts[n] = cases[i].in;
		flags[n] = cases[i].flags;
	}
	texts[n] = pb_buf_cstr(&longer);
	flags[n++] = A | T;
	texts[n] = cases[0].in;
	flags[n++] = cases[0].flags;
	for (size_t i = 0; i < n; i++) {
		pb_latex_report want_rep = {0, 0}, got_rep = {0, 0};
		char *want = escape(texts[i], flags[i], prot, &want_rep);
		pb_buf b = PB_BUF_INIT;
		ck_assert_int_eq(pb_latex_escape(esc, &b, texts[i], flags[i],
		                                 &got_rep),
		                 PB_OK);
		ck_assert_str_eq(pb_buf_cstr(&b), want);
		ck_assert_uint_eq(got_rep.unmapped, want_rep.unmapped);
		ck_assert_uint_eq(got_rep.first, want_rep.first);
		pb_buf_free(&b);
		free(want);
	}
	pb_buf_free(&longer);
	pb_latex_escaper_free(esc);
	pb_latex_escaper_free(NULL);
}
END_TEST

/* Runs of plain bytes are found a block at a time (16 or 8 bytes) and
 * the last bytes of a field one at a time. Each byte that needs work,
 * and the plain bytes that share a test with specials (= ? ]), is put
 * at every offset of fields of 1 to 40 letters: first, last, at every
 * block boundary and in the tail, in text and in a title. */
static const struct {
	const char *in;
	const char *out;   /* between letters */
	const char *ascii; /* with PB_LATEX_ASCII, when it differs */
	int trimmed;       /* white space: nothing at either end */
} stops[] = {
	{"&", "\\&", NULL, 0},
	{"%", "\\%", NULL, 0},
	{"#", "\\#", NULL, 0},
	{"_", "\\_", NULL, 0},
	{"~", "\\textasciitilde{}", NULL, 0},
	{"^", "\\textasciicircum{}", NULL, 0},
	{"<", "\\textless{}", NULL, 0},
	{">", "\\textgreater{}", NULL, 0},
	{"|", "\\textbar{}", NULL, 0},
	{"$", "\\$", NULL, 0},
	{"{", "\\textbraceleft{}", NULL, 0},
	{"}", "\\textbraceright{}", NULL, 0},
	{"\\", "\\textbackslash{}", NULL, 0},
	{"=", "=", NULL, 0},
	{"?", "?", NULL, 0},
	{"]", "]", NULL, 0},
	{"[", "[", NULL, 0},
	{"!", "!", NULL, 0},
	{"\x01", " ", NULL, 0},
	{"\x1f", " ", NULL, 0},
	{"\x7f", " ", NULL, 0},
	{"\t", " ", NULL, 1},
	{" ", " ", NULL, 1},
	{"  ", " ", NULL, 1},
	{" \n ", " ", NULL, 1},
	{"\xc3\xa9", "\xc3\xa9", "{\\'e}", 0},
	{"e\xcc\x81", "e\xcc\x81", "{\\'{e}}", 0},
	{"\xe2\x80\x93", "\xe2\x80\x93", "--", 0},
	{"\xce\xb1", "$\\alpha$", NULL, 0},
	{"\xe4\xb8\xad", "\xe4\xb8\xad", NULL, 0},
	{"\xff", "\xff", NULL, 0},
};

START_TEST(stops_at_every_offset)
{
	static const unsigned flag_sets[] = {0, A, A | T};
	char in[64], want[128];
	for (size_t len = 1; len <= 40; len++) {
		for (size_t at = 0; at < len; at++) {
			size_t after = len - 1 - at, k = 0;
			memset(in, 'x', at);
			k = at;
			strcpy(in + k, stops[_i].in);
			k += strlen(stops[_i].in);
			memset(in + k, 'x', after);
			in[k + after] = '\0';
			for (size_t f = 0; f < 3; f++) {
				unsigned flags = flag_sets[f];
				const char *mid = (flags & A) && stops[_i].ascii
				                      ? stops[_i].ascii
				                      : stops[_i].out;
				if (stops[_i].trimmed && (at == 0 || after == 0))
					mid = "";
				if ((flags & T) && !strcmp(stops[_i].in, "\xce\xb1"))
					mid = "{$\\alpha$}";
				memset(want, 'x', at);
				strcpy(want + at, mid);
				k = at + strlen(mid);
				memset(want + k, 'x', after);
				want[k + after] = '\0';
				char *got = escape(in, flags, NULL, NULL);
				ck_assert_msg(strcmp(got, want) == 0,
				              "len %zu at %zu flags %u: \"%s\", "
				              "want \"%s\"",
				              len, at, flags, got, want);
				free(got);
			}
		}
	}
}
END_TEST

/* Fields of 0 to 40 bytes with nothing to escape (single spaces
 * between letters) come out as they are: the whole field is one run,
 * appended without any set-up; a prefix in the buffer stays. */
START_TEST(plain_fields_unchanged)
{
	pb_latex_escaper *esc = pb_latex_escaper_new("Bayesian");
	ck_assert_ptr_nonnull(esc);
	char in[48];
	for (size_t len = 0; len <= 40; len++) {
		for (size_t k = 0; k < len; k++)
			in[k] = k % 3 == 2 && k + 1 < len ? ' ' : (char)('a' + k % 26);
		in[len] = '\0';
		for (unsigned flags = 0; flags <= (A | T); flags++) {
			pb_buf b = PB_BUF_INIT;
			ck_assert_int_eq(pb_buf_puts(&b, "pre:"), PB_OK);
			ck_assert_int_eq(pb_latex_escape(esc, &b, in, flags, NULL),
			                 PB_OK);
			ck_assert_uint_eq(b.len, 4 + len);
			ck_assert_str_eq(pb_buf_cstr(&b) + 4, in);
			pb_buf_free(&b);
		}
	}
	pb_latex_escaper_free(esc);
}
END_TEST

/* Control words are looked up in a sorted table: its first and last
 * entries, prefixes and extensions of entries, and words that sort
 * between them. */
static const struct {
	const char *in;
	unsigned flags;
	const char *out;
} commands[] = {
	{"\\AA x", 0, "\\AA x"},
	{"\\AA x", A | T, "{\\AA} x"},
	{"\\A x", 0, "\\textbackslash{}A x"},
	{"\\Ab x", 0, "\\textbackslash{}Ab x"},
	{"\\AE", A | T, "{\\AE}"},
	{"\\H{o}", A | T, "\\H{o}"},
	{"\\LaTeX\\ and \\TeX", 0, "\\LaTeX\\textbackslash{} and \\TeX"},
	{"\\LaTeX\\ and \\TeX", A | T, "{\\LaTeX}\\textbackslash{} and {\\TeX}"},
	{"\\aa", 0, "\\aa"},
	{"\\v{c}", 0, "\\v{c}"},
	{"\\url{x}", 0, "\\url{x}"},
	{"\\textyen", 0, "\\textyen"},
	{"\\textz", 0, "\\textbackslash{}textz"},
	{"\\zz", 0, "\\textbackslash{}zz"},
	{"\\tt x", 0, "\\tt x"},
	{"\\ttt x", 0, "\\textbackslash{}ttt x"},
	{"\\u{a}", 0, "\\u{a}"},
	{"\\v", 0, "\\v"},
	{"\\w", 0, "\\textbackslash{}w"},
	{"\\emphx", 0, "\\textbackslash{}emphx"},
	{"\\em x", 0, "\\em x"},
	{"\\textbf{B}", A | T, "\\textbf{B}"},
};

START_TEST(command_lookup)
{
	char *got = escape(commands[_i].in, commands[_i].flags, NULL, NULL);
	ck_assert_str_eq(got, commands[_i].out);
	free(got);
}
END_TEST

/* Math that does not close, or closes far away past backslashes and
 * escaped dollars. */
static const struct {
	const char *in;
	const char *out;
} maths[] = {
	{"$5 and $10", "\\$5 and \\$10"},
	{"a $x \\$ y$ b", "a $x \\$ y$ b"},
	{"a $x\\\\$ b", "a $x\\\\$ b"},
	{"$x$1 $y$", "\\$x\\$1 $y$"},
	{"$x \\", "\\$x \\textbackslash{}"},
	{"$$", "\\$\\$"},
};

START_TEST(math_edges)
{
	char *got = escape(maths[_i].in, A, NULL, NULL);
	ck_assert_str_eq(got, maths[_i].out);
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
	/* Runs of plain bytes end at each byte that is encoded. */
	{"", 0, ""},
	{"a b", 1, "a\\%20b"},
	{"%#", 0, "%#"},
	{"%#", 1, "\\%\\#"},
	{"\\x{y}", 1, "\\%5Cx\\%7By\\%7D"},
	{"\xc3\xa9~_&", 0, "%C3%A9~_&"},
};

START_TEST(url_cases)
{
	pb_buf b = PB_BUF_INIT;
	ck_assert_int_eq(pb_latex_url(&b, urls[_i].in, urls[_i].in_text), PB_OK);
	ck_assert_str_eq(pb_buf_cstr(&b), urls[_i].out);
	pb_buf_free(&b);
}
END_TEST

#define U PB_LATEX_UNTRUSTED

/* Text from a paper list (PB_LATEX_UNTRUSTED): allowed LaTeX passes as
 * it does without the flag; a math fragment with a refused command is
 * text, its $, braces and backslashes escaped; refused text commands
 * are literal backslashes. refused: what pb_latex_untrusted_refused
 * names ("" for nothing). */
static const struct {
	const char *in;
	unsigned flags;
	const char *out;
	const char *refused;
} untrusted[] = {
	/* Allowed: what the reference list and MathJax give. */
	{"$\\mathcal{O}(\\frac{1}{T})$ rate", A | U,
	 "$\\mathcal{O}(\\frac{1}{T})$ rate", ""},
	{"$O(\\sqrt{\\log T/T})$ and $\\ell^4$-norm", A | U,
	 "$O(\\sqrt{\\log T/T})$ and $\\ell^4$-norm", ""},
	{"$\\Omega (\\eta)$ and $40.8 \\times$", A | U,
	 "$\\Omega (\\eta)$ and $40.8 \\times$", ""},
	{"$\\mathbb{R}^n \\to \\mathcal{X}_{i}$, $\\hat{y} \\leq \\|x\\|$", A | U,
	 "$\\mathbb{R}^n \\to \\mathcal{X}_{i}$, $\\hat{y} \\leq \\|x\\|$", ""},
	{"$\\left\\{ x \\,\\middle|\\, x \\in \\mathbb{N} \\right\\}$", A | U,
	 "$\\left\\lbrace  x \\,\\middle|\\, x \\in \\mathbb{N} \\right\\rbrace $",
	 ""},
	{"$\\text{if } x \\text{\\emph{b}}$ c", A | U,
	 "$\\text{if } x \\text{\\emph{b}}$ c", ""},
	{"$50\\%$ of (\\texttt{FedAvg}) as {\\it negative} {\\bf x}", A | U,
	 "$50\\%$ of (\\texttt{FedAvg}) as {\\it negative} {\\bf x}", ""},
	{"\\emph{a} \\textbf{b} \\textit{c} G\\'abor \\v{c} 5\\% \\& \\ss", A | U,
	 "\\emph{a} \\textbf{b} \\textit{c} G\\'abor \\v{c} 5\\% \\& \\ss", ""},
	{"Bounds in $\\Omega(n)$ time", A | T | U, "Bounds in {$\\Omega(n)$} time",
	 ""},
	/* Old font switches, as astronomers write them: harmless. */
	{"$\\rm H\\alpha$ of $10^{10} M_\\odot$ and ${\\cal L}$, $\\bf x$", A | U,
	 "$\\rm H\\alpha$ of $10^{10} M_\\odot$ and ${\\cal L}$, $\\bf x$", ""},
	/* The examples of the issue. */
	{"Evil $\\input{/etc/hostname}$ Title", A | T | U,
	 "Evil \\$\\textbackslash{}input\\{/etc/hostname\\}\\$ Title", "\\input"},
	{"$\\input{/etc/hostname}$", A | U,
	 "\\$\\textbackslash{}input\\{/etc/hostname\\}\\$", "\\input"},
	{"Evil $\\input{/etc/hostname}$ Title", T | U,
	 "Evil \\$\\textbackslash{}input\\{/etc/hostname\\}\\$ Title", "\\input"},
	/* One refused command makes the whole fragment text; other math
	 * stays math. */
	{"$\\alpha \\input{m}$ and $\\beta$", A | U,
	 "\\$\\textbackslash{}alpha \\textbackslash{}input\\{m\\}\\$ and "
	 "$\\beta$",
	 "\\input"},
	{"$\\text{\\input{x}}$", A | U,
	 "\\$\\textbackslash{}text{\\textbackslash{}input\\{x\\}}\\$", "\\input"},
	{"$\\operatorname{\\input}$", A | U,
	 "\\$\\textbackslash{}operatorname{\\textbackslash{}input}\\$", "\\input"},
	{"$\\frac{\\csname input\\endcsname{m}}{2}$", A | U,
	 "\\$\\textbackslash{}frac{\\textbackslash{}csname input"
	 "\\textbackslash{}endcsname\\{m\\}}{2}\\$",
	 "\\csname"},
	/* TeX's ^^ notation: ^^5c is a backslash. */
	{"^^5cinput{m}", A | U,
	 "\\textasciicircum{}\\textasciicircum{}5cinput\\{m\\}", ""},
	{"$x^^5cinput{m}$", A | U,
	 "\\$x\\textasciicircum{}\\textasciicircum{}5cinput\\{m\\}\\$", "^^"},
	{"$\\text{^^5c}$", U,
	 "\\$\\textbackslash{}text\\{\\textasciicircum{}\\textasciicircum{}5c\\}"
	 "\\$",
	 "^^"},
	{"\\^^5cinput", A | U, "\\^\\textasciicircum{}5cinput", ""},
	{"$x^{^2}$", A | U, "$x^{^2}$", ""},
	/* Text commands, control symbols and other tricks. */
	{"\\csname input\\endcsname{m}", A | U,
	 "\\textbackslash{}csname input\\textbackslash{}endcsname\\{m\\}",
	 "\\csname"},
	{"\\def\\x{\\input{m}}\\x", A | U,
	 "\\textbackslash{}def\\textbackslash{}x{\\textbackslash{}input\\{m\\}}"
	 "\\textbackslash{}x",
	 "\\def"},
	{"\\@input{m}", A | U, "\\textbackslash{}@input\\{m\\}", "\\@"},
	{"\\c@page 5", A | U, "\\textbackslash{}c@page 5", "\\c@"},
	{"$\\alpha@x$", A | U, "\\$\\textbackslash{}alpha@x\\$", "\\alpha@"},
	{"\\\\input{m}", A | U, "\\textbackslash{}\\textbackslash{}input\\{m\\}",
	 "\\\\"},
	{"$a\\\\b$", A | U, "\\$a\\textbackslash{}\\textbackslash{}b\\$", "\\\\"},
	{"$$\\input{m}$$", A | U, "\\$\\$\\textbackslash{}input\\{m\\}\\$\\$",
	 "\\input"},
	{"\\(\\input{m}\\)", A | U,
	 "\\textbackslash{}(\\textbackslash{}input\\{m\\}\\textbackslash{})",
	 "\\("},
	{"\\[x\\]", A | U, "\\textbackslash{}[x\\textbackslash{}]", "\\["},
	{"\\begin{verbatim}x\\end{verbatim}", A | U,
	 "\\textbackslash{}begin\\{verbatim\\}x\\textbackslash{}end\\{verbatim\\}",
	 "\\begin"},
	{"{\\input m", A | U, "\\textbraceleft{}\\textbackslash{}input m",
	 "\\input"},
	{"}\\input{m}{", A | U,
	 "\\textbraceright{}\\textbackslash{}input\\{m\\}\\textbraceleft{}",
	 "\\input"},
	{"% \\input m\n\\input{m}", A | U,
	 "\\% \\textbackslash{}input m \\textbackslash{}input\\{m\\}", "\\input"},
	{"\\catcode`\\^=7", A | U, "\\textbackslash{}catcode`\\^=7", "\\catcode"},
	{"\\url{x} \\hspace{1cm} \\ensuremath{x} \\mbox{y}", A | U,
	 "\\textbackslash{}url\\{x\\} \\textbackslash{}hspace\\{1cm\\} "
	 "\\textbackslash{}ensuremath\\{x\\} \\textbackslash{}mbox\\{y\\}",
	 "\\url"},
	{"a \\ b", A | U, "a \\textbackslash{} b", ""},
	/* Without the flag nothing changes. */
	{"$\\input{/etc/hostname}$", A, "$\\input{/etc/hostname}$", "\\input"},
	{"Evil $\\input{x}$ Title", A | T, "Evil {$\\input{x}$} Title", "\\input"},
	{"$x^^5c$ \\@ \\url{x}", A, "$x^^5c$ \\@ \\url{x}", "^^"},
	{"$a\\\\b$", A, "$a\\\\b$", "\\\\"},
};

START_TEST(untrusted_cases)
{
	char *got = escape(untrusted[_i].in, untrusted[_i].flags, NULL, NULL);
	ck_assert_str_eq(got, untrusted[_i].out);
	ck_assert(bibtex_balanced(got));
	free(got);
	char cmd[16];
	int rc = pb_latex_untrusted_refused(untrusted[_i].in, cmd, sizeof cmd);
	ck_assert_int_eq(rc, untrusted[_i].refused[0] != '\0');
	ck_assert_str_eq(cmd, untrusted[_i].refused);
}
END_TEST

/* Does TeX, reading s, meet the control word or symbol name (as TeX
 * splits them: letters, or one other byte)? And ^^ anywhere? */
static int tex_meets(const char *s, const char *name)
{
	size_t len = strlen(name);
	if (strstr(s, "^^"))
		return 1;
	for (; *s; s++) {
		if (*s != '\\')
			continue;
		size_t k = 1;
		if ((s[1] >= 'a' && s[1] <= 'z') || (s[1] >= 'A' && s[1] <= 'Z'))
			while ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z'))
				k++;
		else if (s[1])
			k = 2;
		if (k - 1 == len && strncmp(s + 1, name, len) == 0)
			return 1;
		s += k - 1;
	}
	return 0;
}

/* Each dangerous command, in math and in text, at the start, in the
 * middle and alone, under every flag set with PB_LATEX_UNTRUSTED: TeX
 * never meets it in the output, and pb_latex_untrusted_refused names
 * it. Without the flag, math passes it as before. */
static const char *const dangerous[] = {
	"input", "include", "write", "openin", "read", "catcode", "def",
	"csname", "usepackage", "immediate", "openout", "newcommand",
	"renewcommand", "let", "edef", "gdef", "xdef", "expandafter",
	"string", "detokenize", "scantokens", "endinput", "special",
	"InputIfFileExists", "IfFileExists", "lowercase", "uppercase",
	"makeatletter", "verb", "url", "href", "jobname", "relax", "begin",
};
/* Where the command goes: each * is its name. */
static const char *const shapes[] = {
	"$\\*{marker}$",    "x $\\*{marker}$ y", "$x_\\*$",
	"\\*{marker}",      "x \\*{marker} y",   "{\\* marker}",
	"$\\frac{\\*}{2}$", "$\\text{\\*}$",     "$\\mathrm{\\*}$ \\*",
};

static void fill(char *out, size_t size, const char *shape, const char *name)
{
	size_t k = 0, len = strlen(name);
	for (; *shape && k + len + 1 < size; shape++) {
		if (*shape == '*') {
			memcpy(out + k, name, len);
			k += len;
		} else {
			out[k++] = *shape;
		}
	}
	out[k] = '\0';
}

START_TEST(dangerous_refused)
{
	static const unsigned flag_sets[] = {U, A | U, T | U, A | T | U};
	const char *name = dangerous[_i];
	char in[128], cmd[32], want[32];
	snprintf(want, sizeof want, "\\%s", name);
	for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
		fill(in, sizeof in, shapes[k], name);
		for (size_t f = 0; f < 4; f++) {
			char *got = escape(in, flag_sets[f], NULL, NULL);
			ck_assert_msg(!tex_meets(got, name),
			              "\"%s\" flags %u -> \"%s\"", in, flag_sets[f],
			              got);
			ck_assert(bibtex_balanced(got));
			free(got);
		}
		ck_assert_int_eq(pb_latex_untrusted_refused(in, cmd, sizeof cmd), 1);
		ck_assert_str_eq(cmd, want);
		/* Without the flag, math keeps every command as it did. */
		if (in[0] == '$') {
			char *got = escape(in, A, NULL, NULL);
			ck_assert_msg(tex_meets(got, name), "\"%s\" -> \"%s\"", in, got);
			free(got);
		}
	}
}
END_TEST

/* Every command src/mathjax.c may collapse a formula into stays math:
 * its table is read from the source, so a command added there and not
 * allowed here fails. So does every math entry of the character table. */
START_TEST(mathjax_commands_allowed)
{
	size_t len, seen = 0;
	char *src = test_slurp("../src/mathjax.c", &len);
	char in[96], want[96];
	for (const char *p = strstr(src, "CMD(\""); p; p = strstr(p + 1, "CMD(\"")) {
		const char *name = p + 5;
		size_t n = strcspn(name, "\"");
		if (n == 0 || n > 40)
			continue; /* the macro's definition */
		snprintf(in, sizeof in, "$\\%.*s{x}$ and $a\\%.*s b$", (int)n, name,
		         (int)n, name);
		for (unsigned f = 0; f <= (A | T); f++) {
			char *plain = escape(in, f, NULL, NULL);
			char *got = escape(in, f | U, NULL, NULL);
			ck_assert_msg(strcmp(got, plain) == 0, "\"%s\" -> \"%s\"", in, got);
			free(plain);
			free(got);
		}
		ck_assert_int_eq(pb_latex_untrusted_refused(in, NULL, 0), 0);
		seen++;
	}
	ck_assert_uint_gt(seen, 100);
	free(src);
	/* The escapes MathJax reads in a source. */
	ck_assert_int_eq(
	    pb_latex_untrusted_refused("$\\%\\{\\}\\_\\#\\&\\$\\,\\;\\!\\:\\ x$", NULL, 0),
	    0);
	size_t n;
	const pb_latex_char *t = pb_latex_table(&n);
	for (size_t i = 0; i < n; i++) {
		if (!t[i].math || t[i].latex[0] != '\\')
			continue;
		snprintf(in, sizeof in, "$x %s y$", t[i].latex);
		snprintf(want, sizeof want, "%s", in);
		ck_assert_msg(pb_latex_untrusted_refused(in, NULL, 0) == 0, "%s", in);
		char *got = escape(in, A | U, NULL, NULL);
		ck_assert_str_eq(got, want);
		free(got);
	}
}
END_TEST

/* Every short ASCII input of LaTeX's special bytes: under the flag the
 * output balances, holds no ^^, and equals the output without the flag
 * whenever nothing is refused (one scanner decides both). */
START_TEST(untrusted_same_unless_refused)
{
	static const char alphabet[] = "{}$\\a^@ ";
	char in[6];
	for (unsigned long x = 0; x < 8UL * 8 * 8 * 8 * 8; x++) {
		unsigned long y = x;
		for (int k = 0; k < 5; k++, y /= 8)
			in[k] = alphabet[y % 8];
		in[5] = '\0';
		int refused = pb_latex_untrusted_refused(in, NULL, 0);
		ck_assert_int_ge(refused, 0);
		for (unsigned f = 0; f <= (A | T); f++) {
			char *got = escape(in, f | U, NULL, NULL);
			char *plain = escape(in, f, NULL, NULL);
			if (!bibtex_balanced(got) || strstr(got, "^^") ||
			    (!refused && strcmp(got, plain) != 0))
				ck_abort_msg("\"%s\" flags %u: \"%s\", without: \"%s\"", in,
				             f, got, plain);
			free(got);
			free(plain);
		}
	}
}
END_TEST

/* pb_latex_untrusted_refused alone: the name is truncated to the
 * buffer; a long text (past the scratch space on the stack) is checked
 * whole; text with no backslash and no ^^ is never refused. */
START_TEST(refused_edges)
{
	char cmd[4] = "zzz";
	ck_assert_int_eq(pb_latex_untrusted_refused("a \\include{x}", cmd, sizeof cmd), 1);
	ck_assert_str_eq(cmd, "\\in");
	ck_assert_int_eq(pb_latex_untrusted_refused("a \\include{x}", NULL, 0), 1);
	ck_assert_int_eq(pb_latex_untrusted_refused("plain ^ text $x$", cmd, sizeof cmd), 0);
	ck_assert_str_eq(cmd, "");
	ck_assert_int_eq(pb_latex_untrusted_refused("", cmd, sizeof cmd), 0);
	pb_buf b = PB_BUF_INIT;
	for (int k = 0; k < 200; k++)
		ck_assert_int_eq(pb_buf_puts(&b, "$\\alpha$ \\emph{x} "), PB_OK);
	ck_assert_int_eq(pb_latex_untrusted_refused(pb_buf_cstr(&b), NULL, 0), 0);
	ck_assert_int_eq(pb_buf_puts(&b, "$\\write18{x}$"), PB_OK);
	char big[16];
	ck_assert_int_eq(pb_latex_untrusted_refused(pb_buf_cstr(&b), big, sizeof big), 1);
	ck_assert_str_eq(big, "\\write");
	/* One escaper for every case, long text first: the same answers. */
	pb_latex_escaper *esc = pb_latex_escaper_new(NULL);
	ck_assert_ptr_nonnull(esc);
	ck_assert_int_eq(pb_latex_escaper_refused(esc, pb_buf_cstr(&b), big, sizeof big), 1);
	for (size_t i = 0; i < sizeof untrusted / sizeof untrusted[0]; i++) {
		char want[16], got[16];
		int w = pb_latex_untrusted_refused(untrusted[i].in, want, sizeof want);
		ck_assert_int_eq(pb_latex_escaper_refused(esc, untrusted[i].in, got, sizeof got), w);
		ck_assert_str_eq(got, want);
	}
	pb_latex_escaper_free(esc);
	pb_buf_free(&b);
}
END_TEST

/* PB_LATEX_PASS (a BibTeX file's own text): every macro passes with
 * its braces, as it was; specials are still escaped; with UNTRUSTED the
 * flag does nothing. */
static const struct {
	const char *in;
	unsigned flags;
	const char *out;
} passes[] = {
	{"\\mkbibquote{De Anima} & more", PB_LATEX_PASS,
	 "\\mkbibquote{De Anima} \\& more"},
	{"{\\noopsort{1973a}}{\\switchargs{--90}{1968}}", PB_LATEX_PASS,
	 "{\\noopsort{1973a}}{\\switchargs{--90}{1968}}"},
	{"a \\\\ b", PB_LATEX_PASS, "a \\\\ b"},
	{"50% \\unknown", PB_LATEX_PASS, "50\\% \\unknown"},
	{"\\mkbibquote{x}", 0, "\\textbackslash{}mkbibquote\\{x\\}"},
	{"\\mkbibquote{x}", PB_LATEX_PASS | PB_LATEX_UNTRUSTED,
	 "\\textbackslash{}mkbibquote\\{x\\}"},
	/* TeX skips the spaces before an argument: the group stays one */
	{"Using \\cite {knuth} and \\cite\n {a}{b}", PB_LATEX_PASS,
	 "Using \\cite {knuth} and \\cite {a}{b}"},
	{"\\emph  {x} 5%", 0, "\\emph {x} 5\\%"},
	/* but not after a group's end, nor past a word */
	{"\\foo{x} {y} \\foo y{z}", PB_LATEX_PASS,
	 "\\foo{x} \\{y\\} \\foo y\\{z\\}"},
};

START_TEST(pass_cases)
{
	char *got = escape(passes[_i].in, passes[_i].flags, NULL, NULL);
	ck_assert_str_eq(got, passes[_i].out);
	ck_assert(bibtex_balanced(got));
	free(got);
}
END_TEST

/* The BibTeX readers' decoder (pb_latex_decode_rich): title-like
 * fields (PB_LATEX_NOCASE) and others. */
#define RICH PB_LATEX_RICH
#define TITLE (PB_LATEX_RICH | PB_LATEX_NOCASE)
static const struct {
	const char *in;
	unsigned flags;
	const char *out;
} decodes[] = {
	/* a space starting a group or an argument is text */
	{"The{ DNA} story and{ }more", TITLE,
	 "The <span class=\"nocase\">DNA</span> story and more"},
	{"Word\\emph{ x} end and\\textbf{ }more", RICH,
	 "Word <i>x</i> end and more"},
	{"a{ }b{ {\\'e}}c", RICH, "a b \xC3\xA9" "c"},
	/* but not the spaces ending \em, nor those of an exponent */
	{"a{\\em  x}b x^{ 2}", RICH, "a<i>x</i>b x<sup>2</sup>"},
	/* a group starting with markup is rich text, not kept LaTeX
	 * ("{<i>Nature</i>}"); in a title, case protected */
	{"A {\\emph{Nature}} paper", TITLE,
	 "A <span class=\"nocase\"><i>Nature</i></span> paper"},
	{"see {\\textit{this}} one {\\textbf {x}}", RICH,
	 "see <i>this</i> one <b>x</b>"},
	{"{{\\textsc{Ab}} c}", TITLE,
	 "<span class=\"nocase\"><sc>Ab</sc> c</span>"},
	{"{\\emph{x}} {\\emph} {\\foo{y}}", 0, "{\\emph{x}} {\\emph} {\\foo{y}}"},
	{"{\\emph} {\\foo{y}}", TITLE, "{\\emph} {\\foo{y}}"},
	/* a kept command's one-letter argument loses its braces outside
	 * titles, but not a character that would join its neighbour */
	{"C:\\dir {\\AE}on \\x {1}2 \\z {\\\"o}", RICH,
	 "C:\\dir \xC3\x86on \\x 12 \\z \xC3\xB6"},
	{"\\foo {'}' \\foo {-}- \\foo {!}`", RICH,
	 "\\foo {'}' \\foo {-}- \\foo {!}\xE2\x80\x98"},
	{"\\y {\\textquoteright}s \\y {--}-", 0,
	 "\\y {\xE2\x80\x99}s \\y {\xE2\x80\x93}-"},
};

START_TEST(decode_cases)
{
	pb_buf out = PB_BUF_INIT;
	const char *in = decodes[_i].in;
	ck_assert_int_eq(pb_latex_decode_rich(&out, in, strlen(in),
	                                      decodes[_i].flags),
	                 PB_OK);
	ck_assert_str_eq(pb_buf_cstr(&out), decodes[_i].out);
	pb_buf_free(&out);
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
	tcase_add_loop_test(tc, run_edges, 0, sizeof runs / sizeof runs[0]);
	tcase_add_test(tc, escaper_reused);
	tcase_add_loop_test(tc, stops_at_every_offset, 0,
	                    sizeof stops / sizeof stops[0]);
	tcase_add_test(tc, plain_fields_unchanged);
	tcase_add_loop_test(tc, command_lookup, 0,
	                    sizeof commands / sizeof commands[0]);
	tcase_add_loop_test(tc, math_edges, 0, sizeof maths / sizeof maths[0]);
	suite_add_tcase(s, tc);
	tc = tcase_create("untrusted");
	tcase_add_loop_test(tc, untrusted_cases, 0,
	                    sizeof untrusted / sizeof untrusted[0]);
	tcase_add_loop_test(tc, dangerous_refused, 0,
	                    sizeof dangerous / sizeof dangerous[0]);
	tcase_add_test(tc, mathjax_commands_allowed);
	tcase_add_test(tc, untrusted_same_unless_refused);
	tcase_add_test(tc, refused_edges);
	suite_add_tcase(s, tc);
	tc = tcase_create("pass");
	tcase_add_loop_test(tc, pass_cases, 0, sizeof passes / sizeof passes[0]);
	suite_add_tcase(s, tc);
	tc = tcase_create("decode");
	tcase_add_loop_test(tc, decode_cases, 0,
	                    sizeof decodes / sizeof decodes[0]);
	suite_add_tcase(s, tc);
	return s;
}
