/* k-fold cross-validation on a measured sample (crossval.h), used by
 * 'llm4perf run' to report accuracy on live systems, where no table of
 * true values exists beyond what was measured.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "llm4perf/crossval.h"
#include "llm4perf/rng.h"
#include "util/failf.h"
#include "util/banned.h"

/* Work arrays of one fold: its training rows and its held-out rows. */
struct fold {
  double *train_cfg, *train_val, *test_cfg, *test_pred;
  size_t *test_rows;
  size_t n_train, n_test;
};

/* Fit on every row whose fold is not f, predict the rows whose fold is. */
static l4p_status run_fold(const struct l4p_spec *spec,
                           const struct l4p_model_ops *ops,
                           const struct l4p_model_params *params,
                           const double *configs, const double *values,
                           const size_t *fold_of, size_t n, size_t f,
                           struct fold *w, double *pred)
{
  size_t no = l4p_space_n_options(spec->space), nv = spec->n_objectives;
  w->n_train = w->n_test = 0;
  for (size_t r = 0; r < n; r++) {
    if (fold_of[r] == f) {
      memcpy(w->test_cfg + w->n_test * no, configs + r * no,
             no * sizeof(double));
      w->test_rows[w->n_test++] = r;
      continue;
    }
    memcpy(w->train_cfg + w->n_train * no, configs + r * no,
           no * sizeof(double));
    memcpy(w->train_val + w->n_train * nv, values + r * nv,
           nv * sizeof(double));
    w->n_train++;
  }
  struct l4p_mo_model *mo = NULL;
  l4p_status st = l4p_mo_fit(spec, ops, params, w->train_cfg, w->train_val,
                             w->n_train, &mo);
  if (!st)
    st = l4p_mo_predict(mo, w->test_cfg, w->n_test, w->test_pred);
  for (size_t t = 0; !st && t < w->n_test; t++)
    memcpy(pred + w->test_rows[t] * nv, w->test_pred + t * nv,
           nv * sizeof(double));
  l4p_mo_free(mo);
  return st;
}

/* See crossval.h. Rows are dealt to folds in a seeded random order, so
 * fold sizes differ by at most one. */
l4p_status l4p_crossval(const struct l4p_spec *spec,
                        const struct l4p_model_ops *ops,
                        const struct l4p_model_params *params,
                        const double *configs, const double *values, size_t n,
                        size_t k, uint64_t seed, double *pred)
{
  if (n < 2)
    return l4p_failf(L4P_EUSAGE,
                     "cross-validation needs at least 2 "
                     "configurations (got %zu)",
                     n);
  k = k < 2 ? 2 : k > n ? n : k;
  size_t no = l4p_space_n_options(spec->space), nv = spec->n_objectives;
  size_t *order = malloc(n * sizeof *order);
  size_t *fold_of = malloc(n * sizeof *fold_of);
  struct fold w = {malloc(n * no * sizeof(double) + 1),
                   malloc(n * nv * sizeof(double) + 1),
                   malloc(n * no * sizeof(double) + 1),
                   malloc(n * nv * sizeof(double) + 1),
                   malloc(n * sizeof(size_t)),
                   0,
                   0};
  struct l4p_rng *rng = l4p_rng_new(seed);
  l4p_status st = L4P_OK;
  if (!order || !fold_of || !w.train_cfg || !w.train_val || !w.test_cfg ||
      !w.test_pred || !w.test_rows || !rng)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st) {
    for (size_t r = 0; r < n; r++)
      order[r] = r;
    l4p_rng_shuffle(rng, order, n);
    for (size_t r = 0; r < n; r++)
      fold_of[order[r]] = r % k;
  }
  for (size_t f = 0; f < k && !st; f++)
    st = run_fold(spec, ops, params, configs, values, fold_of, n, f, &w, pred);
  l4p_rng_free(rng);
  free(order);
  free(fold_of);
  free(w.train_cfg);
  free(w.train_val);
  free(w.test_cfg);
  free(w.test_pred);
  free(w.test_rows);
  return st;
}
