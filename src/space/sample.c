/* Uniform draws of valid configurations. Options outside every group are
 * independent, so each is drawn uniformly from its domain; a listed group
 * draws one of its valid assignments uniformly; a group too big to list is
 * drawn by rejection, and after too many rejections by repair (then not
 * exactly uniform, which only huge constrained groups can reach).
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "space-int.h"
#include "util/failf.h"
#include "util/banned.h"

#define REJECTION_TRIES 100000

static double draw_value(const struct l4p_option *opt, struct l4p_rng *rng)
{
  if (opt->fixed)
    return opt->fixed_value;
  size_t card = l4p_option_cardinality(opt);
  if (card == 0)
    return opt->min + l4p_rng_uniform(rng) * (opt->max - opt->min);
  return l4p_option_value_at(opt, (size_t)l4p_rng_below(rng, card));
}

l4p_status l4p_space_sample_uniform(const struct l4p_space *space,
                                    struct l4p_rng *rng, double *cfg)
{
  const struct l4p__analysis *a = l4p__space_analysis(space);
  if (!a)
    return l4p_failf_keep(L4P_ENOMEM, "out of memory");
  for (size_t i = 0; i < space->n_options; i++)
    if (a->group_of[i] < 0)
      cfg[i] = draw_value(&space->options[i], rng);
  for (size_t g = 0; g < a->n_groups; g++) {
    const struct l4p__group *grp = &a->groups[g];
    if (grp->enumerated) {
      if (grp->n_valid == 0)
        return l4p_failf(L4P_ECONSTR, "no configuration satisfies '%s'",
                         space->constraints[grp->constraints[0]].text);
      l4p__group_apply(space, grp, grp->valid[l4p_rng_below(rng, grp->n_valid)],
                       cfg);
      continue;
    }
    bool found = false;
    for (int t = 0; t < REJECTION_TRIES && !found; t++) {
      for (size_t m = 0; m < grp->n_members; m++)
        cfg[grp->members[m]] =
            draw_value(&space->options[grp->members[m]], rng);
      found = l4p__group_satisfied(space, grp, cfg);
    }
    if (!found) {
      l4p_status st = l4p_space_repair(space, cfg);
      if (st)
        return st;
    }
  }
  return L4P_OK;
}
