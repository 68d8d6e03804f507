#include "strset.h"

#include <stdlib.h>
#include <string.h>

#include "paperbib/paperbib.h"

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
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
	if ((set->n + 1) * 4 >= set->cap * 3 &&
	    rehash(set, set->cap ? set->cap * 2 : 64))
		return PB_ENOMEM;
	uint64_t h = hash(s, n);
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
	       set->slots[probe(set->slots, set->cap, hash(s, strlen(s)))] != 0;
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
	if (!m->cap)
		return 0;
	size_t i = probe(m->hashes, m->cap, hash(s, n));
	return m->hashes[i] ? m->counts[i] : 0;
}

int pb_strcount_set(pb_strcount *m, const char *s, size_t n,
                    unsigned long count)
{
	if ((m->n + 1) * 4 >= m->cap * 3 && recount(m, m->cap ? m->cap * 2 : 64))
		return PB_ENOMEM;
	uint64_t h = hash(s, n);
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
