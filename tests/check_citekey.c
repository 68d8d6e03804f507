/* Citation keys: pattern, ASCII folding, collisions, stability. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

typedef struct key_case {
	const char *author; /* display order; NULL for none */
	const char *title;
	const char *year;
	const char *pattern;
	const char *want;
} key_case;

static const key_case cases[] = {
	{"Nikita Kitaev", "Reformer: The Efficient Transformer", "2020", NULL, "kitaev2020reformer"},
	{"Mikołaj Bińkowski", "High Fidelity Speech Synthesis with Adversarial Networks", "2020", NULL, "binkowski2020high"},
	{"Tomáš Kočiský", "Mogrifier LSTM", "2020", NULL, "kocisky2020mogrifier"},
	{"Gábor Melis", "Mogrifier LSTM", "2020", NULL, "melis2020mogrifier"},
	{"Andrew Ilyas", "A Closer Look at Deep Policy Gradients", "2020", NULL, "ilyas2020closer"},
	{"Xiang Li", "On the Convergence of FedAvg on Non-IID Data", "2020", NULL, "li2020convergence"},
	{"Rasool Fakoor", "Meta-Q-Learning", "2020", NULL, "fakoor2020meta"},
	{"Mihaela van der Schaar", "Target-Embedding Autoencoders", "2020", NULL, "schaar2020target"},
	{"OpenAI", "GPT-4 Technical Report", "2023", NULL, "openai2023gpt"},
	{"Jürgen Schmidhuber", "Über Netze", "1991", NULL, "schmidhuber1991uber"},
	{NULL, "The Title Only", "2020", NULL, "2020title"},
	{NULL, "日本語のタイトル", NULL, NULL, "anon"},
	{NULL, "日本語のタイトル", "1999", NULL, "anon1999"},
	{"Ada Lovelace", "Notes", "Spring 1843", NULL, "lovelace1843notes"},
	{"Ada Lovelace", "Notes", "soon", NULL, "lovelacenotes"},
	{"Ada Lovelace", "Notes", "20201", NULL, "lovelacenotes"},
	{"Nikita Kitaev", "Reformer: The Efficient Transformer", "2020",
	 "[auth]_[shorttitle]", "kitaev_reformerefficienttransformer"},
	{"Nikita Kitaev", "Reformer", "2020", "[venue]:[year]:[auth]", "iclr:2020:kitaev"},
	{"Nikita Kitaev", "Reformer", "2020", "Key[id]", "keyrkgnkkhtvb"},
};

static void make_record(pb_record *r, const key_case *c)
{
	pb_record_init(r);
	if (c->author) {
		pb_name n;
		ck_assert_int_eq(pb_name_parse(&n, c->author), PB_OK);
		ck_assert_int_eq(pb_record_add_author(r, &n), PB_OK);
		pb_name_clear(&n);
	}
	pb_record_set(r, PB_F_TITLE, c->title);
	pb_record_set(r, PB_F_VENUE_YEAR, c->year);
	pb_record_set(r, PB_F_VENUE_SHORT, "ICLR");
	pb_record_set(r, PB_F_ID, "rkgNKkHtvB");
}

START_TEST(key_from_pattern)
{
	const key_case *c = &cases[_i];
	int rc;
	pb_keygen *g = pb_keygen_new(c->pattern, &rc);
	ck_assert_ptr_nonnull(g);
	pb_record r;
	make_record(&r, c);
	ck_assert_int_eq(pb_keygen_assign(g, &r), PB_OK);
	ck_assert_str_eq(r.key, c->want);
	for (const char *p = r.key; *p; p++)
		ck_assert_msg((unsigned char)*p < 0x80, "non-ASCII key %s", r.key);
	pb_record_clear(&r);
	pb_keygen_free(g);
}
END_TEST

START_TEST(collisions_get_letters_in_input_order)
{
	int rc;
	pb_keygen *g = pb_keygen_new(NULL, &rc);
	const char *want[] = {"zhang2020deep", "zhang2020deepa", "zhang2020deepb",
	                      "zhang2020deepc"};
	for (int i = 0; i < 4; i++) {
		key_case c = {"Wei Zhang", "Deep Things", "2020", NULL, NULL};
		pb_record r;
		make_record(&r, &c);
		ck_assert_int_eq(pb_keygen_assign(g, &r), PB_OK);
		ck_assert_str_eq(r.key, want[i]);
		pb_record_clear(&r);
	}
	/* a key read from a file is kept, and made unique the same way */
	pb_record r;
	pb_record_init(&r);
	pb_record_set(&r, PB_F_KEY, "zhang2020deep");
	ck_assert_int_eq(pb_keygen_assign(g, &r), PB_OK);
	ck_assert_str_eq(r.key, "zhang2020deepd");
	pb_record_clear(&r);
	pb_keygen_free(g);
}
END_TEST

START_TEST(after_z_come_two_letters)
{
	int rc;
	pb_keygen *g = pb_keygen_new("[auth]", &rc);
	pb_record r;
	pb_record_init(&r);
	char want[16];
	for (int i = 0; i <= 27; i++) {
		pb_record_set(&r, PB_F_KEY, NULL);
		pb_name n = {.family = pb_strdup("Same")};
		if (!r.n_authors)
			pb_record_add_author(&r, &n);
		pb_name_clear(&n);
		ck_assert_int_eq(pb_keygen_assign(g, &r), PB_OK);
		if (i == 0)
			strcpy(want, "same");
		else if (i <= 26)
			snprintf(want, sizeof want, "same%c", 'a' + i - 1);
		else
			strcpy(want, "sameaa");
		ck_assert_str_eq(r.key, want);
	}
	pb_record_clear(&r);
	pb_keygen_free(g);
}
END_TEST

/* Many records with one key: each gets the next suffix ("zz" after
 * "zy"), and every key stays unique. */
START_TEST(many_clashes)
{
	int rc;
	pb_keygen *g = pb_keygen_new("[auth]", &rc);
	pb_record r;
	pb_record_init(&r);
	pb_name n = {.family = pb_strdup("Same")};
	pb_record_add_author(&r, &n);
	pb_name_clear(&n);
	for (int i = 0; i < 30000; i++) {
		pb_record_set(&r, PB_F_KEY, NULL);
		ck_assert_int_eq(pb_keygen_assign(g, &r), PB_OK);
	}
	/* the 29,999th suffix after a..z, aa..zz, aaa..zzz */
	ck_assert_str_eq(r.key, "sameariu");
	pb_record_set(&r, PB_F_KEY, "sameb");
	ck_assert_int_eq(pb_keygen_assign(g, &r), PB_OK);
	/* a read key "sameb" clashes with a given one; so do "sameb" + a..zz
	 * (all given already): the first free one is "samebaaa" */
	ck_assert_str_eq(r.key, "samebaaa");
	pb_record_clear(&r);
	pb_keygen_free(g);
}
END_TEST

/* unique = no: the pattern's key, clashes and all. */
START_TEST(keys_not_made_unique)
{
	int rc;
	pb_keygen *g = pb_keygen_new(NULL, &rc);
	pb_keygen_set_unique(g, 0);
	for (int i = 0; i < 3; i++) {
		key_case c = {"Wei Zhang", "Deep Things", "2020", NULL, NULL};
		pb_record r;
		make_record(&r, &c);
		ck_assert_int_eq(pb_keygen_assign(g, &r), PB_OK);
		ck_assert_str_eq(r.key, "zhang2020deep");
		pb_record_clear(&r);
	}
	pb_keygen_free(g);
}
END_TEST

static const char *const bad_patterns[] = {"[auth", "[nope][year]", "x]y", "[]"};

START_TEST(bad_patterns_are_refused)
{
	int rc = 0;
	ck_assert_int_eq(pb_citekey_check_pattern(bad_patterns[_i]), PB_ECONFIG);
	ck_assert_ptr_null(pb_keygen_new(bad_patterns[_i], &rc));
	ck_assert_int_eq(rc, PB_ECONFIG);
}
END_TEST

/* Every stop word is skipped whatever its case; words that only begin or
 * end like one, or differ by a letter, are not. */
static const char *const stop_words[] = {
	"a", "about", "above", "across", "after", "against", "along", "among",
	"an", "and", "around", "as", "at", "before", "behind", "below",
	"beneath", "beside", "between", "beyond", "but", "by", "de", "der",
	"des", "die", "du", "during", "el", "for", "from", "in", "inside",
	"into", "la", "le", "les", "like", "near", "nor", "of", "off", "on",
	"onto", "or", "over", "past", "per", "since", "than", "the", "through",
	"to", "toward", "towards", "under", "until", "up", "upon", "versus",
	"via", "von", "with", "within", "without",
};

static int is_stop_word(const char *w)
{
	for (size_t i = 0; i < sizeof stop_words / sizeof stop_words[0]; i++)
		if (strcmp(stop_words[i], w) == 0)
			return 1;
	return 0;
}

static void title_key(pb_keygen *g, const char *title, const char *want)
{
	pb_record r;
	pb_record_init(&r);
	pb_record_set(&r, PB_F_TITLE, title);
	ck_assert_int_eq(pb_keygen_assign(g, &r), PB_OK);
	ck_assert_msg(strcmp(r.key, want) == 0, "'%s' gave %s, not %s", title, r.key, want);
	pb_record_clear(&r);
}

/* out = the first n bytes of a, then b (short strings only). */
static const char *join(char *out, const char *a, size_t n, const char *b)
{
	memcpy(out, a, n);
	strcpy(out + n, b);
	return out;
}

START_TEST(stop_words_are_skipped)
{
	int rc;
	pb_keygen *g = pb_keygen_new("[title]", &rc);
	pb_keygen_set_unique(g, 0);
	char title[32], want[32], upper[16];
	for (size_t i = 0; i < sizeof stop_words / sizeof stop_words[0]; i++) {
		const char *w = stop_words[i];
		size_t n = strlen(w);
		title_key(g, join(title, w, n, " Zeta"), "zeta");
		for (size_t k = 0; k <= n; k++)
			upper[k] = k < n ? (char)(w[k] - 'a' + 'A') : '\0';
		title_key(g, join(title, upper, n, ": Zeta"), "zeta");
		join(upper + 1, w + 1, n - 1, ""); /* "Of", "About" */
		title_key(g, join(title, upper, n, " Zeta"), "zeta");
		/* longer, shorter, last letter changed */
		title_key(g, join(title, w, n, "q Zeta"), join(want, w, n, "q"));
		join(want, w, n - 1, "");
		if (*want && !is_stop_word(want))
			title_key(g, join(title, w, n - 1, " Zeta"), want);
		title_key(g, join(title, w, n - 1, "z Zeta"), join(want, w, n - 1, "z"));
	}
	title_key(g, "\xC3\xA0 la Zeta", "a"); /* U+00E0: a word of its own */
	title_key(g, "The Of An Zeta", "zeta");
	pb_keygen_free(g);
}
END_TEST

/* The reference list: the same keys on every run, all different. */
/* A record with no venue year takes its arXiv id's year, as arXiv's own
 * BibTeX does; a venue's year wins over it. */
START_TEST(arxiv_year_when_no_venue_year)
{
	static const struct {
		const char *url, *year, *want;
	} c[] = {
		{"https://arxiv.org/abs/2103.03404", NULL, "vaswani2021attention"},
		{"https://arxiv.org/pdf/1907.04931v2.pdf", NULL, "vaswani2019attention"},
		{"http://arxiv.org/abs/hep-th/9901001", NULL, "vaswani1999attention"},
		{"https://arxiv.org/abs/2103.03404", "2017", "vaswani2017attention"},
		{"https://example.org/paper", NULL, "vaswaniattention"},
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		int rc;
		pb_keygen *g = pb_keygen_new(NULL, &rc);
		ck_assert_ptr_nonnull(g);
		pb_record r;
		pb_record_init(&r);
		ck_assert_int_eq(pb_record_parse_author(&r, "Ashish Vaswani"), PB_OK);
		pb_record_set(&r, PB_F_TITLE, "Attention Is All You Need");
		pb_record_set(&r, PB_F_URL, c[i].url);
		pb_record_set(&r, PB_F_VENUE_YEAR, c[i].year);
		ck_assert_int_eq(pb_keygen_assign(g, &r), PB_OK);
		ck_assert_str_eq(r.key, c[i].want);
		pb_record_clear(&r);
		pb_keygen_free(g);
	}
}
END_TEST

START_TEST(reference_keys_are_stable_and_unique)
{
	size_t len;
	char *text = test_slurp(TEST_EXAMPLE, &len);
	char *first[48];
	for (int run = 0; run < 2; run++) {
		test_records t;
		test_read(&t, text, len, NULL, NULL);
		ck_assert_uint_eq(t.n, 48);
		int rc;
		pb_keygen *g = pb_keygen_new(NULL, &rc);
		for (size_t i = 0; i < t.n; i++) {
			ck_assert_int_eq(pb_keygen_assign(g, &t.recs[i]), PB_OK);
			if (run == 0)
				first[i] = pb_strdup(t.recs[i].key);
			else
				ck_assert_str_eq(t.recs[i].key, first[i]);
			for (size_t j = 0; j < i; j++)
				ck_assert_str_ne(t.recs[i].key, t.recs[j].key);
		}
		if (run == 1) {
			ck_assert_str_eq(t.recs[33].key, "kitaev2020reformer");
			ck_assert_str_eq(t.recs[40].key, "binkowski2020high");
		}
		pb_keygen_free(g);
		test_records_free(&t);
	}
	for (int i = 0; i < 48; i++)
		free(first[i]);
	free(text);
}
END_TEST

Suite *citekey_suite(void);
Suite *citekey_suite(void)
{
	Suite *s = suite_create("citekey");
	TCase *t = tcase_create("keys");
	tcase_add_loop_test(t, key_from_pattern, 0, (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(t, collisions_get_letters_in_input_order);
	tcase_add_test(t, after_z_come_two_letters);
	tcase_add_test(t, many_clashes);
	tcase_add_test(t, keys_not_made_unique);
	tcase_add_loop_test(t, bad_patterns_are_refused, 0,
	                    (int)(sizeof bad_patterns / sizeof bad_patterns[0]));
	tcase_add_test(t, reference_keys_are_stable_and_unique);
	tcase_add_test(t, stop_words_are_skipped);
	tcase_add_test(t, arxiv_year_when_no_venue_year);
	suite_add_tcase(s, t);
	return s;
}
