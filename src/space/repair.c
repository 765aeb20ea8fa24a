/* Repair: the nearest valid configuration to an invalid one. Values are
 * first snapped into their domains; then each group whose constraints fail
 * is replaced by its valid assignment nearest to the original (exact for
 * listed groups) or improved by greedy single-option changes (big groups).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "space-int.h"
#include "util/failf.h"
#include "util/banned.h"

#define GREEDY_ROUNDS 200
#define GREEDY_VALUES 64

static double group_distance(const struct l4p_space *space,
                             const struct l4p__group *g, const double *a,
                             const double *b)
{
  double d = 0;
  for (size_t m = 0; m < g->n_members; m++) {
    size_t i = g->members[m];
    d += l4p__option_distance(&space->options[i], a[i], b[i]);
  }
  return d;
}

static size_t violations(const struct l4p_space *space,
                         const struct l4p__group *g, const double *cfg)
{
  size_t n = 0;
  for (size_t c = 0; c < g->n_constraints; c++)
    n += !l4p__truth(
        l4p__expr_eval(space->constraints[g->constraints[c]].expr, cfg));
  return n;
}

/* Total violation of g's constraints (see l4p__expr_violation). */
static double degree(const struct l4p_space *space, const struct l4p__group *g,
                     const double *cfg)
{
  double d = 0;
  for (size_t c = 0; c < g->n_constraints; c++)
    d += l4p__expr_violation(space->constraints[g->constraints[c]].expr, cfg,
                             true);
  return d;
}

/* Replace g's members by the listed valid assignment nearest to cfg. */
static l4p_status nearest_listed(const struct l4p_space *space,
                                 const struct l4p__group *g, double *cfg,
                                 double *scratch)
{
  if (g->n_valid == 0)
    return l4p_failf(L4P_ECONSTR, "no configuration satisfies '%s'",
                     space->constraints[g->constraints[0]].text);
  memcpy(scratch, cfg, space->n_options * sizeof *cfg);
  double best = INFINITY;
  uint32_t best_code = g->valid[0];
  for (size_t k = 0; k < g->n_valid; k++) {
    l4p__group_apply(space, g, g->valid[k], scratch);
    double d = group_distance(space, g, cfg, scratch);
    if (d < best) {
      best = d;
      best_code = g->valid[k];
    }
  }
  l4p__group_apply(space, g, best_code, cfg);
  return L4P_OK;
}

/* Candidate value k of n for a greedy move on opt. */
static double candidate(const struct l4p_option *opt, size_t k, size_t n)
{
  size_t card = l4p_option_cardinality(opt);
  if (card == 0)
    return opt->min + (opt->max - opt->min) * (double)k / (double)(n - 1);
  if (card <= n)
    return l4p_option_value_at(opt, k);
  return l4p_option_value_at(opt, k * (card - 1) / (n - 1));
}

static size_t candidate_count(const struct l4p_option *opt)
{
  size_t card = l4p_option_cardinality(opt);
  return card == 0 || card > GREEDY_VALUES ? GREEDY_VALUES : card;
}

/* Greedy descent on the number of violated constraints, ties broken by
 * distance to the original configuration. When no single change lowers
 * the count (o1 + ... + o8 >= 70 from zeros, "exactly one" with all three
 * set), the change that most lowers the violation degree is taken. */
static l4p_status greedy(const struct l4p_space *space,
                         const struct l4p__group *g, double *cfg, double *orig)
{
  memcpy(orig, cfg, space->n_options * sizeof *cfg);
  size_t now = violations(space, g, cfg);
  double now_deg = degree(space, g, cfg);
  for (int round = 0; round < GREEDY_ROUNDS && now > 0; round++) {
    size_t best_v = now, best_i = SIZE_MAX, flat_i = SIZE_MAX;
    double best_d = INFINITY, best_value = 0;
    double flat_deg = now_deg, flat_d = INFINITY, flat_value = 0;
    for (size_t m = 0; m < g->n_members; m++) {
      size_t i = g->members[m];
      const struct l4p_option *opt = &space->options[i];
      if (opt->fixed)
        continue;
      double keep = cfg[i];
      size_t n = candidate_count(opt);
      for (size_t k = 0; k < n; k++) {
        cfg[i] = candidate(opt, k, n);
        size_t v = violations(space, g, cfg);
        double d = group_distance(space, g, orig, cfg);
        if (v < best_v || (v == best_v && v < now && d < best_d)) {
          best_v = v;
          best_d = d;
          best_i = i;
          best_value = cfg[i];
        } else if (v == now && best_i == SIZE_MAX) {
          double deg = degree(space, g, cfg);
          if (deg < flat_deg ||
              (deg == flat_deg && flat_i != SIZE_MAX && d < flat_d)) {
            flat_deg = deg;
            flat_d = d;
            flat_i = i;
            flat_value = cfg[i];
          }
        }
      }
      cfg[i] = keep;
    }
    if (best_i == SIZE_MAX && flat_i == SIZE_MAX)
      break;
    if (best_i != SIZE_MAX)
      cfg[best_i] = best_value;
    else
      cfg[flat_i] = flat_value;
    now = violations(space, g, cfg);
    now_deg = degree(space, g, cfg);
  }
  if (now > 0)
    return l4p_failf(L4P_ECONSTR,
                     "could not find a valid configuration: "
                     "constraint '%s' stays violated",
                     space->constraints[g->constraints[0]].text);
  return L4P_OK;
}

l4p_status l4p_space_repair(const struct l4p_space *space, double *cfg)
{
  for (size_t i = 0; i < space->n_options; i++) {
    const struct l4p_option *opt = &space->options[i];
    cfg[i] = opt->fixed ? opt->fixed_value : l4p_option_snap(opt, cfg[i]);
  }
  if (space->n_constraints == 0)
    return L4P_OK;
  const struct l4p__analysis *a = l4p__space_analysis(space);
  double *scratch = malloc(space->n_options * sizeof *scratch + 1);
  if (!a || !scratch) {
    free(scratch);
    return l4p_failf_keep(L4P_ENOMEM, "out of memory");
  }
  l4p_status st = L4P_OK;
  for (size_t g = 0; g < a->n_groups && !st; g++) {
    const struct l4p__group *grp = &a->groups[g];
    if (l4p__group_satisfied(space, grp, cfg))
      continue;
    st = grp->enumerated ? nearest_listed(space, grp, cfg, scratch)
                         : greedy(space, grp, cfg, scratch);
  }
  free(scratch);
  return st;
}
