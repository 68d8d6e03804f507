/* Runs every Check suite: one per tests/check_<module>.c, listed in the
 * generated suites.h as SUITE(module). */
#include <check.h>
#include <stdlib.h>

#define SUITE(m) Suite *m##_suite(void);
#include "suites.h"
#undef SUITE

int main(void)
{
	SRunner *sr = srunner_create(NULL);
#define SUITE(m) srunner_add_suite(sr, m##_suite());
#include "suites.h"
#undef SUITE
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
