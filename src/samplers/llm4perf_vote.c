/* Voting (METHOD.md, "The LLM4Perf sampler" step 4): the generators'
 * validated proposals become one batch. Proposals already tried are
 * dropped, identical ones merged, and each distinct candidate is ranked
 * by how many generators agree on it, near-identical proposals counting
 * as agreement (tag-vote-near); ties go to the candidate farthest from
 * what was tried and what the batch already holds, so a batch spreads.
 * The initial batch uses the same machinery with maximin spread alone.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf-int.h"
#include "util/failf.h"
#include "util/banned.h"

static const char *const select_names[] = {
    [L4P__SELECT_AGREEMENT_DISTANCE] = "agreement+distance",
    [L4P__SELECT_AGREEMENT] = "agreement",
    [L4P__SELECT_ORDER] = "order",
    [L4P__SELECT_SPREAD] = "spread"};

/* The method's name as artefacts write it. */
const char *l4p__select_name(enum l4p__select method)
{
  return (unsigned)method <= L4P__SELECT_SPREAD ? select_names[method] : "?";
}

/* An empty pool of d-option configurations. */
void l4p__pool_init(struct l4p__pool *pool, size_t d)
{
  memset(pool, 0, sizeof *pool);
  pool->d = d;
}

/* Free the pool's arrays and empty it. */
void l4p__pool_release(struct l4p__pool *pool)
{
  free(pool->cfgs);
  free(pool->generator);
  free(pool->position);
  l4p__pool_init(pool, pool->d);
}

/* Append one proposal, growing the arrays; ENOMEM. */
l4p_status l4p__pool_add(struct l4p__pool *pool, const double *cfg, unsigned g,
                         size_t pos)
{
  if (pool->n == pool->cap) {
    size_t cap = pool->cap ? 2 * pool->cap : 32;
    double *cfgs = realloc(pool->cfgs, cap * pool->d * sizeof *cfgs + 1);
    if (cfgs)
      pool->cfgs = cfgs;
    unsigned *gen = realloc(pool->generator, cap * sizeof *gen);
    if (gen)
      pool->generator = gen;
    size_t *where = realloc(pool->position, cap * sizeof *where);
    if (where)
      pool->position = where;
    if (!cfgs || !gen || !where)
      return l4p_failf(L4P_ENOMEM, "out of memory");
    pool->cap = cap;
  }
  memcpy(pool->cfgs + pool->n * pool->d, cfg, pool->d * sizeof *cfg);
  pool->generator[pool->n] = g;
  pool->position[pool->n] = pos;
  pool->n++;
  return L4P_OK;
}

/* Free a vote's arrays and zero it. */
void l4p__vote_release(struct l4p__vote *v)
{
  free(v->c);
  free(v->dup_tried);
  free(v->dup_repeated);
  free(v->chosen);
  memset(v, 0, sizeof *v);
}

static size_t popcount(uint32_t x)
{
  size_t n = 0;
  for (; x; x &= x - 1)
    n++;
  return n;
}

static bool same(const double *a, const double *b, size_t d)
{
  return memcmp(a, b, d * sizeof *a) == 0;
}

/* Smallest distance from cfg to rows (n x d); INFINITY when n is 0. */
static double nearest(const struct l4p_space *space, const double *cfg,
                      const double *rows, size_t n, size_t d)
{
  double best = INFINITY;
  for (size_t k = 0; rows && k < n; k++) {
    double dist = l4p_space_distance(space, cfg, rows + k * d);
    if (dist < best)
      best = dist;
  }
  return best;
}

/* Merge the pool into distinct, untried candidates, counting duplicates
 * per generator. taken holds the tried configurations. */
static l4p_status collect(const struct l4p__pool *pool,
                          const struct l4px_cfgset *taken, struct l4p__vote *v)
{
  size_t d = pool->d;
  for (size_t p = 0; p < pool->n; p++) {
    const double *cfg = pool->cfgs + p * d;
    unsigned g = pool->generator[p];
    uint32_t bit = (uint32_t)1 << (g % 32);
    if (l4px_cfgset_contains(taken, cfg)) {
      v->dup_tried[g]++;
      continue;
    }
    size_t k = 0;
    while (k < v->n_candidates && !same(pool->cfgs + v->c[k].first * d, cfg, d))
      k++;
    if (k < v->n_candidates) {
      if (v->c[k].voters & bit)
        v->dup_repeated[g]++;
      v->c[k].voters |= bit;
      continue;
    }
    v->c[v->n_candidates++] = (struct l4p__candidate){.first = p,
                                                      .voters = bit,
                                                      .agreement = 1,
                                                      .distance = INFINITY,
                                                      .rank = -1,
                                                      .merged_into = -1};
  }
  return L4P_OK;
}

/* Agreement of each candidate: generators proposing it or a candidate
 * within L4P__NEAR of it. */
static void count_agreement(const struct l4p_space *space,
                            const struct l4p__pool *pool, struct l4p__vote *v)
{
  size_t d = pool->d;
  for (size_t a = 0; a < v->n_candidates; a++) {
    uint32_t mask = v->c[a].voters;
    const double *ca = pool->cfgs + v->c[a].first * d;
    for (size_t b = 0; b < v->n_candidates; b++)
      if (b != a && l4p_space_distance(
                        space, ca, pool->cfgs + v->c[b].first * d) < L4P__NEAR)
        mask |= v->c[b].voters;
    v->c[a].agreement = popcount(mask);
  }
}

/* Is candidate a better than b (distances da, db)? */
static bool better(enum l4p__select method, const struct l4p__candidate *a,
                   double da, const struct l4p__candidate *b, double db)
{
  if (method != L4P__SELECT_ORDER && method != L4P__SELECT_SPREAD &&
      a->agreement != b->agreement)
    return a->agreement > b->agreement;
  if ((method == L4P__SELECT_AGREEMENT_DISTANCE ||
       method == L4P__SELECT_SPREAD) &&
      da != db)
    return da > db;
  return a->first < b->first; /* earlier proposal */
}

/* Distance of each candidate to the tried set (history and extra). */
static void tried_distance(const struct l4p_space *space,
                           const struct l4p__pool *pool,
                           const struct l4p_history *h, const double *extra,
                           size_t n_extra, const struct l4p__vote *v,
                           double *dist)
{
  size_t d = pool->d;
  for (size_t k = 0; k < v->n_candidates; k++) {
    const double *cfg = pool->cfgs + v->c[k].first * d;
    double best = nearest(space, cfg, extra, n_extra, d);
    if (h) {
      best = fmin(best, nearest(space, cfg, h->configs, h->n, d));
      best = fmin(best, nearest(space, cfg, h->failed, h->n_failed, d));
    }
    dist[k] = best;
  }
}

/* Pick up to n candidates; merged ones only on the second pass. dist
 * holds each candidate's distance to the tried set and is lowered as the
 * batch grows. */
static void pick(const struct l4p_space *space, const struct l4p__pool *pool,
                 enum l4p__select method, size_t n, double *dist,
                 struct l4p__vote *v)
{
  size_t d = pool->d;
  for (int pass = 0; pass < 2; pass++) {
    while (v->n_chosen < n) {
      long best = -1;
      for (size_t k = 0; k < v->n_candidates; k++) {
        const struct l4p__candidate *c = &v->c[k];
        if (c->rank >= 0 || (pass == 0 && c->merged_into >= 0))
          continue;
        if (best < 0 || better(method, c, dist[k], &v->c[best], dist[best]))
          best = (long)k;
      }
      if (best < 0)
        break;
      struct l4p__candidate *w = &v->c[best];
      w->rank = (long)v->n_chosen;
      w->distance = dist[best];
      v->chosen[v->n_chosen++] = (size_t)best;
      const double *cw = pool->cfgs + w->first * d;
      for (size_t k = 0; k < v->n_candidates; k++) {
        if (v->c[k].rank >= 0)
          continue;
        double dk =
            l4p_space_distance(space, cw, pool->cfgs + v->c[k].first * d);
        dist[k] = fmin(dist[k], dk);
        if (method != L4P__SELECT_ORDER && method != L4P__SELECT_SPREAD &&
            dk < L4P__NEAR && v->c[k].merged_into < 0)
          v->c[k].merged_into = best;
      }
    }
  }
}

/* Collect, count agreement, measure distances, pick (llm4perf-int.h). */
l4p_status l4p__vote(const struct l4p_space *space, const struct l4p_history *h,
                     const double *extra, size_t n_extra,
                     const struct l4p__pool *pool, size_t n_generators,
                     enum l4p__select method, size_t n, struct l4p__vote *v)
{
  memset(v, 0, sizeof *v);
  size_t d = pool->d, g = n_generators ? n_generators : 1;
  v->n_generators = g;
  v->c = calloc(pool->n + 1, sizeof *v->c);
  v->dup_tried = calloc(g, sizeof *v->dup_tried);
  v->dup_repeated = calloc(g, sizeof *v->dup_repeated);
  v->chosen = calloc(pool->n + 1, sizeof *v->chosen);
  double *dist = malloc((pool->n + 1) * sizeof *dist);
  struct l4px_cfgset taken;
  l4px_cfgset_init(&taken, d);
  l4p_status st = v->c && v->dup_tried && v->dup_repeated && v->chosen && dist
                      ? L4P_OK
                      : l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t p = 0; !st && p < pool->n; p++)
    if (pool->generator[p] >= g)
      st = l4p_failf(L4P_EUSAGE, "vote: proposal from generator %u of %zu",
                     pool->generator[p], g);
  if (!st && l4p__taken_from_history(&taken, h, d) < 0)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; !st && k < n_extra; k++)
    if (l4px_cfgset_add(&taken, extra + k * d) < 0)
      st = l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st)
    st = collect(pool, &taken, v);
  if (!st) {
    if (method == L4P__SELECT_AGREEMENT_DISTANCE ||
        method == L4P__SELECT_AGREEMENT)
      count_agreement(space, pool, v);
    tried_distance(space, pool, h, extra, n_extra, v, dist);
    pick(space, pool, method, n, dist, v);
  }
  free(dist);
  l4px_cfgset_release(&taken);
  if (st)
    l4p__vote_release(v);
  return st;
}
