/* libFuzzer target: the ris reader, then every writer (see oracle.c). */
#include "fuzz.h"

extern const pb_input_format pb_ris_input;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return pb_fuzz_one(&pb_ris_input, data, size);
}
