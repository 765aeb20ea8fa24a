/* XGBoost internals shared by xgboost.c (the model's ops),
 * xgboost_booster.c (matrices, training and prediction through
 * libxgboost's C API) and xgboost_tune.c (the cross-validated grid).
 *
 * Invariants: every libxgboost call's return code is checked and a
 * failure becomes L4P_EMODEL with the first line of XGBGetLastError();
 * data cross the C API as float32 (XGDMatrixCreateFromMat), converted
 * from the caller's doubles. */
#ifndef L4P_MODELS_XGBOOST_INT_H
#define L4P_MODELS_XGBOOST_INT_H

#include <stddef.h>

#include <xgboost/c_api.h>

#include "llm4perf/model.h"

/* The hyper-parameters llm4perf varies; the rest are fixed (see
 * docs/MODELS.md, tag-xgb-defaults). */
struct l4p__xgb_hyper {
  int max_depth;
  double eta;
  int rounds;
};

/* The defaults used without tuning (tag-xgb-defaults). */
extern const struct l4p__xgb_hyper l4p__xgb_default;

/* L4P_EMODEL "xgboost: what: <first line of XGBGetLastError()>". */
l4p_status l4p__xgb_fail(const char *what);

/* A DMatrix of n rows of X (n x d doubles, converted to float32) with
 * labels y (may be NULL). When rows is not NULL, the matrix holds X's rows
 * rows[0..n-1] instead of its first n rows. Free with XGDMatrixFree. */
l4p_status l4p__xgb_matrix(const double *X, const double *y, const size_t *rows,
                           size_t n, size_t d, DMatrixHandle *out);

/* Set the parameters every llm4perf booster shares (objective, tree
 * method, seed, threads, quiet) and the hyper-parameters h. */
l4p_status l4p__xgb_configure(BoosterHandle b, const struct l4p_model_params *p,
                              const struct l4p__xgb_hyper *h);

/* Set what does not change the model: threads (p->threads, 0 for one)
 * and quiet logging. Used after loading a model too. */
l4p_status l4p__xgb_runtime(BoosterHandle b, const struct l4p_model_params *p);

/* A booster trained on dtrain for h->rounds rounds, starting from
 * base_score (the mean target: see xgboost.c, tag-xgb-base-score). */
l4p_status l4p__xgb_train(DMatrixHandle dtrain,
                          const struct l4p_model_params *p,
                          const struct l4p__xgb_hyper *h, double base_score,
                          BoosterHandle *out);

/* Predict the n rows of dmat into out, using the first rounds trees (0:
 * all of them). */
l4p_status l4p__xgb_predict(BoosterHandle b, DMatrixHandle dmat, size_t n,
                            int rounds, double *out);

/* Mean of y over the rows listed in rows (n of them; NULL: y[0..n-1]). */
double l4p__xgb_mean(const double *y, const size_t *rows, size_t n);

/* Choose hyper-parameters from the grid by k-fold cross-validation on the
 * n training rows only (k = 5, or n when fewer; folds drawn from
 * p->seed). With fewer than two rows, *best is the default. */
l4p_status l4p__xgb_tune(const double *X, const double *y, size_t n, size_t d,
                         const struct l4p_model_params *p,
                         struct l4p__xgb_hyper *best);

#endif
