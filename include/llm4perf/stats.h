/* Statistics for comparing samplers over repetitions (METHOD.md,
 * "Evaluation protocol"): the Wilcoxon rank-sum (Mann-Whitney U) test,
 * Holm's correction of a family of p-values, the Vargha-Delaney A12 and
 * Cliff's delta effect sizes with magnitude labels, and the Scott-Knott
 * ESD ranking. docs/STATISTICS.md gives the definitions, the references
 * and how the test vectors were produced with SciPy.
 *
 * Invariants: a sample is an array of doubles with at least one value;
 * NaN is never a value (EUSAGE), infinities are ordinary values that tie
 * with themselves; nothing here draws random numbers, so every result is
 * a function of its inputs alone. */
#ifndef LLM4PERF_STATS_H
#define LLM4PERF_STATS_H

#include <stdbool.h>
#include <stddef.h>

#include "llm4perf/status.h"

/* Below or at this size of the smaller sample, and without ties, AUTO
 * uses the exact distribution of U: SciPy 1.10's mannwhitneyu 'auto'. */
#define L4P_MWU_EXACT_MAX 8

/* How the p-value of the rank-sum test is computed. */
enum l4p_mwu_method {
  L4P_MWU_AUTO,      /* EXACT when min(nx, ny) <= L4P_MWU_EXACT_MAX and no
                        value repeats in x and y together, else ASYMPTOTIC */
  L4P_MWU_EXACT,     /* exact null distribution; EUSAGE when ties exist or
                        nx ny min(U, nx ny - U) > 1e10 (seconds of work) */
  L4P_MWU_ASYMPTOTIC /* normal approximation, tie and continuity corrected */
};

/* Result of the rank-sum test. */
struct l4p_mwu {
  double u;   /* U of x: pairs (x_i, y_j) with x_i > y_j, ties count 1/2;
                 the U of y is nx * ny - u */
  double p;   /* two-sided p-value, in [0, 1] */
  bool exact; /* p came from the exact distribution */
};

/* Two-sided Wilcoxon rank-sum (Mann-Whitney U) test of x (nx values)
 * against y (ny values), as scipy.stats.mannwhitneyu(x, y,
 * alternative='two-sided', method=...) with its default continuity
 * correction. The exact distribution costs O(nx ny u) time and
 * O(min(nx, ny) u) memory (u = min(U, nx ny - U)); where that exceeds
 * 1e10 steps (8 values against some 18000) AUTO takes the normal
 * approximation, where SciPy would not finish. On success fills *res and
 * returns L4P_OK; EUSAGE for an empty sample, a NaN, or EXACT with ties
 * or too large; ENOMEM when out of memory. */
l4p_status l4p_stats_mannwhitney(const double *x, size_t nx, const double *y,
                                 size_t ny, enum l4p_mwu_method method,
                                 struct l4p_mwu *res);

/* Holm's step-down adjustment of n p-values: sorted ascending,
 * p_(i) becomes max over j <= i of min(1, (n - j + 1) p_(j)), so adjusted
 * values are monotone in p, never below p and at most 1. Writes n values
 * to adj in the order of p (adj may be p itself). EUSAGE when a p-value is
 * NaN or outside [0, 1], ENOMEM when out of memory; adj is then
 * unspecified. n == 0 is a no-op. */
l4p_status l4p_stats_holm(const double *p, size_t n, double *adj);

/* Magnitude of an effect size. */
enum l4p_magnitude {
  L4P_MAG_NEGLIGIBLE,
  L4P_MAG_SMALL,
  L4P_MAG_MEDIUM,
  L4P_MAG_LARGE
};

/* "negligible", "small", "medium", "large"; "unknown" otherwise. */
const char *l4p_magnitude_name(enum l4p_magnitude mag);

/* Effect sizes of x against y. */
struct l4p_effect {
  double a12;                   /* P(X > Y) + P(X = Y) / 2 */
  double delta;                 /* Cliff's delta, P(X > Y) - P(X < Y) */
  enum l4p_magnitude a12_mag;   /* l4p_stats_a12_magnitude(a12) */
  enum l4p_magnitude delta_mag; /* l4p_stats_delta_magnitude(delta) */
};

/* Vargha-Delaney A12 and Cliff's delta (= 2 A12 - 1) of x (nx values)
 * against y (ny values), from ranks in O((nx + ny) log(nx + ny)). For
 * errors, where lower is better, A12 < 0.5 means x tends to be better.
 * Fills *res; EUSAGE for an empty sample or a NaN, ENOMEM when out of
 * memory. */
l4p_status l4p_stats_effect(const double *x, size_t nx, const double *y,
                            size_t ny, struct l4p_effect *res);

/* Vargha and Delaney's (2000) labels for A12, symmetric about 0.5: an A12
 * of at least 0.56, 0.64, 0.71 (or at most 0.44, 0.36, 0.29) is small,
 * medium, large; anything closer to 0.5 is negligible. */
enum l4p_magnitude l4p_stats_a12_magnitude(double a12);

/* Romano et al.'s (2006) labels for |delta|: below 0.147 negligible, below
 * 0.33 small, below 0.474 medium, otherwise large. */
enum l4p_magnitude l4p_stats_delta_magnitude(double delta);

/* Options of the Scott-Knott ESD ranking. */
struct l4p_skesd_opts {
  double alpha;          /* significance level of a split (0.05) */
  double negligible_d;   /* adjacent groups whose Cohen's d is below this
                            are merged (0.2, Cohen's "negligible") */
  bool log_transform;    /* analyse log(1 + x) as the original ESD does
                            (true); values must then exceed -1 */
  bool higher_is_better; /* false (errors): rank 1 has the lowest mean */
};

/* Fill o with the defaults given above. */
void l4p_stats_skesd_defaults(struct l4p_skesd_opts *o);

/* Scott-Knott ESD ranking (Tantithamthavorn et al., TSE 2017) of k
 * treatments (samplers): treatment t has counts[t] >= 1 observations
 * (repetitions), stored one treatment after another in values. The
 * treatments, sorted by mean, are split recursively by Scott and Knott's
 * (1974) likelihood-ratio test; then adjacent groups whose Cohen's d is
 * negligible are merged. rank[t] gets the final group of treatment t,
 * 1 for the best, groups numbered 1, 2, ... without gaps; sk_rank (may be
 * NULL) gets the groups before the merge. opts NULL means the defaults.
 * Deterministic: equal means keep the order of the treatments. EUSAGE for
 * k == 0, a zero count, a non-finite value or bad options, EDOMAIN for a
 * value <= -1 under log_transform, ENOMEM when out of memory. */
l4p_status l4p_stats_skesd(const double *values, const size_t *counts, size_t k,
                           const struct l4p_skesd_opts *opts, int *rank,
                           int *sk_rank);

#endif
