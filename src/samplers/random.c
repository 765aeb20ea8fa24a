/* random: configurations drawn uniformly among the valid ones. Small
 * spaces are listed and drawn without replacement, so the sampler never
 * stalls on duplicates; large ones are drawn with l4p_space_sample_uniform
 * and duplicates rejected.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "sampler-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* Spaces up to this size are enumerated and drawn without replacement. */
#define LIST_LIMIT 200000

/* Draw n distinct configurations from the listed space. */
static l4p_status from_list(struct l4p_sampler *s, struct l4px_cfgset *taken,
                            const double *all, size_t n_all, size_t n,
                            double *out, size_t *n_out)
{
  size_t d = l4p_space_n_options(s->space);
  size_t *idx = malloc((n_all ? n_all : 1) * sizeof *idx);
  if (!idx)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; k < n_all; k++)
    idx[k] = k;
  l4p_rng_shuffle(s->rng, idx, n_all);
  size_t got = 0;
  for (size_t k = 0; k < n_all && got < n; k++) {
    const double *cfg = all + idx[k] * d;
    if (l4px_cfgset_contains(taken, cfg))
      continue;
    memcpy(out + got * d, cfg, d * sizeof *cfg);
    got++;
  }
  free(idx);
  *n_out = got;
  return L4P_OK;
}

static l4p_status random_propose(struct l4p_sampler *s,
                                 const struct l4p_history *h, size_t n,
                                 double *out, size_t *n_out)
{
  size_t d = l4p_space_n_options(s->space);
  struct l4px_cfgset taken;
  l4px_cfgset_init(&taken, d);
  if (l4p__taken_from_history(&taken, h, d) < 0)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  double *all = NULL;
  size_t n_all = 0;
  l4p_status st;
  if (l4p_space_enumerate(s->space, LIST_LIMIT, &all, &n_all) == L4P_OK) {
    st = from_list(s, &taken, all, n_all, n, out, n_out);
    free(all);
    l4px_cfgset_release(&taken);
    return st;
  }
  l4p_clear_error();
  size_t got = 0, misses = 0;
  while (got < n && misses < 1000 + 100 * n) {
    double *cfg = out + got * d;
    if ((st = l4p_space_sample_uniform(s->space, s->rng, cfg))) {
      l4px_cfgset_release(&taken);
      return st;
    }
    int added = l4px_cfgset_add(&taken, cfg);
    if (added < 0) {
      l4px_cfgset_release(&taken);
      return l4p_failf(L4P_ENOMEM, "out of memory");
    }
    if (added)
      got++;
    else
      misses++;
  }
  l4px_cfgset_release(&taken);
  *n_out = got;
  return L4P_OK;
}

const struct l4p_sampler_ops l4p_sampler_random = {
    .name = "random",
    .summary = "uniform draws among valid configurations",
    .numeric_help = "any allowed value with equal probability; continuous "
                    "options uniformly in their range",
    .sequential = false,
    .propose = random_propose,
};
