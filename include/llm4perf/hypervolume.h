/* Hypervolume and Pareto fronts, the quality measures of a set of
 * multi-objective results (studies, sampler comparisons, tests).
 *
 * Invariants: every objective is minimised (callers negate maximised
 * ones); points are stored row by row, n x m; a point counts only when it
 * is finite and strictly better than the reference point in every
 * objective, so the hypervolume of an empty or fully dominated set is 0. */
#ifndef LLM4PERF_HYPERVOLUME_H
#define LLM4PERF_HYPERVOLUME_H

#include <stddef.h>

#include "llm4perf/status.h"

/* The volume of the region dominated by points (n x m) and bounded by ref
 * (m values). Exact for any m: a sweep for m = 2 (O(n log n)), slicing
 * along the last objective down to that sweep for m >= 3
 * (O(n^(m-1) log n) in the worst case, far less when fronts are small),
 * so keep m <= 5 and n <= a few thousand. EUSAGE when m is 0 or ref is
 * not finite, ENOMEM when out of memory. */
l4p_status l4p_hypervolume(const double *points, size_t n, size_t m,
                           const double *ref, double *volume);

/* Indices of the non-dominated points among points (n x m, minimised)
 * into idx (room for n), in increasing order; returns how many. A point
 * is dominated when another is no worse in every objective and better in
 * one; equal points are all kept; points with a NaN are left out. */
size_t l4p_pareto_front(const double *points, size_t n, size_t m, size_t *idx);

#endif
