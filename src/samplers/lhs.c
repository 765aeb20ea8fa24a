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

#include "design-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* New designs tried when repairs and duplicates leave the first short. */
#define EXTRA_DESIGNS 8

/* One Latin hypercube: perm holds, per free option, the stratum of each
 * of the n points. */
struct cube {
  size_t n;
  size_t *perm; /* n_free x n */
};

/* Point k of the cube: a random place within each option's stratum. */
static void cube_row(struct l4p__design *ds, size_t k, void *arg, double *cfg)
{
  const struct cube *c = arg;
  for (size_t j = 0; j < ds->n_free; j++) {
    size_t i = ds->free[j];
    double u = ((double)c->perm[j * c->n + k] + l4p_rng_uniform(ds->s->rng)) /
               (double)c->n;
    cfg[i] = l4p__unit_value(l4p_space_option(ds->space, i), u);
  }
}

/* One Latin hypercube of n points; offers each point in turn. */
static l4p_status one_design(struct l4p__design *ds, struct cube *c)
{
  for (size_t j = 0; j < ds->n_free; j++) {
    for (size_t k = 0; k < c->n; k++)
      c->perm[j * c->n + k] = k;
    l4p_rng_shuffle(ds->s->rng, c->perm + j * c->n, c->n);
  }
  return l4p__design_offer_rows(ds, c->n, cube_row, c);
}

/* Hypercubes of budget points until the budget is met or one more brings
 * nothing new. */
static l4p_status lhs_build(struct l4p__design *ds)
{
  size_t n = ds->n, cells = n * ds->n_free;
  struct cube c = {.n = n,
                   .perm = malloc((cells ? cells : 1) * sizeof *c.perm)};
  l4p_status st = c.perm ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t round = 0; !st && n && round <= EXTRA_DESIGNS && ds->got < n;
       round++) {
    size_t before = ds->got;
    st = one_design(ds, &c);
    if (round > 0 && ds->got == before)
      break; /* a whole new design brought nothing: the space is crowded */
  }
  free(c.perm);
  return st;
}

static l4p_status lhs_propose(struct l4p_sampler *s,
                              const struct l4p_history *h, size_t n,
                              double *out, size_t *n_out)
{
  return l4p__design_propose(s, h, n, out, n_out, lhs_build);
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
