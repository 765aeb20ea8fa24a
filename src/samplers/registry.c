/* The list of samplers: adding one is a file plus a line here.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "sampler-int.h"
#include "util/banned.h"

static const struct l4p_sampler_ops *const samplers[] = {
    &l4p_sampler_random,   &l4p_sampler_lhs,   &l4p_sampler_sobol,
    &l4p_sampler_twise,    &l4p_sampler_pbd,   &l4p_sampler_dds,
    &l4p_sampler_ddiv,     &l4p_sampler_flash, &l4p_sampler_nsga3,
    &l4p_sampler_llm4perf,
};

const struct l4p_sampler_ops *l4p_sampler_find(const char *name)
{
  for (size_t k = 0; k < sizeof samplers / sizeof samplers[0]; k++)
    if (strcmp(samplers[k]->name, name) == 0)
      return samplers[k];
  return NULL;
}

size_t l4p_sampler_count(void)
{
  return sizeof samplers / sizeof samplers[0];
}

const struct l4p_sampler_ops *l4p_sampler_at(size_t i)
{
  return samplers[i];
}
