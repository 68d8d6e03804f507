/* A set of strings (internal): open addressing, FNV-1a hashes. */
#ifndef PB_STRSET_H
#define PB_STRSET_H

#include <stddef.h>

typedef struct pb_strset {
	char **slots;
	size_t n, cap;
} pb_strset;

#define PB_STRSET_INIT {NULL, 0, 0}

/* Adds a copy of s. Returns 1 when added, 0 when s was already there,
 * PB_ENOMEM when out of memory. */
int pb_strset_add(pb_strset *set, const char *s);
int pb_strset_has(const pb_strset *set, const char *s);
void pb_strset_free(pb_strset *set);

#endif
