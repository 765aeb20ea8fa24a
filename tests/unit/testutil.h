/* Helpers shared by the unit tests: scratch directories, fixture paths and
 * the optional shared datasets. Include after cmocka's prerequisites. */
#ifndef L4P_TESTUTIL_H
#define L4P_TESTUTIL_H

#include <stddef.h>

/* A fresh scratch directory for this test process (removed at exit). */
const char *tu_tmpdir(void);
/* tu_tmpdir()/name in a static buffer rotated over 8 slots. */
const char *tu_tmp(const char *name);
/* Path of a file under the source tree, e.g. tu_src("tests/data/x"). */
const char *tu_src(const char *rel);
/* Path under the shared datasets, or NULL when they are absent. */
const char *tu_shared(const char *rel);
/* Write text to path; aborts the test on failure. */
void tu_write(const char *path, const char *text);

#endif
