/* libFuzzer target: the bibtex reader, then every writer (see oracle.c). */
#include "fuzz.h"

extern const pb_input_format pb_bibtex_input;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pb_fuzz_one(&pb_bibtex_input, data, size);
}
