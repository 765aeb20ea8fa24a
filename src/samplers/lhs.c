/* lhs: Latin hypercube sampling over the free options. For n points each
 * option's domain is cut into n equal strata and every stratum gets
 * exactly one point; the strata are matched across options by independent
 * random permutations. Discrete options are cut in their value index
 * space, continuous ones over [min, max]. Points that break a constraint
 * are repaired to the nearest valid configuration; points lost to repair
 * or to duplicates are replaced, in order, by the points of new Latin
 * hypercubes of the same size (at most EXTRA_DESIGNS of them), and only
 * then by uniform random valid configurations.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "design-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* New designs tried when repairs and duplicates leave the first short. */
#define EXTRA_DESIGNS 8

/* One Latin hypercube of n points; offers each point in turn. */
static l4p_status one_design(struct l4p__design *ds, size_t n, size_t *perm,
                             double *cfg)
{
  for (size_t j = 0; j < ds->n_free; j++) {
    for (size_t k = 0; k < n; k++)
      perm[j * n + k] = k;
    l4p_rng_shuffle(ds->s->rng, perm + j * n, n);
  }
  for (size_t k = 0; k < n && ds->got < ds->n; k++) {
    memcpy(cfg, ds->base, ds->d * sizeof *cfg);
    for (size_t j = 0; j < ds->n_free; j++) {
      size_t i = ds->free[j];
      double u = ((double)perm[j * n + k] + l4p_rng_uniform(ds->s->rng)) /
                 (double)n;
      cfg[i] = l4p__unit_value(l4p_space_option(ds->space, i), u);
    }
    bool added;
    l4p_status st = l4p__design_offer(ds, cfg, &added);
    if (st)
      return st;
  }
  return L4P_OK;
}

static l4p_status lhs_propose(struct l4p_sampler *s,
                              const struct l4p_history *h, size_t n,
                              double *out, size_t *n_out)
{
  struct l4p__design ds;
  l4p_status st = l4p__design_begin(&ds, s, h, n, out);
  if (st)
    return st;
  size_t cells = n * ds.n_free;
  size_t *perm = malloc((cells ? cells : 1) * sizeof *perm);
  double *cfg = malloc((ds.d ? ds.d : 1) * sizeof *cfg);
  if (!perm || !cfg)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t round = 0; !st && n && round <= EXTRA_DESIGNS &&
                         ds.got < n; round++) {
    size_t before = ds.got;
    st = one_design(&ds, n, perm, cfg);
    if (round > 0 && ds.got == before)
      break; /* a whole new design brought nothing: the space is crowded */
  }
  if (!st)
    st = l4p__design_fill_uniform(&ds);
  *n_out = ds.got;
  free(perm);
  free(cfg);
  l4p__design_end(&ds);
  return st;
}

const struct l4p_sampler_ops l4p_sampler_lhs = {
    .name = "lhs",
    .summary = "Latin hypercube over the option domains, snapped to valid "
               "values",
    .numeric_help = "each domain cut into budget equal strata, one point "
                    "per stratum: discrete options by value index (each "
                    "value equally often when the budget exceeds the "
                    "values), continuous ones over [min, max]",
    .sequential = false,
    .propose = lhs_propose,
};
