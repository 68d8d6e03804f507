/* Known venues and their detection in the text around a paper list.
 *
 * A line names a venue through a short name ("ICLR", "NeurIPS") written as
 * a word of its own ("ICLR2020" and "2020年的ICLR会议" count, "ACLU" and
 * "ACLs" do not) in its usual spelling or in capitals ("www." in a URL is
 * no venue), or through a full name ("International Conference on
 * Learning Representations"). A year counts when it is next to the name:
 * at most three characters apart, none of them a letter or digit
 * ("ICLR 2020", "ICLR-2020", "2020年的ICLR"), or as "ICLR'20". */
#include "venue.h"

#include <string.h>
#include <strings.h>

#include "buf.h"
#include "paperbib/paperbib.h"
#include "utf8.h"

static const pb_known_venue known_venues[] = {
    {"ICLR", "International Conference on Learning Representations",
     "OpenReview.net"},
    {"NeurIPS", "Advances in Neural Information Processing Systems",
     "Curran Associates, Inc."},
    {"ICML", "International Conference on Machine Learning", "PMLR"},
    {"ACL", "Annual Meeting of the Association for Computational Linguistics",
     "Association for Computational Linguistics"},
    {"EMNLP", "Conference on Empirical Methods in Natural Language Processing",
     "Association for Computational Linguistics"},
    {"NAACL",
     "Conference of the North American Chapter of the Association for "
     "Computational Linguistics: Human Language Technologies",
     "Association for Computational Linguistics"},
    {"AAAI", "AAAI Conference on Artificial Intelligence", "AAAI Press"},
    {"IJCAI", "International Joint Conference on Artificial Intelligence",
     "ijcai.org"},
    {"CVPR", "IEEE/CVF Conference on Computer Vision and Pattern Recognition",
     "IEEE"},
    {"ICCV", "IEEE/CVF International Conference on Computer Vision", "IEEE"},
    {"ECCV", "European Conference on Computer Vision", "Springer"},
    {"KDD",
     "ACM SIGKDD International Conference on Knowledge Discovery and Data "
     "Mining",
     "ACM"},
    {"SIGIR",
     "International ACM SIGIR Conference on Research and Development in "
     "Information Retrieval",
     "ACM"},
    {"WWW", "The Web Conference", "ACM"},
};

/* Other short names of the same venues. */
static const struct venue_alias {
	const char *alias;
	const char *short_name;
} venue_aliases[] = {
    {"NIPS", "NeurIPS"},
    {"TheWebConf", "WWW"},
    {"WebConf", "WWW"},
    {"SIGKDD", "KDD"},
};

/* Phrases that name a venue in full, besides the names in known_venues
 * (matched ASCII case-insensitively; the longest match wins, so "North
 * American Chapter of the Association for Computational Linguistics" is
 * NAACL, not ACL). */
static const struct venue_phrase {
	const char *phrase;
	const char *short_name;
} venue_phrases[] = {
    {"Conference on Neural Information Processing Systems", "NeurIPS"},
    {"Neural Information Processing Systems", "NeurIPS"},
    {"Annual Meeting of the Association for Computational Linguistics", "ACL"},
    {"Empirical Methods in Natural Language Processing", "EMNLP"},
    {"North American Chapter of the Association for Computational "
     "Linguistics",
     "NAACL"},
    {"Conference on Computer Vision and Pattern Recognition", "CVPR"},
    {"International Conference on Computer Vision", "ICCV"},
    {"Knowledge Discovery and Data Mining", "KDD"},
    {"Research and Development in Information Retrieval", "SIGIR"},
    {"International World Wide Web Conference", "WWW"},
};

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))
#define YEAR_GAP  3 /* code points allowed between a name and its year */

/* Where a line names a venue. */
typedef struct mention {
	const pb_known_venue *venue;
	size_t begin, end;
} mention;

const pb_known_venue *pb_venue_lookup(const char *short_name)
{
	if (!short_name)
		return NULL;
	for (size_t i = 0; i < N_ELEM(venue_aliases); i++)
		if (strcasecmp(venue_aliases[i].alias, short_name) == 0)
			short_name = venue_aliases[i].short_name;
	for (size_t i = 0; i < N_ELEM(known_venues); i++)
		if (strcasecmp(known_venues[i].short_name, short_name) == 0)
			return &known_venues[i];
	return NULL;
}

static int is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(unsigned char c)
{
	return is_alpha(c) || is_digit(c);
}

/* The venue a short name written s[0..n) stands for: the usual spelling or
 * all capitals ("NeurIPS", "NEURIPS"), not "Neurips" or "www". */
static const pb_known_venue *short_name_venue(const char *s, size_t n)
{
	const char *names[N_ELEM(known_venues) + N_ELEM(venue_aliases)];
	size_t k = 0;
	for (size_t i = 0; i < N_ELEM(known_venues); i++)
		names[k++] = known_venues[i].short_name;
	for (size_t i = 0; i < N_ELEM(venue_aliases); i++)
		names[k++] = venue_aliases[i].alias;
	for (size_t i = 0; i < k; i++) {
		if (strlen(names[i]) != n || strncasecmp(names[i], s, n) != 0)
			continue;
		int upper = 1;
		for (size_t j = 0; j < n; j++)
			upper &= !(s[j] >= 'a' && s[j] <= 'z');
		if (upper || strncmp(names[i], s, n) == 0)
			return pb_venue_lookup(names[i]);
	}
	return NULL;
}

/* The first short name in the line at or after *from, as a word of its own
 * between anything but ASCII letters. */
static int find_short(const char *line, size_t from, mention *m)
{
	size_t i = from;
	while (line[i]) {
		if (!is_alpha((unsigned char)line[i])) {
			i++;
			continue;
		}
		size_t b = i;
		while (is_alpha((unsigned char)line[i]))
			i++;
		const pb_known_venue *v = short_name_venue(line + b, i - b);
		if (v) {
			m->venue = v;
			m->begin = b;
			m->end = i;
			return 1;
		}
	}
	return 0;
}

/* Does phrase occur at line[i], ending at a word boundary? Every phrase
 * starts with an ASCII letter, whose case folds with one OR. */
static int phrase_at(const char *line, size_t i, const char *phrase)
{
	if (((unsigned char)line[i] | 0x20) != ((unsigned char)phrase[0] | 0x20))
		return 0;
	size_t n = strlen(phrase);
	return strncasecmp(line + i, phrase, n) == 0 &&
	       !is_alpha((unsigned char)line[i + n]) &&
	       (i == 0 || !is_alpha((unsigned char)line[i - 1]));
}

/* The first (then longest) full name in the line. A name starts a word,
 * and its first letter is tested before anything else: this runs at
 * every byte of every line outside the records. */
static int find_phrase(const char *line, mention *m)
{
	for (size_t i = 0; line[i]; i++) {
		if (i > 0 && is_alpha((unsigned char)line[i - 1]))
			continue;
		size_t best = 0;
		const pb_known_venue *v = NULL;
		for (size_t k = 0; k < N_ELEM(known_venues); k++) {
			size_t n;
			if (phrase_at(line, i, known_venues[k].name) &&
			    (n = strlen(known_venues[k].name)) > best) {
				best = n;
				v = &known_venues[k];
			}
		}
		for (size_t k = 0; k < N_ELEM(venue_phrases); k++) {
			size_t n;
			if (phrase_at(line, i, venue_phrases[k].phrase) &&
			    (n = strlen(venue_phrases[k].phrase)) > best) {
				best = n;
				v = pb_venue_lookup(
				    venue_phrases[k].short_name);
			}
		}
		if (v) {
			m->venue = v;
			m->begin = i;
			m->end = i + best;
			return 1;
		}
	}
	return 0;
}

/* A four-digit year 1950..2099 at line[i..i+4), not part of a longer
 * number. */
static int year_at(const char *line, size_t i, size_t len)
{
	if (i + 4 > len || (i > 0 && is_digit((unsigned char)line[i - 1])))
		return 0;
	for (size_t k = 0; k < 4; k++)
		if (!is_digit((unsigned char)line[i + k]))
			return 0;
	if (is_digit((unsigned char)line[i + 4]))
		return 0;
	int y = 0;
	for (size_t k = 0; k < 4; k++)
		y = y * 10 + (line[i + k] - '0');
	return y >= 1950 && y <= 2099;
}

/* Is line[a..b) a short gap: at most YEAR_GAP code points, none an ASCII
 * letter or digit? */
static int short_gap(const char *line, size_t a, size_t b)
{
	size_t cps = 0;
	for (size_t i = a; i < b;) {
		unsigned char c = (unsigned char)line[i];
		if (is_alnum(c))
			return 0;
		uint32_t cp;
		size_t k =
		    pb_utf8_decode((const unsigned char *)line + i, b - i, &cp);
		i += k ? k : 1;
		cps++;
	}
	return cps <= YEAR_GAP;
}

/* The year next to a mention: after it ("ICLR 2020", "ICLR'20", "NIPS'99"),
 * else before it ("2020年的ICLR"). Writes four digits and a NUL to year. */
static int find_year(const char *line, const mention *m, char year[5])
{
	size_t len = strlen(line);
	const char *q = line + m->end;
	if ((q[0] == '\'' && is_digit((unsigned char)q[1]) &&
	     is_digit((unsigned char)q[2]) && !is_digit((unsigned char)q[3])) ||
	    (strncmp(q, "\xE2\x80\x99", 3) == 0 &&
	     is_digit((unsigned char)q[3]) && is_digit((unsigned char)q[4]) &&
	     !is_digit((unsigned char)q[5]))) {
		const char *d = q[0] == '\'' ? q + 1 : q + 3;
		int old = d[0] >= '5'; /* "NIPS'99" */
		year[0] = old ? '1' : '2';
		year[1] = old ? '9' : '0';
		year[2] = d[0];
		year[3] = d[1];
		year[4] = '\0';
		return 1;
	}
	for (size_t i = m->end; i < len && i <= m->end + 4 * YEAR_GAP; i++)
		if (year_at(line, i, len) && short_gap(line, m->end, i)) {
			memcpy(year, line + i, 4);
			year[4] = '\0';
			return 1;
		}
	for (size_t i = m->begin; i >= 4 && i + 4 * YEAR_GAP + 4 >= m->begin;
	     i--)
		if (year_at(line, i - 4, len) && short_gap(line, i, m->begin)) {
			memcpy(year, line + i - 4, 4);
			year[4] = '\0';
			return 1;
		}
	return 0;
}

static int fill(char **slot, const char *value)
{
	if (*slot || !value)
		return PB_OK;
	return (*slot = pb_strdup(value)) ? PB_OK : PB_ENOMEM;
}

/* The venue is the first one the line names; its year may come with any
 * mention of it ("ICLR (Eighth International Conference on Learning
 * Representations) 2020"). A line naming another venue than the one
 * already in *out (its short_name) is not taken, so that a later
 * "NeurIPS 2019" in a header does not give an ICLR venue NeurIPS' year. */
int pb_venue_detect(const char *line, pb_venue *out)
{
	mention first = {NULL, 0, 0}, m;
	int have_phrase = find_phrase(line, &m);
	if (have_phrase)
		first = m;
	if (find_short(line, 0, &m) && (!first.venue || m.begin < first.begin))
		first = m;
	if (!first.venue)
		return 0;
	if (out->short_name && pb_venue_lookup(out->short_name) != first.venue)
		return 0;

	char year[5] = "";
	for (size_t from = 0; !year[0] && find_short(line, from, &m);
	     from = m.end)
		if (m.venue == first.venue)
			find_year(line, &m, year);
	if (!year[0] && have_phrase && find_phrase(line, &m) &&
	    m.venue == first.venue)
		find_year(line, &m, year);

	if (fill(&out->name, first.venue->name) ||
	    fill(&out->short_name, first.venue->short_name) ||
	    fill(&out->year, year[0] ? year : NULL) ||
	    fill(&out->publisher, first.venue->publisher))
		return PB_ENOMEM;
	return 1;
}
