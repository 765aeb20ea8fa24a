/* Base64 (RFC 4648, standard alphabet, '=' padding) for binary blobs kept
 * inside JSON text, such as a saved model's bytes in a model file. */
#ifndef L4P_UTIL_BASE64_H
#define L4P_UTIL_BASE64_H

#include <stddef.h>

#include "llm4perf/status.h"

/* Encode len bytes of data as a NUL-terminated heap string (free() it);
 * NULL when out of memory. */
char *l4px_base64_encode(const void *data, size_t len);

/* Decode len characters of text (no whitespace, padded to a multiple of
 * four) into a heap buffer (free() it) of *out_len bytes, NUL-terminated
 * for convenience. EPARSE naming the offset of the first bad character;
 * *out is NULL on failure. */
l4p_status l4px_base64_decode(const char *text, size_t len, unsigned char **out,
                              size_t *out_len);

#endif
