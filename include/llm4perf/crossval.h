/* Cross-validation: how accurate are a model's predictions when there is
 * no ground truth but the measured sample itself (a live system)? Each
 * configuration of the sample is predicted by models fitted without it,
 * k folds at a time.
 *
 * Invariants: a row is never predicted by a model that saw it; the folds
 * depend only on n, k and the seed. */
#ifndef LLM4PERF_CROSSVAL_H
#define LLM4PERF_CROSSVAL_H

#include <stddef.h>
#include <stdint.h>

#include "llm4perf/model.h"
#include "llm4perf/spec.h"
#include "llm4perf/status.h"

/* Split the n configurations (n x n_options) with their values (n x
 * n_objectives, NAN where not measured) into k folds at random (seed),
 * fit ops on all folds but one with l4p_mo_fit and predict that one, for
 * each fold. pred gets the out-of-fold predictions (n x n_objectives).
 * k is clamped to [2, n]; EUSAGE when n < 2; a fit's error otherwise. */
l4p_status l4p_crossval(const struct l4p_spec *spec,
                        const struct l4p_model_ops *ops,
                        const struct l4p_model_params *params,
                        const double *configs, const double *values, size_t n,
                        size_t k, uint64_t seed, double *pred);

#endif
