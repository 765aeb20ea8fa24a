/* Optional tuning of the XGBoost model (params.tune): a small grid of
 * max_depth x eta x rounds, scored by k-fold cross-validation on the
 * training sample only, so tuning never sees test rows (model.h). Called
 * by xgboost.c before the final fit on the whole sample.
 *
 * Folds are scored by relative error, the metric studies report (MRE):
 * scored by squared error, a few large values chose deep, fast-learning
 * trees that did worse in MRE (bench_xgboost, lrzip Performance at 100
 * rows: 43 % against 21 % for the defaults; relative scoring gave 21 %).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>

#include "llm4perf/rng.h"
#include "xgboost-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* The grid (docs/MODELS.md). Rounds are scored from one booster trained
 * for the largest count, predicting with its first 100 or 300 trees, so
 * each (depth, eta) pair costs one fit per fold. Ties keep the earlier,
 * shallower and slower-learning entry. */
static const int depths[] = {3, 6, 9};
static const double etas[] = {0.05, 0.1, 0.3};
static const int rounds[] = {100, 300};
#define N_DEPTHS (sizeof depths / sizeof depths[0])
#define N_ETAS (sizeof etas / sizeof etas[0])
#define N_ROUNDS (sizeof rounds / sizeof rounds[0])
#define MAX_ROUNDS 300
#define MAX_FOLDS 5

/* Add every grid point's relative errors on one fold to err (N_DEPTHS x
 * N_ETAS x N_ROUNDS); a row whose target is 0 adds its absolute error. */
static l4p_status score_fold(const double *X, const double *y, size_t d,
                             const size_t *train, size_t n_train,
                             const size_t *test, size_t n_test,
                             const struct l4p_model_params *p, double *err)
{
  DMatrixHandle dtrain = NULL, dtest = NULL;
  double *pred = malloc(n_test * sizeof *pred);
  if (!pred)
    return l4p_failf(L4P_ENOMEM, "out of memory tuning xgboost");
  l4p_status st = l4p__xgb_matrix(X, y, train, n_train, d, &dtrain);
  if (!st)
    st = l4p__xgb_matrix(X, NULL, test, n_test, d, &dtest);
  double base = l4p__xgb_mean(y, train, n_train);
  for (size_t i = 0; !st && i < N_DEPTHS * N_ETAS; i++) {
    struct l4p__xgb_hyper h = {depths[i / N_ETAS], etas[i % N_ETAS],
                               MAX_ROUNDS};
    BoosterHandle b = NULL;
    st = l4p__xgb_train(dtrain, p, &h, base, &b);
    for (size_t k = 0; !st && k < N_ROUNDS; k++) {
      st = l4p__xgb_predict(b, dtest, n_test, rounds[k], pred);
      for (size_t r = 0; !st && r < n_test; r++) {
        double e = fabs(pred[r] - y[test[r]]), t = fabs(y[test[r]]);
        err[i * N_ROUNDS + k] += t > 0 ? e / t : e;
      }
    }
    if (b)
      XGBoosterFree(b);
  }
  if (dtrain)
    XGDMatrixFree(dtrain);
  if (dtest)
    XGDMatrixFree(dtest);
  free(pred);
  return st;
}

/* See xgboost-int.h. Fold f holds the rows at positions f, f+k, f+2k...
 * of a seeded shuffle, so folds differ in size by at most one row. */
l4p_status l4p__xgb_tune(const double *X, const double *y, size_t n, size_t d,
                         const struct l4p_model_params *p,
                         struct l4p__xgb_hyper *best)
{
  *best = l4p__xgb_default;
  if (n < 2)
    return L4P_OK;
  size_t k = n < MAX_FOLDS ? n : MAX_FOLDS;
  size_t *perm = malloc(n * sizeof *perm);
  size_t *train = malloc(n * sizeof *train);
  size_t *test = malloc(n * sizeof *test);
  struct l4p_rng *rng = l4p_rng_new(p->seed);
  double err[N_DEPTHS * N_ETAS * N_ROUNDS] = {0};
  l4p_status st = L4P_OK;
  if (!perm || !train || !test || !rng)
    st = l4p_failf(L4P_ENOMEM, "out of memory tuning xgboost");
  for (size_t r = 0; !st && r < n; r++)
    perm[r] = r;
  if (!st)
    l4p_rng_shuffle(rng, perm, n);
  for (size_t f = 0; !st && f < k; f++) {
    size_t n_train = 0, n_test = 0;
    for (size_t pos = 0; pos < n; pos++) {
      if (pos % k == f)
        test[n_test++] = perm[pos];
      else
        train[n_train++] = perm[pos];
    }
    st = score_fold(X, y, d, train, n_train, test, n_test, p, err);
  }
  double best_err = INFINITY;
  for (size_t i = 0; !st && i < N_DEPTHS * N_ETAS * N_ROUNDS; i++) {
    if (err[i] < best_err) {
      best_err = err[i];
      best->max_depth = depths[i / N_ROUNDS / N_ETAS];
      best->eta = etas[i / N_ROUNDS % N_ETAS];
      best->rounds = rounds[i % N_ROUNDS];
    }
  }
  l4p_rng_free(rng);
  free(perm);
  free(train);
  free(test);
  return st;
}
