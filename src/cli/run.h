/* The pieces of 'llm4perf run' after measuring (cmd_run.c measures):
 * accuracy of each model by cross-validation on the sample and on a
 * held-out set (run_accuracy.c), and the predicted Pareto-optimal
 * configurations (run_pareto.c). */
#ifndef L4P_CLI_RUN_H
#define L4P_CLI_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "llm4perf/model.h"
#include "llm4perf/store.h"

#define RUN_MAX_MODELS 4

struct run_ctx {
  const struct l4p_spec *spec;
  const struct l4p_space *space;    /* the sampled space (maybe pruned) */
  const struct l4p_sample *train;   /* the measured sample */
  const struct l4p_sample *holdout; /* measured at the end, or NULL */
  const struct l4p_model_ops *models[RUN_MAX_MODELS];
  size_t n_models;
  size_t folds;
  uint64_t seed;
  struct l4p_mo_model *fitted[RUN_MAX_MODELS]; /* on the whole sample */
};

/* Print, per objective and model, MRE and RMSE of the cross-validated
 * predictions and of the predictions of the held-out configurations
 * (those not in the sample); fit r->fitted on the whole sample. *best gets
 * the model with the lowest mean cross-validated MRE. Returns CLI_OK or
 * CLI_FAIL (message printed). */
int run_accuracy(struct run_ctx *r, size_t *best);

/* Print the configurations model r->fitted[best] predicts to be Pareto
 * optimal among the valid configurations (all of them when few, a seeded
 * uniform draw otherwise, plus the measured ones). */
int run_pareto(const struct run_ctx *r, size_t best);

/* Release r->fitted. */
void run_release(struct run_ctx *r);

#endif
