/* Finding where a value sits in JSON text, for error messages.
 * jansson parses specs into trees without positions; when a check on the
 * tree fails, this scanner walks the (already valid) text along the same
 * path to report file:line:column. */
#ifndef L4P_UTIL_JSONLOC_H
#define L4P_UTIL_JSONLOC_H

#include <stdbool.h>

/* Locate the value at path in text. path is '/'-separated: object keys or
 * array indices, e.g. "options/3/default"; "" is the root. On success sets
 * *line and *col (1-based) and returns true; when a segment is missing,
 * the position of the deepest value found is reported and false returned. */
bool l4px_json_locate(const char *text, const char *path, int *line, int *col);

/* The same, but reports where the last member's name starts (for errors
 * about the key itself, such as an unknown key). */
bool l4px_json_locate_key(const char *text, const char *path, int *line,
                          int *col);

#endif
