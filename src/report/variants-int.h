/* The arithmetic of the report's "Sampler variants" table (docs/REPORT.md):
 * per variant of one sampler under one model, plain numbers from plain
 * arrays, so tests/unit/test_report_variants.c checks them by hand.
 * Scenario matrices are n_var x n_sc, row-major: variant v's value in
 * scenario i is at [v * n_sc + i]. NaN stands for "no value" everywhere,
 * in and out. */
#ifndef L4P_REPORT_VARIANTS_INT_H
#define L4P_REPORT_VARIANTS_INT_H

#include <stddef.h>

/* One row of the table. */
struct l4p__variant_row {
  double mean;  /* mean of the variant's error scenario means */
  double ratio; /* geometric mean of mean / the default's mean */
  double sd;    /* mean of the scenarios' sd across repetitions */
  double cv;    /* mean of sd / mean over the scenarios */
  double hv;    /* mean of the front scenario means */
  size_t best;  /* error scenarios where its mean is the variants' lowest */
  size_t of;    /* error scenarios where any variant has a value */
};

/* The mean of the finite values among x[0..n); NaN when none is. */
double l4p__mean_finite(const double *x, size_t n);

/* The geometric mean of num[i] / den[i] over the i where both are finite
 * and positive (a log needs them so); NaN when there is no such i. */
double l4p__geo_mean_ratio(const double *num, const double *den, size_t n);

/* The mean of sd[i] / mean[i] over the i where both are finite and mean
 * is not 0; NaN when there is no such i. */
double l4p__mean_cv(const double *mean, const double *sd, size_t n);

/* rows[v].best = the scenarios in which variant v has the lowest mean
 * among the variants with a value (ties count for each); rows[v].of =
 * the scenarios where at least one variant has a value. */
void l4p__best_counts(const double *mean, size_t n_var, size_t n_sc,
                      struct l4p__variant_row *rows);

/* Fill rows[0..n_var) from the error scenarios' means and sds (n_var x
 * n_sc), the default variant's index def (its ratio is 1 wherever it has
 * a positive mean) and the front scenarios' means hv (n_var x n_hv). */
void l4p__variants_compute(const double *mean, const double *sd, size_t n_var,
                           size_t n_sc, size_t def, const double *hv,
                           size_t n_hv, struct l4p__variant_row *rows);

#endif
