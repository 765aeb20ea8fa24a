/* nsga3: NSGA-III (Deb and Jain, IEEE TEVC 2014) over the measured
 * objectives, a sequential sampler whose every evaluation is one unique
 * measured configuration.
 *
 * Steady state, rebuilt from the history at each call, so it depends only
 * on the seed and what was measured (a resumed campaign continues as an
 * uninterrupted one would): until a population's worth (budget/5, from 8
 * to 100) is measured, uniform random configurations; then NSGA-III's
 * environmental selection picks the population among everything measured
 * (non-dominated sorting, then for the last front: normalisation by the
 * ideal point and the intercepts of the extreme points' hyperplane, with
 * the front's worst values as a fallback when that plane is degenerate;
 * association with Das-Dennis reference directions, about one per member;
 * niching). Parents are picked by binary tournament on the front rank
 * (random among equals), children made by uniform crossover and per-type
 * mutation (each free option with probability 1/free, raised while
 * children keep coming out already taken), repaired, and new.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "seqkit.h"
#include "util/failf.h"
#include "util/banned.h"

#define POP_MIN 8
#define POP_MAX 100
#define CROSSOVER_P 0.9
#define CHILD_TRIES 60 /* per child, before a uniform draw replaces it */

struct nsga3 {
  size_t pop;
};

/* One selection over the measured rows (f: n x m, minimised). */
struct selection {
  struct l4p_rng *rng;
  const double *f;
  size_t n, m, pop;
  size_t *rank;    /* n: non-domination rank, 0 best */
  size_t *members; /* pop: the chosen rows */
};

static l4p_status nsga3_create(struct l4p_sampler *s)
{
  struct nsga3 *ns = malloc(sizeof *ns);
  if (!ns)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  size_t pop = s->budget / 5;
  ns->pop = pop < POP_MIN ? POP_MIN : pop > POP_MAX ? POP_MAX : pop;
  s->data = ns;
  return L4P_OK;
}

static void nsga3_destroy(struct l4p_sampler *s)
{
  free(s->data);
}

static bool dominates(const double *a, const double *b, size_t m)
{
  bool better = false;
  for (size_t j = 0; j < m; j++) {
    if (a[j] > b[j])
      return false;
    better |= a[j] < b[j];
  }
  return better;
}

/* Fast non-dominated sorting (Deb et al. 2002): rank[i] for every row. */
static l4p_status sort_fronts(struct selection *sel)
{
  size_t n = sel->n, m = sel->m;
  unsigned char *dom = calloc(n * n + 1, 1); /* dom[i*n+j]: i beats j */
  size_t *beaten_by = calloc(n + 1, sizeof *beaten_by);
  size_t *cur = malloc((n + 1) * sizeof *cur);
  if (!dom || !beaten_by || !cur) {
    free(dom);
    free(beaten_by);
    free(cur);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  size_t n_cur = 0;
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < n; j++)
      if (i != j && dominates(sel->f + i * m, sel->f + j * m, m)) {
        dom[i * n + j] = 1;
        beaten_by[j]++;
      }
  }
  for (size_t i = 0; i < n; i++)
    if (beaten_by[i] == 0) {
      sel->rank[i] = 0;
      cur[n_cur++] = i;
    }
  /* peel: the rows only the current front beat form the next one */
  for (size_t r = 1, start = 0; start < n_cur; r++) {
    size_t end = n_cur;
    for (size_t k = start; k < end; k++)
      for (size_t j = 0; j < n; j++)
        if (dom[cur[k] * n + j] && --beaten_by[j] == 0) {
          sel->rank[j] = r;
          cur[n_cur++] = j;
        }
    start = end;
  }
  free(dom);
  free(beaten_by);
  free(cur);
  return L4P_OK;
}

static double binomial(size_t n, size_t k)
{
  double c = 1;
  for (size_t i = 1; i <= k; i++)
    c = c * (double)(n - k + i) / (double)i;
  return c;
}

/* Das-Dennis directions with h divisions into dirs (count x m). */
static void das_dennis(size_t m, size_t h, size_t left, size_t j, double *point,
                       double *dirs, size_t *count)
{
  if (j == m - 1) {
    point[j] = (double)left / (double)h;
    memcpy(dirs + (*count)++ * m, point, m * sizeof *point);
    return;
  }
  for (size_t k = 0; k <= left; k++) {
    point[j] = (double)k / (double)h;
    das_dennis(m, h, left - k, j + 1, point, dirs, count);
  }
}

/* Solve a x = 1 (a: m x m, destroyed) by Gaussian elimination with
 * partial pivoting; false when singular. */
static bool solve_ones(double *a, double *x, size_t m)
{
  for (size_t j = 0; j < m; j++)
    x[j] = 1;
  for (size_t c = 0; c < m; c++) {
    size_t piv = c;
    for (size_t r = c + 1; r < m; r++)
      if (fabs(a[r * m + c]) > fabs(a[piv * m + c]))
        piv = r;
    if (!(fabs(a[piv * m + c]) > 1e-12))
      return false;
    for (size_t k = 0; k < m; k++) {
      double t = a[c * m + k];
      a[c * m + k] = a[piv * m + k];
      a[piv * m + k] = t;
    }
    double t = x[c];
    x[c] = x[piv];
    x[piv] = t;
    for (size_t r = c + 1; r < m; r++) {
      double q = a[r * m + c] / a[c * m + c];
      for (size_t k = c; k < m; k++)
        a[r * m + k] -= q * a[c * m + k];
      x[r] -= q * x[c];
    }
  }
  for (size_t c = m; c-- > 0;) {
    for (size_t k = c + 1; k < m; k++)
      x[c] -= a[c * m + k] * x[k];
    x[c] /= a[c * m + c];
  }
  return true;
}

/* Normalise the rows st (n_st of them) into z (n_st x m): translated by
 * the ideal point, divided by the intercepts of the hyperplane through
 * the extreme points (or, when degenerate, by the worst values). */
static void normalise(const struct selection *sel, const size_t *st,
                      size_t n_st, double *z, double *work)
{
  size_t m = sel->m;
  double *ideal = work, *ext = work + m, *b = work + m + m * m;
  double *worst = b + m;
  for (size_t j = 0; j < m; j++) {
    ideal[j] = INFINITY;
    worst[j] = -INFINITY;
    for (size_t k = 0; k < n_st; k++)
      ideal[j] = fmin(ideal[j], sel->f[st[k] * m + j]);
  }
  for (size_t k = 0; k < n_st; k++)
    for (size_t j = 0; j < m; j++) {
      z[k * m + j] = sel->f[st[k] * m + j] - ideal[j];
      worst[j] = fmax(worst[j], z[k * m + j]);
    }
  for (size_t axis = 0; axis < m; axis++) { /* extreme points by ASF */
    double best = INFINITY;
    size_t arg = 0;
    for (size_t k = 0; k < n_st; k++) {
      double asf = -INFINITY;
      for (size_t j = 0; j < m; j++)
        asf = fmax(asf, z[k * m + j] / (j == axis ? 1 : 1e-6));
      if (asf < best) {
        best = asf;
        arg = k;
      }
    }
    memcpy(ext + axis * m, z + arg * m, m * sizeof *z);
  }
  bool ok = solve_ones(ext, b, m);
  for (size_t j = 0; j < m && ok; j++)
    ok = b[j] > 0 && isfinite(1 / b[j]) && 1 / b[j] > 1e-10;
  for (size_t j = 0; j < m; j++) {
    double icpt = ok ? 1 / b[j] : worst[j];
    if (!(icpt > 1e-10))
      icpt = 1;
    for (size_t k = 0; k < n_st; k++)
      z[k * m + j] /= icpt;
  }
}

/* Scratch arrays of one niching step, over n_st candidate rows and
 * n_dirs reference directions in m objectives. */
struct niching {
  size_t n_dirs;
  double *dirs, *z, *work, *dist;
  size_t *assoc, *rho, *ties;
  bool *taken, *closed;
};

static void niching_free(struct niching *nc)
{
  free(nc->dirs);
  free(nc->z);
  free(nc->work);
  free(nc->dist);
  free(nc->assoc);
  free(nc->rho);
  free(nc->ties);
  free(nc->taken);
  free(nc->closed);
}

/* Allocate nc's arrays; false (nc freed) when out of memory. */
static bool niching_alloc(struct niching *nc, size_t n_dirs, size_t n_st,
                          size_t m)
{
  nc->n_dirs = n_dirs;
  nc->dirs = malloc(n_dirs * m * sizeof *nc->dirs);
  nc->z = malloc(n_st * m * sizeof *nc->z);
  nc->work = malloc((3 * m + m * m) * sizeof *nc->work);
  nc->dist = malloc(n_st * sizeof *nc->dist);
  nc->assoc = malloc(n_st * sizeof *nc->assoc);
  nc->rho = calloc(n_dirs, sizeof *nc->rho);
  nc->ties = malloc(n_dirs * sizeof *nc->ties);
  nc->taken = calloc(n_st, sizeof *nc->taken);
  nc->closed = calloc(n_dirs, sizeof *nc->closed);
  if (nc->dirs && nc->z && nc->work && nc->dist && nc->assoc && nc->rho &&
      nc->ties && nc->taken && nc->closed)
    return true;
  niching_free(nc);
  return false;
}

/* Fill the population from the last front by niching: rows st[0..have)
 * are in, st[have..n_st) form the last front. */
static l4p_status niche(struct selection *sel, const size_t *st, size_t n_st,
                        size_t have)
{
  size_t m = sel->m, h = 1;
  if (m > 1)
    while (binomial(h + m, m - 1) <= (double)sel->pop)
      h++;
  struct niching nc;
  if (!niching_alloc(&nc,
                     m > 1 ? (size_t)llround(binomial(h + m - 1, m - 1)) : 1,
                     n_st, m))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  size_t n_dirs = nc.n_dirs, count = 0;
  double *dirs = nc.dirs, *z = nc.z, *dist = nc.dist;
  size_t *assoc = nc.assoc, *rho = nc.rho, *ties = nc.ties;
  bool *taken = nc.taken, *closed = nc.closed;
  if (m > 1)
    das_dennis(m, h, h, 0, nc.work, dirs, &count);
  else
    dirs[0] = 1;
  normalise(sel, st, n_st, z, nc.work);
  for (size_t k = 0; k < n_st; k++) { /* nearest direction line */
    dist[k] = INFINITY;
    for (size_t r = 0; r < n_dirs; r++) {
      double dot = 0, ww = 0, zz = 0;
      for (size_t j = 0; j < m; j++) {
        dot += z[k * m + j] * dirs[r * m + j];
        ww += dirs[r * m + j] * dirs[r * m + j];
        zz += z[k * m + j] * z[k * m + j];
      }
      double perp = zz - dot * dot / ww;
      perp = perp > 0 ? perp : 0;
      if (perp < dist[k]) {
        dist[k] = perp;
        assoc[k] = r;
      }
    }
    if (k < have)
      rho[assoc[k]]++;
  }
  size_t in = have; /* st[in..n_st) is the last front */
  for (size_t k = 0; k < in; k++)
    sel->members[k] = st[k];
  while (have < sel->pop) {
    size_t low = SIZE_MAX, n_ties = 0;
    for (size_t r = 0; r < n_dirs; r++)
      if (!closed[r] && rho[r] <= low) {
        n_ties = rho[r] < low ? 0 : n_ties;
        low = rho[r];
        ties[n_ties++] = r;
      }
    if (n_ties == 0)
      break; /* cannot happen: the last front is larger than needed */
    size_t r = ties[l4p_rng_below(sel->rng, n_ties)], pick = n_st, seen = 0;
    for (size_t k = in; k < n_st; k++) {
      if (taken[k] || assoc[k] != r)
        continue;
      if (rho[r] == 0 ? pick == n_st || dist[k] < dist[pick]
                      : l4p_rng_below(sel->rng, ++seen) == 0)
        pick = k;
    }
    if (pick == n_st) {
      closed[r] = true;
      continue;
    }
    taken[pick] = true;
    rho[r]++;
    sel->members[have++] = st[pick];
  }
  niching_free(&nc);
  return L4P_OK;
}

/* Environmental selection of sel->pop rows among all measured ones. */
static l4p_status select_population(struct selection *sel)
{
  l4p_status st = sort_fronts(sel);
  size_t *order = malloc(sel->n * sizeof *order + 1);
  if (st || !order) {
    free(order);
    return st ? st : l4p_failf(L4P_ENOMEM, "out of memory");
  }
  size_t n_order = 0, have = 0;
  for (size_t r = 0; have < sel->pop; r++) {
    size_t start = n_order;
    for (size_t i = 0; i < sel->n; i++)
      if (sel->rank[i] == r)
        order[n_order++] = i;
    if (n_order - start + have > sel->pop)
      break; /* front r is the last, split by niching */
    have = n_order;
  }
  if (have == sel->pop)
    memcpy(sel->members, order, have * sizeof *order);
  else
    st = niche(sel, order, n_order, have);
  free(order);
  return st;
}

/* A parent by binary tournament on the rank. */
static size_t tournament(const struct selection *sel)
{
  size_t a = sel->members[l4p_rng_below(sel->rng, sel->pop)];
  size_t b = sel->members[l4p_rng_below(sel->rng, sel->pop)];
  if (sel->rank[a] != sel->rank[b])
    return sel->rank[a] < sel->rank[b] ? a : b;
  return l4p_rng_below(sel->rng, 2) ? a : b;
}

/* One child of two parents into cfg; try raises the mutation rate. */
static void make_child(struct l4p_sampler *s, const double *pa,
                       const double *pb, const size_t *free_opts, size_t n_free,
                       size_t try_, double *cfg)
{
  size_t d = l4p_space_n_options(s->space);
  memcpy(cfg, pa, d * sizeof *cfg);
  if (l4p_rng_uniform(s->rng) < CROSSOVER_P)
    for (size_t i = 0; i < d; i++)
      if (l4p_rng_below(s->rng, 2))
        cfg[i] = pb[i];
  double rate = (1.0 + (double)try_ / 4) / (double)n_free;
  bool changed = false;
  for (size_t k = 0; k < n_free; k++)
    if (l4p_rng_uniform(s->rng) < rate) {
      size_t i = free_opts[k];
      l4p__seq_mutate(l4p_space_option(s->space, i), s->rng, &cfg[i]);
      changed = true;
    }
  if (!changed) { /* no copy of a parent: mutate at least one option */
    size_t i = free_opts[l4p_rng_below(s->rng, n_free)];
    l4p__seq_mutate(l4p_space_option(s->space, i), s->rng, &cfg[i]);
  }
}

static l4p_status offspring(struct l4p_sampler *s, struct selection *sel,
                            const struct l4p_history *h, const size_t *rows,
                            struct l4px_cfgset *taken, size_t n, double *out,
                            size_t *n_out)
{
  size_t d = l4p_space_n_options(s->space), n_free = 0, got = 0;
  size_t *free_opts = malloc((d ? d : 1) * sizeof *free_opts);
  if (!free_opts)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t i = 0; i < d; i++)
    if (l4p__seq_is_free(l4p_space_option(s->space, i)))
      free_opts[n_free++] = i;
  l4p_status st = L4P_OK;
  for (size_t k = 0; k < n && n_free && !st; k++) {
    double *cfg = out + got * d;
    for (size_t t = 0; t < CHILD_TRIES && !st; t++) {
      size_t a = tournament(sel), b = tournament(sel);
      make_child(s, h->configs + rows[a] * d, h->configs + rows[b] * d,
                 free_opts, n_free, t, cfg);
      if ((st = l4p_space_repair(s->space, cfg)))
        break;
      int added = l4px_cfgset_add(taken, cfg);
      if (added < 0)
        st = l4p_failf(L4P_ENOMEM, "out of memory");
      if (added > 0) {
        got++;
        break;
      }
    }
  }
  free(free_opts);
  size_t more = 0; /* children that never came out new: uniform draws */
  if (!st && got < n)
    st = l4p__seq_fill_random(s->space, s->rng, taken, n - got, out + got * d,
                              &more);
  *n_out = got + more;
  return st;
}

static l4p_status nsga3_propose(struct l4p_sampler *s,
                                const struct l4p_history *h, size_t n,
                                double *out, size_t *n_out)
{
  const struct nsga3 *ns = s->data;
  l4p__seq_reseed(s, h);
  struct selection sel = {s->rng, NULL, 0, 0, ns->pop, NULL, NULL};
  double *f = NULL;
  size_t *rows = NULL;
  struct l4px_cfgset taken;
  l4px_cfgset_init(&taken, l4p_space_n_options(s->space));
  l4p_status st = l4p__seq_objectives(s, h, &f, &rows, &sel.n, &sel.m);
  sel.f = f;
  if (!st && l4p__taken_from_history(&taken, h, taken.d) < 0)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st && (sel.n < sel.pop || sel.m == 0)) { /* the first population */
    st = l4p__seq_fill_random(s->space, s->rng, &taken, n, out, n_out);
  } else if (!st) {
    sel.rank = malloc(sel.n * sizeof *sel.rank);
    sel.members = malloc(sel.pop * sizeof *sel.members);
    if (!sel.rank || !sel.members)
      st = l4p_failf(L4P_ENOMEM, "out of memory");
    if (!st)
      st = select_population(&sel);
    if (!st)
      st = offspring(s, &sel, h, rows, &taken, n, out, n_out);
  }
  free(f);
  free(rows);
  free(sel.rank);
  free(sel.members);
  l4px_cfgset_release(&taken);
  return st;
}

const struct l4p_sampler_ops l4p_sampler_nsga3 = {
    .name = "nsga3",
    .summary = "NSGA-III evolving the measured Pareto front",
    .numeric_help = "a child's number comes from a parent, then mutates: a "
                    "step to a neighbouring value or any other value for "
                    "discrete ones, a polynomial perturbation for continuous "
                    "ones",
    .sequential = true,
    .create = nsga3_create,
    .propose = nsga3_propose,
    .destroy = nsga3_destroy,
};
