/* The Markdown paper-list reader (issue 15): one fixture per shape, read
 * and compared field by field; a field missing in the middle of a list
 * stays missing (nothing moves to a neighbouring record); clutter gives no
 * record; detection leaves plain labelled lists on the line reader. */
#include <check.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "md.h"
#include "testutil.h"

/* A fixture and the dump (test_dump, venue included) of each record it
 * gives, with the record's line first. */
typedef struct md_case {
	const char *file;
	const char *const *want; /* NULL-terminated */
	const char *note;        /* the -v note naming the shape */
} md_case;

#define NONE "url=(null)\npdf=(null)\ncode=(null)\nid=(null)\n"

static const char *const labelled[] = {
	"line=3\ntitle=Sparse Attention for Long Documents\n"
	"author=Ana|Lima|||\nauthor=Bo|Chen|||\n"
	"url=https://openreview.net/forum?id=Abc123\n"
	"pdf=https://openreview.net/pdf?id=Abc123\ncode=(null)\nid=Abc123\n"
	"abstract=First paragraph of the abstract. Second paragraph of the "
	"abstract.\n"
	"venue.name=International Conference on Learning Representations\n"
	"venue.short=ICLR\nvenue.year=2021\n",
	/* no URL: it does not take the next entry's */
	"line=19\ntitle=Graph Priors Without Labels\nauthor=Carla|Diaz|||\n" NONE
	"abstract=An abstract without a link above it.\n"
	"venue.name=International Conference on Learning Representations\n"
	"venue.short=ICLR\nvenue.year=2021\n",
	/* no conference: the one above does not carry over */
	"line=31\ntitle=Robust Tokenizers\nauthor=Dan|Evans|||\nauthor=Eva|Fox|||\n"
	"url=https://openreview.net/forum?id=Xyz789\n"
	"pdf=https://openreview.net/pdf?id=Xyz789\ncode=(null)\nid=Xyz789\n"
	"abstract=(null)\nvenue.name=(null)\nvenue.short=(null)\nvenue.year=(null)\n",
	NULL,
};

#define CVPR                                                                 \
	"venue.name=IEEE/CVF Conference on Computer Vision and Pattern "      \
	"Recognition\nvenue.short=CVPR\nvenue.year=2023\n"

static const char *const bold[] = {
	"line=10\ntitle=Fast Boxes: Real-Time Detection\n"
	"url=https://arxiv.org/abs/2303.01234\npdf=(null)\n"
	"code=https://github.com/a/fastboxes\nid=2303.01234\nabstract=(null)\n" CVPR,
	/* "Paper: None": no paper link, not the next one's */
	"line=15\ntitle=Slow Boxes\nurl=(null)\npdf=(null)\n"
	"code=https://github.com/b/slow\nid=(null)\nabstract=(null)\n" CVPR,
	"line=20\ntitle=Medium Boxes\nurl=https://arxiv.org/abs/2303.05678v2\n"
	"pdf=(null)\ncode=(null)\nid=2303.05678\nabstract=(null)\n"
	"extra=homepage:https://medium.example.org/\n" CVPR,
	"line=30\ntitle=掩码分割的新方法\nurl=https://arxiv.org/abs/2304.00001\n"
	"pdf=(null)\ncode=https://gitlab.com/c/mask\nid=2304.00001\n"
	"abstract=(null)\n" CVPR,
	NULL,
};

static const char *const mustread[] = {
	"line=6\ntitle=A Survey of Things\nauthor=Ann|Lee|||\nauthor=Bo|Chen|||\n"
	"url=https://arxiv.org/abs/1801.00001\n"
	"pdf=https://arxiv.org/pdf/1801.00001.pdf\ncode=(null)\nid=1801.00001\n"
	"abstract=(null)\n"
	"venue.name=Advances in Neural Information Processing Systems\n"
	"venue.short=NeurIPS\nvenue.year=2018\n",
	/* no link, inverted names, "others" */
	"line=10\ntitle=Things Without Links\nauthor=Ann|Lee|||\nauthor=Bo|Chen|||\n"
	"author=||||others\n" NONE "abstract=(null)\n"
	"venue.name=(null)\nvenue.short=(null)\nvenue.year=2019\n",
	"line=14\ntitle=Things Revisited\nauthor=Carl|Dunn|||\n"
	"url=https://doi.org/10.1234/abcd.5\npdf=(null)\n"
	"code=https://github.com/x/things\nid=(null)\nabstract=(null)\n"
	"var=DOI:10.1234/abcd.5\n"
	"venue.name=AI Open\nvenue.short=(null)\nvenue.year=2020\n",
	NULL,
};

static const char *const table[] = {
	"line=8\ntitle=Things Networks on Graphs\n"
	"url=https://openreview.net/forum?id=T1\npdf=https://openreview.net/pdf?id=T1\n"
	"code=https://github.com/t/tnet\nid=T1\nabstract=(null)\n"
	"venue.name=International Conference on Learning Representations\n"
	"venue.short=ICLR\nvenue.year=2017\n",
	/* no code: not the row above's or below's */
	"line=9\ntitle=Graphs Without Code\nurl=https://arxiv.org/abs/1906.00001\n"
	"pdf=(null)\ncode=(null)\nid=1906.00001\nabstract=(null)\n"
	"venue.name=Advances in Neural Information Processing Systems\n"
	"venue.short=NeurIPS\nvenue.year=2019\n",
	"line=10\ntitle=Unlinked Things\n" NONE "abstract=(null)\n"
	"venue.name=(null)\nvenue.short=(null)\nvenue.year=(null)\n",
	"line=16\ntitle=Four Columns Are Fine\nurl=https://example.org/paper.pdf\n"
	"pdf=https://example.org/paper.pdf\ncode=(null)\nid=(null)\n"
	"abstract=(null)\nvenue.name=(null)\nvenue.short=(null)\nvenue.year=(null)\n",
	NULL,
};

static const char *const linked[] = {
	"line=9\ntitle=Stars Without Dust\nauthor=A.|Lee|||\nauthor=B.|Chen|||\n"
	"author=C.|Dunn|||\nurl=https://arxiv.org/abs/2504.00001\npdf=(null)\n"
	"code=(null)\nid=2504.00001\n"
	"abstract=The first line of a hard-wrapped abstract.\n"
	"venue.name=(null)\nvenue.short=(null)\nvenue.year=(null)\n",
	/* no authors: not the next entry's */
	"line=17\ntitle=Dust Without Stars\nurl=https://arxiv.org/abs/2504.00002\n"
	"pdf=(null)\ncode=(null)\nid=2504.00002\nabstract=No authors here.\n"
	"venue.name=(null)\nvenue.short=(null)\nvenue.year=(null)\n",
	/* HTML inside Markdown; "(Oral)" is the track */
	"line=21\ntitle=Html Headings Work\nauthor=Eve|Fox|||\n"
	"url=https://example.org/p4.pdf\npdf=https://example.org/p4.pdf\n"
	"code=(null)\nid=(null)\nabstract=(null)\n"
	"venue.name=(null)\nvenue.short=(null)\nvenue.year=(null)\n",
	NULL,
};

static const char *const bullets[] = {
	"line=3\ntitle=Bullet Titles Are Papers Too\nauthor=Ann|Lee|||\n"
	"author=Bo|Chen|||\nurl=https://arxiv.org/abs/2101.00042\npdf=(null)\n"
	"code=(null)\nid=2101.00042\nabstract=(null)\n"
	"venue.name=(null)\nvenue.short=(null)\nvenue.year=(null)\n",
	/* no authors, no paper link */
	"line=6\ntitle=A Second Bullet Paper\nurl=(null)\npdf=(null)\n"
	"code=https://github.com/x/y\nid=(null)\nabstract=(null)\n"
	"venue.name=(null)\nvenue.short=(null)\nvenue.year=(null)\n",
	"line=8\ntitle=A Third Bullet Paper\nauthor=Carl|Dunn|||\n"
	"url=https://example.org/third.pdf\npdf=https://example.org/third.pdf\n"
	"code=(null)\nid=(null)\nabstract=(null)\n"
	"venue.name=(null)\nvenue.short=(null)\nvenue.year=(null)\n",
	NULL,
};

static const char *const award[] = {
	"line=7\ntitle=Reading Between the Lines: A Study of Margins\n"
	"author=Ann|Lee|||\nauthor=Bo|Chen|||\nauthor=Carl|Dunn|||\n" NONE
	"abstract=(null)\nvenue.name=(null)\nvenue.short=(null)\nvenue.year=(null)\n",
	"line=12\ntitle=Solo Author Paper Title Here\nauthor=Dana|Evans|||\n" NONE
	"abstract=(null)\nvenue.name=(null)\nvenue.short=(null)\nvenue.year=(null)\n",
	NULL,
};

static const char *const inline_list[] = {
	"line=6\ntitle=Inline Titles in Brackets\nurl=https://arxiv.org/abs/1905.00001\n"
	"pdf=(null)\ncode=https://github.com/a/inline\nid=1905.00001\n"
	"abstract=(null)\nvenue.name=Annual Meeting of the Association for "
	"Computational Linguistics\nvenue.short=ACL\nvenue.year=2019\n",
	/* no code link */
	"line=7\ntitle=No Code Here\nurl=https://arxiv.org/abs/2005.00002\n"
	"pdf=(null)\ncode=(null)\nid=2005.00002\nabstract=(null)\n"
	"venue.name=Conference on Empirical Methods in Natural Language "
	"Processing\nvenue.short=EMNLP\nvenue.year=2020\n",
	/* no venue: EMNLP does not carry over */
	"line=8\ntitle=Last One\nurl=(null)\npdf=(null)\ncode=https://github.com/c/last\n"
	"id=(null)\nabstract=(null)\n"
	"venue.name=(null)\nvenue.short=(null)\nvenue.year=(null)\n",
	NULL,
};

#define NO_VENUE "venue.name=(null)\nvenue.short=(null)\nvenue.year=(null)\n"

/* A title line, then an italic author line (accepted-paper lists); a
 * title without an author line is no entry and takes no one's authors. */
static const char *const accepted[] = {
	"line=5\ntitle=A Study of Things\nauthor=Jane|Smith|||\nauthor=Wei|Zhang|||\n" NONE
	"abstract=(null)\n" NO_VENUE,
	"line=8\ntitle=Learning to Learn Things Quickly\nauthor=Ann|Lee|||\n"
	"author=Bo|Chen|||\n" NONE "abstract=(null)\n" NO_VENUE,
	"line=14\ntitle=The Third Paper Title Here\nauthor=Carl|Dunn|||\n" NONE
	"abstract=(null)\n" NO_VENUE,
	"line=16\ntitle=Robust Tokenizers for Every Language\nauthor=Dana|Evans|||\n"
	"author=Eve|Fox|||\n" NONE "abstract=(null)\n" NO_VENUE,
	NULL,
};

/* Formatted references (roadmaps, bibliographies): the title marked by
 * quotes or bold, else after the year or the authors' period; volume,
 * issue, pages and DOI as extra fields. */
static const char *const refs_md[] = {
	"line=5\n"
	"title=A Study of Things\n"
	"author=Jane|Smith|||\n"
	"author=Wei|Zhang|||\n"
	"url=https://example.org/things.pdf\n"
	"pdf=https://example.org/things.pdf\n"
	"code=(null)\n"
	"id=(null)\n"
	"abstract=(null)\n"
	"var=volume:12\n"
	"var=issue:3\n"
	"var=page:45-67\n"
	"venue.name=Journal of Stuff\n"
	"venue.short=(null)\n"
	"venue.year=2019\n",
	/* no link: not the next entry's; et al. is others */
	"line=7\n"
	"title=Things without links\n"
	"author=Ann|Lee|||\n"
	"author=||||others\n"
	"url=(null)\n"
	"pdf=(null)\n"
	"code=(null)\n"
	"id=(null)\n"
	"abstract=(null)\n"
	"var=volume:313\n"
	"var=issue:5786\n"
	"var=page:504-507\n"
	"venue.name=Science\n"
	"venue.short=(null)\n"
	"venue.year=2006\n",
	/* arXiv id from the text; no venue name, no pages */
	"line=9\n"
	"title=Learning things quickly\n"
	"author=Bo|Chen|||\n"
	"author=Carl|Dunn|||\n"
	"url=https://arxiv.org/abs/1706.03762\n"
	"pdf=(null)\n"
	"code=https://github.com/b/things\n"
	"id=1706.03762\n"
	"abstract=(null)\n"
	"venue.name=(null)\n"
	"venue.short=(null)\n"
	"venue.year=2017\n",
	/* the first of other styles: IEEE, APA, ACL */
	"line=13\n"
	"title=Fast boxes for detection\n"
	"author=A.|Smith|||\n"
	"author=B.|Zhang|||\n"
	"author=C.|Lee|||\n"
	"url=(null)\n"
	"pdf=(null)\n"
	"code=(null)\n"
	"id=(null)\n"
	"abstract=(null)\n"
	"var=page:1–10\n"
	"venue.name=IEEE/CVF Conference on Computer Vision and Pattern Recognition\n"
	"venue.short=CVPR\n"
	"venue.year=2019\n",
	"line=14\n"
	"title=Title of the second study\n"
	"author=J.|Smith|||\n"
	"author=W.|Zhang|||\n"
	"url=https://doi.org/10.1234/apa.5\n"
	"pdf=(null)\n"
	"code=(null)\n"
	"id=(null)\n"
	"abstract=(null)\n"
	"var=DOI:10.1234/apa.5\n"
	"var=volume:12\n"
	"var=issue:3\n"
	"var=page:45–67\n"
	"venue.name=Journal of Things\n"
	"venue.short=(null)\n"
	"venue.year=2020\n",
	"line=15\n"
	"title=Pre-training deep things for understanding\n"
	"author=Jacob|Devlin|||\n"
	"author=Ming-Wei|Chang|||\n"
	"author=Kenton|Lee|||\n"
	"url=(null)\n"
	"pdf=(null)\n"
	"code=(null)\n"
	"id=(null)\n"
	"abstract=(null)\n"
	"var=page:4171–4186\n"
	"venue.name=Conference of the North American Chapter of the Association for Computational Linguistics: Human Language Technologies\n"
	"venue.short=NAACL\n"
	"venue.year=2019\n",
	NULL,
};

static const char *const refs_txt[] = {
	"line=3\n"
	"title=A study of things\n"
	"author=J.|Smith|||\n"
	"author=W.|Zhang|||\n"
	"url=(null)\n"
	"pdf=(null)\n"
	"code=(null)\n"
	"id=(null)\n"
	"abstract=(null)\n"
	"var=volume:12\n"
	"var=page:45–67\n"
	"var=DOI:10.1234/abcd\n"
	"venue.name=J Stuff\n"
	"venue.short=(null)\n"
	"venue.year=2019\n",
	/* no DOI: not the neighbours' */
	"line=4\n"
	"title=Another study of other things\n"
	"author=A.|Lee|||\n"
	"author=B.|Chen|||\n"
	"author=C.|Dunn|||\n"
	"url=(null)\n"
	"pdf=(null)\n"
	"code=(null)\n"
	"id=(null)\n"
	"abstract=(null)\n"
	"var=volume:117\n"
	"var=issue:3\n"
	"var=page:1–10\n"
	"venue.name=Proc Natl Acad Sci\n"
	"venue.short=(null)\n"
	"venue.year=2020\n",
	"line=5\n"
	"title=A third study\n"
	"author=A.|van der Berg|van der||\n"
	"author=D.|Evans|||\n"
	"url=https://doi.org/10.5678/third\n"
	"pdf=(null)\n"
	"code=(null)\n"
	"id=(null)\n"
	"abstract=(null)\n"
	"var=DOI:10.5678/third\n"
	"var=volume:3\n"
	"var=page:e1234\n"
	"venue.name=Nat Things\n"
	"venue.short=(null)\n"
	"venue.year=2021\n",
	NULL,
};

/* Variants of shapes 1-5: __bold__ titles, + and * bullets, a full-width
 * colon and a space, <url> links, a #### linked heading among bold
 * titles, a Paper Title/Authors/Venue/Year/Link table, an item under a
 * year heading with a trailing (CVPR 2020). */
static const char *const variants[] = {
	"line=3\n"
	"title=Bold Underscore Title One\n"
	"url=https://arxiv.org/abs/2001.00001\n"
	"pdf=(null)\n"
	"code=https://github.com/a/one\n"
	"id=2001.00001\n"
	"abstract=(null)\n"
	"venue.name=(null)\n"
	"venue.short=(null)\n"
	"venue.year=(null)\n",
	/* no code: not the one above */
	"line=8\n"
	"title=Second Underscore Title\n"
	"url=https://arxiv.org/abs/2001.00002\n"
	"pdf=(null)\n"
	"code=(null)\n"
	"id=2001.00002\n"
	"abstract=(null)\n"
	"venue.name=(null)\n"
	"venue.short=(null)\n"
	"venue.year=(null)\n",
	/* a linked heading among bold titles is an entry, no section */
	"line=12\n"
	"title=Heading Four Linked Title\n"
	"author=Ann|Lee|||\n"
	"author=Bo|Chen|||\n"
	"url=https://arxiv.org/abs/2001.00004\n"
	"pdf=(null)\n"
	"code=(null)\n"
	"id=2001.00004\n"
	"abstract=(null)\n"
	"venue.name=(null)\n"
	"venue.short=(null)\n"
	"venue.year=(null)\n",
	"line=18\n"
	"title=Table Title One\n"
	"author=Ann|Lee|||\n"
	"author=Bo|Chen|||\n"
	"url=https://a.org/t1.pdf\n"
	"pdf=https://a.org/t1.pdf\n"
	"code=(null)\n"
	"id=(null)\n"
	"abstract=(null)\n"
	"venue.name=IEEE/CVF Conference on Computer Vision and Pattern Recognition\n"
	"venue.short=CVPR\n"
	"venue.year=2020\n",
	"line=22\n"
	"title=Nested Title Under Year\n"
	"url=https://arxiv.org/abs/1901.00009\n"
	"pdf=(null)\n"
	"code=(null)\n"
	"id=1901.00009\n"
	"abstract=(null)\n"
	"venue.name=IEEE/CVF Conference on Computer Vision and Pattern Recognition\n"
	"venue.short=CVPR\n"
	"venue.year=2020\n",
	NULL,
};

static const md_case cases[] = {
	{"data/md-labelled.md", labelled, "entries 1\xE2\x80\x93" "3: heading + fields, lines 3\xE2\x80\x93" "35"},
	{"data/md-bold.md", bold, "entries 1\xE2\x80\x93" "4: bold title + bullet fields"},
	{"data/md-mustread.md", mustread, "entries 1\xE2\x80\x93" "3: list items"},
	{"data/md-table.md", table, "entries 1\xE2\x80\x93" "4: table rows"},
	{"data/md-linked.md", linked, "entries 1\xE2\x80\x93" "3: heading + fields"},
	{"data/md-bullets.md", bullets, "entries 1\xE2\x80\x93" "3: list items"},
	{"data/md-award.txt", award, "entries 1\xE2\x80\x93" "2: title line + author line"},
	{"data/md-inline.md", inline_list, "entries 1\xE2\x80\x93" "3: list items"},
	{"data/md-refs.md", refs_md, "entries 1\xE2\x80\x93" "6: formatted references, lines 5\xE2\x80\x93" "15"},
	{"data/md-refs.txt", refs_txt, "entries 1\xE2\x80\x93" "3: formatted references, lines 3\xE2\x80\x93" "5"},
	{"data/md-variants.md", variants, "entries 3\xE2\x80\x93" "3: heading + fields, lines 12\xE2\x80\x93" "14"},
	{"data/md-accepted.md", accepted, "entries 1\xE2\x80\x93" "4: title line + author line, lines 5\xE2\x80\x93" "17"},
};

START_TEST(shape_read_field_by_field)
{
	const md_case *c = &cases[_i];
	size_t len;
	char *text = test_slurp(c->file, &len);
	test_records t;
	test_read(&t, text, len, &pb_markdown_format, NULL);
	size_t want_n = 0;
	while (c->want[want_n])
		want_n++;
	const char *d = pb_buf_cstr(&t.diags);
	ck_assert_msg(t.n == want_n, "%s: %zu records, want %zu (%s)", c->file, t.n,
	              want_n, d);
	for (size_t i = 0; i < t.n; i++) {
		pb_buf got = PB_BUF_INIT;
		pb_buf_printf(&got, "line=%lu\n", t.recs[i].line);
		test_dump(&got, &t.recs[i], 1);
		/* the track is checked where the fixture has one */
		ck_assert_msg(strcmp(pb_buf_cstr(&got), c->want[i]) == 0,
		              "%s: record %zu differs:\n--- want\n%s--- got\n%s", c->file, i,
		              c->want[i], pb_buf_cstr(&got));
		ck_assert_str_eq(t.recs[i].file, "test.txt");
		pb_buf_free(&got);
	}
	ck_assert_msg(t.errors == 0 && t.warnings == 0, "%s: %s", c->file, d);
	ck_assert_msg(d && strstr(d, c->note), "%s: no note '%s' in: %s", c->file,
	              c->note, d);
	test_records_free(&t);
	free(text);
}
END_TEST

/* "et al." in an italic author line: the name "others" after the
 * authors given, never an author "al, et". */
START_TEST(et_al_goes_on)
{
	static const char text[] =
	    "- **A Title Here.** NeurIPS 2019. [paper](https://arxiv.org/abs/1903.03894)\n\n"
	    "  *Alice Smith, Bob Jones, et al.*\n\n"
	    "- **B Title Here.** ICML 2019. [paper](https://arxiv.org/abs/1903.03895)\n\n"
	    "  *Carl Li, Dan Wu.*\n";
	test_records t;
	test_read(&t, text, sizeof text - 1, &pb_markdown_format, NULL);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_uint_eq(t.recs[0].n_authors, 3);
	ck_assert_str_eq(t.recs[0].authors[2].literal, "others");
	ck_assert_uint_eq(t.recs[1].n_authors, 2);
	ck_assert_str_eq(t.recs[1].authors[1].family, "Wu");
	test_records_free(&t);
}
END_TEST

/* A doi.org link with no DOI after the host names none (fuzzing: the
 * reader read past "doi.org" with no '/' after it). */
START_TEST(doi_host_without_doi)
{
	static const char text[] = "**A Title of a Paper**\n\n"
	                           "- Paper: https://doi.org\n"
	                           "- Code: https://github.com/a/b\n\n"
	                           "**Another Title of a Paper**\n\n"
	                           "- Paper: https://doi.org/10.1234/abc\n";
	test_records t;
	test_read(&t, text, sizeof text - 1, &pb_markdown_format, NULL);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_ptr_null(pb_record_var(&t.recs[0], "DOI"));
	ck_assert_str_eq(pb_record_var(&t.recs[1], "DOI"), "10.1234/abc");
	test_records_free(&t);
}
END_TEST

START_TEST(tags_become_the_track)
{
	size_t len;
	char *text = test_slurp("data/md-linked.md", &len);
	test_records t;
	test_read(&t, text, len, &pb_markdown_format, NULL);
	ck_assert_uint_eq(t.n, 3);
	ck_assert_ptr_null(t.recs[1].venue.track);
	ck_assert_str_eq(t.recs[2].venue.track, "Oral");
	test_records_free(&t);
	free(text);
}
END_TEST

/* A reference with a volume or in a journal is an article; one in
 * proceedings or on arXiv stays a conference paper. */
START_TEST(references_have_their_type)
{
	static const pb_type want[] = {PB_TYPE_ARTICLE, PB_TYPE_ARTICLE,
	                               PB_TYPE_PAPER_CONFERENCE,
	                               PB_TYPE_PAPER_CONFERENCE, PB_TYPE_ARTICLE,
	                               PB_TYPE_PAPER_CONFERENCE};
	size_t len;
	char *text = test_slurp("data/md-refs.md", &len);
	test_records t;
	test_read(&t, text, len, &pb_markdown_format, NULL);
	ck_assert_uint_eq(t.n, 6);
	for (size_t i = 0; i < t.n; i++)
		ck_assert_msg(t.recs[i].type == want[i], "record %zu: type %d", i,
		              (int)t.recs[i].type);
	test_records_free(&t);
	free(text);
}
END_TEST

/* Lines that are no references: a must-read item, a sentence citing a
 * paper, a title with a venue. */
static const char *const not_references[] = {
	"1. **Deep Things.** NeurIPS 2018. [paper](https://a.org/p)",
	"We follow Smith et al. (2019) in this survey of things.",
	"Deep Residual Learning. CVPR 2016. Kaiming He.",
	"Attention Is All You Need (NeurIPS 2017)",
};

START_TEST(sentences_are_no_references)
{
	const char *s = not_references[_i];
	ck_assert_msg(!md_is_reference(s, strlen(s), NULL, 0), "%s", s);
}
END_TEST

/* Clutter only: front matter, a table of contents, badges, navigation,
 * section headings: no record, and an error naming the shapes looked for. */
START_TEST(clutter_gives_no_record)
{
	size_t len;
	char *text = test_slurp("data/md-clutter.md", &len);
	test_records t;
	test_read(&t, text, len, &pb_markdown_format, NULL);
	ck_assert_uint_eq(t.n, 0);
	ck_assert_uint_eq(t.errors, 1);
	ck_assert_ptr_nonnull(strstr(pb_buf_cstr(&t.diags), "tables with a Title"));
	test_records_free(&t);
	free(text);
}
END_TEST

static const test_diag_case diag_cases[] = {
	/* fields under a section heading of a bold-titled list: no title */
	{"# Section\n\n- Paper: https://arxiv.org/abs/2301.00001\n\n"
	 "**Titled Entry One**\n\n- Paper: https://arxiv.org/abs/2301.00002\n\n"
	 "**Titled Entry Two**\n\n- Code: https://github.com/a/b\n",
	 2, 1, 0, "1:0: warning: an entry without a title"},
	/* a bold line of the page with no field is no record */
	{"**Welcome to the list**\n\nSome words.\n\n"
	 "**A Real Entry**\n\n- Paper: https://arxiv.org/abs/2301.00002\n",
	 1, 0, 0, ""},
	/* LaTeX the allow-list refuses: one warning per record, at the line
	 * of the block holding it (title, a later abstract paragraph,
	 * authors, a reference's title); allowed LaTeX is no warning */
	{"## [1] Evil $\\input{/etc/hostname}$ Title\n\n**Authors**: *Ann Lee*\n\n"
	 "**URL**: https://arxiv.org/abs/2101.00001\n",
	 1, 1, 0, "1:0: warning: LaTeX command \\input is not allowed in a paper list; "
	 "written as text"},
	{"## [2] Fine $\\mathcal{O}(n)$ Title\n\n**Authors**: *Cy Dee*\n\n"
	 "**URL**: https://arxiv.org/abs/2101.00002\n\n**Abstract**: First "
	 "paragraph, \\emph{fine}.\n\nSecond with \\write18{x} and \\def.\n",
	 1, 1, 0, "9:0: warning: LaTeX command \\write is not allowed"},
	{"**A Bold Title**\n\n- Authors: Ann \\csname x\\endcsname Lee\n"
	 "- Paper: https://arxiv.org/abs/2101.00003\n",
	 1, 1, 0, "3:0: warning: LaTeX command \\csname is not allowed"},
	{"Smith J, Zhang W (2019) A study of $x^^5cinput$ things. J Stuff 12:45. "
	 "doi:10.1/x\nLee A, Chen B (2020) Another study. J Stuff 13:1.\n",
	 2, 1, 0, "1:0: warning: LaTeX notation ^^ is not allowed"},
	{"## [3] Fine $\\Omega(\\eta)$ Title\n\n**Authors**: *Cy Dee*\n\n"
	 "**URL**: https://arxiv.org/abs/2101.00004\n\n**Abstract**: "
	 "\\texttt{FedAvg}, {\\it negative}, 50\\%.\n",
	 1, 0, 0, ""},
	/* badges are no links of an entry */
	{"## [1] A Badge Test\n\n[![b](https://img.shields.io/x.svg)](https://github.com/x/y)\n\n"
	 "**Authors**: *Ann Lee*\n",
	 1, 0, 0, ""},
};

START_TEST(diagnostics)
{
	test_diagnosed(&pb_markdown_format, &diag_cases[_i]);
}
END_TEST

START_TEST(badges_are_no_code)
{
	test_records t;
	const char *text = diag_cases[TEST_COUNT(diag_cases) - 1].text;
	test_read(&t, text, strlen(text), &pb_markdown_format, NULL);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_ptr_null(t.recs[0].code_url);
	ck_assert_ptr_null(t.recs[0].url);
	test_records_free(&t);
}
END_TEST

/* ---- detection --------------------------------------------------------- */

static const pb_input_format *detected(const char *text, size_t len,
                                       const char *name)
{
	FILE *in = len ? fmemopen((void *)text, len, "rb") : fopen("/dev/null", "rb");
	ck_assert_ptr_nonnull(in);
	int rc;
	pb_reader *r = pb_reader_open(in, name, NULL, NULL, NULL, &rc);
	ck_assert_ptr_nonnull(r);
	const pb_input_format *f = r->format;
	pb_reader_free(r);
	fclose(in);
	return f;
}

/* Every plain-text input of the project stays on the line reader. */
START_TEST(plain_inputs_stay_plain)
{
	static const char *const dirs[] = {"../examples", "golden", "data"};
	size_t seen = 0;
	for (size_t d = 0; d < 3; d++) {
		DIR *dir = opendir(dirs[d]);
		ck_assert_ptr_nonnull(dir);
		struct dirent *e;
		while ((e = readdir(dir))) {
			size_t n = strlen(e->d_name);
			if (n < 4 || strcmp(e->d_name + n - 4, ".txt") != 0 ||
			    strncmp(e->d_name, "md-", 3) == 0)
				continue;
			pb_buf path = PB_BUF_INIT;
			pb_buf_printf(&path, "%s/%s", dirs[d], e->d_name);
			size_t len;
			char *text = test_slurp(pb_buf_cstr(&path), &len);
			ck_assert_msg(detected(text, len, pb_buf_cstr(&path)) == &pb_paperlist_format,
			              "%s is no longer read as a plain list", pb_buf_cstr(&path));
			free(text);
			pb_buf_free(&path);
			seen++;
		}
		closedir(dir);
	}
	ck_assert_uint_ge(seen, 3);
}
END_TEST

/* Plain labelled lists with Markdown touches (the reference list's
 * "**Title **", "### Title", "- Author:" bullets) stay plain. */
static const char *const plain_heads[] = {
	"**Title One **\nAuthor: A B\nlink: https://openreview.net/pdf?id=x\n\n"
	"**Title Two**\nAuthor: C D\nlink: https://openreview.net/pdf?id=y\n",
	"### Title One\nAuthor: A B\nlink: https://openreview.net/pdf?id=x\n\n"
	"### Title Two\nAuthor: C D\nlink: https://openreview.net/pdf?id=y\n",
	"Title One\n- Author: A B\n- link: https://openreview.net/pdf?id=x\n\n"
	"Title Two\n- Author: C D\n- link: https://openreview.net/pdf?id=y\n",
};

START_TEST(plain_variants_stay_plain)
{
	const char *s = plain_heads[_i];
	ck_assert_ptr_eq(detected(s, strlen(s), "list.txt"), &pb_paperlist_format);
}
END_TEST

START_TEST(markdown_shapes_are_detected)
{
	const md_case *c = &cases[_i];
	size_t len;
	char *text = test_slurp(c->file, &len);
	ck_assert_msg(detected(text, len, "pasted.txt") == &pb_markdown_format,
	              "%s is not read as Markdown", c->file);
	free(text);
}
END_TEST

Suite *md_suite(void);
Suite *md_suite(void)
{
	Suite *s = suite_create("md");
	TCase *tc = tcase_create("shapes");
	tcase_add_loop_test(tc, shape_read_field_by_field, 0, TEST_COUNT(cases));
	tcase_add_test(tc, tags_become_the_track);
	tcase_add_test(tc, et_al_goes_on);
	tcase_add_test(tc, doi_host_without_doi);
	tcase_add_test(tc, clutter_gives_no_record);
	tcase_add_test(tc, references_have_their_type);
	tcase_add_loop_test(tc, sentences_are_no_references, 0,
	                    TEST_COUNT(not_references));
	tcase_add_loop_test(tc, diagnostics, 0, TEST_COUNT(diag_cases));
	tcase_add_test(tc, badges_are_no_code);
	suite_add_tcase(s, tc);
	tc = tcase_create("detection");
	tcase_add_test(tc, plain_inputs_stay_plain);
	tcase_add_loop_test(tc, plain_variants_stay_plain, 0, TEST_COUNT(plain_heads));
	tcase_add_loop_test(tc, markdown_shapes_are_detected, 0, TEST_COUNT(cases));
	suite_add_tcase(s, tc);
	return s;
}
