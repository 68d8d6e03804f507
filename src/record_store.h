/* Building a record's strings in its own storage (internal): for the
 * modules that make a record's strings rather than copy them in. */
#ifndef PB_RECORD_STORE_H
#define PB_RECORD_STORE_H

#include <stddef.h>

#include "paperbib/record.h"

/* n bytes of r's storage, valid until r is reset or cleared; NULL when
 * out of memory. */
char *pb_record_alloc(pb_record *r, size_t n);

/* pb_name_parse, with the parts in the storage of in: dst may only become
 * one of in's authors, and a failed parse leaves it empty. With in NULL
 * the parts come from malloc: this is pb_name_parse. */
int pb_name_parse_into(pb_name *dst, pb_record *in, const char *display);

#endif
