/* The list of models: adding one is a file plus a line here (see
 * docs/internals/MODEL-API.md).
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "model-int.h"
#include "util/banned.h"

static const struct l4p_model_ops *const models[] = {
    &l4p_model_xgboost,
    &l4p_model_deepperf,
};

/* The model called name, or NULL when none is. */
const struct l4p_model_ops *l4p_model_find(const char *name)
{
  for (size_t k = 0; k < sizeof models / sizeof models[0]; k++)
    if (strcmp(models[k]->name, name) == 0)
      return models[k];
  return NULL;
}

/* How many models are registered. */
size_t l4p_model_count(void)
{
  return sizeof models / sizeof models[0];
}

/* The i-th registered model (i < l4p_model_count()). */
const struct l4p_model_ops *l4p_model_at(size_t i)
{
  return models[i];
}
