/* Checks every strict JSON reader needs (specs, decisions files, oracle
 * descriptions): unknown member names are errors, and an error names its
 * place as "file:line:col" (see jsonloc.h). */
#ifndef L4P_UTIL_JSONCHECK_H
#define L4P_UTIL_JSONCHECK_H

#include <stdbool.h>

#include <jansson.h>

#include "llm4perf/status.h"

/* The first member name of obj that is neither "comment" nor one of
 * allowed (NULL-terminated), or NULL when there is none. */
const char *l4px_json_unknown_key(json_t *obj, const char *const *allowed);

/* Set this thread's error to "path:line:col: msg", the place being the
 * value at where in text ('/'-separated, see l4px_json_locate) or, with
 * at_key, its member name; returns st. */
l4p_status l4px_json_fail(l4p_status st, const char *text, const char *path,
                          const char *where, bool at_key, const char *msg);

#endif
