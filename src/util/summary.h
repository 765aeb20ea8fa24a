/* Summaries of repeated measurements: the median (what a noisy objective
 * is taken to be) and the relative standard deviation (how noisy it was).
 * Shared by the command oracle, which decides whether to repeat, and the
 * store, which summarises the stored repetitions. */
#ifndef L4P_UTIL_SUMMARY_H
#define L4P_UTIL_SUMMARY_H

#include <stddef.h>

/* Median of v[0..n) (no NAN among them), sorting v in place (the mean of
 * the two middle values when n is even); NAN when n is 0. */
double l4px_median(double *v, size_t n);

/* Sample standard deviation (n - 1) divided by |mean|: 0 for a single
 * value, NAN for none or a mean of 0. */
double l4px_rsd(const double *v, size_t n);

#endif
