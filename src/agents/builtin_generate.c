/* The builtin generate role: n configurations drawn from a strategy's
 * sampling weights (strategy.c), each repaired to a valid configuration
 * and kept only when new: not measured, not failed, not proposed twice.
 * The draws are seeded by the context's seed, so generators given other
 * seeds propose other configurations (METHOD.md: several generators
 * vote). When the weights keep landing on known configurations, uniform
 * valid draws take over, then (for spaces small enough to list) the
 * unseen configurations in random order: fewer than n come back only
 * when the space runs out.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "agent-int.h"
#include "util/cfgset.h"
#include "util/failf.h"
#include "util/banned.h"

#define TRIES_PER_CONFIG 50
#define ENUMERATE_LIMIT 200000 /* configurations listed when draws miss */

/* Remember the input's measured configurations in seen. */
static l4p_status remember(const struct l4p_space *space, const json_t *in,
                           struct l4px_cfgset *seen)
{
  struct l4p_agent_configs c;
  l4p_status st =
      l4p__read_configs_json(space, json_object_get(in, "measured"), &c);
  for (size_t r = 0; !st && r < c.n; r++)
    if (c.status[r] != L4P_CONFIG_INVALID &&
        l4px_cfgset_add(seen, c.configs + r * c.n_options) < 0)
      st = l4p_failf(L4P_ENOMEM, "out of memory");
  l4p_agent_configs_release(&c);
  return st;
}

/* Draw (from the weights, or uniformly) until a new valid configuration
 * turns up or the tries run out; true when cfg holds one. */
static bool draw_new(const struct l4p_space *space,
                     const struct l4p_agent_strategy *s, bool uniform,
                     struct l4p_rng *rng, const struct l4px_cfgset *seen,
                     double *cfg)
{
  for (int t = 0; t < TRIES_PER_CONFIG; t++) {
    if (uniform) {
      if (l4p_space_sample_uniform(space, rng, cfg) != L4P_OK)
        return false;
    } else {
      l4p_agent_strategy_draw(s, space, rng, cfg);
      if (l4p_space_repair(space, cfg) != L4P_OK)
        continue;
    }
    if (!l4px_cfgset_contains(seen, cfg))
      return true;
  }
  return false;
}

/* When draws keep missing, list the space (when small enough) and take
 * the unseen configurations in a seeded random order, so fewer than n
 * come back only when the space has no more. Appends to list. */
static l4p_status exhaust(const struct l4p_space *space, struct l4p_rng *rng,
                          struct l4px_cfgset *seen, size_t want, json_t *list)
{
  double *all;
  size_t n_all, d = l4p_space_n_options(space);
  if (l4p_space_enumerate(space, ENUMERATE_LIMIT, &all, &n_all) != L4P_OK)
    return L4P_OK; /* too big or continuous: draws were all we had */
  size_t *order = malloc((n_all + 1) * sizeof *order);
  l4p_status st = order ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; order && k < n_all; k++)
    order[k] = k;
  if (order)
    l4p_rng_shuffle(rng, order, n_all);
  for (size_t k = 0; !st && k < n_all && json_array_size(list) < want; k++) {
    const double *cfg = all + order[k] * d;
    int added = l4px_cfgset_add(seen, cfg);
    if (added < 0)
      st = l4p_failf(L4P_ENOMEM, "out of memory");
    else if (added)
      json_array_append_new(list, l4p__config_json(space, cfg));
  }
  free(order);
  free(all);
  return st;
}

l4p_status l4p__builtin_generate(const struct l4p_agent_ctx *ctx,
                                 const json_t *in, json_t **out)
{
  if (!ctx || !ctx->space)
    return l4p_failf(L4P_EUSAGE, "the builtin generator needs the space");
  const struct l4p_space *space = ctx->space;
  size_t d = l4p_space_n_options(space);
  size_t n = (size_t)json_integer_value(json_object_get(in, "n"));
  struct l4p_agent_strategy s;
  l4p_status st =
      l4p__read_strategy_json(space, json_object_get(in, "strategy"), &s);
  if (st)
    return st;
  struct l4px_cfgset seen;
  l4px_cfgset_init(&seen, d);
  struct l4p_rng *rng = l4p_rng_new(ctx->seed);
  double *cfg = malloc((d + 1) * sizeof *cfg);
  json_t *list = json_array();
  if (!rng || !cfg)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st)
    st = remember(space, in, &seen);
  bool missed = false;
  for (size_t k = 0; !st && k < n && !missed; k++) {
    missed = !draw_new(space, &s, false, rng, &seen, cfg) &&
             !draw_new(space, &s, true, rng, &seen, cfg);
    if (missed)
      st = exhaust(space, rng, &seen, n, list);
    else if (l4px_cfgset_add(&seen, cfg) < 0)
      st = l4p_failf(L4P_ENOMEM, "out of memory");
    else
      json_array_append_new(list, l4p__config_json(space, cfg));
  }
  *out = st ? NULL : json_pack("{s:o}", "configs", list);
  if (st)
    json_decref(list);
  else if (!*out)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  free(cfg);
  l4p_rng_free(rng);
  l4px_cfgset_release(&seen);
  l4p_agent_strategy_release(&s);
  return st;
}
