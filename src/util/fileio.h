/* Whole-file reads and atomic writes, plus strict number parsing. */
#ifndef L4P_UTIL_FILEIO_H
#define L4P_UTIL_FILEIO_H

#include <stdbool.h>
#include <stddef.h>

#include "llm4perf/status.h"

/* Read path into a NUL-terminated heap buffer (free() it). */
l4p_status l4px_read_file(const char *path, char **text, size_t *len);

/* Write data to path through a temporary file and rename(), so a crash
 * never leaves a half-written file in place of a good one. */
l4p_status l4px_write_file_atomic(const char *path, const char *data,
                                  size_t len);

/* Write text plus a final newline to path, atomically (JSON files). */
l4p_status l4px_write_text_atomic(const char *path, const char *text);

/* Parse a whole string as a finite double / as a long long; false when any
 * character is left over or the string is empty. */
bool l4px_parse_double(const char *s, double *out);
bool l4px_parse_llong(const char *s, long long *out);

/* Directory part of path ("." when it has none); free() the result. */
char *l4px_dirname(const char *path);
/* dir/rel unless rel is absolute; free() the result. */
char *l4px_path_join(const char *dir, const char *rel);

/* The absolute path of the running program (/proc/self/exe); free() it.
 * NULL when unknown or out of memory. */
char *l4px_self_path(void);

#endif
