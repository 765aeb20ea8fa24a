/* The statistics of a study (docs/STUDY.md, "Summaries"): cells grouped
 * into scenarios (system x objective x budget x model for the MRE,
 * system x budget x model for the front's hypervolume ratio), treatments
 * ranked by Scott-Knott ESD over the repetitions, each tested against the
 * baseline sampler (rank-sum, Holm within the scenario, A12, Cliff's
 * delta). The headline counts are in summary_counts.c.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf/stats.h"
#include "study-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* The values of one treatment in one scenario while grouping. */
struct bucket {
  const char *sampler;
  bool pruned;
  size_t n, cap;
  double *v;
  size_t *rep; /* repetitions seen (fronts repeat over objectives) */
};

struct group {
  const char *metric, *system, *objective, *model;
  size_t budget, n_objectives;
  size_t nb;
  struct bucket *b;
};

struct grouping {
  size_t n, cap;
  struct group *g;
};

static bool same(const char *a, const char *b)
{
  return strcmp(a, b) == 0;
}

/* The group of a cell, added when new; NULL when out of memory. */
static struct group *group_of(struct grouping *gr, const char *metric,
                              const struct l4p_study_cell *c)
{
  const char *objective = same(metric, "mre") ? c->objective : "all";
  for (size_t k = 0; k < gr->n; k++) {
    struct group *g = &gr->g[k];
    if (same(g->metric, metric) && same(g->system, c->system) &&
        same(g->objective, objective) && same(g->model, c->model) &&
        g->budget == c->budget)
      return g;
  }
  if (gr->n == gr->cap) {
    size_t cap = gr->cap ? 2 * gr->cap : 16;
    struct group *g = realloc(gr->g, cap * sizeof *g);
    if (!g)
      return NULL;
    gr->g = g;
    gr->cap = cap;
  }
  struct group *g = &gr->g[gr->n++];
  *g = (struct group){metric,    c->system,       objective, c->model,
                      c->budget, c->n_objectives, 0,         NULL};
  return g;
}

/* Add value v of repetition rep to the cell's treatment in g (once per
 * repetition). false when out of memory. */
static bool add(struct group *g, const struct l4p_study_cell *c, double v)
{
  struct bucket *b = NULL;
  for (size_t k = 0; k < g->nb && !b; k++)
    if (same(g->b[k].sampler, c->sampler) && g->b[k].pruned == c->pruned)
      b = &g->b[k];
  if (!b) {
    struct bucket *nb = realloc(g->b, (g->nb + 1) * sizeof *nb);
    if (!nb)
      return false;
    g->b = nb;
    b = &g->b[g->nb++];
    *b = (struct bucket){c->sampler, c->pruned, 0, 0, NULL, NULL};
  }
  for (size_t k = 0; k < b->n; k++)
    if (b->rep[k] == c->repetition)
      return true;
  if (isnan(v))
    return true;
  if (b->n == b->cap) {
    size_t cap = b->cap ? 2 * b->cap : 16;
    double *v2 = realloc(b->v, cap * sizeof *v2);
    if (v2)
      b->v = v2;
    size_t *r2 = v2 ? realloc(b->rep, cap * sizeof *r2) : NULL;
    if (!r2)
      return false;
    b->rep = r2;
    b->cap = cap;
  }
  b->v[b->n] = v;
  b->rep[b->n++] = c->repetition;
  return true;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Mean, median and sample standard deviation of a bucket. */
static void describe(const struct bucket *b, struct l4p_study_rank *r)
{
  r->mean = r->median = r->sd = NAN;
  if (b->n == 0)
    return;
  double sum = 0, ss = 0;
  for (size_t k = 0; k < b->n; k++)
    sum += b->v[k];
  r->mean = sum / (double)b->n;
  for (size_t k = 0; k < b->n; k++)
    ss += (b->v[k] - r->mean) * (b->v[k] - r->mean);
  r->sd = b->n > 1 ? sqrt(ss / (double)(b->n - 1)) : 0;
  double *s = malloc(b->n * sizeof *s);
  if (!s)
    return;
  memcpy(s, b->v, b->n * sizeof *s);
  qsort(s, b->n, sizeof *s, cmp_double);
  r->median = b->n % 2 ? s[b->n / 2] : (s[b->n / 2 - 1] + s[b->n / 2]) / 2;
  free(s);
}

/* Scott-Knott ESD over the treatments with values; best marks. */
static l4p_status rank(const struct group *g, struct l4p_study_scenario *sc)
{
  size_t k = 0, total = 0;
  for (size_t i = 0; i < g->nb; i++)
    total += g->b[i].n;
  double *v = malloc((total ? total : 1) * sizeof *v);
  size_t *counts = malloc((g->nb ? g->nb : 1) * sizeof *counts);
  int *r = malloc((g->nb ? g->nb : 1) * sizeof *r);
  int *skr = malloc((g->nb ? g->nb : 1) * sizeof *skr);
  l4p_status s =
      v && counts && r && skr ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t i = 0, at = 0; !s && i < g->nb; i++)
    if (g->b[i].n) {
      memcpy(v + at, g->b[i].v, g->b[i].n * sizeof *v);
      at += g->b[i].n;
      counts[k++] = g->b[i].n;
    }
  struct l4p_skesd_opts o;
  l4p_stats_skesd_defaults(&o);
  o.higher_is_better = same(g->metric, "hv_ratio");
  if (!s && k)
    s = l4p_stats_skesd(v, counts, k, &o, r, skr);
  double best = NAN, lowest = NAN;
  for (size_t i = 0, j = 0; !s && i < g->nb; i++) {
    struct l4p_study_rank *x = &sc->ranks[i];
    if (!g->b[i].n)
      continue;
    x->rank = r[j];
    x->sk_rank = skr[j++];
    double m = o.higher_is_better ? -x->mean : x->mean;
    if (x->rank == 1 && !(m >= best))
      best = m;
    if (!(m >= lowest))
      lowest = m;
  }
  for (size_t i = 0; !s && i < g->nb; i++) {
    struct l4p_study_rank *x = &sc->ranks[i];
    double m = o.higher_is_better ? -x->mean : x->mean;
    x->best = g->b[i].n && x->rank == 1 && m == best;
  }
  sc->lowest_not_first = !s && k && lowest < best;
  free(v);
  free(counts);
  free(r);
  free(skr);
  return s;
}

/* Rank-sum tests and effect sizes against the baseline, Holm-adjusted
 * over the scenario's family of tests. */
static l4p_status compare(const struct group *g, const char *baseline,
                          struct l4p_study_scenario *sc)
{
  const struct bucket *base = NULL;
  for (size_t i = 0; i < g->nb && !base; i++)
    if (same(g->b[i].sampler, baseline) && !g->b[i].pruned && g->b[i].n)
      base = &g->b[i];
  if (!base)
    return L4P_OK;
  double *p = malloc((g->nb ? g->nb : 1) * sizeof *p);
  size_t *idx = malloc((g->nb ? g->nb : 1) * sizeof *idx), n = 0;
  l4p_status s = p && idx ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t i = 0; !s && i < g->nb; i++) {
    const struct bucket *b = &g->b[i];
    struct l4p_study_rank *x = &sc->ranks[i];
    if (b == base || !b->n)
      continue;
    struct l4p_mwu mw;
    struct l4p_effect ef;
    s = l4p_stats_mannwhitney(b->v, b->n, base->v, base->n, L4P_MWU_AUTO, &mw);
    if (!s)
      s = l4p_stats_effect(b->v, b->n, base->v, base->n, &ef);
    if (s)
      break;
    x->has_test = true;
    x->p = p[n] = mw.p;
    x->a12 = ef.a12;
    x->delta = ef.delta;
    x->a12_mag = l4p_magnitude_name(ef.a12_mag);
    x->delta_mag = l4p_magnitude_name(ef.delta_mag);
    idx[n++] = i;
  }
  if (!s)
    s = l4p_stats_holm(p, n, p);
  for (size_t k = 0; !s && k < n; k++)
    sc->ranks[idx[k]].p_holm = p[k];
  free(p);
  free(idx);
  return s;
}

/* One scenario of the summary from a group. */
static l4p_status scenario(const struct group *g, const char *baseline,
                           struct l4p_study_scenario *sc)
{
  sc->metric = g->metric;
  sc->budget = g->budget;
  sc->n_objectives = g->n_objectives;
  sc->system = strdup(g->system);
  sc->objective = strdup(g->objective);
  sc->model = strdup(g->model);
  sc->ranks = calloc(g->nb ? g->nb : 1, sizeof *sc->ranks);
  if (!sc->system || !sc->objective || !sc->model || !sc->ranks)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  sc->n_ranks = g->nb;
  for (size_t i = 0; i < g->nb; i++) {
    struct l4p_study_rank *x = &sc->ranks[i];
    if (!(x->sampler = strdup(g->b[i].sampler)))
      return l4p_failf(L4P_ENOMEM, "out of memory");
    x->pruned = g->b[i].pruned;
    x->n = g->b[i].n;
    x->p = x->p_holm = x->a12 = x->delta = NAN;
    x->a12_mag = x->delta_mag = "";
    describe(&g->b[i], x);
  }
  l4p_status s = rank(g, sc);
  if (!s)
    s = compare(g, baseline, sc);
  return s;
}

static void grouping_release(struct grouping *gr)
{
  for (size_t k = 0; k < gr->n; k++) {
    for (size_t i = 0; i < gr->g[k].nb; i++) {
      free(gr->g[k].b[i].v);
      free(gr->g[k].b[i].rep);
    }
    free(gr->g[k].b);
  }
  free(gr->g);
}

/* Group the cells: error scenarios first, front scenarios after. */
static l4p_status group_cells(const struct l4p_study_cell *cells, size_t n,
                              struct grouping *gr, size_t *n_error)
{
  for (size_t pass = 0; pass < 2; pass++) {
    const char *metric = pass ? "hv_ratio" : "mre";
    for (size_t k = 0; k < n; k++) {
      struct group *g = group_of(gr, metric, &cells[k]);
      if (!g || !add(g, &cells[k], pass ? cells[k].hv_ratio : cells[k].mre))
        return l4p_failf(L4P_ENOMEM, "out of memory");
    }
    if (!pass)
      *n_error = gr->n;
  }
  return L4P_OK;
}

/* See study.h. */
l4p_status l4p_study_summarize(const struct l4p_study_cell *cells, size_t n,
                               const char *baseline,
                               struct l4p_study_summary *sum)
{
  memset(sum, 0, sizeof *sum);
  struct grouping gr = {0};
  l4p_status s = group_cells(cells, n, &gr, &sum->n_error_scenarios);
  if (!s && !(sum->baseline = strdup(baseline)))
    s = l4p_failf(L4P_ENOMEM, "out of memory");
  if (!s && !(sum->scenarios = calloc(gr.n ? gr.n : 1, sizeof *sum->scenarios)))
    s = l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; !s && k < gr.n; k++) {
    s = scenario(&gr.g[k], baseline, &sum->scenarios[k]);
    sum->n_scenarios = k + 1;
  }
  grouping_release(&gr);
  if (!s)
    s = l4p__study_summary_counts(sum);
  if (s)
    l4p_study_summary_release(sum);
  return s;
}

static void counts_release(struct l4p_study_count *c, size_t n)
{
  for (size_t k = 0; k < n; k++)
    free(c[k].sampler);
  free(c);
}

/* See study.h. */
void l4p_study_summary_release(struct l4p_study_summary *sum)
{
  for (size_t k = 0; k < sum->n_scenarios; k++) {
    struct l4p_study_scenario *sc = &sum->scenarios[k];
    for (size_t i = 0; sc->ranks && i < sc->n_ranks; i++)
      free(sc->ranks[i].sampler);
    free(sc->ranks);
    free(sc->system);
    free(sc->objective);
    free(sc->model);
  }
  free(sum->scenarios);
  free(sum->baseline);
  counts_release(sum->best, sum->n_best);
  counts_release(sum->pruning, sum->n_pruning);
  counts_release(sum->best_front, sum->n_best_front);
  memset(sum, 0, sizeof *sum);
}
