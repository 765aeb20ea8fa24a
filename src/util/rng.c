/* Seeded random numbers: GSL's MT19937 behind a small handle, so callers
 * never include GSL headers and every stream is reproducible from a seed.
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "llm4perf/rng.h"
#include "banned.h"

struct l4p_rng {
  gsl_rng *gen;
};

struct l4p_rng *l4p_rng_new(uint64_t seed)
{
  /* GSL's default handler aborts (e.g. on out of memory); the library
   * never aborts on anything, so GSL errors come back as return values */
  gsl_set_error_handler_off();
  struct l4p_rng *rng = malloc(sizeof *rng);
  if (!rng)
    return NULL;
  rng->gen = gsl_rng_alloc(gsl_rng_mt19937);
  if (!rng->gen) {
    free(rng);
    return NULL;
  }
  l4p_rng_seed(rng, seed);
  return rng;
}

void l4p_rng_free(struct l4p_rng *rng)
{
  if (!rng)
    return;
  gsl_rng_free(rng->gen);
  free(rng);
}

void l4p_rng_seed(struct l4p_rng *rng, uint64_t seed)
{
  /* fold 64 bits into GSL's unsigned long seed; 0 means "default" to GSL,
   * so shift every seed by one to keep seed 0 distinct from seed 4357 */
  gsl_rng_set(rng->gen, (unsigned long)(seed ^ (seed >> 32)) + 1);
}

double l4p_rng_uniform(struct l4p_rng *rng)
{
  return gsl_rng_uniform(rng->gen);
}

uint64_t l4p_rng_below(struct l4p_rng *rng, uint64_t n)
{
  if (n <= gsl_rng_max(rng->gen))
    return gsl_rng_uniform_int(rng->gen, (unsigned long)n);
  /* wider than one draw: combine two and reject the biased tail */
  uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  for (;;) {
    uint64_t v =
        ((uint64_t)gsl_rng_get(rng->gen) << 32) ^ gsl_rng_get(rng->gen);
    if (v < limit)
      return v % n;
  }
}

void l4p_rng_shuffle(struct l4p_rng *rng, size_t *idx, size_t n)
{
  for (size_t i = n; i > 1; i--) {
    size_t j = (size_t)l4p_rng_below(rng, i);
    size_t t = idx[i - 1];
    idx[i - 1] = idx[j];
    idx[j] = t;
  }
}
