/* Prediction-error metrics for performance models (METHOD.md, "Evaluation
 * protocol"): RMSE, RMSE divided by the objective's range, and the mean
 * relative error in percent.
 *
 * Invariants: rows whose true value is NAN (not measured) are left out of
 * every metric; a metric over no rows is NAN, never 0, so an empty test set
 * cannot pass for a perfect model. */
#ifndef LLM4PERF_METRICS_H
#define LLM4PERF_METRICS_H

#include <stddef.h>

/* Root mean squared error of pred against truth over n rows. */
double l4p_metrics_rmse(const double *pred, const double *truth, size_t n);

/* RMSE divided by range (the objective's max - min over the whole table,
 * see l4p_metrics_range); NAN when range is not positive. */
double l4p_metrics_nrmse(const double *pred, const double *truth, size_t n,
                         double range);

/* Mean relative error in percent: mean(|pred - true| / |true|) * 100 over
 * the rows whose true value is not 0. *n_zero (may be NULL) gets the
 * number of rows left out because their true value is 0. */
double l4p_metrics_mre(const double *pred, const double *truth, size_t n,
                       size_t *n_zero);

/* max - min of the n values, ignoring NAN; NAN when all are NAN. */
double l4p_metrics_range(const double *values, size_t n);

#endif
