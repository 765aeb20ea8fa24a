/* Performance models: regressors from encoded configurations (feature
 * vectors, see l4p_space_encode) to one objective, and a multi-objective
 * wrapper holding one model per objective.
 *
 * Invariants: a model is fitted on the sample only (hyper-parameter tuning
 * never sees test rows); the same seed, data and thread count give the
 * same model; save -> load -> predict gives identical predictions. Adding
 * a model is one file plus one line in src/models/registry.c (see
 * docs/internals/MODEL-API.md). */
#ifndef LLM4PERF_MODEL_H
#define LLM4PERF_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "llm4perf/spec.h"
#include "llm4perf/status.h"

/* How much effort a model may spend on hyper-parameters. */
enum l4p_model_profile {
  L4P_PROFILE_FULL, /* the published recipe (e.g. DeepPerf's full search) */
  L4P_PROFILE_FAST  /* a cheaper search for large studies */
};

struct l4p_model_params {
  enum l4p_model_profile profile;
  uint64_t seed;
  int threads; /* 0: library default */
  bool tune;   /* xgboost: small grid by k-fold CV on the sample */
  /* DeepPerf hyper-parameters found once per scenario and reused
   * (studies); ignored when has_hyper is false */
  bool has_hyper;
  int hyper_layers;
  double hyper_lr, hyper_lambda;
};

struct l4p_model;

struct l4p_model_ops {
  const char *name;
  const char *summary;
  /* Set up m->data; m->params and m->n_features are ready. */
  l4p_status (*create)(struct l4p_model *m);
  /* Fit on n rows of X (n x n_features, row-major) and targets y. */
  l4p_status (*fit)(struct l4p_model *m, const double *X, const double *y,
                    size_t n);
  /* Predict n rows of X into out. */
  l4p_status (*predict)(const struct l4p_model *m, const double *X, size_t n,
                        double *out);
  /* Serialise the fitted model into a heap buffer (free() it). */
  l4p_status (*save)(const struct l4p_model *m, char **blob, size_t *len);
  /* Restore a fitted model from a buffer written by save. */
  l4p_status (*load)(struct l4p_model *m, const char *blob, size_t len);
  void (*destroy)(struct l4p_model *m);
};

struct l4p_model {
  const struct l4p_model_ops *ops;
  struct l4p_model_params params;
  size_t n_features;
  bool fitted;
  void *data; /* the implementation's own state */
};

/* The model called name ("xgboost", "deepperf"), or NULL. */
const struct l4p_model_ops *l4p_model_find(const char *name);
size_t l4p_model_count(void);
const struct l4p_model_ops *l4p_model_at(size_t i);

l4p_status l4p_model_new(const struct l4p_model_ops *ops,
                         const struct l4p_model_params *params,
                         size_t n_features, struct l4p_model **model);
l4p_status l4p_model_fit(struct l4p_model *m, const double *X, const double *y,
                         size_t n);
l4p_status l4p_model_predict(const struct l4p_model *m, const double *X,
                             size_t n, double *out);
void l4p_model_free(struct l4p_model *m);

/* DeepPerf's hyper-parameter search alone (METHOD.md's recipe, profile
 * p->profile, seed p->seed, p->threads BLAS threads) on n rows of X (n x d,
 * row-major) and targets y, so that a study can search once per scenario
 * and reuse the result through has_hyper / hyper_layers / hyper_lr /
 * hyper_lambda. Fills *layers (hidden layers), *lr (initial learning
 * rate) and *lambda (L1 weight). Returns L4P_OK, or L4P_EMODEL for an
 * empty sample or non-finite values, L4P_ENOMEM; outputs are then
 * untouched. */
l4p_status l4p_deepperf_search(const double *X, const double *y, size_t n,
                               size_t d, const struct l4p_model_params *p,
                               int *layers, double *lr, double *lambda);

/* One model per objective of a spec, trained on configurations. */
struct l4p_mo_model;

/* Fit one model of kind ops per objective on n configurations (n x
 * n_options) and their values (n x n_objectives). Rows whose value for an
 * objective is NAN are left out of that objective's model. */
l4p_status l4p_mo_fit(const struct l4p_spec *spec,
                      const struct l4p_model_ops *ops,
                      const struct l4p_model_params *params,
                      const double *configs, const double *values, size_t n,
                      struct l4p_mo_model **model);
/* Predict every objective for n configurations into out (n x
 * n_objectives). */
l4p_status l4p_mo_predict(const struct l4p_mo_model *model,
                          const double *configs, size_t n, double *out);
/* Indices of the configurations whose predicted objectives are Pareto
 * optimal (respecting each objective's goal); *idx is a new array. */
l4p_status l4p_mo_pareto(const struct l4p_mo_model *model,
                         const double *configs, size_t n, size_t **idx,
                         size_t *n_idx);
/* Save all models (with the spec's name, objective names and model kind)
 * to path, and load them back for spec. */
l4p_status l4p_mo_save(const struct l4p_mo_model *model, const char *path);
l4p_status l4p_mo_load(const struct l4p_spec *spec, const char *path,
                       struct l4p_mo_model **model);
void l4p_mo_free(struct l4p_mo_model *model);

#endif
