/* Base64 encoding and strict decoding, so model files can carry each
 * model's serialised bytes inside one JSON document (src/models/mo.c).
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>

#include "base64.h"
#include "failf.h"
#include "banned.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Four characters per three bytes; the last group is padded with '='. */
char *l4px_base64_encode(const void *data, size_t len)
{
  if (len > (SIZE_MAX - 1) / 4 * 3 - 3)
    return NULL;
  const unsigned char *in = data;
  char *out = malloc((len + 2) / 3 * 4 + 1);
  if (!out)
    return NULL;
  size_t o = 0;
  for (size_t i = 0; i < len; i += 3) {
    uint32_t v = (uint32_t)in[i] << 16;
    if (i + 1 < len)
      v |= (uint32_t)in[i + 1] << 8;
    if (i + 2 < len)
      v |= in[i + 2];
    out[o++] = alphabet[v >> 18 & 63];
    out[o++] = alphabet[v >> 12 & 63];
    out[o++] = i + 1 < len ? alphabet[v >> 6 & 63] : '=';
    out[o++] = i + 2 < len ? alphabet[v & 63] : '=';
  }
  out[o] = '\0';
  return out;
}

/* The 6-bit value of c, or -1 when c is not in the alphabet. */
static int sextet(char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == '/')
    return 63;
  return -1;
}

/* Strict: padding only at the very end, at most two '=', and the bits a
 * padded group leaves over must be zero, so every byte string has exactly
 * one accepted encoding. */
l4p_status l4px_base64_decode(const char *text, size_t len, unsigned char **out,
                              size_t *out_len)
{
  *out = NULL;
  *out_len = 0;
  if (len % 4)
    return l4p_failf(L4P_EPARSE, "base64: length %zu is not a multiple of 4",
                     len);
  size_t pad = 0;
  if (len && text[len - 1] == '=')
    pad = len >= 2 && text[len - 2] == '=' ? 2 : 1;
  unsigned char *buf = malloc(len / 4 * 3 + 1);
  if (!buf)
    return l4p_failf(L4P_ENOMEM, "out of memory decoding base64");
  size_t o = 0;
  for (size_t i = 0; i < len; i += 4) {
    uint32_t v = 0;
    for (size_t k = 0; k < 4; k++) {
      size_t at = i + k;
      int s = at >= len - pad ? 0 : sextet(text[at]);
      if (s < 0) {
        free(buf);
        return l4p_failf(L4P_EPARSE, "base64: bad character at offset %zu", at);
      }
      v = v << 6 | (uint32_t)s;
    }
    size_t n = i + 4 < len ? 3 : 3 - pad;
    if (n < 3 && (v & (n == 1 ? 0xffffu : 0xffu))) {
      free(buf);
      return l4p_failf(L4P_EPARSE,
                       "base64: non-zero padding bits at offset "
                       "%zu",
                       i);
    }
    buf[o++] = (unsigned char)(v >> 16);
    if (n > 1)
      buf[o++] = (unsigned char)(v >> 8);
    if (n > 2)
      buf[o++] = (unsigned char)v;
  }
  buf[o] = '\0';
  *out = buf;
  *out_len = o;
  return L4P_OK;
}
