#include "strset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "paperbib/paperbib.h"

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static size_t probe(char *const *slots, size_t cap, const char *s)
{
	size_t i = (size_t)hash(s) & (cap - 1);
	while (slots[i] && strcmp(slots[i], s) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

static int rehash(pb_strset *set, size_t cap)
{
	char **slots = calloc(cap, sizeof *slots);
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

int pb_strset_add(pb_strset *set, const char *s)
{
	if ((set->n + 1) * 4 >= set->cap * 3 &&
	    rehash(set, set->cap ? set->cap * 2 : 64))
		return PB_ENOMEM;
	size_t i = probe(set->slots, set->cap, s);
	if (set->slots[i])
		return 0;
	if (!(set->slots[i] = pb_strdup(s)))
		return PB_ENOMEM;
	set->n++;
	return 1;
}

int pb_strset_has(const pb_strset *set, const char *s)
{
	return set->cap && set->slots[probe(set->slots, set->cap, s)] != NULL;
}

void pb_strset_free(pb_strset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slots[i]);
	free(set->slots);
	set->slots = NULL;
	set->n = set->cap = 0;
}
