/* Arbitrary-size unsigned counts: spaces of 100 options easily pass 2^64.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bignum.h"
#include "banned.h"

void l4px_bignum_init(struct l4px_bignum *b, uint64_t value)
{
  b->limb = malloc(2 * sizeof *b->limb);
  b->oom = !b->limb;
  b->n = 0;
  if (b->oom)
    return;
  b->limb[0] = (uint32_t)value;
  b->limb[1] = (uint32_t)(value >> 32);
  b->n = b->limb[1] ? 2 : 1;
}

void l4px_bignum_release(struct l4px_bignum *b)
{
  free(b->limb);
  memset(b, 0, sizeof *b);
}

void l4px_bignum_mul(struct l4px_bignum *b, uint64_t factor)
{
  if (b->oom)
    return;
  uint32_t f[2] = {(uint32_t)factor, (uint32_t)(factor >> 32)};
  uint32_t *out = calloc(b->n + 2, sizeof *out);
  if (!out) {
    b->oom = true;
    return;
  }
  /* schoolbook multiplication by a two-limb factor */
  for (size_t j = 0; j < 2; j++) {
    uint64_t carry = 0;
    for (size_t i = 0; i < b->n; i++) {
      uint64_t v = (uint64_t)b->limb[i] * f[j] + out[i + j] + carry;
      out[i + j] = (uint32_t)v;
      carry = v >> 32;
    }
    for (size_t k = b->n + j; carry && k < b->n + 2; k++) {
      uint64_t v = (uint64_t)out[k] + carry;
      out[k] = (uint32_t)v;
      carry = v >> 32;
    }
  }
  size_t n = b->n + 2;
  while (n > 1 && out[n - 1] == 0)
    n--;
  free(b->limb);
  b->limb = out;
  b->n = n;
}

/* Divide in place by d, returning the remainder. */
static uint32_t divmod(uint32_t *limb, size_t n, uint32_t d)
{
  uint64_t rem = 0;
  for (size_t i = n; i-- > 0;) {
    uint64_t cur = (rem << 32) | limb[i];
    limb[i] = (uint32_t)(cur / d);
    rem = cur % d;
  }
  return (uint32_t)rem;
}

char *l4px_bignum_decimal(const struct l4px_bignum *b)
{
  if (b->oom)
    return NULL;
  size_t digits = b->n * 10 + 2;
  char *out = malloc(digits);
  uint32_t *work = malloc(b->n * sizeof *work);
  if (!out || !work) {
    free(out);
    free(work);
    return NULL;
  }
  memcpy(work, b->limb, b->n * sizeof *work);
  size_t n = b->n, len = 0;
  do {
    uint32_t chunk = divmod(work, n, 1000000000u);
    while (n > 1 && work[n - 1] == 0)
      n--;
    bool last = n == 1 && work[0] == 0;
    for (int k = 0; k < 9 && (!last || chunk); k++) {
      out[len++] = (char)('0' + chunk % 10);
      chunk /= 10;
    }
  } while (!(n == 1 && work[0] == 0));
  if (len == 0)
    out[len++] = '0';
  for (size_t i = 0; i < len / 2; i++) {
    char t = out[i];
    out[i] = out[len - 1 - i];
    out[len - 1 - i] = t;
  }
  out[len] = '\0';
  free(work);
  return out;
}

double l4px_bignum_double(const struct l4px_bignum *b)
{
  double v = 0;
  for (size_t i = b->n; i-- > 0;)
    v = v * 4294967296.0 + b->limb[i];
  return v;
}
