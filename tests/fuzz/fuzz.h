/* paperbib fuzzing: one libFuzzer target per reader, one shared harness.
 * Each input is read with the target's reader and written by every
 * writer into memory; the output of each is then checked (oracle.c). */
#ifndef PAPERBIB_FUZZ_H
#define PAPERBIB_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "paperbib/paperbib.h"

/* Reads data with fmt, writes every format, checks every output; aborts
 * (a libFuzzer finding) when an output is invalid. Always returns 0. */
int pb_fuzz_one(const pb_input_format *fmt, const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
