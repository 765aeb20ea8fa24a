/* The arithmetic behind the llm4perf diagnostics
 * (include/llm4perf/llm4perf_diag.h), as small pure functions over
 * configurations, candidate sets and option values, so the unit tests
 * check each number on hand-made data without a store:
 * llm4perf_diag_math.c computes, llm4perf_diag.c reads the artefacts
 * into them, llm4perf_diag_json.c writes the result. */
#ifndef L4P_LLM4PERF_DIAG_INT_H
#define L4P_LLM4PERF_DIAG_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "llm4perf/llm4perf_diag.h"

/* How distances are measured: l4p_space_distance over the free options
 * only, divided by their number (each option adds at most 1, so the
 * result lies in [0, 1]). */
struct l4p__diag_metric {
  const struct l4p_space *space;
  const bool *free; /* per option of space */
  size_t n_free;
  double *tmp; /* scratch: one configuration */
};

/* The normalised distance between a and b; NAN when n_free is 0. */
double l4p__diag_distance(struct l4p__diag_metric *m, const double *a,
                          const double *b);

/* Diversity: the mean normalised distance over the n(n-1)/2 pairs of
 * the n configurations cfgs; NAN when n < 2. */
double l4p__diag_diversity(struct l4p__diag_metric *m, const double *cfgs,
                           size_t n);

/* Novelty: the mean over cfgs (n) of the normalised distance to the
 * nearest of earlier (n_earlier); NAN when either is empty. */
double l4p__diag_novelty(struct l4p__diag_metric *m, const double *cfgs,
                         size_t n, const double *earlier, size_t n_earlier);

/* The mean over cfgs (n) of the normalised distance to the nearest
 * other configuration of cfgs: the stagnation reference; NAN when
 * n < 2. */
double l4p__diag_nearest_within(struct l4p__diag_metric *m, const double *cfgs,
                                size_t n);

/* Agreement of one vote: voters[k] has bit g set when generator g
 * proposed candidate k (n candidates, n_gen generators). *agreed gets
 * the candidates with 2+ voters, *share agreed / n, *jaccard the mean
 * over generator pairs of |A ∩ B| / |A ∪ B| (pairs with an empty union
 * left out). Both NAN when n_gen < 2; share NAN when n is 0; jaccard NAN
 * when every pair was left out. */
void l4p__diag_agreement(const uint32_t *voters, size_t n, size_t n_gen,
                         size_t *agreed, double *share, double *jaccard);

/* Coverage of option opt by n values (values[k * stride]): out's levels,
 * seen, binned and coverage (name and state untouched). Bools and enums
 * have a level per value; numbers with at most L4P_LLM4PERF_DIAG_BINS
 * values too; other numbers L4P_LLM4PERF_DIAG_BINS equal-width bins of
 * [min, max], those holding no allowed value (a sparse value list) not
 * counted. ENOMEM. */
l4p_status l4p__diag_coverage(const struct l4p_option *opt,
                              const double *values, size_t n, size_t stride,
                              struct l4p_llm4perf_diag_option *out);

/* Stagnation over d's iterations (their novelty) and d->reference:
 * sets d->threshold, each iteration's stagnant flag, d->n_stagnant,
 * d->stagnation_warning and d->warning (tag-diag-stagnation). ENOMEM. */
l4p_status l4p__diag_stagnation(struct l4p_llm4perf_diag *d);

#endif
