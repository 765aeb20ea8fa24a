/* The funnel every design-based sampler (lhs, sobol, twise, pbd) sends its
 * points through: fixed options at their values, invalid points repaired
 * to the nearest valid configuration, duplicates dropped, and a uniform
 * random fill when the design runs short. See design-int.h.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "design-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* Spaces up to this size are listed and filled without replacement. */
#define LIST_LIMIT 200000

uint64_t l4p__mix_seed(uint64_t seed, uint64_t a, uint64_t b)
{
  uint64_t z = seed ^ (a * 0x9e3779b97f4a7c15ull) ^ (b * 0xc2b2ae3d27d4eb4full);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* Does the option take more than one value? */
static bool varies(const struct l4p_option *opt)
{
  if (opt->fixed)
    return false;
  size_t card = l4p_option_cardinality(opt);
  return card > 1 || (card == 0 && opt->max > opt->min);
}

/* Release the call's memory; the accepted count is ds->got. */
static void call_end(struct l4p__design *ds)
{
  free(ds->free);
  free(ds->base);
  ds->free = NULL;
  ds->base = NULL;
  l4px_cfgset_release(&ds->taken);
}

/* Start a call proposing up to n configurations into out (see
 * l4p__design_propose for the reseeding). */
static l4p_status call_begin(struct l4p__design *ds, struct l4p_sampler *s,
                             const struct l4p_history *h, size_t n, double *out)
{
  memset(ds, 0, sizeof *ds);
  ds->s = s;
  ds->h = h;
  ds->space = s->space;
  ds->d = l4p_space_n_options(s->space);
  ds->out = out;
  ds->n = n;
  l4px_cfgset_init(&ds->taken, ds->d);
  ds->free = malloc((ds->d ? ds->d : 1) * sizeof *ds->free);
  ds->base = malloc((ds->d ? ds->d : 1) * sizeof *ds->base);
  if (!ds->free || !ds->base ||
      l4p__taken_from_history(&ds->taken, h, ds->d) < 0) {
    call_end(ds);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < ds->d; i++)
    if (varies(l4p_space_option(s->space, i)))
      ds->free[ds->n_free++] = i;
  l4p_space_default_config(s->space, ds->base);
  l4p_rng_seed(s->rng,
               l4p__mix_seed(s->seed, h ? h->n : 0, h ? h->n_failed : 0));
  return L4P_OK;
}

l4p_status l4p__design_offer(struct l4p__design *ds, double *cfg, bool *added)
{
  *added = false;
  if (ds->got >= ds->n)
    return L4P_OK;
  if (l4p_space_validate(ds->space, cfg) != L4P_OK) {
    l4p_clear_error();
    l4p_status st = l4p_space_repair(ds->space, cfg);
    if (st)
      return st;
    if (l4p_space_validate(ds->space, cfg) != L4P_OK) {
      /* repair gave up on a huge group: drop the point, keep going */
      l4p_clear_error();
      return L4P_OK;
    }
  }
  int fresh = l4px_cfgset_add(&ds->taken, cfg);
  if (fresh < 0)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  if (fresh) {
    memcpy(ds->out + ds->got * ds->d, cfg, ds->d * sizeof *cfg);
    ds->got++;
    *added = true;
  }
  return L4P_OK;
}

/* See design-int.h. The scratch row is allocated here so that the
 * designs only say what goes in it. */
l4p_status l4p__design_offer_rows(struct l4p__design *ds, size_t n_rows,
                                  l4p__design_row_fn *row, void *arg)
{
  double *cfg = malloc((ds->d ? ds->d : 1) * sizeof *cfg);
  if (!cfg)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  l4p_status st = L4P_OK;
  for (size_t r = 0; !st && r < n_rows && ds->got < ds->n; r++) {
    memcpy(cfg, ds->base, ds->d * sizeof *cfg);
    row(ds, r, arg, cfg);
    bool added;
    st = l4p__design_offer(ds, cfg, &added);
  }
  free(cfg);
  return st;
}

/* Fill from the listed space, in a random order. */
static l4p_status fill_from_list(struct l4p__design *ds, const double *all,
                                 size_t n_all)
{
  size_t *idx = malloc((n_all ? n_all : 1) * sizeof *idx);
  if (!idx)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; k < n_all; k++)
    idx[k] = k;
  l4p_rng_shuffle(ds->s->rng, idx, n_all);
  l4p_status st = L4P_OK;
  double *cfg = malloc((ds->d ? ds->d : 1) * sizeof *cfg);
  if (!cfg)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; !st && k < n_all && ds->got < ds->n; k++) {
    bool added;
    memcpy(cfg, all + idx[k] * ds->d, ds->d * sizeof *cfg);
    st = l4p__design_offer(ds, cfg, &added);
  }
  free(cfg);
  free(idx);
  return st;
}

/* Fill the rest of the output with uniform draws among valid, untaken
 * configurations (drawn without replacement from the listed space when it
 * is small). Stops short only when the space is exhausted. */
static l4p_status fill_uniform(struct l4p__design *ds)
{
  if (ds->got >= ds->n)
    return L4P_OK;
  double *all = NULL;
  size_t n_all = 0;
  if (l4p_space_enumerate(ds->space, LIST_LIMIT, &all, &n_all) == L4P_OK) {
    l4p_status st = fill_from_list(ds, all, n_all);
    free(all);
    return st;
  }
  l4p_clear_error();
  double *cfg = malloc((ds->d ? ds->d : 1) * sizeof *cfg);
  if (!cfg)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  size_t misses = 0, limit = 1000 + 100 * ds->n;
  l4p_status st = L4P_OK;
  while (!st && ds->got < ds->n && misses < limit) {
    bool added = false;
    if (!(st = l4p_space_sample_uniform(ds->space, ds->s->rng, cfg)))
      st = l4p__design_offer(ds, cfg, &added);
    misses += !added;
  }
  free(cfg);
  return st;
}

/* See design-int.h. */
l4p_status l4p__design_propose(struct l4p_sampler *s,
                               const struct l4p_history *h, size_t n,
                               double *out, size_t *n_out,
                               l4p__design_build_fn *build)
{
  struct l4p__design ds;
  l4p_status st = call_begin(&ds, s, h, n, out);
  if (st)
    return st;
  st = build(&ds);
  if (!st)
    st = fill_uniform(&ds);
  *n_out = ds.got;
  call_end(&ds);
  return st;
}

double l4p__unit_value(const struct l4p_option *opt, double u)
{
  if (!(u >= 0))
    u = 0;
  size_t card = l4p_option_cardinality(opt);
  if (card == 0) {
    double v = opt->min + u * (opt->max - opt->min);
    return v > opt->max ? opt->max : v;
  }
  double k = floor(u * (double)card);
  return l4p_option_value_at(opt, k >= (double)card ? card - 1 : (size_t)k);
}

double l4p__level_value(const struct l4p_option *opt, size_t l, size_t n_levels)
{
  double q = n_levels > 1 ? (double)l / (double)(n_levels - 1) : 0;
  size_t card = l4p_option_cardinality(opt);
  if (card == 0)
    return l + 1 == n_levels ? opt->max : opt->min + q * (opt->max - opt->min);
  size_t k = (size_t)floor(q * (double)(card - 1) + 0.5);
  return l4p_option_value_at(opt, k < card ? k : card - 1);
}

struct noted {
  char *note; /* what the last propose call did, for the event log */
};

l4p_status l4p__noted_create(struct l4p_sampler *s)
{
  if (!(s->data = calloc(1, sizeof(struct noted))))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  return L4P_OK;
}

void l4p__noted_destroy(struct l4p_sampler *s)
{
  struct noted *nt = s->data;
  if (nt)
    free(nt->note);
  free(nt);
}

const char *l4p__noted_notes(struct l4p_sampler *s)
{
  return ((struct noted *)s->data)->note;
}

void l4p__noted_set(struct l4p_sampler *s, char *note)
{
  struct noted *nt = s->data;
  free(nt->note);
  nt->note = note;
}
