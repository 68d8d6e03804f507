/* Name splitting: display order (paper lists), inverted order (BibTeX,
 * RIS), literals, and every author of the reference list. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paperbib/paperbib.h"

Suite *names_suite(void);

/* Expected parts; NULL means absent. */
typedef struct name_case {
	const char *in;
	const char *given, *family, *particle, *suffix, *literal;
	const char *core; /* pb_name_family_core, NULL for a literal */
} name_case;

static const name_case display_cases[] = {
    /* the table of issue 3 */
    {"Mihaela van der Schaar", "Mihaela", "van der Schaar", "van der", NULL,
     NULL, "Schaar"},
    {"Tom Van de Wiele", "Tom", "Van de Wiele", "Van de", NULL, NULL, "Wiele"},
    {"Martin Luther King Jr.", "Martin Luther", "King", NULL, "Jr.", NULL,
     "King"},
    {"M. Pawan Kumar", "M. Pawan", "Kumar", NULL, NULL, NULL, "Kumar"},
    {"Alexander J. Smola", "Alexander J.", "Smola", NULL, NULL, NULL, "Smola"},
    {"Joern-Henrik Jacobsen", "Joern-Henrik", "Jacobsen", NULL, NULL, NULL,
     "Jacobsen"},
    {"Gábor Melis", "Gábor", "Melis", NULL, NULL, NULL, "Melis"},
    {"Tomáš Kočiský", "Tomáš", "Kočiský", NULL, NULL, NULL, "Kočiský"},
    {"Mikołaj Bińkowski", "Mikołaj", "Bińkowski", NULL, NULL, NULL,
     "Bińkowski"},
    {"Xin-Yu Dai", "Xin-Yu", "Dai", NULL, NULL, NULL, "Dai"},
    {"S. Balasubramanian", "S.", "Balasubramanian", NULL, NULL, NULL,
     "Balasubramanian"},
    {"Plato", NULL, NULL, NULL, NULL, "Plato", NULL},
    {"OpenAI", NULL, NULL, NULL, NULL, "OpenAI", NULL},
    /* the tables and space tests compared byte by byte, without strlen */
    {"Jean\xC2\xA0" "de\xC2\xA0la Fontaine", "Jean", "de la Fontaine",
     "de la", NULL, NULL, "Fontaine"},
    {"Li\xE3\x80\x80Wei", "Li", "Wei", NULL, NULL, NULL, "Wei"},
    {"google brain team", NULL, NULL, NULL, NULL, "google brain team", NULL},
    {"Ai Chen", "Ai", "Chen", NULL, NULL, NULL, "Chen"},
    {"Bob AI", NULL, NULL, NULL, NULL, "Bob AI", NULL},
    {"Lob Smith", "Lob", "Smith", NULL, NULL, NULL, "Smith"},
    {"김 민수", NULL, NULL, NULL, NULL, "김 민수", NULL},
    /* suffixes, with and without a comma */
    {"Martin Luther King, Jr.", "Martin Luther", "King", NULL, "Jr.", NULL,
     "King"},
    {"Martin Luther King Jr", "Martin Luther", "King", NULL, "Jr", NULL,
     "King"},
    {"John Smith Sr.", "John", "Smith", NULL, "Sr.", NULL, "Smith"},
    {"John Smith, Sr", "John", "Smith", NULL, "Sr", NULL, "Smith"},
    {"John Smith II", "John", "Smith", NULL, "II", NULL, "Smith"},
    {"John Smith, III", "John", "Smith", NULL, "III", NULL, "Smith"},
    {"John Smith IV", "John", "Smith", NULL, "IV", NULL, "Smith"},
    {"King Jr.", NULL, "King", NULL, "Jr.", NULL, "King"},
    /* particles */
    {"Elise van der Pol", "Elise", "van der Pol", "van der", NULL, NULL, "Pol"},
    {"Ludwig van Beethoven", "Ludwig", "van Beethoven", "van", NULL, NULL,
     "Beethoven"},
    {"Jan van den Berg", "Jan", "van den Berg", "van den", NULL, NULL, "Berg"},
    {"Alexander von Humboldt", "Alexander", "von Humboldt", "von", NULL, NULL,
     "Humboldt"},
    {"Nando de Freitas", "Nando", "de Freitas", "de", NULL, NULL, "Freitas"},
    {"Carlos de la Cruz Vega", "Carlos", "de la Cruz Vega", "de la", NULL, NULL,
     "Cruz Vega"},
    {"Leonardo da Vinci", "Leonardo", "da Vinci", "da", NULL, NULL, "Vinci"},
    {"Nico di Penna", "Nico", "di Penna", "di", NULL, NULL, "Penna"},
    {"Marie du Bois", "Marie", "du Bois", "du", NULL, NULL, "Bois"},
    {"Andrea del Sarto", "Andrea", "del Sarto", "del", NULL, NULL, "Sarto"},
    {"Andrea della Robbia", "Andrea", "della Robbia", "della", NULL, NULL,
     "Robbia"},
    {"Jean le Rond", "Jean", "le Rond", "le", NULL, NULL, "Rond"},
    {"Maria la Rosa", "Maria", "la Rosa", "la", NULL, NULL, "Rosa"},
    {"Vincent Van Gogh", "Vincent", "Van Gogh", "Van", NULL, NULL, "Gogh"},
    {"Jan Van Der Berg", "Jan", "Van Der Berg", "Van Der", NULL, NULL, "Berg"},
    {"Ludwig van Beethoven Jr.", "Ludwig", "van Beethoven", "van", "Jr.", NULL,
     "Beethoven"},
    {"van der Schaar", NULL, "van der Schaar", "van der", NULL, NULL, "Schaar"},
    /* a capitalised "Le", "Di", "De" before the last word is a given name */
    {"Le Song", "Le", "Song", NULL, NULL, NULL, "Song"},
    {"Di He", "Di", "He", NULL, NULL, NULL, "He"},
    {"Augustus De Morgan", "Augustus De", "Morgan", NULL, NULL, NULL, "Morgan"},
    {"Van Morrison", "Van", "Morrison", NULL, NULL, NULL, "Morrison"},
    /* apostrophes */
    {"Jean d'Alembert", "Jean", "d'Alembert", "d'", NULL, NULL, "Alembert"},
    {"Jean d’Alembert", "Jean", "d’Alembert", "d’", NULL, NULL, "Alembert"},
    {"Conor O'Brien", "Conor", "O'Brien", NULL, NULL, NULL, "O'Brien"},
    {"Paolo D'Angelo", "Paolo", "D'Angelo", NULL, NULL, NULL, "D'Angelo"},
    /* literals: organisations, CJK, braces, "&" */
    {"Google Research", NULL, NULL, NULL, NULL, "Google Research", NULL},
    {"DeepMind", NULL, NULL, NULL, NULL, "DeepMind", NULL},
    {"The  LIGO   Scientific Collaboration", NULL, NULL, NULL, NULL,
     "The LIGO Scientific Collaboration", NULL},
    {"Allen Institute for AI", NULL, NULL, NULL, NULL, "Allen Institute for AI",
     NULL},
    {"Meta AI", NULL, NULL, NULL, NULL, "Meta AI", NULL},
    {"BigScience Workshop", NULL, NULL, NULL, NULL, "BigScience Workshop",
     NULL},
    {"Stanford University", NULL, NULL, NULL, NULL, "Stanford University",
     NULL},
    {"Acme Inc.", NULL, NULL, NULL, NULL, "Acme Inc.", NULL},
    {"Tesla Team", NULL, NULL, NULL, NULL, "Tesla Team", NULL},
    {"张三", NULL, NULL, NULL, NULL, "张三", NULL},
    {"王 小明", NULL, NULL, NULL, NULL, "王 小明", NULL},
    {"田中 太郎", NULL, NULL, NULL, NULL, "田中 太郎", NULL},
    {"김 철수", NULL, NULL, NULL, NULL, "김 철수", NULL},
    {"{Barack and Michelle}", NULL, NULL, NULL, NULL, "Barack and Michelle",
     NULL},
    {"Procter & Gamble", NULL, NULL, NULL, NULL, "Procter & Gamble", NULL},
    {"Jr.", NULL, NULL, NULL, NULL, "Jr.", NULL},
    /* "Ai" is a given name; only "AI" is an organisation word */
    {"Ai Liu", "Ai", "Liu", NULL, NULL, NULL, "Liu"},
    /* spaces of every kind */
    {"  Nikita   Kitaev ", "Nikita", "Kitaev", NULL, NULL, NULL, "Kitaev"},
    {"\tMihaela  van  der\u00a0Schaar\n", "Mihaela", "van der Schaar",
     "van der", NULL, NULL, "Schaar"},
    {"Andrew\u3000Y. K.  Foong", "Andrew Y. K.", "Foong", NULL, NULL, NULL,
     "Foong"},
    {" Plato ", NULL, NULL, NULL, NULL, "Plato", NULL},
    /* more words than the tokens kept without an allocation */
    {"A B C D E F G H I J K L M N O P Q R S van der Tail", "A B C D E F G H I J K L M N O P Q R S",
     "van der Tail", "van der", NULL, NULL, "Tail"},
    {"One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve "
     "Thirteen Fourteen Fifteen Sixteen Seventeen Research",
     NULL, NULL, NULL, NULL,
     "One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve "
     "Thirteen Fourteen Fifteen Sixteen Seventeen Research",
     NULL},
    /* a comma not before a suffix: inverted order */
    {"van der Schaar, Mihaela", "Mihaela", "van der Schaar", "van der", NULL,
     NULL, "Schaar"},
    /* table words in any case, after accented words, in short names */
    {"Ilya Bi\u0144kowski Sr.", "Ilya", "Bi\u0144kowski", NULL, "Sr.", NULL,
     "Bi\u0144kowski"},
    {"Tom\u00e1s de Nguy\u1ec5n", "Tom\u00e1s", "de Nguy\u1ec5n", "de", NULL,
     NULL, "Nguy\u1ec5n"},
    {"Jean-Pierre d\u2019Alembert", "Jean-Pierre", "d\u2019Alembert",
     "d\u2019", NULL, NULL, "Alembert"},
    {"GOOGLE RESEARCH", NULL, NULL, NULL, NULL, "GOOGLE RESEARCH", NULL},
    {"MIT CSAIL lab", NULL, NULL, NULL, NULL, "MIT CSAIL lab", NULL},
    {"Li Wei", "Li", "Wei", NULL, NULL, NULL, "Wei"},
    {"Bo Li,Jr", "Bo", "Li", NULL, "Jr", NULL, "Li"},
};

static const name_case inverted_cases[] = {
    {"van der Schaar, Mihaela", "Mihaela", "van der Schaar", "van der", NULL,
     NULL, "Schaar"},
    {"Van de Wiele, Tom", "Tom", "Van de Wiele", "Van de", NULL, NULL, "Wiele"},
    {"King, Jr., Martin Luther", "Martin Luther", "King", NULL, "Jr.", NULL,
     "King"},
    {"King, Martin Luther, Jr.", "Martin Luther", "King", NULL, "Jr.", NULL,
     "King"},
    {"King, Jr, Martin Luther", "Martin Luther", "King", NULL, "Jr", NULL,
     "King"},
    {"Smola, Alexander J.", "Alexander J.", "Smola", NULL, NULL, NULL, "Smola"},
    {"Kočiský, Tomáš", "Tomáš", "Kočiský", NULL, NULL, NULL, "Kočiský"},
    {"Smith, John, III", "John", "Smith", NULL, "III", NULL, "Smith"},
    {"Smith, Jr.", NULL, "Smith", NULL, "Jr.", NULL, "Smith"},
    /* BibTeX: any lower-case word before the last is part of von */
    {"della Penna, Nico", "Nico", "della Penna", "della", NULL, NULL, "Penna"},
    {"van 't Hoff, Jacobus", "Jacobus", "van 't Hoff", "van", NULL, NULL,
     "'t Hoff"},
    {"de la Fontaine, Jean", "Jean", "de la Fontaine", "de la", NULL, NULL,
     "Fontaine"},
    {"Van Gogh, Vincent", "Vincent", "Van Gogh", "Van", NULL, NULL, "Gogh"},
    /* an explicit family keeps a capitalised prefix whole */
    {"De Morgan, Augustus", "Augustus", "De Morgan", NULL, NULL, NULL,
     "De Morgan"},
    {"d'Alembert, Jean", "Jean", "d'Alembert", "d'", NULL, NULL, "Alembert"},
    {"  Kitaev ,   Nikita  ", "Nikita", "Kitaev", NULL, NULL, NULL, "Kitaev"},
    {"Kitaev,", NULL, "Kitaev", NULL, NULL, NULL, "Kitaev"},
    /* no comma: display order */
    {"Mihaela van der Schaar", "Mihaela", "van der Schaar", "van der", NULL,
     NULL, "Schaar"},
    {"OpenAI", NULL, NULL, NULL, NULL, "OpenAI", NULL},
    {"{Google Research}", NULL, NULL, NULL, NULL, "Google Research", NULL},
    {"{Smith, Jones and Co}", NULL, NULL, NULL, NULL, "Smith, Jones and Co",
     NULL},
};

static void check_part(const char *what, const char *in, const char *got,
                       const char *want)
{
	if (!want)
		ck_assert_msg(got == NULL, "%s: %s is \"%s\", expected none",
		              in, what, got);
	else
		ck_assert_msg(got && strcmp(got, want) == 0,
		              "%s: %s is \"%s\", expected \"%s\"", in, what,
		              got ? got : "(none)", want);
}

static void check_name(const name_case *c, const pb_name *n)
{
	check_part("given", c->in, n->given, c->given);
	check_part("family", c->in, n->family, c->family);
	check_part("particle", c->in, n->particle, c->particle);
	check_part("suffix", c->in, n->suffix, c->suffix);
	check_part("literal", c->in, n->literal, c->literal);
	check_part("family core", c->in, pb_name_family_core(n), c->core);
}

/* pb_record_parse_author, which builds the parts in the record's storage,
 * gives what pb_name_parse gives, on a record that already has strings
 * (the storage is shared) and past a full first block. */
static void check_record_parse(const char *in)
{
	pb_name want;
	int rc = pb_name_parse(&want, in);
	pb_record r;
	pb_record_init(&r);
	char filler[3000];
	memset(filler, 'x', sizeof filler - 1);
	filler[sizeof filler - 1] = '\0';
	ck_assert_int_eq(pb_record_set(&r, PB_F_ABSTRACT, filler), PB_OK);
	for (int i = 0; i < 20; i++) {
		ck_assert_int_eq(pb_record_parse_author(&r, in), rc);
		if (rc != PB_OK) {
			ck_assert_uint_eq(r.n_authors, 0);
			continue;
		}
		const pb_name *got = &r.authors[i];
		name_case c = {in, want.given, want.family, want.particle,
		               want.suffix, want.literal, pb_name_family_core(&want)};
		check_name(&c, got);
	}
	ck_assert_str_eq(r.abstract, filler);
	pb_record_clear(&r);
	pb_name_clear(&want);
}

START_TEST(test_display)
{
	const name_case *c = &display_cases[_i];
	pb_name n;
	ck_assert_int_eq(pb_name_parse(&n, c->in), PB_OK);
	check_name(c, &n);
	pb_name_clear(&n);
	check_record_parse(c->in);
}
END_TEST

START_TEST(test_inverted)
{
	const name_case *c = &inverted_cases[_i];
	pb_name n;
	ck_assert_int_eq(pb_name_parse_inverted(&n, c->in), PB_OK);
	check_name(c, &n);
	pb_name_clear(&n);
	check_record_parse(c->in); /* the comma makes most of them inverted */
}
END_TEST

static const char *const bad_names[] = {
    "", "   ", "\t\n", ",", " , ", ", John", "a, b, c, d",
};

START_TEST(test_bad)
{
	pb_name n;
	ck_assert_int_eq(pb_name_parse(&n, bad_names[_i]), PB_EDATA);
	ck_assert_ptr_null(n.given);
	ck_assert_ptr_null(n.family);
	ck_assert_ptr_null(n.literal);
	ck_assert_int_eq(pb_name_parse_inverted(&n, bad_names[_i]), PB_EDATA);
	ck_assert_ptr_null(n.family);
	ck_assert_ptr_null(n.literal);
	check_record_parse(bad_names[_i]);
}
END_TEST

/* The particle writers split off is always the start of family. */
START_TEST(test_particle_is_prefix)
{
	for (size_t i = 0; i < sizeof display_cases / sizeof display_cases[0];
	     i++) {
		pb_name n;
		ck_assert_int_eq(pb_name_parse(&n, display_cases[i].in), PB_OK);
		if (n.particle)
			ck_assert_int_eq(
			    strncmp(n.family, n.particle, strlen(n.particle)),
			    0);
		ck_assert(!n.literal || (!n.given && !n.family && !n.suffix));
		ck_assert(n.literal || n.family);
		pb_name_clear(&n);
	}
}
END_TEST

/* Every author of the reference list is a person with a given and a
 * family name; the family is the last word except for the particle name. */
START_TEST(test_reference_authors)
{
	FILE *f = fopen("../examples/iclr2020-talks.txt", "r");
	ck_assert_ptr_nonnull(f);
	char line[8192];
	unsigned authors = 0;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "Author:", 7) != 0)
			continue;
		for (char *a = strtok(line + 7, ",\r\n"); a;
		     a = strtok(NULL, ",\r\n")) {
			for (char *m = a; (m = strchr(m, '*'));)
				*m = ' '; /* what the reader strips */
			pb_name n;
			ck_assert_int_eq(pb_name_parse(&n, a), PB_OK);
			ck_assert_msg(n.given && n.family && !n.literal &&
			                  !n.suffix,
			              "author \"%s\"", a);
			const char *last = strrchr(n.family, ' ');
			if (last)
				ck_assert_msg(n.particle, "author \"%s\"", a);
			authors++;
			pb_name_clear(&n);
		}
	}
	fclose(f);
	ck_assert_uint_gt(authors, 200);
}
END_TEST

Suite *names_suite(void)
{
	Suite *s = suite_create("names");
	TCase *tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_display, 0,
	                    sizeof display_cases / sizeof display_cases[0]);
	tcase_add_loop_test(tc, test_inverted, 0,
	                    sizeof inverted_cases / sizeof inverted_cases[0]);
	tcase_add_loop_test(tc, test_bad, 0,
	                    sizeof bad_names / sizeof bad_names[0]);
	tcase_add_test(tc, test_particle_is_prefix);
	tcase_add_test(tc, test_reference_authors);
	suite_add_tcase(s, tc);
	return s;
}
