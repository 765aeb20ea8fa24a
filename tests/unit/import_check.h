/* Imports and checks shared by the importer unit tests (test_import.c on
 * the fixtures under tests/data, test_import_data.c on the measured
 * datasets): an import that must succeed or fail with a given message,
 * and checks of the resulting spec and table written as short text
 * ("fast,medium,slow", "time:min,size:max"). Include after cmocka's
 * prerequisites and cmocka.h. */
#ifndef L4P_IMPORT_CHECK_H
#define L4P_IMPORT_CHECK_H

#include <string.h>

#include "llm4perf/import.h"
#include "testutil.h" /* assert_same */

/* The text hay (may be NULL) contains needle. */
#define assert_has(hay, needle)                                        \
  do {                                                                 \
    if (!(hay) || !strstr((hay), (needle)))                            \
      fail_msg("'%s' lacks '%s'", (hay) ? (hay) : "(null)", (needle)); \
  } while (0)

/* What one import produced; release() frees both. */
struct imported {
  struct l4p_spec *spec;
  struct l4p_table *table;
};

void release(struct imported *im);

/* Import path with opts (NULL: guessed format, default options), or fail
 * the test with the status and message. */
struct imported import_ok(const char *path, const struct l4p_import_opts *opts);
/* The import fails with status want, a message containing msg, and both
 * outputs set to NULL. */
void import_fails(const char *path, const struct l4p_import_opts *opts,
                  l4p_status want, const char *msg);

/* The space of spec has exactly want (decimal text) configurations. */
void assert_count(const struct l4p_spec *spec, const char *want);
/* Every imported row is a valid configuration of the space. */
void assert_rows_valid(const struct imported *im);
/* The option called name (fails the test when there is none). */
const struct l4p_option *option(const struct l4p_spec *spec, const char *name);
/* Option name is an enum with labels want, in order, comma-separated. */
void assert_labels(const struct l4p_spec *spec, const char *name,
                   const char *want);
/* Option name has the type and value list want ("%g", comma-separated;
 * "" for a range). */
void assert_values(const struct l4p_spec *spec, const char *name,
                   enum l4p_option_type type, const char *want);
/* The objectives are want, as "name:min,name:max" in order. */
void assert_objectives(const struct l4p_spec *spec, const char *want);

#endif
