/* Seeded random numbers for samplers, models and studies.
 * A thin handle over GSL's Mersenne Twister (gsl_rng_mt19937): the same
 * seed gives the same stream on every machine. One handle per thread. */
#ifndef LLM4PERF_RNG_H
#define LLM4PERF_RNG_H

#include <stdint.h>

struct l4p_rng;

/* NULL when out of memory. */
struct l4p_rng *l4p_rng_new(uint64_t seed);
void l4p_rng_free(struct l4p_rng *rng);
void l4p_rng_seed(struct l4p_rng *rng, uint64_t seed);
/* Uniform in [0, 1). */
double l4p_rng_uniform(struct l4p_rng *rng);
/* Uniform integer in [0, n); n must be > 0. */
uint64_t l4p_rng_below(struct l4p_rng *rng, uint64_t n);
/* Shuffle n indices in place. */
void l4p_rng_shuffle(struct l4p_rng *rng, size_t *idx, size_t n);

#endif
