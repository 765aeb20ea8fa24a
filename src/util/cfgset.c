/* Configuration sets: open addressing over a hash of the values' bits.
 * Values are normalised (-0 to 0) so equal numbers hash alike.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfgset.h"
#include "banned.h"

void l4px_cfgset_init(struct l4px_cfgset *set, size_t d)
{
  memset(set, 0, sizeof *set);
  set->d = d;
}

void l4px_cfgset_release(struct l4px_cfgset *set)
{
  free(set->items);
  free(set->used);
  l4px_cfgset_init(set, set->d);
}

static uint64_t hash(const double *cfg, size_t d)
{
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < d; i++) {
    double v = cfg[i] == 0 ? 0 : cfg[i];
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    h = (h ^ bits) * 1099511628211ull;
    h ^= h >> 29;
  }
  return h;
}

static bool equal(const double *a, const double *b, size_t d)
{
  for (size_t i = 0; i < d; i++)
    if (a[i] != b[i])
      return false;
  return true;
}

/* Slot holding cfg, or the empty slot where it would go. */
static size_t probe(const struct l4px_cfgset *set, const double *cfg)
{
  size_t mask = set->cap - 1, k = (size_t)hash(cfg, set->d) & mask;
  while (set->used[k] && !equal(set->items + k * set->d, cfg, set->d))
    k = (k + 1) & mask;
  return k;
}

bool l4px_cfgset_contains(const struct l4px_cfgset *set, const double *cfg)
{
  return set->cap && set->used[probe(set, cfg)];
}

static int grow(struct l4px_cfgset *set)
{
  struct l4px_cfgset bigger;
  l4px_cfgset_init(&bigger, set->d);
  bigger.cap = set->cap ? set->cap * 2 : 64;
  bigger.items = malloc(bigger.cap * (set->d ? set->d : 1) * sizeof(double));
  bigger.used = calloc(bigger.cap, sizeof *bigger.used);
  if (!bigger.items || !bigger.used) {
    l4px_cfgset_release(&bigger);
    return -1;
  }
  for (size_t k = 0; k < set->cap; k++) {
    if (!set->used[k])
      continue;
    size_t slot = probe(&bigger, set->items + k * set->d);
    memcpy(bigger.items + slot * set->d, set->items + k * set->d,
           set->d * sizeof(double));
    bigger.used[slot] = true;
    bigger.n++;
  }
  l4px_cfgset_release(set);
  *set = bigger;
  return 0;
}

int l4px_cfgset_add(struct l4px_cfgset *set, const double *cfg)
{
  if ((set->n + 1) * 2 > set->cap && grow(set) < 0)
    return -1;
  size_t k = probe(set, cfg);
  if (set->used[k])
    return 0;
  memcpy(set->items + k * set->d, cfg, set->d * sizeof(double));
  set->used[k] = true;
  set->n++;
  return 1;
}
