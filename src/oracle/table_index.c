/* Exact-configuration index of a measured table: open addressing with
 * linear probing over row numbers, hashed on the bit patterns of the
 * configuration's values. The table oracle looks up every requested
 * configuration here, so lookups must stay O(1) on tables of 10^5 rows.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/failf.h"
#include "table-int.h"
#include "util/banned.h"

struct l4p_table_index {
  size_t n_options;
  size_t cap;  /* slots, a power of two (0 before the first insert) */
  size_t used; /* filled slots */
  long *slots; /* row numbers, -1 when empty */
};

/* An empty index; slots are allocated on the first insert. */
struct l4p_table_index *l4p__table_index_new(size_t n_options)
{
  struct l4p_table_index *ix = calloc(1, sizeof *ix);
  if (ix)
    ix->n_options = n_options;
  return ix;
}

/* Free the index; NULL is a no-op. */
void l4p__table_index_free(struct l4p_table_index *ix)
{
  if (!ix)
    return;
  free(ix->slots);
  free(ix);
}

/* splitmix64's finaliser: spreads every input bit over the output. */
static uint64_t mix(uint64_t x)
{
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

static uint64_t hash_config(const double *cfg, size_t n)
{
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
  for (size_t i = 0; i < n; i++) {
    double v = cfg[i] == 0 ? 0.0 : cfg[i]; /* -0.0 hashes as 0.0 */
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    h = mix(h ^ bits) + i;
  }
  return mix(h);
}

static int same_config(const double *a, const double *b, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (a[i] != b[i])
      return 0;
  return 1;
}

/* Probe from the configuration's hash until its row or an empty slot. */
long l4p__table_index_find(const struct l4p_table_index *ix,
                           const double *configs, const double *cfg)
{
  if (!ix->cap)
    return -1;
  size_t mask = ix->cap - 1, n = ix->n_options;
  for (size_t s = hash_config(cfg, n) & mask;; s = (s + 1) & mask) {
    long row = ix->slots[s];
    if (row < 0)
      return -1;
    if (same_config(configs + (size_t)row * n, cfg, n))
      return row;
  }
}

/* Put row into a slot array known to have room and not to hold it. */
static void place(long *slots, size_t cap, size_t n, const double *configs,
                  long row)
{
  size_t mask = cap - 1;
  size_t s = hash_config(configs + (size_t)row * n, n) & mask;
  while (slots[s] >= 0)
    s = (s + 1) & mask;
  slots[s] = row;
}

/* Index row, doubling the slots (and rehashing) before the load factor
 * would pass 1/2. */
l4p_status l4p__table_index_insert(struct l4p_table_index *ix,
                                   const double *configs, long row)
{
  /* keep the load factor under 1/2 so probe runs stay short */
  if (2 * (ix->used + 1) > ix->cap) {
    size_t cap = ix->cap ? ix->cap * 2 : 64;
    long *slots = malloc(cap * sizeof *slots);
    if (!slots)
      return l4p_failf(L4P_ENOMEM, "out of memory indexing a table");
    for (size_t s = 0; s < cap; s++)
      slots[s] = -1;
    for (size_t s = 0; s < ix->cap; s++)
      if (ix->slots[s] >= 0)
        place(slots, cap, ix->n_options, configs, ix->slots[s]);
    free(ix->slots);
    ix->slots = slots;
    ix->cap = cap;
  }
  place(ix->slots, ix->cap, ix->n_options, configs, row);
  ix->used++;
  return L4P_OK;
}
