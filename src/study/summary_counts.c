/* The headline counts of a study, in the paper's form: "S is best in X of
 * Y scenarios" (lowest mean error among the treatments Scott-Knott ranks
 * first), "pruning improved S in X of Y cases" (mean error with pruning
 * below that without, per scenario holding both), and "best front in X of
 * Y", each over all systems and per number of studied objectives.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "study-int.h"
#include "util/failf.h"
#include "util/banned.h"

struct list {
  size_t n, cap;
  struct l4p_study_count *c;
};

/* The entry for (sampler, pruned, k), added with x = y = 0 when new;
 * NULL when out of memory. */
static struct l4p_study_count *entry(struct list *l, const char *sampler,
                                     bool pruned, size_t k)
{
  for (size_t i = 0; i < l->n; i++)
    if (!strcmp(l->c[i].sampler, sampler) && l->c[i].pruned == pruned &&
        l->c[i].n_objectives == k)
      return &l->c[i];
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 16;
    struct l4p_study_count *c = realloc(l->c, cap * sizeof *c);
    if (!c)
      return NULL;
    l->c = c;
    l->cap = cap;
  }
  struct l4p_study_count *e = &l->c[l->n];
  *e = (struct l4p_study_count){strdup(sampler), pruned, k, 0, 0, 0};
  if (!e->sampler)
    return NULL;
  l->n++;
  return e;
}

/* The objective counts present, ascending, with 0 (all) first. */
static size_t objective_counts(const struct l4p_study_summary *s, size_t *ks,
                               size_t max)
{
  size_t n = 0;
  ks[n++] = 0;
  for (size_t i = 0; i < s->n_scenarios; i++) {
    size_t k = s->scenarios[i].n_objectives, at = 1;
    while (at < n && ks[at] < k)
      at++;
    if ((at < n && ks[at] == k) || n == max)
      continue;
    memmove(ks + at + 1, ks + at, (n - at) * sizeof *ks);
    ks[at] = k;
    n++;
  }
  return n;
}

/* "best in x of y": every treatment gets an entry (x may be 0). */
static bool count_best(const struct l4p_study_summary *s, size_t from,
                       size_t to, const size_t *ks, size_t nk, struct list *l)
{
  for (size_t q = 0; q < nk; q++)
    for (size_t i = from; i < to; i++) {
      const struct l4p_study_scenario *sc = &s->scenarios[i];
      if (ks[q] && sc->n_objectives != ks[q])
        continue;
      for (size_t t = 0; t < sc->n_ranks; t++) {
        struct l4p_study_count *e =
            entry(l, sc->ranks[t].sampler, sc->ranks[t].pruned, ks[q]);
        if (!e)
          return false;
        e->x += sc->ranks[t].best;
      }
    }
  /* y: every scenario of the objective count, whether or not the
   * treatment took part */
  for (size_t e = 0; e < l->n; e++)
    for (size_t i = from; i < to; i++)
      l->c[e].y += !l->c[e].n_objectives ||
                   s->scenarios[i].n_objectives == l->c[e].n_objectives;
  return true;
}

/* Treatment sampler without (plain) and with pruning in sc, or NULL. */
static const struct l4p_study_rank *find(const struct l4p_study_scenario *sc,
                                         const char *sampler, bool pruned)
{
  for (size_t t = 0; t < sc->n_ranks; t++)
    if (!strcmp(sc->ranks[t].sampler, sampler) &&
        sc->ranks[t].pruned == pruned && sc->ranks[t].n)
      return &sc->ranks[t];
  return NULL;
}

/* "pruning improved s in x of y", per sampler and in total ("all"). */
static bool count_pruning(const struct l4p_study_summary *s, const size_t *ks,
                          size_t nk, struct list *l)
{
  for (size_t q = 0; q < nk; q++)
    for (size_t i = 0; i < s->n_error_scenarios; i++) {
      const struct l4p_study_scenario *sc = &s->scenarios[i];
      if (ks[q] && sc->n_objectives != ks[q])
        continue;
      for (size_t t = 0; t < sc->n_ranks; t++) {
        const struct l4p_study_rank *with = &sc->ranks[t];
        const struct l4p_study_rank *without = find(sc, with->sampler, false);
        if (!with->pruned || !with->n || !without)
          continue;
        struct l4p_study_count *e = entry(l, with->sampler, true, ks[q]);
        struct l4p_study_count *all = entry(l, "all", true, ks[q]);
        if (!e || !all)
          return false;
        bool better = with->mean < without->mean;
        bool tie = with->mean == without->mean;
        e->y++;
        e->x += better;
        e->ties += tie;
        all->y++;
        all->x += better;
        all->ties += tie;
      }
    }
  return true;
}

/* See study-int.h. */
l4p_status l4p__study_summary_counts(struct l4p_study_summary *s)
{
  size_t ks[16];
  size_t nk = objective_counts(s, ks, 16);
  struct list best = {0}, pruning = {0}, front = {0};
  bool ok = count_best(s, 0, s->n_error_scenarios, ks, nk, &best) &&
            count_pruning(s, ks, nk, &pruning) &&
            count_best(s, s->n_error_scenarios, s->n_scenarios, ks, nk, &front);
  s->best = best.c;
  s->n_best = best.n;
  s->pruning = pruning.c;
  s->n_pruning = pruning.n;
  s->best_front = front.c;
  s->n_best_front = front.n;
  return ok ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
}

/* See study.h. */
const struct l4p_study_count *
l4p_study_count_find(const struct l4p_study_count *list, size_t n,
                     const char *sampler, bool pruned, size_t k)
{
  for (size_t i = 0; i < n; i++)
    if (!strcmp(list[i].sampler, sampler) && list[i].pruned == pruned &&
        list[i].n_objectives == k)
      return &list[i];
  return NULL;
}
