/* Internals shared by the model implementations: the registry's entries
 * and the Pareto filter behind l4p_mo_pareto. */
#ifndef L4P_MODEL_INT_H
#define L4P_MODEL_INT_H

#include <stddef.h>

#include "llm4perf/model.h"

extern const struct l4p_model_ops l4p_model_xgboost;
extern const struct l4p_model_ops l4p_model_deepperf;

/* Serialise a fitted model through its ops->save (free() *blob); EMODEL
 * when it was never fitted. */
l4p_status l4p__model_save(const struct l4p_model *m, char **blob, size_t *len);
/* Restore a model saved by l4p__model_save; it is fitted on success. */
l4p_status l4p__model_load(struct l4p_model *m, const char *blob, size_t len);

/* One model per objective of spec (mo.c, mo_file.c). The spec is
 * borrowed: it must outlive the model. */
struct l4p_mo_model {
  const struct l4p_spec *spec;
  const struct l4p_model_ops *ops;
  struct l4p_model_params params;
  size_t n_features;         /* l4p_space_n_features(spec->space) */
  size_t n_objectives;       /* spec->n_objectives */
  struct l4p_model **models; /* one per objective, in spec order */
  size_t *n_rows;            /* rows each model was fitted on */
};

/* An empty wrapper for spec with n_objectives unfitted models of kind ops
 * (models not yet created); NULL when out of memory. */
struct l4p_mo_model *l4p__mo_alloc(const struct l4p_spec *spec,
                                   const struct l4p_model_ops *ops,
                                   const struct l4p_model_params *params);

/* Indices (ascending) of the non-dominated rows of values (n x m), where
 * goals[j] says whether objective j is minimised or maximised. idx must
 * hold n entries; *n_idx gets how many were written. Rows with equal
 * objective vectors do not dominate each other, so both are kept. ENOMEM
 * when the work array cannot be allocated. */
l4p_status l4p__pareto_front(const double *values, size_t n, size_t m,
                             const enum l4p_goal *goals, size_t *idx,
                             size_t *n_idx);

#endif
