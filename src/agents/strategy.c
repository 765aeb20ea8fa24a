/* A sampling strategy as weights: for every option, a probability for
 * each of its levels, read from a design answer (explore share, focus
 * entries with weights, values to avoid) by the formula of
 * docs/AGENTS.md, and drawn from by any generator, the builtin one or
 * the sampler's own fallback. Reading is lenient about names and values
 * (counted, ignored) because the answer may come from a model.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agent-int.h"
#include "util/failf.h"
#include "util/banned.h"

void l4p_agent_strategy_release(struct l4p_agent_strategy *s)
{
  for (size_t i = 0; s->weights && i < s->n_options; i++)
    free(s->weights[i]);
  free(s->weights);
  free(s->n_levels);
  memset(s, 0, sizeof *s);
}

/* Allocate one weight vector per option, all uniform. */
static l4p_status alloc_uniform(const struct l4p_space *space,
                                struct l4p_agent_strategy *s)
{
  memset(s, 0, sizeof *s);
  size_t n = l4p_space_n_options(space);
  s->explore = 1;
  s->n_levels = calloc(n + 1, sizeof *s->n_levels);
  s->weights = calloc(n + 1, sizeof *s->weights);
  if (!s->n_levels || !s->weights) {
    l4p_agent_strategy_release(s);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  s->n_options = n;
  for (size_t i = 0; i < n; i++) {
    const struct l4p_option *opt = l4p_space_option(space, i);
    size_t L = opt->fixed ? 1 : l4p_agent_levels(opt);
    s->n_levels[i] = L;
    if (!(s->weights[i] = malloc(L * sizeof **s->weights))) {
      l4p_agent_strategy_release(s);
      return l4p_failf(L4P_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < L; k++)
      s->weights[i][k] = 1.0 / (double)L;
  }
  return L4P_OK;
}

l4p_status l4p_agent_strategy_uniform(const struct l4p_space *space,
                                      struct l4p_agent_strategy *s)
{
  return alloc_uniform(space, s);
}

/* Mark in hit[] the levels of the entry's values for option opt; returns
 * how many levels were marked. Values outside the domain are counted. */
static size_t mark_levels(const struct l4p_option *opt, const json_t *values,
                          bool *hit, size_t L, struct l4p_agent_strategy *s)
{
  memset(hit, 0, L * sizeof *hit);
  size_t i, n = 0;
  json_t *v;
  json_array_foreach (values, i, v) {
    double x;
    if (l4p__value_read(opt, v, &x) != L4P__FIT_OK) {
      s->bad_values++;
      continue;
    }
    size_t k = l4p_agent_level_of(opt, x);
    n += !hit[k];
    hit[k] = true;
  }
  return n;
}

/* The option an entry names, or -1 (counted) when unknown or fixed. */
static int entry_option(const struct l4p_space *space, const json_t *e,
                        struct l4p_agent_strategy *s)
{
  int i =
      l4p_space_find(space, json_string_value(json_object_get(e, "option")));
  if (i < 0 || l4p_space_option(space, (size_t)i)->fixed) {
    s->unknown++;
    return -1;
  }
  return i;
}

/* Option i's weights: p = explore u + (1 - explore) f, f the focus mix,
 * then avoided levels removed (unless that removes all). */
static void weigh_option(const struct l4p_space *space, size_t i,
                         const json_t *focus, const json_t *avoid, bool *hit,
                         double *f, struct l4p_agent_strategy *s)
{
  const struct l4p_option *opt = l4p_space_option(space, i);
  size_t L = s->n_levels[i], idx;
  double total = 0, u = 1.0 / (double)L, *p = s->weights[i];
  json_t *e;
  memset(f, 0, L * sizeof *f);
  json_array_foreach (focus, idx, e) {
    if (l4p_space_find(
            space, json_string_value(json_object_get(e, "option"))) != (int)i)
      continue;
    double w = json_number_value(json_object_get(e, "weight"));
    size_t n = mark_levels(opt, json_object_get(e, "values"), hit, L, s);
    if (n == 0 || !(w > 0))
      continue;
    total += w;
    for (size_t k = 0; k < L; k++)
      f[k] += hit[k] ? w / (double)n : 0;
  }
  double scale = total > 1 ? 1 / total : 1;
  double rest = total > 1 ? 0 : 1 - total;
  for (size_t k = 0; k < L; k++)
    p[k] = s->explore * u + (1 - s->explore) * (rest * u + scale * f[k]);
  json_array_foreach (avoid, idx, e) {
    if (l4p_space_find(
            space, json_string_value(json_object_get(e, "option"))) != (int)i)
      continue;
    mark_levels(opt, json_object_get(e, "values"), hit, L, s);
    double left = 0;
    for (size_t k = 0; k < L; k++)
      left += hit[k] ? 0 : p[k];
    if (left <= 0)
      continue; /* avoiding everything: ignore the entry */
    for (size_t k = 0; k < L; k++)
      p[k] = hit[k] ? 0 : p[k];
  }
  double sum = 0;
  for (size_t k = 0; k < L; k++)
    sum += p[k];
  for (size_t k = 0; k < L; k++)
    p[k] = sum > 0 ? p[k] / sum : u;
}

l4p_status l4p__read_strategy_json(const struct l4p_space *space,
                                   const json_t *strategy,
                                   struct l4p_agent_strategy *s)
{
  l4p_status st = alloc_uniform(space, s);
  if (st)
    return st;
  double explore = json_number_value(json_object_get(strategy, "explore"));
  s->explore = isfinite(explore) ? fmin(1, fmax(0, explore)) : 1;
  json_t *focus = json_object_get(strategy, "focus");
  json_t *avoid = json_object_get(strategy, "avoid"), *e;
  size_t idx;
  json_array_foreach (focus, idx, e)
    entry_option(space, e, s);
  json_array_foreach (avoid, idx, e)
    entry_option(space, e, s);
  bool *hit = malloc((L4P_AGENT_MAX_LEVELS + 2) * sizeof *hit);
  double *f = malloc((L4P_AGENT_MAX_LEVELS + 2) * sizeof *f);
  if (!hit || !f) {
    free(hit);
    free(f);
    l4p_agent_strategy_release(s);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < s->n_options; i++)
    if (!l4p_space_option(space, i)->fixed)
      weigh_option(space, i, focus, avoid, hit, f, s);
  free(hit);
  free(f);
  return L4P_OK;
}

l4p_status l4p_agent_read_strategy(const struct l4p_space *space,
                                   const char *output,
                                   struct l4p_agent_strategy *s)
{
  memset(s, 0, sizeof *s);
  json_t *root;
  l4p_status st = l4p__agent_read_output(L4P_ROLE_DESIGN, output, &root);
  if (st)
    return st;
  st = l4p__read_strategy_json(space, root, s);
  json_decref(root);
  return st;
}

void l4p_agent_strategy_draw(const struct l4p_agent_strategy *s,
                             const struct l4p_space *space, struct l4p_rng *rng,
                             double *cfg)
{
  for (size_t i = 0; i < s->n_options; i++) {
    const struct l4p_option *opt = l4p_space_option(space, i);
    if (opt->fixed) {
      cfg[i] = opt->fixed_value;
      continue;
    }
    double r = l4p_rng_uniform(rng), acc = 0;
    size_t k = 0, L = s->n_levels[i];
    for (; k + 1 < L; k++) {
      acc += s->weights[i][k];
      if (r < acc)
        break;
    }
    cfg[i] = l4p_agent_level_draw(opt, k, rng);
  }
}
