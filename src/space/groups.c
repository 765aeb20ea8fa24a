/* Groups: options linked by constraints, found by union-find over the
 * constraints' variables. Each small group's valid assignments are listed
 * once, which makes counting exact, uniform sampling exact and repair
 * exactly nearest; options outside every group vary independently.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "space-int.h"
#include "util/failf.h"
#include "util/banned.h"

static size_t find_root(size_t *parent, size_t i)
{
  while (parent[i] != i)
    i = parent[i] = parent[parent[i]];
  return i;
}

void l4p__analysis_free(struct l4p__analysis *a)
{
  if (!a)
    return;
  for (size_t g = 0; g < a->n_groups; g++) {
    free(a->groups[g].members);
    free(a->groups[g].constraints);
    free(a->groups[g].valid);
  }
  free(a->groups);
  free(a->group_of);
  free(a);
}

void l4p__group_apply(const struct l4p_space *space, const struct l4p__group *g,
                      uint32_t code, double *cfg)
{
  for (size_t m = 0; m < g->n_members; m++) {
    const struct l4p_option *opt = &space->options[g->members[m]];
    size_t card = l4p__free_cardinality(opt);
    size_t digit = code % card;
    code /= (uint32_t)card;
    cfg[g->members[m]] =
        opt->fixed ? opt->fixed_value : l4p_option_value_at(opt, digit);
  }
}

bool l4p__group_satisfied(const struct l4p_space *space,
                          const struct l4p__group *g, const double *cfg)
{
  for (size_t c = 0; c < g->n_constraints; c++)
    if (!l4p__truth(
            l4p__expr_eval(space->constraints[g->constraints[c]].expr, cfg)))
      return false;
  return true;
}

/* List the valid assignments of g when its value combinations are few. */
static l4p_status enumerate_group(const struct l4p_space *space,
                                  struct l4p__group *g)
{
  uint64_t combos = 1;
  for (size_t m = 0; m < g->n_members; m++) {
    size_t card = l4p__free_cardinality(&space->options[g->members[m]]);
    if (card == 0)
      return L4P_OK; /* continuous: sampled by rejection */
    /* compare before multiplying: combos * card can wrap past 2^64 and
     * pass for a small group */
    if (card > L4P__GROUP_ENUM_LIMIT / combos)
      return L4P_OK;
    combos *= card;
  }
  double *cfg = calloc(space->n_options ? space->n_options : 1, sizeof *cfg);
  size_t cap = 64;
  g->valid = malloc(cap * sizeof *g->valid);
  if (!cfg || !g->valid) {
    free(cfg);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  l4p_space_default_config(space, cfg);
  for (uint32_t code = 0; code < combos; code++) {
    l4p__group_apply(space, g, code, cfg);
    if (!l4p__group_satisfied(space, g, cfg))
      continue;
    if (g->n_valid == cap) {
      cap *= 2;
      uint32_t *grown = realloc(g->valid, cap * sizeof *grown);
      if (!grown) {
        free(cfg);
        return l4p_failf(L4P_ENOMEM, "out of memory");
      }
      g->valid = grown;
    }
    g->valid[g->n_valid++] = code;
  }
  free(cfg);
  g->enumerated = true;
  return L4P_OK;
}

/* Build the analysis: groups from union-find, then enumerate each. */
static struct l4p__analysis *analyse(const struct l4p_space *space)
{
  size_t n = space->n_options;
  struct l4p__analysis *a = calloc(1, sizeof *a);
  size_t *parent = malloc((n ? n : 1) * sizeof *parent);
  size_t *group_of_root = malloc((n ? n : 1) * sizeof *group_of_root);
  bool ok = a && parent && group_of_root &&
            (a->group_of = malloc((n ? n : 1) * sizeof *a->group_of));
  if (!ok)
    goto oom;
  for (size_t i = 0; i < n; i++) {
    parent[i] = i;
    a->group_of[i] = -1;
    group_of_root[i] = SIZE_MAX;
  }
  for (size_t c = 0; c < space->n_constraints; c++) {
    const struct l4p__constraint *con = &space->constraints[c];
    for (size_t k = 1; k < con->n_vars; k++)
      parent[find_root(parent, con->vars[k])] = find_root(parent, con->vars[0]);
  }
  /* one group per root that some constraint touches */
  a->groups = calloc(space->n_constraints ? space->n_constraints : 1,
                     sizeof *a->groups);
  if (!a->groups)
    goto oom;
  for (size_t c = 0; c < space->n_constraints; c++) {
    const struct l4p__constraint *con = &space->constraints[c];
    size_t root = con->n_vars ? find_root(parent, con->vars[0]) : SIZE_MAX;
    if (root == SIZE_MAX) {
      /* constant constraint: its own group with no members */
      root = SIZE_MAX - 1;
    }
    size_t g;
    if (root < n && group_of_root[root] != SIZE_MAX) {
      g = group_of_root[root];
    } else {
      g = a->n_groups++;
      if (root < n)
        group_of_root[root] = g;
    }
    struct l4p__group *grp = &a->groups[g];
    size_t *grown =
        realloc(grp->constraints, (grp->n_constraints + 1) * sizeof *grown);
    if (!grown)
      goto oom;
    grp->constraints = grown;
    grp->constraints[grp->n_constraints++] = c;
  }
  for (size_t i = 0; i < n; i++) {
    size_t root = find_root(parent, i);
    if (group_of_root[root] == SIZE_MAX)
      continue;
    struct l4p__group *grp = &a->groups[group_of_root[root]];
    size_t *grown = realloc(grp->members, (grp->n_members + 1) * sizeof *grown);
    if (!grown)
      goto oom;
    grp->members = grown;
    grp->members[grp->n_members++] = i;
    a->group_of[i] = (int)group_of_root[root];
  }
  for (size_t g = 0; g < a->n_groups; g++)
    if (enumerate_group(space, &a->groups[g]))
      goto fail;
  free(parent);
  free(group_of_root);
  return a;
oom:
  l4p_failf(L4P_ENOMEM, "out of memory");
fail:
  free(parent);
  free(group_of_root);
  l4p__analysis_free(a);
  return NULL;
}

const struct l4p__analysis *l4p__space_analysis(const struct l4p_space *space)
{
  struct l4p_space *mut = (struct l4p_space *)space; /* cache only */
  pthread_mutex_lock(&mut->lock);
  if (!mut->analysis)
    mut->analysis = analyse(space);
  const struct l4p__analysis *a = mut->analysis;
  pthread_mutex_unlock(&mut->lock);
  return a;
}
