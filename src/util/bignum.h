/* Unsigned integers of any size, just enough to count configuration spaces
 * exactly: multiply by a machine word, print in decimal. */
#ifndef L4P_UTIL_BIGNUM_H
#define L4P_UTIL_BIGNUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct l4px_bignum {
  size_t n;       /* limbs in use; value 0 has n == 1 and limb 0 */
  uint32_t *limb; /* little-endian base 2^32 */
  bool oom;
};

void l4px_bignum_init(struct l4px_bignum *b, uint64_t value);
void l4px_bignum_release(struct l4px_bignum *b);
void l4px_bignum_mul(struct l4px_bignum *b, uint64_t factor);
/* Decimal text (free() it); NULL when out of memory. */
char *l4px_bignum_decimal(const struct l4px_bignum *b);
double l4px_bignum_double(const struct l4px_bignum *b);

#endif
