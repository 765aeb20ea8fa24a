/* Distance-based sampling, the engine behind dds and ddiv (see
 * distance-int.h). DDS spreads a sample evenly over distances from the
 * all-off configuration, where uniform sampling crowds the middle
 * distances (most configurations have about half their options on).
 * Listed spaces are bucketed by distance and drawn exactly; others are
 * built option by option, repaired, and kept only at the drawn distance.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "distance-int.h"
#include "seqkit.h"
#include "util/failf.h"
#include "util/banned.h"

#define LIST_LIMIT 100000 /* spaces up to this size are drawn exactly */
#define TRIES 40          /* constructions per drawn distance */
#define MAX_BINS 16       /* value bins per option (ddiv's balance) */

struct dds {
  const struct l4p_space *space;
  struct l4p_rng *rng;
  bool diversified;
  size_t d, n_sw;
  size_t *sw;        /* switchable options: free, more than one value */
  double *off;       /* d values: the all-off configuration */
  size_t *n_bins;    /* per switchable option */
  size_t *bin_at;    /* offset of its bins in bin_count */
  double *on_count;  /* per switchable option: times seen on */
  double *bin_count; /* per bin: times seen on with a value in it */
  struct l4px_cfgset taken;
};

static double off_value(const struct l4p_option *opt)
{
  if (opt->fixed)
    return opt->fixed_value;
  if (opt->type == L4P_OPT_BOOL || opt->type == L4P_OPT_ENUM)
    return 0;
  return l4p_option_cardinality(opt) ? l4p_option_value_at(opt, 0) : opt->min;
}

size_t l4p__distance_of(const struct l4p_space *space, const double *cfg)
{
  size_t dist = 0;
  for (size_t i = 0; i < l4p_space_n_options(space); i++) {
    const struct l4p_option *opt = l4p_space_option(space, i);
    dist += l4p__seq_is_free(opt) && cfg[i] != off_value(opt);
  }
  return dist;
}

/* Bin of an "on" value of switchable option number pos. */
static size_t bin_of(const struct dds *ds, size_t pos, double v)
{
  const struct l4p_option *opt = l4p_space_option(ds->space, ds->sw[pos]);
  size_t card = l4p_option_cardinality(opt), nb = ds->n_bins[pos];
  if (card == 0) {
    double t = (v - opt->min) / (opt->max - opt->min);
    if (!(t > 0)) /* below the range (a mapped row) or NaN */
      return 0;
    return t >= 1 ? nb - 1 : (size_t)(t * (double)nb);
  }
  size_t k = l4p_option_nearest_index(opt, v);
  return k ? (k - 1) * nb / (card - 1) : 0;
}

/* A uniform "on" value of option number pos within bin b (all bins when
 * b is n_bins). */
static double value_in_bin(struct dds *ds, size_t pos, size_t b)
{
  const struct l4p_option *opt = l4p_space_option(ds->space, ds->sw[pos]);
  size_t card = l4p_option_cardinality(opt), nb = ds->n_bins[pos];
  double lo = b < nb ? (double)b / (double)nb : 0;
  double hi = b < nb ? (double)(b + 1) / (double)nb : 1;
  if (card == 0) { /* (min, max]: min itself is off */
    double t = lo + (hi - lo) * (1 - l4p_rng_uniform(ds->rng));
    double v = opt->min + t * (opt->max - opt->min);
    return v > opt->min ? v : opt->max;
  }
  /* indices 1..card-1 are on; j = k - 1 is in bin floor(j * nb / c) */
  size_t c = card - 1, first = 0, end = c;
  if (b < nb) {
    first = (b * c + nb - 1) / nb;
    end = ((b + 1) * c + nb - 1) / nb;
  }
  size_t j = first + (size_t)l4p_rng_below(ds->rng, end - first);
  return l4p_option_value_at(opt, j + 1);
}

/* ddiv: the least used bin of option number pos, ties at random. */
static size_t rarest_bin(struct dds *ds, size_t pos)
{
  const double *count = ds->bin_count + ds->bin_at[pos];
  size_t best = 0, ties = 0;
  for (size_t b = 0; b < ds->n_bins[pos]; b++) {
    if (b && count[b] > count[best])
      continue;
    if (b && count[b] < count[best])
      ties = 0;
    if (l4p_rng_below(ds->rng, ++ties) == 0)
      best = b;
  }
  return best;
}

static void count_config(struct dds *ds, const double *cfg)
{
  for (size_t pos = 0; pos < ds->n_sw; pos++) {
    size_t i = ds->sw[pos];
    if (cfg[i] == ds->off[i])
      continue;
    ds->on_count[pos]++;
    ds->bin_count[ds->bin_at[pos] + bin_of(ds, pos, cfg[i])]++;
  }
}

static size_t distance(const struct dds *ds, const double *cfg)
{
  size_t dist = 0;
  for (size_t pos = 0; pos < ds->n_sw; pos++)
    dist += cfg[ds->sw[pos]] != ds->off[ds->sw[pos]];
  return dist;
}

/* ddiv's score of a listed configuration: (options' use, values' use). */
static void usage(const struct dds *ds, const double *cfg, double *opts,
                  double *vals)
{
  *opts = *vals = 0;
  for (size_t pos = 0; pos < ds->n_sw; pos++) {
    size_t i = ds->sw[pos];
    if (cfg[i] == ds->off[i])
      continue;
    *opts += ds->on_count[pos];
    *vals += ds->bin_count[ds->bin_at[pos] + bin_of(ds, pos, cfg[i])];
  }
}

/* A distance among the live ones (live[dist] true), or -1. */
static long draw_distance(struct dds *ds, const bool *live)
{
  size_t n_live = 0;
  for (size_t dist = 0; dist <= ds->n_sw; dist++)
    n_live += live[dist];
  if (n_live == 0)
    return -1;
  size_t pick = (size_t)l4p_rng_below(ds->rng, n_live);
  for (size_t dist = 0; dist <= ds->n_sw; dist++)
    if (live[dist] && pick-- == 0)
      return (long)dist;
  return -1;
}

/* -------------------------------------------------- listed spaces */

static l4p_status from_list(struct dds *ds, const double *all, size_t n_all,
                            size_t n, double *out, size_t *got)
{
  size_t d = ds->d, n_dist = ds->n_sw + 1;
  size_t *start = calloc(n_dist + 1, sizeof *start);
  size_t *len = calloc(n_dist, sizeof *len);
  size_t *idx = malloc((n_all ? n_all : 1) * sizeof *idx);
  bool *live = calloc(n_dist, sizeof *live);
  if (!start || !len || !idx || !live) {
    free(start);
    free(len);
    free(idx);
    free(live);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  /* bucket the untaken configurations by distance (counting sort) */
  for (size_t k = 0; k < n_all; k++)
    if (!l4px_cfgset_contains(&ds->taken, all + k * d))
      start[distance(ds, all + k * d) + 1]++;
  for (size_t dist = 0; dist < n_dist; dist++)
    start[dist + 1] += start[dist];
  for (size_t k = 0; k < n_all; k++)
    if (!l4px_cfgset_contains(&ds->taken, all + k * d)) {
      size_t dist = distance(ds, all + k * d);
      idx[start[dist] + len[dist]++] = k;
    }
  l4p_status st = L4P_OK;
  while (*got < n) {
    for (size_t dist = 0; dist < n_dist; dist++)
      live[dist] = len[dist] > 0;
    long dist = draw_distance(ds, live);
    if (dist < 0)
      break;
    size_t *bucket = idx + start[dist], m = len[dist], pick = 0;
    if (!ds->diversified) {
      pick = (size_t)l4p_rng_below(ds->rng, m);
    } else {
      double best_o = 0, best_v = 0;
      size_t ties = 0;
      for (size_t k = 0; k < m; k++) {
        double o, v;
        usage(ds, all + bucket[k] * d, &o, &v);
        if (k && (o > best_o || (o == best_o && v > best_v)))
          continue;
        if (!k || o < best_o || v < best_v)
          ties = 0;
        if (l4p_rng_below(ds->rng, ++ties) == 0) {
          pick = k;
          best_o = o;
          best_v = v;
        }
      }
    }
    const double *cfg = all + bucket[pick] * d;
    if (l4px_cfgset_add(&ds->taken, cfg) < 0) {
      st = l4p_failf(L4P_ENOMEM, "out of memory");
      break;
    }
    memcpy(out + (*got)++ * d, cfg, d * sizeof *cfg);
    count_config(ds, cfg);
    bucket[pick] = bucket[--len[dist]];
  }
  free(start);
  free(len);
  free(idx);
  free(live);
  return st;
}

/* ------------------------------------------ constructed configurations */

struct keyed {
  double key;
  size_t pos;
};

static int by_key(const void *a, const void *b)
{
  double u = ((const struct keyed *)a)->key, v = ((const struct keyed *)b)->key;
  return (u > v) - (u < v);
}

/* Switch dist options on in cfg (all off before); try number try_ shifts
 * ddiv's preference for rarely used options towards chance. */
static void switch_on(struct dds *ds, size_t dist, size_t try_,
                      struct keyed *order, double *cfg)
{
  for (size_t pos = 0; pos < ds->n_sw; pos++) {
    double noise = l4p_rng_uniform(ds->rng);
    order[pos].pos = pos;
    order[pos].key = ds->diversified
                         ? ds->on_count[pos] + noise * (0.5 + (double)try_)
                         : noise;
  }
  qsort(order, ds->n_sw, sizeof *order, by_key);
  for (size_t k = 0; k < dist; k++) {
    size_t pos = order[k].pos;
    size_t b = ds->diversified ? rarest_bin(ds, pos) : ds->n_bins[pos];
    cfg[ds->sw[pos]] = value_in_bin(ds, pos, b);
  }
}

static l4p_status constructed(struct dds *ds, size_t n, double *out,
                              size_t *got)
{
  size_t d = ds->d, n_dist = ds->n_sw + 1;
  bool *live = malloc(n_dist * sizeof *live);
  struct keyed *order = malloc((ds->n_sw ? ds->n_sw : 1) * sizeof *order);
  if (!live || !order) {
    free(live);
    free(order);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  for (size_t dist = 0; dist < n_dist; dist++)
    live[dist] = true;
  l4p_status st = L4P_OK;
  while (*got < n && !st) {
    long dist = draw_distance(ds, live);
    if (dist < 0)
      break;
    double *cfg = out + *got * d;
    bool done = false;
    for (size_t t = 0; t < TRIES && !done && !st; t++) {
      memcpy(cfg, ds->off, d * sizeof *cfg);
      switch_on(ds, (size_t)dist, t, order, cfg);
      if ((st = l4p_space_repair(ds->space, cfg)))
        break;
      if (distance(ds, cfg) != (size_t)dist)
        continue;
      int added = l4px_cfgset_add(&ds->taken, cfg);
      if (added < 0)
        st = l4p_failf(L4P_ENOMEM, "out of memory");
      done = added > 0;
    }
    if (done) {
      count_config(ds, cfg);
      (*got)++;
    } else {
      live[dist] = false; /* unreachable or used up, for this call */
    }
  }
  free(live);
  free(order);
  return st;
}

/* ------------------------------------------------------------ the call */

static l4p_status setup(struct dds *ds, struct l4p_sampler *s,
                        const struct l4p_history *h, bool diversified)
{
  memset(ds, 0, sizeof *ds);
  ds->space = s->space;
  ds->rng = s->rng;
  ds->diversified = diversified;
  ds->d = l4p_space_n_options(s->space);
  l4px_cfgset_init(&ds->taken, ds->d);
  size_t d = ds->d, alloc = d ? d : 1;
  ds->sw = malloc(alloc * sizeof *ds->sw);
  ds->off = malloc(alloc * sizeof *ds->off);
  ds->n_bins = malloc(alloc * sizeof *ds->n_bins);
  ds->bin_at = malloc(alloc * sizeof *ds->bin_at);
  ds->on_count = calloc(alloc, sizeof *ds->on_count);
  ds->bin_count = calloc(alloc * MAX_BINS, sizeof *ds->bin_count);
  if (!ds->sw || !ds->off || !ds->n_bins || !ds->bin_at || !ds->on_count ||
      !ds->bin_count || l4p__taken_from_history(&ds->taken, h, d) < 0)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  size_t bins = 0;
  for (size_t i = 0; i < d; i++) {
    const struct l4p_option *opt = l4p_space_option(s->space, i);
    ds->off[i] = off_value(opt);
    if (!l4p__seq_is_free(opt))
      continue;
    size_t card = l4p_option_cardinality(opt);
    size_t nb = card == 0 || card - 1 > MAX_BINS ? MAX_BINS : card - 1;
    ds->sw[ds->n_sw] = i;
    ds->n_bins[ds->n_sw] = nb;
    ds->bin_at[ds->n_sw++] = bins;
    bins += nb;
  }
  for (size_t k = 0; h && k < h->n; k++)
    count_config(ds, h->configs + k * d);
  for (size_t k = 0; h && k < h->n_failed; k++)
    count_config(ds, h->failed + k * d);
  return L4P_OK;
}

static void teardown(struct dds *ds)
{
  free(ds->sw);
  free(ds->off);
  free(ds->n_bins);
  free(ds->bin_at);
  free(ds->on_count);
  free(ds->bin_count);
  l4px_cfgset_release(&ds->taken);
}

l4p_status l4p__distance_propose(struct l4p_sampler *s,
                                 const struct l4p_history *h, size_t n,
                                 double *out, size_t *n_out, bool diversified)
{
  struct dds ds;
  size_t got = 0;
  l4p__seq_reseed(s, h);
  l4p_status st = setup(&ds, s, h, diversified);
  double *all = NULL;
  size_t n_all = 0;
  if (!st &&
      l4p_space_enumerate(s->space, LIST_LIMIT, &all, &n_all) == L4P_OK) {
    st = from_list(&ds, all, n_all, n, out, &got);
  } else if (!st) {
    l4p_clear_error();
    st = constructed(&ds, n, out, &got);
    size_t more = 0;
    if (!st && got < n) /* every distance dropped: uniform for the rest */
      st = l4p__seq_fill_random(s->space, s->rng, &ds.taken, n - got,
                                out + got * ds.d, &more);
    got += more;
  }
  free(all);
  teardown(&ds);
  *n_out = got;
  return st;
}
