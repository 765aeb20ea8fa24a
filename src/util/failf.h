/* Setting this thread's error message (the detail behind l4p_last_error).
 * The first, most specific message of a failure wins: callers that only
 * pass a status up must not overwrite it (see l4p_failf_keep). */
#ifndef L4P_UTIL_FAILF_H
#define L4P_UTIL_FAILF_H

#include "llm4perf/status.h"

/* Format a message, store it as this thread's last error and return st. */
l4p_status l4p_failf(l4p_status st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Like l4p_failf, but keeps an existing message set since the last
 * l4p_clear_error(); use it where a caller adds generic context. */
l4p_status l4p_failf_keep(l4p_status st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prefix the current message with "prefix: " (e.g. a file name). */
void l4p_error_prefix(const char *prefix);

#endif
