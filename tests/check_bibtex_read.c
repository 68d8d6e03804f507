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
	/* Greek capitals with a Latin look, as the writers spell them */
	{"$\\mathrm{E}$\xCE\xBB", "\xCE\x95\xCE\xBB"},
	{"{$\\mathrm{T}$}", "\xCE\xA4"},
	{"$\\mathrm{x}$", "$\\mathrm{x}$"},
	/* one character braced after a kept macro and a space: no case to
	 * protect outside titles, so no braces; an argument stays braced */
	{"C:\\dir {\\AE}on", "C:\\dir \xC3\x86on"},
	{"\\foo{\\ss}", "\\foo{\xC3\x9F}"},
	{"\\foo {ab}", "\\foo {ab}"},
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

/* LaTeX markup as CSL rich text (pb_latex_decode_rich), in a title. */
static const struct {
	const char *latex;
	const char *text;
} rich_cases[] = {
	{"\\emph{De Anima}", "<i>De Anima</i>"},
	{"\\textit{a} \\textbf{b} \\textsc{c}", "<i>a</i> <b>b</b> <sc>c</sc>"},
	{"{\\em x y} z", "<i>x y</i> z"},
	{"{\\it x}{\\bf y}", "<i>x</i><b>y</b>"},
	{"\\mkbibemph{E} \\mkbibquote{q}", "<i>E</i> \xE2\x80\x9Cq\xE2\x80\x9D"},
	{"x\\textsuperscript{2} H\\textsubscript{2}O",
	 "x<sup>2</sup> H<sub>2</sub>O"},
	{"x^{2}", "x<sup>2</sup>"},
	{"The {DNA} of {{LSTM}}",
	 "The <span class=\"nocase\">DNA</span> of <span "
	 "class=\"nocase\">LSTM</span>"},
	{"{\\'a}b and {1984}", "\xC3\xA1" "b and 1984"},
	{"$\\Sigma^{0}$", "\xCE\xA3<sup>0</sup>"},
	{"$\\alpha$ and $x_{i}$", "\xCE\xB1 and x<sub>i</sub>"},
	{"$\\mathcal{O}(n)$", "$\\mathcal{O}(n)$"},
	{"\\noopsort{a}Zeta", "\\noopsort{a}Zeta"},
	{"x<y & z", "x<y & z"},
	{"\\emph{}", ""},
};

START_TEST(test_rich)
{
	pb_buf out = PB_BUF_INIT;
	const char *in = rich_cases[_i].latex;
	ck_assert_int_eq(pb_latex_decode_rich(&out, in, strlen(in),
	                                      PB_LATEX_RICH | PB_LATEX_NOCASE),
	                 PB_OK);
	ck_assert_str_eq(pb_buf_cstr(&out), rich_cases[_i].text);
	pb_buf_free(&out);
}
END_TEST

/* One entry: what a field becomes, as "var=value" (CSL variables),
 * "title=", "container-title=", "publisher=", "publisher-place=",
 * "issued=" (the record's issued), "role=Family" (people), "x:name="
 * (an extra field). */
static const struct {
	const char *bib;
	const char *want; /* one "key=value" */
} field_cases[] = {
	{"@article{k, title={T}, number={5}}", "issue=5"},
	{"@book{k, title={T}, number={5}}", "collection-number=5"},
	{"@techreport{k, title={T}, number={5}}", "number=5"},
	{"@article{k, title={T}, pages={1--10}}", "page=1-10"},
	{"@article{k, title={T}, volume={2}}", "volume=2"},
	{"@article{k, title={T}, doi={10.1/x\\_y}}", "DOI=10.1/x_y"},
	{"@book{k, title={T}, isbn={123}, issn={456}}", "ISBN=123"},
	{"@book{k, title={T}, edition={2}}", "edition=2"},
	{"@book{k, title={T}, series={Ser}}", "collection-title=Ser"},
	{"@inbook{k, title={T}, chapter={4}}", "chapter-number=4"},
	{"@online{k, title={T}, urldate={2020-01-02}}", "accessed=2020-01-02"},
	{"@book{k, title={T}, origdate={1900}}", "original-date=1900"},
	{"@inproceedings{k, title={T}, eventtitle={The Event}}",
	 "event-title=The Event"},
	{"@inproceedings{k, title={T}, venue={Paris}, location={Berlin}}",
	 "event-place=Paris"},
	{"@inproceedings{k, title={T}, venue={Paris}, location={Berlin}}",
	 "publisher-place=Berlin"},
	{"@thesis{k, title={T}, type={phdthesis}}", "genre=PhD thesis"},
	{"@phdthesis{k, title={T}}", "genre=PhD thesis"},
	{"@misc{k, title={T}, type={Memo}}", "genre=Memo"},
	{"@software{k, title={T}, version={1.2}}", "version=1.2"},
	{"@book{k, title={T}, shorttitle={S}}", "title-short=S"},
	{"@book{k, title={T}, language={german}}", "language=german"},
	{"@article{k, title={T}, journaltitle={J}, shortjournal={SJ}}",
	 "container-title-short=SJ"},
	{"@techreport{k, title={T}, institution={Inst}}", "publisher=Inst"},
	{"@phdthesis{k, title={T}, school={S}}", "publisher=S"},
	{"@inproceedings{k, title={T}, organization={O}, publisher={P}}",
	 "publisher=O; P"},
	{"@book{k, title={T}, subtitle={S}, titleaddon={A}}", "title=T: S. A"},
	{"@book{k, title={T}, subtitle={S}}", "x:subtitle=S"},
	{"@incollection{k, title={T}, booktitle={B}, booksubtitle={S}}",
	 "container-title=B: S"},
	{"@article{k, title={T}, journal={J}}", "container-title=J"},
	{"@book{k, title={V}, maintitle={M}}", "title=M"},
	{"@book{k, title={V}, maintitle={M}}", "volume-title=V"},
	{"@periodical{k, title={J}}", "container-title=J"},
	{"@book{k, title={T}, date={1984/1986}}", "issued=1984/1986"},
	{"@book{k, title={T}, date={1984-05/1986}}", "issued=1984-05/1986"},
	{"@book{k, title={T}, date={1999~}}", "issued=1999~"},
	{"@book{k, title={T}, date={1999?}}", "issued=1999"},
	{"@book{k, title={T}, year={2000}, month=jan}", "issued=2000-01"},
	{"@book{k, title={T}, year={2000}, month={8}}", "issued=2000-08"},
	{"@book{k, title={T}, editor={Ed, E.}}", "editor=Ed"},
	{"@book{k, title={T}, translator={Tr, T.}}", "translator=Tr"},
	{"@inbook{k, title={T}, bookauthor={Ba, B.}}", "container-author=Ba"},
	{"@book{k, title={T}, editora={Co, C.}, editoratype={compiler}}",
	 "compiler=Co"},
	{"@book{k, title={T}, editora={Co, C.}}", "editor=Co"},
	{"@book{k, title={T}, commentator={Cm, C.}}", "x:commentator=Cm, C."},
	{"@article{k, title={T}, eprint={1234.5678}, eprinttype={arxiv}}",
	 "x:eprinttype=arxiv"},
	{"@online{k, title={T}}", "type=webpage"},
	{"@software{k, title={T}}", "type=software"},
	{"@dataset{k, title={T}}", "type=dataset"},
	{"@patent{k, title={T}}", "type=patent"},
	{"@unpublished{k, title={T}}", "type=manuscript"},
	{"@booklet{k, title={T}}", "type=pamphlet"},
	{"@manual{k, title={T}}", "type=book"},
	{"@inreference{k, title={T}}", "type=entry-encyclopedia"},
	{"@report{k, title={T}}", "type=report"},
	{"@collection{k, title={T}}", "type=book"},
	{"@suppbook{k, title={T}}", "type=chapter"},
	{"@techreport{k, title={T}}", "genre=technical report"},
	{"@book{k, title={T}, publisher={A and {B and C}}}",
	 "publisher=A; B and C"},
	{"@book{k, title={T}, year=1986, month=apr # \"-\" # may}",
	 "issued=1986"},
	{"@book{k, title={T}, year=1986, month=apr # \"-\" # may}",
	 "x:month=April-May"},
	{"@book{k, title={T}, year={{\\noopsort{1973c}}1981}}", "issued=1981"},
	{"@book{k, title={T}, booktitle={B}}", "x:booktitle=B"},
	{"@book{k, title={T}, booktitle={B}}", "container-title=(null)"},
	{"@periodical{k, title={J}, issuetitle={I}}", "title=I"},
	{"@book{k, title={T}, editora={R, A.}, editoratype={redactor}}",
	 "x:editoratype=redactor"},
	{"@misc{k, title={T}, howpublished={\\url{https://x.org/a}}}",
	 "URL=https://x.org/a"},
	{"@misc{k, title={T}, howpublished={Online}}", "publisher=Online"},
	/* a URL in howpublished beside a url field: never the publisher,
	 * and the url field stays the link, before it or after it */
	{"@misc{k, title={T}, url={https://x.org/p}, "
	 "howpublished={\\url{https://x.org/a}}}",
	 "publisher=(null)"},
	{"@misc{k, title={T}, url={https://x.org/p}, "
	 "howpublished={\\url{https://x.org/a}}}",
	 "x:howpublished=https://x.org/a"},
	{"@misc{k, title={T}, howpublished={\\url{https://x.org/a}}, "
	 "url={https://x.org/p}}",
	 "URL=https://x.org/p"},
	{"@misc{k, title={T}, howpublished={\\url{https://x.org/a}}, "
	 "url={https://x.org/p}}",
	 "x:howpublished=https://x.org/a"},
	{"@article{k, title={\\mbox{G-Animal's} methodology\\hyphen "
	 "independent}}",
	 "title=G-Animal's methodology-independent"},
	{"@book{k, title={T}, date={2001/}}", "issued=2001"},
	{"@book{k, title={T}, date={-0044}}", "issued=-0044"},
	{"@article{k, title={T}, issue={Spring}, number={5}}", "issue=Spring"},
	{"@article{k, title={T}, issue={Spring}, number={5}}", "x:number=5"},
	/* every field the BibLaTeX writer writes reads back to its variable */
	{"@book{k, title={T}, pubstate={inpress}}", "status=inpress"},
	{"@book{k, title={T}, origpublisher={OP}}", "original-publisher=OP"},
	{"@book{k, title={T}, origlocation={OL}}",
	 "original-publisher-place=OL"},
	{"@book{k, title={T}, volumes={3}}", "number-of-volumes=3"},
	{"@book{k, title={T}, pagetotal={528}}", "number-of-pages=528"},
	{"@book{k, title={T}, origtitle={OT}}", "original-title=OT"},
	{"@inproceedings{k, title={T}, eventdate={2020-04-26}}",
	 "event-date=2020-04-26"},
	/* annote: the annotation is CSL's annote; lines of CSL variables
	 * and roles (the writers' "variable: value", "_" escaped) are them */
	{"@book{k, title={T}, annote={Read it.\noriginal-date: 1905}}",
	 "annote=Read it."},
	{"@book{k, title={T}, annote={Read it.\noriginal-date: 1905}}",
	 "original-date=1905"},
	{"@book{k, title={T}, annote={archive\\_location: Box \\#1}}",
	 "archive_location=Box #1"},
	{"@book{k, title={T}, annote={event-place: Rome}}", "event-place=Rome"},
	{"@book{k, title={T}, annote={translator: van Tr \\textbar{}"
	 "\\textbar{} Ann}}",
	 "translator=van Tr"},
	{"@book{k, title={T}, annote={reviewed-title: \\emph{R}}}",
	 "reviewed-title=<i>R</i>"},
	/* an entry's own field wins over an annote or note line, whatever
	 * the order: the line stays */
	{"@book{k, title={T}, annote={DOI: 10.1/n\nevent-place: Paris}, "
	 "doi={10.1/r}, venue={Rome}}",
	 "DOI=10.1/r"},
	{"@book{k, title={T}, annote={DOI: 10.1/n\nevent-place: Paris}, "
	 "doi={10.1/r}, venue={Rome}}",
	 "event-place=Rome"},
	{"@book{k, title={T}, annote={DOI: 10.1/n\nevent-place: Paris}, "
	 "doi={10.1/r}, venue={Rome}}",
	 "x:DOI=10.1/n"},
	{"@book{k, title={T}, annote={original-date: 1905}, origdate={1801}}",
	 "original-date=1801"},
	{"@book{k, title={T}, annote={original-date: 1905}, origdate={1801}}",
	 "x:original-date=1905"},
	{"@book{k, title={T}, note={issued: 1999}, year={2005}}", "issued=2005"},
	{"@book{k, title={T}, note={issued: 1999-05}}", "issued=1999-05"},
	/* a note's "Label: value" lines stay lines; its other lines join */
	{"@book{k, title={T}, note={original-date: 1905\nDOI: 10.1/x}}",
	 "original-date=1905"},
	{"@book{k, title={T}, note={original-date: 1905\nDOI: 10.1/x}}",
	 "DOI=10.1/x"},
	/* ... and an indented line goes on the line before (pandoc wraps) */
	{"@book{k, title={T}, note={Citation Key: k PDF:\n    "
	 "https://x.org/p.pdf}}",
	 "pdf=https://x.org/p.pdf"},
	/* a line saying what a field says is nothing new */
	{"@book{k, title={T}, doi={10.1/x}, annote={DOI: 10.1/x}}",
	 "x:DOI=(null)"},
	/* "raw:" alone is no date; a year 0 is none */
	{"@book{k, title={T}, annote={original-date: raw:}}",
	 "original-date=(null)"},
	{"@book{k, title={T}, date={raw:}}", "issued=(null)"},
	{"@book{k, title={T}, date={0000-05}}", "issued=0000-05"},
	/* a container title in annote beside its short form */
	{"@misc{k, title={T}, shortjournal={SJ}, annote={Venue: The J}}",
	 "container-title=The J"},
	/* Greek capitals as the writers spell them ($\mathrm{E}$) */
	{"@book{k, title={T}, publisher={$\\mathrm{E}$\xce\xbb\xce\xbb}}",
	 "publisher=\xce\x95\xce\xbb\xce\xbb"},
};

/* The value the key of a field_cases row names in r, or NULL. */
static const char *field_value(const pb_record *r, const char *key,
                               pb_buf *tmp)
{
	static const char *const roles[] = {"editor", "translator",
	                                    "container-author", "compiler"};
	if (strncmp(key, "x:", 2) == 0)
		return pb_record_get_extra(r, key + 2);
	if (strcmp(key, "title") == 0)
		return r->title;
	if (strcmp(key, "URL") == 0)
		return r->url;
	if (strcmp(key, "pdf") == 0)
		return r->pdf_url;
	if (strcmp(key, "type") == 0)
		return pb_type_name(r->type);
	if (strcmp(key, "container-title") == 0)
		return r->venue.name;
	if (strcmp(key, "container-title-short") == 0)
		return r->venue.short_name;
	if (strcmp(key, "publisher") == 0)
		return r->venue.publisher;
	if (strcmp(key, "publisher-place") == 0)
		return r->venue.location;
	if (strcmp(key, "issued") == 0)
		return pb_record_var(r, "issued") ? pb_record_var(r, "issued")
		       : r->venue.date            ? r->venue.date
		                                  : r->venue.year;
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (strcmp(key, roles[i]) == 0) {
			pb_buf_reset(tmp);
			for (size_t k = 0; k < r->n_people; k++)
				if (strcmp(r->people[k].role, key) == 0)
					pb_buf_puts(tmp, r->people[k].name.family);
			return pb_buf_cstr(tmp);
		}
	return pb_record_var(r, key);
}

START_TEST(test_fields)
{
	const char *bib = field_cases[_i].bib, *want = field_cases[_i].want;
	const char *eq = strchr(want, '=');
	char key[64];
	snprintf(key, sizeof key, "%.*s", (int)(eq - want), want);
	test_records t;
	test_read(&t, bib, strlen(bib), &pb_bibtex_input, NULL);
	ck_assert_uint_eq(t.n, 1);
	pb_buf tmp = PB_BUF_INIT;
	const char *got = field_value(&t.recs[0], key, &tmp);
	if (!got)
		got = "(null)";
	ck_assert_msg(strcmp(got, eq + 1) == 0, "%s: %s is '%s', not '%s'", bib,
	              key, got, eq + 1);
	pb_buf_free(&tmp);
	test_records_free(&t);
}
END_TEST

/* crossref with the parent after its children (as BibTeX wants it) and
 * before, a chain to a multi-volume book, xdata, and @preamble. */
static const char crossref_bib[] =
    "@preamble{\"\\newcommand{\\noopsort}[1]{}\"}\n"
    "@inproceedings{child, author = {A, B}, title = {Paper},\n"
    "  crossref = {proc}, pages = {1--2}}\n"
    "@misc{plain, title = {Alone}}\n"
    "@proceedings{proc, title = {The Proceedings}, editor = {E, F},\n"
    "  year = 1999, publisher = {P}, shorttitle = {TP}}\n"
    "@inbook{ch, title = {Chapter}, crossref = {vol}, xdata = {pub}}\n"
    "@xdata{pub, location = {Berlin}}\n"
    "@book{vol, author = {W, V}, title = {Volume}, crossref = {mv}}\n"
    "@mvbook{mv, title = {Works}, date = {1980/1990}}\n"
    "@article{orphan, title = {O}, crossref = {nowhere}}\n";

START_TEST(test_crossref)
{
	test_records t;
	test_read(&t, crossref_bib, sizeof crossref_bib - 1, &pb_bibtex_input,
	          NULL);
	/* the @xdata entry gives no record; the rest keep their order */
	ck_assert_uint_eq(t.n, 7);
	const pb_record *child = &t.recs[0];
	ck_assert_str_eq(child->key, "child");
	ck_assert_str_eq(child->venue.name, "The Proceedings");
	ck_assert_str_eq(child->title, "Paper");
	ck_assert_str_eq(child->venue.year, "1999");
	ck_assert_str_eq(child->venue.publisher, "P");
	ck_assert_uint_eq(pb_record_count_people(child, "editor"), 1);
	ck_assert_ptr_null(pb_record_var(child, "title-short"));
	ck_assert_str_eq(pb_record_get_extra(child, "crossref"), "proc");
	ck_assert_str_eq(pb_record_get_extra(child, "@preamble"),
	                 "\\newcommand{\\noopsort}[1]{}");
	ck_assert_str_eq(t.recs[1].key, "plain");
	ck_assert_ptr_null(pb_record_get_extra(&t.recs[1], "@preamble"));
	ck_assert_str_eq(t.recs[2].key, "proc");
	const pb_record *ch = &t.recs[3];
	ck_assert_str_eq(ch->key, "ch");
	ck_assert_str_eq(ch->venue.location, "Berlin");
	ck_assert_str_eq(ch->venue.name, "Works");
	ck_assert_str_eq(pb_record_var(ch, "volume-title"), "Volume");
	ck_assert_str_eq(pb_record_var(ch, "issued"), "1980/1990");
	ck_assert_uint_eq(ch->n_authors, 1);
	ck_assert_uint_eq(pb_record_count_people(ch, "container-author"), 1);
	ck_assert_str_eq(t.recs[4].key, "vol");
	ck_assert_str_eq(t.recs[6].key, "orphan");
	ck_assert_uint_ge(t.warnings, 1);
	test_records_free(&t);
}
END_TEST

/* A parent of any type before its child: biber resolves crossref and
 * xdata between any two types, so an earlier @misc or @article gives
 * its fields as a later @book or @proceedings does. */
static const char crossref_before_bib[] =
    "@misc{p, title = {Parent}, publisher = {Pub}, year = {2001}}\n"
    "@article{x, title = {X}, journal = {J}, volume = {7}}\n"
    "@misc{c, crossref = {p}, title = {Child}}\n"
    "@article{d, xdata = {X}, title = {D}}\n";

START_TEST(test_crossref_before)
{
	test_records t;
	test_read(&t, crossref_before_bib, sizeof crossref_before_bib - 1,
	          &pb_bibtex_input, NULL);
	ck_assert_uint_eq(t.n, 4);
	const pb_record *c = &t.recs[2];
	ck_assert_str_eq(c->key, "c");
	ck_assert_str_eq(c->title, "Child");
	ck_assert_str_eq(c->venue.publisher, "Pub");
	pb_buf tmp = PB_BUF_INIT;
	ck_assert_str_eq(field_value(c, "issued", &tmp), "2001");
	pb_buf_free(&tmp);
	const pb_record *d = &t.recs[3];
	ck_assert_str_eq(d->title, "D");
	ck_assert_str_eq(d->venue.name, "J");
	ck_assert_str_eq(pb_record_var(d, "volume"), "7");
	ck_assert_uint_eq(t.warnings, 0);
	test_records_free(&t);
}
END_TEST

/* Only the last 4096 entries are kept for the children after them (the
 * reader streams): a parent older than that is not found, and the
 * warning says why rather than that it is not in the file. One just
 * within the bound is still found. */
START_TEST(test_crossref_far)
{
	pb_buf bib = PB_BUF_INIT;
	pb_buf_puts(&bib, "@misc{far, title = {Far}, publisher = {FP}}\n"
	                  "@misc{near, title = {Near}, publisher = {NP}}\n");
	for (int i = 0; i < 4095; i++)
		pb_buf_printf(&bib, "@misc{f%d, title = {F}}\n", i);
	pb_buf_puts(&bib, "@misc{c1, crossref = {near}, title = {C1}}\n"
	                  "@misc{c2, crossref = {far}, title = {C2}}\n"
	                  "@misc{c3, crossref = {none}, title = {C3}}\n");
	test_records t;
	test_read(&t, bib.data, bib.len, &pb_bibtex_input, NULL);
	ck_assert_uint_eq(t.n, 4100);
	ck_assert_str_eq(t.recs[4097].key, "c1");
	ck_assert_str_eq(t.recs[4097].venue.publisher, "NP");
	ck_assert_str_eq(t.recs[4098].key, "c2");
	ck_assert_ptr_null(t.recs[4098].venue.publisher);
	ck_assert_uint_eq(t.warnings, 2);
	const char *d = pb_buf_cstr(&t.diags);
	ck_assert_msg(strstr(d, "crossref 'far' not found among the last 4096 "
	                        "entries before it"),
	              "%s", d);
	ck_assert_msg(!strstr(d, "'far' not found in the file"), "%s", d);
	ck_assert_msg(strstr(d, "crossref 'none' not found among"), "%s", d);
	test_records_free(&t);
	pb_buf_free(&bib);
}
END_TEST

/* The inheritance rules (biblatex.def's \\DeclareDataInheritance, and
 * ours for a BibTeX @book holding an @incollection): the parent's title
 * is the child's container, its titleaddon is no part of the child's
 * title, and its key (BibTeX's sorting stand-in, which the writers add
 * to an entry with no author) stays its own. */
static const char inherit_bib[] =
    "@incollection{ch, author = {A, B}, title = {Chapter},\n"
    "  crossref = {bk}}\n"
    "@book{bk, editor = {E, F}, title = {Edited}, subtitle = {Sub},\n"
    "  key = {Ed}, publisher = {P}, year = 2010}\n"
    "@article{ar, title = {Article}, crossref = {jn}}\n"
    "@periodical{jn, title = {Journal}, titleaddon = {Special issue},\n"
    "  key = {Jn}, year = 2011}\n";

START_TEST(test_inherit_rules)
{
	test_records t;
	test_read(&t, inherit_bib, sizeof inherit_bib - 1, &pb_bibtex_input,
	          NULL);
	ck_assert_uint_eq(t.n, 4);
	const pb_record *ch = &t.recs[0];
	ck_assert_str_eq(ch->key, "ch");
	ck_assert_str_eq(ch->title, "Chapter");
	ck_assert_str_eq(ch->venue.name, "Edited: Sub");
	ck_assert_str_eq(ch->venue.publisher, "P");
	ck_assert_uint_eq(pb_record_count_people(ch, "editor"), 1);
	ck_assert_ptr_null(pb_record_get_extra(ch, "key"));
	ck_assert_str_eq(pb_record_get_extra(&t.recs[1], "key"), "Ed");
	const pb_record *ar = &t.recs[2];
	ck_assert_str_eq(ar->title, "Article");
	ck_assert_str_eq(ar->venue.name, "Journal");
	ck_assert_ptr_null(pb_record_get_extra(ar, "key"));
	test_records_free(&t);
}
END_TEST

/* tests/data/zotero-bibtex.bib written as BibTeX and read and written
 * again: the same file (its @incollection comes before its @book). */
START_TEST(test_zotero_fixed_point)
{
	size_t len;
	char *bib = test_slurp("data/zotero-bibtex.bib", &len);
	const char *text = bib;
	char *pass[2];
	for (int i = 0; i < 2; i++) {
		test_records t;
		test_read(&t, text, len, &pb_bibtex_input, NULL);
		ck_assert_uint_gt(t.n, 30);
		const pb_record **recs = test_pointers(t.recs, t.n);
		int rc;
		pass[i] = test_write(&pb_bibtex_format, NULL, NULL, recs, t.n, &rc,
		                     NULL);
		ck_assert_int_eq(rc, PB_OK);
		free(recs);
		test_records_free(&t);
		text = pass[i];
		len = strlen(text);
	}
	/* the first line that differs (the files are too long for Check's
	 * message) */
	size_t at = 0;
	while (pass[0][at] && pass[0][at] == pass[1][at])
		at++;
	while (at && pass[0][at - 1] != '\n')
		at--;
	ck_assert_msg(strcmp(pass[0], pass[1]) == 0,
	              "the second pass differs from the first:\n%.200s\n---\n"
	              "%.200s",
	              pass[0] + at, pass[1] + at);
	free(pass[0]);
	free(pass[1]);
	free(bib);
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
	/* "and others": the name "others" (et al.) */
	{"Bi{\\'n}kowski, Miko{\\l}aj and others",
	 "Miko\xC5\x82" "aj|Bi\xC5\x84kowski|||\n||||others\n"},
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
	 "Nested <span class=\"nocase\">braces deep</span>", "2007",
	 PB_TYPE_PAPER_CONFERENCE},
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
	ck_assert_str_eq(r->title, "Reformer: The Efficient <span "
	                           "class=\"nocase\">Transformer</span>");
	ck_assert_str_eq(r->venue.name,
	                 "International Conference on Learning Representations");
	ck_assert_str_eq(r->venue.short_name, "ICLR");
	ck_assert_str_eq(r->venue.year, "2020");
	ck_assert_str_eq(r->venue.date, "2020-04-26");
	/* venue is the event's place, apart from location and address */
	ck_assert_ptr_null(r->venue.location);
	ck_assert_str_eq(pb_record_var(r, "event-place"), "Addis Ababa, Ethiopia");
	ck_assert_str_eq(r->venue.publisher, "OpenReview.net");
	ck_assert_str_eq(r->url, "https://openreview.net/forum?id=rkgNKkHtvB");
	ck_assert_str_eq(r->pdf_url, "https://openreview.net/pdf?id=rkgNKkHtvB");
	ck_assert_str_eq(r->code_url, "https://github.com/google/trax");
	ck_assert_ptr_null(r->note);
	ck_assert_str_eq(r->abstract, "Large Transformer models.");
	ck_assert_uint_eq(r->n_keywords, 3);
	ck_assert_str_eq(r->keywords[2], "reversible layers");
	ck_assert_str_eq(pb_record_var(r, "DOI"), "10.1/x");
	ck_assert_ptr_null(pb_record_get_extra(r, "doi"));
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
	/* a field with no comma after it is read, with a warning at its
	 * line, as Zotero reads it */
	{"@misc{a, title = {A}\n  year = 2000}\n@misc{b, title = {B}}\n", 2, 1,
	 0, "1:0: warning: entry 'a': no ',' after the field 'title'; read on"},
	/* a preamble with no entry after it has nowhere to go (freed: the
	 * sanitizer builds find a leak here) */
	{"@misc{a, title = {A}}\n@preamble{\"\\x\"}\n", 1, 1, 0,
	 "2:0: warning: @preamble after the last entry: not kept"},
	{"@preamble{\"\\x\"}\n@misc{a}\n", 1, 1, 0, "entry 'a' has no title"},
	{"@misc{a, title = {A} {B}}\n@misc{b, title = {B}}\n", 1, 0, 1,
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
	ck_assert_str_eq(pb_record_var(r, "annote"), "Read twice.");
	ck_assert_ptr_null(pb_record_get_extra(r, "annote"));
	ck_assert_str_eq(pb_record_get_extra(r, "background"),
	                 "\xe8\x83\x8c\xe6\x99\xaf text");
	ck_assert_str_eq(pb_record_get_extra(r, "Track"), "Poster");
	ck_assert_uint_eq(r->n_extra, 2);
	const pb_record *h = &t.recs[1];
	ck_assert_str_eq(pb_record_var(h, "annote"),
	                 "A book entry with an author. In other words: a book "
	                 "entry with a translator field.");
	ck_assert_uint_eq(h->n_extra, 0);

	/* written and read again: the same entries */
	const pb_record *one[] = {r};
	int rc;
	char *first = test_write(&pb_bibtex_format, NULL, NULL, one, 1, &rc, NULL);
	ck_assert_int_eq(rc, PB_OK);
	/* the extra fields (background, the second Track) may be written
	 * as fields of their own or as annote lines: the writer's choice */
	if (!strstr(first, "  note       = {Best paper.\nCode: "
	                   "\\url{https://c.org/x}},\n") ||
	    !strstr(first, "  annote     = {Read twice.\nTrack: Talk\nID: XYZ\n"))
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
	tcase_add_loop_test(tc, test_rich, 0, TEST_COUNT(rich_cases));
	tcase_add_loop_test(tc, test_fields, 0, TEST_COUNT(field_cases));
	tcase_add_test(tc, test_crossref);
	tcase_add_test(tc, test_crossref_before);
	tcase_add_test(tc, test_crossref_far);
	tcase_add_test(tc, test_inherit_rules);
	tcase_add_test(tc, test_zotero_fixed_point);
	tcase_add_loop_test(tc, test_names, 0, TEST_COUNT(name_cases));
	tcase_add_loop_test(tc, test_syntax, 0, TEST_COUNT(syntax_cases));
	tcase_add_test(tc, test_biblatex_fields);
	tcase_add_test(tc, test_annote);
	tcase_add_loop_test(tc, test_bad, 0, TEST_COUNT(bad_cases));
	tcase_add_loop_test(tc, test_probe_scores, 0, TEST_COUNT(probe_cases));
	suite_add_tcase(s, tc);
	return s;
}
