/* A set of strings remembered by 64-bit hash (internal). It keeps eight
 * bytes a string whatever the string's length, so that de-duplication and
 * unique citation keys cost about 11 bytes a record (at the table's load
 * of at most 3/4) instead of the strings themselves. Two different strings
 * with the same hash would be taken for one: with a well-mixed 64-bit hash
 * (strset.c, after wyhash) the chance of that among a million strings is
 * about 3e-8. */
#ifndef PB_STRSET_H
#define PB_STRSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct pb_strset {
	uint64_t *slots; /* 0 marks an empty slot */
	size_t n, cap;
} pb_strset;

#define PB_STRSET_INIT {NULL, 0, 0}

/* The hash by which s (the first n bytes) is remembered; never 0. */
uint64_t pb_strset_hash(const char *s, size_t n);

/* Adds s (the first n bytes). Returns 1 when added, 0 when it was already
 * there, PB_ENOMEM when out of memory. */
int pb_strset_addn(pb_strset *set, const char *s, size_t n);
/* pb_strset_addn given the string's pb_strset_hash. */
int pb_strset_addh(pb_strset *set, uint64_t h);
int pb_strset_add(pb_strset *set, const char *s);
int pb_strset_has(const pb_strset *set, const char *s);
void pb_strset_free(pb_strset *set);

/* A count for each of some strings, remembered by hash the same way. */
typedef struct pb_strcount {
	uint64_t *hashes; /* 0 marks an empty slot */
	unsigned long *counts;
	size_t n, cap;
} pb_strcount;

#define PB_STRCOUNT_INIT {NULL, NULL, 0, 0}

/* The count of s, 0 when it has none. */
unsigned long pb_strcount_get(const pb_strcount *m, const char *s, size_t n);
/* Sets the count of s. PB_OK or PB_ENOMEM. */
int pb_strcount_set(pb_strcount *m, const char *s, size_t n,
                    unsigned long count);
/* The same given the string's pb_strset_hash. */
unsigned long pb_strcount_geth(const pb_strcount *m, uint64_t h);
int pb_strcount_seth(pb_strcount *m, uint64_t h, unsigned long count);
void pb_strcount_free(pb_strcount *m);

#endif
