#include "strset.h"

#include <stdlib.h>
#include <string.h>

#include "paperbib/paperbib.h"

/* The hash reads 8 bytes at a time, after wyhash (Wang Yi, public
 * domain): each 16 bytes go through one 64 x 64 -> 128-bit multiply,
 * which spreads every input bit over the whole product; folding its two
 * halves together keeps all of them. */
#define K0 0xa0761d6478bd642full
#define K1 0xe7037ed1a0b428dbull
#define K2 0x8ebc6af09c88c6e3ull

/* The 128-bit product a * b: the low half into *a, the high into *b. */
static void mul128(uint64_t *a, uint64_t *b)
{
#if defined(__SIZEOF_INT128__)
	unsigned __int128 r = (unsigned __int128)*a * *b;
	*a = (uint64_t)r;
	*b = (uint64_t)(r >> 64);
#else
	uint64_t ha = *a >> 32, la = (uint32_t)*a, hb = *b >> 32, lb = (uint32_t)*b;
	uint64_t hh = ha * hb, hl = ha * lb, lh = la * hb, ll = la * lb;
	uint64_t mid = (ll >> 32) + (uint32_t)hl + (uint32_t)lh;
	*a = (mid << 32) | (uint32_t)ll;
	*b = hh + (hl >> 32) + (lh >> 32) + (mid >> 32);
#endif
}

static uint64_t mix(uint64_t a, uint64_t b)
{
	mul128(&a, &b);
	return a ^ b;
}

static uint64_t load64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

static uint64_t load32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

uint64_t pb_strset_hash(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t seed = K0, a = 0, b = 0;
	if (n > 16) {
		size_t left = n;
		for (; left > 16; left -= 16, p += 16)
			seed = mix(load64(p) ^ K1, load64(p + 8) ^ seed);
		/* the last 16 bytes, overlapping the ones before when n is not
		 * a multiple of 16 */
		a = load64(p + left - 16);
		b = load64(p + left - 8);
	} else if (n >= 4) {
		/* four 4-byte loads, overlapping, cover every byte */
		size_t q = (n >> 3) << 2;
		a = load32(p) << 32 | load32(p + q);
		b = load32(p + n - 4) << 32 | load32(p + n - 4 - q);
	} else if (n > 0) {
		a = (uint64_t)p[0] << 16 | (uint64_t)p[n >> 1] << 8 | p[n - 1];
	}
	a ^= K1;
	b ^= seed;
	mul128(&a, &b);
	uint64_t h = mix(a ^ K2 ^ n, b ^ K1);
	return h ? h : 1; /* 0 marks an empty slot */
}

static size_t probe(const uint64_t *slots, size_t cap, uint64_t h)
{
	size_t i = (size_t)(h ^ (h >> 32)) & (cap - 1);
	while (slots[i] && slots[i] != h)
		i = (i + 1) & (cap - 1);
	return i;
}

static int rehash(pb_strset *set, size_t cap)
{
	uint64_t *slots = calloc(cap, sizeof *slots);
	if (!slots)
		return PB_ENOMEM;
	for (size_t i = 0; i < set->cap; i++)
		if (set->slots[i])
			slots[probe(slots, cap, set->slots[i])] = set->slots[i];
	free(set->slots);
	set->slots = slots;
	set->cap = cap;
	return PB_OK;
}

int pb_strset_addn(pb_strset *set, const char *s, size_t n)
{
	return pb_strset_addh(set, pb_strset_hash(s, n));
}

int pb_strset_addh(pb_strset *set, uint64_t h)
{
	if ((set->n + 1) * 4 >= set->cap * 3 &&
	    rehash(set, set->cap ? set->cap * 2 : 64))
		return PB_ENOMEM;
	size_t i = probe(set->slots, set->cap, h);
	if (set->slots[i])
		return 0;
	set->slots[i] = h;
	set->n++;
	return 1;
}

int pb_strset_add(pb_strset *set, const char *s)
{
	return pb_strset_addn(set, s, strlen(s));
}

int pb_strset_has(const pb_strset *set, const char *s)
{
	return set->cap &&
	       set->slots[probe(set->slots, set->cap,
	                        pb_strset_hash(s, strlen(s)))] != 0;
}

void pb_strset_free(pb_strset *set)
{
	free(set->slots);
	set->slots = NULL;
	set->n = set->cap = 0;
}

static int recount(pb_strcount *m, size_t cap)
{
	uint64_t *hashes = calloc(cap, sizeof *hashes);
	unsigned long *counts = calloc(cap, sizeof *counts);
	if (!hashes || !counts) {
		free(hashes);
		free(counts);
		return PB_ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->hashes[i])
			continue;
		size_t j = probe(hashes, cap, m->hashes[i]);
		hashes[j] = m->hashes[i];
		counts[j] = m->counts[i];
	}
	free(m->hashes);
	free(m->counts);
	m->hashes = hashes;
	m->counts = counts;
	m->cap = cap;
	return PB_OK;
}

unsigned long pb_strcount_get(const pb_strcount *m, const char *s, size_t n)
{
	return pb_strcount_geth(m, pb_strset_hash(s, n));
}

unsigned long pb_strcount_geth(const pb_strcount *m, uint64_t h)
{
	if (!m->cap)
		return 0;
	size_t i = probe(m->hashes, m->cap, h);
	return m->hashes[i] ? m->counts[i] : 0;
}

int pb_strcount_set(pb_strcount *m, const char *s, size_t n,
                    unsigned long count)
{
	return pb_strcount_seth(m, pb_strset_hash(s, n), count);
}

int pb_strcount_seth(pb_strcount *m, uint64_t h, unsigned long count)
{
	if ((m->n + 1) * 4 >= m->cap * 3 && recount(m, m->cap ? m->cap * 2 : 64))
		return PB_ENOMEM;
	size_t i = probe(m->hashes, m->cap, h);
	if (!m->hashes[i]) {
		m->hashes[i] = h;
		m->n++;
	}
	m->counts[i] = count;
	return PB_OK;
}

void pb_strcount_free(pb_strcount *m)
{
	free(m->hashes);
	free(m->counts);
	m->hashes = NULL;
	m->counts = NULL;
	m->n = m->cap = 0;
}
