/* flash: FLASH (Nair et al., "Finding Faster Configurations using FLASH",
 * TSE 2018), a sequential model-based sampler. After a random start it
 * fits one CART per objective on everything measured, predicts a pool of
 * unmeasured candidates and measures the one with the best prediction.
 *
 * Choices made here: the start is budget/5 random configurations (at
 * least 5, at most 20); the pool is the whole untaken space when it lists
 * within 50000 configurations, else 5000 uniform draws plus 1000 one- or
 * two-option mutants of the measured Pareto front (so big spaces are also
 * searched near the best points); objectives are normalised by the min and
 * max of the measured values, and with several objectives each proposal
 * draws its own weight vector (uniform on the simplex) and takes the
 * candidate with the lowest augmented Tchebycheff score, so a batch spreads
 * over the front. Every call depends only on the seed and the history.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cart.h"
#include "llm4perf/hypervolume.h"
#include "seqkit.h"
#include "util/failf.h"
#include "util/banned.h"

#define POOL_LIST_LIMIT 50000
#define POOL_RANDOM 5000
#define POOL_MUTANTS 1000
#define CART_MIN_LEAF 1
#define CART_MAX_DEPTH 12
#define TCHEBYCHEFF_RHO 0.05

struct flash {
  size_t init; /* random configurations before the first model */
};

struct pool {
  size_t n, cap, d;
  double *cfgs;
  struct l4px_cfgset seen; /* history and pool members */
};

static l4p_status flash_create(struct l4p_sampler *s)
{
  struct flash *fl = malloc(sizeof *fl);
  if (!fl)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  size_t init = s->budget / 5;
  fl->init = init < 5 ? 5 : init > 20 ? 20 : init;
  s->data = fl;
  return L4P_OK;
}

static void flash_destroy(struct l4p_sampler *s)
{
  free(s->data);
}

static l4p_status pool_reserve(struct pool *p, size_t more)
{
  if (p->n + more <= p->cap)
    return L4P_OK;
  size_t cap = p->n + more;
  double *cfgs = realloc(p->cfgs, cap * p->d * sizeof *cfgs + 1);
  if (!cfgs)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  p->cfgs = cfgs;
  p->cap = cap;
  return L4P_OK;
}

/* Mutants of the measured Pareto front (rows of h listed in front). */
static l4p_status add_mutants(struct l4p_sampler *s, struct pool *p,
                              const struct l4p_history *h, const size_t *front,
                              size_t n_front)
{
  l4p_status st = pool_reserve(p, POOL_MUTANTS);
  size_t d = p->d;
  for (size_t k = 0; k < POOL_MUTANTS && n_front && !st; k++) {
    double *cfg = p->cfgs + p->n * d;
    memcpy(cfg, h->configs + front[k % n_front] * d, d * sizeof *cfg);
    size_t changes = 1 + (size_t)l4p_rng_below(s->rng, 2);
    for (size_t c = 0; c < changes; c++) {
      size_t i = (size_t)l4p_rng_below(s->rng, d);
      l4p__seq_mutate(l4p_space_option(s->space, i), s->rng, &cfg[i]);
    }
    if ((st = l4p_space_repair(s->space, cfg)))
      break;
    int added = l4px_cfgset_add(&p->seen, cfg);
    if (added < 0)
      st = l4p_failf(L4P_ENOMEM, "out of memory");
    p->n += added > 0;
  }
  return st;
}

/* The candidates: the listed untaken space, or random draws and mutants. */
static l4p_status build_pool(struct l4p_sampler *s, struct pool *p,
                             const struct l4p_history *h, const double *f,
                             const size_t *rows, size_t n_ok, size_t m)
{
  double *all = NULL;
  size_t n_all = 0, d = p->d;
  if (l4p_space_enumerate(s->space, POOL_LIST_LIMIT, &all, &n_all) == L4P_OK) {
    l4p_status st = pool_reserve(p, n_all);
    for (size_t k = 0; k < n_all && !st; k++) {
      int added = l4px_cfgset_add(&p->seen, all + k * d);
      if (added < 0)
        st = l4p_failf(L4P_ENOMEM, "out of memory");
      if (added > 0)
        memcpy(p->cfgs + p->n++ * d, all + k * d, d * sizeof *all);
    }
    free(all);
    return st;
  }
  l4p_clear_error();
  size_t got = 0;
  size_t *front = malloc((n_ok ? n_ok : 1) * sizeof *front);
  l4p_status st = front ? pool_reserve(p, POOL_RANDOM)
                        : l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st)
    st = l4p__seq_fill_random(s->space, s->rng, &p->seen, POOL_RANDOM, p->cfgs,
                              &got);
  p->n = got;
  if (!st) {
    size_t n_front = l4p_pareto_front(f, n_ok, m, front);
    for (size_t k = 0; k < n_front; k++)
      front[k] = rows[front[k]];
    st = add_mutants(s, p, h, front, n_front);
  }
  free(front);
  return st;
}

/* Fit a tree per objective on the measured rows and predict the pool:
 * pred gets pool->n x m values. */
static l4p_status predict(struct l4p_sampler *s, const struct pool *p,
                          const struct l4p_history *h, const double *f,
                          const size_t *rows, size_t n_ok, size_t m,
                          double *pred)
{
  size_t nf = l4p_space_n_features(s->space), d = p->d;
  double *x = malloc(n_ok * nf * sizeof *x + 1);
  double *y = malloc(n_ok * sizeof *y + 1);
  double *px = malloc(p->n * nf * sizeof *px + 1);
  l4p_status st =
      x && y && px ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; k < n_ok && !st; k++)
    l4p_space_encode(s->space, h->configs + rows[k] * d, x + k * nf);
  for (size_t c = 0; c < p->n && !st; c++)
    l4p_space_encode(s->space, p->cfgs + c * d, px + c * nf);
  struct l4p__cart_params par = {CART_MIN_LEAF, CART_MAX_DEPTH};
  for (size_t j = 0; j < m && !st; j++) {
    for (size_t k = 0; k < n_ok; k++)
      y[k] = f[k * m + j];
    struct l4p__cart *tree;
    if ((st = l4p__cart_fit(x, y, n_ok, nf, &par, &tree)))
      break;
    for (size_t c = 0; c < p->n; c++)
      pred[c * m + j] = l4p__cart_predict(tree, px + c * nf);
    l4p__cart_free(tree);
  }
  free(x);
  free(y);
  free(px);
  return st;
}

/* Pick n pool members into chosen by predicted quality; scratch holds
 * 3 x m doubles. */
static void choose(struct l4p_sampler *s, const struct pool *p, const double *f,
                   size_t n_ok, size_t m, const double *pred, size_t n,
                   size_t *chosen, size_t *order, bool *used, double *scratch)
{
  double *w = scratch, *lo = scratch + m, *hi = scratch + 2 * m;
  for (size_t j = 0; j < m; j++) { /* observed values only */
    lo[j] = INFINITY;
    hi[j] = -INFINITY;
    for (size_t k = 0; k < n_ok; k++) {
      lo[j] = fmin(lo[j], f[k * m + j]);
      hi[j] = fmax(hi[j], f[k * m + j]);
    }
  }
  for (size_t c = 0; c < p->n; c++)
    order[c] = c;
  l4p_rng_shuffle(s->rng, order, p->n); /* ties go to a random candidate */
  for (size_t slot = 0; slot < n; slot++) {
    double total = 0;
    for (size_t j = 0; j < m; j++)
      total += w[j] = -log(1 - l4p_rng_uniform(s->rng));
    double best = INFINITY;
    size_t best_c = p->n;
    for (size_t k = 0; k < p->n; k++) {
      size_t c = order[k];
      if (used[c])
        continue;
      double worst = -INFINITY, sum = 0;
      for (size_t j = 0; j < m; j++) {
        double range = hi[j] - lo[j];
        double z = range > 0 ? (pred[c * m + j] - lo[j]) / range : 0;
        worst = fmax(worst, w[j] / total * z);
        sum += w[j] / total * z;
      }
      double score = worst + TCHEBYCHEFF_RHO * sum;
      if (score < best) {
        best = score;
        best_c = c;
      }
    }
    used[best_c] = true;
    chosen[slot] = best_c;
  }
}

static l4p_status model_step(struct l4p_sampler *s, const struct l4p_history *h,
                             const double *f, const size_t *rows, size_t n_ok,
                             size_t m, size_t n, double *out, size_t *n_out)
{
  size_t d = l4p_space_n_options(s->space);
  struct pool p = {0, 0, d, NULL, {0}};
  l4px_cfgset_init(&p.seen, d);
  l4p_status st = l4p__taken_from_history(&p.seen, h, d) < 0
                      ? l4p_failf(L4P_ENOMEM, "out of memory")
                      : build_pool(s, &p, h, f, rows, n_ok, m);
  double *pred = NULL, *w = NULL;
  size_t *order = NULL, *chosen = NULL;
  bool *used = NULL;
  if (!st) {
    pred = malloc(p.n * m * sizeof *pred + 1);
    order = malloc(p.n * sizeof *order + 1);
    used = calloc(p.n + 1, sizeof *used);
    chosen = malloc(n * sizeof *chosen + 1);
    w = malloc(3 * m * sizeof *w);
    if (!pred || !order || !used || !chosen || !w)
      st = l4p_failf(L4P_ENOMEM, "out of memory");
  }
  if (!st)
    st = predict(s, &p, h, f, rows, n_ok, m, pred);
  size_t take = n < p.n ? n : p.n, got = 0;
  if (!st) {
    choose(s, &p, f, n_ok, m, pred, take, chosen, order, used, w);
    for (size_t k = 0; k < take; k++)
      memcpy(out + k * d, p.cfgs + chosen[k] * d, d * sizeof *out);
    /* a pool smaller than the batch: uniform draws for the rest */
    if (take < n)
      st = l4p__seq_fill_random(s->space, s->rng, &p.seen, n - take,
                                out + take * d, &got);
  }
  *n_out = take + got;
  free(pred);
  free(order);
  free(used);
  free(chosen);
  free(w);
  free(p.cfgs);
  l4px_cfgset_release(&p.seen);
  return st;
}

static l4p_status flash_propose(struct l4p_sampler *s,
                                const struct l4p_history *h, size_t n,
                                double *out, size_t *n_out)
{
  const struct flash *fl = s->data;
  l4p__seq_reseed(s, h);
  double *f;
  size_t *rows, n_ok, m;
  l4p_status st = l4p__seq_objectives(s, h, &f, &rows, &n_ok, &m);
  if (st)
    return st;
  if (n_ok >= fl->init && n_ok >= 2) {
    st = model_step(s, h, f, rows, n_ok, m, n, out, n_out);
  } else { /* the random start (or nothing measured to learn from) */
    struct l4px_cfgset taken;
    l4px_cfgset_init(&taken, l4p_space_n_options(s->space));
    st = l4p__taken_from_history(&taken, h, taken.d) < 0
             ? l4p_failf(L4P_ENOMEM, "out of memory")
             : l4p__seq_fill_random(s->space, s->rng, &taken, n, out, n_out);
    l4px_cfgset_release(&taken);
  }
  free(f);
  free(rows);
  return st;
}

const struct l4p_sampler_ops l4p_sampler_flash = {
    .name = "flash",
    .summary = "FLASH: a CART per objective picks the next to measure",
    .numeric_help = "numbers are tree features as they are (enums one-hot); "
                    "candidates are listed or drawn uniformly, continuous "
                    "ones uniformly in their range, plus small moves of the "
                    "best configurations",
    .sequential = true,
    .create = flash_create,
    .propose = flash_propose,
    .destroy = flash_destroy,
};
