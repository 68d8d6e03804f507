/* The BibTeX reader and the LaTeX decoder: table-driven over LaTeX,
 * names and entry syntax, and the handling of bad entries. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "latex_decode.h"
#include "paperbib/paperbib.h"
#include "testutil.h"

extern const pb_input_format pb_bibtex_input;
extern const pb_format pb_bibtex_format;
Suite *bibtex_read_suite(void);

/* LaTeX in a field value and its text. */
static const struct {
	const char *latex;
	const char *text;
} decode_cases[] = {
	{"{\\'a}", "\xC3\xA1"},
	{"\\'a", "\xC3\xA1"},
	{"\\'{a}", "\xC3\xA1"},
	{"Ko{\\v{c}}isk{\\'y}", "Ko\xC4\x8Disk\xC3\xBD"},
	{"\\v c", "\xC4\x8D"},
	{"Miko{\\l}aj", "Miko\xC5\x82" "aj"},
	{"\\L ukasz", "\xC5\x81ukasz"},
	{"\\'\\i", "\xC3\xAD"},
	{"\\'{\\i}", "\xC3\xAD"},
	{"\\\"{o}", "\xC3\xB6"},
	{"\\ss{}", "\xC3\x9F"},
	{"\\c{s}", "\xC5\x9F"},
	{"\\H{o}", "\xC5\x91"},
	{"\\k{a}", "\xC4\x85"},
	{"{\\aa}", "\xC3\xA5"},
	{"\\'x", "x\xCC\x81"}, /* no precomposed letter: a combining mark */
	{"A \\& B", "A & B"},
	{"50\\%", "50%"},
	{"\\# \\_ \\$", "# _ $"},
	{"\\textbackslash{}x", "\\x"},
	{"\\textbraceleft{}a\\textbraceright{}", "{a}"},
	{"\\textasciitilde{}", "~"},
	{"1--2", "1\xE2\x80\x93" "2"},
	{"a---b", "a\xE2\x80\x94" "b"},
	{"``q''", "\xE2\x80\x9Cq\xE2\x80\x9D"},
	{"{\\textquotedblleft}q{\\textquotedblright}", "\xE2\x80\x9Cq\xE2\x80\x9D"},
	{"{\\ldots}", "\xE2\x80\xA6"},
	{"a~b", "a\xC2\xA0" "b"},
	{"{CATER}: {TEmporal}", "CATER: TEmporal"},
	{"{{LSTM}}", "LSTM"},
	{"$\\alpha$-nets", "\xCE\xB1-nets"},
	{"{$\\Omega$}", "\xCE\xA9"},
	{"$40.8 \\times$", "$40.8 \\times$"},
	{"$\\mathcal{O}(\\frac{1}{T})$", "$\\mathcal{O}(\\frac{1}{T})$"},
	{"$50\\%$", "$50\\%$"},
	{"\\texttt{FedAvg}", "\\texttt{FedAvg}"},
	{"{\\it negative diversity}", "{\\it negative diversity}"},
	{"\\emph{Ko\\v{c}}", "\\emph{Ko\xC4\x8D}"},
	{"Code: \\url{https://a.b/c\\_d\\%20}", "Code: https://a.b/c_d%20"},
	{"\\href{https://x}{the text}", "the text"},
	{"  a \n\t  b  ", "a b"},
	{"US\\$ 5", "US$ 5"},
	{"a\\-b", "ab"},
	{"", ""},
	/* the later of two characters spelt alike: Greek mu, not micro */
	{"$\\mu$", "\xCE\xBC"},
	/* plain text in runs: white space of every kind, runs longer than
	 * 16 bytes, a space before a ligature or a command */
	{"a\tb  c \n d ", "a b c d"},
	{"Plain text of more than sixteen bytes, with spaces  and -- a dash",
	 "Plain text of more than sixteen bytes, with spaces and \xE2\x80\x93"
	 " a dash"},
	{"50% of {\\'e}t{\\'e} and \\#1", "50% of \xC3\xA9t\xC3\xA9 and #1"},
	{"x \\- ", "x"},
	{"\\foo  bar", "\\foo bar"},
	/* an accent on a decoded argument, nested */
	{"\\'{ab}", "ab\xCC\x81"},
	{"\\'{\\'{e}}", "\xC3\xA9\xCC\x81"},
	{"\\'{\\'{\\'{ab}}}", "ab\xCC\x81\xCC\x81\xCC\x81"},
};

START_TEST(test_decode)
{
	pb_buf out = PB_BUF_INIT;
	const char *in = decode_cases[_i].latex;
	ck_assert_int_eq(pb_latex_decode(&out, in, strlen(in)), PB_OK);
	ck_assert_str_eq(pb_buf_cstr(&out), decode_cases[_i].text);
	pb_buf_free(&out);
}
END_TEST

/* Accent arguments nested deep enough that the decoder finds their
 * ends from one table rather than one scan each: \'{ x200 ab } x200
 * is ab and 200 acute accents. */
START_TEST(test_decode_nested_accents)
{
	enum { DEPTH = 200 };
	pb_buf in = PB_BUF_INIT, want = PB_BUF_INIT, out = PB_BUF_INIT;
	for (int k = 0; k < DEPTH; k++)
		ck_assert_int_eq(pb_buf_puts(&in, "\\'{"), PB_OK);
	ck_assert_int_eq(pb_buf_puts(&in, "ab"), PB_OK);
	ck_assert_int_eq(pb_buf_puts(&want, "ab"), PB_OK);
	for (int k = 0; k < DEPTH; k++) {
		ck_assert_int_eq(pb_buf_putc(&in, '}'), PB_OK);
		ck_assert_int_eq(pb_buf_puts(&want, "\xCC\x81"), PB_OK);
	}
	ck_assert_int_eq(pb_latex_decode(&out, in.data, in.len), PB_OK);
	ck_assert_str_eq(pb_buf_cstr(&out), pb_buf_cstr(&want));
	pb_buf_free(&in);
	pb_buf_free(&want);
	pb_buf_free(&out);
}
END_TEST

/* Braces nested deeper than the decoder recurses (1,000 groups): what
 * lies deeper is copied as it is, and 100,000 levels do not exhaust the
 * stack (they crashed the reader before). */
START_TEST(test_decode_deep_braces)
{
	static const size_t depths[] = {1000, 1001, 1002, 100000};
	for (size_t t = 0; t < sizeof depths / sizeof depths[0]; t++) {
		size_t depth = depths[t], raw = depth > 1001 ? depth - 1001 : 0;
		pb_buf in = PB_BUF_INIT, want = PB_BUF_INIT, out = PB_BUF_INIT;
		for (size_t k = 0; k < depth; k++)
			ck_assert_int_eq(pb_buf_putc(&in, '{'), PB_OK);
		ck_assert_int_eq(pb_buf_puts(&in, "\\'e"), PB_OK);
		for (size_t k = 0; k < depth; k++)
			ck_assert_int_eq(pb_buf_putc(&in, '}'), PB_OK);
		for (size_t k = 0; k < raw; k++)
			ck_assert_int_eq(pb_buf_putc(&want, '{'), PB_OK);
		ck_assert_int_eq(pb_buf_puts(&want, depth > 1000 ? "\\'e" : "\xC3\xA9"),
		                 PB_OK);
		for (size_t k = 0; k < raw; k++)
			ck_assert_int_eq(pb_buf_putc(&want, '}'), PB_OK);
		ck_assert_int_eq(pb_latex_decode(&out, in.data, in.len), PB_OK);
		ck_assert_msg(strcmp(pb_buf_cstr(&out), pb_buf_cstr(&want)) == 0,
		              "depth %zu: got %.40s", depth, pb_buf_cstr(&out));
		pb_buf_free(&in);
		pb_buf_free(&want);
		pb_buf_free(&out);
	}
}
END_TEST

/* One entry's author field and the names it gives: given|family|
 * particle|suffix|literal, one per line. */
static const struct {
	const char *author;
	const char *names;
} name_cases[] = {
	{"Kitaev, Nikita and Kaiser, Lukasz",
	 "Nikita|Kitaev|||\nLukasz|Kaiser|||\n"},
	{"van der Schaar, Mihaela", "Mihaela|van der Schaar|van der||\n"},
	{"King, Jr., Martin Luther", "Martin Luther|King||Jr.|\n"},
	{"{OpenAI} and {Barnes and Noble}", "||||OpenAI\n||||Barnes and Noble\n"},
	{"Nikita Kitaev AND Anselm Levskaya",
	 "Nikita|Kitaev|||\nAnselm|Levskaya|||\n"},
	{"Bi{\\'n}kowski, Miko{\\l}aj and others",
	 "Miko\xC5\x82" "aj|Bi\xC5\x84kowski|||\n"},
	{"Melis, G{\\'a}bor and\n    Blunsom, Phil",
	 "G\xC3\xA1" "bor|Melis|||\nPhil|Blunsom|||\n"},
	{"Anderson, {Alexander and Sons}", "Alexander and Sons|Anderson|||\n"},
};

static void dump_names(pb_buf *out, const pb_record *r)
{
	for (size_t i = 0; i < r->n_authors; i++) {
		const pb_name *a = &r->authors[i];
		pb_buf_printf(out, "%s|%s|%s|%s|%s\n", a->given ? a->given : "",
		              a->family ? a->family : "",
		              a->particle ? a->particle : "",
		              a->suffix ? a->suffix : "",
		              a->literal ? a->literal : "");
	}
}

START_TEST(test_names)
{
	pb_buf text = PB_BUF_INIT, got = PB_BUF_INIT;
	pb_buf_printf(&text, "@article{k,\n  author = {%s},\n  title = {T}\n}\n",
	              name_cases[_i].author);
	test_records t;
	test_read(&t, text.data, text.len, &pb_bibtex_input, NULL);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_uint_eq(t.warnings + t.errors, 0);
	dump_names(&got, &t.recs[0]);
	ck_assert_str_eq(pb_buf_cstr(&got), name_cases[_i].names);
	test_records_free(&t);
	pb_buf_free(&text);
	pb_buf_free(&got);
}
END_TEST

/* Entry syntax: one entry each, and what its title and year become. */
static const struct {
	const char *bib;
	const char *title;
	const char *year;
	pb_type type;
} syntax_cases[] = {
	{"@misc(k, title = \"Parens\", year = 1999)", "Parens", "1999",
	 PB_TYPE_MISC},
	{"@ARTICLE{k, TITLE = {Upper}, YEAR = {2001}}", "Upper", "2001",
	 PB_TYPE_ARTICLE},
	{"@string{a = \"Con\"}\n@string(b = a # {cat})\n"
	 "@book{k, title = b # \"enated\" # { text}, year = 2002}\n",
	 "Concatenated text", "2002", PB_TYPE_BOOK},
	{"Text before, with a mail@address.org.\n"
	 "@comment{@article{no, title = {Not me}}}\n@preamble{\"\\foo\"}\n"
	 "@incollection{k, title = {After junk}, date = {2003-02}}\n",
	 "After junk", "2003", PB_TYPE_CHAPTER},
	{"@techreport{k, title = \"Quote with {\"} inside\", year = 2004,}",
	 "Quote with \" inside", "2004", PB_TYPE_REPORT},
	{"@phdthesis{k,\n title = {Multi\n   line\n   title},\n year = 2005}",
	 "Multi line title", "2005", PB_TYPE_THESIS},
	{"@inproceedings{k, title={Tight},year=2006}", "Tight", "2006",
	 PB_TYPE_PAPER_CONFERENCE},
	{"@conference{k, title = {Nested {braces {deep}}}, year = 2007}",
	 "Nested braces deep", "2007", PB_TYPE_PAPER_CONFERENCE},
};

START_TEST(test_syntax)
{
	const char *bib = syntax_cases[_i].bib;
	test_records t;
	test_read(&t, bib, strlen(bib), &pb_bibtex_input, NULL);
	ck_assert_msg(t.n == 1, "%zu records; %s", t.n, pb_buf_cstr(&t.diags));
	ck_assert_uint_eq(t.warnings + t.errors, 0);
	ck_assert_str_eq(t.recs[0].title, syntax_cases[_i].title);
	ck_assert_str_eq(t.recs[0].venue.year, syntax_cases[_i].year);
	ck_assert_int_eq(t.recs[0].type, syntax_cases[_i].type);
	ck_assert_str_eq(t.recs[0].key, "k");
	test_records_free(&t);
}
END_TEST

/* The fields of a biblatex entry as the BibLaTeX writer makes it. */
START_TEST(test_biblatex_fields)
{
	static const char bib[] =
	    "@inproceedings{kitaev2020reformer,\n"
	    "  author     = {Kitaev, Nikita},\n"
	    "  title      = {Reformer: The Efficient {Transformer}},\n"
	    "  booktitle  = {International Conference on Learning "
	    "Representations},\n"
	    "  eventtitle = {International Conference on Learning "
	    "Representations ({ICLR} 2020)},\n"
	    "  venue      = {Addis Ababa, Ethiopia},\n"
	    "  date       = {2020-04-26},\n"
	    "  publisher  = {OpenReview.net},\n"
	    "  url        = {https://openreview.net/forum?id=rkgNKkHtvB},\n"
	    "  url        = {https://openreview.net/pdf?id=rkgNKkHtvB},\n"
	    "  addendum   = {Code: \\url{https://github.com/google/trax}},\n"
	    "  abstract   = {Large {Transformer} models.},\n"
	    "  keywords   = {attention, locality sensitive hashing; "
	    "reversible layers},\n"
	    "  doi        = {10.1/x},\n"
	    "  timestamp  = {2020-01-01},\n"
	    "}\n";
	test_records t;
	test_read(&t, bib, sizeof bib - 1, &pb_bibtex_input, NULL);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_uint_eq(t.warnings + t.errors, 0);
	const pb_record *r = &t.recs[0];
	ck_assert_str_eq(r->key, "kitaev2020reformer");
	ck_assert_str_eq(r->title, "Reformer: The Efficient Transformer");
	ck_assert_str_eq(r->venue.name,
	                 "International Conference on Learning Representations");
	ck_assert_str_eq(r->venue.short_name, "ICLR");
	ck_assert_str_eq(r->venue.year, "2020");
	ck_assert_str_eq(r->venue.date, "2020-04-26");
	ck_assert_str_eq(r->venue.location, "Addis Ababa, Ethiopia");
	ck_assert_str_eq(r->venue.publisher, "OpenReview.net");
	ck_assert_str_eq(r->url, "https://openreview.net/forum?id=rkgNKkHtvB");
	ck_assert_str_eq(r->pdf_url, "https://openreview.net/pdf?id=rkgNKkHtvB");
	ck_assert_str_eq(r->code_url, "https://github.com/google/trax");
	ck_assert_ptr_null(r->note);
	ck_assert_str_eq(r->abstract, "Large Transformer models.");
	ck_assert_uint_eq(r->n_keywords, 3);
	ck_assert_str_eq(r->keywords[2], "reversible layers");
	ck_assert_str_eq(pb_record_get_extra(r, "doi"), "10.1/x");
	ck_assert_ptr_null(pb_record_get_extra(r, "timestamp"));
	ck_assert_str_eq(r->file, "test.txt");
	ck_assert_uint_eq(r->line, 1);
	test_records_free(&t);
}
END_TEST

/* Bad entries: reported with the line and key, skipped; the rest read. */
static const test_diag_case bad_cases[] = {
	{"@misc{a, title = {Open\n\n@misc{b, title = {B}}\n", 1, 0, 1,
	 "1:0: error: entry 'a' (@misc): unterminated entry: a new entry "
	 "starts inside a value at line 3; entry skipped"},
	{"@misc{a, title = {A}}\n@misc{b, title = {B\n", 1, 0, 1,
	 "2:0: error: entry 'b' (@misc): unterminated entry: the file ends "
	 "inside a value at line 2; entry skipped"},
	{"@misc{a, title = nomacro # {A}}\n", 1, 1, 0,
	 "1:0: warning: entry 'a': unknown macro 'nomacro' (taken as empty)"},
	{"@misc{a, title {A}}\n@misc{b, title = {B}}\n", 1, 0, 1,
	 "'=' expected after the field name"},
	{"@misc{a, title = {A} year = 2000}\n@misc{b, title = {B}}\n", 1, 0, 1,
	 "',' or the end of the entry expected after a field"},
	{"@misc{a, title = [A]}\n@misc{b, title = {B}}\n", 1, 0, 1,
	 "a value must be {braced}"},
	{"@foo{a, title = {A}}\n", 1, 1, 0,
	 "unknown entry type '@foo', read as misc"},
	{"@misc{a, year = 2000}\n", 1, 1, 0, "entry 'a' has no title"},
	{"@misc{a, author = {Smith, John and , Jane}, title = {A}}\n", 1, 1, 0,
	 "cannot read the name ', Jane'"},
};

START_TEST(test_bad)
{
	test_diagnosed(&pb_bibtex_input, &bad_cases[_i]);
}
END_TEST

static const test_probe_case probe_cases[] = {
	{"@inproceedings{a,\n", 90, 100},
	{"% comment\n\n  @Article{a,\n", 90, 100},
	{"@string{x = \"y\"}\n", 90, 100},
	{"@whatever{a,\n", 50, 89},
	{"Reformer\nAuthor: Nikita Kitaev\n", 0, 0},
	{"TY  - CONF\n", 0, 0},
	{"write to me@example.org {now}\n", 0, 0},
};

/* annote and annotation: the "Label: value" lines at its end, which the
 * writers put there for what had no field, come back as the members they
 * were (when still empty) or as the extra fields they were; the rest is
 * the annotation, an extra field. A hand-written annotation whose lines
 * wrap anywhere stays whole. Written again, annote stays annote and the
 * note stays the note: the same entry. */
static const char annote_bib[] =
	"@inproceedings{k,\n"
	"  author     = {Lee, Ann},\n"
	"  title      = {Sparse Models},\n"
	"  booktitle  = {Workshop on Tests},\n"
	"  year       = {2020},\n"
	"  url        = {https://x.org/p},\n"
	"  note       = {Best paper.\n"
	"Code: \\url{https://c.org/x}},\n"
	"  annote     = {Read twice.\n"
	"Track: Talk\n"
	"ID: XYZ\n"
	"background: {\xe8\x83\x8c\xe6\x99\xaf} text\n"
	"Track: Poster\n"
	"PDF: \\url{https://p.org/a\\%7Eb.pdf}},\n"
	"}\n"
	"\n"
	"@book{h,\n"
	"  title = {Hand},\n"
	"  annotation = {A book entry with an author.\n"
	"    In other words: a book entry with a\n"
	"    translator field.},\n"
	"}\n";

START_TEST(test_annote)
{
	test_records t;
	test_read(&t, annote_bib, sizeof annote_bib - 1, &pb_bibtex_input, NULL);
	ck_assert_uint_eq(t.n, 2);
	const pb_record *r = &t.recs[0];
	ck_assert_str_eq(r->note, "Best paper.");
	ck_assert_str_eq(r->code_url, "https://c.org/x");
	ck_assert_str_eq(r->venue.track, "Talk");
	ck_assert_str_eq(r->id, "XYZ");
	ck_assert_str_eq(r->pdf_url, "https://p.org/a~b.pdf");
	ck_assert_str_eq(pb_record_get_extra(r, "annote"), "Read twice.");
	ck_assert_str_eq(pb_record_get_extra(r, "background"),
	                 "\xe8\x83\x8c\xe6\x99\xaf text");
	ck_assert_str_eq(pb_record_get_extra(r, "Track"), "Poster");
	ck_assert_uint_eq(r->n_extra, 3);
	const pb_record *h = &t.recs[1];
	ck_assert_str_eq(pb_record_get_extra(h, "annotation"),
	                 "A book entry with an author. In other words: a book "
	                 "entry with a translator field.");
	ck_assert_uint_eq(h->n_extra, 1);

	/* written and read again: the same entries */
	const pb_record *one[] = {r};
	int rc;
	char *first = test_write(&pb_bibtex_format, NULL, NULL, one, 1, &rc, NULL);
	ck_assert_int_eq(rc, PB_OK);
	if (!strstr(first, "  note       = {Best paper.\nCode: "
	                   "\\url{https://c.org/x}},\n  annote     = {Read "
	                   "twice.\nTrack: Talk\nID: XYZ\nbackground: "))
		ck_abort_msg("note or annote moved:\n%s", first);
	test_records again;
	test_read(&again, first, strlen(first), &pb_bibtex_input, NULL);
	ck_assert_uint_eq(again.n, 1);
	one[0] = &again.recs[0];
	char *second = test_write(&pb_bibtex_format, NULL, NULL, one, 1, &rc, NULL);
	ck_assert_str_eq(second, first);
	free(first);
	free(second);
	test_records_free(&again);
	test_records_free(&t);
}
END_TEST

START_TEST(test_probe_scores)
{
	test_probe(&pb_bibtex_input, &probe_cases[_i]);
}
END_TEST


Suite *bibtex_read_suite(void)
{
	Suite *s = suite_create("bibtex_read");
	TCase *tc = tcase_create("bibtex_read");
	tcase_add_loop_test(tc, test_decode, 0, TEST_COUNT(decode_cases));
	tcase_add_test(tc, test_decode_nested_accents);
	tcase_add_test(tc, test_decode_deep_braces);
	tcase_add_loop_test(tc, test_names, 0, TEST_COUNT(name_cases));
	tcase_add_loop_test(tc, test_syntax, 0, TEST_COUNT(syntax_cases));
	tcase_add_test(tc, test_biblatex_fields);
	tcase_add_test(tc, test_annote);
	tcase_add_loop_test(tc, test_bad, 0, TEST_COUNT(bad_cases));
	tcase_add_loop_test(tc, test_probe_scores, 0, TEST_COUNT(probe_cases));
	suite_add_tcase(s, tc);
	return s;
}
